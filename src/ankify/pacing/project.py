"""Pacing in a project: the plan saved in its ankify.toml, and the notes that record the reading.

The project is found the way a build finds it (`workspace.find_root`), from wherever the
command runs: run from `sources/`, `plan` still saves to the project's ankify.toml and `quota`
still reads it, so a plan never creates a second ankify.toml that would move the project's root.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ConfigError
from ..model import PageRange, SourceSpan
from ..workspace import CONFIG_NAME, find_root, source_key
from .books import Book, load_book, read_pdf_book
from .budget import Forecaster, Forecasting, Outlook, Pacing, Shaped, fit_budget
from .collection import read_collection
from .memory import DEFAULT_RETENTION, Habits, Model
from .notes import read_notes
from .plan import Plan, make_plan
from .plan_file import load_plan, save_plan
from .rates import DEFAULT_CARDS_PER_PAGE, Rate, measure_rate
from .reading_file import load_reading, pdf_pages, save_reading
from .reading_list import Document, check_unique
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


@dataclass(frozen=True, slots=True)
class Planned:
    """A plan made: as asked and as shaped to the budget, with its reading list."""

    shaped: Shaped
    forecaster: Forecaster
    documents: tuple[Document, ...]

    @property
    def schedule(self) -> Schedule:
        return self.shaped.chosen.schedule

    def to_dict(self) -> dict[str, Any]:
        """The schedule (each day with its new cards and forecast minutes), the reading list
        after it, and the forecast: its settings, summary, the plan as asked, and every day."""
        shaped = self.shaped
        view = shaped.chosen
        data = outlook_dict(view, self.documents)
        asked = shaped.asked
        data["forecast"] = {
            **self.forecaster.to_dict(),
            **view.summary(shaped.budget),
            "shaped_to_budget": shaped.changed,
            "asked": {
                "from": asked.schedule.plan.from_pages,
                "to": asked.schedule.plan.to_pages,
                "last_page": asked.last_day.isoformat(),
                **asked.summary(shaped.budget),
            },
            "delay_days": shaped.delay,
            "days": view.load.to_dict()["days"],
        }
        return data


def outlook_dict(view: Outlook, documents: tuple[Document, ...]) -> dict[str, Any]:
    """A schedule and its reading list as JSON, each day with its forecast."""
    load = view.load

    def forecast(day: date) -> dict[str, Any]:
        i = load.index(day)
        return {
            "new_cards": load.new_cards[i],
            "review_minutes": round(load.review_minutes[i], 1),
            "minutes": round(load.total_minutes[i], 1),
        }

    data = view.schedule.to_dict() if view.schedule.days else {"days": [], "finish": None}
    for entry, day in zip(data["days"], view.schedule.days, strict=True):
        entry.update(forecast(day.date))
    data["reading_list"] = [
        {
            "day": d.number,
            "date": d.date.isoformat(),
            "parts": [
                {
                    "title": documents[p.document].title,
                    "first_page": p.pages.first,
                    "last_page": p.pages.last,
                }
                for p in d.parts
            ],
            "pages": d.page_count,
            **forecast(d.date),
        }
        for d in view.papers
    ]
    return data


def forecaster(options: Forecasting, notes: tuple[NotePages, ...]) -> Forecaster:
    """The model, habits and cards per page a forecast uses: the collection's and the notes'
    when there are any, else FSRS-6's and fsrs-rs's defaults."""
    collected = None
    habits = Habits()
    parameters = Model().parameters
    retention = options.retention
    if options.collection is not None:
        collected = read_collection(options.collection, defaults=habits)
        habits = collected.habits(habits)
        parameters = collected.parameters or parameters
        if retention is None:
            retention = collected.retention
    if retention is None:
        retention = DEFAULT_RETENTION
    try:
        model = Model(parameters, retention)
    except ValueError as e:
        raise ConfigError(f"{e}: use a retention such as 0.9", option="retention") from None
    if options.cards_per_page is not None:
        rate = Rate(options.cards_per_page, given=True)
    else:
        rate = measure_rate(notes, default=DEFAULT_CARDS_PER_PAGE)
    return Forecaster(model, habits, rate, collected, options.budget, options.seed, options.runs)


def book_notes(
    notes: tuple[NotePages, ...], documents: tuple[Document, ...]
) -> tuple[NotePages, ...]:
    """The notes about the book: those whose `source:` names no document of the reading list."""
    names = {name for d in documents for name in d.names()}
    return tuple(n for n in notes if n.source is None or n.source.strip().casefold() not in names)


def list_rates(
    documents: tuple[Document, ...], notes: tuple[NotePages, ...], default: float
) -> tuple[float, ...]:
    rates = []
    for document in documents:
        names = document.names()
        about = [n for n in notes if n.source and n.source.strip().casefold() in names]
        rates.append(measure_rate(about, default=default).cards_per_page)
    return tuple(rates)


def _counted_notes(project: Project) -> tuple[NotePages, ...]:
    from ..config import load_config

    if not project.sources.is_dir():
        return ()
    return read_notes(project.sources, count_cards=load_config(project.root))


def reading_list(
    project: Project, *, listed: Path | None = None, papers: tuple[Path, ...] = ()
) -> tuple[Document, ...]:
    """The reading list: the one in ankify.toml, or the one in `listed` (its PDFs named from the
    project's root), and the PDFs `papers` added at its end."""
    if listed is not None:
        documents = tuple(
            dataclasses.replace(d, pdf=source_key(listed.parent / d.pdf, project.root))
            if d.pdf is not None
            else d
            for d in load_reading(listed)
        )
    else:
        documents = load_reading(project.config, base=project.root)
    for paper in papers:
        key = source_key(paper, project.root)
        if any(d.pdf == key for d in documents):
            continue
        pages = pdf_pages(paper)
        documents += (Document(PurePosixPath(key).stem, pages, key, span=SourceSpan(paper)),)
    check_unique(documents, lambda pdf: (project.root / pdf).resolve())
    return documents


def plan_outlook(
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
    forecasting: Forecasting | None = None,
    listed: Path | None = None,
    papers: tuple[Path, ...] = (),
) -> Planned:
    """Make a plan and forecast its review load; when the load is over the budget, shape the
    plan to fit it; save the plan (and the reading list) to the project's ankify.toml."""
    try:
        before: tuple[Document, ...] | None = load_reading(project.config, base=project.root)
    except ConfigError:
        if listed is None:
            raise
        before = None  # replaced by the list given
    documents = reading_list(project, listed=listed, papers=papers)
    schedule = _make(
        project, pages, start, from_pages, to_pages, ramp_days, rest_days, book, pdf, offset
    )
    notes = _counted_notes(project)
    made = forecaster(forecasting or Forecasting(), book_notes(notes, documents))
    pacing = Pacing(
        made.rate.cards_per_page,
        list_rates(documents, notes, made.rate.cards_per_page),
        studied=made.collected.studied_from(start) if made.collected is not None else (),
        budget=made.budget,
    )
    shaped = fit_budget(schedule.plan, schedule.book, documents, pacing, made.simulator())
    save_plan(project.config, shaped.chosen.schedule.plan)
    if documents != before:
        save_reading(project.config, documents)
    return Planned(shaped, made, documents)


def _make(
    project: Project,
    pages: PageRange | None,
    start: date,
    from_pages: int,
    to_pages: int,
    ramp_days: int,
    rest_days: tuple[int, ...],
    book: str | None,
    pdf: Path | None,
    offset: int | None,
) -> Schedule:
    """The plan the settings give, laid out day by day.

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
    return make_schedule(plan, the_book)


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
