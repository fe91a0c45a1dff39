"""Notes -> an .apkg file. The only module that imports genanki.

genanki builds the collection, but we control everything it would stamp with "now": note
and card ids, modification times and the zip's dates come from the build state, so an
unchanged source gives a byte-identical package. This module makes the bytes; the build
writes every package beside its target and renames them into place only when all are written
(`workspace.replace_all`), so a failed build leaves the previous packages as they were.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import sqlite3
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import genanki

from .model import CardKind, Note
from .notetypes import NOTE_TYPES, card_html, template_texts
from .stamps import Stamp

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@functools.cache
def _model(kind: CardKind) -> genanki.Model:
    note_type = NOTE_TYPES[kind]
    texts = template_texts()
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[
            {
                "name": note_type.card_name,
                "qfmt": card_html(note_type, "front"),
                "afmt": card_html(note_type, "back"),
            }
        ],
        css=texts["ankify.css"],
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


def deck_id(name: str) -> int:
    """A deck's id: a fixed function of its full name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], "big") | (1 << 48)


class _StampedNote(genanki.Note):  # type: ignore[misc]
    """A genanki note whose ids and modification time come from the build state."""

    def __init__(self, note: Note, stamp: Stamp, due: int) -> None:
        super().__init__(
            model=_model(note.kind),
            fields=list(note.fields),
            tags=list(note.tags),
            guid=note.guid,
            due=due,
        )
        self.stamp = stamp

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        card_ids = dict(self.stamp.card_ids)
        ids = iter([self.stamp.note_id, *(card_ids[card.ord] for card in self.cards)])
        super().write_to_db(cursor, self.stamp.mod, deck_id, ids)


def apkg_bytes(notes: Sequence[Note], stamps: Sequence[Stamp], *, templates_mod: int) -> bytes:
    """The bytes of the .apkg of `notes` (with their stamps), for the caller to write: a build
    writes all its packages before it renames any into place."""
    decks: dict[str, genanki.Deck] = {}
    for due, (note, stamp) in enumerate(zip(notes, stamps, strict=True)):
        deck = decks.get(note.deck)
        if deck is None:
            deck = decks[note.deck] = genanki.Deck(deck_id(note.deck), note.deck)
        deck.add_note(_StampedNote(note, stamp, due))
    media = {m.name: m.path for note in notes for m in note.media}
    # The collection is built in memory: a file on disk would cost a sync per transaction.
    connection = sqlite3.connect(":memory:")
    try:
        package = genanki.Package(list(decks.values()))
        with warnings.catch_warnings():
            # genanki's regex misreads valid HTML (markdown-it wrote ours): see its note.py.
            warnings.filterwarnings("ignore", "^Field contained the following invalid HTML")
            # Our notes take their ids from their stamps; the counter is never used.
            package.write_to_db(connection.cursor(), templates_mod, itertools.count(1))
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    return _zip(database, sorted(media.items()))


def _zip(database: bytes, media: Iterable[tuple[str, Path]]) -> bytes:
    buffer = io.BytesIO()
    media = list(media)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _entries(database, media):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _entries(database: bytes, media: Sequence[tuple[str, Path]]) -> Iterator[tuple[str, bytes]]:
    yield "collection.anki2", database
    yield "media", json.dumps({str(i): name for i, (name, _) in enumerate(media)}).encode()
    for index, (_, source) in enumerate(media):
        yield str(index), source.read_bytes()
