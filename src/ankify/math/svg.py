"""SVG math: formulas rendered by LaTeX and dvisvgm to SVG images, identical on every device.

All formulas that are not cached yet are typeset in one LaTeX run (one formula per page) and
converted by one dvisvgm run, with glyphs as paths so the SVGs need no fonts. Renders are
cached by content hash in the workspace (`.ankify/cache/math-svg/`): safe to delete, and a
file that is not a complete SVG is never trusted.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import AnkifyError, MathRenderError, SourceError
from ..model import Source, SourceSpan
from ..workspace import Workspace
from .check import formulas as formulas_in
from .check import newcommand

#: Debian's packages that provide what SVG math runs.
PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-fonts-recommended dvisvgm"
_PREAMBLE = r"""\documentclass[12pt]{article}
\usepackage{amsmath,amssymb,mathtools,bm}
\pagestyle{empty}
"""
_VERSION = "2"  # bump when the document or the conversion changes
#: The formulas' font size in the SVG's units (dvisvgm writes big points): one em of the card.
_FONT_BP = 12.0 * 72 / 72.27
#: Computer Modern's x-height is about 0.43 em, a sans-serif card font's 0.52 to 0.55: math is
#: drawn this much larger to look as large as the text around it (MathJax matches it too).
SCALE = 1.2
#: A formula shipped out on its own has its baseline at y = 0 of the SVG's coordinates (the
#: DVI origin): what lies below it is the formula's depth.
_BASELINE_BP = 0.0
#: A display formula wider than the card shrinks down to this share of its size, then scrolls.
MIN_DISPLAY_SCALE = 0.6
_VIEWBOX = re.compile(
    r"<svg[^>]*?\sviewBox=['\"]\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*['\"]"
)


@dataclass(frozen=True, slots=True)
class Formula:
    tex: str
    display: bool


def missing_tools() -> str | None:
    """Why SVG math cannot run here, with what to install, or None."""
    missing = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
    if not missing:
        return None
    which = "which is" if len(missing) == 1 else "which are"
    return (
        f"SVG math needs {' and '.join(missing)}, {which} not installed: "
        f"install {'it' if len(missing) == 1 else 'them'} with 'sudo apt-get install {PACKAGES}' "
        "(or use MathJax math)"
    )


def _key(formula: Formula, macros: Sequence[tuple[str, str]]) -> str:
    text = "\x1f".join((_VERSION, formula.tex, str(formula.display), *map("=".join, macros)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _valid(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.lstrip().startswith((b"<?xml", b"<svg")) and data.rstrip().endswith(b"</svg>")


def render_svgs(
    formulas: Sequence[Formula], macros: Sequence[tuple[str, str]], workspace: Workspace
) -> dict[Formula, Path]:
    """The cached SVG file of each formula, rendering the ones not cached yet in one run."""
    folder = workspace.cache("math-svg")
    paths = {f: folder / f"{_key(f, macros)}.svg" for f in dict.fromkeys(formulas)}
    todo = [f for f, path in paths.items() if not _valid(path)]
    if todo:
        problem = missing_tools()
        if problem:
            raise AnkifyError(problem, option="math")
        _render(todo, macros, [paths[f] for f in todo], workspace)
    return paths


def _document(
    formulas: Sequence[Formula], macros: Sequence[tuple[str, str]]
) -> tuple[str, list[int]]:
    lines = _PREAMBLE.splitlines()
    lines.extend(newcommand(name, body) for name, body in macros)
    lines.append(r"\begin{document}")
    starts = []
    for formula in formulas:
        starts.append(len(lines) + 1)
        tex = formula.tex.strip("\n")
        if formula.display and tex.lstrip().startswith("\\begin"):
            body = tex if _is_top_level_environment(tex) else rf"\[{tex}\]"
        else:
            # Shipped out on its own, with its baseline at the page's origin: the SVG then
            # says how far the formula reaches below the baseline (see img_tag).
            style = "\\displaystyle " if formula.display else ""
            body = rf"\setbox0\hbox{{${style}{tex}$}}\shipout\vbox to0pt{{\vss\box0}}"
        lines.extend(body.splitlines() or [""])
        lines.append(r"\newpage")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n", starts


def _is_top_level_environment(tex: str) -> bool:
    name = re.match(r"\s*\\begin\{([^}]*)\}", tex)
    return bool(name) and name.group(1).rstrip("*") in {  # type: ignore[union-attr]
        "align",
        "alignat",
        "equation",
        "gather",
        "multline",
        "flalign",
        "eqnarray",
    }


def _render(
    formulas: Sequence[Formula],
    macros: Sequence[tuple[str, str]],
    targets: Sequence[Path],
    workspace: Workspace,
) -> None:
    document, starts = _document(formulas, macros)
    with tempfile.TemporaryDirectory(prefix="ankify-svg-") as folder:
        work = Path(folder)
        (work / "math.tex").write_text(document, encoding="utf-8")
        latex = _run(
            ["latex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "math.tex"],
            work,
        )
        if latex.returncode != 0:
            raise _latex_error(latex.stdout, formulas, starts)
        convert = _run(
            [
                *("dvisvgm", "--no-fonts", "--no-specials", "--exact-bbox", "--page=1-"),
                *("--output=page-%p", "math.dvi"),
            ],
            work,
        )
        pages = sorted(work.glob("page-*.svg"), key=lambda p: int(p.stem.split("-")[1]))
        if convert.returncode != 0 or len(pages) != len(formulas):
            raise AnkifyError(
                f"dvisvgm could not convert the formulas: {convert.stderr.strip()[:200]}"
            )
        for page, target in zip(pages, targets, strict=True):
            # Atomic and under a unique name: workers may render the same formula at once.
            workspace.write(target, page.read_bytes())


#: TeX from someone else's note: it may read and write files only in its own folder, run no
#: program, and take a bounded time.
_TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
_TIMEOUT = 120


def _run(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command,
            cwd=folder,
            env={**os.environ, **_TEX_ENV},
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            timeout=_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise AnkifyError(
            f"{command[0]} took more than {_TIMEOUT} s on the formulas: build with --math "
            "mathjax, or look for a formula that loops"
        ) from None


def _latex_error(log: str, formulas: Sequence[Formula], starts: Sequence[int]) -> AnkifyError:
    message = next(
        (line[2:].strip() for line in log.splitlines() if line.startswith("! ")), "LaTeX failed"
    )
    where = re.search(r"^l\.(\d+)", log, re.MULTILINE)
    if where:
        line = int(where.group(1))
        index = max((i for i, start in enumerate(starts) if start <= line), default=0)
        formula = formulas[index]
        return MathRenderError(formula.tex, formula.display, f"LaTeX cannot typeset it: {message}")
    return AnkifyError(f"LaTeX failed: {message}")


@dataclass(frozen=True, slots=True)
class Box:
    """A rendered formula's size in ems of the card's text: width, height, and depth below the
    baseline (None for a display environment, set on a page of its own)."""

    width: float
    height: float
    depth: float | None


def svg_box(svg: Path, formula: Formula) -> Box | None:
    """The size of a rendered formula, from its SVG's viewBox (None if it has none)."""
    match = _VIEWBOX.search(svg.read_text(encoding="utf-8")[:2000])
    if not match:
        return None
    _, top, width, height = (float(v) for v in match.groups())
    em = _FONT_BP / SCALE
    shipped = not (formula.display and formula.tex.lstrip().startswith("\\begin"))
    depth = (top + height - _BASELINE_BP) / em if shipped else None
    return Box(width / em, height / em, depth)


