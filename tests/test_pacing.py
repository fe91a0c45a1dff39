"""Pacing: golden plans, the quota rule as properties, book profiles, quota reports."""

from __future__ import annotations

import itertools
import os
import re
import tomllib
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankify.books import load_book, parse_contents, read_pdf_book
from ankify.errors import AnkifyError, ConfigError, SourceError
from ankify.model import PageRange
from ankify.pacing import (
    MAX_READING_DAYS,
    Book,
    NotePages,
    Plan,
    Section,
    Status,
    format_report,
    format_schedule,
    make_plan,
    make_schedule,
    merge_ranges,
    parse_page_range,
    parse_rest_days,
    progress,
    quota_report,
    reading_days_through,
    streak,
)
from ankify.pacing_files import (
    load_plan,
    plan_table,
    read_notes,
    replace_plan_table,
    save_plan,
)

TUE = date(2026, 12, 1)  # a Tuesday
SAT, SUN = 5, 6


def schedule_rows(plan: Plan) -> list[tuple[int, str, str]]:
    return [(d.number, d.date.isoformat(), str(d.pages)) for d in make_schedule(plan).days]


def reference_quota(plan: Plan, k: int) -> int:
    """The issue's rule, computed independently with decimal half-up rounding."""
    if k >= plan.ramp_days:
        return plan.to_pages
    exact = Decimal(plan.from_pages) + Decimal((plan.to_pages - plan.from_pages) * (k - 1)) / (
        Decimal(plan.ramp_days - 1)
    )
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# -- golden plans -----------------------------------------------------------------------------


def test_quota_rounds_halves_up_not_to_even() -> None:
    plan = Plan(PageRange(1, 100), TUE, from_pages=5, to_pages=15, ramp_days=5)
    # 5 + 10(k-1)/4: 5, 7.5, 10, 12.5, 15 (round() would give 12 for 12.5)
    assert [plan.quota(k) for k in range(1, 8)] == [5, 8, 10, 13, 15, 15, 15]


def test_default_quotas_ramp_from_5_to_15_over_60_days() -> None:
    plan = Plan(PageRange(1, 716), TUE)
    assert [plan.quota(k) for k in range(1, 11)] == [5, 5, 5, 6, 6, 6, 6, 6, 6, 7]
    assert [plan.quota(k) for k in (30, 31, 58, 59, 60, 61, 200)] == [10, 10, 15, 15, 15, 15, 15]


def test_golden_plan_with_weekends_off() -> None:
    plan = Plan(PageRange(1, 40), TUE, ramp_days=5, rest_days=(SAT, SUN))
    assert schedule_rows(plan) == [
        (1, "2026-12-01", "1-5"),
        (2, "2026-12-02", "6-13"),
        (3, "2026-12-03", "14-23"),
        (4, "2026-12-04", "24-36"),
        (5, "2026-12-07", "37-40"),  # Monday; the last day takes what remains
    ]


def test_golden_plan_not_starting_at_page_1() -> None:
    plan = Plan(PageRange(53, 60), date(2026, 12, 5), from_pages=2, to_pages=4, ramp_days=3)
    assert schedule_rows(plan) == [
        (1, "2026-12-05", "53-54"),
        (2, "2026-12-06", "55-57"),
        (3, "2026-12-07", "58-60"),
    ]


def test_golden_plan_starting_on_a_rest_day() -> None:
    plan = Plan(PageRange(1, 10), date(2026, 12, 5), from_pages=5, to_pages=5, rest_days=(SAT,))
    assert schedule_rows(plan) == [(1, "2026-12-06", "1-5"), (2, "2026-12-07", "6-10")]


def test_golden_deep_learning_book_defaults() -> None:
    schedule = make_schedule(Plan(PageRange(1, 716), TUE))
    assert len(schedule.days) == 68
    assert sum(len(d.pages) for d in schedule.days[:59]) == 585  # the ramp, days 1-59
    assert schedule.finish == date(2027, 2, 6)
    assert [str(d.pages) for d in schedule.days[-3:]] == ["676-690", "691-705", "706-716"]
    assert schedule.to_dict()["finish"] == "2027-02-06"
    assert schedule.to_dict()["total_pages"] == 716


