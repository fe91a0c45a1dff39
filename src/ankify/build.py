"""The build pipeline: sources -> cards -> render -> stamp -> export.

Every source is read, validated and rendered before anything is written, so bad input
anywhere leaves every previous package in place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .cards import make_cards
from .config import Config, load_config
from .errors import AnkifyError, BuildErrors, ConfigError
from .mathcheck import validate_source
from .model import DeckKind, Note, Source
from .render import render_cards
from .sources.markdown import read_markdown
from .state import (
    IdAllocator,
    load_state,
    records_for,
    save_state,
    stamp_notes,
    templates_stamp,
)

NOTE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What one source gave: the package written and its cards per deck."""

    source: Path
    output: Path | None
    decks: tuple[tuple[str, int], ...]  # (deck name, number of Anki cards)

    def summary(self) -> str:
        if self.output is None:
            return f"{self.source}: no cards, nothing written"
        counts = ", ".join(f"{deck} {n} card{'s' * (n != 1)}" for deck, n in self.decks)
        return f"{self.output}: {counts}"


@dataclass(frozen=True, slots=True)
class _Job:
    path: Path
    output: Path


def find_sources(paths: Sequence[Path], out_dir: Path) -> tuple[_Job, ...]:
    """The note files named by `paths` (folders are searched for .md files) and their outputs."""
    jobs: list[_Job] = []
    for path in paths:
        if not path.exists():
            raise ConfigError(f"{path}: no such file or folder: check the path")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in NOTE_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise ConfigError(f"{path}: no .md note files in this folder")
            jobs += [_Job(p, out_dir / p.relative_to(path).with_suffix(".apkg")) for p in found]
        elif path.suffix in NOTE_SUFFIXES:
            jobs.append(_Job(path, out_dir / f"{path.stem}.apkg"))
        else:
            raise ConfigError(f"{path}: not a markdown note: ankify builds .md files")
    seen: dict[Path, Path] = {}
    for job in jobs:
        other = seen.setdefault(job.output.resolve(), job.path)
        if other.resolve() != job.path.resolve():
            raise ConfigError(
                f"{job.path} and {other} would both be written to {job.output}: "
                "rename one, or build them into different folders with -o"
            )
    unique = {job.path.resolve(): job for job in jobs}
    return tuple(unique.values())


MATH_MODES = ("mathjax", "svg")


def build_paths(
    paths: Sequence[Path], out_dir: Path, *, now: float, math: str = "mathjax"
) -> tuple[BuildResult, ...]:
    """Build every note file under `paths` into `out_dir`; `now` stamps notes that changed.

    `math` is "mathjax" (LaTeX for Anki's MathJax) or "svg" (formulas rendered to images).
    """
    jobs = find_sources(paths, out_dir)
    state = load_state(out_dir)
    configs: dict[Path, Config] = {}

    prepared: list[tuple[_Job, Source, tuple[Note, ...]]] = []
    errors: list[AnkifyError] = []
    for job in jobs:
        try:
            folder = job.path.resolve().parent
            if folder not in configs:
                configs[folder] = load_config(job.path)
            config = configs[folder]
            source = read_markdown(job.path, config)
            validate_source(source, config.macros)
            cards = make_cards(source, state.sources.get(source.key, ()))
            svg = None
            if math == "svg":
                from .mathsvg import render_source

                macros = (*source.front_matter.macros, *config.macros)
                svg = render_source(source, macros, config.root / ".ankify" / "cache")
            prepared.append((job, source, render_cards(source, cards, config, svg=svg)))
        except AnkifyError as error:
            errors.append(error)
    if errors:
        raise errors[0] if len(errors) == 1 else BuildErrors(tuple(errors))

    from .export import templates_hash, write_apkg  # genanki only when there is work to do

    ids = IdAllocator(state, now)
    templates_mod = templates_stamp(state, templates_hash(), now)
    results = []
    for job, source, notes in prepared:
        if not notes:
            results.append(BuildResult(job.path, None, ()))
            continue
        stamps = stamp_notes(notes, state.sources.get(source.key, ()), ids, now)
        job.output.parent.mkdir(parents=True, exist_ok=True)
        write_apkg(job.output, notes, stamps, templates_mod=templates_mod)
        state.sources[source.key] = records_for(notes, stamps)
        results.append(BuildResult(job.path, job.output, _deck_counts(notes)))
    out_dir.mkdir(parents=True, exist_ok=True)
    save_state(out_dir, state)
    return tuple(results)


def _deck_counts(notes: Sequence[Note]) -> tuple[tuple[str, int], ...]:
    """Anki cards per deck, "On the go" first."""
    counts: Counter[str] = Counter()
    kinds: dict[str, DeckKind] = {}
    for note in notes:
        counts[note.deck] += len(note.ords)
        kinds[note.deck] = note.kind.deck_kind
    order = list(DeckKind)
    return tuple(sorted(counts.items(), key=lambda item: (order.index(kinds[item[0]]), item[0])))
