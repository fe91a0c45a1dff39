"""Books to pace: bundled profiles (contents shipped as data) and a PDF's pages and outline."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..model import PageRange, SourceSpan
from ..sources.pdf.document import open_pdf
from ..sources.pdf.outline import OutlineEntry, read_outline
from ..sources.pdf.pages import page_numbers


@dataclass(frozen=True, slots=True)
class Section:
    """A part, chapter or section: its depth (smaller is coarser), label and first printed page."""

    level: int
    label: str
    first_page: int


@dataclass(frozen=True, slots=True)
class Book:
    """What pacing knows of a book: its name, main-text pages and contents in page order.

    `pages` is the main text, what a plan reads by default; `extent` every printed page known
    (the main text, and back matter such as the bibliography and index after it), which a plan
    may be given instead. `extent` defaults to the main text through the last section's start.
    """

    name: str
    title: str
    pages: PageRange
    sections: tuple[Section, ...] = ()
    extent: PageRange | None = None
    # Last page of each section: the page before the next one starts (or its own first page when
    # the next starts on the same page, as "2 Linear Algebra" and "2.1 Scalars ..." do).
    _ends: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.sections, key=lambda s: s.first_page))
        starts = [s.first_page for s in ordered]
        extent = self.extent or self.pages
        last = max(extent.last, self.pages.last, *starts)
        first = min(extent.first, self.pages.first, *starts)
        following = [*starts[1:], last + 1] if starts else []
        ends = tuple(max(a, b - 1) for a, b in zip(starts, following, strict=True))
        object.__setattr__(self, "sections", ordered)
        object.__setattr__(self, "_ends", ends)
        object.__setattr__(self, "extent", PageRange(first, last))

    @property
    def back_matter(self) -> tuple[Section, ...]:
        """The sections after the main text (the Bibliography, the Index), coarsest level only."""
        after = [s for s in self.sections if s.first_page > self.pages.last]
        level = min((s.level for s in after), default=0)
        return tuple(s for s in after if s.level == level)

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


def read_pdf_book(path: Path, *, offset: int | None = None) -> Book:
    """A book from a PDF: printed page numbers (its page labels, if any) and its outline.

    The book's pages are the pages labelled with plain numbers (front matter in roman numerals
    is left out); a PDF without labels is numbered from 1, or from 1 - `offset` (printed page P
    is physical page P + offset). Outline entries pointing at pages without a plain number (a
    preface on page xi) are left out too. The main text ends where the back matter at the end
    of the outline starts (see `main_text_end`).
    """
    if not path.is_file():
        raise ConfigError("no such PDF: check the path", span=SourceSpan(path), option="pdf")
    with open_pdf(path) as doc:
        numbers = page_numbers(doc, path, offset=offset)
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
    end = main_text_end(outline)
    main = [n for n in printed[: end + 1 if end is not None else None] if n is not None]
    extent = PageRange(min(plain), max(plain))
    return Book(
        name=path.name,
        title=path.name,
        pages=PageRange(min(plain), max(main)) if main else extent,
        sections=tuple(sections),
        extent=extent,
    )


#: Outline titles of back matter: what follows the text to be looked up, not read. Appendices
#: are not among them: they are text to read.
_BACK_MATTER = re.compile(
    r"bibliography|references|reference list|works cited|literature cited|"
    r"(?:subject |author |name |general )?index(?:es)?(?: of [\w ]+)?|indices|glossary|"
    r"acknowledge?ments?|colophon|about the authors?",
    re.IGNORECASE,
)
#: A section number before a title: `7 `, `7.3. `, `B. `.
_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[A-Z])\.?\s+")


def is_back_matter(title: str) -> bool:
    """Whether an outline title names back matter ("Bibliography", "7 References", "Index")."""
    return bool(_BACK_MATTER.fullmatch(_NUMBER.sub("", title.strip()).rstrip(" .:")))


def main_text_end(outline: Sequence[OutlineEntry]) -> int | None:
    """The last physical page (0-based) of the main text, or None when it runs to the end.

    The main text ends where the back matter that closes the outline starts: the entries after
    the last one that is neither back matter nor inside it (the Index's letters). Back matter
    followed by more text (References, then the appendices of a paper) is read with it. The
    page where the back matter starts is the main text's when the last section of the text
    also starts there (it has at least its first page); else the page before is the last.
    """
    start: OutlineEntry | None = None  # the first entry of the closing back matter
    level = 0  # the level of the back-matter entry the entries after it may sit inside
    text: OutlineEntry | None = None  # the last entry of the text
    for entry in outline:
        if start is not None and entry.level > level:
            continue
        if is_back_matter(entry.title):
            start = start or entry
            level = entry.level
        else:
            start, text = None, entry
    if start is None or text is None:
        return None  # no back matter at the end, or nothing but back matter
    return start.index if text.index == start.index else start.index - 1


def _plain_number(label: str) -> int | None:
    return int(label) if label.isascii() and label.isdigit() and int(label) > 0 else None
