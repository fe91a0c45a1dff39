"""Highlights on pages laid out as real PDFs lay them out (issue 14): blocks that break
mid-sentence, bold words stored after their line, hyphenation across blocks, running headers
across a page turn, highlights made of several annotations, math set in math fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf

from ankify.model import PageLabels
from ankify.sources.pdf.document import open_pdf
from ankify.sources.pdf.highlights import read_highlights
from ankify.sources.pdf.pages import page_numbers, select_pages

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


def _regions(path: Path) -> list[tuple[float, float, float, float]]:
    """The page regions shown as pictures in the cards of a PDF's highlights."""
    with open_pdf(path) as doc:
        pages = select_pages(page_numbers(doc, path), PageLabels.parse("1"), path)
        return [
            piece.region
            for highlight in read_highlights(doc, pages, path)
            for piece in highlight.pieces
            if piece.region is not None
        ]


def test_a_formula_that_splits_its_row_is_one_picture_with_the_letter_set_in_the_text_font(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)

    # The text first, then the formula's pieces, wide apart: as the book's print stores them.
    def width(text: str, font: str) -> float:
        return pymupdf.get_text_length(text, fontname=font, fontsize=BODY)

    p = 60 + width("We can find", "helv") + 4
    x = p + width("P(", "symb")
    close = x + width("x", "helv")
    page.insert_text((60, 100), "We can find", fontsize=BODY, fontname="helv")
    page.insert_text((close + 20, 100), "with the sum rule:", fontsize=BODY, fontname="helv")
    page.insert_text((x, 100), "x", fontsize=BODY, fontname="helv")
    page.insert_text((p, 100), "P(", fontsize=BODY, fontname="symb")
    page.insert_text((close, 100), ")", fontsize=BODY, fontname="symb")
    _mark(page, "sum rule")
    path = _save(doc, tmp_path)
    _, notes = pdf_notes(path, "1")
    (front,) = (n.fields[0] for n in notes)
    assert front.count("<img ") == 1
    assert re.sub(r"<img [^>]*>", "[formula]", front) == (
        "<p>We can find [formula] with the {{c1::sum rule}}:</p>"
    )
    ((x0, _, x1, _),) = _regions(path)
    assert x0 < p and x1 > close  # the whole formula, the text font's x inside it


def test_a_fraction_set_apart_is_one_picture_and_its_full_stop_ends_the_sentence_at_its_end(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("Fortunately, we can use the rule:", "helv")])
    page.insert_text((200, 132), "a+b.", fontsize=BODY, fontname="symb")  # numerator, first
    page.insert_text((160, 140), "f =", fontsize=BODY, fontname="symb")
    page.insert_text((205, 149), "c", fontsize=BODY, fontname="symb")  # denominator
    page.insert_text((360, 140), "(3.42)", fontsize=BODY, fontname="helv")
    _row(page, 175, [("Note that this holds.", "helv")])
    _mark(page, "rule")
    path = _save(doc, tmp_path)
    _, notes = pdf_notes(path, "1")
    (front,) = (n.fields[0] for n in notes)
    assert re.sub(r"<img [^>]*>", "[formula]", front) == (
        "<p>Fortunately, we can use the {{c1::rule}}: [formula]</p>"
    )
    ((x0, y0, x1, y1),) = _regions(path)
    assert x0 < 160 and y0 < 125 and y1 > 149  # numerator, main row and denominator
    assert x1 < 360  # never the equation's number


