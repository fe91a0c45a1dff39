"""FSRS-6, the memory model Anki schedules with: how stability and difficulty change, when a card
is due, and how a learner answers and how long that takes (fsrs-rs's simulator defaults).

Pure functions of numbers: the formulas are those of fsrs-rs's simulator (`simulation.rs`),
written out here so that a forecast needs no extra package and runs in plain Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: FSRS-6's default parameters (fsrs-rs and py-fsrs 6).
DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.1542,
)
DEFAULT_RETENTION = 0.9
S_MIN, S_MAX = 0.001, 36500.0
D_MIN, D_MAX = 1.0, 10.0
MAX_INTERVAL = 36500
_MAX_STEPS = 5


@dataclass(frozen=True, slots=True)
class Habits:
    """How a learner answers and how long it takes: fsrs-rs's simulator defaults, or measured.

    Ratings are 1 (again) to 4 (easy). `costs` are seconds per answer in each state (learning,
    review, relearning) for each rating; `*_transitions[r - 1]` are the chances of each rating
    at the next step after rating r in (re)learning steps.
    """

    first_rating: tuple[float, float, float, float] = (0.24, 0.094, 0.495, 0.171)
    review_rating: tuple[float, float, float] = (0.224, 0.631, 0.145)  # hard, good, easy
    learning_transitions: tuple[tuple[float, float, float, float], ...] = (
        (0.3686, 0.0628, 0.5108, 0.0577),
        (0.0442, 0.4553, 0.4457, 0.0549),
        (0.0519, 0.047, 0.8462, 0.055),
    )
    relearning_transitions: tuple[tuple[float, float, float, float], ...] = (
        (0.2157, 0.0643, 0.6595, 0.0604),
        (0.05, 0.4638, 0.4475, 0.0387),
        (0.1057, 0.1434, 0.7266, 0.0244),
    )
    costs: tuple[tuple[float, float, float, float], ...] = (
        (19.58, 18.79, 13.78, 10.71),  # learning
        (19.38, 17.59, 12.38, 8.94),  # review
        (16.44, 15.25, 12.32, 8.03),  # relearning
    )
    learning_steps: int = 2
    relearning_steps: int = 1

    def scaled(self, *, review: float | None = None, learn: float | None = None) -> Habits:
        """These habits with review and learning seconds scaled so that a review (or the first
        answer to a new card) takes `review` (`learn`) seconds on average, as measured."""
        costs = list(self.costs)
        if learn is not None:
            first = sum(p * c for p, c in zip(self.first_rating, costs[0], strict=True))
            costs[0] = _times(costs[0], learn / first)
        if review is not None:
            mean = sum(p * c for p, c in zip(self.review_rating, costs[1][1:], strict=True))
            costs[1] = _times(costs[1], review / mean)
            costs[2] = _times(costs[2], review / mean)
        return Habits(
            self.first_rating,
            self.review_rating,
            self.learning_transitions,
            self.relearning_transitions,
            tuple(costs),
            self.learning_steps,
            self.relearning_steps,
        )


def _times(row: tuple[float, ...], factor: float) -> tuple[float, float, float, float]:
    a, b, c, d = (x * factor for x in row)
    return (a, b, c, d)


@dataclass(frozen=True, slots=True)
class Model:
    """FSRS-6 with a learner's parameters and desired retention."""

    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    retention: float = DEFAULT_RETENTION

    def __post_init__(self) -> None:
        if len(self.parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(f"FSRS-6 has {len(DEFAULT_PARAMETERS)} parameters")
        if not 0.7 <= self.retention <= 0.99:
            raise ValueError("desired retention is between 0.70 and 0.99")

    @property
    def decay(self) -> float:
        return -self.parameters[20]

    @property
    def factor(self) -> float:
        return float(0.9 ** (1.0 / self.decay) - 1.0)

    def interval(self, stability: float) -> int:
        """Days until the card is due: where recall falls to the desired retention."""
        w = self.parameters
        ivl = stability / self.factor * (float(self.retention ** (1.0 / -w[20])) - 1.0)
        return min(max(round(ivl), 1), MAX_INTERVAL)

    def recall(self, elapsed: float, stability: float) -> float:
        """The chance of recalling a card `elapsed` days after its last review."""
        return float((1.0 + self.factor * elapsed / stability) ** self.decay)

    def initial_stability(self, rating: int) -> float:
        return self.parameters[rating - 1]

    def initial_difficulty(self, rating: int) -> float:
        w = self.parameters
        return w[4] - math.exp(w[5] * (rating - 1)) + 1.0

    def next_difficulty(self, d: float, rating: int) -> float:
        w = self.parameters
        new = d + (10.0 - d) / 9.0 * (-w[6] * (rating - 3))
        new = w[7] * self.initial_difficulty(4) + (1.0 - w[7]) * new
        return min(max(new, D_MIN), D_MAX)

    def after_success(self, s: float, r: float, d: float, rating: int) -> float:
        w = self.parameters
        hard = w[15] if rating == 2 else 1.0
        easy = w[16] if rating == 4 else 1.0
        grow = math.exp(w[8]) * (11.0 - d) * float(s ** -w[9]) * (math.exp((1.0 - r) * w[10]) - 1.0)
        return min(max(s * (grow * hard * easy + 1.0), S_MIN), S_MAX)

    def after_failure(self, s: float, r: float, d: float) -> float:
        w = self.parameters
        floor = s / math.exp(w[17] * w[18])
        new = (
            w[11]
            * float(d ** -w[12])
            * (float((s + 1.0) ** w[13]) - 1.0)
            * math.exp((1.0 - r) * w[14])
        )
        return min(max(min(new, floor), S_MIN), S_MAX)

    def short_term(self, s: float, rating: int) -> float:
        w = self.parameters
        grow = math.exp(w[17] * (rating - 3 + w[18])) * float(s ** -w[19])
        new = s * (max(grow, 1.0) if rating >= 3 else grow)
        return min(max(new, S_MIN), S_MAX)
