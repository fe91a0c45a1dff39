"""Schedules as text for people."""

from __future__ import annotations

from datetime import date

from ankify.model import PageRange
from ankify.pacing.books import load_book
from ankify.pacing.plan import (
    Plan,
)
from ankify.pacing.schedule import make_schedule
from ankify.pacing.text import format_schedule

TUE = date(2026, 12, 1)  # a Tuesday
SAT, SUN = 5, 6


def test_format_schedule_is_a_table() -> None:
    plan = Plan(PageRange(1, 12), TUE, from_pages=5, to_pages=5, rest_days=(SAT, SUN))
    text = format_schedule(make_schedule(plan, load_book("dlbook")))
    assert text.splitlines() == [
        "Plan: pp. 1-12 (12 pages) in 3 reading days, Tue 2026-12-01 to Thu 2026-12-03; "
        "5 pages a day; rest days: sat, sun",
        "Book: Deep Learning (Goodfellow, Bengio, Courville), online edition",
        "",
        "day  date            pages  n  sections",
        "  1  Tue 2026-12-01  1-5    5  1 Introduction",
        "  2  Wed 2026-12-02  6-10   5  1 Introduction; 1.1 Who Should Read This Book?",
        "  3  Thu 2026-12-03  11-12  2  1.2 Historical Trends in Deep Learning",  # from p. 11
    ]


def test_format_schedule_names_the_back_matter_left_out() -> None:
    plan = Plan(PageRange(711, 720), TUE, from_pages=5, to_pages=5)
    text = format_schedule(make_schedule(plan, load_book("dlbook")))
    assert text.splitlines()[1:3] == [
        "Book: Deep Learning (Goodfellow, Bengio, Courville), online edition",
        "Not planned: Bibliography (p. 721), Index (p. 777): back matter, after the main text",
    ]
    into = Plan(PageRange(711, 730), TUE, from_pages=5, to_pages=5)  # into the Bibliography
    assert format_schedule(make_schedule(into, load_book("dlbook"))).splitlines()[2] == (
        "Not planned: Index (p. 777): back matter, after the main text"
    )
