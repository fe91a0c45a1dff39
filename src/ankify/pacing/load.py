"""A forecast's result: minutes of Anki a day, the mean of the runs and its 90th percentile."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class Load:
    """Forecast minutes a day, from `start`, averaged over runs (`*_p90`: the 90th percentile).

    `reviews` counts reviews (relearning included); `total` adds the minutes spent learning new
    cards, the whole of a learner's daily Anki time.
    """

    start: date
    new_cards: tuple[int, ...]
    review_minutes: tuple[float, ...]
    total_minutes: tuple[float, ...]
    review_p90: tuple[float, ...]
    total_p90: tuple[float, ...]
    reviews: tuple[float, ...]
    runs: int

    def __len__(self) -> int:
        return len(self.total_minutes)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def index(self, day: date) -> int:
        return (day - self.start).days

    @property
    def peak(self) -> int:
        """The day (index) of the highest mean load, reviews and learning."""
        return max(range(len(self)), key=lambda i: (self.total_minutes[i], -i))

    @property
    def review_peak(self) -> int:
        return max(range(len(self)), key=lambda i: (self.review_minutes[i], -i))

    def mean(self, last: int | None = None) -> float:
        """Mean minutes a day (reviews and learning) from the start through day `last`."""
        values = self.total_minutes[: len(self) if last is None else last + 1]
        return sum(values) / len(values) if values else 0.0

    def below_from(self, budget: float, after: int) -> int | None:
        """The first day after `after` from which the mean load stays within `budget`, or None
        if it is still above it on the last day forecast."""
        first = None
        for i in range(len(self) - 1, after, -1):
            if self.total_minutes[i] > budget:
                break
            first = i
        return first

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "runs": self.runs,
            "days": [
                {
                    "date": self.day(i).isoformat(),
                    "new_cards": self.new_cards[i],
                    "reviews": round(self.reviews[i], 1),
                    "review_minutes": round(self.review_minutes[i], 1),
                    "minutes": round(self.total_minutes[i], 1),
                    "review_minutes_p90": round(self.review_p90[i], 1),
                    "minutes_p90": round(self.total_p90[i], 1),
                }
                for i in range(len(self))
            ],
        }


def summarise(
    start: date,
    new_cards: tuple[int, ...],
    review: list[list[float]],
    learn: list[list[float]],
    count: list[list[int]],
) -> Load:
    """The runs' seconds of reviews and learning, and review counts, day by day, summed up."""
    runs = len(review)
    days = len(new_cards)
    totals = [
        [r + lrn for r, lrn in zip(rv, ln, strict=True)]
        for rv, ln in zip(review, learn, strict=True)
    ]

    def mean(rows: list[list[float]], i: int) -> float:
        return sum(row[i] for row in rows) / runs / 60.0

    def p90(rows: list[list[float]], i: int) -> float:
        return _percentile(sorted(row[i] for row in rows), 0.9) / 60.0

    return Load(
        start=start,
        new_cards=new_cards,
        review_minutes=tuple(mean(review, i) for i in range(days)),
        total_minutes=tuple(mean(totals, i) for i in range(days)),
        review_p90=tuple(p90(review, i) for i in range(days)),
        total_p90=tuple(p90(totals, i) for i in range(days)),
        reviews=tuple(sum(row[i] for row in count) / runs for i in range(days)),
        runs=runs,
    )


def _percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, interpolated linearly (numpy's default)."""
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
