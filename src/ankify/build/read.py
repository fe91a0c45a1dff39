"""Reading a build's sources: each read, checked and rendered once (in worker processes when
that pays), or taken from the cache when its bytes and settings are unchanged (`cache.py`)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, load_config
from ..errors import AnkifyError, raise_all
from ..model import MathMode
from ..progress import PageCallback, Progress, page_callback
from ..sources.frontmatter import check_note_size
from ..workspace import file_digest, range_key, source_key
from .cache import Entry, SourceCache, cache_key
from .jobs import Job
from .pool import Pool


@dataclass(frozen=True, slots=True)
class ReadTask:
    """One source to read: its job, its project's settings and the math mode, the key of its
    cache entry and, for a markdown note, its bytes (read once, for the key).

    A task for `context` reads a source of the project that the build was not asked for: its
    cards tell which notes are still its own (`project.py`); it writes nothing, and a problem
    in it is not the build's.
    """

    job: Job
    config: Config
    math: MathMode
    key: str
    data: bytes | None
    context: bool = False


def read_tasks(jobs: Sequence[Job], math: MathMode) -> tuple[list[ReadTask], list[AnkifyError]]:
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
            key, data = cache_key_of(job, config, math)
            tasks.append(ReadTask(job, config, math, key, data))
        except AnkifyError as error:
            errors.append(error)
    return tasks, errors


def cache_key_of(job: Job, config: Config, math: MathMode) -> tuple[str, bytes | None]:
    """The cache key of a job's source, and the bytes of a markdown source (read once)."""
    # The name as given too: a symlinked note takes its label and default deck from it.
    common = (source_key(job.path, config.root), job.path.name, repr(config), math.value)
    if job.pdf is None:
        check_note_size(job.path, job.path.stat().st_size)  # before reading it all
        data = job.path.read_bytes()
        return cache_key("markdown", *common, data), data
    pdf = job.pdf
    options = repr((pdf.pages, pdf.deck, pdf.offset, pdf.password))
    return cache_key("pdf", *common, options, file_digest(job.path)), None


def state_key(task: ReadTask) -> str:
    """The name of a source in the build state (a PDF's is per page range): `Source.key`,
    known before the source is read."""
    job = task.job
    if job.pdf is not None and job.pdf.pages is not None:
        return range_key(job.path, task.config.root, job.pdf.pages.slug)
    return source_key(job.path, task.config.root)


def entries(
    tasks: Sequence[ReadTask],
    pool: Pool,
    progress: Progress,
    errors: list[AnkifyError],
    context_errors: dict[int, AnkifyError] | None = None,
) -> list[Entry | None]:
    """Each task's rendered source, from the cache or read afresh; every error (these and
    `errors`, the jobs' own) is raised, but a context task's: its entry is None, and its error
    goes to `context_errors` (by the task's id)."""
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
    failed = [
        error
        for task, error in zip(misses, read, strict=True)
        if isinstance(error, AnkifyError) and not task.context
    ]
    raise_all(errors + failed)
    if context_errors is not None:
        for task, outcome in zip(misses, read, strict=True):
            if isinstance(outcome, AnkifyError):
                context_errors[id(task)] = outcome
    fresh = iter([entry if isinstance(entry, Entry) else None for entry in read])
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
