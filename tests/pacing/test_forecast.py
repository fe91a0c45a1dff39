"""The forecast of the daily review load: FSRS-6 as fsrs-rs computes it, the load as fsrs-rs's
simulator forecasts it for a constant rate, the issue's numbers, pinned seeds."""

from __future__ import annotations

from datetime import date

import fsrs_rs_python as fsrs  # fsrs-rs's simulator: the independent check
import pytest

from ankify.pacing.books import load_book
from ankify.pacing.budget import Pacing, outlook
from ankify.pacing.forecast import Simulator, Studied
from ankify.pacing.memory import DEFAULT_PARAMETERS, Habits, Model
from ankify.pacing.plan import make_plan
from ankify.pacing.schedule import make_schedule

START = date(2026, 12, 1)


def test_the_default_parameters_are_fsrs_6s() -> None:
    theirs = tuple(fsrs.DEFAULT_PARAMETERS)
    assert theirs == pytest.approx(DEFAULT_PARAMETERS, abs=1e-6)
    config = fsrs.default_simulator_config()
    habits = Habits()
    assert config.first_rating_prob == pytest.approx(habits.first_rating, abs=1e-6)
    assert config.review_rating_prob == pytest.approx(habits.review_rating, abs=1e-6)
    for ours, theirs in zip(habits.costs, config.state_rating_costs, strict=True):
        assert theirs == pytest.approx(ours, abs=1e-4)
    for ours, theirs in zip(
        habits.learning_transitions, config.learning_step_transitions, strict=True
    ):
        assert theirs == pytest.approx(ours, abs=1e-6)


@pytest.mark.parametrize(
    ("stability", "difficulty", "elapsed", "retention"),
    [(5.0, 6.0, 7, 0.9), (0.5, 9.5, 1, 0.85), (120.0, 2.0, 90, 0.95), (3.0, 4.0, 30, 0.8)],
)
def test_the_formulas_are_those_of_fsrs_rs(
    stability: float, difficulty: float, elapsed: int, retention: float
) -> None:
    model = Model(retention=retention)
    theirs = fsrs.FSRS(list(model.parameters)).next_states(
        fsrs.MemoryState(stability, difficulty), retention, elapsed
    )
    r = model.recall(elapsed, stability)
    assert theirs.again.memory.stability == pytest.approx(
        model.after_failure(stability, r, difficulty), rel=1e-5
    )
    for rating, state in ((2, theirs.hard), (3, theirs.good), (4, theirs.easy)):
        assert state.memory.stability == pytest.approx(
            model.after_success(stability, r, difficulty, rating), rel=1e-5
        )
        assert state.memory.difficulty == pytest.approx(
            model.next_difficulty(difficulty, rating), rel=1e-5
        )
        assert model.interval(state.memory.stability) == max(1, round(state.interval))
    first = fsrs.FSRS(list(model.parameters)).next_states(None, retention, 0)
    assert first.good.memory.stability == pytest.approx(model.initial_stability(3), rel=1e-5)
    assert first.good.memory.difficulty == pytest.approx(model.initial_difficulty(3), rel=1e-5)


def _rust_minutes(per_day: int, learn_days: int, span: int, retention: float) -> list[float]:
    """fsrs-rs's simulator: `per_day` new cards a day for `learn_days` days, no daily limits,
    mean of 8 seeds, in minutes a day."""
    config = fsrs.default_simulator_config()
    config.deck_size = per_day * learn_days
    config.learn_span = span
    config.learn_limit = per_day
    config.max_cost_perday = 1e9
    runs = [
        fsrs.simulate(fsrs.DEFAULT_PARAMETERS, retention, config, seed).cost_per_day
        for seed in range(8)
    ]
    return [sum(run[i] for run in runs) / len(runs) / 60 for i in range(span)]


