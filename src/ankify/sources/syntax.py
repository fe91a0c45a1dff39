"""The note syntax as markdown-it rules: card markers, clozes and math that markdown never touches.

Each rule is one function with markdown-it's signature; `RULES` lists where each one goes, the
way markdown-it-py's own `parser_block.py` keeps its rules as a table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from ..kinds import MARKER_LETTERS, OPENERS

#: `#tag` words and a `^id` at the end of a line; neither shows on the card.
TAIL = re.compile(r"(?:[ \t]+(?:#[^\W\d][\w:/.-]*|\^[\w][\w.-]*))+[ \t]*$")
_TAIL_WORD = re.compile(r"([#^])([\w:/.-]+)")
_CLOZE_OPEN = re.compile(r"\{\{c(\d+)::")


def split_tail(text: str) -> tuple[str, tuple[str, ...], str | None]:
    """Split trailing `#tags` and `^id` off a line: (text, tags, id)."""
    match = TAIL.search(text)
    if not match:
        return text, (), None
    tags: list[str] = []
    ident: str | None = None
    for sigil, word in _TAIL_WORD.findall(match.group(0)):
        if sigil == "#":
            tags.append(word)
        else:
            ident = word
    return text[: match.start()], tuple(tags), ident


# -- block rules ------------------------------------------------------------------------------


def card_marker(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`Q:`, `A:`, `E:` or `S:` at the very start of a line opens a part of a card.

    Emits a `card_marker` token (info = the letter, meta = tags and id of a Q/E line), then
    parses the rest of the line as the block it starts (a paragraph, a list, display math ...).
    """
    src = state.src
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if pos + 1 >= len(src) or src[pos] not in MARKER_LETTERS or src[pos + 1] != ":":
        return False
    if pos > 0 and src[pos - 1] != "\n":  # indented, or inside a blockquote: plain text
        return False
    line_end = state.eMarks[start_line]
    after = pos + 2
    if after < line_end and src[after] not in " \t":
        return False
    if silent:
        return True

    letter = src[pos]
    text, tags, ident = src[after:line_end], tuple[str, ...](), None
    if letter in OPENERS:
        text, tags, ident = split_tail(text)
    token = state.push("card_marker", "", 0)
    token.info = letter
    token.map = [start_line, start_line + 1]
    token.meta = {"tags": tags, "id": ident}

    stripped = text.lstrip(" \t")
    if not stripped.strip():
        state.line = start_line + 1
        return True
    saved = (
        state.bMarks[start_line],
        state.eMarks[start_line],
        state.tShift[start_line],
        state.sCount[start_line],
    )
    state.bMarks[start_line] = after + (len(text) - len(stripped))
    state.eMarks[start_line] = after + len(text)
    state.tShift[start_line] = 0
    state.sCount[start_line] = state.blkIndent
    try:
        # The rest of the line starts whatever block it looks like: a paragraph, a list, a fence.
        for rule in state.md.block.ruler.getRules(""):
            if rule is not card_marker and rule(state, start_line, end_line, False):
                break
    finally:
        (
            state.bMarks[start_line],
            state.eMarks[start_line],
            state.tShift[start_line],
            state.sCount[start_line],
        ) = saved
    return True


