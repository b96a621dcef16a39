"""Where a section heading can start, found in one scan, so the heading pattern is tried only there.

`Patterns.section_heading` opens with look-behinds (`LOOK_BEHIND`): a heading starts at the text's start or
after a line break, a '.' or ';' (with or without one space after it), two spaces, '-- ' or '| '. `re` tests
them at every character of a note. Each needs one of a few characters just before the start, so one scan for
those characters gives every position they allow, and the heading pattern is matched at those only: the same
matches, in the same order (`tests/test_pattern_forms.py` compares them with the plain pattern's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

LOOK_BEHIND = r"(?:(?<=^)|(?<=[\n.;]\s)|(?<=[\n.;])|(?<=\s\s)|(?<=--\s)|(?<=\|\s))"  # with re.MULTILINE
# the character just before a start ('\n', '.', ';'), or the one before a space that ends a lead
_LEAD_END = re.compile(r"[\n.;]|[|\s-](?=\s)")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s*")


def heading_starts(text: str) -> Iterator[int]:
    """Every position LOOK_BEHIND allows, in increasing order (a few twice)."""
    yield 0
    for found in _LEAD_END.finditer(text):
        at = found.start()
        character = text[at]
        if character in "\n.;":
            yield at + 1
            if _SPACE.match(text, at + 1):
                yield at + 2
        elif character != "-" or (at > 0 and text[at - 1] == "-"):  # '\s\s', '| ', '-- '
            yield at + 2


class HeadingPattern:
    r"""A compiled pattern that opens with LOOK_BEHIND then `\s*`, and never matches the empty string, whose
    `finditer` tries it only where a heading can start. Everything else is the compiled pattern's own."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        resume = 0  # as `re.finditer`: the next match starts where the last one ended, or later
        for start in heading_starts(text):
            if start < resume:
                continue
            match = self.regex.match(text, start)
            if match is not None:
                yield match
                resume = match.end()
            else:
                # a match starting inside the spaces after `start` would be one starting at `start` (its
                # opening `\s*` takes them), which there is not: skip to the first character after them
                resume = _SPACES.match(text, start).end() + 1  # type: ignore[union-attr]
