"""The note syntax as markdown-it reads it: the parser, with ankify's rules, and reading a
note's parts in one go.

Each rule is one function with markdown-it's signature; `RULES` lists where each one goes, the
way markdown-it-py's own `parser_block.py` keeps its rules as a table. Card markers and the
places where parts begin are found before markdown reads anything (`scan.py`), and so are
formulas (`formulas.py`); clozes are inline rules of their own (`clozes.py`). Here formulas
come back as math, and tables are checked for cells markdown would drop.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .clozes import cloze_close, cloze_hint, cloze_open, cloze_tail, highlight_cloze
from .formulas import OPEN, PLACEHOLDER, Formula, Lifted, lift, without_placeholders

#: The `>` that open the lines of a quote.
_QUOTED = re.compile(r"^(?:[ \t]*>)+")
_MATH_TYPES = {"$": "math_inline", "\\(": "math_inline"}  # the rest are displayed


# -- block rules ------------------------------------------------------------------------------


def math_box(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A displayed formula on a line of its own (its lines, before it was lifted out) is a math
    box; it ends a paragraph it stands in, as a heading would."""
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith(OPEN, begin):
        return False
    found = PLACEHOLDER.fullmatch(state.src[begin : state.eMarks[start]].rstrip())
    if found is None:
        return False
    formula: Formula = state.env["formulas"][int(found.group(1))]
    if not formula.display:
        return False
    if not silent:
        box = state.push("math_block", "math", 0)
        box.block, box.content, box.markup = True, formula.tex, formula.delimiter
        box.meta, box.map = {"formula": formula, "line": formula.line}, [start, start + 1]
        state.line = start + 1
    return True


# -- core rules -------------------------------------------------------------------------------


def math(state: StateCore) -> None:
    """Formulas come back: placeholders in text become math tokens, code and link targets get
    their text back, and HTML
    keeps its placeholders with the formulas they stand for (the renderer writes them as math,
    so a formula inside `<details>` renders too)."""
    formulas: Sequence[Formula] = state.env.get("formulas", ())
    if not formulas:
        return
    tokens = state.tokens
    for token in tokens:
        if token.type == "html_block" and OPEN in token.content:
            _keep_formulas(token, formulas)
        elif token.content and OPEN in token.content:
            token.content = restore(token.content, formulas)
        if token.type == "inline" and token.children:
            token.children = _math_children(token.children, formulas)


def table_cells(state: StateCore) -> None:
    """Mark a table row that has more cells than its header: markdown drops those cells, and
    what they hold with them (`validate.py` stops the build at the row)."""
    lines: list[str] | None = None
    header, in_body = 0, False
    for token in state.tokens:
        if token.type == "thead_open":
            header, in_body = 0, False
        elif token.type == "th_open":
            header += 1
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and token.map and in_body:
            lines = lines if lines is not None else state.src.split("\n")
            row = _QUOTED.sub("", lines[token.map[0]]).strip()
            cells = escapedSplit(row)
            cells = cells[1:] if cells and not cells[0].strip() else cells
            cells = cells[:-1] if cells and not cells[-1].strip() else cells
            if len(cells) > header:
                token.meta = {**(token.meta or {}), "extra_cells": len(cells) - header}


def restore(text: str, formulas: Sequence[Formula]) -> str:
    """`text` with each placeholder back as the formula's source."""
    return PLACEHOLDER.sub(lambda m: formulas[int(m.group(1))].source, text)


def _math_children(children: list[Token], formulas: Sequence[Formula]) -> list[Token]:
    result: list[Token] = []
    for child in children:
        if child.type == "text" and OPEN in child.content:
            result.extend(_split_text(child, formulas))
            continue
        if child.type == "html_inline" and OPEN in child.content:
            _keep_formulas(child, formulas)
        elif child.content and OPEN in child.content:
            child.content = restore(child.content, formulas)  # code_inline
        for name, value in list(child.attrs.items()):
            if isinstance(value, str) and OPEN in value:
                child.attrs[name] = restore(value, formulas)
        if child.children:
            child.children = _math_children(child.children, formulas)
        result.append(child)
    return result


def _keep_formulas(token: Token, formulas: Sequence[Formula]) -> None:
    """HTML keeps its placeholders; the formulas they stand for go with it, as a table."""
    found = {int(n): formulas[int(n)] for n in PLACEHOLDER.findall(token.content)}
    token.meta = {**(token.meta or {}), "formulas": found}


def _split_text(child: Token, formulas: Sequence[Formula]) -> list[Token]:
    pieces: list[Token] = []
    position = 0
    for match in PLACEHOLDER.finditer(child.content):
        if match.start() > position:
            pieces.append(Token("text", "", 0, content=child.content[position : match.start()]))
        formula = formulas[int(match.group(1))]
        kind = _MATH_TYPES.get(formula.delimiter, "math_inline_double")
        token = Token(kind, "math", 0, content=formula.tex, markup=formula.delimiter)
        token.meta = {"formula": formula, "line": formula.line}
        pieces.append(token)
        position = match.end()
    if position < len(child.content):
        pieces.append(Token("text", "", 0, content=child.content[position:]))
    return pieces


