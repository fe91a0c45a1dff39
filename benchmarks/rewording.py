"""Recognising rewordings stays fast when every question of a 10,000-card book is reworded.

    python benchmarks/rewording.py [--runs 3]

Builds the synthetic book of `bench.py` (20 chapters x 500 cards), rewords every question
("What is the value of …" -> "What's the value of …, exactly"), rebuilds, and reports the
time the rebuild spent matching cards with the notes the first build made (identity across
the project), the whole rebuild's time, and how many notes were kept (all of them, or the
rewordings were not recognised). `benchmarks/bench.py` reports the same figures in its table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import bench

from ankify.build import project as project_module
from ankify.build.pipeline import build_paths
from ankify.build.state import STATE_NAME, load_state


def measure(runs: int) -> tuple[float, float, int, int]:
    """(matching seconds, rebuild seconds, notes kept, notes): medians over `runs`."""
    matching, rebuilding, kept, total = [], [], 0, 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="ankify-rewording-") as temporary:
            folder = Path(temporary)
            book, _ = bench.generate(folder)
            build_paths([book], folder / "decks", now=time.time(), jobs=1)
            before = _guids(folder)
            for chapter in sorted(book.glob("*.md")):
                text = chapter.read_text()
                text = text.replace("Q: What is the **value**", "Q: What's the **value**")
                chapter.write_text(text.replace("?\nA:", ", exactly?\nA:"))
            spent = _Timed(project_module.assign)
            project_module.assign = spent  # type: ignore[assignment]
            try:
                start = time.perf_counter()
                build_paths([book], folder / "decks", now=time.time(), jobs=1)
                rebuilding.append(time.perf_counter() - start)
            finally:
                project_module.assign = spent.function  # type: ignore[assignment]
            matching.append(spent.seconds)
            after = _guids(folder)
            kept, total = len(before & after), len(before)
    return statistics.median(matching), statistics.median(rebuilding), kept, total


class _Timed:
    def __init__(self, function: Any) -> None:
        self.function, self.seconds = function, 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def _guids(folder: Path) -> set[str]:
    state = load_state(folder / STATE_NAME)
    assert state is not None
    return {record.guid for key in state.sources() for record in state.records(key)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs (median)")
    args = parser.parse_args()
    matching, rebuild, kept, total = measure(args.runs)
    print(f"matching {total:,} reworded cards: {matching:.2f} s (rebuild {rebuild:.2f} s)")
    print(f"notes kept: {kept:,} of {total:,}")


if __name__ == "__main__":
    main()
