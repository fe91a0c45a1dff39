"""The sentence around marked words: as text, and as pieces where math is shown as a picture.

A sentence runs across rows, columns and page turns (the words come in reading order, see
`reading.py`) and stops at a full stop, or where its flow ends (a heading, a footnote). The
marked words may start or end inside a word (`matrix` of `matrix—the`): the rest of that word
stays in the sentence around them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .reading import Box, Word

#: At most this many words of context on each side of a highlight, when its sentence is long.
SENTENCE_WORDS = 40

_OPENING = "([{\"'\u2018\u201c\u00ab"
_CLOSING = ".,;:!?)]}\"'\u2019\u201d\u00bb"
_DASHES = "-\u2010\u2013\u2014/"
_PAIRS = {")": "(", "]": "[", "}": "{"}
#: Around a formula's picture: a little of the page, so no glyph is cut at its edge.
_MARGIN = 1.5


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of a card's sentence: text, or a formula shown as a region of its page."""

    part: int  # 0 before the marked words, 1 the marked words, 2 after them
    text: str  # the text (for a formula, its text layer as read: for keys, never shown)
    index: int = 0  # the formula's page, 0-based
    region: Box | None = None  # the formula's region, in points from the page's top-left
    size: float = 0.0  # the type size around it, so the picture can be set at that size


@dataclass(frozen=True, slots=True)
class Marked:
    """Which words a highlight marks: from the character `head` of words[first] to the
    character `tail` (exclusive) of words[last]."""

    first: int
    last: int
    head: int
    tail: int


def sentence_around(words: Sequence[Word], first: int, last: int) -> tuple[str, str, str]:
    """(before, words, after): the sentence around words[first:last + 1], as text.

    Punctuation at the edges of the marked words moves outside them ("(PMF)." -> PMF).
    """
    marked = Marked(first, last, 0, len(words[last].text))
    pieces = sentence_pieces(words, marked)
    return (
        "".join(p.text for p in pieces if p.part == 0),
        "".join(p.text for p in pieces if p.part == 1),
        "".join(p.text for p in pieces if p.part == 2),
    )


def sentence_pieces(words: Sequence[Word], marked: Marked) -> tuple[Piece, ...]:
    """The sentence around the marked words, in pieces: text, and formulas as regions."""
    first, last = marked.first, marked.last
    start = first
    while (
        start > 0
        and first - start < SENTENCE_WORDS
        and words[start - 1].block == words[first].block
        and not words[start - 1].ends
    ):
        start -= 1
    end = last
    while (
        end + 1 < len(words)
        and end - last < SENTENCE_WORDS
        and words[end + 1].block == words[last].block
        and not words[end].ends
    ):
        end += 1
    cut_before = start > 0 and words[start - 1].block == words[first].block
    cut_before = cut_before and not words[start - 1].ends
    cut_after = end + 1 < len(words) and words[end + 1].block == words[last].block
    cut_after = cut_after and not words[end].ends

    # Each word as (part, text) pieces: the first and last marked words may be split.
    spans: list[tuple[int, int, str, int, int]] = []  # (word, part, text, char start, end)
    for position in range(start, end + 1):
        text = words[position].text
        if position < first or position > last:
            spans.append((position, 0 if position < first else 2, text, 0, len(text)))
            continue
        head = marked.head if position == first else 0
        tail = marked.tail if position == last else len(text)
        if head:
            spans.append((position, 0, text[:head], 0, head))
        spans.append((position, 1, text[head:tail], head, tail))
        if tail < len(text):
            spans.append((position, 2, text[tail:], tail, len(text)))
    middle = "".join(text for _, part, text, _, _ in spans if part == 1)
    leading, _, trailing = _trim_punctuation(middle)
    spans = _move_punctuation(spans, len(leading), len(trailing))

    # Atoms: text or formula pieces, and the spaces between words, which belong to the
    # marked words only inside them.
    atoms: list[Piece] = [Piece(0, "… ")] if cut_before else []
    previous: tuple[int, int] | None = None  # (word, part) of the last piece
    for position, part, text, char_start, char_end in spans:
        if not text:
            continue
        glued = char_start == 0 and all(c in ".,;:!?)]}" for c in text)  # `P` `.` after math
        if previous is not None and previous[0] != position and not glued:
            atoms.append(Piece(part if previous[1] == part else (0 if part == 1 else 2), " "))
        previous = (position, part)
        word = words[position]
        if word.math:
            region = _region(word, char_start, char_end)
            atoms.append(Piece(part, text, word.index, region, word.size))
        else:
            atoms.append(Piece(part, text))
    if cut_after:
        atoms.append(Piece(2, " …"))
    return _joined(atoms)


