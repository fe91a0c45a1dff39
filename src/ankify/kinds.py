"""How each kind of card is written: its parts, their marker letters, and their names.

One table that the parser, the messages, drafts and PDF popups all read, so every message
names a part with its article ("an answer", 'an "E:" line').
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import CardKind


@dataclass(frozen=True, slots=True)
class Noun:
    """A word for messages, with its indefinite article: `question.a` is "a question"."""

    word: str
    article: str = "a"

    def __str__(self) -> str:
        return self.word

    @property
    def a(self) -> str:
        return f"{self.article} {self.word}"


@dataclass(frozen=True, slots=True)
class CardSyntax:
    """How a kind of card is written: its parts, their marker letters, and their names.

    A cloze has no markers: it is a paragraph holding `{{c1::…}}` or `==…==`, and what its
    back shows is an "extra".
    """

    kind: CardKind
    prompt: Noun  # the part that asks: question, exercise, cloze
    answer: Noun  # the part that answers: answer, solution, extra
    prompt_letter: str | None = None  # Q, E
    answer_letter: str | None = None  # A, S

    @property
    def prompt_marker(self) -> Noun:
        """`"Q:"`, named with its article for messages (a "Q:" line, an "E:" line)."""
        return marker(self.prompt_letter)

    @property
    def answer_marker(self) -> Noun:
        return marker(self.answer_letter)


def marker(letter: str | None) -> Noun:
    """A marker letter as messages name it: `"Q:"`, with its article."""
    if letter is None:
        raise ValueError("a cloze has no marker")
    # Letters are read aloud: "an A", "an E", "an S", but "a Q".
    return Noun(f'"{letter}:"', "an" if letter in "AEFHILMNORSX" else "a")


#: One row per kind of card: the parser, the messages, drafts and PDF popups all read this table.
SYNTAX: dict[CardKind, CardSyntax] = {
    CardKind.QUESTION: CardSyntax(
        CardKind.QUESTION, Noun("question"), Noun("answer", "an"), "Q", "A"
    ),
    CardKind.EXERCISE: CardSyntax(
        CardKind.EXERCISE, Noun("exercise", "an"), Noun("solution"), "E", "S"
    ),
    CardKind.CLOZE: CardSyntax(CardKind.CLOZE, Noun("cloze"), Noun("extra", "an")),
}

#: The cards that open with a marker letter, by their letter (Q, E).
OPENERS: dict[str, CardSyntax] = {s.prompt_letter: s for s in SYNTAX.values() if s.prompt_letter}
#: Every marker letter, opening or answering: Q, A, E, S.
MARKER_LETTERS = frozenset(
    letter for s in SYNTAX.values() for letter in (s.prompt_letter, s.answer_letter) if letter
)
