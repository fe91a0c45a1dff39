"""`ankify plan` and `ankify quota`: daily page quotas, and where the learner stands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ..model import PageRange
from .app import main, reported
from .params import PAGE_RANGE, REST_DAYS


def _shown(path: Path) -> str:
    """A path as the user would type it from here."""
    return os.path.relpath(path)


@main.command("plan")
@click.option(
    "--pages",
    type=PAGE_RANGE,
    metavar="FIRST-LAST",
    help="Printed pages to read, e.g. 1-720. [default: the book's main text]",
)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    required=True,
    help="The first reading day.",
)
@click.option(
    "--from", "from_pages", type=int, default=5, show_default=True, help="Pages on day 1."
)
@click.option(
    "--to", "to_pages", type=int, default=15, show_default=True, help="Pages a day after the ramp."
)
@click.option(
    "--ramp-days",
    type=int,
    default=60,
    show_default=True,
    help="Reading days from --from pages to --to pages.",
)
@click.option(
    "--rest-days", type=REST_DAYS, default="", metavar="DAYS", help="Days off, e.g. sat,sun."
)
@click.option("--book", metavar="NAME", help="A bundled book profile: dlbook.")
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take the pages and chapters from this PDF's page labels and outline.  [default "
    "pages: its main text, without the back matter (bibliography, index) its outline ends with]",
)
@click.option(
    "--offset",
    type=int,
    metavar="N",
    help="For a --pdf without page labels: printed page P is physical page P + N.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the schedule as JSON.")
def plan_command(
    pages: PageRange | None,
    start: Any,
    from_pages: int,
    to_pages: int,
    ramp_days: int,
    rest_days: tuple[int, ...],
    book: str | None,
    pdf: Path | None,
    offset: int | None,
    as_json: bool,
) -> None:
    """Plan daily page quotas, save them to ankify.toml and print the schedule.

    Reading day k gets FROM + (TO - FROM)(k - 1)/(RAMP_DAYS - 1) pages, rounded to the
    nearest page (halves up), until day RAMP_DAYS; then TO pages a day. The last day takes
    what remains. Rest days are skipped.

    The plan is saved in the ankify.toml at the top of the project (the folder with
    ankify.toml or .git above the current one), so it can be run from any folder in it.
    """
    import json

    from ..pacing.project import Project, create_plan
    from ..pacing.text import format_schedule

    with reported():
        project = Project.find(Path.cwd())
        schedule = create_plan(
            project,
            pages=pages,
            start=start.date(),
            from_pages=from_pages,
            to_pages=to_pages,
            ramp_days=ramp_days,
            rest_days=rest_days,
            book=book,
            pdf=pdf,
            offset=offset,
        )
    if as_json:
        click.echo(json.dumps(schedule.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_schedule(schedule))
        shown = _shown(project.config)
        click.echo(f"\nSaved the plan to {shown}: run 'ankify quota' each morning.")


@main.command("quota")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Report for this day.  [default: today]",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of notes whose 'pages:' record what you have read.  [default: sources/ "
    "at the top of the project]",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw planned against done pages to this .png (needs ankify[plot]).",
)
def quota_command(on: Any, sources: Path | None, as_json: bool, plot: Path | None) -> None:
    """Today's reading, and how you stand against the plan saved in ankify.toml.

    Pages done are the pages of the plan that the 'pages:' front matter of your notes covers.
    """
    import datetime
    import json

    from ..pacing.plot import write_plot
    from ..pacing.project import SOURCES, Project, load_progress
    from ..pacing.report import progress, quota_report
    from ..pacing.text import format_report

    today = on.date() if on is not None else datetime.date.today()
    with reported():
        project = Project.find(Path.cwd())
        schedule, notes = load_progress(project, sources)
        report = quota_report(schedule, notes, today)
        if plot is not None:
            title = f"pp. {schedule.plan.pages}: planned and done"
            write_plot(plot, progress(schedule, notes, today), title=title)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        # The notes folder as the user named it, else as the project names it.
        folder = sources if sources is not None else Path(SOURCES)
        click.echo(format_report(report, sources=f"{folder.as_posix().rstrip('/')}/"))
        if plot is not None:
            click.echo(f"Wrote {plot}")
