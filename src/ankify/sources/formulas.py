"""Formulas found before markdown reads a note, so markdown never touches them.

Every formula of a part is lifted out of its text and replaced by a placeholder (private-use
characters markdown treats as letters); markdown-it then reads the text, and the placeholders
become math tokens again (see `syntax.py`). So LaTeX reaches Anki character for character,
whatever it holds: `|` in a table, `*` and `_`, `}}`, blank-free multi-line environments.

What counts as a formula:

- `$$…$$` and `\\[…\\]`: displayed; on lines of their own they are a math box, within a line
  they stay in the text. They must close before a blank line, else the build stops at the line
  where they open.
- `\\begin{env}…\\end{env}` starting a line: displayed, up to its matching `\\end`.
- `\\(…\\)`: inline; it must close before a blank line.
- `$…$`: inline, when the `$` is followed by a non-space and the closing `$` follows a
  non-space and is not followed by a digit (so `it costs $5 and $10` stays text), and when
  what it holds is not a price followed by words (`$10, and its … 100$` is text).

Code spans, code blocks, HTML comments and link targets are never searched. Clozes may be
written inside a formula (`$p = {{c1::0.5}}$`): Anki reveals them inside MathJax.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError
from ..model import SourceSpan
from .code import code_regions
from .scan import is_marker, split_marker

#: Placeholders: OPEN, the formula's number, CLOSE. Markdown treats them as letters.
OPEN, CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(f"{OPEN}(\\d+){CLOSE}")
_RESERVED = re.compile(f"[{OPEN}{CLOSE}]")
_REPLACEMENTS = {ord(OPEN): "\ufffd", ord(CLOSE): "\ufffd"}
#: An inline `$…$` longer than this is not a formula (a stray `$` far from another).
MAX_INLINE = 2000

_CLOSERS = {"$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]", "env": "\\end{…}"}
_DELIMITER = re.compile(r"[\\$]")
_DOLLAR = re.compile(r"\$")
_ESCAPED_DOLLAR = re.compile(r"\\\$(?<!\\\\\$)")  # the literal first: `re` skips to it
#: A `$` after a non-space, alone (not `$$`), not before a digit: it can close `$x$`.
_CLOSER = re.compile(r"\$(?<=[^\s$]\$)(?![$\d])")
_BEFORE_NON_ASCII = re.compile(r"\$(?=[^\x00-\x7f])")
#: What may open a line's text before a formula that starts it: indentation, quotes, bullets.
_LINE_OPENING = re.compile(r"^(?:[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]))*[ \t]*")
#: The `>` marks that open a line of a quote.
_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ENV = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
CLOZE_OPEN = re.compile(r"\{\{c(\d+)::")
#: Commands whose argument is words, not math: `\text{if and only if}` is not prose.
_TEXT_ARGUMENT = re.compile(
    r"\\(?:text\w*|math(?:rm|sf|tt|it)|operatorname\*?|[mh]box)\s*\{[^{}]*\}"
)
_COMMAND = re.compile(r"\\[A-Za-z]+")
_PROSE = re.compile(r"(?<![\w\\])[A-Za-z]{3,}[ \t]*[,;]?[ \t]+[A-Za-z]{3,}(?!\w)")


class Formula(NamedTuple):
    """A formula lifted out of a part: its TeX, how it was written, and where (a named tuple:
    a note holds thousands, made in a fraction of a dataclass's time)."""

    tex: str
    display: bool
    delimiter: str  # "$", "$$", "\\(", "\\[" or "env" (a bare \begin{…}…\end{…})
    line: int  # 1-based, in the file
    source: str  # as written, delimiters and all
    clozes: tuple[int, ...] = ()  # the cloze numbers written inside it


@dataclass(frozen=True, slots=True)
class Lifted:
    """A part's text with its formulas replaced by placeholders.

    `lines[i]` is the file's line of line `i` of `text` (a formula over several lines becomes
    one placeholder on one line).
    """

    text: str
    formulas: tuple[Formula, ...]
    lines: tuple[int, ...]
    end: int  # the file's last line

    def line(self, index: int) -> int:
        """The file's line of line `index` (0-based) of the lifted text."""
        return self.lines[min(index, len(self.lines) - 1)]

    def last_line(self, index: int) -> int:
        """The file's line where line `index` (0-based) of the lifted text ends: a formula
        over several lines ends lines below where it started."""
        if index + 1 < len(self.lines):
            return self.lines[index + 1] - 1
        return self.end


def placeholder(number: int) -> str:
    return f"{OPEN}{number}{CLOSE}"


def lift(text: str, first_line: int, path: Path) -> Lifted:
    """Lift every formula out of `text`, whose first line is line `first_line` of `path`."""
    reserved = _RESERVED.search(text)
    if reserved is not None:
        line = first_line + text.count("\n", 0, reserved.start())
        raise SourceError(
            f"this line holds the private-use character U+{ord(reserved.group()):04X}, which "
            "ankify keeps for itself: delete it",
            span=SourceSpan(path, line),
        )
    return _Lifter(text, first_line, path).run()


def without_placeholders(text: str) -> str:
    """`text` with the characters placeholders are made of replaced by U+FFFD, for text from
    elsewhere (a PDF's popup note) that is lifted without a line to blame."""
    return text.translate(_REPLACEMENTS)


class _Lifter:
    def __init__(self, text: str, first_line: int, path: Path) -> None:
        self.text, self.first_line, self.path = text, first_line, path
        self.out: list[str] = []
        self.formulas: list[Formula] = []
        self.lines: list[int] = [first_line]  # the file's line of each line of the output
        self.line = first_line  # the file's line at the current position
        self.blanks = [m.start() for m in _BLANK_LINE.finditer(text)]
        self.code = code_regions(text)
        self.dollars, self.closers = _dollars(text, self.code)

    def run(self) -> Lifted:
        text, i, n = self.text, 0, len(self.text)
        starts = sorted(self.code)
        next_code = 0  # the first code region not passed yet
        while i < n:
            while next_code < len(starts) and starts[next_code] < i:
                next_code += 1
            code = starts[next_code] if next_code < len(starts) else n
            found = _DELIMITER.search(text, i, code)
            if found is None:  # plain text up to the next code region
                self.copy(i, code)
                if code < n:  # code, a comment or a link target: copied as it is
                    self.copy(code, self.code[code])
                    i = self.code[code]
                else:
                    i = n
                continue
            self.copy(i, found.start())
            i = (
                self.backslash(found.start())
                if found.group() == "\\"
                else self.dollar(found.start())
            )
        end = self.first_line + self.text.count("\n")
        return Lifted("".join(self.out), tuple(self.formulas), tuple(self.lines), end)

    # -- output ----------------------------------------------------------------------------

    def copy(self, start: int, end: int) -> None:
        self.out.append(self.text[start:end])
        count = self.text.count("\n", start, end)
        if count:
            self.lines.extend(range(self.line + 1, self.line + count + 1))
            self.line += count

    def keep(self, start: int, end: int, tex: str, delimiter: str) -> int:
        """Replace text[start:end] (a formula holding `tex`) by its placeholder."""
        line = self.line
        source = self.text[start:end]
        if "\n" in source:
            for offset, text_line in enumerate(source.split("\n")[1:], 1):
                if is_marker(text_line):
                    raise SourceError(
                        f"this formula runs into the card at line {line + offset}: close it "
                        f"({_CLOSERS[delimiter]}) before that line",
                        span=self.span(line),
                    )
        if "\n" in tex:
            tex = self.unquoted(start, tex)
        clozes = _cloze_numbers(tex, self.span(line)) if "{{c" in tex else ()
        formula = Formula(tex, delimiter not in ("$", "\\("), delimiter, line, source, clozes)
        self.out.append(f"{OPEN}{len(self.formulas)}{CLOSE}")  # its placeholder
        self.formulas.append(formula)
        if "\n" in source:
            self.line += source.count("\n")  # the formula's lines become one
        return end

    def span(self, line: int) -> SourceSpan:
        return SourceSpan(self.path, line)

    def unquoted(self, start: int, tex: str) -> str:
        """A formula's TeX over several lines of a quote (`> $$` … `> $$`, a callout) without
        the `>` that open its lines: the quote's, not the formula's."""
        line_start = self.text.rfind("\n", 0, start) + 1
        quote = _QUOTE.match(self.text, line_start)
        if quote is None or quote.end() > start:
            return tex
        depth = quote.group().count(">")
        prefix = re.compile(rf"^[ \t]*(?:>[ \t]?){{1,{depth}}}", re.MULTILINE)
        first, newline, rest = tex.partition("\n")
        return first + newline + prefix.sub("", rest)

    def paragraph_end(self, position: int) -> int:
        """Where the paragraph holding `position` ends: the next blank line, or the end."""
        found = bisect.bisect_right(self.blanks, position)
        return self.blanks[found] if found < len(self.blanks) else len(self.text)

    # -- the delimiters ----------------------------------------------------------------------

    def backslash(self, i: int) -> int:
        text = self.text
        two = text[i : i + 2]
        if two in ("\\(", "\\["):
            closer = "\\)" if two == "\\(" else "\\]"
            end = text.find(closer, i + 2, self.paragraph_end(i))
            if end < 0:
                what = "inline formula" if two == "\\(" else "displayed formula"
                raise SourceError(
                    f"this {what} {two} is never closed: add {closer} where it ends "
                    "(before the next blank line)",
                    span=self.span(self.line),
                )
            return self.keep(i, end + 2, text[i + 2 : end], two)
        if text.startswith("\\begin{", i):
            environment = _ENV.match(text, i)
            if environment is not None:
                # Starting a line (or a list item, a quote, a card), it must close; within a
                # line it is a formula when it closes, else words about LaTeX.
                own_line = self.starts_line(i)
                closed = self.environment_end(i, environment.group(1), must_close=own_line)
                if closed is not None:
                    return self.keep(i, closed, text[i:closed], "env")
        self.copy(i, i + 2)  # an escape (`\$`, `\*`) or a command outside math: text
        return i + 2

    def starts_line(self, i: int) -> bool:
        """Whether `i` starts its line, after what may open a line's text: indentation, `>`,
        a list item's bullet or number, a card marker (`A: `)."""
        start = self.text.rfind("\n", 0, i) + 1
        before = _LINE_OPENING.sub("", self.text[start:i])
        if not before.strip():
            return True
        marker = split_marker(before)
        return marker is not None and not _LINE_OPENING.sub("", marker[1]).strip()

    def environment_end(self, i: int, name: str, *, must_close: bool) -> int | None:
        """Just after the `\\end{name}` that closes the environment opened at `i` (None when
        none does and it need not)."""
        opener, closer = f"\\begin{{{name}}}", f"\\end{{{name}}}"
        depth, position, limit = 0, i, self.paragraph_end(i)
        while True:
            next_open = self.text.find(opener, position, limit)
            next_close = self.text.find(closer, position, limit)
            if next_close < 0:
                if not must_close:
                    return None
                raise SourceError(
                    f"\\begin{{{name}}} is never closed: add \\end{{{name}}} where it ends "
                    "(before the next blank line)",
                    span=self.span(self.line),
                )
            if 0 <= next_open < next_close:
                depth += 1
                position = next_open + len(opener)
                continue
            depth -= 1
            position = next_close + len(closer)
            if depth == 0:
                return position

    def dollar(self, i: int) -> int:
        text = self.text
        if text.startswith("$$$", i):  # `costs $$$`: a run of dollars is text
            end = i + 3
            while text.startswith("$", end):
                end += 1
            self.copy(i, end)
            return end
        if text.startswith("$$", i):
            end = text.find("$$", i + 2, self.paragraph_end(i))
            if end < 0:
                raise SourceError(
                    "this displayed formula $$ is never closed: add $$ where it ends "
                    "(before the next blank line)",
                    span=self.span(self.line),
                )
            return self.keep(i, end + 2, text[i + 2 : end], "$$")
        close = self.inline_end(i)
        if close is None:
            self.copy(i, i + 1)  # a price, or a `$` on its own: text
            return i + 1
        return self.keep(i, close + 1, text[i + 1 : close], "$")

    def inline_end(self, i: int) -> int | None:
        """Where the `$` that closes an inline formula opened at `i` is, or None."""
        text = self.text
        following = text[i + 1 : i + 2]
        if not following or following.isspace() or following == "$":
            return None
        # The next `$` closes it, or nothing does: a formula holds no `$` of its own.
        found = bisect.bisect_right(self.dollars, i)
        if found >= len(self.dollars):
            return None
        end = self.dollars[found]
        if end not in self.closers or end - i > MAX_INLINE or end >= self.paragraph_end(i):
            return None
        if following.isdigit() and _is_prose(text[i + 1 : end]):
            return None
        return end


def _dollars(text: str, code: dict[int, int]) -> tuple[list[int], set[int]]:
    """Every `$` outside code and not escaped, in order; and those that can close an inline
    formula: after a non-space, not part of `$$`, not followed by a digit."""
    escaped = {found.start() + 1 for found in _ESCAPED_DOLLAR.finditer(text)}
    dollars = [found.start() for found in _DOLLAR.finditer(text)]
    closers = {found.start() for found in _CLOSER.finditer(text)}
    for found in _BEFORE_NON_ASCII.finditer(text):  # `$x$²`: a digit all the same
        if text[found.end()].isdigit():
            closers.discard(found.start())
    for at in escaped:  # `\$` is a dollar sign; `\$$x` opens with its second `$`
        closers.discard(at)
        after = text[at + 2 : at + 3]
        if text[at + 1 : at + 2] == "$" and after != "$" and not after.isdigit():
            closers.add(at + 1)
    if escaped:
        dollars = [at for at in dollars if at not in escaped]
    if code:
        regions = sorted(code.items())
        starts = [start for start, _ in regions]

        def outside(at: int) -> bool:
            region = bisect.bisect_right(starts, at) - 1
            return region < 0 or at >= regions[region][1]

        dollars = [at for at in dollars if outside(at)]
        closers = {at for at in closers if outside(at)}
    return dollars, closers


def _is_prose(tex: str) -> bool:
    """Whether what stands between two `$` is a price and words, not math (`$10, and its
    100$`): it starts with a digit and has two words in a row, commands and `\\text{…}` apart
    (`$speed \\cdot time$` and `$f(x) \\le g(x) for all x$` are formulas)."""
    if not tex[:1].isdigit():
        return False
    bare = _COMMAND.sub(" # ", _TEXT_ARGUMENT.sub(" # ", tex))
    bare = CLOZE_OPEN.sub(" ", bare).replace("}}", " ")
    return bool(_PROSE.search(bare))


def _cloze_numbers(tex: str, span: SourceSpan) -> tuple[int, ...]:
    """The numbers of the clozes written inside a formula; a cloze that does not close inside
    it is an error (it would hide the rest of the card)."""
    numbers = []
    for found in CLOZE_OPEN.finditer(tex):
        if cloze_end(tex, found.end()) is None:
            raise SourceError(
                f"the cloze {found.group(0)}… inside a formula is not closed inside it: end it "
                "with }} before the formula ends",
                span=span,
            )
        numbers.append(int(found.group(1)))
    return tuple(numbers)


def cloze_end(tex: str, start: int) -> int | None:
    """Where the `}}` that closes a cloze whose content starts at `start` is: the first `}}`
    outside the braces the content opens (`{{c1::\\frac{a}{b}}}` closes after `{b}`)."""
    depth, i = 0, start
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and tex.startswith("}}", i):
                return i
            depth = max(depth - 1, 0)
        i += 1
    return None
