"""A PDF's outline (bookmarks) and title: the headings and deck its cards are filed under.

A bookmark points at a page and, mostly, a place on it. MuPDF resolves targets, named
destinations included, to a place measured from the page's top, as ankify measures; but some
producers write y the other way, and some targets name only the page. So a bookmark is placed
where its heading is printed: its title is looked for in the text of its page; only when it
cannot be found is the target's y read, the way the document's found headings show, or the
way that keeps a page's bookmarks in order. Only the pages of a given range are read, so an
800-page book costs what its range costs.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .document import pdf_errors, pymupdf

if TYPE_CHECKING:
    from .text import PageText

#: How far below a target's y its heading's first line may start (a target sits above it).
_BELOW_TARGET = 36.0
#: Lines of a page that print one heading: "Chapter 3" / "Probability and Information" / "Theory".
_HEADING_LINES = 4
#: Lines closer in height than this are one row (a number and its title, a running header).
_ROW = 2.5
#: A title shorter than this (normalised) must match its lines exactly, not as their start.
_SHORTEST_PREFIX = 8
#: More bookmarks than any book has: a damaged outline that loops stops here.
_MOST_ENTRIES = 100_000

#: A heading's number: "3.1", "Chapter 3", "A.2", "Part II"; digits may touch the title
#: ("3.1Why": a PDF without spaces), letters may not ("Attention" has no number A).
_NUMBER = re.compile(
    r"^\s*(?:(?i:chapter|part|section|appendix|lecture)\s*)?"
    r"(\d+(?:\.\d+)*|(?:[IVXLC]+|[A-Z])(?:\.\d+)*(?=[.:]?(?:\s|$)))[.:]?"
)


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """A bookmark of the PDF's outline: its level, title and where its heading starts."""

    level: int
    title: str
    index: int  # physical page, 0-based
    top: float
    left: float = 0.0  # where its heading's first line starts (0 when placed by its target)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    top: float
    bottom: float
    size: float
    left: float = 0.0


@dataclass(slots=True)
class _Target:
    """A bookmark as its outline gives it, and where it is found to be."""

    level: int
    title: str
    index: int
    y: float | None  # from the page's top as MuPDF reads it; None: only the page is named
    top: float | None = None  # placed: found on its page, or its y read one way
    left: float = 0.0


def read_outline(doc: Any, pages: range = range(0)) -> tuple[OutlineEntry, ...]:
    """The outline (bookmarks) in reading order; entries that point nowhere are left out.

    Entries pointing into `pages` (physical, 0-based) or the page before are placed at their
    heading in the page's text (the next page's top when their target sits below the last
    line); the others at their target, read without opening their page. A damaged outline
    reads as none: it costs the cards their headings, nothing more.
    """
    try:
        count = int(doc.page_count)
        targets = list(_targets(doc, count))
    except pdf_errors():
        return ()
    heights: dict[int, float] = {}
    texts: dict[int, tuple[_Line, ...]] = {}

    def height(index: int) -> float:
        if index not in heights:
            try:
                heights[index] = float(doc.page_cropbox(index).height)
            except pdf_errors():
                heights[index] = 0.0
        return heights[index]

    def lines(index: int) -> tuple[_Line, ...]:
        if index not in texts:
            texts[index] = _page_lines(doc, index)
        return texts[index]

    near = range(max(0, pages.start - 1), pages.stop) if pages else range(0)
    votes = 0  # > 0 when the headings found show targets measured from the page's bottom
    claimed: set[tuple[int, int]] = set()
    for target in targets:
        if target.index in near:
            index = target.index
            _find(target, lines, height, claimed, count, votes > 0)
            if target.top is not None and target.y is not None and target.index == index:
                given, flipped = (
                    abs(target.y - target.top),
                    abs(height(index) - target.y - target.top),
                )
                if min(given, flipped) < _BELOW_TARGET:
                    votes += 1 if flipped < given else -1
    _place_by_target(targets, height, votes > 0)
    entries = [OutlineEntry(t.level, t.title, t.index, t.top or 0.0, t.left) for t in targets]
    return tuple(sorted(entries, key=lambda e: (e.index, e.top)))


def heading_path(
    outline: Sequence[OutlineEntry],
    index: int,
    top: float,
    left: float = 0.0,
    gutter: tuple[float, float] | None = None,
) -> tuple[OutlineEntry, ...]:
    """The outline entries a place on a page sits under: chapter, section, subsection. On a
    page of two columns (`gutter`), a heading at the top of the right column comes after the
    whole left column."""

    def column(x: float) -> int:
        return 1 if gutter is not None and x >= gutter[1] - 1 else 0

    here = (index, column(left), top + 1)
    path: list[OutlineEntry] = []
    for entry in sorted(
        outline, key=lambda e: (e.index, column(e.left) if e.index == index else 0, e.top)
    ):
        place = (entry.index, column(entry.left) if entry.index == index else 0, entry.top)
        if place > here if entry.index == index else entry.index > index:
            break
        path = [e for e in path if e.level < entry.level]
        path.append(entry)
    return tuple(path)


