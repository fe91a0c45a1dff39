"""`ankify build` and `ankify draft`: notes and PDF page ranges into packages and drafts."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..model import MathMode, PageLabels
from ..workspace import shown as shown_path
from .app import FLAGS, UserError, main, reported
from .lint import build_lint
from .output import bar
from .params import pdf_options


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),  # a file given is the build's error, with its fix
    help="Folder to write the .apkg files to.  [default: decks/ at the project's root]",
)
@click.option(
    "--math",
    type=click.Choice([mode.value for mode in MathMode]),
    default=MathMode.MATHJAX.value,
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
@pdf_options(
    pages_help="Pages of a PDF to build, as printed (its page labels), e.g. 53-60; physical "
    "pages when it has no labels. Required for a PDF.",
    deck_help="Deck of the PDF's cards.  [default: the PDF's title, else its file name]",
)
@click.option(
    "--lint",
    "lint_all",
    is_flag=True,
    help="Print every card that breaks a card-writing rule (as ankify lint does), not only "
    "their count.",
)
def build(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    math: str,
    jobs: int | None,
    pages: PageLabels | None,
    deck: str | None,
    offset: int | None,
    password: str | None,
    lint_all: bool,
) -> None:
    """Build Anki decks from markdown notes, or from a PDF's highlights.

    Each PATHS entry is a .md note file or a folder (every .md below it is built). Each
    note file gives one OUTPUT/<name>.apkg holding its "On the go" and "Pen and paper"
    decks. Rebuilding after edits updates the notes in Anki in place when you import again:
    .ankify-state.json at the project's root (the folder with ankify.toml or .git) keeps
    each card's note through rewordings, renames and moves; commit it with your notes.

    A PDF with --pages gives OUTPUT/<name>-p<pages>.apkg: every highlight, underline or
    squiggly on those pages becomes a cloze of its sentence, or the question its popup note
    asks ("Q: ..."; "E: ..." for the pen-and-paper deck), citing the printed page.

    Sources read before are taken from the cache in .ankify/ (safe to delete), and a package
    whose cards have not changed is not written again.
    """
    from ..build.jobs import PdfOptions
    from ..build.pipeline import build_paths, summary
    from ..sources.pdf.hints import empty_range_hint

    pdf = PdfOptions(pages, deck, offset, password)
    start = time.perf_counter()
    notices: list[str] = []
    with reported():
        results = build_paths(
            paths,
            out_dir,
            now=time.time(),
            math=MathMode(math),
            pdf=pdf,
            jobs=jobs,
            progress=bar(),
            notify=notices.append,
        )
        for result in results:  # a PDF range that gave nothing: why, when pages may be others
            if pages is not None and result.output is None:
                hint = empty_range_hint(result.source, pages, offset=offset, password=password)
                if hint is not None:
                    flag = f" ({FLAGS[hint.option][0]})" if hint.option else ""
                    notices.append(f"{shown_path(hint.span.path)}: {hint.message}{flag}")
    shown = [result for result in results if result.written or len(results) == 1]
    for result in shown:
        click.echo(result.summary())
    if len(results) > 1:
        click.echo(summary(results, time.perf_counter() - start))
    lint = build_lint(paths, every=lint_all, jobs=jobs)  # advice: it never stops a build
    sys.stdout.flush()  # the summary first, in one log of both streams
    for line in lint:
        click.echo(line, err=True)
    for line in notices:
        click.echo(f"Note: {line}", err=True)


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
@pdf_options(
    pages_help="Pages to draft, as printed (the PDF's page labels), e.g. 53-60; physical "
    "pages when it has no labels.  [required]",
    deck_help="Deck for the note's front matter.  [default: the PDF's title (else its file "
    "name) and the chapter from its outline]",
)
def draft_command(
    pdf: Path,
    out: Path,
    force: bool,
    pages: PageLabels | None,
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
    from ..draft.note import write_draft

    if pages is None:
        raise UserError([f"{pdf}: say which pages to draft: add --pages, e.g. --pages 53-60"])
    progress = bar()
    with reported():
        try:
            result = write_draft(
                pdf,
                out,
                pages=pages,
                deck=deck,
                offset=offset,
                password=password,
                force=force,
                progress=progress,
            )
        finally:
            if progress is not None:
                progress.finish()
    click.echo(result.summary())
