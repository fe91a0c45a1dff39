"""Identity through the months: files renamed and moved, cards moved, the root moved, builds from
anywhere, the state lost. Each scenario is built, imported into a real Anki collection and
reviewed between builds: 0 new notes where the card is the same, 1 where it is new, and each
history where it belongs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ankify.build.state import STATE_NAME

from .conftest import DAY, NOW, Anki, Project

CH2 = (
    "# Linear algebra\n\n"
    "Q: What is a scalar?\nA: A single number.\n\n"
    "Q: What is the transpose of a matrix? ^transpose\nA: Its mirror image across the diagonal.\n\n"
    "The {{c1::identity matrix}} leaves every vector unchanged.\n"
)


def _import_all(project: Project, anki: Anki, now: float = NOW) -> tuple[int, int]:
    """Build the notes folder, import every package: (new notes, updated notes)."""
    new = updated = 0
    for result in project.build(now=now):
        if result.output is not None:
            log = anki.import_apkg(result.output)
            new, updated = new + log.new, updated + log.updated
    return new, updated


def _review_all(anki: Anki) -> dict[str, int]:
    """Review every card once; each note's first field -> its note id."""
    ids = {}
    for note in anki.notes():
        for card in note.cards():
            anki.review(card.id)
        ids[note.fields[0]] = note.id
    return ids


def _histories(anki: Anki) -> dict[str, int]:
    return {n.fields[0]: sum(anki.revlog(c.id) for c in n.cards()) for n in anki.notes()}


def test_renaming_a_file_keeps_every_note_and_its_history(project: Project, anki: Anki) -> None:
    path = project.write("notes/ch02-linear-algebra.md", CH2)
    assert _import_all(project, anki) == (3, 0)
    reviewed = _review_all(anki)
    path.rename(path.with_name("ch02.md"))
    new, _ = _import_all(project, anki, now=NOW + DAY)
    assert new == 0
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed
    assert set(_histories(anki).values()) == {1}


def test_a_card_moved_to_another_file_stays_its_note(project: Project, anki: Anki) -> None:
    project.write("notes/ch2.md", CH2)
    project.write(
        "notes/ch3.md", "# Probability\n\nQ: What is a random variable?\nA: A variable.\n"
    )
    _import_all(project, anki)
    reviewed = _review_all(anki)
    # The scalar card moves to chapter 3 (built alone: chapter 2 is read as context).
    project.write("notes/ch2.md", CH2.replace("Q: What is a scalar?\nA: A single number.\n\n", ""))
    project.write(
        "notes/ch3.md",
        "# Probability\n\nQ: What is a random variable?\nA: A variable.\n\n"
        "Q: What is a scalar?\nA: A single number.\n",
    )
    (result,) = project.build("notes/ch3.md", now=NOW + DAY)
    assert result.output is not None
    log = anki.import_apkg(result.output)
    assert log.new == 0
    moved = anki.note_by_field("What is a scalar?")
    assert moved.id == reviewed["<p>What is a scalar?</p>"]
    assert _histories(anki)["<p>What is a scalar?</p>"] == 1
    new, _ = _import_all(project, anki, now=NOW + 2 * DAY)
    assert new == 0 and len(anki.notes()) == 4


def test_a_root_that_moves_up_keeps_every_note(project: Project, anki: Anki) -> None:
    # The notes folder was its own project (no marker above it) ...
    shutil.rmtree(project.root / ".git")
    notes = project.root / "notes"
    notes.mkdir()
    (notes / "ch2.md").write_text(CH2)
    first = project.run("build", "ch2.md", cwd=notes)
    assert first.exit_code == 0, first.output
    assert (notes / STATE_NAME).is_file()
    anki.import_apkg(notes / "decks" / "ch2.apkg")
    reviewed = _review_all(anki)
    # ... until `ankify plan` (or `git init`) made the folder above it the root.
    (project.root / "ankify.toml").write_text("")
    again = project.run("build", "notes/ch2.md")
    assert again.exit_code == 0, again.output
    assert "with the notes an earlier build kept below it" in again.stderr
    log = anki.import_apkg(project.root / "decks" / "ch2.apkg")
    assert log.new == 0
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed


