"""PDF page ranges: opening, page labels, the words under highlights, identity, real Anki."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ankify.build import PdfOptions, build_paths
from ankify.cards import make_notes
from ankify.config import load_config
from ankify.errors import ConfigError, SourceError
from ankify.model import CardKind
from ankify.render import render_cards
from ankify.sources.pdf import (
    LabelRule,
    PageNumbers,
    open_pdf,
    page_numbers,
    pages_slug,
    read_pdf,
    select_pages,
)
from ankify.state import load_state

from .conftest import NOW, Anki, Project
from .pdf_fixtures import LABELS, Book, chapter_book, corrupt_bytes

DAY = 86400.0


@pytest.fixture
def book(project: Project) -> Path:
    return chapter_book().save(project.root / "books" / "dlbook.pdf")


def build(project: Project, pdf: Path, pages: str, *, now: float = NOW, **options: object):
    (result,) = build_paths(
        [pdf],
        project.decks,
        now=now,
        pdf=PdfOptions(pages=pages, **options),  # type: ignore[arg-type]
    )
    return result


def notes_of(pdf: Path, pages: str, **options: object):
    config = load_config(pdf)
    source = read_pdf(pdf, config, pages=pages, **options)  # type: ignore[arg-type]
    return source, make_notes(render_cards(source, config))


# -- opening ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "no such file: check the path"),
        (b"", "is empty, not a PDF: download or export it again"),
        (b"Q: not a PDF\n", "is not a PDF (it does not start with %PDF-): check the file"),
        (corrupt_bytes(), "is damaged and cannot be read: download or export the PDF again"),
    ],
)
def test_files_that_are_not_readable_pdfs(tmp_path: Path, data: bytes | None, message: str):
    path = tmp_path / "dlbook.pdf"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(SourceError) as error:
        open_pdf(path)
    assert str(error.value) == f"{path}: {message}"


def test_an_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    path = chapter_book().save(
        tmp_path / "locked.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="open sesame",
        owner_pw="owner",
    )
    with pytest.raises(SourceError, match=r"needs a password: pass --password$"):
        open_pdf(path)
    with pytest.raises(SourceError, match=r"wrong password: check --password$"):
        open_pdf(path, password="sesame")
    with open_pdf(path, password="open sesame") as doc:
        assert doc.page_count == 8


# -- pages ------------------------------------------------------------------------------------


def test_pages_are_the_printed_labels(book: Path) -> None:
    with open_pdf(book) as doc:
        numbers = page_numbers(doc, book)
        assert [numbers.label(i) for i in range(doc.page_count)] == [
            doc[i].get_label() for i in range(doc.page_count)
        ]
    assert numbers.find("53") == 2 and numbers.find("ii") == 1 and numbers.find("58") == 7
    assert numbers.find("1") is None and numbers.find("59") is None and numbers.find("iii") is None
    selection = select_pages(numbers, "54 – 56", book)
    assert (selection.first, selection.last, selection.labels) == (3, 5, ("54", "55", "56"))
    assert selection.text == "54-56"
    assert select_pages(numbers, "i-53", book).labels == ("i", "ii", "53")
    assert numbers.describe() == "8 pages, labelled i-ii, 53-58"


def test_without_labels_pages_are_physical_and_offset_maps_printed(tmp_path: Path) -> None:
    book = Book()
    for n in range(10):
        book.page(f"Page {n + 1}.")
    path = book.save(tmp_path / "paper.pdf")
    with open_pdf(path) as doc:
        plain = page_numbers(doc, path)
        shifted = page_numbers(doc, path, offset=4)
    assert select_pages(plain, "3-5", path).indices == range(2, 5)
    assert select_pages(shifted, "1-2", path).indices == range(4, 6)
    assert select_pages(shifted, "1-2", path).labels == ("1", "2")
    assert plain.describe() == "10 pages (1-10)"
    assert shifted.describe() == "10 pages, printed 1-6 with --offset 4"
    with pytest.raises(SourceError) as error:
        select_pages(shifted, "5-7", path)
    assert str(error.value) == (
        f"{path}: no page 7 in this PDF: it has 10 pages, printed 1-6 with --offset 4: "
        "give --pages within those"
    )


def test_out_of_range_names_the_page_count_and_the_labels(book: Path) -> None:
    with open_pdf(book) as doc:
        numbers = page_numbers(doc, book)
    with pytest.raises(SourceError) as error:
        select_pages(numbers, "57-90", book)
    assert str(error.value) == (
        f"{book}: no page 90 in this PDF: it has 8 pages, labelled i-ii, 53-58: "
        "give --pages within those"
    )
    with pytest.raises(ConfigError, match=r"--pages 56-54 runs backwards: .* e\.g\. 54-56$"):
        select_pages(numbers, "56-54", book)
    with pytest.raises(ConfigError, match="is not a page range: write it like 53-60"):
        select_pages(numbers, "53-", book)


def test_offset_is_refused_for_a_pdf_with_labels(book: Path) -> None:
    with open_pdf(book) as doc, pytest.raises(ConfigError, match="drop --offset"):
        page_numbers(doc, book, offset=3)


def test_page_slugs_name_files() -> None:
    assert pages_slug(" 53 - 60 ") == "53-60"
    assert pages_slug("053–060") == "53-60"
    assert pages_slug("7-7") == "7"
    assert pages_slug("xi-xiv") == "xi-xiv"


@given(number=st.integers(min_value=1, max_value=3999), style=st.sampled_from("DrRaA"))
def test_label_styles_read_back_what_they_write(number: int, style: str) -> None:
    numbers = PageNumbers(5000, (LabelRule(0, "A-", style, 1),))
    label = numbers.label(number - 1)
    assert numbers.find(label) == number - 1
    if style in "DrR":
        assert label == "A-" + pymupdf.utils.construct_label(style, "", number)


def test_letter_labels_follow_the_pdf_standard() -> None:
    # ISO 32000: a to z, then aa to zz, ... (PyMuPDF's own helper counts aa, ab, ... instead).
    numbers = PageNumbers(60, (LabelRule(0, "", "a", 1),))
    assert [numbers.label(i) for i in (0, 25, 26, 27, 52)] == ["a", "z", "aa", "bb", "aaa"]
    assert numbers.find("bb") == 27 and numbers.find("ab") is None


# -- highlights -------------------------------------------------------------------------------


def test_a_cloze_holds_exactly_the_words_under_the_quads(book: Path) -> None:
    _, notes = notes_of(book, "53")
    jumps = notes[0]
    assert jumps.kind is CardKind.CLOZE
    assert jumps.fields[0] == "<p>The quick brown fox {{c1::jumps over}} the lazy dog.</p>"
    # The annotation's box covers both lines whole: extracting by box takes the neighbours.
    with open_pdf(book) as doc:
        page = doc[2]  # annotations live only as long as their page object
        annot = next(page.annots())
        by_box = " ".join(page.get_textbox(annot.rect).split())
    assert "brown fox jumps" in by_box and "over the lazy" in by_box


def test_popup_notes_choose_the_card(book: Path) -> None:
    _, notes = notes_of(book, "53-57")
    by_front = {note.fields[0]: note for note in notes}
    question = by_front["<p>What kind of dog?</p>"]
    assert question.kind is CardKind.QUESTION
    assert question.fields[1] == "<p>lazy</p>"
    assert question.tags == ("animals",)
    assert question.rendered.explicit_id == "lazy-dog"
    exercise = by_front["<p>Derive the entropy of a fair coin.</p>"]
    assert exercise.kind is CardKind.EXERCISE
    assert exercise.deck == "Pen and paper::Deep Learning"
    assert exercise.fields[1] == "<p>uncertainty</p>"
    comment = by_front["<p>The mean is also called the {{c1::expectation}}.</p>"]
    assert comment.fields[1] == "<p>Also written E[x].</p>"
    assert comment.tags == ("important",)
    # A viewer that fills the note with the highlighted text leaves a plain cloze.
    plain = by_front["<p>A Gaussian is also called a {{c1::normal distribution}}.</p>"]
    assert (plain.kind, plain.fields[1]) == (CardKind.CLOZE, "")
    assert [n.fields[3] for n in notes] == [
        "dlbook.pdf p. 53",
        "dlbook.pdf p. 53",
        "dlbook.pdf p. 53",
        "dlbook.pdf p. 54",
        "dlbook.pdf p. 55",
        "dlbook.pdf p. 55",
        "dlbook.pdf p. 55",
        "dlbook.pdf p. 57",
    ]
    assert exercise.fields[2] == "3 Probability and Information Theory › 3.1 Entropy"


def test_the_books_text_is_never_read_as_markdown_or_anki_syntax(tmp_path: Path) -> None:
    book = Book()
    page = book.page(
        "It costs $5 and *stars* or x_1 <b>too</b>.",
        "Keep {{c2::this}} and std::vector as {{text}} here.",
    )
    book.mark(page, "$5 and *stars* or x_1 <b>too</b>")
    book.mark(page, "std::vector as {{text}}")
    path = book.save(tmp_path / "t.pdf")
    _, notes = notes_of(path, "1")
    assert notes[0].fields[0] == (
        "<p>It costs {{c1::$5 and *stars* or x_1 &lt;b&gt;too&lt;/b&gt;}}.</p>"
    )
    assert notes[1].fields[0] == (
        "<p>Keep &#123;&#123;c2::this&#125;&#125; and "
        "{{c1::std&#58;&#58;vector as &#123;&#123;text&#125;&#125;}} here.</p>"
    )


def test_the_same_words_marked_twice_on_a_page_are_two_cards(book: Path) -> None:
    source, notes = notes_of(book, "55")
    keys = [d.key for d in source.drafts]
    assert keys[:2] == ["p. 55: variance", "p. 55: variance (2)"]
    assert len({n.guid for n in notes}) == 3


def test_underlines_and_squiggles_count_but_strikeouts_do_not(tmp_path: Path) -> None:
    book = Book()
    page = book.page("One two three four five six.")
    book.mark(page, "two", kind="underline").mark(page, "four", kind="squiggly")
    book.mark(page, "six", kind="strikeout")
    _, notes = notes_of(book.save(tmp_path / "t.pdf"), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>One {{c1::two}} three four five six.</p>",
        "<p>One two three {{c1::four}} five six.</p>",
    ]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("Q:", 'the highlight “two” has an empty question: write it after "Q:" in the note'),
        (
            "Q: Which?\nA: two",
            'the note on the highlight “two” has a "A:" line: the answer is the marked text; '
            "keep only the question in the note",
        ),
        (
            r"Q: What is $\foo x$?",
            r"the note on the highlight “two”: formula $\foo x$: unknown control sequence "
            r"\foo: did you mean \rfloor?",
        ),
    ],
)
def test_bad_popup_notes_name_the_page(tmp_path: Path, note: str, message: str) -> None:
    book = Book(labels=[{"startpage": 0, "prefix": "", "style": "D", "firstpagenum": 7}])
    book.page("One two three.")
    book.mark(0, "two", note=note)
    path = book.save(tmp_path / "t.pdf")
    with pytest.raises(SourceError) as error:
        notes_of(path, "7")
    assert str(error.value) == f"{path} p. 7: {message}"


def test_deck_is_the_option_then_the_title_then_the_file_name(tmp_path: Path) -> None:
    book = Book()
    book.page("One two three.")
    book.mark(0, "two")
    untitled = book.save(tmp_path / "paper.pdf")
    book.title = "Attention Is All You Need"
    titled = book.save(tmp_path / "attention.pdf")
    assert notes_of(untitled, "1")[0].deck == "paper"
    assert notes_of(titled, "1")[0].deck == "Attention Is All You Need"
    assert notes_of(titled, "1", deck=" Papers :: Transformers ")[0].deck == "Papers::Transformers"
    with pytest.raises(ConfigError, match="has an empty part"):
        notes_of(titled, "1", deck="Papers::")


def test_only_the_pages_of_the_range_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book = Book(labels=LABELS)
    for n in range(60):
        book.page(f"Page {n}: one two three.")
    book.mark(30, "two").mark(31, "three")
    path = book.save(tmp_path / "long.pdf")
    loaded: list[int] = []
    original = pymupdf.Document.load_page

    def load_page(self: pymupdf.Document, number: int = 0) -> pymupdf.Page:
        loaded.append(number)
        return original(self, number)

    monkeypatch.setattr(pymupdf.Document, "load_page", load_page)
    source, _ = notes_of(path, "81-83")  # physical pages 30-32
    assert sorted(set(loaded)) == [30, 31, 32]
    assert len(source.drafts) == 2


# -- identity and state -----------------------------------------------------------------------


def test_overlapping_ranges_give_the_same_notes_and_keep_their_own_state(
    project: Project, book: Path, anki: Anki
) -> None:
    first = build(project, book, "53-55")
    assert first.output == project.decks / "dlbook-p53-55.apkg"
    records = load_state(project.decks).records("books/dlbook.pdf#p53-55")
    before = first.output.read_bytes()

    second = build(project, book, "55-57", now=NOW + DAY)
    state = load_state(project.decks)
    assert state.records("books/dlbook.pdf#p53-55") == records  # untouched by the other range
    shared = {r.guid for r in records} & {r.guid for r in state.records("books/dlbook.pdf#p55-57")}
    assert len(shared) == 3  # the three highlights of page 55

    assert anki.import_apkg(first.output).new == 7
    log = anki.import_apkg(second.output)
    assert (log.new, log.duplicate + log.updated) == (1, 3)
    assert len(anki.notes()) == 8

    again = build(project, book, "53-55", now=NOW + 2 * DAY)
    assert again.output.read_bytes() == before  # an unchanged rebuild is byte-identical


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


# -- in Anki ----------------------------------------------------------------------------------


def test_a_range_imports_into_anki_with_its_decks_pages_and_context(
    project: Project, book: Path, anki: Anki
) -> None:
    result = build(project, book, "53-57")
    assert dict(result.decks) == {"On the go::Deep Learning": 7, "Pen and paper::Deep Learning": 1}
    log = anki.import_apkg(result.output)
    assert log.new == 8
    assert anki.deck_cards() == {"On the go::Deep Learning": 7, "Pen and paper::Deep Learning": 1}
    cloze = anki.note_by_field("{{c1::jumps over}}")
    assert cloze.note_type()["name"] == "ankify Cloze"
    assert cloze["Source"] == "dlbook.pdf p. 53"
    assert cloze["Context"] == "3 Probability and Information Theory"
    exercise = anki.note_by_field("Derive the entropy")
    assert exercise["Source"] == "dlbook.pdf p. 54"
    assert {anki.col.decks.name(c.did) for c in exercise.cards()} == {
        "Pen and paper::Deep Learning"
    }
    question = anki.note_by_field("What kind of dog?")
    assert question["Answer"] == "<p>lazy</p>" and question.tags == ["animals"]

    log = anki.import_apkg(build(project, book, "53-57", now=NOW + DAY).output)
    assert (log.new, log.updated, log.duplicate) == (0, 0, 8)
    assert len(anki.notes()) == 8


def test_a_range_without_marks_writes_nothing(project: Project, book: Path) -> None:
    result = build(project, book, "58")
    assert result.output is None
    assert result.summary() == f"{book}: no cards, nothing written"
    assert not (project.decks / "dlbook-p58.apkg").exists()


# -- PDF pages in markdown notes --------------------------------------------------------------

FIGURE_NOTE = """
---
deck: Figures
---
Q: What does the density look like?
A: ![The density](../books/dlbook.pdf#page=56&rect=60,120,220,240)

Q: What is on page 53?
A: ![Page 53](../books/dlbook.pdf#page=53)
"""


def test_pdf_pages_in_notes_ship_as_png_media(project: Project, book: Path, anki: Anki) -> None:
    project.write("notes/figures.md", FIGURE_NOTE)
    (result,) = project.build()
    anki.import_apkg(result.output)
    media = anki.media_files()
    assert len(media) == 2 and all(name.endswith(".png") for name in media)
    cache = project.root / ".ankify" / "cache" / "pdf-pages"
    renders = sorted(cache.iterdir())
    assert len(renders) == 2
    assert {
        f"ankify-{hashlib.sha256(p.read_bytes()).hexdigest()[:20]}.png" for p in renders
    } == set(media)
    answer = anki.note_by_field("density look like")["Answer"]
    assert answer.startswith('<p><img src="ankify-') and 'alt="The density"' in answer
    sizes = sorted((pymupdf.Pixmap(p).width, pymupdf.Pixmap(p).height) for p in renders)
    assert sizes == [(334, 250), (875, 1240)]  # 160 x 120 points and a page, at 150 dpi


def test_renders_are_cached_and_a_damaged_render_is_redone(
    project: Project, book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("notes/figures.md", FIGURE_NOTE)
    (result,) = project.build()
    first = result.output.read_bytes()
    cache = project.root / ".ankify" / "cache" / "pdf-pages"
    damaged = sorted(cache.iterdir())[0]
    good = damaged.read_bytes()
    damaged.write_bytes(good[: len(good) // 2] + b"\x00" * 16 + good[len(good) // 2 + 16 :])

    renders: list[object] = []
    original = pymupdf.Page.get_pixmap

    def get_pixmap(self: pymupdf.Page, **options: object) -> pymupdf.Pixmap:
        renders.append(options)
        return original(self, **options)

    monkeypatch.setattr(pymupdf.Page, "get_pixmap", get_pixmap)
    (result,) = project.build(now=NOW + DAY)
    assert len(renders) == 1  # the damaged one only
    assert damaged.read_bytes() == good
    assert result.output.read_bytes() == first
    assert (project.root / ".ankify" / ".gitignore").read_text().endswith("*\n")


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "../books/missing.pdf#page=3",
            "image not found: ../books/missing.pdf#page=3: the path is relative to this note",
        ),
        (
            "../books/dlbook.pdf#page=99",
            "image ../books/dlbook.pdf#page=99: no page 99 in dlbook.pdf: it has 8 pages, "
            "labelled i-ii, 53-58",
        ),
        (
            "../books/dlbook.pdf",
            "image ../books/dlbook.pdf: say which page of the PDF to show: add #page=56",
        ),
        (
            "../books/dlbook.pdf#page=53&rect=1,2,3",
            "image ../books/dlbook.pdf#page=53&rect=1,2,3: rect must be four numbers",
        ),
        (
            "../books/dlbook.pdf#page=53&rect=900,0,950,10",
            "image ../books/dlbook.pdf#page=53&rect=900,0,950,10: the rect is outside page 53, "
            "which is 420 x 595 points",
        ),
        (
            "../books/dlbook.pdf#zoom=2",
            "image ../books/dlbook.pdf#zoom=2: unknown 'zoom' after '#'",
        ),
    ],
)
def test_bad_pdf_image_links_are_errors_at_their_line(
    project: Project, book: Path, link: str, message: str
) -> None:
    project.write("notes/figures.md", f"Q: Figure?\nA: ![x]({link})\n")
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).startswith(f"{project.root / 'notes' / 'figures.md'}:2: {message}")
    assert not project.decks.exists()


def test_reading_order_follows_columns_and_hyphenated_words_join(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    left = ["Left column: the first", "half of a proba-", "bility argument."]
    for row, text in enumerate(left):
        page.insert_text((40, 80 + 14 * row), text, fontsize=10)
    page.insert_text((230, 60), "Right column, read second.", fontsize=10)
    for text in ("second", "bility"):
        # (MuPDF's search joins "proba-" and "bility": its last quad is the second line's)
        page.add_highlight_annot(page.search_for(text, quads=True)[-1]).update()
    path = tmp_path / "columns.pdf"
    doc.save(path)
    _, notes = notes_of(path, "1")
    assert [n.fields[0] for n in notes] == [
        "<p>Left column: the first half of a {{c1::probability}} argument.</p>",
        "<p>Right column, read {{c1::second}}.</p>",
    ]


def test_the_learners_notes_are_markdown_with_math(tmp_path: Path) -> None:
    book = Book()
    book.page("The density p of x is here.")
    book.mark(0, "density", note="Q: What is $p(x)$ *called*? #stats")
    _, (note,) = notes_of(book.save(tmp_path / "m.pdf"), "1")
    assert note.fields[:2] == (r"<p>What is \(p(x)\) <em>called</em>?</p>", "<p>density</p>")
    assert note.tags == ("stats",)
