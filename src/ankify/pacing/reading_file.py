"""The `[[reading]]` tables of ankify.toml (or of a list such as papers.toml): read, with each
PDF's page count read from the file, and saved without touching the rest of ankify.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..config import read_toml
from ..errors import ConfigError
from ..model import SourceSpan
from ..workspace import CONFIG_NAME, write_atomically
from .plan_file import replace_tables, toml_value
from .reading_list import Document, parse_document


def load_reading(path: Path, *, base: Path | None = None) -> tuple[Document, ...]:
    """The `[[reading]]` list of the TOML file at `path` (none when it has none); PDFs are named
    relative to `base` (else to the file's folder)."""
    if not path.is_file():
        if path.name == CONFIG_NAME:
            return ()
        raise ConfigError("no such reading list: check the path", span=SourceSpan(path))
    entries = read_toml(path).get("reading", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(
            'the reading list must be [[reading]] tables, each with pdf = "paper.pdf" or a '
            "title and pages",
            span=SourceSpan(path),
        )
    folder = base if base is not None else path.parent
    documents = []
    for entry in entries:
        pdf = entry.get("pdf")
        pages = pdf_pages(folder / pdf) if isinstance(pdf, str) and "pages" not in entry else None
        try:
            documents.append(parse_document(entry, pdf_pages=pages))
        except ConfigError as e:
            raise ConfigError(e.message, span=SourceSpan(path)) from None
    return tuple(documents)


def pdf_pages(path: Path) -> int:
    """The number of pages of the PDF at `path`."""
    from ..sources.pdf.document import open_pdf  # PyMuPDF: only for PDFs on the list

    if not path.is_file():
        raise ConfigError(
            "no such PDF on the reading list: check the path, or give a title and pages",
            span=SourceSpan(path),
        )
    with open_pdf(path) as doc:
        return int(doc.page_count)


def save_reading(config: Path, documents: tuple[Document, ...]) -> None:
    """Write `documents` as the `[[reading]]` tables of `config`, keeping everything else."""
    before = read_toml(config) if config.exists() else {}
    text = config.read_bytes().decode("utf-8") if config.exists() else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    new = replace_tables(text, "reading", reading_tables(documents, newline=newline))
    try:
        after: dict[str, Any] | None = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        after = None
    others = {k: v for k, v in before.items() if k != "reading"}
    if (
        after is None
        or after.get("reading", []) != [d.to_dict() for d in documents]
        or {k: v for k, v in after.items() if k != "reading"} != others
    ):
        raise ConfigError(
            f"cannot save the reading list without changing the rest of {CONFIG_NAME}: write it "
            "as [[reading]] tables (no 'reading' key elsewhere), or remove it by hand"
        )
    write_atomically(config, new.encode("utf-8"))


def reading_tables(documents: tuple[Document, ...], *, newline: str = "\n") -> str:
    """The `[[reading]]` tables as TOML text."""
    lines: list[str] = []
    for number, document in enumerate(documents):
        lines += ["", "[[reading]]"] if number else ["[[reading]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in document.to_dict().items()]
    return newline.join(lines) + newline
