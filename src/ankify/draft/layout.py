"""Where a draft's lines sit on a page: columns, reading order, and what kind of row each is.

A draft lists its cards in reading order: down the left column, then down the right one, band
by band between the rows that cross both (a paper's title, a wide figure). Rows are told apart
by their type: headings (larger, or bold on their own, or small capitals), captions ("Figure
3.1:" and the rest of its paragraph) and body text, where defined terms are.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..sources.pdf.highlights import Box
from ..sources.pdf.text import PageText, TextLine

#: Images smaller than this (in points, either side) are decoration, not figures.
FIGURE_MIN_SIZE = 48.0
#: A row is a heading when its letters are at least this much larger than the body text.
HEADING_SCALE = 1.15
#: A place on the pages, in reading order: page, band between rows spanning both columns,
#: column, top.
Place = tuple[int, int, int, float]

_SECTION_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)*\.?)(?=\s)")
_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table)\s*[\dIVX]+(?:\.\d+)*[.:](?!\d)", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")
#: What opens an item of a list.
ITEM_MARKS = "\u2022\u25e6\u25aa\u25cf\u2023\u2043\u2219\u00b7"
_BULLETS = ITEM_MARKS + "\u2013\u2014-"


class RowKind(Enum):
    BODY = "body"
    HEADING = "heading"
    CAPTION = "caption"
    FIGURE = "figure"  # a label inside a picture


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a page in reading order: its kind, and whether it starts a paragraph."""

    line: TextLine
    kind: RowKind
    place: Place
    starts_paragraph: bool


@dataclass(frozen=True, slots=True)
class Layout:
    """A page's columns and its rows in reading order."""

    index: int
    body: float  # the type size of the body text
    gutter: tuple[float, float] | None  # the white between two columns
    spanning: tuple[float, ...]  # tops of the rows crossing the gutter, top to bottom
    rows: tuple[Row, ...]

    def place(self, top: float, left: float | None = None, right: float | None = None) -> Place:
        """The reading place of something at `top` between `left` and `right`."""
        if self.gutter is None:
            return (self.index, 0, 0, top)
        band = bisect_right(self.spanning, top + 0.5)
        crossing = right is not None and left is not None and right > self.gutter[1] + 1
        if left is None or (crossing and left < self.gutter[0] - 1):
            return (self.index, band, 0, top)
        middle = (self.gutter[0] + self.gutter[1]) / 2
        return (self.index, band, int(left >= middle), top)

    def place_heading(self, title: str, top: float) -> Place:
        """The place of a heading known by its title and top (an outline entry has no x):
        the column of the row near `top` that shares a word with the title."""
        words = {w.casefold() for w in re.findall(r"\w{2,}", title)}
        near = sorted(self.rows, key=lambda row: abs(row.line.box[1] - top))
        for row in near[:6]:
            if abs(row.line.box[1] - top) > 30:
                break
            if words & {w.casefold() for w in re.findall(r"\w{2,}", row.line.text)}:
                return (*row.place[:3], top)
        return self.place(top)