@pytest.mark.parametrize(
    ("per_day", "learn_days", "retention"), [(20, 60, 0.9), (45, 40, 0.9), (10, 90, 0.85)]
)
def test_the_forecast_agrees_with_fsrs_rs_for_a_constant_rate(
    per_day: int, learn_days: int, retention: float
) -> None:
    span = learn_days + 90
    theirs = _rust_minutes(per_day, learn_days, span, retention)
    simulator = Simulator(Model(retention=retention), Habits(), seed=3)
    ours = simulator.forecast({i: per_day for i in range(learn_days)}, start=START, days=span)
    mean_theirs = sum(theirs) / span
    mean_ours = sum(ours.total_minutes) / span
    assert abs(mean_ours - mean_theirs) <= 0.1 * mean_theirs
    # Over time too, a fortnight at a time (8 runs are noisy day by day).
    for fortnight in range(span // 14):
        days = slice(14 * fortnight, 14 * fortnight + 14)
        a, b = sum(ours.total_minutes[days]) / 14, sum(theirs[days]) / 14
        assert abs(a - b) <= 0.1 * max(theirs)


def _book_outlook(cards_per_page: float, seed: int = 0) -> tuple[float, float]:
    schedule = make_schedule(make_plan(pages=None, start=START, book=load_book("dlbook")))
    view = outlook(schedule, (), Pacing(cards_per_page), Simulator(Model(), Habits(), seed=seed))
    load = view.load
    return load.review_minutes[load.review_peak], load.total_minutes[load.peak]


@pytest.mark.parametrize(
    ("cards_per_page", "reviews", "total"), [(1, 20, 30), (2, 41, 60), (3, 61, 89)]
)
def test_the_issues_numbers(cards_per_page: float, reviews: float, total: float) -> None:
    """The 5 -> 15 ramp over the book: about the peaks the issue measured (the peak of a mean of
    8 runs is a little high: the highest of noisy days)."""
    review_peak, total_peak = _book_outlook(cards_per_page)
    assert review_peak == pytest.approx(reviews, rel=0.15)
    assert total_peak == pytest.approx(total, rel=0.15)


def test_a_seed_gives_one_forecast() -> None:
    cards = {0: 30, 1: 30, 2: 25, 5: 40}
    one = Simulator(Model(), Habits(), seed=7).forecast(cards, start=START, days=60)
    again = Simulator(Model(), Habits(), seed=7).forecast(cards, start=START, days=60)
    other = Simulator(Model(), Habits(), seed=8).forecast(cards, start=START, days=60)
    assert one == again
    assert one.total_minutes != other.total_minutes
    # A longer forecast is the same on the days both cover (a card's life has its own seed).
    longer = Simulator(Model(), Habits(), seed=7).forecast(cards, start=START, days=200)
    assert longer.total_minutes[:60] == pytest.approx(one.total_minutes)
    assert one.new_cards[:6] == (30, 30, 25, 0, 0, 40)
    assert one.review_minutes[0] == 0  # nothing learned before the first day
    assert all(p >= 0 for p in one.total_p90)


def test_cards_learned_before_the_forecast_and_cards_studied_are_reviewed() -> None:
    simulator = Simulator(Model(), Habits(), seed=1)
    past = simulator.forecast({-3: 50}, start=START, days=30)
    assert past.new_cards == (0,) * 30
    assert sum(past.reviews) > 0 and past.total_minutes == past.review_minutes
    studied = (Studied(10.0, 5.0, last_review=-10, due=0),) * 40
    load = simulator.forecast({}, start=START, days=30, studied=studied)
    assert load.reviews[0] == 40  # all due on the first day
    assert sum(load.reviews[1:]) >= 40 * 0.05  # and reviewed again later (those forgotten soon)
    # A plan starting later: reviews due before its first day happen then, out of the forecast.
    later = (Studied(100.0, 5.0, last_review=-105, due=-5),) * 40
    load = simulator.forecast({}, start=START, days=30, studied=later)
    assert load.reviews[0] < 5  # not all 40 piled on the first day
    assert sum(load.reviews) < 40 * 0.5  # only those forgotten then come back within 30 days
