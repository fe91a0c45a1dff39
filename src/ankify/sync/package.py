"""The notes a package holds, as a sync writes them into a collection: GUID, note type, fields,
tags, deck and media, and the note types themselves (the very ones an import would create).

A sync reads the packages its build wrote (or found up to date), so the notes it writes into
Anki are byte for byte those an `.apkg` import would give.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AnkifyError
from ..model import SourceSpan


@dataclass(frozen=True, slots=True)
class Wanted:
    """A note as the build made it, from source `source` (its key in the project)."""

    source: str
    guid: str
    notetype: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str
    cards: int

    @property
    def digest(self) -> str:
        """What ankify writes of the note: a change of source shows here."""
        parts = (str(self.notetype), self.deck, *self.fields, " ".join(sorted(self.tags)))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Package:
    """One built package: its notes, its note types (Anki's JSON) and its media (name -> the
    entry of the zip that holds it)."""

    path: Path
    notes: tuple[Wanted, ...]
    notetypes: tuple[dict[str, Any], ...]
    media: tuple[tuple[str, str], ...]

    def media_bytes(self, entry: str) -> bytes:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(entry)


def read_package(path: Path, source: str) -> Package:
    """The notes of the package ankify wrote at `path` for source `source`."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("collection.anki2")
            media = json.loads(archive.read("media") or b"{}")
        connection = sqlite3.connect(":memory:")
        try:
            connection.deserialize(data)
            return Package(path, *_contents(connection, source), _media(media))
        finally:
            connection.close()
    except (OSError, zipfile.BadZipFile, sqlite3.Error, ValueError, KeyError) as e:
        raise AnkifyError(
            f"the package cannot be read back ({e}): build again", span=SourceSpan(path)
        ) from None


def _contents(
    connection: sqlite3.Connection, source: str
) -> tuple[tuple[Wanted, ...], tuple[dict[str, Any], ...]]:
    models, decks_text = connection.execute("select models, decks from col").fetchone()
    decks = {int(key): value["name"] for key, value in json.loads(decks_text).items()}
    cards: dict[int, tuple[int, int]] = {}  # note id -> (deck id, cards)
    for note_id, deck_id in connection.execute("select nid, did from cards order by nid, ord"):
        first, count = cards.get(note_id, (deck_id, 0))
        cards[note_id] = (first, count + 1)
    notes = []
    for note_id, guid, model, fields, tags in connection.execute(
        "select id, guid, mid, flds, tags from notes order by id"
    ):
        deck_id, count = cards[note_id]
        notes.append(
            Wanted(
                source,
                guid,
                model,
                tuple(fields.split("\x1f")),
                tuple(tags.split()),
                decks[deck_id],
                count,
            )
        )
    notetypes = tuple(json.loads(models).values())
    return tuple(notes), notetypes


def _media(media: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(media, dict):
        raise ValueError("its media list is not a JSON object")
    return tuple(sorted((str(name), str(entry)) for entry, name in media.items()))
