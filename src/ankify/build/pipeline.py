"""The build pipeline: sources -> (read, check, render; cached) -> identity -> stamp -> export.

Every source is read, checked and rendered before anything is written, so bad input anywhere
leaves every previous package in place. Rendering comes before identity because a card's
fields never depend on its GUID: a source's rendered cards are cached by content
(`cache.py`), and a package whose cards and note types are unchanged is not written again.
Identity is decided for each project as a whole (`project.py`), and what a build keeps (the
state, the cache, the default `decks/`) lives at the project's root, however the build is run.
Reading and writing are spread over the machine's cores when that pays (`pool.py`). Every
package is written beside its place first, and the packages and the state are renamed into
place together, or none of them is (`workspace.replace_all`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import AnkifyError, ConfigError, raise_all
from ..identity import identity
from ..model import DeckKind, MathMode, Note, RenderedSource, SourceSpan
from ..progress import Progress
from ..stamps import IdAllocator, records_for, stamp_notes, templates_stamp
from ..workspace import (
    Staged,
    discard,
    file_digest,
    file_in_the_way,
    note_files,
    remove_stale_temporaries,
    replace_all,
    shown,
    source_key,
    stage,
)
from .cache import Entry
from .jobs import Job, PdfOptions, find_jobs
from .pool import Pool
from .project import Matched, context_keys, match_project
from .read import ReadTask, cache_key_of, entries, read_source, read_tasks, state_key
from .state import STATE_NAME, BuildState, Built, find_state
from .write import WriteTask, write_package

Notify = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What one source gave: the package written and its cards per deck."""

    source: Path
    output: Path | None
    decks: tuple[tuple[str, int], ...]  # (deck name, number of Anki cards)
    written: bool = True  # False: the package was already up to date

    def summary(self) -> str:
        """One line: the package written (from the current folder) and its cards per deck."""
        if self.output is None:
            return f"{shown(self.source)}: no cards, nothing written"
        counts = ", ".join(_cards(n, deck) for deck, n in self.decks)
        return f"{shown(self.output)}: {counts}" + ("" if self.written else " (up to date)")


def build_paths(
    paths: Sequence[Path],
    out_dir: Path | None,
    *,
    now: float,
    math: MathMode = MathMode.MATHJAX,
    pdf: PdfOptions | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    notify: Notify | None = None,
) -> tuple[BuildResult, ...]:
    """Build every note file under `paths` into `out_dir` (None: `decks/` at each source's
    project root); `now` stamps notes that changed.

    PDFs among `paths` are read on the pages of `pdf` (their highlights become cards).
    `jobs` caps the processes that read and write (None: as many as pay off, 1: this one).
    `notify` is told, a line each, what the user should know and do (notes whose deck
    changed, a state started).
    """
    if out_dir is not None and (blocking := file_in_the_way(out_dir)) is not None:
        raise ConfigError(
            "is a file, not a folder: choose a folder for the packages",
            span=SourceSpan(blocking),
            option="output",
        )
    progress = progress or Progress()
    try:
        with Pool(jobs) as pool:
            build = _Build(now, math, pool, progress, notify or (lambda line: None))
            return build.run(find_jobs(paths, out_dir, pdf))
    finally:
        progress.finish()


@dataclass
class _Project:
    """One project's part of a build: its state, the sources asked for and the other sources
    read for context (None: they could not be read)."""

    root: Path
    state: BuildState
    tasks: list[tuple[ReadTask, Entry]]
    context: list[tuple[ReadTask, Entry | None]]


