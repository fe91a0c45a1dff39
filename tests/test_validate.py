"""One check of every source: clozes, formulas, images and duplicates, at their line or page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ankify.config import load_config
from ankify.errors import SourceError
from ankify.sources.markdown import read_markdown
from ankify.validate import validate_source

from .conftest import Project


def test_duplicate_questions_name_both_lines(project: Project) -> None:
    with pytest.raises(SourceError) as error:
        project.notes("ch.md", "Q: What is a norm?\nA: a\n\nQ: What is  a norm?\nA: b\n")
    assert str(error.value) == (
        f"{project.root / 'ch.md'}:4: the same question is already at line 1: reword one of "
        "them, or give each its own ^id at the end of the line"
    )


def test_duplicate_ids_name_both_lines(project: Project) -> None:
    with pytest.raises(SourceError, match=r"ch.md:3: the id \^n is already used at line 1"):
        project.notes("ch.md", "Q: One? ^n\nA: a\nQ: Two? ^n\nA: b\n")


def test_same_text_with_distinct_ids_is_allowed(project: Project) -> None:
    cards = project.notes("ch.md", "Q: Why? ^a\nA: a\nQ: Why? ^b\nA: b\n")
    assert len({c.guid for c in cards}) == 2


REPO = Path(__file__).resolve().parents[1]


def test_every_formula_of_the_example_chapter_is_valid() -> None:
    path = REPO / "sources" / "chapter3.md"
    config = load_config(path)
    source = read_markdown(path, config)
    validate_source(source, config)
    assert len(source.drafts) == 12


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Q: What is $\\fracc{1}{2}$?\nA: a\n",
            "notes/m.md:1: formula $\\fracc{1}{2}$: unknown control sequence \\fracc: did you mean \\frac?",
        ),
        (
            "Q: q?\nA: one\n\n$$\n\\begin{cases} a \\\\ b\n$$\n",
            "notes/m.md:4: formula $\\begin{cases} a \\\\ b$: \\begin{cases} without its \\end{cases}",
        ),
        (
            "Q: q?\nA: see\n$\\left( x$ here\n",
            "notes/m.md:3: formula $\\left( x$: \\left without \\right",
        ),
        (
            "## The $\\mathbbb{R}$ line\nQ: q?\nA: a\n",
            "notes/m.md:1: formula $\\mathbbb{R}$: unknown control sequence \\mathbbb",
        ),
    ],
)
def test_a_broken_formula_fails_the_build_at_its_line(project: Project, text: str, message: str):
    project.write("notes/m.md", text)
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).replace(str(project.root) + "/", "").startswith(message)
    assert not project.decks.exists()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Text {{c1::open\n", 1, 'cloze is not closed: add "}}" after the hidden words'),
        ("Intro.\n\nText {{c1::}} here\n", 3, "cloze is empty"),
        ("Text {{c0::x}} here\n", 1, "cloze numbers start at 1: write {{c1::…}}"),
        ("Intro\n\nQ: q?\nA: ![fig](missing.png)\n", 4, "image not found: missing.png"),
        ("Q: q?\nA: a\n\nProse with ![fig](gone.png) outside any card.\n", 4, "image not found"),
        ("Q: q?\nA: ![p](book.pdf)\n", 2, "image not found: book.pdf"),
    ],
)
def test_what_a_card_holds_is_checked_at_its_line(
    project: Project, text: str, line: int, message: str
) -> None:
    path = project.write("bad.md", text)
    with pytest.raises(SourceError) as error:
        project.notes("bad.md")
    assert str(error.value).startswith(f"{path}:{line}: {message}")


def test_the_first_problem_in_the_file_is_the_one_reported(project: Project) -> None:
    text = "Q: $\\fracc x$?\nA: a\n\nQ: q?\nA: ![x](missing.png)\n\nThe {{c1::open\n"
    path = project.write("bad.md", text)
    with pytest.raises(SourceError) as error:
        project.notes("bad.md")
    assert str(error.value).startswith(f"{path}:1: formula")
    path.write_text(text.replace("\\fracc", "\\frac"))
    with pytest.raises(SourceError, match=r"bad\.md:5: image not found"):
        project.notes("bad.md")


def test_a_generated_exercise_is_checked_at_its_block(project: Project) -> None:
    path = project.write(
        "drill.md",
        """
        # Drills

        ```exercise
        vars: a in 2..3
        problem: Differentiate $\\fracc{1}{ {{a}} }$.
        solution: diff(a*x, x)
        ```
        """,
    )
    with pytest.raises(SourceError) as error:
        project.notes("drill.md")
    # The problem's line, not line 1 of the text the exercise was generated from.
    assert re.match(
        rf"{re.escape(str(path))}:5: formula \$\\fracc\{{1\}}\{{ [23] \}}\$", str(error.value)
    )


def test_a_pdf_page_that_is_not_there_is_an_error_at_its_line(project: Project) -> None:
    from .pdf_fixtures import Book

    book = Book()
    book.page("Only one page.")
    book.save(project.root / "paper.pdf")
    path = project.write("n.md", "Q: q?\n\nA: ![p](paper.pdf#page=3)\n")
    with pytest.raises(SourceError) as error:
        project.notes("n.md")
    assert str(error.value) == (
        f"{path}:3: image paper.pdf#page=3: no page 3 in paper.pdf: it has 1 page (1-1)"
    )


def test_a_heading_outside_any_card_is_checked_too(project: Project) -> None:
    path = project.write("h.md", "# Title $\\fracc{a}{b}$\n\nQ: q?\nA: a\n")
    with pytest.raises(SourceError) as error:
        project.notes("h.md")
    assert str(error.value).startswith(f"{path}:1: formula $\\fracc{{a}}{{b}}$: unknown")


def test_a_damaged_pdf_behind_an_image_is_named(project: Project) -> None:
    (project.root / "bad.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage " * 64)
    path = project.write("n.md", "Q: q?\nA: ![p](bad.pdf#page=1)\n")
    with pytest.raises(SourceError) as error:
        project.notes("n.md")
    assert str(error.value) == (
        f"{path}:2: image bad.pdf#page=1: is damaged and cannot be read: download or export the "
        "PDF again"
    )
