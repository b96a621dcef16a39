"""API keys: 401 without a known key, 403 without the route's scope; key configuration; binding when open."""

from __future__ import annotations

import logging

import pytest
from test_http_support import KEYS, assert_problem, client, note, settings
from typer import Typer
from typer.testing import CliRunner

from api.http_api.security import KeyConfigError, hash_key, key_ring, parse_entry
from api.http_commands import register
from api.http_serve import bind_host

ROUTES = [("post", "/v1/suggest", "suggest"), ("post", "/v1/suggest/batch", "suggest"), ("get", "/v1/codes", "read"),
          ("get", "/v1/payers", "read"), ("get", "/cds-services", "cds"),
          ("post", "/cds-services/notecode-charge-review", "cds"),
          ("post", "/cds-services/notecode-charge-review/feedback", "cds")]


@pytest.mark.parametrize("method, path, scope", ROUTES, ids=[p for _, p, _ in ROUTES])
def test_every_route_needs_a_key_with_its_scope(method, path, scope):
    with client() as http:
        missing = getattr(http, method)(path, headers={"X-API-Key": ""})
        assert_problem(missing, 401)
        assert missing.headers["www-authenticate"].startswith("APIKey")
        assert_problem(getattr(http, method)(path, headers={"X-API-Key": "not-a-key"}), 401)
        other = "reader" if scope != "read" else "cds"
        problem = assert_problem(getattr(http, method)(path, headers={"X-API-Key": KEYS[other]}), 403)
        assert scope in problem["detail"]


def test_the_right_scope_is_enough():
    with client() as http:
        assert http.get("/v1/codes", headers={"X-API-Key": KEYS["reader"]}).status_code == 200
        assert http.get("/cds-services", headers={"X-API-Key": KEYS["cds"]}).status_code == 200
        assert http.post("/v1/suggest", json=note()).status_code == 200


def test_with_no_key_configured_the_api_is_open():
    with client(api_keys="") as http:
        assert http.post("/v1/suggest", json=note(), headers={"X-API-Key": ""}).status_code == 200


def test_keys_from_a_file(tmp_path):
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# EHR plugin\nplugin:{hash_key('file-key')}:suggest\n\n")
    with client(api_keys="", api_keys_file=keys) as http:
        assert http.post("/v1/suggest", json=note(), headers={"X-API-Key": "file-key"}).status_code == 200
        assert_problem(http.get("/v1/codes", headers={"X-API-Key": "file-key"}), 403)


@pytest.mark.parametrize("entry, problem", [
    ("plugin:abc:suggest", "64 hex"),
    (f"plugin:{hash_key('k')}:admin", "scopes"),
    (f"plugin:{hash_key('k')}", "expected name"),
    (f":{hash_key('k')}:read", "no name"),
])
def test_malformed_key_entries_are_refused(entry, problem):
    with pytest.raises(KeyConfigError, match=problem):
        parse_entry(entry, "test")


def test_duplicate_key_names_are_refused_at_start_up():
    with pytest.raises(KeyConfigError, match="unique"):
        key_ring(settings(api_keys=f"a:{hash_key('1')}:read,a:{hash_key('2')}:read"))


def test_the_ring_matches_the_presented_key_by_digest():
    ring = key_ring(settings())
    assert ring.match(KEYS["cds"]).name == "cds"
    assert ring.match("nope") is None
    assert all(k.digest != KEYS["cds"].encode() for k in ring.keys)  # only digests are held


def test_open_api_binds_to_loopback_only():
    assert bind_host("0.0.0.0", keys_configured=False)[0] == "127.0.0.1"
    assert "127.0.0.1" in bind_host("0.0.0.0", keys_configured=False)[1]
    assert bind_host("::1", keys_configured=False) == ("::1", bind_host("::1", False)[1])
    assert bind_host("0.0.0.0", keys_configured=True) == ("0.0.0.0", None)


def test_serve_command_forces_loopback_and_warns_without_keys(monkeypatch, caplog):
    calls = {}
    monkeypatch.setattr("uvicorn.run", lambda target, **kwargs: calls.update(target=target, **kwargs))
    monkeypatch.setattr("logging.config.dictConfig", lambda config: None)  # keep pytest's logging as it is
    monkeypatch.setenv("NOTECODE_API_KEYS", "")
    monkeypatch.delenv("NOTECODE_API_KEYS_FILE", raising=False)
    from api.http_api.settings import get_settings
    get_settings.cache_clear()
    app = Typer()
    register(app)
    with caplog.at_level(logging.WARNING, logger="notecode.http"):
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "2"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8123 and calls["workers"] == 2 and calls["factory"]
    assert any("127.0.0.1" in r.getMessage() and "no API keys" in r.getMessage() for r in caplog.records)


def test_serve_command_refuses_malformed_keys(monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("must not start"))
    monkeypatch.setattr("logging.config.dictConfig", lambda config: None)
    monkeypatch.setenv("NOTECODE_API_KEYS", "plugin:nothex:suggest")
    from api.http_api.settings import get_settings
    get_settings.cache_clear()
    app = Typer()
    register(app)
    result = CliRunner().invoke(app, ["serve"])
    get_settings.cache_clear()
    assert result.exit_code == 2 and "64 hex" in result.output


def test_hash_key_command_reads_the_key_from_stdin():
    app = Typer()
    register(app)
    result = CliRunner().invoke(app, ["hash-key"], input="my-secret\n")
    assert result.exit_code == 0 and result.output.strip() == hash_key("my-secret")
    assert "my-secret" not in result.output
