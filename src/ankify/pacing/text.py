"""Schedules, forecasts and reports as text for people."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import PageRange
from .books import Section
from .budget import Forecaster, Outlook, Shaped
from .plan import WEEKDAYS, Plan
from .reading_list import Document
from .report import Report, Status
from .schedule import Schedule

if TYPE_CHECKING:
    from .standing import Standing


def _pages(n: int) -> str:
    return f"{n} page" if abs(n) == 1 else f"{n} pages"


def _pp(*ranges: PageRange) -> str:
    """`p. 21` or `pp. 21-24, 26`: printed pages as a book names them."""
    one = len(ranges) == 1 and len(ranges[0]) == 1
    return ("p. " if one else "pp. ") + ", ".join(str(r) for r in ranges)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _when(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _labels(sections: tuple[Section, ...]) -> str:
    return "; ".join(s.label for s in sections)


def describe_plan(schedule: Schedule) -> str:
    """One line about a plan: pages, dates, ramp, rest days."""
    plan = schedule.plan
    rest = ", ".join(WEEKDAYS[d] for d in plan.rest_days) or "none"
    if plan.from_pages == plan.to_pages:
        ramp = f"{_pages(plan.to_pages)} a day"
    else:
        ramp = (
            f"{plan.from_pages} rising to {_pages(plan.to_pages)} a day "
            f"over {_days(plan.ramp_days)}"
        )
    return (
        f"{_pp(plan.pages)} ({_pages(schedule.total_pages)}) in {len(schedule.days)} reading days, "
        f"{_when(plan.start)} to {_when(schedule.finish)}; {ramp}; rest days: {rest}"
    )


def format_schedule(schedule: Schedule) -> str:
    """The schedule as a table for people: day, date, pages and the sections they cover."""
    lines = [f"Plan: {describe_plan(schedule)}"]
    if schedule.book is not None:
        lines.append(f"Book: {schedule.book.title}")
        after = [s for s in schedule.book.back_matter if s.first_page > schedule.plan.pages.last]
        if after and schedule.plan.pages.last >= schedule.book.pages.last:
            left = ", ".join(
                f"{s.label} ({_pp(PageRange(s.first_page, s.first_page))})" for s in after
            )
            lines.append(f"Not planned: {left}: back matter, after the main text")
    rows = [
        (str(d.number), _when(d.date), str(d.pages), str(len(d.pages)), _labels(d.sections))
        for d in schedule.days
    ]
    header = ("day", "date", "pages", "n", "sections" if schedule.book else "")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    lines.append("")
    for row in (header, *rows):
        cells = (
            row[0].rjust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].rjust(widths[3]),
            row[4],
        )
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def format_report(report: Report, *, sources: str = "sources/", no_notes: bool = False) -> str:
    """The quota report for people: today's reading, pages done, behind or ahead, finish
    (`no_notes`: the folder `sources` does not exist yet)."""
    schedule = report.schedule
    total_days = schedule.days[-1].number  # reading days to the book's last (papers among them)
    lines = []
    when = _when(report.on)
    if report.status is Status.BEFORE_START:
        wait = (schedule.days[0].date - report.on).days
        lines.append(
            f"{when}: the plan has not started yet: day 1 is {_when(schedule.days[0].date)}, "
            f"in {_days(wait)}."
        )
    elif report.status is Status.AFTER_FINISH:
        lines.append(
            f"{when}: the plan finished on {_when(schedule.finish)} "
            f"(day {total_days} of {total_days}); no reading is planned today."
        )
    elif report.status is Status.REST:
        lines.append(f"{when}: a rest day; no reading is planned today.")
    else:
        assert report.today is not None
        day = report.today
        lines.append(f"{when}: day {day.number} of {total_days}.")
        lines.append(f"Today's reading: {_pp(day.pages)} ({_pages(len(day.pages))})")
        lines.extend(f"  {s.label}" for s in day.sections)
    if report.status in (Status.BEFORE_START, Status.REST) and report.next_day is not None:
        nxt = report.next_day
        sections = f": {_labels(nxt.sections)}" if nxt.sections else ""
        lines.append(
            f"Next reading: day {nxt.number}, {_when(nxt.date)}, {_pp(nxt.pages)}{sections}"
        )
    done = f"Done: {report.done} of {_pages(schedule.total_pages)} have notes"
    if no_notes:
        lines.append(f"{done}: there is no {sources} folder of notes yet (write your notes there)")
    else:
        lines.append(f"{done} in {sources}")
    if report.behind > 0:
        standing = f"{_pages(report.behind)} behind"
    elif report.behind < 0:
        standing = f"{_pages(-report.behind)} ahead"
    else:
        standing = "on track"
    lines.append(f"Planned before today: {_pages(report.planned_before_today)}: {standing}")
    if report.missing:
        more = f" and {len(report.missing) - 5} more" if len(report.missing) > 5 else ""
        lines.append(f"  planned pages without notes yet: {_pp(*report.missing[:5])}{more}")
    if report.projected_finish is None:
        lines.append("Finish: every page of the plan has notes. Well done!")
    else:
        lines.append(
            f"Projected finish: {_when(report.projected_finish)} if you keep the plan's quotas "
            f"from today (plan: {_when(schedule.finish)})"
        )
    lines.append(f"Streak: {_days(report.streak)} with notes")
    return "\n".join(lines)


# -- forecasts --------------------------------------------------------------------------------


def _min(minutes: float) -> str:
    return f"{minutes:.0f} min"


def format_outlook(
    shaped: Shaped, forecaster: Forecaster, documents: tuple[Document, ...] = ()
) -> str:
    """A plan with its forecast: the schedule (and reading list) with each day's new cards and
    forecast minutes, then the peak, the mean, the budget, and how the plan was shaped to it."""
    chosen = shaped.chosen
    schedule, load = chosen.schedule, chosen.load
    lines = [f"Plan: {describe_plan(schedule)}"]
    if chosen.papers:
        lines.append(
            f"Then: {len(documents)} document{'s' if len(documents) != 1 else ''} of the reading "
            f"list, {_pages(sum(d.pages for d in documents))}, to {_when(chosen.last_day)}"
        )
    if schedule.book is not None:
        lines.append(f"Book: {schedule.book.title}")
        after = [s for s in schedule.book.back_matter if s.first_page > schedule.plan.pages.last]
        if after and schedule.plan.pages.last >= schedule.book.pages.last:
            left = ", ".join(
                f"{s.label} ({_pp(PageRange(s.first_page, s.first_page))})" for s in after
            )
            lines.append(f"Not planned: {left}: back matter, after the main text")
    rows = []

    def minutes(day: date) -> tuple[str, str, str]:
        i = load.index(day)
        return (
            str(load.new_cards[i]),
            f"{load.review_minutes[i]:.0f}",
            f"{load.total_minutes[i]:.0f}",
        )

    for d in schedule.days:
        rows.append(
            (
                str(d.number),
                _when(d.date),
                str(d.pages),
                str(len(d.pages)),
                *minutes(d.date),
                _labels(d.sections),
            )
        )
    for paper_day in chosen.papers:
        rows.append(
            (
                str(paper_day.number),
                _when(paper_day.date),
                ", ".join(str(p.pages) for p in paper_day.parts),
                str(paper_day.page_count),
                *minutes(paper_day.date),
                "; ".join(documents[p.document].title for p in paper_day.parts),
            )
        )
    # Reading days in date order (papers read between the book's pages among them), numbered.
    rows.sort(key=lambda row: row[1][4:])
    rows = [(str(number), *row[1:]) for number, row in enumerate(rows, start=1)]
    named = schedule.book is not None or bool(chosen.papers)
    header = ("day", "date", "pages", "n", "cards", "review", "total", "sections" if named else "")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(7)]
    lines.append("")
    for row in (header, *rows):
        cells = (
            row[0].rjust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].ljust(widths[2]),
            *(row[i].rjust(widths[i]) for i in range(3, 7)),
            row[7],
        )
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append("cards: new cards from the day's pages; review, total: forecast minutes of Anki")
    lines.append("that day, reviews alone and with learning the new cards (mean of the runs)")
    lines.append("")
    lines.extend(forecast_lines(chosen, forecaster, budget=shaped.budget))
    if shaped.changed:
        asked = shaped.asked
        lines.append(
            f"Shaped to the budget: as asked ({_ramp(asked.schedule.plan)}) the forecast peaks at "
            f"{_min(asked.peak_minutes)} a day on {_when(asked.load.day(asked.load.peak))}, "
            f"over {_min(shaped.budget)}; at {_ramp(schedule.plan)} it fits, finishing on "
            f"{_when(chosen.last_day)}, {_days(shaped.delay)} later than {_when(asked.last_day)}"
        )
    return "\n".join(lines)


def _ramp(plan: Plan) -> str:
    if plan.from_pages == plan.to_pages:
        return f"{_pages(plan.to_pages)} a day"
    return f"{plan.from_pages} rising to {_pages(plan.to_pages)} a day"


def forecast_lines(view: Outlook, forecaster: Forecaster, *, budget: float) -> list[str]:
    """The forecast's summary: what it assumes, the peak, the mean and the budget."""
    load = view.load
    rate = forecaster.rate
    if rate.measured:
        notes = "1 note" if rate.notes == 1 else f"{rate.notes} notes"
        measured = f"measured: {notes}, {rate.cards} cards over {_pages(rate.pages)}"
    else:
        measured = "given" if rate.given else "the default"
    collected = forecaster.collected
    source = "your collection's" if collected and collected.parameters else "default"
    lines = [
        f"Forecast: {rate.cards_per_page:.2f} cards a page ({measured}); FSRS-6 with {source} "
        f"parameters, retention {forecaster.model.retention:.2f}; mean of "
        f"{forecaster.runs} runs from seed {forecaster.seed}",
    ]
    reviews = sum(load.reviews)
    review_seconds = sum(load.review_minutes) * 60 / reviews if reviews else 0.0
    learned = sum(load.new_cards)
    learning = (sum(load.total_minutes) - sum(load.review_minutes)) * 60
    timing = (
        "measured in your review log" if collected and collected.costs else "fsrs-rs's defaults"
    )
    if reviews or learned:
        lines.append(
            f"  a review takes {review_seconds:.0f} s, learning a new card "
            f"{learning / learned if learned else 0:.0f} s ({timing})"
        )
    if collected is not None and collected.studied:
        lines.append(f"  with the reviews of the {len(collected.studied)} cards you study already")
    peak = load.peak
    lines.append(
        f"Peak: {_min(load.total_minutes[peak])} a day on {_when(load.day(peak))} (reviews "
        f"{load.review_minutes[peak]:.0f}, learning "
        f"{load.total_minutes[peak] - load.review_minutes[peak]:.0f}; 90th percentile "
        f"{_min(load.total_p90[peak])}); reviews alone peak at "
        f"{_min(load.review_minutes[load.review_peak])} on {_when(load.day(load.review_peak))}"
    )
    lines.append(f"Mean: {_min(view.reading_mean())} a day to the last page")
    below = view.below_budget_from(budget)
    if below is None:
        when = (
            f"still over it {_days(len(load) - 1 - load.index(view.last_day))} after the last page"
        )
    elif below == view.last_day + timedelta(days=1):
        when = "within it after the last page"
    else:
        when = (
            f"within it from {_when(below)} on, "
            f"{_days((below - view.last_day).days)} after the last page"
        )
    lines.append(f"Budget: {_min(budget)} a day: {when}")
    return lines


