"""Where the learner stands on a day, with the Anki time ahead: the quota report, the reading
list's progress, and the load forecast again from the cards built so far and the pages left."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..model import PageRange
from .books import Book
from .budget import Forecaster, Forecasting, Outlook, Pacing, outlook
from .notes import read_notes
from .plan import Plan, check_date, reading_days
from .plan_file import load_plan
from .project import Project, book_notes, book_of, forecaster, list_rates
from .reading_file import load_reading
from .reading_list import DocumentProgress, ListDay, lay_out, list_progress
from .report import ProgressPoint, Report, pages_done, quota_report
from .report import progress as pages_progress
from .schedule import Day, Schedule, make_schedule


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the learner stands on a day: the quota report, the reading list's progress, and
    the load forecast from that day on (from the cards built so far and the pages left)."""

    report: Report
    documents: tuple[DocumentProgress, ...]
    outlook: Outlook
    forecaster: Forecaster
    progress: tuple[ProgressPoint, ...]
    papers: tuple[ListDay, ...] = ()  # the reading list's days, as planned
    no_notes: bool = False  # the project has no folder of notes yet

    @property
    def list_today(self) -> ListDay | None:
        """The reading list's pages planned for the report's day, if any."""
        return next((d for d in self.papers if d.date == self.report.on), None)

    def to_dict(self) -> dict[str, Any]:
        reviews, total = self.today_minutes
        budget = self.forecaster.budget
        return {
            **self.report.to_dict(),
            "anki_today": {"review_minutes": round(reviews, 1), "minutes": round(total, 1)},
            "reading_list": [p.to_dict() for p in self.documents],
            "reading_list_today": [
                {
                    "title": self.documents[p.document].document.title,
                    "first_page": p.pages.first,
                    "last_page": p.pages.last,
                }
                for p in (self.list_today.parts if self.list_today else ())
            ],
            "forecast": {
                **self.forecaster.to_dict(),
                **self.outlook.summary(budget),
                "days": self.outlook.load.to_dict()["days"],
            },
        }

    @property
    def today_minutes(self) -> tuple[float, float]:
        """Today's forecast minutes: reviews, and reviews with learning."""
        load = self.outlook.load
        return load.review_minutes[0], load.total_minutes[0]


def standing(
    project: Project, today: date, sources: Path | None, forecasting: Forecasting
) -> Standing:
    """The quota report for `today` with the reading list and a forecast re-made from the cards
    the notes build (or, with a collection, the cards it holds) and the pages still to read."""
    from ..config import load_config

    check_date(today, "date", what="a report for ")
    plan = load_plan(project.config)
    book = book_of(plan, project.root)
    documents = load_reading(project.config, base=project.root)
    # The book's days as the plan lays them out, papers read between its pages among them.
    schedule, papers = lay_out(make_schedule(plan, book), documents)
    folder = sources if sources is not None else project.sources
    # A new project has no notes yet: nothing read, rather than an error.
    no_notes = sources is None and not folder.exists()
    notes = () if no_notes else read_notes(folder, count_cards=load_config(project.root))
    about_book = book_notes(notes, documents)
    report = quota_report(schedule, about_book, today)
    made = forecaster(forecasting, about_book)
    learned: dict[date, int] = {}
    if made.collected is None:  # a collection holds these cards already
        for note in notes:
            if note.cards and note.written <= today:
                learned[note.written] = learned.get(note.written, 0) + note.cards
    done = sum(len(r) for r in pages_done(plan, about_book))
    # The pages left, read from today at the plan's quotas (as the projected finish reads them).
    left = _from_today(plan, book, today, len(plan.pages) - done)
    progress = list_progress(documents, notes)
    remaining = tuple(
        dataclasses.replace(p.document, pages=p.document.pages - p.done)
        for p in progress
        if p.done < p.document.pages
    )
    pacing = Pacing(
        made.rate.cards_per_page,
        list_rates(documents, notes, made.rate.cards_per_page),
        learned=learned,
        studied=made.collected.studied_from(today) if made.collected is not None else (),
        budget=made.budget,
    )
    view = outlook(left, remaining, pacing, made.simulator(), start=today)
    if view.schedule.days:
        # The pages left at the plan's quotas, with the days of papers read between them.
        report = dataclasses.replace(report, projected_finish=view.schedule.finish)
    return Standing(
        report, progress, view, made, pages_progress(schedule, about_book, today), papers, no_notes
    )


def _from_today(plan: Plan, book: Book | None, today: date, remaining: int) -> Schedule:
    """The last `remaining` pages of the plan laid out from `today` on, at the plan's quotas for
    the day numbers those days have (the ramp goes on, it does not restart)."""
    days: list[Day] = []
    first = plan.pages.last - remaining + 1
    if remaining > 0:
        for k, day in reading_days(plan, today):
            last = min(first + plan.quota(k) - 1, plan.pages.last)
            pages = PageRange(first, last)
            days.append(Day(k, day, pages, book.sections_in(pages) if book else ()))
            if last == plan.pages.last:
                break
            first = last + 1
    return Schedule(plan, tuple(days), book)
