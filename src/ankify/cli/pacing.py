"""`ankify plan` and `ankify quota`: daily page quotas, and where the learner stands."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..model import PageRange
from .app import main, reported
from .params import PAGE_RANGE, REST_DAYS, OptionValueError, flag


def _shown(path: Path) -> str:
    """A path as the user would type it from here."""
    return os.path.relpath(path)


class _Finite(click.FloatRange):
    """A FloatRange that refuses NaN and infinity (which FloatRange's bounds let through)."""

    def __init__(self, example: str, **bounds: Any) -> None:
        super().__init__(**bounds)
        self.example = example

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            raise OptionValueError(
                f"{flag(param)} {value} is not a finite number: give one such as "
                f"{flag(param)} {self.example}",
                ctx=ctx,
                param=param,
            )
        return number


def _forecast_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a forecast of the review load, shared by `plan` and `quota`."""
    options = (
        click.option(
            "--cards-per-page",
            type=_Finite("3", min=0, min_open=True, max=100),
            metavar="N",
            help="Cards you build per page read.  [default: measured from the cards your notes "
            "build over their 'pages:', recent chapters counting most; 2 before any note]",
        ),
        click.option(
            "--retention",
            type=_Finite("0.9", min=0.7, max=0.99),
            metavar="R",
            help="Desired retention, as in Anki's deck options.  [default: your collection's, "
            "else 0.9]",
        ),
        click.option(
            "--review-budget",
            type=_Finite("60", min=0, min_open=True),
            default=60,
            show_default=True,
            metavar="MINUTES",
            help="Minutes of Anki a day (reviews and learning new cards) the plan must fit.",
        ),
        click.option(
            "--collection",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Your Anki collection (collection.anki2), read only, even while Anki is open: "
            "its FSRS parameters, your seconds per answer and the cards you already study.",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="Seed of the forecast's simulation (the same seed, the same forecast).",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _forecasting(
    cards_per_page: float | None,
    retention: float | None,
    review_budget: float,
    collection: Path | None,
    seed: int,
) -> Any:
    from ..pacing.budget import Forecasting

    return Forecasting(
        cards_per_page=cards_per_page,
        retention=retention,
        budget=review_budget,
        collection=collection,
        seed=seed,
    )


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
@click.option(
    "--list",
    "listed",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Read the reading list from this TOML file's [[reading]] tables (pdf = "
    '"paper.pdf", or title and pages; pace = pages a day; after = the page of the book after '
    "which to read it, else after the book) and save it to ankify.toml.",
)
@click.option(
    "--paper",
    "papers",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="Add this PDF to the end of the reading list (repeat for more).",
)
@_forecast_options
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw pages a day and forecast minutes to this .png (needs ankify[plot]).",
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
    listed: Path | None,
    papers: tuple[Path, ...],
    cards_per_page: float | None,
    retention: float | None,
    review_budget: float,
    collection: Path | None,
    seed: int,
    plot: Path | None,
    as_json: bool,
) -> None:
    """Plan daily page quotas, forecast the Anki time they cost, save them to ankify.toml and
    print the schedule.

    Reading day k gets FROM + (TO - FROM)(k - 1)/(RAMP_DAYS - 1) pages, rounded to the
    nearest page (halves up), until day RAMP_DAYS; then TO pages a day. The last day takes
    what remains. Rest days are skipped. The reading list (papers) follows the book.

    Each day's pages add cards, whose reviews are forecast by simulating FSRS-6 day by day:
    if the peak, reviews and learning together, is over the review budget, fewer pages a day
    are planned until it fits (the finish moves later: both are shown).

    The plan is saved in the ankify.toml at the top of the project (the folder with
    ankify.toml or .git above the current one), so it can be run from any folder in it.
    """
    import json

    from ..pacing.plot import check_plot_path, write_outlook_plot
    from ..pacing.project import Project, plan_outlook
    from ..pacing.text import format_outlook

    with reported():
        if plot is not None:
            check_plot_path(plot)
        project = Project.find(Path.cwd())
        planned = plan_outlook(
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
            forecasting=_forecasting(cards_per_page, retention, review_budget, collection, seed),
            listed=listed,
            papers=papers,
        )
        if plot is not None:
            view = planned.shaped.chosen
            title = f"pp. {view.schedule.plan.pages}: pages a day and forecast minutes of Anki"
            write_outlook_plot(plot, view, budget=review_budget, title=title)
    if as_json:
        click.echo(json.dumps(planned.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_outlook(planned.shaped, planned.forecaster, planned.documents))
        shown = _shown(project.config)
        click.echo(f"\nSaved the plan to {shown}: run 'ankify quota' each morning.")
        if plot is not None:
            click.echo(f"Wrote {plot}")


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
@_forecast_options
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw planned against done pages, and the forecast minutes, to this .png (needs "
    "ankify[plot]).",
)
def quota_command(
    on: Any,
    sources: Path | None,
    cards_per_page: float | None,
    retention: float | None,
    review_budget: float,
    collection: Path | None,
    seed: int,
    as_json: bool,
    plot: Path | None,
) -> None:
    """Today's reading and Anki time, and how you stand against the plan saved in ankify.toml.

    Pages done are the pages of the plan that the 'pages:' front matter of your notes covers;
    notes whose 'source:' names a document of the reading list count for that document. The
    Anki time is forecast again from the cards your notes build and the pages still to read.
    """
    import datetime
    import json

    from ..pacing.plot import check_plot_path, write_plot
    from ..pacing.project import SOURCES, Project
    from ..pacing.standing import standing
    from ..pacing.text import format_standing

    today = on.date() if on is not None else datetime.date.today()
    with reported():
        if plot is not None:
            check_plot_path(plot)
        project = Project.find(Path.cwd())
        where = standing(
            project,
            today,
            sources,
            _forecasting(cards_per_page, retention, review_budget, collection, seed),
        )
        if plot is not None:
            schedule = where.report.schedule
            title = f"pp. {schedule.plan.pages}: planned and done"
            write_plot(plot, where.progress, title=title, load=where.outlook.load)
    if as_json:
        click.echo(json.dumps(where.to_dict(), indent=2, ensure_ascii=False))
    else:
        # The notes folder as the user named it, else as the project names it.
        folder = sources if sources is not None else Path(SOURCES)
        click.echo(format_standing(where, sources=f"{folder.as_posix().rstrip('/')}/"))
        if plot is not None:
            click.echo(f"Wrote {plot}")
