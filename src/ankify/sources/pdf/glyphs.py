"""A page's glyphs gathered into rows, and the rows into reading order.

PDFs store text in whatever order their maker wrote it: a browser's print starts new blocks in
the middle of paragraphs and stores bold words after the rest of their line; LaTeX stores
subscripts apart from their symbol. So nothing here trusts the PDF's blocks: glyphs are
gathered into rows by their baseline (a subscript or a piece of math joins the row it hangs
from), and rows into columns by the gutter between them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import pymupdf

Box = tuple[float, float, float, float]

#: Fonts whose glyphs are math symbols (TeX's math fonts, MathJax's, Symbol): their text
#: layer does not say what the page shows ("P( ) :" for P(x = x)), so such words are shown as
#: a picture of the page instead.
_MATH_FONT = re.compile(
    r"^(?:[A-Z]{6}\+)?(?:CMMIB?|CMBSY|CMSY|CMEX|MSBM|MSAM|EUFM|EUSM|EUEX|RSFS|STMARY|LASY|"
    r"WASY|MathJax|MTMI|MTSY|MTEX|RMTMI|TXMI|TXSY|TXEX|PXMI|PXSY|PXEX|Symbol|STIXMath|"
    r"CambriaMath|XITSMath|LatinModernMath|NewCMMath)|math",
    re.IGNORECASE,
)
#: TeX's text fonts, which math also sets digits, brackets and bold vectors in: math only when
#: the body text is in another font (a browser's print of the book, a paper set in Times).
_TEX_TEXT = re.compile(
    r"^(?:[A-Z]{6}\+)?(?:CMR|CMBX|CMTI|CMSL|CMSS|CMTT|SFRM|LMRoman)\d", re.IGNORECASE
)


def tex_text_font(font: str) -> bool:
    """Whether `font` is one of TeX's text fonts (CMR10, CMBX12, …)."""
    return bool(_TEX_TEXT.match(font))


def math_font(font: str, *, tex_is_math: bool) -> bool:
    """Whether glyphs in `font` are math; TeX's text fonts count when `tex_is_math` (the page's
    body text is set in another font)."""
    return bool(_MATH_FONT.search(font)) or (tex_is_math and tex_text_font(font))


def unfaithful(text: str) -> bool:
    """Whether `text` holds characters that do not show what the page shows: the replacement
    character, controls, private-use glyphs of fonts without a Unicode map."""
    return bool(_UNFAITHFUL.search(text))


_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}  # fmt: skip
#: What a line ending in a hyphen may end with: the hyphen, a soft hyphen, a Unicode hyphen.
#: Characters that do not show what the page shows: the replacement character, controls and
#: private-use glyphs of fonts without a Unicode map.
_UNFAITHFUL = re.compile(r"[\ufffd\x00-\x08\x0e-\x1f\ue000-\uf8ff]")


@dataclass(frozen=True, slots=True)
class Glyph:
    c: str
    box: Box
    size: float
    baseline: float
    font: str
    bold: bool
    italic: bool
    math: bool
    run: int  # the span of the PDF it was written in: its glyphs keep their order


@dataclass(slots=True)
class Row:
    glyphs: list[Glyph] = field(default_factory=list)
    baseline: float = 0.0
    size: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    written: str | None = field(default=None, repr=False, compare=False)  # `text`, once read

    def add(self, glyph: Glyph) -> None:
        self.written = None
        if not self.glyphs:
            self.baseline, self.size = glyph.baseline, glyph.size
            self.x0, self.top, self.x1, self.bottom = glyph.box
        self.glyphs.append(glyph)
        self.x0, self.x1 = min(self.x0, glyph.box[0]), max(self.x1, glyph.box[2])
        if not glyph.c.isspace():  # a space's box may be taller than its row
            self.top, self.bottom = min(self.top, glyph.box[1]), max(self.bottom, glyph.box[3])

    def merge(self, other: Row) -> None:
        for glyph in other.glyphs:
            self.add(glyph)

    def ordered(self) -> list[Glyph]:
        """The glyphs left to right, a span at a time (each span in the PDF's own order)."""
        runs: dict[int, list[Glyph]] = {}
        for glyph in self.glyphs:
            runs.setdefault(glyph.run, []).append(glyph)
        return [g for run in sorted(runs.values(), key=lambda r: r[0].box[0]) for g in run]

    @property
    def text(self) -> str:
        if self.written is None:
            self.written = "".join(g.c for g in self.ordered()).strip()
        return self.written


