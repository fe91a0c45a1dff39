"""`ankify draft`: a markdown note drafted from a page range of a PDF, to edit and then build.

The draft holds front matter (source, pages, deck), the outline's headings inside the range
(or headings found by font size when the PDF has no outline), a card for each highlight, and
candidate questions for the terms the text sets in bold or italics and for captioned figures,
tagged `#review`. The book's text is escaped, so the draft builds to the words of the book:
a `*`, `_` or `$` in the text stays that character.
"""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import load_config
from .errors import ConfigError
from .model import CardKind
from .progress import Progress, page_callback
from .sources.pdf import (
    Highlight,
    PageNumbers,
    PageText,
    TextLine,
    covered_words,
    deck_name,
    document_title,
    heading_path,
    highlight_drafts,
    open_pdf,
    page_numbers,
    read_highlights,
    read_outline,
    read_page_text,
    read_popup,
    select_pages,
    sentence_around,
)
from .state import write_atomically

#: The tag of the questions ankify guessed: look them over, then keep, edit or delete them.
REVIEW_TAG = "review"
NOTE_SUFFIXES = (".md", ".markdown")

#: A line is a heading when its text is at least this much larger than the body text.
HEADING_SCALE = 1.15
#: Images smaller than this (in points, either side) are decoration, not figures.
FIGURE_MIN_SIZE = 48.0

#: Backslash-escaped in the book's text. Not `]`: ankify reads `\[`…`\]` as math, so a `]`
#: stays bare, and a backslash before one becomes an entity.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[<>#^=$!|~&]")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_MARKER_START = re.compile(r"^([QAES]):(?=\s|$)")
_CAPTION = re.compile(r"^(?:Figure|Fig\.)\s*[\dIVXivx]", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_ID_UNSAFE = re.compile(r"[^\w.-]")
_TERM_TRIM = ".,;:!?()[]{}\"'\u2018\u2019\u201c\u201d"


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
    pages: str,
    deck: str | None = None,
    offset: int | None = None,
    password: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> DraftResult:
    """Draft the note for `pages` of `pdf` and write it to `out` (never over a file unless
    `force`); nothing is written when anything fails."""
    if out.suffix.lower() not in NOTE_SUFFIXES:
        raise ConfigError(f"{out}: a draft is a markdown note: give -o a name ending in .md")
    if out.is_dir():
        raise ConfigError(f"{out}: is a folder: give -o a file name such as {out / 'ch03.md'}")
    if out.exists() and not force:
        raise ConfigError(f"{out}: already exists: pass --force to overwrite it, or change -o")
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
    pages: str,
    deck: str | None = None,
    offset: int | None = None,
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> tuple[str, DraftResult]:
    """The markdown of the draft of `pages` of `pdf`, for a note to be saved at `out`."""
    if deck is not None:
        deck = deck_name(deck)
    with open_pdf(pdf, password=password) as doc:
        numbers = page_numbers(doc, pdf, offset=offset)
        selection = select_pages(numbers, pages, pdf)
        highlights = read_highlights(doc, selection, pdf)
        texts = read_page_text(doc, selection, pdf, on_page)
        outline = read_outline(doc)
        title = document_title(doc)
    # The checks of a build: a bad popup note stops here, not when the draft is built.
    highlight_drafts(highlights, pdf, macros=load_config(out.parent).macros)

    ancestors = heading_path(outline, selection.first - 1, math.inf) if selection.first else ()
    inside = tuple(e for e in outline if selection.first <= e.index <= selection.last)
    if outline:
        headings = [_Heading(e.level, e.title, e.index, e.top) for e in inside]
    else:
        headings = _font_headings(texts)
    chapter = next((e.title for e in (*ancestors, *inside) if e.level == 1), None)
    chapter = chapter.replace("::", ":") if chapter else None  # one deck, not a path
    book = title or pdf.stem
    if deck is None:
        deck = deck_name(f"{book}::{chapter}" if chapter and chapter != book else book)

    link = _Link(pdf, out, numbers)
    items: list[_Item] = [
        _Item(h.index, h.top, 0, _heading_lines(h.level, h.title)) for h in headings
    ]
    cards = _Cards()
    highlights = tuple(h for h in highlights if h.words)  # a mark on a figure: no words to ask
    for highlight in highlights:
        items.append(_Item(highlight.index, highlight.top, 1, cards.highlight(highlight)))
    marked = {" ".join(h.words.split()).casefold() for h in highlights}
    candidates = 0
    for page in texts:
        for top, lines in _term_questions(page, marked, cards):
            items.append(_Item(page.index, top, 2, lines))
            candidates += 1
        for top, lines in _figure_questions(page, link, cards):
            items.append(_Item(page.index, top, 2, lines))
            candidates += 1
    items.sort(key=lambda item: (item.index, item.top, item.order))

    out_lines = ["---", f"deck: {json.dumps(deck, ensure_ascii=False)}"]
    out_lines.append(f"source: {json.dumps(pdf.name, ensure_ascii=False)}")
    page_range = selection.page_range()
    if page_range is not None:
        out_lines.append(f"pages: {page_range}")
    else:
        out_lines.append(f"# pages {selection.text}: printed labels, not page numbers")
    out_lines += [
        "---",
        "",
        f"<!-- Drafted by ankify from {pdf.name} pp. {selection.text}. Edit the cards and delete "
        f"what you do not want; questions tagged #{REVIEW_TAG} are ankify's guesses. -->",
        "",
    ]
    for entry in ancestors:
        out_lines += [*_heading_lines(entry.level, entry.title), ""]
    for item in items:
        out_lines += [*item.lines, ""]
    text = "\n".join(out_lines).rstrip("\n") + "\n"
    return text, DraftResult(out, pdf, selection.text, len(highlights), candidates)


# -- markdown ---------------------------------------------------------------------------------


def escape_markdown(text: str, *, line_start: bool = False, in_cloze: bool = False) -> str:
    """The book's words as markdown that reads back as exactly those words, on one line.

    Every character ankify's note syntax gives a meaning (emphasis, math, clozes, tags, ids,
    HTML, links) is backslash-escaped; at the start of a line, so is what would open a list
    or a card part (`Q:`). Inside a cloze, `:` is escaped too (`::` starts a hint).
    """
    text = re.sub(r"\s+", " ", text)  # one line; a space at either end stays
    if line_start:
        text = text.lstrip(" ")
    text = _MARKDOWN_SPECIAL.sub(
        lambda m: "&#92;" if text[m.start() : m.end() + 1] == "\\]" else "\\" + m.group(0),
        text,
    )
    if in_cloze:
        text = text.replace(":", "\\:")
    if line_start:
        if text[:1] in ("-", "+"):
            text = "\\" + text
        text = _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)
        text = _MARKER_START.sub(lambda m: f"{m.group(1)}\\:", text)
    return text


