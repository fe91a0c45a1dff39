"""Markdown notes: the golden syntax fixtures, context, decks, tags and structure errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from ankify.config import load_config
from ankify.errors import SourceError
from ankify.model import CardKind
from ankify.sources.markdown import read_markdown

from ..conftest import Project

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "syntax").glob("*.md"))
CASES = [(path.stem, *case) for path in FIXTURES for case in read_fixture_file(path)]


@pytest.mark.parametrize(
    ("syntax", "line", "title", "source", "expected"),
    CASES,
    ids=[f"{syntax}:{line}: {title}" for syntax, line, title, *_ in CASES],
)
def test_golden(
    project: Project, syntax: str, line: int, title: str, source: str, expected: str
) -> None:
    got = [
        f"{note.kind.value} | {note.fields[0]} | {note.fields[1]}".replace("\n", "↵").rstrip()
        for note in project.notes("notes.md", source)
    ]
    assert got == [line.rstrip() for line in expected.splitlines() if line]


def test_cards_record_heading_path_source_and_pages(project: Project) -> None:
    notes = project.notes(
        "notes.md",
        "---\nsource: dlbook.pdf\npages: 53-60\ndeck: DL\n---\n"
        "# Chapter 3\n## 3.1 Why *Probability*?\n### Sources\nQ: q?\nA: a\n## 3.2 Next\nQ: r?\nA: b\n",
    )
    assert [n.fields[2] for n in notes] == [
        "Chapter 3 › 3.1 Why <em>Probability</em>? › Sources",
        "Chapter 3 › 3.2 Next",
    ]
    assert {n.fields[3] for n in notes} == {"dlbook.pdf pp. 53-60"}


def test_deck_defaults_to_first_h1_then_file_name(project: Project) -> None:
    path = project.write("ch2.md", "Intro\n# Linear Algebra\n## 2.1 Scalars\nQ: q?\nA: a\n")
    source = read_markdown(path, load_config(path))
    assert source.deck == "Linear Algebra"
    # The H1 names the deck, so it is not repeated on every card.
    assert [h.text for h in source.drafts[0].context] == ["2.1 Scalars"]

    path = project.write("ch4.md", "## Only sections\nQ: q?\nA: a\n")
    assert read_markdown(path, load_config(path)).deck == "ch4"


def test_source_defaults_to_the_note_file(project: Project) -> None:
    (note,) = project.notes("ch3.md", "---\npages: 54\n---\nQ: q?\nA: a\n")
    assert note.fields[3] == "ch3.md p. 54"


def test_tags_come_from_the_line_and_the_front_matter(project: Project) -> None:
    question, cloze = project.notes(
        "notes.md",
        "---\ntags: [dlbook, ch3]\n---\nQ: What is C#? #prob #ch3\nA: a\n\n"
        "A {{c1::cloze}} with tags. #cl ^cloze-id\n",
    )
    assert question.kind is CardKind.QUESTION
    assert question.fields[0] == "<p>What is C#?</p>"
    assert question.tags == ("dlbook", "ch3", "prob")
    assert cloze.fields[0] == "<p>A {{c1::cloze}} with tags.</p>"
    assert cloze.tags == ("dlbook", "ch3", "cl")
    assert cloze.rendered.explicit_id == "cloze-id"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Q: q?\n\nQ: r?\nA: a\n", 1, 'question has no answer: add an "A:" line below it'),
        ("E: prove it\n", 1, 'exercise has no solution: add an "S:" line below it'),
        (
            "Intro\n\nA: a\n",
            3,
            'answer without a question (there is no question above it): add a "Q:" line above it, or write "A\\:" to keep it as text',
        ),
        (
            "Intro\n\nS: s\n",
            3,
            'solution without an exercise (there is no exercise above it): add an "E:" line '
            'above it, or write "S\\:" to keep it as text',
        ),
        (
            "Q: q?\nA: a\nA: b\n",
            3,
            "answer without a question (the question above already has an answer): "
            'add a "Q:" line above it, or write "A\\:" to keep it as text',
        ),
        (
            "E: e\nS: s\nS: t\n",
            3,
            "solution without an exercise (the exercise above already has a solution): "
            'add an "E:" line above it, or write "S\\:" to keep it as text',
        ),
        (
            "E: e\nA: a\n",
            2,
            'the exercise at line 1 is answered with "S:", not "A:": change this line to "S:"',
        ),
        ("Q:\nA: a\n", 1, 'question is empty: write it after "Q:"'),
        ("E:\nS: s\n", 1, 'exercise is empty: write it after "E:"'),
        ("Q: q?\nA:\n# H\n", 2, 'answer is empty: write it after "A:"'),
        ("E: e\nS:\n---\n", 2, 'solution is empty: write it after "S:"'),
        (
            "Q: the {{c1::x}}?\nA: a\n",
            1,
            'a cloze cannot be part of a question: remove "Q:" to make this a cloze note, or '
            "write the question without {{c1::…}} or ==…==",
        ),
        (
            "Q: q?\nA: the ==x==\n",
            2,
            'a cloze cannot be part of an answer: remove "A:" to make this a cloze note, or '
            "write the answer without {{c1::…}} or ==…==",
        ),
        (
            "E: e\nS: the ==x==\n",
            2,
            'a cloze cannot be part of a solution: remove "S:" to make this a cloze note, or '
            "write the solution without {{c1::…}} or ==…==",
        ),
    ],
)
def test_structural_errors_name_the_line_in_plain_english(
    project: Project, text: str, line: int, message: str
) -> None:
    path = project.write("bad.md", text)
    with pytest.raises(SourceError) as error:
        read_markdown(path, load_config(path))
    assert str(error.value) == f"{path}:{line}: {message}"


def test_not_utf8_names_the_line(project: Project) -> None:
    path = project.root / "latin1.md"
    path.write_bytes("Q: q?\nA: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin1.md:2: not UTF-8 text \(byte 0xe9\)"):
        read_markdown(path, load_config(path))
