"""Card identity: GUIDs from project, kind and question; rewordings."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from ankify.identity import guid_for
from ankify.model import CardKind
from ankify.stamps import NoteRecord, Stamp

from .conftest import Anki, Project


def _cards(project: Project, text: str, name: str = "ch.md", previous=()):
    return project.notes(name, text, previous=previous)


def _records(cards) -> tuple[NoteRecord, ...]:
    return tuple(
        NoteRecord(
            c.guid,
            c.kind,
            c.rendered.key,
            c.rendered.explicit_id,
            Stamp(1, ((0, 2),), 3, "h"),
        )
        for c in cards
    )


def test_a_new_guid_depends_on_project_kind_and_question_not_answer_or_file(
    project: Project,
) -> None:
    (a,) = _cards(project, "Q: What is a norm?\nA: A size.\n")
    (b,) = _cards(project, "Q: What is a norm?\nA: A function measuring size.\n")
    (c,) = _cards(project, "E: What is a norm?\nS: A size.\n")
    (d,) = _cards(project, "Q: What is a norm?\nA: A size.\n", name="other.md")
    assert a.guid == b.guid == d.guid == guid_for("", CardKind.QUESTION, "text:What is a norm?")
    assert c.guid != a.guid
    assert guid_for("another project", CardKind.QUESTION, "text:What is a norm?") != a.guid


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdefghij?", min_size=1, max_size=6), min_size=1, max_size=6),
    gaps=st.lists(st.sampled_from([" ", "  ", "\t", "\n"]), min_size=6, max_size=6),
)
def test_identity_is_stable_under_whitespace_edits(tmp_path_factory, words, gaps) -> None:
    root = tmp_path_factory.mktemp("p")
    (root / ".git").mkdir()
    project = Project(root)
    plain = "Q: " + " ".join(words) + "\nA: a\n"
    spaced = (
        "Q: " + "".join(w + g for w, g in zip(words, gaps, strict=False)).rstrip() + "  \nA: a\n"
    )
    assert _cards(project, plain)[0].guid == _cards(project, spaced)[0].guid


def test_rewording_keeps_the_guid_and_unrelated_questions_do_not(project: Project) -> None:
    before = _cards(project, "Q: What is the entropy of a fair coin?\nA: 1 bit\n")
    (after,) = _cards(
        project, "Q: What's the entropy of a fair coin?\nA: 1 bit\n", previous=_records(before)
    )
    assert after.guid == before[0].guid
    (other,) = _cards(project, "Q: Who wrote the book?\nA: GBC\n", previous=_records(before))
    assert other.guid != before[0].guid


def test_adding_an_id_later_keeps_the_guid(project: Project) -> None:
    before = _cards(project, "Q: What is a tensor?\nA: An array.\n")
    (after,) = _cards(
        project, "Q: What is a tensor? ^tensor\nA: An array.\n", previous=_records(before)
    )
    assert after.guid == before[0].guid


def test_a_reworded_card_and_a_new_card_with_its_old_text_stay_distinct(project: Project) -> None:
    first = _cards(project, "Q: What is a tensor?\nA: a\n")
    reworded = _cards(project, "Q: What is a tensor, really?\nA: a\n", previous=_records(first))
    assert reworded[0].guid == first[0].guid
    both = _cards(
        project,
        "Q: What is a tensor, really?\nA: a\nQ: What is a tensor?\nA: b\n",
        previous=_records(reworded),
    )
    assert both[0].guid == first[0].guid
    assert both[1].guid != both[0].guid


def test_swapped_cards_keep_their_own_guids(project: Project) -> None:
    first = _cards(project, "Q: What is a scalar?\nA: a\nQ: What is a vector?\nA: b\n")
    swapped = _cards(
        project,
        "Q: What is a vector?\nA: b\nQ: What is a scalar?\nA: a\n",
        previous=_records(first),
    )
    assert [c.guid for c in swapped] == [first[1].guid, first[0].guid]


def test_clozes_have_identity_too(project: Project) -> None:
    before = _cards(project, "The {{c1::mean}} of a sample.\n")
    (after,) = _cards(project, "The {{c1::mean}} of the sample.\n", previous=_records(before))
    assert after.guid == before[0].guid
    assert dataclasses.replace(after.rendered).cloze_numbers == (1,)


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


def test_the_same_question_in_two_sources_gives_two_notes(project: Project, anki: Anki) -> None:
    project.write("notes/a.md", "---\ndeck: Shared\n---\nQ: What is a tensor?\nA: An array.\n")
    project.write("notes/b.md", "---\ndeck: Shared\n---\nQ: What is a tensor?\nA: An array.\n")
    first, second = project.build()
    assert anki.import_apkg(first.output).new == 1
    assert anki.import_apkg(second.output).new == 1
    assert len(anki.notes()) == 2