def test_a_build_from_another_folder_writes_and_remembers_at_the_root(
    project: Project, anki: Anki, tmp_path: Path
) -> None:
    project.write("notes/ch2.md", CH2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first = project.run("build", str(project.root / "notes"), cwd=elsewhere)
    assert first.exit_code == 0, first.output
    assert not (elsewhere / "decks").exists()
    package = project.root / "decks" / "ch2.apkg"
    anki.import_apkg(package)
    reviewed = _review_all(anki)
    project.write("notes/ch2.md", CH2.replace("What is a scalar?", "What's a scalar?"))
    again = project.run("build", "notes")  # from the root, this time
    assert again.exit_code == 0, again.output
    log = anki.import_apkg(package)
    assert (log.new, log.updated) == (0, 1)
    assert anki.note_by_field("What's a scalar?").id == reviewed["<p>What is a scalar?</p>"]


def test_losing_the_state_after_a_rewording_recovers_the_notes_from_the_packages(
    project: Project, anki: Anki
) -> None:
    project.write("notes/ch2.md", CH2)
    _import_all(project, anki)
    reviewed = _review_all(anki)
    project.write("notes/ch2.md", CH2.replace("What is a scalar?", "What is a scalar, exactly?"))
    (project.root / STATE_NAME).unlink()
    new, updated = _import_all(project, anki, now=NOW + DAY)
    assert new == 0 and updated >= 1
    assert anki.note_by_field("a scalar, exactly?").id == reviewed["<p>What is a scalar?</p>"]
    assert len(anki.notes()) == 3


def test_an_id_added_while_rewording_adopts_the_note(project: Project, anki: Anki) -> None:
    project.write("notes/ch2.md", CH2)
    _import_all(project, anki)
    reviewed = _review_all(anki)
    project.write(
        "notes/ch2.md", CH2.replace("What is a scalar?", "What, exactly, is a scalar? ^scalar")
    )
    new, updated = _import_all(project, anki, now=NOW + DAY)
    assert (new, updated) == (0, 1)
    assert anki.note_by_field("exactly, is a scalar?").id == reviewed["<p>What is a scalar?</p>"]
    # From now on the ^id carries it, whatever the wording.
    project.write("notes/ch2.md", CH2.replace("What is a scalar?", "Scalars? ^scalar"))
    assert _import_all(project, anki, now=NOW + 2 * DAY)[0] == 0


def test_a_different_question_with_a_different_answer_is_a_new_note(
    project: Project, anki: Anki
) -> None:
    mean = "Q: What is the mean of a Poisson distribution?\nA: $\\lambda$\n"
    project.write("notes/poisson.md", mean)
    _import_all(project, anki)
    _review_all(anki)
    mode = "Q: What is the mode of a Poisson distribution?\nA: $\\lfloor\\lambda\\rfloor$\n"
    project.write("notes/poisson.md", mode)
    new, updated = _import_all(project, anki, now=NOW + DAY)
    assert (new, updated) == (1, 0)
    histories = _histories(anki)
    assert histories["<p>What is the mode of a Poisson distribution?</p>"] == 0
    assert histories["<p>What is the mean of a Poisson distribution?</p>"] == 1


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        (
            "The capital of {{c1::France}} is {{c2::Paris}}.",
            "The capital of {{c1::Italy}} is {{c2::Rome}}.",
            False,  # the same blanks over other words: another fact
        ),
        (
            "The {{c1::derivative}} of {{c2::$\\sin x$}} is {{c3::$\\cos x$}}.",
            "The {{c1::integral}} of {{c2::$x$}} is {{c3::$x^2/2$}}.",
            False,
        ),
        (
            "The {{c1::mitochondria}} is the {{c2::powerhouse}} of the eukaryotic cell.",
            "The {{c1::mitochondrion}} is the {{c2::powerhouse}} of a eukaryotic cell.",
            True,  # a typo fixed in a hidden word, and the text reworded
        ),
    ],
    ids=["other hidden words", "other formulas", "typo and rewording"],
)
def test_a_cloze_is_the_same_note_while_its_hidden_words_stay(
    project: Project, anki: Anki, before: str, after: str, same: bool
) -> None:
    project.write("notes/c.md", before + "\n")
    _import_all(project, anki)
    _review_all(anki)
    project.write("notes/c.md", after + "\n")
    new, updated = _import_all(project, anki, now=NOW + DAY)
    assert (new, updated) == ((0, 1) if same else (1, 0))
    assert len(anki.notes()) == (1 if same else 2)
    if not same:
        histories = _histories(anki)
        assert [h for text, h in histories.items() if "Italy" in text or "integral" in text] == [0]


