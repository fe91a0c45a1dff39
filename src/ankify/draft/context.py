"""The text a draft's answers are taken from: the body words of a page in reading order, with
the text that runs into it from the page before and on to the page after.

Only body rows count (no running header, author line, heading or caption is part of a
sentence), each word in the place of its row in the layout's reading order. A sentence that a
page turn cuts goes on over the turn. A word whose text is not what the page shows (a piece of
a formula, a glyph without a faithful text) is marked, so the sentence around it is shown as a
picture of the page instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..sources.pdf.highlights import Box, Word
from ..sources.pdf.text import PageText, TextLine
from .layout import ITEM_MARKS, Layout, RowKind, unfaithful_boxes

_GARBLED = re.compile(r"[\ufffd\x00-\x08\x0e-\x1f\ue000-\uf8ff]")
_BAND = 20  # points: formulas are looked up by the bands of height they touch
_NUMBER_TAG = re.compile(r"\(\d+(?:\.\d+)*[a-z]?\)")  # a formula's number: "(3.49)"
_ENDS = re.compile(r"[.?!][\"'\u2019\u201d)\]]*$")
#: Left and right of a sentence's picture: a little of the page, so no glyph is cut at its
#: edge (above and below, a word's box already holds its letters' ascent and descent).
MARGIN = 2.0


#: How a word stands in its page's rows: it opens no row of its own, a paragraph, or an item.
WITHIN, PARAGRAPH, ITEM = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Passage:
    """The words around one page's body text, in reading order: `words[start:end]` are the
    page's own. For each word, `pages` says its physical page, `garbled` whether its text is
    not what the page shows, and `opens` whether it opens a paragraph or an item of a list."""

    words: tuple[Word, ...]
    pages: tuple[int, ...]
    garbled: tuple[bool, ...]
    opens: tuple[int, ...]
    start: int
    end: int

    def displayed(self, sentence: range) -> tuple[range, range]:
        """The sentence with the display formula it goes on into (set apart from the text,
        where the flow of words breaks: "… the Frobenius norm:" and the formula, and "which
        is …" after it), and the positions that added."""
        end = sentence.stop
        last = self.words[end - 1].text if sentence else ""
        formula = end < len(self.words) and self.garbled[end]
        if not (last.endswith(":") or (formula and not _ENDS.search(last))):
            return sentence, range(end, end)
        stop = end
        formula = False  # whether the row (from the last that opens) holds a formula
        while stop < min(len(self.words), end + 40):
            text, opens = self.words[stop].text, self.opens[stop]
            shown = self.garbled[stop] or bool(_NUMBER_TAG.fullmatch(text))
            after_formula = formula and text[:1].islower()
            if opens == ITEM or (opens and not shown and not after_formula):
                break  # the next paragraph or item, not the sentence going on
            formula = shown or (formula and not opens)
            stop += 1
            if _ENDS.search(text):
                break
        if not any(self.garbled[end:stop]):
            return sentence, range(end, end)
        return range(sentence.start, stop), range(end, stop)

    def region(self, positions: range, index: int) -> Box | None:
        """The region of page `index` that the words at `positions` cover."""
        boxes = [
            box
            for position in positions
            if self.pages[position] == index
            for box in self.words[position].boxes
        ]
        if not boxes:
            return None
        return (
            max(0.0, math.floor(min(b[0] for b in boxes) - MARGIN)),
            max(0.0, math.floor(min(b[1] for b in boxes))),
            math.ceil(max(b[2] for b in boxes) + MARGIN),
            math.ceil(max(b[3] for b in boxes)),
        )


def passages(texts: Sequence[PageText], layouts: dict[int, Layout]) -> dict[int, Passage]:
    """The passage of each page, by physical page."""
    flows: list[list[tuple[Word, int, bool, int]]] = []
    for number, page in enumerate(texts):
        # Flows of different pages stay apart, but for the one a page turn cuts mid-sentence.
        base = (number + 1) * 1_000_000
        flow = [
            (replace(word, block=base + word.block), page.index, garbled, opens)
            for word, garbled, opens in _page_words(page, layouts[page.index])
        ]
        previous = flows[-1] if flows and texts[number - 1].index == page.index - 1 else []
        if previous and flow and not _ENDS.search(previous[-1][0].text):
            last, first = previous[-1][0].block, flow[0][0].block
            flow = [
                (replace(word, block=last) if word.block == first else word, index, bad, opens)
                for word, index, bad, opens in flow
            ]
        flows.append(flow)
    found = {}
    for number, page in enumerate(texts):
        before = flows[number - 1] if number and texts[number - 1].index == page.index - 1 else []
        following = number + 1 < len(texts) and texts[number + 1].index == page.index + 1
        items = [*before, *flows[number], *(flows[number + 1] if following else [])]
        found[page.index] = Passage(
            tuple(item[0] for item in items),
            tuple(item[1] for item in items),
            tuple(item[2] for item in items),
            tuple(item[3] for item in items),
            len(before),
            len(before) + len(flows[number]),
        )
    return found


def _page_words(page: PageText, layout: Layout) -> list[tuple[Word, bool, int]]:
    """The page's words in body rows, in the layout's reading order, each with whether its
    text is not what the page shows and whether it opens a paragraph or an item."""
    rows = [
        (position, row.line.box, _middle(row.line))
        for position, row in enumerate(layout.rows)
        if row.kind is RowKind.BODY
    ]
    kept = []
    for number, word in enumerate(page.words):
        x0, y0, x1, y1 = word.boxes[0]
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        inside = [
            (abs(y - middle), position)
            for position, (bx0, by0, bx1, by1), middle in rows
            if bx0 - 1 <= x <= bx1 + 1 and by0 - 1 <= y <= by1 + 1
        ]
        if inside:  # a formula makes rows tall: the word's row is the one it sits on
            kept.append((min(inside)[1], x0, number, word))
    boxes: dict[int, list[Box]] = {}  # the formulas' boxes by the bands of height they touch
    for box in unfaithful_boxes(page.lines):
        for band in range(int(box[1]) // _BAND, int(box[3]) // _BAND + 1):
            boxes.setdefault(band, []).append(box)
    found: list[tuple[Word, bool, int]] = []
    alias: dict[int, int] = {}  # flows joined again
    previous: tuple[int, int] | None = None  # (row, flow) of the word before
    for position, _, _, word in sorted(kept, key=lambda k: k[:3]):
        row = layout.rows[position]
        flow = alias.get(word.block, word.block)
        if (
            previous is not None
            and flow != previous[1]
            and position - previous[0] in (0, 1)
            and not row.starts_paragraph
        ):  # the row goes on with the paragraph: a bold term starting a row is no heading
            alias[word.block] = flow = previous[1]
        opens = WITHIN
        if previous is None or previous[0] != position:
            if row.line.text[:1] in ITEM_MARKS:
                opens = ITEM
            elif row.starts_paragraph:
                opens = PARAGRAPH
        found.append((replace(word, block=flow), _garbled(word, boxes), opens))
        previous = (position, flow)
    return found


def _middle(line: TextLine) -> float:
    """The height of the middle of a row's letters (its box grows with its formulas)."""
    if not line.baseline:
        return (line.box[1] + line.box[3]) / 2
    return line.baseline - 0.3 * line.size


def _garbled(word: Word, boxes: dict[int, list[Box]]) -> bool:
    """Whether a word's text is not what the page shows: glyphs without a faithful text, or
    a piece of a formula (see `unfaithful_boxes`)."""
    if _GARBLED.search(word.text):
        return True
    for x0, y0, x1, y1 in word.boxes:
        near = {
            b for band in range(int(y0) // _BAND, int(y1) // _BAND + 1) for b in boxes.get(band, ())
        }
        for bx0, by0, bx1, by1 in near:
            width = min(x1, bx1) - max(x0, bx0)
            height = min(y1, by1) - max(y0, by0)
            if width > 0.5 and height > 0.3 * (y1 - y0):
                return True
    return False


def sentence_positions(
    words: Sequence[Word], first: int, last: int, before: str, after: str
) -> range | None:
    """The positions of the words `sentence_around` gave, or None if they cannot be told."""
    head = before.removeprefix("… ").split()
    tail = after.removesuffix(" …").split()
    texts = [word.text for word in words]
    for count in (len(head), len(head) - 1):  # the last one may be punctuation moved out
        if 0 <= count <= first and texts[first - count : first] == head[:count]:
            start = first - count
            break
    else:
        return None
    for skip in (0, 1):  # the first one may be punctuation moved out
        count = len(tail) - skip
        if count >= 0 and texts[last + 1 : last + 1 + count] == tail[skip:]:
            return range(start, last + 1 + count)
    return None
