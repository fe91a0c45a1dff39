"""Sources read and packages written in worker processes give the same results, in order."""

from __future__ import annotations

import shutil

import pytest

from ankify.build.pipeline import build_paths
from ankify.errors import BuildErrors

from ..conftest import NOW, Project

CH3 = "# Chapter 3\nQ: What is a scalar?\nA: A number.\n\nE: Add $2 + 2$.\nS: $4$\n"


CH4 = "# Chapter 4\nThe {{c1::softmax}} turns scores into {{c2::probabilities}}.\n"


CH5 = "# Chapter 5\nQ: What is *overfitting*?\nA: Fitting the noise.\n"


def test_sources_read_in_parallel_give_the_same_packages(project: Project) -> None:
    for chapter in range(6):
        project.write(f"notes/ch{chapter}.md", f"# Chapter {chapter}\n" + CH5 + CH4)
    one = build_paths([project.root / "notes"], project.root / "one", now=NOW, jobs=1)
    shutil.rmtree(project.root / ".ankify")
    two = build_paths([project.root / "notes"], project.root / "two", now=NOW, jobs=2)
    assert [r.decks for r in one] == [r.decks for r in two]
    for a, b in zip(one, two, strict=True):
        assert a.output is not None and b.output is not None
        assert a.output.read_bytes() == b.output.read_bytes()


def test_errors_from_parallel_readers_come_in_source_order(project: Project) -> None:
    project.write("notes/a.md", CH3)
    project.write("notes/b.md", "Q: Why?\n")
    project.write("notes/c.md", CH4)
    project.write("notes/d.md", "The {{c1::mean is open.\n")
    with pytest.raises(BuildErrors) as error:
        build_paths([project.root / "notes"], project.decks, now=NOW, jobs=2)
    messages = [str(e) for e in error.value.errors]
    assert [m.split(": ")[0] for m in messages] == [
        f"{project.root / 'notes' / 'b.md'}:1",
        f"{project.root / 'notes' / 'd.md'}:1",
    ]
    assert "question has no answer" in messages[0] and "cloze is not closed" in messages[1]
    assert not project.decks.exists()
