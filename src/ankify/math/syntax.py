"""A sympy expression of a note as a Python syntax tree, read and never run.

Notes write expressions as sympy's parser reads them: `^` is a power, as on paper, and `n!` a
factorial. Those are rewritten token by token (spaces stay where they were, so that messages
quote what the note wrote), then `ast` parses the result; nothing is compiled or run here. Size
and nesting are bounded first, so that a hostile line costs no more than a long formula.
"""

from __future__ import annotations

import ast
import io
import keyword
import tokenize
from dataclasses import dataclass

from ..errors import SourceError
from ..model import SourceSpan

#: A line longer than this is several claims: one line, one claim.
MAX_LENGTH = 4000
#: Brackets and operators nested deeper than this are not a formula a person reads.
MAX_DEPTH = 200
EXAMPLE = "diff(x**2, x) == 2*x"


@dataclass(frozen=True, slots=True)
class Expression:
    """An expression a note wrote (`text`), as Python syntax (`source`: `^` and `!` rewritten)
    and its syntax tree."""

    text: str
    source: str
    tree: ast.Expression

    def segment(self, node: ast.AST) -> str:
        """The source of one part of the expression, for messages."""
        return ast.get_source_segment(self.source, node) or ast.unparse(node)


def read(text: str, span: SourceSpan) -> Expression:
    """`text` as an expression, or a SourceError at `span` saying why it cannot be one."""
    if len(text) > MAX_LENGTH:
        raise SourceError(
            f"this expression is {len(text):,} characters long; ankify reads up to "
            f"{MAX_LENGTH:,}: split it into several claims",
            span=span,
        )
    source = _rewrite(text, span)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise _unreadable(text, error.msg, span) from None
    except (RecursionError, MemoryError, ValueError):
        raise _unreadable(text, "it is nested too deeply", span) from None
    if _depth(tree) > MAX_DEPTH:
        raise _unreadable(text, f"it nests more than {MAX_DEPTH} operations or brackets deep", span)
    return Expression(text, source, tree)


def _unreadable(text: str, reason: str, span: SourceSpan) -> SourceError:
    text = text if len(text) <= 80 else text[:60] + "…"
    return SourceError(
        f"cannot read {text!r} as sympy ({reason}): write it like {EXAMPLE}", span=span
    )


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _rewrite(text: str, span: SourceSpan) -> str:
    """`text` with `^` as `**` and `n!`, `n!!` as factorial(n), factorial2(n), as sympy's
    parser reads them; everything else stays where it was, spaces included."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT)
        ]
    except (tokenize.TokenError, SyntaxError) as error:
        multi = "EOF in multi-line" in str(error)
        reason = "a bracket is not closed" if multi else "it is not an expression"
        raise _unreadable(text, reason, span) from None
    lines = [0]
    for line in io.StringIO(text):
        lines.append(lines[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        return lines[position[0] - 1] + position[1]

    edits: list[tuple[int, int, int, str]] = []  # start, -order, end, replacement
    seen: list[tokenize.TokenInfo] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.string == "!":
            run = 1
            while index + run < len(tokens) and tokens[index + run].string == "!":
                run += 1
            start = _atom_start(seen)
            if start is None or run > 2:
                raise _unreadable(text, "'!' follows a number, a name or a bracket", span)
            name = "factorial(" if run == 1 else "factorial2("
            edits.append((offset(seen[start].start), -len(edits), offset(seen[start].start), name))
            last = tokens[index + run - 1]
            edits.append((offset(token.start), -len(edits), offset(last.end), ")"))
            index += run
            continue
        if token.string == "^":
            edits.append((offset(token.start), -len(edits), offset(token.end), "**"))
        seen.append(token)
        index += 1
    parts, done = [], 0
    for start, _, end, replacement in sorted(edits):
        parts += [text[done:start], replacement]
        done = end
    return "".join([*parts, text[done:]])


def _atom_start(seen: list[tokenize.TokenInfo]) -> int | None:
    """Where the operand before a postfix `!` starts: a number, a name, a bracket, or a call
    (`f(x)!`), subscript or attribute chain."""
    j = len(seen) - 1
    while j >= 0:
        token = seen[j]
        if token.string in ")]}":
            depth = 0
            for k in range(j, -1, -1):
                depth += (seen[k].string in ")]}") - (seen[k].string in "([{")
                if depth == 0:
                    break
            else:
                return None
            j = k
            before = seen[j - 1] if j else None
            callee = before is not None and before.type == tokenize.NAME
            if before is not None and (
                (callee and not keyword.iskeyword(before.string)) or before.string in ")]"
            ):
                j -= 1
                continue
            return j
        if token.type in (tokenize.NAME, tokenize.NUMBER) and not keyword.iskeyword(token.string):
            if j >= 2 and seen[j - 1].string == ".":
                j -= 2
                continue
            return j
        return None
    return None
