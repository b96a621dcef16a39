"""Review page sign-in: argon2 passwords, database sessions with expiry, cookie flags, CSRF, throttling.
A wrong password, an expired session or no session never shows a note."""

from __future__ import annotations

import datetime as dt

from review_support import PASSWORD, SAMPLE, browser, csrf, paste, review_settings, running, sign_in
from sqlalchemy import select, update
from test_http_support import KEYS, assert_problem
from typer import Typer
from typer.testing import CliRunner

from api.review.models import Coder, LoginSession
from api.review.store import open_store
from api.review_commands import register

SECRET_WORDS = "tendon glides"  # words of the sample note that must not appear where no note may be shown


def _store(tmp_path):
    return open_store(review_settings(tmp_path).database_url)


def test_without_a_session_every_page_sends_to_sign_in(tmp_path):
    with running(tmp_path, "kim") as app:
        kim = browser(app)
        assert sign_in(kim, "kim").status_code == 303
        note_id = paste(kim, SAMPLE["text"])
        stranger = browser(app)
        for path in (f"/review/notes/{note_id}", "/review/queue", "/review/agreement",
                     "/review/export/corrections.jsonl", "/review/export/decisions.csv"):
            answer = stranger.get(path, follow_redirects=False)
            assert answer.status_code == 303
            assert answer.headers["location"].startswith("/review/login?next=")
            assert SECRET_WORDS not in answer.text
        posted = stranger.post(f"/review/notes/{note_id}/decision", data={"version": "0"}, follow_redirects=False)
        assert posted.status_code == 303 and posted.headers["location"].startswith("/review/login")


def test_a_wrong_password_shows_no_note_and_sets_no_session(tmp_path):
    with running(tmp_path, "kim") as app:
        client = browser(app)
        answer = sign_in(client, "kim", "not the password", next_path="/review/notes/1")
        assert answer.status_code == 401
        assert "Wrong username or password" in answer.text
        assert "notecode_review=" not in answer.headers.get("set-cookie", "").replace("notecode_review_login", "")
        assert sign_in(browser(app), "nobody", PASSWORD).status_code == 401  # same answer for an unknown name


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(tmp_path):
    with running(tmp_path, "kim") as app:
        cookie = sign_in(browser(app), "kim").headers["set-cookie"]
        assert "notecode_review=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Path=/review" in cookie and "Secure" not in cookie  # plain http in the test
    (tmp_path / "secure").mkdir()
    with running(tmp_path / "secure", "kim", secure_cookies=True) as app:
        assert "Secure" in sign_in(browser(app), "kim").headers["set-cookie"]


def test_an_expired_session_goes_back_to_sign_in_and_shows_no_note(tmp_path):
    with running(tmp_path, "kim") as app:
        client = browser(app)
        sign_in(client, "kim")
        note_id = paste(client, SAMPLE["text"])
        assert SECRET_WORDS in client.get(f"/review/notes/{note_id}").text
        store = _store(tmp_path)
        with store.session() as session:
            session.execute(update(LoginSession).values(expires_at=dt.datetime(2020, 1, 1)))
        answer = client.get(f"/review/notes/{note_id}", follow_redirects=False)
        assert answer.status_code == 303 and "flash=expired" in answer.headers["location"]
        assert SECRET_WORDS not in answer.text
        assert 'notecode_review=""' in answer.headers["set-cookie"]  # the dead cookie is cleared
        assert "session has ended" in client.get(answer.headers["location"]).text


def test_session_length_comes_from_settings(tmp_path):
    with running(tmp_path, "kim", session_minutes=30) as app:
        sign_in(browser(app), "kim")
        with _store(tmp_path).session() as session:
            login = session.scalar(select(LoginSession))
            assert dt.timedelta(minutes=29) < login.expires_at - login.created_at <= dt.timedelta(minutes=30)


