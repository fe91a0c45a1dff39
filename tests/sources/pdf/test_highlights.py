"""Highlights: exactly the words under their quads, in reading order."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ankify.build.jobs import PdfOptions
from ankify.build.pipeline import build_paths
from ankify.model import CardKind, PageLabels
from ankify.sources.pdf.document import open_pdf

from ...conftest import DAY, NOW, Anki, Project, pdf_notes
from ...pdf_fixtures import Book, chapter_book


@pytest.fixture
def book(project: Project) -> Path:
    return chapter_book().save(project.root / "books" / "dlbook.pdf")


def build(project: Project, pdf: Path, pages: str, *, now: float = NOW, **options: object):
    (result,) = build_paths(
        [pdf],
        project.decks,
        now=now,
        pdf=PdfOptions(pages=PageLabels.parse(pages), **options),  # type: ignore[arg-type]
    )
    return result


def test_a_cloze_holds_exactly_the_words_under_the_quads(book: Path) -> None:
    _, notes = pdf_notes(book, "53")
    jumps = notes[0]
    assert jumps.kind is CardKind.CLOZE
    assert jumps.fields[0] == "<p>The quick brown fox {{c1::jumps over}} the lazy dog.</p>"
    # The annotation's box covers both lines whole: extracting by box takes the neighbours.
    with open_pdf(book) as doc:
        page = doc[2]  # annotations live only as long as their page object
        annot = next(page.annots())
        by_box = " ".join(page.get_textbox(annot.rect).split())
    assert "brown fox jumps" in by_box and "over the lazy" in by_box


def test_reading_order_follows_columns_and_hyphenated_words_join(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    left = ["Left column: the first", "half of a proba-", "bility argument."]
    for row, text in enumerate(left):
        page.insert_text((40, 80 + 14 * row), text, fontsize=10)
    page.insert_text((230, 60), "Right column, read second.", fontsize=10)
    page.add_highlight_annot(page.search_for("second", quads=True)).update()
    # One highlight over a word hyphenated across lines: a quad on each line.
    quads = page.search_for("proba-", quads=True) + page.search_for("bility", quads=True)
    page.add_highlight_annot(quads).update()
    path = tmp_path / "columns.pdf"
    doc.save(path)
    _, notes = pdf_notes(path, "1")
    assert [n.fields[0] for n in notes] == [
        "<p>Left column: the first half of a {{c1::probability}} argument.</p>",
        "<p>Right column, read {{c1::second}}.</p>",
    ]


def test_moving_a_highlight_onto_more_words_keeps_its_note(project: Project, anki: Anki):
    book = Book()
    page = book.page("A probability mass function is for discrete variables.")
    book.mark(page, "mass function")
    path = book.save(project.root / "b.pdf")
    anki.import_apkg(build(project, path, "1").output)
    note = anki.note_by_field("{{c1::mass function}}")
    anki.review(note.cards()[0].id)

    book.marks.clear()
    book.mark(page, "probability mass function")
    book.save(path)
    log = anki.import_apkg(build(project, path, "1", now=NOW + DAY).output)
    assert (log.new, log.updated) == (0, 1)
    moved = anki.note_by_field("{{c1::probability mass function}}")
    assert moved.id == note.id and anki.revlog(moved.cards()[0].id) == 1
