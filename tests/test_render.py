"""Rendering: math reaches Anki untouched by markdown, for any LaTeX."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from ankify.cards import make_notes
from ankify.config import load_config
from ankify.render import render_cards
from ankify.sources.markdown import read_markdown

from .conftest import Project

# LaTeX-ish text: everything markdown would like to touch, but no `$` (which would close it).
LATEX = st.text(alphabet="abxyz019 _*\\&<>{}^[]()|!#`~-+=.,'\"", min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s[-1] != "\\" and s[0] != " "
)


def _front(root, text: str) -> str:
    path = root / "m.md"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    source = read_markdown(path, config)
    return make_notes(render_cards(source, config))[0].fields[1]


@settings(max_examples=150, deadline=None)
@given(tex=LATEX)
def test_display_math_survives_markdown_for_any_latex(tmp_path_factory, tex: str) -> None:
    root = tmp_path_factory.mktemp("m")
    back = _front(root, f"Q: q?\nA:\n$$\n{tex}\n$$\n")
    inner = back.removeprefix('<div class="ankify-math">\\[').removesuffix("\\]</div>")
    assert html.unescape(inner) == f"\n{tex}\n"


@settings(max_examples=150, deadline=None)
@given(tex=LATEX.filter(lambda s: "\\)" not in s))
def test_inline_math_survives_markdown_for_any_latex(tmp_path_factory, tex: str) -> None:
    root = tmp_path_factory.mktemp("m")
    back = _front(root, f"Q: q?\nA: see \\({tex}\\) here\n")
    inner = back.removeprefix("<p>see \\(").removesuffix("\\) here</p>")
    assert html.unescape(inner) == tex
    assert "<" not in inner and ">" not in inner


def test_images_ship_as_media_named_by_their_bytes(project: Project) -> None:
    (project.root / "img").mkdir()
    (project.root / "img" / "fig one.png").write_bytes(b"\x89PNG fake bytes")
    path = project.write(
        "n.md",
        'Q: Figure?\nA: ![A figure](img/fig%20one.png "title")\n\n![web](https://example.org/x.png)\n',
    )
    config = load_config(path)
    source = read_markdown(path, config)
    (note,) = make_notes(render_cards(source, config))
    (media,) = note.media
    assert media.name.startswith("ankify-") and media.name.endswith(".png")
    assert f'<img src="{media.name}" alt="A figure" title="title" />' in note.fields[1]
    assert '<img src="https://example.org/x.png"' in note.fields[1]
