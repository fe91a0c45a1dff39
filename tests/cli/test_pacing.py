"""`ankify plan` and `ankify quota`: exit codes, JSON, messages, and ankify.toml left intact."""

from __future__ import annotations

import datetime
import json
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ankify.cli import main

DECKS = """\
# written by hand
[decks]
on_the_go = "On the go::{deck}"   # my phone deck
pen_and_paper = "Desk::{deck}"
"""


MACROS = """
[macros]
"\\\\R" = "\\\\mathbb{R}"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def fails_with(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output


def write_note(project: Path, name: str, pages: str, written: str) -> None:
    path = project / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\npages: {pages}\ndate: {written}\n---\nQ: What?\nA: That.\n")


SMALL = ("--pages", "1-40", "--start", "2026-12-01", "--ramp-days", "5", "--rest-days", "sat,sun")


def test_plan_json(project: Path) -> None:
    result = run("plan", *SMALL, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"days", "finish", "total_pages", "reading_list", "forecast"}
    assert (data["finish"], data["total_pages"]) == ("2026-12-07", 40)
    first = data["days"][0]
    # The forecast beside each day: 2 cards a page before any note, no review on the first day.
    assert first.pop("minutes") > 0
    assert first == {
        "day": 1,
        "date": "2026-12-01",
        "first_page": 1,
        "last_page": 5,
        "pages": 5,
        "sections": [],
        "new_cards": 10,
        "review_minutes": 0.0,
    }
    assert data["reading_list"] == []
    assert data["forecast"]["cards_per_page"] == 2.0
    assert data["forecast"]["shaped_to_budget"] is False
    assert [(d["date"], d["pages"]) for d in data["days"]] == [
        ("2026-12-01", 5),
        ("2026-12-02", 8),
        ("2026-12-03", 10),
        ("2026-12-04", 13),
        ("2026-12-07", 4),
    ]


def test_plan_prints_a_table_and_saves_it(project: Path) -> None:
    result = run("plan", *SMALL)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Plan: pp. 1-40 (40 pages) in 5 reading days, Tue 2026-12-01")
    assert any(line.startswith("  4  Fri 2026-12-04  24-36  13     26") for line in lines)
    assert lines[2] == "day  date            pages   n  cards  review  total"
    assert lines[-1] == "Saved the plan to ankify.toml: run 'ankify quota' each morning."
    plan = tomllib.loads((project / "ankify.toml").read_text())["plan"]
    assert plan["pages"] == "1-40"
    assert plan["rest_days"] == ["sat", "sun"]


def test_plan_keeps_the_rest_of_ankify_toml(project: Path) -> None:
    config = project / "ankify.toml"
    config.write_text(DECKS + MACROS)
    assert run("plan", *SMALL).exit_code == 0
    text = config.read_text()
    assert text.startswith(DECKS + MACROS + "\n[plan]\n")
    # A second plan replaces the first and nothing else, even with the table in the middle.
    config.write_text(DECKS + "\n" + text[text.index("[plan]") :] + MACROS)
    before = config.read_text()
    assert run("plan", "--book", "dlbook", "--start", "2027-01-04").exit_code == 0
    after = config.read_text()
    head = DECKS + "\n"
    assert before.startswith(head) and after.startswith(head)
    assert after.endswith(MACROS) and before.endswith(MACROS)
    assert after.count("[plan]") == 1
    data = tomllib.loads(after)
    assert data["decks"] == {"on_the_go": "On the go::{deck}", "pen_and_paper": "Desk::{deck}"}
    assert data["macros"] == {"\\R": "\\mathbb{R}"}
    assert data["plan"]["book"] == "dlbook"
    assert data["plan"]["pages"] == "1-720"


def test_plan_with_the_book_names_sections(project: Path) -> None:
    result = run("plan", "--book", "dlbook", "--start", "2026-12-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total_pages"] == 720
    assert data["days"][0]["sections"] == ["1 Introduction"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pages", "60-53"), "--pages 60-53 runs backwards: write it as 53-60"),
        (("--pages", ""), "--pages is empty: give the pages, e.g. 53-60"),
        (
            ("--pages", "1-720", "--book", "dlbok"),
            "unknown book profile 'dlbok': did you mean 'dlbook'? (or give the book's PDF)",
        ),
        (
            ("--book", "dlbook", "--pdf", "book.pdf"),
            "a book profile and a PDF both name the book: give only one of them (--book, --pdf)",
        ),
        (
            ("--pages", "1-9", "--rest-days", "mon,tue,wed,thu,fri,sat,sun"),
            "--rest-days: every day is a rest day: leave at least one day to read",
        ),
        (
            ("--pages", "1-9", "--from", "15", "--to", "5"),
            "5 pages a day after the ramp is fewer than the 15 of the first day: quotas ramp up, "
            "so read at least 15 a day after it (--to, --from)",
        ),
        (
            (),
            "which pages? give the pages, e.g. 1-720, or a book profile such as dlbook "
            "(--pages, --book)",
        ),
    ],
)
def test_plan_errors(project: Path, args: tuple[str, ...], message: str) -> None:
    fails_with(run("plan", "--start", "2026-12-01", *args), message)
    assert not (project / "ankify.toml").exists()


def test_plan_with_a_pdf(project: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    for _ in range(12):
        doc.new_page()
    doc.set_page_labels(
        [
            {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
            {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 1},
        ]
    )
    doc.set_toc([[1, "1 Start", 3], [1, "2 Middle", 9]])
    (project / "books").mkdir()
    doc.save(project / "books" / "book.pdf")
    doc.close()

    result = run("plan", "--pdf", "books/book.pdf", "--start", "2026-12-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total_pages"] == 10  # printed pages 1-10 after two pages in roman numerals
    assert [d["sections"] for d in data["days"]] == [["1 Start"], ["1 Start", "2 Middle"]]
    plan = tomllib.loads((project / "ankify.toml").read_text())["plan"]
    assert plan["pdf"] == "books/book.pdf"
    assert "book" not in plan

    quota = run("quota", "--date", "2026-12-02", "--sources", ".", "--json")
    assert json.loads(quota.stdout)["today"]["sections"] == ["1 Start", "2 Middle"]
    (project / "books" / "book.pdf").unlink()
    fails_with(
        run("quota", "--date", "2026-12-02", "--sources", "."),
        "books/book.pdf: the PDF named by [plan] pdf in ankify.toml is missing: "
        "move it back or run 'ankify plan --pdf BOOK.pdf' again",
    )


def test_quota_without_a_plan(project: Path) -> None:
    (project / "ankify.toml").write_text(DECKS)
    fails_with(
        run("quota", "--date", "2026-12-03"),
        "no saved plan in ankify.toml: run 'ankify plan --pages 1-720 --start 2026-12-01' first",
    )


def test_quota_without_sources(project: Path) -> None:
    assert run("plan", *SMALL).exit_code == 0
    # A new project: nothing read yet, and no folder of notes to read it from.
    result = run("quota", "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert (
        "Done: 0 of 40 pages have notes: there is no sources/ folder of notes yet (write your "
        "notes there)" in result.stdout.splitlines()
    )
    assert json.loads(run("quota", "--date", "2026-12-03", "--json").stdout)["done"] == 0
    # A folder named on the command line is meant to exist.
    fails_with(
        run("quota", "--date", "2026-12-03", "--sources", "notes"),
        "notes: no such folder of notes: write your notes there, or name the folder they are in (--sources)",
    )


def test_quota_json(project: Path) -> None:
    assert run("plan", *SMALL).exit_code == 0
    write_note(project, "ch1.md", "1-5", "2026-12-01")
    write_note(project, "ch1b.md", "6-9", "2026-12-02")
    result = run("quota", "--date", "2026-12-03", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    forecast = data.pop("forecast")
    assert data == {
        "date": "2026-12-03",
        "day": 3,
        "today": {"first_page": 14, "last_page": 23, "pages": 10, "sections": []},
        "done": 9,
        "planned_before_today": 13,
        "behind": 4,
        "projected_finish": "2026-12-07",
        "anki_today": {"review_minutes": 0.3, "minutes": 1.3},
        "reading_list": [],
        "reading_list_today": [],
    }
    # Two notes, one card each, over 9 pages (the later weighing a little more).
    assert (forecast["measured_from_notes"], forecast["cards"], forecast["pages"]) == (2, 2, 9)
    assert forecast["cards_per_page"] == 0.223
    assert forecast["days"][0]["date"] == "2026-12-03"


def test_quota_report_for_people(project: Path) -> None:
    assert run("plan", *SMALL, "--book", "dlbook").exit_code == 0
    write_note(project, "ch1.md", "1-5", "2026-12-01")
    write_note(project, "ch1b.md", "6-9", "2026-12-02")
    result = run("quota", "--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Thu 2026-12-03: day 3 of 5.",
        "Today's reading: pp. 14-23 (10 pages)",
        "  1.2 Historical Trends in Deep Learning",
        "Done: 9 of 40 pages have notes in sources/",
        "Planned before today: 13 pages: 4 pages behind",
        "  planned pages without notes yet: pp. 10-13",
        "Projected finish: Mon 2026-12-07 if you keep the plan's quotas from today "
        "(plan: Mon 2026-12-07)",
        "Streak: 2 days with notes",
        "Anki today: about 0 min of reviews, 1 min with today's new cards (forecast)",
        "Forecast: 0.22 cards a page (measured: 2 notes, 2 cards over 9 pages); FSRS-6 with "
        "default parameters, retention 0.90; mean of 8 runs from seed 0",
        "  a review takes 16 s, learning a new card 39 s (fsrs-rs's defaults)",
        "Peak: 2 min a day on Fri 2026-12-04 (reviews 0, learning 2; 90th percentile 3 min); "
        "reviews alone peak at 1 min on Wed 2026-12-09",
        "Mean: 1 min a day to the last page",
        "Budget: 60 min a day: within it after the last page",
    ]


@pytest.mark.parametrize(
    ("day", "first_line"),
    [
        (
            "2026-11-30",
            "Mon 2026-11-30: the plan has not started yet: day 1 is Tue 2026-12-01, in 1 day.",
        ),
        ("2026-12-05", "Sat 2026-12-05: a rest day; no reading is planned today."),
        (
            "2027-01-01",
            "Fri 2027-01-01: the plan finished on Mon 2026-12-07 (day 5 of 5); "
            "no reading is planned today.",
        ),
    ],
)
def test_quota_outside_reading_days_says_so(project: Path, day: str, first_line: str) -> None:
    assert run("plan", *SMALL).exit_code == 0
    (project / "sources").mkdir()
    result = run("quota", "--date", day)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == first_line
    data = json.loads(run("quota", "--date", day, "--json").stdout)
    assert (data["day"], data["today"]) == (None, None)


def test_quota_without_a_date_reports_today(project: Path) -> None:
    assert run("plan", *SMALL).exit_code == 0
    (project / "sources").mkdir()
    result = run("quota", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["date"] == datetime.date.today().isoformat()
    assert set(json.loads(result.stdout)) == {
        "date",
        "day",
        "today",
        "done",
        "planned_before_today",
        "behind",
        "projected_finish",
        "anki_today",
        "reading_list",
        "reading_list_today",
        "forecast",
    }


def test_quota_plot(project: Path) -> None:
    pytest.importorskip("matplotlib")
    assert run("plan", *SMALL).exit_code == 0
    write_note(project, "ch1.md", "1-5", "2026-12-01")
    result = run("quota", "--date", "2026-12-03", "--plot", "progress.png")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Wrote progress.png"
    assert (project / "progress.png").read_bytes().startswith(b"\x89PNG")
    fails_with(
        run("quota", "--date", "2026-12-03", "--plot", "progress.txt"),
        "progress.txt: use a .png, .svg or .pdf file name for a plot (--plot)",
    )
    assert sorted(p.name for p in project.iterdir()) == ["ankify.toml", "progress.png", "sources"]


def test_quota_plot_without_matplotlib(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("plan", *SMALL).exit_code == 0
    (project / "sources").mkdir()
    monkeypatch.setitem(sys.modules, "matplotlib.dates", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    fails_with(
        run("quota", "--date", "2026-12-03", "--plot", "progress.png"),
        "a plot needs matplotlib: pip install 'ankify[plot]' (--plot)",
    )


def test_plan_and_quota_find_the_project_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "study"
    (root / ".git").mkdir(parents=True)
    write_note(root, "ch1.md", "1-5", "2026-12-01")
    monkeypatch.chdir(root / "sources")
    result = run("plan", *SMALL)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "Saved the plan to ../ankify.toml: run 'ankify quota' each morning.\n"
    )
    assert (root / "ankify.toml").is_file()
    assert not (root / "sources" / "ankify.toml").exists()  # it would move the project's root

    result = run("quota", "--date", "2026-12-02")
    assert result.exit_code == 0, result.output
    assert "Done: 5 of 40 pages have notes in sources/" in result.stdout
    monkeypatch.chdir(tmp_path)
    assert run("quota").stderr.startswith("Error: no saved plan in ankify.toml")


def test_messages_name_only_the_options_the_command_has(project: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    doc.new_page()
    (project / "locked.pdf").write_bytes(
        doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="o")
    )
    doc.close()
    # plan has no --password: the message does not send the learner to it.
    fails_with(
        run("plan", "--pdf", "locked.pdf", "--start", "2026-12-01"), "locked.pdf: needs a password"
    )


def back_matter_book(path: Path, *, labels: bool) -> Path:
    """20 pages (with labels: i-ii, then 1-18): chapters, an appendix, Bibliography, Index."""
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    for _ in range(20):
        doc.new_page()
    if labels:
        doc.set_page_labels(
            [
                {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
                {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 1},
            ]
        )
    doc.set_toc(
        [
            [1, "1 Start", 3],
            [1, "2 Middle", 8],
            [1, "Appendix A Tables", 12],
            [1, "Bibliography", 15],
            [1, "Index", 18],
            [2, "A", 18],
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def test_plan_with_a_pdf_ends_at_its_main_text(project: Path) -> None:
    back_matter_book(project / "books" / "book.pdf", labels=True)
    args = ("plan", "--pdf", "books/book.pdf", "--start", "2026-12-01", "--from", "6", "--to", "6")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Plan: pp. 1-12 (12 pages) in 2 reading days, Tue 2026-12-01 to Wed 2026-12-02; "
        "6 pages a day; rest days: none",
        "Book: book.pdf",
        "Not planned: Bibliography (p. 13), Index (p. 16): back matter, after the main text",
    ]
    assert "Appendix A Tables" in result.stdout  # appendices are read
    # --pages plans the back matter too, and nothing past the PDF's last page.
    result = run(*args, "--pages", "13-18", "--json")
    assert result.exit_code == 0, result.output
    assert [d["sections"] for d in json.loads(result.stdout)["days"]] == [
        ["Bibliography", "Index", "A"]
    ]
    fails_with(
        run(*args, "--pages", "10-19"),
        "pages 10-19 run outside book.pdf (pp. 1-18): give pages within 1-18, or leave the "
        "page range out to read its main text (pp. 1-12) (--pages)",
    )


def test_plan_offset_numbers_a_pdf_without_labels(project: Path) -> None:
    back_matter_book(project / "ch.pdf", labels=False)
    result = run("plan", "--pdf", "ch.pdf", "--offset", "-52", "--start", "2026-12-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["days"][0]["first_page"], data["total_pages"]) == (53, 14)  # pp. 53-66
    assert data["days"][0]["sections"] == ["1 Start"]  # physical page 3 is printed 55
    plan = tomllib.loads((project / "ankify.toml").read_text())["plan"]
    assert (plan["pages"], plan["pdf"], plan["offset"]) == ("53-66", "ch.pdf", -52)
    # quota reads the PDF with the saved offset: its chapters are where plan put them.
    quota = run("quota", "--date", "2026-12-02", "--sources", ".", "--json")
    assert json.loads(quota.stdout)["today"]["sections"] == ["1 Start", "2 Middle"]
    # Without the offset, the same PDF is numbered by its physical pages.
    result = run("plan", "--pdf", "ch.pdf", "--start", "2026-12-01", "--json")
    assert json.loads(result.stdout)["total_pages"] == 14  # pp. 1-14
    assert "offset" not in tomllib.loads((project / "ankify.toml").read_text())["plan"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--pdf", "labelled.pdf", "--offset", "-52"),
            "labelled.pdf: an offset is for PDFs without page labels, and this one has them "
            "(20 pages, labelled i-ii, 1-18): drop the offset and give the printed pages "
            "(--offset)",
        ),
        (
            ("--pages", "1-9", "--offset", "-52"),
            "an offset is for the pages of a PDF without page labels: give the PDF, or drop the "
            "offset (--offset, --pdf)",
        ),
        (
            ("--book", "dlbook", "--offset", "2"),
            "an offset is for the pages of a PDF without page labels: give the PDF, or drop the "
            "offset (--offset, --pdf)",
        ),
        (("--pdf", "labelled.pdf", "--offset", "x"), None),
    ],
)
def test_plan_offset_errors(project: Path, args: tuple[str, ...], message: str | None) -> None:
    back_matter_book(project / "labelled.pdf", labels=True)
    result = run("plan", "--start", "2026-12-01", *args)
    if message is None:  # click's own check of a whole number: one line, exit 1
        assert result.exit_code == 1 and "'x' is not a valid integer" in result.stderr
    else:
        fails_with(result, message)
    assert not (project / "ankify.toml").exists()


def test_quota_when_the_pdf_got_labels_after_plan_offset(project: Path) -> None:
    back_matter_book(project / "ch.pdf", labels=False)
    assert run("plan", "--pdf", "ch.pdf", "--offset", "-52", "--start", "2026-12-01").exit_code == 0
    back_matter_book(project / "ch.pdf", labels=True)
    fails_with(
        run("quota", "--date", "2026-12-02", "--sources", "."),
        "ch.pdf: the PDF has page labels now, and [plan] offset in ankify.toml is for PDFs "
        "without them: run 'ankify plan' again, without the offset",
    )


# -- the forecast, the budget and the reading list (issue 17) ---------------------------------


def test_plan_is_shaped_to_the_review_budget(project: Path) -> None:
    args = ("plan", "--pages", "1-300", "--start", "2026-12-01", "--ramp-days", "20")
    result = run(*args, "--cards-per-page", "3", "--review-budget", "40", "--json")
    assert result.exit_code == 0, result.output
    forecast = json.loads(result.stdout)["forecast"]
    assert forecast["shaped_to_budget"] is True
    assert forecast["peak_minutes"] <= 40 < forecast["asked"]["peak_minutes"]
    assert forecast["asked"]["to"] == 15
    assert forecast["delay_days"] > 0
    saved = tomllib.loads((project / "ankify.toml").read_text())["plan"]
    assert saved["to"] < 15  # the plan that fits is the one saved
    text = run(*args, "--cards-per-page", "3", "--review-budget", "40").stdout
    assert (
        "Shaped to the budget: as asked (5 rising to 15 pages a day) the forecast peaks at " in text
    )
    assert f"rising to {saved['to']} pages a day it fits, finishing on " in text
    assert "Budget: 40 min a day: within it after the last page" in text
    assert "Forecast: 3.00 cards a page (given); FSRS-6 with default parameters" in text


def test_plan_with_a_budget_no_plan_fits(project: Path) -> None:
    result = run("plan", *SMALL, "--cards-per-page", "50", "--review-budget", "3")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: even 1 page a day is forecast to cost ")
    assert result.stderr.endswith(
        "above the budget of 3: raise the budget, or study fewer cards per page "
        "(--review-budget, --cards-per-page)\n"
    )
    assert not (project / "ankify.toml").exists()


def _pdf(path: Path, pages: int) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()


def test_plan_the_papers_after_the_book(project: Path) -> None:
    _pdf(project / "papers" / "attention.pdf", 11)
    _pdf(project / "more" / "adam.pdf", 6)
    (project / "papers" / "list.toml").write_text(
        '[[reading]]\npdf = "attention.pdf"\npace = 4\n\n[[reading]]\ntitle = "A survey"\npages = 5\n'
    )
    result = run("plan", *SMALL, "--list", "papers/list.toml", "--paper", "more/adam.pdf")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Then: 3 documents of the reading list, 22 pages, to Fri 2026-12-11"
    # After the book's last day, at each document's pace (the plan's 15 a day for the others).
    rows = [(line[:35], line[57:]) for line in lines[9:13]]
    assert rows == [
        ("  6  Tue 2026-12-08  1-4        4  ", "attention"),
        ("  7  Wed 2026-12-09  5-8        4  ", "attention"),
        ("  8  Thu 2026-12-10  9-11, 1    4  ", "attention; A survey"),
        ("  9  Fri 2026-12-11  2-5, 1-6  10  ", "A survey; adam"),
    ]
    saved = tomllib.loads((project / "ankify.toml").read_text())["reading"]
    assert saved == [
        {"pdf": "papers/attention.pdf", "pace": 4},
        {"title": "A survey", "pages": 5},
        {"pdf": "more/adam.pdf"},
    ]
    # quota: each document's progress from the notes about it, apart from the book's.
    (project / "sources").mkdir()
    (project / "sources" / "att.md").write_text(
        "---\nsource: papers/attention.pdf\npages: 1-4\ndate: 2026-12-08\n---\nQ: Why attention?\nA: It works.\n"
    )
    data = json.loads(run("quota", "--date", "2026-12-09", "--json").stdout)
    assert data["done"] == 0  # the book's pages 1-4 are not read: the paper's are
    assert [(d["title"], d["done"], d["pages"]) for d in data["reading_list"]] == [
        ("attention", 4, 11),
        ("A survey", 0, 5),
        ("adam", 0, 6),
    ]
    text = run("quota", "--date", "2026-12-09").stdout.splitlines()
    assert "Reading list: attention: 4 of 11 pages" in text
    assert text[0] == "Wed 2026-12-09: the reading list: attention pp. 5-8"
    assert data["reading_list_today"] == [{"title": "attention", "first_page": 5, "last_page": 8}]
    assert json.loads(run("quota", "--date", "2026-12-11", "--json").stdout)[
        "reading_list_today"
    ] == [
        {"title": "A survey", "first_page": 2, "last_page": 5},
        {"title": "adam", "first_page": 1, "last_page": 6},
    ]


def test_a_paper_read_between_the_books_pages(project: Path) -> None:
    (project / "papers.toml").write_text(
        '[[reading]]\ntitle = "Adam"\npages = 6\nafter = 13\npace = 3\n'
    )
    result = run("plan", *SMALL, "--list", "papers.toml")
    assert result.exit_code == 0, result.output
    rows = [line[:35] for line in result.stdout.splitlines()[4:11]]
    assert rows == [
        "  1  Tue 2026-12-01  1-5     5     ",
        "  2  Wed 2026-12-02  6-13    8     ",
        "  3  Thu 2026-12-03  1-3     3     ",  # Adam, once the book is read through p. 13
        "  4  Fri 2026-12-04  4-6     3     ",
        "  5  Mon 2026-12-07  14-23  10     ",  # the book goes on, its quotas where they were
        "  6  Tue 2026-12-08  24-36  13     ",
        "  7  Wed 2026-12-09  37-40   4     ",
    ]
    assert tomllib.loads((project / "ankify.toml").read_text())["reading"] == [
        {"title": "Adam", "pages": 6, "after": 13, "pace": 3}
    ]
    (project / "sources").mkdir()
    lines = run("quota", "--date", "2026-12-04").stdout.splitlines()
    assert lines[0] == "Fri 2026-12-04: the reading list: Adam pp. 4-6"
    data = json.loads(run("quota", "--date", "2026-12-07", "--json").stdout)
    # Day 5, as the plan's table numbers it: Adam's days are reading days too.
    assert (data["day"], data["today"]["first_page"], data["planned_before_today"]) == (5, 14, 13)
    assert run("quota", "--date", "2026-12-07").stdout.startswith("Mon 2026-12-07: day 5 of 7.")
    # Nothing read yet: 40 pages from Mon 12-07 at 15 a day (the quota of the calendar's day 5),
    # Adam's 2 days once page 13 is read: Mon 1-15, Tue-Wed Adam, Thu 16-30, Fri 31-40.
    assert data["projected_finish"] == "2026-12-11"


def test_plan_plot_draws_pages_and_minutes(project: Path) -> None:
    result = run("plan", *SMALL, "--plot", "plan.png")
    assert result.exit_code == 0, result.output
    assert (project / "plan.png").read_bytes().startswith(b"\x89PNG")
    assert result.stdout.splitlines()[-1] == "Wrote plan.png"
    quota = run("quota", "--date", "2026-12-03", "--sources", ".", "--plot", "quota.png")
    assert quota.exit_code == 0, quota.output
    assert (project / "quota.png").read_bytes().startswith(b"\x89PNG")


def test_plan_with_a_collection(project: Path) -> None:
    from anki.collection import Collection

    col = Collection(str(project / "collection.anki2"))
    try:
        config = col.decks.config_dict_for_deck_id(1)
        config["fsrsParams6"] = [round(0.1 + 0.05 * i, 3) for i in range(21)]
        config["desiredRetention"] = 0.8
        col.decks.update_config(config)
        result = run("plan", *SMALL, "--collection", "collection.anki2", "--json")
    finally:
        col.close()
    assert result.exit_code == 0, result.output
    forecast = json.loads(result.stdout)["forecast"]
    # No card studied yet: the default preset's parameters are not the learner's.
    assert (forecast["parameters"], forecast["retention"]) == ("default", 0.9)
    assert forecast["collection"]["cards_studied"] == 0
    fails_with(
        run("plan", *SMALL, "--collection", "missing.anki2"),
        "missing.anki2: no such Anki collection: name your collection.anki2 (in Anki's profile "
        "folder) (--collection)",
    )


@pytest.mark.parametrize("command", ["plan", "quota"])
@pytest.mark.parametrize(
    ("option", "value", "example"),
    [
        ("--cards-per-page", "nan", "3"),
        ("--review-budget", "nan", "60"),
        ("--review-budget", "inf", "60"),
        ("--retention", "nan", "0.9"),
    ],
)
def test_forecast_options_are_finite_numbers(
    project: Path, command: str, option: str, value: str, example: str
) -> None:
    assert run("plan", *SMALL).exit_code == 0
    fails_with(
        run(command, *(SMALL if command == "plan" else ()), option, value, "--json"),
        f"{option} {value} is not a finite number: give one such as {option} {example}",
    )


@pytest.mark.parametrize("start", ["9999-12-01", "0001-01-01"])
def test_a_start_out_of_range(project: Path, start: str) -> None:
    fails_with(
        run("plan", "--book", "dlbook", "--start", start),
        f"{start} is out of range: give a date from 1900-01-01 to 8999-12-31 (--start)",
    )
    assert not (project / "ankify.toml").exists()
    assert run("plan", *SMALL).exit_code == 0
    fails_with(
        run("quota", "--date", start),
        f"a report for {start} is out of range: give a date from 1900-01-01 to 8999-12-31",
    )


@pytest.mark.parametrize("command", ["plan", "quota"])
def test_a_plot_in_a_missing_folder(project: Path, command: str) -> None:
    assert run("plan", *SMALL).exit_code == 0
    before = (project / "ankify.toml").read_text()
    plot = project / "nodir" / "x.png"
    fails_with(
        run(command, *(SMALL if command == "plan" else ()), "--plot", str(plot)),
        "nodir/x.png: its folder does not exist: create it, or write the plot to another folder "
        "(--plot)",
    )
    assert (project / "ankify.toml").read_text() == before  # checked before the plan is saved


def test_a_collection_with_too_few_answers_times_nothing(project: Path) -> None:
    import time

    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(str(project / "collection.anki2"))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "Q?", "A."
        col.add_note(note, 1)
        card = col.get_card(note.card_ids()[0])
        card.start_timer()
        card.timer_started = time.time() - 5
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
        )
    finally:
        col.close()
    result = run("plan", *SMALL, "--collection", "collection.anki2")
    assert result.exit_code == 0, result.output
    assert "  a review takes 16 s, learning a new card 38 s (fsrs-rs's defaults)" in (
        result.stdout.splitlines()
    )


def test_quota_after_the_book_while_the_reading_list_goes_on(project: Path) -> None:
    (project / "ankify.toml").write_text('[[reading]]\ntitle = "Late"\npages = 30\npace = 5\n')
    assert run("plan", *SMALL).exit_code == 0  # the book to Mon 12-07, Late to Tue 12-15
    (project / "sources").mkdir()
    assert run("quota", "--date", "2026-12-12").stdout.splitlines()[0] == (
        "Sat 2026-12-12: the book was finished on Mon 2026-12-07; the reading list goes on to "
        "Tue 2026-12-15 (day 11); no reading is planned today."
    )
    assert run("quota", "--date", "2026-12-20").stdout.splitlines()[0] == (
        "Sun 2026-12-20: the plan finished on Tue 2026-12-15 (day 11 of 11) with the reading "
        "list; no reading is planned today."
    )


def test_reading_days_are_numbered_alike_everywhere(project: Path) -> None:
    (project / "ankify.toml").write_text('[[reading]]\ntitle = "Early"\npages = 6\nafter = 50\n')
    plan = ("plan", "--book", "dlbook", "--start", "2026-12-01", "--pages", "100-200")
    table = run(*plan).stdout.splitlines()
    assert table[6].startswith("  2  Wed 2026-12-02  1-6 ")  # Early
    assert table[7].startswith("  3  Thu 2026-12-03  105-109 ")
    data = json.loads(run(*plan, "--json").stdout)
    assert [(d["day"], d["date"]) for d in data["days"][:2]] == [
        (1, "2026-12-01"),
        (3, "2026-12-03"),
    ]
    assert [(d["day"], d["date"]) for d in data["reading_list"]] == [(2, "2026-12-02")]
    (project / "sources").mkdir()
    assert json.loads(run("quota", "--date", "2026-12-03", "--json").stdout)["day"] == 3
    assert run("quota", "--date", "2026-12-03").stdout.startswith("Thu 2026-12-03: day 3 of 17.")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            '[[reading]]\ntitle = "Early"\npages = 6\n\n[[reading]]\ntitle = "Adam"\npages = 6\n'
            'pace = "fast"\n',
            '9: [[reading]] "Adam": pace must be a whole number of pages a day, e.g. 10',
        ),
        (
            '[[reading]]\ntitle = "Early"\npages = 6\n\n[[reading]]\npdf = "papers/nope.pdf"\n',
            "7: papers/nope.pdf: no such PDF on the reading list: check the path, or give a "
            "title and pages",
        ),
        (
            '[[reading]]\ntitle = "Early"\n\n[[ reading ]]  # next\ntitle = "Adam"\npages = 3\n',
            '2: [[reading]] "Early": has no pages: add pages = 12 (its page count)',
        ),
        (
            '[[reading]]\ntitle = "Early"\npages = 6\ntitel = "x"\n',
            """5: [[reading]] "Early": unknown key 'titel': did you mean 'title'?""",
        ),
        (
            "[[reading]]\npages = 6\n",
            '2: [[reading]]: needs a pdf = "paper.pdf", or a title and pages',
        ),
    ],
)
@pytest.mark.parametrize("where", ["ankify.toml", "papers.toml"])
def test_a_bad_reading_list_names_its_line_and_entry(
    project: Path, entries: str, message: str, where: str
) -> None:
    header = "# my reading\n"
    (project / where).write_text(header + entries)
    listed = ("--list", where) if where == "papers.toml" else ()
    fails_with(run("plan", *SMALL, *listed), f"{where}:{message}")
    if where == "ankify.toml":  # quota reads the same list
        (project / "ankify.toml").write_text('[plan]\npages = "1-40"\nstart = 2026-12-01\n')
        with (project / "ankify.toml").open("a") as file:
            file.write(entries)
        fails_with(
            run("quota"),
            f"ankify.toml:{int(message.split(':')[0]) + 2}{message[message.index(':') :]}",
        )


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            '[[reading]]\ntitle = "Adam"\npages = 3\n[[reading]]\ntitle = "adam "\npages = 4\n',
            '4: [[reading]] "adam": the same title as [[reading]] "Adam" at line 1: give each '
            "document its own title",
        ),
        (
            '[[reading]]\npdf = "./papers/x.pdf"\n[[reading]]\npdf = "papers/x.pdf"\n'
            'title = "Other"\n',
            '3: [[reading]] "Other": the same PDF as [[reading]] "x" at line 1: list each PDF once',
        ),
        (
            '[[reading]]\npdf = "papers/x.pdf"\ntitle = "X: a paper"\n[[reading]]\ntitle = "X"\n'
            "pages = 2\n",
            '4: [[reading]] "X": a title that is the name of the other\'s PDF ([[reading]] "X: a '
            'paper" at line 1): notes naming one would count for both: give another title',
        ),
        (
            '[[reading]]\ntitle = "Adam"\npages = 3\nafter = 41\n',
            '1: [[reading]] "Adam": after = 41 is beyond the book\'s planned pages 1-40: give a '
            "page from 1 to 40, or leave after out to read it after the book",
        ),
    ],
)
def test_a_reading_list_that_cannot_be_meant(project: Path, entries: str, message: str) -> None:
    _pdf(project / "papers" / "x.pdf", 3)
    (project / "papers.toml").write_text(entries)
    fails_with(run("plan", *SMALL, "--list", "papers.toml"), f"papers.toml:{message}")
    assert not (project / "ankify.toml").exists()


def test_a_paper_whose_title_is_listed_already(project: Path) -> None:
    _pdf(project / "adam.pdf", 3)
    (project / "ankify.toml").write_text('[[reading]]\ntitle = "Adam"\npages = 3\n')
    fails_with(
        run("plan", *SMALL, "--paper", "adam.pdf"),
        'adam.pdf: "adam": the same title as [[reading]] "Adam" in ankify.toml:1: give each '
        "document its own title",
    )


@pytest.mark.parametrize("how", ["--paper", "--pdf", "list"])
def test_a_truncated_pdf_is_damaged(project: Path, how: str) -> None:
    _pdf(project / "whole.pdf", 30)
    (project / "trunc.pdf").write_bytes((project / "whole.pdf").read_bytes()[:500])
    damaged = "trunc.pdf: is damaged and cannot be read: download or export the PDF again"
    if how == "list":
        (project / "ankify.toml").write_text('[[reading]]\npdf = "trunc.pdf"\npace = 3\n')
        fails_with(run("plan", *SMALL), f"ankify.toml:2: {damaged}")
    elif how == "--pdf":
        fails_with(run("plan", "--pdf", "trunc.pdf", "--start", "2026-12-01"), damaged)
    else:
        fails_with(run("plan", *SMALL, "--paper", "trunc.pdf"), damaged)


@pytest.mark.parametrize("cards_per_page", ["50", "100"])
def test_a_budget_no_plan_fits_fails_fast(project: Path, cards_per_page: str) -> None:
    import time

    begin = time.perf_counter()
    result = run(
        "plan", "--book", "dlbook", "--start", "2026-12-01", "--cards-per-page", cards_per_page
    )
    seconds = time.perf_counter() - begin
    assert result.exit_code == 1, result.output
    # The first weeks of a page a day tell: not every plan down to it, a page at a time.
    assert " minutes of Anki a day in its first 60 days, on " in result.stderr
    assert seconds < 6  # 16-33 s when every cap was forecast in full
    assert not (project / "ankify.toml").exists()


def test_the_forecast_runs_past_a_paper_read_between_the_books_pages(project: Path) -> None:
    (project / "ankify.toml").write_text('[[reading]]\ntitle = "Early"\npages = 6\nafter = 5\n')
    data = json.loads(run("plan", *SMALL, "--json").stdout)
    forecast = data["forecast"]
    # The book goes on after the paper: its last page is the plan's, and the forecast covers it.
    assert (data["reading_list"][0]["date"], data["finish"]) == ("2026-12-02", "2026-12-08")
    assert forecast["last_page"] == "2026-12-08"
    assert forecast["days"][-1]["date"] == "2027-03-08"  # 90 days after it
