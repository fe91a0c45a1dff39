"""A 720-page plan with its forecast of the daily Anki time prints in well under a second.

    python benchmarks/plan.py [--runs 5]

Times `ankify plan --book dlbook --start 2026-12-01` as a user runs it (a fresh Python
process each time, imports included, in an empty project), at 1, 2 and 3 cards a page: the
forecast (8 simulated runs of FSRS-6, day by day) and, at 2 and 3 cards a page, the search for
the plan that fits the 60-minute budget. Then the forecast alone, in-process, and the peaks it
finds (the issue measured about 20/41/61 minutes of reviews and 30/60/89 with learning).
Last, the searches a heavy plan makes: at 10 cards a page or retention 0.99 (the plan that
fits is a page or two a day), and at 50 or 100 cards a page (no plan fits: it fails fast).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from ankify.pacing.books import load_book
from ankify.pacing.budget import Pacing, outlook
from ankify.pacing.forecast import Simulator
from ankify.pacing.memory import Habits, Model
from ankify.pacing.plan import make_plan
from ankify.pacing.schedule import make_schedule

START = date(2026, 12, 1)


def command_seconds(cards_per_page: float, runs: int, *options: str) -> float:
    """Median wall time of `ankify plan` in a fresh process, in a fresh project (failing or
    not: a budget no plan fits fails)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / ".git").mkdir()
            begin = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ankify",
                    "plan",
                    "--book",
                    "dlbook",
                    "--start",
                    START.isoformat(),
                    "--cards-per-page",
                    str(cards_per_page),
                    *options,
                ],
                cwd=folder,
                check=False,
                capture_output=True,
            )
            times.append(time.perf_counter() - begin)
    return statistics.median(times)


def forecast_seconds(cards_per_page: float, runs: int) -> tuple[float, float, float]:
    """Median time of the forecast alone, and its peaks (reviews, reviews and learning)."""
    schedule = make_schedule(make_plan(pages=None, start=START, book=load_book("dlbook")))
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        view = outlook(schedule, (), Pacing(cards_per_page), Simulator(Model(), Habits()))
        times.append(time.perf_counter() - begin)
    load = view.load
    return statistics.median(times), load.review_minutes[load.review_peak], view.peak_minutes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print("cards/page  ankify plan  forecast alone  peak reviews  peak with learning")
    for cards_per_page in (1.0, 2.0, 3.0):
        command = command_seconds(cards_per_page, runs)
        alone, reviews, total = forecast_seconds(cards_per_page, runs)
        print(
            f"{cards_per_page:10.0f}  {command:9.2f} s  {alone:12.2f} s  {reviews:8.0f} min  "
            f"{total:14.0f} min"
        )
    print("\nsearch for the plan that fits 60 min    ankify plan")
    for cards_per_page, options in (
        (10.0, ()),
        (2.0, ("--retention", "0.99")),
        (50.0, ()),
        (100.0, ()),
    ):
        what = f"{cards_per_page:.0f} cards a page {' '.join(options)}"
        print(f"{what:38}  {command_seconds(cards_per_page, runs, *options):9.2f} s")


if __name__ == "__main__":
    main()
