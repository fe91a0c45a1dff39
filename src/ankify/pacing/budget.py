"""A plan's forecast review load, and a plan shaped to fit a daily review budget.

Reading days add cards (pages read times cards per page); `forecast.Simulator` turns them into
minutes a day. When the forecast peak, reviews and learning together, is above the budget, the
pages a day are capped lower (the ramp ends lower, so it rises more slowly, and the reading
list's pace is capped alike) until the peak fits: the shaped plan reads the same pages, later.

Pure: seeds and dates come in.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .books import Book
from .collection import Collected
from .forecast import RUNS, Simulator, Studied
from .load import Load
from .memory import Habits, Model
from .plan import Plan, check_plan
from .rates import Rate
from .reading_list import Document, ListDay, lay_out
from .schedule import Schedule, make_schedule

DEFAULT_BUDGET = 60.0
#: Days forecast after the last page: long enough to see the reviews the last pages cause.
TAIL_DAYS = 90


@dataclass(frozen=True, slots=True)
class Forecasting:
    """How to forecast the review load: cards per page (None: measured from the notes, else
    the default), desired retention (None: the collection's, else 0.9), the daily budget in
    minutes, the learner's collection, and the seed and number of runs."""

    cards_per_page: float | None = None
    retention: float | None = None
    budget: float = DEFAULT_BUDGET
    collection: Path | None = None
    seed: int = 0
    runs: int = RUNS


@dataclass(frozen=True, slots=True)
class Forecaster:
    """What a forecast was made with: the memory model, the learner's habits, cards per page
    and what the collection said."""

    model: Model
    habits: Habits
    rate: Rate
    collected: Collected | None
    budget: float
    seed: int
    runs: int

    def simulator(self) -> Simulator:
        return Simulator(self.model, self.habits, seed=self.seed, runs=self.runs)

    def to_dict(self) -> dict[str, object]:
        return {
            "model": "FSRS-6",
            "parameters": "collection"
            if self.collected is not None and self.collected.parameters is not None
            else "default",
            "retention": self.model.retention,
            "budget_minutes": self.budget,
            "seed": self.seed,
            "runs": self.runs,
            **self.rate.to_dict(),
            **({"collection": self.collected.to_dict()} if self.collected is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class Pacing:
    """What a forecast needs besides the plan: cards per page (for the book, and for each
    document of the list), cards learned before the forecast starts (by day), cards already
    studied in the collection, and the daily budget in minutes."""

    cards_per_page: float
    list_cards_per_page: tuple[float, ...] = ()
    learned: Mapping[date, int] = dataclasses.field(default_factory=dict)
    studied: tuple[Studied, ...] = ()
    budget: float = DEFAULT_BUDGET


@dataclass(frozen=True, slots=True)
class Outlook:
    """A plan laid out (the book, then the reading list) and the load it is forecast to cause."""

    schedule: Schedule
    papers: tuple[ListDay, ...]
    load: Load

    @property
    def last_day(self) -> date:
        """The day the last page is read (the day before the forecast, when none is left)."""
        if self.papers:
            last = self.papers[-1].date  # papers read between the book's pages end before it
            return max(last, self.schedule.finish) if self.schedule.days else last
        return self.schedule.finish if self.schedule.days else self.load.day(-1)

    @property
    def peak_minutes(self) -> float:
        return self.load.total_minutes[self.load.peak]

    def reading_mean(self) -> float:
        """Mean minutes a day from the first day forecast to the last page."""
        return self.load.mean(self.load.index(self.last_day))

    def below_budget_from(self, budget: float) -> date | None:
        index = self.load.below_from(budget, max(self.load.index(self.last_day), -1))
        return self.load.day(index) if index is not None else None

    def summary(self, budget: float) -> dict[str, Any]:
        load = self.load
        below = self.below_budget_from(budget)
        return {
            "peak_minutes": round(self.peak_minutes, 1),
            "peak_date": load.day(load.peak).isoformat(),
            "peak_minutes_p90": round(load.total_p90[load.peak], 1),
            "peak_review_minutes": round(load.review_minutes[load.review_peak], 1),
            "peak_review_date": load.day(load.review_peak).isoformat(),
            "mean_minutes_while_reading": round(self.reading_mean(), 1),
            "last_page": self.last_day.isoformat(),
            "within_budget_from": below.isoformat() if below else None,
        }


@dataclass(frozen=True, slots=True)
class Shaped:
    """The plan as asked and as shaped to fit the budget (the same when it already fits)."""

    asked: Outlook
    chosen: Outlook
    budget: float

    @property
    def changed(self) -> bool:
        return self.chosen.schedule.plan != self.asked.schedule.plan

    @property
    def delay(self) -> int:
        """Days the shaped plan finishes after the plan as asked."""
        return (self.chosen.last_day - self.asked.last_day).days


def new_cards(
    schedule: Schedule,
    papers: tuple[ListDay, ...],
    pacing: Pacing,
    *,
    start: date,
    skip_pages: int = 0,
) -> dict[int, int]:
    """Cards learned on each day (days from `start`): each reading day's pages times cards per
    page, rounded so that the running total is the running total of pages times the rate.

    The first `skip_pages` pages of the book are already read (their cards are `learned`).
    """
    cards: dict[int, int] = {}
    for written, count in pacing.learned.items():
        offset = (written - start).days
        cards[offset] = cards.get(offset, 0) + count
    exact = 0.0
    given = 0
    left_out = skip_pages
    for day in schedule.days:
        pages = len(day.pages)
        skipped = min(left_out, pages)
        left_out -= skipped
        exact += (pages - skipped) * pacing.cards_per_page
        n = math.floor(exact + 0.5) - given  # halves up, as quotas round
        given += n
        if n:
            offset = (day.date - start).days
            cards[offset] = cards.get(offset, 0) + n
    for list_day in papers:
        for part in list_day.parts:
            rates = pacing.list_cards_per_page
            rate = rates[part.document] if part.document < len(rates) else pacing.cards_per_page
            exact += len(part.pages) * rate
        n = math.floor(exact + 0.5) - given  # halves up, as quotas round
        given += n
        if n:
            offset = (list_day.date - start).days
            cards[offset] = cards.get(offset, 0) + n
    return cards


def outlook(
    schedule: Schedule,
    documents: tuple[Document, ...],
    pacing: Pacing,
    simulator: Simulator,
    *,
    start: date | None = None,
    skip_pages: int = 0,
    runs: int | None = None,
    horizon: int | None = None,
) -> Outlook:
    """The schedule and its reading list laid out on reading days from `start` (the plan's
    start; `reading_list.lay_out`), and their forecast load to TAIL_DAYS after the last page
    (only the first `horizon` days, when given; `runs`: of the simulator's, None for all)."""
    first = start if start is not None else schedule.plan.start
    schedule, papers = lay_out(schedule, documents, since=first)
    days = _days(schedule, papers, first)
    if horizon is not None:
        days = min(days, horizon)
    cards = new_cards(schedule, papers, pacing, start=first, skip_pages=skip_pages)
    cards = {offset: n for offset, n in cards.items() if offset < days}
    load = simulator.forecast(cards, start=first, days=days, studied=pacing.studied, runs=runs)
    return Outlook(schedule, papers, load)


def _days(schedule: Schedule, papers: tuple[ListDay, ...], first: date) -> int:
    """Days a forecast of the laid-out schedule covers: to TAIL_DAYS after its last page."""
    if papers:
        last = max(papers[-1].date, schedule.finish) if schedule.days else papers[-1].date
    else:
        last = schedule.finish if schedule.days else first - timedelta(days=1)
    return max((last - first).days, 0) + 1 + TAIL_DAYS


def capped(plan: Plan, pages: int) -> Plan:
    """The plan with at most `pages` pages a day (its ramp ends there, rising more slowly)."""
    return dataclasses.replace(
        plan, to_pages=min(plan.to_pages, pages), from_pages=min(plan.from_pages, pages)
    )


#: Days of the 1-page-a-day plan forecast first: a budget even they break fails at once.
PROBE_DAYS = 60
#: Runs of the quick forecasts that search for the cap (the cap found is confirmed with all).
SEARCH_RUNS = 2
#: A plan whose one-run forecast peaks above this many budgets has its slowest plan forecast
#: first (only an order: the plan chosen is the same).
HEAVY = 2.5


def fit_budget(
    plan: Plan,
    book: Book | None,
    documents: tuple[Document, ...],
    pacing: Pacing,
    simulator: Simulator,
) -> Shaped:
    """The plan as asked and, when its forecast peak is above the budget, the plan with the
    most pages a day whose forecast peak is within it (the list's pace capped alike).

    ConfigError when even a page a day is over the budget. Quick first: the first PROBE_DAYS
    days of a page a day; then the cap is bisected with SEARCH_RUNS runs, and the cap found is
    confirmed (and moved, a page at a time, to the most that fits) with all the runs: the plan
    chosen is never over the budget.
    """
    budget = pacing.budget

    def laid(cap: int) -> tuple[Schedule, tuple[Document, ...]]:
        shaped = capped(plan, cap)
        capped_documents = tuple(
            dataclasses.replace(d, pace=min(d.pace or plan.to_pages, cap)) for d in documents
        )
        check_plan(shaped)
        return make_schedule(shaped, book), capped_documents

    def forecast(cap: int, *, runs: int | None = None, horizon: int | None = None) -> Outlook:
        schedule, capped_documents = laid(cap)
        return outlook(schedule, capped_documents, pacing, simulator, runs=runs, horizon=horizon)

    # A page a day over the budget in its first weeks: no plan fits (cards already studied are
    # reviewed differently in a shorter forecast: then the whole plan tells).
    probe = forecast(1, horizon=PROBE_DAYS)
    if probe.peak_minutes > budget and not pacing.studied:
        raise _over(probe, budget, within=PROBE_DAYS)
    tried: dict[int, Outlook] = {}
    if forecast(plan.to_pages, runs=1).peak_minutes > budget * HEAVY:
        # Far over the budget, most likely: the slowest plan first, so that each card's life is
        # drawn once, as long as any plan compared needs it (not again for each plan).
        tried[1] = forecast(1)
    asked = tried[plan.to_pages] = forecast(plan.to_pages)
    if asked.peak_minutes <= budget:
        return Shaped(asked, asked, budget)
    if 1 in tried and tried[1].peak_minutes > budget:
        raise _over(tried[1], budget)
    quick: dict[int, bool] = {}

    def fits_quick(cap: int) -> bool:
        if cap not in quick:
            quick[cap] = forecast(cap, runs=SEARCH_RUNS).peak_minutes <= budget
        return quick[cap]

    # Bisect for the most pages a day that fit (at least low, fewer than high), first trying
    # where the load, about in proportion to the pages a day, would meet the budget.
    low, high = 1, plan.to_pages
    middle = max(1, min(plan.to_pages - 1, int(plan.to_pages * budget / asked.peak_minutes)))
    while high - low > 1:
        low, high = (middle, high) if fits_quick(middle) else (low, middle)
        middle = (low + high) // 2

    def fits(cap: int) -> bool:
        if cap not in tried:
            tried[cap] = forecast(cap)
        return tried[cap].peak_minutes <= budget

    cap = low
    while not fits(cap):
        if cap == 1:
            raise _over(tried[1], budget)
        cap -= 1
    while cap + 1 < plan.to_pages and fits(cap + 1):
        cap += 1
    return Shaped(asked, tried[cap], budget)


def _over(view: Outlook, budget: float, *, within: int | None = None) -> ConfigError:
    """Even a page a day is over the budget: at the peak of its forecast, or (`within`: only
    so many days forecast) already in its first days."""
    when = f"in its first {within} days" if within is not None else "at its peak"
    return ConfigError(
        f"even 1 page a day is forecast to cost {view.peak_minutes:.0f} minutes of Anki a day "
        f"{when}, on {view.load.day(view.load.peak).isoformat()}, above the budget of "
        f"{budget:g}: raise the budget, or study fewer cards per page",
        option=("review_budget", "cards_per_page"),
    )
