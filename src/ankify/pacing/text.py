"""Schedules and reports as text for people."""

from __future__ import annotations

from datetime import date

from ..model import PageRange
from .books import Section
from .plan import WEEKDAYS
from .report import Report, Status
from .schedule import Schedule


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


def format_report(report: Report, *, sources: str = "sources/") -> str:
    """The quota report for people: today's reading, pages done, behind or ahead, finish."""
    schedule = report.schedule
    total_days = len(schedule.days)
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
    lines.append(f"Done: {report.done} of {_pages(schedule.total_pages)} have notes in {sources}")
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
