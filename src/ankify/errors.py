"""One hierarchy of errors a person can act on: where, what went wrong, and what to do.

Every error carries its place as a `SourceSpan` (never pasted into the message), and, when
settings given to a command caused it, their names (`options`, as the API calls them: `pages`,
`to_pages`): the command line names them as its flags and ankify.toml as its keys, so domain
messages never name a flag themselves.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import SourceSpan


class AnkifyError(Exception):
    """Base of every error ankify reports to the user (the CLI prints it as one line)."""

    def __init__(
        self,
        message: str,
        *,
        span: SourceSpan | None = None,
        option: str | Sequence[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.options: tuple[str, ...] = (
            (option,) if isinstance(option, str) else tuple(option or ())
        )

    @property
    def option(self) -> str | None:
        """The first setting that caused the error, if a setting did."""
        return self.options[0] if self.options else None

    def __str__(self) -> str:
        return f"{self.span}: {self.message}" if self.span is not None else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross from the processes that read sources in parallel; subclasses may
        # take other arguments, so rebuild them from what is shown.
        return (_restore, (type(self), self.message, self.span, self.options))


def _restore(
    cls: type[AnkifyError], message: str, span: SourceSpan | None, options: tuple[str, ...]
) -> AnkifyError:
    error = cls.__new__(cls)
    AnkifyError.__init__(error, message, span=span, option=options)
    return error


class SourceError(AnkifyError):
    """A note file (markdown or PDF) cannot be turned into cards as written."""


class ConfigError(AnkifyError):
    """ankify.toml or a setting given to a command is invalid."""


class WriteError(AnkifyError):
    """A file ankify writes (a package, the state, a draft) cannot be written: named as the user
    knows it, never by the temporary file beside it, with what to do (`write_problem`)."""


def write_problem(error: OSError, *, elsewhere: bool, in_the_way: str | None = None) -> str:
    """What stops a file being written, and what to do ("no space left on the disk: free space
    on it and try again").

    `elsewhere`: whether the user may choose another folder (the option that does is named by
    the caller); `in_the_way`: the file that stands where a folder is needed, if one does.
    """
    other = ", or write to another folder" if elsewhere else ""
    code = error.errno
    if code == errno.EROFS:
        problem = f"the file system is read-only: remount it read-write{other}"
    elif code in (errno.EACCES, errno.EPERM):
        problem = f"permission denied: make its folder writable for you{other}"
    elif code == errno.ENOSPC:
        problem = f"no space left on the disk: free space on it and try again{other}"
    elif code == errno.EDQUOT:
        problem = f"your disk quota is used up: free space on that disk and try again{other}"
    elif code == errno.EISDIR:
        problem = f"a folder of that name is in the way: move or rename it{other}"
    elif in_the_way is not None or code in (errno.ENOTDIR, errno.EEXIST):
        what = f"{in_the_way} is a file" if in_the_way else "a file is in the way"
        problem = f"{what}, not a folder: move or rename it{other}"
    elif code == errno.ENAMETOOLONG:
        problem = "the name is too long for the file system: choose a shorter name or folder"
    elif code == errno.EFBIG:
        problem = "the file is larger than the file system or your file-size limit allows"
    elif code == errno.EIO:
        problem = "the disk reported an input/output error: check the disk, then try again"
    elif code == errno.ENOENT:
        problem = "its folder was removed while it was written: try again"
    else:
        problem = f"{error.strerror or error}"
    return f"cannot write it: {problem}"


class MathRenderError(AnkifyError):
    """LaTeX rejected a formula (SVG math): its TeX and whether it is displayed, for the caller
    to place in its source."""

    def __init__(self, tex: str, display: bool, message: str) -> None:
        super().__init__(message)
        self.tex = tex
        self.display = display

    def __reduce__(self) -> tuple[object, ...]:
        return (MathRenderError, (self.tex, self.display, self.message))


class BuildErrors(AnkifyError):
    """Several sources failed; each error is reported on its own line."""

    def __init__(self, errors: tuple[AnkifyError, ...]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors

    def __reduce__(self) -> tuple[object, ...]:
        return (BuildErrors, (self.errors,))


def raise_all(errors: list[AnkifyError]) -> None:
    """Raise the one error, or all of them together (each once: a bad ankify.toml is one
    problem, whatever number of sources it stops); nothing when there are none."""
    unique = list({(type(e), str(e), e.options): e for e in errors}.values())
    if len(unique) == 1:
        raise unique[0]
    if unique:
        raise BuildErrors(tuple(unique))