def body_size(texts: Sequence[PageText]) -> float:
    """The type size most of the text is set in (browsers' prints vary it a little)."""
    sizes: Counter[float] = Counter()
    for page in texts:
        for line in page.lines:
            for span in line.spans:
                if not span.math:
                    sizes[round(span.size * 2) / 2] += len(span.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def page_layout(page: PageText, body: float) -> Layout:
    """The columns of a page, found from its rows, and its rows in reading order."""
    lines = page.lines
    gutter = _gutter(lines, page.width)
    spanning: tuple[float, ...] = ()
    if gutter is not None:
        spanning = tuple(
            sorted(
                line.box[1]
                for line in lines
                if line.box[0] < gutter[0] - 1 and line.box[2] > gutter[1] + 1
            )
        )
    layout = Layout(page.index, body, gutter, spanning, ())
    placed = sorted(
        ((layout.place(line.box[1], line.box[0], line.box[2]), line) for line in lines),
        key=lambda item: (item[0], item[1].box[0]),
    )
    rows: list[Row] = []
    caption: float | None = None  # the type size of the caption being read
    for position, (place, line) in enumerate(placed):
        previous = placed[position - 1] if position else None
        starts = previous is None or _starts_paragraph(previous[1], line, previous[0], place)
        kind = row_kind(line, body)
        if kind is RowKind.CAPTION:
            caption = line.size
        elif caption is not None and (kind is RowKind.HEADING or starts):
            # A caption set smaller than the text goes on as long as its type (over a
            # formula); one set as large ends with its paragraph.
            smaller = caption < 0.95 * body and abs(line.size - caption) < 0.5
            if kind is RowKind.HEADING or not smaller:
                caption = None
        kind = RowKind.CAPTION if caption is not None else kind
        label = len(line.text) <= 3 or (
            line.size < 0.95 * body and not any(span.math for span in line.spans)
        )  # a formula set apart is text, however small its letters
        if kind is RowKind.BODY and label and _in_figure(line, page, rows):
            kind = RowKind.FIGURE  # a picture's box may hold the page's text below it too
        rows.append(Row(line, kind, place, starts))
    return Layout(page.index, body, gutter, spanning, tuple(rows))


def _in_figure(line: TextLine, page: PageText, rows: Sequence[Row]) -> bool:
    """Whether a row is a label inside a figure: a picture, down to its caption."""
    x0, y0, x1, y1 = line.box
    for ix0, iy0, ix1, iy1 in page.images:
        if ix1 - ix0 < FIGURE_MIN_SIZE or iy1 - iy0 < FIGURE_MIN_SIZE:
            continue
        captions = [
            row.line.box[1]
            for row in rows
            if row.kind is RowKind.CAPTION and iy0 < row.line.box[1] < iy1
        ]
        bottom = min(captions, default=iy1)  # a page-sized picture ends at its caption
        if ix0 - 2 <= x0 and x1 <= ix1 + 2 and iy0 - 2 <= y0 and y1 <= bottom + 2:
            return True
    return False


def row_kind(line: TextLine, body: float) -> RowKind:
    """A heading, the first row of a caption, or body text."""
    text = line.text
    if _CAPTION.match(text):
        return RowKind.CAPTION
    letters = [s for s in line.spans if not s.math and _LETTERS.search(s.text)]
    if not letters or len(text) > 120 or not body or not (text[0].isupper() or text[0].isdigit()):
        return RowKind.BODY  # a heading starts with a capital or its number
    if line.size >= body * HEADING_SCALE:
        return RowKind.HEADING
    words = text.split()
    numbered = bool(_SECTION_NUMBER.match(text)) and len(words) > 1
    bold = all(s.bold for s in letters)
    if bold and (numbered or (len(words) <= 10 and not re.search(r"[.:,;]$", text))):
        return RowKind.HEADING
    capitals = "".join(c for c in text if c.isalpha())
    larger = max(s.size for s in letters) >= body * 1.1
    if capitals.isupper() and larger and len(words) <= 8:
        return RowKind.HEADING  # small capitals: "1 INTRODUCTION"
    return RowKind.BODY


def _starts_paragraph(previous: TextLine, line: TextLine, before: Place, place: Place) -> bool:
    if before[:3] != place[:3] or line.text[:1] in ITEM_MARKS:
        return True  # a new column, or an item of a list
    size = max(line.size, 1.0)
    gap = line.box[1] - previous.box[3]
    hanging = previous.text[:1] in ITEM_MARKS  # an item's next rows are indented
    return gap > 0.6 * size or (line.box[0] > previous.box[0] + 0.8 * size and not hanging)


def _gutter(lines: Sequence[TextLine], width: float) -> tuple[float, float] | None:
    """The white between two columns: an x range in the middle of the page that (almost) no
    narrow row of text crosses, with rows on both sides."""
    if not width:
        return None
    narrow = [
        line for line in lines if line.box[2] - line.box[0] < 0.55 * width and len(line.text) >= 15
    ]
    if len(narrow) < 8:
        return None
    low, high = int(0.3 * width), int(0.7 * width)
    crossings = [
        sum(1 for line in narrow if line.box[0] < x < line.box[2]) for x in range(low, high)
    ]
    fewest = min(crossings)
    if fewest > max(1, len(narrow) // 10):
        return None
    best: tuple[int, int] | None = None
    start: int | None = None
    for offset, count in enumerate([*crossings, fewest + 1]):
        if count == fewest and start is None:
            start = offset
        elif count != fewest and start is not None:
            if best is None or offset - start > best[1] - best[0]:
                best = (start, offset)
            start = None
    if best is None or best[1] - best[0] < 4:
        return None
    gutter = (float(low + best[0]), float(low + best[1]))
    left = [line for line in narrow if line.box[2] <= gutter[0] + 1]
    right = [line for line in narrow if line.box[0] >= gutter[1] - 1]
    if min(len(left), len(right)) < max(4, 0.2 * len(narrow)):
        return None
    # A column's rows start at one margin; a figure's labels or equation numbers do not.
    margin = Counter(round(line.box[0] / 3) for line in right).most_common(1)[0][1]
    return gutter if margin >= 0.4 * len(right) else None


def unfaithful_boxes(lines: Sequence[TextLine]) -> list[Box]:
    """Boxes of the math whose text is not what the page shows: all but lone letters ("p",
    "x") and bullets, which read as they show."""
    spans = [span for line in lines for span in line.spans if span.math]
    boxes = []
    for span in spans:
        text = span.text.strip()
        if text and all(c in _BULLETS for c in text):
            continue
        alone = not any(
            other is not span
            and other.box[0] - 1.5 <= span.box[2]
            and span.box[0] <= other.box[2] + 1.5
            and min(other.box[3], span.box[3]) > max(other.box[1], span.box[1])
            for other in spans
        )
        if not (len(text) == 1 and text.isalpha() and alone):
            boxes.append(span.box)
    return boxes
