"""Reading plans: daily page quotas that ramp up, skipping rest days.

Pure functions of pages and dates: nothing here reads the clock or the disk, or prints.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from ..errors import ConfigError
from ..model import PageRange
from .books import Book

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_FROM = 5
DEFAULT_TO = 15
DEFAULT_RAMP_DAYS = 60
# A plan longer than this is a typo (a page range of a library, not a book), and it would walk
# dates towards year 9999 one day at a time.
MAX_READING_DAYS = 10_000
#: The dates a plan may start on, and a report be asked for: room, before and after, for every
#: day a plan of MAX_READING_DAYS and its forecast walk (a year like 9999 or 1 is a typo).
EARLIEST = date(1900, 1, 1)
LATEST = date(8999, 12, 31)

#: How the [plan] table of ankify.toml names each setting.
TOML_KEYS = {
    "pages": "pages",
    "start": "start",
    "from_pages": "from",
    "to_pages": "to",
    "ramp_days": "ramp_days",
    "rest_days": "rest_days",
    "book": "book",
    "pdf": "pdf",
    "offset": "offset",
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
    offset: int | None = None  # the PDF's printed page P is physical page P + offset

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
        if self.offset is not None:
            data["offset"] = self.offset
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Read a [plan] table as tomllib returns it; ConfigError names the key to fix."""
        fix = "fix it in ankify.toml or run 'ankify plan' again"
        known = tuple(TOML_KEYS.values())
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(key, known, n=1)
                also = f"did you mean {hint[0]!r}?" if hint else f"use {', '.join(known)}"
                raise ConfigError(f"unknown key {key!r} in [plan]: {also}")
        for key in ("pages", "start"):
            if key not in data:
                raise ConfigError(f"[plan] has no {key}: {fix}")
        pages = data["pages"]
        if isinstance(pages, bool) or not isinstance(pages, int | str):
            raise ConfigError(f'[plan] pages must be text like "1-720": {fix}')
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
        offset = data.get("offset")
        if offset is not None and (isinstance(offset, bool) or not isinstance(offset, int)):
            raise ConfigError(f"[plan] offset must be a whole number, e.g. -52: {fix}")
        try:
            page_range = PageRange.parse(str(pages))
        except ValueError as e:
            raise ConfigError(f"[plan] pages {str(pages).strip()} {e}") from None
        try:
            rest_days = parse_rest_days(",".join(rest))
        except ValueError as e:
            raise ConfigError(f"[plan] rest_days: {e}") from None
        plan = cls(
            pages=page_range,
            start=start,
            from_pages=numbers["from"],
            to_pages=numbers["to"],
            ramp_days=numbers["ramp_days"],
            rest_days=rest_days,
            book=optional["book"],
            pdf=optional["pdf"],
            offset=offset,
        )
        try:
            check_plan(plan)
        except ConfigError as e:  # named as the table names them, not as a command's options
            keys = ", ".join(f"[plan] {TOML_KEYS[option]}" for option in e.options)
            raise ConfigError(f"{e.message} ({keys}): {fix}") from None
        return plan


def parse_rest_days(text: str) -> tuple[int, ...]:
    """`"sat,sun"` (names or their first three letters, any case) as sorted weekday numbers;
    ValueError says which word is not a weekday."""
    days = set()
    for word in re.split(r"[,\s]+", text.strip().lower()):
        if not word:
            continue
        short = word[:3]
        if short not in WEEKDAYS or not _is_weekday_name(word):
            hint = difflib.get_close_matches(short, WEEKDAYS, n=1)
            also = f"did you mean {hint[0]!r}? " if hint else ""
            raise ValueError(
                f"{word!r} is not a weekday: {also}use {','.join(WEEKDAYS)}, e.g. sat,sun"
            )
        days.add(WEEKDAYS.index(short))
    if len(days) == len(WEEKDAYS):
        raise ValueError("every day is a rest day: leave at least one day to read")
    return tuple(sorted(days))


def _is_weekday_name(word: str) -> bool:
    full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return len(word) >= 3 and any(name.startswith(word) for name in full)


def check_date(day: date, option: str, *, what: str = "") -> None:
    """Raise ConfigError, naming `option` (and `what` the day is), unless `day` is between
    EARLIEST and LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise ConfigError(
            f"{what}{day.isoformat()} is out of range: give a date from {EARLIEST.isoformat()} to "
            f"{LATEST.isoformat()}",
            option=option,
        )


def check_plan(plan: Plan) -> None:
    """Raise ConfigError, naming the settings to change, unless the plan can be scheduled."""
    check_date(plan.start, "start")
    if plan.from_pages < 1:
        raise ConfigError(
            f"{plan.from_pages} pages on the first day: read at least 1 page a day",
            option="from_pages",
        )
    if plan.to_pages < plan.from_pages:
        raise ConfigError(
            f"{plan.to_pages} pages a day after the ramp is fewer than the {plan.from_pages} of "
            f"the first day: quotas ramp up, so read at least {plan.from_pages} a day after it",
            option=("to_pages", "from_pages"),
        )
    if plan.ramp_days < 1:
        raise ConfigError(
            f"a ramp over {plan.ramp_days} days: ramp over at least 1 day", option="ramp_days"
        )
    if len(set(plan.rest_days)) >= len(WEEKDAYS):
        raise ConfigError("every day is a rest day: leave one to read", option="rest_days")
    if plan.offset is not None and plan.pdf is None:
        raise ConfigError(
            "an offset is for the pages of a PDF without page labels: give the PDF, or drop "
            "the offset",
            option=("offset", "pdf"),
        )
    if _reading_days_needed(plan) > MAX_READING_DAYS:
        raise ConfigError(
            f"pages {plan.pages} would take more than {MAX_READING_DAYS} reading days: read "
            "fewer pages, or more a day",
            option=("pages", "to_pages"),
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
    k = reading_days_through(plan, day) - plan.is_reading_day(day)  # reading days before it
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


def make_plan(
    *,
    pages: PageRange | None,
    start: date,
    from_pages: int = DEFAULT_FROM,
    to_pages: int = DEFAULT_TO,
    ramp_days: int = DEFAULT_RAMP_DAYS,
    rest_days: tuple[int, ...] = (),
    book: Book | None = None,
    pdf: str | None = None,
    offset: int | None = None,
) -> Plan:
    """A plan from the settings given; `pages` defaults to the book's main text.

    Given pages may run past the main text into the book's back matter (its `extent`).
    """
    if pages is None:
        if book is None:
            raise ConfigError(
                "which pages? give the pages, e.g. 1-720, or a book profile such as dlbook",
                option=("pages", "book"),
            )
        pages = book.pages
    elif book is not None and not _within(pages, extent := book.extent or book.pages):
        whole = "all of it" if extent == book.pages else f"its main text (pp. {book.pages})"
        raise ConfigError(
            f"pages {pages} run outside {book.name} (pp. {extent}): give pages within "
            f"{extent}, or leave the page range out to read {whole}",
            option="pages",
        )
    plan = Plan(
        pages=pages,
        start=start,
        from_pages=from_pages,
        to_pages=to_pages,
        ramp_days=ramp_days,
        rest_days=rest_days,
        book=book.name if book is not None and pdf is None else None,
        pdf=pdf,
        offset=offset,
    )
    check_plan(plan)
    return plan


def _within(pages: PageRange, outer: PageRange) -> bool:
    return outer.first <= pages.first <= pages.last <= outer.last
