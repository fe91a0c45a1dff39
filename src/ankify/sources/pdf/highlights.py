"""Highlights, underlines and squiggles: the words they mark and the sentence around them.

A highlight's text is the characters under its quads (one quad per highlighted line), not
under its bounding box, which also covers the start of the first line and the end of the last.
A word is marked when most of it is covered; the first and last marked words are cut at the
character where the highlight stops inside them. Highlights of one colour that follow each
other without a gap are one highlight: viewers make one per line of a stroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...model import key_text
from ...progress import PageCallback
from .document import pdf_errors, unreadable_page
from .pages import PageSelection, each_page
from .reading import Box, Layout, Word, flow, read_layout
from .sentences import Marked, Piece, sentence_around, sentence_pieces

__all__ = [
    "Box", "Highlight", "Piece", "Word", "covered_words", "page_words", "read_highlights",
    "sentence_around",
]  # fmt: skip

#: PyMuPDF's annotation types (PDF_ANNOT_*) that mark text: highlight, underline, squiggly.
MARKUP_TYPES = {8: "highlight", 9: "underline", 10: "squiggly"}

#: A character is under a quad when the quad covers this share of its width and height.
#: Quads are a little taller than their line, so they touch the lines above and below.
CHAR_COVERAGE = 0.5
#: A word is marked when its covered characters make at least this share of its width (or
#: are three characters or more: a highlight that stops inside a word is meant).
WORD_COVERAGE = 0.5
_DASHES = "-\u2010\u2013\u2014/"


@dataclass(frozen=True, slots=True)
class Highlight:
    """One highlight, underline or squiggly: its words, the sentence around them, its note."""

    index: int  # physical page, 0-based
    page: str  # printed label
    kind: str  # highlight, underline or squiggly
    before: str  # the sentence before the highlighted words ("" at its start)
    words: str  # exactly the highlighted words
    after: str
    note: str  # the popup note's text, "" when there is none
    top: float  # where it starts on the page
    left: float
    order: int = 0  # its first word's place in the page's reading order (columns follow)
    pieces: tuple[Piece, ...] = ()  # the sentence, with formulas as regions of their pages
    gutter: tuple[float, float] | None = None  # between its page's columns, if it has two


@dataclass(frozen=True, slots=True)
class _Mark:
    """An annotation as read: where it is, and the words under it."""

    kind: str
    colour: tuple[float, ...]
    note: str
    quads: tuple[Box, ...]
    marked: Marked | None


def read_highlights(
    doc: Any,
    selection: PageSelection,
    path: Path,
    on_page: PageCallback | None = None,
) -> tuple[Highlight, ...]:
    """Every text-marking annotation on the selected pages, in reading order.

    The sentence around a highlight may begin on the page before and end on the page after.
    `on_page(done, total)` is called after each page, for a progress bar.
    """
    layouts: dict[int, Layout] = {}

    def layout(index: int) -> Layout:
        if index not in layouts:
            layouts[index] = read_layout(doc.load_page(index), index)
        return layouts[index]

    found: list[Highlight] = []
    for index, label in each_page(selection, on_page):
        try:
            page = doc.load_page(index)
            annots = list(page.annots(types=list(MARKUP_TYPES)))
            if not annots:
                continue
            around = [i for i in (index - 1, index, index + 1) if 0 <= i < doc.page_count]
            words = flow([(layout(i).words, layout(i).breaks) for i in around])
            here = [i for i, word in enumerate(words) if word.index == index]
            marks = [_read_mark(annot, words, here) for annot in annots]
            gutter = layout(index).gutter
            for mark in _strokes(marks):
                found.append(_highlight(words, mark, index, label, gutter))
        except pdf_errors() as e:
            raise unreadable_page(path, label, e) from None
    return tuple(sorted(found, key=lambda h: (h.index, h.order, round(h.top), h.left, h.words)))


def page_words(page: Any) -> list[Word]:
    """A page's words in reading order, a word hyphenated at a row's end joined again."""
    layout = read_layout(page, page.number)
    return flow([(layout.words, layout.breaks)])


def _read_mark(annot: Any, words: Sequence[Word], here: Sequence[int]) -> _Mark:
    quads = _quad_boxes(annot.vertices or ())
    colours = annot.colors or {}
    colour = tuple(round(float(c), 2) for c in (colours.get("stroke") or colours.get("fill") or ()))
    note = str((annot.info or {}).get("content") or "")
    marked = _marked(words, here, quads) if quads else None
    return _Mark(MARKUP_TYPES[annot.type[0]], colour, note, quads, marked)


def _strokes(marks: Sequence[_Mark]) -> list[_Mark]:
    """Marks of one kind and colour that follow each other with no word between them, the
    later without a note of its own, joined: a viewer makes one per line of a stroke."""
    ordered = sorted(
        (m for m in marks if m.quads), key=lambda m: (m.marked is None, _place(m.marked))
    )
    out: list[_Mark] = []
    for mark in ordered:
        last = out[-1] if out else None
        if (
            last is not None
            and last.marked is not None
            and mark.marked is not None
            and last.kind == mark.kind
            and last.colour == mark.colour
            and not mark.note.strip()
            and _touch(last.marked, mark.marked)
        ):
            joined = Marked(last.marked.first, mark.marked.last, last.marked.head, mark.marked.tail)
            out[-1] = _Mark(last.kind, last.colour, last.note, last.quads + mark.quads, joined)
            continue
        out.append(mark)
    return out


def _place(marked: Marked | None) -> tuple[int, int]:
    return (marked.first, marked.head) if marked is not None else (0, 0)


def _touch(a: Marked, b: Marked) -> bool:
    return b.first == a.last + 1 or (b.first == a.last and b.head <= a.tail)


def _quad_boxes(vertices: Sequence[Sequence[float]]) -> tuple[Box, ...]:
    """The box of each quad: four points per quad (a highlight has one quad per line)."""
    boxes = []
    for start in range(0, len(vertices) - 3, 4):
        xs = [float(point[0]) for point in vertices[start : start + 4]]
        ys = [float(point[1]) for point in vertices[start : start + 4]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(boxes)


def _char_covered(box: Box, quads: Sequence[Box]) -> bool:
    x0, y0, x1, y1 = box
    for qx0, qy0, qx1, qy1 in quads:
        width = min(x1, qx1) - max(x0, qx0)
        height = min(y1, qy1) - max(y0, qy0)
        if width <= 0 or height <= 0:
            continue
        tall = min(y1 - y0, qy1 - qy0)
        if width >= CHAR_COVERAGE * (x1 - x0) and height >= CHAR_COVERAGE * tall:
            return True
    return False


def _coverage(word: Word, quads: Sequence[Box]) -> list[bool]:
    boxes = word.chars if len(word.chars) == len(word.text) else [word.boxes[0]] * len(word.text)
    return [_char_covered(box, quads) for box in boxes]


def _marked(words: Sequence[Word], here: Sequence[int], quads: Sequence[Box]) -> Marked | None:
    """The words under the quads: each word by the share of it covered (each part of a word
    joined by a dash on its own: `the` of `matrix—the`); the first and last cut at the
    characters where the quads stop."""
    hits: list[tuple[int, list[bool]]] = []
    for position in here:
        word = words[position]
        covered = _coverage(word, quads)
        if not any(covered):
            continue
        if sum(covered) >= 3 or any(_part_marked(word, covered, p) for p in _parts(word.text)):
            hits.append((position, covered))
    if not hits:
        return None
    first, first_cover = hits[0]
    last, last_cover = hits[-1]
    head = _edge(words[first].text, first_cover, start=True)
    tail = _edge(words[last].text, last_cover, start=False)
    if first == last and tail <= head:
        return Marked(first, last, 0, len(words[last].text))
    return Marked(first, last, head, tail)


def _parts(text: str) -> list[tuple[int, int]]:
    """The parts of a word between dashes: `matrix—the` -> `matrix`, `the`."""
    parts, start = [], 0
    for position, char in enumerate(text):
        if char in _DASHES:
            if position > start:
                parts.append((start, position))
            start = position + 1
    if start < len(text):
        parts.append((start, len(text)))
    return parts or [(0, len(text))]


def _part_marked(word: Word, covered: Sequence[bool], part: tuple[int, int]) -> bool:
    start, end = part
    boxes = word.chars if len(word.chars) == len(word.text) else None
    widths = [b[2] - b[0] for b in boxes[start:end]] if boxes else [1.0] * (end - start)
    total = sum(widths) or 1.0
    return sum(w for w, c in zip(widths, covered[start:end], strict=True) if c) >= (
        WORD_COVERAGE * total
    )


def _edge(text: str, covered: Sequence[bool], *, start: bool) -> int:
    """Where the marked characters of a word start (or end): the highlight's own edge."""
    if start:
        return next((i for i, c in enumerate(covered) if c), 0)
    return next((len(covered) - i for i, c in enumerate(reversed(covered)) if c), len(text))


