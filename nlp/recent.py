"""A few recent answers keyed on the identity of the text they were computed for.

A note is read as its whole text and as many short pieces of it (a block's segment, a table cell), often in
turn: "segment, whole text, next segment, whole text". Keeping only the last answer made each switch back to
the whole text scan it again; keeping a few keeps the whole text's answer while the pieces come and go.
Keyed on identity (`is`), never on content, and holding its texts, so an id is never reused while kept.
"""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")

RECENT_TEXTS = 8


class RecentByIdentity(Generic[V]):
    def __init__(self, size: int = RECENT_TEXTS) -> None:
        self._size = size
        self._entries: tuple[tuple[object, V], ...] = ()  # most recent first; replaced whole, so thread-safe

    def get(self, key: object) -> V | None:
        entries = self._entries
        if entries and entries[0][0] is key:
            return entries[0][1]  # the usual case, kept cheap: the same text asked again
        for i, (held, value) in enumerate(entries):
            if held is key:
                # to the front: the whole text stays while its pieces pass through
                self._entries = ((held, value), *entries[:i], *entries[i + 1:])
                return value
        return None

    def put(self, key: object, value: V) -> None:
        self._entries = ((key, value), *self._entries[:self._size - 1])

    def clear(self) -> None:
        self._entries = ()
