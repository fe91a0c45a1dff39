"""What `ankify lint` costs on the synthetic 10,000-card book of bench.py, and what it adds to a
build.

    python benchmarks/lint.py [--runs 3]

- lint alone, in this process, every rule on and no cache: the checks and the reading;
- `ankify lint book` as a whole process: cold (no `.ankify/cache/lint/`) and cached;
- `ankify build book`: cold and with nothing changed, beside the same builds without lint
  (`build_paths`, which the command calls before it lints), so the difference is lint's;
- near-duplicate alone on the book's 10,000 template questions.

Medians of several runs, as a markdown table. The machine is shared: compare within a run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import generate, median, timed

from ankify.lint.duplicates import near_duplicates
from ankify.lint.run import lint_paths


def _build_without_lint(folder: Path) -> float:
    """A build as `ankify build book -o decks` runs it, in a process of its own, without lint."""
    code = (
        "import time; from pathlib import Path; "
        "from ankify.build.pipeline import build_paths; "
        "build_paths([Path('book')], Path('decks'), now=time.time())"
    )
    return timed([sys.executable, "-c", code], folder)


def _clean(folder: Path) -> None:
    shutil.rmtree(folder / "decks", ignore_errors=True)
    shutil.rmtree(folder / ".ankify", ignore_errors=True)
    (folder / ".ankify-state.json").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    ankify = str(Path(sys.executable).with_name("ankify"))

    with tempfile.TemporaryDirectory(prefix="ankify-lint-") as temporary:
        folder = Path(temporary)
        generate(folder)
        book = folder / "book"

        in_process = []
        for _ in range(args.runs):
            start = time.perf_counter()
            report = lint_paths([book], cache=False)
            in_process.append(time.perf_counter() - start)
        cards = report.cards

        lint_cold, lint_warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(folder / ".ankify", ignore_errors=True)
            lint_cold.append(timed([ankify, "lint", "book", "--warn-only"], folder))
            lint_warm.append(timed([ankify, "lint", "book", "--warn-only"], folder))

        with_lint, without_lint = [], []
        unchanged_with, unchanged_without = [], []
        for _ in range(args.runs):
            _clean(folder)
            without_lint.append(_build_without_lint(folder))
            unchanged_without.append(_build_without_lint(folder))
            _clean(folder)
            with_lint.append(timed([ankify, "build", "book", "-o", "decks"], folder))
            unchanged_with.append(timed([ankify, "build", "book", "-o", "decks"], folder))

        questions = [
            ["what", "value", f"$x_{{{i}}}", "case", f"{i // 500}-{i % 500}"] for i in range(cards)
        ]
        start = time.perf_counter()
        near_duplicates(questions, 0.8)
        duplicates = time.perf_counter() - start

    rows = [
        (f"lint, in process, no cache ({cards:,} cards)", f"{median(in_process):.2f} s", ""),
        ("`ankify lint book`, cold", f"{median(lint_cold):.2f} s", ""),
        (
            "`ankify lint book`, cached",
            f"{median(lint_warm):.2f} s",
            f"{median(lint_warm) / median(lint_cold):.2f} of cold",
        ),
        (
            "cold build with lint (`ankify build`)",
            f"{median(with_lint):.2f} s",
            f"{median(with_lint) / median(without_lint):.2f}x without lint "
            f"({median(without_lint):.2f} s)",
        ),
        (
            "rebuild, nothing changed, with lint",
            f"{median(unchanged_with):.2f} s",
            f"{median(unchanged_with) / median(unchanged_without):.2f}x without lint "
            f"({median(unchanged_without):.2f} s)",
        ),
        (
            f"near-duplicate over {cards:,} template questions",
            f"{duplicates * 1000:.0f} ms",
            "",
        ),
    ]
    print(f"| measurement ({args.runs} runs, median) | value | ratio |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
