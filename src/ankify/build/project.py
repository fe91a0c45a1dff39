"""Identity across one project in a build: which notes its changed sources' cards are.

The sources a build was asked for are matched together with the project's other sources that
changed since their last build (read as context, never written), so a card that moved from one
file to another keeps its note whichever file is named on the command line. Sources that did
not change keep their notes to themselves, and so do page ranges not rebuilt. Notes of sources
that are gone (renamed, deleted) can be taken over. When the state does not know a source, the
notes of its package are recovered (`recover.py`).

The build then says, in one line per source, what it could not keep in place: notes whose deck
changed (Anki leaves a note's cards in their deck when it imports).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..identity import Claimed, Known, assign
from ..model import Note, RenderedSource
from ..stamps import NoteRecord
from ..workspace import is_note, note_files, split_key
from .recover import recover_records
from .state import BuildState


@dataclass(frozen=True, slots=True)
class Matched:
    """A source of the project whose cards were matched this build."""

    key: str
    rendered: RenderedSource
    package: Path | None  # its package, where notes are recovered from when the state has none


@dataclass
class ProjectNotes:
    """What matching a project's cards gave: the notes of each matched source, the notes of
    gone sources that other sources took over, and one line per change to report."""

    notes: dict[str, tuple[Note, ...]]
    previous: dict[str, NoteRecord]  # by GUID: every note the project knew
    taken_from_gone: dict[str, list[str]] = field(default_factory=dict)  # key -> GUIDs
    notices: list[str] = field(default_factory=list)


def context_keys(root: Path, state: BuildState, asked: set[str]) -> list[str]:
    """The state's markdown sources that exist and that the build was not asked for."""
    return [
        key
        for key in state.sources()
        if key not in asked and not split_key(key)[1] and is_note(Path(key)) and _exists(root, key)
    ]


def gone_keys(root: Path, state: BuildState) -> frozenset[str]:
    """The state's sources whose file no longer exists."""
    return frozenset(key for key in state.sources() if not _exists(root, split_key(key)[0]))


def _exists(root: Path, path: str) -> bool:
    return (root / path).is_file()


def match_project(
    root: Path, state: BuildState, matched: Sequence[Matched], labels: dict[str, str]
) -> ProjectNotes:
    """The notes of `matched` (sources of the project at `root`); `labels` name sources in
    notices."""
    gone = gone_keys(root, state)
    # Whole records where cards may take notes: the sources matched, those gone, and the other
    # page ranges of a PDF matched; of the rest, only which GUIDs and ^ids are theirs.
    groups = {split_key(source.key)[0] for source in matched}
    keys = {source.key for source in matched} | gone
    records: dict[str, Sequence[NoteRecord]] = {}
    claimed: dict[str, Claimed] = {}
    for key in state.sources():
        if key in keys or split_key(key)[0] in groups:
            records[key] = state.records(key)
        else:
            claimed[key] = state.claimed(key)
    for source in matched:
        if not records.get(source.key) and source.package is not None:
            records[source.key] = recover_records(source.package)
    if not state.sources():  # a lost state: other packages may hold notes that moved here
        for key, package_records, theirs in _other_packages(root, matched):
            if theirs:
                guids = frozenset(r.guid for r in package_records)
                ids = frozenset(r.explicit_id for r in package_records if r.explicit_id)
                claimed[key] = Claimed(guids, ids)
            else:
                records[key] = package_records
                gone |= {key}
    known = Known(state.project, records, gone, claimed)
    notes = assign([source.rendered for source in matched], known)
    previous = {record.guid: record for group in records.values() for record in group}
    result = ProjectNotes(notes, previous)
    gone_guids = {record.guid: key for key in gone for record in records.get(key, ())}
    for key, source_notes in notes.items():
        for note in source_notes:
            if note.guid in gone_guids:
                result.taken_from_gone.setdefault(gone_guids[note.guid], []).append(note.guid)
        moved = _deck_moves(source_notes, previous)
        label = labels.get(key, key)
        for (old, new), count in sorted(moved.items()):
            s = "s" if count > 1 else ""
            result.notices.append(
                f'{label}: {count} note{s} now go to deck "{new}", not "{old}": Anki keeps the '
                f"cards it has in their deck when it imports; move them in Anki (Browse, "
                f'search deck:"{old}", select them, Change Deck)'
            )
    return result


def _other_packages(
    root: Path, matched: Sequence[Matched]
) -> Iterator[tuple[str, tuple[NoteRecord, ...], bool]]:
    """The packages beside the matched sources' packages that no matched source writes: a key
    of their own, their notes, and whether a note file of the project still goes by their
    name (its notes stay its own; a renamed file's can move to the cards that left it)."""
    outputs = {source.package for source in matched if source.package is not None}
    folders = {package.parent for package in outputs}
    names = {path.stem for path in note_files(root)} | {
        path.stem for path in root.rglob("*.pdf") if ".ankify" not in path.parts
    }
    for folder in sorted(folders):
        for package in sorted(folder.glob("*.apkg")):
            if package in outputs:
                continue
            package_records = recover_records(package)
            if package_records:
                stem = package.stem
                theirs = stem in names or stem.rsplit("-p", 1)[0] in names
                yield f"package:{package}", package_records, theirs


def _deck_moves(notes: Sequence[Note], previous: dict[str, NoteRecord]) -> Counter[tuple[str, str]]:
    moves: Counter[tuple[str, str]] = Counter()
    for note in notes:
        record = previous.get(note.guid)
        if record is not None and record.deck is not None and record.deck != note.deck:
            moves[(record.deck, note.deck)] += 1
    return moves
