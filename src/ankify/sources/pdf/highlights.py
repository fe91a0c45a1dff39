"""Highlights, underlines and squiggles: the words they mark and the sentence around them.

A highlight's text is the words under its quads (one quad per highlighted line), not under
its bounding box, which also covers the start of the first line and the end of the last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...model import key_text
from ...progress import PageCallback
from .document import pdf_errors, pymupdf, unreadable_page
from .pages import PageSelection, each_page

#: PyMuPDF's annotation types (PDF_ANNOT_*) that mark text: highlight, underline, squiggly.
MARKUP_TYPES = {8: "highlight", 9: "underline", 10: "squiggly"}

#: A word belongs to a highlight when its quads cover at least this share of the word's box.
#: Quads are a little taller than their line, so they touch the lines above and below.
WORD_COVERAGE = 0.5

#: At most this many words of context on each side of a highlight, when its sentence is long.
SENTENCE_WORDS = 40

_SENTENCE_END = re.compile(r"[.?!][\"'\u2019\u201d)\]]*$")
#: Words that end with a full stop but rarely end a sentence.
_ABBREVIATIONS = frozenset((
    "e.g.", "i.e.", "cf.", "etc.", "vs.", "al.", "fig.", "figs.", "eq.", "eqs.", "sec.", "ch.",
    "p.", "pp.", "resp.", "approx.", "no.", "dr.", "mr.", "mrs.", "ms.", "prof.", "viz.",
))  # fmt: skip
_OPENING = "([{\"'\u2018\u201c\u00ab"
_CLOSING = ".,;:!?)]}\"'\u2019\u201d\u00bb"
_PAIRS = {")": "(", "]": "[", "}": "{"}

Box = tuple[float, float, float, float]


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


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a page and its box (two for a word hyphenated across lines)."""

    text: str
    boxes: tuple[Box, ...]
    block: int


def read_highlights(
    doc: Any, selection: PageSelection, path: Path, on_page: PageCallback | None = None
) -> tuple[Highlight, ...]:
    """Every text-marking annotation on the selected pages, in reading order.

    `on_page(done, total)` is called after each page, for a progress bar.
    """
    found: list[Highlight] = []
    for index, label in each_page(selection, on_page):
        try:
            page = doc.load_page(index)
            annots = list(page.annots(types=list(MARKUP_TYPES)))
            if not annots:
                continue
            words = page_words(page)
            for annot in annots:
                quads = _quad_boxes(annot.vertices or ())
                if not quads:
                    continue
                note = str((annot.info or {}).get("content") or "")
                found.append(
                    _highlight(words, quads, index, label, MARKUP_TYPES[annot.type[0]], note)
                )
        except pdf_errors() as e:
            raise unreadable_page(path, label, e) from None
    return tuple(sorted(found, key=lambda h: (h.index, h.order, round(h.top), h.left, h.words)))


def page_words(page: Any) -> list[Word]:
    """A page's words in reading order, a word hyphenated at a line end joined again."""
    module = pymupdf()
    raw = page.get_text("words", flags=module.TEXT_MEDIABOX_CLIP)
    words: list[Word] = []
    position = 0
    while position < len(raw):
        x0, y0, x1, y1, text, block, line, _ = raw[position]
        boxes: list[Box] = [(x0, y0, x1, y1)]
        following = raw[position + 1] if position + 1 < len(raw) else None
        if (
            following is not None
            and len(text) > 1
            and text.endswith("-")
            and text[-2].isalpha()
            and following[5] == block
            and following[6] != line
            and following[4][:1].islower()
        ):
            text = text[:-1] + following[4]
            boxes.append(tuple(following[:4]))
            position += 1
        words.append(Word(str(text), tuple(boxes), int(block)))
        position += 1
    return words


