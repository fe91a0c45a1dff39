"""Pacing: daily page quotas that ramp up, and how a learner stands against them.

Pure functions of pages, dates and `today`: nothing here reads the clock or the disk, or prints.
The files (ankify.toml, notes, PDFs, plots) are read and written by `pacing_files`.
"""

from __future__ import annotations

import difflib
import enum
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import PageRange

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_FROM = 5
DEFAULT_TO = 15
DEFAULT_RAMP_DAYS = 60
# A plan longer than this is a typo (a page range of a library, not a book), and it would walk
# dates towards year 9999 one day at a time.
MAX_READING_DAYS = 10_000

_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-\u2013\u2014]\s*(\d+)\s*)?$")


# -- books ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A part, chapter or section: its depth (smaller is coarser), label and first printed page."""

    level: int
    label: str
    first_page: int


@dataclass(frozen=True, slots=True)
class Book:
    """What pacing knows of a book: its name, main-text pages and contents in page order."""

    name: str
    title: str
    pages: PageRange
    sections: tuple[Section, ...] = ()
    # Last page of each section: the page before the next one starts (or its own first page when
    # the next starts on the same page, as "2 Linear Algebra" and "2.1 Scalars ..." do).
    _ends: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.sections, key=lambda s: s.first_page))
        starts = [s.first_page for s in ordered]
        last = max(self.pages.last, *starts) if starts else self.pages.last
        following = [*starts[1:], last + 1] if starts else []
        ends = tuple(max(a, b - 1) for a, b in zip(starts, following, strict=True))
        object.__setattr__(self, "sections", ordered)
        object.__setattr__(self, "_ends", ends)

    def sections_in(self, pages: PageRange) -> tuple[Section, ...]:
        """The sections whose pages overlap `pages`, in reading order."""
        return tuple(
            section
            for section, end in zip(self.sections, self._ends, strict=True)
            if section.first_page <= pages.last and end >= pages.first
        )


# -- plans ----------------------------------------------------------------------------------

# How each setting is named to the user: on the command line, or in ankify.toml.
OPTION_NAMES = {
    "pages": "--pages",
    "start": "--start",
    "from_pages": "--from",
    "to_pages": "--to",
    "ramp_days": "--ramp-days",
    "rest_days": "--rest-days",
}
TOML_NAMES = {
    "pages": "[plan] pages",
    "start": "[plan] start",
    "from_pages": "[plan] from",
    "to_pages": "[plan] to",
    "ramp_days": "[plan] ramp_days",
    "rest_days": "[plan] rest_days",
}


