"""`ankify sync` and `ankify watch`: notes straight into the learner's Anki collection, and
rebuilt (and synced) on every save."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from ..model import MathMode, PageLabels
from .app import UserError, main, reported
from .lint import build_lint
from .output import bar
from .params import pdf_options

_COLLECTION = click.option(
    "--collection",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="The collection file to write (collection.anki2).  [default: the profile's]",
)
_PROFILE = click.option(
    "--profile",
    metavar="NAME",
    help="The Anki profile whose collection to write.  [default: the one Anki opened last, "
    "else the only one]",
)
_MATH = click.option(
    "--math",
    type=click.Choice([mode.value for mode in MathMode]),
    default=MathMode.MATHJAX.value,
    show_default=True,
    help="mathjax: LaTeX that Anki renders; svg: formulas rendered to images by LaTeX.",
)


@main.command("sync")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_COLLECTION
@_PROFILE
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say what would change in Anki, and change nothing there (the packages are "
    "built, as by build).",
)
@click.option(
    "--delete",
    is_flag=True,
    help="Delete the notes removed from their sources.  [default: suspend them and tag them "
    "ankify::removed]",
)
@_MATH
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes that read sources at once.",
)
@click.option(
    "--lint",
    "lint_all",
    is_flag=True,
    help="Print every card that breaks a card-writing rule (as ankify lint does), not only "
    "their count.",
)
@pdf_options(
    pages_help="Pages of a PDF to sync, as printed (its page labels), e.g. 53-60; physical "
    "pages when it has no labels. Required for a PDF.",
    deck_help="Deck of the PDF's cards.  [default: the PDF's title, else its file name]",
)
def sync_command(
    paths: tuple[Path, ...],
    collection: Path | None,
    profile: str | None,
    dry_run: bool,
    delete: bool,
    math: str,
    jobs: int | None,
    lint_all: bool,
    pages: PageLabels | None,
    deck: str | None,
    offset: int | None,
    password: str | None,
) -> None:
    """Build notes and write them straight into your Anki collection.

    PATHS are note files or folders (default: the current folder), built as `ankify build`
    builds them. New notes are added, changed ones updated in place (their review history
    stays), cards moved when their deck changes; notes removed from a source are suspended
    and tagged ankify::removed (--delete deletes them). A note edited in Anki whose source
    did not change is left as it is. Close Anki first: it holds the collection while open.
    A PDF with --pages syncs the cards of its highlights on those pages, as build makes them.
    Needs Anki's library: pip install 'ankify[sync]'.
    """
    from ..build.jobs import PdfOptions
    from ..sync.collection import find_collection
    from ..sync.run import sync_paths
    from ..sync.summary import sync_lines, sync_notices

    notices: list[str] = []
    with reported():
        if collection is not None and profile is not None:
            raise click.UsageError("give --collection or --profile, not both")
        place = find_collection(collection=collection, profile=profile, env=os.environ)
        result = sync_paths(
            paths or (Path("."),),
            place,
            now=time.time(),
            delete=delete,
            dry_run=dry_run,
            math=MathMode(math),
            jobs=jobs,
            pdf=PdfOptions(pages, deck, offset, password),
            progress=bar(),
            notify=notices.append,
        )
    for line in sync_lines(result):
        click.echo(line)
    lint = build_lint(paths or (Path("."),), every=lint_all, jobs=jobs, command="sync")
    sys.stdout.flush()  # the summary first, in one log of both streams
    for line in lint:
        click.echo(line, err=True)
    if result.withheld:
        notices.append(
            f"{result.withheld:,} removed note{'s' * (result.withheld != 1)} suspended, not "
            "deleted: --delete deletes only when every note file of the project is synced (a "
            "card moved into a file not synced would lose its history)"
        )
    for line in [*notices, *sync_notices(result)]:
        click.echo(f"Note: {line}", err=True)


@main.command("watch")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--sync",
    "also_sync",
    is_flag=True,
    help="Also sync into Anki after each build (when Anki is closed).",
)
@_COLLECTION
@_PROFILE
@_MATH
def watch_command(
    paths: tuple[Path, ...],
    also_sync: bool,
    collection: Path | None,
    profile: str | None,
    math: str,
) -> None:
    """Build (and with --sync, sync) again whenever a note, an image or ankify.toml changes.

    PATHS are note files or folders (default: the current folder). A save that does not
    build prints its error and watching goes on; Ctrl-C stops.
    """
    from ..build.pipeline import build_paths, summary
    from ..sync.collection import CollectionLocked, find_collection
    from ..sync.run import sync_paths
    from ..sync.summary import sync_lines, sync_notices
    from ..sync.watch import watch

    place = None
    if also_sync:
        with reported():
            place = find_collection(collection=collection, profile=profile, env=os.environ)
    sources = paths or (Path("."),)

    def round_() -> None:
        start = time.perf_counter()
        notices: list[str] = []
        lines: list[str] = []
        try:
            with reported():
                if place is None:
                    results = build_paths(
                        sources, None, now=time.time(), math=MathMode(math), notify=notices.append
                    )
                    lines = [result.summary() for result in results if result.written]
                    lines.append(summary(results, time.perf_counter() - start))
                else:
                    try:
                        result = sync_paths(
                            sources,
                            place,
                            now=time.time(),
                            math=MathMode(math),
                            notify=notices.append,
                        )
                    except CollectionLocked:
                        lines = [
                            "Built; Anki has the collection open: the notes are synced at "
                            "the first change after you close Anki"
                        ]
                    else:
                        lines = sync_lines(result)
                        notices += sync_notices(result)
        except UserError as error:
            error.show()
        for line in lines:
            click.echo(line)
        sys.stdout.flush()  # the summary first, in one log of both streams
        for line in build_lint(sources, every=False) if lines else ():  # when it built
            click.echo(line, err=True)
        for line in notices:
            click.echo(f"Note: {line}", err=True)
        click.echo("Watching for changes (Ctrl-C stops)", err=True)

    watch(sources, round_)
