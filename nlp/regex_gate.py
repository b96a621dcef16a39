"""Literal prefilters for regular expressions: skip the searches that cannot match, get the same matches.

Every match of a pattern contains one of a few literal strings that can be read off the pattern: for
r"\\bgrip(?: strength)?\\b..." it is "grip", for r"(?:°|deg)" it is "°" or "deg". Where none of them occurs
in a text, the pattern cannot match there, so the search is skipped. Where one does, the ordinary search
runs. Python's `re` has no such prefilter of its own: it tries every alternative at every position.
A match also holds one literal of every other part it must go through ("grip", then a unit: "lb" or "kg"),
so an alternative is searched only where the one scan found a literal of each of those parts too.

A pattern made of many alternatives (a list of forty instruments, each followed by a score) is split into
its alternatives, each with its own literals; only those whose literals occur in the text are searched,
and their matches are merged by the rule `re` itself follows (the leftmost match wins, and at one position
the first alternative). So `GatedPattern(p).finditer(text)` yields exactly the matches of
`re.compile(p).finditer(text)`; `tests/test_regex_gate.py` checks this on every pattern and every note.

Letters are compared after the same case folding `re.IGNORECASE` uses (lower case plus its few
equivalences such as "ſ" ~ "s"), so a case-insensitive match is never filtered out.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from nlp.branch_masks import BranchMasks
from nlp.literal_scan import LiteralRegistry
from nlp.regex_anchor import Anchor, find_anchor

try:  # the parser behind re.compile; a private module, so everything below also works without it
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    sre_constants = sre_parse = None

Literals = frozenset[str] | None  # None: nothing is known, the pattern might match anywhere


def _equivalence_table() -> dict[int, int]:
    """Characters `re.IGNORECASE` treats as the same letter beyond lower case ("ı" ~ "i", "ſ" ~ "s", ...),
    each mapped to the smallest of its class, so ASCII letters stay themselves."""
    try:
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover
        return {}
    table: dict[int, int] = {}
    for lower, extras in _EXTRA_CASES.items():
        group = (lower, *extras)
        for member in group:
            table[member] = min(table.get(member, member), *group)
    return {member: canonical for member, canonical in table.items() if member != canonical}


_EQUIVALENT = _equivalence_table()
_HAS_EQUIVALENT = re.compile("[" + "".join(re.escape(chr(c)) for c in _EQUIVALENT) + "]") if _EQUIVALENT else None


def fold(text: str) -> str:
    """Lower case one character at a time, as `re` compares letters ("İ" is "i", not two characters)."""
    if text.isascii():
        return text.lower()
    folded = text.replace("\u0130", "i").lower()
    if _HAS_EQUIVALENT is not None and _HAS_EQUIVALENT.search(folded):
        folded = folded.translate(_EQUIVALENT)  # rare: a per-character table look-up
    return folded


_REGISTRY = LiteralRegistry(fold)  # every gated pattern's literals, so a note is scanned once for all


# -- reading literals off a parsed pattern -----------------------------------------------------------


def _parsed(pattern: str, flags: int) -> list[tuple[Any, Any]] | None:
    """The pattern's parse tree, or None where the parser is missing or refuses it."""
    if sre_parse is None:  # pragma: no cover
        return None
    try:
        return list(sre_parse.parse(pattern, flags))
    except re.error:
        return None


def required_literals(pattern: str, flags: int = 0) -> Literals:
    """Literal strings (folded) one of which every match of `pattern` contains; None if none is known."""
    parsed = _parsed(pattern, flags)
    return None if parsed is None else _needs(parsed)


def leading_literal(pattern: str, flags: int = 0) -> str | None:
    """The folded literal (two characters or more) every match of `pattern` starts with, if it shows one:
    zero-width assertions (\\b, lookarounds) before and inside it are skipped, as they consume nothing."""
    parsed = _parsed(pattern, flags)
    if parsed is None:
        return None
    chars: list[str] = []
    _collect_prefix(parsed, chars)
    prefix = fold("".join(chars))
    return prefix if len(prefix) >= 2 else None


MAX_PREFIXES = 12  # more ways to start, and looking each up costs more than `re` trying every position


def leading_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """The folded literals (two characters or more each, a few) one of which every match starts with, when
    the pattern opens with a choice of words ("(?=[fe])\\b(?:flex(?:ion)?|ext(?:ension)?)...": flex, ext)."""
    parsed = _parsed(pattern, flags)
    if parsed is None:
        return None
    openings = _openings(parsed)
    if not openings or len(openings) > MAX_PREFIXES:
        return None
    folded = tuple(dict.fromkeys(fold(opening) for opening in openings))
    return folded if all(len(opening) >= 2 for opening in folded) else None