def _joined(atoms: list[Piece]) -> tuple[Piece, ...]:
    """Neighbouring text of one part as one piece, and neighbouring formulas of one part and
    row (with the spaces between them) as one region."""
    out: list[Piece] = []
    for atom in atoms:
        last = out[-1] if out else None
        if last is not None and last.part == atom.part:
            if last.region is None and atom.region is None:
                out[-1] = replace(last, text=last.text + atom.text)
                continue
            if (
                last.region is not None
                and atom.region is not None
                and last.index == atom.index
                and _same_row(last.region, atom.region)
            ):
                region = _union(last.region, atom.region)
                out[-1] = replace(last, text=last.text + atom.text, region=region)
                continue
            if (
                last.region is None
                and last.text == " "
                and atom.region is not None
                and len(out) > 1
                and out[-2].region is not None
                and out[-2].part == atom.part
                and out[-2].index == atom.index
                and _same_row(out[-2].region, atom.region)
            ):
                out.pop()  # a space between two pieces of one formula
                _joined_into(out, atom)
                continue
        out.append(atom)
    return tuple(out)


def _joined_into(out: list[Piece], atom: Piece) -> None:
    last = out[-1]
    assert last.region is not None and atom.region is not None
    region = _union(last.region, atom.region)
    out[-1] = replace(last, text=f"{last.text} {atom.text}", region=region)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _same_row(a: Box, b: Box) -> bool:
    """Whether two pieces of a formula share a row, or are stacked (a fraction's parts): never
    an inline formula and a display below it, whose joint picture would take in the text."""
    if min(a[3], b[3]) - max(a[1], b[1]) > 0:
        return True
    stacked = min(a[2], b[2]) - max(a[0], b[0]) > 0
    return stacked and abs(b[1] - a[3]) < 0.6 * (a[3] - a[1])


def _region(word: Word, start: int, end: int) -> Box:
    chars = word.chars[start:end] or word.chars or word.boxes
    return (
        min(c[0] for c in chars) - _MARGIN,
        min(c[1] for c in chars) - _MARGIN,
        max(c[2] for c in chars) + _MARGIN,
        max(c[3] for c in chars) + _MARGIN,
    )


def _move_punctuation(
    spans: list[tuple[int, int, str, int, int]], leading: int, trailing: int
) -> list[tuple[int, int, str, int, int]]:
    """The marked words' leading and trailing punctuation moved out of them."""
    out = list(spans)
    marked = [i for i, span in enumerate(out) if span[1] == 1]
    if not marked:
        return out
    if leading:
        i = marked[0]
        position, _, text, start, end = out[i]
        out[i : i + 1] = [
            (position, 0, text[:leading], start, start + leading),
            (position, 1, text[leading:], start + leading, end),
        ]
        marked = [i for i, span in enumerate(out) if span[1] == 1]
    if trailing:
        i = marked[-1]
        position, _, text, start, end = out[i]
        cut = len(text) - trailing
        out[i : i + 1] = [
            (position, 1, text[:cut], start, start + cut),
            (position, 2, text[cut:], start + cut, end),
        ]
    return out


def _trim_punctuation(text: str) -> tuple[str, str, str]:
    start, end = 0, len(text)
    while start < end and text[start] in _OPENING + _DASHES:
        start += 1
    while end > start and text[end - 1] in _CLOSING + _DASHES:
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
