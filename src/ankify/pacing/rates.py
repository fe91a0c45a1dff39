"""Cards per page: how many cards the learner really builds for each page read, measured from
their notes (the cards each note builds over the pages its `pages:` cover).

Pure functions of notes already read (`notes.read_notes(..., count_cards=...)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .report import NotePages

#: Cards per page before any note says otherwise.
DEFAULT_CARDS_PER_PAGE = 2.0
#: A note's weight halves for each this many pages it lies before the latest page read, so the
#: average follows the recent chapters (a learner's habits change as a book goes on).
HALF_LIFE_PAGES = 60


@dataclass(frozen=True, slots=True)
class Rate:
    """Cards per page, and what it was measured from (no notes: the default, or a rate given)."""

    cards_per_page: float
    notes: int = 0
    pages: int = 0
    cards: int = 0
    given: bool = False

    @property
    def measured(self) -> bool:
        return self.notes > 0

    def to_dict(self) -> dict[str, object]:
        return {
            "cards_per_page": round(self.cards_per_page, 3),
            "measured_from_notes": self.notes,
            "pages": self.pages,
            "cards": self.cards,
            "given": self.given,
        }


def measure_rate(notes: Iterable[NotePages], *, default: float = DEFAULT_CARDS_PER_PAGE) -> Rate:
    """Cards per page of `notes` (those with counted cards and pages), weighted to the recent
    pages: each note's cards and pages count `0.5 ** (pages before the latest / HALF_LIFE_PAGES)`.

    `default` when no note has both pages and counted cards.
    """
    counted = [n for n in notes if n.cards is not None and n.pages]
    if not counted:
        return Rate(default)
    latest = max(r.last for n in counted for r in n.pages)
    weighted_cards = weighted_pages = 0.0
    for note in counted:
        pages = sum(len(r) for r in note.pages)
        weight = 0.5 ** ((latest - max(r.last for r in note.pages)) / HALF_LIFE_PAGES)
        weighted_cards += weight * (note.cards or 0)
        weighted_pages += weight * pages
    return Rate(
        weighted_cards / weighted_pages,
        notes=len(counted),
        pages=sum(len(r) for n in counted for r in n.pages),
        cards=sum(n.cards or 0 for n in counted),
    )
