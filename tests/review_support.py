"""Shared helpers for the review page tests (no tests here): an app on a temporary database, coders, sign-in,
and reading the page's forms."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_http_support import settings

from api.http_api import create_app
from api.http_api.settings import get_settings
from api.review.settings import ReviewSettings, get_review_settings
from api.review.store import open_store
from api.review.users import add_user

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
SAMPLE = json.loads((ROOT / "tests" / "data" / "sample_note.json").read_text())
# with ICD-10 M62.81: a bundled hot pack, too few minutes for 97535, no total time, no parameters, no measure
WARNED_TEXT = ("Hot pack R shoulder 10 min.\nTher ex 12 min: shoulder flexion AROM.\n"
               "Self-care training 10 min: UB dressing with button hook, min A.\nGoal: dress independently.")


def review_settings(tmp_path: Path, **overrides: Any) -> ReviewSettings:
    return ReviewSettings(db=str(tmp_path / "review.db"), **overrides)


def make_app(tmp_path: Path, **overrides: Any) -> FastAPI:
    app = create_app()
    chosen = review_settings(tmp_path, **overrides)
    api_settings = settings()
    app.dependency_overrides[get_settings] = lambda: api_settings
    app.dependency_overrides[get_review_settings] = lambda: chosen
    return app


def add_coder(tmp_path: Path, username: str, name: str = "") -> None:
    store = open_store(review_settings(tmp_path).database_url)
    add_user(store, username, PASSWORD, name or username.title())
    store.close()


@contextmanager
def running(tmp_path: Path, *coders: str, **overrides: Any) -> Iterator[FastAPI]:
    """The app with its lifespan running and these coders' accounts."""
    for coder in coders:
        add_coder(tmp_path, coder)
    app = make_app(tmp_path, **overrides)
    with TestClient(app):
        yield app


def browser(app: FastAPI) -> TestClient:
    """A client of an app whose lifespan is already running (another 'browser', with its own cookies)."""
    return TestClient(app, base_url="http://testserver")


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no {name} field on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_path: str = "/review/queue") -> Any:
    page = client.get("/review/login")
    return client.post("/review/login", data={"username": username, "password": password, "next": next_path,
                                              "csrf_token": hidden(page.text, "csrf_token")}, follow_redirects=False)


def csrf(client: TestClient) -> str:
    return hidden(client.get("/review/queue").text, "csrf_token")


def paste(client: TestClient, text: str, note_id: str = "", **fields: str) -> int:
    """Paste a note; returns its queue id."""
    data = {"csrf_token": csrf(client), "text": text, "discipline": "OT", "payer": "medicare",
            "date_of_service": "2026-11-02", "icd10": "", "note_id": note_id, **fields}
    response = client.post("/review/import/paste", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return int(response.headers["location"].rsplit("/", 1)[1])


class _FormReader(HTMLParser):
    """The named inputs of the decision form, as a browser would send them (checkboxes only when checked)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._in_template = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == "decision-form":
            self._in_form = True
        elif tag == "template":
            self._in_template = True
        elif tag == "input" and self._in_form and not self._in_template and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.values[a["name"] or ""] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "template":
            self._in_template = False


def decision_form(html: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html)
    return reader.values


def line_codes(form: dict[str, str]) -> list[str]:
    numbers = sorted(int(m.group(1)) for key in form if (m := re.match(r"^line-(\d+)-cpt$", key)))
    return [form[f"line-{n}-cpt"] for n in numbers if not form.get(f"line-{n}-remove")]