class _Build:
    def __init__(
        self, now: float, math: MathMode, pool: Pool, progress: Progress, notify: Notify
    ) -> None:
        self.now = now
        self.math = math
        self.pool = pool
        self.progress = progress
        self.notify = notify
        #: Why a source read for context could not be read, by its task's id.
        self.context_errors: dict[int, AnkifyError] = {}

    def run(self, jobs: Sequence[Job]) -> tuple[BuildResult, ...]:
        tasks, errors = read_tasks(jobs, self.math)
        roots: dict[Path, list[ReadTask]] = {}
        for task in tasks:
            roots.setdefault(task.config.root, []).append(task)
        for folder in {task.job.output.parent for task in tasks} | set(roots):
            remove_stale_temporaries(folder)  # what builds killed before renaming them left
        states = {root: self.state(root, group) for root, group in roots.items()}
        context = [c for root, group in roots.items() for c in self.context(root, group, states)]
        read = entries([*tasks, *context], self.pool, self.progress, errors, self.context_errors)
        found = dict(zip([id(t) for t in [*tasks, *context]], read, strict=True))
        projects = [
            _Project(
                root,
                states[root],
                [(task, _present(found[id(task)])) for task in group],
                [(task, found[id(task)]) for task in context if task.config.root == root],
            )
            for root, group in roots.items()
        ]
        results: dict[int, BuildResult] = {}
        writes: list[tuple[_Project, str, WriteTask, Built]] = []
        for project in projects:
            self.plan(project, results, writes)
        staged = self.write(writes)
        try:
            for project in projects:
                staged.extend(_state(project))
        except BaseException:
            discard(staged)
            raise
        replace_all(staged)  # the packages, then the states: all of them or none
        return tuple(results[id(task)] for task in tasks)

    def state(self, root: Path, tasks: Sequence[ReadTask]) -> BuildState:
        """The project's state (taken over from earlier states, when it has none yet)."""
        new = not (root / STATE_NAME).exists()
        folders = {task.job.output.parent for task in tasks}
        folders |= {task.job.path.parent for task in tasks}
        state = find_state(root, folders)
        if new:
            taken = ", with the notes an earlier build kept below it" if state.sources() else ""
            self.notify(
                f"{shown(root / STATE_NAME)}: started the project's state{taken}; commit it "
                "with your notes, so that a clone elsewhere keeps every note in Anki"
            )
        return state

    def context(
        self, root: Path, tasks: Sequence[ReadTask], states: dict[Path, BuildState]
    ) -> list[ReadTask]:
        """Read-only tasks for the project's other sources that changed since their build."""
        state = states[root]
        asked = {state_key(task) for task in tasks}
        config = tasks[0].config
        found = []
        keys = context_keys(root, state, asked)
        out = root / "decks"
        if not state.sources():  # a lost state: notes with a package may hold what moved
            out = tasks[0].job.output.parent  # where the packages to recover from are
            keys = [
                key
                for key in (source_key(path, root) for path in note_files(root))
                if key not in asked and (out / f"{Path(key).stem}.apkg").is_file()
            ]
        for key in keys:
            job = Job(root / key, out / f"{Path(key).stem}.apkg")
            try:
                cache, data = cache_key_of(job, config, self.math)
            except OSError:
                continue
            built = state.built.get(key)
            if built is not None and built.input.split(":", 1)[0] == cache:
                continue  # unchanged since its build: its notes are all still its own
            found.append(ReadTask(job, config, self.math, cache, data, context=True))
        return found

    def plan(
        self,
        project: _Project,
        results: dict[int, BuildResult],
        writes: list[tuple[_Project, str, WriteTask, Built]],
    ) -> None:
        """Match the project's changed sources, stamp their notes, and plan their packages."""
        from ..notetypes import templates_hash

        state = project.state
        state.templates = templates_stamp(state.templates, templates_hash(), self.now)
        mod = state.templates[1]
        matched: list[Matched] = []
        pending: list[tuple[ReadTask, Entry, str]] = []
        for task, entry in project.tasks:
            key, job = state_key(task), task.job
            made_from = f"{entry.key}:{entry.digest}:{mod}"
            built = state.built.get(key)
            if built is not None and _up_to_date(built, made_from, _output_name(job)):
                results[id(task)] = BuildResult(job.path, job.output, built.decks, written=False)
                continue
            rendered, entry = _rendered(task, entry)
            matched.append(Matched(key, rendered, job.output))
            pending.append((task, entry, f"{entry.key}:{entry.digest}:{mod}"))
        for task, context_entry in project.context:
            if context_entry is not None:
                rendered, _ = _rendered(task, context_entry)
                package = task.job.output if task.job.output.is_file() else None
                matched.append(Matched(rendered.key, rendered, package))
        if not matched:
            return
        labels = {state_key(task): str(task.job.path) for task, _ in project.tasks}
        found = match_project(project.root, state, matched, labels)
        for task, context_entry in project.context:
            if context_entry is None and id(task) in self.context_errors:
                _moved_out_of(task, state, found.notes, self.context_errors[id(task)])
        for line in found.notices:
            self.notify(line)
        ids = IdAllocator(state.next_id, self.now)
        for task, entry, made_from in pending:
            key, job = state_key(task), task.job
            notes = found.notes[key]
            if not notes:
                state.update(key, ())
                results[id(task)] = BuildResult(job.path, None, ())
                continue
            stamps = stamp_notes(notes, found.previous, ids, self.now)
            state.update(key, records_for(notes, stamps))
            decks = _deck_counts(notes)
            write = WriteTask(job.path, job.output, entry, notes, stamps, mod, os.getpid())
            writes.append((project, key, write, Built(made_from, "", _output_name(job), decks)))
            results[id(task)] = BuildResult(job.path, job.output, decks)
        for key, guids in found.taken_from_gone.items():
            state.forget(key, guids)
        state.next_id = ids.next_id

    def write(self, writes: Sequence[tuple[_Project, str, WriteTask, Built]]) -> list[Staged]:
        """Write every package beside its place, for `run` to rename them all; none is left
        when one fails."""
        if not writes:
            return []
        size = sum(len(write.entry.body) for _, _, write, _ in writes)
        packages = self.pool.map(
            write_package,
            [write for _, _, write, _ in writes],
            size=size,
            progress=self.progress,
            label="Writing decks",
            place=lambda write: write.output,
        )
        staged = [package[0] for package in packages if not isinstance(package, AnkifyError)]
        errors = [error for error in packages if isinstance(error, AnkifyError)]
        if errors:
            discard(staged)
            raise_all(errors)
        for (project, key, _, built), package in zip(writes, packages, strict=True):
            assert not isinstance(package, AnkifyError)
            digest = package[1]
            project.state.built[key] = Built(built.input, digest, built.output, built.decks)
        return staged


