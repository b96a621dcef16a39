"""Which of many literal strings occur in a text, found in one pass (an Aho-Corasick automaton, in C).

The regex prefilters (`nlp.regex_gate`) and the intent normaliser ask, for hundreds of literals, whether each
occurs in a note; testing them one `in` at a time scanned the note hundreds of times.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from operator import itemgetter
from typing import Any

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


# The note being read, if a stage said so: its text and the dict, owned by that note, that keeps its scans.
_NOTE: ContextVar[tuple[str, dict[Any, Any]] | None] = ContextVar("notecode_note_being_read", default=None)


def reading_note(text: str, store: dict[Any, Any]) -> Any:
    """Say which note a stage is reading until `done_reading(token)`: scans of `text` itself (the very object)
    are kept in `store`, the note's own, so the stages that read the note one after another (each over a whole
    batch) scan it once between them. Nothing is kept across notes: a second note with the same text has its
    own store."""
    return _NOTE.set((text, store))


def done_reading(token: Any) -> None:
    _NOTE.reset(token)


def note_store(text: str) -> dict[Any, Any] | None:
    """The store of the note being read, if `text` is that note's text (the very object); else None."""
    note = _NOTE.get()
    return note[1] if note is not None and note[0] is text else None


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
        store = note_store(text)
        known = store.get(self) if store is not None else self._recent.get(text)
        if known is not None and scanner is not None and known[0] is scanner:
            return known[1], known[2]
        if scanner is None:
            with self._lock:
                scanner = self._scanner = self._scanner or LiteralScanner(self._literals)
        folded = self._fold(text)
        found = scanner.present(folded)
        if store is not None:
            store[self] = (scanner, found, folded)
        else:
            self._recent.put(text, (scanner, found, folded))
        return found, folded
