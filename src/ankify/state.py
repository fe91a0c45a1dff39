"""What a build remembers beside its decks, so the next build updates notes in place.

For every note: its GUID, the question text it had (to recognise a rewording), its note and
card ids, and when its content last changed. A note's modification time moves only when its
content does, so re-importing an unchanged build changes nothing in Anki and an edit updates
exactly the notes it touched.

The file is `<output>/.ankify-state.json`. Deleting it is safe: the next build marks every
note as changed (Anki updates them all once; no duplicates, no lost reviews), but questions
reworded after that point are no longer recognised.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .model import Note, NoteRecord, Stamp

STATE_NAME = ".ankify-state.json"
_FORMAT = 1


@dataclass
class BuildState:
    """The state of one output folder."""

    next_id: int = 0
    templates: tuple[str, int] = ("", 0)  # (hash of the note types, their mod time)
    sources: dict[str, tuple[NoteRecord, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "format": _FORMAT,
            "next_id": self.next_id,
            "templates": {"hash": self.templates[0], "mod": self.templates[1]},
            "sources": {
                key: [record.to_dict() for record in records]
                for key, records in sorted(self.sources.items())
            },
        }


class IdAllocator:
    """Note and card ids in Anki's own style (milliseconds), never reused within a folder."""

    def __init__(self, state: BuildState, now: float) -> None:
        self.state = state
        self.floor = int(now * 1000)

    def take(self) -> int:
        value = max(self.state.next_id, self.floor)
        self.state.next_id = value + 1
        return value


def load_state(out_dir: Path) -> BuildState:
    """The state of `out_dir`; an empty one when it is missing or unreadable."""
    path = out_dir / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return BuildState()
        templates = data.get("templates", {})
        return BuildState(
            next_id=int(data["next_id"]),
            templates=(str(templates.get("hash", "")), int(templates.get("mod", 0))),
            sources={
                key: tuple(NoteRecord.from_dict(item) for item in records)
                for key, records in data["sources"].items()
            },
        )
    except FileNotFoundError:
        return BuildState()
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        # A damaged state is never trusted: start afresh (every note counts as changed once).
        return BuildState()


def save_state(out_dir: Path, state: BuildState) -> None:
    """Write the state atomically, and only when it changed."""
    path = out_dir / STATE_NAME
    text = json.dumps(state.to_dict(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text.encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def content_hash(note: Note) -> str:
    """What a note's modification time follows: its fields, tags, deck and kind."""
    parts = (note.kind.value, note.deck, *note.fields, " ".join(sorted(note.tags)))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def stamp_notes(
    notes: Sequence[Note], previous: Sequence[NoteRecord], ids: IdAllocator, now: float
) -> tuple[Stamp, ...]:
    """Ids and modification times: kept for unchanged notes, renewed for changed ones."""
    by_guid = {record.guid: record for record in previous}
    seconds = int(now)
    stamps = []
    for note in notes:
        record = by_guid.get(note.card.guid)
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
    return tuple(
        NoteRecord(
            guid=note.card.guid,
            kind=note.kind,
            key=note.card.draft.key,
            explicit_id=note.card.draft.explicit_id,
            stamp=stamp,
        )
        for note, stamp in zip(notes, stamps, strict=True)
    )


def templates_stamp(state: BuildState, templates_hash: str, now: float) -> int:
    """The note types' modification time: renewed when their HTML/CSS changes."""
    old_hash, old_mod = state.templates
    if old_hash != templates_hash:
        state.templates = (templates_hash, max(int(now), old_mod + 1))
    return state.templates[1]
