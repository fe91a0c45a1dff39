"""Writing a plan into the collection: Anki's backup first, then every change in one
transaction, so an error midway leaves the collection as it was.

Media are copied into Anki's media folder before the transaction: they are named by their
bytes, so a file left there by a sync that failed is the very file the next one ships.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .package import Package, Wanted
from .plan import REMOVED_TAG, Existing, Plan, Record

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.dbproxy import DBProxy

_CHUNK = 500
#: ankify's fields of every note type (front, back, context, source; see notetypes.py): a
#: field the learner adds in Anki comes after them, and is theirs.
_FIELDS = 4
#: The collection's config key under which the note types ankify last wrote are kept (the
#: digest of each one's name, templates and style), so a style the learner changed in Anki
#: stays until ankify's own templates change.
NOTETYPES_KEY = "ankify:sync:notetypes"


def records_key(project: str) -> str:
    """The collection's config key under which a project's sync records are kept."""
    return f"ankify:sync:{project}"


def read_records(col: Collection, project: str) -> dict[str, Record]:
    """What the last syncs of the project wrote; none when nothing readable is kept."""
    value = col.get_config(records_key(project), None)
    if not isinstance(value, dict):
        return {}
    records = {}
    for guid, item in value.items():
        try:
            records[str(guid)] = Record.from_list(item)
        except ValueError:
            continue  # a damaged record: that note counts as not written by a sync
    return records


def read_existing(col: Collection, guids: set[str]) -> dict[str, Existing]:
    """The notes of the collection with these GUIDs, with their cards."""
    ids = {
        guid: (nid, mid)
        for nid, guid, mid in _db(col).all("select id, guid, mid from notes")
        if guid in guids
    }
    if not ids:
        return {}
    decks = {deck.id: deck.name for deck in col.decks.all_names_and_ids()}
    by_id = {nid: guid for guid, (nid, _) in ids.items()}
    notes: dict[int, tuple[str, str]] = {}
    cards: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    note_ids = list(by_id)
    for start in range(0, len(note_ids), _CHUNK):
        chunk = note_ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for nid, fields, tags in _db(col).all(
            f"select id, flds, tags from notes where id in ({marks})", *chunk
        ):
            notes[nid] = (fields, tags)
        for cid, nid, did, queue in _db(col).all(
            f"select id, nid, did, queue from cards where nid in ({marks}) order by nid, ord",
            *chunk,
        ):
            cards[nid].append((cid, decks.get(did, ""), queue))
    return {
        guid: Existing(
            nid,
            mid,
            tuple(notes[nid][0].split("\x1f")[:_FIELDS]),
            tuple(notes[nid][1].split()),
            tuple(cards[nid]),
        )
        for guid, (nid, mid) in ids.items()
    }


def apply_plan(
    col: Collection,
    plan: Plan,
    packages: Sequence[Package],
    *,
    project: str,
    backups: Path,
    step: Callable[[str], None] | None = None,
) -> None:
    """Write `plan` into `col`: the backup, the media, then one transaction. `step` is told
    each stage of the transaction as it starts (an error raised there undoes them all)."""
    step = step or (lambda name: None)
    if plan.changes:
        backups.mkdir(parents=True, exist_ok=True)
        col.create_backup(backup_folder=str(backups), force=True, wait_for_completion=True)
        _ship_media(col, plan, packages)
    _db(col).transact(lambda: _write(col, plan, packages, project, step))


def _ship_media(col: Collection, plan: Plan, packages: Sequence[Package]) -> None:
    """The media of every package with a note added or written, that Anki lacks."""
    sources = {note.source for note in plan.add} | {u.wanted.source for u in plan.written}
    for package in packages:
        if not package.notes or package.notes[0].source not in sources:
            continue
        for name, entry in package.media:
            if not col.media.have(name):
                col.media.write_data(name, package.media_bytes(entry))


def _write(
    col: Collection,
    plan: Plan,
    packages: Sequence[Package],
    project: str,
    step: Callable[[str], None],
) -> None:
    from anki.cards import CardId
    from anki.collection import AddNoteRequest
    from anki.decks import DeckId
    from anki.models import NotetypeId
    from anki.notes import Note as AnkiNote
    from anki.notes import NoteId

    records = dict(plan.records)
    if plan.changes:
        step("note types")
        _note_types(col, plan)
        _remember_note_types(col, packages)
        step("add")
        decks: dict[str, int] = {}

        def deck(name: str) -> DeckId:
            if name not in decks:
                decks[name] = int(col.decks.id(name, create=True) or 0)
            return DeckId(decks[name])

        requests = []
        for note in plan.add:
            new = AnkiNote(col, col.models.get(NotetypeId(note.notetype)))
            new.guid = note.guid
            new.fields[: len(note.fields)] = list(note.fields)  # a field added in Anki: empty
            new.tags = list(note.tags)
            requests.append(AddNoteRequest(new, deck(note.deck)))
        if requests:
            col.add_notes(requests)
        step("update")
        written = []
        for update in plan.update:
            if update.write:
                held = col.get_note(NoteId(update.note_id))
                held.fields[: len(update.wanted.fields)] = list(update.wanted.fields)
                held.tags = list(update.tags)
                written.append(held)
        if written:
            col.update_notes(written)
        cards = [card for update in plan.update for card in update.restore]
        if cards:
            col.sched.unsuspend_cards([CardId(card) for card in cards])
        step("move")
        moves: dict[str, list[int]] = defaultdict(list)
        for update in plan.moved:
            moves[update.wanted.deck].extend(update.move)
        for name, card_ids in moves.items():
            col.set_deck([CardId(card) for card in card_ids], deck(name))
        step("remove")
        gone = [NoteId(removal.note_id) for removal in plan.remove]
        if gone and plan.delete:
            col.remove_notes(gone)
            for removal in plan.remove:
                records.pop(removal.guid, None)
        elif gone:
            col.sched.suspend_cards([CardId(c) for r in plan.remove for c in r.cards])
            col.tags.bulk_add(gone, REMOVED_TAG)
    step("records")
    touched: dict[str, Wanted | None] = {note.guid: note for note in plan.add}
    touched.update({u.wanted.guid: u.wanted for u in plan.update})
    if not plan.delete:
        touched.update({removal.guid: None for removal in plan.remove})
    now = read_existing(col, set(touched)) if touched else {}
    for guid, wanted in touched.items():
        after = now.get(guid)
        if after is None:
            continue
        if wanted is None:
            old = plan.records[guid]
            records[guid] = Record(
                old.source, old.wanted, after.digest, old.deck, old.tags, removed=True
            )
        else:
            records[guid] = Record(
                wanted.source, wanted.digest, after.digest, wanted.deck, wanted.tags
            )
    _store_records(col, project, records)


def _store_records(col: Collection, project: str, records: Mapping[str, Record]) -> None:
    value = {guid: record.to_list() for guid, record in sorted(records.items())}
    key = records_key(project)
    if json.dumps(col.get_config(key, None), sort_keys=True) != json.dumps(value, sort_keys=True):
        col.set_config(key, value)


def stale_note_types(
    col: Collection, packages: Sequence[Package]
) -> tuple[tuple[dict[str, Any], bool], ...]:
    """ankify's note types that the packages' notes use and that the collection lacks (True),
    or holds with other templates or style (ankify's templates changed), as Anki's JSON."""
    from anki.models import NotetypeId

    written = col.get_config(NOTETYPES_KEY, None)
    written = written if isinstance(written, dict) else {}
    stale = []
    for notetype_id, want in _used_note_types(packages).items():
        have = col.models.get(NotetypeId(notetype_id))
        if have is None:
            stale.append((want, True))
        elif _shape(have) != _shape(want) and written.get(str(notetype_id)) != _digest(want):
            stale.append((want, False))  # ankify's templates changed since it last wrote them
    return tuple(stale)


def _used_note_types(packages: Sequence[Package]) -> dict[int, dict[str, Any]]:
    """ankify's note types that the packages' notes use, by id, as Anki's JSON."""
    used = {note.notetype for package in packages for note in package.notes}
    wanted: dict[int, dict[str, Any]] = {}
    for package in packages:
        for notetype in package.notetypes:
            if int(notetype["id"]) in used:
                wanted.setdefault(int(notetype["id"]), notetype)
    return dict(sorted(wanted.items()))


def _remember_note_types(col: Collection, packages: Sequence[Package]) -> None:
    """Note which of ankify's note types the collection holds as ankify writes them now."""
    from anki.models import NotetypeId

    written = col.get_config(NOTETYPES_KEY, None)
    value = dict(written) if isinstance(written, dict) else {}
    for notetype_id, want in _used_note_types(packages).items():
        have = col.models.get(NotetypeId(notetype_id))
        if have is not None and _shape(have) == _shape(want):
            value[str(notetype_id)] = _digest(want)
    if value != written:
        col.set_config(NOTETYPES_KEY, value)


def _note_types(col: Collection, plan: Plan) -> None:
    """ankify's note types, with the ids, fields and templates a package import gives: added
    when missing, their templates and style brought up to date."""
    from anki.models import NotetypeId

    for notetype, _ in plan.notetypes:
        have = col.models.get(NotetypeId(int(notetype["id"])))
        if have is None:
            _add_note_type(col, notetype)
        else:  # the same note type, its templates and style as this build's
            have["name"], have["css"] = notetype["name"], notetype["css"]
            for old, new in zip(have["tmpls"], notetype["tmpls"], strict=False):
                old["name"], old["qfmt"], old["afmt"] = new["name"], new["qfmt"], new["afmt"]
            col.models.update_dict(have)


def _add_note_type(col: Collection, notetype: dict[str, Any]) -> None:
    """Add a note type under its own id, as a package import would: Anki's library adds note
    types under new ids only, so the id is set in the same transaction."""
    want = int(notetype["id"])
    new = col.models.add_dict({**notetype, "id": 0, "usn": -1}).id
    db = _db(col)
    db.execute("update notetypes set id = ? where id = ?", want, new)
    db.execute("update fields set ntid = ? where ntid = ?", want, new)
    db.execute("update templates set ntid = ? where ntid = ?", want, new)
    col.models._clear_cache()


def _shape(notetype: Mapping[str, Any]) -> tuple[object, ...]:
    """What ankify writes of a note type: its name, style and templates (never its fields:
    they do not change, and a field the learner adds is theirs)."""
    templates = tuple((t["name"], t["qfmt"], t["afmt"]) for t in notetype["tmpls"])
    return (notetype["name"], notetype["css"], templates)


def _digest(notetype: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(_shape(notetype)).encode("utf-8")).hexdigest()[:16]


def _db(col: Collection) -> DBProxy:
    if col.db is None:
        raise AssertionError("the collection is closed")  # only ever used while open
    return col.db
