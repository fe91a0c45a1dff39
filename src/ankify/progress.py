"""How a long piece of work reports how far it has got (the CLI draws a bar from it)."""

from __future__ import annotations

from collections.abc import Callable

#: Called as `on_page(done, total)` while a PDF's pages are read.
PageCallback = Callable[[int, int], None]


class Progress:
    """Stages of counted steps. This one shows nothing; subclasses show something."""

    def stage(self, label: str, total: int) -> None:
        """A stage of `total` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""

    def finish(self) -> None:
        """The work is over, whether or not it succeeded."""


def page_callback(progress: Progress, label: str) -> PageCallback:
    """An `on_page(done, total)` for a PDF reader: its pages as a stage of their own."""
    shown = 0

    def on_page(done: int, total: int) -> None:
        nonlocal shown
        if shown == 0:
            progress.stage(label, total)
        progress.advance(done - shown)
        shown = done

    return on_page
