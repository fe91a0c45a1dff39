"""What lint reads of a note: the cards the build reads, at their lines, as written; and a
`lint-ok` comment, which silences a rule for one card and never shows on it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ankify.config import load_config
from ankify.lint.cards import read_cards
from ankify.lint.rules import default_settings
from ankify.lint.run import lint_cards
from ankify.lint.text import words
from ankify.model import CardKind
from ankify.sources.markdown import read_markdown

from ..conftest import Anki, Project

NOTE = """\
# Chapter 3

Q: What is the entropy of a fair coin? #info ^coin
A: One bit: $H = -\\sum_x p(x) \\log_2 p(x) = 1$.

The {{c1::entropy}} of a distribution is its expected information.

E: Derive the entropy of a fair coin.
S: Two outcomes of probability $\\frac12$:
$$H = -2 \\cdot \\tfrac12 \\log_2 \\tfrac12 = 1$$

```sympy
check: log(2, 2) == 1
```

Q: Which distribution has the most entropy on $[a, b]$?
A: The uniform one.

The {{c1::uniform}} distribution has the most entropy on an interval.

<!--
Q: A card commented out?
A: Is not read.
-->

```text
{{c1::code}} is no cloze
```
"""


def imported(project: Project, anki: Anki) -> list[Any]:
    """The notes of `notes/a.md`, built and imported into Anki."""
    (result,) = project.build("notes/a.md")
    assert result.output is not None
    anki.import_apkg(result.output)
    return list(anki.notes())


def test_lint_reads_the_cards_the_build_reads_at_their_lines(project: Project) -> None:
    path = project.write("notes/ch3.md", NOTE)
    cards = read_cards(path)
    assert [(card.kind, card.span.line) for card in cards] == [
        (CardKind.QUESTION, 3),
        (CardKind.CLOZE, 6),
        (CardKind.EXERCISE, 8),
        (CardKind.QUESTION, 16),
        (CardKind.CLOZE, 19),  # a cloze paragraph ends the answer above it
    ]
    first, _, exercise, fourth, _ = cards
    assert "#info" not in first.prompt and "^coin" not in first.prompt
    assert "check:" not in exercise.answer  # a sympy block shows on no card
    assert fourth.answer == "The uniform one."


def test_a_formula_is_one_word() -> None:
    assert len(words("One bit: \ue0000\ue001 and \ue0001\ue001.")) == 5
    assert words("The {{c1::entropy::a hint}} of ==a coin==") == (
        "The",
        "entropy",
        "of",
        "a",
        "coin",
    )


def test_lint_ok_silences_its_rules_for_the_card_above(project: Project) -> None:
    path = project.write(
        "notes/a.md",
        """\
        Q: Is the KL divergence symmetric?
        <!-- lint-ok: yes-no -->
        A: No.

        Q: Is matrix multiplication commutative?
        A: No.

        {{c1::The capacity of a model is its ability to fit a wide variety of functions}}.
        <!-- lint-ok=big-cloze, yesno -->
        """,
    )
    found = lint_cards(read_cards(path), default_settings())
    assert found == [
        (5, "yes-no", found[0][2]),
        (9, "lint-ok", "no rule is named 'yesno': did you mean 'yes-no'?"),
    ]


def test_a_lint_ok_comment_never_shows_on_the_card(project: Project, anki: Anki) -> None:
    project.write(
        "notes/a.md",
        """\
        Q: Is the KL divergence symmetric? #info
        <!-- lint-ok: yes-no -->
        A: No: $D(P \\| Q) \\neq D(Q \\| P)$ in general.

        The {{c1::KL divergence}} is not symmetric.
        <!-- lint-ok: give-away -->
        """,
    )
    notes = imported(project, anki)
    assert len(notes) == 2
    for note in notes:
        assert all("lint" not in field for field in note.fields)
        assert all("lint" not in tag for tag in note.tags)
    question = anki.note_by_field("Is the KL divergence symmetric?")
    assert question.tags == ["info"]


def test_lint_ok_among_the_tags_silences_its_rules_and_shows_nowhere(
    project: Project, anki: Anki
) -> None:
    path = project.write(
        "notes/a.md",
        """\
        Q: Is the KL divergence symmetric? #info #lint-ok=yes-no ^kl
        A: No.

        Q: Is matrix multiplication commutative? #lint-ok=yesno,long-answer
        A: No.

        The {{c1::capacity of a model is its ability to fit a wide variety of functions}}.
        Its {{c2::bias}} matters too. #lint-ok=big-cloze
        """,
    )
    found = lint_cards(read_cards(path), default_settings())
    assert found == [
        (4, "lint-ok", "no rule is named 'yesno': did you mean 'yes-no'?"),
        (4, "yes-no", found[1][2]),
    ]
    notes = imported(project, anki)
    assert len(notes) == 3
    for note in notes:
        assert all("lint" not in field for field in note.fields)
        assert all("lint" not in tag for tag in note.tags)
    assert anki.note_by_field("Is the KL divergence symmetric?").tags == ["info"]


UNREAD_NOTE = """\
- The {{c1::capacity}} of a model. #lint-ok=big-cloze

