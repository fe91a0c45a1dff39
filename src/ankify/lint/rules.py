"""The card-writing rules, as data: one row per rule (id, check, message, fix, threshold,
whether it is on by default), and the project's `[lint]` settings read against it.

A rule ships on by default only when it measured at least 90 % precise on the labelled cards
of `tests/lint/labelled.md` (see the README's table).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import Config, key_span
from ..errors import ConfigError

if TYPE_CHECKING:
    from .cards import Card

#: A card and the rule's threshold -> None, or a few words saying what was found.
Check = Callable[["Card", float], "str | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One card-writing rule. `check` names its function in `checks.py` (imported only when a
    card is checked: a build whose sources are all in the cache reads no card); it is None for
    the rule that compares cards across the project (`near-duplicate`, see `duplicates.py`).
    `threshold` is what `[lint]` may set."""

    id: str
    check: str | None
    message: str
    fix: str
    threshold: float | None = None
    on: bool = True

    def run(self, card: Card, threshold: float) -> str | None:
        """The check on one card: None, or a few words saying what was found."""
        return self.function()(card, threshold)

    def function(self) -> Check:
        """The check's function (look it up once for many cards)."""
        from . import checks

        found: Check = getattr(checks, self.check or "")
        return found

    def says(self, found: str) -> str:
        """`message (what was found): fix`."""
        return f"{self.message} ({found}): {self.fix}" if found else f"{self.message}: {self.fix}"


#: Every rule, in the order findings and summaries list them.
RULES: tuple[Rule, ...] = (
    Rule(
        "yes-no",
        "yes_no",
        "the question is answered yes or no",
        "ask for what the answer explains instead (Why …? When …? What …?)",
    ),
    Rule(
        "long-answer",
        "long_answer",
        "the answer is long",
        "keep one fact per card: split it into several cards, or into clozes",
        threshold=30,
    ),
    Rule(
        "enumeration",
        "enumeration",
        "the answer is a list",
        "make one cloze per item, e.g. a paragraph with {{c1::…}}, {{c2::…}}, {{c3::…}}",
        threshold=3,
    ),
    Rule(
        "big-cloze",
        "big_cloze",
        "the cloze hides too much",
        "hide the few words that matter, or split it into several clozes",
        threshold=8,
    ),
    Rule(
        "give-away",
        "give_away",
        "the card shows its own answer",
        "reword it so that what it asks is not written on it",
        threshold=4,
    ),
    Rule(
        "dangling",
        "dangling",
        "the question leans on something the card does not show",
        "name what it refers to, or put the figure or formula on the card",
    ),
    Rule(
        "vague",
        "vague",
        "the question is vague",
        "ask one precise question (What is …? Why does …? How many …?)",
    ),
    Rule(
        "near-duplicate",
        None,
        "nearly the same question as",
        "reword one so that they ask different things, or delete one",
        threshold=0.8,
    ),
    Rule(
        "long-question",
        "long_question",
        "the question is long",
        "ask it in fewer words: context goes in the heading, or make it a cloze",
        threshold=40,
    ),
    Rule(
        "desk-card",
        "desk_card",
        "the answer is a derivation, to work out at a desk",
        "make it an exercise (E: … S: …) for the Pen and paper deck",
        threshold=3,
    ),
    Rule(
        "unstamped",
        "unstamped",
        "the card says something that changes with time, without a year",
        "say when (as of 2024 …), or ask about the paper's own claim",
        on=False,
    ),
)
RULE_IDS = tuple(rule.id for rule in RULES)
_BY_ID = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> Rule:
    return _BY_ID[rule_id]


@dataclass(frozen=True, slots=True)
class Settings:
    """The rules a project runs, each with its threshold, in the table's order."""

    rules: tuple[tuple[Rule, float], ...]

    @property
    def key(self) -> str:
        """The settings as text, the same in every process (for cache keys)."""
        return ",".join(f"{found.id}={value!r}" for found, value in self.rules)

    def threshold(self, rule_id: str) -> float | None:
        """The rule's threshold, or None when it is off."""
        return next((value for found, value in self.rules if found.id == rule_id), None)


def settings(config: Config) -> Settings:
    """The rules of `config`'s `[lint]` table (`long-answer = 40`, `unstamped = true`,
    `yes-no = false`); ConfigError at the line of a key no rule has, or a threshold given to
    a rule that takes none."""
    given = dict(config.lint)
    for key, value in config.lint:
        if key not in _BY_ID:
            raise ConfigError(
                f"unknown rule {key!r} in [lint]: {suggest(key)}", span=key_span(config.root, key)
            )
        if not isinstance(value, bool) and _BY_ID[key].threshold is None:
            raise ConfigError(
                f"[lint] {key} takes no threshold: write {key} = false to turn it off",
                span=key_span(config.root, key),
            )
    chosen: list[tuple[Rule, float]] = []
    for found in RULES:
        value = given.get(found.id, found.on)
        if value is False:
            continue
        threshold = found.threshold if value is True else value
        chosen.append((found, float(threshold or 0)))
    return Settings(tuple(chosen))


def suggest(name: str) -> str:
    """The fix for a rule's name that no rule has: the nearest name, or the list."""
    close = difflib.get_close_matches(name, RULE_IDS, n=1)
    return f"did you mean {close[0]!r}?" if close else f"the rules are {', '.join(RULE_IDS)}"


def default_settings(names: Sequence[str] = ()) -> Settings:
    """The rules on by default, and those of `names` too (for tests and benchmarks)."""
    return Settings(tuple((r, float(r.threshold or 0)) for r in RULES if r.on or r.id in names))