def test_a_sentence_over_a_page_turn_reads_on_from_the_text_not_from_a_caption(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    first = doc.new_page(width=420, height=595)
    _row(first, 80, [("Figure 3.7: A directed model over a and b.", "helv")])
    _row(first, 500, [("It is a property of a particular description of a", "helv")])
    _mark(first, "description")
    second = doc.new_page(width=420, height=595)
    _row(second, 80, [("probability distribution, not of the distribution.", "helv")])
    _, notes = pdf_notes(_save(doc, tmp_path), "1-2")
    assert [n.fields[0] for n in notes] == [
        "<p>It is a property of a particular {{c1::description}} of a probability "
        "distribution, not of the distribution.</p>"
    ]


def test_a_caption_set_small_goes_on_past_the_formula_in_it(tmp_path: Path) -> None:
    doc = pymupdf.open()
    first = doc.new_page(width=420, height=595)
    _row(first, 500, [("Undirected models use graphs with plain edges; unlike in", "helv")])
    _row(first, 514, [("the directed case, these functions", "helv")])
    _mark(first, "directed case")
    second = doc.new_page(width=420, height=595)
    second.insert_text((60, 30), "CHAPTER 3. PROBABILITY", fontsize=8)
    small = 9.0
    second.insert_text((60, 80), "Figure 3.8: An undirected model.", fontsize=small)
    second.insert_text((60, 92), "It factors as", fontsize=small)
    second.insert_text((150, 118), "p(a, b) = f(a, b).", fontsize=small)
    second.insert_text((60, 140), "This graph shows how a and c interact.", fontsize=small)
    _row(second, 200, [("are usually not probability distributions of any kind. Any", "helv")])
    _row(second, 214, [("set of nodes that are all connected is a clique.", "helv")])
    _, notes = pdf_notes(_save(doc, tmp_path), "1-2")
    assert [n.fields[0] for n in notes] == [
        "<p>Undirected models use graphs with plain edges; unlike in the {{c1::directed case}}, "
        "these functions are usually not probability distributions of any kind.</p>"
    ]


def test_a_bold_term_that_starts_a_row_inside_a_sentence_is_no_heading(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("A common use is as a component of an", "helv"), ("empirical", "hebo")])
    _row(page, 114, [("distribution,", "hebo")])
    _row(page, 128, [("which puts mass on each point.", "helv")])
    _mark(page, "empirical", "distribution,")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>A common use is as a component of an {{c1::empirical distribution}}, which puts "
        "mass on each point.</p>"
    ]


def test_a_footnote_mark_stays_out_of_the_sentence_and_off_the_row_above(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("The distribution is over a single discrete", "helv")])
    _row(page, 114, [("variable with k states, where k is finite.", "helv")])
    end = 60 + pymupdf.get_text_length(
        "variable with k states, where k is finite.", fontname="helv", fontsize=BODY
    )
    page.insert_text((end + 0.5, 110), "1", fontsize=7)  # the mark, raised
    page.insert_text((end + 4, 110), " ", fontsize=BODY)  # a space on the mark's baseline
    _row(page, 128, [("The next sentence.", "helv")])
    _mark(page, "discrete")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>The distribution is over a single {{c1::discrete}} variable with k states, where "
        "k is finite.</p>"
    ]


def test_the_labels_of_a_drawn_figure_stay_out_of_sentences(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    for x, y, label in ((150, 100, "a"), (250, 100, "b"), (200, 150, "c")):
        page.draw_circle((x + 3, y - 4), 12)
        page.insert_text((x, y), label, fontsize=BODY)
    _row(page, 220, [("Undirected models use graphs with plain edges.", "helv")])
    _mark(page, "Undirected")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>{{c1::Undirected}} models use graphs with plain edges.</p>"
    ]


def test_a_row_starting_with_figure_and_a_number_in_a_sentence_is_no_caption(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    _row(page, 100, [("Distributions close to uniform have high entropy. See the", "helv")])
    _row(page, 114, [("figure 3.5 for a demonstration of how entropy grows.", "helv")])
    _row(page, 128, [("It is known as the differential entropy.", "helv")])
    _mark(page, "demonstration")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>See the figure 3.5 for a {{c1::demonstration}} of how entropy grows.</p>"
    ]


def test_a_table_and_a_bullet_stay_out_of_the_sentence_after_them(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    for row, cells in enumerate((("method", "depth", "error"), ("ResNet", "20", "8.75"))):
        for column, cell in enumerate(cells):
            page.insert_text((80 + 90 * column, 80 + 12 * row), cell, fontsize=BODY)
    page.insert_text((80, 104), "ResNet", fontsize=BODY)
    page.insert_text((170, 104), "110", fontsize=BODY)
    page.insert_text((260, 104), "6.43", fontsize=BODY)
    _row(page, 150, [("so our residual models have the same depth.", "helv")])
    _row(page, 170, [("\u2022 In attention layers, the queries come from the decoder.", "helv")])
    _mark(page, "residual models")
    _mark(page, "queries")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>so our {{c1::residual models}} have the same depth.</p>",
        "<p>In attention layers, the {{c1::queries}} come from the decoder.</p>",
    ]


def test_a_bulleted_item_ends_where_the_text_is_set_out_to_the_margin_again(
    tmp_path: Path,
) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    page.insert_text((70, 100), "\u2022", fontsize=BODY, fontname="symb")
    page.insert_text((82, 100), "f(ax) = |a| f(x)", fontsize=BODY, fontname="symb")
    _row(page, 116, [("The Euclidean norm is the one with p = 2.", "helv")])
    _mark(page, "Euclidean")
    _, notes = pdf_notes(_save(doc, tmp_path), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>The {{c1::Euclidean}} norm is the one with p = 2.</p>"
    ]
