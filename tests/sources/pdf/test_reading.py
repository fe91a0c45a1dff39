"""Highlights on pages laid out as real PDFs lay them out (issue 14): blocks that break
mid-sentence, bold words stored after their line, hyphenation across blocks, running headers
across a page turn, highlights made of several annotations, math set in math fonts."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from ...conftest import pdf_notes

BODY = 11.0


def _row(page: pymupdf.Page, y: float, parts: list[tuple[str, str]], x: float = 60) -> None:
    """Words of one row, each part in its own font (`helv` text, `hebo` bold, `symb` math),
    written as separate text objects, as a browser's print writes them."""
    for text, font in parts:
        page.insert_text((x, y), text, fontsize=BODY, fontname=font)
        x += pymupdf.get_text_length(text, fontname=font, fontsize=BODY) + 3


def _mark(page: pymupdf.Page, *texts: str) -> None:
    quads = [q for text in texts for q in page.search_for(text, quads=True)]
    page.add_highlight_annot(quads).update()


def _save(doc: pymupdf.Document, tmp_path: Path, name: str = "book.pdf") -> Path:
    path = tmp_path / name
    doc.save(path)
    return path


def test_a_sentence_runs_across_blocks_rows_and_a_page_turn_past_its_running_header(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    first = doc.new_page(width=420, height=595)
    first.insert_text((60, 30), "CHAPTER 3. PROBABILITY", fontsize=8)
    _row(first, 500, [("Some words end here.", "helv"), ("In the case of the", "helv")])
    _row(first, 514, [("doctor, we use a", "helv"), ("degree of belief,", "hebo")])
    _row(first, 528, [("with 1 indicating", "helv")])
    first.insert_text((200, 575), "54", fontsize=8)
    _mark(first, "degree of belief")
    second = doc.new_page(width=420, height=595)
    second.insert_text((60, 30), "CHAPTER 3. PROBABILITY", fontsize=8)
    _row(second, 80, [("certainty. Next sentence.", "helv")])
    path = _save(doc, tmp_path)
    _, notes = pdf_notes(path, "1")
    assert [n.fields[0] for n in notes] == [
        "<p>In the case of the doctor, we use a {{c1::degree of belief}}, with 1 indicating "
        "certainty.</p>"
    ]


def test_bold_words_stored_after_their_line_are_read_in_place(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    before = "Two variables are"
    x_bold = 60 + pymupdf.get_text_length(before + " ", fontname="helv", fontsize=BODY)
    bold = "conditionally independent"
    x_after = x_bold + pymupdf.get_text_length(bold + " ", fontname="hebo", fontsize=BODY)
    page.insert_text((60, 100), before, fontsize=BODY, fontname="helv")
    page.insert_text((x_after, 100), "given z.", fontsize=BODY, fontname="helv")
    page.insert_text((x_bold, 100), bold, fontsize=BODY, fontname="hebo")  # stored last
    _mark(page, bold)
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>Two variables are {{c1::conditionally independent}} given z.</p>"
    ]


def test_hyphenation_across_blocks_is_joined_and_a_real_hyphen_kept(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("It is the proba-", "helv")])
    _row(page, 114, [("bility mass function of the Moore-", "helv")])
    _row(page, 128, [("Penrose kind.", "helv")])
    _mark(page, "proba-", "bility mass function")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>It is the {{c1::probability mass function}} of the Moore-Penrose kind.</p>"
    ]


def test_a_highlight_stopping_at_a_dash_hides_only_the_words_before_it(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("the Jacobian matrix-the matrix of derivatives.", "helv")])
    _mark(page, "Jacobian matrix")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>the {{c1::Jacobian matrix}}-the matrix of derivatives.</p>"
    ]


def test_one_stroke_made_as_an_annotation_per_line_is_one_card(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("We call this the structured", "helv")])
    _row(page, 114, [("probabilistic model of a graph.", "helv")])
    _mark(page, "structured")
    _mark(page, "probabilistic model")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>We call this the {{c1::structured probabilistic model}} of a graph.</p>"
    ]


def test_math_in_a_math_font_is_shown_as_a_picture_of_the_page_never_as_glyphs(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    # Symbol is a math font: its text layer says nothing faithful about the formula.
    _row(page, 100, [("We can find", "helv"), ("P(x)", "symb"), ("with the sum rule.", "helv")])
    _mark(page, "sum rule")
    path = _save(doc, tmp_path)
    _, notes = pdf_notes(path, "1")
    (front,) = (n.fields[0] for n in notes)
    assert front.startswith("<p>We can find <img ")
    assert 'class="ankify-pdf-formula"' in front
    assert " with the {{c1::sum rule}}.</p>" in front
    assert "P(x)" not in front  # the glyphs are never shown as text
