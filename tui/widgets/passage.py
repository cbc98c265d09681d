"""Selecting a passage of a source text: sentence and word steps, and the mouse's selection.

A selection is an anchor and a head, both offsets into the source text; the head moves (by a
sentence or a word) and the selected passage is the stretch between them, without the
whitespace at its ends. Sentences are found in each paragraph at `.`, `!`, `?` (and their
closing quotes or brackets) followed by a space, and at line breaks.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from paradiplo.db.record import record

# The end of a sentence: its punctuation (and closing quotes/brackets), then whitespace.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")
_WORD = re.compile(r"\S+")


@record
class Sentence:
    start: int
    end: int


def sentences(text: str, paragraphs: Iterable[tuple[int, int]]) -> list[Sentence]:
    """The sentences of `text` within each (start, end) paragraph, in order, trimmed."""
    out: list[Sentence] = []
    for p_start, p_end in paragraphs:
        pos = p_start
        chunk = text[p_start:p_end]
        cuts = [p_start + m.end() for m in _SENTENCE_END.finditer(chunk)]
        for cut in [*cuts, p_end]:
            s, e = _trim(text, pos, cut)
            if e > s:
                out.append(Sentence(s, e))
            pos = cut
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """The passage between two offsets (either order), without whitespace at its ends."""
    return _trim(text, min(a, b), max(a, b))


def sentence_at(items: Sequence[Sentence], offset: int) -> int:
    """Index of the sentence holding `offset` (or the next one after it; the last if none)."""
    if not items:
        return -1
    starts = [s.start for s in items]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and offset < items[i].end:
        return i
    return min(i + 1, len(items) - 1)


def step_sentence(items: Sequence[Sentence], head: int, step: int, *, ends: bool) -> int:
    """The head moved to the next (step 1) or previous (-1) sentence end (`ends`, for a head
    after the anchor) or sentence start (a head before it)."""
    bounds = [s.end if ends else s.start for s in items]
    return _step(bounds, head, step)


def step_word(text: str, head: int, step: int, *, ends: bool) -> int:
    """The head moved to the next or previous word end (`ends`) or word start."""
    window = 400
    a, b = max(0, head - window), min(len(text), head + window)
    bounds = [m.end() if ends else m.start() for m in _WORD.finditer(text, a, b)]
    return _step(bounds, head, step)


def _step(bounds: list[int], head: int, step: int) -> int:
    if not bounds:
        return head
    if step > 0:
        i = bisect.bisect_right(bounds, head)
        return bounds[i] if i < len(bounds) else head
    i = bisect.bisect_left(bounds, head) - 1
    return bounds[i] if i >= 0 else head


def line_col_offset(text: str, line: int, col: int) -> int:
    """Offset in `text` of (logical line, column): how Textual's selections count."""
    lines = text.split("\n")
    line = max(0, min(line, len(lines) - 1))
    before = sum(len(x) + 1 for x in lines[:line])
    return before + max(0, min(col, len(lines[line])))


def preview(text: str, limit: int = 60) -> str:
    """A passage shortened to one line for a status bar: its start … its end."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    half = (limit - 1) // 2
    return f"{flat[:half].rstrip()}…{flat[-half:].lstrip()}"
