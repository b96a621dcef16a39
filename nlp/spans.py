"""Sorted spans with range look-ups in O(log n), so a 1 MB note is read in linear-ish time."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import Generic, Protocol, TypeVar


class HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=HasSpan)


class SortedSpans(Generic[T]):
    def __init__(self, items: Sequence[T]) -> None:
        self.items = sorted(items, key=lambda item: item.start)
        self.starts = [item.start for item in self.items]
        self.longest = max((item.end - item.start for item in self.items), default=0)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def starting_in(self, start: int, end: int) -> list[T]:
        """Items whose start lies in [start, end)."""
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items that share at least one character with [start, end)."""
        first = bisect_left(self.starts, start - self.longest)
        return [item for item in self.items[first:bisect_left(self.starts, end)] if item.end > start]
