"""Books to pace: bundled profiles (contents shipped as data) and a PDF's pages and outline."""

from __future__ import annotations

import difflib
import functools
import importlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import PageRange
from ..pacing import Book, Section


@dataclass(frozen=True, slots=True)
class _Profile:
    contents: str  # a TSV in this package: level, number, title, printed page
    title: str
    main_text: PageRange


PROFILES = {
    "dlbook": _Profile(
        contents="dlbook.tsv",
        title="Deep Learning (Goodfellow, Bengio, Courville), online edition",
        main_text=PageRange(1, 716),
    ),
}


@functools.cache
def load_book(name: str) -> Book:
    """A bundled book profile by name, e.g. "dlbook"."""
    profile = PROFILES.get(name.strip().lower())
    if profile is None:
        hint = difflib.get_close_matches(name.strip().lower(), PROFILES, n=1, cutoff=0.6)
        fix = f"did you mean {hint[0]!r}?" if hint else f"use one of: {', '.join(PROFILES)}"
        raise ConfigError(f"unknown book profile {name!r}: {fix} (or give --pdf book.pdf)")
    text = resources.files(__name__).joinpath(profile.contents).read_text(encoding="utf-8")
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
                f"{where}:{number}: expected 'level<TAB>number<TAB>title<TAB>page'"
            ) from None
        label = f"Part {label}: {title}" if level == 0 else f"{label} {title}"
        sections.append(Section(level, label, page))
    return tuple(sections)


def read_pdf_book(path: Path) -> Book:
    """A book from a PDF: printed page numbers (its page labels, if any) and its outline.

    The book's pages are the pages labelled with plain numbers (front matter in roman numerals
    is left out); a PDF without such labels is numbered from 1. Outline entries pointing at pages
    without a plain number (a preface on page xi) are left out too.
    """
    try:
        # Untyped for mypy (no stubs for its SWIG layer), so held as Any.
        pymupdf: Any = importlib.import_module("pymupdf")
    except ImportError:
        raise ConfigError(
            f"reading {path} needs PyMuPDF: pip install pymupdf (or use --book dlbook)"
        ) from None
    if not path.is_file():
        raise ConfigError(f"{path}: no such PDF: check the path given to --pdf")
    try:
        doc = pymupdf.open(path)
    except Exception as e:  # PyMuPDF raises its own FileDataError, RuntimeError ...
        raise ConfigError(f"{path}: not a PDF that can be read ({e}): check the file") from None
    with doc:
        if not doc.is_pdf or doc.page_count == 0:
            raise ConfigError(f"{path}: not a PDF with pages: check the file")
        printed: list[int | None]
        if doc.get_page_labels():
            printed = [_plain_number(page.get_label()) for page in doc]
        else:
            printed = list(range(1, doc.page_count + 1))
        outline = doc.get_toc(simple=True)
    if not any(printed):
        printed = list(range(1, len(printed) + 1))
    numbers = [n for n in printed if n is not None]
    sections = []
    for level, title, page in outline:
        if 1 <= page <= len(printed) and (first := printed[page - 1]) is not None:
            sections.append(Section(int(level), " ".join(str(title).split()), first))
    return Book(
        name=path.name,
        title=path.name,
        pages=PageRange(min(numbers), max(numbers)),
        sections=tuple(sections),
    )


def _plain_number(label: str) -> int | None:
    return int(label) if label.isascii() and label.isdigit() and int(label) > 0 else None