def page_glyphs(page: Any) -> list[Glyph]:
    """The horizontal glyphs of a page (rotated text, such as a margin stamp, is left out)."""
    module = pymupdf()
    data = page.get_text("rawdict", flags=module.TEXT_MEDIABOX_CLIP)
    glyphs: list[Glyph] = []
    fonts: Counter[str] = Counter()
    spans = []
    for block in data.get("blocks", ()):
        for line in block.get("lines", ()):
            direction = line.get("dir", (1.0, 0.0))
            if abs(direction[1]) > 0.05 or direction[0] < 0:
                continue
            for span in line.get("spans", ()):
                spans.append(span)
                fonts[str(span["font"])] += len(span.get("chars", ()))
    body_font = fonts.most_common(1)[0][0] if fonts else ""
    roman_is_math = not tex_text_font(body_font)
    for run, span in enumerate(spans):
        font = str(span["font"])
        lower = font.lower()
        math = math_font(font, tex_is_math=roman_is_math)
        bold = bool(span["flags"] & 16) or "bold" in lower or bool(re.search(r"cmbx|-bx", lower))
        italic = bool(span["flags"] & 2) or any(w in lower for w in ("italic", "oblique", "cmti"))
        size = float(span["size"])
        for char in span.get("chars", ()):
            text = str(char["c"])
            x0, y0, x1, y1 = (float(v) for v in char["bbox"])
            baseline = float(char["origin"][1])
            expanded = _LIGATURES.get(text, text)
            faithful = not unfaithful(text)
            width = (x1 - x0) / len(expanded) if expanded else 0.0
            for position, c in enumerate(expanded):
                box = (x0 + position * width, y0, x0 + (position + 1) * width, y1)
                glyphs.append(
                    Glyph(c, box, size, baseline, font, bold, italic, math or not faithful, run)
                )
    return glyphs


def page_rows(glyphs: Sequence[Glyph]) -> list[Row]:
    """Glyphs gathered into rows, a span of the PDF at a time: one baseline, no wide gap.
    Subscripts and superscripts, smaller and off the baseline, join the row whose height
    they overlap most."""
    if not glyphs:
        return []
    sizes: Counter[float] = Counter(round(g.size, 1) for g in glyphs if not g.c.isspace())
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    runs = _runs(glyphs)

    def hangs(run: Row) -> bool:  # a subscript, a superscript, a piece of math, a space
        return (
            run.size < 0.85 * body
            or all(g.math for g in run.glyphs)
            or all(g.c.isspace() for g in run.glyphs)
        )

    large = [r for r in runs if not hangs(r)]
    small = [r for r in runs if hangs(r)]
    rows = _cluster(large)
    # Inline math on a row's own baseline first: rows of one line that a formula split
    # (`We can find` | P(x) | `with the sum rule`) are one row again once its runs fill the gap,
    # so what hangs off the baseline (a fraction's denominator) finds the whole row.
    hanging = small
    while True:  # a row grows as formulas join it, and reaches the next piece
        rest = [run for run in hanging if not _attach(run, rows, level_only=True)]
        rows = _cluster(rows)
        if len(rest) == len(hanging):
            break
        hanging = rest
    leftovers = [run for run in hanging if not _attach(run, rows, level_only=False)]
    # What hangs from a row set apart in small type (a footnote's mark before its first
    # word) joins it.
    apart = _cluster(leftovers)
    lines = [row for row in apart if len(row.glyphs) > 3]
    marks = [row for row in apart if len(row.glyphs) <= 3]
    marks = [row for row in marks if not _attach(row, lines, level_only=False)]
    return [row for row in rows + lines + marks if row.text]


