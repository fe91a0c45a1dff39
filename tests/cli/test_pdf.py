"""The command line with PDFs: `build --pages`, `draft`, and one-line errors for bad PDFs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from ankify.build.jobs import PdfOptions
from ankify.build.pipeline import build_paths
from ankify.cli import main
from ankify.cli.output import Bar
from ankify.draft.note import write_draft
from ankify.model import PageLabels

from ..conftest import NOW, Project, Terminal
from ..pdf_fixtures import chapter_book, corrupt_bytes, write_bytes


@pytest.fixture
def books(project: Project) -> Path:
    folder = project.root / "books"
    book = chapter_book()
    book.save(folder / "dlbook.pdf")
    book.save(
        folder / "locked.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="open sesame",
        owner_pw="owner",
    )
    write_bytes(folder / "broken.pdf", corrupt_bytes())
    write_bytes(folder / "notes.pdf", b"Q: What is this?\nA: not a PDF\n")
    return folder


def test_build_a_range_prints_the_package_and_its_decks(project: Project, books: Path) -> None:
    result = project.run("build", "books/dlbook.pdf", "--pages", "53-57")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "decks/dlbook-p53-57.apkg: On the go::Deep Learning 7 cards, "
        "Pen and paper::Deep Learning 1 card\n"
    )
    result = project.run("build", "books/dlbook.pdf", "--pages", "55", "--deck", "DL::Ch 3")
    assert result.stdout == "decks/dlbook-p55.apkg: On the go::DL::Ch 3 3 cards\n"
    # Page 55's notes are the same notes as in 53-57: Anki keeps them in their first deck.
    assert result.stderr.startswith(
        'Note: books/dlbook.pdf: 3 notes now go to deck "On the go::DL::Ch 3", not '
        '"On the go::Deep Learning": Anki keeps the cards it has in their deck when it imports'
    )


def test_an_encrypted_pdf_takes_a_password_option_or_variable(
    project: Project, books: Path
) -> None:
    result = project.run("build", "books/locked.pdf", "--pages", "53", "--password", "open sesame")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("decks/locked-p53.apkg: ")
    result = project.run(
        "build",
        "books/locked.pdf",
        "--pages",
        "54",
        env={"ANKIFY_PDF_PASSWORD": "open sesame"},
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["books/locked.pdf", "--pages", "53"],
            "books/locked.pdf: needs a password (--password or ANKIFY_PDF_PASSWORD)",
        ),
        (
            ["books/locked.pdf", "--pages", "53", "--password", "sesame"],
            "books/locked.pdf: the password is wrong: check it (--password or ANKIFY_PDF_PASSWORD)",
        ),
        (
            ["books/broken.pdf", "--pages", "1"],
            "books/broken.pdf: is damaged and cannot be read: download or export the PDF again",
        ),
        (
            ["books/notes.pdf", "--pages", "1"],
            "books/notes.pdf: is not a PDF (it does not start with %PDF-): check the file",
        ),
        (
            ["books/dlbook.pdf", "--pages", "57-90"],
            "books/dlbook.pdf: no page 90 in this PDF: it has 8 pages, labelled i-ii, 53-58: "
            "give pages within those (--pages)",
        ),
        (
            ["books/dlbook.pdf"],
            "books/dlbook.pdf: a PDF is built a range of pages at a time: give the pages, "
            "e.g. 53-60 (--pages)",
        ),
        (
            ["books/dlbook.pdf", "--pages", "53", "--offset", "2"],
            "books/dlbook.pdf: an offset is for PDFs without page labels, and this one has them "
            "(8 pages, labelled i-ii, 53-58): drop the offset and give the printed pages "
            "(--offset)",
        ),
        (
            ["books/dlbook.pdf", "--pages", "53", "--deck", "DL::"],
            "--deck 'DL::' has an empty part: write it like 'Deep Learning::Chapter 3'",
        ),
        (
            ["books/missing.pdf", "--pages", "53"],
            "books/missing.pdf: no such file or folder: check the path",
        ),
    ],
)
def test_bad_pdfs_are_one_line_exit_1_and_nothing_is_written(
    project: Project, books: Path, args: list[str], message: str
) -> None:
    result = project.run("build", *args)
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert not (project.root / "decks").exists()


def test_a_failed_rebuild_leaves_the_previous_package(project: Project, books: Path) -> None:
    assert project.run("build", "books/dlbook.pdf", "--pages", "53").exit_code == 0
    deck = project.root / "decks" / "dlbook-p53.apkg"
    before = deck.read_bytes()
    book = chapter_book()
    book.mark(2, "brown", note="Q:")
    book.save(books / "dlbook.pdf")
    result = project.run("build", "books/dlbook.pdf", "--pages", "53")
    assert result.output == (
        "Error: books/dlbook.pdf p. 53, the highlight “brown”: the note's question is empty: "
        'write it after "Q:" in the note\n'
    )
    assert deck.read_bytes() == before
    assert sorted(p.name for p in deck.parent.iterdir()) == [deck.name]


def test_pdf_options_are_refused_for_markdown_notes(project: Project) -> None:
    project.write("sources/ch3.md", "Q: What is a scalar?\nA: A number.\n")
    result = project.run("build", "sources/ch3.md", "--pages", "3")
    assert result.exit_code == 1
    assert result.output == (
        "Error: sources/ch3.md: a page range is for a PDF, and this is a markdown note: "
        "build PDFs on their own; a note's pages go in its front matter (--pages)\n"
    )
    result = project.run("build", "sources", "--deck", "X", "--offset", "2")
    assert result.output.startswith("Error: sources: a deck and an offset are for a PDF, and this")
    assert result.output.endswith(" (--deck, --offset)\n")
    # A password in the environment is harmless for notes.
    result = project.run("build", "sources", env={"ANKIFY_PDF_PASSWORD": "secret"})
    assert result.exit_code == 0, result.output


def test_draft_writes_a_note_that_builds(project: Project, books: Path) -> None:
    result = project.run("draft", "books/dlbook.pdf", "--pages", "53-57", "-o", "sources/ch03.md")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "sources/ch03.md: 8 cards from highlights, 3 questions to review (#review), from "
        "dlbook.pdf pp. 53-57: edit it, then run 'ankify build sources/ch03.md'\n"
    )
    result = project.run("build", "sources/ch03.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "decks/ch03.apkg: On the go::Deep Learning::3 Probability and Information Theory "
        "10 cards, Pen and paper::Deep Learning::3 Probability and Information Theory 1 card\n"
    )


def test_draft_never_overwrites_without_force(project: Project, books: Path) -> None:
    note = project.write("sources/ch03.md", "my own notes\n")
    result = project.run("draft", "books/dlbook.pdf", "--pages", "53", "-o", "sources/ch03.md")
    assert result.exit_code == 1
    assert result.output == (
        "Error: sources/ch03.md: already exists: draft into another file, or overwrite it (--force)\n"
    )
    assert note.read_text() == "my own notes\n"
    args = ["draft", "books/dlbook.pdf", "--pages", "53", "-o", "sources/ch03.md", "--force"]
    assert project.run(*args).exit_code == 0
    assert note.read_text().startswith("---\ndeck: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["books/dlbook.pdf", "-o", "ch.md"],
            "books/dlbook.pdf: say which pages to draft: add --pages, e.g. --pages 53-60",
        ),
        (
            ["books/locked.pdf", "--pages", "53", "-o", "ch.md"],
            "books/locked.pdf: needs a password (--password or ANKIFY_PDF_PASSWORD)",
        ),
        (
            ["books/dlbook.pdf", "--pages", "1-3", "-o", "ch.md"],
            "books/dlbook.pdf: no page 1 in this PDF: it has 8 pages, labelled i-ii, 53-58: "
            "give pages within those (--pages)",
        ),
    ],
)
def test_draft_errors_write_nothing(
    project: Project, books: Path, args: list[str], message: str
) -> None:
    result = project.run("draft", *args)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    assert not (project.root / "ch.md").exists()


def test_bad_pdfs_print_no_traceback_and_no_mupdf_noise(project: Project, books: Path) -> None:
    for name, message in (
        ("broken.pdf", "is damaged and cannot be read: download or export the PDF again"),
        ("locked.pdf", "needs a password (--password or ANKIFY_PDF_PASSWORD)"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "ankify", "build", f"books/{name}", "--pages", "1"],
            cwd=project.root,
            capture_output=True,
            text=True,
        )
        assert (done.returncode, done.stdout) == (1, "")
        assert done.stderr == f"Error: books/{name}: {message}\n"


def test_help_names_the_pdf_options() -> None:
    runner = CliRunner()
    build_help = runner.invoke(main, ["build", "--help"]).output
    for option in ("--pages", "--deck", "--offset", "--password", "ANKIFY_PDF_PASSWORD"):
        assert option in build_help
    draft_help = runner.invoke(main, ["draft", "--help"])
    assert draft_help.exit_code == 0 and "--force" in draft_help.output
    assert "draft" in runner.invoke(main, ["--help"]).output


def test_long_pdf_work_shows_its_pages_on_a_terminal(project: Project, books: Path) -> None:

    terminal = Terminal()
    pdf = PdfOptions(pages=PageLabels.parse("53-57"))
    build_paths([books / "dlbook.pdf"], project.decks, now=NOW, pdf=pdf, progress=Bar(terminal, 0))
    assert "Reading dlbook.pdf" in terminal.getvalue() and "5/5" in terminal.getvalue()

    terminal = Terminal()
    bar = Bar(terminal, 0)
    write_draft(
        books / "dlbook.pdf", project.root / "ch3.md", pages=PageLabels.parse("53-57"), progress=bar
    )
    bar.finish()
    assert "Reading dlbook.pdf" in terminal.getvalue() and "5/5" in terminal.getvalue()


def test_a_deck_typed_with_extra_spaces_names_one_deck(project: Project, books: Path) -> None:
    result = project.run(
        "build", "books/dlbook.pdf", "--pages", "53", "--deck", " Deep   Learning ::  Ch  3 "
    )
    assert result.exit_code == 0, result.output
    assert "On the go::Deep Learning::Ch 3 " in result.output


def test_drafting_a_pdf_outside_the_project_with_a_formula_says_to_copy_the_pdf_in(
    project: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "downloads" / "paper.pdf"
    outside.parent.mkdir()
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    page.insert_text((60, 100), "We can find", fontsize=11, fontname="helv")
    page.insert_text((130, 100), "P(x)", fontsize=11, fontname="symb")
    page.insert_text((160, 100), "with the sum rule.", fontsize=11, fontname="helv")
    page.add_highlight_annot(page.search_for("sum rule", quads=True)).update()
    doc.save(outside)
    (project.root / "ankify.toml").write_text("", encoding="utf-8")
    result = project.run("draft", str(outside), "--pages", "1", "-o", "sources/paper.md")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {outside} p. 1, the highlight “sum rule”: the PDF paper.pdf is outside the "
        f"project: a package only ships pictures of files inside the project's folder "
        f"({project.root.name}/): copy the PDF into it and use it from there\n"
    )
    assert not (project.root / "sources" / "paper.md").exists()