def bracket_math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    r"""`\[` at the start of a line up to the matching `\]`: display math, untouched by markdown."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    src = state.src
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not src.startswith("\\[", begin):
        return False
    close = src.find("\\]", begin + 2)
    if close < 0:
        return False
    line = start_line
    while line < end_line and close >= state.eMarks[line]:
        line += 1
    if line >= end_line or src[close + 2 : state.eMarks[line]].strip():
        return False  # the math ends mid-line: leave it to the inline rule
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = src[begin + 2 : close]
    token.markup = "\\["
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


# -- inline rules -----------------------------------------------------------------------------


def bracket_math(state: StateInline, silent: bool) -> bool:
    r"""`\(…\)` inline and `\[…\]` display math inside a paragraph."""
    src, pos = state.src, state.pos
    if not src.startswith(("\\(", "\\["), pos):
        return False
    closer = "\\)" if src[pos + 1] == "(" else "\\]"
    close = src.find(closer, pos + 2, state.posMax)
    if close < 0:
        return False
    if not silent:
        kind = "math_inline" if closer == "\\)" else "math_inline_double"
        token = state.push(kind, "math", 0)
        token.content = src[pos + 2 : close]
        token.markup = src[pos : pos + 2]
    state.pos = close + 2
    return True


def _open_clozes(state: StateInline) -> list[Any]:
    """The `{{c…::` cloze tokens of this inline run that are still open, innermost last."""
    stack: list[Any] = []
    for token in state.tokens:
        if token.type == "cloze_open" and token.markup == "{{":
            stack.append(token)
        elif token.type == "cloze_close" and token.markup == "}}" and stack:
            stack.pop()
    return stack


def cloze_open(state: StateInline, silent: bool) -> bool:
    """`{{c1::` opens a cloze deletion (Anki's own syntax)."""
    match = _CLOZE_OPEN.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    if not silent:
        token = state.push("cloze_open", "", 0)
        token.info = match.group(1)
        token.markup = "{{"
        token.meta = {"hint": False}
    state.pos = match.end()
    return True


def cloze_close(state: StateInline, silent: bool) -> bool:
    """`}}` closes the innermost open cloze; elsewhere it is text."""
    if not state.src.startswith("}}", state.pos) or not _open_clozes(state):
        return False
    if not silent:
        token = state.push("cloze_close", "", 0)
        token.markup = "}}"
    state.pos += 2
    return True


def cloze_hint(state: StateInline, silent: bool) -> bool:
    """`::` inside a cloze starts its hint (`{{c1::text::hint}}`)."""
    if not state.src.startswith("::", state.pos):
        return False
    stack = _open_clozes(state)
    if not stack or stack[-1].meta.get("hint"):
        return False
    if not silent:
        stack[-1].meta["hint"] = True
        token = state.push("cloze_hint", "", 0)
        token.markup = "::"
    state.pos += 2
    return True


def highlight_cloze(state: StateInline, silent: bool) -> bool:
    """`==text==` is a cloze that takes the next free number."""
    src, pos, maximum = state.src, state.pos, state.posMax
    if not src.startswith("==", pos) or pos + 2 >= maximum:
        return False
    first = src[pos + 2]
    if first.isspace() or first == "=" or (pos > 0 and src[pos - 1] == "="):
        return False
    close = pos + 3
    while True:
        close = src.find("==", close, maximum)
        if close < 0:
            return False
        if not src[close - 1].isspace() and not src.startswith("===", close):
            break
        close += 1
    if not silent:
        opener = state.push("cloze_open", "", 0)
        opener.info = ""  # numbered once the whole paragraph is known
        opener.markup = "=="
        opener.meta = {"hint": True}
        old_max = state.posMax
        state.pos, state.posMax = pos + 2, close
        state.md.inline.tokenize(state)
        state.posMax = old_max
        closer = state.push("cloze_close", "", 0)
        closer.markup = "=="
    state.pos = close + 2
    return True


# -- core rules -------------------------------------------------------------------------------


def cloze_tail(state: StateCore) -> None:
    """Take `#tags` and `^id` off the end of a top-level paragraph that holds a cloze."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.level != 1 or index < 1:
            continue
        if tokens[index - 1].type != "paragraph_open":
            continue
        if index >= 2 and tokens[index - 2].type == "card_marker":
            continue
        content = token.content
        if "{{c" not in content and "==" not in content:
            continue
        head, tags, ident = split_tail(content)
        if tags or ident:
            token.content = head
            token.meta = {"tags": tags, "id": ident}


Rule = Callable[..., Any]

#: (ruler, name, rule, where: ("before", other), alternatives for block rules)
RULES: tuple[tuple[str, str, Rule, tuple[str, str], tuple[str, ...]], ...] = (
    (
        "block",
        "card_marker",
        card_marker,
        ("before", "paragraph"),
        ("paragraph", "blockquote", "list"),
    ),
    (
        "block",
        "bracket_math_block",
        bracket_math_block,
        ("before", "fence"),
        ("paragraph", "blockquote", "list"),
    ),
    ("inline", "bracket_math", bracket_math, ("before", "escape"), ()),
    ("inline", "cloze_open", cloze_open, ("before", "escape"), ()),
    ("inline", "cloze_close", cloze_close, ("before", "escape"), ()),
    ("inline", "cloze_hint", cloze_hint, ("before", "escape"), ()),
    ("inline", "highlight_cloze", highlight_cloze, ("before", "escape"), ()),
    ("core", "cloze_tail", cloze_tail, ("before", "inline"), ()),
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


def make_parser() -> MarkdownIt:
    """A new markdown-it parser for note files."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    # `---` under a line always separates cards; it is never a setext heading underline.
    md.disable("lheading")
    dollarmath_plugin(
        md, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True
    )
    amsmath_plugin(md)
    for ruler_name, name, rule, (where, other), alternatives in RULES:
        ruler = getattr(md, ruler_name).ruler
        options = {"alt": list(alternatives)} if alternatives else None
        getattr(ruler, where)(other, name, rule, options)
    return md
