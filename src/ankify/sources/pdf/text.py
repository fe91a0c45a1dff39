"""The text of a page with its fonts and images: what `ankify draft` suggests cards from.

Lines are rows as the eye sees them: PyMuPDF's lines on one baseline are joined (a heading's
number and its title, a word a browser's print stored after the rest of its line), spans are
taken left to right, and spaces come from the gaps between them, not from the PDF's order.
Rotated text (an arXiv stamp in the margin, an axis label) is no row of the text.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...progress import PageCallback
from .document import pdf_errors, pymupdf, unreadable_page
from .glyphs import math_font, tex_text_font, unfaithful
from .highlights import Box, Word, page_words
from .pages import PageSelection, each_page

_SECTION_NUMBER = re.compile(r"\d+(?:\.\d+)*\.?")
#: Spans further apart than this (in type sizes) are separate words even without a space.
_WORD_GAP = 0.15
#: PDF lines on one baseline closer than this (in type sizes) are one row; a column gutter
#: is wider.
_ROW_GAP = 1.5


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A run of text in one font: what tells headings and defined terms apart."""

    text: str
    size: float
    bold: bool
    italic: bool
    math: bool  # set in a math font, or glyphs without faithful text (an italic x is no term)
    box: Box


@dataclass(frozen=True, slots=True)
class TextLine:
    """A row of text, its spans left to right."""

    spans: tuple[TextSpan, ...]
    block: int
    box: Box
    baseline: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(join_spans(self.spans).split())

    @property
    def size(self) -> float:
        """The type size of its letters (math and stray marks aside)."""
        sizes = [s.size for s in self.spans if not s.math and any(c.isalpha() for c in s.text)]
        return statistics.median(sizes) if sizes else max(s.size for s in self.spans)


@dataclass(frozen=True, slots=True)
class PageText:
    """What a draft needs of one page: its words, its rows with their fonts, its images."""

    index: int  # physical page, 0-based
    label: str
    words: tuple[Word, ...]
    lines: tuple[TextLine, ...]
    images: tuple[Box, ...]
    width: float = 0.0
    height: float = 0.0


def join_spans(spans: tuple[TextSpan, ...] | list[TextSpan]) -> str:
    """The text of spans left to right, a space where their gap is one."""
    text = ""
    previous: TextSpan | None = None
    for span in spans:
        if previous is not None and not (text[-1:].isspace() or span.text[:1].isspace()):
            gap = span.box[0] - previous.box[2]
            if gap > _WORD_GAP * min(span.size, previous.size):
                text += " "
        text += span.text
        previous = span
    return text


def read_page_text(
    doc: Any, selection: PageSelection, path: Path, on_page: PageCallback | None = None
) -> tuple[PageText, ...]:
    """The text and images of the selected pages (and of no other page).

    `on_page(done, total)` is called after each page, for a progress bar.
    """
    pages = []
    for index, label in each_page(selection, on_page):
        try:
            page = doc.load_page(index)
            lines = _rows(page)
            images = tuple(tuple(info["bbox"]) for info in page.get_image_info())
            rect = page.rect
            pages.append(
                PageText(
                    index,
                    label,
                    tuple(page_words(page)),
                    lines,
                    images,
                    float(rect.width),
                    float(rect.height),
                )
            )
        except pdf_errors() as e:
            raise unreadable_page(path, label, e) from None
    return tuple(pages)


def _rows(page: Any) -> tuple[TextLine, ...]:
    data = page.get_text("dict", flags=pymupdf().TEXT_MEDIABOX_CLIP)
    raw: list[tuple[int, Any]] = []
    fonts: Counter[str] = Counter()
    for number, block in enumerate(data.get("blocks", ())):
        for line in block.get("lines", ()):
            dx, dy = line.get("dir", (1.0, 0.0))
            if abs(dy) > 0.05 or dx < 0:
                continue  # rotated: a margin stamp or an axis label
            raw.append((number, line))
            for span in line.get("spans", ()):
                fonts[str(span["font"])] += len(str(span["text"]).strip())
    body_font = fonts.most_common(1)[0][0] if fonts else ""
    tex_is_math = not tex_text_font(body_font)
    lines = []
    for number, line in raw:
        spans = tuple(
            _span(span, tex_is_math) for span in line.get("spans", ()) if str(span["text"]).strip()
        )
        if spans:
            longest = max(line["spans"], key=lambda span: len(str(span["text"]).strip()))
            baseline = float(longest["origin"][1])
            lines.append(TextLine(spans, number, tuple(line["bbox"]), baseline))
    return _join_rows(lines)


def _span(span: dict[str, Any], tex_is_math: bool) -> TextSpan:
    font = str(span["font"])
    lower = font.lower()
    text = str(span["text"])
    math = math_font(font, tex_is_math=tex_is_math)
    return TextSpan(
        text=text,
        size=round(float(span["size"]), 1),
        bold=bool(span["flags"] & 16) or "bold" in lower or bool(re.match(r"cmbx", lower)),
        italic=bool(span["flags"] & 2)
        or any(w in lower for w in ("italic", "oblique", "slant", "cmti", "cmsl")),
        math=math or unfaithful(text),
        box=tuple(span["bbox"]),
    )


def _join_rows(lines: list[TextLine]) -> tuple[TextLine, ...]:
    """PDF lines on one baseline and close together as one row, its spans left to right."""
    bands: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda line: line.baseline):
        band = bands[-1] if bands else None
        if band is not None and abs(line.baseline - band[0].baseline) <= 0.25 * min(
            line.size, band[0].size
        ):
            band.append(line)
        else:
            bands.append([line])
    rows: list[list[TextLine]] = []
    for band in bands:
        band.sort(key=lambda line: line.box[0])
        right = -math.inf
        for line in band:
            # A heading's number stands further from its title than words from each other.
            number = bool(rows) and _SECTION_NUMBER.fullmatch(rows[-1][-1].text) is not None
            if line.box[0] - right > (3 if number else 1) * _ROW_GAP * line.size:
                rows.append([])
            rows[-1].append(line)
            right = max(right, line.box[2])
    joined = []
    for row in rows:
        spans = sorted((s for line in row for s in line.spans), key=lambda s: s.box[0])
        box = (
            min(line.box[0] for line in row),
            min(line.box[1] for line in row),
            max(line.box[2] for line in row),
            max(line.box[3] for line in row),
        )
        joined.append(TextLine(tuple(spans), row[0].block, box, row[0].baseline))
    return tuple(sorted(joined, key=lambda line: (line.box[1], line.box[0])))
