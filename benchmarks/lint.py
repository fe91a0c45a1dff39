"""What `ankify lint` costs on the synthetic 10,000-card book of bench.py, and what it adds to a
build.

    python benchmarks/lint.py [--runs 3]

- lint alone, in this process, the rules on by default and no cache: reading and checking;
- `ankify lint book` as a whole process: cold (no `.ankify/cache/lint/`) and cached;
- `ankify build book`: cold, with nothing changed and after editing one chapter, beside the
  same builds without lint (`build_paths`, which the command calls before it lints), so the
  difference is lint's;
- near-duplicate alone on the book's 10,000 template questions.

Medians of several runs, as a markdown table. The machine is shared: compare within a run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import generate, median

from ankify.lint.duplicates import near_duplicates
from ankify.lint.run import lint_paths

#: (wall seconds, CPU seconds of the process and its workers) of one run.
Run = tuple[float, float]


def measured(command: list[str], cwd: Path) -> Run:
    """A command run as a whole process: its wall time, and the CPU time it and its workers
    used (what a loaded machine changes least)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _without_lint(folder: Path) -> Run:
    """A build as `ankify build book -o decks` runs it, in a process of its own, without lint."""
    code = (
        "import time; from pathlib import Path; "
        "from ankify.build.pipeline import build_paths; "
        "build_paths([Path('book')], Path('decks'), now=time.time())"
    )
    return measured([sys.executable, "-c", code], folder)


def _clean(folder: Path) -> None:
    shutil.rmtree(folder / "decks", ignore_errors=True)
    shutil.rmtree(folder / ".ankify", ignore_errors=True)
    (folder / ".ankify-state.json").unlink(missing_ok=True)


def _cell(runs: list[Run]) -> str:
    return f"{median([r[0] for r in runs]):.2f} s ({median([r[1] for r in runs]):.2f} s CPU)"


def _ratio(runs: list[Run], base: list[Run]) -> str:
    wall = median([r[0] for r in runs]) / median([r[0] for r in base])
    cpu = median([r[1] for r in runs]) / median([r[1] for r in base])
    return f"{wall:.2f}x ({cpu:.2f}x CPU) without lint: {_cell(base)}"


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

        lint = [ankify, "lint", "book", "--warn-only"]
        lint_cold, lint_warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(folder / ".ankify", ignore_errors=True)
            lint_cold.append(measured(lint, folder))
            lint_warm.append(measured(lint, folder))

        build = [ankify, "build", "book", "-o", "decks"]
        with_lint, without_lint = [], []
        unchanged_with, unchanged_without = [], []
        for _ in range(args.runs):
            # A build right after a cold one sometimes writes every package again (with or
            # without lint): one build settles the project before "nothing changed" is timed.
            _clean(folder)
            without_lint.append(_without_lint(folder))
            _without_lint(folder)
            unchanged_without.append(_without_lint(folder))
            _clean(folder)
            with_lint.append(measured(build, folder))
            measured(build, folder)
            unchanged_with.append(measured(build, folder))

        edited_with: list[Run] = []
        edited_without: list[Run] = []
        chapter = book / "ch07.md"
        for run in range(args.runs):
            for runs, command in ((edited_without, None), (edited_with, build)):
                text = chapter.read_text()
                edit = f"It is *computed* ({run}, {len(runs)}) as"
                chapter.write_text(text.replace("It is *computed* as", edit, 1))
                runs.append(measured(command, folder) if command else _without_lint(folder))

        questions = [
            ["what", "value", f"$x_{{{i}}}", "case", f"{i // 500}-{i % 500}"] for i in range(cards)
        ]
        start = time.perf_counter()
        near_duplicates(questions, 0.8)
        duplicates = time.perf_counter() - start

    rows = [
        (f"lint in process, no cache ({cards:,} cards)", f"{median(in_process):.2f} s", ""),
        ("`ankify lint book`, cold", _cell(lint_cold), ""),
        ("`ankify lint book`, cached", _cell(lint_warm), ""),
        (
            "cold build (`ankify build`, lint included)",
            _cell(with_lint),
            _ratio(with_lint, without_lint),
        ),
        (
            "rebuild, nothing changed",
            _cell(unchanged_with),
            _ratio(unchanged_with, unchanged_without),
        ),
        (
            "rebuild after editing one chapter",
            _cell(edited_with),
            _ratio(edited_with, edited_without),
        ),
        (f"near-duplicate over {cards:,} template questions", f"{duplicates * 1000:.0f} ms", ""),
    ]
    print(f"| measurement ({args.runs} runs, median) | value | ratio |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
