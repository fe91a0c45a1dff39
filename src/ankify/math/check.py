"""Check a formula the way MathJax 3 (what Anki renders with) would read it.

A formula that MathJax rejects shows as a red error on the phone, so the build refuses it:
unbalanced braces, an unknown control sequence (with the nearest known one), `\\begin{…}`
without its `\\end`, `\\left` without `\\right`. The known commands are MathJax 3's own, taken
from its TeX packages by `scripts/mathjax-commands.mjs` (data/mathjax-tex.json).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

_CONTROL = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
#: What the checker looks at: comments, braces and control sequences; the rest is letters.
_SPECIAL = re.compile(r"[%{}\\]")
_GROUP_NAME = re.compile(r"\s*\{([^{}]*)\}")
_NEW_MACRO = re.compile(
    r"\\(?:newcommand|renewcommand|providecommand|DeclareMathOperator\*?|def|let)\s*\{?\s*\\([A-Za-z]+)"
)
_NEW_ENVIRONMENT = re.compile(r"\\(?:newenvironment|renewenvironment)\s*\{([^{}]+)\}")
_SIZED = ("left", "right", "middle")
#: LaTeX commands MathJax lacks, and what to write instead.
_INSTEAD = {"bm": "\\boldsymbol", "textsc": "\\text", "mathscr": "\\mathcal", "dfrac*": "\\dfrac"}


@dataclass(frozen=True, slots=True)
class MathJaxTeX:
    """What MathJax 3's TeX input knows."""

    version: str
    macros: frozenset[str]
    environments: frozenset[str]
    delimiters: frozenset[str]


@functools.cache
def mathjax() -> MathJaxTeX:
    data = json.loads(resources.files("ankify").joinpath("data/mathjax-tex.json").read_text())
    delimiters = frozenset(data["delimiters"])
    # Delimiters such as \lVert are control sequences too.
    named = {d[1:] for d in delimiters if d.startswith("\\") and len(d) > 2}
    return MathJaxTeX(
        version=data["mathjax"],
        macros=frozenset(data["macros"]) | named,
        environments=frozenset(data["environments"]),
        delimiters=delimiters,
    )


def macro_names(macros: Collection[tuple[str, str]]) -> frozenset[str]:
    """The names (without backslash) of user macros such as `("\\R", "\\mathbb{R}")`."""
    return frozenset(name.lstrip("\\") for name, _ in macros)


def newcommand(name: str, body: str) -> str:
    """`\\newcommand{\\R}{\\mathbb{R}}`, with the argument count its body uses."""
    arity = max((int(n) for n in re.findall(r"#(\d)", body)), default=0)
    return (
        f"\\newcommand{{{name}}}[{arity}]{{{body}}}"
        if arity
        else f"\\newcommand{{{name}}}{{{body}}}"
    )


