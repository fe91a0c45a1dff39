"""A sync from start to end: build the sources as `ankify build` does (same pipeline, same
errors: a source that fails stops everything, before the collection is opened), read back the
notes of their packages, plan each project's changes against the collection, and apply them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..build.jobs import PdfOptions
from ..build.pipeline import BuildResult, Notify, build_paths
from ..build.state import STATE_NAME, load_state
from ..errors import AnkifyError
from ..model import MathMode, SourceSpan
from ..progress import Progress
from ..workspace import find_root, range_key, source_key, split_key
from .apply import apply_plan, read_existing, read_records, stale_note_types
from .collection import Place, open_collection
from .package import Package, read_package
from .plan import Plan, plan_sync


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What a sync did (or, dry, would do) to the collection at `collection`."""

    collection: Path
    builds: tuple[BuildResult, ...]
    plans: tuple[Plan, ...]
    dry_run: bool
    #: Notes suspended rather than deleted: the sync did not cover all of their project.
    withheld: int = 0


@dataclass(frozen=True, slots=True)
class _Project:
    root: Path
    id: str
    packages: tuple[Package, ...]
    asked: frozenset[str]  # the keys of the sources synced
    whole: bool  # whether they are all the project's sources
    folders: tuple[Path, ...]  # the folders synced: a source gone from one is removed
    alive: frozenset[str]  # the GUIDs of every note of the project's sources


def sync_paths(
    paths: Sequence[Path],
    place: Place,
    *,
    now: float,
    delete: bool = False,
    dry_run: bool = False,
    math: MathMode = MathMode.MATHJAX,
    jobs: int | None = None,
    pdf: PdfOptions | None = None,
    progress: Progress | None = None,
    notify: Notify | None = None,
    step: Callable[[str], None] | None = None,
) -> SyncResult:
    """Build `paths` and write their notes into the collection at `place` (nothing when
    `dry_run`): `step` is told each stage of the collection's transaction. PDFs among `paths`
    are read on the pages of `pdf`, as `build` reads them: a range is a source of its own, so
    syncing another range of the book removes nothing of this one."""
    said = notify or (lambda line: None)

    def told(line: str) -> None:
        if "Change Deck)" not in line:  # a build's advice to move cards: the sync moves them
            said(line)

    builds = build_paths(
        paths, None, now=now, math=math, pdf=pdf, jobs=jobs, progress=progress, notify=told
    )
    projects = _projects(paths, builds, pdf)
    col = open_collection(place.path)
    plans = []
    withheld = 0
    try:
        for project in projects:
            records = read_records(col, project.id)
            wanted = [note for package in project.packages for note in package.notes]
            existing = read_existing(col, {note.guid for note in wanted} | set(records))
            sources = {record.source for record in records.values()} - project.asked
            scope = project.asked | {
                source for source in sources if _gone(project.root, source, project.folders)
            }
            # A card moved into a source not synced now is not in the state yet: deleting it
            # would lose its history, so only a sync of the whole project deletes.
            plan = plan_sync(
                wanted,
                existing,
                records,
                alive=project.alive,
                scope=frozenset(scope),
                delete=delete and project.whole,
            )
            plan = replace(plan, notetypes=stale_note_types(col, project.packages))
            if delete and not project.whole:
                withheld += len(plan.remove)
            plans.append(plan)
            if not dry_run and (plan.changes or plan.records != records):
                apply_plan(
                    col,
                    plan,
                    project.packages,
                    project=project.id,
                    backups=place.backups,
                    step=step,
                )
    finally:
        col.close()
    return SyncResult(place.path, builds, tuple(plans), dry_run, withheld)


def _projects(
    paths: Sequence[Path], builds: Sequence[BuildResult], pdf: PdfOptions | None = None
) -> list[_Project]:
    grouped: dict[Path, list[BuildResult]] = {}
    for build in builds:
        grouped.setdefault(find_root(build.source), []).append(build)
    projects = []
    for root, group in grouped.items():
        state = load_state(root / STATE_NAME)
        if state is None:
            raise AnkifyError(
                "the build state cannot be read back: build again",
                span=SourceSpan(root / STATE_NAME),
            )
        packages = []
        asked = set()
        for build in group:
            key = source_key(build.source, root)
            if build.source.suffix.lower() == ".pdf" and pdf is not None and pdf.pages:
                key = range_key(build.source, root, pdf.pages.slug)
            asked.add(key)
            if build.output is not None:
                packages.append(read_package(build.output, key))
        present = [key for key in state.sources() if (root / split_key(key)[0]).exists()]
        alive = frozenset(guid for key in present for guid in state.claimed(key).guids)
        folders = tuple(
            path.resolve() for path in paths if path.is_dir() and find_root(path) == root
        )
        # Every note file synced (a PDF's range is no note file: no card moves into one).
        whole = asked >= {key for key in present if split_key(key)[1] is None}
        projects.append(
            _Project(root, state.project, tuple(packages), frozenset(asked), whole, folders, alive)
        )
    return projects


def _gone(root: Path, key: str, folders: Sequence[Path]) -> bool:
    """Whether source `key` is gone from one of the folders synced."""
    path = (root / split_key(key)[0]).resolve()
    return not path.exists() and any(path.is_relative_to(folder) for folder in folders)
