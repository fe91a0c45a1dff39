"""The reading list after the book: papers and other documents, read at a pages-per-day pace.

Each document is a PDF (its page count read from the file) or a title with a page count; its
pages are numbered from 1, as notes about it name them (`source: attention.pdf`,
`pages: 3-5`). The list is read after the book, in order, on the plan's reading days.

Pure: documents come in read (`reading_file` reads and saves the `[[reading]]` tables).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any

from ..errors import ConfigError
from ..model import PageRange, SourceSpan
from .plan import Plan, reading_days, reading_days_through
from .report import NotePages, merge_ranges
from .schedule import Day, Schedule

KEYS = ("title", "pdf", "pages", "pace", "after")


@dataclass(frozen=True, slots=True)
class Document:
    """A document of the reading list: its title, page count, PDF (as ankify.toml names it, if
    any), pace (pages a day; None: the plan's pages a day after the ramp) and, to read it
    between the book's pages, the book's page after which it is read (None: after the book);
    `span`: where the list names it (its `[[reading]]` line), for errors about it."""

    title: str
    pages: int
    pdf: str | None = None
    pace: int | None = None
    after: int | None = None
    span: SourceSpan | None = field(default=None, compare=False)

    def names(self) -> tuple[str, ...]:
        """What a note's `source:` may call it: its PDF's path or file name, or its title."""
        names = [self.title]
        if self.pdf is not None:
            names += [self.pdf, PurePosixPath(self.pdf).name]
        return tuple(name.strip().casefold() for name in names)

    @property
    def label(self) -> str:
        """How errors name it: `[[reading]] "Adam"` in a list, its title given on its own."""
        listed = self.span is not None and self.span.line is not None
        return f'[[reading]] "{self.title}"' if listed else f'"{self.title}"'

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
        if self.after is not None:
            data["after"] = self.after
        return data


class EntryError(ConfigError):
    """A mistake in a `[[reading]]` entry; `key`: the key at fault (None: the entry as a whole)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def parse_document(data: Mapping[str, Any], *, pdf_pages: int | None = None) -> Document:
    """A `[[reading]]` table as tomllib returns it (`pdf_pages`: the page count of its PDF, read
    by the caller); EntryError says what to fix (the caller says where, and names the entry)."""
    for key in data:
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            also = f"did you mean {hint[0]!r}?" if hint else f"use {', '.join(KEYS)}"
            raise EntryError(f"unknown key {key!r}: {also}", key)
    pdf, title = data.get("pdf"), data.get("title")
    for key, value in (("pdf", pdf), ("title", title)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise EntryError(f"{key} must be text", key)
    if pdf is None and title is None:
        raise EntryError('needs a pdf = "paper.pdf", or a title and pages')
    pages = data.get("pages", pdf_pages)
    if pages is None:
        raise EntryError("has no pages: add pages = 12 (its page count)")
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise EntryError("pages must be a whole number of pages, e.g. 12", "pages")
    pace = data.get("pace")
    if pace is not None and (isinstance(pace, bool) or not isinstance(pace, int) or pace < 1):
        raise EntryError("pace must be a whole number of pages a day, e.g. 10", "pace")
    after = data.get("after")
    if after is not None and (isinstance(after, bool) or not isinstance(after, int) or after < 1):
        raise EntryError(
            "after must be a page of the book, e.g. after = 120 to read it once the book is read "
            "through page 120",
            "after",
        )
    name = title if title is not None else PurePosixPath(str(pdf)).stem
    return Document(str(name).strip(), pages, pdf, pace, after)


def check_unique(documents: Sequence[Document], resolve: Callable[[str], object]) -> None:
    """ConfigError, at the later entry, unless every document has its own title and PDF
    (`resolve`: a PDF's path as the list names it -> the file) and no title is the name of
    another's PDF: notes naming one would count for both."""
    for j, later in enumerate(documents):
        for earlier in documents[:j]:
            where = _where(earlier, later)
            if later.title.casefold() == earlier.title.casefold():
                problem = f"the same title as {where}: give each document its own title"
            elif (
                later.pdf is not None
                and earlier.pdf is not None
                and resolve(later.pdf) == resolve(earlier.pdf)
            ):
                problem = f"the same PDF as {where}: list each PDF once"
            elif any(
                a.pdf is not None and b.title.casefold() == PurePosixPath(a.pdf).stem.casefold()
                for a, b in ((earlier, later), (later, earlier))
            ):
                problem = (
                    f"a title that is the name of the other's PDF ({where}): notes naming one "
                    "would count for both: give another title"
                )
            else:
                continue
            raise ConfigError(f"{later.label}: {problem}", span=later.span)


def _where(earlier: Document, later: Document) -> str:
    span = earlier.span
    if span is not None and span.line is not None:
        if later.span is not None and later.span.path == span.path:
            return f"{earlier.label} at line {span.line}"
        return f"{earlier.label} in {span.path.name}:{span.line}"
    return earlier.label


def check_after(plan: Plan, documents: Iterable[Document]) -> None:
    """ConfigError unless every `after` is a page the plan reads (or before it)."""
    pages = plan.pages
    for document in documents:
        if document.after is not None and document.after > pages.last:
            raise ConfigError(
                f"{document.label}: after = {document.after} is beyond the book's planned pages "
                f"{pages}: give a page from {pages.first} to {pages.last}, or leave after out to "
                "read it after the book",
                span=document.span,
            )


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
    days = _reading_dates(plan, after + timedelta(days=1))
    number = reading_days_through(plan, after)
    return _read(plan, documents, range(len(documents)), days, number)


def lay_out(
    schedule: Schedule, documents: tuple[Document, ...], *, since: date | None = None
) -> tuple[Schedule, tuple[ListDay, ...]]:
    """The book's days and the reading list's, on the plan's reading days from `since` (the
    plan's start): a document with `after` is read, on days of its own, once the book is read
    through that page (the book's later days move on by as many days); the others follow the
    book in order. Every page of the book and of every document is read once, in order.

    Reading days are numbered in date order, the book's and the list's in one count.
    ConfigError when a document's `after` is beyond the plan's pages."""
    plan = schedule.plan
    check_after(plan, documents)
    days = _reading_dates(plan, since if since is not None else plan.start)
    between = sorted(
        (i for i, d in enumerate(documents) if d.after is not None),
        key=lambda i: (documents[i].after or 0, i),
    )
    book: list[Day] = []
    papers: list[ListDay] = []
    # Every reading day numbered in date order, the book's and the list's alike.
    first = max(since if since is not None else plan.start, plan.start)
    number = reading_days_through(plan, first) - plan.is_reading_day(first)
    for day in schedule.days:
        number += 1
        book.append(dataclasses.replace(day, number=number, date=next(days)))
        while between and (documents[between[0]].after or 0) <= day.pages.last:
            read = _read(plan, documents, (between.pop(0),), days, number)
            papers.extend(read)
            number += len(read)
    rest = [*between, *(i for i, d in enumerate(documents) if d.after is None)]
    papers.extend(_read(plan, documents, rest, days, number))
    return Schedule(plan, tuple(book), schedule.book), tuple(papers)


def _reading_dates(plan: Plan, since: date) -> Iterator[date]:
    return (day for _, day in reading_days(plan, since))


def _read(
    plan: Plan,
    documents: tuple[Document, ...],
    order: Sequence[int],
    days: Iterator[date],
    number: int,
) -> tuple[ListDay, ...]:
    """Documents `order` read on the next `days`, each day at the pace of the document it
    starts in, going on into the next one when one ends (days numbered on from `number`)."""
    out: list[ListDay] = []
    at, page = 0, 1
    while at < len(order):
        number += 1
        left = documents[order[at]].pace or plan.to_pages
        parts = []
        while left > 0 and at < len(order):
            document = documents[order[at]]
            last = min(page + left - 1, document.pages)
            parts.append(Part(order[at], PageRange(page, last)))
            left -= last - page + 1
            if last == document.pages:
                at, page = at + 1, 1
            else:
                page = last + 1
        out.append(ListDay(number, next(days), tuple(parts)))
    return tuple(out)


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
