"""Pacing in a project: the plan saved in its ankify.toml, and the notes that record the reading.

The project is found the way a build finds it (`workspace.find_root`), from wherever the
command runs: run from `sources/`, `plan` still saves to the project's ankify.toml and `quota`
still reads it, so a plan never creates a second ankify.toml that would move the project's root.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..model import PageRange, SourceSpan
from ..workspace import CONFIG_NAME, find_root, source_key
from .books import Book, load_book, read_pdf_book
from .notes import read_notes
from .plan import Plan, make_plan
from .plan_file import load_plan, save_plan
from .report import NotePages
from .schedule import Schedule, make_schedule

#: Where a project's notes are, from its root, unless a command says otherwise.
SOURCES = "sources"


@dataclass(frozen=True, slots=True)
class Project:
    """A project, as pacing sees it: its root and its ankify.toml."""

    root: Path

    @classmethod
    def find(cls, start: Path) -> Project:
        return cls(find_root(start))

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def sources(self) -> Path:
        return self.root / SOURCES


def create_plan(
    project: Project,
    *,
    pages: PageRange | None,
    start: date,
    from_pages: int,
    to_pages: int,
    ramp_days: int,
    rest_days: tuple[int, ...],
    book: str | None,
    pdf: Path | None,
    offset: int | None = None,
) -> Schedule:
    """Make a plan, save it to the project's ankify.toml and lay it out day by day.

    `offset` numbers the pages of a PDF without page labels: printed page P is physical page
    P + offset (as `build --offset` reads them).
    """
    if book is not None and pdf is not None:
        raise ConfigError(
            "a book profile and a PDF both name the book: give only one of them",
            option=("book", "pdf"),
        )
    the_book = load_book(book) if book is not None else None
    if pdf is not None:
        the_book = read_pdf_book(pdf, offset=offset)
    plan = make_plan(
        pages=pages,
        start=start,
        from_pages=from_pages,
        to_pages=to_pages,
        ramp_days=ramp_days,
        rest_days=rest_days,
        book=the_book,
        pdf=source_key(pdf, project.root) if pdf is not None else None,
        offset=offset,
    )
    schedule = make_schedule(plan, the_book)
    save_plan(project.config, plan)
    return schedule


def load_progress(
    project: Project, sources: Path | None = None
) -> tuple[Schedule, tuple[NotePages, ...]]:
    """The saved plan laid out, and the notes (in `sources`, else the project's) that record
    the reading."""
    plan = load_plan(project.config)
    schedule = make_schedule(plan, book_of(plan, project.root))
    return schedule, read_notes(sources if sources is not None else project.sources)


def book_of(plan: Plan, base: Path) -> Book | None:
    """The book a saved plan names (a bundled profile or a PDF relative to `base`), if any."""
    if plan.book is not None:
        return load_book(plan.book)
    if plan.pdf is not None:
        path = base / plan.pdf
        if not path.is_file():
            raise ConfigError(
                f"the PDF named by [plan] pdf in {CONFIG_NAME} is missing: move it back or run "
                "'ankify plan --pdf BOOK.pdf' again",
                span=SourceSpan(path),
            )
        try:
            return read_pdf_book(path, offset=plan.offset)
        except ConfigError as e:
            if e.option != "offset":
                raise
            raise ConfigError(
                f"the PDF has page labels now, and [plan] offset in {CONFIG_NAME} is for PDFs "
                "without them: run 'ankify plan' again, without the offset",
                span=e.span,
            ) from None
    return None
