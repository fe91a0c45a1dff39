"""ankify: turn what you read into Anki flashcards, at a pace you can keep."""

from .errors import AnkifyError, ConfigError, SourceError
from .model import (
    CardKind,
    DeckKind,
    Draft,
    FrontMatter,
    Note,
    PageRange,
    Rendered,
    RenderedSource,
    Source,
    SourceSpan,
)

__version__ = "0.1.0"

__all__ = [
    "AnkifyError",
    "CardKind",
    "ConfigError",
    "DeckKind",
    "Draft",
    "FrontMatter",
    "Note",
    "PageRange",
    "Rendered",
    "RenderedSource",
    "Source",
    "SourceError",
    "SourceSpan",
    "__version__",
]
