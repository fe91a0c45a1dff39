"""A PDF's outline (bookmarks) and title: the headings and deck its cards are filed under."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .document import pdf_errors


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """A bookmark of the PDF's outline: its level, title and where it points."""

    level: int
    title: str
    index: int  # physical page, 0-based
    top: float


def read_outline(doc: Any) -> tuple[OutlineEntry, ...]:
    """The outline (bookmarks) in reading order; entries that point nowhere are left out.

    A damaged outline reads as none: it costs the cards their headings, nothing more.
    """
    try:
        toc = doc.get_toc(simple=False)
    except pdf_errors():
        return ()
    entries = []
    for item in toc:
        level, title, page = int(item[0]), " ".join(str(item[1]).split()), int(item[2])
        if page < 1 or not title:
            continue
        target = item[3] if len(item) > 3 and isinstance(item[3], dict) else {}
        point = target.get("to")
        top = float(point.y) if point is not None and getattr(point, "y", None) is not None else 0.0
        entries.append(OutlineEntry(level, title, page - 1, top))
    return tuple(sorted(entries, key=lambda e: (e.index, e.top)))


def heading_path(
    outline: Sequence[OutlineEntry], index: int, top: float
) -> tuple[OutlineEntry, ...]:
    """The outline entries a place on a page sits under: chapter, section, subsection."""
    path: list[OutlineEntry] = []
    for entry in outline:
        if (entry.index, entry.top) > (index, top + 1):
            break
        path = [e for e in path if e.level < entry.level]
        path.append(entry)
    return tuple(path)


def document_title(doc: Any) -> str | None:
    """The title in the PDF's metadata, unless it is empty or a leftover file name."""
    title = " ".join(str((doc.metadata or {}).get("title") or "").split())
    if not title or title.casefold() in ("untitled", "title"):
        return None
    if re.search(r"\.(?:pdf|docx?|tex|dvi|ps|indd|odt)$", title, re.IGNORECASE):
        return None
    return title.replace("::", ":")
