"""Shared fixtures: note files in a temporary project, builds, the CLI, and a real Anki collection."""

from __future__ import annotations

import io
import os
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ankify.build.pipeline import BuildResult, build_paths
from ankify.cli import main
from ankify.config import Config, load_config
from ankify.identity import make_notes
from ankify.model import Note, PageLabels, Source
from ankify.render import render_cards
from ankify.sources.markdown import read_markdown
from ankify.sources.pdf.drafts import read_pdf
from ankify.stamps import NoteRecord
from ankify.validate import validate_source

#: A fixed "now" for builds (2025-01-06 08:00 UTC), before any edit a test makes in Anki
#: (Anki stamps those with the real clock); tests move it forward explicitly.
NOW = 1736150400.0
DAY = 86400.0


class Terminal(io.StringIO):
    """Output that says it is a terminal, where a progress bar draws itself."""

    def isatty(self) -> bool:
        return True


@dataclass
class Project:
    """A folder of note files, built into `decks/` beside them."""

    root: Path

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    @property
    def decks(self) -> Path:
        return self.root / "decks"

    def build(self, *names: str, now: float = NOW, **options: Any) -> tuple[BuildResult, ...]:
        paths = [self.root / name for name in names] or [self.root / "notes"]
        return build_paths(paths, self.decks, now=now, **options)

    def notes(
        self, name: str, text: str | None = None, previous: Sequence[NoteRecord] = ()
    ) -> tuple[Note, ...]:
        """The notes of one note file (written first when `text` is given), through the stages
        a build runs, with `previous` as what the last build remembered (no cache, no state)."""
        path = self.write(name, text) if text is not None else self.root / name
        config = load_config(path)
        return _notes(read_markdown(path, config), config, previous)

    def run(self, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
        """The command line, run in the project's folder (or in `cwd`)."""
        here = os.getcwd()
        os.chdir(cwd or self.root)
        try:
            return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
        finally:
            os.chdir(here)


def pdf_notes(pdf: Path, pages: str, **options: Any) -> tuple[Source, tuple[Note, ...]]:
    """A PDF range's source and notes, through the stages a build runs."""
    config = load_config(pdf)
    source = read_pdf(pdf, config, pages=PageLabels.parse(pages), **options)
    return source, _notes(source, config)


def _notes(source: Source, config: Config, previous: Sequence[NoteRecord] = ()) -> tuple[Note, ...]:
    validate_source(source, config)
    return make_notes(render_cards(source, config), previous)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    root.mkdir()
    (root / ".git").mkdir()  # marks the project root, as a real clone would
    return Project(root)


@dataclass(frozen=True)
class ImportLog:
    new: int
    updated: int
    duplicate: int
    raw: Any


class Anki:
    """A real Anki collection (the `anki` package), and what it sees of imported decks."""

    def __init__(self, folder: Path) -> None:
        from anki.collection import Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.col = Collection(str(folder / "collection.anki2"))

    def import_apkg(self, path: Path) -> ImportLog:
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        response = self.col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
        )
        log = response.log
        return ImportLog(len(log.new), len(log.updated), len(log.duplicate), log)

    def deck_cards(self) -> dict[str, int]:
        """Cards per deck that holds any."""
        counts = {}
        for deck in self.col.decks.all_names_and_ids():
            n = self.col.decks.card_count(deck.id, include_subdecks=False)
            if n:
                counts[deck.name] = n
        return counts

    def notes(self) -> list[Any]:
        return [self.col.get_note(nid) for nid in sorted(self.col.find_notes(""))]

    def note_by_field(self, text: str) -> Any:
        matches = [n for n in self.notes() if any(text in field for field in n.fields)]
        assert len(matches) == 1, f"{len(matches)} notes contain {text!r}"
        return matches[0]

    def review(self, card_id: int) -> None:
        """Answer a card "Good", as a learner would: it gets a review history."""
        from anki.scheduler.v3 import CardAnswer

        card = self.col.get_card(card_id)
        card.start_timer()
        states = self.col._backend.get_scheduling_states(card.id)
        answer = self.col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
        self.col.sched.answer_card(answer)

    def revlog(self, card_id: int) -> int:
        return int(self.col.db.scalar("select count() from revlog where cid = ?", card_id))

    def media_files(self) -> list[str]:
        return sorted(p.name for p in Path(self.col.media.dir()).iterdir())

    def close(self) -> None:
        self.col.close()


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[Anki]:
    collection = Anki(tmp_path / "anki")
    yield collection
    collection.close()
