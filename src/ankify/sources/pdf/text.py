"""The text of a page with its fonts and images: what `ankify draft` suggests cards from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...progress import PageCallback
from .document import pdf_errors, pymupdf, unreadable_page
from .highlights import Box, Word, page_words
from .pages import PageSelection, each_page

_MATH_FONT = re.compile(r"cmmi|cmsy|cmex|msbm|msam|math|symbol", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A run of text in one font: what tells headings and defined terms apart."""

    text: str
    size: float
    bold: bool
    italic: bool
    math: bool  # set in a math font (an italic x is a variable, not a defined term)
    box: Box


@dataclass(frozen=True, slots=True)
class TextLine:
    spans: tuple[TextSpan, ...]
    block: int
    box: Box

    @property
    def text(self) -> str:
        return " ".join("".join(span.text for span in self.spans).split())


@dataclass(frozen=True, slots=True)
class PageText:
    """What a draft needs of one page: its words, its lines with their fonts, its images."""

    index: int  # physical page, 0-based
    label: str
    words: tuple[Word, ...]
    lines: tuple[TextLine, ...]
    images: tuple[Box, ...]


def read_page_text(
    doc: Any, selection: PageSelection, path: Path, on_page: PageCallback | None = None
) -> tuple[PageText, ...]:
    """The text and images of the selected pages (and of no other page).

    `on_page(done, total)` is called after each page, for a progress bar.
    """
    module = pymupdf()
    pages = []
    for index, label in each_page(selection, on_page):
        try:
            page = doc.load_page(index)
            data = page.get_text("dict", flags=module.TEXT_MEDIABOX_CLIP)
            lines = []
            for number, block in enumerate(data.get("blocks", ())):
                for line in block.get("lines", ()):
                    spans = tuple(
                        TextSpan(
                            text=str(span["text"]),
                            size=round(float(span["size"]), 1),
                            bold=bool(span["flags"] & 16) or "bold" in span["font"].lower(),
                            italic=bool(span["flags"] & 2)
                            or any(w in span["font"].lower() for w in ("italic", "oblique")),
                            math=bool(_MATH_FONT.search(span["font"])),
                            box=tuple(span["bbox"]),
                        )
                        for span in line.get("spans", ())
                        if str(span["text"]).strip()
                    )
                    if spans:
                        lines.append(TextLine(spans, number, tuple(line["bbox"])))
            images = tuple(tuple(info["bbox"]) for info in page.get_image_info())
            pages.append(PageText(index, label, tuple(page_words(page)), tuple(lines), images))
        except pdf_errors() as e:
            raise unreadable_page(path, label, e) from None
    return tuple(pages)
