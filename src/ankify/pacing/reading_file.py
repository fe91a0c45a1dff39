"""The `[[reading]]` tables of ankify.toml (or of a list such as papers.toml): read, with each
PDF's page count read from the file, and saved without touching the rest of ankify.toml."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path
from typing import Any

from ..config import read_toml
from ..errors import AnkifyError, ConfigError
from ..model import SourceSpan
from ..workspace import CONFIG_NAME, write_atomically
from .plan_file import replace_tables, toml_value
from .reading_list import Document, EntryError, check_unique, parse_document

#: A `[[reading]]` header (spaces allowed inside the brackets, a comment after it).
_HEADER = re.compile(r"\s*\[\[\s*(?:reading|\"reading\"|'reading')\s*\]\]\s*(?:#.*)?$")


def load_reading(path: Path, *, base: Path | None = None) -> tuple[Document, ...]:
    """The `[[reading]]` list of the TOML file at `path` (none when it has none); PDFs are named
    relative to `base` (else to the file's folder). Each document's span is its `[[reading]]`
    line; an error names the line (of the entry, or of the key at fault) and the entry."""
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
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    headers = _headers(lines)
    folder = base if base is not None else path.parent
    documents = []
    for number, entry in enumerate(entries):
        line = headers[number] if len(headers) == len(entries) else None
        pdf, title = entry.get("pdf"), entry.get("title")
        name = title if _text(title) else pdf if _text(pdf) else None
        label = f'[[reading]] "{str(name).strip()}"' if name is not None else "[[reading]]"
        pages = None
        if _text(pdf) and "pages" not in entry:
            try:
                pages = pdf_pages(folder / pdf)
            except AnkifyError as e:
                at = SourceSpan(path, _key_line(lines, line, "pdf"))
                raise ConfigError(f"{pdf}: {e.message}", span=at) from None
        try:
            document = parse_document(entry, pdf_pages=pages)
        except EntryError as e:
            at = SourceSpan(path, _key_line(lines, line, e.key))
            raise ConfigError(f"{label}: {e.message}", span=at) from None
        documents.append(dataclasses.replace(document, span=SourceSpan(path, line)))
    check_unique(documents, lambda pdf: (folder / pdf).resolve())
    return tuple(documents)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _headers(lines: list[str]) -> list[int]:
    """The lines (from 1) of the `[[reading]]` headers (tomllib gives no positions)."""
    return [n for n, text in enumerate(lines, start=1) if _HEADER.match(text)]


def _key_line(lines: list[str], header: int | None, key: str | None) -> int | None:
    """The line of `key` in the table whose header is on line `header` (else that line)."""
    if header is None or key is None:
        return header
    pattern = re.compile(rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for n in range(header, len(lines)):
        if lines[n].lstrip().startswith("["):
            break
        if pattern.match(lines[n]):
            return n + 1
    return header


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
