"""What a note shows, as plain text: how a card is recognised when its question is reworded, and
how a note read back from a package is compared with the cards of a build.

Both come from the rendered fields, so a card and the note a package holds for it read alike
whatever their markdown was. A cloze note's "question" is its text with each cloze hidden, and
its "answer" what the clozes hide: `The {{c1::mean}} is λ` and `The {{c1::mode}} is ⌊λ⌋` ask
the same question with different answers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from .model import CardKind

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_CLOZE = re.compile(r"\{\{c\d+::|\}\}")
HIDDEN = "[…]"


def plain(markup: str) -> str:
    """The words of some HTML: tags out, entities read, white space made single spaces."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def shown_texts(kind: CardKind, fields: Sequence[str]) -> tuple[str, str]:
    """(question, answer) of a note's fields, as plain text."""
    if kind is CardKind.CLOZE:
        return _hide_clozes(plain(fields[0]))
    return plain(fields[0]), plain(fields[1]) if len(fields) > 1 else ""


def _hide_clozes(text: str) -> tuple[str, str]:
    """A cloze note's text with its clozes hidden, and what they hide (hints left out)."""
    question: list[str] = []
    hidden: list[str] = []
    depth, position = 0, 0
    for found in _CLOZE.finditer(text):
        if found.group() == "}}" and depth == 0:
            continue  # TeX's own braces
        piece = text[position : found.start()]
        if depth == 0:
            question.append(piece)
        else:
            hidden.append(piece.split("::", 1)[0])
        if found.group() == "}}":
            depth -= 1
            if depth == 0:
                question.append(HIDDEN)
        else:
            depth += 1
        position = found.end()
    question.append(text[position:])
    return _SPACE.sub(" ", "".join(question)).strip(), " | ".join(h.strip() for h in hidden)
