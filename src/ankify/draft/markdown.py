"""The note syntax a draft is written in: the book's words escaped, and cards as lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..kinds import MARKER_LETTERS, SYNTAX
from ..model import CardKind
from ..sources.pdf.drafts import read_popup
from ..sources.pdf.highlights import Box, Highlight

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


#: The link to a region of a page of the PDF: physical page (0-based), box in points.
RegionLink = Callable[[int, Box], str]


class Cards:
    """Card lines in note syntax; the same card twice gets an ^id so both still build.

    A formula in a highlight's sentence is shown as a picture of its region of the page
    (through `region`), never as its text layer, which does not say what the page shows.
    """

    def __init__(self, region: RegionLink | None = None) -> None:
        self.seen: Counter[tuple[CardKind, str]] = Counter()
        self.terms: set[str] = set()  # the defined terms already asked about
        self.region = region

    def unique(self, kind: CardKind, key: str, page: str) -> str | None:
        self.seen[kind, key] += 1
        count = self.seen[kind, key]
        return f"p{_ID_UNSAFE.sub('-', page)}-{count}" if count > 1 else None

    def highlight(self, highlight: Highlight) -> list[str]:
        popup = read_popup(highlight)
        if not highlight.words:  # a mark on a figure: a question whose answer is its picture
            picture = self._part(highlight, 1)
            if not picture:
                return []  # read without the page's layout: nothing to show
            question = popup.text if popup.kind is not CardKind.CLOZE and popup.text else ""
            if not question:
                return self.question(
                    f"What does the marked figure on p. {highlight.page} show?",
                    "",
                    highlight.page,
                    answer_markdown=picture,
                )
            first, _, rest = question.partition("\n")
            syntax = SYNTAX[popup.kind]
            ident = popup.explicit_id or self.unique(popup.kind, question, highlight.page)
            lines = [f"{syntax.prompt_letter}: {first}{_tail(popup.tags, ident)}"]
            lines += rest.split("\n") if rest else []
            return [*lines, f"{syntax.answer_letter}: {picture}"]
        if popup.kind is CardKind.CLOZE:
            line = (
                self._part(highlight, 0, line_start=True)
                + "{{c1::"
                + self._part(highlight, 1, in_cloze=True)
                + "}}"
                + self._part(highlight, 2)
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
        words = self._part(highlight, 1, line_start=True)
        lines.append(f"{syntax.answer_letter}: {words}")
        return lines

    def _part(
        self, highlight: Highlight, part: int, *, line_start: bool = False, in_cloze: bool = False
    ) -> str:
        """A part of the highlight's sentence (0 before, 1 the words, 2 after) as markdown:
        the text escaped, each formula a picture of the page."""
        pieces: Sequence[Any] = getattr(highlight, "pieces", ())
        if not pieces or self.region is None:
            text = (highlight.before, highlight.words, highlight.after)[part]
            return escape_markdown(text, line_start=line_start, in_cloze=in_cloze)
        out = ""
        for piece in (p for p in pieces if p.part == part):
            if piece.region is None:
                start = line_start and not out
                out += escape_markdown(piece.text, line_start=start, in_cloze=in_cloze)
            else:
                alt = "formula" if piece.text else f"p. {highlight.page}"
                out += f"![{alt}]({self.region(piece.index, piece.region)})"
        return out

    def question(
        self,
        question: str,
        answer: str,
        page: str,
        extra: Sequence[str] = (),
        *,
        answer_markdown: str | None = None,
    ) -> list[str]:
        """A question to review; its answer is the book's text, or `answer_markdown`."""
        ident = self.unique(CardKind.QUESTION, question, page)
        syntax = SYNTAX[CardKind.QUESTION]
        if answer_markdown is None:
            answer_markdown = escape_markdown(answer, line_start=True)
        return [
            f"{syntax.prompt_letter}: {question}{_tail([REVIEW_TAG], ident)}",
            *extra,
            f"{syntax.answer_letter}: {answer_markdown}",
        ]
