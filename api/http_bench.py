"""`notecode http-bench`: requests/s and latency of POST /v1/suggest under uvicorn, on 127.0.0.1 only.

For each worker count: start the server as a child process (a throwaway API key, a rate limit out of the way),
wait until /readyz answers, warm up, then offer `rate` requests a second for `seconds` seconds on a fixed
schedule (open loop: a slow answer does not delay the next request), and stop the server. Latency is measured
from each request's scheduled time, so queueing in an overloaded server shows up in it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx

from api.http_api.examples import TYPICAL_NOTE
from api.http_api.security import hash_key
from api.http_serve import APP_FACTORY, HTTP_PROTOCOL, LOOPBACK

READY_TIMEOUT_SECONDS = 120.0
REQUEST_TIMEOUT_SECONDS = 30.0
WARMUP_REQUESTS = 20


@dataclass
class HttpBenchResult:
    workers: int
    offered_rate: float
    sent: int
    ok: int
    failed: int
    elapsed: float
    latencies_ms: list[float]
    load_before: float  # the machine's 1-minute load average as the run began: other work skews the figures

    @property
    def requests_per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[round(q) - 1]

    def report(self) -> str:
        return (f"workers={self.workers}: offered {self.offered_rate:g} req/s, sent {self.sent}, ok {self.ok}, "
                f"failed {self.failed}; {self.requests_per_second:.1f} req/s answered; "
                f"latency p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms "
                f"(load average before: {self.load_before:.2f} on {os.cpu_count()} CPUs)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _start_server(port: int, workers: int, key: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NOTECODE_API_KEYS": f"bench:{hash_key(key)}:suggest",
           "NOTECODE_RATE_LIMIT_PER_SECOND": "1000000", "NOTECODE_RATE_LIMIT_BURST": "1000000"}
    command = [sys.executable, "-m", "uvicorn", APP_FACTORY, "--factory", "--host", LOOPBACK, "--port", str(port),
               "--workers", str(workers), "--no-access-log", "--log-level", "warning", "--http", HTTP_PROTOCOL]
    # a session of its own, so stopping it reaches the worker processes too
    return subprocess.Popen(command, env=env, start_new_session=True)


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode} before it was ready")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the server was not ready after {READY_TIMEOUT_SECONDS:g} s")


async def _offer_load(base: str, key: str, rate: float, seconds: float, workers: int) -> HttpBenchResult:
    headers = {"X-API-Key": key}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=REQUEST_TIMEOUT_SECONDS) as client:
        for _ in range(WARMUP_REQUESTS):
            (await client.post("/v1/suggest", json=TYPICAL_NOTE)).raise_for_status()
        total = int(rate * seconds)
        load_before = os.getloadavg()[0]
        start = time.perf_counter() + 0.1
        latencies: list[float] = []
        failures = 0

        async def one(index: int) -> None:
            nonlocal failures
            scheduled = start + index / rate
            await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            try:
                response = await client.post("/v1/suggest", json=TYPICAL_NOTE)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - scheduled) * 1000)
            else:
                failures += 1

        await asyncio.gather(*(one(i) for i in range(total)))
        elapsed = time.perf_counter() - start
    return HttpBenchResult(workers=workers, offered_rate=rate, sent=total, ok=len(latencies), failed=failures,
                           elapsed=elapsed, latencies_ms=sorted(latencies), load_before=load_before)


def run_http_bench(worker_counts: list[int], rate: float = 100.0, seconds: float = 10.0) -> list[HttpBenchResult]:
    results = []
    for workers in worker_counts:
        key = secrets.token_urlsafe(24)
        port = _free_port()
        base = f"http://{LOOPBACK}:{port}"
        server = _start_server(port, workers, key)
        try:
            _wait_ready(base, server)
            results.append(asyncio.run(_offer_load(base, key, rate, seconds, workers)))
        finally:
            _stop_server(server)
    return results
