"""`ankify draft`: a markdown note drafted from a page range of a PDF, to edit and then build.

The draft holds front matter (source, pages, deck), the outline's headings inside the range
(or headings found by font size when the PDF has no outline), a card for each highlight, and
candidate questions for the terms the text sets in bold or italics and for captioned figures,
tagged `#review`. The book's text is escaped, so the draft builds to the words of the book:
a `*`, `_` or `$` in the text stays that character.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from ..config import load_config
from ..errors import ConfigError
from ..model import CardKind, PageLabels, SourceSpan, parse_deck
from ..progress import PageCallback, Progress, page_callback
from ..sources.pdf.document import open_pdf
from ..sources.pdf.drafts import highlight_source, read_popup
from ..sources.pdf.highlights import read_highlights
from ..sources.pdf.outline import document_title, heading_path, read_outline, text_start
from ..sources.pdf.pages import page_numbers, select_pages
from ..sources.pdf.text import read_page_text
from ..validate import validate_source
from ..workspace import is_note, write_atomically
from .candidates import (
    DraftHeading,
    Item,
    PdfLink,
    figure_questions,
    font_headings,
    layouts,
    place_of,
)
from .context import passages
from .furniture import strip_furniture
from .markdown import REVIEW_TAG, Cards, heading_lines
from .terms import term_questions


@dataclass(frozen=True, slots=True)
class DraftResult:
    """What a draft holds: the note written, its cards from highlights and its candidates."""

    path: Path
    pdf: Path
    pages: str
    highlights: int
    candidates: int

    def summary(self) -> str:
        cards = f"{self.highlights} card{'s' * (self.highlights != 1)} from highlights"
        review = f"{self.candidates} question{'s' * (self.candidates != 1)} to review"
        return (
            f"{self.path}: {cards}, {review} (#{REVIEW_TAG}), from {self.pdf.name} "
            f"{'p.' if '-' not in self.pages else 'pp.'} {self.pages}: edit it, then run "
            f"'ankify build {shlex.quote(str(self.path))}'"
        )


def write_draft(
    pdf: Path,
    out: Path,
    *,
    pages: PageLabels,
    deck: str | None = None,
    offset: int | None = None,
    password: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> DraftResult:
    """Draft the note for `pages` of `pdf` and write it to `out` (never over a file unless
    `force`); nothing is written when anything fails."""
    span = SourceSpan(out)
    if not is_note(out):
        raise ConfigError(
            "a draft is a markdown note: give it a name ending in .md", span=span, option="output"
        )
    if out.is_dir():
        raise ConfigError(
            f"is a folder: give a file name such as {out / 'ch03.md'}", span=span, option="output"
        )
    if out.exists() and not force:
        raise ConfigError(
            "already exists: draft into another file, or overwrite it", span=span, option="force"
        )
    on_page = page_callback(progress, f"Reading {pdf.name}") if progress else None
    text, result = draft_markdown(
        pdf, out, pages=pages, deck=deck, offset=offset, password=password, on_page=on_page
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, text.encode("utf-8"))
    return result


def draft_markdown(
    pdf: Path,
    out: Path,
    *,
    pages: PageLabels,
    deck: str | None = None,
    offset: int | None = None,
    password: str | None = None,
    on_page: PageCallback | None = None,
) -> tuple[str, DraftResult]:
    """The markdown of the draft of `pages` of `pdf`, for a note to be saved at `out`.

    `deck` is a deck path (see `model.parse_deck`); by default the PDF's title and chapter.
    """
    with open_pdf(pdf, password=password) as doc:
        numbers = page_numbers(doc, pdf, offset=offset)
        selection = select_pages(numbers, pages, pdf)
        highlights = read_highlights(doc, selection, pdf)
        texts = strip_furniture(read_page_text(doc, selection, pdf, on_page))
        outline = read_outline(doc, selection.indices)
        title = document_title(doc)
    # The checks of a build: a bad popup note stops here, not when the draft is built. A bare
    # mark on a figure, which a build refuses, is drafted as a question to write.
    config = load_config(out.parent)
    built = [h for h in highlights if h.words or read_popup(h).kind is not CardKind.CLOZE]
    validate_source(highlight_source(pdf, config, built, outline, pages=pages), config)

    # Headings above the range's first text open it; ancestors are sections still open there.
    opening = heading_path(outline, *text_start(outline, texts))
    ancestors = tuple(e for e in opening if e.index < selection.first)
    inside = tuple(e for e in outline if selection.first <= e.index <= selection.last)
    if outline:
        headings = [DraftHeading(e.level, e.title, e.index, e.top) for e in inside]
    else:
        headings = font_headings(texts)
    chapter = next((e.title for e in (*opening, *inside) if e.level == 1), None)
    if not outline:  # the chapter's heading, as its type sets it apart, when it is the only one
        chapters = [h.title for h in headings if h.level == 1]
        chapter = chapters[0] if len(chapters) == 1 else None
    chapter = chapter.replace("::", ":") if chapter else None  # one deck, not a path
    book = title or pdf.stem.replace("::", ":")  # one deck, not a path
    if deck is None:
        deck = parse_deck(
            f"{book}::{chapter}" if chapter and chapter != book else book, collapse=True
        )

    link = PdfLink(pdf, out, numbers)
    pages_layout = layouts(texts)  # columns: items follow reading order, not height alone
    items = [
        Item(
            place_of(pages_layout, h.index, h.top, h.left, h.title),
            0,
            heading_lines(h.level, h.title),
        )
        for h in headings
    ]
    cards = Cards(link.region)
    for highlight in highlights:
        place = place_of(pages_layout, highlight.index, highlight.top, highlight.left)
        items.append(Item(place, 1, cards.highlight(highlight)))
    marked = {" ".join(h.words.split()).casefold() for h in highlights}
    candidates = 0
    pages_text = passages(texts, pages_layout)
    for page in texts:
        layout = pages_layout[page.index]
        passage = pages_text[page.index]
        for place, lines in term_questions(page, layout, passage, marked, cards, link.region):
            items.append(Item(place, 2, lines))
            candidates += 1
        for place, lines in figure_questions(page, layout, link, cards):
            items.append(Item(place, 2, lines))
            candidates += 1
    items.sort(key=lambda item: (item.place, item.order))

    out_lines = ["---", f"deck: {json.dumps(deck, ensure_ascii=False)}"]
    out_lines.append(f"source: {json.dumps(pdf.name, ensure_ascii=False)}")
    page_range = selection.page_range()
    if page_range is not None:
        out_lines.append(f"pages: {page_range}")
    else:
        out_lines.append(f"# pages {selection.text}: printed labels, not page numbers")
    if numbers.offset and not numbers.rules:  # `#page=` links are printed pages, as --pages
        out_lines.append(f"offset: {numbers.offset}")
    out_lines += [
        "---",
        "",
        f"<!-- Drafted by ankify from {pdf.name} {'pp.' if '-' in selection.text else 'p.'} "
        f"{selection.text}. Edit the cards and delete "
        f"what you do not want; questions tagged #{REVIEW_TAG} are ankify's guesses. -->",
        "",
    ]
    for entry in ancestors:
        out_lines += [*heading_lines(entry.level, entry.title), ""]
    for item in items:
        out_lines += [*item.lines, ""]
    text = "\n".join(out_lines).rstrip("\n") + "\n"
    return text, DraftResult(out, pdf, selection.text, len(highlights), candidates)
