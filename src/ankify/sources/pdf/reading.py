"""A page's words in reading order: columns, then lines top to bottom, then left to right.

Words are cut where the glyphs of a row (see `glyphs.py`) leave a gap. What is not text to
read is set aside: lines repeated at the top or bottom of pages (running headers, page
numbers), rotated text (an arXiv stamp in the margin) and the labels inside figures. What a
sentence may not cross (a heading, a change of type size such as a footnote, a caption) starts
a new `flow`; captions come after the page's text, so a sentence runs on past a figure.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import apart
from .glyphs import Box, Glyph, Row, gutter_of, page_glyphs, page_rows, reading_order

__all__ = ["Box", "Layout", "Word", "flow", "read_layout"]

#: What a line ending in a hyphen may end with: the hyphen, a soft hyphen, a Unicode hyphen.
_HYPHENS = "-\u00ad\u2010"
_BULLETS = "\u2022\u25e6\u25aa\u25cf\u2023\u2043\u2219\u00b7"


@dataclass(frozen=True, slots=True)
class Word:
    """A word of the text and its box on each row it spans (two for a hyphenated word).

    `chars` holds the box of each character of `text`, so a highlight that stops inside a
    word can be cut at the character. Words of one `flow` may share a sentence.
    """

    text: str
    boxes: tuple[Box, ...]
    block: int  # the flow: no sentence crosses from one flow into another
    chars: tuple[Box, ...] = ()
    math: bool = False  # set in a math font, or holding glyphs without a faithful text
    index: int = 0  # physical page, 0-based
    ends: bool = False  # ends a sentence (a footnote mark after the stop is not the end)
    bold: bool = False
    italic: bool = False
    last: bool = False  # the last word of its row
    size: float = 0.0  # its type size
    caption: bool = False  # in a figure's caption (read after the page's text)


def _words(row: Row, index: int) -> list[Word]:
    """A row's words, left to right: cut at white space and at gaps wider than a fifth of
    the type size; a superscript after a full stop (a footnote mark) does not hide the end."""
    glyphs = row.ordered()
    words: list[Word] = []
    current: list[Glyph] = []

    def close() -> None:
        mark = all(g.c.isdigit() and not g.math and g.size < 0.85 * row.size for g in current)
        if current and not mark:  # a footnote's mark standing alone is no word
            words.append(_word(current, row, index))
        current.clear()

    for glyph in glyphs:
        if glyph.c.isspace():
            if not (glyph.math and current and current[-1].math):
                close()
            continue
        if current:
            gap = glyph.box[0] - current[-1].box[2]
            # A space squeezed out of a justified line leaves a narrower gap where the type
            # changes (`are` `conditionally` in bold).
            wide = 0.1 if glyph.font != current[-1].font else 0.2
            if gap > wide * min(glyph.size, current[-1].size) and not (
                glyph.math and current[-1].math
            ):
                close()
        current.append(glyph)
        if not words and len(current) == 1 and glyph.c in _BULLETS:
            close()  # a list's bullet, even in a math font, is a word of its own
    close()
    # A letter set in the text font inside a formula (the book's upright random variable in
    # P(x = x)) is part of the formula: it touches math on a side.
    for position, word in enumerate(words):
        if word.math or len(word.text) != 1 or not word.text.isalpha():
            continue
        box = word.boxes[0]
        for other in words[max(0, position - 1) : position + 2]:
            near = other.boxes[0]
            gap = max(near[0] - box[2], box[0] - near[2])
            if other.math and gap < 0.35 * row.size:
                words[position] = replace(word, math=True)
                break
    if words:
        words[-1] = replace(words[-1], last=True)
    return words


def _word(glyphs: Sequence[Glyph], row: Row, index: int) -> Word:
    if not any(g.math for g in glyphs) and any(g.c.isalpha() for g in glyphs):
        # A footnote's mark is no part of the text: `finite.¹`, `functions²,`, `³We`.
        marks = [g for g in glyphs if g.c.isdigit() and g.size < 0.85 * row.size]
        if marks and len(marks) < len(glyphs):
            glyphs = [g for g in glyphs if g not in marks]
    text = "".join(g.c for g in glyphs)
    core_text = text
    x0 = min(g.box[0] for g in glyphs)
    y0 = min(g.box[1] for g in glyphs)
    x1 = max(g.box[2] for g in glyphs)
    y1 = max(g.box[3] for g in glyphs)
    letters = [g for g in glyphs if g.c.isalnum()] or list(glyphs)
    return Word(
        text=text,
        boxes=((x0, y0, x1, y1),),
        block=0,
        chars=tuple(g.box for g in glyphs),
        math=any(g.math for g in glyphs),
        index=index,
        ends=ends_sentence(core_text),
        bold=all(g.bold for g in letters),
        italic=all(g.italic for g in letters),
        size=statistics.median(g.size for g in letters),
    )


_SENTENCE_END = re.compile(r"[.?!][\"'\u2019\u201d)\]]*$")
#: Words that end with a full stop but rarely end a sentence.
_ABBREVIATIONS = frozenset((
    "e.g.", "i.e.", "cf.", "etc.", "vs.", "al.", "fig.", "figs.", "eq.", "eqs.", "sec.", "ch.",
    "p.", "pp.", "resp.", "approx.", "no.", "dr.", "mr.", "mrs.", "ms.", "prof.", "viz.",
))  # fmt: skip


def ends_sentence(word: str) -> bool:
    return bool(_SENTENCE_END.search(word)) and word.lstrip("([").casefold() not in _ABBREVIATIONS


@dataclass(frozen=True, slots=True)
class Layout:
    """A page as read: its words in reading order, the positions where a new flow starts (a
    heading, a change of type size, a bulleted item, a caption), the furniture set aside, and
    the gutter between its columns (None for one column)."""

    words: list[Word]
    breaks: list[int]
    furniture: tuple[str, ...] = ()
    gutter: tuple[float, float] | None = None


def read_layout(page: Any, index: int) -> Layout:
    """The words of a page in reading order, the positions where a new flow starts (a
    heading, a change of type size, a bulleted item, a caption), and the furniture set aside.

    Text inside a figure (its labels) is left out; captions come after the page's text, so a
    sentence that runs past a figure reads on.
    """
    rows = page_rows(page_glyphs(page))
    if not rows:
        return Layout([], [])
    sizes: Counter[float] = Counter()
    for row in rows:
        for glyph in row.glyphs:
            if not glyph.c.isspace():
                sizes[round(glyph.size, 1)] += 1
    # The body's size: a print may scale each row a little (12.75, 12.88, 13.01), so sizes
    # within 3 % count as one.
    body = max(sizes, key=lambda s: sum(n for t, n in sizes.items() if abs(t - s) <= 0.03 * s))
    rect = page.rect
    by_top = sorted(rows, key=lambda r: r.top)
    figures = [
        area
        for area in apart.figure_areas(page)
        if sum(1 for r in rows if len(r.text.split()) > 4 and apart.inside(r, area)) <= 1
    ]  # a cluster of rules and fraction bars around text is no figure
    furniture = []
    kept = []
    cells = apart.cells(rows, body)
    for row in by_top:
        if apart.furniture(row, by_top, float(rect.height), body):
            furniture.append(row.text)
        elif apart.label(row, by_top, body) or apart.beside(row, figures, body) or id(row) in cells:
            continue
        elif len(row.text.split()) > 4 or not any(apart.inside(row, area) for area in figures):
            kept.append(row)
    margins = {id(r) for r in by_top if apart.furniture(r, by_top, float(rect.height), body)}
    apart.clamp(kept, [r for r in by_top if len(r.text.split()) > 4 or id(r) in margins])
    gutter = gutter_of(kept, float(rect.width))
    ordered = reading_order(kept, gutter)
    captions = apart.captions(ordered, body)
    text_rows = [r for r in ordered if id(r) not in captions]
    words: list[Word] = []
    breaks: list[int] = []
    previous: Row | None = None
    lettered: Row | None = None  # the last row with letters: a change of type size is seen there
    previous_kind = ""
    lines = [(row, _words(row, index)) for row in text_rows]
    lines += [(row, _words(row, index)) for row in ordered if id(row) in captions]
    stop = False  # a full stop in the formula set apart being read
    indent: float | None = None  # where the text of the list's item being read starts
    for position, (row, row_words) in enumerate(lines):
        if not row_words:
            continue
        if captions.get(id(row)):
            kind = "caption"
        else:
            open_sentence = previous_kind == "body" and bool(words) and not words[-1].ends
            kind = _kind(row, row_words, body, after=previous_kind, inside=open_sentence)
        if id(row) in captions:
            row_words = [replace(w, caption=True) for w in row_words]
        if kind == "item" and len(row_words) > 1 and all(c in _BULLETS for c in row_words[0].text):
            row_words = row_words[1:]  # the bullet is no word of the item
        # An item goes on over the rows set in line with its text; one set further out
        # starts a paragraph again.
        outdented = indent is not None and kind != "item" and row.x0 < indent - 2
        indent = row_words[0].boxes[0][0] if kind == "item" else None if outdented else indent
        if (
            outdented
            or kind in ("heading", "item", "caption")
            or previous_kind == "heading"
            or (
                lettered is not None
                and "display" not in (kind, previous_kind)
                and _size_change(lettered, row)
            )
            or (previous is not None and id(previous) not in captions and id(row) in captions)
        ):
            breaks.append(len(words))
        if kind == "display":
            next_row, next_words = next(
                ((r, ws) for r, ws in lines[position + 1 :] if ws), (None, None)
            )
            next_kind, opening = "", ""  # the next row's kind and first character
            if next_row is not None and next_words:
                next_kind = _kind(next_row, next_words, body, after="display")
                opening = next_words[0].text[:1]
            ended = next_kind != "display" and opening.isupper()
            # Its equation number is no part of the sentence, and a full stop in it ends the
            # sentence only on its last row (a fraction's numerator comes first).
            more = next_kind == "display"
            row_words = [w for w in row_words if not _EQUATION_NUMBER.match(w.text)]
            stop = stop or any(w.ends for w in row_words)
            row_words = [replace(w, math=True, ends=False) for w in row_words]
            if not more:
                # The sentence ended with it: what follows starts one, or its full stop is
                # followed by nothing on this page (not by `also denoted H(P).`).
                lower = opening.islower()
                if (ended or (stop and not lower)) and (row_words or words):
                    if row_words:
                        row_words[-1] = replace(row_words[-1], ends=True)
                    else:
                        words[-1] = replace(words[-1], ends=True)
                stop = False
        words += row_words
        previous, previous_kind = row, kind
        if apart.text_size(row):
            lettered = row
    return Layout(words, breaks, tuple(furniture), gutter)


_EQUATION_NUMBER = re.compile(r"^\(\d+(?:\.\d+)*[a-z]?\)[.,]?$")


def _kind(
    row: Row, words: Sequence[Word], body: float, *, after: str = "", inside: bool = False
) -> str:
    """What a row is: a heading, a bulleted item, a row of a formula set apart (`display`),
    or body text; `after` is the kind of the row before it, `inside` whether it comes inside
    a sentence (a row that starts with a bold term there is no heading)."""
    letters = [g for g in row.glyphs if g.c.isalpha() and not g.math]
    if letters and statistics.median(g.size for g in letters) >= 1.15 * body:
        return "heading"
    if re.fullmatch(r"\d+(?:\.\d+)+\.?|\d+\.", row.text) and (
        all(g.bold for g in row.glyphs if not g.c.isspace())
        or statistics.median(g.size for g in row.glyphs) >= 1.15 * body
    ):
        return "heading"  # a section's number, set apart from its title
    if after == "display" and len(row.text.replace(" ", "")) <= 3:
        return "display"  # the index under a sum: x
    numbered = re.match(r"^(?:\d+(?:\.\d+)*\.?|[A-Z]\.)$", words[0].text)
    if (
        letters
        and not inside
        and all(g.bold for g in letters)
        and not words[-1].ends
        and (numbered or len(words) <= 8)
    ):
        return "heading"
    if words[0].text[:1] in _BULLETS:
        return "item"
    if all(w.math or _EQUATION_NUMBER.match(w.text) for w in words):
        return "display"
    return "body"


def _size_change(previous: Row, row: Row) -> bool:
    a, b = apart.text_size(previous), apart.text_size(row)
    return bool(a and b and max(a, b) / min(a, b) > 1.12)


def flow(pages: Sequence[tuple[list[Word], list[int]]]) -> list[Word]:
    """The words of consecutive pages as one text: each page's breaks start a new flow, a
    page turn does not, and a word hyphenated at a row's end is joined with its rest.

    A page's captions wait until the sentence running over the page turn has ended, so it
    reads on from the text, not from a figure's caption."""
    words: list[Word] = []
    block = 0
    held: list[tuple[Word, bool]] = []  # the last page's captions, and where a flow starts
    for page_words, breaks in pages:
        stops = set(breaks)
        marked = [(word, position in stops) for position, word in enumerate(page_words)]
        text = [item for item in marked if not item[0].caption]
        captions = [item for item in marked if item[0].caption]
        cut = 0
        if held:  # the sentence running over the turn, then the captions held back
            while cut < len(text) and not text[cut][1]:
                cut += 1
                if text[cut - 1][0].ends:
                    break
            held[0] = (held[0][0], True)
            if cut < len(text):
                text[cut] = (text[cut][0], True)
        for word, starts in [*text[:cut], *held, *text[cut:]]:
            if starts and words:
                block += 1
            words.append(replace(word, block=block))
        held = captions
    for word, starts in held:
        if starts and words:
            block += 1
        words.append(replace(word, block=block))
    solid = {_letters(w.text) for w in words}
    return _join_hyphenated(words, solid)


