"""Exports and figures: the corrections JSONL that `notecode add-corrections` loads, the auditors' CSV, and the
agreement figures (page and API agree)."""

from __future__ import annotations

import csv
import io

from review_support import SAMPLE, WARNED_TEXT, browser, decision_form, paste, running, sign_in
from test_http_support import KEYS

from api.review.export import _cell
from api.service import suggest
from training.corrections import read_corrections


def _decide(client, note_id, **changes):
    form = decision_form(client.get(f"/review/notes/{note_id}").text)
    form.update(changes)
    answer = client.post(f"/review/notes/{note_id}/decision", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]


def _reviewed(app):
    """Three decided notes: one accepted, one with 97110 corrected to 97530 and 97018 removed, one with a
    dismissed warning and 97110 corrected to 97140 (not an intent code: `other` to the model)."""
    kim = browser(app)
    sign_in(kim, "kim")
    accepted = paste(kim, SAMPLE["text"], note_id="accepted")
    corrected = paste(kim, SAMPLE["text"].replace("Pt reports", "Patient reports"), note_id="corrected")
    warned = paste(kim, WARNED_TEXT, note_id="warned", icd10="M62.81")
    _decide(kim, accepted)
    _decide(kim, corrected, **{"line-1-cpt": "97530", "line-0-remove": "1"})
    _decide(kim, warned, **{"line-0-cpt": "97140", "warn-3-dismiss": "1", "warn-3-reason": "=total in flowsheet"})
    return kim


def test_corrections_export_is_what_add_corrections_loads(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _reviewed(app)
        answer = kim.get("/review/export/corrections.jsonl")
    assert answer.headers["content-disposition"] == 'attachment; filename="corrections.jsonl"'
    exported = tmp_path / "corrections.jsonl"
    exported.write_bytes(answer.content)
    loaded = read_corrections(exported)  # the loader `notecode add-corrections FILE` uses
    sample_97110 = suggest(SAMPLE).lines[1].evidence[0].text
    warned_97110 = suggest({"text": WARNED_TEXT, "icd10": ["M62.81"]}).lines[0].evidence[0].text
    assert [(c.text, c.code) for c in loaded] == [(sample_97110, "97530"), (warned_97110, "other")]


def test_decisions_csv_has_a_row_per_line_and_no_note_text(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _reviewed(app)
        answer = kim.get("/review/export/decisions.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    by_note = {}
    for row in rows:
        by_note.setdefault(row["note_id"], []).append((row["change"], row["cpt"], row["suggested_cpt"]))
        assert row["coder"] == "kim" and row["decided_at"].endswith("Z")
    assert by_note["accepted"] == [("unchanged", "97018", "97018"), ("unchanged", "97110", "97110"),
                                   ("unchanged", "97530", "97530")]
    assert by_note["corrected"] == [("removed", "", "97018"), ("changed", "97530", "97110"),
                                    ("unchanged", "97530", "97530")]
    warned = [row for row in rows if row["note_id"] == "warned"]
    assert warned[0]["dismissed_warnings"] == "MISSING_TOTAL_TIME: =total in flowsheet"
    assert "tendon glides" not in answer.text and "shoulder flexion" not in answer.text


def test_csv_cells_never_start_a_spreadsheet_formula():
    assert [_cell(v) for v in ("=1+1", "+A1", "-2", "@SUM(A1)", "97110", 3)] == ["'=1+1", "'+A1", "'-2", "'@SUM(A1)",
                                                                              "97110", 3]


def test_agreement_by_code_and_warning_on_the_page_and_in_the_api(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _reviewed(app)
        figures = browser(app).get("/v1/review/agreement", headers={"X-API-Key": KEYS["reader"]}).json()
        page = kim.get("/review/agreement").text
    assert (figures["decided"], figures["accepted_unchanged"], figures["share_accepted_unchanged"]) == (3, 1, 0.333)
    codes = {row["code"]: row for row in figures["by_code"]}
    assert (codes["97110"]["suggested"], codes["97110"]["unchanged"], codes["97110"]["changed"]) == (3, 1, 2)
    assert codes["97110"]["share_unchanged"] == 0.333
    assert (codes["97018"]["removed"], codes["97018"]["share_unchanged"]) == (1, 0.5)
    warnings = {row["code"]: row for row in figures["by_warning"]}
    assert warnings["MISSING_TOTAL_TIME"] == {"code": "MISSING_TOTAL_TIME", "shown": 1, "dismissed": 1,
                                              "share_kept": 0.0, "share_notes_accepted": 0.0}
    assert warnings["BUNDLED_SERVICE"]["share_kept"] == 1.0
    assert 'data-testid="agreement-overall">33%' in page
    assert "<td>MISSING_TOTAL_TIME</td>" not in page and '<td class="mono">MISSING_TOTAL_TIME</td>' in page


def test_exports_and_figures_are_empty_before_any_decision(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = browser(app)
        sign_in(kim, "kim")
        paste(kim, SAMPLE["text"])
        assert kim.get("/review/export/corrections.jsonl").text == ""
        assert kim.get("/review/export/decisions.csv").text.count("\n") == 1  # the header alone
        assert "No decisions yet." in kim.get("/review/agreement").text
