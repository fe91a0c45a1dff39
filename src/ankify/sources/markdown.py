"""Markdown note files -> drafts of cards.

The note is cut into parts where card markers, headings and `---` lines stand (`scan.py`), and
markdown-it reads each part (`syntax.py`). This module walks the parts and their top-level
blocks with a small state machine: headings give context, `Q:`/`E:` open a card, `A:`/`S:`
switch it to its answer, and a block holding a cloze is a cloze note of its own. What a card
holds is checked afterwards, for every kind of source alike (`validate.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from ..config import Config
from ..errors import SourceError
from ..kinds import OPENERS, CardSyntax
from ..model import CardKind, Draft, Heading, Link, Source, SourceSpan, key_text
from ..workspace import source_key
from .blocks import blocks_of, inlines, is_comment, plain_text
from .clozes import has_cloze, number_clozes
from .formulas import Lifted, lift
from .frontmatter import parse_front_matter, read_text, split_front_matter
from .links import image_links
from .scan import Part, PartKind, scan, split_tail
from .syntax import parse_parts, parse_text

_SYMPY_BLOCKS = ("sympy", "exercise")


def read_markdown(path: Path, config: Config, data: bytes | None = None) -> Source:
    """Read one note file (whose bytes are `data`, when given) into a Source of drafts, or
    raise SourceError at `file:line`."""
    text = read_text(path, data)
    header, body = split_front_matter(text, path)
    front_matter = parse_front_matter(header, path)
    lifted = lift(body, 1, path)
    walker = _Walker(path, body.split("\n"), lifted)
    drafts, first_h1 = walker.walk(scan(lifted.text.split("\n"), path, lifted.line))
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
        outside=tuple(walker.outside),
    )


def _tail(part: Part) -> tuple[str, tuple[str, ...], str | None]:
    """A part's text to read, and the `#tags` and `^id` that end a question's first line."""
    if part.kind is not PartKind.MARKER or part.letter not in OPENERS:
        return part.text, (), None
    first, newline, rest = part.text.partition("\n")
    head, tags, ident = split_tail(first)
    return head + newline + rest, tags, ident


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


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
    def __init__(self, path: Path, lines: list[str], lifted: Lifted) -> None:
        self.path = path
        self.lines = lines  # the file's, for the text a card is recognised by
        self.lifted = lifted
        self.links: list[Link] = []  # every image link, in a card or not
        self.headings: list[Heading] = []  # the path the next card sits under
        self.all_headings: list[Heading] = []
        self.outside: list[Token] = []  # inline tokens of text in no card
        self.drafts: list[Draft] = []
        self.current: _Open | None = None
        self.first_h1: str | None = None

    def span(self, line: int) -> SourceSpan:
        return SourceSpan(self.path, line)

    def walk(self, parts: Iterable[Part]) -> tuple[list[Draft], str | None]:
        parts = list(parts)
        tails = [_tail(part) for part in parts]
        texts = [(text, part.index) for part, (text, _, _) in zip(parts, tails, strict=True)]
        for part, (_, tags, ident), tokens in zip(
            parts, tails, parse_parts(texts, self.lifted), strict=True
        ):
            if part.kind is PartKind.MARKER:
                self.marker(part, tags, ident)
                self.blocks(tokens, own_line=part.line)
            elif part.kind is PartKind.HEADING:
                self.heading_part(part, tokens)
            elif part.kind is PartKind.SEPARATOR:
                self.finish(ended_by=("separator", part.line))
            else:
                self.blocks(tokens, own_line=None)
        self.finish()
        return self.drafts, self.first_h1

    def blocks(self, tokens: Sequence[Token], own_line: int | None) -> None:
        """The top-level blocks of a part; `own_line` is the line of its marker, whose own text
        is the first block when it has some."""
        file = SourceSpan(self.path)
        for block in blocks_of(tokens):
            first = block[0]
            line = first.map[0] + 1 if first.map else 0
            own_text = own_line is not None and line == own_line
            self.links.extend(image_links(block, file))
            if first.type == "fence" and first.info.strip() in _SYMPY_BLOCKS:
                self.sympy_block(first, line)
            elif first.type == "heading_open":  # only inside a part that is not a line of its own
                self.finish()
                self.heading(first, block[1])
            elif has_cloze(block):
                self.cloze_block(block, line, own_text)
            elif first.type == "html_block" and is_comment(first.content):
                continue  # the author's own: `<!-- … -->` shows on no card
            elif self.current is not None:
                self.add(block, line, own_text)
            else:
                self.outside.extend(inlines(block))

    def heading_part(self, part: Part, tokens: Sequence[Token]) -> None:
        current = self.current
        level = len(part.text) - len(part.text.lstrip(" ").lstrip("#"))
        section = current.context[-1].level if current is not None and current.context else 0
        if current is not None and part.glued and level > max(section, 2):
            # `### Step 2` right under a line of an answer: a step, or a section? Ask.
            syntax = current.syntax
            what = syntax.answer if current.answer_line is not None else syntax.prompt
            raise SourceError(
                f"this heading is written right under the {what} of the {syntax.prompt} at "
                f"line {current.line}: leave a blank line above it to start a new section, or "
                f"write it in bold (**Step 2**) to keep it in the {what}",
                span=self.span(part.line),
            )
        self.finish(ended_by=("heading", part.line))
        self.links.extend(image_links(tokens, SourceSpan(self.path)))
        self.heading(tokens[0], tokens[1])

    # -- the state machine -----------------------------------------------------------------

    def marker(self, part: Part, tags: tuple[str, ...], ident: str | None) -> None:
        """Open a card (`Q:`, `E:`, with the `#tags` and `^id` of its line) or switch it to its
        answer (`A:`, `S:`)."""
        letter, line = part.letter or "", part.line
        if letter in OPENERS:
            self.finish()
            self.current = _Open(
                syntax=OPENERS[letter],
                line=line,
                tags=tags,
                ident=ident,
                context=tuple(self.headings),
            )
            return
        current = self.current
        if current is None or current.answer_line is not None:
            syntax = next(s for s in OPENERS.values() if s.answer_letter == letter)
            text = f'write "{letter}\\:" to keep it as text'
            if current is not None and current.syntax is not syntax:
                raise SourceError(
                    f'"{letter}:" starts {syntax.answer.a}, but the card above is '
                    f"{current.syntax.prompt.a} (line {current.line}): {text} in its answer",
                    span=self.span(line),
                )
            reason = (
                f"the {syntax.prompt} above already has {syntax.answer.a}"
                if current is not None
                else f"there is no {syntax.prompt} above it"
            )
            raise SourceError(
                f"{syntax.answer} without {syntax.prompt.a} ({reason}): "
                f"add {syntax.prompt_marker.a} line above it, or {text}",
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

    def finish(self, ended_by: tuple[str, int] | None = None) -> None:
        """Close the card being read; `ended_by` is what ended it, when a line did: (what, its
        line)."""
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
            where = "below it"
            if ended_by is not None:  # `Q: …` / `## Heading` / `A: …`: the heading cut it off
                what, line = ended_by
                where = f"between it and the {what} at line {line} (which starts a new section)"
            raise SourceError(
                f"{syntax.prompt} has no {syntax.answer}: "
                f"add {syntax.answer_marker.a} line {where}",
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
        if has_cloze([inline]):
            raise SourceError(
                "a heading cannot hold a cloze (it shows on every card under it): write the "
                "cloze in a paragraph below the heading",
                span=self.span(token.map[0] + 1 if token.map else 0),
            )
        level = int(token.tag[1:])
        text = plain_text(inline)
        if level == 1 and self.first_h1 is None and text:
            self.first_h1 = text
        heading = Heading(level, text, inline)
        self.headings = [*(h for h in self.headings if h.level < level), heading]
        self.all_headings.append(heading)

    def cloze_block(self, block: Sequence[Token], line: int, own_text: bool) -> None:
        current = self.current
        empty = current is not None and not (current.back if current.answer_line else current.front)
        if current is not None and (own_text or empty):  # what the marker above introduces
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
        numbers = number_clozes(block)
        tags: tuple[str, ...] = ()
        ident = None
        for inline in inlines(block):
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
                    front=parse_text(exercise.problem, self.path),
                    back=parse_text(f"$$\n{exercise.solution}\n$$\n", self.path),
                    key=key_text(exercise.problem),
                    context=tuple(self.headings),
                )
            )

    def raw(self, block: Sequence[Token]) -> str:
        first = block[0]
        if not first.map:
            return first.content
        return "\n".join(self.lines[first.map[0] : first.map[1]])
