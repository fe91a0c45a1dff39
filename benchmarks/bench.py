"""ankify's speed and memory on a synthetic 10,000-card book, beside a peer tool when installed.

    python benchmarks/bench.py [--runs 3] [--peer /path/to/mdankideck]

Generates 20 chapter files x 500 question cards (inline and display math, emphasis) in a
temporary folder, in ankify's syntax and in markdown-anki-decks' (`## question`, answer below),
and reports medians of several runs as a markdown table:

- cold build: empty output folder, no state, no cache (and with `--jobs 1`, on one core);
- rebuild after editing one chapter, and with nothing changed;
- start-up: `ankify --help` against `python -c "import click"`;
- peak memory (max RSS) of a cold build: the main process, and the largest worker;
- the PDF range cost: 3 pages of an 810-page PDF against 3 of a 50-page one (pdf_range.py);
- recognising rewordings: every question of the book reworded, the time spent matching
  (rewording.py);
- the peer's build of the same content (markdown-anki-decks' `mdankideck`), when given or on PATH.

Ratios matter more than seconds: they hold on a noisy machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdf_range
import rewording

FILES = 20
CARDS = 500


def card(chapter: int, index: int) -> tuple[str, str]:
    question = (
        f"What is the **value** of $x_{{{index}}}^2 + \\frac{{a_{{{index}}}}}{{b}}$ "
        f"in case {chapter}-{index}?"
    )
    answer = (
        "It is *computed* as\n\n"
        f"$$\\sum_{{k=1}}^{{{index}}} k^2 = \\frac{{n(n+1)(2n+1)}}{{6}}$$\n\n"
        f"and $y = {index}$."
    )
    return question, answer


def generate(folder: Path) -> tuple[Path, Path]:
    ours, peer = folder / "book", folder / "peer-book"
    ours.mkdir(parents=True)
    peer.mkdir(parents=True)
    (folder / ".git").mkdir()  # the project root
    for chapter in range(FILES):
        mine = [f"# Chapter {chapter + 1}\n"]
        theirs = [f"# Chapter {chapter + 1}\n"]
        for index in range(CARDS):
            question, answer = card(chapter, index)
            mine.append(f"Q: {question}\nA: {answer}\n")
            theirs.append(f"## {question}\n\n{answer}\n")
        (ours / f"ch{chapter:02d}.md").write_text("\n".join(mine))
        (peer / f"ch{chapter:02d}.md").write_text("\n".join(theirs))
    return ours, peer


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    # The peer warns on stderr for every note; neither tool's output is measured.
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def peak_memory_mb(folder: Path, out: Path) -> tuple[float, float]:
    """Max RSS of a cold build's main process, and of its largest worker (0 without workers)."""
    code = (
        "import resource, time; from pathlib import Path; "
        "from ankify.build.pipeline import build_paths; "
        f"build_paths([Path('book')], Path({str(out)!r}), now=time.time()); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    shutil.rmtree(folder / ".ankify", ignore_errors=True)
    (folder / ".ankify-state.json").unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, check=True, capture_output=True, text=True
    )
    main, worker = done.stdout.split()
    return int(main) / 1024, int(worker) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--peer", help="markdown-anki-decks' mdankideck command")
    args = parser.parse_args()
    ankify = str(Path(sys.executable).with_name("ankify"))
    peer = args.peer or shutil.which("mdankideck")

    with tempfile.TemporaryDirectory(prefix="ankify-bench-") as temporary:
        folder = Path(temporary)
        generate(folder)
        out = folder / "decks"

        def cold_build(*options: str) -> float:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(folder / ".ankify", ignore_errors=True)
            (folder / ".ankify-state.json").unlink(missing_ok=True)
            return timed([ankify, "build", "book", "-o", str(out), *options], folder)

        one_core = [cold_build("--jobs", "1") for _ in range(args.runs)]
        cold = [cold_build() for _ in range(args.runs)]

        rebuild = []
        chapter = folder / "book" / "ch07.md"
        for run in range(args.runs):
            text = chapter.read_text()
            chapter.write_text(
                text.replace("It is *computed* as", f"It is *computed* ({run}) as", 1)
            )
            rebuild.append(timed([ankify, "build", "book", "-o", str(out)], folder))
        unchanged = [timed([ankify, "build", "book", "-o", str(out)], folder) for _ in range(3)]

        startup = median([timed([ankify, "--help"], folder) for _ in range(10)])
        click = median([timed([sys.executable, "-c", "import click"], folder) for _ in range(10)])
        memory, worker = peak_memory_mb(folder, folder / "decks-memory")
        pdfs = pdf_range.measure(max(args.runs, 5))
        matching, _, kept, reworded = rewording.measure(args.runs)

        rows = [
            ("cold build, 10,000 cards", f"{median(cold):.2f} s", ""),
            (
                "cold build, one process (`--jobs 1`)",
                f"{median(one_core):.2f} s",
                f"{median(one_core) / median(cold):.2f}x the default",
            ),
            (
                "rebuild after editing one chapter",
                f"{median(rebuild):.2f} s",
                f"{median(rebuild) / median(cold):.2f} of cold",
            ),
            (
                "rebuild, nothing changed",
                f"{median(unchanged):.2f} s",
                f"{median(unchanged) / median(cold):.2f} of cold",
            ),
            (
                "`ankify --help` start-up",
                f"{startup * 1000:.0f} ms",
                f"{startup / click:.2f}x `import click` ({click * 1000:.0f} ms)",
            ),
            (
                "peak memory, cold build",
                f"{memory:.0f} MB",
                f"largest worker {worker:.0f} MB" if worker else "no workers",
            ),
        ]
        (big, _, _, big_build), (small, _, _, small_build) = pdfs
        rows.append(
            (
                f"3 pages of a {big}-page PDF, cold",
                f"{big_build * 1000:.0f} ms",
                f"{big_build / small_build:.2f}x 3 pages of a {small}-page PDF",
            )
        )
        rows.append(
            (
                f"matching {reworded:,} reworded questions",
                f"{matching:.2f} s",
                f"{kept:,} notes kept",
            )
        )
        if peer:
            times = []
            for _ in range(args.runs):
                shutil.rmtree(folder / "peer-out", ignore_errors=True)
                (folder / "peer-out").mkdir()  # mdankideck does not create it
                times.append(timed([peer, "peer-book", "peer-out"], folder))
            rows.append(
                (
                    "markdown-anki-decks, same content",
                    f"{median(times):.2f} s",
                    f"ankify cold = {median(cold) / median(times):.2f} of it",
                )
            )

    print(f"| measurement ({args.runs} runs, median) | value | ratio |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