def covered_words(words: Sequence[Word], quads: Sequence[Box]) -> tuple[int, int] | None:
    """The first and last word under the quads, or None when they cover no text."""
    marked = _marked(words, range(len(words)), quads)
    return None if marked is None else (marked.first, marked.last)


def _highlight(
    words: Sequence[Word],
    mark: _Mark,
    index: int,
    label: str,
    gutter: tuple[float, float] | None = None,
) -> Highlight:
    top = min(box[1] for box in mark.quads)
    left = min(box[0] for box in mark.quads if box[1] == top)
    pieces: tuple[Piece, ...] = ()
    if mark.marked is not None:
        pieces = sentence_pieces(words, mark.marked)
    else:  # a mark over no text (a figure, a scanned page): the picture of what it covers
        region = (
            min(q[0] for q in mark.quads),
            min(q[1] for q in mark.quads),
            max(q[2] for q in mark.quads),
            max(q[3] for q in mark.quads),
        )
        pieces = (Piece(1, "", index, region),)
    before = "".join(p.text for p in pieces if p.part == 0)
    middle = "".join(p.text for p in pieces if p.part == 1)
    after = "".join(p.text for p in pieces if p.part == 2)
    note = mark.note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if note and key_text(note) == key_text(middle):
        note = ""  # some viewers fill the note with the highlighted text itself
    order = mark.marked.first if mark.marked is not None else len(words)
    return Highlight(
        index, label, mark.kind, before, middle, after, note, top, left, order, pieces, gutter
    )
