"""`ankify lint`: card-writing rules, checked at each card's line before the cards cost review
time (and the count of findings that `ankify build` prints)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import UserError, main, message, reported

if TYPE_CHECKING:
    from ..lint.run import Report


@main.command("lint")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--warn-only", is_flag=True, help="Exit with 0 even when a card breaks a rule.")
def lint_command(sources: tuple[Path, ...], warn_only: bool) -> None:
    """Check cards against card-writing rules before they cost review time.

    Reads the cards of every .md note under SOURCES (default: sources/ at the project's root)
    and prints each card that breaks a rule as file:line: [rule] what: the fix, then how many
    per rule. Exit code 1 when there is any (0 with --warn-only).

    Rules: yes-no, long-answer, enumeration, big-cloze, give-away, dangling, vague,
    near-duplicate (across the sources), long-question, desk-card; unstamped is off unless
    turned on. In ankify.toml, [lint] turns a rule off (yes-no = false), on (unstamped = true)
    or sets its threshold (long-answer = 40). A line <!-- lint-ok: yes-no --> in a card
    silences that rule for the card.
    """
    from ..lint.run import default_sources, lint_paths

    with reported():
        paths = sources or (default_sources(Path.cwd()),)
        report = lint_paths(paths)
    if not report.sources:
        shown = " ".join(str(path) for path in paths)
        raise UserError([f"{shown}: no .md note files to lint: name notes, or folders of notes"])
    for finding in report.findings:
        click.echo(str(finding))
    for line in summary(report):
        click.echo(line)
    if report.findings and not warn_only:
        click.get_current_context().exit(1)


def summary(report: Report) -> list[str]:
    """A line per rule that found something, then the total."""
    lines = [f"{count:>6}  {name}" for name, count in report.counts()]
    found = len(report.findings)
    where = f"{_count(report.cards, 'card')} of {_count(report.sources, 'source')}"
    lines.append(f"{_count(found, 'finding') if found else 'No findings'} in {where}")
    return lines


def build_lint(
    paths: Sequence[Path], *, every: bool, jobs: int | None = None, command: str = "build"
) -> list[str]:
    """What `ankify build` (or `sync`, the `command`) says after its work: the count of
    findings in one line (nothing when there is none), after every finding with `every`. A
    problem lint has (a `[lint]` key no rule has) is a note: lint never stops a build."""
    from ..errors import AnkifyError
    from ..lint.run import lint_paths

    try:
        notes = [path for path in paths if path.suffix.lower() != ".pdf"]
        report = lint_paths(notes, jobs=jobs)
    except AnkifyError as error:
        return [f"Note: lint: {message(error)}"]
    if not report.findings:
        return []
    lines = [str(finding) for finding in report.findings] if every else []
    return [*lines, count_line(report, paths, command)]


def count_line(report: Report, paths: Sequence[Path], command: str = "build") -> str:
    """What `ankify build` (or `sync`) says of its sources' cards: one line, the count per
    rule."""
    counts = ", ".join(f"{count} {name}" for name, count in report.counts())
    shown = " ".join(str(path) for path in paths)
    return (
        f"Lint: {_count(len(report.findings), 'finding')} ({counts}): see them with "
        f"'ankify lint {shown}' or 'ankify {command} --lint'"
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
