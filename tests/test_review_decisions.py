"""Decisions: correcting, adding and removing lines, dismissing warnings, accepting; two coders deciding the
same note at once (the second gets 409 naming the first, and keeps what they typed)."""

from __future__ import annotations

import re
import threading

import pytest
from review_support import (
    SAMPLE,
    WARNED_TEXT,
    browser,
    decision_form,
    line_codes,
    paste,
    review_settings,
    running,
    sign_in,
)
from sqlalchemy import select

from api.review.decisions import Draft, DraftError, decide, read_draft
from api.review.models import Coder, Decision, ReviewNote
from api.review.sessions import SignedIn
from api.review.store import open_store


def _signed_in(app, username):
    client = browser(app)
    assert sign_in(client, username).status_code == 303
    return client


def _save(client, note_id, form):
    return client.post(f"/review/notes/{note_id}/decision", data=form, follow_redirects=False)


def test_accepting_unchanged_keeps_the_suggestion_as_the_decision(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _signed_in(app, "kim")
        note_id = paste(kim, SAMPLE["text"])
        page = kim.get(f"/review/notes/{note_id}").text
        suggested = line_codes(decision_form(page))
        saved = _save(kim, note_id, decision_form(page))
        assert saved.headers["location"].endswith("flash=accepted")
        again = kim.get(f"/review/notes/{note_id}").text
        assert 'data-testid="status">accepted' in again and "Accepted by <strong>Kim</strong>" in again
        assert line_codes(decision_form(again)) == suggested


def test_a_correction_changes_code_units_and_modifiers_adds_and_removes_lines(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _signed_in(app, "kim")
        note_id = paste(kim, SAMPLE["text"])
        form = decision_form(kim.get(f"/review/notes/{note_id}").text)
        assert line_codes(form) == ["97018", "97110", "97530"]
        form.update({"line-1-cpt": "97530", "line-1-units": "2", "line-1-modifiers": "GO, KX",
                     "line-0-remove": "1", "line-7-cpt": "97140", "line-7-units": "1", "line-7-modifiers": "go"})
        assert _save(kim, note_id, form).headers["location"].endswith("flash=corrected")
        with open_store(review_settings(tmp_path).database_url).session() as session:
            decision = session.scalar(select(Decision))
            final = [(line["cpt"], line["units"], line["modifiers"], line["origin"]) for line in decision.final_lines]
            assert final == [("97530", 2, ["GO", "KX"], 1), ("97530", 1, ["GO"], 2), ("97140", 1, ["GO"], None)]
            assert decision.suggestion["lines"][1]["cpt"] == "97110"  # the suggestion as it was
            assert decision.coder.username == "kim" and decision.outcome == "corrected"
        shown = decision_form(kim.get(f"/review/notes/{note_id}").text)
        assert line_codes(shown) == ["97530", "97530", "97140"]


def test_dismissing_a_warning_needs_a_reason_and_is_kept(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = _signed_in(app, "kim")
        note_id = paste(kim, WARNED_TEXT, icd10="M62.81")
        page = kim.get(f"/review/notes/{note_id}").text
        form = decision_form(page)
        index = re.search(r'name="warn-(\d+)-reason"[^>]*reason for dismissing NONSPECIFIC_DIAGNOSIS', page).group(1)
        form[f"warn-{index}-dismiss"] = "1"
        refused = _save(kim, note_id, form)
        assert refused.status_code == 422
        assert f"warn-{index}-reason: say why NONSPECIFIC_DIAGNOSIS is dismissed" in refused.text
        form[f"warn-{index}-reason"] = "functional deficits documented: dressing min A"
        assert _save(kim, note_id, form).status_code == 303
        again = kim.get(f"/review/notes/{note_id}").text
        assert "functional deficits documented: dressing min A" in again
        assert decision_form(again)[f"warn-{index}-dismiss"] == "1"


@pytest.mark.parametrize("field, value, problem", [
    ("line-1-cpt", "9711", "line-1-cpt: a CPT/HCPCS code is five characters"),
    ("line-1-units", "0", "line-1-units: units are a whole number from 1 to 99"),
    ("line-1-units", "two", "line-1-units: units are a whole number"),
    ("line-1-modifiers", "GOO", "line-1-modifiers: modifiers are two letters or digits each"),
])
def test_bad_values_get_one_line_naming_the_field_and_keep_what_was_typed(tmp_path, field, value, problem):
    with running(tmp_path, "kim") as app:
        kim = _signed_in(app, "kim")
        note_id = paste(kim, SAMPLE["text"])
        form = decision_form(kim.get(f"/review/notes/{note_id}").text)
        form[field] = value
        refused = _save(kim, note_id, form)
        assert refused.status_code == 422 and problem in refused.text and "Traceback" not in refused.text
        assert decision_form(refused.text)[field] == value.upper()[:16] if field.endswith("cpt") else value
        assert 'data-testid="status">to review' in kim.get(f"/review/notes/{note_id}").text


def test_two_coders_at_once_the_second_gets_a_conflict_and_loses_nothing(tmp_path):
    with running(tmp_path, "kim", "lee") as app:
        kim, lee = _signed_in(app, "kim"), _signed_in(app, "lee")
        note_id = paste(kim, SAMPLE["text"])
        kims = decision_form(kim.get(f"/review/notes/{note_id}").text)
        lees = decision_form(lee.get(f"/review/notes/{note_id}").text)  # both opened version 0
        kims["line-1-cpt"] = "97530"
        lees["line-2-cpt"] = "97535"
        assert _save(kim, note_id, kims).status_code == 303
        conflict = _save(lee, note_id, lees)
        assert conflict.status_code == 409
        assert "Kim decided this note first" in conflict.text
        kept = decision_form(conflict.text)
        assert kept["line-2-cpt"] == "97535" and kept["version"] == "1"  # Lee's lines, ready to save on purpose
        with open_store(review_settings(tmp_path).database_url).session() as session:
            decisions = list(session.scalars(select(Decision).order_by(Decision.id)))
            assert [(d.coder.username, d.rejected) for d in decisions] == [("kim", False), ("lee", True)]
            assert decisions[1].final_lines[2]["cpt"] == "97535"  # the refused attempt is stored
            assert session.get(ReviewNote, note_id).decided_by == decisions[0].coder_id
        assert "97530" in line_codes(decision_form(kim.get(f"/review/notes/{note_id}").text))
        replaced = _save(lee, note_id, kept)  # Lee saw the conflict and saves again: now it is Lee's decision
        assert replaced.status_code == 303
        assert "by <strong>Lee</strong>" in lee.get(f"/review/notes/{note_id}").text


def test_simultaneous_saves_exactly_one_wins(tmp_path):
    with running(tmp_path, "kim", "lee") as app:
        kim = _signed_in(app, "kim")
        note_id = paste(kim, SAMPLE["text"])
    store = open_store(review_settings(tmp_path).database_url)
    with store.session() as session:
        suggestion = session.get(ReviewNote, note_id).suggestion
        coders = {c.username: c.id for c in session.scalars(select(Coder))}
    start = threading.Barrier(8)
    results = []

    def save(name):
        draft = read_draft({}, suggestion)  # removes every line: a decision like any other
        start.wait()
        results.append(decide(store, note_id, SignedIn(coders[name], name, name, ""), draft, 0))

    threads = [threading.Thread(target=save, args=(["kim", "lee"][i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [r for r in results if isinstance(r, Decision)]
    assert len(results) == 8 and len(winners) == 1
    with store.session() as session:
        assert session.get(ReviewNote, note_id).version == 1
        assert len(list(session.scalars(select(Decision).where(Decision.rejected.is_(True))))) == 7


def test_read_draft_is_strict_about_rows_and_lenient_about_spacing():
    suggestion = {"lines": [{"cpt": "97110", "units": 2, "modifiers": ["GO"], "minutes": 30, "icd10": ["M25.611"]}],
                  "warnings": [{"code": "MISSING_TOTAL_TIME", "severity": "warning", "message": "m", "evidence": []}]}
    draft = read_draft({"line-0-cpt": " 97110 ", "line-0-units": "2", "line-0-modifiers": "go", "line-0-origin": "0",
                        "line-1-cpt": "", "line-1-origin": ""}, suggestion)
    assert draft.outcome(suggestion) == "accepted" and len(draft.lines) == 1
    added = read_draft({"line-5-cpt": "97535", "line-5-units": "1", "line-5-origin": "9"}, suggestion)
    assert added.lines[0]["origin"] is None and added.lines[0]["icd10"] == ["M25.611"]
    assert Draft(lines=[], dismissed=[]).outcome(suggestion) == "corrected"
    with pytest.raises(DraftError) as error:
        read_draft({"warn-0-dismiss": "1", "warn-0-reason": "x" * 501}, suggestion)
    assert error.value.field == "warn-0-reason"
