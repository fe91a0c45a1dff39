"""The daily review load a reading plan causes, forecast by simulating FSRS day by day.

Each new card is learned on the day its page is read: its first rating, learning steps and
every later review (recalled with the model's chance, rated with the learner's habits) are
drawn at random, each answer costing its seconds, as fsrs-rs's simulator does. Cards do not
wait for one another (no daily limits), so a card's life depends only on the day it is learned:
lives are drawn once per run and laid on the days their cards are learned. Several runs, each
from its own seed, give the mean load and its 90th percentile.

Pure: the seed comes in, nothing reads the clock or global random state.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .load import Load, summarise
from .memory import D_MAX, D_MIN, MAX_INTERVAL, S_MAX, S_MIN, Habits, Model

#: Runs averaged in a forecast (each from its own seed).
RUNS = 8


@dataclass(frozen=True, slots=True)
class Studied:
    """A card already in the learner's collection: its memory, last review and due day, as days
    from the forecast's first day (0; the past is negative)."""

    stability: float
    difficulty: float
    last_review: int
    due: int


# A card's life from the day it is learned: seconds to learn it, then (day, seconds) of each
# review, days counted from the learning day, up to the day it was followed to.
_Life = tuple[float, tuple[int, ...], tuple[float, ...], int]


class Simulator:
    """Draws card lives for a model and habits, and lays them on plans (keeping the lives it
    drew, so that plans compared with one another meet the same luck)."""

    __slots__ = (
        "_constants",
        "_habits",
        "_learning",
        "_lives",
        "_model",
        "_relearning",
        "_seed",
        "runs",
    )

    def __init__(self, model: Model, habits: Habits, *, seed: int = 0, runs: int = RUNS) -> None:
        if runs < 1:
            raise ValueError("at least one run")
        self._model = model
        self._habits = habits
        self._seed = seed
        self.runs = runs
        self._lives: list[list[_Life]] = [[] for _ in range(runs)]
        self._constants = _constants(model, habits)
        self._learning = _ShortTerm.of(
            model, habits.learning_transitions, habits.costs[0], habits.learning_steps
        )
        self._relearning = _ShortTerm.of(
            model, habits.relearning_transitions, habits.costs[2], habits.relearning_steps
        )

    def forecast(
        self,
        new_cards: Mapping[int, int],
        *,
        start: date,
        days: int,
        studied: Sequence[Studied] = (),
        runs: int | None = None,
    ) -> Load:
        """The load on `days` days from `start`, when `new_cards[i]` cards are learned on day i
        (days before the start are negative: those cards' reviews still fall in the forecast),
        averaged over the first `runs` runs (None: all of them; fewer are a quicker estimate)."""
        if days < 1:
            raise ValueError("forecast at least one day")
        runs = self.runs if runs is None else min(max(runs, 1), self.runs)
        order = sorted((i, n) for i, n in new_cards.items() if n > 0)
        total = sum(n for _, n in order)
        per_run_review: list[list[float]] = []
        per_run_learn: list[list[float]] = []
        per_run_count: list[list[int]] = []
        for run in range(runs):
            lives = self._draw(run, total)
            review = [0.0] * days
            learn = [0.0] * days
            count = [0] * days
            card = 0
            for offset, n in order:
                self._follow(run, card, n, days - offset)
                for life in lives[card : card + n]:
                    if 0 <= offset < days:
                        learn[offset] += life[0]
                    review_days = life[1]
                    skip = bisect_left(review_days, -offset) if offset < 0 else 0
                    stop = bisect_left(review_days, days - offset)
                    costs = life[2]
                    for j in range(skip, stop):
                        at = offset + review_days[j]
                        review[at] += costs[j]
                        count[at] += 1
                card += n
            if studied:
                rng = random.Random(f"{self._seed}/{run}/studied")
                for card_ in studied:
                    self._review_studied(card_, days, rng, review, count)
            per_run_review.append(review)
            per_run_learn.append(learn)
            per_run_count.append(count)
        cards = tuple(new_cards.get(i, 0) for i in range(days))
        return summarise(start, cards, per_run_review, per_run_learn, per_run_count)

    def _draw(self, run: int, n: int) -> list[_Life]:
        """The first `n` lives of a run (drawn on demand, as far as `_follow` needs them)."""
        lives = self._lives[run]
        while len(lives) < n:
            lives.append((0.0, (), (), -1))
        return lives

    def _follow(self, run: int, first: int, n: int, reach: int) -> None:
        """Follow lives `first` to `first + n` of a run up to day `reach` at least.

        Each life has a seed of its own, so it is the same however far it is followed (a
        shorter one is the start of a longer one) and whatever lives come before it: plans
        compared with one another meet the same luck.
        """
        lives = self._lives[run]
        rng = random.Random()
        base = (self._seed * 1_000 + run) * 10_000_000
        for index in range(first, first + n):
            if lives[index][3] < reach:
                rng.seed(base + index)
                # Room for the longer plans a budget search compares.
                lives[index] = self._life(rng, reach + reach // 4)

    def _life(self, rng: random.Random, reach: int) -> _Life:
        model, habits = self._model, self._habits
        rating = _pick(habits.first_rating, rng.random()) + 1
        s, d, learn = _steps(
            self._learning,
            model.initial_stability(rating),
            min(max(model.initial_difficulty(rating), D_MIN), D_MAX),
            rating,
            rng,
        )
        days: list[int] = []
        costs: list[float] = []
        self._reviews(s, d, 0, model.interval(s), reach, rng, days, costs)
        return learn, tuple(days), tuple(costs), reach

    def _reviews(
        self,
        s: float,
        d: float,
        last: int,
        due: int,
        until: int,
        rng: random.Random,
        days: list[int],
        costs: list[float],
    ) -> None:
        """Review a card (stability s, difficulty d, last reviewed on `last`) from `due` on until
        day `until`, appending each review's day and seconds.

        The hot loop of a forecast: `Model`'s formulas, written out with their constants.
        """
        model, habits = self._model, self._habits
        (to_interval, decay, factor, grow, w9, w10, bonus, keep, pull, step, hard, good) = (
            self._constants
        )
        review_costs = habits.costs[1]
        random_ = rng.random
        exp = math.exp
        while due < until:
            r = (1.0 + factor * (due - last) / s) ** decay
            if random_() < r:
                u = random_()
                rating = 1 if u < hard else 2 if u < good else 3  # hard, good, easy: 1 to 3
                cost = review_costs[rating]
                s *= grow * (11.0 - d) * s**-w9 * (exp((1.0 - r) * w10) - 1.0) * bonus[rating] + 1
                if s > S_MAX:
                    s = S_MAX
                d = keep * (d + (10.0 - d) * step[rating]) + pull
                if d < D_MIN:
                    d = D_MIN
                elif d > D_MAX:
                    d = D_MAX
            else:
                lapse = model.after_failure(s, r, d)
                s, d, relearn = _steps(
                    self._relearning, lapse, model.next_difficulty(d, 1), None, rng
                )
                cost = review_costs[0] + relearn
            days.append(due)
            costs.append(cost)
            last = due
            interval = round(s * to_interval)
            due += 1 if interval < 1 else interval if interval < MAX_INTERVAL else MAX_INTERVAL

    def _review_studied(
        self,
        card: Studied,
        days: int,
        rng: random.Random,
        review: list[float],
        count: list[int],
    ) -> None:
        """Review a studied card from its due day on; reviews due before the forecast's first day
        (a plan starting later) happen then, unseen."""
        when: list[int] = []
        costs: list[float] = []
        self._reviews(
            card.stability, card.difficulty, card.last_review, card.due, days, rng, when, costs
        )
        for at, cost in zip(when, costs, strict=True):
            if at >= 0:
                review[at] += cost
                count[at] += 1


def _constants(model: Model, habits: Habits) -> tuple[Any, ...]:
    """The constants of the review loop (`Simulator._reviews`), computed once."""
    w = model.parameters
    decay, factor = model.decay, model.factor
    to_interval = (float(model.retention ** (1.0 / decay)) - 1.0) / factor
    bonus = (1.0, w[15], 1.0, w[16])  # by rating - 1: hard penalty, easy bonus
    # Difficulty after rating r is `keep * (d + (10 - d) * step[r - 1]) + pull`.
    keep, pull = 1.0 - w[7], w[7] * model.initial_difficulty(4)
    step = tuple(-w[6] * (r - 3) / 9.0 for r in range(1, 5))
    hard, good, easy = habits.review_rating
    total = hard + good + easy
    return (
        to_interval,
        decay,
        factor,
        math.exp(w[8]),
        w[9],
        w[10],
        bonus,
        keep,
        pull,
        step,
        hard / total,
        (hard + good) / total,
    )


def _pick(weights: Sequence[float], u: float) -> int:
    """The index chosen by `u` in [0, 1) among `weights` (which need not sum to 1)."""
    u *= sum(weights)
    for i, w in enumerate(weights):
        u -= w
        if u < 0:
            return i
    return len(weights) - 1


@dataclass(frozen=True, slots=True)
class _ShortTerm:
    """The constants of (re)learning steps: where each rating leads (cumulative chances after
    ratings 1 to 3), the seconds of each rating, stability's growth by rating, the step count."""

    after: tuple[tuple[float, float, float], ...]
    costs: tuple[float, ...]
    growth: tuple[float, float, float, float]
    w19: float
    keep: float
    pull: float
    step: tuple[float, ...]
    count: int

    @classmethod
    def of(
        cls,
        model: Model,
        transitions: tuple[tuple[float, float, float, float], ...],
        costs: tuple[float, ...],
        count: int,
    ) -> _ShortTerm:
        w = model.parameters
        after = []
        for row in transitions:
            total = sum(row)
            after.append(
                (row[0] / total, (row[0] + row[1]) / total, (row[0] + row[1] + row[2]) / total)
            )
        return cls(
            tuple(after),
            costs,
            _four(math.exp(w[17] * (r - 3 + w[18])) for r in range(1, 5)),
            w[19],
            1.0 - w[7],
            w[7] * model.initial_difficulty(4),
            tuple(-w[6] * (r - 3) / 9.0 for r in range(1, 5)),
            count,
        )


def _four(values: Iterable[float]) -> tuple[float, float, float, float]:
    a, b, c, d = values
    return (a, b, c, d)


def _steps(
    short: _ShortTerm, s: float, d: float, rating: int | None, rng: random.Random
) -> tuple[float, float, float]:
    """(Re)learning steps on the day a card is learned or forgotten (fsrs-rs's
    `memory_state_short_term`, with `Model.short_term` and `Model.next_difficulty` written out):
    stability, difficulty and the seconds they take."""
    costs = short.costs
    consecutive = 0
    current = rating if rating is not None else 1
    cost = costs[current - 1] if rating is not None else 0.0
    most = short.count - 1 if current > 2 else short.count
    for _ in range(5):
        if consecutive >= most or current >= 4:
            break
        u = rng.random()
        first, second, third = short.after[current - 1]
        current = 1 if u < first else 2 if u < second else 3 if u < third else 4
        grown = s * short.growth[current - 1] * s**-short.w19
        s = max(grown, s) if current >= 3 else grown
        if s < S_MIN:
            s = S_MIN
        elif s > S_MAX:
            s = S_MAX
        d = short.keep * (d + (10.0 - d) * short.step[current - 1]) + short.pull
        if d < D_MIN:
            d = D_MIN
        elif d > D_MAX:
            d = D_MAX
        cost += costs[current - 1]
        if current > 2:
            consecutive += 1
        elif current == 1:
            consecutive = 0
    return s, d, cost