def test_a_symlinked_note_is_built_once_under_its_own_name(project: Project, anki: Anki) -> None:
    project.write("notes/a.md", "Q: What is a scalar?\nA: A number.\n")
    os.symlink("a.md", project.root / "notes" / "loop.md")
    (result,) = project.build()
    assert result.source.name == "a.md"
    assert result.output == project.decks / "a.apkg"
    assert result.decks == (("On the go::a", 1),)
    assert anki.import_apkg(result.output).new == 1


def test_a_deck_renamed_in_the_front_matter_is_reported(project: Project) -> None:
    project.write("notes/ch2.md", "---\ndeck: Algebra\n---\n" + CH2)
    assert project.run("build", "notes").exit_code == 0
    project.write("notes/ch2.md", "---\ndeck: Linear algebra\n---\n" + CH2)
    result = project.run("build", "notes")
    assert result.exit_code == 0
    assert result.stderr == (
        'Note: notes/ch2.md: 3 notes now go to deck "On the go::Linear algebra", not "On the '
        'go::Algebra": Anki keeps the cards it has in their deck when it imports; move them in '
        'Anki (Browse, search deck:"On the go::Algebra", select them, Change Deck)\n'
    )


def test_the_same_question_twice_in_a_project_is_two_notes_from_any_build(
    project: Project, anki: Anki
) -> None:
    project.write("notes/a.md", "Q: What is a tensor?\nA: An array.\n")
    project.write("notes/b.md", "Q: What is a tensor?\nA: A multilinear map.\n")
    (b,) = project.build("notes/b.md")
    a, b_again = project.build()
    assert b_again.written is False
    assert a.output is not None and b.output is not None
    assert anki.import_apkg(b.output).new == 1
    assert anki.import_apkg(a.output).new == 1
    assert len(anki.notes()) == 2


LEGACY = Path(__file__).parent / "fixtures" / "legacy"


def _legacy_project(project: Project, anki: Anki, *, state: bool) -> dict[str, int]:
    """The project as ankify 0.1.0 left it (see fixtures/legacy/README.md), its package
    imported and reviewed: each note's first field -> its note id."""
    shutil.copy(LEGACY / "ch02-linear-algebra.md", project.write("notes/x.md", "").parent)
    (project.root / "notes" / "x.md").unlink()
    project.decks.mkdir()
    shutil.copy(LEGACY / "ch02-linear-algebra.apkg", project.decks)
    if state:
        shutil.copy(LEGACY / "ankify-state.json", project.decks / STATE_NAME)
    assert anki.import_apkg(project.decks / "ch02-linear-algebra.apkg").new == 4
    return _review_all(anki)


def test_decks_built_by_ankify_0_1_keep_their_notes_after_the_upgrade(
    project: Project, anki: Anki
) -> None:
    reviewed = _legacy_project(project, anki, state=True)
    (project.decks / "ch02-linear-algebra.apkg").unlink()  # the state alone must tell
    result = project.run("build", "notes")
    assert result.exit_code == 0, result.output
    assert "with the notes an earlier build kept below it" in result.stderr
    log = anki.import_apkg(project.decks / "ch02-linear-algebra.apkg")
    assert (log.new, log.updated) == (0, 0)  # the same notes, unchanged
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed
    # A rewording after the upgrade is still recognised: the old note is carried on.
    path = project.root / "notes" / "ch02-linear-algebra.md"
    path.write_text(path.read_text().replace("What is a scalar?", "What is a scalar, really?"))
    assert project.run("build", "notes").exit_code == 0
    log = anki.import_apkg(project.decks / "ch02-linear-algebra.apkg")
    assert (log.new, log.updated) == (0, 1)
    assert anki.note_by_field("a scalar, really?").id == reviewed["<p>What is a scalar?</p>"]


