"""`notecode users add|passwd|disable|enable|list`: coder accounts for the review page.

api/cli.py calls `register(app)`. The database is NOTECODE_REVIEW_DB (or --db), migrated before use.
Passwords are read from the terminal (asked twice) or, with --password-stdin, from one line of standard input;
never from the command line, where other users could see them.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

users = typer.Typer(no_args_is_help=True, help="Coder accounts for the review page (/review).")
DbOption = Annotated[str | None, typer.Option("--db", help="database URL or SQLite file (default: "
                                                          "$NOTECODE_REVIEW_DB, else notecode-review.db)")]
StdinOption = Annotated[bool, typer.Option("--password-stdin", help="read the password from standard input")]


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")


def _store(db: str | None):  # type: ignore[no-untyped-def]
    from api.review.settings import ReviewSettings
    from api.review.store import open_store

    settings = ReviewSettings(db=db) if db else ReviewSettings()
    return open_store(settings.database_url)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _run(action) -> None:  # type: ignore[no-untyped-def]
    from api.review.passwords import PasswordError
    from api.review.users import UserError

    try:
        action()
    except (UserError, PasswordError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@users.command("add")
def add(username: Annotated[str, typer.Argument(help="sign-in name: lower-case letters, digits, . _ -")],
        name: Annotated[str, typer.Option("--name", help="the name shown on decisions")] = "",
        db: DbOption = None, password_stdin: StdinOption = False) -> None:
    """Add a coder."""
    from api.review.users import add_user

    _run(lambda: add_user(_store(db), username, _password(password_stdin), name))
    typer.echo(f"added {username}")


@users.command("passwd")
def passwd(username: str, db: DbOption = None, password_stdin: StdinOption = False) -> None:
    """Set a coder's password (signs them out everywhere)."""
    from api.review.users import set_password

    _run(lambda: set_password(_store(db), username, _password(password_stdin)))
    typer.echo(f"password changed for {username}")


@users.command("disable")
def disable(username: str, db: DbOption = None) -> None:
    """Stop a coder signing in (their decisions stay)."""
    from api.review.users import set_active

    _run(lambda: set_active(_store(db), username, False))
    typer.echo(f"disabled {username}")


@users.command("enable")
def enable(username: str, db: DbOption = None) -> None:
    """Let a disabled coder sign in again."""
    from api.review.users import set_active

    _run(lambda: set_active(_store(db), username, True))
    typer.echo(f"enabled {username}")


@users.command("list")
def list_(db: DbOption = None) -> None:
    """List the coders."""
    from api.review.users import list_users

    for coder in list_users(_store(db)):
        typer.echo(f"{coder.username}\t{coder.display_name}\t{'active' if coder.active else 'disabled'}")
