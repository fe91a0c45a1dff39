"""Plans: golden schedules, the quota rule as properties, and the settings' errors."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankify.errors import ConfigError
from ankify.model import PageRange
from ankify.pacing.books import load_book
from ankify.pacing.plan import (
    MAX_READING_DAYS,
    Plan,
    make_plan,
    parse_rest_days,
    reading_days_through,
)
from ankify.pacing.schedule import make_schedule

TUE = date(2026, 12, 1)  # a Tuesday
SAT, SUN = 5, 6


def schedule_rows(plan: Plan) -> list[tuple[int, str, str]]:
    return [(d.number, d.date.isoformat(), str(d.pages)) for d in make_schedule(plan).days]


def reference_quota(plan: Plan, k: int) -> int:
    """The issue's rule, computed independently with decimal half-up rounding."""
    if k >= plan.ramp_days:
        return plan.to_pages
    exact = Decimal(plan.from_pages) + Decimal((plan.to_pages - plan.from_pages) * (k - 1)) / (
        Decimal(plan.ramp_days - 1)
    )
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_quota_rounds_halves_up_not_to_even() -> None:
    plan = Plan(PageRange(1, 100), TUE, from_pages=5, to_pages=15, ramp_days=5)
    # 5 + 10(k-1)/4: 5, 7.5, 10, 12.5, 15 (round() would give 12 for 12.5)
    assert [plan.quota(k) for k in range(1, 8)] == [5, 8, 10, 13, 15, 15, 15]


def test_default_quotas_ramp_from_5_to_15_over_60_days() -> None:
    plan = Plan(PageRange(1, 716), TUE)
    assert [plan.quota(k) for k in range(1, 11)] == [5, 5, 5, 6, 6, 6, 6, 6, 6, 7]
    assert [plan.quota(k) for k in (30, 31, 58, 59, 60, 61, 200)] == [10, 10, 15, 15, 15, 15, 15]


def test_golden_plan_with_weekends_off() -> None:
    plan = Plan(PageRange(1, 40), TUE, ramp_days=5, rest_days=(SAT, SUN))
    assert schedule_rows(plan) == [
        (1, "2026-12-01", "1-5"),
        (2, "2026-12-02", "6-13"),
        (3, "2026-12-03", "14-23"),
        (4, "2026-12-04", "24-36"),
        (5, "2026-12-07", "37-40"),  # Monday; the last day takes what remains
    ]


def test_golden_plan_not_starting_at_page_1() -> None:
    plan = Plan(PageRange(53, 60), date(2026, 12, 5), from_pages=2, to_pages=4, ramp_days=3)
    assert schedule_rows(plan) == [
        (1, "2026-12-05", "53-54"),
        (2, "2026-12-06", "55-57"),
        (3, "2026-12-07", "58-60"),
    ]


def test_golden_plan_starting_on_a_rest_day() -> None:
    plan = Plan(PageRange(1, 10), date(2026, 12, 5), from_pages=5, to_pages=5, rest_days=(SAT,))
    assert schedule_rows(plan) == [(1, "2026-12-06", "1-5"), (2, "2026-12-07", "6-10")]


def test_golden_deep_learning_book_defaults() -> None:
    schedule = make_schedule(Plan(PageRange(1, 716), TUE))
    assert len(schedule.days) == 68
    assert sum(len(d.pages) for d in schedule.days[:59]) == 585  # the ramp, days 1-59
    assert schedule.finish == date(2027, 2, 6)
    assert [str(d.pages) for d in schedule.days[-3:]] == ["676-690", "691-705", "706-716"]
    assert schedule.to_dict()["finish"] == "2027-02-06"
    assert schedule.to_dict()["total_pages"] == 716


def test_golden_deep_learning_book_with_weekends_off() -> None:
    book = load_book("dlbook")
    plan = make_plan(pages=None, start=TUE, rest_days=(SAT, SUN), book=book)
    schedule = make_schedule(plan, book)
    assert plan.pages == PageRange(1, 720)
    assert plan.book == "dlbook"
    assert (len(schedule.days), schedule.finish) == (68, date(2027, 3, 4))
    day = schedule.days[23]
    assert day.to_dict() == {
        "day": 24,
        "date": "2027-01-01",
        "first_page": 160,
        "last_page": 168,
        "pages": 9,
        "sections": [
            "5.11 Challenges Motivating Deep Learning",  # from p. 155
            "Part II: Deep Networks: Modern Practices",  # p. 166
            "6 Deep Feedforward Networks",  # p. 168 (6.1 starts on 171)
        ],
    }
    assert schedule.days[-1].to_dict()["sections"][-1] == "20.15 Conclusion"


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    first = draw(st.integers(1, 800))
    last = draw(st.integers(first, first + 600))
    from_pages = draw(st.integers(1, 20))
    to_pages = draw(st.integers(from_pages, 40))
    rest = draw(st.sets(st.integers(0, 6), max_size=6))
    return Plan(
        pages=PageRange(first, last),
        start=draw(st.dates(date(2020, 1, 1), date(2040, 12, 31))),
        from_pages=from_pages,
        to_pages=to_pages,
        ramp_days=draw(st.integers(1, 90)),
        rest_days=tuple(sorted(rest)),
    )


