"""What a build remembers of a project, so the next build updates notes in place.

For every source: the package last written and what it was written from, and for each of its
notes its GUID, what it is recognised by (its question, `^id` and answer) and its note and card
ids, and when its content last changed (see `stamps.py`). And the project's own id, which new
GUIDs are made from (see `identity.py`).

The file is `.ankify-state.json` at the project's root, found the same way from any folder,
and meant to be committed with the notes: a fresh clone then keeps every note. It holds a line
of JSON for the project, then a line per source (its name, its last package, a checksum and its
notes, tab-separated), so a build parses the notes of only the sources it touches; a damaged
line discards the whole state.

Deleting it costs little while the packages are there: the next build recovers their notes
from them (`recover.py`). States that ankify 0.1 kept in each output folder, and the state of a
project whose root has moved up (an `ankify.toml` or `git init` above it), are taken over.
"""

from __future__ import annotations

import json
import re
import secrets
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from ..errors import SourceError
from ..identity import Claimed
from ..model import SourceSpan, json_field, json_object
from ..stamps import NoteRecord
from ..workspace import split_key

STATE_NAME = ".ankify-state.json"
_FORMAT = 3  # 1 was one JSON document of the notes alone; 2 had no project id
_READ = (2, 3)


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

    project: str = field(default_factory=lambda: secrets.token_urlsafe(12))
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

    def claimed(self, key: str) -> Claimed:
        """The GUIDs and `^id`s of source `key`'s notes, read without the rest of their
        records (as `records` would, none when what was stored is damaged)."""
        records = self._records.get(key)
        if records is not None:
            ids = frozenset(r.explicit_id for r in records if r.explicit_id)
            return Claimed(frozenset(r.guid for r in records), ids)
        stored = self._stored.get(key)
        try:
            items = json.loads(stored) if stored is not None else []
            guids = [item["guid"] for item in items]
            names = [item.get("id") for item in items]
        except (ValueError, TypeError, KeyError, AttributeError):
            return Claimed()
        if not all(isinstance(guid, str) for guid in guids):
            return Claimed()
        return Claimed(frozenset(guids), frozenset(n for n in names if isinstance(n, str) and n))

    def update(self, key: str, records: tuple[NoteRecord, ...]) -> None:
        """Source `key` now has these notes (its package is recorded in `built`)."""
        self._records[key] = records
        self._stored.pop(key, None)
        self.built.pop(key, None)

    def sources(self) -> list[str]:
        """The keys of the sources the state knows, in order."""
        return sorted(set(self._stored) | set(self._records))

    def forget(self, key: str, guids: Iterable[str]) -> None:
        """Notes of source `key` that other sources took over (the source is gone); the
        source itself once it has none left."""
        taken = set(guids)
        left = tuple(record for record in self.records(key) if record.guid not in taken)
        if left:
            self._records[key] = left
            self._stored.pop(key, None)
        else:
            self._records.pop(key, None)
            self._stored.pop(key, None)
            self.built.pop(key, None)

    def adopt(self, other: BuildState, rebase: dict[str, str]) -> None:
        """Take over what an earlier state knew that this one does not, its sources' keys
        renamed by `rebase` (old key -> key in this project)."""
        self.next_id = max(self.next_id, other.next_id)
        if not self.templates[0]:
            self.templates = other.templates
        for key in other.sources():
            new = rebase.get(key, key)
            if new not in self._stored and new not in self._records:
                self._records[new] = other.records(key)

    def to_text(self) -> str:
        head = {
            "format": _FORMAT,
            "project": self.project,
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
        if data.get("format") not in _READ:
            raise ValueError(f"format {data.get('format')!r} is not {_FORMAT}")
        templates = json_object(data.get("templates"), "templates")
        state = cls(
            next_id=_int(data, "next_id"),
            templates=(_str(templates, "hash"), _int(templates, "mod")),
        )
        if data.get("format") == _FORMAT:
            state.project = _str(data, "project")
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


def load_state(path: Path) -> BuildState | None:
    """The state in the file at `path`; None when it is missing, unreadable or damaged (a
    damaged state is never trusted: its notes are then recovered from the packages)."""
    try:
        text = path.read_text(encoding="utf-8")
        return BuildState.from_text(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def _root_state(path: Path) -> BuildState | None:
    """The state at the project's root, None when there is none. One that is there but cannot
    be read stops the build: it is committed with the notes, and going on without it would
    give the project new note identities (duplicates in a fresh clone)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None  # a folder in its place is named when the state is written
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(
            f"the build state cannot be read ({getattr(e, 'strerror', None) or e}): restore "
            f"it (git checkout {STATE_NAME}), or delete it to start a new one",
            span=SourceSpan(path),
        ) from None
    conflict = _CONFLICT.search(text)
    if conflict is not None:
        raise SourceError(
            "the build state holds git merge conflict markers: keep one side "
            f"(git checkout --ours {STATE_NAME}) and build again; the other side's new cards "
            "keep their notes, which depend on the notes' text, not on the state",
            span=SourceSpan(path, text.count("\n", 0, conflict.start()) + 1),
        )
    try:
        return BuildState.from_text(text)
    except (ValueError, TypeError, KeyError) as e:
        raise SourceError(
            f"the build state is damaged ({e}): restore it (git checkout {STATE_NAME}), or "
            "delete it to start a new one (notes already in Anki are then found through the "
            "packages in decks/)",
            span=SourceSpan(path),
        ) from None


def find_state(root: Path, folders: Iterable[Path]) -> BuildState:
    """The project's state: the one at its root. When there is none, the states earlier builds
    left below the root (ankify 0.1 kept one in each output folder; a project whose root has
    moved up kept one at its old root), looked for in `folders` (the output folders and the
    sources' folders) and the folders between them and the root, their sources' keys made
    relative to the root. Else a new state."""
    state = _root_state(root / STATE_NAME)
    if state is not None:
        return state
    state = BuildState()
    for path in _earlier_states(root, folders):
        earlier = load_state(path)
        if earlier is not None:
            state.adopt(earlier, _rebased(earlier.sources(), path.parent, root))
    return state


def _earlier_states(root: Path, folders: Iterable[Path]) -> list[Path]:
    root = root.resolve()
    found: dict[Path, None] = {}
    for folder in folders:
        folder = folder.resolve()
        chain = [folder]
        if folder.is_relative_to(root):
            chain += [parent for parent in folder.parents if parent.is_relative_to(root)]
        for place in chain:
            for path in (place / STATE_NAME, place / "decks" / STATE_NAME):
                if path != root / STATE_NAME and path.is_file():
                    found[path] = None
    return list(found)


def _rebased(keys: Iterable[str], folder: Path, root: Path) -> dict[str, str]:
    """Old keys -> keys from `root`: the old keys are relative to the folder, at or above the
    state's `folder`, under which most of them name files that exist."""
    keys = list(keys)
    relative = [key for key in keys if not Path(_path_part(key)).is_absolute()]
    bases = list(dict.fromkeys([root, folder, *folder.parents]))  # the root wins a tie
    best = max(bases, key=lambda base: sum((base / _path_part(k)).exists() for k in relative))
    if not any((best / _path_part(key)).exists() for key in relative):
        best = root  # nothing is where it was: keep the keys as they are
    renamed = {}
    for key in relative:
        path, pages = split_key(key)
        target = (best / path).resolve()
        try:
            new = target.relative_to(root.resolve()).as_posix()
        except ValueError:
            new = target.as_posix()
        renamed[key] = f"{new}#p{pages}" if pages else new
    return renamed


def _path_part(key: str) -> str:
    return split_key(key)[0]