def _heading_lines(level: int, title: str) -> list[str]:
    return [f"{'#' * min(max(level, 1), 6)} {escape_markdown(title)}"]


def _tail(tags: Iterable[str], ident: str | None) -> str:
    tail = "".join(f" #{tag}" for tag in tags)
    return tail + (f" ^{ident}" if ident else "")


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    title: str
    index: int
    top: float


@dataclass(frozen=True, slots=True)
class _Item:
    index: int
    top: float
    order: int  # headings first at the same place
    lines: Sequence[str]


class _Cards:
    """Card lines in note syntax; the same card twice gets an ^id so both still build."""

    def __init__(self) -> None:
        self.seen: Counter[tuple[CardKind, str]] = Counter()
        self.terms: set[str] = set()  # the defined terms already asked about

    def unique(self, kind: CardKind, key: str, page: str) -> str | None:
        self.seen[kind, key] += 1
        count = self.seen[kind, key]
        return f"p{_ID_UNSAFE.sub('-', page)}-{count}" if count > 1 else None

    def highlight(self, highlight: Highlight) -> list[str]:
        popup = read_popup(highlight)
        if popup.kind is CardKind.CLOZE:
            line = (
                escape_markdown(highlight.before, line_start=True)
                + "{{c1::"
                + escape_markdown(highlight.words, in_cloze=True)
                + "}}"
                + escape_markdown(highlight.after)
            )
            ident = popup.explicit_id or self.unique(CardKind.CLOZE, line, highlight.page)
            lines = [line + _tail(popup.tags, ident)]
            if popup.text:  # the learner's comment: shown here, not on the card
                lines += ["", *(f"> {part}".rstrip() for part in popup.text.split("\n"))]
            return lines
        first, _, rest = popup.text.partition("\n")
        letters = ("Q", "A") if popup.kind is CardKind.QUESTION else ("E", "S")
        ident = popup.explicit_id or self.unique(popup.kind, popup.text, highlight.page)
        lines = [f"{letters[0]}: {first}{_tail(popup.tags, ident)}"]
        lines += rest.split("\n") if rest else []
        lines.append(f"{letters[1]}: {escape_markdown(highlight.words, line_start=True)}")
        return lines

    def question(
        self, question: str, answer: str, page: str, extra: Sequence[str] = ()
    ) -> list[str]:
        ident = self.unique(CardKind.QUESTION, question, page)
        return [
            f"Q: {question}{_tail([REVIEW_TAG], ident)}",
            *extra,
            f"A: {escape_markdown(answer, line_start=True)}",
        ]


# -- what to suggest --------------------------------------------------------------------------


def _body_size(texts: Sequence[PageText]) -> float:
    sizes: Counter[float] = Counter()
    for page in texts:
        for line in page.lines:
            for span in line.spans:
                sizes[span.size] += len(span.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _font_headings(texts: Sequence[PageText]) -> list[_Heading]:
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
        _Heading(min(levels[size], 3), line.text, page.index, line.box[1])
        for page, line, size in found
    ]


def _term_questions(
    page: PageText, marked: set[str], cards: _Cards
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


def _figure_questions(
    page: PageText, link: _Link, cards: _Cards
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


class _Link:
    """`../dlbook.pdf#page=56`: the PDF as the note links it, pages as --pages reads them."""

    def __init__(self, pdf: Path, out: Path, numbers: PageNumbers) -> None:
        relative = os.path.relpath(pdf.resolve(), out.resolve().parent)
        self.target = urllib.parse.quote(Path(relative).as_posix())
        self.numbers = numbers

    def __call__(self, page: PageText) -> str:
        # Without page labels a link names the physical page: links have no --offset.
        number = page.label if self.numbers.rules else str(page.index + 1)
        return f"{self.target}#page={urllib.parse.quote(number)}"
