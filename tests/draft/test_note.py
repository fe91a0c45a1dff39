"""`ankify draft`: a markdown note from a PDF range, that builds as it is written."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ankify.build.pipeline import build_paths
from ankify.config import load_config
from ankify.draft.markdown import escape_markdown
from ankify.draft.note import draft_markdown, write_draft
from ankify.errors import ConfigError, SourceError
from ankify.identity import make_notes
from ankify.model import PageLabels
from ankify.render import render_cards
from ankify.sources.markdown import read_markdown

from ..conftest import NOW, Anki, Project
from ..pdf_fixtures import Book, chapter_book

EXPECTED = r"""---
deck: "Deep Learning::3 Probability and Information Theory"
source: "dlbook.pdf"
pages: 53-57
---

<!-- Drafted by ankify from dlbook.pdf pp. 53-57. Edit the cards and delete what you do not want; questions tagged #review are ankify's guesses. -->

# 3 Probability and Information Theory

The quick brown fox {{c1::jumps over}} the lazy dog.

Q: What kind of dog? #animals ^lazy-dog
A: lazy

It costs {{c1::\$5 and \*stars\*}} or x\_1 too.

Q: What is meant by *random variable*? #review
A: A random variable is a variable that takes values at random.

## 3.1 Entropy

E: Derive the entropy of a fair coin.
S: uncertainty

Q: What is meant by *probability mass function*? #review
A: We call it a probability mass function (PMF).

The {{c1::variance}} measures spread around the mean.

The {{c1::variance}} of a constant is zero.

The mean is also called the {{c1::expectation}}. #important

> Also written E[x].

## 3.2 Figures

