"""Planned against done pages, drawn with matplotlib (the `plot` extra)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import cast

from ..errors import ConfigError
from ..model import SourceSpan
from ..workspace import replacing
from .report import ProgressPoint


def write_plot(path: Path, points: Sequence[ProgressPoint], *, title: str) -> None:
    """A chart of planned against done pages over time, saved to `path` (.png, .svg, .pdf)."""
    try:
        from matplotlib.dates import date2num
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError(
            "a plot needs matplotlib: pip install 'ankify[plot]'", option="plot"
        ) from None
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.add_subplot()
    axes.xaxis_date()
    to_numbers = cast("Callable[[list[date]], list[float]]", date2num)  # untyped in matplotlib
    days = list(to_numbers([p.date for p in points]))
    axes.plot(days, [p.planned for p in points], label="planned", color="tab:blue")
    done = [(day, p.done) for day, p in zip(days, points, strict=True) if p.done is not None]
    if done:
        axes.plot([d for d, _ in done], [n for _, n in done], label="done", color="tab:green")
        axes.axvline(done[-1][0], color="grey", linestyle=":", linewidth=1, label="today")
    axes.set_title(title)
    axes.set_ylabel("pages")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    figure.autofmt_xdate()
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in figure.canvas.get_supported_filetypes():
        raise ConfigError(
            "use a .png, .svg or .pdf file name for a plot", span=SourceSpan(path), option="plot"
        )
    with replacing(path) as temporary:
        figure.savefig(temporary, format=suffix)
