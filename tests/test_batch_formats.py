"""notecode batch reads JSONL, CSV and Parquet with mapped columns, writes JSONL, CSV and Parquet; a bad row
becomes an error record naming its id and field (never its text), a wholly wrong file is one line, exit 2."""

import bz2
import csv
import gzip
import json
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from api.batch import BatchOptions, BatchUsageError, ColumnMapping
from api.batch.readers import input_format_of
from tests.batch_support import annotated_notes, batch, coded_notes, read_jsonl, write_jsonl

SECRET = "Zanzibar-quokka"  # a word in a note's text that must never appear in an error, log or report


def run(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=120)


def test_csv_with_mapped_columns_gives_the_same_suggestions_as_jsonl(tmp_path):
    notes = annotated_notes(6) + coded_notes(3)
    reference = tmp_path / "ref.jsonl"
    batch(write_jsonl(tmp_path / "in.jsonl", notes), reference)
    source = tmp_path / "in.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ENC_ID", "NOTE_TEXT", "discipline", "payer", "DX", "date_of_service", "services", "extra"])
        for note in notes:
            writer.writerow([note["id"], note.get("text", ""), note.get("discipline", ""), note.get("payer", ""),
                             "|".join(note.get("icd10") or []), note.get("date_of_service", ""),
                             json.dumps(note["services"]) if "services" in note else "", "ignored"])
    out = tmp_path / "out.jsonl"
    batch(source, out, mapping=ColumnMapping.build("NOTE_TEXT", "ENC_ID", ["icd10=DX"]))
    assert out.read_bytes() == reference.read_bytes()


