"""Each limit answers clearly: body size (413), notes per batch and note length (422), rate (429), time (503)."""

from __future__ import annotations

import json
import time

from test_http_support import assert_problem, client, note

from api.http_api.engine import get_engine
from api.http_api.ratelimit import TokenBuckets


def test_body_over_the_limit_is_413_from_content_length():
    with client(max_body_bytes=1_000) as http:
        problem = assert_problem(http.post("/v1/suggest", json=note(text="Ther ex 8 min. " * 200)), 413, "body")
        assert "1,000 bytes" in problem["detail"]
        assert http.post("/v1/suggest", json=note(text="Ther ex 8 min.")).status_code == 200


def test_body_over_the_limit_is_413_while_streaming_without_content_length():
    body = json.dumps(note(text="Ther ex 8 min. " * 200)).encode()

    def chunks():
        for start in range(0, len(body), 256):
            yield body[start:start + 256]

    with client(max_body_bytes=1_000) as http:
        response = http.post("/v1/suggest", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "body")


def test_too_many_notes_in_a_batch():
    notes = [note(id=str(i)) for i in range(3)]
    with client(max_batch_notes=2) as http:
        problem = assert_problem(http.post("/v1/suggest/batch", json={"notes": notes}), 422, "notes")
        assert "at most 2" in problem["errors"][0]["problem"]
        assert http.post("/v1/suggest/batch", json={"notes": notes[:2]}).status_code == 200


def test_note_over_the_length_limit():
    long_text = "Ther ex 8 min. " * 10
    with client(max_note_chars=100) as http:
        problem = assert_problem(http.post("/v1/suggest", json=note(text=long_text)), 422, "text")
        assert "limit is 100" in problem["detail"]
        batch = http.post("/v1/suggest/batch", json={"notes": [note(id="long", text=long_text),
                                                               note(id="short", text="Ther ex 8 min.")]})
    first, second = batch.json()["suggestions"]
    assert first["error"]["field"] == "text" and "lines" in second


def test_rate_limit_per_key_with_retry_after():
    with client(rate_limit_per_second=0.01, rate_limit_burst=2) as http:
        assert http.get("/v1/codes").status_code == 200
        assert http.get("/v1/codes").status_code == 200
        limited = http.get("/v1/codes")
        assert_problem(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1
        other_key = http.get("/v1/codes", headers={"X-API-Key": "reader-secret-key"})
        assert other_key.status_code == 200  # each key has its own bucket
        assert http.get("/healthz").status_code == 200  # health is never limited


def test_token_bucket_refills():
    now = [0.0]
    buckets = TokenBuckets(clock=lambda: now[0])
    assert buckets.take("k", rate=2.0, burst=1) == 0.0
    assert buckets.take("k", rate=2.0, burst=1) == 0.5
    now[0] = 0.5
    assert buckets.take("k", rate=2.0, burst=1) == 0.0


class _Slow:
    def suggest(self, raws, max_note_chars):
        time.sleep(0.6)
        raise AssertionError("answered after the timeout: this answer must be dropped")


def test_request_past_the_timeout_gets_503_with_retry_after():
    with client(request_timeout_seconds=0.1) as http:
        http.app.dependency_overrides[get_engine] = _Slow
        started = time.perf_counter()
        response = http.post("/v1/suggest", json=note())
        elapsed = time.perf_counter() - started
        problem = assert_problem(response, 503)
        assert "0.1 s" in problem["detail"] and response.headers["retry-after"] == "1"
        assert elapsed < 0.5
        assert http.get("/healthz").status_code == 200
