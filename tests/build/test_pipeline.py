"""The pipeline: which sources a build finds, and one package per note file."""

from __future__ import annotations

from ..conftest import Anki, Project


def test_a_folder_build_writes_one_package_per_note_file(project: Project, anki: Anki) -> None:
    project.write("notes/ch2.md", "# Linear Algebra\nQ: What is a scalar?\nA: A number.\n")
    project.write(
        "notes/papers/resnet.md",
        "# ResNet\nE: Derive the residual gradient.\nS: $1 + \\partial F / \\partial x$\n",
    )
    project.write("notes/.hidden/skip.md", "Q: never?\nA: built\n")
    results = project.build()
    assert [r.output for r in results] == [
        project.decks / "ch2.apkg",
        project.decks / "papers" / "resnet.apkg",
    ]
    for result in results:
        anki.import_apkg(result.output)
    assert anki.deck_cards() == {"On the go::Linear Algebra": 1, "Pen and paper::ResNet": 1}


def test_only_md_and_markdown_files_are_notes(project: Project) -> None:
    project.write("notes/ch1.md", "Q: q?\nA: a\n")
    project.write("notes/ch2.markdown", "Q: r?\nA: b\n")
    project.write("notes/README.MD", "Not a note, whatever its case.\n")
    project.write("notes/todo.txt", "Q: not a note?\n")
    assert [r.source.name for r in project.build()] == ["ch1.md", "ch2.markdown"]
