"""Writing a build's packages: each from its notes and their stamps (in worker processes when
that pays), to a temporary file beside it that the build renames into place once every package
is written (`workspace.replace_all`); the SHA-256 of the bytes written tells a later build
whether it is still there."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..model import Note
from ..stamps import Stamp
from ..workspace import Staged, stage, write_error
from .cache import Entry


@dataclass(frozen=True, slots=True)
class WriteTask:
    """A package to write: its notes with their stamps, and the build that will rename it into
    place (its process id, which names the temporary file: see `workspace.py`).

    A worker process receives the notes as the cached cards and their GUIDs (bytes are quick to
    send; thousands of objects are not) and makes them again.
    """

    source: Path
    output: Path
    entry: Entry
    notes: tuple[Note, ...]
    stamps: tuple[Stamp, ...]
    templates_mod: int
    build: int

    def __reduce__(self) -> tuple[object, ...]:
        guids = tuple(note.guid for note in self.notes)
        arguments = (
            *(self.source, self.output, self.entry, guids),
            *(self.stamps, self.templates_mod, self.build),
        )
        return (_write_task, arguments)


def _write_task(
    source: Path,
    output: Path,
    entry: Entry,
    guids: tuple[str, ...],
    stamps: tuple[Stamp, ...],
    mod: int,
    build: int,
) -> WriteTask:
    rendered = entry.rendered(source)
    notes = tuple(Note(card, guid) for card, guid in zip(rendered.cards, guids, strict=True))
    return WriteTask(source, output, entry, notes, stamps, mod, build)


def write_package(write: WriteTask) -> tuple[Staged, str]:
    """Write one package beside its place, for the build to rename; and the SHA-256 of its
    bytes. WriteError (naming the package, and -o as the way elsewhere) when it cannot be."""
    from ..export import apkg_bytes

    data = apkg_bytes(write.notes, write.stamps, templates_mod=write.templates_mod)
    try:
        write.output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise write_error(error, write.output, "output") from None
    staged = stage(write.output, data, owner=write.build, option="output")
    return staged, hashlib.sha256(data).hexdigest()
