"""PHI: note text, span text and diagnoses never reach a log record or an error body."""

from __future__ import annotations

import base64
import json
import logging

from test_http_support import cds_request, client, note

from api.http_api.engine import get_engine

MARKER = "PHI-MARKER-5f0c2e9a"
DIAGNOSIS = "M79.641"
TEXT = f"Pt {MARKER} reports hand pain. Ther ex 15 min: putty 3x10 for {MARKER}. Total treatment time 15 min."


class _Exploding:
    def suggest(self, raws, max_note_chars):
        raise ValueError(f"cannot read {raws[0].text}")


def _requests(http):
    """Every kind of request, good and bad, each carrying the marker; yields the responses."""
    good = note(text=TEXT, icd10=[DIAGNOSIS])
    yield http.post("/v1/suggest", json=good)
    yield http.post("/v1/suggest", json={**good, "payer": "acme"})
    yield http.post("/v1/suggest", json={**good, "services": [{"cpt": "97110", "minutes": "ten"}]})
    yield http.post("/v1/suggest", json={**good, "total_treatment_minutes": 15.5})
    yield http.post("/v1/suggest", content=json.dumps(good)[:-5].encode(), headers={"content-type": "application/json"})
    yield http.post("/v1/suggest", content=TEXT.encode(), headers={"content-type": "text/plain"})
    yield http.post("/v1/suggest", json={**good, "text": TEXT * 500})  # over the note length limit
    yield http.post("/v1/suggest", json={**good, "text": TEXT * 5000})  # over the body size limit
    yield http.post("/v1/suggest/batch", json={"notes": [{**good, "id": "a"}, {**good, "id": "b", "payer": "x"},
                                                         {"text": TEXT}]})
    call = cds_request(TEXT)
    yield http.post("/cds-services/notecode-charge-review", json=call)
    yield http.post("/cds-services/notecode-charge-review",
                    json={**call, "context": {**call["context"], "billing": {"discipline": MARKER}}})
    bad_document = cds_request()
    bad_document["prefetch"]["note"]["content"][0]["attachment"] = {
        "contentType": "text/html", "data": base64.b64encode(TEXT.encode()).decode()}
    yield http.post("/cds-services/notecode-charge-review", json=bad_document)
    yield http.post("/cds-services/notecode-charge-review/feedback", json={"feedback": [{
        "card": "c", "outcome": "overridden", "outcomeTimestamp": "2026-11-02T10:00:00Z",
        "overrideReason": {"userComment": f"{MARKER} {DIAGNOSIS}"}}]})
    http.app.dependency_overrides[get_engine] = _Exploding
    yield http.post("/v1/suggest", json=good)


def test_marker_and_diagnosis_appear_in_no_log_record_and_no_error_body(caplog):
    caplog.set_level(logging.DEBUG)
    with client(max_note_chars=5_000, max_body_bytes=200_000) as http:
        responses = list(_requests(http))
        feedback = json.dumps(http.app.state.feedback.recent())
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 422, 422, 422, 422, 422, 422, 413, 200, 200, 422, 422, 200, 500]
    for response in responses:
        if response.status_code >= 400:
            assert MARKER not in response.text and DIAGNOSIS not in response.text, response.text
    batch_errors = [item for item in responses[8].json()["suggestions"] if "error" in item]
    assert len(batch_errors) == 2 and MARKER not in json.dumps(batch_errors)
    assert MARKER not in feedback and DIAGNOSIS not in feedback
    assert any(r.name == "notecode.http.access" for r in caplog.records)  # the access log did run
    for record in caplog.records:
        logged = " ".join([record.getMessage(), str(record.args), record.exc_text or "", str(record.__dict__)])
        assert MARKER not in logged and DIAGNOSIS not in logged, record.getMessage()
