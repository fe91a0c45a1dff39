"""The build pipeline: sources -> (read, check, render; cached) -> identity -> stamp -> export.

Every source is read, checked and rendered before anything is written, so bad input anywhere
leaves every previous package in place. Rendering comes before identity because a card's
fields never depend on its GUID: a source's rendered cards are cached by content
(`cache.py`), and a package whose cards and note types are unchanged is not written again.
Sources to read are spread over the machine's cores (`parallel.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Entry, SourceCache, cache_key, file_digest
from .config import Config, load_config, source_key
from .errors import AnkifyError, BuildErrors, ConfigError
from .model import DeckKind, Note, Stamp
from .progress import Progress, page_callback
from .state import (
    Built,
    IdAllocator,
    load_state,
    records_for,
    records_of,
    save_state,
    stamp_notes,
    templates_stamp,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

PDF_SUFFIX = ".pdf"
NOTE_SUFFIXES = (".md", ".markdown")


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
        if options and not (path.is_file() and _is_pdf(path)):
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
        elif _is_pdf(path):
            from .sources.pdf import pages_slug

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


def _is_pdf(path: Path) -> bool:
    return path.suffix.lower() == PDF_SUFFIX


MATH_MODES = ("mathjax", "svg")


def build_paths(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    now: float,
    math: str = "mathjax",
    pdf: PdfOptions | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> tuple[BuildResult, ...]:
    """Build every note file under `paths` into `out_dir`; `now` stamps notes that changed.

    `math` is "mathjax" (LaTeX for Anki's MathJax) or "svg" (formulas rendered to images).
    PDFs among `paths` are read on the pages of `pdf` (their highlights become cards).
    `jobs` caps the processes that read sources (None: as many as pay off, 1: this one).
    """
    progress = progress or Progress()
    try:
        with _Pool(jobs) as pool:
            return _build(paths, out_dir, now, math, pdf, pool, progress)
    finally:
        progress.finish()


@dataclass(frozen=True, slots=True)
class _Task:
    """One source to read: its job, its project's settings and the math mode."""

    job: _Job
    config: Config
    math: str


@dataclass
class _Pool:
    """Worker processes, started the first time enough work asks for them."""

    jobs: int | None
    _executor: Executor | None = field(default=None, init=False)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def executor(self, tasks: int, size: int) -> Executor | None:
        from .parallel import executor, worker_count

        workers = worker_count(self.jobs, tasks, size)
        if workers < 2:
            return None
        if self._executor is None:
            self._executor = executor(workers)
        return self._executor


def _build(
    paths: Sequence[Path],
    out_dir: Path,
    now: float,
    math: str,
    pdf: PdfOptions | None,
    pool: _Pool,
    progress: Progress,
) -> tuple[BuildResult, ...]:
    jobs = find_sources(paths, out_dir, pdf)
    state = load_state(out_dir)
    tasks, errors = _tasks(jobs, math)
    entries = _read_sources(tasks, pool, progress, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else BuildErrors(tuple(errors))

    from .notetypes import templates_hash

    templates_mod = templates_stamp(state, templates_hash(), now)
    ids = IdAllocator(state, now)
    results: list[BuildResult | None] = []
    writes: list[_Write] = []
    for task, entry in zip(tasks, entries, strict=True):
        assert entry is not None
        job = task.job
        key = _state_key(task)
        made_from = f"{entry.key}:{entry.digest}:{templates_mod}"
        built = state.built.get(key)
        if built is not None and _up_to_date(built, made_from, _output_name(job)):
            results.append(BuildResult(job.path, job.output, built.decks, written=False))
            continue
        rendered = entry.rendered(job.path)
        if not rendered.cards:
            results.append(BuildResult(job.path, None, ()))
            continue
        from .cards import make_notes

        previous = records_of(state, key)
        notes = make_notes(rendered, previous)
        stamps = stamp_notes(notes, previous, ids, now)
        state.update(key, records_for(notes, stamps))
        writes.append(_Write(len(results), job, key, made_from, notes, stamps, entry))
        results.append(None)

    if writes:
        packages = _write_packages(writes, templates_mod, pool, progress)
        for write, package in zip(writes, packages, strict=True):
            decks = _deck_counts(write.notes)
            output = _output_name(write.job)
            state.built[write.key] = Built(write.made_from, package, output, decks)
            results[write.index] = BuildResult(write.job.path, write.job.output, decks)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_state(out_dir, state)
    return tuple(result for result in results if result is not None)


def _state_key(task: _Task) -> str:
    """The name of a source in the build state (a PDF's is per page range)."""
    key = source_key(task.job.path, task.config.root)
    if task.job.pdf is not None:
        from .sources.pdf import pages_slug

        key += f"#p{pages_slug(task.job.pdf.pages or '')}"
    return key


def _output_name(job: _Job) -> str:
    """The package's path as the state keeps it: the same from any working directory."""
    return str(job.output.absolute())


def _up_to_date(built: Built, made_from: str, output: str) -> bool:
    if built.input != made_from or built.output != output:
        return False
    try:
        return file_digest(Path(output)) == built.package
    except OSError:
        return False


def _tasks(jobs: Sequence[_Job], math: str) -> tuple[list[_Task], list[AnkifyError]]:
    configs: dict[Path, Config] = {}
    tasks: list[_Task] = []
    errors: list[AnkifyError] = []
    for job in jobs:
        folder = job.path.resolve().parent
        try:
            if folder not in configs:
                configs[folder] = load_config(job.path)
            tasks.append(_Task(job, configs[folder], math))
        except AnkifyError as error:
            errors.append(error)
    return tasks, errors


# -- reading sources (in this process, or spread over worker processes) ----------------------


def _read_sources(
    tasks: Sequence[_Task], pool: _Pool, progress: Progress, errors: list[AnkifyError]
) -> list[Entry | None]:
    """Each task's rendered source, from the cache or read afresh; errors are collected."""
    entries: list[Entry | None] = [None] * len(tasks)
    misses: list[tuple[int, str, bytes | None]] = []
    for index, task in enumerate(tasks):
        try:
            key, data = _cache_key(task)
        except AnkifyError as error:
            errors.append(error)
            continue
        entry = SourceCache(_cache_folder(task)).load(key)
        if entry is None:
            misses.append((index, key, data))
        else:
            entries[index] = entry
    if not misses:
        return entries
    progress.stage("Reading sources", len(misses))
    size = sum(len(data) if data is not None else 0 for _, _, data in misses)
    workers = pool.executor(len(misses), size)
    if workers is None:
        for index, key, data in misses:
            # A PDF read alone (it can be a whole book) shows its pages as they are read.
            alone = len(misses) == 1 and tasks[index].job.pdf is not None
            on_page = (
                page_callback(progress, f"Reading {tasks[index].job.path.name}") if alone else None
            )
            try:
                entries[index] = read_source(tasks[index], key, data, on_page)
            except AnkifyError as error:
                errors.append(error)
            progress.advance()
        return entries
    from concurrent.futures import BrokenExecutor, as_completed

    futures: dict[Future[Entry], int] = {
        workers.submit(read_source, tasks[index], key, data): index for index, key, data in misses
    }
    failed: dict[int, AnkifyError] = {}
    for future in as_completed(futures):
        index = futures[future]
        try:
            entries[index] = future.result()
        except AnkifyError as error:
            failed[index] = error
        except BrokenExecutor:
            failed[index] = _worker_died(tasks[index].job.path)
        progress.advance()
    errors.extend(failed[index] for index in sorted(failed))  # in the order of the sources
    return entries


def _worker_died(path: Path) -> AnkifyError:
    return AnkifyError(
        f"{path}: the process working on it stopped unexpectedly: build again with --jobs 1 "
        "to see why"
    )


def _cache_folder(task: _Task) -> Path:
    return task.config.root / ".ankify" / "cache"


def _cache_key(task: _Task) -> tuple[str, bytes | None]:
    """The cache key of a task's source, and the bytes of a markdown source (read once)."""
    job, config = task.job, task.config
    # The name as given too: a symlinked note takes its label and default deck from it.
    common = (source_key(job.path, config.root), job.path.name, repr(config), task.math)
    if job.pdf is None:
        data = job.path.read_bytes()
        return cache_key("markdown", *common, data), data
    pdf = job.pdf
    options = repr((pdf.pages, pdf.deck, pdf.offset, pdf.password))
    return cache_key("pdf", *common, options, file_digest(job.path)), None


def read_source(
    task: _Task, key: str, data: bytes | None, on_page: Callable[[int, int], None] | None = None
) -> Entry:
    """Read, check and render one source, and keep the result in the cache under `key`.

    `on_page(done, total)` follows the pages of a PDF.
    """
    from .cards import check_duplicates
    from .mathcheck import validate_source
    from .render import render_cards
    from .sources.markdown import read_markdown

    job, config = task.job, task.config
    if job.pdf is not None:
        from .sources.pdf import read_pdf

        source = read_pdf(
            job.path,
            config,
            pages=job.pdf.pages or "",
            deck=job.pdf.deck,
            offset=job.pdf.offset,
            password=job.pdf.password,
            on_page=on_page,
        )
    else:
        source = read_markdown(job.path, config, data)
    validate_source(source, config.macros)
    check_duplicates(source.drafts)
    svg = None
    if task.math == "svg":
        from .mathsvg import render_source

        macros = (*source.front_matter.macros, *config.macros)
        svg = render_source(source, macros, _cache_folder(task))
    rendered = render_cards(source, config, svg=svg)
    return SourceCache(_cache_folder(task)).store(key, rendered)


# -- writing packages ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Write:
    """A package to write: where its result goes, and its notes with their stamps."""

    index: int
    job: _Job
    key: str
    made_from: str
    notes: tuple[Note, ...]
    stamps: tuple[Stamp, ...]
    entry: Entry


def _write_packages(
    writes: Sequence[_Write], templates_mod: int, pool: _Pool, progress: Progress
) -> list[str]:
    """Write each package (in worker processes when there are many); their SHA-256s in order."""
    progress.stage("Writing decks", len(writes))
    size = sum(len(write.entry.body) for write in writes)
    workers = pool.executor(len(writes), size)
    if workers is None:
        from .export import write_apkg

        packages = []
        for write in writes:
            write.job.output.parent.mkdir(parents=True, exist_ok=True)
            packages.append(
                write_apkg(write.job.output, write.notes, write.stamps, templates_mod=templates_mod)
            )
            progress.advance()
        return packages
    from concurrent.futures import BrokenExecutor, as_completed

    futures: dict[Future[str], _Write] = {}
    for write in writes:
        write.job.output.parent.mkdir(parents=True, exist_ok=True)
        guids = [note.guid for note in write.notes]
        arguments = (write.job, write.entry, guids, write.stamps, templates_mod)
        futures[workers.submit(_write_in_worker, *arguments)] = write
    done: dict[int, str] = {}
    for future in as_completed(futures):
        try:
            done[futures[future].index] = future.result()
        except BrokenExecutor:
            raise _worker_died(futures[future].job.output) from None
        progress.advance()
    return [done[write.index] for write in writes]


def _write_in_worker(
    job: _Job, entry: Entry, guids: Sequence[str], stamps: Sequence[Stamp], templates_mod: int
) -> str:
    """Write one package in a worker: its notes travel as the cached cards and their GUIDs."""
    from .export import write_apkg

    rendered = entry.rendered(job.path)
    notes = tuple(Note(card, guid) for card, guid in zip(rendered.cards, guids, strict=True))
    return write_apkg(job.output, notes, stamps, templates_mod=templates_mod)


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