def text_start(outline: Sequence[OutlineEntry], pages: Sequence[PageText]) -> tuple[int, float]:
    """Where the text of the first of `pages` begins: the top of its first line that is neither
    an outline heading nor a running header (a row repeated on one of the next two pages).

    Headings above it open the range: the sections they close are not its ancestors.
    """
    first = pages[0]
    lines = _text_lines(first)
    heading: set[int] = set()
    for entry in outline:
        if entry.index == first.index:
            found = _matches([line.text for line in lines], entry.title)
            if found:
                _, start, count = min(
                    found, key=lambda m: (-m[0], abs(lines[m[1]].top - entry.top))
                )
                heading.update(range(start, start + count))
    others = [_text_lines(page) for page in pages[1:3]]  # headers may alternate left and right
    for number in sorted(range(len(lines)), key=lambda n: (lines[n].top, n)):
        line = lines[number]
        if number not in heading and not any(_repeated(line, lines, o) for o in others):
            return first.index, line.top
    return first.index, math.inf


def document_title(doc: Any) -> str | None:
    """The title in the PDF's metadata, unless it is empty or a leftover file name."""
    title = " ".join(str((doc.metadata or {}).get("title") or "").split())
    if not title or title.casefold() in ("untitled", "title"):
        return None
    if re.search(r"\.(?:pdf|docx?|tex|dvi|ps|indd|odt)$", title, re.IGNORECASE):
        return None
    return title.replace("::", ":")


def _targets(doc: Any, count: int) -> Iterator[_Target]:
    """The bookmarks in outline order, as MuPDF resolves them (no page is loaded)."""
    stack: list[tuple[int, Any]] = [(1, doc.outline)]
    seen = 0
    while stack and seen < _MOST_ENTRIES:
        level, item = stack.pop()
        if item is None or not getattr(getattr(item, "this", None), "m_internal", None):
            continue  # PyMuPDF wraps "no outline" as an empty item: its get_toc checks so too
        seen += 1
        stack += [(level, item.next), (level + 1, item.down)]
        title = " ".join(str(item.title or "").split())
        index = int(item.page)
        if not title or not 0 <= index < count or item.is_external:
            continue
        x, y = float(item.x), float(item.y)
        page_only = math.isnan(y) or (x == 0 and y == 0)  # /Fit, /XYZ null null
        yield _Target(level, title, index, None if page_only else y)


def _find(
    target: _Target,
    lines: Callable[[int], tuple[_Line, ...]],
    height: Callable[[int], float],
    claimed: set[tuple[int, int]],
    count: int,
    flipped: bool,
) -> None:
    """Place `target` at its heading's first line, if its page prints the heading."""
    readings = _readings(target, height(target.index), flipped)
    page = lines(target.index)
    found = _best(page, target.title, readings, {n for i, n in claimed if i == target.index})
    if found is not None:
        claimed.add((target.index, found))
        target.top, target.left = page[found].top, page[found].left
        return
    last = max((line.bottom for line in page), default=0.0)
    if readings and readings[0] > last and target.index + 1 < count:
        # LaTeX can leave a heading's target at the foot of the page before the heading.
        following = lines(target.index + 1)
        limit = height(target.index + 1) / 3
        found = _best([line for line in following if line.top < limit], target.title, (), set())
        if found is not None:
            claimed.add((target.index + 1, found))
            target.index, target.top = target.index + 1, following[found].top
            target.left = following[found].left
            return
    for reading in readings:  # the way of reading y that lands on the heading's start
        for line in sorted(page, key=lambda line: line.top):
            near = reading - _ROW <= line.top <= reading + _BELOW_TARGET
            if near and _starts_heading(line.text, target.title):
                target.top, target.left = line.top, line.left
                return


def _best(
    lines: Sequence[_Line], title: str, readings: Sequence[float], taken: set[int]
) -> int | None:
    """The line where `lines` print `title` (best match, nearest a reading, largest type)."""
    found = [m for m in _matches([line.text for line in lines], title) if m[1] not in taken]
    if not found:
        return None

    def rank(match: tuple[int, int, int]) -> tuple[float, ...]:
        line = lines[match[1]]
        distance = min((abs(line.top - r) for r in readings), default=0.0)
        return (-match[0], distance, -line.size, line.top)

    return min(found, key=rank)[1]


