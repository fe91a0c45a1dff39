"""Clozes as markdown-it rules: Anki's own `{{c1::…}}` (with hints), and `==…==`, which takes
the next free number; and clozes written almost right, which stop the build with the fix.

Every rule runs in time linear in its input: a cloze's closer and a highlight's end are looked
up, never searched for again from each opener.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .formulas import CLOZE_OPEN, PLACEHOLDER, Formula
from .scan import split_tail

#: Where a `==` can close a highlight: after a non-space that is no `=`, `<` or `!`, before no
#: letter, `=` or `>` (so `a==b`, `===`, `==>` and `<==>` are text). The literal comes first so
#: that `re` skips to it.
_HIGHLIGHT_END = re.compile(r"==(?<=[^\s=<!]==)(?![=>\w])")
#: Clozes written almost right, and how to write them.
_NEAR_CLOZES = (
    (re.compile(r"\{\{c\d+:(?!:)"), "a cloze needs two colons after its number: {{c1::…}}"),
    (re.compile(r"(?<!\{)\{c\d+::"), "a cloze opens with two braces: {{c1::…}}"),
    (re.compile(r"\{\{C\d+::"), "a cloze is written with a small c: {{c1::…}}"),
    (
        re.compile(r"(?:^|(?<=\s))==[ \t]+[^=\n]*?[^\s=][ \t]+==(?=\s|$|[.,;:!?)])"),
        "a highlight has no space inside its ==: write ==words==",
    ),
)
_LONE_HIGHLIGHT = re.compile(r"(?:^|(?<=[\s(\[{]))==(?=[^\s=>])")


def near_cloze(text: str) -> str | None:
    """What is wrong with a cloze written almost right in plain text, or None."""
    if "{" not in text and "==" not in text:
        return None
    for pattern, message in _NEAR_CLOZES:
        if pattern.search(text):
            return message
    if _LONE_HIGHLIGHT.search(text):
        return 'a highlight is not closed: add "==" after the hidden words, e.g. ==mean=='
    return None


# -- inline rules -----------------------------------------------------------------------------


def _clozes(state: StateInline) -> list[Token]:
    """The `{{c…::` tokens of this inline run still open, innermost last (kept as they are
    pushed, so no rule ever walks the tokens again)."""
    stack: tuple[StateInline, list[Token]] | None = state.env.get("_open_clozes")
    if stack is None or stack[0] is not state:
        stack = state.env["_open_clozes"] = (state, [])
    return stack[1]


def cloze_open(state: StateInline, silent: bool) -> bool:
    """`{{c1::` opens a cloze deletion (Anki's own syntax)."""
    match = CLOZE_OPEN.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    if not silent:
        token = state.push("cloze_open", "", 0)
        token.info = match.group(1)
        token.markup = "{{"
        token.meta = {"hint": False}
        _clozes(state).append(token)
    state.pos = match.end()
    return True


def cloze_close(state: StateInline, silent: bool) -> bool:
    """`}}` closes the innermost open cloze; elsewhere it is text."""
    if not state.src.startswith("}}", state.pos):
        return False
    stack = _clozes(state)
    if not stack:
        return False
    if not silent:
        token = state.push("cloze_close", "", 0)
        token.markup = "}}"
        stack.pop()
    state.pos += 2
    return True


def cloze_hint(state: StateInline, silent: bool) -> bool:
    """`::` inside a cloze starts its hint (`{{c1::text::hint}}`)."""
    if not state.src.startswith("::", state.pos):
        return False
    stack = _clozes(state)
    if not stack or stack[-1].meta.get("hint"):
        return False
    if not silent:
        stack[-1].meta["hint"] = True
        token = state.push("cloze_hint", "", 0)
        token.markup = "::"
    state.pos += 2
    return True


def _highlight_ends(state: StateInline) -> list[int]:
    """Where a `==` can end a highlight in this inline run (see `_HIGHLIGHT_END`)."""
    ends: tuple[str, list[int]] | None = state.env.get("_highlight_ends")
    if ends is None or ends[0] is not state.src:
        found = [m.start() for m in _HIGHLIGHT_END.finditer(state.src)]
        ends = state.env["_highlight_ends"] = (state.src, found)
    return ends[1]


def highlight_cloze(state: StateInline, silent: bool) -> bool:
    """`==text==` is a cloze that takes the next free number."""
    src, pos, maximum = state.src, state.pos, state.posMax
    if not src.startswith("==", pos) or pos + 2 >= maximum:
        return False
    first, before = src[pos + 2], src[pos - 1] if pos > 0 else " "
    if first.isspace() or first in "=>" or before.isalnum() or before in "=<!":
        return False  # `a==b`, `===`, `==>`, `<==>`: text
    ends = _highlight_ends(state)
    found = bisect.bisect_left(ends, pos + 3)
    if found >= len(ends) or ends[found] >= maximum:
        return False
    close = ends[found]
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
    formulas: Sequence[Formula] = state.env.get("formulas", ())
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.level != 1 or index < 1:
            continue
        if tokens[index - 1].type != "paragraph_open":
            continue
        content = token.content
        in_math = any(formulas[int(n)].clozes for n in PLACEHOLDER.findall(content))
        if "{{c" not in content and "==" not in content and not in_math:
            continue
        head, tags, ident = split_tail(content)
        if head != content:  # a tail: tags, an id, or lint's `#lint-ok=…`
            token.content = head
            token.meta = {"tags": tags, "id": ident}


# -- the clozes of a block --------------------------------------------------------------------


def has_cloze(block: Sequence[Token]) -> bool:
    """Whether a block holds a cloze: in its text, in a formula, or in HTML as written."""
    for token in block:
        if token.children is not None:  # inline: its text as written tells first
            content = token.content
            if ("{{c" in content or "==" in content) and any(
                child.type == "cloze_open" or _written(child) for child in token.children
            ):
                return True
        elif _written(token):
            return True
    return False


def number_clozes(block: Sequence[Token]) -> tuple[int, ...]:
    """Give each `==…==` of a block the next free cloze number; every number in the block."""
    tokens = list(_all(block))
    opens = [token for token in tokens if token.type == "cloze_open"]
    written = [number for token in tokens for number in _written(token)]
    explicit = [int(token.info) for token in opens if token.markup == "{{"] + written
    next_number = max(explicit, default=0)
    for token in opens:
        if token.markup == "==":
            next_number += 1
            token.info = str(next_number)
    return tuple(sorted({int(token.info) for token in opens} | set(written)))


def _all(block: Sequence[Token]) -> Iterator[Token]:
    """A block's tokens, and the inline tokens inside them."""
    for token in block:
        yield token
        yield from token.children or ()


def _written(token: Token) -> tuple[int, ...]:
    """The numbers of the clozes a token holds as written, not as cloze tokens: inside a
    formula (`$p = {{c1::0.5}}$`, a math box) or in HTML (`<div>{{c1::x}}</div>`)."""
    meta = token.meta or {}
    formula: Formula | None = meta.get("formula")
    if formula is not None:
        return formula.clozes
    if token.type not in ("html_block", "html_inline") or token.content.lstrip().startswith("<!--"):
        return ()
    numbers = [int(n) for n in CLOZE_OPEN.findall(PLACEHOLDER.sub("", token.content))]
    numbers += [n for found in meta.get("formulas", {}).values() for n in found.clozes]
    return tuple(numbers)
