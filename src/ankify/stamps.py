"""Stamping notes: the ids and modification times Anki recognises a note by across builds, and
what a build remembers of each note for the next one.

A note keeps its note and card ids for good, and its modification time moves only when its
content does: re-importing an unchanged build changes nothing in Anki, and an edit updates
exactly the notes it touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

from .model import CardKind, Note, json_field, json_object, json_value
from .shown import shown_texts


@dataclass(frozen=True, slots=True)
class Stamp:
    """What Anki needs to recognise a note across builds: ids and last-changed time."""

    note_id: int
    card_ids: tuple[tuple[int, int], ...]  # (ord, card id)
    mod: int  # seconds; changes only when the note's content changes
    content_hash: str


class NoteRecordDict(TypedDict):
    """A `NoteRecord` as the build state stores it."""

    guid: str
    kind: str
    key: str
    id: str | None
    question: str | None
    answer: str | None
    deck: str | None
    note_id: int
    card_ids: list[list[int]]
    mod: int
    hash: str


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """What the previous build remembers of one note: its GUID, what it is recognised by
    (its kind, `key` and `^id`, the question and answer as shown) and its stamp.

    `question`, `answer` and `deck` are None in records of ankify 0.1, which kept none; a
    record recovered from a package has no `key` of its own (it is its question).
    """

    guid: str
    kind: CardKind
    key: str
    explicit_id: str | None
    stamp: Stamp
    question: str | None = None
    answer: str | None = None
    deck: str | None = None

    def to_dict(self) -> NoteRecordDict:
        return {
            "guid": self.guid,
            "kind": self.kind.value,
            "key": self.key,
            "id": self.explicit_id,
            "question": self.question,
            "answer": self.answer,
            "deck": self.deck,
            "note_id": self.stamp.note_id,
            "card_ids": [list(pair) for pair in self.stamp.card_ids],
            "mod": self.stamp.mod,
            "hash": self.stamp.content_hash,
        }

    @classmethod
    def from_dict(cls, value: object) -> NoteRecord:
        """A record read back; ValueError when it is not one (a damaged state)."""
        data = json_object(value, "a note record")
        card_ids = []
        for pair in json_field(data, "card_ids", list):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("card_ids must be a list of [ord, id] pairs")
            card_ids.append(
                (json_value(pair[0], int, "an ord"), json_value(pair[1], int, "a card id"))
            )
        ident = data.get("id")
        return cls(
            guid=json_field(data, "guid", str),
            kind=CardKind(data.get("kind")),
            key=json_field(data, "key", str),
            explicit_id=ident if isinstance(ident, str) and ident else None,
            stamp=Stamp(
                note_id=json_field(data, "note_id", int),
                card_ids=tuple(card_ids),
                mod=json_field(data, "mod", int),
                content_hash=json_field(data, "hash", str),
            ),
            question=_optional(data, "question"),
            answer=_optional(data, "answer"),
            deck=_optional(data, "deck"),
        )


def _optional(data: dict[str, object], key: str) -> str | None:
    """A text the record may lack (ankify 0.1 kept none); ValueError when it is not text."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    return value


class IdAllocator:
    """Note and card ids in Anki's own style (milliseconds), never reused within a folder.

    `next_id` is the lowest id not given yet; ids never go below the time of the build.
    """

    def __init__(self, next_id: int, now: float) -> None:
        self.next_id = next_id
        self.floor = int(now * 1000)

    def take(self) -> int:
        value = max(self.next_id, self.floor)
        self.next_id = value + 1
        return value


def content_hash(note: Note) -> str:
    """What a note's modification time follows: its fields, tags, deck and kind."""
    parts = (note.kind.value, note.deck, *note.fields, " ".join(sorted(note.tags)))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def stamp_notes(
    notes: Sequence[Note], by_guid: Mapping[str, NoteRecord], ids: IdAllocator, now: float
) -> tuple[Stamp, ...]:
    """Ids and modification times: kept for unchanged notes, renewed for changed ones, taken
    from the previous build's notes (`by_guid`, anywhere in the project)."""
    seconds = int(now)
    stamps = []
    for note in notes:
        record = by_guid.get(note.guid)
        digest = content_hash(note)
        if record is None:
            mod, note_id, known = seconds, ids.take(), {}
        else:
            old = record.stamp
            mod = old.mod if old.content_hash == digest else max(seconds, old.mod + 1)
            note_id, known = old.note_id, dict(old.card_ids)
        card_ids = tuple((ord_, known.get(ord_) or ids.take()) for ord_ in note.ords)
        stamps.append(Stamp(note_id=note_id, card_ids=card_ids, mod=mod, content_hash=digest))
    return tuple(stamps)


def records_for(notes: Sequence[Note], stamps: Sequence[Stamp]) -> tuple[NoteRecord, ...]:
    """What the next build needs to remember of these notes."""
    records = []
    for note, stamp in zip(notes, stamps, strict=True):
        question, answer = shown_texts(note.kind, note.fields)
        records.append(
            NoteRecord(
                guid=note.guid,
                kind=note.kind,
                key=note.rendered.key,
                explicit_id=note.rendered.explicit_id,
                stamp=stamp,
                question=question,
                answer=answer,
                deck=note.deck,
            )
        )
    return tuple(records)


def templates_stamp(previous: tuple[str, int], templates_hash: str, now: float) -> tuple[str, int]:
    """The note types' (hash, modification time): the time is renewed when their HTML/CSS
    changes."""
    old_hash, old_mod = previous
    if old_hash != templates_hash:
        return (templates_hash, max(int(now), old_mod + 1))
    return previous
