"""SVG math: formulas rendered by LaTeX and dvisvgm, cached, errors at their line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ankify.errors import AnkifyError, SourceError
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
    assert "{{c1::<img" in anki.note_by_field("half")["Text"]
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
