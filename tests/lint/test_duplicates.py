"""Near-duplicate questions: the prefix filter finds exactly the pairs a comparison of every
pair finds, and template questions cost no comparison of every pair."""

from __future__ import annotations

import itertools
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ankify.lint.duplicates import near_duplicates

WORDS = st.sampled_from([f"w{n}" for n in range(12)])


def every_pair(sets: list[list[str]], threshold: float) -> dict[int, float]:
    """For each later set, its best similarity to an earlier one, at the threshold or above."""
    best: dict[int, float] = {}
    for earlier, later in itertools.combinations(range(len(sets)), 2):
        a, b = set(sets[earlier]), set(sets[later])
        if not a or not b:
            continue
        similarity = len(a & b) / len(a | b)
        if similarity >= threshold:
            best[later] = max(best.get(later, 0.0), similarity)
    return best


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(WORDS, max_size=10), max_size=30),
    st.sampled_from([0.4, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0]),
)
def test_the_prefix_filter_finds_what_every_pair_finds(
    sets: list[list[str]], threshold: float
) -> None:
    found = {later: value for later, _, value in near_duplicates(sets, threshold)}
    assert found.keys() == every_pair(sets, threshold).keys()
    for later, earlier, value in near_duplicates(sets, threshold):
        assert earlier < later
        assert value == every_pair(sets, threshold)[later]


def test_ten_thousand_template_questions_are_no_duplicates_and_cost_little() -> None:
    # The benchmark book's questions differ in their formula and case number only.
    sets = [
        ["what", "value", f"$x_{{{i}}}", "case", f"{i // 500}-{i % 500}"] for i in range(10_000)
    ]
    start = time.perf_counter()
    assert near_duplicates(sets, 0.8) == []
    assert time.perf_counter() - start < 2  # every pair would be 50 million comparisons


def test_identical_questions_name_the_first() -> None:
    sets = [["entropy", "what"], ["kl", "divergence"], ["what", "entropy"], ["entropy", "what"]]
    assert near_duplicates(sets, 0.8) == [(2, 0, 1.0), (3, 0, 1.0)]
