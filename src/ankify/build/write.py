"""Writing a build's packages: each from its notes and their stamps (in worker processes when
that pays); the SHA-256 of the bytes written tells a later build whether it is still there."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Note
from ..stamps import Stamp
from .cache import Entry


@dataclass(frozen=True, slots=True)
class WriteTask:
    """A package to write: its notes with their stamps.

    A worker process receives the notes as the cached cards and their GUIDs (bytes are quick to
    send; thousands of objects are not) and makes them again.
    """

    source: Path
    output: Path
    entry: Entry
    notes: tuple[Note, ...]
    stamps: tuple[Stamp, ...]
    templates_mod: int

    def __reduce__(self) -> tuple[object, ...]:
        guids = tuple(note.guid for note in self.notes)
        arguments = (self.source, self.output, self.entry, guids, self.stamps, self.templates_mod)
        return (_write_task, arguments)


def _write_task(
    source: Path,
    output: Path,
    entry: Entry,
    guids: tuple[str, ...],
    stamps: tuple[Stamp, ...],
    mod: int,
) -> WriteTask:
    rendered = entry.rendered(source)
    notes = tuple(Note(card, guid) for card, guid in zip(rendered.cards, guids, strict=True))
    return WriteTask(source, output, entry, notes, stamps, mod)


def write_package(write: WriteTask) -> str:
    """Write one package; the SHA-256 of its bytes."""
    from ..export import write_apkg

    write.output.parent.mkdir(parents=True, exist_ok=True)
    return write_apkg(write.output, write.notes, write.stamps, templates_mod=write.templates_mod)
