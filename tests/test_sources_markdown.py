"""The note syntax: golden cases (tests/fixtures/cards.txt), context, decks and front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankify.cards import check_duplicates, make_notes
from ankify.config import load_config
from ankify.errors import SourceError
from ankify.model import CardKind, PageRange
from ankify.render import render_cards
from ankify.sources.frontmatter import read_front_matter
from ankify.sources.markdown import read_markdown

from .conftest import Project

FIXTURES = Path(__file__).parent / "fixtures" / "cards.txt"


def _cases() -> list[tuple[str, str, list[str]]]:
    lines = [line for line in FIXTURES.read_text(encoding="utf-8").split("\n")]
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    cases = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title = lines[index]
        assert lines[index + 1] == ".", title
        end = lines.index(".", index + 2)
        source = "\n".join(lines[index + 2 : end]) + "\n"
        close = lines.index(".", end + 1)
        expected = [line for line in lines[end + 1 : close] if line]
        cases.append((title, source, expected))
        index = close + 1
    return cases


def _render(project: Project, text: str, name: str = "notes.md") -> list[tuple]:
    path = project.root / name
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    source = read_markdown(path, config)
    notes = make_notes(render_cards(source, config))
    return [(n.kind, *n.fields, n.tags) for n in notes]


@pytest.mark.parametrize(("title", "source", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_golden(project: Project, title: str, source: str, expected: list[str]) -> None:
    got = [
        f"{kind.value} | {front} | {back}".replace("\n", "↵").rstrip()
        for kind, front, back, *_ in _render(project, source)
    ]
    assert got == [line.rstrip() for line in expected]


def test_cards_record_heading_path_source_and_pages(project: Project) -> None:
    cards = _render(
        project,
        "---\nsource: dlbook.pdf\npages: 53-60\ndeck: DL\n---\n"
        "# Chapter 3\n## 3.1 Why *Probability*?\n### Sources\nQ: q?\nA: a\n## 3.2 Next\nQ: r?\nA: b\n",
    )
    assert [c[3] for c in cards] == [
        "Chapter 3 › 3.1 Why <em>Probability</em>? › Sources",
        "Chapter 3 › 3.2 Next",
    ]
    assert {c[4] for c in cards} == {"dlbook.pdf pp. 53-60"}


def test_deck_defaults_to_first_h1_then_file_name(project: Project) -> None:
    path = project.write("ch2.md", "Intro\n# Linear Algebra\n## 2.1 Scalars\nQ: q?\nA: a\n")
    source = read_markdown(path, load_config(path))
    assert source.deck == "Linear Algebra"
    # The H1 names the deck, so it is not repeated on every card.
    assert [h.text for h in source.drafts[0].context] == ["2.1 Scalars"]

    path = project.write("ch4.md", "## Only sections\nQ: q?\nA: a\n")
    assert read_markdown(path, load_config(path)).deck == "ch4"


def test_source_defaults_to_the_note_file(project: Project) -> None:
    cards = _render(project, "---\npages: 54\n---\nQ: q?\nA: a\n", name="ch3.md")
    assert cards[0][4] == "ch3.md p. 54"


def test_tags_come_from_the_line_and_the_front_matter(project: Project) -> None:
    cards = _render(
        project,
        "---\ntags: [dlbook, ch3]\n---\nQ: What is C#? #prob #ch3\nA: a\n\n"
        "A {{c1::cloze}} with tags. #cl ^cloze-id\n",
    )
    assert cards[0][0] is CardKind.QUESTION
    assert cards[0][1] == "<p>What is C#?</p>"
    assert cards[0][5] == ("dlbook", "ch3", "prob")
    assert cards[1][1] == "<p>A {{c1::cloze}} with tags.</p>"
    assert cards[1][5] == ("dlbook", "ch3", "cl")


def test_front_matter_is_read_with_all_its_keys(project: Project) -> None:
    path = project.write(
        "ch3.md",
        r"""
        ---
        deck: Deep Learning::Chapter 3
        tags: [dlbook, ch3]
        source: dlbook.pdf
        pages: 53-60, 62
        macros:
          \R: \mathbb{R}
          E: \mathbb{E}
        title: kept for other tools
        ---
        Q: q?
        A: a
        """,
    )
    front = read_front_matter(path)
    assert front.deck == "Deep Learning::Chapter 3"
    assert front.tags == ("dlbook", "ch3")
    assert front.source == "dlbook.pdf"
    assert front.pages == (PageRange(53, 60), PageRange(62, 62))
    assert front.macros == (("\\E", "\\mathbb{E}"), ("\\R", "\\mathbb{R}"))
    # Line numbers below the front matter are those of the file.
    assert read_markdown(path, load_config(path)).drafts[0].span.line == 11


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("deck: [a\n", 2, "invalid front matter"),
        ("- a list\n", 2, "expected 'key: value' lines"),
        ("tag: [a]\n", 2, "unknown front matter key 'tag': did you mean 'tags'?"),
        ("tags: [two words]\n", 2, "tag 'two words' is not one word"),
        ("deck: A\npages: 60-53\n", 3, "runs backwards"),
        ("pages: chapter three\n", 2, "is not a page range"),
        ("deck: A::::B\n", 2, "has an empty part"),
    ],
)
def test_invalid_front_matter(project: Project, header: str, line: int, message: str) -> None:
    path = project.write("bad.md", f"---\n{header}---\nQ: q?\nA: a\n")
    with pytest.raises(SourceError) as error:
        read_markdown(path, load_config(path))
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Q: q?\n\nQ: r?\nA: a\n", 1, 'question has no answer: add an "A:" line below it'),
        ("Intro\n\nA: a\n", 3, "answer without a question (there is no question above it)"),
        ("Q: q?\nA: a\nA: b\n", 3, "the question above already has an answer"),
        ("E: e\nS: s\nS: t\n", 3, "solution without a exercise"),
        ("E: e\nA: a\n", 2, 'is answered with "S:", not "A:"'),
        ("Q:\nA: a\n", 1, 'question is empty: write it after "Q:"'),
        ("Q: q?\nA:\n# H\n", 2, 'answer is empty: write it after "A:"'),
        ("E: prove it\n", 1, 'exercise has no solution: add an "S:" line below it'),
        ("Text {{c1::open\n", 1, 'cloze is not closed: add "}}"'),
        ("Text {{c1::}} here\n", 1, "cloze is empty"),
        ("Text {{c0::x}} here\n", 1, "cloze numbers start at 1"),
        ("Q: the {{c1::x}}?\nA: a\n", 1, "a cloze cannot be part of a question"),
        ("Q: q?\nA: the ==x==\n", 2, "a cloze cannot be part of a answer"),
        ("Intro\n\nQ: q?\nA: ![fig](missing.png)\n", 4, "image not found: missing.png"),
    ],
)
def test_structural_errors_name_the_line(project: Project, text: str, line: int, message: str):
    path = project.write("bad.md", text)
    with pytest.raises(SourceError) as error:
        check_duplicates(read_markdown(path, load_config(path)).drafts)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert message in str(error.value)


def test_not_utf8_names_the_line(project: Project) -> None:
    path = project.root / "latin1.md"
    path.write_bytes("Q: q?\nA: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin1.md:2: not UTF-8 text \(byte 0xe9\)"):
        read_markdown(path, load_config(path))
