"""ankify.toml: the project's settings, found at the project's root (see `workspace`)."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import DeckKind, SourceSpan
from .workspace import CONFIG_NAME, Workspace, find_root

DEFAULT_DECK_PATTERNS = {
    DeckKind.ON_THE_GO: "On the go::{deck}",
    DeckKind.PEN_AND_PAPER: "Pen and paper::{deck}",
}
_DECK_KEYS = {kind.value: kind for kind in DeckKind}


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for building the sources of one project."""

    root: Path
    on_the_go: str = DEFAULT_DECK_PATTERNS[DeckKind.ON_THE_GO]
    pen_and_paper: str = DEFAULT_DECK_PATTERNS[DeckKind.PEN_AND_PAPER]
    macros: tuple[tuple[str, str], ...] = ()
    # `[lint]`: rule -> on/off or threshold (checked against the rules by `lint.rules`). Not
    # in the repr: the build's cache keys hold the repr, and lint changes no card.
    lint: tuple[tuple[str, bool | float], ...] = field(default=(), repr=False)

    def deck_name(self, kind: DeckKind, deck: str) -> str:
        pattern = self.on_the_go if kind is DeckKind.ON_THE_GO else self.pen_and_paper
        return pattern.replace("{deck}", deck)

    @property
    def workspace(self) -> Workspace:
        return Workspace(self.root)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables; ConfigError (naming the file) when it is not valid TOML."""
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text: save it as UTF-8", span=SourceSpan(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"invalid TOML: {e}", span=SourceSpan(path)) from None


def load_config(start: Path) -> Config:
    """Read the ankify.toml of the project `start` belongs to (defaults when there is none)."""
    root = find_root(start)
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config(root=root)
    data = read_toml(path)
    decks = data.get("decks", {})
    if not isinstance(decks, dict):
        raise ConfigError(
            '[decks] must be a table: on_the_go = "On the go::{deck}"', span=_line_of(path, "decks")
        )
    patterns = dict(DEFAULT_DECK_PATTERNS)
    for key, value in decks.items():
        if key not in _DECK_KEYS:
            hint = difflib.get_close_matches(key, _DECK_KEYS, n=1)
            fix = f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(_DECK_KEYS)}"
            raise ConfigError(f"unknown key {key!r} in [decks]: {fix}", span=_line_of(path, key))
        if not isinstance(value, str) or not value.strip(" :"):
            raise ConfigError(
                f'[decks] {key} must be a deck name such as "On the go::{{deck}}"',
                span=_line_of(path, key),
            )
        patterns[_DECK_KEYS[key]] = value
    macros = data.get("macros", {})
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise ConfigError(
            '[macros] must map names to LaTeX: "\\\\R" = "\\\\mathbb{R}"',
            span=_line_of(path, "macros"),
        )
    return Config(
        root=root,
        on_the_go=patterns[DeckKind.ON_THE_GO],
        pen_and_paper=patterns[DeckKind.PEN_AND_PAPER],
        macros=tuple(sorted(macros.items())),
        lint=_lint(data.get("lint", {}), path),
    )


def _lint(table: object, path: Path) -> tuple[tuple[str, bool | float], ...]:
    """`[lint]`: each rule on or off (`yes-no = false`), or its threshold (`long-answer = 40`)."""
    if not isinstance(table, dict):
        raise ConfigError(
            "[lint] must be a table: long-answer = 40, yes-no = false", span=_line_of(path, "lint")
        )
    settings: list[tuple[str, bool | float]] = []
    for key, value in table.items():
        if not isinstance(value, bool) and (not isinstance(value, int | float) or value <= 0):
            raise ConfigError(
                f"[lint] {key} must be true, false or a threshold above 0 (long-answer = 40)",
                span=_line_of(path, key),
            )
        settings.append((key, value))
    return tuple(settings)


def key_span(root: Path, key: str) -> SourceSpan:
    """Where `key` stands in the ankify.toml of the project at `root`, for messages."""
    return _line_of(root / CONFIG_NAME, key)


def _line_of(path: Path, key: str) -> SourceSpan:
    """Best-effort line of a key in a TOML file, for error messages."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip().strip("[]").strip()
        if stripped.split("=", 1)[0].strip().strip('"') == key:
            return SourceSpan(path, number)
    return SourceSpan(path)