def test_golden_deep_learning_book_with_weekends_off() -> None:
    book = load_book("dlbook")
    plan = make_plan(pages=None, start=TUE, rest_days="sat,sun", book=book)
    schedule = make_schedule(plan, book)
    assert plan.pages == PageRange(1, 716)
    assert plan.book == "dlbook"
    assert (len(schedule.days), schedule.finish) == (68, date(2027, 3, 4))
    day = schedule.days[23]
    assert day.to_dict() == {
        "day": 24,
        "date": "2027-01-01",
        "first_page": 160,
        "last_page": 168,
        "pages": 9,
        "sections": [
            "5.11 Challenges Motivating Deep Learning",
            "Part II: Deep Networks: Modern Practices",
            "6 Deep Feedforward Networks",
            "6.1 Example: Learning XOR",
        ],
    }
    assert schedule.days[-1].to_dict()["sections"][-1] == "20.15 Conclusion"


def test_format_schedule_is_a_table() -> None:
    plan = Plan(PageRange(1, 12), TUE, from_pages=5, to_pages=5, rest_days=(SAT, SUN))
    text = format_schedule(make_schedule(plan, load_book("dlbook")))
    assert text.splitlines() == [
        "Plan: pp. 1-12 (12 pages) in 3 reading days, Tue 2026-12-01 to Thu 2026-12-03; "
        "5 pages a day; rest days: sat, sun",
        "Book: Deep Learning (Goodfellow, Bengio, Courville), online edition",
        "",
        "day  date            pages  n  sections",
        "  1  Tue 2026-12-01  1-5    5  1 Introduction",
        "  2  Wed 2026-12-02  6-10   5  1 Introduction; 1.1 Who Should Read This Book?",
        "  3  Thu 2026-12-03  11-12  2  1.1 Who Should Read This Book?; "
        "1.2 Historical Trends in Deep Learning",
    ]


# -- the rule as properties ------------------------------------------------------------------


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    first = draw(st.integers(1, 800))
    last = draw(st.integers(first, first + 600))
    from_pages = draw(st.integers(1, 20))
    to_pages = draw(st.integers(from_pages, 40))
    rest = draw(st.sets(st.integers(0, 6), max_size=6))
    return Plan(
        pages=PageRange(first, last),
        start=draw(st.dates(date(2020, 1, 1), date(2040, 12, 31))),
        from_pages=from_pages,
        to_pages=to_pages,
        ramp_days=draw(st.integers(1, 90)),
        rest_days=tuple(sorted(rest)),
    )


@given(plans())
def test_plan_covers_its_range_exactly_and_contiguously(plan: Plan) -> None:
    days = make_schedule(plan).days
    assert days[0].pages.first == plan.pages.first
    assert days[-1].pages.last == plan.pages.last
    for before, after in itertools.pairwise(days):
        assert after.pages.first == before.pages.last + 1
    assert sum(len(d.pages) for d in days) == len(plan.pages)


@given(plans())
def test_quotas_follow_the_rule_and_never_decrease_before_the_last_day(plan: Plan) -> None:
    days = make_schedule(plan).days
    assert [d.number for d in days] == list(range(1, len(days) + 1))
    for day in days[:-1]:
        assert len(day.pages) == plan.quota(day.number) == reference_quota(plan, day.number)
    assert 1 <= len(days[-1].pages) <= plan.quota(days[-1].number)
    sizes = [len(d.pages) for d in days[:-1]]
    assert sizes == sorted(sizes)
    assert all(plan.from_pages <= n <= plan.to_pages for n in sizes)


@given(plans())
def test_reading_days_skip_rest_days_and_nothing_else(plan: Plan) -> None:
    days = make_schedule(plan).days
    assert days[0].date >= plan.start
    expected = plan.start
    for day in days:
        while expected.weekday() in plan.rest_days:
            expected += timedelta(days=1)
        assert day.date == expected
        expected += timedelta(days=1)


