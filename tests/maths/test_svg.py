"""SVG math: formulas rendered by LaTeX and dvisvgm, cached, errors at their line."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from ankify.errors import AnkifyError, SourceError
from ankify.math.svg import MIN_DISPLAY_SCALE, Formula, svg_box
from ankify.model import MathMode

from ..conftest import Anki, Project

REPO = Path(__file__).resolve().parents[1]


HAS_LATEX = shutil.which("latex") is not None and shutil.which("dvisvgm") is not None


needs_latex = pytest.mark.skipif(
    not HAS_LATEX and not os.environ.get("CI"),
    reason="latex and dvisvgm are not installed (CI installs them: .ci/run)",
)


def build_svg(project: Project):
    return project.build(math=MathMode.SVG)


@needs_latex
def test_svg_math_ships_images_and_rebuilds_from_the_cache(
    project: Project, anki: Anki, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write(
        "notes/m.md",
        "---\nmacros:\n  \\R: \\mathbb{R}\n---\n# Norms\n"
        "Q: What is $\\|x\\|_2$ for $x \\in \\R^n$?\nA:\n$$\\|x\\|_2 = \\sqrt{\\sum_i x_i^2}$$\n\n"
        "The {{c1::$\\frac{1}{2}$}} half.\n",
    )
    (result,) = build_svg(project)
    anki.import_apkg(result.output)
    media = anki.media_files()
    assert len(media) == 4 and all(name.endswith(".svg") for name in media)
    question = anki.note_by_field("What is")["Question"]
    assert "\\(" not in question and question.count('<img class="ankify-svg-math') == 2
    assert '{{c1::<span class="ankify-cloze-image"><img' in anki.note_by_field("half")["Text"]
    for name in media:
        assert (Path(anki.col.media.dir()) / name).read_bytes().rstrip().endswith(b"</svg>")
    before = result.output.read_bytes()

    # Renders are cached in the workspace: a rebuild needs no LaTeX at all.
    monkeypatch.setenv("PATH", "/nonexistent")
    (again,) = build_svg(project)
    assert again.output.read_bytes() == before
    assert list((project.root / ".ankify" / "cache" / "math-svg").glob("*.svg"))


@needs_latex
def test_svg_math_reports_what_latex_rejects_at_its_line(project: Project) -> None:
    project.write("notes/m.md", "Q: q?\nA: fine $x$\nand $\\ce{H2O}$\n")
    with pytest.raises(
        SourceError, match=r"m.md:3: formula \$\\ce\{H2O\}\$: LaTeX cannot typeset it"
    ):
        build_svg(project)


def test_svg_math_without_latex_says_what_to_install(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("notes/m.md", "Q: q?\nA: $x_{42}$\n")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(AnkifyError) as error:
        build_svg(project)
    assert str(error.value) == (
        "SVG math needs latex and dvisvgm, which are not installed: install them with "
        "'sudo apt-get install texlive-latex-base texlive-latex-recommended "
        "texlive-fonts-recommended dvisvgm' (or use MathJax math)"
    )
    assert error.value.option == "math"


def _style(tag: str) -> dict[str, str]:
    style = re.search(r'style="([^"]*)"', tag)
    assert style is not None, tag
    pairs = (part.split(":", 1) for part in style.group(1).split(";") if part)
    return {name: value for name, value in pairs}


@needs_latex
def test_svg_math_keeps_its_shape_and_sits_on_the_baseline(project: Project, anki: Anki) -> None:
    project.write(
        "notes/m.md",
        "Q: Where do $x$ and $y$ sit?\nA: Here:\n"
        "$$P(a, b, c) = P(a \\mid b, c)\\,P(b \\mid c)\\,P(c)$$\n"
        "and in a paragraph $$\\begin{aligned}a &= b \\\\ &= c\\end{aligned}$$ too.\n",
    )
    (result,) = build_svg(project)
    anki.import_apkg(result.output)
    note = anki.note_by_field("Where do")
    inline = re.findall(r"<img [^>]*>", note["Question"])
    x, y = (_style(tag) for tag in inline)
    # No height: the browser keeps the SVG's aspect ratio when max-width caps its width.
    assert set(x) == set(y) == {"width", "vertical-align"}
    # The baseline: `x` stands on it, `y` reaches 0.2 em below it (dvisvgm's depth, in ems).
    assert abs(float(x["vertical-align"].removesuffix("em"))) < 0.03
    assert -0.28 < float(y["vertical-align"].removesuffix("em")) < -0.15
    # As large as the text: an `x` is as high as a sans-serif font's x-height (0.52-0.55 em).
    source = re.search(r'src="([^"]+)"', inline[0])
    assert source is not None
    svg = Path(anki.col.media.dir()) / source.group(1)
    assert b"viewBox=" in svg.read_bytes()
    box = svg_box(svg, Formula("x", False))
    assert box is not None and 0.5 < box.height < 0.58

    answer = note["Answer"]
    displays = re.findall(r'<span class="ankify-math">(<img [^>]*>)</span>', answer)
    assert len(displays) == 2  # the aligned derivation too, although it is in a paragraph
    for tag in displays:
        style = _style(tag)
        assert set(style) == {"width", "min-width"} and "ankify-svg-display" in tag
        width, least = (float(style[k].removesuffix("em")) for k in ("width", "min-width"))
        assert least == pytest.approx(width * MIN_DISPLAY_SCALE, abs=0.002)