> The {{c1::bias}} of a model. #lint-ok=big-cloze

The {{c1::variance}} of a model. #lint-ok=big-cloze

Q: Is water wet? #lint-ok=yes-no, dangling #t3
A: Yes.

Q: Is water dry? #lint-ok=
A: No.

Q: Is six odd?#lint-ok=yes-no
A: No.

Q: Is nine odd?
A: Yes. #lint-ok=yes-no

Q: Is ten odd? #lint-ok
A: No.
"""


def test_a_lint_ok_tag_lint_does_not_read_is_a_finding_where_it_shows(
    project: Project, anki: Anki
) -> None:
    # Lint reads `#lint-ok=` only where the build takes it off the card; anywhere else (a
    # list item, a quote, an answer's line, written wrong, a plain tag) it says so.
    path = project.write("notes/a.md", UNREAD_NOTE)
    found = lint_cards(read_cards(path), default_settings())
    assert [line for line, rule, text in found if text.startswith("this #lint-ok")] == [
        1,
        3,
        10,
        13,
        17,
        19,
    ]
    assert not any(line == 7 for line, _, _ in found)  # `, ` between names is read
    shown = {  # the notes where a `#lint-ok` is still to be seen, by their first words
        " ".join(re.sub(r"<[^>]+>", " ", note.fields[0]).split()[:3])
        for note in imported(project, anki)
        if any("lint-ok" in field for field in note.fields) or "lint-ok" in note.tags
    }
    assert shown == {
        "The {{c1::capacity}} of",  # line 1
        "The {{c1::bias}} of",  # line 3
        "Is water dry?",  # line 10
        "Is six odd?#lint-ok=yes-no",  # line 13
        "Is nine odd?",  # line 17, its answer
        "Is ten odd?",  # line 19, a tag
    }
    assert anki.note_by_field("Is water wet?").tags == ["t3"]


def test_a_line_of_no_break_spaces_parts_no_paragraph(project: Project, anki: Anki) -> None:
    # For markdown a blank line holds spaces and tabs only: lint cuts paragraphs as it does.
    path = project.write("notes/a.md", "The {{c1::entropy}} of a coin.\n\u00a0\nMore words.\n")
    (cloze,) = read_cards(path)
    assert "More words." in cloze.prompt
    (note,) = imported(project, anki)
    assert "More words." in note.fields[0]


def test_a_lint_ok_finding_names_the_line_of_the_tail(project: Project) -> None:
    path = project.write(
        "notes/a.md",
        """\
        Intro line.
        <!-- lint-ok: yes-no -->
        The {{c1::KL divergence}} is not
        a distance. #lint-ok=bogus

        The {{c1::entropy}} is $$
        H
        $$ and more. #lint-ok=bogus2
        """,
    )
    found = lint_cards(read_cards(path), default_settings())
    assert [(line, text.split(":")[0]) for line, rule, text in found if rule == "lint-ok"] == [
        (4, "no rule is named 'bogus'"),
        (8, "no rule is named 'bogus2'"),
    ]


def test_a_formula_alone_is_a_question_worth_asking(project: Project) -> None:
    path = project.write(
        "notes/a.md",
        """\
        Q: $\\int_0^1 x^2 \\, dx$?
        A: $\\frac13$

        Q: Softmax?
        A: $\\mathrm{softmax}(x)_i = e^{x_i} / \\sum_j e^{x_j}$
        """,
    )
    found = lint_cards(read_cards(path), default_settings())
    assert [(line, rule) for line, rule, _ in found] == [(4, "vague")]


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "name",
    [
        "tests/lint/labelled.md",
        "tests/lint/held_out.md",
        "sources/chapter3.md",
        "tests/fixtures/syntax/clozes.md",
        "tests/fixtures/syntax/questions.md",
        "tests/fixtures/syntax/exercises.md",
        "tests/fixtures/legacy/ch02-linear-algebra.md",
    ],
)
def test_lint_reads_the_same_cards_as_the_build(name: str) -> None:
    path = ROOT / name
    drafts = read_markdown(path, load_config(path)).drafts
    cards = read_cards(path)
    assert [(c.kind, c.span.line) for c in cards] == [(d.kind, d.span.line) for d in drafts]