@given(plans(), st.integers(-30, 400))
def test_reading_days_through_counts_like_a_calendar(plan: Plan, offset: int) -> None:
    day = plan.start + timedelta(days=offset)
    naive = sum(
        plan.is_reading_day(plan.start + timedelta(days=i)) for i in range(max(0, offset + 1))
    )
    assert reading_days_through(plan, day) == naive


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


def test_a_plan_that_never_ends_is_refused() -> None:
    plan = Plan(PageRange(1, MAX_READING_DAYS + 1), TUE, from_pages=1, to_pages=1)
    with pytest.raises(ConfigError, match="more than 10000 reading days: read fewer pages"):
        make_schedule(plan)


# -- parsing options ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-716", PageRange(1, 716)),
        ("53", PageRange(53, 53)),
        (" 53 \u2013 60 ", PageRange(53, 60)),
    ],
)
def test_parse_page_range(text: str, expected: PageRange) -> None:
    assert parse_page_range(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("60-53", "--pages 60-53 runs backwards: write it as 53-60"),
        ("", "--pages is empty: give the pages to read, e.g. --pages 1-716"),
        ("0-10", "--pages 0-10 starts at page 0: pages are numbered from 1"),
        ("one", "--pages 'one' is not a page range: write it like 1-716"),
    ],
)
def test_parse_page_range_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_page_range(text)
    assert str(e.value) == message


def test_parse_rest_days() -> None:
    assert parse_rest_days("sat,sun") == (SAT, SUN)
    assert parse_rest_days("Sunday, saturday") == (SAT, SUN)
    assert parse_rest_days("") == ()
    with pytest.raises(
        ConfigError, match=re.escape("'sonday' is not a weekday: did you mean 'sun'?")
    ):
        parse_rest_days("sonday")
    with pytest.raises(ConfigError, match="every day is a rest day"):
        parse_rest_days("mon,tue,wed,thu,fri,sat,sun")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"from_pages": 0}, "--from 0: read at least 1 page a day"),
        (
            {"from_pages": 15, "to_pages": 5},
            "--to 5 is less than --from 15: quotas ramp up, so make --to at least 15",
        ),
        ({"ramp_days": 0}, "--ramp-days 0: ramp over at least 1 day"),
    ],
)
def test_make_plan_errors(options: dict[str, int], message: str) -> None:
    with pytest.raises(ConfigError) as e:
        make_plan(pages="1-10", start=TUE, **options)
    assert str(e.value) == message


def test_make_plan_keeps_pages_within_the_book() -> None:
    with pytest.raises(ConfigError) as e:
        make_plan(pages="700-800", start=TUE, book=load_book("dlbook"))
    assert str(e.value) == (
        "--pages 700-800 runs outside dlbook (pp. 1-716): give pages within 1-716, "
        "or leave --pages out to read all of it"
    )
    with pytest.raises(ConfigError, match=re.escape("give --pages, e.g. --pages 1-716")):
        make_plan(pages=None, start=TUE)


# -- books ----------------------------------------------------------------------------------


def sections(pages: str) -> list[str]:
    return [s.label for s in load_book("dlbook").sections_in(parse_page_range(pages))]


def test_dlbook_profile() -> None:
    book = load_book("dlbook")
    assert book.pages == PageRange(1, 716)
    assert len(book.sections) == 187
    assert book.sections[0] == Section(1, "1 Introduction", 1)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("1-5", ["1 Introduction"]),
        ("27-28", ["Part I: Applied Math and Machine Learning Basics"]),
        (
            "29-33",
            [
                "2 Linear Algebra",
                "2.1 Scalars, Vectors, Matrices and Tensors",
                "2.2 Multiplying Matrices and Vectors",
            ],
        ),
        ("33", ["2.2 Multiplying Matrices and Vectors"]),  # 2.3 starts on 34
        ("241", ["7.7 Multitask Learning", "7.8 Early Stopping"]),  # both start on 241
        ("242-248", ["7.8 Early Stopping"]),
        ("716", ["20.15 Conclusion"]),
    ],
)
def test_dlbook_sections_of_pages(pages: str, expected: list[str]) -> None:
    assert sections(pages) == expected


