"""What a sync does to a collection, decided before anything is written: pure data.

Each note the build made is compared with the note Anki holds under its GUID and with what the
last sync wrote there (its `Record`, kept in the collection). A note whose source did not
change since it was last written is never written again: when Anki's copy differs, the learner
edited it in Anki, and the edit stays. When the source changed, the source wins (an edit made
in Anki meanwhile is overwritten, and the summary says so). A note that a sync wrote from a
source the sync covers, and that no source of the project holds any longer, is removed:
suspended and tagged `ankify::removed` (deleted with `delete`). Notes no sync of the project
wrote are never touched.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .package import Wanted

REMOVED_TAG = "ankify::removed"


@dataclass(frozen=True, slots=True)
class Existing:
    """A note as the collection holds it, with its cards (id, deck name, queue)."""

    note_id: int
    notetype: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: tuple[tuple[int, str, int], ...]

    @property
    def digest(self) -> str:
        return anki_digest(self.fields)


@dataclass(frozen=True, slots=True)
class Record:
    """What the last sync wrote of a note: its source, the note as built (`Wanted.digest`), its
    fields as Anki then held them (`anki_digest`), its deck and the tags ankify gave it;
    `removed` once it was removed."""

    source: str
    wanted: str
    anki: str
    deck: str
    tags: tuple[str, ...] = ()
    removed: bool = False

    def to_list(self) -> list[object]:
        return [self.source, self.wanted, self.anki, self.deck, list(self.tags), int(self.removed)]

    @classmethod
    def from_list(cls, value: object) -> Record:
        """ValueError when `value` is not what `to_list` gives."""
        if not isinstance(value, list) or len(value) != 6:
            raise ValueError("a sync record is a list of six")
        source, wanted, anki, deck, tags, removed = value
        if not all(isinstance(v, str) for v in (source, wanted, anki, deck)):
            raise ValueError("a sync record holds texts")
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise ValueError("a sync record's tags are a list of texts")
        return cls(source, wanted, anki, deck, tuple(tags), bool(removed))


@dataclass(frozen=True, slots=True)
class Update:
    """A note written in place: its fields and `tags` when `write`, its cards moved to the
    note's deck (`move`), restored when it had been removed (`restore`: cards to unsuspend)."""

    note_id: int
    wanted: Wanted
    write: bool
    tags: tuple[str, ...]
    move: tuple[int, ...] = ()
    restore: tuple[int, ...] = ()
    overwrote: bool = False  # it had been edited in Anki since the last sync


@dataclass(frozen=True, slots=True)
class Removal:
    note_id: int
    guid: str
    deck: str
    cards: tuple[int, ...]
    text: str  # its first field, to name it


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a sync will do."""

    add: tuple[Wanted, ...] = ()
    update: tuple[Update, ...] = ()
    remove: tuple[Removal, ...] = ()
    unchanged: tuple[Wanted, ...] = ()
    kept: tuple[Wanted, ...] = ()  # edited in Anki, source unchanged: left as they are
    gone: tuple[Wanted, ...] = ()  # deleted in Anki, source unchanged: not added again
    records: dict[str, Record] = field(default_factory=dict)  # the records after the sync
    delete: bool = False
    #: ankify's note types to add (True) or bring up to date (Anki's JSON, as the packages
    #: hold them).
    notetypes: tuple[tuple[dict[str, Any], bool], ...] = ()

    @property
    def changes(self) -> bool:
        """Whether the collection is written at all."""
        return bool(self.add or self.update or self.remove or self.notetypes)

    @property
    def moved(self) -> tuple[Update, ...]:
        return tuple(update for update in self.update if update.move)

    @property
    def written(self) -> tuple[Update, ...]:
        return tuple(update for update in self.update if update.write or update.restore)


def anki_digest(fields: Sequence[str]) -> str:
    """A note's fields as Anki holds them: an edit made in Anki shows here (tags the learner
    adds, or Anki's own `leech`, are no edit: they are kept)."""
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:32]


def plan_sync(
    wanted: Sequence[Wanted],
    existing: Mapping[str, Existing],
    records: Mapping[str, Record],
    *,
    alive: frozenset[str],
    scope: frozenset[str],
    delete: bool = False,
) -> Plan:
    """The sync of `wanted` into a collection holding `existing` (by GUID), which the last
    syncs wrote `records` into. Notes recorded from a source in `scope` whose GUID is not in
    `alive` (the project's notes) are removed."""
    add: list[Wanted] = []
    update: list[Update] = []
    unchanged: list[Wanted] = []
    kept: list[Wanted] = []
    gone: list[Wanted] = []
    after = dict(records)
    for note in wanted:
        record = records.get(note.guid)
        found = existing.get(note.guid)
        if record is not None and record.source != note.source:  # its card moved to a file
            after[note.guid] = replace(record, source=note.source)
        if found is None:
            if record is not None and not record.removed and record.wanted == note.digest:
                gone.append(note)
            else:
                add.append(note)
            continue
        if found.notetype != note.notetype:
            kept.append(note)  # its note type was changed in Anki: it is the learner's now
            continue
        if record is not None and not record.removed and record.wanted == note.digest:
            (unchanged if found.digest == record.anki else kept).append(note)
            continue
        tags = _tags(found, note, record)
        write = not _same(found.fields, note.fields) or _folded(tags) != _folded(found.tags)
        deck_changed = record is None or record.removed or record.deck != note.deck
        move = tuple(c for c, deck, _ in found.cards if deck != note.deck) if deck_changed else ()
        removed = record is not None and record.removed
        restore = tuple(c for c, _, queue in found.cards if queue == -1) if removed else ()
        if write or move or restore:
            overwrote = write and record is not None and found.digest != record.anki
            update.append(Update(found.note_id, note, write, tags, move, restore, overwrote))
        else:
            unchanged.append(note)
            after[note.guid] = Record(note.source, note.digest, found.digest, note.deck, note.tags)
    wanted_guids = {note.guid for note in wanted}
    remove = []
    for guid, record in records.items():
        if record.source not in scope or guid in alive or guid in wanted_guids:
            continue
        found = existing.get(guid)
        if found is None:
            after.pop(guid)  # deleted in Anki meanwhile
        elif not record.removed or delete:
            deck = found.cards[0][1] if found.cards else record.deck
            cards = tuple(card for card, _, _ in found.cards)
            remove.append(Removal(found.note_id, guid, deck, cards, found.fields[0]))
    return Plan(
        tuple(add),
        tuple(update),
        tuple(remove),
        tuple(unchanged),
        tuple(kept),
        tuple(gone),
        after,
        delete,
    )


def _same(have: Sequence[str], want: Sequence[str]) -> bool:
    """Whether Anki's fields already show what the build made (Anki keeps text in NFC)."""
    return len(have) == len(want) and all(
        a == b or a == unicodedata.normalize("NFC", b) for a, b in zip(have, want, strict=True)
    )


def _tags(found: Existing, note: Wanted, record: Record | None) -> tuple[str, ...]:
    """The note's tags after the sync: the build's, and those the learner (or Anki: `leech`,
    `marked`) gave it in Anki; not the ones ankify gave it before and no longer does."""
    ours = _folded(note.tags) | _folded(record.tags if record else ()) | {REMOVED_TAG}
    return (*note.tags, *(tag for tag in found.tags if tag.casefold() not in ours))


def _folded(tags: Iterable[str]) -> set[str]:
    """Tags as Anki compares them: without regard to case."""
    return {tag.casefold() for tag in tags}
