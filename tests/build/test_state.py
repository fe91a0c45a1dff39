"""What a build remembers of a project, at its root: kept, migrated, and never trusted when
damaged."""

from __future__ import annotations

import json

from ankify.build.state import STATE_NAME

from ..conftest import DAY, NOW, Anki, Project

CH3 = "# Chapter 3\nQ: What is a scalar?\nA: A number.\n\nE: Add $2 + 2$.\nS: $4$\n"


CH4 = "# Chapter 4\nThe {{c1::softmax}} turns scores into {{c2::probabilities}}.\n"


CH5 = "# Chapter 5\nQ: What is *overfitting*?\nA: Fitting the noise.\n"


def test_the_state_of_ankify_0_1_still_recognises_rewordings(project: Project, anki: Anki) -> None:
    project.write("notes/ch5.md", CH5)
    (result,) = project.build()
    anki.import_apkg(result.output)
    # The state as 0.1 wrote it: one JSON document holding the notes of every source.
    head, *lines = (project.root / STATE_NAME).read_text().splitlines()
    old = json.loads(head)
    old["format"] = 1
    old["sources"] = {}
    for line in lines:
        key, _, _, notes = line.split("\t", 3)
        old["sources"][json.loads(key)] = json.loads(notes)
    (project.root / STATE_NAME).write_text(json.dumps(old, indent=1))

    project.write("notes/ch5.md", CH5.replace("What is *overfitting*?", "What is overfitting?"))
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)
    assert (log.new, log.updated) == (0, 1)
    assert len(anki.notes()) == 1


def test_a_damaged_state_stops_the_build_and_deleting_it_costs_no_duplicate(
    project: Project, anki: Anki
) -> None:
    project.write("notes/ch3.md", CH3)
    project.write("notes/ch4.md", CH4)
    for result in project.build():
        anki.import_apkg(result.output)
    path = project.root / STATE_NAME
    head, first, second = path.read_text().splitlines()
    path.write_text("\n".join([head, first, second[:30]]) + "\n")

    result = project.run("build", "notes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {STATE_NAME}: the build state is damaged (")
    assert f"restore it (git checkout {STATE_NAME}), or delete it" in result.stderr

    path.unlink()
    results = project.build(now=NOW + DAY)  # the notes are found through the packages
    for result in results:
        assert result.output is not None
        assert anki.import_apkg(result.output).new == 0
    assert len(anki.notes()) == 3


def test_a_state_with_merge_conflicts_stops_the_build_at_the_first_marker(
    project: Project, anki: Anki
) -> None:
    project.write("notes/ch3.md", CH3)
    project.build()
    path = project.root / STATE_NAME
    head, *lines = path.read_text().splitlines()
    path.write_text("\n".join([head, "<<<<<<< HEAD", *lines, "=======", *lines, ">>>>>>> b"]))
    result = project.run("build", "notes")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {STATE_NAME}:2: the build state holds git merge conflict markers: keep one "
        f"side (git checkout --ours {STATE_NAME}) and build again; the other side's new cards "
        "keep their notes, which depend on the notes' text, not on the state\n"
    )


CHAPTER = """
---
deck: Probability
tags: [dlbook]
source: dlbook.pdf
pages: 53-60
---
# Chapter 3
## 3.1 Why Probability?
Q: What are the sources of uncertainty? #uncertainty
A: Stochasticity, incomplete observability, incomplete modeling.

Q: What is a random variable?
A: A variable that can take on different values randomly.

A {{c1::PMF}} is for discrete and a {{c2::PDF}} for continuous variables.

E: Show that $\\mathrm{Var}(X) = \\mathbb{E}[X^2] - \\mathbb{E}[X]^2$.
S: Expand $(X - \\mu)^2$ and use linearity.
"""


def test_losing_the_state_file_updates_every_note_once_without_duplicates(
    project: Project, anki: Anki
) -> None:
    project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    (project.root / STATE_NAME).unlink()
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)
    assert (log.new, log.duplicate) == (0, 0)
    assert log.updated == 4
    assert len(anki.notes()) == 4


def test_a_corrupt_state_file_is_not_trusted(project: Project) -> None:
    project.write("notes/ch3.md", CHAPTER)
    (project.root / STATE_NAME).write_text("{not json")
    result = project.run("build", "notes")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {STATE_NAME}: the build state is damaged (")
    assert not project.decks.exists()
