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


def test_a_picture_alone_is_a_figure_with_its_caption(project: Project, anki: Anki) -> None:
    (project.root / "notes").mkdir()
    (project.root / "notes" / "fig.png").write_bytes(png(4, 4))
    project.write(
        "notes/f.md",
        "Q: Alone?\nA: ![The normal density](fig.png)\n\n"
        'Q: Titled?\nA: ![alt text](fig.png "The title")\n\n'
        "Q: In a sentence?\nA: See ![a dot](fig.png) here.\n\n"
        "Q: No caption?\nA: ![](fig.png)\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    answers = [anki.note_by_field(q)["Answer"] for q in ("Alone", "Titled", "sentence", "No cap")]
    name = anki.media_files()[0]
    assert answers[0] == (
        f'<figure class="ankify-figure"><img src="{name}" alt="The normal density" />'
        "<figcaption>The normal density</figcaption></figure>"
    )
    assert answers[1].endswith("<figcaption>The title</figcaption></figure>")
    assert answers[2] == f'<p>See <img src="{name}" alt="a dot" /> here.</p>'
    assert answers[3] == f'<figure class="ankify-figure"><img src="{name}" alt="" /></figure>'


def test_pictures_in_a_cloze_are_wrapped_for_its_highlight(project: Project, anki: Anki) -> None:
    (project.root / "notes").mkdir()
    (project.root / "notes" / "fig.png").write_bytes(png(4, 4))
    project.write("notes/c.md", "The {{c1::picture ![dot](fig.png)}} and ![other](fig.png).\n")
    (result,) = project.build()
    anki.import_apkg(result.output)
    text = anki.notes()[0]["Text"]
    name = anki.media_files()[0]
    assert text == (
        f'<p>The {{{{c1::picture <span class="ankify-cloze-image"><img src="{name}" alt="dot" />'
        f'</span>}}}} and <img src="{name}" alt="other" />.</p>'
    )


def test_a_card_shows_the_page_its_section_heading_gives(project: Project, anki: Anki) -> None:
    project.write(
        "notes/p.md",
        "---\ndeck: DL\nsource: dlbook.pdf\npages: 53-64\n---\n# Chapter 3 (pp. 53–64)\n\n"
        "Q: Under the chapter?\nA: a\n\n## 3.3 Distributions (p. 56)\n\nQ: In 3.3?\nA: b\n\n"
        "### 3.3.1 Discrete\n\nQ: In 3.3.1?\nA: c\n\n## 3.4 Marginals (p. *58*)\n\n"
        "Q: In 3.4?\nA: d\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    got = [
        (n["Context"], n["Source"])
        for n in (anki.note_by_field(q) for q in ("Under the", "In 3.3?", "In 3.3.1", "In 3.4"))
    ]
    assert got == [
        ("Chapter 3", "dlbook.pdf pp. 53-64"),  # the chapter's own mark, an en dash read
        ("Chapter 3 › 3.3 Distributions", "dlbook.pdf p. 56"),
        ("Chapter 3 › 3.3 Distributions › 3.3.1 Discrete", "dlbook.pdf p. 56"),
        # Not a page mark (emphasis inside it): the heading stays as written, the range shows.
        ("Chapter 3 › 3.4 Marginals (p. <em>58</em>)", "dlbook.pdf pp. 53-64"),
    ]


def test_display_math_inside_a_paragraph_is_in_the_math_box(project: Project, anki: Anki):
    project.write(
        "notes/m.md",
        "E: Show it.\nS: Expanding, $$\\begin{aligned}a &= b \\\\ &= c\\end{aligned}$$ done.\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    assert anki.notes()[0]["Solution"] == (
        '<p>Expanding, <span class="ankify-math">\\[\\begin{aligned}a &amp;= b \\\\ &amp;= c'
        "\\end{aligned}\\]</span> done.</p>"
    )
