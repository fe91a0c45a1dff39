"""The domain: frozen values that flow through the pipeline, and the parsers of their text forms.

No I/O here. The parsers raise `ValueError` with a reason phrased about the value ("runs
backwards: write it as 53-60"); whoever read the value (a front matter key, a command-line
option) puts its own name in front.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from markdown_it.token import Token


class DeckKind(enum.Enum):
    """The two decks of the method: quick cards for the phone, exercises for the desk."""

    ON_THE_GO = "on_the_go"
    PEN_AND_PAPER = "pen_and_paper"


class MathMode(enum.Enum):
    """How formulas reach Anki: LaTeX that Anki's MathJax renders, or SVG images made by LaTeX."""

    MATHJAX = "mathjax"
    SVG = "svg"


class CardKind(enum.Enum):
    """What a note is; each kind has its own Anki note type and its own syntax
    (`kinds.SYNTAX`)."""

    QUESTION = "question"
    CLOZE = "cloze"
    EXERCISE = "exercise"

    @property
    def deck_kind(self) -> DeckKind:
        return DeckKind.PEN_AND_PAPER if self is CardKind.EXERCISE else DeckKind.ON_THE_GO


# -- where things come from -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where something came from: a file and a 1-based line, or a printed page of a PDF.

    `item` says what on the page, when a page holds several things (`the highlight “mean”`).
    """

    path: Path
    line: int | None = None
    page: str | None = None
    item: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.page is not None:
            where = f"{self.path} p. {self.page}"
            return f"{where}, {self.item}" if self.item else where
        return str(self.path)

    def at(self, line: int | None) -> SourceSpan:
        """Where something on `line` of this span's file stands: that line, when there is one
        and this span is in a file of lines; else this span (a PDF's page, a generated card)."""
        if line is None or self.page is not None:
            return self
        return SourceSpan(self.path, line)

    @property
    def position(self) -> str:
        """`at line 12` or `on p. 54`: where in its file, for messages naming another place."""
        if self.line is not None:
            return f"at line {self.line}"
        if self.page is not None:
            return f"on p. {self.page}"
        return f"in {self.path.name}"


# -- pages ------------------------------------------------------------------------------------

_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
_NUMBERED = re.compile(r"^\s*(\d+)\s*(?:[-\u2010-\u2015\u2212]\s*(\d+)\s*)?$")


@dataclass(frozen=True, slots=True)
class PageRange:
    """An inclusive range of printed page numbers."""

    first: int
    last: int

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def __len__(self) -> int:
        return self.last - self.first + 1

    @classmethod
    def parse(cls, text: str) -> PageRange:
        """`53`, `53-60` (any dash); ValueError says what is wrong and how to write it."""
        if not text.strip():
            raise ValueError("is empty: give the pages, e.g. 53-60")
        match = _NUMBERED.match(text)
        if not match:
            raise ValueError("is not a page range: write it like 53-60")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise ValueError(f"runs backwards: write it as {last}-{first}")
        if first < 1:
            raise ValueError("starts at page 0: pages are numbered from 1")
        return cls(first, last)


def parse_page_ranges(text: str) -> tuple[PageRange, ...]:
    """`53-60, 62`: printed page ranges, separated by commas (a comma too many is harmless)."""
    parts = [part for part in text.split(",") if part.strip()]
    return tuple(PageRange.parse(part) for part in parts or [text])


@dataclass(frozen=True, slots=True)
class PageLabels:
    """A range of a PDF's pages as printed: `53-60`, `iv-x`, or one page (`A-1` may be either).

    Labels are not numbers (roman numerals, letters, prefixes), and a label may hold a dash, so
    the range keeps every way of splitting it; the PDF's labels decide which one it means.
    """

    text: str  # dashes made plain, spaces around them removed

    @classmethod
    def parse(cls, text: str) -> PageLabels:
        normal = _DASHES.sub("-", text.strip())
        if not normal or normal.startswith("-") or normal.endswith("-"):
            raise ValueError("is not a page range: write it like 53-60")
        return cls(normal)

    def splits(self) -> tuple[tuple[str, str], ...]:
        """(first, last) labels: the whole text as one page, then each dash as the split."""
        text = self.text
        return ((text, text), *((text[:i], text[i + 1 :]) for i, c in enumerate(text) if c == "-"))

    @property
    def slug(self) -> str:
        """`53-60` as it names files (`dlbook-p53-60.apkg`): no leading zeros, `53-53` is `53`."""
        parts = [p.lstrip("0") or p if p.isdigit() else p for p in self.text.split("-")]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        return re.sub(r"[^\w.-]", "_", "-".join(parts))

    def __str__(self) -> str:
        return self.text


# -- decks and identity text ------------------------------------------------------------------


def parse_deck(text: str, *, collapse: bool = False) -> str:
    """A deck path such as `Deep Learning::Chapter 3`: each part trimmed (as Anki trims them)
    and not empty; with `collapse`, runs of spaces inside a part become one (for names typed on
    a command line or taken from a PDF)."""
    parts = [" ".join(part.split()) if collapse else part.strip() for part in text.split("::")]
    if not all(parts):
        raise ValueError("has an empty part: write it like 'Deep Learning::Chapter 3'")
    return "::".join(parts)


def key_text(text: str) -> str:
    """The text a card is recognised by: whitespace-insensitive."""
    return " ".join(text.split())


# -- what the pipeline carries ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The optional YAML header of a note file."""

    deck: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    pages: tuple[PageRange, ...] = ()
    macros: tuple[tuple[str, str], ...] = ()
    offset: int | None = None  # `#page=` images of PDFs without labels: printed P is P + offset


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading a card sits under: its level, plain text and parsed inline tokens."""

    level: int
    text: str
    inline: Token | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Draft:
    """A card as written in a source, before identity and rendering.

    `front` and `back` are markdown-it block tokens. A token's `map` gives its line in the
    source; tokens without one (made from a PDF, or generated) are at `span`. `key` is the
    whitespace-normalised text of the question (or cloze) that gives the card its identity when
    it has no explicit `^id`.
    """

    kind: CardKind
    span: SourceSpan
    front: tuple[Token, ...] = field(compare=False, repr=False)
    back: tuple[Token, ...] = field(compare=False, repr=False)
    key: str
    explicit_id: str | None = None
    tags: tuple[str, ...] = ()
    context: tuple[Heading, ...] = ()
    cloze_numbers: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """An image link in a source, as written (`figures/a.png`, `book.pdf#page=56`)."""

    src: str
    span: SourceSpan


@dataclass(frozen=True, slots=True)
class Source:
    """One note file read: where it lives, its identity among sources, and its drafts.

    `key` names the source in the build state (one output package); `guid_namespace`, when
    set, is what its cards' GUIDs hang on instead: every page range of one PDF shares it, so
    overlapping ranges give the same notes. `links` are every image link in the source, and
    `headings` every heading, in its cards' context or not: all are checked, and the cards
    depend on the files the links name. `outside` are the inline tokens of the text that is in
    no card, checked for cards written almost right.
    """

    path: Path
    key: str
    deck: str
    front_matter: FrontMatter
    drafts: tuple[Draft, ...]
    base_dir: Path
    guid_namespace: str | None = None
    links: tuple[Link, ...] = ()
    headings: tuple[Heading, ...] = ()
    outside: tuple[Token, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Media:
    """A file shipped inside the package, named by a hash of its bytes."""

    name: str
    path: Path


@dataclass(frozen=True, slots=True)
class Rendered:
    """A draft rendered to the fields of its Anki note: everything about a card but its GUID.

    The fields never depend on the GUID, so rendered sources can be cached by content.
    """

    kind: CardKind
    span: SourceSpan
    key: str
    explicit_id: str | None
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str
    media: tuple[Media, ...] = ()
    cloze_numbers: tuple[int, ...] = ()

    @property
    def ords(self) -> tuple[int, ...]:
        """Template ordinals of the note's cards (one per cloze number for clozes)."""
        if self.kind is CardKind.CLOZE:
            return tuple(n - 1 for n in self.cloze_numbers)
        return (0,)


@dataclass(frozen=True, slots=True)
class RenderedSource:
    """A source read, checked and rendered: what the cache keeps between builds.

    `files` are the files besides the source that the fields depend on (images, PDFs, rendered
    formulas), with the SHA-256 of their bytes, so a cached copy is trusted only while they
    are unchanged.
    """

    path: Path
    key: str
    guid_namespace: str
    cards: tuple[Rendered, ...]
    files: tuple[tuple[Path, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """A rendered card with its stable identity (the Anki note GUID): ready to stamp and export."""

    rendered: Rendered
    guid: str

    @property
    def kind(self) -> CardKind:
        return self.rendered.kind

    @property
    def fields(self) -> tuple[str, ...]:
        return self.rendered.fields

    @property
    def tags(self) -> tuple[str, ...]:
        return self.rendered.tags

    @property
    def deck(self) -> str:
        return self.rendered.deck

    @property
    def media(self) -> tuple[Media, ...]:
        return self.rendered.media

    @property
    def ords(self) -> tuple[int, ...]:
        return self.rendered.ords


# -- what is read back from disk ---------------------------------------------------------------

_T = TypeVar("_T", str, int, list[object], dict[str, object])
_KIND_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "a JSON object"}


def json_value(value: object, kind: type[_T], what: str) -> _T:
    """`value` when it is of `kind` (a bool is not an int); ValueError otherwise, so a damaged
    file read back is an error to catch, never a crash later (and never only an `assert`)."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{what} must be {_KIND_NAMES[kind]}")
    return value


def json_field(data: Mapping[str, object], key: str, kind: type[_T]) -> _T:
    """`data[key]` when it is of `kind`; ValueError otherwise."""
    return json_value(data.get(key), kind, key)


def json_object(value: object, what: str) -> dict[str, object]:
    """`value` when it is a JSON object; ValueError otherwise."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object")
    return value
