"""Input errors that name the field and the problem, in one line."""

from __future__ import annotations

from pydantic import ValidationError


class NoteError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    @classmethod
    def from_validation(cls, exc: ValidationError) -> NoteError:
        """'field.path: message' for each problem, without echoing the input value (it may be PHI)."""
        problems = [
            (".".join(str(p) for p in error["loc"]) or "note", error["msg"].removeprefix("Value error, "))
            for error in exc.errors(include_input=False, include_url=False)
        ]
        field, first = problems[0]
        rest = "".join(f"; {where}: {message}" for where, message in problems[1:])
        return cls(field, first + rest)