@given(plans())
def test_plan_covers_its_range_exactly_and_contiguously(plan: Plan) -> None:
    days = make_schedule(plan).days
    assert days[0].pages.first == plan.pages.first
    assert days[-1].pages.last == plan.pages.last
    for before, after in itertools.pairwise(days):
        assert after.pages.first == before.pages.last + 1
    assert sum(len(d.pages) for d in days) == len(plan.pages)


@given(plans())
def test_quotas_follow_the_rule_and_never_decrease_before_the_last_day(plan: Plan) -> None:
    days = make_schedule(plan).days
    assert [d.number for d in days] == list(range(1, len(days) + 1))
    for day in days[:-1]:
        assert len(day.pages) == plan.quota(day.number) == reference_quota(plan, day.number)
    assert 1 <= len(days[-1].pages) <= plan.quota(days[-1].number)
    sizes = [len(d.pages) for d in days[:-1]]
    assert sizes == sorted(sizes)
    assert all(plan.from_pages <= n <= plan.to_pages for n in sizes)


@given(plans())
def test_reading_days_skip_rest_days_and_nothing_else(plan: Plan) -> None:
    days = make_schedule(plan).days
    assert days[0].date >= plan.start
    expected = plan.start
    for day in days:
        while expected.weekday() in plan.rest_days:
            expected += timedelta(days=1)
        assert day.date == expected
        expected += timedelta(days=1)


@given(plans(), st.integers(-30, 400))
def test_reading_days_through_counts_like_a_calendar(plan: Plan, offset: int) -> None:
    day = plan.start + timedelta(days=offset)
    naive = sum(
        plan.is_reading_day(plan.start + timedelta(days=i)) for i in range(max(0, offset + 1))
    )
    assert reading_days_through(plan, day) == naive


def test_a_plan_that_never_ends_is_refused() -> None:
    plan = Plan(PageRange(1, MAX_READING_DAYS + 1), TUE, from_pages=1, to_pages=1)
    with pytest.raises(ConfigError, match="more than 10000 reading days: read fewer pages"):
        make_schedule(plan)


def test_parse_rest_days() -> None:
    assert parse_rest_days("sat,sun") == (SAT, SUN)
    assert parse_rest_days("Sunday, saturday") == (SAT, SUN)
    assert parse_rest_days("") == ()
    with pytest.raises(
        ValueError, match=re.escape("'sonday' is not a weekday: did you mean 'sun'?")
    ):
        parse_rest_days("sonday")
    with pytest.raises(ValueError, match="every day is a rest day"):
        parse_rest_days("mon,tue,wed,thu,fri,sat,sun")


@pytest.mark.parametrize(
    ("options", "message", "option"),
    [
        ({"from_pages": 0}, "0 pages on the first day: read at least 1 page a day", "from_pages"),
        (
            {"from_pages": 15, "to_pages": 5},
            "5 pages a day after the ramp is fewer than the 15 of the first day: quotas ramp "
            "up, so read at least 15 a day after it",
            "to_pages",
        ),
        ({"ramp_days": 0}, "a ramp over 0 days: ramp over at least 1 day", "ramp_days"),
    ],
)
def test_make_plan_errors_name_the_setting_to_change(
    options: dict[str, int], message: str, option: str
) -> None:
    with pytest.raises(ConfigError) as e:
        make_plan(pages=PageRange(1, 10), start=TUE, **options)
    assert str(e.value) == message
    assert e.value.option == option


def test_make_plan_keeps_pages_within_the_book() -> None:
    with pytest.raises(ConfigError) as e:
        make_plan(pages=PageRange(700, 800), start=TUE, book=load_book("dlbook"))
    assert str(e.value) == (  # its contents end with the Index on p. 777
        "pages 700-800 run outside dlbook (pp. 1-777): give pages within 1-777, "
        "or leave the page range out to read its main text (pp. 1-720)"
    )
    back_matter = make_plan(pages=PageRange(721, 777), start=TUE, book=load_book("dlbook"))
    assert back_matter.pages == PageRange(721, 777)  # given pages may go past the main text
    with pytest.raises(ConfigError) as e:
        make_plan(pages=PageRange(1, 9), start=TUE, offset=-52)
    assert str(e.value) == (
        "an offset is for the pages of a PDF without page labels: give the PDF, or drop the offset"
    )
    assert e.value.options == ("offset", "pdf")
    with pytest.raises(ConfigError, match=re.escape("which pages? give the pages, e.g. 1-720")):
        make_plan(pages=None, start=TUE)