def _quad_boxes(vertices: Sequence[Sequence[float]]) -> tuple[Box, ...]:
    """The box of each quad: four points per quad (a highlight has one quad per line)."""
    boxes = []
    for start in range(0, len(vertices) - 3, 4):
        xs = [float(point[0]) for point in vertices[start : start + 4]]
        ys = [float(point[1]) for point in vertices[start : start + 4]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(boxes)


def _covered(word: Word, quads: Sequence[Box]) -> bool:
    for x0, y0, x1, y1 in word.boxes:
        area = (x1 - x0) * (y1 - y0)
        if area <= 0:
            continue
        for qx0, qy0, qx1, qy1 in quads:
            width = min(x1, qx1) - max(x0, qx0)
            height = min(y1, qy1) - max(y0, qy0)
            if width > 0 and height > 0 and width * height >= WORD_COVERAGE * area:
                return True
    return False


def covered_words(words: Sequence[Word], quads: Sequence[Box]) -> tuple[int, int] | None:
    """The first and last word under the quads, or None when they cover no text."""
    top, bottom = min(q[1] for q in quads), max(q[3] for q in quads)
    hits = [
        position
        for position, word in enumerate(words)
        if any(box[1] < bottom and box[3] > top for box in word.boxes) and _covered(word, quads)
    ]
    return (hits[0], hits[-1]) if hits else None


def sentence_around(words: Sequence[Word], first: int, last: int) -> tuple[str, str, str]:
    """(before, words, after): the sentence around words[first:last + 1], cut to its block.

    Punctuation at the edges of the highlighted words moves outside them ("(PMF)." -> PMF).
    """
    start = first
    while (
        start > 0
        and first - start < SENTENCE_WORDS
        and words[start - 1].block == words[first].block
        and not _ends_sentence(words[start - 1].text)
    ):
        start -= 1
    end = last
    while (
        end + 1 < len(words)
        and end - last < SENTENCE_WORDS
        and words[end + 1].block == words[last].block
        and not _ends_sentence(words[end].text)
    ):
        end += 1
    cut_before = (
        start > 0
        and words[start - 1].block == words[first].block
        and not _ends_sentence(words[start - 1].text)
    )
    cut_after = (
        end + 1 < len(words)
        and words[end + 1].block == words[last].block
        and not _ends_sentence(words[end].text)
    )
    leading, middle, trailing = _trim_punctuation(" ".join(w.text for w in words[first : last + 1]))
    before = " ".join(w.text for w in words[start:first])
    after = " ".join(w.text for w in words[last + 1 : end + 1])
    before = ("… " if cut_before else "") + (before + " " if before else "") + leading
    after = trailing + (" " + after if after else "") + (" …" if cut_after else "")
    return before, middle, after


def _ends_sentence(word: str) -> bool:
    return bool(_SENTENCE_END.search(word)) and word.lstrip("([").casefold() not in _ABBREVIATIONS


def _trim_punctuation(text: str) -> tuple[str, str, str]:
    start, end = 0, len(text)
    while start < end and text[start] in _OPENING:
        start += 1
    while end > start and text[end - 1] in _CLOSING:
        closing = text[end - 1]
        inner = text[start : end - 1]
        if closing in _PAIRS and inner.count(_PAIRS[closing]) > inner.count(closing):
            break  # it closes a bracket opened inside: f(x)
        end -= 1
    if start >= end:
        return "", text, ""
    # An opening bracket whose closing one stays inside belongs to the words: (x)y
    while start > 0 and text[start - 1] in _PAIRS.values():
        opening = text[start - 1]
        closing = next(c for c, o in _PAIRS.items() if o == opening)
        if text[start:end].count(closing) > text[start:end].count(opening):
            start -= 1
        else:
            break
    return text[:start], text[start:end], text[end:]


def _highlight(
    words: Sequence[Word], quads: Sequence[Box], index: int, label: str, kind: str, note: str
) -> Highlight:
    top = min(box[1] for box in quads)
    left = min(box[0] for box in quads if box[1] == top)
    span = covered_words(words, quads)
    before, middle, after, marked = "", "", "", ""
    if span is not None:
        before, middle, after = sentence_around(words, *span)
        marked = " ".join(w.text for w in words[span[0] : span[1] + 1])
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if note and key_text(note) in (key_text(middle), key_text(marked)):
        note = ""  # some viewers fill the note with the highlighted text itself
    order = span[0] if span is not None else len(words)
    return Highlight(index, label, kind, before, middle, after, note, top, left, order)
