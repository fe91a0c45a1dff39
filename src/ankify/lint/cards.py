"""A note's cards as lint reads them: what each card asks and answers, as written, at its line.

The note is cut into cards exactly where the build cuts it (`sources.scan`, with formulas
lifted out first by `sources.formulas`, so a formula is one placeholder and counts as one word),
but markdown itself is not run: lint reads the card's source text, not its HTML, and so stays
fast enough to run on every build. Inside a card's parts, paragraphs are cut at blank lines;
a paragraph holding a cloze is a cloze note, and ends the answer above it, as in the build.

A card is silenced for some rules by a comment on a line of its own, anywhere from the card's
first line to the next card: `<!-- lint-ok: yes-no, long-answer -->` (`lint-ok=yes-no` too);
or by `#lint-ok=yes-no,long-answer` among the `#tags` that end its question's line (a cloze's
paragraph). Neither shows on a card, and neither is part of a card's identity or its tags.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..kinds import OPENERS
from ..model import CardKind, SourceSpan
from ..sources.formulas import CLOZE_OPEN, PLACEHOLDER, Formula, Lifted, lift
from ..sources.frontmatter import read_text, split_front_matter
from ..sources.scan import PartKind, scan, split_tail, tail_lint_ok
from .text import content_words

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_FENCE_STARTS = ("`", "~")
#: `<!-- lint-ok: yes-no, long-answer -->` on a line of its own.
_LINT_OK = re.compile(r"^[ \t]*<!--[ \t]*#?lint-ok[ \t]*[:=][ \t]*(.*?)[ \t]*-->[ \t]*$")
_ONE_LINE_COMMENT = re.compile(r"<!--.*?-->")
#: A `==…==` cloze: opened after no letter, `=`, `<` or `!`, closed after a non-space.
_HIGHLIGHT = re.compile(r"(?<![\w=<!])==(?=[^\s=>]).*?(?<=[^\s=<!])==(?![=>\w])")
#: Fenced blocks that never show on a card (`sympy`), or make cards of their own (`exercise`).
_HIDDEN_FENCES = (["sympy"], ["exercise"])


@dataclass(frozen=True)
class Card:
    """A card as written: its kind, where it starts, and the source text of what it asks and
    answers (formulas lifted out as placeholders, whose formulas are `formulas`).

    A cloze's `prompt` is its paragraph and its `answer` is empty. `ok` are the rules its
    `lint-ok` comments name, as written, each with the comment's line (the caller checks the
    names against the rules' table).
    """

    kind: CardKind
    span: SourceSpan
    prompt: str
    answer: str
    formulas: tuple[Formula, ...] = field(default=(), compare=False, repr=False)
    ok: tuple[tuple[str, int], ...] = ()
    unread: tuple[int, ...] = ()  # lines of a `#lint-ok` that is not read where it stands

    @functools.cached_property
    def prompt_words(self) -> tuple[str, ...]:
        """The content words of what the card asks (see `text.content_words`), read once."""
        return tuple(content_words(self.prompt, self.formulas))

    @functools.cached_property
    def answer_words(self) -> tuple[str, ...]:
        """The content words of its answer, read once."""
        return tuple(content_words(self.answer, self.formulas))

    @property
    def cloze_numbers(self) -> tuple[int, ...]:
        """The cloze numbers of a cloze paragraph, `==…==` taking the next free ones."""
        explicit = [int(n) for n in CLOZE_OPEN.findall(self.prompt)]
        for found in PLACEHOLDER.finditer(self.prompt):
            explicit.extend(self.formulas[int(found.group(1))].clozes)
        highlights = len(_HIGHLIGHT.findall(self.prompt))
        start = max(explicit, default=0)
        return tuple(sorted(set(explicit) | set(range(start + 1, start + 1 + highlights))))


def read_cards(path: Path, data: bytes | None = None) -> tuple[Card, ...]:
    """The cards of one note file (whose bytes are `data`, when given); SourceError at
    `file:line` when the note cannot be cut into cards (as the build would stop there)."""
    text = read_text(path, data)
    _, body = split_front_matter(text, path)
    lifted = lift(body, 1, path)
    return tuple(_Reader(path, lifted).read())


@dataclass
class _Open:
    kind: CardKind
    line: int
    prompt: list[str] = field(default_factory=list)
    answer: list[str] | None = None
    ok: list[tuple[str, int]] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)


class _Chunk(NamedTuple):
    """A paragraph of a part (lines up to a blank line), or a fenced block."""

    first: int  # its first line, in the lifted note
    text: str
    fence: str | None = None  # a fenced block's info string


class _Reader:
    def __init__(self, path: Path, lifted: Lifted) -> None:
        self.path = path
        self.lifted = lifted
        self.cards: list[_Open] = []
        self.current: _Open | None = None
        self.last: _Open | None = None  # the card a `lint-ok` below a cloze belongs to
        # The formulas that hold a cloze (`$p = {{c1::0.5}}$`), by their number.
        self.cloze_formulas = {
            str(number) for number, formula in enumerate(lifted.formulas) if formula.clozes
        }

    def read(self) -> list[Card]:
        lines = self.lifted.text.split("\n")
        for part in scan(lines, self.path, self.lifted.line):
            if part.kind is PartKind.MARKER and part.letter in OPENERS:
                self.finish()
                first, newline, rest = part.text.partition("\n")
                head, tags, _ = split_tail(first)
                kind = OPENERS[part.letter].kind
                self.current = _Open(kind, part.line)
                self.tail(self.current, first, tags, self.lifted.last_line(part.index))
                self.chunks(head + newline + rest, part.index, prompt=True)
            elif part.kind is PartKind.MARKER:
                if self.current is not None and self.current.answer is None:
                    self.current.answer = []
                    self.chunks(part.text, part.index, prompt=False)
                else:  # an answer without its question stops the build: nothing to lint
                    self.finish()
            elif part.kind in (PartKind.HEADING, PartKind.SEPARATOR):
                self.finish()
                self.last = None
            else:
                self.chunks(part.text, part.index, prompt=False)
        self.finish()
        return [self.card(found) for found in self.cards]

    def card(self, found: _Open) -> Card:
        return Card(
            kind=found.kind,
            span=SourceSpan(self.path, found.line),
            prompt="\n\n".join(found.prompt).strip(),
            answer="\n\n".join(found.answer or ()).strip(),
            formulas=self.lifted.formulas,
            ok=tuple(found.ok),
            unread=tuple(found.unread),
        )

    def finish(self) -> None:
        current, self.current = self.current, None
        if current is not None and current.answer is not None:
            self.cards.append(current)
            self.last = current

    def chunks(self, text: str, index: int, *, prompt: bool) -> None:
        for chunk in _chunks(text, index):
            ok: list[tuple[str, int]] = []
            if chunk.fence is None and "lint-ok" in chunk.text:
                chunk, ok = self.lint_ok(chunk)
            owner = self.chunk(chunk, prompt=prompt) if chunk.text.strip() else None
            owner = owner or self.current or self.last
            if owner is not None:
                owner.ok.extend(ok)

    def chunk(self, chunk: _Chunk, *, prompt: bool) -> _Open | None:
        """Read one chunk into the card being read, or as a cloze note; the card it went to."""
        if chunk.fence is not None and chunk.fence.split()[:1] in _HIDDEN_FENCES:
            return None
        if chunk.fence is None and not prompt and self.has_cloze(chunk.text):
            self.finish()
            head, tags, _ = split_tail(chunk.text)
            line = self.lifted.line(chunk.first)
            cloze = _Open(CardKind.CLOZE, line, prompt=[head], answer=[])
            last = self.lifted.last_line(chunk.first + chunk.text.count("\n"))  # the tail's
            if _paragraph(chunk.text):  # where the build takes the tail off the card
                self.tail(cloze, chunk.text, tags, last)
                self.unread(cloze, chunk, head)
            else:
                self.unread(cloze, chunk, chunk.text)
            self.cards.append(cloze)
            self.last = cloze
            return cloze
        current = self.current
        if current is None:
            return None  # text in no card
        (current.prompt if current.answer is None else current.answer).append(chunk.text)
        if chunk.fence is None:
            self.unread(current, chunk, chunk.text)
        return current

    def tail(self, card: _Open, line: str, tags: tuple[str, ...], number: int) -> None:
        """The rules a tail's `#lint-ok=…` silences for `card`; a `#lint-ok` the build takes
        for a tag (`#lint-ok`, `#lint-ok:yes-no`) is unread."""
        card.ok.extend((name, number) for name in tail_lint_ok(line))
        if any(tag.lower().startswith("lint-ok") for tag in tags):
            card.unread.append(number)

    def unread(self, card: _Open, chunk: _Chunk, text: str) -> None:
        """The lines of `text` (a chunk's, what is left of it) where a `#lint-ok` stands that
        nothing reads: it shows on the card, and silences nothing."""
        if "#lint-ok" not in text:
            return
        for offset, line in enumerate(text.split("\n")):
            at = line.find("#lint-ok")
            if at >= 0 and line.count("`", 0, at) % 2 == 0:  # not in code
                card.unread.append(self.lifted.last_line(chunk.first + offset))

    def lint_ok(self, chunk: _Chunk) -> tuple[_Chunk, list[tuple[str, int]]]:
        """A chunk without its `lint-ok` comments, and the rules they name with their lines."""
        kept: list[str] = []
        ok: list[tuple[str, int]] = []
        for offset, line in enumerate(chunk.text.split("\n")):
            found = _LINT_OK.match(line)
            if found is None:
                kept.append(line)
                continue
            number = self.lifted.line(chunk.first + offset)
            ok.extend((name, number) for name in re.split(r"[,\s]+", found.group(1)) if name)
        return _Chunk(chunk.first, "\n".join(kept), chunk.fence), ok

    def has_cloze(self, text: str) -> bool:
        if "{{c" in text and CLOZE_OPEN.search(text):
            return True
        if "==" in text and _HIGHLIGHT.search(text):
            return True
        return bool(self.cloze_formulas) and any(
            found.group(1) in self.cloze_formulas for found in PLACEHOLDER.finditer(text)
        )


#: A line that starts a list item, a quote, a heading, a code block or a fence, a table row,
#: HTML, or a rule: not a line of a plain paragraph.
_NOT_PROSE = re.compile(r"^(?: {0,3}(?:[-*+>#=_|`~<]|\d{1,9}[.)])| {4}|\t)")


def _paragraph(text: str) -> bool:
    """Whether a chunk is surely one paragraph at the top level for markdown too (no line
    starts a list, a quote or anything else), whose tail the build takes off its card."""
    return not any(_NOT_PROSE.match(line) for line in text.split("\n"))


def _chunks(text: str, index: int) -> list[_Chunk]:
    """The paragraphs and fenced blocks of a part whose first line is `index`; HTML comments
    (which may hold cards commented out) are left out."""
    chunks: list[_Chunk] = []
    buffer: list[str] = []
    start = index
    lines = text.split("\n")
    if "`" not in text and "~" not in text and "<!--" not in text:
        for offset, line in enumerate(lines):  # the common case: paragraphs, nothing else
            if line.strip(" \t"):  # blank is spaces and tabs only, as for markdown
                if not buffer:
                    start = index + offset
                buffer.append(line)
            elif buffer:
                chunks.append(_Chunk(start, "\n".join(buffer)))
                buffer = []
        if buffer:
            chunks.append(_Chunk(start, "\n".join(buffer)))
        return chunks
    fence: tuple[str, str] | None = None  # its characters, its info string
    comment = False

    def flush(info: str | None = None) -> None:
        if buffer:
            chunks.append(_Chunk(start, "\n".join(buffer), info))
        buffer.clear()

    for offset, line in enumerate(lines):
        if comment:
            comment = "-->" not in line
            continue
        if fence is not None:
            buffer.append(line)
            found = _FENCE.match(line) if line.lstrip()[:1] in _FENCE_STARTS else None
            closes = found and found.group(1)[0] == fence[0][0] and not found.group(2).strip()
            if found and closes and len(found.group(1)) >= len(fence[0]):
                flush(fence[1])
                fence = None
            continue
        if "<!--" in line and _LINT_OK.match(line):  # a block of its own, as for markdown
            flush()
            chunks.append(_Chunk(index + offset, line))
            start = index + offset + 1
            continue
        if "<!--" in line:
            line = _ONE_LINE_COMMENT.sub("", line)
            if "<!--" in line:
                comment = True
                line = line[: line.index("<!--")]
        if not line.strip(" \t"):  # blank: spaces and tabs only, as for markdown
            flush()
            start = index + offset + 1
            continue
        start_of = line.lstrip()[:1]
        found = _FENCE.match(line) if start_of in _FENCE_STARTS else None
        if found and not (found.group(1)[0] == "`" and "`" in found.group(2)):
            flush()
            start, fence = index + offset, (found.group(1), found.group(2).strip())
            buffer.append(line)
            continue
        if not buffer:
            start = index + offset
        buffer.append(line)
    flush(fence[1] if fence is not None else None)
    return chunks
