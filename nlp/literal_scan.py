"""Which of many literal strings occur in a text, found in one pass (an Aho-Corasick automaton, in C).

The regex prefilters (`nlp.regex_gate`) and the intent normaliser ask, for hundreds of literals, whether each
occurs in a note; testing them one `in` at a time scanned the note hundreds of times.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from operator import itemgetter

import ahocorasick

from nlp.recent import RecentByIdentity


class LiteralScanner:
    """The literals (already folded) that occur in a folded text; overlapping occurrences all count."""

    def __init__(self, literals: Iterable[str]) -> None:
        distinct = {literal for literal in literals if literal}
        # single characters ("r", ".", "°") occur dozens of times a note: a set test finds them without
        # the automaton reporting every occurrence
        self._characters = frozenset(literal for literal in distinct if len(literal) == 1)
        self._automaton = ahocorasick.Automaton()
        for literal in distinct - self._characters:
            self._automaton.add_word(literal, literal)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def present(self, folded: str) -> frozenset[str]:
        found = {character for character in self._characters if character in folded}  # a C search each
        if not self._empty:
            found.update(map(itemgetter(1), self._automaton.iter(folded)))  # (end, literal) of each occurrence
        return frozenset(found)


class LiteralRegistry:
    """One scanner shared by every pattern that registers its literals, with a few recent texts' answers kept:
    a note's text is scanned once for all of them. Patterns compile lazily, so a new literal rebuilds it."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold
        self._literals: set[str] = set()
        self._scanner: LiteralScanner | None = None
        self._lock = threading.Lock()
        self._recent: RecentByIdentity[tuple[LiteralScanner, frozenset[str], str]] = RecentByIdentity()

    def register(self, literals: Iterable[str]) -> None:
        with self._lock:
            new = set(literals) - self._literals
            if new:
                self._literals |= new
                self._scanner = None

    def present(self, text: str) -> tuple[frozenset[str], str]:
        """The registered literals that occur in `text` once folded, and the folded text."""
        scanner = self._scanner
        known = self._recent.get(text)
        if known is not None and scanner is not None and known[0] is scanner:
            return known[1], known[2]
        if scanner is None:
            with self._lock:
                scanner = self._scanner = self._scanner or LiteralScanner(self._literals)
        folded = self._fold(text)
        found = scanner.present(folded)
        self._recent.put(text, (scanner, found, folded))
        return found, folded
