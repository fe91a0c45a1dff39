"""`ankify sync` on the synthetic 10,000-card book of bench.py, into a real Anki collection.

    python benchmarks/sync.py [--runs 5]

Reports medians as a markdown table:

- the first sync (10,000 notes added), against a cold build, on the command line;
- a sync with nothing changed, against the build alone (`build_paths`, in this process, in
  turns with the sync so both see the same load): what syncing costs beyond the build (the
  issue asks for at most 1 s), plus what the command line pays to import Anki's library;
- a sync after editing one chapter, against the build after the same edit, and how many notes
  Anki saw modified (only that chapter's 500 should be).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from bench import generate, median, timed

from ankify.build.pipeline import build_paths
from ankify.sync.collection import Place
from ankify.sync.run import sync_paths


def notes_modified_since(collection: Path, since: int) -> int:
    from anki.collection import Collection

    col = Collection(str(collection))
    try:
        return int(col.db.scalar("select count() from notes where mod >= ?", since))
    finally:
        col.close()


def seconds(function: object, *args: object, **options: object) -> float:
    start = time.perf_counter()
    function(*args, **options)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    ankify = str(Path(sys.executable).with_name("ankify"))

    with tempfile.TemporaryDirectory(prefix="ankify-sync-bench-") as temporary:
        folder = Path(temporary)
        generate(folder)
        collection = folder / "anki" / "collection.anki2"
        collection.parent.mkdir()
        from anki.collection import Collection

        Collection(str(collection)).close()
        place = Place(collection, collection.parent / "backups")

        cold_build = timed([ankify, "build", "book", "-o", "cold"], folder)
        first = timed([ankify, "sync", "book", "--collection", str(collection)], folder)
        command = median(
            [
                timed([ankify, "sync", "book", "--collection", str(collection)], folder)
                for _ in range(args.runs)
            ]
        )
        anki_import = median(
            [timed([sys.executable, "-c", "import anki.collection"], folder) for _ in range(5)]
        )

        os.chdir(folder)
        book = [Path("book")]
        pairs = [
            (
                seconds(build_paths, book, None, now=time.time()),
                seconds(sync_paths, book, place, now=time.time()),
            )
            for _ in range(args.runs)
        ]

        chapter = folder / "book" / "ch07.md"
        edited, touched = [], []
        for run in range(args.runs):
            text = chapter.read_text()
            chapter.write_text(text.replace("It is *computed* as", f"It is *computed* [{run}] as"))
            build = seconds(build_paths, book, None, now=time.time())
            chapter.write_text(
                re.sub(r"\*computed\* \[\d+\]", f"*computed* ({run})", chapter.read_text())
            )
            since = int(time.time())
            edited.append((build, seconds(sync_paths, book, place, now=time.time())))
            touched.append(notes_modified_since(collection, since))

    rows = [
        (
            "first sync, 10,000 notes added (sources in the cache)",
            f"{first:.2f} s",
            f"the cold build before it: {cold_build:.2f} s",
        ),
        ("`ankify sync`, nothing changed, whole command", f"{command:.2f} s", ""),
        (
            "sync, nothing changed",
            f"{median([s for _, s in pairs]):.2f} s",
            f"{median([s - b for b, s in pairs]):+.2f} s over the build "
            f"({median([b for b, _ in pairs]):.2f} s); importing Anki's library "
            f"{anki_import:.2f} s more on the command line",
        ),
        (
            "sync after editing one chapter",
            f"{median([s for _, s in edited]):.2f} s",
            f"{median([s - b for b, s in edited]):+.2f} s over the build "
            f"({median([b for b, _ in edited]):.2f} s); notes modified in Anki: "
            f"{max(touched):,} of 10,000",
        ),
    ]
    print(f"| measurement ({args.runs} runs, median) | value | ratio |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
