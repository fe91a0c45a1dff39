"""What is printed on a page but is not its text: running headers and footers, page numbers,
and a paper's author block. A draft asks no question about them and takes no heading from them.

A running header or footer is a row repeated at the same height in the top or bottom margin of
several pages (the same text, its numbers aside). One or two pages cannot show a repetition:
there the row above (or below) all the others, in the margin, is furniture when its shape gives
it away: a bare page number, or capitals, slanted or smaller type, set apart from the text. On a
paper's first page, the rows between the title and the abstract are its authors and addresses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..sources.pdf.text import PageText, TextLine
from .layout import body_size

#: Running headers sit within this share of the page height from the top, footers from the
#: bottom.
HEADER_BAND = 0.12
FOOTER_BAND = 0.16
#: Rows of the same text on two pages are one running header when their tops are this close.
SAME_HEIGHT = 4.0

_PAGE_NUMBER = re.compile(r"[-\u2013\u2014 ]*(?:\d+|[ivxlcdm]+|[IVXLCDM]+)[-\u2013\u2014 ]*")
_ABSTRACT = re.compile(r"^(?:abstract|summary)\b", re.IGNORECASE)
_SECTION = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")


def strip_furniture(texts: Sequence[PageText]) -> tuple[PageText, ...]:
    """The pages without their running headers, footers and page numbers, and the first
    page of a paper without its authors."""
    body = body_size(texts)
    repeated = _repeated(texts)
    pages = []
    for page in texts:
        kept = [
            line
            for position, line in enumerate(page.lines)
            if (page.index, position) not in repeated and not _alone_in_margin(page, line, body)
        ]
        if page.index == 0:
            authors = _author_rows(page, kept, body)
            kept = [line for line in kept if not any(line is row for row in authors)]
        pages.append(replace(page, lines=tuple(kept)))
    return tuple(pages)


def _band(page: PageText, line: TextLine) -> str | None:
    if line.box[3] <= HEADER_BAND * page.height:
        return "top"
    if line.box[1] >= (1 - FOOTER_BAND) * page.height:
        return "bottom"
    return None


def _key(line: TextLine) -> str:
    return re.sub(r"\d+", "#", "".join(line.text.casefold().split()))


def _repeated(texts: Sequence[PageText]) -> set[tuple[int, int]]:
    """(page, row) of the rows in a margin that another page repeats at the same height."""
    seen: defaultdict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)
    for page in texts:
        for position, line in enumerate(page.lines):
            band = _band(page, line)
            if band is not None:
                seen[band, _key(line)].append((page.index, position, line.box[1]))
    found = set()
    for rows in seen.values():
        for index, position, top in rows:
            pages = {other for other, _, y in rows if abs(y - top) <= SAME_HEIGHT}
            if len(pages) >= 2:
                found.add((index, position))
    return found


def _alone_in_margin(page: PageText, line: TextLine, body: float) -> bool:
    """The top or bottom row of a page, in the margin, shaped as a header or a page number."""
    band = _band(page, line)
    if band is None:
        return False
    others = [other for other in page.lines if other is not line]
    if band == "top" and any(other.box[1] < line.box[1] for other in others):
        return False
    if band == "bottom" and any(other.box[3] > line.box[3] for other in others):
        return False
    text = line.text
    if _PAGE_NUMBER.fullmatch(text):
        return True
    letters = [s for s in line.spans if any(c.isalpha() for c in s.text)]
    if not letters:
        return False
    capitals = "".join(c for c in text if c.isalpha()).isupper()
    slanted = all(s.italic for s in letters)
    smaller = bool(body) and line.size < 0.92 * body
    if not (capitals or slanted or smaller):
        return False
    if band == "top":
        gaps = [other.box[1] - line.box[3] for other in others]
    else:
        gaps = [line.box[1] - other.box[3] for other in others]
    return not gaps or min(gaps) >= 0.8 * line.size  # set apart from the text


def _author_rows(page: PageText, lines: Sequence[TextLine], body: float) -> list[TextLine]:
    """The rows between a paper's title and its abstract (its authors, their addresses).

    The title is the largest row in the top part of the first page; the authors end at the
    abstract, a numbered heading or a row as wide as text, and are nothing if none comes."""
    rows = sorted(lines, key=lambda line: (line.box[1], line.box[0]))
    upper = [line for line in rows if line.box[1] < 0.4 * page.height]
    if not upper or not body:
        return []
    title = max(upper, key=lambda line: line.size)
    if title.size < 1.25 * body:
        return []
    position = rows.index(title) + 1
    while position < len(rows) and rows[position].size >= 0.9 * title.size:
        position += 1  # the title's other rows
    authors: list[TextLine] = []
    for line in rows[position : position + 40]:
        text = line.text
        wide = line.box[2] - line.box[0] >= 0.5 * page.width
        if _ABSTRACT.match(text) or _SECTION.match(text) or wide:
            return authors
        authors.append(line)
    return []
