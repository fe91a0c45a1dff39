"""The build pipeline: sources -> (read, check, render; cached) -> identity -> stamp -> export.

Every source is read, checked and rendered before anything is written, so bad input anywhere
leaves every previous package in place. Rendering comes before identity because a card's
fields never depend on its GUID: a source's rendered cards are cached by content
(`cache.py`), and a package whose cards and note types are unchanged is not written again.
Reading and writing are spread over the machine's cores when that pays (`pool.py`).
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, load_config
from ..errors import AnkifyError, raise_all
from ..model import DeckKind, MathMode, Note
from ..progress import PageCallback, Progress, page_callback
from ..stamps import IdAllocator, Stamp, records_for, stamp_notes, templates_stamp
from ..workspace import file_digest, range_key, source_key
from .cache import Entry, SourceCache, cache_key
from .jobs import Job, PdfOptions, find_jobs
from .pool import Pool
from .state import Built, load_state, save_state


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What one source gave: the package written and its cards per deck."""

    source: Path
    output: Path | None
    decks: tuple[tuple[str, int], ...]  # (deck name, number of Anki cards)
    written: bool = True  # False: the package was already up to date

    def summary(self) -> str:
        if self.output is None:
            return f"{self.source}: no cards, nothing written"
        counts = ", ".join(_cards(n, deck) for deck, n in self.decks)
        return f"{self.output}: {counts}" + ("" if self.written else " (up to date)")


