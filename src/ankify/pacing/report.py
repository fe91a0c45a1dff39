"""How a learner stands against a schedule: pages done (from their notes), behind or ahead,
the projected finish, the streak, and progress day by day.

Pure functions of pages, dates and `today`: nothing here reads the clock or the disk.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..model import PageRange
from .plan import Plan, reading_days
from .schedule import Day, Schedule


@dataclass(frozen=True, slots=True)
class NotePages:
    """What a note records of the reading: the pages it covers, the day it was written, the
    document it is about (its `source:`) and, when they were counted, the cards it builds."""

    path: Path
    pages: tuple[PageRange, ...]
    written: date
    source: str | None = None
    cards: int | None = None


class Status(enum.Enum):
    """Where `today` falls in a plan."""

    BEFORE_START = "before_start"
    READING = "reading"
    REST = "rest"
    AFTER_FINISH = "after_finish"


@dataclass(frozen=True, slots=True)
class Report:
    """How the learner stands on the day `on`: its reading, pages done, behind or ahead."""

    on: date
    status: Status
    schedule: Schedule = field(repr=False)
    today: Day | None  # the plan's reading on `on`; None on a rest day or outside the plan
    next_day: Day | None  # the next reading day after `on`, if any
    done: int  # distinct pages of the plan that notes cover
    planned_before_today: int
    missing: tuple[PageRange, ...]  # planned before today, not covered by notes
    projected_finish: date | None  # None when every page is done
    streak: int  # days with notes, up to today

    @property
    def behind(self) -> int:
        """Pages behind the plan; negative means ahead."""
        return self.planned_before_today - self.done

    def to_dict(self) -> dict[str, Any]:
        today = self.today
        return {
            "date": self.on.isoformat(),
            "day": today.number if today else None,
            "today": {
                "first_page": today.pages.first,
                "last_page": today.pages.last,
                "pages": len(today.pages),
                "sections": [s.label for s in today.sections],
            }
            if today
            else None,
            "done": self.done,
            "planned_before_today": self.planned_before_today,
            "behind": self.behind,
            "projected_finish": self.projected_finish.isoformat()
            if self.projected_finish
            else None,
        }


def merge_ranges(ranges: Iterable[PageRange]) -> tuple[PageRange, ...]:
    """Sorted, disjoint ranges covering the same pages (touching ranges are joined)."""
    merged: list[PageRange] = []
    for r in sorted(ranges, key=lambda r: (r.first, r.last)):
        if merged and r.first <= merged[-1].last + 1:
            if r.last > merged[-1].last:
                merged[-1] = PageRange(merged[-1].first, r.last)
        else:
            merged.append(r)
    return tuple(merged)


def _clip(ranges: Iterable[PageRange], bounds: PageRange) -> tuple[PageRange, ...]:
    clipped = (
        PageRange(max(r.first, bounds.first), min(r.last, bounds.last))
        for r in ranges
        if r.last >= bounds.first and r.first <= bounds.last
    )
    return merge_ranges(clipped)


def _gaps(covered: tuple[PageRange, ...], bounds: PageRange) -> tuple[PageRange, ...]:
    """The pages of `bounds` not in `covered` (sorted, disjoint, within bounds)."""
    gaps = []
    page = bounds.first
    for r in covered:
        if r.first > page:
            gaps.append(PageRange(page, r.first - 1))
        page = max(page, r.last + 1)
    if page <= bounds.last:
        gaps.append(PageRange(page, bounds.last))
    return tuple(gaps)


def pages_done(plan: Plan, notes: Iterable[NotePages]) -> tuple[PageRange, ...]:
    """The plan's pages that notes cover, as sorted disjoint ranges."""
    return _clip((r for note in notes for r in note.pages), plan.pages)


def quota_report(schedule: Schedule, notes: Iterable[NotePages], today: date) -> Report:
    """How the learner stands on `today`, measured from the pages their notes cover."""
    notes = tuple(notes)
    plan = schedule.plan
    done_ranges = pages_done(plan, notes)
    done = sum(len(r) for r in done_ranges)
    planned = schedule.planned_through(today - timedelta(days=1))
    if today < schedule.days[0].date:
        status = Status.BEFORE_START
    elif today > schedule.finish:
        status = Status.AFTER_FINISH
    elif schedule.day_on(today) is not None:
        status = Status.READING
    else:
        status = Status.REST
    later = [d for d in schedule.days if d.date > today]
    missing: tuple[PageRange, ...] = ()
    if planned:
        before = PageRange(plan.pages.first, plan.pages.first + planned - 1)
        missing = _gaps(_clip(done_ranges, before), before)
    return Report(
        on=today,
        status=status,
        schedule=schedule,
        today=schedule.day_on(today),
        next_day=later[0] if later else None,
        done=done,
        planned_before_today=planned,
        missing=missing,
        projected_finish=projected_finish(plan, schedule.total_pages - done, today),
        streak=streak(
            (note.written for note in notes if note.pages), today, rest_days=plan.rest_days
        ),
    )


def projected_finish(plan: Plan, remaining: int, today: date) -> date | None:
    """The day the last of `remaining` pages is read, keeping the plan's quotas from `today` on.

    Quotas continue from the day number `today` has in the plan (the ramp is not restarted).
    """
    if remaining <= 0:
        return None
    for k, day in reading_days(plan, today):
        remaining -= plan.quota(k)
        if remaining <= 0:
            return day
    raise AssertionError("unreachable: reading_days never ends")  # pragma: no cover


def streak(written: Iterable[date], today: date, *, rest_days: tuple[int, ...] = ()) -> int:
    """Consecutive days with notes, up to today.

    Today counts if it has notes but does not break the streak before its notes are written;
    rest days without notes neither count nor break it.
    """
    days = {d for d in written if d <= today}
    if not days:
        return 0
    count = 0
    day = today
    earliest = min(days)
    while day >= earliest:
        if day in days:
            count += 1
        elif day != today and day.weekday() not in rest_days:
            break
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """Pages planned and done by the end of a day (done is None after today)."""

    date: date
    planned: int
    done: int | None


def progress(
    schedule: Schedule, notes: Iterable[NotePages], today: date
) -> tuple[ProgressPoint, ...]:
    """Planned against done pages, day by day from the start to the later of finish and today.

    A note counts from the day it was written (notes written before the start count at the start).
    """
    notes = tuple(notes)
    plan = schedule.plan
    first = min(plan.start, today)
    last = max(schedule.finish, today)
    by_day: dict[date, list[PageRange]] = {}
    for note in notes:
        by_day.setdefault(max(note.written, first), []).extend(note.pages)
    points = []
    covered: tuple[PageRange, ...] = ()
    day = first
    while day <= last:
        covered = _clip((*covered, *by_day.get(day, ())), plan.pages)
        done = sum(len(r) for r in covered) if day <= today else None
        points.append(ProgressPoint(day, schedule.planned_through(day), done))
        day += timedelta(days=1)
    return tuple(points)
