"""PDF pages in notes: rendered to PNG media, cached, and checked at their line."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pymupdf
import pytest

from ankify.errors import SourceError

from .conftest import DAY, NOW, Anki, Project
from .pdf_fixtures import chapter_book


@pytest.fixture
def book(project: Project) -> Path:
    return chapter_book().save(project.root / "books" / "dlbook.pdf")


FIGURE_NOTE = """
---
deck: Figures
---
Q: What does the density look like?
A: ![The density](../books/dlbook.pdf#page=56&rect=60,120,220,240)

Q: What is on page 53?
A: ![Page 53](../books/dlbook.pdf#page=53)
"""


def test_pdf_pages_in_notes_ship_as_png_media(project: Project, book: Path, anki: Anki) -> None:
    project.write("notes/figures.md", FIGURE_NOTE)
    (result,) = project.build()
    anki.import_apkg(result.output)
    media = anki.media_files()
    assert len(media) == 2 and all(name.endswith(".png") for name in media)
    cache = project.root / ".ankify" / "cache" / "pdf-pages"
    renders = sorted(cache.iterdir())
    assert len(renders) == 2
    assert {
        f"ankify-{hashlib.sha256(p.read_bytes()).hexdigest()[:20]}.png" for p in renders
    } == set(media)
    answer = anki.note_by_field("density look like")["Answer"]
    # A picture alone in its paragraph is a figure with its caption; a PDF's page is black
    # on white, so it carries the class that night mode inverts.
    assert re.fullmatch(
        r'<figure class="ankify-figure"><img src="ankify-[0-9a-f]{20}\.png" alt="The density" '
        r'class="ankify-pdf-page" /><figcaption>The density</figcaption></figure>',
        answer,
    )
    sizes = sorted((pymupdf.Pixmap(p).width, pymupdf.Pixmap(p).height) for p in renders)
    assert sizes == [(334, 250), (875, 1240)]  # 160 x 120 points and a page, at 150 dpi


def test_renders_are_cached_and_a_damaged_render_is_redone(
    project: Project, book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("notes/figures.md", FIGURE_NOTE)
    (result,) = project.build()
    first = result.output.read_bytes()
    cache = project.root / ".ankify" / "cache" / "pdf-pages"
    damaged = sorted(cache.iterdir())[0]
    good = damaged.read_bytes()
    damaged.write_bytes(good[: len(good) // 2] + b"\x00" * 16 + good[len(good) // 2 + 16 :])

    renders: list[object] = []
    original = pymupdf.Page.get_pixmap

    def get_pixmap(self: pymupdf.Page, **options: object) -> pymupdf.Pixmap:
        renders.append(options)
        return original(self, **options)

    monkeypatch.setattr(pymupdf.Page, "get_pixmap", get_pixmap)
    (result,) = project.build(now=NOW + DAY)
    assert len(renders) == 1  # the damaged one only
    assert damaged.read_bytes() == good
    assert result.output.read_bytes() == first
    assert (project.root / ".ankify" / ".gitignore").read_text().endswith("*\n")


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "../books/missing.pdf#page=3",
            "image not found: ../books/missing.pdf#page=3: the path is relative to the folder of",
        ),
        (
            "../books/dlbook.pdf#page=99",
            "image ../books/dlbook.pdf#page=99: no page 99 in dlbook.pdf: it has 8 pages, "
            "labelled i-ii, 53-58",
        ),
        (
            "../books/dlbook.pdf",
            "image ../books/dlbook.pdf: say which page of the PDF to show: add #page=56",
        ),
        (
            "../books/dlbook.pdf#page=53&rect=1,2,3",
            "image ../books/dlbook.pdf#page=53&rect=1,2,3: rect must be four numbers",
        ),
        (
            "../books/dlbook.pdf#page=53&rect=900,0,950,10",
            "image ../books/dlbook.pdf#page=53&rect=900,0,950,10: the rect is outside page 53, "
            "which is 420 x 595 points",
        ),
        (
            "../books/dlbook.pdf#zoom=2",
            "image ../books/dlbook.pdf#zoom=2: unknown 'zoom' after '#'",
        ),
    ],
)
def test_bad_pdf_image_links_are_errors_at_their_line(
    project: Project, book: Path, link: str, message: str
) -> None:
    project.write("notes/figures.md", f"Q: Figure?\nA: ![x]({link})\n")
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).startswith(f"{project.root / 'notes' / 'figures.md'}:2: {message}")
    assert not project.decks.exists()
