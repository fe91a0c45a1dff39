"""`#page=` images of PDFs: printed labels when the PDF has them, physical pages otherwise, and
the front matter's `offset:` for the printed numbers of a PDF without labels."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ankify.errors import BuildErrors, SourceError

from ..conftest import Anki, Project
from ..pdf_fixtures import LABELS


def sized_pages(path: Path, *, labels: bool = False) -> Path:
    """8 pages, each a different width (200 + 10 * physical page, in points): a render's
    size says which page it shows. With labels: i, ii, then 53-58."""
    doc = pymupdf.open()
    for number in range(1, 9):
        page = doc.new_page(width=200 + 10 * number, height=300)
        page.insert_text((20, 40), f"physical page {number}")
    if labels:
        doc.set_page_labels(LABELS)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def shown_width(anki: Anki) -> int:
    """The width in points of the one page render in the collection (renders are 150 dpi)."""
    (name,) = anki.media_files()
    pixmap = pymupdf.Pixmap(str(Path(anki.col.media.dir()) / name))
    return round(pixmap.width * 72 / 150)


def note(link: str, *front: str) -> str:
    header = "---\n" + "".join(f"{line}\n" for line in front) + "---\n" if front else ""
    return f"{header}Q: Which page?\nA: ![the page]({link})\n"


def page_of(width: int) -> int:
    return (width - 200) // 10


@pytest.mark.parametrize(
    ("link", "front", "physical"),
    [
        # No labels: the physical page, unless the note gives an offset.
        ("../books/ch3.pdf#page=4", (), 4),
        ("../books/ch3.pdf#page=56", ("offset: -52",), 4),
        ("../books/ch3.pdf#page=56&rect=0,0,100,100", ("offset: -52",), None),
        ("../books/ch3.pdf#page=1", ("offset: 2",), 3),
        # Labels: the printed label (what the PDF viewer shows), never the physical page.
        ("../books/labelled.pdf#page=56", (), 6),
        ("../books/labelled.pdf#page=ii", (), 2),
    ],
)
def test_page_images_show_the_page_the_note_means(
    project: Project, anki: Anki, link: str, front: tuple[str, ...], physical: int | None
) -> None:
    sized_pages(project.root / "books" / "ch3.pdf")
    sized_pages(project.root / "books" / "labelled.pdf", labels=True)
    project.write("notes/figure.md", note(link, *front))
    (result,) = project.build()
    assert result.output is not None
    anki.import_apkg(result.output)
    assert len(anki.notes()) == 1
    if physical is None:  # a region: 100 points wide, whichever page
        assert shown_width(anki) == 100
    else:
        assert page_of(shown_width(anki)) == physical


def test_an_offset_changes_the_render(project: Project) -> None:
    sized_pages(project.root / "books" / "ch3.pdf")
    project.write("notes/figure.md", note("../books/ch3.pdf#page=4"))
    (first,) = project.build()
    project.write("notes/figure.md", note("../books/ch3.pdf#page=4", "offset: -1"))
    (second,) = project.build()
    assert first.output is not None and second.output is not None
    renders = sorted((project.root / ".ankify" / "cache" / "pdf-pages").iterdir())
    widths = sorted(page_of(round(pymupdf.Pixmap(str(p)).width * 72 / 150)) for p in renders)
    assert widths == [3, 4]  # printed page 4 is physical page 3 with an offset of -1


@pytest.mark.parametrize(
    ("link", "front", "message"),
    [
        (
            "../books/labelled.pdf#page=56",
            ("offset: -52",),
            "notes/figure.md:5: image ../books/labelled.pdf#page=56: the front matter's offset: "
            "-52 is for PDFs without page labels, and labelled.pdf has them (8 pages, labelled "
            "i-ii, 53-58): remove offset: and give the printed page",
        ),
        (
            "../books/ch3.pdf#page=4",
            ("offset: -52",),
            "notes/figure.md:5: image ../books/ch3.pdf#page=4: no page 4 in ch3.pdf: it has 8 "
            "pages, printed 53-60 with an offset of -52",
        ),
        (
            "../books/ch3.pdf#page=56",
            ("deck: Figures", "offset: minus 52"),
            "notes/figure.md:3: offset 'minus 52' must be a whole number, e.g. 'offset: -52' "
            "for a PDF whose printed page 53 is its physical page 1",
        ),
        (
            "../books/ch3.pdf#page=56",
            ("offset: true",),
            "notes/figure.md:2: offset True must be a whole number, e.g. 'offset: -52' for a "
            "PDF whose printed page 53 is its physical page 1",
        ),
        (
            "../books/ch3.pdf#page=56",
            ("ofset: -52",),
            "notes/figure.md:2: unknown front matter key 'ofset': did you mean 'offset'?",
        ),
    ],
)
def test_offset_errors_name_the_line_and_the_fix(
    project: Project, link: str, front: tuple[str, ...], message: str
) -> None:
    sized_pages(project.root / "books" / "ch3.pdf")
    sized_pages(project.root / "books" / "labelled.pdf", labels=True)
    project.write("notes/figure.md", note(link, *front))
    with pytest.raises((BuildErrors, SourceError)) as e:
        project.build()
    errors = e.value.errors if isinstance(e.value, BuildErrors) else (e.value,)
    shown = [str(error).replace(f"{project.root}/", "") for error in errors]
    assert shown == [message]
    assert not project.decks.exists()


def test_the_command_line_says_it_in_one_line(project: Project) -> None:
    sized_pages(project.root / "books" / "labelled.pdf", labels=True)
    project.write("notes/figure.md", note("../books/labelled.pdf#page=56", "offset: -52"))
    result = project.run("build", "notes/figure.md")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: notes/figure.md:5: image ../books/labelled.pdf#page=56: the front matter's "
        "offset: -52 is for PDFs without page labels, and labelled.pdf has them (8 pages, "
        "labelled i-ii, 53-58): remove offset: and give the printed page\n"
    )
