"""The `ankify` command group, and the single place where ankify's errors become messages.

Every error a user can fix is one `Error: …` line naming the fix, exit code 1: ankify's own
errors (`reported`), and a command line click cannot parse (`Commands`), which click would
otherwise answer with its usage text and exit code 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from .. import __version__
from ..errors import AnkifyError, BuildErrors
from ..workspace import shown

#: How the command line names each setting the domain's errors can point at
#: (`error.options`): its option, and how to say it.
FLAGS = {
    "pages": ("--pages", "--pages"),
    "deck": ("--deck", "--deck"),
    "offset": ("--offset", "--offset"),
    "password": ("--password", "--password or ANKIFY_PDF_PASSWORD"),
    "jobs": ("--jobs", "--jobs 1"),
    "math": ("--math", "--math"),
    "force": ("--force", "--force"),
    "output": ("--output", "-o"),
    "sources": ("--sources", "--sources"),
    "book": ("--book", "--book"),
    "pdf": ("--pdf", "--pdf"),
    "plot": ("--plot", "--plot"),
    "start": ("--start", "--start"),
    "from_pages": ("--from", "--from"),
    "to_pages": ("--to", "--to"),
    "ramp_days": ("--ramp-days", "--ramp-days"),
    "rest_days": ("--rest-days", "--rest-days"),
    "review_budget": ("--review-budget", "--review-budget"),
    "cards_per_page": ("--cards-per-page", "--cards-per-page"),
    "retention": ("--retention", "--retention"),
    "collection": ("--collection", "--collection"),
    "profile": ("--profile", "--profile"),
}


class UserError(click.ClickException):
    """One `Error: …` line per problem, exit code 1, no traceback."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages

    def show(self, file: IO[Any] | None = None) -> None:
        for message in self.messages:
            click.echo(f"Error: {message}", err=True)


def message(error: AnkifyError) -> str:
    """An error as the user reads it: where (from the current folder), what, the fix, and the
    option that sets it."""
    text = error.message
    if error.span is not None:
        path = error.span.path
        if path.is_absolute():
            with contextlib.suppress(ValueError):
                path = path.relative_to(Path.cwd())
        text = f"{dataclasses.replace(error.span, path=path)}: {text}"
    flags = [said for option, said in _flags(error.options)]
    if flags:
        text += f" ({', '.join(flags)})"
    return text


def _flags(options: tuple[str, ...]) -> list[tuple[str, str]]:
    """The options of the command running that set these settings, and how to say them: an
    option the command does not have is not named."""
    context = click.get_current_context(silent=True)
    known = {name for param in context.command.params for name in param.opts} if context else set()
    return [FLAGS[option] for option in options if option in FLAGS and FLAGS[option][0] in known]


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """The single place where ankify's errors become messages for the user."""
    try:
        yield
    except BuildErrors as e:
        raise UserError([message(error) for error in e.errors]) from None
    except AnkifyError as e:
        raise UserError([message(e)]) from None
    except OSError as e:
        where = f"{shown(Path(str(e.filename)))}: " if e.filename else ""
        raise UserError([f"{where}{e.strerror or e}"]) from None


@contextlib.contextmanager
def _usage(command: str) -> Iterator[None]:
    """A command line click cannot parse, as one line with the fix: its help."""
    try:
        yield
    except click.UsageError as e:
        if e.exit_code == 1:
            raise  # one line already (`params.OptionValueError`)
        if isinstance(e, getattr(click.exceptions, "NoArgsIsHelpError", ())):
            e.exit_code = 1  # type: ignore[misc]  # `ankify` alone: the help is the message
            raise
        text = e.format_message().strip()
        path = e.ctx.command_path if e.ctx is not None else command
        hint = f"see '{path} --help'"
        raise UserError(
            [f"{text} ({hint})" if text.endswith("?") else f"{text.rstrip('.')}: {hint}"]
        ) from None


class Command(click.Command):
    """A command whose command line, when click cannot parse it, is a user error (exit 1)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        path = f"{parent.command_path} {info_name}" if parent is not None else str(info_name)
        with _usage(path):
            return super().make_context(info_name, args, parent, **extra)


class Commands(click.Group):
    """ankify's commands (each a `Command`): a command line click cannot parse is a user error
    like any other, one line naming the fix, exit code 1."""

    command_class = Command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with _usage(str(info_name)):
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _usage(ctx.command_path):
            return super().invoke(ctx)


@click.group("ankify", cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankify")
def main() -> None:
    """Turn what you read into Anki flashcards, at a pace you can keep.

    Write notes in markdown (Q:/A: questions, E:/S: exercises, {{c1::clozes}}, LaTeX,
    images) and build them into decks to import into Anki: "On the go" for quick questions
    and "Pen and paper" for exercises.
    """