def check_tex(tex: str, *, extra_macros: Collection[str] = ()) -> str | None:
    """Why MathJax would reject `tex`, or None when it would render it."""
    known = mathjax()
    new = _NEW_MACRO.findall(tex)
    defined = set(extra_macros) | set(new) if new else extra_macros
    environments = set(_NEW_ENVIRONMENT.findall(tex))
    braces: list[int] = []
    opened: list[tuple[str, str]] = []  # ("begin", name) or ("left", "")
    position = 0
    while (special := _SPECIAL.search(tex, position)) is not None:
        position = special.start()
        char = special.group()
        if char == "%":  # a comment runs to the end of the line
            end = tex.find("\n", position)
            position = len(tex) if end < 0 else end + 1
            continue
        if char == "{":
            braces.append(position)
        elif char == "}":
            if not braces:
                return "unbalanced braces: a '}' has no '{' before it"
            braces.pop()
        elif char == "\\":
            match = _CONTROL.match(tex, position)
            if match is None:
                return "a lone '\\' at the end: remove it, or write \\backslash"
            name = match.group(1)
            position = match.end()
            if not name[0].isalpha():
                continue  # \, \; \{ \} \\ \| and other control symbols
            if name in ("begin", "end"):
                group = _GROUP_NAME.match(tex, position)
                if group is None:
                    return f"\\{name} needs an environment name in braces, e.g. \\{name}{{aligned}}"
                environment = group.group(1).strip()
                position = group.end()
                if name == "begin":
                    if environment not in known.environments | environments:
                        close = difflib.get_close_matches(environment, known.environments, n=1)
                        hint = f"did you mean {{{close[0]}}}?" if close else "use aligned or cases"
                        return f"unknown environment {{{environment}}}: {hint}"
                    opened.append(("begin", environment))
                else:
                    problem = _close(opened, "begin", environment)
                    if problem:
                        return problem
                continue
            if name not in known.macros and name not in defined:
                return _unknown(f"control sequence \\{name}", name, known.macros | set(defined))
            if name in _SIZED:
                problem = _delimiter_after(tex, position, name, known)
                if problem:
                    return problem
                if name == "left":
                    opened.append(("left", ""))
                elif name == "right":
                    problem = _close(opened, "left", "")
                    if problem:
                        return problem
            continue
        position += 1
    if braces:
        return "unbalanced braces: a '{' is never closed"
    for kind, name in reversed(opened):
        if kind == "begin":
            return f"\\begin{{{name}}} without its \\end{{{name}}}"
        return "\\left without \\right: close it with \\right) (or \\right. for none)"
    return None


def _close(opened: list[tuple[str, str]], kind: str, name: str) -> str | None:
    if not opened:
        if kind == "begin":
            return f"\\end{{{name}}} without its \\begin{{{name}}}"
        return "\\right without \\left: open it with \\left( (or \\left. for none)"
    top_kind, top_name = opened.pop()
    if top_kind == kind and top_name == name:
        return None
    if top_kind == "left":
        return "\\left without \\right: close it with \\right) (or \\right. for none)"
    if kind == "left":
        return f"\\right inside \\begin{{{top_name}}} closes a \\left from outside it"
    return f"\\begin{{{top_name}}} is ended by \\end{{{name}}}: end it with \\end{{{top_name}}}"


def _delimiter_after(tex: str, position: int, name: str, known: MathJaxTeX) -> str | None:
    rest = tex[position:].lstrip()
    if rest[:1] == "\\":
        match = _CONTROL.match(rest)
        token = match.group(0) if match else "\\"
    else:
        token = rest[:1]
    if token and (token in known.delimiters or token in ("|", "\\|", "\\{", "\\}")):
        return None
    shown = token or "nothing"
    return f"\\{name} must be followed by a delimiter such as ( [ \\{{ | or . , not {shown}"


def _unknown(what: str, name: str, candidates: Collection[str]) -> str:
    if name in _INSTEAD:
        return f"unknown {what}: MathJax has no \\{name}, write {_INSTEAD[name]}"
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    if close:
        return f"unknown {what}: did you mean \\{close[0]}?"
    return f"unknown {what}: MathJax cannot render it (declare it under macros: if it is yours)"


_MATH_TOKENS = ("math_inline", "math_inline_double", "math_block", "amsmath")


def formulas(token: Token) -> Iterator[tuple[str, bool, int | None]]:
    """Every formula in a block token: its TeX, whether it is displayed, and the line it is on
    (None for a token without a line: a PDF's note, a generated exercise)."""
    first = token.map[0] + 1 if token.map else None

    def line_of(math: Token) -> int | None:
        if first is None:
            return None
        known = (math.meta or {}).get("line")  # the note reader knows each one's line
        if known or math is token:
            return known or first
        offset = token.content.find(math.content)  # else: the line it is first found on
        return first + token.content.count("\n", 0, max(offset, 0))

    if token.type in _MATH_TOKENS:
        yield token.content, True, line_of(token)
    for formula in (token.meta or {}).get("formulas", {}).values():  # inside HTML
        yield formula.tex, formula.display, formula.line if first is not None else None
    for child in token.children or ():
        for formula in (child.meta or {}).get("formulas", {}).values():
            yield formula.tex, formula.display, formula.line if first is not None else None
        if child.type in _MATH_TOKENS:
            yield child.content, child.type != "math_inline", line_of(child)