def test_form_posts_need_the_sessions_csrf_token(tmp_path):
    with running(tmp_path, "kim") as app:
        client = browser(app)
        sign_in(client, "kim")
        note_id = paste(client, SAMPLE["text"])
        forged = client.post(f"/review/notes/{note_id}/decision", data={"version": "0", "csrf_token": "forged"})
        assert forged.status_code == 403 and "nothing was saved" in forged.text
        missing = client.post("/review/import/paste", data={"text": SAMPLE["text"]})
        assert missing.status_code == 403
        assert client.get(f"/review/notes/{note_id}").text.count('data-testid="decision"') == 0
        # the token in a header works too (for scripts)
        token = csrf(client)
        assert client.post("/review/logout", headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303


def test_sign_in_form_needs_its_own_token(tmp_path):
    with running(tmp_path, "kim") as app:
        client = browser(app)
        answer = client.post("/review/login", data={"username": "kim", "password": PASSWORD, "csrf_token": "x"},
                             follow_redirects=False)
        assert answer.status_code == 400 and "expired" in answer.text


def test_passwords_are_argon2_hashes(tmp_path):
    with running(tmp_path, "kim"):
        with _store(tmp_path).session() as session:
            stored = session.scalar(select(Coder.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_too_many_failures_pause_the_account(tmp_path):
    with running(tmp_path, "kim", login_failures=3) as app:
        client = browser(app)
        for _ in range(3):
            assert sign_in(client, "kim", "wrong password!").status_code == 401
        paused = sign_in(client, "kim")  # even the right password waits now
        assert paused.status_code == 429 and "Too many failed sign-ins" in paused.text


def test_sign_out_ends_the_session(tmp_path):
    with running(tmp_path, "kim") as app:
        client = browser(app)
        sign_in(client, "kim")
        cookie = client.cookies.get("notecode_review")
        client.post("/review/logout", data={"csrf_token": csrf(client)})
        replay = browser(app)
        replay.cookies.set("notecode_review", cookie, path="/review")
        assert replay.get("/review/queue", follow_redirects=False).status_code == 303


def test_next_only_goes_to_review_pages(tmp_path):
    with running(tmp_path, "kim") as app:
        assert sign_in(browser(app), "kim", next_path="https://evil.example/").headers["location"] == "/review/queue"
        assert sign_in(browser(app), "kim", next_path="//evil.example/x").headers["location"] == "/review/queue"
        assert sign_in(browser(app), "kim", next_path="/review/agreement").headers["location"] == "/review/agreement"


def test_pages_are_not_cached_or_framed(tmp_path):
    with running(tmp_path, "kim") as app:
        client = browser(app)
        sign_in(client, "kim")
        headers = client.get("/review/queue").headers
        assert headers["cache-control"] == "no-store"
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"


def test_users_command_adds_lists_disables_and_refuses_bad_input(tmp_path):
    cli = Typer()
    register(cli)
    cli.command("noop")(lambda: None)  # a second command, so `users` stays a sub-command
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", "kim", "--name", "Kim Lee", "--db", db, "--password-stdin"],
                          input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert "kim\tKim Lee\tactive" in runner.invoke(cli, ["users", "list", "--db", db]).output
    again = runner.invoke(cli, ["users", "add", "kim", "--db", db, "--password-stdin"], input=PASSWORD + "\n")
    assert again.exit_code == 2 and "username: 'kim' already exists" in again.output
    short = runner.invoke(cli, ["users", "add", "lee", "--db", db, "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and "password: at least" in short.output and "Traceback" not in short.output
    assert runner.invoke(cli, ["users", "disable", "kim", "--db", db]).exit_code == 0
    assert "kim\tKim Lee\tdisabled" in runner.invoke(cli, ["users", "list", "--db", db]).output


def test_a_disabled_account_or_a_new_password_ends_sign_ins(tmp_path):
    from api.review.users import set_active, set_password

    with running(tmp_path, "kim", "lee") as app:
        kim, lee = browser(app), browser(app)
        sign_in(kim, "kim")
        sign_in(lee, "lee")
        set_active(_store(tmp_path), "kim", False)
        assert kim.get("/review/queue", follow_redirects=False).status_code == 303
        assert sign_in(browser(app), "kim").status_code == 401
        set_password(_store(tmp_path), "lee", "another long password")
        assert lee.get("/review/queue", follow_redirects=False).status_code == 303


def test_agreement_api_needs_a_key_with_read_scope(tmp_path):
    with running(tmp_path) as app:
        client = browser(app)
        assert_problem(client.get("/v1/review/agreement"), 401)
        assert_problem(client.get("/v1/review/agreement", headers={"X-API-Key": KEYS["cds"]}), 403)
        body = client.get("/v1/review/agreement", headers={"X-API-Key": KEYS["reader"]}).json()
        assert body["decided"] == 0 and body["share_accepted_unchanged"] is None
