"""Opening PDFs with PyMuPDF: imported on first use, errors as one line naming the file."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import Any

from ...errors import ConfigError, SourceError
from ...model import SourceSpan


@functools.cache
def pymupdf() -> Any:
    """PyMuPDF, imported on first use (the CLI starts without it); untyped, so held as Any."""
    try:
        module = importlib.import_module("pymupdf")
    except ImportError:
        raise ConfigError("reading PDFs needs PyMuPDF: pip install pymupdf") from None
    # MuPDF prints repairs and errors to stderr; ankify reports problems itself, on one line.
    module.TOOLS.mupdf_display_errors(False)
    module.TOOLS.mupdf_display_warnings(False)
    return module


def pdf_errors() -> tuple[type[BaseException], ...]:
    """What PyMuPDF raises for a damaged file or page (MuPDF's errors, RuntimeError)."""
    base = getattr(getattr(pymupdf(), "mupdf", None), "FzErrorBase", RuntimeError)
    return (RuntimeError, ValueError, base)


def open_pdf(path: Path, *, password: str | None = None) -> Any:
    """Open a PDF (a PyMuPDF Document; close it, e.g. `with open_pdf(p) as doc`).

    Raises a SourceError naming the file when it is missing, not a PDF, damaged, or encrypted
    without the right password.
    """
    span = SourceSpan(path)
    try:
        with path.open("rb") as file:
            head = file.read(1024)
    except FileNotFoundError:
        raise SourceError("no such file: check the path", span=span) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a PDF: name a .pdf file", span=span) from None
    if not head:
        raise SourceError("is empty, not a PDF: download or export it again", span=span)
    if b"%PDF-" not in head:
        raise SourceError("is not a PDF (it does not start with %PDF-): check the file", span=span)
    module = pymupdf()
    try:
        doc = module.open(path, filetype="pdf")
    except pdf_errors():
        raise SourceError(
            "is damaged and cannot be read: download or export the PDF again", span=span
        ) from None
    try:
        if doc.needs_pass:
            if password is None:
                raise SourceError("needs a password", span=span, option="password")
            if not doc.authenticate(password):
                raise SourceError("the password is wrong: check it", span=span, option="password")
        try:
            pages = doc.page_count
        except pdf_errors():  # a truncated file opens, but its page tree cannot be read
            raise SourceError(
                "is damaged and cannot be read: download or export the PDF again", span=span
            ) from None
        if pages == 0:
            raise SourceError(
                "is damaged: no pages can be read: download or export the PDF again", span=span
            )
    except BaseException:
        doc.close()
        raise
    return doc


def unreadable_page(path: Path, label: str, error: BaseException) -> SourceError:
    """The error for a page MuPDF cannot read."""
    return SourceError(
        f"page {label} cannot be read ({error}): the file may be damaged: "
        "download or export the PDF again",
        span=SourceSpan(path, page=label),
    )