def _attach(run: Row, rows: Sequence[Row], *, level_only: bool) -> bool:
    """Merge a run of math or small type into the row it belongs to: the row on its baseline,
    or (unless `level_only`) the row its height overlaps most; whether it found one."""
    best, overlap = None, 0.0
    near = [r for r in rows if max(r.x0 - run.x1, run.x0 - r.x1) <= 2 * r.size]
    level = [r for r in near if abs(r.baseline - run.baseline) <= 0.25 * run.size]
    if level:  # inline math on the row's own baseline
        best = min(level, key=lambda r: abs(r.baseline - run.baseline))
        overlap = run.bottom - run.top
    elif level_only:
        return False
    for row in [] if level else near:
        # The row's band by its baseline: a tall bracket's box would stretch its top and bottom.
        top, bottom = row.baseline - 0.75 * row.size, row.baseline + 0.25 * row.size
        shared = min(bottom, run.bottom) - max(top, run.top)
        if shared > overlap and not _collides(row, run):  # a glyph there: a raised radical
            best, overlap = row, shared
    height = run.bottom - run.top
    if best is not None and overlap >= 0.3 * height and run.size >= 0.5 * best.size:
        best.merge(run)
        return True
    if not level_only and all(g.math for g in run.glyphs):
        # A radical or an accent raised over its row: the row just below it, with room there.
        under = [
            r for r in near if 0 <= r.baseline - run.baseline <= r.size and not _collides(r, run)
        ]
        if under:
            min(under, key=lambda r: r.baseline - run.baseline).merge(run)
            return True
    return False


def _collides(row: Row, run: Row) -> bool:
    """Whether `run` would sit on glyphs of `row`: across a third of its width, and at the
    same height."""
    width = max(run.x1 - run.x0, 0.1)
    if min(row.x1, run.x1) - max(row.x0, run.x0) <= 0.3 * width:
        return False
    return any(
        min(g.box[2], run.x1) - max(g.box[0], run.x0) > 0.3 * width
        and min(g.box[3], run.bottom) - max(g.box[1], run.top) > 0
        for g in row.glyphs
        if not g.c.isspace()
    )


def _runs(glyphs: Sequence[Glyph]) -> list[Row]:
    """The PDF's spans, cut where their glyphs go back or jump ahead (math is written in
    any order); a math font's spaces are left out (they stand anywhere)."""
    runs: list[Row] = []
    current = Row()
    previous: Glyph | None = None
    for glyph in glyphs:
        if glyph.math and glyph.c.isspace():
            continue
        if previous is not None and (
            glyph.run != previous.run
            or glyph.box[0] < previous.box[0] - 0.5
            or glyph.box[0] > previous.box[2] + glyph.size
            or abs(glyph.baseline - previous.baseline) > 0.25 * glyph.size
        ):
            runs.append(current)
            current = Row()
        current.add(glyph)
        previous = glyph
    if current.glyphs:
        runs.append(current)
    for number, run in enumerate(runs):  # (a new Glyph: `replace` is slow on every glyph)
        run.glyphs = [
            Glyph(g.c, g.box, g.size, g.baseline, g.font, g.bold, g.italic, g.math, number)
            for g in run.glyphs
        ]
    return runs


