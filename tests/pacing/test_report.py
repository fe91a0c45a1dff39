"""Where the learner stands: pages done from notes, behind or ahead, streaks, progress."""

from __future__ import annotations

import itertools
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankify.errors import AnkifyError, ConfigError, SourceError
from ankify.model import PageRange
from ankify.pacing.books import load_book
from ankify.pacing.notes import read_notes
from ankify.pacing.plan import (
    Plan,
    make_plan,
)
from ankify.pacing.report import NotePages, Status, merge_ranges, progress, quota_report, streak
from ankify.pacing.schedule import make_schedule
from ankify.pacing.text import format_report

from .test_plan import plans

TUE = date(2026, 12, 1)  # a Tuesday
SAT, SUN = 5, 6


def write_note(sources: Path, name: str, pages: str, written: date | None = None) -> Path:
    path = sources / name
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"pages: {pages}\n" + (f"date: {written.isoformat()}\n" if written else "")
    path.write_text(f"---\n{header}---\nQ: What?\nA: That.\n", encoding="utf-8")
    return path


def test_read_notes_takes_pages_and_dates(tmp_path: Path) -> None:
    write_note(tmp_path, "ch1/a.md", '"1-5, 8"', date(2026, 12, 1))
    undated = write_note(tmp_path, "ch1/b.md", "6-7")
    os.utime(undated, (0, datetime(2026, 12, 2, 12).timestamp()))
    (tmp_path / "ch1" / "c.md").write_text("Q: no front matter\nA: so no pages\n")
    write_note(tmp_path, ".trash/d.md", "9-40", date(2026, 12, 2))
    notes = read_notes(tmp_path)
    assert [(n.path.name, n.pages, n.written) for n in notes] == [
        ("a.md", (PageRange(1, 5), PageRange(8, 8)), date(2026, 12, 1)),
        ("b.md", (PageRange(6, 7),), date(2026, 12, 2)),
    ]


def test_read_notes_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such folder of notes: write your notes there"):
        read_notes(tmp_path / "missing")
    write_note(tmp_path, "bad.md", "60-53")
    with pytest.raises(SourceError, match=re.escape("bad.md:2: pages '60-53' runs backwards")):
        read_notes(tmp_path)
    write_note(tmp_path, "worse.md", "x")
    with pytest.raises(AnkifyError) as e:
        read_notes(tmp_path)
    assert len(str(e.value).splitlines()) == 2


@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 10)), max_size=12))
def test_merge_ranges_keeps_the_same_pages(pairs: list[tuple[int, int]]) -> None:
    ranges = [PageRange(a, a + n) for a, n in pairs]
    merged = merge_ranges(ranges)
    pages = {p for r in ranges for p in range(r.first, r.last + 1)}
    assert {p for r in merged for p in range(r.first, r.last + 1)} == pages
    for before, after in itertools.pairwise(merged):
        assert after.first > before.last + 1


@given(plans(), st.data())
def test_on_track_means_finishing_on_the_planned_day(plan: Plan, data: st.DataObject) -> None:
    schedule = make_schedule(plan)
    today = data.draw(st.dates(plan.start - timedelta(days=10), schedule.finish))
    planned = schedule.planned_through(today - timedelta(days=1))
    notes = []
    if planned:
        done = PageRange(plan.pages.first, plan.pages.first + planned - 1)
        notes.append(NotePages(Path("n.md"), (done,), plan.start))
    report = quota_report(schedule, notes, today)
    assert report.behind == 0
    assert report.missing == ()
    assert report.projected_finish == schedule.finish


def test_report_on_a_reading_day_behind(tmp_path: Path, weekdays_plan: Plan) -> None:
    write_note(tmp_path, "a.md", "1-5", date(2026, 12, 1))
    write_note(tmp_path, "b.md", '"6-9, 3"', date(2026, 12, 2))
    write_note(tmp_path, "c.md", "50-60", date(2026, 12, 3))  # outside the plan: not counted
    report = quota_report(make_schedule(weekdays_plan), read_notes(tmp_path), date(2026, 12, 3))
    assert report.status is Status.READING
    assert report.to_dict() == {
        "date": "2026-12-03",
        "day": 3,
        "today": {"first_page": 14, "last_page": 23, "pages": 10, "sections": []},
        "done": 9,
        "planned_before_today": 13,
        "behind": 4,
        "projected_finish": "2026-12-07",  # 31 pages left: 10 + 13 + 15 from today
    }
    assert report.missing == (PageRange(10, 13),)
    assert report.streak == 3


def test_report_ahead_finishes_early(tmp_path: Path, weekdays_plan: Plan) -> None:
    write_note(tmp_path, "a.md", "1-30", date(2026, 12, 2))
    report = quota_report(make_schedule(weekdays_plan), read_notes(tmp_path), date(2026, 12, 3))
    assert (report.behind, report.projected_finish) == (-17, date(2026, 12, 3))
    text = format_report(report)
    assert "Planned before today: 13 pages: 17 pages ahead" in text
    assert "Projected finish: Thu 2026-12-03 if you keep the plan's quotas" in text


