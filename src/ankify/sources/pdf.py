"""PDF page ranges -> drafts of cards: every highlight, underline or squiggly is a card.

Only the pages asked for are read. Printed page labels are resolved from the PDF's label
rules, never by visiting pages, so three pages of an 800-page book cost what three pages of a
paper do.

The book's words are never markdown: drafts are built as markdown-it tokens directly, so a
`*`, `_` or `$` in the text stays that character. The learner's own words in a popup note are
markdown, as in a note file (`Q: What is $p(x)$?` shows math).

A highlight's text is the words under its quads (one quad per highlighted line), not under
its bounding box, which also covers the start of the first line and the end of the last.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..config import Config, source_key
from ..errors import ConfigError, SourceError
from ..mathcheck import check_tex, formulas, macro_names
from ..model import CardKind, Draft, FrontMatter, Heading, PageRange, Source, SourceSpan
from .markdown import local_image, normalize, parser
from .syntax import split_tail

#: Called as `on_page(done, total)` while pages are read, for a progress bar.
PageCallback = Callable[[int, int], None]

PDF_SUFFIX = ".pdf"

#: PyMuPDF's annotation types (PDF_ANNOT_*) that mark text: highlight, underline, squiggly.
MARKUP_TYPES = {8: "highlight", 9: "underline", 10: "squiggly"}

#: A word belongs to a highlight when its quads cover at least this share of the word's box.
#: Quads are a little taller than their line, so they touch the lines above and below.
WORD_COVERAGE = 0.5

#: At most this many words of context on each side of a highlight, when its sentence is long.
SENTENCE_WORDS = 40

_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
_NOTE_KIND = re.compile(r"^([QE]):(?:[ \t]+|$)")
_SENTENCE_END = re.compile(r"[.?!][\"'\u2019\u201d)\]]*$")
#: Words that end with a full stop but rarely end a sentence.
_ABBREVIATIONS = frozenset((
    "e.g.", "i.e.", "cf.", "etc.", "vs.", "al.", "fig.", "figs.", "eq.", "eqs.", "sec.", "ch.",
    "p.", "pp.", "resp.", "approx.", "no.", "dr.", "mr.", "mrs.", "ms.", "prof.", "viz.",
))  # fmt: skip
_OPENING = "([{\"'\u2018\u201c\u00ab"
_CLOSING = ".,;:!?)]}\"'\u2019\u201d\u00bb"
_PAIRS = {")": "(", "]": "[", "}": "{"}
#: Anki reads these in a cloze field: the book's text shows them as HTML entities instead.
_ANKI_IN_CLOZE = re.compile(r"\{\{|\}\}|::|\}$")
_ANKI_OUTSIDE = re.compile(r"\{\{|\}\}")


# -- PyMuPDF ----------------------------------------------------------------------------------


@functools.cache
def pymupdf() -> Any:
    """PyMuPDF, imported on first use (the CLI starts without it); untyped, so held as Any."""
    try:
        module = importlib.import_module("pymupdf")
    except ImportError:
        raise ConfigError("reading PDFs needs PyMuPDF: pip install pymupdf") from None
    # MuPDF prints repairs and errors to stderr; ankify reports problems itself, on one line.
    module.TOOLS.mupdf_display_errors(False)
    module.TOOLS.mupdf_display_warnings(False)
    return module


def pdf_errors() -> tuple[type[BaseException], ...]:
    """What PyMuPDF raises for a damaged file or page (MuPDF's errors, RuntimeError)."""
    base = getattr(getattr(pymupdf(), "mupdf", None), "FzErrorBase", RuntimeError)
    return (RuntimeError, ValueError, base)


def open_pdf(path: Path, *, password: str | None = None) -> Any:
    """Open a PDF (a PyMuPDF Document; close it, e.g. `with open_pdf(p) as doc`).

    Raises a SourceError naming the file when it is missing, not a PDF, damaged, or encrypted
    without the right password.
    """
    span = SourceSpan(path)
    try:
        with path.open("rb") as file:
            head = file.read(1024)
    except FileNotFoundError:
        raise SourceError("no such file: check the path", span=span) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a PDF: name a .pdf file", span=span) from None
    if not head:
        raise SourceError("is empty, not a PDF: download or export it again", span=span)
    if b"%PDF-" not in head:
        raise SourceError("is not a PDF (it does not start with %PDF-): check the file", span=span)
    module = pymupdf()
    try:
        doc = module.open(path, filetype="pdf")
    except pdf_errors():
        raise SourceError(
            "is damaged and cannot be read: download or export the PDF again", span=span
        ) from None
    try:
        if doc.needs_pass:
            if password is None:
                raise SourceError("needs a password: pass --password", span=span)
            if not doc.authenticate(password):
                raise SourceError("wrong password: check --password", span=span)
        if doc.page_count == 0:
            raise SourceError(
                "is damaged: no pages can be read: download or export the PDF again", span=span
            )
    except BaseException:
        doc.close()
        raise
    return doc


# -- page numbers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelRule:
    """A page label rule of the PDF: pages from `start` are numbered `prefix` + style(n)."""

    start: int  # first physical page, 0-based
    prefix: str
    style: str  # D decimal, r/R roman, a/A letters, "" prefix only
    first_number: int


@dataclass(frozen=True, slots=True)
class PageNumbers:
    """How a PDF numbers its pages: its printed labels, else physical pages minus an offset."""

    count: int
    rules: tuple[LabelRule, ...] = ()
    offset: int = 0

    def label(self, index: int) -> str:
        """The printed label of the physical page `index` (0-based)."""
        rule = self._rule(index)
        if rule is None:
            return str(index + 1 - self.offset)
        number = rule.first_number + index - rule.start
        return rule.prefix + _format_number(number, rule.style)

    def find(self, label: str) -> int | None:
        """The physical page (0-based) printed as `label`, or None."""
        if not self.rules:
            if not label.isascii() or not label.isdigit():
                return None
            index = int(label) - 1 + self.offset
            return index if 0 <= index < self.count else None
        for position, rule in enumerate(self.rules):
            end = self.rules[position + 1].start if position + 1 < len(self.rules) else self.count
            if not label.startswith(rule.prefix):
                continue
            rest = label[len(rule.prefix) :]
            if not rule.style:
                if not rest and rule.start < end:
                    return rule.start
                continue
            number = _parse_number(rest, rule.style)
            if number is None:
                continue
            index = rule.start + number - rule.first_number
            if rule.start <= index < end:
                return index
        return None

    def describe(self) -> str:
        """`800 pages, labelled i-xx, 1-780`: for messages about pages out of range."""
        pages = f"{self.count} page{'s' * (self.count != 1)}"
        if self.rules:
            spans = []
            for position, rule in enumerate(self.rules):
                end = (
                    self.rules[position + 1].start if position + 1 < len(self.rules) else self.count
                )
                if rule.start < end:
                    first, last = self.label(rule.start), self.label(end - 1)
                    spans.append(first if first == last else f"{first}-{last}")
            if len(spans) > 6:
                spans = [*spans[:5], "…"]
            return f"{pages}, labelled {', '.join(spans)}"
        if self.offset:
            lowest, highest = max(1, 1 - self.offset), self.count - self.offset
            return f"{pages}, printed {lowest}-{highest} with --offset {self.offset}"
        return f"{pages} (1-{self.count})"

    def _rule(self, index: int) -> LabelRule | None:
        found = None
        for rule in self.rules:
            if rule.start <= index:
                found = rule
        return found


def page_numbers(doc: Any, path: Path, *, offset: int | None = None) -> PageNumbers:
    """The page numbering of an open PDF: its label rules (read once, no page is visited)."""
    rules = tuple(
        sorted(
            (
                LabelRule(
                    start=int(rule.get("startpage", 0)),
                    prefix=str(rule.get("prefix", "")),
                    style=str(rule.get("style", "")),
                    first_number=max(1, int(rule.get("firstpagenum", 1))),
                )
                for rule in doc.get_page_labels()
            ),
            key=lambda r: r.start,
        )
    )
    count = int(doc.page_count)
    if rules and offset is not None:
        numbers = PageNumbers(count, rules)
        raise ConfigError(
            f"{path}: --offset is for PDFs without page labels, and this one has them "
            f"({numbers.describe()}): drop --offset and give the printed pages"
        )
    return PageNumbers(count, rules, offset or 0)


def _format_number(number: int, style: str) -> str:
    if style == "D":
        return str(number)
    if style in ("r", "R"):
        roman = _roman(number)
        return roman.lower() if style == "r" else roman
    if style in ("a", "A"):
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.lower() if style == "a" else letter
    return ""


def _parse_number(text: str, style: str) -> int | None:
    if style == "D":
        return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None
    if style in ("r", "R"):
        if not text or not re.fullmatch(r"[ivxlcdm]+" if style == "r" else r"[IVXLCDM]+", text):
            return None
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
        digits = [values[c] for c in text.lower()]
        number = sum(-d if d < n else d for d, n in zip(digits, [*digits[1:], 0], strict=True))
        return number if number > 0 and _format_number(number, style) == text else None
    if style in ("a", "A"):
        if (
            not text
            or len(set(text)) != 1
            or not (text.islower() if style == "a" else text.isupper())
        ):
            return None
        if not text.isascii() or not text.isalpha():
            return None
        return (len(text) - 1) * 26 + ord(text[0].upper()) - ord("A") + 1
    return None


def _roman(number: int) -> str:
    parts = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class PageSelection:
    """The physical pages of a `--pages` range, inclusive, with their printed labels."""

    first: int  # 0-based
    last: int
    labels: tuple[str, ...]

    @property
    def text(self) -> str:
        """`53-60` (or `53`): the range as printed."""
        first, last = self.labels[0], self.labels[-1]
        return first if self.first == self.last else f"{first}-{last}"

    @property
    def indices(self) -> range:
        return range(self.first, self.last + 1)

    def label(self, index: int) -> str:
        return self.labels[index - self.first]

    def page_range(self) -> PageRange | None:
        """The range as plain printed numbers (for front matter), when the labels are numbers."""
        first, last = self.labels[0], self.labels[-1]
        numeric = all(label.isascii() and label.isdigit() for label in (first, last))
        if numeric and 0 < int(first) <= int(last):
            return PageRange(int(first), int(last))
        return None


def pages_slug(pages: str) -> str:
    """`--pages 53 - 60` -> `53-60`: the range as it names files (`dlbook-p53-60.apkg`)."""
    text = _DASHES.sub("-", pages.strip())
    parts = [part.lstrip("0") or part if part.isdigit() else part for part in text.split("-")]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    text = "-".join(parts)
    if not text or text.startswith("-") or text.endswith("-"):
        raise ConfigError(f"--pages {pages!r} is not a page range: write it like 53-60")
    return re.sub(r"[^\w.-]", "_", text)


def select_pages(numbers: PageNumbers, pages: str, path: Path) -> PageSelection:
    """Resolve `--pages` (printed labels, or physical pages when the PDF has no labels)."""
    text = _DASHES.sub("-", pages.strip())
    if not text or text.startswith("-") or text.endswith("-"):
        raise ConfigError(f"--pages {pages!r} is not a page range: write it like 53-60")
    candidates = [(text, text)]
    candidates += [(text[:i], text[i + 1 :]) for i, c in enumerate(text) if c == "-"]
    for first_label, last_label in candidates:
        first, last = numbers.find(first_label), numbers.find(last_label)
        if first is None or last is None:
            continue
        if last < first:
            raise ConfigError(
                f"{path}: --pages {text} runs backwards: write the first page first, "
                f"e.g. {last_label}-{first_label}"
            )
        labels = tuple(numbers.label(index) for index in range(first, last + 1))
        return PageSelection(first, last, labels)
    missing = next(
        (
            label
            for label in (candidates[1] if len(candidates) == 2 else candidates[0])
            if numbers.find(label) is None
        ),
        text,
    )
    raise SourceError(
        f"no page {missing} in this PDF: it has {numbers.describe()}: give --pages within those",
        span=SourceSpan(path),
    )


# -- highlights -------------------------------------------------------------------------------

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Highlight:
    """One highlight, underline or squiggly: its words, the sentence around them, its note."""

    index: int  # physical page, 0-based
    page: str  # printed label
    kind: str  # highlight, underline or squiggly
    before: str  # the sentence before the highlighted words ("" at its start)
    words: str  # exactly the highlighted words
    after: str
    note: str  # the popup note's text, "" when there is none
    top: float  # where it starts on the page
    left: float
    order: int = 0  # its first word's place in the page's reading order (columns follow)


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a page and its box (two for a word hyphenated across lines)."""

    text: str
    boxes: tuple[Box, ...]
    block: int


def _pages(selection: PageSelection, on_page: PageCallback | None) -> Iterator[tuple[int, str]]:
    """The (index, label) of each selected page, with `on_page(done, total)` after each."""
    total = len(selection.indices)
    for done, index in enumerate(selection.indices):
        if on_page is not None and done:
            on_page(done, total)
        yield index, selection.label(index)
    if on_page is not None:
        on_page(total, total)


def read_highlights(
    doc: Any, selection: PageSelection, path: Path, on_page: PageCallback | None = None
) -> tuple[Highlight, ...]:
    """Every text-marking annotation on the selected pages, in reading order.

    `on_page(done, total)` is called after each page, for a progress bar.
    """
    found: list[Highlight] = []
    for index, label in _pages(selection, on_page):
        try:
            page = doc.load_page(index)
            annots = list(page.annots(types=list(MARKUP_TYPES)))
            if not annots:
                continue
            words = page_words(page)
            for annot in annots:
                quads = _quad_boxes(annot.vertices or ())
                if not quads:
                    continue
                note = str((annot.info or {}).get("content") or "")
                found.append(
                    _highlight(words, quads, index, label, MARKUP_TYPES[annot.type[0]], note)
                )
        except pdf_errors() as e:
            raise _unreadable_page(path, label, e) from None
    return tuple(sorted(found, key=lambda h: (h.index, h.order, round(h.top), h.left, h.words)))


def page_words(page: Any) -> list[Word]:
    """A page's words in reading order, a word hyphenated at a line end joined again."""
    module = pymupdf()
    raw = page.get_text("words", flags=module.TEXT_MEDIABOX_CLIP)
    words: list[Word] = []
    position = 0
    while position < len(raw):
        x0, y0, x1, y1, text, block, line, _ = raw[position]
        boxes: list[Box] = [(x0, y0, x1, y1)]
        following = raw[position + 1] if position + 1 < len(raw) else None
        if (
            following is not None
            and len(text) > 1
            and text.endswith("-")
            and text[-2].isalpha()
            and following[5] == block
            and following[6] != line
            and following[4][:1].islower()
        ):
            text = text[:-1] + following[4]
            boxes.append(tuple(following[:4]))
            position += 1
        words.append(Word(str(text), tuple(boxes), int(block)))
        position += 1
    return words


def _quad_boxes(vertices: Sequence[Sequence[float]]) -> tuple[Box, ...]:
    """The box of each quad: four points per quad (a highlight has one quad per line)."""
    boxes = []
    for start in range(0, len(vertices) - 3, 4):
        xs = [float(point[0]) for point in vertices[start : start + 4]]
        ys = [float(point[1]) for point in vertices[start : start + 4]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(boxes)


def _covered(word: Word, quads: Sequence[Box]) -> bool:
    for x0, y0, x1, y1 in word.boxes:
        area = (x1 - x0) * (y1 - y0)
        if area <= 0:
            continue
        for qx0, qy0, qx1, qy1 in quads:
            width = min(x1, qx1) - max(x0, qx0)
            height = min(y1, qy1) - max(y0, qy0)
            if width > 0 and height > 0 and width * height >= WORD_COVERAGE * area:
                return True
    return False


def covered_words(words: Sequence[Word], quads: Sequence[Box]) -> tuple[int, int] | None:
    """The first and last word under the quads, or None when they cover no text."""
    top, bottom = min(q[1] for q in quads), max(q[3] for q in quads)
    hits = [
        position
        for position, word in enumerate(words)
        if any(box[1] < bottom and box[3] > top for box in word.boxes) and _covered(word, quads)
    ]
    return (hits[0], hits[-1]) if hits else None


def sentence_around(words: Sequence[Word], first: int, last: int) -> tuple[str, str, str]:
    """(before, words, after): the sentence around words[first:last + 1], cut to its block.

    Punctuation at the edges of the highlighted words moves outside them ("(PMF)." -> PMF).
    """
    start = first
    while (
        start > 0
        and first - start < SENTENCE_WORDS
        and words[start - 1].block == words[first].block
        and not _ends_sentence(words[start - 1].text)
    ):
        start -= 1
    end = last
    while (
        end + 1 < len(words)
        and end - last < SENTENCE_WORDS
        and words[end + 1].block == words[last].block
        and not _ends_sentence(words[end].text)
    ):
        end += 1
    cut_before = (
        start > 0
        and words[start - 1].block == words[first].block
        and not _ends_sentence(words[start - 1].text)
    )
    cut_after = (
        end + 1 < len(words)
        and words[end + 1].block == words[last].block
        and not _ends_sentence(words[end].text)
    )
    leading, middle, trailing = _trim_punctuation(" ".join(w.text for w in words[first : last + 1]))
    before = " ".join(w.text for w in words[start:first])
    after = " ".join(w.text for w in words[last + 1 : end + 1])
    before = ("… " if cut_before else "") + (before + " " if before else "") + leading
    after = trailing + (" " + after if after else "") + (" …" if cut_after else "")
    return before, middle, after


def _ends_sentence(word: str) -> bool:
    return bool(_SENTENCE_END.search(word)) and word.lstrip("([").casefold() not in _ABBREVIATIONS


def _trim_punctuation(text: str) -> tuple[str, str, str]:
    start, end = 0, len(text)
    while start < end and text[start] in _OPENING:
        start += 1
    while end > start and text[end - 1] in _CLOSING:
        closing = text[end - 1]
        inner = text[start : end - 1]
        if closing in _PAIRS and inner.count(_PAIRS[closing]) > inner.count(closing):
            break  # it closes a bracket opened inside: f(x)
        end -= 1
    if start >= end:
        return "", text, ""
    # An opening bracket whose closing one stays inside belongs to the words: (x)y
    while start > 0 and text[start - 1] in _PAIRS.values():
        opening = text[start - 1]
        closing = next(c for c, o in _PAIRS.items() if o == opening)
        if text[start:end].count(closing) > text[start:end].count(opening):
            start -= 1
        else:
            break
    return text[:start], text[start:end], text[end:]


def _highlight(
    words: Sequence[Word], quads: Sequence[Box], index: int, label: str, kind: str, note: str
) -> Highlight:
    top = min(box[1] for box in quads)
    left = min(box[0] for box in quads if box[1] == top)
    span = covered_words(words, quads)
    before, middle, after, marked = "", "", "", ""
    if span is not None:
        before, middle, after = sentence_around(words, *span)
        marked = " ".join(w.text for w in words[span[0] : span[1] + 1])
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if note and normalize(note) in (normalize(middle), normalize(marked)):
        note = ""  # some viewers fill the note with the highlighted text itself
    order = span[0] if span is not None else len(words)
    return Highlight(index, label, kind, before, middle, after, note, top, left, order)


# -- the text of a page, for drafts --------------------------------------------------------------

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
    for index, label in _pages(selection, on_page):
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
            raise _unreadable_page(path, label, e) from None
    return tuple(pages)


# -- the document's outline and title ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """A bookmark of the PDF's outline: its level, title and where it points."""

    level: int
    title: str
    index: int  # physical page, 0-based
    top: float


def read_outline(doc: Any) -> tuple[OutlineEntry, ...]:
    """The outline (bookmarks) in reading order; entries that point nowhere are left out.

    A damaged outline reads as none: it costs the cards their headings, nothing more.
    """
    try:
        toc = doc.get_toc(simple=False)
    except pdf_errors():
        return ()
    entries = []
    for item in toc:
        level, title, page = int(item[0]), " ".join(str(item[1]).split()), int(item[2])
        if page < 1 or not title:
            continue
        target = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
        point = target.get("to")
        top = float(point.y) if point is not None and getattr(point, "y", None) is not None else 0.0
        entries.append(OutlineEntry(level, title, page - 1, top))
    return tuple(sorted(entries, key=lambda e: (e.index, e.top)))


def heading_path(
    outline: Sequence[OutlineEntry], index: int, top: float
) -> tuple[OutlineEntry, ...]:
    """The outline entries a place on a page sits under: chapter, section, subsection."""
    path: list[OutlineEntry] = []
    for entry in outline:
        if (entry.index, entry.top) > (index, top + 1):
            break
        path = [e for e in path if e.level < entry.level]
        path.append(entry)
    return tuple(path)


def document_title(doc: Any) -> str | None:
    """The title in the PDF's metadata, unless it is empty or a leftover file name."""
    title = " ".join(str((doc.metadata or {}).get("title") or "").split())
    if not title or title.casefold() in ("untitled", "title"):
        return None
    if re.search(r"\.(?:pdf|docx?|tex|dvi|ps|indd|odt)$", title, re.IGNORECASE):
        return None
    return title.replace("::", ":")


def deck_name(value: str, option: str = "--deck") -> str:
    """A deck path such as `Deep Learning::Chapter 3`, each part trimmed and non-empty."""
    parts = [" ".join(part.split()) for part in value.split("::")]
    if not all(parts):
        raise ConfigError(
            f"{option} {value!r} has an empty part: write it like 'Deep Learning::Chapter 3'"
        )
    return "::".join(parts)


# -- drafts -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Popup:
    """What the learner's popup note asks for: a card kind, its markdown, tags and ^id."""

    kind: CardKind
    text: str  # the question or exercise (markdown); for a cloze, a comment for its back
    tags: tuple[str, ...] = ()
    explicit_id: str | None = None


def read_popup(highlight: Highlight) -> Popup:
    """`Q: …` makes a question, `E: …` an exercise, anything else (or nothing) a cloze.

    `#tags` and a `^id` end the first line of a question (the last line of a comment), as in
    a note file.
    """
    note = highlight.note
    match = _NOTE_KIND.match(note)
    if match is None:
        lines = note.split("\n")
        head, tags, ident = split_tail(" " + lines[-1]) if note else ("", (), None)
        text = "\n".join([*lines[:-1], head.strip()]).strip()
        return Popup(CardKind.CLOZE, text, tags, ident)
    kind = CardKind.QUESTION if match.group(1) == "Q" else CardKind.EXERCISE
    first, _, rest = note[match.end() :].partition("\n")
    head, tags, ident = split_tail(first)
    return Popup(
        kind, "\n".join(part for part in (head.strip(), rest.strip()) if part), tags, ident
    )


def highlight_drafts(
    highlights: Sequence[Highlight],
    path: Path,
    outline: Sequence[OutlineEntry] = (),
    macros: Collection[tuple[str, str]] = (),
) -> tuple[Draft, ...]:
    """One draft per highlight: a cloze, or the question or exercise its popup note asks.

    The learner's notes are checked here, math too (with the project's `macros`), so that an
    error names the page rather than a line of a note that has no lines in the PDF.
    """
    known = macro_names(macros)
    drafts = []
    occurrences: Counter[tuple[CardKind, str, str]] = Counter()
    seen_ids: dict[str, Highlight] = {}
    for highlight in highlights:
        span = SourceSpan(path, page=highlight.page)
        popup = read_popup(highlight)
        what = _describe(highlight)
        if not highlight.words:
            if popup.kind is CardKind.CLOZE:
                continue  # a mark on a figure or a scanned page: no words to ask about
            raise SourceError(
                f"{what} covers no text (an image or a scanned page?): mark words of the "
                "text, or delete it",
                span=span,
            )
        if popup.explicit_id:
            other = seen_ids.setdefault(popup.explicit_id, highlight)
            if other is not highlight:
                raise SourceError(
                    f"the id ^{popup.explicit_id} is already used on p. {other.page}: "
                    "give this card an id of its own",
                    span=span,
                )
        occurrences[popup.kind, highlight.page, highlight.words] += 1
        count = occurrences[popup.kind, highlight.page, highlight.words]
        key = normalize(f"p. {highlight.page}: {highlight.words}")
        if count > 1:
            key += f" ({count})"  # the same words marked twice on a page: two cards
        context = tuple(
            Heading(entry.level, entry.title)
            for entry in heading_path(outline, highlight.index, highlight.top)
        )
        if popup.kind is CardKind.CLOZE:
            front = _paragraph(
                [
                    *_text_tokens(highlight.before, in_cloze=False),
                    _token("cloze_open", info="1", markup="{{"),
                    *_text_tokens(highlight.words, in_cloze=True),
                    _token("cloze_close", markup="}}"),
                    *_text_tokens(highlight.after, in_cloze=False),
                ]
            )
            back = _learner_markdown(popup.text, what, span, known, allow_cloze=True)
            numbers: tuple[int, ...] = (1,)
        else:
            if not popup.text:
                letter = "Q" if popup.kind is CardKind.QUESTION else "E"
                raise SourceError(
                    f'{what} has an empty {popup.kind.value}: write it after "{letter}:" '
                    "in the note",
                    span=span,
                )
            front = _learner_markdown(popup.text, what, span, known, allow_cloze=False)
            back = _paragraph(list(_text_tokens(highlight.words, in_cloze=False)))
            numbers = ()
        drafts.append(
            Draft(
                kind=popup.kind,
                span=span,
                front=front,
                back=back,
                key=key,
                explicit_id=popup.explicit_id,
                tags=tuple(dict.fromkeys(popup.tags)),
                context=context,
                cloze_numbers=numbers,
            )
        )
    return tuple(drafts)


def _describe(highlight: Highlight) -> str:
    words = highlight.words if len(highlight.words) <= 40 else highlight.words[:39] + "…"
    return f"the {highlight.kind} \u201c{words}\u201d" if words else f"a {highlight.kind}"


def _token(kind: str, *, content: str = "", info: str = "", markup: str = "") -> Token:
    token = Token(kind, "", 0, content=content, info=info, markup=markup)
    if kind == "cloze_open":
        token.meta = {"hint": False}
    return token


def _paragraph(children: list[Token]) -> tuple[Token, ...]:
    opening = Token("paragraph_open", "p", 1, block=True)
    inline = Token(
        "inline",
        "",
        0,
        children=children,
        content="".join(t.content for t in children if t.type == "text"),
        block=True,
        level=1,
    )
    closing = Token("paragraph_close", "p", -1, block=True)
    return (opening, inline, closing)


def _text_tokens(text: str, *, in_cloze: bool) -> Iterator[Token]:
    """The book's text as tokens: plain text, with what Anki would read as cloze syntax
    (`{{`, `}}`, and `::` inside a cloze) given as HTML entities."""
    pattern = _ANKI_IN_CLOZE if in_cloze else _ANKI_OUTSIDE
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield _token("text", content=text[position : match.start()])
        entities = "".join(f"&#{ord(c)};" for c in match.group(0))
        yield _token("html_inline", content=entities)
        position = match.end()
    if position < len(text):
        yield _token("text", content=text[position:])


def _learner_markdown(
    text: str, what: str, span: SourceSpan, macros: Collection[str], *, allow_cloze: bool
) -> tuple[Token, ...]:
    """The learner's popup text, parsed as a note file's markdown."""
    if not text:
        return ()
    tokens = parser().parse(text, {})
    for token in tokens:
        for tex, _, _ in formulas(token):
            problem = check_tex(tex, extra_macros=macros)
            if problem:
                raise SourceError(f"the note on {what}: formula ${tex}$: {problem}", span=span)
        if token.type == "card_marker":
            raise SourceError(
                f'the note on {what} has a "{token.info}:" line: the answer is the marked '
                "text; keep only the question in the note",
                span=span,
            )
        for child in token.children or ():
            if child.type == "cloze_open" and not allow_cloze:
                raise SourceError(
                    f"the note on {what} asks a question with a cloze in it: remove the "
                    "{{c1::…}} or ==…==, or the Q: to make the highlight a cloze",
                    span=span,
                )
            if child.type == "image":
                target = local_image(str(child.attrs.get("src", "")), span.path.resolve().parent)
                if target is not None and not target.is_file():
                    raise SourceError(
                        f"the note on {what} shows an image that is not there: "
                        f"{child.attrs['src']}: the path is relative to the PDF",
                        span=span,
                    )
    return tuple(tokens)


def read_pdf(
    path: Path,
    config: Config,
    *,
    pages: str,
    deck: str | None = None,
    offset: int | None = None,
    password: str | None = None,
    on_page: PageCallback | None = None,
) -> Source:
    """Read the highlights on `pages` of a PDF into a Source of drafts.

    Notes are identified by the PDF's path from the project root and the page and words of
    their highlight, so overlapping ranges give the same notes; the build state is kept per
    range (`Source.key`), so building one range never touches another's.
    """
    slug = pages_slug(pages)
    if deck is not None:
        deck = deck_name(deck)
    with open_pdf(path, password=password) as doc:
        numbers = page_numbers(doc, path, offset=offset)
        selection = select_pages(numbers, pages, path)
        highlights = read_highlights(doc, selection, path, on_page)
        outline = read_outline(doc) if highlights else ()
        title = document_title(doc)
    name = deck or title or path.stem
    page_range = selection.page_range()
    namespace = source_key(path, config.root)
    return Source(
        path=path,
        key=f"{namespace}#p{slug}",
        deck=name,
        front_matter=FrontMatter(
            deck=name, source=path.name, pages=(page_range,) if page_range else ()
        ),
        drafts=highlight_drafts(highlights, path, outline, config.macros),
        base_dir=path.resolve().parent,
        guid_namespace=namespace,
    )


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == PDF_SUFFIX


def _unreadable_page(path: Path, label: str, error: BaseException) -> SourceError:
    return SourceError(
        f"page {label} cannot be read ({error}): the file may be damaged: "
        "download or export the PDF again",
        span=SourceSpan(path, page=label),
    )
