"""Fast rebuilds that stay right: the source cache, and packages left alone when up to date."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ankify.build.state import STATE_NAME
from ankify.errors import SourceError

from ..conftest import DAY, NOW, Anki, Project
from ..pdf_fixtures import Book, png

CH3 = "# Chapter 3\nQ: What is a scalar?\nA: A number.\n\nE: Add $2 + 2$.\nS: $4$\n"


CH4 = "# Chapter 4\nThe {{c1::softmax}} turns scores into {{c2::probabilities}}.\n"


CH5 = "# Chapter 5\nQ: What is *overfitting*?\nA: Fitting the noise.\n"


def _cache_entries(project: Project) -> list[Path]:
    return sorted((project.root / ".ankify" / "cache" / "sources").rglob("*.json"))


def _packages(project: Project) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in project.decks.glob("*.apkg")}


def test_a_rebuild_with_nothing_changed_writes_nothing(project: Project) -> None:
    project.write("notes/ch3.md", CH3)
    project.write("notes/ch4.md", CH4)
    first = project.build()
    assert [r.written for r in first] == [True, True]
    before = _packages(project)
    state = (project.root / STATE_NAME).read_bytes()

    again = project.build(now=NOW + DAY)
    assert [r.written for r in again] == [False, False]
    assert [r.decks for r in again] == [r.decks for r in first]
    assert [r.summary() for r in again] == [f"{r.summary()} (up to date)" for r in first]
    assert _packages(project) == before  # same bytes, and not even touched
    assert (project.root / STATE_NAME).read_bytes() == state


def test_editing_one_source_rewrites_only_its_package(project: Project, anki: Anki) -> None:
    project.write("notes/ch3.md", CH3)
    project.write("notes/ch4.md", CH4)
    project.write("notes/ch5.md", CH5)
    for result in project.build():
        anki.import_apkg(result.output)
    before = _packages(project)

    project.write("notes/ch5.md", CH5.replace("Fitting the noise.", "Learning the noise."))
    results = project.build(now=NOW + DAY)
    assert [r.written for r in results] == [False, False, True]
    after = _packages(project)
    assert after["ch3.apkg"] == before["ch3.apkg"] and after["ch4.apkg"] == before["ch4.apkg"]
    log = anki.import_apkg(results[2].output)
    assert (log.new, log.updated) == (0, 1)
    assert anki.note_by_field("overfitting")["Answer"] == "<p>Learning the noise.</p>"
    assert len(anki.notes()) == 4


def test_deleting_the_cache_or_a_package_gives_the_same_packages(project: Project) -> None:
    project.write("notes/ch3.md", CH3)
    project.write("notes/ch4.md", CH4)
    project.build()
    before = {name: data for name, (data, _) in _packages(project).items()}
    assert len(_cache_entries(project)) == 2

    shutil.rmtree(project.root / ".ankify")
    assert [r.written for r in project.build(now=NOW + DAY)] == [False, False]
    (project.decks / "ch4.apkg").unlink()
    assert [r.written for r in project.build(now=NOW + 2 * DAY)] == [False, True]
    assert {name: data for name, (data, _) in _packages(project).items()} == before


def _resealed(data: bytes, old: bytes, new: bytes) -> bytes:
    """An entry edited and given a checksum that holds again: only its structure is wrong."""
    magic, header, body = data.split(b"\n", 2)
    body = body.replace(old, new)
    assert new in body
    fields = json.loads(header)
    fields["digest"] = hashlib.sha256(body).hexdigest()
    return b"\n".join([magic, json.dumps(fields, separators=(",", ":")).encode(), body])


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.replace(b"A number.", b"A lie!!!"),  # checksum no longer holds
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"",
        lambda data: b"\x00\xff" * 100,
        lambda data: data.replace(b'"files":[', b'"files":[["/nowhere/x.png","00"],'),
        lambda data: _resealed(data, b'"clozes":[]', b'"clozes":["x"]'),
        lambda data: _resealed(data, b'"fields":["', b'"fields":[7,"'),
    ],
    ids=["edited", "truncated", "empty", "garbage", "dependency", "sealed clozes", "sealed fields"],
)
def test_a_damaged_cache_entry_is_never_trusted(project: Project, anki: Anki, damage) -> None:
    project.write("notes/ch3.md", CH3)
    project.build()
    (entry,) = _cache_entries(project)
    entry.write_bytes(damage(entry.read_bytes()))
    (project.decks / "ch3.apkg").unlink()  # so the cards are built again, from somewhere

    (result,) = project.build(now=NOW + DAY)
    anki.import_apkg(result.output)
    assert anki.note_by_field("What is a scalar?")["Answer"] == "<p>A number.</p>"
    assert b"A number." in entry.read_bytes()  # the entry was made again


def test_a_changed_image_is_picked_up_though_the_note_is_unchanged(
    project: Project, anki: Anki
) -> None:
    project.write("notes/ch3.md", "Q: What does the plot show?\nA: ![plot](plot.png)\n")
    image = project.root / "notes" / "plot.png"
    image.write_bytes(png(4, 4))
    (result,) = project.build()
    anki.import_apkg(result.output)
    old = anki.media_files()

    image.write_bytes(png(8, 8))
    (result,) = project.build(now=NOW + DAY)
    assert result.written
    log = anki.import_apkg(result.output)
    assert log.updated == 1
    (new,) = set(anki.media_files()) - set(old)
    assert new in anki.note_by_field("plot show")["Answer"]


def test_a_link_outside_any_card_is_checked_on_every_build(project: Project) -> None:
    project.write("notes/ch3.md", "# Chapter 3\n\nIntro ![figure](intro.png)\n\n" + CH5)
    (project.root / "notes" / "intro.png").write_bytes(png(4, 4))
    project.build()
    (project.root / "notes" / "intro.png").unlink()
    with pytest.raises(SourceError, match=r"image not found: intro\.png"):
        project.build(now=NOW + DAY)


def test_a_symlink_pointed_elsewhere_is_a_change(project: Project, anki: Anki) -> None:
    notes = project.root / "notes"
    project.write("notes/ch3.md", "Q: What does the plot show?\nA: ![plot](plot.png)\n")
    (notes / "red.png").write_bytes(png(4, 4))
    (notes / "blue.png").write_bytes(png(8, 8))
    (notes / "plot.png").symlink_to("red.png")
    project.build()
    (notes / "plot.png").unlink()
    (notes / "plot.png").symlink_to("blue.png")
    (result,) = project.build(now=NOW + DAY)
    assert result.written
    anki.import_apkg(result.output)
    (media,) = anki.media_files()
    assert (Path(anki.col.media.dir()) / media).read_bytes() == png(8, 8)


def test_a_symlinked_note_has_its_own_name(project: Project, anki: Anki) -> None:
    project.write("notes/real.md", "Q: What is x?\nA: y\n")  # no H1: the deck is the file's name
    (project.root / "notes" / "link.md").symlink_to("real.md")
    project.build("notes/link.md")
    (result,) = project.build("notes/real.md")
    anki.import_apkg(result.output)
    assert anki.deck_cards() == {"On the go::real": 1}
    assert anki.note_by_field("What is x?")["Source"] == "real.md"


def test_a_changed_pdf_behind_an_image_is_rendered_again(project: Project) -> None:
    def pdf(text: str) -> None:
        book = Book()
        book.page(text)
        book.save(project.root / "books" / "paper.pdf")

    (project.root / "books").mkdir()
    pdf("The first version of the page.")
    project.write(
        "notes/fig.md", "Q: What is on page 1?\nA: ![Page 1](../books/paper.pdf#page=1)\n"
    )
    (result,) = project.build()
    first = result.output.read_bytes()

    pdf("A second, different version of the page, with more words on it.")
    (result,) = project.build(now=NOW + DAY)
    assert result.written and result.output.read_bytes() != first


def test_settings_and_math_mode_are_part_of_what_is_cached(project: Project, anki: Anki) -> None:
    project.write("notes/ch3.md", CH3)
    project.build()
    project.write("ankify.toml", '[decks]\non_the_go = "Phone::{deck}"\n')
    (result,) = project.build(now=NOW + DAY)
    assert result.written
    anki.import_apkg(result.output)
    assert anki.deck_cards() == {"Phone::Chapter 3": 1, "Pen and paper::Chapter 3": 1}


def test_a_cache_entry_cannot_ship_a_file_of_the_builder(
    project: Project, anki: Anki, tmp_path: Path
) -> None:
    """An entry with a valid checksum (committed to a shared project, say) that names a file
    outside it as a card's media is a miss: media must be the image its name hashes."""
    secret = tmp_path / "id_rsa"
    secret.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    project.write("notes/ch3.md", "Q: What does the plot show?\nA: ![plot](plot.png)\n")
    (project.root / "notes" / "plot.png").write_bytes(png(4, 4))
    project.build()
    (entry,) = _cache_entries(project)
    data = entry.read_bytes()
    plot = str((project.root / "notes" / "plot.png").resolve()).encode()
    entry.write_bytes(_resealed(data, b'"' + plot + b'"]]', b'"' + str(secret).encode() + b'"]]'))
    (project.decks / "ch3.apkg").unlink()

    (result,) = project.build(now=NOW + DAY)
    anki.import_apkg(result.output)
    (media,) = anki.media_files()
    assert (Path(anki.col.media.dir()) / media).read_bytes() == png(4, 4)


def test_a_rebuild_with_nothing_changed_imports_neither_markdown_it_nor_genanki(
    project: Project,
) -> None:
    import subprocess
    import sys

    project.write("notes/ch1.md", "Q: What is $x^2$?\nA: A square.\n\n![a dot](dot.png)\n")
    (project.root / "notes" / "dot.png").write_bytes(png(4, 4))
    code = (
        "import sys; from pathlib import Path; from ankify.build.pipeline import build_paths; "
        "build_paths([Path('notes')], Path('decks'), now=0); "
        "print(sorted(m for m in ('markdown_it', 'genanki', 'pymupdf') if m in sys.modules))"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=project.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    assert run() == "['genanki', 'markdown_it']"  # the first build reads and writes
    assert run() == "[]"  # nothing changed: the cache and the packages answer
