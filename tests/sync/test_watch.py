"""ankify watch in a real process: a save rebuilds the package, a broken save prints its error
and watching goes on, Ctrl-C stops it with exit code 0 and no traceback."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ankify.sync.collection import Place
from ankify.sync.watch import relevant
from tests.conftest import Anki, Project
from tests.pdf_fixtures import png
from tests.sync.conftest import HOLD

WAIT = 30.0  # seconds a round may take on a busy machine


class Watcher:
    """`ankify watch` running in the project, its output read line by line."""

    def __init__(self, project: Project, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ankify", "watch", *args],
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def round(self) -> list[str]:
        """The lines of the next round, up to "Watching for changes"."""
        lines = []
        deadline = time.monotonic() + WAIT
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            self.seen.append(line)
            if line.startswith("Watching for changes"):
                return lines
            lines.append(line)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def watching(project: Project) -> Iterator[Watcher]:
    project.write("notes/ch1.md", "Q: What is one?\nA: 1\n")
    watcher = Watcher(project, "notes")
    try:
        yield watcher
    finally:
        watcher.close()


def _answers(anki: Anki, package: Path) -> list[str]:
    anki.import_apkg(package)
    return [note["Answer"] for note in anki.notes()]


def test_a_save_rebuilds_the_package(project: Project, watching: Watcher, anki: Anki) -> None:
    assert watching.round()[0] == "decks/ch1.apkg: On the go::ch1 1 card"
    assert _answers(anki, project.decks / "ch1.apkg") == ["<p>1</p>"]
    project.write("notes/ch1.md", "Q: What is one?\nA: one\n")
    assert watching.round()[0] == "decks/ch1.apkg: On the go::ch1 1 card"
    assert _answers(anki, project.decks / "ch1.apkg") == ["<p>one</p>"]
    assert watching.stop() == 0
    assert not any("Traceback" in line for line in watching.seen)


def test_a_broken_save_prints_its_error_and_watching_goes_on(
    project: Project, watching: Watcher
) -> None:
    watching.round()
    package = (project.decks / "ch1.apkg").read_bytes()
    project.write("notes/ch1.md", "Q: What is one?\n")
    lines = watching.round()
    assert lines == ['Error: notes/ch1.md:1: question has no answer: add an "A:" line below it'], (
        lines
    )
    assert (project.decks / "ch1.apkg").read_bytes() == package
    project.write("notes/ch1.md", "Q: What is one?\nA: fixed\n")
    assert watching.round()[0] == "decks/ch1.apkg: On the go::ch1 1 card"
    assert watching.stop() == 0
    assert not any("Traceback" in line for line in watching.seen)


def test_a_round_says_how_many_cards_break_a_rule(project: Project, watching: Watcher) -> None:
    assert not any(line.startswith("Lint:") for line in watching.round())
    project.write("notes/ch1.md", "Q: Is one odd?\nA: Yes.\n")
    assert watching.round()[-1] == (
        "Lint: 1 finding (1 yes-no): see them with 'ankify lint notes' or 'ankify build --lint'"
    )
    project.write("notes/ch1.md", "Q: Why is one odd?\nA: It is not divisible by 2.\n")
    assert not any(line.startswith("Lint:") for line in watching.round())
    assert watching.stop() == 0


def test_only_notes_images_and_settings_are_changes(tmp_path: Path) -> None:
    root = tmp_path
    assert relevant(root / "notes" / "ch1.md", [root])
    assert relevant(root / "notes" / "figures" / "plot.PNG", [root])
    assert relevant(root / "ankify.toml", [root])
    assert not relevant(root / "decks" / "ch1.apkg", [root])
    assert not relevant(root / ".ankify" / "cache" / "x.md", [root])
    assert not relevant(root / ".ankify-state.json", [root])
    assert not relevant(root / "notes" / ".ch1.md.swp", [root])
    assert not relevant(root / "notes" / "todo.txt", [root])
    assert not relevant(tmp_path.parent / "elsewhere.md", [root])


def test_watch_sync_waits_while_anki_holds_the_collection(
    project: Project, place: Place, tmp_path: Path
) -> None:
    project.write("notes/ch1.md", "Q: What is one?\nA: 1\n")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(place.path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    watcher = Watcher(project, "notes", "--sync", "--collection", str(place.path))
    try:
        assert (
            "Built; Anki has the collection open: the notes are synced at the first change "
            "after you close Anki"
        ) in watcher.round()
        holder.kill()
        holder.wait(timeout=WAIT)
        project.write("notes/ch1.md", "Q: What is one?\nA: one\n")
        lines = watcher.round()
        assert f"{place.path}: 1 added, 0 updated, 0 moved, 0 removed, 0 unchanged" in lines
        assert watcher.stop() == 0
    finally:
        watcher.close()
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=WAIT)
        assert holder.stdout is not None
        holder.stdout.close()
    anki = Anki(place.path.parent)
    try:
        assert [note["Answer"] for note in anki.notes()] == ["<p>one</p>"]
    finally:
        anki.close()


def test_an_image_or_the_settings_changed_rebuild(project: Project, anki: Anki) -> None:
    (project.root / "notes").mkdir()
    (project.root / "notes" / "plot.png").write_bytes(png(4, 4))
    project.write("notes/ch1.md", "Q: Which plot?\nA: ![a plot](plot.png)\n")
    watcher = Watcher(project, "notes")
    try:
        assert watcher.round()[0] == "decks/ch1.apkg: On the go::ch1 1 card"
        (project.root / "notes" / "plot.png").write_bytes(png(6, 6))
        assert watcher.round()[0] == "decks/ch1.apkg: On the go::ch1 1 card"
        anki.import_apkg(project.decks / "ch1.apkg")
        (name,) = anki.media_files()
        assert (Path(anki.col.media.dir()) / name).read_bytes() == png(6, 6)
        project.write("ankify.toml", '[decks]\non_the_go = "Phone::{deck}"\n')
        assert watcher.round()[0] == "decks/ch1.apkg: Phone::ch1 1 card"
        assert watcher.stop() == 0
    finally:
        watcher.close()
