"""What to tell the learner when a page range of a PDF gives no cards.

A PDF without page labels reads `--pages` as physical pages. When its printed numbers are
others (a chapter printed from a book starts at p. 53 on its first page), a range of printed
pages finds nothing, or the wrong pages: the hint says so, and where the highlights are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...model import PageLabels, PageRange, SourceSpan
from .document import open_pdf
from .highlights import MARKUP_TYPES
from .pages import page_numbers, select_pages

#: Where the highlights are, at most this many ranges of pages (then "…").
_SHOWN = 4


@dataclass(frozen=True, slots=True)
class Hint:
    """Something the learner should know, where, and the setting that acts on it."""

    message: str
    span: SourceSpan
    option: str | None = None


def empty_range_hint(
    path: Path, pages: PageLabels, *, offset: int | None = None, password: str | None = None
) -> Hint | None:
    """Why `pages` of the PDF at `path` gave no cards, when the reason may be that they were
    read as physical pages: the PDF has no page labels, no offset was given, and the pages hold
    no highlight. None otherwise (a PDF with labels, whose pages are what it prints, or pages
    whose highlights gave no cards for another reason)."""
    if offset is not None:
        return None
    with open_pdf(path, password=password) as doc:
        numbers = page_numbers(doc, path)
        if numbers.rules:
            return None
        selection = select_pages(numbers, pages, path)
        marked = [index for index in range(numbers.count) if _has_marks(doc, index)]
    if any(index in selection.indices for index in marked):
        return None
    where = f"pp. {selection.text}" if len(selection.indices) > 1 else f"p. {selection.text}"
    read = f"no highlights on {where}, read as physical pages since the PDF has no page labels"
    if not marked:  # no offset finds any: the PDF has none to make cards of
        return Hint(
            f"{read}, nor on any other page: cards come from its highlights, underlines and "
            "squigglies",
            SourceSpan(path),
        )
    return Hint(
        f"{read}; its highlights are on {_pages(index + 1 for index in marked)}: if its "
        "printed page numbers are not its physical ones, give the offset N that makes printed "
        "page P physical page P + N",
        SourceSpan(path),
        "offset",
    )


def _has_marks(doc: Any, index: int) -> bool:
    """Whether a page holds a highlight, underline or squiggly (pages without annotations are
    told apart without being loaded)."""
    kind, _ = doc.xref_get_key(doc.page_xref(index), "Annots")
    if kind == "null":
        return False
    return any(True for _ in doc.load_page(index).annots(types=list(MARKUP_TYPES)))


def _pages(numbers: Iterable[int]) -> str:
    """`pp. 3-5, 9` (at most a few ranges) for sorted page numbers."""
    ranges: list[PageRange] = []
    for number in numbers:
        if ranges and ranges[-1].last == number - 1:
            ranges[-1] = PageRange(ranges[-1].first, number)
        else:
            ranges.append(PageRange(number, number))
    shown = ", ".join(str(r) for r in ranges[:_SHOWN]) + (", …" if len(ranges) > _SHOWN else "")
    one = len(ranges) == 1 and len(ranges[0]) == 1
    return ("p. " if one else "pp. ") + shown
