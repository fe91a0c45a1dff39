"""A learner's Anki collection, read only: their FSRS parameters and desired retention (from the
deck preset most of their cards use), how long their answers take (the review log), and the
cards they already study, whose reviews go on beside the new ones.

The file is copied first (with its write-ahead log), so that Anki may have it open; the copy
is read with sqlite3 and a few lines of protobuf, so the `anki` package is not needed.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..model import SourceSpan
from .forecast import Studied
from .memory import D_MAX, D_MIN, DEFAULT_PARAMETERS, Habits

#: Answers of one kind (state and rating) needed before their measured time replaces the default.
MIN_ANSWERS = 20
#: FSRS-5 and FSRS-4.5 parameters become FSRS-6 ones as fsrs-rs fills them in.
_FSRS5_DECAY = 0.5


@dataclass(frozen=True, slots=True)
class Collected:
    """What a collection says about its learner (None: not known, the defaults stand)."""

    path: Path
    parameters: tuple[float, ...] | None
    retention: float | None
    costs: tuple[tuple[float, float, float, float], ...] | None
    review_seconds: float | None  # mean time of a review in the log
    answers: int  # reviews and learning steps in the log
    studied: tuple[Studied, ...]  # days counted from `origin`, the collection's day 0
    origin: date

    def studied_from(self, start: date) -> tuple[Studied, ...]:
        """The cards studied, their days counted from `start` (a forecast's first day)."""
        shift = (start - self.origin).days
        return tuple(
            dataclasses.replace(c, last_review=c.last_review - shift, due=c.due - shift)
            for c in self.studied
        )

    def habits(self, base: Habits) -> Habits:
        if self.costs is None:
            return base
        return Habits(
            base.first_rating,
            base.review_rating,
            base.learning_transitions,
            base.relearning_transitions,
            self.costs,
            base.learning_steps,
            base.relearning_steps,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "collection": str(self.path),
            "fsrs_parameters": list(self.parameters) if self.parameters else None,
            "desired_retention": self.retention,
            "review_seconds": round(self.review_seconds, 1) if self.review_seconds else None,
            "answers_logged": self.answers,
            "cards_studied": len(self.studied),
        }


def read_collection(path: Path, *, defaults: Habits) -> Collected:
    """Read the collection at `path` (a .anki2 file), without writing to it."""
    span = SourceSpan(path)
    if not path.is_file():
        raise ConfigError(
            "no such Anki collection: name your collection.anki2 (in Anki's profile folder)",
            span=span,
            option="collection",
        )
    with tempfile.TemporaryDirectory(prefix="ankify-") as folder:
        copy = Path(folder) / "collection.anki2"
        shutil.copyfile(path, copy)
        for suffix in ("-wal",):  # changes Anki has not yet written into the file itself
            log = path.with_name(path.name + suffix)
            if log.is_file():
                shutil.copyfile(log, copy.with_name(copy.name + suffix))
        try:
            db = sqlite3.connect(copy)
            try:
                return _read(db, path, defaults)
            finally:
                db.close()
        except sqlite3.DatabaseError as e:
            raise ConfigError(
                f"cannot read it as an Anki collection ({e}): name a collection.anki2 file",
                span=span,
                option="collection",
            ) from None


def _read(db: sqlite3.Connection, path: Path, defaults: Habits) -> Collected:
    created = db.execute("select crt from col").fetchone()[0]
    origin = date.fromtimestamp(created)
    today = _today(db, created)
    presets = {
        preset_id: _fields(blob)
        for preset_id, blob in db.execute("select id, config from deck_config")
    }
    deck_preset = {
        deck_id: _preset_of(kind) for deck_id, kind in db.execute("select id, kind from decks")
    }
    cards = db.execute(
        "select did, odid, type, due, odue, ivl, data from cards "
        "where type in (1, 2, 3) and queue >= -3 and queue != -1"
    ).fetchall()
    counts: dict[int, int] = {}
    studied = []
    for did, odid, kind, due, odue, ivl, data in cards:
        deck = odid or did
        preset = deck_preset.get(deck)
        if preset is not None:
            counts[preset] = counts.get(preset, 0) + 1
        studied.append(_studied(kind, odue or due, ivl, data, today))
    parameters = retention = None
    if counts:
        fields = presets.get(max(counts, key=lambda p: (counts[p], -p)), {})
        parameters = _parameters(fields)
        floats = fields.get(37)
        if floats:
            retention = round(struct.unpack("<f", floats[-1])[0], 4)
    costs, review_seconds, answers = _costs(db, defaults)
    return Collected(
        path, parameters, retention, costs, review_seconds, answers, tuple(studied), origin
    )


def _today(db: sqlite3.Connection, created: int) -> int:
    """Anki's day number of the latest review (days since the collection was created): the
    collection's "today" as of its last use, the day learning cards are due."""
    latest = db.execute("select max(id) from revlog").fetchone()[0]
    if latest is None:
        return 0
    return max(0, (int(latest) // 1000 - int(created)) // 86400)


def _studied(kind: int, due: int, ivl: int, data: str, today: int) -> Studied:
    """A studied card, its days numbered as Anki numbers them (from the collection's day 0)."""
    memory = {}
    if data:
        try:
            memory = json.loads(data)
        except ValueError:
            memory = {}
    if kind == 2:  # review: due is a day number (overdue ones are due on the last day used)
        due_on, last = max(due, today), due - max(ivl, 1)
        stability = float(memory.get("s") or max(ivl, 1))
    else:  # (re)learning: due in minutes (a timestamp), as of the last day it was used
        due_on, last = today, today
        stability = float(memory.get("s") or DEFAULT_PARAMETERS[2])
    difficulty = float(memory.get("d") or 5.0)
    return Studied(stability, min(max(difficulty, D_MIN), D_MAX), last, due_on)


def _costs(
    db: sqlite3.Connection, defaults: Habits
) -> tuple[tuple[tuple[float, float, float, float], ...] | None, float | None, int]:
    """Seconds per answer by state (learning, review, relearning) and rating, measured where
    the log has MIN_ANSWERS of them; the mean review's seconds; how many answers."""
    rows = db.execute(
        "select type, ease, count(*), avg(time) from revlog "
        "where type in (0, 1, 2) and ease between 1 and 4 and time > 0 group by type, ease"
    ).fetchall()
    if not rows:
        return None, None, 0
    measured = {(kind, ease): (n, ms / 1000.0) for kind, ease, n, ms in rows}
    costs = []
    for state, row in enumerate(defaults.costs):
        values = [
            measured[(state, ease)][1]
            if measured.get((state, ease), (0, 0.0))[0] >= MIN_ANSWERS
            else row[ease - 1]
            for ease in range(1, 5)
        ]
        costs.append((values[0], values[1], values[2], values[3]))
    reviews = [measured[(1, e)] for e in range(1, 5) if (1, e) in measured]
    count = sum(n for n, _ in reviews)
    review_seconds = sum(n * s for n, s in reviews) / count if count else None
    answers = sum(n for n, _ in measured.values())
    if all(n < MIN_ANSWERS for n, _ in measured.values()):
        return None, review_seconds, answers  # too few of any answer: the defaults stand
    return tuple(costs), review_seconds, answers


def _parameters(fields: dict[int, list[bytes]]) -> tuple[float, ...] | None:
    """FSRS-6 parameters from a preset (fsrsParams6, else FSRS-5's or FSRS-4.5's filled in)."""
    for number in (6, 5, 3):
        values = [v for chunk in fields.get(number, []) for v in _floats(chunk)]
        if len(values) == 21:
            return tuple(values)
        if len(values) == 19:
            return (*values, 0.0, _FSRS5_DECAY)
        if len(values) == 17:
            return (*values, 0.0, 0.0, 0.0, _FSRS5_DECAY)
    return None


def _floats(chunk: bytes) -> tuple[float, ...]:
    return struct.unpack(f"<{len(chunk) // 4}f", chunk[: len(chunk) // 4 * 4])


def _preset_of(kind: bytes | None) -> int | None:
    """A normal deck's preset id (`Deck.kind`: normal = 1 { config_id = 1 })."""
    normal = _fields(kind or b"").get(1)
    if not normal:
        return None
    ids = _fields(normal[0]).get(1)
    return _varint(ids[0], 0)[0] if ids else None


def _fields(blob: bytes) -> dict[int, list[bytes]]:
    """A protobuf message's fields by number: each value's bytes (varints re-encoded as they
    came, fixed32 as 4 bytes, length-delimited as their content)."""
    fields: dict[int, list[bytes]] = {}
    for number, value in _wire(blob):
        fields.setdefault(number, []).append(value)
    return fields


def _wire(blob: bytes) -> Iterator[tuple[int, bytes]]:
    at = 0
    while at < len(blob):
        key, at = _varint(blob, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            start = at
            _, at = _varint(blob, at)
            yield number, blob[start:at]
        elif wire == 1:
            yield number, blob[at : at + 8]
            at += 8
        elif wire == 2:
            size, at = _varint(blob, at)
            yield number, blob[at : at + size]
            at += size
        elif wire == 5:
            yield number, blob[at : at + 4]
            at += 4
        else:
            return  # groups: not used by Anki's messages


def _varint(blob: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while at < len(blob):
        byte = blob[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, at
