"""What a draft suggests besides the highlights: headings found by font size, questions for the
terms the text defines, and questions for captioned figures (rendered from the PDF)."""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..sources.pdf.highlights import covered_words, sentence_around
from ..sources.pdf.pages import PageNumbers
from ..sources.pdf.text import PageText, TextLine
from .markdown import Cards, escape_markdown

#: A line is a heading when its text is at least this much larger than the body text.
HEADING_SCALE = 1.15
#: Images smaller than this (in points, either side) are decoration, not figures.
FIGURE_MIN_SIZE = 48.0

_CAPTION = re.compile(r"^(?:Figure|Fig\.)\s*[\dIVXivx]", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_TERM_TRIM = ".,;:!?()[]{}\"'\u2018\u2019\u201c\u201d"


@dataclass(frozen=True, slots=True)
class DraftHeading:
    """A heading of the draft: its level, title and place (physical page, top)."""

    level: int
    title: str
    index: int
    top: float


@dataclass(frozen=True, slots=True)
class Item:
    """Lines of the draft at a place on a page; the draft sorts them by place."""

    index: int
    top: float
    order: int  # headings first at the same place
    lines: Sequence[str]


def _body_size(texts: Sequence[PageText]) -> float:
    sizes: Counter[float] = Counter()
    for page in texts:
        for line in page.lines:
            for span in line.spans:
                sizes[span.size] += len(span.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def font_headings(texts: Sequence[PageText]) -> list[DraftHeading]:
    """Headings of a PDF without an outline: short lines set larger than the body text."""
    body = _body_size(texts)
    if not body:
        return []
    found: list[tuple[PageText, TextLine, float]] = []
    for page in texts:
        for line in page.lines:
            size = min(span.size for span in line.spans)
            text = line.text
            if size >= body * HEADING_SCALE and _LETTERS.search(text) and len(text) <= 120:
                previous = found[-1] if found else None
                if (
                    previous is not None
                    and previous[0] is page
                    and previous[1].block == line.block
                    and previous[2] == size
                ):  # a title set on two lines
                    merged = TextLine(previous[1].spans + line.spans, line.block, previous[1].box)
                    found[-1] = (page, merged, size)
                    continue
                found.append((page, line, size))
    levels = {
        size: rank + 1 for rank, size in enumerate(sorted({s for *_, s in found}, reverse=True))
    }
    return [
        DraftHeading(min(levels[size], 3), line.text, page.index, line.box[1])
        for page, line, size in found
    ]


def term_questions(
    page: PageText, marked: set[str], cards: Cards
) -> Iterable[tuple[float, list[str]]]:
    """Candidate questions for the terms a page defines: short bold or italic phrases."""
    body = _body_size([page])
    for line in page.lines:
        if len(line.spans) == 1 and line.spans[0].bold:
            continue  # a bold line on its own is a heading, not a term
        for span in line.spans:
            if not (span.bold or span.italic) or span.math or span.size > body * HEADING_SCALE:
                continue
            term = " ".join(span.text.strip(_TERM_TRIM + " ").split())
            words = term.split()
            if not (1 <= len(words) <= 6) or not _LETTERS.search(term):
                continue
            key = term.casefold()
            if key in cards.terms or any(key in text for text in marked):
                continue
            span_range = covered_words(page.words, [span.box])
            if span_range is None:
                continue
            cards.terms.add(key)
            before, middle, after = sentence_around(page.words, *span_range)
            sentence = f"{before}{middle}{after}".strip(" …")
            question = f"What is meant by *{escape_markdown(term)}*?"
            yield span.box[1], cards.question(question, sentence, page.label)


def figure_questions(
    page: PageText, link: PdfLink, cards: Cards
) -> Iterable[tuple[float, list[str]]]:
    """Candidate questions for captioned figures: the figure, rendered from the PDF."""
    for box in page.images:
        x0, y0, x1, y1 = box
        if x1 - x0 < FIGURE_MIN_SIZE or y1 - y0 < FIGURE_MIN_SIZE:
            continue
        caption = _caption_below(page, box)
        if caption is None:
            continue
        rect = ",".join(
            f"{v:g}" for v in (math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
        )
        image = f"![{escape_markdown(caption.split(':')[0])}]({link(page)}&rect={rect})"
        yield y0, cards.question("What does this figure show?", caption, page.label, [image])


def _caption_below(page: PageText, box: tuple[float, float, float, float]) -> str | None:
    x0, _, x1, y1 = box
    for position, line in enumerate(page.lines):
        top = line.box[1]
        if y1 - 2 <= top <= y1 + 36 and line.box[0] < x1 and line.box[2] > x0:
            if not _CAPTION.match(line.text):
                return None
            parts = [line.text]
            for following in page.lines[position + 1 :]:
                if following.block != line.block:
                    break
                parts.append(following.text)
            return " ".join(parts)
    return None


class PdfLink:
    """`../dlbook.pdf#page=56`: the PDF as the note links it, pages as --pages reads them."""

    def __init__(self, pdf: Path, out: Path, numbers: PageNumbers) -> None:
        relative = os.path.relpath(pdf.resolve(), out.resolve().parent)
        self.target = urllib.parse.quote(Path(relative).as_posix())
        self.numbers = numbers

    def __call__(self, page: PageText) -> str:
        # Without page labels a link names the physical page: links have no --offset.
        number = page.label if self.numbers.rules else str(page.index + 1)
        return f"{self.target}#page={urllib.parse.quote(number)}"
