"""Markdown note files -> drafts of cards.

The file is parsed once by markdown-it (see `syntax.py`); this module walks the top-level
blocks with a small state machine: headings give context, `Q:`/`E:` open a card, `A:`/`S:`
switch it to its answer, and a block holding a cloze is a cloze note of its own. What a card
holds is checked afterwards, for every kind of source alike (`validate.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from ..config import Config
from ..errors import SourceError
from ..kinds import OPENERS, CardSyntax
from ..model import CardKind, Draft, Heading, Link, Source, SourceSpan, key_text
from ..workspace import source_key
from .frontmatter import parse_front_matter, read_text, split_front_matter
from .links import image_links
from .syntax import parser, without_lines

_SYMPY_BLOCKS = ("sympy", "exercise")


def read_markdown(path: Path, config: Config, data: bytes | None = None) -> Source:
    """Read one note file (whose bytes are `data`, when given) into a Source of drafts, or
    raise SourceError at `file:line`."""
    text = read_text(path, data)
    header, body = split_front_matter(text)
    front_matter = parse_front_matter(header, path)
    tokens = parser().parse(body, {})
    walker = _Walker(path, body.splitlines())
    drafts, first_h1 = walker.walk(tokens)
    deck = front_matter.deck or first_h1 or path.stem
    if front_matter.deck is None and first_h1 is not None:
        # The H1 already names the deck; repeating it on every card is noise on a phone.
        drafts = [
            dataclasses.replace(d, context=d.context[1:])
            if d.context and d.context[0].level == 1 and d.context[0].text == first_h1
            else d
            for d in drafts
        ]
    if front_matter.tags:
        drafts = [dataclasses.replace(d, tags=_unique(front_matter.tags + d.tags)) for d in drafts]
    return Source(
        path=path,
        key=source_key(path, config.root),
        deck=deck,
        front_matter=front_matter,
        drafts=tuple(drafts),
        base_dir=path.resolve().parent,
        links=tuple(dict.fromkeys(walker.links)),
        headings=tuple(walker.all_headings),
    )


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _blocks(tokens: Sequence[Token]) -> Iterator[Sequence[Token]]:
    """The top-level blocks of a token stream, each with its open and close tokens."""
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


def _inlines(block: Sequence[Token]) -> Iterator[Token]:
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


@dataclass
class _Open:
    """A card being read: its question part, then its answer part."""

    syntax: CardSyntax
    line: int
    tags: tuple[str, ...]
    ident: str | None
    context: tuple[Heading, ...]
    front: list[Token] = field(default_factory=list)
    back: list[Token] = field(default_factory=list)
    key_parts: list[str] = field(default_factory=list)
    answer_line: int | None = None


class _Walker:
    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.links: list[Link] = []  # every image link, in a card or not
        self.headings: list[Heading] = []  # the path the next card sits under
        self.all_headings: list[Heading] = []
        self.drafts: list[Draft] = []
        self.current: _Open | None = None
        self.first_h1: str | None = None

    def span(self, line: int) -> SourceSpan:
        return SourceSpan(self.path, line)

    def walk(self, tokens: Sequence[Token]) -> tuple[list[Draft], str | None]:
        marker_line: int | None = None  # the line of the marker whose own text comes next
        file = SourceSpan(self.path)
        for block in _blocks(tokens):
            first = block[0]
            line = first.map[0] + 1 if first.map else 0
            self.links.extend(image_links(_inlines(block), file))
            if first.type == "card_marker":
                self.marker(first, line)
                marker_line = line
                continue
            own_text = marker_line is not None and line == marker_line
            marker_line = None
            if first.type == "fence" and first.info.strip() in _SYMPY_BLOCKS:
                self.sympy_block(first, line)
            elif first.type == "heading_open":
                self.finish()
                self.heading(first, block[1])
            elif first.type == "hr":
                self.finish()
            elif any(_has_cloze(inline) for inline in _inlines(block)):
                self.cloze_block(block, line, own_text)
            elif self.current is not None:
                self.add(block, line, own_text)
        self.finish()
        return self.drafts, self.first_h1

    # -- the state machine -----------------------------------------------------------------

    def marker(self, token: Token, line: int) -> None:
        letter = token.info
        if letter in OPENERS:
            self.finish()
            self.current = _Open(
                syntax=OPENERS[letter],
                line=line,
                tags=tuple(token.meta["tags"]),
                ident=token.meta["id"],
                context=tuple(self.headings),
            )
            return
        current = self.current
        if current is None or current.answer_line is not None:
            syntax = next(s for s in OPENERS.values() if s.answer_letter == letter)
            reason = (
                f"the {syntax.prompt} above already has {syntax.answer.a}"
                if current is not None
                else f"there is no {syntax.prompt} above it"
            )
            raise SourceError(
                f"{syntax.answer} without {syntax.prompt.a} ({reason}): "
                f"add {syntax.prompt_marker.a} line above it",
                span=self.span(line),
            )
        syntax = current.syntax
        if letter != syntax.answer_letter:
            raise SourceError(
                f"the {syntax.prompt} at line {current.line} is answered with "
                f'{syntax.answer_marker}, not "{letter}:": change this line to '
                f"{syntax.answer_marker}",
                span=self.span(line),
            )
        if not current.front:
            raise SourceError(
                f"{syntax.prompt} is empty: write it after {syntax.prompt_marker}",
                span=self.span(current.line),
            )
        current.answer_line = line

    def add(self, block: Sequence[Token], line: int, own_text: bool) -> None:
        current = self.current
        assert current is not None
        if current.answer_line is None:
            current.front.extend(block)
            inline = block[1] if own_text and len(block) > 1 else None
            current.key_parts.append(inline.content if inline else self.raw(block))
        else:
            current.back.extend(block)

    def finish(self) -> None:
        current, self.current = self.current, None
        if current is None:
            return
        syntax = current.syntax
        if current.answer_line is None:
            if not current.front:
                raise SourceError(
                    f"{syntax.prompt} is empty: write it after {syntax.prompt_marker}",
                    span=self.span(current.line),
                )
            raise SourceError(
                f"{syntax.prompt} has no {syntax.answer}: "
                f"add {syntax.answer_marker.a} line below it",
                span=self.span(current.line),
            )
        if not current.back:
            raise SourceError(
                f"{syntax.answer} is empty: write it after {syntax.answer_marker}",
                span=self.span(current.answer_line),
            )
        self.drafts.append(
            Draft(
                kind=syntax.kind,
                span=self.span(current.line),
                front=tuple(current.front),
                back=tuple(current.back),
                key=key_text(" ".join(current.key_parts)),
                explicit_id=current.ident,
                tags=_unique(current.tags),
                context=current.context,
            )
        )

    def heading(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1:])
        text = plain_text(inline)
        if level == 1 and self.first_h1 is None and text:
            self.first_h1 = text
        heading = Heading(level, text, inline)
        self.headings = [*(h for h in self.headings if h.level < level), heading]
        self.all_headings.append(heading)

    def cloze_block(self, block: Sequence[Token], line: int, own_text: bool) -> None:
        current = self.current
        if own_text and current is not None:
            syntax = current.syntax
            if current.answer_line:
                part, marker = syntax.answer, syntax.answer_marker
            else:
                part, marker = syntax.prompt, syntax.prompt_marker
            raise SourceError(
                f"a cloze cannot be part of {part.a}: remove {marker} to make this a cloze "
                f"note, or write the {part} without {{{{c1::…}}}} or ==…==",
                span=self.span(line),
            )
        self.finish()
        numbers = _number_clozes(block)
        tags: tuple[str, ...] = ()
        ident = None
        for inline in _inlines(block):
            if inline.meta:
                tags += tuple(inline.meta.get("tags", ()))
                ident = inline.meta.get("id") or ident
        key = block[1].content if block[0].type == "paragraph_open" else self.raw(block)
        self.drafts.append(
            Draft(
                kind=CardKind.CLOZE,
                span=self.span(line),
                front=tuple(block),
                back=(),
                key=key_text(key),
                explicit_id=ident,
                tags=_unique(tags),
                context=tuple(self.headings),
                cloze_numbers=numbers,
            )
        )

    def sympy_block(self, fence: Token, line: int) -> None:
        """```sympy claims are checked and never shown; ```exercise blocks make exercises."""
        from ..math.sympy_blocks import check_claims, generate_exercises

        if fence.info.strip() == "sympy":
            check_claims(fence.content, line + 1, self.path)
            return
        self.finish()
        for exercise in generate_exercises(fence.content, line + 1, self.path):
            self.drafts.append(
                Draft(
                    kind=CardKind.EXERCISE,
                    span=self.span(exercise.line),
                    front=without_lines(parser().parse(exercise.problem, {})),
                    back=without_lines(parser().parse(f"$$\n{exercise.solution}\n$$\n", {})),
                    key=key_text(exercise.problem),
                    context=tuple(self.headings),
                )
            )

    def raw(self, block: Sequence[Token]) -> str:
        first = block[0]
        if not first.map:
            return first.content
        return "\n".join(self.lines[first.map[0] : first.map[1]])


def _has_cloze(inline: Token) -> bool:
    return any(child.type == "cloze_open" for child in inline.children or ())


def _number_clozes(block: Sequence[Token]) -> tuple[int, ...]:
    """Give each `==…==` the next free cloze number; return every number in the block."""
    opens = [
        child
        for inline in _inlines(block)
        for child in inline.children or ()
        if child.type == "cloze_open"
    ]
    explicit = [int(token.info) for token in opens if token.markup == "{{"]
    next_number = max(explicit, default=0)
    for token in opens:
        if token.markup == "==":
            next_number += 1
            token.info = str(next_number)
    return tuple(sorted({int(token.info) for token in opens}))