def format_standing(standing: Standing, *, sources: str = "sources/") -> str:
    """The quota report, then today's forecast minutes, the reading list and the forecast."""
    lines = format_report(standing.report, sources=sources, no_notes=standing.no_notes).split("\n")
    today = standing.list_today
    report = standing.report
    last = standing.papers[-1] if standing.papers else None
    if (
        report.status is Status.AFTER_FINISH
        and last is not None
        and last.date > report.schedule.finish
        and today is None
    ):
        # The book is read, but the plan ends with the reading list.
        book = f"the book was finished on {_when(report.schedule.finish)}"
        if report.on < last.date:
            lines[0] = (
                f"{_when(report.on)}: {book}; the reading list goes on to {_when(last.date)} "
                f"(day {last.number}); no reading is planned today."
            )
        else:
            lines[0] = (
                f"{_when(report.on)}: the plan finished on {_when(last.date)} (day {last.number} "
                f"of {last.number}) with the reading list; no reading is planned today."
            )
    if today is not None:
        reading = "; ".join(
            f"{standing.documents[p.document].document.title} {_pp(p.pages)}" for p in today.parts
        )
        if standing.report.status in (Status.REST, Status.AFTER_FINISH):
            # Not a rest from reading: the book waits (or is done) while the list is read.
            lines[0] = f"{_when(standing.report.on)}: the reading list: {reading}"
        else:
            lines.insert(1, f"Reading list today: {reading}")
    reviews, total = standing.today_minutes
    lines.append(
        f"Anki today: about {_min(reviews)} of reviews, {_min(total)} with today's new cards "
        "(forecast)"
    )
    for progress in standing.documents:
        document = progress.document
        lines.append(f"Reading list: {document.title}: {progress.done} of {_pages(document.pages)}")
    lines.extend(
        forecast_lines(standing.outlook, standing.forecaster, budget=standing.forecaster.budget)
    )
    return "\n".join(lines)
