"""The `notecode` command line, run as a user runs it."""

import json
import subprocess

import pytest

from tests.conftest import EXAMPLES, load_examples


def run(cli, *args, stdin=None):
    return subprocess.run([cli, *args], input=stdin, capture_output=True, text=True, timeout=120)


def check(example, suggestion):
    expected = example["expected"]
    billed = sorted([line["cpt"], line["units"]] for line in suggestion["lines"])
    assert billed == sorted(expected["lines"])
    for cpt, modifiers in expected.get("modifiers", {}).items():
        line = next(line for line in suggestion["lines"] if line["cpt"] == cpt)
        assert sorted(line["modifiers"]) == sorted(modifiers)
    codes = {w["code"] for w in suggestion["warnings"]}
    assert set(expected.get("require", [])) <= codes
    assert not set(expected.get("forbid", [])) & codes


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared/ contract examples not beside the repo")
def test_contract_examples_pass_through_batch(cli, tmp_path):
    examples = {e["id"]: e for e in load_examples()}
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({k: v for k, v in e.items() if k != "expected"}) + "\n"
                              for e in examples.values()))
    result = run(cli, "batch", str(source), "-o", str(target))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in rows] == list(examples)
    for row in rows:
        check(examples[row["id"]], row)


def test_suggest_reads_stdin_and_prints_json(cli):
    note = {"id": "n1", "services": [{"cpt": "97530", "minutes": 60}], "icd10": ["M54.50"]}
    result = run(cli, "suggest", "-", "--json", stdin=json.dumps(note))
    assert result.returncode == 0, result.stderr
    suggestion = json.loads(result.stdout)
    assert suggestion["lines"][0]["cpt"] == "97530" and suggestion["lines"][0]["units"] == 4
    assert suggestion["engine"]["rules"].startswith("medicare-")


def test_suggest_prints_a_table_for_people(cli):
    note = {"services": [{"cpt": "97110", "minutes": 38}], "icd10": ["M54.50"]}
    result = run(cli, "suggest", "-", stdin=json.dumps(note))
    assert result.returncode == 0
    assert "97110" in result.stdout and "GO" in result.stdout


@pytest.mark.parametrize("note, field", [
    ({"payer": "medicare"}, "note: a Note needs `text` or a non-empty `services` list"),
    ({"services": [{"cpt": "97110", "minutes": "15"}]}, "services.0.minutes"),
    ({"services": [{"cpt": "97110", "minutes": 15, "units": "1"}]}, "services.0.units"),
    ({"services": [{"cpt": "97110", "minutes": 15}], "payer": "acme"}, "payer: unknown payer 'acme'"),
    ({"services": [{"cpt": "97110", "minutes": 15}], "date_of_service": "2026-13-40"}, "date_of_service"),
    ({"services": [{"cpt": "97110", "minutes": 15}], "date_of_service": "02/10/2026"}, "date_of_service"),
    ({"services": [{"cpt": "99999", "minutes": 15}]}, "services[0].cpt: 99999 is not in notecode's code table"),
    ({"services": [{"cpt": "97110", "minutes": -3}]}, "services.0.minutes"),
    ({"services": [{"cpt": "97110", "minutes": 15}], "discipline": "OT", "rendering_provider": "PTA"},
     "rendering_provider PTA cannot furnish"),
    ({"services": [{"cpt": "97161"}], "discipline": "OT"}, "97161 is not billed under a OT plan"),
    ({"services": [{"cpt": "97110", "minutes": 15}], "colour": "blue"}, "colour: Extra inputs"),
])
def test_bad_note_gets_one_line_naming_the_field(cli, note, field):
    result = run(cli, "suggest", "-", "--json", stdin=json.dumps(note))
    assert result.returncode == 2
    message = result.stderr.strip()
    assert field in message
    assert "Traceback" not in message and len(message.splitlines()) == 1


def test_not_json_is_a_clear_error(cli):
    result = run(cli, "suggest", "-", stdin="{not json")
    assert result.returncode == 2 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_bad_row_in_a_batch_loses_nothing_else(cli, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "a", "services": [{"cpt": "97110", "minutes": 15}], "icd10": ["M54.50"]}),
        "{broken",
        json.dumps({"id": "c", "services": [{"cpt": "97110", "minutes": "x"}]}),
        json.dumps({"id": "d", "services": [{"cpt": "97112", "minutes": 30}], "icd10": ["M54.50"]}),
    ]) + "\n")
    result = run(cli, "batch", str(source), "-o", str(target))
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert result.returncode == 1 and "2 failed" in result.stderr
    assert [r.get("id") for r in rows] == ["a", None, "c", "d"]
    assert "error" in rows[1] and rows[1]["line"] == 2
    assert rows[2]["error"].startswith("services.0.minutes")
    assert rows[3]["lines"][0]["units"] == 2