def test_bad_csv_rows_become_error_records_naming_id_and_field(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(
        b"id,NOTE_TEXT,total_treatment_minutes\n"
        b"a,Ther ex 15 min: pendulums 2x10. Total treatment time 15 min.,15\n"
        b"b,,\n"
        b"c,Ther ex " + SECRET.encode() + b" 15 min.,fifteen\n"
        b"d,too,many,fields\n"
        b"e,Ther ex 15 min \xff\xfe broken bytes " + SECRET.encode() + b".,\n"
        b",Ther ex 15 min: pendulums.,\n"
    )
    out = tmp_path / "out.jsonl"
    result = batch(source, out, mapping=ColumnMapping.build(text_column="NOTE_TEXT"))
    rows = read_jsonl(out)
    assert [row.get("id") for row in rows] == ["a", "b", "c", "d", "e", None]
    assert "error" not in rows[0] and rows[0]["lines"][0]["cpt"] == "97110"
    errors = {row["id"]: row for row in rows if "error" in row}
    assert errors["b"]["error"] == "text (column NOTE_TEXT): the note is empty" and errors["b"]["line"] == 3
    assert errors["c"]["error"].startswith("total_treatment_minutes: expected a whole number")
    assert errors["d"]["error"] == "row: row has 4 fields, the header has 3"
    assert errors["e"]["error"].startswith("text (column NOTE_TEXT): not readable text")
    assert rows[5]["error"].startswith("id: missing") and rows[5]["line"] == 7
    assert result.tally.failed == 5
    everything = out.read_text() + (tmp_path / "out.report.html").read_text()
    assert SECRET not in json.dumps([r for r in rows if "error" in r]) and SECRET not in everything


def test_parquet_input_with_typed_columns(tmp_path):
    notes = annotated_notes(4)
    reference = tmp_path / "ref.jsonl"
    batch(write_jsonl(tmp_path / "in.jsonl", notes), reference)
    table = pa.table({"enc": pa.array([int(n["id"][1:]) for n in notes], pa.int64()),
                      "body": [n["text"].encode() for n in notes],  # binary, as some exports store text
                      "icd10": [n.get("icd10") for n in notes],
                      "discipline": [n.get("discipline") for n in notes]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=3)
    out = tmp_path / "out.jsonl"
    batch(tmp_path / "in.parquet", out, mapping=ColumnMapping.build("body", "enc"), chunk_rows=2)
    got, want = read_jsonl(out), read_jsonl(reference)
    assert [row["id"] for row in got] == [str(int(n["id"][1:])) for n in notes]
    assert [row["lines"] for row in got] == [row["lines"] for row in want]


def test_a_folder_of_parquet_files_reads_as_one_table(tmp_path):
    notes = annotated_notes(7) + coded_notes(5)
    table = pa.Table.from_pylist([{"id": n["id"], "text": n.get("text"), "icd10": n.get("icd10"),
                                   "services": n.get("services"), "date_of_service": n.get("date_of_service")}
                                  for n in notes])
    pq.write_table(table, tmp_path / "one.parquet", row_group_size=4)
    (tmp_path / "dataset").mkdir()
    pq.write_table(table.slice(0, 5), tmp_path / "dataset" / "part.0.parquet", row_group_size=3)
    pq.write_table(table.slice(5), tmp_path / "dataset" / "part.1.parquet", row_group_size=3)
    batch(tmp_path / "one.parquet", tmp_path / "one.jsonl", chunk_rows=4)
    batch(tmp_path / "dataset", tmp_path / "dataset.jsonl", chunk_rows=4)
    assert (tmp_path / "dataset.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert [r["id"] for r in read_jsonl(tmp_path / "one.jsonl")] == [n["id"] for n in notes]


def test_csv_and_parquet_outputs_hold_what_the_jsonl_output_holds(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", annotated_notes(5) + coded_notes(4) + ["{broken"])
    batch(source, tmp_path / "out.jsonl")
    batch(source, tmp_path / "out.csv")
    batch(source, tmp_path / "out.parquet")
    records = read_jsonl(tmp_path / "out.jsonl")
    lines = [(r["id"], line["cpt"], line["units"]) for r in records if "error" not in r for line in r["lines"]]
    warnings = [(r["id"], w["code"], w["severity"]) for r in records if "error" not in r for w in r["warnings"]]
    with (tmp_path / "out.csv").open() as handle:
        assert [(r["note_id"], r["cpt"], int(r["units"])) for r in csv.DictReader(handle)] == lines
    with (tmp_path / "out.warnings.csv").open() as handle:
        assert [(r["note_id"], r["code"], r["severity"]) for r in csv.DictReader(handle)] == warnings
    with (tmp_path / "out.errors.csv").open() as handle:
        assert [(r["note_id"], r["line"]) for r in csv.DictReader(handle)] == [("", "10")]
    nested = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert len(nested) == len(records) and nested[-1]["error"].startswith("line 10: not valid JSON")
    for row, record in zip(nested[:-1], records[:-1], strict=True):
        assert row["id"] == record["id"] and row["totals"] == record["totals"]
        assert [(x["cpt"], x["units"], x["modifiers"]) for x in row["lines"]] == \
               [(x["cpt"], x["units"], x["modifiers"]) for x in record["lines"]]
        for mine, theirs in zip(row["interventions"], record["interventions"], strict=True):
            assert json.loads(mine["parameters"]) == theirs["parameters"]
            assert dict(mine["intent_scores"]) == theirs["intent_scores"]
    flat = pq.read_table(tmp_path / "out.lines.parquet").to_pylist()
    assert [(r["note_id"], r["cpt"], r["units"]) for r in flat] == lines


def test_a_wholly_wrong_request_is_one_line_and_exit_2(cli, tmp_path):
    (tmp_path / "in.csv").write_text("id,text\na,Ther ex 15 min.\n")
    result = subprocess.run([cli, "batch", "in.csv", "-o", "out.jsonl", "--text-column", "NOTE_TEXT"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "no column 'NOTE_TEXT' (given for text)" in result.stderr
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / ".out.jsonl.parts").exists()


@pytest.mark.parametrize("build, message", [
    (lambda: BatchOptions("in.csv", "out.txt").output_format,
     "output out.txt: unknown file type '.txt'; use one of .csv, .jsonl, .parquet"),
    (lambda: input_format_of("in.xlsx"), "input in.xlsx: unknown file type '.xlsx'"),
    (lambda: ColumnMapping.build(pairs=["colour=x"]), "--column: 'colour' is not a Note field"),
    (lambda: ColumnMapping.build(pairs=["payer"]), "--column: expected FIELD=COLUMN, got 'payer'"),
    (lambda: BatchOptions("in.csv", "out.jsonl", jobs=0), "-j/--jobs: must be 1 or more"),
])
def test_bad_options_are_named(build, message):
    with pytest.raises(BatchUsageError) as error:
        build()
    assert message in str(error.value) and "\n" not in str(error.value)


def test_missing_input_and_id_column_are_usage_errors(tmp_path):
    (tmp_path / "in.csv").write_text("ENC,text\na,Ther ex 15 min.\n")
    with pytest.raises(BatchUsageError, match="no column 'id' for the note id; name it with --id-column"):
        batch(tmp_path / "in.csv", tmp_path / "out.jsonl")
    with pytest.raises(BatchUsageError, match="no such file"):
        batch(tmp_path / "nope.jsonl", tmp_path / "out.jsonl")


def test_empty_input_gives_empty_output_and_report(tmp_path):
    (tmp_path / "in.jsonl").write_text("\n")
    result = batch(tmp_path / "in.jsonl", tmp_path / "out.jsonl")
    assert result.tally.notes == 0 and (tmp_path / "out.jsonl").read_text() == ""
    assert (tmp_path / "out.report.html").exists()


def test_fsspec_urls_in_and_out(tmp_path):
    """Any fsspec file system (here the in-memory one) for the input, the output and the work folder."""
    import fsspec

    notes = coded_notes(12)
    reference = tmp_path / "ref.parquet"
    batch(write_jsonl(tmp_path / "in.jsonl", notes), reference, chunk_rows=5)
    memory = fsspec.filesystem("memory")
    memory.pipe("/audit/in.jsonl", (tmp_path / "in.jsonl").read_bytes())
    try:
        result = batch("memory://audit/in.jsonl", "memory://audit/out.parquet", chunk_rows=5,
                       report=str(tmp_path / "report.html"))
        assert result.tally.notes == 12
        assert memory.cat_file("/audit/out.parquet") == reference.read_bytes()
        assert memory.cat_file("/audit/out.lines.parquet") == (tmp_path / "ref.lines.parquet").read_bytes()
        assert not memory.exists("/audit/.out.parquet.parts")
        assert sorted(p.rsplit("/", 1)[-1] for p in memory.ls("/audit", detail=False)) == \
            ["in.jsonl", "out.lines.parquet", "out.parquet", "out.warnings.parquet"]
    finally:
        memory.rm("/audit", recursive=True)


@pytest.mark.parametrize("name, compress", [("in.jsonl.gz", gzip.compress), ("in.csv.bz2", bz2.compress)])
def test_compressed_input_reads_like_the_plain_file(tmp_path, name, compress):
    notes = coded_notes(30) + annotated_notes(3)
    plain = write_jsonl(tmp_path / "plain.jsonl", notes)
    if name.startswith("in.csv"):
        plain = tmp_path / "plain.csv"
        with plain.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "services", "icd10", "date_of_service"])
            writer.writerows([n["id"], n.get("text", ""), json.dumps(n["services"]) if "services" in n else "",
                              ";".join(n.get("icd10") or []), n.get("date_of_service", "")] for n in notes)
    (tmp_path / name).write_bytes(compress(plain.read_bytes()))
    batch(plain, tmp_path / "plain-out.jsonl", chunk_rows=7)
    result = batch(tmp_path / name, tmp_path / "out.jsonl", chunk_rows=7)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "plain-out.jsonl").read_bytes()
    assert result.tally.notes == 33
