"""Building three pages of a PDF costs the same for an 800-page book as for a 40-page paper.

    python benchmarks/pdf_range.py [--runs 9]

Generates both PDFs with PyMuPDF (page labels, an outline, text on every page, three
highlights on each of the three pages built), then times `ankify build BOOK.pdf --pages …`
through the pipeline (read, cards, render, export) and reading alone, median of several runs.
Every timed build is cold: no output folder, no cache. `benchmarks/bench.py` reports the same
figures in its table.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pymupdf

from ankify.build.jobs import PdfOptions
from ankify.build.pipeline import build_paths
from ankify.config import Config, load_config
from ankify.model import PageLabels
from ankify.sources.pdf.drafts import read_pdf

LINE = "Line {k} of page {p}: the quick brown fox jumps over the lazy dog, again and again."
FRONT_MATTER = 10  # pages numbered i, ii, ... before page 1
FIRST, LAST = 21, 23  # the printed pages built


def make_pdf(path: Path, pages: int) -> Path:
    """A book of `pages` pages: roman front matter, then 1, 2, ...; a chapter every 20 pages."""
    doc = pymupdf.open()
    for p in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), [LINE.format(k=k, p=p) for k in range(45)], fontsize=10)
    doc.set_page_labels(
        [
            {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
            {"startpage": FRONT_MATTER, "prefix": "", "style": "D", "firstpagenum": 1},
        ]
    )
    doc.set_toc([[1, f"Chapter {c + 1}", FRONT_MATTER + 1 + 20 * c] for c in range(pages // 20)])
    for printed in range(FIRST, LAST + 1):
        page = doc[FRONT_MATTER + printed - 1]
        for word, note in (("quick", None), ("lazy", "Q: Which dog?"), ("again", "E: Why?")):
            annot = page.add_highlight_annot(page.search_for(word, quads=True)[printed % 5])
            if note:
                annot.set_info(content=note)
            annot.update()
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def median_seconds(action: object, runs: int, setup: object = None) -> float:
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()  # type: ignore[operator]
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(runs: int) -> list[tuple[int, float, float, float]]:
    """(pages, MB, read seconds, cold build seconds) for the 810- and the 50-page PDF."""
    pages = PageLabels.parse(f"{FIRST}-{LAST}")
    results = []
    with tempfile.TemporaryDirectory(prefix="ankify-bench-") as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        for count in (800, 40):
            pdf = make_pdf(root / f"book{count}.pdf", count + FRONT_MATTER)
            out = root / f"decks{count}"
            config = load_config(pdf)
            options = PdfOptions(pages=pages)

            def build(pdf: Path = pdf, out: Path = out, options: PdfOptions = options) -> None:
                build_paths([pdf], out, now=1736150400.0, pdf=options)

            def cold(out: Path = out) -> None:
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(root / ".ankify", ignore_errors=True)

            def read(pdf: Path = pdf, config: Config = config) -> None:
                read_pdf(pdf, config, pages=pages)

            build()  # warm up: imports, templates
            size = pdf.stat().st_size / 1e6
            read_s = median_seconds(read, runs)
            results.append((count + FRONT_MATTER, size, read_s, median_seconds(build, runs, cold)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    pages = f"{FIRST}-{LAST}"
    results = measure(args.runs)
    for count, size, read_s, build_s in results:
        print(
            f"{count:4d}-page PDF ({size:5.1f} MB), pages {pages}: "
            f"read {read_s * 1000:6.1f} ms, build {build_s * 1000:6.1f} ms "
            f"(median of {args.runs})"
        )
    (_, _, big_read, big_build), (_, _, small_read, small_build) = results
    print(
        f"800 vs 40 pages: reading x{big_read / small_read:.2f}, "
        f"building x{big_build / small_build:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="ankify-bench-") as folder:
        book = make_pdf(Path(folder) / "book.pdf", 800 + FRONT_MATTER)
        walk = median_seconds(lambda: walk_every_page(book), 3)
    print(f"for scale, reading the words of every page of the 810: {walk * 1000:.0f} ms")


def walk_every_page(pdf: Path) -> None:
    """What a reader that visits every page would pay (ankify never does)."""
    with pymupdf.open(pdf) as doc:
        for page in doc:
            page.get_text("words")


if __name__ == "__main__":
    main()
