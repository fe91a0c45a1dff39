"""What a build remembers beside its decks, so the next build updates notes in place.

For every note: its GUID, the question text it had (to recognise a rewording), its note and
card ids, and when its content last changed. A note's modification time moves only when its
content does, so re-importing an unchanged build changes nothing in Anki and an edit updates
exactly the notes it touched.

The file is `<output>/.ankify-state.json`: a line of JSON for the folder, then a line per
source (its name, its last package, a checksum and its notes, tab-separated), so a build parses
the notes of only the sources it touches; a damaged line discards the whole state.

Deleting it is safe: the next build marks every note as changed (Anki updates them all once; no
duplicates, no lost reviews), but questions reworded after that point are no longer recognised.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Note, NoteRecord, Stamp

STATE_NAME = ".ankify-state.json"
_FORMAT = 2  # 1 was one JSON document of the notes alone


@dataclass(frozen=True, slots=True)
class Built:
    """The package last written for a source, and what it was written from.

    A source whose rendered cards (`input`) and note types are unchanged, and whose package
    is still the one written (`package`, the SHA-256 of its bytes), needs no new package.
    """

    input: str
    package: str
    output: str
    decks: tuple[tuple[str, int], ...]  # (deck, number of Anki cards), as reported

    def to_dict(self) -> dict[str, object]:
        return {
            "input": self.input,
            "package": self.package,
            "output": self.output,
            "decks": [list(pair) for pair in self.decks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Built:
        return cls(
            input=str(data["input"]),
            package=str(data["package"]),
            output=str(data["output"]),
            decks=tuple((str(deck), int(count)) for deck, count in data["decks"]),
        )


@dataclass
class BuildState:
    """The state of one output folder.

    A source's notes stay as the text they were stored as until a build asks for them: a
    rebuild after one edit does not pay for the other 9,999 notes.
    """

    next_id: int = 0
    templates: tuple[str, int] = ("", 0)  # (hash of the note types, their mod time)
    built: dict[str, Built] = field(default_factory=dict)
    _stored: dict[str, str] = field(default_factory=dict)  # key -> its notes as JSON text
    _records: dict[str, tuple[NoteRecord, ...]] = field(default_factory=dict)

    def records(self, key: str) -> tuple[NoteRecord, ...]:
        """What the previous build of source `key` remembers of its notes."""
        records = self._records.get(key)
        if records is None:
            stored = self._stored.get(key)
            items = json.loads(stored) if stored is not None else ()
            records = self._records[key] = tuple(NoteRecord.from_dict(item) for item in items)
        return records

    def update(self, key: str, records: tuple[NoteRecord, ...]) -> None:
        """Source `key` now has these notes (its package is recorded in `built`)."""
        self._records[key] = records
        self._stored.pop(key, None)
        self.built.pop(key, None)

    def to_text(self) -> str:
        head = {
            "format": _FORMAT,
            "next_id": self.next_id,
            "templates": {"hash": self.templates[0], "mod": self.templates[1]},
        }
        lines = [_dumps(head)]
        for key in sorted(set(self._stored) | set(self._records)):
            if key in self._records:
                notes = _dumps([record.to_dict() for record in self._records[key]])
            else:
                notes = self._stored[key]
            built = _dumps(self.built[key].to_dict() if key in self.built else None)
            lines.append(f"{_dumps(key)}\t{built}\t{_checksum(notes)}\t{notes}")
        return "\n".join(lines) + "\n"


def _checksum(notes: str) -> str:
    """Guards a source's notes, which are parsed only when a build needs them."""
    return f"{zlib.crc32(notes.encode()):08x}"


def _dumps(value: object) -> str:
    # Compact separators keep json on its C encoder; it escapes tabs and newlines in strings.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return BuildState()
    except (OSError, UnicodeDecodeError):
        return BuildState()
    try:
        head, *lines = text.split("\n")
        try:
            data = json.loads(head)
        except ValueError:
            return _load_format_1(json.loads(text))
        if data.get("format") != _FORMAT:
            return BuildState()
        templates = data["templates"]
        state = BuildState(
            next_id=int(data["next_id"]),
            templates=(str(templates["hash"]), int(templates["mod"])),
        )
        for line in lines:
            if not line:
                continue
            key_text, built_text, checksum, notes = line.split("\t", 3)
            key = json.loads(key_text)
            if not isinstance(key, str) or checksum != _checksum(notes):
                raise ValueError(line[:40])
            state._stored[key] = notes
            built = json.loads(built_text)
            if built is not None:
                state.built[key] = Built.from_dict(built)
        return state
    except (ValueError, KeyError, TypeError, AttributeError, AssertionError):
        # A damaged state is never trusted: start afresh (every note counts as changed once).
        return BuildState()


def _load_format_1(data: dict[str, Any]) -> BuildState:
    """The state as ankify 0.1 wrote it: one JSON document of every source's notes."""
    if data.get("format") != 1:
        return BuildState()
    templates = data.get("templates", {})
    state = BuildState(
        next_id=int(data["next_id"]),
        templates=(str(templates.get("hash", "")), int(templates.get("mod", 0))),
    )
    for key, records in data["sources"].items():
        state._records[key] = tuple(NoteRecord.from_dict(item) for item in records)
    return state


def records_of(state: BuildState, key: str) -> tuple[NoteRecord, ...]:
    """The previous notes of `key`, or none when the stored ones are damaged."""
    try:
        return state.records(key)
    except (ValueError, KeyError, TypeError, AssertionError, AttributeError):
        return ()


def save_state(out_dir: Path, state: BuildState) -> None:
    """Write the state atomically, and only when it changed."""
    path = out_dir / STATE_NAME
    text = state.to_text()
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
    return tuple(
        NoteRecord(
            guid=note.guid,
            kind=note.kind,
            key=note.rendered.key,
            explicit_id=note.rendered.explicit_id,
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
