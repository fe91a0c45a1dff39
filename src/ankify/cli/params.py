"""Options converted at the boundary: text on the command line -> the domain's values.

A value that cannot be converted is one line naming the option and the fix, exit code 1 (like
every error a user can fix), without click's usage text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any, NoReturn, TypeVar

import click

from ..model import PageLabels, PageRange, parse_deck


class OptionValueError(click.BadParameter):
    """A value an option cannot take: one `Error: …` line, exit code 1."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True, file=file)


class _Param(click.ParamType):  # type: ignore[type-arg]  # generic only in newer clicks
    """A ParamType whose `fail` gives an OptionValueError."""

    def fail(
        self, message: str, param: click.Parameter | None = None, ctx: click.Context | None = None
    ) -> NoReturn:
        raise OptionValueError(message, ctx=ctx, param=param)


def flag(param: click.Parameter | None) -> str:
    """The option's long name (`--pages`), as messages name it."""
    if param is None:
        return "the value"
    names = [name for name in param.opts if name.startswith("--")] or param.opts
    return names[0]


class PageLabelsParam(_Param):
    """`53-60` as a PDF prints its pages (labels may be roman numerals: `iv-x`)."""

    name = "pages"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, PageLabels):
            return value
        try:
            return PageLabels.parse(str(value))
        except ValueError as e:
            self.fail(f"{flag(param)} {value!r} {e}", param, ctx)


class PageRangeParam(_Param):
    """`1-720`: printed page numbers."""

    name = "pages"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, PageRange):
            return value
        try:
            return PageRange.parse(str(value))
        except ValueError as e:
            shown = str(value).strip()
            self.fail(f"{flag(param)} {shown} {e}" if shown else f"{flag(param)} {e}", param, ctx)


class DeckParam(_Param):
    """`Deep Learning::Chapter 3`: a deck path, each part trimmed."""

    name = "deck"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return parse_deck(str(value), collapse=True)
        except ValueError as e:
            self.fail(f"{flag(param)} {value!r} {e}", param, ctx)


class RestDaysParam(_Param):
    """`sat,sun`: weekdays as numbers, Monday = 0."""

    name = "days"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        from ..pacing.plan import parse_rest_days

        try:
            return parse_rest_days(str(value))
        except ValueError as e:
            self.fail(f"{flag(param)}: {e}", param, ctx)


PAGE_LABELS = PageLabelsParam()
PAGE_RANGE = PageRangeParam()
DECK = DeckParam()
REST_DAYS = RestDaysParam()


_Command = TypeVar("_Command", bound=Callable[..., Any])


def pdf_options(*, pages_help: str, deck_help: str) -> Callable[[_Command], _Command]:
    """--pages, --deck, --offset and --password: how to read a PDF (build, draft, sync)."""

    def decorate(command: _Command) -> _Command:
        options = (
            click.option("--pages", type=PAGE_LABELS, metavar="FIRST-LAST", help=pages_help),
            click.option("--deck", type=DECK, metavar="NAME", help=deck_help),
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