def _letters(text: str) -> str:
    return text.strip(".,;:!?()[]{}\"'\u2018\u2019\u201c\u201d").casefold()


def _join_hyphenated(words: list[Word], solid: set[str]) -> list[Word]:
    """`distri-` + `bution` at a row's end is one word again. A real hyphen stays: before a
    capital (`Moore-` + `Penrose`), or where the text writes the compound with a hyphen
    elsewhere and never solid."""
    out: list[Word] = []
    position = 0
    while position < len(words):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else None
        if (
            following is None
            or not word.last
            or following.block != word.block
            or word.math
            or following.math
            or len(word.text) < 2
            or word.text[-1] not in _HYPHENS
            or not word.text[-2].isalpha()
        ):
            out.append(word)
            position += 1
            continue
        head = word.text[:-1]
        rest = re.match(r"[^\W\d_]+", following.text)
        tail = rest.group(0) if rest else ""
        keep = (
            not following.text[:1].islower()
            or word.text[-1] == "\u2010"
            or (_letters(head + tail) not in solid and _letters(f"{head}-{tail}") in solid)
        )
        hyphen = "-" if keep else ""
        out.append(
            replace(
                following,
                text=head + hyphen + following.text,
                boxes=word.boxes + following.boxes,
                chars=word.chars[: len(head) + len(hyphen)] + following.chars,
                index=word.index,
                bold=word.bold and following.bold,
                italic=word.italic and following.italic,
            )
        )
        position += 2
    return out
