"""The note syntax a draft is written in: the book's words escaped, and cards as lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from ..kinds import MARKER_LETTERS, SYNTAX
from ..model import CardKind
from ..sources.pdf.drafts import read_popup
from ..sources.pdf.highlights import Highlight

#: The tag of the questions ankify guessed: look them over, then keep, edit or delete them.
REVIEW_TAG = "review"

#: Backslash-escaped in the book's text. Not `[` and `]`: ankify reads `\[`…`\]` as a
#: formula, so a `[` becomes an entity, a `]` stays bare, and a backslash before one becomes an
#: entity.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}<>#^=$!|~&]")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
#: What would start a card part at the start of a line (`Q:`, `Q :`, `Q:What`).
_MARKER_START = re.compile(rf"^([{''.join(sorted(MARKER_LETTERS))}])([ \t]*):")
_ID_UNSAFE = re.compile(r"[^\w.-]")


def escape_markdown(text: str, *, line_start: bool = False, in_cloze: bool = False) -> str:
    """The book's words as markdown that reads back as exactly those words, on one line.

    Every character ankify's note syntax gives a meaning (emphasis, math, clozes, tags, ids,
    HTML, links) is backslash-escaped; at the start of a line, so is what would open a list
    or a card part (`Q:`). Inside a cloze, `:` is escaped too (`::` starts a hint).
    """
    text = re.sub(r"\s+", " ", text)  # one line; a space at either end stays
    if line_start:
        text = text.lstrip(" ")
    text = _MARKDOWN_SPECIAL.sub(
        lambda m: "&#92;" if text[m.start() : m.end() + 1] == "\\]" else "\\" + m.group(0),
        text,
    ).replace("[", "&#91;")
    if in_cloze:
        text = text.replace(":", "\\:")
    if line_start:
        if text[:1] in ("-", "+"):
            text = "\\" + text
        text = _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)
        text = _MARKER_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\:", text)
    return text


def heading_lines(level: int, title: str) -> list[str]:
    return [f"{'#' * min(max(level, 1), 6)} {escape_markdown(title)}"]


def _tail(tags: Iterable[str], ident: str | None) -> str:
    tail = "".join(f" #{tag}" for tag in tags)
    return tail + (f" ^{ident}" if ident else "")


class Cards:
    """Card lines in note syntax; the same card twice gets an ^id so both still build."""

    def __init__(self) -> None:
        self.seen: Counter[tuple[CardKind, str]] = Counter()
        self.terms: set[str] = set()  # the defined terms already asked about

    def unique(self, kind: CardKind, key: str, page: str) -> str | None:
        self.seen[kind, key] += 1
        count = self.seen[kind, key]
        return f"p{_ID_UNSAFE.sub('-', page)}-{count}" if count > 1 else None

    def highlight(self, highlight: Highlight) -> list[str]:
        popup = read_popup(highlight)
        if popup.kind is CardKind.CLOZE:
            line = (
                escape_markdown(highlight.before, line_start=True)
                + "{{c1::"
                + escape_markdown(highlight.words, in_cloze=True)
                + "}}"
                + escape_markdown(highlight.after)
            )
            ident = popup.explicit_id or self.unique(CardKind.CLOZE, line, highlight.page)
            lines = [line + _tail(popup.tags, ident)]
            if popup.text:  # the learner's comment: shown here, not on the card
                lines += ["", *(f"> {part}".rstrip() for part in popup.text.split("\n"))]
            return lines
        first, _, rest = popup.text.partition("\n")
        syntax = SYNTAX[popup.kind]
        ident = popup.explicit_id or self.unique(popup.kind, popup.text, highlight.page)
        lines = [f"{syntax.prompt_letter}: {first}{_tail(popup.tags, ident)}"]
        lines += rest.split("\n") if rest else []
        words = escape_markdown(highlight.words, line_start=True)
        lines.append(f"{syntax.answer_letter}: {words}")
        return lines

    def question(
        self, question: str, answer: str, page: str, extra: Sequence[str] = ()
    ) -> list[str]:
        ident = self.unique(CardKind.QUESTION, question, page)
        syntax = SYNTAX[CardKind.QUESTION]
        return [
            f"{syntax.prompt_letter}: {question}{_tail([REVIEW_TAG], ident)}",
            *extra,
            f"{syntax.answer_letter}: {escape_markdown(answer, line_start=True)}",
        ]
