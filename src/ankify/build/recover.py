"""The notes a package holds, read back when the build state does not know them (the state was
deleted, or a fresh clone came without it): every GUID, the question and answer each note
shows, its ids, deck and last change. Matched by what they show (`identity.py`), the cards of a
build keep the notes Anki already has instead of duplicating them.

A package is a zip holding an SQLite collection; it is read in memory, and anything that is not
a package ankify wrote (another tool's, a damaged file) recovers nothing.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from ..notetypes import NOTE_TYPES
from ..shown import shown_texts
from ..stamps import NoteRecord, Stamp

_KINDS = {note_type.id: kind for kind, note_type in NOTE_TYPES.items()}
_COLLECTIONS = ("collection.anki21", "collection.anki2")
#: A package bigger than this is not one of ours worth reading back (media aside).
_MAX_COLLECTION = 512 * 1024 * 1024


def recover_records(package: Path) -> tuple[NoteRecord, ...]:
    """The notes of a package ankify wrote, as records; none when it is not one."""
    try:
        with zipfile.ZipFile(package) as archive:
            names = set(archive.namelist())
            name = next((n for n in _COLLECTIONS if n in names), None)
            if name is None or archive.getinfo(name).file_size > _MAX_COLLECTION:
                return ()
            data = archive.read(name)
        return _records(data)
    except (OSError, zipfile.BadZipFile, sqlite3.Error, ValueError, KeyError):
        return ()


def _records(data: bytes) -> tuple[NoteRecord, ...]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        decks = _deck_names(connection)
        cards: dict[int, list[tuple[int, int, int]]] = {}
        for note_id, ord_, card_id, deck_id in connection.execute(
            "select nid, ord, id, did from cards order by nid, ord"
        ):
            cards.setdefault(note_id, []).append((ord_, card_id, deck_id))
        records = []
        for note_id, guid, model_id, mod, fields in connection.execute(
            "select id, guid, mid, mod, flds from notes order by id"
        ):
            kind = _KINDS.get(model_id)
            if kind is None or note_id not in cards:
                continue  # not a note ankify wrote
            question, answer = shown_texts(kind, fields.split("\x1f"))
            own = cards[note_id]
            records.append(
                NoteRecord(
                    guid=guid,
                    kind=kind,
                    key=question,
                    explicit_id=None,
                    stamp=Stamp(
                        note_id=note_id,
                        card_ids=tuple((ord_, card_id) for ord_, card_id, _ in own),
                        mod=mod,
                        content_hash="",  # unknown: the note counts as changed once
                    ),
                    question=question,
                    answer=answer,
                    deck=decks.get(own[0][2]),
                )
            )
        return tuple(records)
    finally:
        connection.close()


def _deck_names(connection: sqlite3.Connection) -> dict[int, str]:
    row = connection.execute("select decks from col").fetchone()
    decks = json.loads(row[0]) if row and row[0] else {}
    return {int(key): value.get("name", "") for key, value in decks.items()}
