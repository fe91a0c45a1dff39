"""Built decks imported into a real Anki collection: decks, cards, fields, media, updates."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ankify.export import deck_id
from ankify.model import CardKind
from ankify.notetypes import NOTE_TYPES

from .conftest import DAY, NOW, Anki, Project

REPO = Path(__file__).resolve().parents[1]


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


def test_example_chapter_imports_with_both_decks_and_media(tmp_path: Path, anki: Anki) -> None:
    from ankify.build.pipeline import build_paths

    work = tmp_path / "work"
    shutil.copytree(REPO / "sources", work / "sources")
    (work / ".git").mkdir()
    (result,) = build_paths([work / "sources" / "chapter3.md"], work / "decks", now=NOW)
    assert result.output == work / "decks" / "chapter3.apkg"

    log = anki.import_apkg(result.output)
    deck = "Deep Learning::03 Probability and Information Theory"
    assert anki.deck_cards() == {f"On the go::{deck}": 11, f"Pen and paper::{deck}": 2}
    assert dict(result.decks) == {f"On the go::{deck}": 11, f"Pen and paper::{deck}": 2}
    assert log.new == len(anki.notes()) == 12
    svg = (REPO / "sources" / "figures" / "gaussian.svg").read_bytes()
    media_name = f"ankify-{hashlib.sha256(svg).hexdigest()[:20]}.svg"
    assert anki.media_files() == [media_name]
    assert f'<img src="{media_name}"' in anki.note_by_field("density of the normal")["Answer"]
    types = {n.note_type()["name"] for n in anki.notes()}
    assert types == {"ankify Question", "ankify Cloze", "ankify Exercise"}


def test_cards_land_in_their_decks_with_fields_and_tags(project: Project, anki: Anki) -> None:
    project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    log = anki.import_apkg(result.output)
    assert (log.new, log.updated, log.duplicate) == (4, 0, 0)
    assert anki.deck_cards() == {"On the go::Probability": 4, "Pen and paper::Probability": 1}

    question = anki.note_by_field("sources of uncertainty")
    assert question.note_type()["name"] == "ankify Question"
    assert question["Question"] == "<p>What are the sources of uncertainty?</p>"
    assert question["Context"] == "Chapter 3 › 3.1 Why Probability?"
    assert question["Source"] == "dlbook.pdf pp. 53-60"
    assert sorted(question.tags) == ["dlbook", "uncertainty"]

    cloze = anki.note_by_field("{{c1::PMF}}")
    assert cloze.note_type()["name"] == "ankify Cloze"
    assert len(cloze.cards()) == 2  # one card per cloze number

    exercise = anki.note_by_field("Expand")
    assert exercise.note_type()["name"] == "ankify Exercise"
    assert (
        exercise["Exercise"]
        == r"<p>Show that \(\mathrm{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2\).</p>"
    )
    assert {anki.col.decks.name(c.did) for c in exercise.cards()} == {"Pen and paper::Probability"}


def test_unchanged_rebuild_is_byte_identical_and_changes_nothing(project: Project, anki: Anki):
    project.write("notes/ch3.md", CHAPTER)
    (first,) = project.build()
    before = first.output.read_bytes()
    anki.import_apkg(first.output)

    (second,) = project.build(now=NOW + DAY)
    assert second.output.read_bytes() == before
    log = anki.import_apkg(second.output)
    assert (log.new, log.updated, log.duplicate) == (0, 0, 4)


def test_editing_an_answer_updates_that_note_and_keeps_its_reviews(project: Project, anki: Anki):
    path = project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    note = anki.note_by_field("What is a random variable?")
    card_id = note.cards()[0].id
    anki.review(card_id)
    anki.review(card_id)
    assert anki.revlog(card_id) == 2
    other = anki.note_by_field("sources of uncertainty")
    other_mod = other.mod

    path.write_text(path.read_text().replace("different values randomly", "values at random"))
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)

    assert (log.new, log.updated, log.duplicate) == (0, 1, 3)
    updated = anki.note_by_field("What is a random variable?")
    assert updated.id == note.id
    assert updated["Answer"] == "<p>A variable that can take on values at random.</p>"
    assert updated.cards()[0].id == card_id
    assert anki.revlog(card_id) == 2
    assert anki.col.get_card(card_id).reps == 2
    assert anki.note_by_field("sources of uncertainty").mod == other_mod


def test_a_small_rewording_updates_the_same_note(project: Project, anki: Anki) -> None:
    path = project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    note = anki.note_by_field("What is a random variable?")
    anki.review(note.cards()[0].id)

    path.write_text(
        path.read_text().replace("What is a random variable?", "What's a random variable?")
    )
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)
    assert (log.new, log.updated) == (0, 1)
    reworded = anki.note_by_field("random variable?")
    assert reworded.id == note.id
    assert reworded["Question"] == "<p>What's a random variable?</p>"
    assert anki.revlog(note.cards()[0].id) == 1

    # A second small rewording builds on the first.
    path.write_text(
        path.read_text().replace("What's a random variable?", "What's a random variable, exactly?")
    )
    (result,) = project.build(now=NOW + 2 * DAY)
    log = anki.import_apkg(result.output)
    assert (log.new, log.updated) == (0, 1)
    assert len(anki.notes()) == 4


def test_an_explicit_id_keeps_the_note_through_any_rewording(project: Project, anki: Anki):
    path = project.write("notes/ch3.md", "Q: What is entropy? ^entropy\nA: Expected information.\n")
    (result,) = project.build()
    anki.import_apkg(result.output)
    path.write_text(
        "Q: Define Shannon's measure of uncertainty. ^entropy\nA: Expected information.\n"
    )
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)
    assert (log.new, log.updated) == (0, 1)
    assert len(anki.notes()) == 1


def test_a_new_question_is_a_new_note(project: Project, anki: Anki) -> None:
    path = project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    path.write_text(
        path.read_text()
        + "\nQ: What is a Bernoulli distribution?\nA: A distribution over one binary variable.\n"
    )
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)
    assert (log.new, log.updated, log.duplicate) == (1, 0, 4)


def test_edits_made_in_anki_to_other_notes_are_kept(project: Project, anki: Anki) -> None:
    path = project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    mine = anki.note_by_field("sources of uncertainty")
    mine["Answer"] = "My own words, written in Anki."
    anki.col.update_note(mine)

    path.write_text(path.read_text().replace("different values randomly", "values at random"))
    (result,) = project.build(now=NOW + DAY)
    log = anki.import_apkg(result.output)
    assert log.updated == 1
    assert (
        anki.note_by_field("sources of uncertainty")["Answer"] == "My own words, written in Anki."
    )


def test_deck_name_patterns_come_from_ankify_toml(project: Project, anki: Anki) -> None:
    project.write(
        "ankify.toml",
        '[decks]\non_the_go = "DL::Phone::{deck}"\npen_and_paper = "DL::Desk::{deck}"\n',
    )
    project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    assert anki.deck_cards() == {"DL::Phone::Probability": 4, "DL::Desk::Probability": 1}


def test_note_types_keep_their_ids_and_fields_and_decks_their_ids(
    project: Project, anki: Anki
) -> None:
    # Released note types never change: Anki refuses updates across a change of fields.
    assert {k: (t.id, t.name, t.fields) for k, t in NOTE_TYPES.items()} == {
        CardKind.QUESTION: (
            1763712001,
            "ankify Question",
            ("Question", "Answer", "Context", "Source"),
        ),
        CardKind.CLOZE: (1763712002, "ankify Cloze", ("Text", "Extra", "Context", "Source")),
        CardKind.EXERCISE: (
            1763712003,
            "ankify Exercise",
            ("Exercise", "Solution", "Context", "Source"),
        ),
    }
    project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    for note in anki.notes():
        kind = {t.name: t for t in NOTE_TYPES.values()}[note.note_type()["name"]]
        assert note.mid == kind.id
    # A deck's id is a fixed function of its name: pinned, so a change to it cannot slip in.
    assert deck_id("On the go::Probability") == 432237250535574
    assert deck_id("Pen and paper::Probability") == 396475401017836


def test_changing_a_template_updates_the_note_type_in_anki(
    project: Project, anki: Anki, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ankify import export, notetypes

    project.write("notes/ch3.md", CHAPTER)
    (result,) = project.build()
    anki.import_apkg(result.output)
    texts = dict(notetypes.template_texts())
    texts["ankify.css"] += "\n.card { font-size: 22px; }\n"
    monkeypatch.setattr(notetypes, "template_texts", lambda: texts)
    monkeypatch.setattr(export, "template_texts", lambda: texts)
    export._model.cache_clear()
    try:
        (result,) = project.build(now=NOW + DAY)
        anki.import_apkg(result.output)
    finally:
        export._model.cache_clear()
    css = anki.col.models.by_name("ankify Question")["css"]
    assert "font-size: 22px" in css
    assert len(anki.notes()) == 4