@dataclass(frozen=True, slots=True)
class Plan:
    """The settings of a reading plan, as saved in the [plan] table of ankify.toml."""

    pages: PageRange
    start: date
    from_pages: int = DEFAULT_FROM
    to_pages: int = DEFAULT_TO
    ramp_days: int = DEFAULT_RAMP_DAYS
    rest_days: tuple[int, ...] = ()  # weekdays, Monday = 0
    book: str | None = None  # a bundled profile, e.g. "dlbook"
    pdf: str | None = None  # a PDF's path as written in ankify.toml

    def quota(self, k: int) -> int:
        """Pages for reading day `k` (from 1), before the last day takes what remains.

        `from + (to - from)(k - 1)/(ramp_days - 1)` rounded half up while k < ramp_days, then `to`.
        """
        if k >= self.ramp_days:
            return self.to_pages
        exact = self.from_pages + Fraction(
            (self.to_pages - self.from_pages) * (k - 1), self.ramp_days - 1
        )
        return math.floor(exact + Fraction(1, 2))

    def is_reading_day(self, day: date) -> bool:
        return day.weekday() not in self.rest_days

    def to_dict(self) -> dict[str, Any]:
        """The [plan] table: TOML-ready values (a date, ints, strings, a list of strings)."""
        data: dict[str, Any] = {
            "pages": str(self.pages),
            "start": self.start,
            "from": self.from_pages,
            "to": self.to_pages,
            "ramp_days": self.ramp_days,
            "rest_days": [WEEKDAYS[d] for d in self.rest_days],
        }
        if self.book is not None:
            data["book"] = self.book
        if self.pdf is not None:
            data["pdf"] = self.pdf
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Read a [plan] table as tomllib returns it; ConfigError names the key to fix."""
        fix = "fix it in ankify.toml or run 'ankify plan' again"
        known = ("pages", "start", "from", "to", "ramp_days", "rest_days", "book", "pdf")
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(key, known, n=1)
                also = f"did you mean {hint[0]!r}?" if hint else f"use {', '.join(known)}"
                raise ConfigError(f"unknown key {key!r} in [plan] of ankify.toml: {also}")
        for key in ("pages", "start"):
            if key not in data:
                raise ConfigError(f"[plan] in ankify.toml has no {key}: {fix}")
        pages = data["pages"]
        if isinstance(pages, bool) or not isinstance(pages, int | str):
            raise ConfigError(f'[plan] pages must be text like "1-716": {fix}')
        start = data["start"]
        if not isinstance(start, date) or hasattr(start, "hour"):
            raise ConfigError(f"[plan] start must be a date like 2026-12-01 (no quotes): {fix}")
        numbers = {}
        for key, default in (
            ("from", DEFAULT_FROM),
            ("to", DEFAULT_TO),
            ("ramp_days", DEFAULT_RAMP_DAYS),
        ):
            value = data.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"[plan] {key} must be a whole number, e.g. {default}: {fix}")
            numbers[key] = value
        rest = data.get("rest_days", [])
        if not isinstance(rest, list) or not all(isinstance(d, str) for d in rest):
            raise ConfigError(f'[plan] rest_days must be a list like ["sat", "sun"]: {fix}')
        optional = {}
        for key in ("book", "pdf"):
            value = data.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ConfigError(f"[plan] {key} must be text: {fix}")
            optional[key] = value
        plan = cls(
            pages=parse_page_range(str(pages), name=TOML_NAMES["pages"]),
            start=start,
            from_pages=numbers["from"],
            to_pages=numbers["to"],
            ramp_days=numbers["ramp_days"],
            rest_days=parse_rest_days(",".join(rest), name=TOML_NAMES["rest_days"]),
            book=optional["book"],
            pdf=optional["pdf"],
        )
        check_plan(plan, names=TOML_NAMES)
        return plan


def parse_page_range(text: str, *, name: str = "--pages") -> PageRange:
    """`"53-60"` (or `"53"`) as printed pages; ConfigError with the fix otherwise."""
    if not text.strip():
        raise ConfigError(f"{name} is empty: give the pages to read, e.g. {name} 1-716")
    match = _RANGE.match(text)
    if not match:
        raise ConfigError(f"{name} {text.strip()!r} is not a page range: write it like 1-716")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ConfigError(f"{name} {text.strip()} runs backwards: write it as {last}-{first}")
    if first < 1:
        raise ConfigError(f"{name} {text.strip()} starts at page 0: pages are numbered from 1")
    return PageRange(first, last)


def parse_rest_days(text: str, *, name: str = "--rest-days") -> tuple[int, ...]:
    """`"sat,sun"` (names or their first three letters, any case) as sorted weekday numbers."""
    days = set()
    for word in re.split(r"[,\s]+", text.strip().lower()):
        if not word:
            continue
        short = word[:3]
        if short not in WEEKDAYS or not _is_weekday_name(word):
            hint = difflib.get_close_matches(short, WEEKDAYS, n=1)
            also = f"did you mean {hint[0]!r}? " if hint else ""
            raise ConfigError(
                f"{name}: {word!r} is not a weekday: {also}use {','.join(WEEKDAYS)}, e.g. sat,sun"
            )
        days.add(WEEKDAYS.index(short))
    if len(days) == len(WEEKDAYS):
        raise ConfigError(f"{name}: every day is a rest day: leave at least one day to read")
    return tuple(sorted(days))


def _is_weekday_name(word: str) -> bool:
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return len(word) >= 3 and any(name.startswith(word) for name in full)


def check_plan(plan: Plan, *, names: Mapping[str, str] = OPTION_NAMES) -> None:
    """Raise ConfigError (naming the option or key via `names`) unless the plan can be scheduled."""
    if plan.from_pages < 1:
        raise ConfigError(f"{names['from_pages']} {plan.from_pages}: read at least 1 page a day")
    if plan.to_pages < plan.from_pages:
        raise ConfigError(
            f"{names['to_pages']} {plan.to_pages} is less than {names['from_pages']} "
            f"{plan.from_pages}: quotas ramp up, so make {names['to_pages']} at least "
            f"{plan.from_pages}"
        )
    if plan.ramp_days < 1:
        raise ConfigError(f"{names['ramp_days']} {plan.ramp_days}: ramp over at least 1 day")
    if len(set(plan.rest_days)) >= len(WEEKDAYS):
        raise ConfigError(f"{names['rest_days']}: every day is a rest day: leave one to read")
    if _reading_days_needed(plan) > MAX_READING_DAYS:
        raise ConfigError(
            f"{names['pages']} {plan.pages} would take more than {MAX_READING_DAYS} reading days: "
            f"read fewer pages or raise {names['to_pages']}"
        )


def _reading_days_needed(plan: Plan) -> int:
    """Reading days the plan takes (or MAX_READING_DAYS + 1 if more), without dates."""
    remaining = len(plan.pages)
    k = 0
    while k < min(plan.ramp_days - 1, MAX_READING_DAYS + 1) and remaining > 0:
        k += 1
        remaining -= plan.quota(k)
    return k + max(0, math.ceil(remaining / plan.to_pages))


def reading_days(plan: Plan, since: date) -> Iterator[tuple[int, date]]:
    """Reading days `(k, date)` of the plan from `since` on (from its start if earlier), forever."""
    day = max(since, plan.start)
    k = reading_days_through(plan, day - timedelta(days=1))
    while True:
        if plan.is_reading_day(day):
            k += 1
            yield k, day
        day += timedelta(days=1)


def reading_days_through(plan: Plan, day: date) -> int:
    """How many reading days the plan has from its start up to and including `day`."""
    if day < plan.start:
        return 0
    span = (day - plan.start).days + 1
    weeks, extra = divmod(span, 7)
    per_week = len(WEEKDAYS) - len(plan.rest_days)
    first = plan.start.weekday()
    tail = sum((first + i) % 7 not in plan.rest_days for i in range(extra))
    return weeks * per_week + tail


# -- schedules ------------------------------------------------------------------------------


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


def make_plan(
    *,
    pages: str | None,
    start: date,
    from_pages: int = DEFAULT_FROM,
    to_pages: int = DEFAULT_TO,
    ramp_days: int = DEFAULT_RAMP_DAYS,
    rest_days: str = "",
    book: Book | None = None,
    pdf: str | None = None,
) -> Plan:
    """A plan from command-line values; `pages` defaults to the book's main text."""
    if pages is None:
        if book is None:
            raise ConfigError(
                "which pages? give --pages, e.g. --pages 1-716, or a book: --book dlbook"
            )
        page_range = book.pages
    else:
        page_range = parse_page_range(pages)
        if book is not None and not (
            book.pages.first <= page_range.first and page_range.last <= book.pages.last
        ):
            raise ConfigError(
                f"--pages {page_range} runs outside {book.name} (pp. {book.pages}): "
                f"give pages within {book.pages}, or leave --pages out to read all of it"
            )
    plan = Plan(
        pages=page_range,
        start=start,
        from_pages=from_pages,
        to_pages=to_pages,
        ramp_days=ramp_days,
        rest_days=parse_rest_days(rest_days),
        book=book.name if book is not None and pdf is None else None,
        pdf=pdf,
    )
    check_plan(plan)
    return plan