def _matches(lines: Sequence[str], title: str) -> list[tuple[int, int, int]]:
    """(score, first line, line count) of each run of lines that prints `title`, case,
    spaces, hyphens and ligatures aside (see `_score`)."""
    number, rest = _split(title)
    whole = _norm(title)
    found = []
    for start in range(len(lines)):
        joined = ""
        for end in range(start, min(start + _HEADING_LINES, len(lines))):
            joined = f"{joined} {lines[end]}"
            printed, text = _split(joined)
            score = _score(number, rest, printed, text)
            if score is None and _norm(joined) == whole:
                score = 2  # the same characters spaced otherwise: "1Introduction"
            if score is not None:
                found.append((score, start, end - start + 1))
                break
            if not (rest.startswith(text) or whole.startswith(_norm(joined))):
                break
    return found


def _score(number: str | None, rest: str, printed: str | None, text: str) -> int | None:
    """3 for the same number and words, 2 where one side has no number, 1 where only the
    title has one or the lines go on after a long title; different numbers never match."""
    if number and printed and number != printed:
        return None
    if text == rest:
        return 3 if number and printed else 1 if number else 2
    if len(rest) >= _SHORTEST_PREFIX and text.startswith(rest):
        return 1
    return None


def _readings(target: _Target, height: float, flipped: bool) -> tuple[float, ...]:
    """Where the target's y puts its heading: from the top, then from the bottom (the other
    way round when the document's found headings showed targets measured from the bottom)."""
    if target.y is None or height <= 0:
        return ()
    ways = (target.y, height - target.y)
    return ways[::-1] if flipped else ways


def _place_by_target(
    targets: Sequence[_Target], height: Callable[[int], float], flipped: bool
) -> None:
    """Place the targets not found in their page's text at their y, each page's in order.

    A y is read from the top unless the headings found in the text showed the other way (or
    it lies far above the page); a page whose targets run backwards read that way and in
    order read the other way is read the other way. A page's size is read only then.
    """
    pending = [t for t in targets if t.top is None and t.y is not None]
    for index, group in itertools.groupby(pending, key=lambda t: t.index):
        members = list(group)
        given = [t.y for t in members if t.y is not None]
        chosen = given
        page = 0.0
        if flipped or not _in_order(given) or min(given) < -_BELOW_TARGET:
            page = height(index)
        if page > 0:
            other = [page - y for y in given]
            if flipped:
                chosen, other = other, chosen
            if min(chosen) < -_BELOW_TARGET <= min(other):
                chosen, other = other, chosen
            if not _in_order(chosen) and _in_order(other):
                chosen = other
        for target, top in zip(members, chosen, strict=True):
            target.top = max(top, 0.0)


def _in_order(tops: Sequence[float]) -> bool:
    return all(a <= b + 1 for a, b in itertools.pairwise(tops))


def _page_lines(doc: Any, index: int) -> tuple[_Line, ...]:
    """A page's text lines, block by block, each block's lines top to bottom, left to right."""
    try:
        page = doc.load_page(index)
        data = page.get_text("dict", flags=pymupdf().TEXT_MEDIABOX_CLIP)
    except pdf_errors():
        return ()
    found = []
    for block in data.get("blocks", ()):
        lines = []
        for line in block.get("lines", ()):
            spans = list(line.get("spans", ()))
            text = " ".join("".join(str(s.get("text", "")) for s in spans).split())
            if text:
                size = max(float(s.get("size", 0)) for s in spans if str(s["text"]).strip())
                x0, top, _, bottom = (float(v) for v in line["bbox"])
                lines.append((round(top), x0, _Line(text, top, bottom, size, x0)))
        found += [line for *_, line in sorted(lines, key=lambda item: item[:2])]
    return tuple(found)


def _text_lines(page: PageText) -> list[_Line]:
    by_block = sorted(page.lines, key=lambda line: (line.block, round(line.box[1]), line.box[0]))
    return [
        _Line(line.text, line.box[1], line.box[3], max(s.size for s in line.spans), line.box[0])
        for line in by_block
    ]


def _repeated(line: _Line, lines: Sequence[_Line], other: Sequence[_Line]) -> bool:
    """Whether `other` has a row at `line`'s height with the same text, numbers aside."""
    there = [o for o in other if abs(o.top - line.top) <= _ROW]
    if not there:
        return False
    here = [o for o in lines if abs(o.top - line.top) <= _ROW]
    return _row_key(here) == _row_key(there)


def _row_key(lines: Sequence[_Line]) -> str:
    return "".join(c for c in _norm(" ".join(line.text for line in lines)) if not c.isdigit())


def _split(text: str) -> tuple[str | None, str]:
    """A heading's number ("3.1", "Chapter 3", "A.2"), if it has one, and the rest normalised."""
    match = _NUMBER.match(text)
    if match is None:
        return None, _norm(text)
    return match.group(1).upper(), _norm(text[match.end() :])


def _starts_heading(line: str, title: str) -> bool:
    """Whether `line` starts with the number of `title` (a title without one: never)."""
    number, _ = _split(title)
    return number is not None and _split(line)[0] == number


def _norm(text: str) -> str:
    """Letters and digits only, in one case: hyphenation, spacing and ligatures aside."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())
