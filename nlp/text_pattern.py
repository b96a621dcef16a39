"""`TextPattern`: what the reader asks of a compiled pattern.

Both `re.Pattern[str]` and `nlp.regex_gate.GatedPattern` (the same matches, found faster) meet it, so a
pattern from `compile_gated` is typed as what it is rather than passed off as a `re.Pattern`. A Protocol,
not a union: compiled with mypyc, a function taking one never rejects either kind at run time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol


class TextPattern(Protocol):
    @property
    def pattern(self) -> str: ...

    def search(self, string: str, pos: int = ..., endpos: int = ...) -> re.Match[str] | None: ...

    def match(self, string: str, pos: int = ..., endpos: int = ...) -> re.Match[str] | None: ...

    def fullmatch(self, string: str, pos: int = ..., endpos: int = ...) -> re.Match[str] | None: ...

    def finditer(self, string: str, pos: int = ..., endpos: int = ...) -> Iterator[re.Match[str]]: ...

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = ...) -> str: ...
