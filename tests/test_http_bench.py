"""`notecode http-bench` starts uvicorn on 127.0.0.1, offers a bounded load and reports (a short smoke run)."""

from __future__ import annotations

from api.http_bench import run_http_bench


def test_http_bench_smoke():
    (result,) = run_http_bench([1], rate=20, seconds=1)
    assert result.sent == 20 and result.ok == 20 and result.failed == 0
    report = result.report()
    assert "workers=1" in report and "p50" in report and "p99" in report
    assert 0 < result.percentile(50) <= result.percentile(99)
