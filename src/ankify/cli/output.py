"""What the command line draws on a terminal: a progress bar for long work."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

import click

from ..progress import Progress


class Bar(Progress):
    """click's progress bar, drawn only once a stage has run long enough to be worth watching."""

    def __init__(self, file: TextIO, delay: float = 0.4) -> None:
        self.file, self.delay = file, delay
        self.bar: Any = None
        self.label, self.total, self.done, self.started = "", 0, 0, 0.0

    def stage(self, label: str, total: int) -> None:
        self.finish()
        self.label, self.total, self.done = label, total, 0
        self.started = time.perf_counter()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.bar is not None:
            self.bar.update(steps)
        elif self._worth_showing():
            self.bar = click.progressbar(
                length=self.total, label=self.label, file=self.file, show_pos=True
            )
            self.bar.__enter__()
            self.bar.update(self.done)

    def _worth_showing(self) -> bool:
        unfinished = self.total > 1 and self.done < self.total
        return unfinished and time.perf_counter() - self.started >= self.delay

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def bar() -> Progress | None:
    """A progress bar on stderr for long work; nothing at all when stderr is not a terminal."""
    return Bar(sys.stderr) if sys.stderr.isatty() else None
