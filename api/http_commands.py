"""`notecode serve`, `notecode http-bench` and `notecode hash-key`: the HTTP API's commands.

api/cli.py calls `register(app)`. uvicorn, FastAPI and the pipeline are imported inside the commands, so the
rest of the CLI starts as fast as before.
"""

from __future__ import annotations

import logging
import logging.config
import sys
from typing import Annotated

import typer

log = logging.getLogger("notecode.http")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("http-bench")(http_bench)
    app.command("hash-key")(hash_key)


def serve(
    host: Annotated[str, typer.Option(help="address to bind; 127.0.0.1 is forced when no API key is configured")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="worker processes; each loads its own pipeline")] = 1,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error")] = "info",
) -> None:
    """Serve the HTTP API (FastAPI under uvicorn). Settings come from NOTECODE_* environment variables."""
    import uvicorn

    from api.http_api.security import KeyConfigError, key_ring
    from api.http_api.settings import get_settings
    from api.http_serve import APP_FACTORY, HTTP_PROTOCOL, bind_host, log_config
    from api.review.setup import prepare_database as prepare_review_database

    logging.config.dictConfig(log_config(log_level))
    try:
        keys = key_ring(get_settings()).keys
        prepare_review_database()  # migrated once here, before the workers start
    except (KeyConfigError, ValueError) as exc:  # pydantic's ValidationError and ReviewStoreError are ValueErrors
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    bound, warning = bind_host(host, keys_configured=bool(keys))
    if warning:
        log.warning(warning)
    uvicorn.run(APP_FACTORY, factory=True, host=bound, port=port, workers=workers, access_log=False,
                log_config=log_config(log_level), log_level=log_level.lower(), http=HTTP_PROTOCOL)


def http_bench(
    rate: Annotated[float, typer.Option(min=1, help="requests per second to offer")] = 100.0,
    seconds: Annotated[float, typer.Option(min=1, max=120, help="how long to offer them")] = 10.0,
    workers: Annotated[list[int] | None, typer.Option("--workers", help="worker counts to try, in turn")] = None,
) -> None:
    """Load-test /v1/suggest on 127.0.0.1: start uvicorn with 1 then 2 workers, offer a fixed request rate,
    print requests/s and p50/p99 latency for each."""
    from api.http_bench import run_http_bench

    for result in run_http_bench(workers or [1, 2], rate=rate, seconds=seconds):
        typer.echo(result.report())


def hash_key() -> None:
    """Print the sha256 digest to configure for an API key read from standard input (not from the command
    line, where it would stay in the shell's history)."""
    from api.http_api.security import hash_key as digest

    key = sys.stdin.readline().strip()
    if not key:
        typer.echo("error: no key on standard input", err=True)
        raise typer.Exit(2)
    typer.echo(digest(key))
