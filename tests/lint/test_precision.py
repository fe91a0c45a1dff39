"""Each rule's precision and recall on the labelled cards of `labelled.md` (the README's table):
a rule ships on by default only when it is at least 90 % precise there."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ankify.lint import checks
from ankify.lint.cards import Card, read_cards
from ankify.lint.duplicates import near_duplicates
from ankify.lint.rules import RULE_IDS, RULES, Settings, rule
from ankify.lint.run import lint_cards, question_words

LABELLED = Path(__file__).with_name("labelled.md")
#: Cards written and labelled after the checks, measured once before any change (see the
#: file): measured with the labelled set, so that tuning on one shows on the other.
HELD_OUT = Path(__file__).with_name("held_out.md")
SETS = (LABELLED, HELD_OUT)
_EXPECT = re.compile(r"^<!-- expect: ([\w, -]+) -->$")
#: Every rule, on, at its default threshold.
EVERY_RULE = Settings(tuple((r, float(r.threshold or 0)) for r in RULES))


def expected(cards: tuple[Card, ...], path: Path) -> dict[int, set[str]]:
    """The rules each card (by line) is labelled with: an `expect:` comment's rules go to the
    first card that starts below it."""
    labels: dict[int, set[str]] = {card.span.line or 0: set() for card in cards}
    starts = sorted(labels)
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        found = _EXPECT.match(line)
        if found is None:
            continue
        following = next(start for start in starts if start > number)
        names = {name.strip() for name in found.group(1).split(",")}
        assert names <= set(RULE_IDS), f"line {number}: {names - set(RULE_IDS)}"
        labels[following] |= names
    return labels


def found(cards: tuple[Card, ...]) -> dict[int, set[str]]:
    """The rules lint finds on each card (by line), every rule on."""
    result: dict[int, set[str]] = {card.span.line or 0: set() for card in cards}
    for line, name, _ in lint_cards(cards, EVERY_RULE):
        result[line].add(name)
    threshold = float(rule("near-duplicate").threshold or 0)
    for later, _, _ in near_duplicates([question_words(card) for card in cards], threshold):
        result[cards[later].span.line or 0].add("near-duplicate")
    return result


def scores(paths: tuple[Path, ...] = SETS) -> dict[str, tuple[int, int, int]]:
    """(true positives, false positives, false negatives) per rule, over the sets."""
    counts: Counter[tuple[str, str]] = Counter()
    for path in paths:
        cards = read_cards(path)
        want, got = expected(cards, path), found(cards)
        for line, labels in want.items():
            for name in RULE_IDS:
                if name in got[line] and name in labels:
                    counts[name, "tp"] += 1
                elif name in got[line]:
                    counts[name, "fp"] += 1
                elif name in labels:
                    counts[name, "fn"] += 1
    return {name: (counts[name, "tp"], counts[name, "fp"], counts[name, "fn"]) for name in RULE_IDS}


def table(paths: tuple[Path, ...] = SETS) -> str:
    """The README's table: each rule's precision and recall on the labelled cards."""
    rows = ["| rule | on by default | labelled | found | precision | recall |", "| --- " * 6 + "|"]
    for name, (tp, fp, fn) in scores(paths).items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        on = "yes" if rule(name).on else "no"
        rows.append(f"| `{name}` | {on} | {tp + fn} | {tp + fp} | {precision:.0%} | {recall:.0%} |")
    return "\n".join(rows)


def test_every_rule_names_a_check_that_exists() -> None:
    for each in RULES:
        assert each.check is None or callable(getattr(checks, each.check, None)), each.id


def test_the_labelled_set_is_large_enough_and_labels_good_and_bad_cards() -> None:
    cards = read_cards(LABELLED)
    labels = expected(cards, LABELLED)
    assert len(cards) >= 100
    bad = sum(1 for names in labels.values() if names)
    assert 30 <= bad <= len(cards) - 30  # good cards and bad ones
    assert {name for names in labels.values() for name in names} == set(RULE_IDS)


def test_the_table_of_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints the README's table (`pytest -s tests/lint/test_precision.py`)."""
    with capsys.disabled():
        for title, paths in (("labelled", (LABELLED,)), ("held out", (HELD_OUT,)), ("all", SETS)):
            print(f"\n{title}:\n{table(paths)}")
    assert table().count("\n") == len(RULES) + 1


@pytest.mark.parametrize("name", [r.id for r in RULES if r.on])
def test_every_rule_on_by_default_is_at_least_90_percent_precise(name: str) -> None:
    tp, fp, fn = scores()[name]
    assert tp + fn >= 5, f"{name}: too few labelled cards to measure"
    assert tp / (tp + fp) >= 0.9, f"{name}: {tp} right, {fp} wrong\n{table()}"
    assert tp / (tp + fn) >= 0.5, f"{name}: finds {tp} of {tp + fn}\n{table()}"


def test_a_rule_off_by_default_is_under_90_percent_precise() -> None:
    for name, (tp, fp, _) in scores().items():
        if not rule(name).on:
            assert tp / (tp + fp) < 0.9, f"{name} is precise enough to be on\n{table()}"
