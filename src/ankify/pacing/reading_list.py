"""The reading list after the book: papers and other documents, read at a pages-per-day pace.

Each document is a PDF (its page count read from the file) or a title with a page count; its
pages are numbered from 1, as notes about it name them (`source: attention.pdf`,
`pages: 3-5`). The list is read after the book, in order, on the plan's reading days.

Pure: documents come in read (`reading_file` reads and saves the `[[reading]]` tables).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any

from ..errors import ConfigError
from ..model import PageRange
from .plan import Plan, reading_days_through
from .report import NotePages, merge_ranges

KEYS = ("title", "pdf", "pages", "pace")


@dataclass(frozen=True, slots=True)
class Document:
    """A document of the reading list: its title, page count, PDF (as ankify.toml names it, if
    any) and pace (pages a day; None: the plan's pages a day after the ramp)."""

    title: str
    pages: int
    pdf: str | None = None
    pace: int | None = None

    def names(self) -> tuple[str, ...]:
        """What a note's `source:` may call it: its PDF's path or file name, or its title."""
        names = [self.title]
        if self.pdf is not None:
            names += [self.pdf, PurePosixPath(self.pdf).name]
        return tuple(name.strip().casefold() for name in names)

    def to_dict(self) -> dict[str, Any]:
        """The `[[reading]]` table: a PDF's path (its pages are read from it) or a title and
        page count."""
        data: dict[str, Any] = {"pdf": self.pdf} if self.pdf is not None else {}
        if self.pdf is None or self.title != PurePosixPath(self.pdf).stem:
            data["title"] = self.title
        if self.pdf is None:
            data["pages"] = self.pages
        if self.pace is not None:
            data["pace"] = self.pace
        return data


def parse_document(data: Mapping[str, Any], *, pdf_pages: int | None = None) -> Document:
    """A `[[reading]]` table as tomllib returns it (`pdf_pages`: the page count of its PDF, read
    by the caller); ConfigError says what to fix."""
    for key in data:
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            also = f"did you mean {hint[0]!r}?" if hint else f"use {', '.join(KEYS)}"
            raise ConfigError(f"unknown key {key!r} in [[reading]]: {also}")
    pdf, title = data.get("pdf"), data.get("title")
    for key, value in (("pdf", pdf), ("title", title)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"[[reading]] {key} must be text")
    if pdf is None and title is None:
        raise ConfigError('a [[reading]] entry needs a pdf = "paper.pdf", or a title and pages')
    pages = data.get("pages", pdf_pages)
    if pages is None:
        raise ConfigError(f"[[reading]] {title!r} has no pages: add pages = 12 (its page count)")
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise ConfigError("[[reading]] pages must be a whole number of pages, e.g. 12")
    pace = data.get("pace")
    if pace is not None and (isinstance(pace, bool) or not isinstance(pace, int) or pace < 1):
        raise ConfigError("[[reading]] pace must be a whole number of pages a day, e.g. 10")
    name = title if title is not None else PurePosixPath(str(pdf)).stem
    return Document(str(name).strip(), pages, pdf, pace)


@dataclass(frozen=True, slots=True)
class Part:
    """Pages of one document read on a day."""

    document: int  # its index in the reading list
    pages: PageRange


@dataclass(frozen=True, slots=True)
class ListDay:
    """A reading day of the list: its number (counting on from the book's days), date and parts."""

    number: int
    date: date
    parts: tuple[Part, ...]

    @property
    def page_count(self) -> int:
        return sum(len(p.pages) for p in self.parts)


def schedule_list(
    plan: Plan, documents: tuple[Document, ...], *, after: date
) -> tuple[ListDay, ...]:
    """The documents laid out on the plan's reading days after `after` (the book's last day):
    each day reads the pace of the document it starts in, going on into the next document when
    one ends; every page of every document is read exactly once, in order."""
    if not documents:
        return ()
    days: list[ListDay] = []
    number = reading_days_through(plan, after)
    day = after
    index, page = 0, 1
    while index < len(documents):
        day += timedelta(days=1)
        if not plan.is_reading_day(day):
            continue
        number += 1
        left = documents[index].pace or plan.to_pages
        parts = []
        while left > 0 and index < len(documents):
            document = documents[index]
            last = min(page + left - 1, document.pages)
            parts.append(Part(index, PageRange(page, last)))
            left -= last - page + 1
            if last == document.pages:
                index, page = index + 1, 1
            else:
                page = last + 1
        days.append(ListDay(number, day, tuple(parts)))
    return tuple(days)


@dataclass(frozen=True, slots=True)
class DocumentProgress:
    """How far a document of the list is read: its pages with notes, of all its pages."""

    document: Document
    done: int

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.document.to_dict(),
            "title": self.document.title,
            "pages": self.document.pages,
            "done": self.done,
        }


def list_progress(
    documents: Iterable[Document], notes: Iterable[NotePages]
) -> tuple[DocumentProgress, ...]:
    """Each document's pages that notes about it (their `source:`) cover."""
    notes = tuple(notes)
    progress = []
    for document in documents:
        names = document.names()
        about = [
            r
            for n in notes
            if n.source is not None and n.source.strip().casefold() in names
            for r in n.pages
            if r.first <= document.pages
        ]
        covered = merge_ranges(PageRange(r.first, min(r.last, document.pages)) for r in about)
        progress.append(DocumentProgress(document, sum(len(r) for r in covered)))
    return tuple(progress)
