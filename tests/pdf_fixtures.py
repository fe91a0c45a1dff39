"""PDFs made with PyMuPDF for the tests (never checked in): text, labels, outline, marks, images."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

WIDTH, HEIGHT = 420, 595
BODY = 10
Line = str | list[tuple[str, str]]  # plain text, or (text, font) runs: helv, hebo (bold), heit

#: Page labels of the test book: two roman front-matter pages, then the printed pages 53-58.
LABELS = [
    {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
    {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 53},
]


@dataclass
class Mark:
    page: int  # physical, 0-based
    texts: tuple[str, ...]
    kind: str = "highlight"
    note: str | None = None
    occurrence: int = 0  # which match of each text on the page


@dataclass
class Book:
    """A PDF to write: pages of text, marks (annotations), images, labels, outline, title."""

    pages: list[tuple[str | None, list[Line]]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    images: list[tuple[int, tuple[float, float, float, float], str | None]] = field(
        default_factory=list
    )
    labels: list[dict[str, Any]] | None = None
    toc: list[list[Any]] | None = None
    title: str | None = None

    def page(self, *lines: Line, heading: str | None = None) -> int:
        self.pages.append((heading, list(lines)))
        return len(self.pages) - 1

    def mark(self, page: int, *texts: str, **options: Any) -> Book:
        self.marks.append(Mark(page, texts, **options))
        return self

    def image(
        self, page: int, rect: tuple[float, float, float, float], caption: str | None = None
    ) -> Book:
        self.images.append((page, rect, caption))
        return self

    def document(self) -> Any:
        doc = pymupdf.open()
        for heading, lines in self.pages:
            page = doc.new_page(width=WIDTH, height=HEIGHT)
            y = 60.0
            if heading:
                page.insert_text((50, y), heading, fontsize=16, fontname="hebo")
                y += 30
            for line in lines:
                runs = [(line, "helv")] if isinstance(line, str) else line
                x = 50.0
                for text, font in runs:
                    page.insert_text((x, y), text, fontsize=BODY, fontname=font)
                    x += pymupdf.get_text_length(text, fontname=font, fontsize=BODY)
                y += 14
        for index, rect, caption in self.images:
            page = doc[index]
            page.insert_image(pymupdf.Rect(rect), stream=png(64, 48))
            if caption:
                page.insert_text((rect[0], rect[3] + 14), caption, fontsize=9, fontname="helv")
        for mark in self.marks:
            page = doc[mark.page]
            quads = []
            for text in mark.texts:
                found = page.search_for(text, quads=True)
                assert len(found) > mark.occurrence, f"{text!r} not on page {mark.page}"
                quads.append(found[mark.occurrence])
            add = {
                "highlight": page.add_highlight_annot,
                "underline": page.add_underline_annot,
                "squiggly": page.add_squiggly_annot,
                "strikeout": page.add_strikeout_annot,
            }[mark.kind]
            annot = add(quads)
            if mark.note is not None:
                annot.set_info(content=mark.note)
            annot.update()
        if self.labels:
            doc.set_page_labels(self.labels)
        if self.toc:
            doc.set_toc(self.toc)
        if self.title is not None:
            doc.set_metadata({"title": self.title})
        return doc

    def save(self, path: Path, **options: Any) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = self.document()
        doc.save(path, **options)
        doc.close()
        return path


def png(width: int, height: int) -> bytes:
    """A small PNG: a red-to-blue gradient (a stand-in for a figure)."""
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, width, height), False)
    for x in range(width):
        for y in range(height):
            pixmap.set_pixel(x, y, (255 * x // width, 80, 255 * y // height))
    return bytes(pixmap.tobytes("png"))


def chapter_book() -> Book:
    """The test book: pages i, ii, then printed pages 53-58 with an outline and marks.

    Page 53 has a highlight over two lines ("jumps over": a box-based extraction would also
    take "brown fox" and "the lazy"), an underline with a Q: note, a squiggly over text
    with markdown characters; 54 an E: note; 55 the same word highlighted twice and a
    comment; 56 a captioned figure; 57 a popup that repeats the highlighted text.
    """
    book = Book(labels=LABELS, title="Deep Learning")
    book.page("Preface. Nothing to learn here.")
    book.page("Contents.")
    p53 = book.page(
        "The quick brown fox jumps",
        "over the lazy dog. It costs $5 and *stars* or x_1 too.",
        [("A ", "helv"), ("random variable", "heit"), (" is a variable that takes values", "helv")],
        "at random. Its {{c2::braces}} stay and a::b too.",
        heading="3 Probability and Information Theory",
    )
    p54 = book.page(
        "Entropy measures uncertainty. It is e.g. large for a fair coin.",
        [("We call it a ", "helv"), ("probability mass function", "hebo"), (" (PMF).", "helv")],
        heading="3.1 Entropy",
    )
    p55 = book.page(
        "The variance measures spread around the mean.",
        "The variance of a constant is zero.",
        "The mean is also called the expectation.",
    )
    p56 = book.page("Figures help: look at the one below.", heading="3.2 Figures")
    p57 = book.page("A Gaussian is also called a normal distribution.")
    book.page("The end of the chapter.")
    book.toc = [
        [1, "3 Probability and Information Theory", 3],
        [2, "3.1 Entropy", 4],
        [2, "3.2 Figures", 6],
    ]
    book.mark(p53, "jumps", "over")
    book.mark(p53, "lazy", kind="underline", note="Q: What kind of dog? #animals ^lazy-dog")
    book.mark(p53, "$5 and *stars*", kind="squiggly")
    book.mark(p54, "uncertainty", note="E: Derive the entropy of a fair coin.")
    book.mark(p55, "variance", occurrence=0)
    book.mark(p55, "variance", occurrence=1)
    book.mark(p55, "expectation", note="Also written E[x]. #important")
    book.image(p56, (60, 120, 220, 240), caption="Figure 3.1: A gaussian density.")
    book.mark(p57, "normal distribution", note="normal distribution")
    return book


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def corrupt_bytes() -> bytes:
    """A file that starts like a PDF and is nothing but damage after that."""
    return b"%PDF-1.7\n" + io.BytesIO(b"\x00garbage " * 64).getvalue()
