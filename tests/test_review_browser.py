"""The review page in a real browser: Debian's headless Chromium driven by Playwright (which never downloads a
browser here). Sign in, paste a note, see its spans highlighted, correct a line, accept with the keyboard,
reload and see the decision kept, export it; a second coder gets the conflict. Saves docs/review.png."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from review_support import ROOT, SAMPLE, add_coder, make_app

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "review.png"
# the sample note with a bundled hot pack and no total time, so the screenshot shows warnings too
REVIEWED_TEXT = (SAMPLE["text"].replace("prior to tx.", "prior to tx. Hot pack R forearm 8 min.")
                 .replace("Total tx time 45 min. ", ""))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                 "(`make browser` installs it)")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app under uvicorn on a loopback port, in a thread of this process."""
    folder = tmp_path_factory.mktemp("review-browser")
    add_coder(folder, "kim", "Kim Lee")
    add_coder(folder, "lee", "Lee Park")
    port = _free_port()
    config = uvicorn.Config(make_app(folder), host="127.0.0.1", port=port, log_level="warning", ws="none",
                            http="h11", lifespan="on")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not runner.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    runner.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _signed_in(chromium, server, username):
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server}/review/queue")
    assert page.url.startswith(f"{server}/review/login")  # no session: the sign-in page, not the queue
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/review/queue")
    return page


def test_review_a_note_in_the_browser(chromium, server):
    kim = _signed_in(chromium, server, "kim")
    kim.fill("textarea[name=text]", REVIEWED_TEXT)
    kim.fill("input[name=icd10]", "S52.501D")
    kim.fill("input[name=note_id]", "sample-1")
    kim.fill("input[name=date_of_service]", "2026-11-02")
    kim.click("text=Suggest and review")
    kim.wait_for_url(f"{server}/review/notes/*")
    note_url = kim.url

    # every line's evidence is highlighted in its code's colour; minutes, parameters and measurements marked
    pieces = kim.locator(".note-text .ev.code-97110.k-line")
    assert "".join(pieces.all_text_contents()).startswith("Ther ex 18 min: tendon glides 2x10")
    assert kim.locator(".note-text .ev.code-97530.k-line").count() > 0
    assert kim.locator(".note-text .ev.code-97018.k-line").count() > 0
    assert kim.locator(".note-text .ev.k-minutes").first.text_content() == "10 min"
    assert kim.locator(".note-text .ev.k-parameter", has_text="2x10").count() == 1
    assert kim.locator(".note-text .ev.k-measurement", has_text="Grip R 28 lb").count() == 1
    warning = kim.locator("li.warning", has_text="BUNDLED_SERVICE")
    assert "Hot pack R forearm 8 min" in warning.locator(".quote").text_content()
    warning.hover()
    assert "".join(kim.locator(".note-text .ev.lit").all_text_contents()) == "Hot pack R forearm 8 min"

    # a second coder opens the same note before the first saves
    lee = _signed_in(chromium, server, "lee")
    lee.goto(note_url)

    # hovering a line lights its evidence and shows its rationale
    row = kim.locator("tr.line[data-ref=line-1]")
    row.hover()
    assert "".join(kim.locator(".note-text .ev.lit").all_text_contents()).startswith("Ther ex 18 min")
    assert "CMS 8-minute rule: 18 of 30 pooled timed minutes" in kim.locator("#why").text_content()

    # correct the line: e focuses the first code, then the second line's code and units
    kim.keyboard.press("e")
    assert kim.evaluate("document.activeElement.name") == "line-0-cpt"
    kim.mouse.move(0, 0)
    lit = "".join(kim.locator(".note-text .ev.lit").all_text_contents())
    assert lit == "Paraffin R hand/wrist x 10 min prior to tx"  # focus lights the evidence like hover
    kim.click("#add-line")  # a new row, focused, numbered after the others
    assert kim.evaluate("document.activeElement.name") == "line-3-cpt"
    kim.keyboard.type("97535")
    kim.fill("input[name=line-3-modifiers]", "GO")
    kim.fill("input[name=line-1-cpt]", "97530")
    kim.fill("input[name=line-1-units]", "1")
    kim.locator("input[name=line-1-units]").blur()  # no focus ring or caret in the picture
    kim.mouse.move(0, 0)
    row.hover()
    kim.wait_for_timeout(300)  # let the hover's highlight settle before the picture
    assert kim.locator(".note-text .ev.lit").count() > 0
    SCREENSHOT.parent.mkdir(exist_ok=True)
    kim.screenshot(path=str(SCREENSHOT), full_page=True, animations="disabled", caret="hide")
    kim.keyboard.press("Escape")
    kim.keyboard.press("a")  # accept
    kim.wait_for_url("**flash=corrected")
    assert "Saved: corrected." in kim.locator(".flash").text_content()

    # reload: the decision is kept
    kim.goto(note_url)
    assert kim.locator("[data-testid=status]").text_content() == "corrected"
    assert kim.input_value("input[name=line-1-cpt]") == "97530"
    assert kim.input_value("input[name=line-3-cpt]") == "97535"
    assert "Corrected by Kim Lee" in kim.locator("[data-testid=decision]").text_content()
    kim.keyboard.press("?")
    assert kim.locator("#help").is_visible()
    kim.keyboard.press("Escape")
    assert not kim.locator("#help").is_visible()

    # the second coder's save is refused with a clear message; their lines stay in the form
    lee.fill("input[name=line-2-units]", "2")
    lee.click("[data-testid=accept]")
    lee.wait_for_selector("[data-testid=conflict]")
    assert "Kim Lee decided this note first" in lee.locator("[data-testid=conflict]").text_content()
    assert lee.input_value("input[name=line-2-units]") == "2"

    # export: the corrections file add-corrections takes
    with kim.expect_download() as download:
        kim.click("text=Corrections JSONL")
    rows = [json.loads(line) for line in Path(download.value.path()).read_text().splitlines()]
    assert rows == [{"text": "Ther ex 18 min: tendon glides 2x10, wrist flex/ext AROM 2x15, sup/pron with 1# hammer "
                             "2x10", "code": "97530"}]
    for page in (kim, lee):
        page.context.close()


def test_signed_out_browser_never_sees_a_note(chromium, server):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{server}/review/notes/1")
    assert "/review/login" in page.url and page.locator(".note-text").count() == 0
    page.fill("input[name=username]", "kim")
    page.fill("input[name=password]", "a wrong password")
    page.click("button[type=submit]")
    assert "Wrong username or password" in page.locator(".error").text_content()
    assert page.locator(".note-text").count() == 0
    context.close()
