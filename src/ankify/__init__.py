"""ankify: turn what you read into Anki flashcards, at a pace you can keep."""

from .errors import AnkifyError, ConfigError, SourceError
from .model import Card, CardKind, DeckKind, Draft, FrontMatter, Note, PageRange, Source, SourceSpan

__version__ = "0.1.0"

__all__ = [
    "AnkifyError",
    "Card",
    "CardKind",
    "ConfigError",
    "DeckKind",
    "Draft",
    "FrontMatter",
    "Note",
    "PageRange",
    "Source",
    "SourceError",
    "SourceSpan",
    "__version__",
]