def test_packages_of_ankify_0_1_without_their_state_keep_their_notes(
    project: Project, anki: Anki
) -> None:
    reviewed = _legacy_project(project, anki, state=False)
    assert project.run("build", "notes").exit_code == 0
    log = anki.import_apkg(project.decks / "ch02-linear-algebra.apkg")
    assert (log.new, log.updated) == (0, 4)  # recovered notes count as changed, once
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed
    assert set(_histories(anki).values()) == {1}


def test_a_broken_file_not_named_does_not_stop_a_build(project: Project, anki: Anki) -> None:
    project.write("notes/ch2.md", CH2)
    project.write("notes/ch3.md", "Q: What is a random variable?\nA: A variable.\n")
    _import_all(project, anki)
    project.write("notes/ch2.md", CH2 + "\nQ: Unfinished?\n")  # no answer yet: ch2 is broken
    result = project.run("build", "notes/ch3.md")
    assert result.exit_code == 0, result.output


def test_a_card_moved_out_of_a_broken_file_waits_for_the_fix(project: Project, anki: Anki) -> None:
    """Moved, or copied? While the file it was in cannot be read, nobody can tell: the build
    stops there, rather than give the card a new note (a duplicate once the file is fixed)."""
    card = "Q: What is a random variable?\nA: A variable that takes values at random.\n"
    project.write("notes/a.md", "Q: What is a scalar?\nA: A number.\n\n" + card)
    project.write("notes/b.md", "Q: What is a vector?\nA: An array of numbers.\n")
    _import_all(project, anki)
    reviewed = _review_all(anki)
    project.write("notes/a.md", "Q: What is a scalar?\nA: A number.\n\nQ: Unfinished?\n")
    project.write("notes/b.md", "Q: What is a vector?\nA: An array of numbers.\n\n" + card)
    result = project.run("build", "notes/b.md")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: notes/a.md:4: question has no answer")
    assert "it was read because the card at line 4 of notes/b.md was in it" in result.stderr

    project.write("notes/a.md", "Q: What is a scalar?\nA: A number.\n")
    assert project.run("build", "notes/b.md").exit_code == 0
    assert _import_all(project, anki, now=NOW + DAY)[0] == 0
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed


def test_a_file_renamed_while_the_state_is_lost_keeps_its_notes(
    project: Project, anki: Anki
) -> None:
    path = project.write("notes/a.md", CH2)
    _import_all(project, anki)
    reviewed = _review_all(anki)
    path.rename(path.with_name("b.md"))
    (project.root / STATE_NAME).unlink()
    new, _ = _import_all(project, anki, now=NOW + DAY)  # decks/a.apkg still holds them
    assert new == 0
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed


def test_a_card_moved_while_the_state_is_lost_keeps_its_note_from_a_one_file_build(
    project: Project, anki: Anki
) -> None:
    scalar = "Q: What is a scalar?\nA: A number.\n\n"
    moved = "Q: What is a random variable?\nA: A variable that takes values at random.\n\n"
    vector = "Q: What is a vector?\nA: An array of numbers.\n\n"
    project.write("notes/a.md", scalar + moved)
    project.write("notes/b.md", vector)
    _import_all(project, anki)
    reviewed = _review_all(anki)
    project.write("notes/a.md", scalar)
    project.write("notes/b.md", vector + moved)
    (project.root / STATE_NAME).unlink()
    assert project.run("build", "notes/b.md").exit_code == 0
    log = anki.import_apkg(project.decks / "b.apkg")
    assert log.new == 0
    assert _import_all(project, anki, now=NOW + DAY)[0] == 0
    assert {n.fields[0]: n.id for n in anki.notes()} == reviewed


def test_a_gone_file_is_forgotten_once_its_notes_are_taken_over(project: Project) -> None:
    path = project.write("notes/old.md", CH2)
    project.build()
    path.rename(path.with_name("new.md"))
    project.build(now=NOW + DAY)
    state = (project.root / STATE_NAME).read_text()
    assert '"notes/old.md"' not in state and '"notes/new.md"' in state
