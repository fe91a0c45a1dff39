"""One hierarchy of errors a person can act on: where, what went wrong, and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import SourceSpan


class AnkifyError(Exception):
    """Base of every error ankify reports to the user (the CLI prints it as one line)."""

    def __init__(self, message: str, *, span: SourceSpan | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        return f"{self.span}: {self.message}" if self.span is not None else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross from the processes that read sources in parallel; subclasses may
        # take other arguments, so rebuild them from what is shown.
        return (_restore, (type(self), self.message, self.span))


def _restore(cls: type[AnkifyError], message: str, span: SourceSpan | None) -> AnkifyError:
    error = cls.__new__(cls)
    AnkifyError.__init__(error, message, span=span)
    return error


class SourceError(AnkifyError):
    """A note file (markdown or PDF) cannot be turned into cards as written."""


class ConfigError(AnkifyError):
    """ankify.toml or a command-line option is invalid."""


class BuildErrors(AnkifyError):
    """Several sources failed; each error is reported on its own line."""

    def __init__(self, errors: tuple[AnkifyError, ...]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors

    def __reduce__(self) -> tuple[object, ...]:
        return (BuildErrors, (self.errors,))
