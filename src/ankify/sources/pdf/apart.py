"""What on a page is not text to read, or must keep its distance from it: running headers
and page numbers, figures (their drawings, labels and captions), tables, and the room a
formula's picture may take."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .glyphs import Box, Row

__all__ = [
    "beside",
    "captions",
    "cells",
    "clamp",
    "figure_areas",
    "furniture",
    "inside",
    "label",
    "text_size",
]


def furniture(row: Row, rows: Sequence[Row], height: float, body: float) -> bool:
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


#: A caption's first row: `Figure 3.1:`, `Table 2.` (a sentence that starts a row with
#: "figure 3.5 for a demonstration" is none).
_CAPTION = re.compile(
    r"^(?:Figure|Fig\.|FIGURE|Table|TABLE|Algorithm)\s*[\dIVX]+(?:\.\d+)*[.:](?=\s|$)"
)


def captions(rows: Sequence[Row], body: float) -> dict[int, bool]:
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
        size = text_size(row)
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
                own = text_size(following)
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


def clamp(rows: Sequence[Row], lines: Sequence[Row]) -> None:
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
            if glyph.math and (y0 < top < y1 or y0 < bottom < y1):  # what pictures show
                box = (x0, max(y0, top), x1, min(y1, bottom))
                row.glyphs[position] = replace(glyph, box=box)


def label(row: Row, rows: Sequence[Row], body: float) -> bool:
    """A label inside a figure the page draws (a node's letter, an axis's number): a row of
    at most three short words, far from any row that is not (a formula's numerator is near
    its formula)."""

    def short(r: Row) -> bool:
        words = r.text.split()
        return len(words) <= 3 and all(len(w) <= 4 for w in words)

    if not short(row):
        return False
    return all(abs(r.baseline - row.baseline) > 2.5 * body for r in rows if not short(r))


def beside(row: Row, figures: Sequence[Box], body: float) -> bool:
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


def cells(rows: Sequence[Row], body: float) -> set[int]:
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


def inside(row: Row, area: Box) -> bool:
    x = (row.x0 + row.x1) / 2
    y = (row.top + row.bottom) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


def text_size(row: Row) -> float:
    """The type size of a row's letters (0 for a row of math)."""
    sizes = [g.size for g in row.glyphs if g.c.isalpha() and not g.math]
    return statistics.median(sizes) if sizes else 0.0
