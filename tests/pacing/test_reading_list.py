"""The reading list after the book: every page of every document, once, in order; saved as
[[reading]] tables without touching the rest of ankify.toml; progress from the notes."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankify.errors import ConfigError
from ankify.model import PageRange
from ankify.pacing.plan import Plan
from ankify.pacing.reading_file import load_reading, save_reading
from ankify.pacing.reading_list import (
    Document,
    EntryError,
    lay_out,
    list_progress,
    parse_document,
    schedule_list,
)
from ankify.pacing.report import NotePages
from ankify.pacing.schedule import make_schedule

TUE = date(2026, 12, 1)


@given(
    pages=st.lists(st.integers(1, 60), min_size=1, max_size=6),
    paces=st.lists(st.one_of(st.none(), st.integers(1, 25)), min_size=6, max_size=6),
    to_pages=st.integers(1, 20),
    rest=st.sets(st.integers(0, 6), max_size=6),
)
def test_the_list_is_covered_exactly_page_for_page(
    pages: list[int], paces: list[int | None], to_pages: int, rest: set[int]
) -> None:
    plan = Plan(PageRange(1, 10), TUE, 1, to_pages, 1, rest_days=tuple(sorted(rest)))
    documents = tuple(Document(f"d{i}", n, pace=paces[i]) for i, n in enumerate(pages))
    days = schedule_list(plan, documents, after=TUE)
    read: dict[int, list[int]] = {i: [] for i in range(len(documents))}
    for day in days:
        assert day.date > TUE and plan.is_reading_day(day.date)
        assert day.page_count > 0
        for part in day.parts:
            read[part.document].extend(range(part.pages.first, part.pages.last + 1))
    assert read == {i: list(range(1, n + 1)) for i, n in enumerate(pages)}
    assert [d.date for d in days] == sorted({d.date for d in days})
    assert [d.number for d in days] == list(range(days[0].number, days[0].number + len(days)))


def test_a_day_reads_the_pace_of_the_document_it_starts_in() -> None:
    plan = Plan(PageRange(1, 10), TUE, 5, 10, 1, rest_days=(5, 6))
    documents = (Document("A", 7, pace=5), Document("B", 12))
    days = schedule_list(plan, documents, after=TUE)
    assert [(d.date, [(p.document, str(p.pages)) for p in d.parts]) for d in days] == [
        (TUE + timedelta(days=1), [(0, "1-5")]),
        (TUE + timedelta(days=2), [(0, "6-7"), (1, "1-3")]),
        (TUE + timedelta(days=3), [(1, "4-12")]),  # B at the plan's 10 a day
    ]
    assert days[0].number == 2  # the plan's day 1 was the Tuesday


@pytest.mark.parametrize(
    ("data", "message", "key"),
    [
        ({"title": "X"}, "has no pages: add pages = 12 (its page count)", None),
        ({}, 'needs a pdf = "paper.pdf", or a title and pages', None),
        ({"title": "X", "pages": 0}, "pages must be a whole number of pages, e.g. 12", "pages"),
        ({"titel": "X"}, "unknown key 'titel': did you mean 'title'?", "titel"),
        (
            {"title": "X", "pages": 3, "pace": "fast"},
            "pace must be a whole number of pages a day, e.g. 10",
            "pace",
        ),
    ],
)
def test_a_bad_entry_says_what_to_fix(
    data: dict[str, object], message: str, key: str | None
) -> None:
    with pytest.raises(EntryError) as e:
        parse_document(data)
    assert (e.value.message, e.value.key) == (message, key)


def test_the_list_is_saved_beside_the_rest_of_ankify_toml(tmp_path: Path) -> None:
    import pymupdf

    config = tmp_path / "ankify.toml"
    head = '# mine\n[decks]\non_the_go = "Go::{deck}"\n\n[plan]\npages = "1-20"\n'
    config.write_text(head)
    doc = pymupdf.open()
    for _ in range(9):
        doc.new_page()
    (tmp_path / "papers").mkdir()
    doc.save(tmp_path / "papers" / "adam.pdf")
    doc.close()
    documents = (Document("Attention", 15, pace=5), Document("adam", 9, "papers/adam.pdf"))
    save_reading(config, documents)
    text = config.read_text()
    assert text.startswith(head)
    assert load_reading(config, base=tmp_path) == documents
    # Saved again, shorter: the old tables go, nothing else moves.
    save_reading(config, documents[1:])
    assert config.read_text() == head + '\n[[reading]]\npdf = "papers/adam.pdf"\n'
    assert tomllib.loads(config.read_text())["decks"] == {"on_the_go": "Go::{deck}"}
    (tmp_path / "papers" / "adam.pdf").unlink()
    with pytest.raises(ConfigError, match="no such PDF on the reading list"):
        load_reading(config, base=tmp_path)


def test_progress_of_each_document_from_the_notes_about_it() -> None:
    documents = (Document("Attention", 15), Document("adam", 9, "papers/adam.pdf"))
    notes = (
        NotePages(Path("a.md"), (PageRange(1, 4), PageRange(3, 6)), TUE, "attention"),
        NotePages(Path("b.md"), (PageRange(8, 30),), TUE, "adam.pdf"),
        NotePages(Path("c.md"), (PageRange(1, 100),), TUE, None),  # the book's
    )
    progress = list_progress(documents, notes)
    assert [(p.document.title, p.done) for p in progress] == [("Attention", 6), ("adam", 2)]


@given(
    book_pages=st.integers(1, 120),
    documents=st.lists(
        st.tuples(
            st.integers(1, 30), st.one_of(st.none(), st.integers(1, 12)), st.integers(-5, 130)
        ),
        max_size=5,
    ),
    interleave=st.lists(st.booleans(), min_size=5, max_size=5),
    rest=st.sets(st.integers(0, 6), max_size=5),
)
def test_papers_between_the_books_pages_leave_every_page_read_once(
    book_pages: int,
    documents: list[tuple[int, int | None, int]],
    interleave: list[bool],
    rest: set[int],
) -> None:
    plan = Plan(PageRange(1, book_pages), TUE, 3, 9, 4, rest_days=tuple(sorted(rest)))
    listed = tuple(
        Document(f"d{i}", pages, pace=pace, after=after if interleave[i] else None)
        for i, (pages, pace, after) in enumerate(documents)
    )
    planned = make_schedule(plan)
    if any(d.after is not None and d.after > book_pages for d in listed):
        with pytest.raises(ConfigError, match="beyond the book's planned pages"):
            lay_out(planned, listed)
        return
    book, papers = lay_out(planned, listed)
    # The book: the same pages, only later days.
    assert [d.pages for d in book.days] == [d.pages for d in planned.days]
    assert all(a.date <= b.date for a, b in zip(planned.days, book.days, strict=True))
    dates = sorted([d.date for d in book.days] + [d.date for d in papers])
    assert len(set(dates)) == len(dates) and all(plan.is_reading_day(d) for d in dates)
    # Every reading day, the book's and the list's, numbered in date order.
    numbered = sorted(
        [(d.date, d.number) for d in book.days] + [(d.date, d.number) for d in papers]
    )
    assert [n for _, n in numbered] == list(range(1, len(numbered) + 1))
    read: dict[int, list[int]] = {i: [] for i in range(len(listed))}
    for day in papers:
        for part in day.parts:
            read[part.document].extend(range(part.pages.first, part.pages.last + 1))
    assert read == {i: list(range(1, d.pages + 1)) for i, d in enumerate(listed)}
    # A paper read between the book's pages comes once the book is read through its page.
    for i, document in enumerate(listed):
        if document.after is not None and document.after <= book_pages:
            first = min(d.date for d in papers if any(p.document == i for p in d.parts))
            before = [d for d in book.days if d.date < first]
            assert before and before[-1].pages.last >= document.after
