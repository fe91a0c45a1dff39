"""Highlights into cards: popup notes choose the card, identity per page, real Anki."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ankify.build.jobs import PdfOptions
from ankify.build.pipeline import build_paths
from ankify.build.state import STATE_NAME, BuildState, load_state
from ankify.errors import SourceError
from ankify.model import CardKind, PageLabels, parse_deck

from ...conftest import DAY, NOW, Anki, Project, pdf_notes
from ...pdf_fixtures import LABELS, Book, chapter_book


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


def test_popup_notes_choose_the_card(book: Path) -> None:
    _, notes = pdf_notes(book, "53-57")
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
    _, notes = pdf_notes(path, "1")
    assert notes[0].fields[0] == (
        "<p>It costs {{c1::$5 and *stars* or x_1 &lt;b&gt;too&lt;/b&gt;}}.</p>"
    )
    assert notes[1].fields[0] == (
        "<p>Keep &#123;&#123;c2::this&#125;&#125; and "
        "{{c1::std&#58;&#58;vector as &#123;&#123;text&#125;&#125;}} here.</p>"
    )


def test_the_same_words_marked_twice_on_a_page_are_two_cards(book: Path) -> None:
    source, notes = pdf_notes(book, "55")
    keys = [d.key for d in source.drafts]
    assert keys[:2] == ["p. 55: variance", "p. 55: variance (2)"]
    assert len({n.guid for n in notes}) == 3


def test_underlines_and_squiggles_count_but_strikeouts_do_not(tmp_path: Path) -> None:
    book = Book()
    page = book.page("One two three four five six.")
    book.mark(page, "two", kind="underline").mark(page, "four", kind="squiggly")
    book.mark(page, "six", kind="strikeout")
    _, notes = pdf_notes(book.save(tmp_path / "t.pdf"), "1")
    assert [n.fields[0] for n in notes] == [
        "<p>One {{c1::two}} three four five six.</p>",
        "<p>One two three {{c1::four}} five six.</p>",
    ]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("Q:", 'the note\'s question is empty: write it after "Q:" in the note'),
        ("E:", 'the note\'s exercise is empty: write it after "E:" in the note'),
        (
            "Q: Which?\nA: two",
            'the note has an "A:" line: the answer is the marked text; '
            "keep only the question in the note",
        ),
        (
            "E: Derive it.\nS: two",
            'the note has an "S:" line: the answer is the marked text; '
            "keep only the question in the note",
        ),
        (
            r"Q: What is $\foo x$?",
            r"formula $\foo x$: unknown control sequence \foo: did you mean \rfloor?",
        ),
        (
            "Q: Which {{c1::one}}?",
            "the note asks a question with a cloze in it: remove the {{c1::…}} or ==…==, or "
            'the "Q:" to make the highlight a cloze',
        ),
        (
            "See ![x](missing.png)",
            "image not found: missing.png: the path is relative to the folder of t.pdf",
        ),
    ],
)
def test_bad_popup_notes_name_the_page_and_the_highlight(
    tmp_path: Path, note: str, message: str
) -> None:
    book = Book(labels=[{"startpage": 0, "prefix": "", "style": "D", "firstpagenum": 7}])
    book.page("One two three.")
    book.mark(0, "two", note=note)
    path = book.save(tmp_path / "t.pdf")
    with pytest.raises(SourceError) as error:
        pdf_notes(path, "7")
    assert str(error.value).startswith(f"{path} p. 7, the highlight \u201ctwo\u201d: {message}")


def test_deck_is_the_option_then_the_title_then_the_file_name(tmp_path: Path) -> None:
    book = Book()
    book.page("One two three.")
    book.mark(0, "two")
    untitled = book.save(tmp_path / "paper.pdf")
    book.title = "Attention Is All You Need"
    titled = book.save(tmp_path / "attention.pdf")
    assert pdf_notes(untitled, "1")[0].deck == "paper"
    assert pdf_notes(titled, "1")[0].deck == "Attention Is All You Need"
    deck = parse_deck(" Papers :: Transformers ")
    assert pdf_notes(titled, "1", deck=deck)[0].deck == "Papers::Transformers"
    with pytest.raises(ValueError, match="has an empty part"):
        parse_deck("Papers::")


def test_only_the_range_and_the_pages_beside_a_highlight_are_read(
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
    source, _ = pdf_notes(path, "81-83")  # physical pages 30-32
    # A highlight's sentence may start on the page before it and end on the page after.
    assert sorted(set(loaded)) == [29, 30, 31, 32]
    assert len(source.drafts) == 2


def test_overlapping_ranges_give_the_same_notes_and_keep_their_own_state(
    project: Project, book: Path, anki: Anki
) -> None:
    first = build(project, book, "53-55")
    assert first.output == project.decks / "dlbook-p53-55.apkg"
    records = _state(project).records("books/dlbook.pdf#p53-55")
    before = first.output.read_bytes()

    second = build(project, book, "55-57", now=NOW + DAY)
    state = _state(project)
    assert state.records("books/dlbook.pdf#p53-55") == records  # untouched by the other range
    shared = {r.guid for r in records} & {r.guid for r in state.records("books/dlbook.pdf#p55-57")}
    assert len(shared) == 3  # the three highlights of page 55

    assert anki.import_apkg(first.output).new == 7
    log = anki.import_apkg(second.output)
    assert (log.new, log.duplicate + log.updated) == (1, 3)
    assert len(anki.notes()) == 8

    again = build(project, book, "53-55", now=NOW + 2 * DAY)
    assert again.output.read_bytes() == before  # an unchanged rebuild is byte-identical


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


def test_the_learners_notes_are_markdown_with_math(tmp_path: Path) -> None:
    book = Book()
    book.page("The density p of x is here.")
    book.mark(0, "density", note="Q: What is $p(x)$ *called*? #stats")
    _, (note,) = pdf_notes(book.save(tmp_path / "m.pdf"), "1")
    assert note.fields[:2] == (r"<p>What is \(p(x)\) <em>called</em>?</p>", "<p>density</p>")
    assert note.tags == ("stats",)


def _state(project: Project) -> BuildState:
    state = load_state(project.root / STATE_NAME)
    assert state is not None
    return state
