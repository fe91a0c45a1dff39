"""Rendering: math reaches Anki untouched by markdown, for any LaTeX; macros; media names."""

from __future__ import annotations

import html
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ankify.config import load_config
from ankify.render import render_cards
from ankify.sources.markdown import read_markdown

from .conftest import Anki, Project
from .pdf_fixtures import png

# LaTeX-ish text: everything markdown would like to touch, but no `$` (which would close it).
LATEX = st.text(alphabet="abxyz019 _*\\&<>{}^[]()|!#`~-+=.,'\"", min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s[-1] != "\\" and s[0] != " "
)


def _back(root: Path, text: str) -> str:
    """The back of the one card of a note, rendered (the formula is not checked: any LaTeX)."""
    path = root / "m.md"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    return render_cards(read_markdown(path, config), config).cards[0].fields[1]


@settings(max_examples=150, deadline=None)
@given(tex=LATEX)
def test_display_math_survives_markdown_for_any_latex(tmp_path_factory, tex: str) -> None:
    root = tmp_path_factory.mktemp("m")
    back = _back(root, f"Q: q?\nA:\n$$\n{tex}\n$$\n")
    inner = back.removeprefix('<div class="ankify-math">\\[').removesuffix("\\]</div>")
    assert html.unescape(inner) == f"\n{tex}\n"


@settings(max_examples=150, deadline=None)
@given(tex=LATEX.filter(lambda s: "\\)" not in s))
def test_inline_math_survives_markdown_for_any_latex(tmp_path_factory, tex: str) -> None:
    root = tmp_path_factory.mktemp("m")
    back = _back(root, f"Q: q?\nA: see \\({tex}\\) here\n")
    inner = back.removeprefix("<p>see \\(").removesuffix("\\) here</p>")
    assert html.unescape(inner) == tex
    assert "<" not in inner and ">" not in inner


def test_images_ship_as_media_named_by_their_bytes(project: Project) -> None:
    (project.root / "img").mkdir()
    (project.root / "img" / "fig one.png").write_bytes(png(4, 4))
    path = project.write(
        "n.md",
        'Q: Figure?\nA: ![A figure](img/fig%20one.png "title")\n\n![web](https://example.org/x.png)\n',
    )
    (note,) = project.notes(path.name)
    (media,) = note.media
    assert media.name.startswith("ankify-") and media.name.endswith(".png")
    assert f'<img src="{media.name}" alt="A figure" title="title" />' in note.fields[1]
    assert '<img src="https://example.org/x.png"' in note.fields[1]


def test_macros_are_known_to_the_check_and_handed_to_mathjax(project: Project, anki: Anki):
    project.write("ankify.toml", '[macros]\n"\\\\E" = "\\\\mathbb{E}"\n')
    project.write(
        "notes/m.md",
        "---\nmacros:\n  \\R: \\mathbb{R}\n  \\norm: '\\lVert #1 \\rVert'\n---\n"
        "Q: Where does $x$ live?\nA: $x \\in \\R^n$ with $\\norm{x} < \\E[y]$, and $z$.\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    answer = anki.note_by_field("Where does")["Answer"]
    assert answer == (
        "<p>\\(\\newcommand{\\R}{\\mathbb{R}}x \\in \\R^n\\) with "
        "\\(\\newcommand{\\norm}[1]{\\lVert #1 \\rVert}\\newcommand{\\E}{\\mathbb{E}}\\norm{x} &lt; \\E[y]\\), "
        "and \\(z\\).</p>"
    )
