"""Schedules: a plan laid out day by day, each reading day with its pages and sections."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import PageRange
from .books import Book, Section
from .plan import Plan, check_plan, reading_days


@dataclass(frozen=True, slots=True)
class Day:
    """One reading day of a schedule: its number k (from 1), date, pages and what they cover."""

    number: int
    date: date
    pages: PageRange
    sections: tuple[Section, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.number,
            "date": self.date.isoformat(),
            "first_page": self.pages.first,
            "last_page": self.pages.last,
            "pages": len(self.pages),
            "sections": [s.label for s in self.sections],
        }


@dataclass(frozen=True, slots=True)
class Schedule:
    """A plan laid out day by day; its days cover the plan's pages exactly, in order."""

    plan: Plan
    days: tuple[Day, ...]
    book: Book | None = None

    @property
    def finish(self) -> date:
        return self.days[-1].date

    @property
    def total_pages(self) -> int:
        return len(self.plan.pages)

    def day_on(self, day: date) -> Day | None:
        """The reading day on `day`, or None on a rest day or outside the plan."""
        index = bisect_right(self.days, day, key=lambda d: d.date) - 1
        return self.days[index] if index >= 0 and self.days[index].date == day else None

    def planned_through(self, day: date) -> int:
        """Pages the plan has the learner read by the end of `day`."""
        index = bisect_right(self.days, day, key=lambda d: d.date)
        return self.days[index - 1].pages.last - self.plan.pages.first + 1 if index else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": [d.to_dict() for d in self.days],
            "finish": self.finish.isoformat(),
            "total_pages": self.total_pages,
        }


def make_schedule(plan: Plan, book: Book | None = None) -> Schedule:
    """Lay the plan out: reading day k gets `plan.quota(k)` pages, the last day what remains."""
    check_plan(plan)
    days = []
    first = plan.pages.first
    for k, day in reading_days(plan, plan.start):
        last = min(first + plan.quota(k) - 1, plan.pages.last)
        pages = PageRange(first, last)
        days.append(Day(k, day, pages, book.sections_in(pages) if book else ()))
        if last == plan.pages.last:
            break
        first = last + 1
    return Schedule(plan, tuple(days), book)
