"""The command line: parse options, call one pipeline function, turn AnkifyError into a message.

Heavy libraries (markdown-it, genanki, PyMuPDF, sympy) are imported inside the commands, so
`ankify --help` starts fast.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from . import __version__
from .errors import AnkifyError, BuildErrors


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankify")
def main() -> None:
    """Turn what you read into Anki flashcards, at a pace you can keep.

    Write notes in markdown (Q:/A: questions, E:/S: exercises, {{c1::clozes}}, LaTeX,
    images) and build them into decks to import into Anki: "On the go" for quick questions
    and "Pen and paper" for exercises.
    """


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
def build(paths: tuple[Path, ...], out_dir: Path) -> None:
    """Build Anki decks from markdown notes.

    Each PATHS entry is a .md note file or a folder (every .md below it is built). Each
    note file gives one OUTPUT/<name>.apkg holding its "On the go" and "Pen and paper"
    decks. Rebuilding after edits updates the notes in Anki in place when you import again.
    """
    from .build import build_paths

    with _reported():
        results = build_paths(paths, out_dir, now=time.time())
    for result in results:
        click.echo(result.summary())
