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
            return self.papers[-1].date
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
) -> Outlook:
    """The schedule and its reading list laid out on reading days from `start` (the plan's
    start; `reading_list.lay_out`), and their forecast load to TAIL_DAYS after the last page."""
    first = start if start is not None else schedule.plan.start
    schedule, papers = lay_out(schedule, documents, since=first)
    if papers:
        last = papers[-1].date
    else:
        last = schedule.finish if schedule.days else first - timedelta(days=1)
    days = max((last - first).days, 0) + 1 + TAIL_DAYS
    cards = new_cards(schedule, papers, pacing, start=first, skip_pages=skip_pages)
    load = simulator.forecast(cards, start=first, days=days, studied=pacing.studied)
    return Outlook(schedule, papers, load)


def capped(plan: Plan, pages: int) -> Plan:
    """The plan with at most `pages` pages a day (its ramp ends there, rising more slowly)."""
    return dataclasses.replace(
        plan, to_pages=min(plan.to_pages, pages), from_pages=min(plan.from_pages, pages)
    )


def fit_budget(
    plan: Plan,
    book: Book | None,
    documents: tuple[Document, ...],
    pacing: Pacing,
    simulator: Simulator,
) -> Shaped:
    """The plan as asked and, when its forecast peak is above the budget, the plan with the
    most pages a day whose forecast peak is within it (the list's pace capped alike).

    ConfigError when even a page a day is over the budget.
    """
    budget = pacing.budget

    def forecast(cap: int) -> Outlook:
        shaped = capped(plan, cap)
        capped_documents = tuple(
            dataclasses.replace(d, pace=min(d.pace or plan.to_pages, cap)) for d in documents
        )
        check_plan(shaped)
        return outlook(make_schedule(shaped, book), capped_documents, pacing, simulator)

    asked = forecast(plan.to_pages)
    if asked.peak_minutes <= budget:
        return Shaped(asked, asked, budget)
    tried: dict[int, Outlook] = {plan.to_pages: asked}

    def fits(cap: int) -> bool:
        if cap not in tried:
            tried[cap] = forecast(cap)
        return tried[cap].peak_minutes <= budget

    # The load grows about in proportion to the pages a day: start near there, then step.
    cap = max(1, min(plan.to_pages - 1, int(plan.to_pages * budget / asked.peak_minutes)))
    while not fits(cap):
        if cap == 1:
            peak = tried[1].peak_minutes
            raise ConfigError(
                f"even 1 page a day is forecast to cost {peak:.0f} minutes of Anki a day at its "
                f"peak, above the budget of {budget:g}: raise the budget, or study fewer cards "
                "per page",
                option=("review_budget", "cards_per_page"),
            )
        cap -= 1
    while cap + 1 < plan.to_pages and fits(cap + 1):
        cap += 1
    return Shaped(asked, tried[cap], budget)