def _openings(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The literal text each way through the items opens with (None where a way opens with no literal)."""
    c = sre_constants
    chars: list[str] = []
    for index, (op, av) in enumerate(items):
        if op is c.LITERAL:
            chars.append(chr(av))
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: consumes nothing
        elif op is c.SUBPATTERN:
            inner = _openings(list(av[-1]) + items[index + 1:])
            return None if inner is None else ["".join(chars) + opening for opening in inner]
        elif op is c.BRANCH:
            ways = [_openings(list(branch)) for branch in av[1]]
            if any(way is None for way in ways):
                return ["".join(chars)] if chars else None
            return ["".join(chars) + opening for way in ways for opening in way or ()]
        else:
            break
    return ["".join(chars)] if chars else None


def _collect_prefix(items: list[tuple[Any, Any]], chars: list[str]) -> bool:
    """Append the literal characters the items open with; True if the items were nothing else."""
    c = sre_constants
    for op, av in items:
        if op is c.LITERAL:
            chars.append(chr(av))
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        elif op is c.SUBPATTERN:
            if not _collect_prefix(list(av[-1]), chars):
                return False
        else:
            return False
    return True


def _needs(items: list[tuple[Any, Any]]) -> Literals:
    best: Literals = None
    run: list[str] = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        if run and op is sre_constants.BRANCH:
            # the parser factors common prefixes out: "w/c|wc" is "w" + ("/c"|"c"); put them back together
            best = _better(best, frozenset(fold("".join(run) + _leading_run(list(b))) for b in av[1]))
        if run and op is sre_constants.IN and all(kind is sre_constants.LITERAL for kind, _ in av):
            best = _better(best, frozenset(fold("".join(run) + chr(code)) for _, code in av))  # "TE|TA"
        best = _better(best, _run_literal(run))
        run = []
        best = _better(best, _item_needs(op, av))
    return _better(best, _run_literal(run))


def _leading_run(items: list[tuple[Any, Any]]) -> str:
    chars = []
    for op, av in items:
        if op is not sre_constants.LITERAL:
            break
        chars.append(chr(av))
    return "".join(chars)


def _item_needs(op: Any, av: Any) -> Literals:
    c = sre_constants
    if op is c.SUBPATTERN:
        return _needs(list(av[-1]))
    if op is c.ATOMIC_GROUP:
        return _needs(list(av))
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            needed = _needs(list(branch))
            if needed is None:
                return None  # this branch can match without any known literal
            union |= needed
        return frozenset(union)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, body = av
        return _needs(list(body)) if low >= 1 else None
    return None  # assertions, classes, any character, references: no literal is certain


def _run_literal(run: list[str]) -> Literals:
    return frozenset({fold("".join(run))}) if run else None


def _better(a: Literals, b: Literals) -> Literals:
    """The more selective of two sets: longer shortest literal, then fewer literals."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def all_required_literals(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...]:
    """Every set of folded literals one of which each match holds, one set per part of the pattern that every
    match goes through ("grip" ... "lb" or "kg" ... : {"grip"}, {"lb", "kg"}): a text must hold one literal of
    EACH set, a far stronger test than `required_literals` (the most selective set alone)."""
    parsed = _parsed(pattern, flags)
    return () if parsed is None else tuple(dict.fromkeys(r for r in _requirements(parsed) if not _common(r)))


def _common(literals: frozenset[str]) -> bool:
    """A set holding a letter, a digit or a space alone, met in nearly every text: no use as a test."""
    return any(len(literal) == 1 and (literal.isalnum() or literal.isspace()) for literal in literals)


MAX_CLASS_CHARACTERS = 12  # a class of more characters ("[a-z]") is met in every text: no use as a requirement


def _requirements(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    c = sre_constants
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset({fold("".join(run))}))
            run = []
        if op is c.SUBPATTERN:
            found += _requirements(list(av[-1]))
        elif op is c.ATOMIC_GROUP:
            found += _requirements(list(av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            found += _requirements(list(av[2]))
        elif op is c.BRANCH and (either := _item_needs(op, av)) is not None:
            found.append(either)
        elif op is c.IN and (characters := _class_characters(av)) is not None:
            found.append(characters)
    if run:
        found.append(frozenset({fold("".join(run))}))
    return found


def _class_characters(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The folded characters of a class of a few literal characters and short ranges ("[:=]", "[0-5]"); None
    for a negated class, a category (\\d is any Unicode digit) or a large one."""
    c = sre_constants
    characters: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            characters.add(fold(chr(av)))
        elif op is c.RANGE and av[1] - av[0] < MAX_CLASS_CHARACTERS:
            characters.update(fold(chr(code)) for code in range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(characters) if len(characters) <= MAX_CLASS_CHARACTERS else None


# -- splitting a pattern into its top-level alternatives ----------------------------------------------


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) for each character that is not escaped or inside a class."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
        elif char in "()":
            depth += 1 if char == "(" else -1
            yield i, char, depth
        elif char == "|":
            yield i, char, depth
        i += 1


def split_alternatives(pattern: str) -> list[str]:
    """The pattern's top-level alternatives, as source text ("a|(b|c)|d" -> ["a", "(b|c)", "d"])."""
    parts, start = [], 0
    for i, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _class_end(pattern: str, i: int) -> int:
    """Index of the "]" closing the character class opened at i."""
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1  # a "]" first in a class is a literal
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


_LEADING_GROUP = re.compile(r"^((?:\\b)?)\(\?:")


def distribute_leading_group(alternative: str) -> list[str]:
    r"""'\b(?:a|b)REST' -> ['\b(?:a)REST', '\b(?:b)REST']: the same matches in the same order of trial,
    so each word of a long list gets literals of its own. Left whole unless the group is the whole head."""
    head = _LEADING_GROUP.match(alternative)
    if not head:
        return [alternative]
    open_at = head.end() - 3
    close_at = _group_end(alternative, open_at)
    rest = alternative[close_at + 1:]
    if rest[:1] in ("?", "*", "+", "{"):
        return [alternative]  # a quantified group: distributing would change the meaning
    inner = alternative[open_at + 3:close_at]
    branches = split_alternatives(inner)
    if len(branches) < 2:
        return [alternative]
    return [f"{head.group(1)}(?:{branch}){rest}" for branch in branches]


def _group_end(pattern: str, open_at: int) -> int:
    for i, char, depth in _structure(pattern, open_at):
        if char == ")" and depth == 0:
            return i
    raise ValueError("unbalanced parentheses")


# -- the gated pattern --------------------------------------------------------------------------------


SHORT_TEXT = 200  # an unsplit pattern searches a text this short directly
MAX_CANDIDATES = 12  # after this many failed tries at the prefix's occurrences, `re` scans the rest


@dataclass(frozen=True)
class _Branch:
    regex: re.Pattern[str]
    literals: Literals
    prefix: str | None = None  # folded literal every match starts with, when the pattern shows one
    prefixes: tuple[str, ...] | None = None  # else a few folded literals one of which every match starts with
    anchor: Anchor | None = None  # else a part found fast, at most a few characters after a match's start
    # each a set of folded literals one of which every match holds (`all_required_literals`)
    requirements: tuple[frozenset[str], ...] = ()

    def search(self, text: str, folded: str | None, pos: int, end: int) -> re.Match[str] | None:
        """`regex.search`, trying a match only where the prefix occurs: `re` has no fast scan for a
        case-insensitive pattern or one that opens with \\b, so it would try every position."""
        if self.prefix is None or folded is None:
            if self.prefixes is not None and folded is not None:
                return self._search_at_prefixes(text, folded, pos, end)
            if self.anchor is not None:
                return self.anchor.search(self.regex, text, pos, end)
            return self.regex.search(text, pos, end)
        at = folded.find(self.prefix, pos, end)
        for _ in range(MAX_CANDIDATES):
            if at < 0:
                return None
            found = self.regex.match(text, at, end)
            if found is not None:
                return found
            at = folded.find(self.prefix, at + 1, end)
        return None if at < 0 else self.regex.search(text, at, end)

    def _search_at_prefixes(self, text: str, folded: str, pos: int, end: int) -> re.Match[str] | None:
        """As with one prefix: a match is tried only where one of the prefixes occurs, leftmost first."""
        assert self.prefixes is not None
        upcoming = [(at, prefix) for prefix in self.prefixes if (at := folded.find(prefix, pos, end)) >= 0]
        heapq.heapify(upcoming)
        for _ in range(MAX_CANDIDATES):
            if not upcoming:
                return None
            at = upcoming[0][0]
            found = self.regex.match(text, at, end)
            if found is not None:
                return found
            while upcoming and upcoming[0][0] == at:  # on to each prefix's next occurrence
                _, prefix = heapq.heappop(upcoming)
                if (following := folded.find(prefix, at + 1, end)) >= 0:
                    heapq.heappush(upcoming, (following, prefix))
        return self.regex.search(text, upcoming[0][0], end) if upcoming else None


def prefiltered(regex: re.Pattern[str]) -> _Branch:
    """The compiled pattern with what speeds its search: `.search(text, fold(text), pos, end)`."""
    pattern, flags = regex.pattern, regex.flags
    prefix = leading_literal(pattern, flags)
    prefixes = leading_literals(pattern, flags) if prefix is None else None
    return _Branch(regex, required_literals(pattern, flags), prefix, prefixes,
                   find_anchor(pattern, flags) if prefix is None and prefixes is None else None,
                   all_required_literals(pattern, flags))


class GatedPattern:
    """A compiled pattern whose `search` and `finditer` skip the alternatives that cannot match a text.

    Patterns with capturing groups are not split (group numbers would change); they are gated as a whole.
    Everything else (`match`, `sub`, `pattern`, `groups`, ...) is the compiled pattern's own.
    """

    def __init__(self, pattern: str, flags: int = 0, split: bool = True) -> None:
        self.regex = re.compile(pattern, flags)
        whole = prefiltered(self.regex)
        self._branches = [whole]
        if split and self.regex.groups == 0 and not _matches_empty(pattern, flags):
            alternatives = [part for alt in split_alternatives(pattern) for part in distribute_leading_group(alt)]
            if len(alternatives) > 1:
                self._branches = [prefiltered(re.compile(alt, flags)) for alt in alternatives]
        self._unsplit = self._branches[0] is whole
        # a branch is possible in a text holding one literal of its `literals` and of each of its requirements
        self._gate = BranchMasks(_REGISTRY, self._branches, [
            ([] if b.literals is None else [b.literals]) + list(b.requirements) for b in self._branches])

    @property
    def branch_count(self) -> int:
        return len(self._branches)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)

    def _possible(self, text: str) -> tuple[tuple[_Branch, ...], str | None]:
        """The branches whose literals occur in the text, and the folded text (None where folding changed
        its length, so positions in it are not positions in the text). Worked out once per text scan: the
        note's scan lasts as long as the note is read (`nlp.literal_scan.reading_note`), a piece's a while."""
        scan = _REGISTRY.scan(text)
        branches = scan.answers.get(self)
        if branches is None:
            branches = scan.answers[self] = self._gate.possible(scan.mask)
        return branches, scan.folded

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        if self._unsplit and len(text) <= SHORT_TEXT:
            return self.regex.search(text, pos, end)  # a block's few words: scanning for literals costs more
        first: re.Match[str] | None = None
        branches, folded = self._possible(text)
        for branch in branches:
            found = branch.search(text, folded, pos, end)
            if found is not None and (first is None or found.start() < first.start()):
                first = found  # strictly earlier: at one position the earlier alternative wins
        return first

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        branches, folded = self._possible(text)
        if len(branches) == 1 and branches[0].regex is self.regex:
            yield from self._whole_finditer(branches[0], text, folded, pos, end)
            return
        # the next match of each branch, leftmost first and, at one position, the earlier alternative first
        heads = [(match.start(), i, match) for i, branch in enumerate(branches)
                 if (match := branch.search(text, folded, pos, end)) is not None]
        heapq.heapify(heads)
        while heads:
            start, i, match = heads[0]
            if start < pos:  # overlaps the match just yielded: that branch's next match from here on
                following = branches[i].search(text, folded, pos, end)
                if following is None:
                    heapq.heappop(heads)
                else:
                    heapq.heapreplace(heads, (following.start(), i, following))
                continue
            yield match
            pos = match.end()  # never empty: patterns that can match the empty string are not split

    def _whole_finditer(self, whole: _Branch, text: str, folded: str | None, pos: int,
                        end: int) -> Iterator[re.Match[str]]:
        if whole.prefix is None and whole.prefixes is None and whole.anchor is None:
            yield from self.regex.finditer(text, pos, end)
            return
        while (match := whole.search(text, folded, pos, end)) is not None:
            yield match
            pos = match.end()  # never empty: it holds a prefix or the anchor's part


def _matches_empty(pattern: str, flags: int) -> bool:
    """Can the pattern match the empty string? Such patterns are not split (finditer's rules for empty
    matches would have to be copied too)."""
    if sre_parse is None:  # pragma: no cover
        return True
    return bool(sre_parse.parse(pattern, flags).getwidth()[0] == 0)


MIN_BRANCHES = 2  # split any pattern of alternatives: each gets its own literals, prefix or anchor (measured faster)


def compile_gated(pattern: str, flags: int = 0) -> re.Pattern[str] | GatedPattern:
    """A GatedPattern where it is split into alternatives or, whole, where the pattern opens with a literal,
    every match holds one of a few known literals (the search is skipped in a text without them) or it has
    an anchor; else the plain compiled pattern."""
    gated = GatedPattern(pattern, flags)
    if gated.branch_count >= MIN_BRANCHES:
        return gated
    whole = gated._branches[0]
    if whole.prefix is not None or whole.literals is not None or whole.anchor is not None:
        return gated
    return gated.regex