def test_dlbook_ships_inside_the_package() -> None:
    data = resources.files("ankify.books").joinpath("dlbook.tsv")
    assert data.is_file()
    shared = Path(__file__).parents[2] / "shared" / "books" / "dlbook-contents.tsv"
    if shared.is_file():
        assert data.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("dlbok", "unknown book profile 'dlbok': did you mean 'dlbook'? (or give --pdf book.pdf)"),
        ("sicp", "unknown book profile 'sicp': use one of: dlbook (or give --pdf book.pdf)"),
    ],
)
def test_unknown_book_profile(name: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_book(name)
    assert str(e.value) == message


def test_parse_contents_reports_bad_lines() -> None:
    with pytest.raises(ConfigError, match=r"x\.tsv:2: expected 'level<TAB>number"):
        parse_contents("# header\n1\tone\n", "x.tsv")


def test_sections_of_a_book_without_contents() -> None:
    assert Book("b", "b", PageRange(1, 9)).sections_in(PageRange(1, 9)) == ()


# -- PDFs -----------------------------------------------------------------------------------


def make_pdf(path: Path, pages: int, *, labels: bool, toc: list[list[object]]) -> Path:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page()
    if labels:  # two pages of front matter in roman numerals, then 1, 2, 3 ...
        doc.set_page_labels(
            [
                {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
                {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 1},
            ]
        )
    doc.set_toc(toc)
    doc.save(path)
    doc.close()
    return path


def test_pdf_book_uses_printed_page_labels_and_outline(tmp_path: Path) -> None:
    toc = [[1, "Preface", 1], [1, "1  Intro", 3], [2, "1.1 Details", 5], [1, "2 More", 8]]
    book = read_pdf_book(make_pdf(tmp_path / "book.pdf", 10, labels=True, toc=toc))
    assert book.pages == PageRange(1, 8)
    assert book.sections == (
        Section(1, "1 Intro", 1),
        Section(2, "1.1 Details", 3),
        Section(1, "2 More", 6),
    )
    assert [s.label for s in book.sections_in(PageRange(2, 3))] == ["1 Intro", "1.1 Details"]


def test_pdf_book_without_labels_counts_from_1(tmp_path: Path) -> None:
    book = read_pdf_book(make_pdf(tmp_path / "b.pdf", 5, labels=False, toc=[]))
    assert (book.pages, book.sections) == (PageRange(1, 5), ())


def test_pdf_book_errors(tmp_path: Path) -> None:
    pytest.importorskip("pymupdf")
    with pytest.raises(ConfigError, match="no such PDF"):
        read_pdf_book(tmp_path / "missing.pdf")
    (tmp_path / "notes.pdf").write_text("not a pdf")
    with pytest.raises(ConfigError, match=re.escape("notes.pdf: not a PDF")):
        read_pdf_book(tmp_path / "notes.pdf")


# -- quota reports ----------------------------------------------------------------------------


def write_note(sources: Path, name: str, pages: str, written: date | None = None) -> Path:
    path = sources / name
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"pages: {pages}\n" + (f"date: {written.isoformat()}\n" if written else "")
    path.write_text(f"---\n{header}---\nQ: What?\nA: That.\n", encoding="utf-8")
    return path


@pytest.fixture
def weekdays_plan() -> Plan:
    # Tue 1-5, Wed 6-13, Thu 14-23, Fri 24-36, Mon 37-40
    return Plan(PageRange(1, 40), TUE, ramp_days=5, rest_days=(SAT, SUN))


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
            "2.7 Eigendecomposition",
            "2.8 Singular Value Decomposition",
            "2.9 The Moore-Penrose Pseudoinverse",
            "2.10 The Trace Operator",
            "2.11 The Determinant",
            "2.12 Example: Principal Components Analysis",
        ],
    }
    assert "Today's reading: pp. 40-45 (6 pages)\n  2.7 Eigendecomposition\n" in format_report(
        report
    )


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


# -- the [plan] table of ankify.toml ---------------------------------------------------------

