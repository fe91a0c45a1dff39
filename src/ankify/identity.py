"""Rendered cards -> notes with a stable identity (the Anki note GUID), across a whole project.

A note's GUID is made once, when its card first appears: a hash of the project's id, the card's
kind and its identity (its `^id`, else its question). It never depends on the file the card
sits in. From then on the build state carries it (`build/state.py`), and each build matches
its cards with the notes the previous build knew anywhere in the project, strictest first:

1. the same identity in the same source;
2. the same question as shown, in the same source (a `^id` added, changed or removed; a note
   recovered from a package);
3. the page ranges of one PDF share the notes of the highlights they share;
4. the same identity, then the same question, in a source that no longer holds it or no longer
   exists: the card moved, or its file was renamed;
5. a small rewording, with the answer unchanged in substance (`rewording.py`): in the same
   source first, then anywhere.

A card that matches nothing is new; a note whose card is gone stays in the state, so the card
is recognised if it comes back. The notes of sources that exist but are not part of the match
keep their GUIDs to themselves.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .model import CardKind, Note, Rendered, RenderedSource
from .rewording import SAME_TEXT_CLOZE_SIMILARITY, Wording, answer_similarity, match_rewordings
from .shown import shown_texts
from .stamps import NoteRecord
from .workspace import split_key


def guid_for(project: str, kind: CardKind, identity: str) -> str:
    """A short, stable, URL-safe GUID."""
    digest = hashlib.sha256("\x1f".join(("ankify", project, kind.value, identity)).encode())
    return base64.urlsafe_b64encode(digest.digest()[:12]).decode()


class _Identified(Protocol):
    """What identity needs of a card or a note record."""

    @property
    def kind(self) -> CardKind: ...
    @property
    def key(self) -> str: ...
    @property
    def explicit_id(self) -> str | None: ...


def identity(card: _Identified) -> str:
    return f"id:{card.explicit_id}" if card.explicit_id else f"text:{card.key}"


@dataclass(frozen=True, slots=True)
class Known:
    """What a build knows of a project's notes before it matches its cards.

    `records` are the previous build's notes, by source key; `gone` the keys of sources that
    no longer exist, whose notes any card may take over. `claimed` holds, for sources the
    build leaves alone, only the GUIDs and `^id`s of their notes (no card may take those, and
    reading their whole records would cost more than the match).
    """

    project: str
    records: Mapping[str, Sequence[NoteRecord]] = field(default_factory=dict)
    gone: frozenset[str] = frozenset()
    claimed: Mapping[str, Claimed] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Claimed:
    """The GUIDs and `^id`s of a source's notes."""

    guids: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()


def make_notes(
    source: RenderedSource, previous: Sequence[NoteRecord] = (), project: str = ""
) -> tuple[Note, ...]:
    """The notes of one source, matched with what its previous build kept."""
    return assign([source], Known(project, {source.key: previous}))[source.key]


def assign(sources: Sequence[RenderedSource], known: Known) -> dict[str, tuple[Note, ...]]:
    """Each card of `sources` (checked, each source once) with its GUID, by source key."""
    match = _Match(sources, known)
    match.run()
    return {
        source.key: tuple(
            Note(card, match.guids[(source.key, index)]) for index, card in enumerate(source.cards)
        )
        for source in sources
    }


_Slot = tuple[str, int]  # (source key, card index)


