"""The record of what was read: the `pages:` of the notes in the notes folder."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path

from ..config import Config
from ..errors import AnkifyError, ConfigError, raise_all
from ..model import CardKind, SourceSpan
from ..sources.frontmatter import parse_front_matter, read_text, split_front_matter
from ..workspace import note_files
from .report import NotePages

# `date: 2026-12-03` (quoted or not, maybe followed by a time) in a front matter header.
_DATE = re.compile(r"""^date[ \t]*:[ \t]*["']?(\d{4}-\d{2}-\d{2})\b""", re.MULTILINE)


def read_notes(sources: Path, *, count_cards: Config | None = None) -> tuple[NotePages, ...]:
    """The notes under `sources` that record pages read (`pages:` in their front matter).

    A note was written on its front matter's `date:` if it has one, else on the day the file was
    last modified. With `count_cards` (the project's settings), each note's cards are counted
    as a build makes them (a cloze note makes one card per cloze number).
    """
    if not sources.is_dir():
        raise ConfigError(
            "no such folder of notes: write your notes there, or name the folder they are in",
            span=SourceSpan(sources),
            option="sources",
        )
    notes = []
    errors: list[AnkifyError] = []
    for path in note_files(sources):
        try:
            header, _ = split_front_matter(read_text(path), path)
            front = parse_front_matter(header, path)
            if front.pages:
                written = _date_in(header) or date.fromtimestamp(path.stat().st_mtime)
                cards = _cards_in(path, count_cards) if count_cards is not None else None
                notes.append(NotePages(path, front.pages, written, front.source, cards))
        except AnkifyError as e:
            errors.append(e)
    raise_all(errors)
    return tuple(notes)


def _cards_in(path: Path, config: Config) -> int | None:
    """The cards a build makes of the note at `path` (None when a build would stop at it: the
    build says why; pacing goes on without it)."""
    from ..sources.markdown import read_markdown  # markdown-it: only when cards are counted

    try:
        source = read_markdown(path, config)
    except AnkifyError:
        return None
    return sum(
        max(len(d.cloze_numbers), 1) if d.kind is CardKind.CLOZE else 1 for d in source.drafts
    )


def _date_in(header: str | None) -> date | None:
    """The `date:` of a front matter header (as note-taking apps write it), if it has one.

    Other tools' dates in other forms ("Dec 3, 2026") are theirs: the file's date is used then.
    """
    match = _DATE.search(header or "")
    if match is None:
        return None
    with contextlib.suppress(ValueError):
        return date.fromisoformat(match.group(1))
    return None