USER_TOML = """\
# my project
[decks]
on_the_go = "On the go::{deck}"   # phone
pen_and_paper = '''
[plan] in a string is not a table
'''

[plan]
pages = "1-10"
start = 2026-01-01
extra = "mine"   # replaced: [plan] belongs to ankify

[plan.old]
x = 1

# macros follow
[macros]
"\\\\R" = "\\\\mathbb{R}"
"""


def test_plan_table_round_trips_through_tomllib(weekdays_plan: Plan) -> None:
    plan = Plan(PageRange(1, 716), TUE, rest_days=(SAT, SUN), pdf='books/"odd"\\name.pdf')
    data = tomllib.loads(plan_table(plan))
    assert data["plan"] == plan.to_dict()
    assert Plan.from_dict(data["plan"]) == plan


def test_replace_plan_table_keeps_every_other_byte(weekdays_plan: Plan) -> None:
    table = plan_table(weekdays_plan)
    new = replace_plan_table(USER_TOML, table)
    before, after = USER_TOML.split("[plan]\npages")
    assert new == before + table + "\n# macros follow" + after.split("\n# macros follow")[1]
    data = tomllib.loads(new)
    assert Plan.from_dict(data["plan"]) == weekdays_plan
    assert data["decks"]["pen_and_paper"] == "[plan] in a string is not a table\n"
    assert data["macros"] == {"\\R": "\\mathbb{R}"}


def test_replace_plan_table_appends_when_there_is_none(weekdays_plan: Plan) -> None:
    table = plan_table(weekdays_plan)
    assert replace_plan_table("", table) == table
    assert replace_plan_table("[decks]\nx = 1", table) == "[decks]\nx = 1\n\n" + table
    assert replace_plan_table("[decks]\nx = 1\n\n", table) == "[decks]\nx = 1\n\n" + table


def test_save_plan_keeps_the_users_file(tmp_path: Path, weekdays_plan: Plan) -> None:
    config = tmp_path / "ankify.toml"
    user = '[decks]\r\non_the_go = "Phone::{deck}"\r\n'
    config.write_bytes(user.encode())
    config.chmod(0o640)
    save_plan(config, weekdays_plan)
    data = config.read_bytes()
    assert data.startswith(user.encode() + b"\r\n[plan]\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert config.stat().st_mode & 0o777 == 0o640
    assert load_plan(config) == weekdays_plan
    later = Plan(PageRange(5, 9), TUE)
    save_plan(config, later)
    assert load_plan(config) == later
    assert config.read_bytes().startswith(user.encode() + b"\r\n[plan]\r\n")
    assert [p.name for p in tmp_path.iterdir()] == ["ankify.toml"]  # no temporary file left


def test_save_plan_refuses_to_clobber_a_dotted_plan_key(tmp_path: Path) -> None:
    config = tmp_path / "ankify.toml"
    config.write_text('plan.pages = "1-5"\n')
    with pytest.raises(ConfigError, match="cannot save the plan without changing the rest"):
        save_plan(config, Plan(PageRange(1, 5), TUE))
    assert config.read_text() == 'plan.pages = "1-5"\n'


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("", "no saved plan in ankify.toml: run 'ankify plan --pages 1-716 --start 2026-12-01'"),
        ('[plan]\npages = "1-5"\n', r"\[plan\] in ankify.toml has no start"),
        ('[plan]\npages = "5-1"\nstart = 2026-12-01\n', r"\[plan\] pages 5-1 runs backwards"),
        ('[plan]\npages = "1-5"\nstart = "2026-12-01"\n', r"\[plan\] start must be a date"),
        ('[plan]\npages = "1-5"\nstart = 2026-12-01\nfrom = 0\n', r"\[plan\] from 0: read at"),
        ('[plan]\npages = "1-5"\nstart = 2026-12-01\nform = 3\n', "did you mean 'from'"),
        ('[plan]\npages = "1-5"\nstart = 2026-12-01\nrest_days = "sat"\n', "must be a list"),
        ("[plan\n", "ankify.toml: invalid TOML"),
    ],
)
def test_load_plan_errors(tmp_path: Path, toml: str, message: str) -> None:
    config = tmp_path / "ankify.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_plan(config)
