"""A plan shaped to a daily review budget: never over it, as fast as fits, the delay said."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankify.errors import ConfigError
from ankify.model import PageRange
from ankify.pacing.budget import Pacing, capped, fit_budget, new_cards
from ankify.pacing.forecast import Simulator
from ankify.pacing.memory import Habits, Model
from ankify.pacing.plan import Plan
from ankify.pacing.reading_list import Document
from ankify.pacing.schedule import make_schedule

START = date(2026, 12, 1)


def _simulator(seed: int = 0) -> Simulator:
    return Simulator(Model(), Habits(), seed=seed, runs=2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pages=st.integers(20, 240),
    from_pages=st.integers(1, 12),
    extra=st.integers(0, 20),
    ramp_days=st.integers(1, 30),
    cards_per_page=st.floats(0.5, 6),
    budget=st.floats(5, 90),
    seed=st.integers(0, 3),
    paper=st.integers(0, 40),
)
def test_the_shaped_plan_is_never_over_the_budget(
    pages: int,
    from_pages: int,
    extra: int,
    ramp_days: int,
    cards_per_page: float,
    budget: float,
    seed: int,
    paper: int,
) -> None:
    plan = Plan(PageRange(1, pages), START, from_pages, from_pages + extra, ramp_days)
    documents = (Document("paper", paper),) if paper else ()
    pacing = Pacing(cards_per_page, budget=budget)
    try:
        shaped = fit_budget(plan, None, documents, pacing, _simulator(seed))
    except ConfigError as e:
        assert "even 1 page a day" in e.message
        return
    assert shaped.chosen.peak_minutes <= budget
    assert shaped.chosen.schedule.plan.to_pages <= plan.to_pages
    if shaped.changed:
        assert shaped.asked.peak_minutes > budget
        assert shaped.delay >= 0
    else:
        assert shaped.chosen is shaped.asked
    # The same pages are read, all of them.
    days = shaped.chosen.schedule.days
    assert (days[0].pages.first, days[-1].pages.last) == (1, pages)
    assert sum(len(d.pages) for d in days) == pages
    assert sum(p.page_count for p in shaped.chosen.papers) == paper


def test_a_plan_over_the_budget_is_slowed_down_and_says_by_how_much() -> None:
    plan = Plan(PageRange(1, 300), START, 5, 15, 20)
    shaped = fit_budget(plan, None, (), Pacing(3.0, budget=40), _simulator())
    assert shaped.asked.peak_minutes > 40 >= shaped.chosen.peak_minutes
    chosen = shaped.chosen.schedule.plan
    assert chosen.to_pages < 15 and chosen.from_pages == 5
    assert shaped.delay == (shaped.chosen.last_day - shaped.asked.last_day).days > 0
    # One page a day more would be over the budget.
    faster = fit_budget(
        capped(plan, chosen.to_pages + 1), None, (), Pacing(3.0, budget=1e9), _simulator()
    )
    assert faster.chosen.peak_minutes > 40


def test_no_plan_fits_a_budget_too_small() -> None:
    plan = Plan(PageRange(1, 100), START, 5, 15, 20)
    with pytest.raises(ConfigError) as e:
        fit_budget(plan, None, (), Pacing(20.0, budget=2), _simulator())
    assert e.value.message.startswith("even 1 page a day is forecast to cost")
    assert e.value.options == ("review_budget", "cards_per_page")


def test_new_cards_follow_the_pages_exactly() -> None:
    plan = Plan(PageRange(1, 40), START, 5, 15, 5, rest_days=(5, 6))
    schedule = make_schedule(plan)
    cards = new_cards(schedule, (), Pacing(1.5), start=START)
    # 5, 8, 10, 13 and 4 pages at 1.5 cards a page: the running total rounds, nothing is lost.
    assert cards == {0: 8, 1: 12, 2: 15, 3: 19, 6: 6}
    assert sum(cards.values()) == 60
    learned = new_cards(
        schedule, (), Pacing(1.0, learned={date(2026, 11, 28): 7}), start=START, skip_pages=9
    )
    assert learned[-3] == 7 and 0 not in learned and learned[1] == 4


@pytest.mark.parametrize(("cards_per_page", "budget"), [(3.0, 40.0), (6.0, 45.0), (2.0, 25.0)])
def test_the_search_finds_the_plan_a_page_by_page_search_would(
    cards_per_page: float, budget: float
) -> None:
    plan = Plan(PageRange(1, 200), START, 4, 15, 20)
    shaped = fit_budget(plan, None, (), Pacing(cards_per_page, budget=budget), _simulator())
    chosen = shaped.chosen.schedule.plan.to_pages
    # Every run, every cap: the most pages a day within the budget.
    fitting = [
        cap
        for cap in range(1, 16)
        if fit_budget(
            capped(plan, cap), None, (), Pacing(cards_per_page, budget=1e9), _simulator()
        ).chosen.peak_minutes
        <= budget
    ]
    assert chosen == max(fitting)
    assert shaped.chosen.load.runs == _simulator().runs
