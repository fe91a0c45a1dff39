"""LaTeX you can trust, through the build: checked formulas, macros, sympy, drills, SVG."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ankify.config import load_config
from ankify.errors import AnkifyError, SourceError
from ankify.mathcheck import validate_source
from ankify.sources.markdown import read_markdown

from .conftest import NOW, Anki, Project

REPO = Path(__file__).resolve().parents[1]
HAS_LATEX = shutil.which("latex") is not None and shutil.which("dvisvgm") is not None
needs_latex = pytest.mark.skipif(
    not HAS_LATEX and not os.environ.get("CI"),
    reason="latex and dvisvgm are not installed (CI installs them: .ci/run)",
)

DRILLS = """
# Calculus
```exercise
vars: a in 2..9; b in 1..5
problem: Differentiate $f(x) = {{a}} x^3 + {{b}} x$ with respect to $x$.
solution: f'(x) = diff(a*x**3 + b*x, x)
variants: 3
```
"""


def test_every_formula_of_the_example_chapter_is_valid() -> None:
    path = REPO / "sources" / "chapter3.md"
    config = load_config(path)
    source = read_markdown(path, config)
    validate_source(source, config.macros)
    assert len(source.drafts) == 12


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Q: What is $\\fracc{1}{2}$?\nA: a\n",
            "notes/m.md:1: formula $\\fracc{1}{2}$: unknown control sequence \\fracc: did you mean \\frac?",
        ),
        (
            "Q: q?\nA: one\n\n$$\n\\begin{cases} a \\\\ b\n$$\n",
            "notes/m.md:4: formula $\\begin{cases} a \\\\ b$: \\begin{cases} without its \\end{cases}",
        ),
        (
            "Q: q?\nA: see\n$\\left( x$ here\n",
            "notes/m.md:3: formula $\\left( x$: \\left without \\right",
        ),
        (
            "## The $\\mathbbb{R}$ line\nQ: q?\nA: a\n",
            "notes/m.md:1: formula $\\mathbbb{R}$: unknown control sequence \\mathbbb",
        ),
    ],
)
def test_a_broken_formula_fails_the_build_at_its_line(project: Project, text: str, message: str):
    project.write("notes/m.md", text)
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).replace(str(project.root) + "/", "").startswith(message)
    assert not project.decks.exists()


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


def test_a_macro_cut_by_a_yaml_comment_says_to_quote_it(project: Project) -> None:
    project.write("notes/m.md", "---\nmacros:\n  \\norm: \\lVert #1 \\rVert\n---\nQ: q?\nA: a\n")
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).endswith(
        "m.md:3: macro \\norm: YAML reads ' #' as the start of a comment: quote the LaTeX, "
        "e.g. \\norm: '\\lVert #1 \\rVert'"
    )


def test_true_sympy_checks_pass_and_never_show(project: Project, anki: Anki) -> None:
    project.write(
        "notes/m.md",
        "Q: What is the derivative of the softplus?\nA: The logistic sigmoid.\n"
        "```sympy\ncheck: diff(log(1 + exp(x)), x) == 1 / (1 + exp(-x))\n"
        "check: diff(x**2, x) == 2*x\n```\n",
    )
    (result,) = project.build()
    anki.import_apkg(result.output)
    assert anki.note_by_field("softplus")["Answer"] == "<p>The logistic sigmoid.</p>"


def test_a_false_claim_fails_at_its_line_with_both_sides(project: Project) -> None:
    project.write(
        "notes/m.md",
        "Q: q?\nA: a\n```sympy\ncheck: diff(x**2, x) == 2*x\ncheck: diff(x**3, x) == 3*x\n```\n",
    )
    with pytest.raises(SourceError) as error:
        project.build()
    assert str(error.value).startswith(
        f"{project.root}/notes/m.md:5: false claim: diff(x**3, x) == 3*x: "
        "the left side is 3*x**2, the right side is 3*x (at x = "
    )


def test_generated_exercises_are_pen_and_paper_cards_that_rebuild_identically(
    project: Project, anki: Anki
) -> None:
    project.write("notes/drills.md", DRILLS)
    (result,) = project.build()
    log = anki.import_apkg(result.output)
    assert log.new == 3
    assert anki.deck_cards() == {"Pen and paper::Calculus": 3}
    for note in anki.notes():
        assert note.note_type()["name"] == "ankify Exercise"
        problem = note["Exercise"]
        a = int(problem.split("= ")[1].split(" ")[0])
        b = int(problem.split("+ ")[1].split(" ")[0])
        assert note["Solution"] == (
            f'<div class="ankify-math">\\[\nf\'(x) = {3 * a} x^{{2}} + {b}\n\\]</div>'
        )
    (again,) = project.build(now=NOW + 86400)
    log = anki.import_apkg(again.output)
    assert (log.new, log.updated, log.duplicate) == (0, 0, 3)


def test_a_bad_exercise_block_fails_at_its_line(project: Project) -> None:
    project.write("notes/drills.md", DRILLS.replace("{{b}} x$", "{{c}} x$"))
    with pytest.raises(
        SourceError, match=r"drills.md:4: unknown variable \{\{c\}\} in the problem"
    ):
        project.build()


def test_sympy_is_imported_only_for_sources_that_use_it(project: Project) -> None:
    project.write("notes/plain.md", "Q: What is $x^2$?\nA: A square.\n")
    code = (
        "import sys; from pathlib import Path; from ankify.build import build_paths; "
        "build_paths([Path('notes')], Path('decks'), now=0); print('sympy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


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
        "--math svg needs latex and dvisvgm, which is not installed: install it with "
        "'sudo apt-get install texlive-latex-base texlive-latex-recommended "
        "texlive-fonts-recommended dvisvgm' (or use --math mathjax)"
    )


def build_svg(project: Project):
    from ankify.build import build_paths

    return build_paths([project.root / "notes"], project.decks, now=NOW, math="svg")
