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
from .sources.pdf import is_pdf, pages_slug, read_pdf
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
class PdfOptions:
    """How to read the PDFs of a build: the page range, and the deck, offset and password."""

    pages: str | None = None
    deck: str | None = None
    offset: int | None = None
    password: str | None = None

    def given(self) -> str:
        """The options set that only a PDF takes (`--pages, --deck`), or "".

        Not the password: it may come from the environment, and is harmless for notes.
        """
        names = ("pages", "deck", "offset")
        return ", ".join(f"--{name}" for name in names if getattr(self, name) is not None)


@dataclass(frozen=True, slots=True)
class _Job:
    path: Path
    output: Path
    pdf: PdfOptions | None = None


def find_sources(
    paths: Sequence[Path], out_dir: Path, pdf: PdfOptions | None = None
) -> tuple[_Job, ...]:
    """The note files named by `paths` (folders are searched for .md files) and their outputs.

    A PDF needs `pdf.pages` and gives `<stem>-p<pages>.apkg`; the PDF options are refused for
    markdown notes, whose pages and deck are in their front matter.
    """
    jobs: list[_Job] = []
    options = pdf.given() if pdf is not None else ""
    for path in paths:
        if not path.exists():
            raise ConfigError(f"{path}: no such file or folder: check the path")
        if options and not (path.is_file() and is_pdf(path)):
            what = "a folder" if path.is_dir() else "a markdown note"
            raise ConfigError(
                f"{path}: {options} {'is' if ',' not in options else 'are'} for a PDF, and this "
                f"is {what}: build PDFs on their own (a note's pages go in its front matter)"
            )
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
        elif is_pdf(path):
            if pdf is None or pdf.pages is None:
                raise ConfigError(
                    f"{path}: a PDF is built a range of pages at a time: add --pages, "
                    "e.g. --pages 53-60"
                )
            output = out_dir / f"{path.stem}-p{pages_slug(pdf.pages)}.apkg"
            jobs.append(_Job(path, output, pdf))
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
    paths: Sequence[Path],
    out_dir: Path,
    *,
    now: float,
    math: str = "mathjax",
    pdf: PdfOptions | None = None,
) -> tuple[BuildResult, ...]:
    """Build every note file under `paths` into `out_dir`; `now` stamps notes that changed.

    `math` is "mathjax" (LaTeX for Anki's MathJax) or "svg" (formulas rendered to images).
    PDFs among `paths` are read on the pages of `pdf` (their highlights become cards).
    """
    jobs = find_sources(paths, out_dir, pdf)
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
            if job.pdf is not None:
                source = read_pdf(
                    job.path,
                    config,
                    pages=job.pdf.pages or "",
                    deck=job.pdf.deck,
                    offset=job.pdf.offset,
                    password=job.pdf.password,
                )
            else:
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
