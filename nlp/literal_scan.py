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


class TextScan:
    """What one scan of a text found: a bit per registered literal that occurs in it (`LiteralRegistry.bits`),
    the folded text when it is as long as the text (else None: its positions would not be the text's), and
    each pattern's answer for this text, kept by the pattern (`nlp.regex_gate`) so it is worked out once."""

    __slots__ = ("scanner", "mask", "folded", "answers")

    def __init__(self, scanner: _BitScanner, mask: int, folded: str | None) -> None:
        self.scanner = scanner
        self.mask = mask
        self.folded = folded
        self.answers: dict[Any, Any] = {}


class _BitScanner:
    """The registered literals as one automaton whose values are their bits: a text's scan is one int."""

    def __init__(self, bits: dict[str, int]) -> None:
        # single characters ("r", ".", "°") occur dozens of times a note: a set test finds them without
        # the automaton reporting every occurrence
        self._characters = [(literal, bit) for literal, bit in bits.items() if len(literal) == 1]
        self._automaton = ahocorasick.Automaton()
        for literal, bit in bits.items():
            if len(literal) > 1:
                self._automaton.add_word(literal, bit)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def mask(self, folded: str) -> int:
        mask = 0
        for character, bit in self._characters:
            if character in folded:  # a C search each
                mask |= bit
        if not self._empty:
            for bit in set(map(itemgetter(1), self._automaton.iter(folded))):  # (end, bit) of each occurrence
                mask |= bit
        return mask


class LiteralRegistry:
    """One scanner shared by every pattern that registers its literals, with a few recent texts' scans kept:
    a note's text is scanned once for all of them. Each literal has a bit of its own, for good, so a pattern
    turns its literals into masks once and asks of a text's scan with an `&`. Patterns compile lazily, so a
    new literal rebuilds the scanner (and scans made before it are made again)."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold
        self._bits: dict[str, int] = {}
        self._scanner: _BitScanner | None = None
        self._lock = threading.Lock()
        self._recent: RecentByIdentity[TextScan] = RecentByIdentity()

    def register(self, literals: Iterable[str]) -> None:
        with self._lock:
            for literal in literals:
                if literal and literal not in self._bits:
                    self._bits[literal] = 1 << len(self._bits)
                    self._scanner = None

    def bits(self, literals: Iterable[str]) -> int:
        """The mask of registered literals (each must have been registered)."""
        mask = 0
        for literal in literals:
            mask |= self._bits[literal]
        return mask

    def scan(self, text: str) -> TextScan:
        """The scan of `text`: kept with the note being read when `text` is its text, else among a few recent."""
        store = note_store(text)
        known = store.get(self) if store is not None else self._recent.get(text)
        scanner = self._scanner
        if known is not None and known.scanner is scanner:
            return known
        if scanner is None:
            with self._lock:
                scanner = self._scanner = self._scanner or _BitScanner(dict(self._bits))
        folded = self._fold(text)
        scan = TextScan(scanner, scanner.mask(folded), folded if len(folded) == len(text) else None)
        if store is not None:
            store[self] = scan
        else:
            self._recent.put(text, scan)
        return scan
