"""Bad requests of every kind get application/problem+json naming the field and the problem."""

from __future__ import annotations

import pytest
from test_http_support import assert_problem, client, note

from api.http_api.engine import get_engine

SUGGEST_CASES = {
    "missing text and services": ({"id": "x", "payer": "medicare"}, "body"),
    "text of the wrong type": ({"text": 5}, "text"),
    "minutes of the wrong type": ({"services": [{"cpt": "97110", "minutes": "ten"}]}, "services.0.minutes"),
    "negative minutes": ({"services": [{"cpt": "97110", "minutes": -5}]}, "services.0.minutes"),
    "malformed CPT": ({"services": [{"cpt": "ABC", "minutes": 15}]}, "services.0.cpt"),
    "CPT not in the code table": ({"services": [{"cpt": "99999", "minutes": 15}]}, "services.0.cpt"),
    "unknown payer": ({"text": "Ther ex 8 min.", "payer": "acme"}, "payer"),
    "malformed date": ({"text": "Ther ex 8 min.", "date_of_service": "02/11/2026"}, "date_of_service"),
    "impossible date": ({"text": "Ther ex 8 min.", "date_of_service": "2026-02-30"}, "date_of_service"),
    "unknown discipline": ({"text": "Ther ex 8 min.", "discipline": "RT"}, "discipline"),
    "icd10 not a list": ({"text": "Ther ex 8 min.", "icd10": "S52.501D"}, "icd10"),
    "unknown field": ({"text": "Ther ex 8 min.", "colour": "blue"}, "colour"),
    "empty text": ({"text": "   "}, "text"),
    "binary text": ({"text": "Ther ex\x00 8 min"}, "text"),
    "an array, not an object": ([{"text": "Ther ex 8 min."}], "body"),
}


@pytest.mark.parametrize("body, field", SUGGEST_CASES.values(), ids=SUGGEST_CASES.keys())
def test_bad_note_names_the_field(body, field):
    with client() as http:
        problem = assert_problem(http.post("/v1/suggest", json=body), 422, field)
    assert problem["detail"] and all(e["problem"] for e in problem["errors"])


@pytest.mark.parametrize("content, content_type", [
    (b'{"text": "Ther ex 8 min."', "application/json"),
    (b"Ther ex 8 min.", "text/plain"),
    (b"", "application/json"),
], ids=["truncated JSON", "plain text", "empty body"])
def test_not_json(content, content_type):
    with client() as http:
        assert_problem(http.post("/v1/suggest", content=content, headers={"content-type": content_type}), 422, "body")


def test_body_that_is_not_utf8():
    with client() as http:
        response = http.post("/v1/suggest", content=b'{"text": "\xff\xfe"}',
                             headers={"content-type": "application/json"})
    assert_problem(response, 400, "body")


def test_batch_shape_errors():
    with client() as http:
        assert_problem(http.post("/v1/suggest/batch", json={"notes": "x"}), 422, "notes")
        assert_problem(http.post("/v1/suggest/batch", json={}), 422, "notes")
        assert_problem(http.post("/v1/suggest/batch", json=[note()]), 422, "body")


def test_unknown_route_and_wrong_method():
    with client() as http:
        assert_problem(http.get("/v2/suggest"), 404)
        wrong = http.get("/v1/suggest")
        assert_problem(wrong, 405)
        assert wrong.headers["allow"] == "POST"


class _Exploding:
    def suggest(self, raws, max_note_chars):
        raise RuntimeError("the reader choked on: " + raws[0].text)


def test_internal_error_is_a_bare_500_without_note_text_or_traceback(caplog):
    marker = "UNIQUE-500-MARKER-7d1f"
    with client() as http:
        http.app.dependency_overrides[get_engine] = _Exploding
        response = http.post("/v1/suggest", json=note(text=f"Ther ex 8 min. {marker}"))
    problem = assert_problem(response, 500)
    assert marker not in response.text and "Traceback" not in response.text and "RuntimeError" not in response.text
    assert problem["instance"].startswith("urn:uuid:")
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors and "RuntimeError" in errors[0].getMessage()
    assert all(marker not in r.getMessage() and not r.exc_info for r in caplog.records)