# -- progress -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotePages:
    """What a note records of the reading: the pages it covers and the day it was written."""

    path: Path
    pages: tuple[PageRange, ...]
    written: date


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


# -- text for people ------------------------------------------------------------------------


def _pages(n: int) -> str:
    return f"{n} page" if abs(n) == 1 else f"{n} pages"


def _pp(*ranges: PageRange) -> str:
    """`p. 21` or `pp. 21-24, 26`: printed pages as a book names them."""
    one = len(ranges) == 1 and len(ranges[0]) == 1
    return ("p. " if one else "pp. ") + ", ".join(str(r) for r in ranges)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _when(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _labels(sections: tuple[Section, ...]) -> str:
    return "; ".join(s.label for s in sections)


def describe_plan(schedule: Schedule) -> str:
    """One line about a plan: pages, dates, ramp, rest days."""
    plan = schedule.plan
    rest = ", ".join(WEEKDAYS[d] for d in plan.rest_days) or "none"
    if plan.from_pages == plan.to_pages:
        ramp = f"{_pages(plan.to_pages)} a day"
    else:
        ramp = (
            f"{plan.from_pages} rising to {_pages(plan.to_pages)} a day "
            f"over {_days(plan.ramp_days)}"
        )
    return (
        f"{_pp(plan.pages)} ({_pages(schedule.total_pages)}) in {len(schedule.days)} reading days, "
        f"{_when(plan.start)} to {_when(schedule.finish)}; {ramp}; rest days: {rest}"
    )


def format_schedule(schedule: Schedule) -> str:
    """The schedule as a table for people: day, date, pages and the sections they cover."""
    lines = [f"Plan: {describe_plan(schedule)}"]
    if schedule.book is not None:
        lines.append(f"Book: {schedule.book.title}")
    rows = [
        (str(d.number), _when(d.date), str(d.pages), str(len(d.pages)), _labels(d.sections))
        for d in schedule.days
    ]
    header = ("day", "date", "pages", "n", "sections" if schedule.book else "")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    lines.append("")
    for row in (header, *rows):
        cells = (
            row[0].rjust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].rjust(widths[3]),
            row[4],
        )
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def format_report(report: Report, *, sources: str = "sources/") -> str:
    """The quota report for people: today's reading, pages done, behind or ahead, finish."""
    schedule = report.schedule
    total_days = len(schedule.days)
    lines = []
    when = _when(report.on)
    if report.status is Status.BEFORE_START:
        wait = (schedule.days[0].date - report.on).days
        lines.append(
            f"{when}: the plan has not started yet: day 1 is {_when(schedule.days[0].date)}, "
            f"in {_days(wait)}."
        )
    elif report.status is Status.AFTER_FINISH:
        lines.append(
            f"{when}: the plan finished on {_when(schedule.finish)} "
            f"(day {total_days} of {total_days}); no reading is planned today."
        )
    elif report.status is Status.REST:
        lines.append(f"{when}: a rest day; no reading is planned today.")
    else:
        assert report.today is not None
        day = report.today
        lines.append(f"{when}: day {day.number} of {total_days}.")
        lines.append(f"Today's reading: {_pp(day.pages)} ({_pages(len(day.pages))})")
        lines.extend(f"  {s.label}" for s in day.sections)
    if report.status in (Status.BEFORE_START, Status.REST) and report.next_day is not None:
        nxt = report.next_day
        sections = f": {_labels(nxt.sections)}" if nxt.sections else ""
        lines.append(
            f"Next reading: day {nxt.number}, {_when(nxt.date)}, {_pp(nxt.pages)}{sections}"
        )
    lines.append(f"Done: {report.done} of {_pages(schedule.total_pages)} have notes in {sources}")
    if report.behind > 0:
        standing = f"{_pages(report.behind)} behind"
    elif report.behind < 0:
        standing = f"{_pages(-report.behind)} ahead"
    else:
        standing = "on track"
    lines.append(f"Planned before today: {_pages(report.planned_before_today)}: {standing}")
    if report.missing:
        more = f" and {len(report.missing) - 5} more" if len(report.missing) > 5 else ""
        lines.append(f"  planned pages without notes yet: {_pp(*report.missing[:5])}{more}")
    if report.projected_finish is None:
        lines.append("Finish: every page of the plan has notes. Well done!")
    else:
        lines.append(
            f"Projected finish: {_when(report.projected_finish)} if you keep the plan's quotas "
            f"from today (plan: {_when(schedule.finish)})"
        )
    lines.append(f"Streak: {_days(report.streak)} with notes")
    return "\n".join(lines)
