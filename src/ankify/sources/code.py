"""Where code stands in a note: code spans, fenced code, HTML comments and link targets.

Formulas are never looked for inside them (`formulas.py`): a `$` in `` `echo $HOME` `` or in a
link's target is the author's, as written. Every region is found in one pass over the text.
"""

from __future__ import annotations

import bisect
import re

#: What may start code: a run of backticks or tildes (a span, or a fence at a line's start), a
#: comment, a link's target. One plain pattern (the lookahead lets `re` skip to the characters
#: that can start one): the checks that need context are made on the few places it finds.
_START = re.compile(r"(?=[`~<\]])(?:`+|~{3,}|<!--|\]\(|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_RUN = re.compile(r"`+")


def code_regions(text: str) -> dict[int, int]:
    """Where code spans, fenced code, HTML comments and link targets start, and where they end:
    formulas are never looked for inside them."""
    regions: dict[int, int] = {}
    runs = _backtick_runs(text)
    blanks = [found.start() for found in _BLANK_LINE.finditer(text)]

    def paragraph_end(at: int) -> int:  # no code span or inline comment runs past it
        index = bisect.bisect_right(blanks, at)
        return blanks[index] if index < len(blanks) else len(text)

    position = 0
    while (found := _START.search(text, position)) is not None:
        start, kind = found.start(), found.group()
        position = found.end()
        if _escaped(text, start):
            position = start + 1  # `\``` escapes one backtick: the rest still count
            continue
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        info = text[position:line_end]  # a fence of backticks has none in its info string
        fence = len(kind) >= 3 and not (kind[0] == "`" and "`" in info)
        if kind[0] in "`~" and fence and _starts_line(text, start):
            regions[start] = position = _fence_end(text, kind, line_end)
            continue
        if kind[0] == "`":
            span_end = _span_end(runs, start, len(kind))
            if span_end is None or span_end > paragraph_end(start):
                continue
            end = span_end
        elif kind == "<!--":  # a comment block runs to its end (`scan` checks it has one)
            limit = len(text) if _starts_line(text, start) else paragraph_end(start)
            close_at = text.find("-->", position, limit)
            if close_at < 0 and limit < len(text):
                continue  # `<!--` within a paragraph that never closes: text
            end = len(text) if close_at < 0 else close_at + 3
        elif kind[0] == "<":  # an autolink: <https://…>
            end = position
        elif kind == "](":  # a link's target, on its line
            close_at = text.find(")", position, line_end)
            if close_at < 0:
                continue
            end = close_at + 1
        else:  # tildes within a line
            continue
        regions[start] = position = end
    return regions


def _escaped(text: str, at: int) -> bool:
    """Whether a backslash escapes the character at `at` (and is not itself escaped)."""
    return at > 0 and text[at - 1] == "\\" and (at < 2 or text[at - 2] != "\\")


def _starts_line(text: str, at: int) -> bool:
    line_start = text.rfind("\n", 0, at) + 1
    return not text[line_start:at].strip(" \t")


def _backtick_runs(text: str) -> dict[int, list[int]]:
    """Where runs of backticks stand, by their length (an escaped backtick starts none)."""
    runs: dict[int, list[int]] = {}
    for run in _RUN.finditer(text):
        start, end = run.span()
        if _escaped(text, start):
            start += 1
        if start < end:
            runs.setdefault(end - start, []).append(start)
    return runs


def _span_end(runs: dict[int, list[int]], start: int, length: int) -> int | None:
    """The end of the code span a run of `length` backticks at `start` opens (the next run as
    long), or None when none closes it."""
    same = runs.get(length, [])
    found = bisect.bisect_right(same, start)
    return same[found] + length if found < len(same) else None


def _fence_end(text: str, fence: str, line_end: int) -> int:
    """Just after the fence that closes the fenced block opened by `fence` on the line that
    ends at `line_end` (`scan` has checked that it closes), or the end of the text."""
    if line_end >= len(text):
        return len(text)
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
    close = closing.search(text, line_end + 1)
    return len(text) if close is None else close.end()
