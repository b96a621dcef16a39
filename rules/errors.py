"""Input errors that name the field and the problem, in one line."""

from __future__ import annotations

from pydantic import ValidationError


class NoteError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem, 'field.path: message', without echoing the input value (it may be PHI)."""
    parts = []
    for error in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or "note"
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)