Q: What does this figure show? #review
![Figure 3.1](../books/dlbook.pdf#page=56&rect=60,120,220,240)
A: Figure 3.1: A gaussian density.

A Gaussian is also called a {{c1::normal distribution}}.
"""


@pytest.fixture
def book(project: Project) -> Path:
    return chapter_book().save(project.root / "books" / "dlbook.pdf")


def test_a_draft_has_front_matter_headings_cards_and_questions_to_review(
    project: Project, book: Path
) -> None:
    out = project.root / "sources" / "ch03.md"
    result = write_draft(book, out, pages=PageLabels.parse("53-57"))
    assert out.read_text(encoding="utf-8") == EXPECTED
    assert (result.highlights, result.candidates) == (8, 3)
    assert result.summary() == (
        f"{out}: 8 cards from highlights, 3 questions to review (#review), from dlbook.pdf "
        f"pp. 53-57: edit it, then run 'ankify build {out}'"
    )


def test_the_draft_builds_and_imports_into_anki(project: Project, book: Path, anki: Anki) -> None:
    out = project.root / "sources" / "ch03.md"
    write_draft(book, out, pages=PageLabels.parse("53-57"))
    (result,) = build_paths([out], project.decks, now=NOW)
    log = anki.import_apkg(result.output)
    deck = "Deep Learning::3 Probability and Information Theory"
    assert anki.deck_cards() == {f"On the go::{deck}": 10, f"Pen and paper::{deck}": 1}
    assert log.new == 11
    cloze = anki.note_by_field("{{c1::$5 and *stars*}}")
    assert cloze["Text"] == "<p>It costs {{c1::$5 and *stars*}} or x_1 too.</p>"
    assert cloze["Context"] == "3 Probability and Information Theory"
    assert cloze["Source"] == "dlbook.pdf pp. 53-57"
    review = [n for n in anki.notes() if "review" in n.tags]
    assert len(review) == 3
    figure = anki.note_by_field("What does this figure show?")
    (media,) = anki.media_files()
    assert media.endswith(".png") and f'src="{media}"' in figure["Question"]
    assert figure["Answer"] == "<p>Figure 3.1: A gaussian density.</p>"


def test_headings_come_from_font_sizes_without_an_outline(project: Project) -> None:
    book = Book(title="Notes")
    book.page("Some text about entropy.", heading="Entropy")
    book.page("More text about cross-entropy.", heading="Cross-entropy")
    book.mark(1, "about")
    pdf = book.save(project.root / "notes.pdf")
    text, _ = draft_markdown(pdf, project.root / "n.md", pages=PageLabels.parse("1-2"))
    body = text.split("-->\n", 1)[1]
    assert body == ("\n# Entropy\n\n# Cross-entropy\n\nMore text {{c1::about}} cross-entropy.\n")
    assert 'deck: "Notes"' in text  # two chapters: the book's deck


def test_a_chapter_without_an_outline_is_filed_under_its_heading(project: Project) -> None:
    book = Book()
    book.page("Some text about entropy.", heading="3 Probability and Information Theory")
    book.page("More text about cross-entropy.")
    book.mark(1, "about")
    pdf = book.save(project.root / "part-1-chapter-3.pdf")
    text, _ = draft_markdown(pdf, project.root / "n.md", pages=PageLabels.parse("1-2"))
    assert 'deck: "part-1-chapter-3::3 Probability and Information Theory"' in text


def test_roman_pages_and_cards_written_twice(project: Project, anki: Anki) -> None:
    book = Book(labels=[{"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1}])
    book.page("Twice: the same words, the same words again.")
    book.mark(0, "same words", occurrence=0).mark(0, "same words", occurrence=1)
    pdf = book.save(project.root / "preface.pdf")
    out = project.root / "preface.md"
    write_draft(pdf, out, pages=PageLabels.parse("i"))
    text = out.read_text(encoding="utf-8")
    assert "# pages i: printed labels, not page numbers\n" in text
    assert "Twice: the {{c1::same words}}, the same words again.\n" in text
    assert "Twice: the same words, the {{c1::same words}} again.\n" in text
    (result,) = build_paths([out], project.decks, now=NOW)
    assert anki.import_apkg(result.output).new == 2


def test_never_overwrites_without_force_and_writes_nothing_on_failure(
    project: Project, book: Path
) -> None:
    out = project.root / "sources" / "ch03.md"
    out.parent.mkdir()
    out.write_text("my notes\n")
    with pytest.raises(ConfigError) as error:
        write_draft(book, out, pages=PageLabels.parse("53"))
    assert str(error.value) == f"{out}: already exists: draft into another file, or overwrite it"
    assert error.value.option == "force"
    assert out.read_text() == "my notes\n"
    write_draft(book, out, pages=PageLabels.parse("53"), force=True)
    assert out.read_text().startswith("---\n")

    fresh = project.root / "new" / "ch04.md"
    with pytest.raises(SourceError, match="no page 99"):
        write_draft(book, fresh, pages=PageLabels.parse("99"))
    assert not fresh.parent.exists()
    with pytest.raises(ConfigError, match=r"give it a name ending in \.md"):
        write_draft(book, project.root / "ch04.txt", pages=PageLabels.parse("53"))


WORDS = st.text(
    alphabet="abQAES019 \\`*_{}[]<>#^=$!|~&:-+.()'\"/%@?,;\u00e9\u2014",
    min_size=1,
    max_size=30,
).map(lambda s: " ".join(s.split()))


def _render(project: Project, text: str) -> tuple[str, str]:
    path = project.write("n.md", text)
    config = load_config(path)
    source = read_markdown(path, config)
    (note,) = make_notes(render_cards(source, config))
    return note.fields[0], note.fields[1]


@settings(max_examples=200, deadline=None)
@given(before=WORDS, words=WORDS.filter(bool), after=WORDS)
def test_a_cloze_of_any_text_reads_back_as_that_text(
    tmp_path_factory: pytest.TempPathFactory, before: str, words: str, after: str
) -> None:
    project = Project(tmp_path_factory.mktemp("p"))
    line = (
        escape_markdown(before + " ", line_start=True)
        + "{{c1::"
        + escape_markdown(words, in_cloze=True)
        + "}}"
        + escape_markdown(" " + after)
    )
    front, _ = _render(project, line + "\n")
    expected = f"{before} {{{{c1::{words}}}}} {after}".strip()
    assert html.unescape(front.removeprefix("<p>").removesuffix("</p>")) == expected


@settings(max_examples=200, deadline=None)
@given(answer=WORDS.filter(bool))
def test_an_answer_of_any_text_reads_back_as_that_text(
    tmp_path_factory: pytest.TempPathFactory, answer: str
) -> None:
    project = Project(tmp_path_factory.mktemp("p"))
    _, back = _render(project, f"Q: What?\nA: {escape_markdown(answer, line_start=True)}\n")
    assert back.startswith("<p>") and back.endswith("</p>")
    assert html.unescape(back[3:-4]) == answer


def test_a_pdf_named_like_a_deck_path_drafts_one_deck(project: Project) -> None:
    book = Book()
    book.page("One two three.")
    pdf = book.save(project.root / "weird::.pdf")
    text, _ = draft_markdown(pdf, project.root / "n.md", pages=PageLabels.parse("1"))
    assert 'deck: "weird:"' in text


def test_a_marked_figure_is_drafted_as_a_question_answered_by_its_picture(
    project: Project, anki: Anki
) -> None:
    import pymupdf

    pdf = project.root / "books" / "fig.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    for note in ("Q: What shape has the density?", None):
        page = doc.new_page(width=420, height=595)
        page.insert_text((50, 60), "The normal density has the shape of a bell.", fontsize=11)
        page.draw_rect(pymupdf.Rect(100, 200, 300, 320), color=(0, 0, 0), fill=(0.2, 0.4, 0.8))
        annot = page.add_highlight_annot(pymupdf.Rect(95, 195, 305, 325).quad)
        if note:
            annot.set_info(content=note)
        annot.update()
    doc.save(pdf)
    out = project.root / "sources" / "fig.md"
    write_draft(pdf, out, pages=PageLabels.parse("1-2"))
    text = out.read_text(encoding="utf-8")
    assert (
        "Q: What shape has the density?\nA: ![p. 1](../books/fig.pdf#page=1&rect=95,195,305,325)"
    ) in text
    assert (
        "Q: What does the marked figure on p. 2 show? #review\n"
        "A: ![p. 2](../books/fig.pdf#page=2&rect=95,195,305,325)"
    ) in text
    (result,) = build_paths([out], project.decks, now=NOW)
    anki.import_apkg(result.output)
    (picture,) = anki.media_files()  # the two pages are alike: one picture
    answers = sorted(note.fields[1] for note in anki.notes())
    assert len(answers) == 2 and all(f'src="{picture}"' in answer for answer in answers)
