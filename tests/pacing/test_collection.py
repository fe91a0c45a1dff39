"""A learner's real Anki collection, read only (and while Anki has it open): their FSRS
parameters and retention, their seconds per answer, the cards they study."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from pathlib import Path

import pytest

from ankify.errors import ConfigError
from ankify.pacing.collection import read_collection
from ankify.pacing.forecast import Simulator
from ankify.pacing.memory import Habits, Model
from tests.conftest import Anki

PARAMETERS = [round(0.1 + 0.05 * i, 3) for i in range(21)]


def _answer(anki: Anki, card_id: int, seconds: float) -> None:
    from anki.scheduler.v3 import CardAnswer

    card = anki.col.get_card(card_id)
    card.start_timer()
    card.timer_started = time.time() - seconds  # the learner thought it over
    states = anki.col._backend.get_scheduling_states(card.id)
    answer = anki.col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
    anki.col.sched.answer_card(answer)


def _studied_collection(anki: Anki, cards: int) -> list[int]:
    col = anki.col
    col.set_config("fsrs", True)
    config = col.decks.config_dict_for_deck_id(1)
    config["fsrsParams6"] = PARAMETERS
    config["desiredRetention"] = 0.85
    col.decks.update_config(config)
    basic = col.models.by_name("Basic")
    ids = []
    for i in range(cards):
        note = col.new_note(basic)
        note["Front"], note["Back"] = f"Question {i}?", f"Answer {i}."
        col.add_note(note, 1)
        ids.extend(note.card_ids())
    for card_id in ids:
        _answer(anki, card_id, 12)  # the first learning step
        _answer(anki, card_id, 12)  # the second: the card graduates to review
    return ids


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_collection_says_parameters_retention_times_and_cards(anki: Anki) -> None:
    ids = _studied_collection(anki, 25)
    path = Path(anki.col.path)
    before = _fingerprint(path)
    # Anki still has the collection open: it is copied, not locked or changed.
    collected = read_collection(path, defaults=Habits())
    assert _fingerprint(path) == before
    assert collected.parameters == pytest.approx(PARAMETERS, abs=1e-6)
    assert collected.retention == pytest.approx(0.85)
    assert len(collected.studied) == len(ids)
    assert collected.answers == 2 * len(ids)
    assert collected.costs is not None
    assert collected.costs[0][2] == pytest.approx(12, abs=1.5)  # learning, Good: measured
    assert collected.costs[1] == Habits().costs[1]  # no review yet: the defaults stand
    # The cards are due within days of today, once learned: their reviews come into a forecast.
    today = collected.origin + timedelta(days=max(c.last_review for c in collected.studied))
    studied = collected.studied_from(today)
    assert all(0 <= c.due <= 10 and c.last_review == 0 for c in studied)
    model = Model(collected.parameters or (), 0.85)
    load = Simulator(model, collected.habits(Habits())).forecast(
        {}, start=today, days=30, studied=studied
    )
    assert sum(load.reviews) >= len(ids)
    assert load.new_cards == (0,) * 30


def test_fsrs_5_parameters_are_filled_in(anki: Anki) -> None:
    config = anki.col.decks.config_dict_for_deck_id(1)
    config["fsrsParams5"] = PARAMETERS[:19]
    anki.col.decks.update_config(config)
    basic = anki.col.models.by_name("Basic")
    note = anki.col.new_note(basic)
    note["Front"], note["Back"] = "Q?", "A."
    anki.col.add_note(note, 1)
    _answer(anki, note.card_ids()[0], 5)
    collected = read_collection(Path(anki.col.path), defaults=Habits())
    assert collected.parameters == pytest.approx([*PARAMETERS[:19], 0.0, 0.5], abs=1e-6)
    assert collected.retention == pytest.approx(0.9)
    assert collected.costs is None  # one answer measures nothing yet: the defaults stand


def test_what_is_not_a_collection(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as e:
        read_collection(tmp_path / "missing.anki2", defaults=Habits())
    assert e.value.message.startswith("no such Anki collection")
    (tmp_path / "notes.anki2").write_text("not sqlite")
    with pytest.raises(ConfigError, match="cannot read it as an Anki collection"):
        read_collection(tmp_path / "notes.anki2", defaults=Habits())
