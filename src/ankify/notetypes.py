"""Anki note types: the three kinds of note ankify writes, and their HTML/CSS templates.

Kept apart from export.py so a build can tell whether the templates changed without
importing genanki.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .model import CardKind


@dataclass(frozen=True, slots=True)
class NoteType:
    """An Anki note type. Released ids and fields never change: Anki would refuse the update."""

    id: int
    name: str
    fields: tuple[str, str, str, str]  # (front, back, context, source) in every note type
    template: str
    # Not in the repr: the templates' hash is made from it, and released hashes stay put.
    cloze: bool = field(default=False, repr=False)

    @property
    def card_name(self) -> str:
        """The name of the note type's one card template."""
        return "Cloze" if self.cloze else "Card 1"


NOTE_TYPES = {
    CardKind.QUESTION: NoteType(
        1763712001, "ankify Question", ("Question", "Answer", "Context", "Source"), "question"
    ),
    CardKind.CLOZE: NoteType(
        1763712002, "ankify Cloze", ("Text", "Extra", "Context", "Source"), "cloze", cloze=True
    ),
    CardKind.EXERCISE: NoteType(
        1763712003, "ankify Exercise", ("Exercise", "Solution", "Context", "Source"), "exercise"
    ),
}


def templates_dir() -> Path:
    """The note types' HTML/CSS: inside the installed package, or the repository's templates/."""
    packaged = Path(str(resources.files("ankify"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@functools.cache
def template_texts() -> dict[str, str]:
    folder = templates_dir()
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def card_html(note_type: NoteType, side: str) -> str:
    """A side (`front` or `back`) of the note type's card template: its HTML, then the script
    that fits wide display math to the card (ankify.js, shared by every template)."""
    texts = template_texts()
    return f"{texts[f'{note_type.template}.{side}.html']}<script>\n{texts['ankify.js']}</script>\n"


def templates_hash() -> str:
    """Changes whenever a template or the stylesheet changes (Anki then updates note types)."""
    digest = hashlib.sha256()
    for name, text in template_texts().items():
        digest.update(f"{name}\x00{text}\x00".encode())
    for kind, note_type in NOTE_TYPES.items():
        digest.update(f"{kind.value}:{note_type}".encode())
    return digest.hexdigest()[:32]