def build_paths(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    now: float,
    math: MathMode = MathMode.MATHJAX,
    pdf: PdfOptions | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> tuple[BuildResult, ...]:
    """Build every note file under `paths` into `out_dir`; `now` stamps notes that changed.

    PDFs among `paths` are read on the pages of `pdf` (their highlights become cards).
    `jobs` caps the processes that read and write (None: as many as pay off, 1: this one).
    """
    progress = progress or Progress()
    try:
        with Pool(jobs) as pool:
            return _build(find_jobs(paths, out_dir, pdf), out_dir, now, math, pool, progress)
    finally:
        progress.finish()


@dataclass(frozen=True, slots=True)
class ReadTask:
    """One source to read: its job, its project's settings and the math mode, the key of its
    cache entry and, for a markdown note, its bytes (read once, for the key)."""

    job: Job
    config: Config
    math: MathMode
    key: str
    data: bytes | None


def _build(
    jobs: Sequence[Job], out_dir: Path, now: float, math: MathMode, pool: Pool, progress: Progress
) -> tuple[BuildResult, ...]:
    state = load_state(out_dir)
    tasks, errors = _tasks(jobs, math)
    entries = _entries(tasks, pool, progress, errors)

    from ..notetypes import templates_hash

    state.templates = templates_stamp(state.templates, templates_hash(), now)
    templates_mod = state.templates[1]
    ids = IdAllocator(state.next_id, now)
    results: list[BuildResult] = []
    writes: list[WriteTask] = []
    records: list[tuple[str, Built]] = []  # (state key, package written) for each write
    for task, entry in zip(tasks, entries, strict=True):
        job = task.job
        key = _state_key(task)
        made_from = f"{entry.key}:{entry.digest}:{templates_mod}"
        built = state.built.get(key)
        if built is not None and _up_to_date(built, made_from, _output_name(job)):
            results.append(BuildResult(job.path, job.output, built.decks, written=False))
            continue
        try:
            rendered = entry.rendered(job.path)
        except ValueError:  # an entry whose checksum holds but whose cards do not: read again
            entry = read_source(task)
            rendered = entry.rendered(job.path)
            made_from = f"{entry.key}:{entry.digest}:{templates_mod}"
        if not rendered.cards:
            results.append(BuildResult(job.path, None, ()))
            continue
        from ..identity import make_notes

        previous = state.records(key)
        notes = make_notes(rendered, previous)
        stamps = stamp_notes(notes, previous, ids, now)
        state.update(key, records_for(notes, stamps))
        decks = _deck_counts(notes)
        writes.append(WriteTask(job.path, job.output, entry, notes, stamps, templates_mod))
        records.append((key, Built(made_from, "", _output_name(job), decks)))
        results.append(BuildResult(job.path, job.output, decks))
    state.next_id = ids.next_id

    if writes:
        size = sum(len(write.entry.body) for write in writes)
        packages = pool.map(
            write_package,
            writes,
            size=size,
            progress=progress,
            label="Writing decks",
            place=lambda write: write.output,
        )
        raise_all([error for error in packages if isinstance(error, AnkifyError)])
        for (key, built), package in zip(records, packages, strict=True):
            state.built[key] = Built(built.input, str(package), built.output, built.decks)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_state(out_dir, state)
    return tuple(results)


def _tasks(jobs: Sequence[Job], math: MathMode) -> tuple[list[ReadTask], list[AnkifyError]]:
    """What each job reads, with its cache key; and the errors of the jobs that cannot be read
    (the others are still read, so that one build reports every problem)."""
    configs: dict[Path, Config] = {}
    tasks: list[ReadTask] = []
    errors: list[AnkifyError] = []
    for job in jobs:
        folder = job.path.resolve().parent
        try:
            if folder not in configs:
                configs[folder] = load_config(job.path)
            config = configs[folder]
            key, data = _cache_key(job, config, math)
            tasks.append(ReadTask(job, config, math, key, data))
        except AnkifyError as error:
            errors.append(error)
    return tasks, errors


def _cache_key(job: Job, config: Config, math: MathMode) -> tuple[str, bytes | None]:
    """The cache key of a job's source, and the bytes of a markdown source (read once)."""
    # The name as given too: a symlinked note takes its label and default deck from it.
    common = (source_key(job.path, config.root), job.path.name, repr(config), math.value)
    if job.pdf is None:
        data = job.path.read_bytes()
        return cache_key("markdown", *common, data), data
    pdf = job.pdf
    options = repr((pdf.pages, pdf.deck, pdf.offset, pdf.password))
    return cache_key("pdf", *common, options, file_digest(job.path)), None


def _state_key(task: ReadTask) -> str:
    """The name of a source in the build state (a PDF's is per page range): `Source.key`,
    known before the source is read."""
    job = task.job
    if job.pdf is not None and job.pdf.pages is not None:
        return range_key(job.path, task.config.root, job.pdf.pages.slug)
    return source_key(job.path, task.config.root)


def _output_name(job: Job) -> str:
    """The package's path as the state keeps it: the same from any working directory."""
    return str(job.output.absolute())


def _up_to_date(built: Built, made_from: str, output: str) -> bool:
    if built.input != made_from or built.output != output:
        return False
    try:
        return file_digest(Path(output)) == built.package
    except OSError:
        return False


# -- reading sources --------------------------------------------------------------------------


def _entries(
    tasks: Sequence[ReadTask], pool: Pool, progress: Progress, errors: list[AnkifyError]
) -> list[Entry]:
    """Each task's rendered source, from the cache or read afresh; every error (these and
    `errors`, the jobs' own) is raised."""
    found: list[Entry | None] = [SourceCache(t.config.workspace).load(t.key) for t in tasks]
    misses = [task for task, entry in zip(tasks, found, strict=True) if entry is None]
    read: list[Entry | AnkifyError] = []
    if len(misses) == 1 and misses[0].job.pdf is not None:
        # A PDF read alone (it can be a whole book) shows its pages as they are read.
        on_page = page_callback(progress, f"Reading {misses[0].job.path.name}")
        try:
            read.append(read_source(misses[0], on_page))
        except AnkifyError as error:
            read.append(error)
    elif misses:
        size = sum(len(task.data) if task.data is not None else 0 for task in misses)
        read = pool.map(
            read_source,
            misses,
            size=size,
            progress=progress,
            label="Reading sources",
            place=lambda task: task.job.path,
        )
    raise_all(errors + [error for error in read if isinstance(error, AnkifyError)])
    fresh = iter([entry for entry in read if isinstance(entry, Entry)])
    return [entry if entry is not None else next(fresh) for entry in found]


def read_source(task: ReadTask, on_page: PageCallback | None = None) -> Entry:
    """Read, check and render one source, and keep the result in the cache under its key.

    `on_page(done, total)` follows the pages of a PDF.
    """
    with _collector_paused():
        return _read_source(task, on_page)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a source makes a great many small objects that form no cycles (tokens): Python's
    cycle collector would walk all of them again and again as they pile up (40% of the time on
    a 2 MB note). It runs once, after."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read_source(task: ReadTask, on_page: PageCallback | None) -> Entry:
    from ..render import render_cards
    from ..sources.markdown import read_markdown
    from ..validate import validate_source

    job, config = task.job, task.config
    if job.pdf is not None and job.pdf.pages is not None:
        from ..sources.pdf.drafts import read_pdf

        source = read_pdf(
            job.path,
            config,
            pages=job.pdf.pages,
            deck=job.pdf.deck,
            offset=job.pdf.offset,
            password=job.pdf.password,
            on_page=on_page,
        )
    else:
        source = read_markdown(job.path, config, task.data)
    validate_source(source, config)
    svg = None
    if task.math is MathMode.SVG:
        from ..math.svg import render_source

        macros = (*source.front_matter.macros, *config.macros)
        svg = render_source(source, macros, config.workspace)
    rendered = render_cards(source, config, svg=svg)
    return SourceCache(config.workspace).store(task.key, rendered)


# -- writing packages ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WriteTask:
    """A package to write: its notes with their stamps.

    A worker process receives the notes as the cached cards and their GUIDs (bytes are quick to
    send; thousands of objects are not) and makes them again.
    """

    source: Path
    output: Path
    entry: Entry
    notes: tuple[Note, ...]
    stamps: tuple[Stamp, ...]
    templates_mod: int

    def __reduce__(self) -> tuple[object, ...]:
        guids = tuple(note.guid for note in self.notes)
        arguments = (self.source, self.output, self.entry, guids, self.stamps, self.templates_mod)
        return (_write_task, arguments)


def _write_task(
    source: Path,
    output: Path,
    entry: Entry,
    guids: tuple[str, ...],
    stamps: tuple[Stamp, ...],
    mod: int,
) -> WriteTask:
    rendered = entry.rendered(source)
    notes = tuple(Note(card, guid) for card, guid in zip(rendered.cards, guids, strict=True))
    return WriteTask(source, output, entry, notes, stamps, mod)


def write_package(write: WriteTask) -> str:
    """Write one package; the SHA-256 of its bytes."""
    from ..export import write_apkg

    write.output.parent.mkdir(parents=True, exist_ok=True)
    return write_apkg(write.output, write.notes, write.stamps, templates_mod=write.templates_mod)


# -- what a build says --------------------------------------------------------------------------


def _cards(count: int, deck: str | None = None) -> str:
    text = f"{count:,} card{'s' * (count != 1)}"
    return f"{deck} {text}" if deck else text


def summary(results: Sequence[BuildResult], seconds: float) -> str:
    """One line for the end of a build: sources, cards per top-level deck, time."""
    written = sum(result.written and result.output is not None for result in results)
    current = sum(not result.written for result in results)
    totals: Counter[str] = Counter()
    for result in results:
        for deck, count in result.decks:
            totals[deck.split("::")[0]] += count
    sources = f"{len(results)} source{'s' * (len(results) != 1)}"
    states = []
    if written:
        states.append(f"{written} written")
    if current:
        states.append(f"{current} up to date")
    decks = ", ".join(_cards(count, deck) for deck, count in totals.items()) or "no cards"
    return f"{sources} ({', '.join(states) or 'nothing written'}): {decks}, in {seconds:.2f} s"


def _deck_counts(notes: Sequence[Note]) -> tuple[tuple[str, int], ...]:
    """Anki cards per deck, "On the go" first."""
    counts: Counter[str] = Counter()
    kinds: dict[str, DeckKind] = {}
    for note in notes:
        counts[note.deck] += len(note.ords)
        kinds[note.deck] = note.kind.deck_kind
    order = list(DeckKind)
    return tuple(sorted(counts.items(), key=lambda item: (order.index(kinds[item[0]]), item[0])))
