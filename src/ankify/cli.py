"""The command line: parse options, call one pipeline function, turn AnkifyError into a message.

Heavy libraries (markdown-it, genanki, PyMuPDF, sympy) are imported inside the commands, so
`ankify --help` starts fast.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar

import click

from . import __version__
from .errors import AnkifyError, BuildErrors
from .progress import Progress


class _UserError(click.ClickException):
    """One `Error: …` line per problem, exit code 1, no traceback."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages

    def show(self, file: IO[Any] | None = None) -> None:
        for message in self.messages:
            click.echo(f"Error: {message}", err=True)


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """The single place where ankify's errors become messages for the user."""
    try:
        yield
    except BuildErrors as e:
        raise _UserError([str(error) for error in e.errors]) from None
    except AnkifyError as e:
        raise _UserError([str(e)]) from None
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        raise _UserError([f"{where}{e.strerror or e}"]) from None


class _Bar(Progress):
    """click's progress bar, drawn only once a stage has run long enough to be worth watching."""

    def __init__(self, file: TextIO, delay: float = 0.4) -> None:
        self.file, self.delay = file, delay
        self.bar: Any = None
        self.label, self.total, self.done, self.started = "", 0, 0, 0.0

    def stage(self, label: str, total: int) -> None:
        self.finish()
        self.label, self.total, self.done = label, total, 0
        self.started = time.perf_counter()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.bar is not None:
            self.bar.update(steps)
        elif self._worth_showing():
            self.bar = click.progressbar(
                length=self.total, label=self.label, file=self.file, show_pos=True
            )
            self.bar.__enter__()
            self.bar.update(self.done)

    def _worth_showing(self) -> bool:
        unfinished = self.total > 1 and self.done < self.total
        return unfinished and time.perf_counter() - self.started >= self.delay

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _bar() -> Progress | None:
    """A progress bar on stderr for long work; nothing at all when stderr is not a terminal."""
    return _Bar(sys.stderr) if sys.stderr.isatty() else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankify")
def main() -> None:
    """Turn what you read into Anki flashcards, at a pace you can keep.

    Write notes in markdown (Q:/A: questions, E:/S: exercises, {{c1::clozes}}, LaTeX,
    images) and build them into decks to import into Anki: "On the go" for quick questions
    and "Pen and paper" for exercises.
    """


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _pdf_options(*, pages_help: str, deck_help: str) -> Callable[[_Command], _Command]:
    """--pages, --deck, --offset and --password: how to read a PDF (build and draft)."""

    def decorate(command: _Command) -> _Command:
        options = (
            click.option("--pages", metavar="FIRST-LAST", help=pages_help),
            click.option("--deck", metavar="NAME", help=deck_help),
            click.option(
                "--offset",
                type=int,
                metavar="N",
                help="For a PDF without page labels: printed page P is physical page P + N.",
            ),
            click.option(
                "--password",
                metavar="PASSWORD",
                envvar="ANKIFY_PDF_PASSWORD",
                help="Password of an encrypted PDF (or set ANKIFY_PDF_PASSWORD).",
            ),
        )
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("decks"),
    show_default=True,
    help="Folder to write the .apkg files to.",
)
@click.option(
    "--math",
    type=click.Choice(["mathjax", "svg"]),
    default="mathjax",
    show_default=True,
    help="mathjax: LaTeX that Anki renders; svg: formulas rendered to images by LaTeX "
    "(identical on every device; needs latex and dvisvgm).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes that read sources at once.  [default: one per core when there is "
    "enough to read]",
)
@_pdf_options(
    pages_help="Pages of a PDF to build, as printed (its page labels), e.g. 53-60; physical "
    "pages when it has no labels. Required for a PDF.",
    deck_help="Deck of the PDF's cards.  [default: the PDF's title, else its file name]",
)
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    math: str,
    jobs: int | None,
    pages: str | None,
    deck: str | None,
    offset: int | None,
    password: str | None,
) -> None:
    """Build Anki decks from markdown notes, or from a PDF's highlights.

    Each PATHS entry is a .md note file or a folder (every .md below it is built). Each
    note file gives one OUTPUT/<name>.apkg holding its "On the go" and "Pen and paper"
    decks. Rebuilding after edits updates the notes in Anki in place when you import again.

    A PDF with --pages gives OUTPUT/<name>-p<pages>.apkg: every highlight, underline or
    squiggly on those pages becomes a cloze of its sentence, or the question its popup note
    asks ("Q: ..."; "E: ..." for the pen-and-paper deck), citing the printed page.

    Sources read before are taken from the cache in .ankify/ (safe to delete), and a package
    whose cards have not changed is not written again.
    """
    from .build import PdfOptions, build_paths, summary

    pdf = PdfOptions(pages, deck, offset, password)
    start = time.perf_counter()
    with _reported():
        results = build_paths(
            paths, out_dir, now=time.time(), math=math, pdf=pdf, jobs=jobs, progress=_bar()
        )
    shown = [result for result in results if result.written or len(results) == 1]
    for result in shown:
        click.echo(result.summary())
    if len(results) > 1:
        click.echo(summary(results, time.perf_counter() - start))


