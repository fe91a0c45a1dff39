"""Rendered cards -> notes with a stable identity (the Anki note GUID).

A GUID comes from the source, the card kind and the card's identity (its `^id`, else its
question), never from the answer, so editing an answer updates the note in Anki. A question
reworded without an `^id` keeps its GUID by matching it against the previous build's
questions (`NoteRecord`s kept beside the decks).
"""

from __future__ import annotations

import base64
import difflib
import hashlib
from collections.abc import Callable, Sequence
from typing import Protocol

from .model import CardKind, Note, Rendered, RenderedSource, SourceSpan
from .stamps import NoteRecord

#: How alike a reworded question must be to its previous wording (difflib ratio, 0..1).
REWORDING_SIMILARITY = 0.72


def guid_for(source_key: str, kind: CardKind, identity: str) -> str:
    """A short, stable, URL-safe GUID."""
    digest = hashlib.sha256("\x1f".join(("ankify", source_key, kind.value, identity)).encode())
    return base64.urlsafe_b64encode(digest.digest()[:12]).decode()


class _Identified(Protocol):
    """What identity needs of a card: a draft or a rendered card."""

    @property
    def kind(self) -> CardKind: ...
    @property
    def key(self) -> str: ...
    @property
    def explicit_id(self) -> str | None: ...
    @property
    def span(self) -> SourceSpan: ...


def identity(card: _Identified) -> str:
    return f"id:{card.explicit_id}" if card.explicit_id else f"text:{card.key}"


def make_notes(source: RenderedSource, previous: Sequence[NoteRecord] = ()) -> tuple[Note, ...]:
    """Give each card of a (checked) source its GUID, reusing the previous build's."""
    drafts = source.cards
    namespace = source.guid_namespace
    guids: list[str | None] = [None] * len(drafts)
    claimed: set[str] = set()

    def claim(index: int, guid: str) -> None:
        guids[index] = guid
        claimed.add(guid)

    # 1. The same identity as last time.
    by_identity: dict[tuple[CardKind, str], NoteRecord] = {}
    for record in previous:
        key = f"id:{record.explicit_id}" if record.explicit_id else f"text:{record.key}"
        by_identity.setdefault((record.kind, key), record)
    for index, draft in enumerate(drafts):
        found = by_identity.get((draft.kind, identity(draft)))
        if found is not None and found.guid not in claimed:
            claim(index, found.guid)

    # 2. The same text under a new or removed ^id.
    free = [r for r in previous if r.guid not in claimed]
    by_text: dict[tuple[CardKind, str], NoteRecord] = {}
    for record in free:
        by_text.setdefault((record.kind, record.key), record)
    for index, draft in enumerate(drafts):
        if guids[index] is None:
            found = by_text.get((draft.kind, draft.key))
            if found is not None and found.guid not in claimed:
                claim(index, found.guid)

    # 3. A small rewording of a question that has no ^id.
    _match_rewordings(drafts, guids, [r for r in previous if r.guid not in claimed], claim)

    # 4. New cards; a salt keeps GUIDs unique when a reworded card kept this card's old hash.
    for index, draft in enumerate(drafts):
        if guids[index] is None:
            guid = guid_for(namespace, draft.kind, identity(draft))
            salt = 0
            while guid in claimed:
                salt += 1
                guid = guid_for(namespace, draft.kind, f"{identity(draft)}\x00{salt}")
            claim(index, guid)
    return tuple(Note(card, guid) for card, guid in zip(drafts, guids, strict=True) if guid)


def _match_rewordings(
    drafts: Sequence[Rendered],
    guids: list[str | None],
    free: Sequence[NoteRecord],
    claim: Callable[[int, str], None],
) -> None:
    records = [r for r in free if not r.explicit_id]
    open_cards = [i for i, d in enumerate(drafts) if guids[i] is None and not d.explicit_id]
    if not records or not open_cards:
        return
    pairs: list[tuple[float, int, int]] = []
    for index in open_cards:
        draft = drafts[index]
        matcher = difflib.SequenceMatcher(None, b=draft.key.casefold(), autojunk=False)
        for position, record in enumerate(records):
            if record.kind is not draft.kind:
                continue
            matcher.set_seq1(record.key.casefold())
            if (
                matcher.real_quick_ratio() >= REWORDING_SIMILARITY
                and matcher.quick_ratio() >= REWORDING_SIMILARITY
            ):
                ratio = matcher.ratio()
                if ratio >= REWORDING_SIMILARITY:
                    pairs.append((ratio, index, position))
    taken_cards: set[int] = set()
    taken_records: set[int] = set()
    # Best pairs first; ties go to document order so the result never depends on dict order.
    for _, index, position in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if index in taken_cards or position in taken_records:
            continue
        taken_cards.add(index)
        taken_records.add(position)
        claim(index, records[position].guid)