def img_tag(name: str, svg: Path, formula: Formula) -> str:
    """An <img> for a rendered formula, sized in em so it follows the card's font size: its
    width is set and its height follows (so a narrow card shrinks it without squashing it),
    and an inline formula sits on the text's baseline."""
    from markdown_it.common.utils import escapeHtml

    box = svg_box(svg, formula)
    style = ""
    if box is not None:
        style = f"width:{box.width:.3f}em;"
        if formula.display:
            style += f"min-width:{box.width * MIN_DISPLAY_SCALE:.3f}em;"
        elif box.depth is not None:
            style += f"vertical-align:{-box.depth:.3f}em;"
    kind = "display" if formula.display else "inline"
    alt = escapeHtml(" ".join(formula.tex.split()))
    classes = f"ankify-svg-math ankify-svg-{kind}"
    style_attribute = f' style="{style}"' if style else ""
    tag = f'<img class="{classes}" src="{name}" alt="{alt}"{style_attribute}>'
    # A span (shown as a block): the formula may stand inside a paragraph.
    return f'<span class="ankify-math">{tag}</span>' if formula.display else tag


def render_source(
    source: Source, macros: Sequence[tuple[str, str]], workspace: Workspace
) -> dict[Formula, Path]:
    """Render every formula a source's cards show; a LaTeX error names `file:line`."""
    places: dict[Formula, SourceSpan] = {}
    for draft in source.drafts:
        inlines = [h.inline for h in draft.context if h.inline is not None]
        for token in (*draft.front, *draft.back, *inlines):
            for tex, display, line in formulas_in(token):
                if "{{c" not in tex:  # one holding a cloze stays TeX (see render.py)
                    places.setdefault(Formula(tex, display), draft.span.at(line))
    try:
        return render_svgs(list(places), macros, workspace)
    except MathRenderError as e:
        shown = " ".join(e.tex.split())
        raise SourceError(
            f"formula ${shown}$: {e.message}", span=places[Formula(e.tex, e.display)]
        ) from None
