"""`ankify build`: output, exit codes and one-line errors that leave every file as it was."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ankify.build.pipeline import build_paths
from ankify.cli import main
from ankify.cli.output import Bar

from ..conftest import NOW, Project, Terminal

GOOD = "# Chapter 3\nQ: What is a scalar?\nA: A number.\n\nE: Add 2 and 2.\nS: 4\n"


def test_build_prints_one_line_per_source_with_cards_per_deck(project: Project) -> None:
    project.write("sources/ch3.md", GOOD)
    project.write("sources/ch4.md", "# Chapter 4\nThe {{c1::softmax}} and {{c2::log-sum-exp}}.\n")
    result = project.run("build", "sources")
    assert result.exit_code == 0, result.output
    *lines, summary = result.stdout.splitlines()
    assert lines == [
        "decks/ch3.apkg: On the go::Chapter 3 1 card, Pen and paper::Chapter 3 1 card",
        "decks/ch4.apkg: On the go::Chapter 4 2 cards",
    ]
    assert re.fullmatch(
        r"2 sources \(2 written\): On the go 3 cards, Pen and paper 1 card, in \d+\.\d\d s",
        summary,
    )
    assert (project.root / "decks" / "ch3.apkg").is_file()
    assert result.stderr == (
        "Note: .ankify-state.json: started the project's state; commit it with your notes, so "
        "that a clone elsewhere keeps every note in Anki\n"
    )
    assert project.run("build", "sources").stderr == ""  # said once


def test_a_rebuild_lists_only_what_it_wrote(project: Project) -> None:
    project.write("sources/ch3.md", GOOD)
    project.write("sources/ch4.md", "# Chapter 4\nThe {{c1::softmax}}.\n")
    assert project.run("build", "sources").exit_code == 0
    project.write("sources/ch4.md", "# Chapter 4\nThe {{c1::softmax}} function.\n")
    lines = project.run("build", "sources").output.splitlines()
    assert lines[0] == "decks/ch4.apkg: On the go::Chapter 4 1 card"
    assert lines[1].startswith("2 sources (1 written, 1 up to date): On the go 2 cards, ")
    assert len(lines) == 2
    one = project.run("build", "sources/ch3.md").output
    assert (
        one
        == "decks/ch3.apkg: On the go::Chapter 3 1 card, Pen and paper::Chapter 3 1 card (up to date)\n"
    )


def test_jobs_option(project: Project) -> None:
    for n in range(3):
        project.write(f"sources/ch{n}.md", GOOD.replace("Chapter 3", f"Chapter {n}"))
    result = project.run("build", "sources", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "3 sources (3 written)" in result.output
    result = project.run("build", "sources", "--jobs", "0")
    assert result.exit_code == 1 and result.stderr == (
        "Error: Invalid value for '-j' / '--jobs': 0 is not in the range x>=1: see 'ankify build --help'\n"
    )


def test_progress_bar_on_a_terminal_and_none_elsewhere(project: Project) -> None:

    for n in range(3):
        project.write(f"sources/ch{n}.md", GOOD.replace("Chapter 3", f"Chapter {n}"))
    terminal = Terminal()
    build_paths([project.root / "sources"], project.decks, now=NOW, progress=Bar(terminal, 0))
    shown = terminal.getvalue()
    assert "Reading sources" in shown and "3/3" in shown and "Writing decks" in shown

    (project.root / "sources" / "ch0.md").write_text(GOOD + "\nQ: New?\nA: Yes.\n")
    result = project.run("build", "sources")  # not a terminal: the lines, no bar
    assert result.exit_code == 0
    assert "Reading" not in result.output and "\r" not in result.output


def test_output_folder_option(project: Project) -> None:
    project.write("sources/ch3.md", GOOD)
    result = project.run("build", "sources/ch3.md", "-o", "out/anki")
    assert result.exit_code == 0
    assert result.output.startswith("out/anki/ch3.apkg: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Q: What?\n\nQ: Why?\nA: b\n",
            'sources/ch3.md:1: question has no answer: add an "A:" line below it',
        ),
        (
            "Intro.\n\nA: a\n",
            'sources/ch3.md:3: answer without a question (there is no question above it): add a "Q:" line above it, or write "A\\:" to keep it as text',
        ),
        (
            "The {{c1::mean is open.\n",
            'sources/ch3.md:1: cloze is not closed: add "}}" after the hidden words, e.g. {{c1::mean}}',
        ),
        (
            "Q: q?\nA: ![x](fig.png)\n",
            "sources/ch3.md:2: image not found: fig.png: the path is relative to the folder of ch3.md",
        ),
        (
            "Q: Why?\nA: a\n\nQ: Why?\nA: b\n",
            "sources/ch3.md:4: the same question is already at line 1: reword one of them, or give each its own ^id at the end of the line",
        ),
        ("---\ndeck: [oops\n---\nQ: q?\nA: a\n", "sources/ch3.md:2: invalid front matter"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_the_old_deck_stays(
    project: Project, text: str, message: str
):
    path = project.write("sources/ch3.md", GOOD)
    assert project.run("build", "sources/ch3.md").exit_code == 0
    deck = project.root / "decks" / "ch3.apkg"
    before = deck.read_bytes()
    state = (project.root / ".ankify-state.json").read_bytes()

    path.write_text(text)
    result = project.run("build", "sources/ch3.md")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}")
    assert len(result.output.strip().splitlines()) == 1
    assert deck.read_bytes() == before
    assert (project.root / ".ankify-state.json").read_bytes() == state
    assert sorted(p.name for p in deck.parent.iterdir()) == ["ch3.apkg"]


def test_not_utf8(project: Project) -> None:
    (project.root / "sources").mkdir()
    (project.root / "sources" / "ch3.md").write_bytes(b"Q: caf\xe9?\nA: a\n")
    result = project.run("build", "sources/ch3.md")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: sources/ch3.md:1: not UTF-8 text (byte 0xe9): save the file as UTF-8\n"
    )


def test_missing_path(project: Project) -> None:
    result = project.run("build", "sources/nope.md")
    assert result.exit_code == 1
    assert result.output == "Error: sources/nope.md: no such file or folder: check the path\n"
    assert not (project.root / "decks").exists()


def test_not_a_note_and_an_empty_folder(project: Project) -> None:
    project.write("notes.txt", "Q: q\nA: a\n")
    (project.root / "empty").mkdir()
    assert project.run("build", "notes.txt").output == (
        "Error: notes.txt: not a markdown note: ankify builds .md files\n"
    )
    assert (
        project.run("build", "empty").output == "Error: empty: no .md note files in this folder\n"
    )


def test_every_bad_source_is_reported_and_nothing_is_written(project: Project) -> None:
    project.write("sources/a.md", "Q: q?\n")
    project.write("sources/b.md", GOOD)
    project.write("sources/c.md", "A: a\n")
    result = project.run("build", "sources")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'Error: sources/a.md:1: question has no answer: add an "A:" line below it',
        'Error: sources/c.md:1: answer without a question (there is no question above it): add a "Q:" line above it, or write "A\\:" to keep it as text',
    ]
    assert not (project.root / "decks").exists()


def test_invalid_ankify_toml(project: Project) -> None:
    project.write("ankify.toml", '[decks]\non_the_goo = "Phone::{deck}"\n')
    project.write("sources/ch3.md", GOOD)
    result = project.run("build", "sources/ch3.md")
    assert result.exit_code == 1
    assert result.output.endswith(
        "ankify.toml:2: unknown key 'on_the_goo' in [decks]: did you mean 'on_the_go'?\n"
    )


def test_a_bad_ankify_toml_is_one_error_however_many_notes_it_stops(project: Project) -> None:
    project.write("ankify.toml", "[decks\n")
    for name in ("a", "b", "c"):
        project.write(f"sources/{name}.md", GOOD)
    project.write("other/d.md", "Q: q?\n")  # another project folder's own problem, with it
    (project.root / "other" / ".git").mkdir()
    result = project.run("build", "sources", "other")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2, result.output
    assert lines[0].startswith("Error: ankify.toml: invalid TOML")
    assert lines[1] == 'Error: other/d.md:1: question has no answer: add an "A:" line below it'


def test_help_and_version() -> None:
    runner = CliRunner()
    assert "Build Anki decks from markdown notes" in runner.invoke(main, ["--help"]).output
    assert runner.invoke(main, ["build", "--help"]).exit_code == 0
    assert runner.invoke(main, ["--version"]).output.startswith("ankify, version ")


def test_console_script_errors_have_no_traceback(project: Project) -> None:
    project.write("sources/ch3.md", "Q: q?\n")
    done = subprocess.run(
        [sys.executable, "-m", "ankify", "build", "sources/ch3.md"],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert (
        done.stderr
        == 'Error: sources/ch3.md:1: question has no answer: add an "A:" line below it\n'
    )
