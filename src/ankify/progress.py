"""How a long piece of work reports how far it has got (the CLI draws a bar from it)."""

from __future__ import annotations


class Progress:
    """Stages of counted steps. This one shows nothing; subclasses show something."""

    def stage(self, label: str, total: int) -> None:
        """A stage of `total` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """`steps` more steps of the current stage are done."""

    def finish(self) -> None:
        """The work is over, whether or not it succeeded."""
