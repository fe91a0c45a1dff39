"""What a build remembers beside its decks, so the next build updates notes in place.

For every source: the package last written and what it was written from, and for each of its
notes its GUID, the question text it had (to recognise a rewording), its note and card ids, and
when its content last changed (see `stamps.py`).

The file is `<output>/.ankify-state.json`: a line of JSON for the folder, then a line per
source (its name, its last package, a checksum and its notes, tab-separated), so a build parses
the notes of only the sources it touches; a damaged line discards the whole state.

Deleting it is safe: the next build marks every note as changed (Anki updates them all once; no
duplicates, no lost reviews), but questions reworded after that point are no longer recognised.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from ..model import json_field, json_object
from ..stamps import NoteRecord
from ..workspace import write_atomically

STATE_NAME = ".ankify-state.json"
_FORMAT = 2  # 1 was one JSON document of the notes alone


class BuiltDict(TypedDict):
    input: str
    package: str
    output: str
    decks: list[list[str | int]]


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

    def to_dict(self) -> BuiltDict:
        return {
            "input": self.input,
            "package": self.package,
            "output": self.output,
            "decks": [[deck, count] for deck, count in self.decks],
        }

    @classmethod
    def from_dict(cls, data: object) -> Built:
        """ValueError when `data` is not what `to_dict` writes."""
        data = json_object(data, "a package record")
        decks = data.get("decks")
        if not isinstance(decks, list) or not all(
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], int)
            for pair in decks
        ):
            raise ValueError("decks must be a list of [deck, count] pairs")
        return cls(
            input=_str(data, "input"),
            package=_str(data, "package"),
            output=_str(data, "output"),
            decks=tuple((deck, count) for deck, count in decks),
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
        """What the previous build of source `key` remembers of its notes (none when what
        was stored is damaged: its notes are then new once, never duplicated in a package)."""
        records = self._records.get(key)
        if records is None:
            stored = self._stored.get(key)
            try:
                records = _records(json.loads(stored)) if stored is not None else ()
            except ValueError:
                records = ()
            self._records[key] = records
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

    @classmethod
    def from_text(cls, text: str) -> BuildState:
        """The state as `to_text` wrote it (or as ankify 0.1 did); ValueError when damaged."""
        head, *lines = text.split("\n")
        try:
            data = json.loads(head)
        except ValueError:
            return _from_format_1(json.loads(text))
        data = json_object(data, "the state's first line")
        if data.get("format") != _FORMAT:
            raise ValueError(f"format {data.get('format')!r} is not {_FORMAT}")
        templates = json_object(data.get("templates"), "templates")
        state = cls(
            next_id=_int(data, "next_id"),
            templates=(_str(templates, "hash"), _int(templates, "mod")),
        )
        for line in lines:
            if not line:
                continue
            parts = line.split("\t", 3)
            if len(parts) != 4:
                raise ValueError(f"a source's line has {len(parts)} parts, not 4")
            key_text, built_text, checksum, notes = parts
            key = json.loads(key_text)
            if not isinstance(key, str) or checksum != _checksum(notes):
                raise ValueError(f"the line of {key!r} is damaged")
            state._stored[key] = notes
            built = json.loads(built_text)
            if built is not None:
                state.built[key] = Built.from_dict(built)
        return state


def _from_format_1(data: object) -> BuildState:
    """The state as ankify 0.1 wrote it: one JSON document of every source's notes."""
    data = json_object(data, "the state")
    if data.get("format") != 1:
        raise ValueError(f"format {data.get('format')!r} is not 1")
    templates = json_object(data.get("templates", {"hash": "", "mod": 0}), "templates")
    state = BuildState(
        next_id=_int(data, "next_id"),
        templates=(_str(templates, "hash"), _int(templates, "mod")),
    )
    for key, records in json_object(data.get("sources"), "sources").items():
        state._records[key] = _records(records)
    return state


def _records(items: object) -> tuple[NoteRecord, ...]:
    if not isinstance(items, list):
        raise ValueError("a source's notes are a list")
    return tuple(NoteRecord.from_dict(item) for item in items)


def _str(data: dict[str, object], key: str) -> str:
    return json_field(data, key, str)


def _int(data: dict[str, object], key: str) -> int:
    return json_field(data, key, int)


def _checksum(notes: str) -> str:
    """Guards a source's notes, which are parsed only when a build needs them."""
    return f"{zlib.crc32(notes.encode()):08x}"


def _dumps(value: object) -> str:
    # Compact separators keep json on its C encoder; it escapes tabs and newlines in strings.
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load_state(out_dir: Path) -> BuildState:
    """The state of `out_dir`; an empty one when it is missing, unreadable or damaged (a
    damaged state is never trusted: every note then counts as changed once)."""
    try:
        text = (out_dir / STATE_NAME).read_text(encoding="utf-8")
        return BuildState.from_text(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return BuildState()


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
