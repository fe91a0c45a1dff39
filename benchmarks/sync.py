"""`ankify sync` on the synthetic 10,000-card book of bench.py, into a real Anki collection.

    python benchmarks/sync.py [--runs 3]

Reports medians as a markdown table:

- the first sync (10,000 notes added), against a cold build;
- a sync with nothing changed, against a build with nothing changed: the difference is what
  syncing costs beyond the build (the issue asks for at most 1 s);
- a sync after editing one chapter, against the build after the same edit, and how many notes
  Anki saw modified (only that chapter's 500 should be).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import generate, median, timed


def notes_modified_since(collection: Path, since: int) -> int:
    code = (
        "import sys; from anki.collection import Collection; "
        "col = Collection(sys.argv[1]); "
        "print(col.db.scalar('select count() from notes where mod >= ?', int(sys.argv[2]))); "
        "col.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(collection), str(since)],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    ankify = str(Path(sys.executable).with_name("ankify"))

    with tempfile.TemporaryDirectory(prefix="ankify-sync-bench-") as temporary:
        folder = Path(temporary)
        generate(folder)
        collection = folder / "anki" / "collection.anki2"
        collection.parent.mkdir()
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from anki.collection import Collection; Collection({str(collection)!r}).close()",
            ],
            check=True,
        )
        sync = [ankify, "sync", "book", "--collection", str(collection)]
        build = [ankify, "build", "book"]

        cold_build = timed(build, folder)
        subprocess.run(
            ["rm", "-rf", "decks", ".ankify", ".ankify-state.json"], cwd=folder, check=True
        )
        first = timed(sync, folder)

        unchanged_build = median([timed(build, folder) for _ in range(args.runs)])
        unchanged_sync = median([timed(sync, folder) for _ in range(args.runs)])

        chapter = folder / "book" / "ch07.md"
        edited_builds, edited_syncs, touched = [], [], []
        for run in range(args.runs):
            text = chapter.read_text()
            chapter.write_text(text.replace("It is *computed* as", f"It is *computed* [{run}] as"))
            edited_builds.append(timed(build, folder))
            chapter.write_text(
                re.sub(r"\*computed\* \[\d+\]", f"*computed* ({run})", chapter.read_text())
            )
            since = int(time.time())
            edited_syncs.append(timed(sync, folder))
            touched.append(notes_modified_since(collection, since))

    rows = [
        ("first sync, 10,000 notes added", f"{first:.2f} s", f"cold build {cold_build:.2f} s"),
        (
            "sync, nothing changed",
            f"{unchanged_sync:.2f} s",
            f"{unchanged_sync - unchanged_build:+.2f} s over the build ({unchanged_build:.2f} s)",
        ),
        (
            "sync after editing one chapter",
            f"{median(edited_syncs):.2f} s",
            f"{median(edited_syncs) - median(edited_builds):+.2f} s over the build "
            f"({median(edited_builds):.2f} s); notes modified in Anki: {max(touched):,}",
        ),
    ]
    print(f"| measurement ({args.runs} runs, median) | value | ratio |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
