"""Planned against done pages, pages a day and the forecast minutes of Anki, drawn with
matplotlib (the `plot` extra), on one time axis."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

from ..errors import ConfigError
from ..model import SourceSpan
from ..workspace import replacing
from .budget import Outlook
from .load import Load
from .report import ProgressPoint


def _figure() -> tuple[Any, Callable[[list[date]], list[float]]]:
    try:
        from matplotlib.dates import date2num
        from matplotlib.figure import Figure
    except ImportError:
        raise ConfigError(
            "a plot needs matplotlib: pip install 'ankify[plot]'", option="plot"
        ) from None
    to_numbers = cast("Callable[[list[date]], list[float]]", date2num)  # untyped in matplotlib
    return Figure(figsize=(8, 4.5), layout="constrained"), to_numbers


def _minutes(axes: Any, load: Load, to_numbers: Callable[[list[date]], list[float]]) -> Any:
    """The forecast minutes a day (mean and 90th percentile) on a second y axis."""
    twin = axes.twinx()
    days = list(to_numbers([load.day(i) for i in range(len(load))]))
    twin.plot(days, load.total_minutes, color="tab:red", label="Anki minutes (forecast)")
    twin.plot(
        days,
        load.total_p90,
        color="tab:red",
        linestyle="--",
        linewidth=0.8,
        label="90th percentile",
    )
    twin.plot(days, load.review_minutes, color="tab:orange", linewidth=1, label="reviews alone")
    twin.set_ylabel("minutes a day")
    twin.set_ylim(bottom=0)
    return twin


def write_outlook_plot(path: Path, view: Outlook, *, budget: float, title: str) -> None:
    """Pages a day (bars) and the forecast minutes of Anki a day, on one time axis."""
    figure, to_numbers = _figure()
    axes = figure.add_subplot()
    axes.xaxis_date()
    reading = [(d.date, len(d.pages)) for d in view.schedule.days]
    reading += [(d.date, d.page_count) for d in view.papers]
    days = list(to_numbers([d for d, _ in reading]))
    axes.bar(
        days, [n for _, n in reading], width=0.8, color="tab:blue", alpha=0.5, label="pages a day"
    )
    axes.set_ylabel("pages a day")
    axes.set_ylim(bottom=0)
    twin = _minutes(axes, view.load, to_numbers)
    twin.axhline(budget, color="grey", linestyle=":", linewidth=1, label="budget")
    twin.set_ylim(0, max(budget, *view.load.total_p90) * 1.1)
    _finish(figure, axes, twin, title)
    _save(figure, path)


def _finish(figure: Any, axes: Any, twin: Any, title: str) -> None:
    axes.set_title(title)
    axes.grid(alpha=0.3)
    handles, labels = axes.get_legend_handles_labels()
    if twin is not None:
        more_handles, more_labels = twin.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    axes.legend(handles, labels, loc="upper left", fontsize="small")
    figure.autofmt_xdate()


def check_plot_path(path: Path) -> None:
    """ConfigError unless a plot can be written at `path` (its folder exists): checked before
    the plan is made and saved."""
    folder = path.parent
    if not folder.exists():
        raise ConfigError(
            "its folder does not exist: create it, or write the plot to another folder",
            span=SourceSpan(path),
            option="plot",
        )


def _save(figure: Any, path: Path) -> None:
    check_plot_path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in figure.canvas.get_supported_filetypes():
        raise ConfigError(
            "use a .png, .svg or .pdf file name for a plot", span=SourceSpan(path), option="plot"
        )
    with replacing(path) as temporary:
        figure.savefig(temporary, format=suffix)


def write_plot(
    path: Path, points: Sequence[ProgressPoint], *, title: str, load: Load | None = None
) -> None:
    """A chart of planned against done pages over time, saved to `path` (.png, .svg, .pdf),
    with the forecast minutes of Anki a day from today when a `load` is given."""
    figure, to_numbers = _figure()
    axes = figure.add_subplot()
    axes.xaxis_date()
    days = list(to_numbers([p.date for p in points]))
    axes.plot(days, [p.planned for p in points], label="planned", color="tab:blue")
    done = [(day, p.done) for day, p in zip(days, points, strict=True) if p.done is not None]
    if done:
        axes.plot([d for d, _ in done], [n for _, n in done], label="done", color="tab:green")
        axes.axvline(done[-1][0], color="grey", linestyle=":", linewidth=1, label="today")
    axes.set_ylabel("pages")
    axes.set_ylim(bottom=0)
    twin = _minutes(axes, load, to_numbers) if load is not None and len(load) else None
    _finish(figure, axes, twin, title)
    _save(figure, path)