class _Match:
    def __init__(self, sources: Sequence[RenderedSource], known: Known) -> None:
        self.sources = sources
        self.known = known
        self.by_key = {source.key: source for source in sources}
        self.guids: dict[_Slot, str] = {}
        self.used: set[str] = set()  # GUIDs of notes a card has taken
        keys = {source.key for source in sources}
        # Notes of sources that exist but are not matched here are theirs alone.
        self.reserved = {
            record.guid
            for key, records in known.records.items()
            if key not in keys and key not in known.gone
            for record in records
        }
        self.reserved.update(guid for claimed in known.claimed.values() for guid in claimed.guids)
        self.known_ids = {r.explicit_id for rs in known.records.values() for r in rs}
        self.known_ids.update(i for claimed in known.claimed.values() for i in claimed.ids)
        self.ids_in_use = {
            card.explicit_id for source in sources for card in source.cards if card.explicit_id
        }
        self.texts = {
            (source.key, index): shown_texts(card.kind, card.fields)
            for source in sources
            for index, card in enumerate(source.cards)
        }

    def run(self) -> None:
        own = {source.key: list(self.known.records.get(source.key, ())) for source in self.sources}
        for source in self.sources:
            self.same_identity(self.open(source), own[source.key])
        for source in self.sources:
            self.same_question(self.open(source), own[source.key])
        self.shared_in_group()
        elsewhere = [r for records in own.values() for r in records if r.guid not in self.used]
        elsewhere += [r for key in sorted(self.known.gone) for r in self.known.records[key]]
        every = [slot for source in self.sources for slot in self.open(source)]
        self.same_identity(every, elsewhere)
        self.same_question(every, elsewhere)
        for source in self.sources:  # a rewording mostly stays in its file: look there first
            self.rewordings(self.open(source), own[source.key])
        every = [slot for source in self.sources for slot in self.open(source)]
        self.rewordings(every, elsewhere)
        self.new_notes()

    def card(self, slot: _Slot) -> Rendered:
        key, index = slot
        return self.by_key[key].cards[index]

    def open(self, source: RenderedSource) -> list[_Slot]:
        slots = ((source.key, index) for index in range(len(source.cards)))
        return [slot for slot in slots if slot not in self.guids]

    def take(self, slot: _Slot, guid: str) -> None:
        self.guids[slot] = guid
        self.used.add(guid)

    def free(self, records: Sequence[NoteRecord]) -> Iterator[NoteRecord]:
        return (r for r in records if r.guid not in self.used and r.guid not in self.reserved)

    def same_identity(self, slots: Sequence[_Slot], records: Sequence[NoteRecord]) -> None:
        by_identity: dict[tuple[CardKind, str], NoteRecord] = {}
        for record in self.free(records):
            by_identity.setdefault((record.kind, identity(record)), record)
        for slot in [s for s in slots if s not in self.guids]:
            card = self.card(slot)
            found = by_identity.get((card.kind, identity(card)))
            if found is not None and found.guid not in self.used:
                self.take(slot, found.guid)

    def same_question(self, slots: Sequence[_Slot], records: Sequence[NoteRecord]) -> None:
        """A card whose `^id` is new or gone matches a note with the question it shows."""
        by_question: dict[tuple[CardKind, str], NoteRecord] = {}
        for record in self.free(records):
            if record.explicit_id is None or record.explicit_id not in self.ids_in_use:
                question = (record.question or record.key).casefold()
                by_question.setdefault((record.kind, question), record)
        for slot in [s for s in slots if s not in self.guids]:
            card = self.card(slot)
            found = by_question.get((card.kind, self.texts[slot][0].casefold()))
            if found is None or found.guid in self.used:
                continue
            if card.kind is CardKind.CLOZE and (
                answer_similarity(card.kind, self.texts[slot][1], found.answer)
                < SAME_TEXT_CLOZE_SIMILARITY
            ):
                continue  # the same blanks over other words: another fact
            self.take(slot, found.guid)

    def shared_in_group(self) -> None:
        """The page ranges of one PDF show one note for a highlight they share."""
        for source in self.sources:
            others = {
                (record.kind, identity(record)): record.guid
                for key, records in self.known.records.items()
                if key != source.key and _group(key) == source.guid_namespace
                for record in records
            }
            for slot in self.open(source) if others else ():
                card = self.card(slot)
                guid = others.get((card.kind, identity(card)))
                if guid is not None:
                    self.take(slot, guid)

    def rewordings(self, slots: Sequence[_Slot], records: Sequence[NoteRecord]) -> None:
        cards = [s for s in slots if s not in self.guids and self.rewordable(self.card(s))]
        notes = [
            r
            for r in self.free(records)
            if r.explicit_id is None or r.explicit_id not in self.ids_in_use
        ]
        wordings = [Wording(self.card(s).kind, *self.texts[s], self.card(s).key) for s in cards]
        previous = [Wording(r.kind, r.question, r.answer, r.key) for r in notes]
        for card_index, note_index in match_rewordings(wordings, previous):
            self.take(cards[card_index], notes[note_index].guid)

    def rewordable(self, card: Rendered) -> bool:
        """A card without a `^id`, or with one no previous note had (just added)."""
        return card.explicit_id is None or card.explicit_id not in self.known_ids

    def new_notes(self) -> None:
        """GUIDs for new cards; the same card in two page ranges of one PDF is one note."""
        taken = self.used | self.reserved
        taken |= {r.guid for records in self.known.records.values() for r in records}
        made: dict[tuple[str, CardKind, str], str] = {}
        for source in self.sources:
            for slot in self.open(source):
                card = self.card(slot)
                group_key = (source.guid_namespace, card.kind, identity(card))
                guid = made.get(group_key)
                if guid is None:
                    guid = guid_for(self.known.project, card.kind, identity(card))
                    salt = 0
                    while guid in taken:  # the same question elsewhere, or an old note's GUID
                        salt += 1
                        guid = guid_for(
                            self.known.project, card.kind, f"{identity(card)}\x00{salt}"
                        )
                    made[group_key] = guid
                    taken.add(guid)
                self.guids[slot] = guid


def _group(key: str) -> str:
    """The group of a source key: a PDF's page ranges (`book.pdf#p53-60`) share the PDF's."""
    return split_key(key)[0]
