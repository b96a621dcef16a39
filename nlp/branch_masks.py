"""Which of a pattern's alternatives a text's literals allow, answered with a few integer operations.

Each alternative (`nlp.regex_gate`) comes with sets of literals, one literal of each of which every match of
it holds. The shared registry gives every literal a bit, and a text's scan is the OR of the bits of those
that occur in it (`nlp.literal_scan.TextScan.mask`). So a set is present when `mask & set_mask` is not zero,
and sets of one literal each are all present when `mask & all_mask == all_mask`: a pattern that cannot match
a text is told so by one `&`, without looking at its alternatives one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from nlp.literal_scan import LiteralRegistry

B = TypeVar("B")


class BranchMasks(Generic[B]):
    """The alternatives `possible(mask)` allows, in their order. An alternative with no known literal set
    (`needs` empty) is always allowed."""

    def __init__(self, registry: LiteralRegistry, branches: Sequence[B],
                 needs: Sequence[Iterable[frozenset[str]]]) -> None:
        self._branches = tuple(branches)
        self._tests: list[tuple[int, tuple[int, ...]]] = []  # per alternative: (all of these, one of each of these)
        self._always = 0  # a bit per alternative, as `_with_bit` below
        self._with_bit: dict[int, int] = {}  # a literal's bit -> the alternatives (a bit each) needing it alone
        for index, sets in enumerate(needs):
            sets = [frozenset(literals) for literals in sets]
            registry.register(literal for literals in sets for literal in literals)
            single = registry.bits(next(iter(literals)) for literals in sets if len(literals) == 1)
            several = tuple(dict.fromkeys(registry.bits(literals) for literals in sets if len(literals) > 1))
            self._tests.append((single, several))
            keys = self._keys(single, several)
            if not keys:
                self._always |= 1 << index
            for key in keys:
                self._with_bit[key] = self._with_bit.get(key, 0) | 1 << index
        self._any_key = 0
        for key in self._with_bit:
            self._any_key |= key

    @staticmethod
    def _keys(single: int, several: tuple[int, ...]) -> list[int]:
        """Literal bits of which a text must hold one for the alternative to be possible: the rarest known set
        would be best, but any will do; one literal required alone is one key, else the first set's bits."""
        if single:
            return [single & -single]
        if several:
            return [bit for bit in _bits_of(several[0])]
        return []

    def possible(self, mask: int) -> tuple[B, ...]:
        candidates = self._always
        found = mask & self._any_key
        if not found and not candidates:
            return ()
        while found:
            low = found & -found
            candidates |= self._with_bit[low]
            found ^= low
        chosen = []
        while candidates:
            low = candidates & -candidates
            candidates ^= low
            index = low.bit_length() - 1
            single, several = self._tests[index]
            if mask & single != single:
                continue
            for either in several:
                if not mask & either:
                    break
            else:
                chosen.append(self._branches[index])
        return tuple(chosen)


def _bits_of(mask: int) -> list[int]:
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low)
        mask ^= low
    return bits
