"""The domain: frozen values that flow through the pipeline. No I/O here."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token


class DeckKind(enum.Enum):
    """The two decks of the method: quick cards for the phone, exercises for the desk."""

    ON_THE_GO = "on_the_go"
    PEN_AND_PAPER = "pen_and_paper"


class CardKind(enum.Enum):
    """What a note is; each kind has its own Anki note type."""

    QUESTION = "question"
    CLOZE = "cloze"
    EXERCISE = "exercise"

    @property
    def deck_kind(self) -> DeckKind:
        return DeckKind.PEN_AND_PAPER if self is CardKind.EXERCISE else DeckKind.ON_THE_GO


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where something came from: a file and a 1-based line, or a printed page of a PDF."""

    path: Path
    line: int | None = None
    page: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.page is not None:
            return f"{self.path} p. {self.page}"
        return str(self.path)


@dataclass(frozen=True, slots=True)
class PageRange:
    """An inclusive range of printed page numbers."""

    first: int
    last: int

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    def __len__(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The optional YAML header of a note file."""

    deck: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    pages: tuple[PageRange, ...] = ()
    macros: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading a card sits under: its level, plain text and parsed inline tokens."""

    level: int
    text: str
    inline: Token | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Draft:
    """A card as written in a source, before identity and rendering.

    `front` and `back` are markdown-it block tokens; `key` is the whitespace-normalised
    source text of the question (or cloze) that gives the card its identity when it has no
    explicit `^id`.
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
class Source:
    """One note file read: where it lives, its identity among sources, and its drafts.

    `key` names the source in the build state (one output package); `guid_namespace`, when
    set, is what its cards' GUIDs hang on instead: every page range of one PDF shares it, so
    overlapping ranges give the same notes.
    """

    path: Path
    key: str
    deck: str
    front_matter: FrontMatter
    drafts: tuple[Draft, ...]
    base_dir: Path
    guid_namespace: str | None = None
    files: tuple[Path, ...] = ()  # local files it links to (checked, whether or not shown)


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


@dataclass(frozen=True, slots=True)
class Stamp:
    """What Anki needs to recognise a note across builds: ids and last-changed time."""

    note_id: int
    card_ids: tuple[tuple[int, int], ...]  # (ord, card id)
    mod: int  # seconds; changes only when the note's content changes
    content_hash: str


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """What the previous build of a source remembers of one note (kept beside the decks)."""

    guid: str
    kind: CardKind
    key: str
    explicit_id: str | None
    stamp: Stamp

    def to_dict(self) -> dict[str, object]:
        return {
            "guid": self.guid,
            "kind": self.kind.value,
            "key": self.key,
            "id": self.explicit_id,
            "note_id": self.stamp.note_id,
            "card_ids": [list(pair) for pair in self.stamp.card_ids],
            "mod": self.stamp.mod,
            "hash": self.stamp.content_hash,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NoteRecord:
        pairs = data["card_ids"]
        assert isinstance(pairs, list)
        return cls(
            guid=str(data["guid"]),
            kind=CardKind(data["kind"]),
            key=str(data["key"]),
            explicit_id=str(data["id"]) if data.get("id") else None,
            stamp=Stamp(
                note_id=int(str(data["note_id"])),
                card_ids=tuple((int(o), int(c)) for o, c in pairs),
                mod=int(str(data["mod"])),
                content_hash=str(data["hash"]),
            ),
        )