def test_report_on_a_rest_day(tmp_path: Path, weekdays_plan: Plan) -> None:
    write_note(tmp_path, "a.md", "1-36", date(2026, 12, 4))
    report = quota_report(make_schedule(weekdays_plan), read_notes(tmp_path), date(2026, 12, 5))
    assert report.status is Status.REST
    assert (report.to_dict()["day"], report.to_dict()["today"]) == (None, None)
    assert (report.planned_before_today, report.behind) == (36, 0)
    assert report.projected_finish == date(2026, 12, 7)
    assert format_report(report).splitlines()[:2] == [
        "Sat 2026-12-05: a rest day; no reading is planned today.",
        "Next reading: day 5, Mon 2026-12-07, pp. 37-40",
    ]


def test_report_before_the_start_says_so(weekdays_plan: Plan) -> None:
    report = quota_report(make_schedule(weekdays_plan), (), date(2026, 11, 28))
    assert report.status is Status.BEFORE_START
    assert report.to_dict() == {
        "date": "2026-11-28",
        "day": None,
        "today": None,
        "done": 0,
        "planned_before_today": 0,
        "behind": 0,
        "projected_finish": "2026-12-07",
    }
    assert format_report(report, sources="notes/").splitlines() == [
        "Sat 2026-11-28: the plan has not started yet: day 1 is Tue 2026-12-01, in 3 days.",
        "Next reading: day 1, Tue 2026-12-01, pp. 1-5",
        "Done: 0 of 40 pages have notes in notes/",
        "Planned before today: 0 pages: on track",
        "Projected finish: Mon 2026-12-07 if you keep the plan's quotas from today "
        "(plan: Mon 2026-12-07)",
        "Streak: 0 days with notes",
    ]


def test_report_after_the_finish_says_so(tmp_path: Path, weekdays_plan: Plan) -> None:
    write_note(tmp_path, "a.md", "1-39", date(2026, 12, 7))
    report = quota_report(make_schedule(weekdays_plan), read_notes(tmp_path), date(2026, 12, 9))
    assert report.status is Status.AFTER_FINISH
    assert report.to_dict()["day"] is None
    assert (report.planned_before_today, report.behind) == (40, 1)
    # Day numbers run on after the plan: Wed 2026-12-09 is reading day 7, with 15 pages.
    assert report.projected_finish == date(2026, 12, 9)
    lines = format_report(report).splitlines()
    assert lines[0] == (
        "Wed 2026-12-09: the plan finished on Mon 2026-12-07 (day 5 of 5); "
        "no reading is planned today."
    )
    assert "  planned pages without notes yet: p. 40" in lines


def test_report_when_every_page_is_done(tmp_path: Path, weekdays_plan: Plan) -> None:
    write_note(tmp_path, "a.md", "1-40", date(2026, 12, 7))
    report = quota_report(make_schedule(weekdays_plan), read_notes(tmp_path), date(2026, 12, 8))
    assert report.to_dict()["projected_finish"] is None
    assert "Finish: every page of the plan has notes. Well done!" in format_report(report)


def test_report_names_todays_sections() -> None:
    book = load_book("dlbook")
    schedule = make_schedule(make_plan(pages=None, start=TUE, book=book), book)
    report = quota_report(schedule, (), date(2026, 12, 8))
    assert report.to_dict()["today"] == {
        "first_page": 40,
        "last_page": 45,
        "pages": 6,
        "sections": [
            "2.6 Special Kinds of Matrices and Vectors",  # p. 40
            "2.7 Eigendecomposition",  # p. 42
            "2.8 Singular Value Decomposition",  # p. 44
            "2.9 The Moore-Penrose Pseudoinverse",  # p. 45 (2.10 starts on 46)
        ],
    }
    expected = "Today's reading: pp. 40-45 (6 pages)\n  2.6 Special Kinds of Matrices and Vectors\n"
    assert expected in format_report(report)


@pytest.mark.parametrize(
    ("written", "today", "expected"),
    [
        ([], date(2026, 12, 3), 0),
        ([date(2026, 12, 3), date(2026, 12, 2), date(2026, 12, 1)], date(2026, 12, 3), 3),
        ([date(2026, 12, 2), date(2026, 12, 1)], date(2026, 12, 3), 2),  # today not over yet
        ([date(2026, 12, 1)], date(2026, 12, 3), 0),
        ([date(2026, 12, 3), date(2026, 12, 1)], date(2026, 12, 3), 1),
        # Fri, then the weekend off, then Mon: rest days do not break the streak
        ([date(2026, 12, 4), date(2026, 12, 7)], date(2026, 12, 7), 2),
        # notes on a rest day count
        ([date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 7)], date(2026, 12, 7), 3),
        ([date(2026, 12, 8)], date(2026, 12, 7), 0),  # the future is not counted
    ],
)
def test_streak(written: list[date], today: date, expected: int) -> None:
    assert streak(written, today, rest_days=(SAT, SUN)) == expected


def test_progress_series(weekdays_plan: Plan) -> None:
    notes = (
        NotePages(Path("a.md"), (PageRange(1, 5),), date(2026, 11, 30)),
        NotePages(Path("b.md"), (PageRange(4, 10),), date(2026, 12, 2)),
    )
    points = progress(make_schedule(weekdays_plan), notes, date(2026, 12, 3))
    assert [(p.date.day, p.planned, p.done) for p in points] == [
        (1, 5, 5),  # written before the start: counted from the start
        (2, 13, 10),
        (3, 23, 10),
        (4, 36, None),
        (5, 36, None),
        (6, 36, None),
        (7, 40, None),
    ]
