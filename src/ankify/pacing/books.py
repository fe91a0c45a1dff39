"""Books to pace: bundled profiles (contents shipped as data) and a PDF's pages and outline."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..model import PageRange, SourceSpan
from ..sources.pdf.document import open_pdf
from ..sources.pdf.outline import read_outline
from ..sources.pdf.pages import page_numbers


@dataclass(frozen=True, slots=True)
class Section:
    """A part, chapter or section: its depth (smaller is coarser), label and first printed page."""

    level: int
    label: str
    first_page: int


@dataclass(frozen=True, slots=True)
class Book:
    """What pacing knows of a book: its name, main-text pages and contents in page order."""

    name: str
    title: str
    pages: PageRange
    sections: tuple[Section, ...] = ()
    # Last page of each section: the page before the next one starts (or its own first page when
    # the next starts on the same page, as "2 Linear Algebra" and "2.1 Scalars ..." do).
    _ends: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.sections, key=lambda s: s.first_page))
        starts = [s.first_page for s in ordered]
        last = max(self.pages.last, *starts) if starts else self.pages.last
        following = [*starts[1:], last + 1] if starts else []
        ends = tuple(max(a, b - 1) for a, b in zip(starts, following, strict=True))
        object.__setattr__(self, "sections", ordered)
        object.__setattr__(self, "_ends", ends)

    def sections_in(self, pages: PageRange) -> tuple[Section, ...]:
        """The sections whose pages overlap `pages`, in reading order."""
        return tuple(
            section
            for section, end in zip(self.sections, self._ends, strict=True)
            if section.first_page <= pages.last and end >= pages.first
        )


@dataclass(frozen=True, slots=True)
class _Profile:
    contents: str  # a TSV in this package: level, number, title, printed page
    title: str
    main_text: PageRange


PROFILES = {
    "dlbook": _Profile(
        contents="dlbook.tsv",
        title="Deep Learning (Goodfellow, Bengio, Courville), online edition",
        main_text=PageRange(1, 720),
    ),
}


@functools.cache
def load_book(name: str) -> Book:
    """A bundled book profile by name, e.g. "dlbook"."""
    profile = PROFILES.get(name.strip().lower())
    if profile is None:
        hint = difflib.get_close_matches(name.strip().lower(), PROFILES, n=1, cutoff=0.6)
        fix = f"did you mean {hint[0]!r}?" if hint else f"use one of: {', '.join(PROFILES)}"
        raise ConfigError(f"unknown book profile {name!r}: {fix} (or give the book's PDF)")
    text = resources.files("ankify.pacing").joinpath(profile.contents).read_text(encoding="utf-8")
    return Book(
        name=name.strip().lower(),
        title=profile.title,
        pages=profile.main_text,
        sections=parse_contents(text, profile.contents),
    )


def parse_contents(text: str, where: str) -> tuple[Section, ...]:
    """Contents as TSV lines `level<TAB>number<TAB>title<TAB>page` (`#` lines are comments).

    Level 0 is a part ("Part I: ..."), deeper levels are numbered chapters and sections.
    """
    sections = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        try:
            level, label, title, page = int(cells[0]), cells[1], cells[2], int(cells[3])
        except (IndexError, ValueError):
            raise ConfigError(
                "expected 'level<TAB>number<TAB>title<TAB>page'",
                span=SourceSpan(Path(where), number),
            ) from None
        if level == 0:
            label = f"Part {label}: {title}"
        elif label:
            label = f"{label} {title}"
        else:
            label = title  # the Bibliography and the Index have no number
        sections.append(Section(level, label, page))
    return tuple(sections)


def read_pdf_book(path: Path) -> Book:
    """A book from a PDF: printed page numbers (its page labels, if any) and its outline.

    The book's pages are the pages labelled with plain numbers (front matter in roman numerals
    is left out); a PDF without such labels is numbered from 1. Outline entries pointing at pages
    without a plain number (a preface on page xi) are left out too.
    """
    if not path.is_file():
        raise ConfigError("no such PDF: check the path", span=SourceSpan(path), option="pdf")
    with open_pdf(path) as doc:
        numbers = page_numbers(doc, path)
        printed: list[int | None] = [
            _plain_number(numbers.label(index)) for index in range(numbers.count)
        ]
        outline = read_outline(doc)
    if not any(printed):
        printed = list(range(1, len(printed) + 1))
    plain = [n for n in printed if n is not None]
    sections = [
        Section(entry.level, entry.title, first)
        for entry in outline
        if entry.index < len(printed) and (first := printed[entry.index]) is not None
    ]
    return Book(
        name=path.name,
        title=path.name,
        pages=PageRange(min(plain), max(plain)),
        sections=tuple(sections),
    )


def _plain_number(label: str) -> int | None:
    return int(label) if label.isascii() and label.isdigit() and int(label) > 0 else None
