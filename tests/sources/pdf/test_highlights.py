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


def _figure_book(path: Path, note: str | None) -> Path:
    """A page of text and a figure, the figure highlighted (with `note` as its popup)."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    page.insert_text((50, 60), "The normal density has the shape of a bell.", fontsize=11)
    page.draw_rect(pymupdf.Rect(100, 200, 300, 320), color=(0, 0, 0), fill=(0.2, 0.4, 0.8))
    annot = page.add_highlight_annot(pymupdf.Rect(95, 195, 305, 325).quad)
    if note is not None:
        annot.set_info(content=note)
    annot.update()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def test_a_marked_figure_with_a_question_is_a_card_whose_answer_is_its_picture(
    project: Project, anki: Anki
) -> None:
    pdf = _figure_book(project.root / "books" / "fig.pdf", "Q: What shape has the density?")
    result = build(project, pdf, "1")
    anki.import_apkg(result.output)
    (note,) = anki.notes()
    assert note.fields[0] == "<p>What shape has the density?</p>"
    assert note.fields[1].startswith('<p><img src="ankify-')
    assert 'class="ankify-pdf-page"' in note.fields[1]
    (picture,) = [name for name in anki.media_files() if name.startswith("ankify-")]
    with pymupdf.open(Path(anki.col.media.dir()) / picture) as image:
        width, height = image[0].rect.width, image[0].rect.height
    assert abs(width / height - 210 / 130) < 0.1  # the marked region, not the page


def test_a_bare_mark_over_no_text_fails_the_build_naming_its_page_and_the_fix(
    project: Project,
) -> None:
    _figure_book(project.root / "books" / "fig.pdf", None)
    result = project.run("build", "books/fig.pdf", "--pages", "1")
    assert result.exit_code == 1
    assert result.output == (
        "Error: books/fig.pdf p. 1, a highlight: it covers no text (a figure or a scanned "
        "page?): write a question in its note (Q: …) to make a card whose answer is the "
        "picture of what it covers, or delete it\n"
    )
    assert not (project.decks / "fig.apkg").exists()