def _cluster(runs: Sequence[Row]) -> list[Row]:
    """Runs on one baseline, with no gap wider than the type size between them, as a row;
    a formula's wide spaces (around `=` in a display) may be wider, never a column's gutter."""
    rows: list[Row] = []
    by_line: dict[int, list[Row]] = {}
    for run in sorted(runs, key=lambda r: (r.x0, r.baseline)):
        key = round(run.baseline)
        home = None
        for row in (row for k in (key - 1, key, key + 1) for row in by_line.get(k, ())):
            gap = max(row.x0 - run.x1, run.x0 - row.x1)
            limit = 1.6 if _facing_math(row, run) else 1.0
            if abs(row.baseline - run.baseline) <= 0.25 * run.size and gap <= limit * row.size:
                home = row
                break
        if home is None:
            rows.append(run)
            by_line.setdefault(key, []).append(run)
        else:
            home.merge(run)
    return rows


def _facing_math(row: Row, run: Row) -> bool:
    """Whether the glyphs that face each other across the gap between `row` and `run` (to its
    right) are both math."""
    ink = [g for g in row.glyphs if not g.c.isspace()]
    start = [g for g in run.glyphs if not g.c.isspace()]
    if not ink or not start:
        return False
    return max(ink, key=lambda g: g.box[2]).math and min(start, key=lambda g: g.box[0]).math


def gutter_of(rows: Sequence[Row], width: float) -> tuple[float, float] | None:
    """The gutter between a page's two columns (None for one column): a gap that rows as wide
    as a column leave, with rows on both sides; a title or an author line centred across it
    does not hide it."""
    narrow = [
        r
        for r in rows
        if 0.1 * width <= r.x1 - r.x0 < 0.55 * width
        and len(r.glyphs) > 3
        and not (r.x0 < width / 2 < r.x1 and abs((r.x0 + r.x1) / 2 - width / 2) < 0.03 * width)
    ]
    return _gutter(narrow, width)


def reading_order(rows: list[Row], gutter: tuple[float, float] | None) -> list[Row]:
    """Rows in reading order: where the page has two columns (`gutter_of`), the left
    column's rows come before the right's, band by band between the rows that span both."""
    rows = sorted(rows, key=lambda r: (r.top, r.x0))
    if gutter is None:
        return rows
    ordered: list[Row] = []
    band: list[Row] = []
    for row in rows:
        if row.x0 < gutter[0] - 1 and row.x1 > gutter[1] + 1:  # spans both columns
            ordered += _band(band, gutter)
            band = []
            ordered.append(row)
        else:
            band.append(row)
    return ordered + _band(band, gutter)


def _band(rows: list[Row], gutter: tuple[float, float]) -> list[Row]:
    left = [r for r in rows if r.x1 <= gutter[1] + 1]
    right = [r for r in rows if r.x1 > gutter[1] + 1]
    return left + right


def _gutter(rows: Sequence[Row], width: float) -> tuple[float, float] | None:
    """The widest gap between two columns with rows on both sides that no row crosses, or
    else that at most two rows (one in fifty) cross (the last row of a caption set across
    both)."""
    if len(rows) < 3:
        return None
    covered = [0] * (int(width) + 2)
    for row in rows:
        for x in range(max(0, int(row.x0)), min(len(covered), int(row.x1) + 1)):
            covered[x] += 1
    for allowed in sorted({0, max(2, len(rows) // 50)}):
        gap = _gap(covered, width, allowed)
        if gap is None:
            continue
        left = sum(1 for r in rows if r.x1 <= gap[0] + 1)
        right = sum(1 for r in rows if r.x0 >= gap[1] - 1)
        if min(left, right) >= max(1, 0.05 * len(rows)):
            return gap
    return None


def _gap(covered: Sequence[int], width: float, allowed: int) -> tuple[float, float] | None:
    """The widest run of at least 6 points in the middle of the page crossed by at most
    `allowed` rows."""
    best: tuple[float, float] | None = None
    x = int(0.3 * width)
    while x < int(0.7 * width):
        if covered[x] > allowed:
            x += 1
            continue
        start = x
        while x < len(covered) and covered[x] <= allowed:
            x += 1
        if x - start >= 6 and (best is None or x - start > best[1] - best[0]):
            best = (float(start), float(x))
    return best
