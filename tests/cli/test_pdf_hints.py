"""`build --pages` on a PDF without page labels: a range that gives nothing says that its
pages were read as physical pages, where the highlights are, and that --offset maps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import Anki, Project
from ..pdf_fixtures import LABELS, Book


def chapter(path: Path, *, labels: bool = False, marks: bool = True) -> Path:
    """A chapter printed from a book: 60 pages, its printed p. 53 on physical page 1, without
    page labels; highlights on physical pages 3-5 (printed 55-57)."""
    book = Book(labels=LABELS if labels else None, title="Deep Learning")
    for number in range(1, 61):
        book.page(f"Page {number} says that entropy measures uncertainty.")
    if marks:
        for index in (2, 3, 4):
            book.mark(index, "entropy")
    return book.save(path)


def test_an_empty_range_of_an_unlabelled_pdf_says_where_the_highlights_are(
    project: Project, anki: Anki
) -> None:
    chapter(project.root / "books" / "ch3.pdf")
    result = project.run("build", "books/ch3.pdf", "--pages", "55-57")
    assert result.exit_code == 0, result.output
    assert result.stdout == "books/ch3.pdf: no cards, nothing written\n"
    assert result.stderr.splitlines()[-1] == (
        "Note: books/ch3.pdf: no highlights on pp. 55-57, read as physical pages since the PDF "
        "has no page labels; its highlights are on pp. 3-5: if its printed page numbers are not "
        "its physical ones, give the offset N that makes printed page P physical page P + N "
        "(--offset)"
    )
    assert not (project.decks / "ch3-p55-57.apkg").exists()

    # The hint followed: the same printed pages are the highlighted ones.
    result = project.run("build", "books/ch3.pdf", "--pages", "55-57", "--offset", "-52")
    assert result.exit_code == 0, result.output
    assert result.stdout == "decks/ch3-p55-57.apkg: On the go::Deep Learning 3 cards\n"
    assert "no highlights" not in result.stderr
    anki.import_apkg(project.decks / "ch3-p55-57.apkg")
    sources = sorted(note["Source"] for note in anki.notes())
    assert sources == ["ch3.pdf p. 55", "ch3.pdf p. 56", "ch3.pdf p. 57"]


@pytest.mark.parametrize(
    ("labels", "marks", "args", "hint"),
    [
        (  # no highlight anywhere: no offset would find one
            False,
            False,
            ("--pages", "7"),
            "Note: books/ch3.pdf: no highlights on p. 7, read as physical pages since the PDF "
            "has no page labels, nor on any other page: cards come from its highlights, "
            "underlines and squigglies",
        ),
        (False, True, ("--pages", "7", "--offset", "0"), None),  # the pages are as asked
        (True, True, ("--pages", "60"), None),  # labels: the printed pages are the PDF's own
    ],
)
def test_the_hint_is_given_only_when_the_pages_may_be_others(
    project: Project, labels: bool, marks: bool, args: tuple[str, ...], hint: str | None
) -> None:
    chapter(project.root / "books" / "ch3.pdf", labels=labels, marks=marks)
    result = project.run("build", "books/ch3.pdf", *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == "books/ch3.pdf: no cards, nothing written\n"
    notes = [line for line in result.stderr.splitlines() if "highlights" in line]
    assert notes == ([hint] if hint else [])
