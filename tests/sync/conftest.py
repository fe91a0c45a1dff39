"""Collections for the sync tests: an empty one, closed, and one held open by another process
(as Anki's desktop app holds it)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ankify.sync.collection import Place
from tests.conftest import Anki


@pytest.fixture
def place(tmp_path: Path) -> Place:
    """An empty collection, closed (as when Anki is not running)."""
    Anki(tmp_path / "anki").close()
    path = tmp_path / "anki" / "collection.anki2"
    return Place(path, tmp_path / "anki" / "backups")


HOLD = """
import sys, time
from anki.collection import Collection
col = Collection(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


@pytest.fixture
def held(place: Place) -> Iterator[Place]:
    """The collection held open by another process, as Anki's desktop app holds it."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(place.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "open\n"
        yield place
    finally:
        process.kill()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
