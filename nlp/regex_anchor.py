"""Where a pattern's matches can start: at most a few characters before a part that `re` finds fast.

Python's `re` scans fast only for a pattern that opens with a fixed character or character class (and, when
it ignores case, one without letters): r"[0-5]\\s*/\\s*5" is found by a tight loop in C, r"\\b(?:mmt)?.{0,3}\\b[0-5]..."
is tried at every position. When a pattern is a short opening part of bounded width (here at most
`MAX_LEAD` characters) followed by such a part, every match holds that part no further than the bound from
its start, so the search looks for the fast part first and tries a match only at the few positions before
each place it occurs. Same matches, in the same order: `tests/test_regex_gate.py` compares them.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

try:  # the parser and compiler behind re.compile; private modules, so without them nothing is anchored
    from re import _compiler as sre_compile  # type: ignore[attr-defined]
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    sre_compile = sre_constants = sre_parse = None

MAX_LEAD = 24  # characters before the fast part; more, and trying each position costs more than it saves
MAX_TRIES = 40  # positions tried in one search before falling back to `re`'s own scan


@dataclass(frozen=True)
class Anchor:
    part: re.Pattern[str]  # the pattern from its fast part on (for a pattern of alternatives: each one's)
    lead: int  # the most characters a match can have before it

    def search(self, regex: re.Pattern[str], text: str, pos: int, end: int) -> re.Match[str] | None:
        """`regex.search(text, pos, end)`. A match starting at s holds the part at some q in [s, s + lead], so
        no match starts before (first place the part matches at or after pos) - lead."""
        tries = 0
        while (found := self.part.search(text, pos, end)) is not None:
            at = found.start()
            first = max(pos, at - self.lead)
            for start in range(first, at + 1):
                match = regex.match(text, start, end)
                if match is not None:
                    return match
            tries += at + 1 - first
            pos = at + 1
            if tries > MAX_TRIES:
                return regex.search(text, pos, end)  # the part is everywhere: let `re` scan
        return None


def find_anchor(pattern: str, flags: int = 0) -> Anchor | None:
    """The pattern's anchor, if each of its top-level alternatives has a bounded opening and a fast part."""
    if sre_parse is None:  # pragma: no cover
        return None
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if _refers_back(parsed.data):
        return None  # a back-reference in the part would read a group its opening set
    items = list(parsed.data)
    if len(items) == 1 and items[0][0] is sre_constants.BRANCH:
        alternatives = [list(branch.data) for branch in items[0][1][1]]
    else:
        alternatives = [items]
    flags |= parsed.state.flags
    parts, lead, opened = [], 0, False
    for alternative in alternatives:
        found = _fast_part(parsed.state, alternative, flags)
        if found is None:
            return None
        parts.append(found[0])
        lead = max(lead, found[1])
        opened = opened or found[2] > 0
    if len(parts) == 1:
        part = parts[0]
    else:
        part = sre_parse.SubPattern(parsed.state, [(sre_constants.BRANCH, (None, parts))])
    if not opened:
        return None  # the pattern itself opens with its fast part: `re` already scans fast
    try:
        return Anchor(sre_compile.compile(part, flags), lead)
    except (re.error, TypeError, ValueError, RecursionError):  # pragma: no cover - a form the compiler refuses
        return None


def _fast_part(state: Any, items: list[tuple[Any, Any]], flags: int) -> tuple[Any, int, int] | None:
    """(the items from the first fast one on, the opening's widest width, how many items the opening has),
    if the opening is bounded. An opening of look-arounds alone is worth it too: `re` scans slowly past them."""
    for k in range(len(items)):
        opening = sre_parse.SubPattern(state, items[:k])
        widest = opening.getwidth()[1]
        if widest > MAX_LEAD:
            return None
        part = sre_parse.SubPattern(state, _unrolled(items[k:]))
        if _scans_fast(part, flags):
            return part, widest, k
    return None


def _unrolled(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    r"""'\d{1,3}...' as '\d\d{0,2}...' (the same strings): `re` scans fast for a pattern that opens with one
    character class, not for one that opens with a repeat of it."""
    if items and items[0][0] is sre_constants.SUBPATTERN:  # '(\d{1,3})...': the same inside the group
        group, add_flags, del_flags, inner = items[0][1]
        unrolled = sre_parse.SubPattern(inner.state, _unrolled(list(inner.data)))
        return [(sre_constants.SUBPATTERN, (group, add_flags, del_flags, unrolled)), *items[1:]]
    if not items or items[0][0] not in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        return items
    op, (low, high, body) = items[0]
    if low < 1 or len(body.data) != 1 or body.data[0][0] not in (sre_constants.IN, sre_constants.LITERAL):
        return items
    rest_high = high if high == sre_constants.MAXREPEAT else high - 1
    return [body.data[0], (op, (low - 1, rest_high, body)), *items[1:]]


def _scans_fast(part: Any, flags: int) -> bool:
    """Does `re` find this pattern with its fast C loop (a fixed opening character or character class)?"""
    if not part.data or part.getwidth()[0] == 0:
        return False
    try:
        if sre_compile._get_literal_prefix(part, flags)[0]:
            return True
        charset = sre_compile._get_charset_prefix(part, flags)
        if charset is None:
            return False
        # a class that takes small letters ('\w') is met at every character of a word, where the pattern
        # itself was tried only at the word's start: slower, measured ('(?-i:[A-Z])' is fine)
        opening = sre_compile.compile(sre_parse.SubPattern(sre_parse.State(), [(sre_constants.IN, charset)]),
                                      _opening_flags(part, flags))
        return not any(opening.match(character) for character in string.ascii_lowercase)
    except Exception:  # pragma: no cover - the private helpers changed: be safe, anchor nothing
        return False


def _opening_flags(part: Any, flags: int) -> int:
    """The flags in force at the part's first character: '(?-i:[A-Z])' is case-sensitive inside."""
    items = part.data
    while items and items[0][0] is sre_constants.SUBPATTERN:
        _, add_flags, del_flags, inner = items[0][1]
        flags = (flags | add_flags) & ~del_flags
        items = inner.data
    return flags


def _refers_back(items: Any) -> bool:
    for op, av in items:
        if op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            return True
        for value in av if isinstance(av, (tuple, list)) else (av,):
            if isinstance(value, sre_parse.SubPattern) and _refers_back(value.data):
                return True
            if isinstance(value, list) and any(isinstance(v, sre_parse.SubPattern) and _refers_back(v.data)
                                               for v in value):
                return True
    return False
