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

from .glyphs import Box, Glyph, Row, page_glyphs, page_rows, reading_order

__all__ = ["Box", "Word", "flow", "read_layout"]

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


def _is_furniture(row: Row, rows: Sequence[Row], height: float, body: float) -> bool:
    """A running header or a page number: the top or bottom row of the page, alone in a band
    of the margin, and either a bare number or set apart from the body text by its type."""
    text = row.text
    if not text:
        return True
    top = rows[0] is row
    bottom = rows[-1] is row
    if not (top or bottom):
        return False
    in_margin = row.bottom < 0.15 * height if top else row.top > 0.8 * height
    if not in_margin:
        return False
    if re.fullmatch(r"[\divxlcdmIVXLCDM]+|[-\u2013\u2014 ]*\d+[-\u2013\u2014 ]*", text):
        return True
    sizes = [g.size for g in row.glyphs if not g.c.isspace()]
    smaller = statistics.median(sizes) < 0.92 * body if sizes else False
    slanted = all(g.italic or "slant" in g.font.lower() for g in row.glyphs if g.c.isalpha())
    capitals = text.upper() == text and any(c.isalpha() for c in text)
    return smaller or slanted or capitals


def read_layout(page: Any, index: int) -> tuple[list[Word], list[int], tuple[str, ...]]:
    """The words of a page in reading order, the positions where a new flow starts (a
    heading, a change of type size, a bulleted item, a caption), and the furniture set aside.

    Text inside a figure (its labels) is left out; captions come after the page's text, so a
    sentence that runs past a figure reads on.
    """
    rows = page_rows(page_glyphs(page))
    if not rows:
        return [], [], ()
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
        for area in figure_areas(page)
        if sum(1 for r in rows if len(r.text.split()) > 4 and _inside(r, area)) <= 1
    ]  # a cluster of rules and fraction bars around text is no figure
    furniture = []
    kept = []
    cells = _cells(rows, body)
    for row in by_top:
        if _is_furniture(row, by_top, float(rect.height), body):
            furniture.append(row.text)
        elif _label(row, by_top, body) or _beside(row, figures, body) or id(row) in cells:
            continue
        elif len(row.text.split()) > 4 or not any(_inside(row, area) for area in figures):
            kept.append(row)
    apart = {id(r) for r in by_top if _is_furniture(r, by_top, float(rect.height), body)}
    _clamp(kept, [r for r in by_top if len(r.text.split()) > 4 or id(r) in apart])
    ordered = reading_order(kept, float(rect.width))
    captions = _captions(ordered, body)
    text_rows = [r for r in ordered if id(r) not in captions]
    words: list[Word] = []
    breaks: list[int] = []
    previous: Row | None = None
    lettered: Row | None = None  # the last row with letters: a change of type size is seen there
    previous_kind = ""
    lines = [(row, _words(row, index)) for row in text_rows]
    lines += [(row, _words(row, index)) for row in ordered if id(row) in captions]
    stop = False  # a full stop in the formula set apart being read
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
        if (
            kind in ("heading", "item", "caption")
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
        if _text_size(row):
            lettered = row
    return words, breaks, tuple(furniture)


#: A caption's first row: `Figure 3.1:`, `Table 2.` (a sentence that starts a row with
#: "figure 3.5 for a demonstration" is none).
_CAPTION = re.compile(
    r"^(?:Figure|Fig\.|FIGURE|Table|TABLE|Algorithm)\s*[\dIVX]+(?:\.\d+)*[.:](?=\s|$)"
)
_EQUATION_NUMBER = re.compile(r"^\(\d+(?:\.\d+)*[a-z]?\)[.,]?$")


def _captions(rows: Sequence[Row], body: float) -> dict[int, bool]:
    """The rows of captions (by id): from a `Figure 3.1:` row to the last row set close
    below it; True for the row that starts one. A caption set smaller than the text goes on
    past a formula set apart in it, as long as its rows keep its type size."""
    found: dict[int, bool] = {}
    position = 0
    while position < len(rows):
        row = rows[position]
        if not _CAPTION.match(row.text):
            position += 1
            continue
        found[id(row)] = True
        size = _text_size(row)
        small = 0 < size < 0.95 * body
        last = row
        position += 1
        while position < len(rows):
            following = rows[position]
            step = following.baseline - last.baseline
            # By baselines: a superscript makes a row taller, not farther.
            level = abs(step) <= 0.25 * last.size and following.x0 > last.x1  # `(3.54)`
            close = level or 0 < step <= 1.8 * last.size
            if small and not close and 0 < step <= 3.5 * last.size:
                own = _text_size(following)
                close = own == 0 or abs(own - size) < 0.05 * size  # a formula, or its type
            if not close or _CAPTION.match(following.text):
                break
            found[id(following)] = False
            last = following
            position += 1
    return found


def figure_areas(page: Any) -> list[Box]:
    """Where the page's figures are: its images and its clusters of vector drawings larger
    than a line of text (rules and table lines are thin, so they are none)."""
    areas = []
    whole = page.rect.width * page.rect.height
    try:
        images = [tuple(info["bbox"]) for info in page.get_image_info()]
        paths = [
            path
            for path in page.get_drawings()
            if path["rect"].width > 2
            and path["rect"].height > 2
            and path["rect"].width * path["rect"].height < 0.5 * whole
        ]
        drawings = [tuple(r) for r in page.cluster_drawings(drawings=paths)] if paths else []
    except (RuntimeError, ValueError, AttributeError, TypeError):
        return []
    for x0, y0, x1, y1 in images + drawings:
        if x1 - x0 >= 40 and y1 - y0 >= 40 and (x1 - x0) * (y1 - y0) < 0.8 * whole:
            areas.append((float(x0), float(y0), float(x1), float(y1)))
    return areas


def _clamp(rows: Sequence[Row], lines: Sequence[Row]) -> None:
    """Glyph boxes kept off the lines of text above and below their row: a big operator's box
    (a sum in a formula set apart) reaches far past its ink, and the picture of the formula
    would take in the words above, the highlighted ones among them."""
    for row in rows:
        above = [
            r
            for r in lines
            if r.baseline < row.baseline - 0.5 * row.size and r.x0 < row.x1 and row.x0 < r.x1
        ]
        below = [
            r
            for r in lines
            if r.baseline > row.baseline + 0.5 * row.size and r.x0 < row.x1 and row.x0 < r.x1
        ]
        # Past the descenders above and the ascenders below, and the margin of the picture.
        top = max((r.baseline + 0.3 * r.size + 1.0 for r in above), default=float("-inf"))
        bottom = min((r.baseline - 0.85 * r.size - 1.5 for r in below), default=float("inf"))
        if top >= bottom:
            continue
        for position, glyph in enumerate(row.glyphs):
            x0, y0, x1, y1 = glyph.box
            if y0 < top < y1 or y0 < bottom < y1:
                box = (x0, max(y0, top), x1, min(y1, bottom))
                row.glyphs[position] = replace(glyph, box=box)


def _label(row: Row, rows: Sequence[Row], body: float) -> bool:
    """A label inside a figure the page draws (a node's letter, an axis's number): a row of
    at most three short words, far from any row that is not (a formula's numerator is near
    its formula)."""

    def short(r: Row) -> bool:
        words = r.text.split()
        return len(words) <= 3 and all(len(w) <= 4 for w in words)

    if not short(row):
        return False
    return all(abs(r.baseline - row.baseline) > 2.5 * body for r in rows if not short(r))


def _beside(row: Row, figures: Sequence[Box], body: float) -> bool:
    """A figure's label set just outside its drawing (an arrow's `x`, `identity`): a short row
    in smaller type than the text, within two lines of the figure."""
    words = row.text.split()
    sizes = [g.size for g in row.glyphs if not g.c.isspace()]
    if len(words) > 4 or not sizes or statistics.median(sizes) >= 0.95 * body:
        return False
    pad = 2 * body
    return any(
        row.x0 < area[2] + pad
        and row.x1 > area[0] - pad
        and row.top < area[3] + pad
        and row.bottom > area[1] - pad
        for area in figures
    )


def _cells(rows: Sequence[Row], body: float) -> set[int]:
    """The rows (by id) that are a table's cells: three or more lines in a row, each of two
    or more short rows on one baseline (a line of text has one row per column), one of them
    of three or more."""
    lines: dict[int, list[Row]] = {}
    for row in rows:
        if len(row.text.split()) <= 4:
            lines.setdefault(round(row.baseline / 2), []).append(row)
    candidates = sorted(
        (line for line in lines.values() if len(line) >= 2), key=lambda cells: cells[0].baseline
    )
    found: set[int] = set()
    run: list[list[Row]] = []
    for line in [*candidates, []]:
        if line and run and line[0].baseline - run[-1][0].baseline < 2.5 * body:
            run.append(line)
            continue
        if len(run) >= 3 and any(len(cells) >= 3 for cells in run):
            found |= {id(row) for cells in run for row in cells}
        run = [line] if line else []
    return found


def _inside(row: Row, area: Box) -> bool:
    x = (row.x0 + row.x1) / 2
    y = (row.top + row.bottom) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


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


def _text_size(row: Row) -> float:
    """The type size of a row's letters (0 for a row of math)."""
    sizes = [g.size for g in row.glyphs if g.c.isalpha() and not g.math]
    return statistics.median(sizes) if sizes else 0.0


def _size_change(previous: Row, row: Row) -> bool:
    a, b = _text_size(previous), _text_size(row)
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