@main.command("draft")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The markdown note to write, e.g. sources/ch03.md.",
)
@click.option("--force", is_flag=True, help="Overwrite the note if it exists.")
@_pdf_options(
    pages_help="Pages to draft, as printed (the PDF's page labels), e.g. 53-60; physical "
    "pages when it has no labels.  [required]",
    deck_help="Deck for the note's front matter.  [default: the PDF's title (else its file "
    "name) and the chapter from its outline]",
)
def draft_command(
    pdf: Path,
    out: Path,
    force: bool,
    pages: str | None,
    deck: str | None,
    offset: int | None,
    password: str | None,
) -> None:
    """Draft a note from a page range of a PDF.

    Writes a markdown note to edit and then build: front matter (source, pages, deck), the
    outline's headings (or headings found by font size), a card for each highlight, and
    candidate questions, tagged #review, for the terms the text sets in bold or italics and
    for captioned figures. An existing note is never overwritten without --force.
    """
    from .draft import write_draft
    from .errors import ConfigError

    with _reported():
        if not pages:
            raise ConfigError(f"{pdf}: say which pages to draft: add --pages, e.g. --pages 53-60")
        bar = _bar()
        try:
            result = write_draft(
                pdf,
                out,
                pages=pages,
                deck=deck,
                offset=offset,
                password=password,
                force=force,
                progress=bar,
            )
        finally:
            if bar is not None:
                bar.finish()
    click.echo(result.summary())


@main.command("plan")
@click.option(
    "--pages",
    metavar="FIRST-LAST",
    help="Printed pages to read, e.g. 1-716. [default: the book's main text]",
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
@click.option("--rest-days", default="", metavar="DAYS", help="Days off, e.g. sat,sun.")
@click.option("--book", metavar="NAME", help="A bundled book profile: dlbook.")
@click.option(
    "--pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take the pages and chapters from this PDF's page labels and outline.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the schedule as JSON.")
def plan_command(
    pages: str | None,
    start: Any,
    from_pages: int,
    to_pages: int,
    ramp_days: int,
    rest_days: str,
    book: str | None,
    pdf: Path | None,
    as_json: bool,
) -> None:
    """Plan daily page quotas, save them to ankify.toml and print the schedule.

    Reading day k gets FROM + (TO - FROM)(k - 1)/(RAMP_DAYS - 1) pages, rounded to the
    nearest page (halves up), until day RAMP_DAYS; then TO pages a day. The last day takes
    what remains. Rest days are skipped.
    """
    import json

    from .pacing import format_schedule
    from .pacing_files import CONFIG_NAME, create_plan

    with _reported():
        schedule = create_plan(
            Path(CONFIG_NAME),
            pages=pages,
            start=start.date(),
            from_pages=from_pages,
            to_pages=to_pages,
            ramp_days=ramp_days,
            rest_days=rest_days,
            book=book,
            pdf=pdf,
        )
    if as_json:
        click.echo(json.dumps(schedule.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_schedule(schedule))
        click.echo(f"\nSaved the plan to {CONFIG_NAME}: run 'ankify quota' each morning.")


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
    default=Path("sources"),
    show_default=True,
    help="The folder of notes whose 'pages:' record what you have read.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw planned against done pages to this .png (needs ankify[plot]).",
)
def quota_command(on: Any, sources: Path, as_json: bool, plot: Path | None) -> None:
    """Today's reading, and how you stand against the plan saved in ankify.toml.

    Pages done are the pages of the plan that the 'pages:' front matter of your notes covers.
    """
    import datetime
    import json

    from .pacing import format_report, progress, quota_report
    from .pacing_files import CONFIG_NAME, load_progress, write_plot

    today = on.date() if on is not None else datetime.date.today()
    with _reported():
        schedule, notes = load_progress(Path(CONFIG_NAME), sources)
        report = quota_report(schedule, notes, today)
        if plot is not None:
            title = f"pp. {schedule.plan.pages}: planned and done"
            write_plot(plot, progress(schedule, notes, today), title=title)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report, sources=f"{sources.as_posix().rstrip('/')}/"))
        if plot is not None:
            click.echo(f"Wrote {plot}")
