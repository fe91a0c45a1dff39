"""ankify watch: a round (build, or build and sync) at the start and after every change to a
note, an image or ankify.toml below the projects watched, with watchfiles.

Changes come in bursts (an editor saves through a temporary file; a `git checkout` touches
many files): watchfiles gathers each burst into one set of changes (`debounce`), and a round
runs once per set. Ankify's own writes (the packages, the state, the cache) are not changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..workspace import CONFIG_NAME, WORKSPACE_NAME, find_root

#: What a note shows, besides the notes themselves: images and PDFs (`#page=` pictures).
WATCHED_SUFFIXES = frozenset(
    (".md", ".markdown", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf")
)
_IGNORED_FOLDERS = frozenset((WORKSPACE_NAME, ".git", "decks", "node_modules"))


def relevant(path: Path, roots: Iterable[Path]) -> bool:
    """Whether a change to `path` may change a build: a note, an image or ankify.toml, not in a
    folder ankify or git writes."""
    for root in roots:
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            continue
        if any(part in _IGNORED_FOLDERS or part.startswith(".") for part in parts[:-1]):
            return False
        name = path.name
        if name.startswith(".") or name.endswith(".tmp"):
            return False
        return name == CONFIG_NAME or path.suffix.lower() in WATCHED_SUFFIXES
    return False


def watch(
    paths: Sequence[Path],
    round: Callable[[], None],
    *,
    debounce_ms: int = 300,
    stop: threading.Event | None = None,
) -> None:
    """Run `round` now and after every relevant change below the projects of `paths`, until
    Ctrl-C (or `stop`)."""
    import watchfiles

    roots = sorted({find_root(path) for path in paths})
    first = True
    try:
        # The first round runs once the watcher is up (its first timeout), so that a save made
        # while it runs is the next round's, never lost.
        for changes in watchfiles.watch(
            *roots,
            watch_filter=lambda _, name: relevant(Path(name), roots),
            debounce=debounce_ms,
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
            stop_event=stop,
        ):
            if changes or first:
                first = False
                round()
    except KeyboardInterrupt:
        return  # Ctrl-C during a round: stop as cleanly as between rounds