Rule = Callable[..., Any]
#: The blocks a math box ends, like a fence does.
_INTERRUPTS = ["paragraph", "reference", "blockquote", "list"]

#: (ruler, name, rule, where: ("before" or "after", other))
RULES: tuple[tuple[str, str, Rule, tuple[str, str]], ...] = (
    ("block", "math_box", math_box, ("before", "fence")),
    ("inline", "cloze_open", cloze_open, ("before", "escape")),
    ("inline", "cloze_close", cloze_close, ("before", "escape")),
    ("inline", "cloze_hint", cloze_hint, ("before", "escape")),
    ("inline", "highlight_cloze", highlight_cloze, ("before", "escape")),
    ("core", "cloze_tail", cloze_tail, ("before", "inline")),
    ("core", "math", math, ("after", "inline")),
    ("core", "table_cells", table_cells, ("after", "inline")),
)


def without_lines(tokens: Sequence[Token]) -> tuple[Token, ...]:
    """Tokens parsed from text that is not a file's own (a generated exercise, a PDF's popup
    note): they get no line, so checks place them at their card."""
    for token in tokens:
        token.map = None
    return tuple(tokens)


@functools.cache
def parser() -> MarkdownIt:
    """The markdown-it parser for note files (made once per process)."""
    return make_parser()


@functools.cache
def text_parser() -> MarkdownIt:
    """The parser for words that are never HTML (a PDF's popup note: someone else's file may
    hold `<script>`): markdown as in a note, but `<b>` is the text it shows."""
    md = make_parser()
    md.options["html"] = False
    return md


def make_parser() -> MarkdownIt:
    """A new markdown-it parser for note files."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    # `---` under a line always separates cards; it is never a setext heading underline.
    md.disable("lheading")
    for ruler_name, name, rule, (where, other) in RULES:
        options = {"alt": _INTERRUPTS} if ruler_name == "block" else None
        getattr(getattr(md, ruler_name).ruler, where)(other, name, rule, options)
    return md


def parse_parts(parts: Sequence[tuple[str, int]], lifted: Lifted) -> list[tuple[Token, ...]]:
    """Block tokens of each part of a note (`(text, its first line in the lifted note)`), read
    in one go, a blank line between two parts. A part ends every block it opens (a blank line
    ends a paragraph, a list, an HTML block; fences and raw HTML have been checked to close
    inside their part), so each top-level block lies in one part; a block that runs into the
    next part after all (an indented code block) sends every part to be read on its own. The
    tokens' lines are the file's."""
    texts: list[str] = []
    owner: list[int] = []  # the part of each line read
    lifted_lines: list[int] = []  # the lifted note's line of each line read
    for number, (text, start) in enumerate(parts):
        texts.append(text)
        count = text.count("\n") + 1
        owner.extend([number] * (count + 1))  # its lines, and the blank line after them
        # A block that ends in blank lines (a list) ends, in the file, at its last text line.
        filled = start + text.rstrip().count("\n") + 1
        lifted_lines.extend(range(start, filled))
        lifted_lines.extend([filled - 1] * (start + count - filled + 1))
    tokens = parser().parse("\n\n".join(texts), {"formulas": lifted.formulas})
    result: list[list[Token]] = [[] for _ in parts]
    current = 0
    for token in tokens:
        if token.map:
            first, last = token.map[0], token.map[1] - 1
            if token.level == 0:
                current = owner[first]
                if owner[last] != current:  # a block ran into the next part
                    return [parse(text, start, lifted) for text, start in parts]
            token.map = _file_lines(lifted, lifted_lines[first], lifted_lines[last])
        result[current].append(token)
    return [tuple(tokens) for tokens in result]


def _file_lines(lifted: Lifted, first: int, last: int) -> list[int]:
    """A token's map in the file (0-based start, end after its last line) from its first and
    last lines in the lifted note."""
    return [lifted.line(first) - 1, lifted.last_line(last)]


def parse(text: str, start: int, lifted: Lifted, md: MarkdownIt | None = None) -> tuple[Token, ...]:
    """Block tokens of `text`, lines of a note whose formulas were lifted out (`lifted`) from
    its line `start` (0-based) on; the tokens' lines are the file's."""
    tokens = (md or parser()).parse(text, {"formulas": lifted.formulas})
    filled = start + text.rstrip().count("\n")  # the last line with text
    for token in tokens:
        if token.map:
            first, last = token.map[0] + start, min(token.map[1] - 1 + start, filled)
            token.map = _file_lines(lifted, first, last)
    return tuple(tokens)


def parse_text(text: str, path: Path, *, html: bool = True) -> tuple[Token, ...]:
    """Block tokens of markdown that is not the file's own text (a generated exercise, a
    PDF's popup note): nothing in them has a line, so checks place them at their card.
    Without `html`, HTML in the text is text."""
    lifted = lift(without_placeholders(text), 1, path)
    tokens = without_lines(parse(lifted.text, 0, lifted, None if html else text_parser()))
    for token in tokens:
        for child in token.children or ():
            if child.meta.get("line") is not None:
                child.meta["line"] = None
        if token.meta.get("line") is not None:
            token.meta["line"] = None
    return tokens
