"""What a sync says: each change when dry, then the counts (added, updated, moved, removed,
unchanged) for the collection and per deck, and the notes it left as the learner made them."""

from __future__ import annotations

import re
from collections import Counter

from ..workspace import shown
from .package import Wanted
from .run import SyncResult

_KINDS = ("added", "updated", "moved", "removed", "unchanged")
#: Said only when there are some: notes the learner's own changes in Anki keep as they are.
_LEFT = ("kept as edited in Anki", "left deleted in Anki")
_TAG = re.compile(r"<[^>]*>")


def sync_lines(result: SyncResult) -> list[str]:
    """The lines a sync prints: the changes (when dry), then the totals and one per deck."""
    counts: dict[str, Counter[str]] = {}

    def count(deck: str, kind: str) -> None:
        counts.setdefault(deck, Counter())[kind] += 1

    lines = []
    for plan in result.plans:
        for notetype, new in plan.notetypes:
            if not new:  # ankify's templates changed: every card of the type shows it
                verb = "would bring up to date" if result.dry_run else "brought up to date"
                lines.append(f"{verb}: the templates of note type {notetype['name']}")
        for note in plan.add:
            count(note.deck, "added")
            if result.dry_run:
                lines.append(f"would add {note.deck}: {_text(note.fields[0])}")
        for update in plan.update:
            if update.write or update.restore:
                count(update.wanted.deck, "updated")
                if result.dry_run:
                    lines.append(
                        f"would update {update.wanted.deck}: {_text(update.wanted.fields[0])}"
                    )
            if update.move:
                count(update.wanted.deck, "moved")
                if result.dry_run:
                    lines.append(
                        f"would move to {update.wanted.deck}: {_text(update.wanted.fields[0])}"
                    )
        for removal in plan.remove:
            count(removal.deck, "removed")
            verb = (
                ("would delete" if plan.delete else "would remove")
                if result.dry_run
                else ("deleted" if plan.delete else "removed (suspended, tagged ankify::removed)")
            )
            lines.append(f"{verb} {removal.deck}: {_text(removal.text)}")
        for note in plan.unchanged:
            count(note.deck, "unchanged")
        for note in plan.kept:
            count(note.deck, _LEFT[0])
        for note in plan.gone:
            count(note.deck, _LEFT[1])
    totals: Counter[str] = Counter()
    for deck_counts in counts.values():
        totals.update(deck_counts)
    head = f"{shown(result.collection)}{' (dry run, nothing written)' if result.dry_run else ''}"
    lines.append(f"{head}: {_counts(totals)}")
    for deck in sorted(counts):
        lines.append(f"  {deck}: {_counts(counts[deck], all_kinds=False)}")
    return lines


def sync_notices(result: SyncResult) -> list[str]:
    """What the learner should know: edits made in Anki that were kept or overwritten."""
    kept = [note for plan in result.plans for note in plan.kept]
    gone = [note for plan in result.plans for note in plan.gone]
    overwrote = [u.wanted for plan in result.plans for u in plan.update if u.overwrote]
    notices = []
    if kept:
        notices.append(
            f"{_notes(len(kept))} edited in Anki kept as they are (their source did not "
            f"change): {_names(kept)}"
        )
    if overwrote:
        notices.append(
            f"{_notes(len(overwrote))} edited in Anki {'was' if len(overwrote) == 1 else 'were'} "
            f"overwritten, because {'its' if len(overwrote) == 1 else 'their'} source changed "
            f"(the source wins; Anki's backup has the edit): {_names(overwrote)}"
        )
    if gone:
        notices.append(
            f"{_notes(len(gone))} deleted in Anki not added again (their source did not "
            f"change): {_names(gone)}"
        )
    return notices


def _counts(counter: Counter[str], *, all_kinds: bool = True) -> str:
    kinds = [kind for kind in _KINDS if all_kinds or counter[kind]]
    kinds += [kind for kind in _LEFT if counter[kind]]
    return ", ".join(f"{counter[kind]:,} {kind}" for kind in kinds)


def _notes(n: int) -> str:
    return f"{n:,} note{'s' * (n != 1)}"


def _names(notes: list[Wanted]) -> str:
    names = [f"“{_text(note.fields[0])}”" for note in notes[:3]]
    more = f" and {len(notes) - 3:,} more" if len(notes) > 3 else ""
    return ", ".join(names) + more


def _text(field: str, width: int = 60) -> str:
    """A field as a line of plain text, cut to `width`."""
    text = " ".join(_TAG.sub(" ", field).split())
    return text if len(text) <= width else text[: width - 1] + "…"