def _state(project: _Project) -> list[Staged]:
    """The project's state written beside its file, for `run` to rename after the packages;
    nothing when it is unchanged."""
    path = project.root / STATE_NAME
    data = project.state.to_text().encode("utf-8")
    try:
        if path.read_bytes() == data:
            return []
    except OSError:
        pass
    return [stage(path, data)]


def _moved_out_of(
    task: ReadTask, state: BuildState, notes: Mapping[str, Sequence[Note]], error: AnkifyError
) -> None:
    """Stop the build when a card built now may have moved out of a changed source that cannot
    be read (`error`): whether it moved, or is a copy, decides which note keeps the history."""
    previous = {(r.kind, identity(r)): r.guid for r in state.records(state_key(task))}
    for source_notes in notes.values():
        for note in source_notes:
            guid = previous.get((note.kind, identity(note.rendered)))
            if guid is not None and guid != note.guid:
                span = note.rendered.span
                raise AnkifyError(
                    f"{error.message} (it was read because the card {span.position} of "
                    f"{shown(span.path)} was in it at its last build: fix it, so that ankify "
                    "can tell whether the card moved)",
                    span=error.span,
                )


def _present(entry: Entry | None) -> Entry:
    assert entry is not None  # a task the build was asked for: its errors were raised
    return entry


def _rendered(task: ReadTask, entry: Entry) -> tuple[RenderedSource, Entry]:
    """An entry's cards; an entry whose checksum holds but whose cards do not (or are another
    source's) is a miss: the source is read again, and its entry written anew."""
    try:
        rendered = entry.rendered(task.job.path)
        if rendered.key == state_key(task):
            return rendered, entry
    except ValueError:
        pass
    entry = read_source(task)
    return entry.rendered(task.job.path), entry


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
