"""Lines wrapped at a fixed width by the system a note came from: "... Gait\ntraining 9 minutes ...".

A soft break is a line break the writer never typed: the line is full (the next line's first word would not have
fit on it), it does not end a sentence, and the next line is no list item, labelled line, indented item or table
row. The reader reads such a note with its soft breaks as spaces; the text keeps its length, so every offset still
points into the note as written.
"""

from __future__ import annotations

import re

MIN_WIDTH, MAX_WIDTH = 40, 132  # the widths EHR exports and terminals wrap at
MIN_SOFT_BREAKS = 3  # a full line or two is chance (a long list item); a wrapped paragraph has several
LISTED_OR_LABELLED = re.compile(r"[ \t]*(?:[-*•·–◦▪>]|\d{1,2}[.)][ \t]|[A-Za-z][\w /&()-]{0,30}:(?:[ \t]|$))")
TABLE_LIKE = re.compile(r"\t|\||\S {3,}\S")


def unwrap_soft_breaks(text: str) -> str:
    if "\n" not in text:
        return text
    lines = text.split("\n")
    width = max(len(line.rstrip()) for line in lines)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return text
    soft = [i for i in range(len(lines) - 1) if _is_soft_break(lines[i], lines[i + 1], width)]
    if len(soft) < MIN_SOFT_BREAKS:
        return text
    chars = list(text)
    offset = 0
    breaks = set(soft)
    for i, line in enumerate(lines[:-1]):
        offset += len(line)
        if i in breaks:
            chars[offset] = " "
        offset += 1
    return "".join(chars)


def _is_soft_break(line: str, following: str, width: int) -> bool:
    words = following.split()
    if not line.strip() or not words or line.rstrip().endswith((":", ".", ";", "!", "?")):
        return False  # a line that ends a sentence or opens a list may end there: nothing to join
    if following[0].isspace():
        return False  # an indented line is an item of its own
    if TABLE_LIKE.search(line) or TABLE_LIKE.search(following) or LISTED_OR_LABELLED.match(following):
        return False
    return len(line.rstrip()) + 1 + len(words[0]) > width
