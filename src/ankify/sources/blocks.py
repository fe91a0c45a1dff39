"""The top-level blocks of a part of a note, as markdown-it gives them: each with its open and
close tokens, a displayed formula joined to the paragraph it was written in when they hold a
cloze together; and the words of a heading.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from .clozes import has_cloze


def blocks_of(tokens: Sequence[Token]) -> Iterator[Sequence[Token]]:
    """The top-level blocks of a token stream, each with its open and close tokens; a
    displayed formula written right under or above a paragraph that holds a cloze (or holding
    one itself) is one block with it, as the author wrote them together."""
    blocks = list(_top_level(tokens))
    index = 0
    while index < len(blocks):
        block = blocks[index]
        end = index + 1
        while end < len(blocks) and _joined(blocks[end - 1], blocks[end]):
            end += 1
        group = [token for part in blocks[index:end] for token in part]
        if end - index > 1 and has_cloze(group):
            yield group
            index = end
        else:
            yield block
            index += 1


def _top_level(tokens: Sequence[Token]) -> Iterator[Sequence[Token]]:
    index = 0
    while index < len(tokens):
        end = index + 1
        if tokens[index].nesting == 1:
            depth = 1
            while depth:
                depth += tokens[end].nesting
                end += 1
        yield tokens[index:end]
        index = end


def _joined(above: Sequence[Token], below: Sequence[Token]) -> bool:
    """Whether a math box and a paragraph touch (no blank line between them)."""
    kinds = {above[0].type, below[0].type}
    if "math_block" not in kinds or not kinds <= {"math_block", "paragraph_open"}:
        return False
    return bool(above[0].map and below[0].map and above[0].map[1] == below[0].map[0])


def inlines(block: Sequence[Token]) -> Iterator[Token]:
    return (token for token in block if token.type == "inline")


def plain_text(inline: Token) -> str:
    """The words of an inline token, without markup (for deck names and headings)."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(f"${child.content}$")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def is_comment(html: str) -> bool:
    """Whether an HTML block is one comment (`<!-- … -->`): the author's own, on no card."""
    html = html.strip()
    return html.startswith("<!--") and html.endswith("-->") and "-->" not in html[4:-3]
