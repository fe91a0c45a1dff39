"""Lint reads any note the build reads, and any text at all without a crash: a note that cannot
be cut into cards is the build's own error, at its line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ankify.errors import AnkifyError
from ankify.lint.cards import read_cards
from ankify.lint.rules import RULES, Settings
from ankify.lint.run import lint_cards, question_words

EVERY_RULE = Settings(tuple((r, float(r.threshold or 0)) for r in RULES))
PIECES = st.sampled_from(
    [
        "Q: ",
        "A: ",
        "E: ",
        "S: ",
        "Is it?",
        "Yes.",
        "\n",
        "\n\n",
        "# H\n",
        "---\n",
        "$x$",
        "$$\na \\\\ b\n$$",
        "\\begin{align}a &= b \\\\ c\\end{align}",
        "{{c1::",
        "}}",
        "==",
        "a, b and c",
        "- item\n",
        "1. one\n",
        "<!-- lint-ok: yes-no -->\n",
        "<!--",
        "-->",
        "```\n",
        "```sympy\n",
        "![f](f.png)",
        "Figure 3.2",
        "this",
        "Explain",
        "word ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_any_text_lints_or_is_the_builds_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("note") / "note.md"
    path.write_text(text, encoding="utf-8")
    try:
        cards = read_cards(path)
    except AnkifyError as error:
        assert error.span is not None and error.span.path == path
        return
    for line, _, _ in lint_cards(cards, EVERY_RULE):
        assert 1 <= line <= text.count("\n") + 1
    for card in cards:
        question_words(card)
