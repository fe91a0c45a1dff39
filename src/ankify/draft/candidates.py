"""What a draft suggests besides the highlights: headings found by type size, and questions
for captioned figures (rendered from the PDF). Defined terms are in `terms.py`."""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..sources.pdf.highlights import Box
from ..sources.pdf.pages import PageNumbers
from ..sources.pdf.text import PageText, TextLine
from .layout import (
    FIGURE_MIN_SIZE,
    Layout,
    Place,
    RowKind,
    body_size,
    page_layout,
    unfaithful_boxes,
)
from .markdown import Cards, escape_markdown

_CAPTION = re.compile(r"^(?:Figure|Fig\.)\s*[\dIVXivx]", re.IGNORECASE)
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(?=\S)")
_CHAPTER = re.compile(r"^(?:Chapter|Part)\s+(\d+|[IVXLC]+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DraftHeading:
    """A heading of the draft: its level, title and place (physical page, top)."""

    level: int
    title: str
    index: int
    top: float
    left: float | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """Lines of the draft at a place on the pages; the draft sorts them by place."""

    place: Place
    order: int  # headings first at the same place
    lines: Sequence[str]


def layouts(texts: Sequence[PageText]) -> dict[int, Layout]:
    """The layout of each page, by physical page."""
    body = body_size(texts)
    return {page.index: page_layout(page, body) for page in texts}


def font_headings(texts: Sequence[PageText]) -> list[DraftHeading]:
    """Headings of a PDF without an outline: rows set larger than the body text, or bold or in
    small capitals on their own, with their numbers ("3.1 Why Probability?"). A numbered
    heading's level is its number's depth; "Chapter 3" and the title below it are one heading,
    "3 Probability and Information Theory"."""
    body = body_size(texts)
    found: list[tuple[PageText, TextLine, str]] = []
    for page in texts:
        layout = page_layout(page, body)
        for row in sorted(layout.rows, key=lambda row: row.line.box[1]):
            if row.kind is not RowKind.HEADING:
                continue
            line, text = row.line, row.line.text
            previous = found[-1] if found else None
            if previous is not None and previous[0] is page:
                above = previous[1]
                chapter = _CHAPTER.match(previous[2])
                if chapter and not _NUMBER.match(text):  # "Chapter 3" over its title
                    found[-1] = (page, line, f"{chapter.group(1)} {text}")
                    continue
                if (
                    abs(above.size - line.size) < 0.2
                    and 0 <= line.box[1] - above.box[3] < 0.8 * line.size
                    and not _NUMBER.match(text)
                ):  # a title set on two rows
                    box = _union(above.box, line.box)
                    merged = TextLine(above.spans + line.spans, above.block, box)
                    found[-1] = (page, merged, f"{previous[2]} {text}")
                    continue
            found.append((page, line, text))
    numbered = [(line.size, _depth(text)) for _, line, text in found if _depth(text)]
    unnumbered = sorted({line.size for _, line, text in found if not _depth(text)}, reverse=True)
    return [
        DraftHeading(
            min(_depth(text) or _level(line.size, numbered, unnumbered), 6),
            text,
            page.index,
            line.box[1],
            line.box[0],
        )
        for page, line, text in found
    ]


def _depth(title: str) -> int:
    match = _NUMBER.match(title)
    return len(match.group(1).split(".")) if match else 0


def _level(size: float, numbered: list[tuple[float, int]], sizes: list[float]) -> int:
    """The level of an unnumbered heading: that of numbered headings no larger, else by
    size among the unnumbered ones."""
    if numbered:
        levels = [level for other, level in numbered if other <= size * 1.02]
        return min(levels) if levels else max(level for _, level in numbered) + 1
    return min(sizes.index(size) + 1, 3)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def figure_questions(
    page: PageText, layout: Layout, link: PdfLink, cards: Cards
) -> Iterable[tuple[Place, list[str]]]:
    """Candidate questions for captioned figures: the figure, rendered from the PDF; the
    caption is the answer, or a picture of it when it holds math."""
    unfaithful = unfaithful_boxes(page.lines)
    for box in page.images:
        x0, y0, x1, y1 = box
        if x1 - x0 < FIGURE_MIN_SIZE or y1 - y0 < FIGURE_MIN_SIZE:
            continue
        rows = _caption(layout, box)
        if not rows:
            continue
        caption = _joined([row.text for row in rows], page)
        top = rows[0].box[1]
        if top < y1:  # a page-sized picture with its caption inside: the figure is above it
            y1 = top - 2
            if y1 - y0 < FIGURE_MIN_SIZE:
                continue
        alt = escape_markdown(caption.split(":")[0])
        image = f"![{alt}]({link.region(page, (x0, y0, x1, y1))})"
        place = layout.place(y0, x0, x1)
        question = "What does this figure show?"
        spans = [span.box for row in rows for span in row.spans]
        if any(b in unfaithful for b in spans):
            area = _union(rows[0].box, rows[-1].box)
            area = (area[0] - 2, area[1] - 2, area[2] + 2, area[3] + 2)
            answer = f"![{alt}]({link.region(page, area)})"
            yield place, cards.question(question, "", page.label, [image], answer_markdown=answer)
        else:
            yield place, cards.question(question, caption, page.label, [image])


def _joined(texts: Sequence[str], page: PageText) -> str:
    """Rows as one text: a word hyphenated at a row's end is one word again ("distri-" +
    "bution"), a compound keeps its hyphen ("gradient-" + "based") unless the page writes
    it solid."""
    solid = {word.casefold().strip(".,;:()") for line in page.lines for word in line.text.split()}
    text = ""
    for part in texts:
        head = re.search(r"([^\W\d_]+)-$", text)
        tail = re.match(r"[^\W\d_]+", part)
        if head and tail and part[:1].islower():
            whole = (head.group(1) + tail.group(0)).casefold()
            text = text[:-1] + part if whole in solid else text + part
        else:
            text = f"{text} {part}" if text else part
    return text


def _caption(layout: Layout, box: Box) -> list[TextLine]:
    """The caption's rows below a picture (or inside it, for a page-sized one)."""
    x0, y0, x1, y1 = box
    rows = layout.rows
    for position, row in enumerate(rows):
        line = row.line
        top = line.box[1]
        below = y1 - 2 <= top <= y1 + 36
        inside = y0 + FIGURE_MIN_SIZE < top < y1 and row.kind is RowKind.CAPTION
        if (below or inside) and line.box[0] < x1 and line.box[2] > x0:
            if row.kind is not RowKind.CAPTION or not _CAPTION.match(line.text):
                return []
            caption = [line]
            for following in rows[position + 1 :]:
                if following.kind is not RowKind.CAPTION or _CAPTION.match(following.line.text):
                    break
                caption.append(following.line)
            return caption
    return []


class PdfLink:
    """`../dlbook.pdf#page=56`: the PDF as the note links it, pages as --pages reads them."""

    def __init__(self, pdf: Path, out: Path, numbers: PageNumbers) -> None:
        relative = os.path.relpath(pdf.resolve(), out.resolve().parent)
        self.target = urllib.parse.quote(Path(relative).as_posix())
        self.numbers = numbers

    def __call__(self, page: PageText) -> str:
        return self.page(page.index)

    def page(self, index: int) -> str:
        """The link to physical page `index` (0-based)."""
        # Printed pages, as --pages reads them: the note's `offset:` maps them without labels.
        number = self.numbers.label(index)
        return f"{self.target}#page={urllib.parse.quote(number)}"

    def region(self, page: PageText | int, box: Box) -> str:
        """The link to a region of a page, in whole points around `box`."""
        index = page if isinstance(page, int) else page.index
        x0, y0, x1, y1 = box
        rect = ",".join(
            f"{v:g}" for v in (math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
        )
        return f"{self.page(index)}&rect={rect}"


def place_of(
    pages: dict[int, Layout], index: int, top: float, left: float | None, title: str = ""
) -> Place:
    """The reading place of a heading or highlight at `top` (and `left`) of page `index`; a
    heading known only by its top takes the column of the row that shows its title."""
    layout = pages.get(index)
    if layout is None:
        return (index, 0, 0, top)
    if left is None and title:
        return layout.place_heading(title, top)
    return layout.place(top, left)
