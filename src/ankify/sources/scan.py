"""A note's lines, read before markdown reads them: where every card part, heading and `---`
separator starts.

The note is cut into parts at those lines first, and markdown-it reads each part on its own, so
no markdown block (an unclosed fence or formula, an HTML block, a list) can run past the start
of the next card and swallow it. What cannot be cut safely is an error at the line where it
opened: a code fence or an HTML comment never closed, or a card marker inside a code fence.

The `#tags` and `^id` that end a marker's line are split off here too (`split_tail`), with a
`#lint-ok=rule` that silences a lint rule for the card (`tail_lint_ok`).

Markers written almost right are read as what they obviously mean (`Q:What`, `Q :`, `**Q:**`,
`**Q**:`, an indented `A:`, and `- Q:` / `- A:` list items that pair up); see the README's
syntax section.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from ..kinds import MARKER_LETTERS
from ..model import SourceSpan

_LETTERS = "".join(sorted(MARKER_LETTERS))
#: What may stand before a marker and is not text: spaces, tabs, no-break and zero-width spaces,
#: a stray byte-order mark (from files pasted together).
_LEAD = " \t\u00a0\u200b\u200c\u200d\u2060\ufeff"
_GAP = "[ \t\u00a0]*"
_COLON = "[:\uff1a]"  # and the full-width colon of CJK input methods
#: A card marker, as written right or almost right: `Q:`, `Q :`, `**Q:**`, `**Q**:`, `__Q:__`,
#: a whole line in bold (`**Q: What?**`), indented or not. `rest` is what follows it.
_MARKER = re.compile(
    rf"""^[{_LEAD}]*(?:
        (?P<b1>\*\*|__)(?P<l1>[{_LETTERS}]){_GAP}{_COLON}(?P=b1)
      | (?P<b2>\*\*|__)(?P<l2>[{_LETTERS}])(?P=b2){_GAP}{_COLON}
      | (?P<b4>\*\*|__)(?P<l4>[{_LETTERS}]){_GAP}{_COLON}(?P<inner>.*[^\s*_])(?P=b4)[ \t]*$
      | (?P<l3>[{_LETTERS}])(?P<gap>{_GAP}){_COLON}
    )(?P<rest>.*)$""",
    re.VERBOSE,
)
#: A list item's bullet or number: `- Q: …` / `- A: …` items that pair up are a card.
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
#: A quote's `>` before what would be a marker.
_BULLETS = frozenset("-*+0123456789")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
#: Markers written as another convention: `q:` / `a:` (`e:` / `s:`), `Q.` / `A.` (not `E.`,
#: which starts "E. coli"). Read as text, but a line of one right above its answer's line stops
#: the build.
_OTHER_OPENER = re.compile(
    rf"^[{_LEAD}]*(?:\*\*|__)?(?:(?P<lower>[qe]){_GAP}{_COLON}|(?P<dot>Q)[.)])(?:\*\*|__)?[ \t]"
)
_OTHER_ANSWER = re.compile(
    rf"^[{_LEAD}]*(?:\*\*|__)?(?:(?P<lower>[as]){_GAP}{_COLON}|(?P<dot>A)[.)])(?:\*\*|__)?[ \t]"
)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_SEPARATOR = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
#: HTML that markdown keeps as it is up to its end, blank lines and all: a comment, `<pre>`,
#: `<script>`, `<style>`, `<textarea>`, `<?…?>`, `<!…>`, CDATA; and where each ends.
_RAW_HTML = (
    (re.compile(r"^ {0,3}<!--"), "-->"),
    (re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)", re.IGNORECASE), None),
    (re.compile(r"^ {0,3}<\?"), "?>"),
    (re.compile(r"^ {0,3}<!\[CDATA\["), "]]>"),
    (re.compile(r"^ {0,3}<![A-Za-z]"), ">"),
)
#: The characters a line that starts a part, a fence or HTML begins with (after indentation).
_STARTS = frozenset(MARKER_LETTERS) | frozenset("*_-+#`~<>qe0123456789")
_RAW_ENDS = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)


#: `#tag` words and a `^id` at the end of a line, and `#lint-ok=rule,…` (which lint reads);
#: none of them shows on the card.
_LINT_OK_WORD = r"#lint-ok=[\w-]+(?:,[ \t]*[\w-]+)*"
TAIL = re.compile(rf"(?:[ \t]+(?:{_LINT_OK_WORD}|#[^\W\d][\w:/.-]*|\^[\w][\w.-]*))+[ \t]*$")
#: A word of a tail: lint's `#lint-ok=…`, or a `#tag` or `^id` (its sigil and its word).
_TAIL_WORD = re.compile(rf"({_LINT_OK_WORD})|([#^])([\w:/.-]+)")
_LINT_OK = "#lint-ok="


class PartKind(enum.Enum):
    MARKER = "marker"  # a card part: what follows `Q:`, `A:`, `E:` or `S:` up to the next part
    HEADING = "heading"  # one heading line
    SEPARATOR = "separator"  # a `---` line
    TEXT = "text"  # lines that follow a heading or separator (or start the note)


@dataclass(frozen=True, slots=True)
class Part:
    """A stretch of the note between two boundaries.

    `text` starts on the file's line `line` (1-based), which is line `index` (0-based) of the
    lines scanned (formulas over several lines are one line there): for a marker, with what
    follows the marker on its line. `glued` says that the line above is not blank.
    """

    kind: PartKind
    line: int
    index: int
    text: str = ""
    letter: str | None = None
    glued: bool = False


def scan(lines: Sequence[str], path: Path, line_of: Callable[[int], int]) -> Iterator[Part]:
    """The parts of a note's body (its formulas lifted out, see `formulas.py`); `line_of(i)` is
    the file's line of `lines[i]`."""
    part_kind, part_index, part_letter = PartKind.TEXT, 0, None
    buffer: list[str] = []
    fence: tuple[str, int] | None = None  # the fence's characters, and the line it opened on
    raw: tuple[str | None, int] | None = None  # raw HTML's end, and the line it opened on
    items = _paired_items(lines)

    def flush() -> Part:
        return Part(part_kind, line_of(part_index), part_index, "\n".join(buffer), part_letter)

    for index, line in enumerate(lines):
        if raw is not None:
            buffer.append(line)
            if _raw_ends(line, raw[0]):
                raw = None
            elif raw[0] != "-->" and _marker(line) is not None and not line[:1].isspace():
                # A comment may hold whole cards (commented out); other HTML holds none.
                raise SourceError(
                    f"this line starts a card inside the HTML opened at line {raw[1]}: close "
                    "that HTML above it",
                    span=SourceSpan(path, line_of(index)),
                )
            continue
        if fence is not None:
            buffer.append(line)
            found = _FENCE.match(line)
            closes = found and found.group(1)[0] == fence[0][0] and not found.group(2).strip()
            if found and closes and len(found.group(1)) >= len(fence[0]):
                fence = None
                continue
            if _marker(line) is not None and not line[:1].isspace():
                raise SourceError(
                    f"this line starts a card inside the code block opened at line {fence[1]}: "
                    f"close the code block above it with {fence[0]}, or indent this line",
                    span=SourceSpan(path, line_of(index)),
                )
            continue
        if line.lstrip(_LEAD)[:1] not in _STARTS:  # text: no part, fence or HTML starts here
            buffer.append(line)
            continue
        number = line_of(index)
        marker = items.get(index) or _marker(line)
        if marker is None and (problem := _near_marker(lines, index)) is not None:
            raise SourceError(problem, span=SourceSpan(path, number))
        if marker is not None:
            yield flush()
            letter, rest = marker
            part_kind, part_index, part_letter, buffer = PartKind.MARKER, index, letter, [rest]
            fence, raw = _opens(rest, number)  # `A: ```python` opens a fence too
            continue
        if _HEADING.match(line):
            yield flush()
            glued = index > 0 and bool(lines[index - 1].strip())
            yield Part(PartKind.HEADING, number, index, line, glued=glued)
            part_kind, part_index, part_letter, buffer = PartKind.TEXT, index + 1, None, []
            continue
        if _SEPARATOR.match(line):
            yield flush()
            yield Part(PartKind.SEPARATOR, number, index)
            part_kind, part_index, part_letter, buffer = PartKind.TEXT, index + 1, None, []
            continue
        buffer.append(line)
        fence, raw = _opens(line, number)
    if fence is not None:
        raise SourceError(
            f"this code block is never closed: add a line {fence[0]} where it ends",
            span=SourceSpan(path, fence[1]),
        )
    if raw is not None:
        closing = raw[0] or "its closing tag"
        what = "HTML comment" if raw[0] == "-->" else "HTML"
        raise SourceError(
            f"this {what} is never closed: add {closing} where it ends",
            span=SourceSpan(path, raw[1]),
        )
    yield flush()


def _opens(line: str, number: int) -> tuple[tuple[str, int] | None, tuple[str | None, int] | None]:
    """The code fence, or the raw HTML, that `line` (the file's line `number`) opens and leaves
    open: (its fence and line, or None; its HTML's end and line, or None)."""
    if line.lstrip(" \t")[:1] not in _OPENS:  # the common case: neither opens here
        return None, None
    found = _FENCE.match(line)
    if found and not (found.group(1)[0] == "`" and "`" in found.group(2)):
        return (found.group(1), number), None
    for opening, end in _RAW_HTML:
        opened = opening.match(line)
        if opened is not None:
            return None, None if _raw_ends(line[opened.end() :], end) else (end, number)
    return None, None


#: What a line opening a fence or raw HTML starts with, after spaces and tabs.
_OPENS = frozenset("`~<")


def _near_marker(lines: Sequence[str], index: int) -> str | None:
    """What is wrong with a line that would start a card written another way: in a quote
    (`> Q:`), or `q:` / `Q.` right above its answer (`a:` / `A.`)."""
    line = lines[index]
    quote = _QUOTE.match(line)
    if quote is not None and (marker := _marker(line[quote.end() :])) is not None:
        return (
            f'a card marker inside a quote: remove the ">" before "{marker[0]}:" to make it a '
            f'card, or write "{marker[0]}\\:" to keep it as text'
        )
    opener = _OTHER_OPENER.match(line)
    if opener is None:
        return None
    following = [text for text in lines[index + 1 : index + 3] if text.strip()][:1]
    answer = _OTHER_ANSWER.match(following[0]) if following else None
    if answer is None or bool(answer.group("lower")) != bool(opener.group("lower")):
        return None
    written = opener.group("lower") or opener.group("dot")
    letter = written.upper()
    answer_letter = "A" if letter == "Q" else "S"
    if (answer.group("lower") or answer.group("dot")).upper() != answer_letter:
        return None
    head = line.lstrip(_LEAD).lstrip("*_")
    mark = head[len(written) :].lstrip(" \t\u00a0")[:1]  # ":" or "." …
    return (
        f'this reads as a card: write its markers as "{letter}:" and "{answer_letter}:" '
        f'(a capital and a colon), or write "{written}\\{mark}" to keep it as text'
    )


def _raw_ends(text: str, end: str | None) -> bool:
    return bool(_RAW_ENDS.search(text)) if end is None else end in text


def is_marker(line: str) -> bool:
    """Whether `line` starts a card part (`Q:`, `A:`, …, as written right or almost right)."""
    return _marker(line) is not None


def marker_letter(line: str) -> str | None:
    """The letter of the card part `line` starts (`Q`, `A`, `E` or `S`), or None."""
    found = _marker(line)
    return found[0] if found is not None else None


def split_marker(line: str) -> tuple[str, str] | None:
    """(letter, what follows it) when `line` starts a card part, else None."""
    return _marker(line)


def _marker(line: str) -> tuple[str, str] | None:
    """(letter, the rest of the line) when `line` starts a card part, else None."""
    if line[1:3] in _PLAIN and line[:1] in MARKER_LETTERS:  # `Q: …`, as most are written
        return line[0], line[2:].lstrip(_LEAD)
    if not line or line.lstrip(_LEAD)[:1] not in _MARKER_STARTS:
        return None
    found = _MARKER.match(line)
    if found is None:
        return None
    if found.group("l4"):  # `**Q: What?**`
        return found.group("l4"), found.group("inner").lstrip(_LEAD)
    letter = found.group("l1") or found.group("l2") or found.group("l3")
    rest = found.group("rest")
    # `Q:What` is a marker without its space; `E:\data`, `S://…` and `A::b` are not markers.
    if found.group("l3") and not found.group("gap") and rest[:1] in ("\\", "/", ":"):
        return None
    return letter, rest.lstrip(_LEAD)


_MARKER_STARTS = frozenset(MARKER_LETTERS) | {"*", "_"}
#: A list item that may start with a marker (what `_paired_items` pairs up).
_ITEM_MARKER = re.compile(
    rf"^[ \t]*(?:[-*+]|\d{{1,9}}[.)])[ \t]+[{_LEAD}]*[{_LETTERS}*_]", re.MULTILINE
)
#: What follows the letter of a marker written plainly (`Q: `).
_PLAIN = frozenset((": ", ":\t"))


def _paired_items(lines: Sequence[str]) -> dict[int, tuple[str, str]]:
    """The `- Q: …` / `- A: …` (and `- E:` / `- S:`) items of lists made of nothing else
    (items may be numbered, nested, bold or spaced by blank lines): each pair is a card, and its
    items are markers. A list with other items (`- G: free energy`, `- E: internal energy`,
    `- S: entropy`) is a list."""
    if _ITEM_MARKER.search("\n".join(lines)) is None:
        return {}  # the common case: no item starts like a card
    paired: dict[int, tuple[str, str]] = {}
    items: list[tuple[int, str, str] | None] = []  # the list's items: (index, letter, rest)
    item_next = False  # whether the next line with text is an item
    for index in range(len(lines) - 1, -1, -1):  # backwards: what follows is known
        line = lines[index]
        if not line.strip():
            if not item_next and items:
                paired.update(_pairs(items[::-1]))
                items = []
            continue
        bullet = _BULLET.match(line) if line.lstrip()[:1] in _BULLETS else None
        if bullet is not None:
            marker = _marker(line[bullet.end() :])
            items.append((index, *marker) if marker is not None else None)
        elif not line[:1].isspace() and items:  # not a line of an item: the list starts below
            paired.update(_pairs(items[::-1]))
            items = []
        item_next = bullet is not None or (item_next and line[:1].isspace())
    paired.update(_pairs(items[::-1]))
    return paired


def _pairs(items: Sequence[tuple[int, str, str] | None]) -> dict[int, tuple[str, str]]:
    """The items of a list that are all questions (or exercises) each followed by its answer
    (or solution), as markers."""
    letters = "".join(item[1] if item else "-" for item in items)
    pairs = [letters[i : i + 2] for i in range(0, len(letters), 2)]
    if not pairs or not all(pair in ("QA", "ES") for pair in pairs):
        return {}
    return {index: (letter, rest) for index, letter, rest in (i for i in items if i)}


def split_tail(text: str) -> tuple[str, tuple[str, ...], str | None]:
    """Split trailing `#tags` and `^id` off a line: (text, tags, id)."""
    if "#" not in text and "^" not in text:
        return text, (), None  # the common case: a line without either
    match = TAIL.search(text)
    if not match:
        return text, (), None
    tags: list[str] = []
    ident: str | None = None
    for lint, sigil, word in _TAIL_WORD.findall(match.group(0)):
        if lint:
            continue  # lint's (`tail_lint_ok`): no tag
        if sigil == "#":
            tags.append(word)
        else:
            ident = word
    return text[: match.start()], tuple(tags), ident


def tail_lint_ok(text: str) -> tuple[str, ...]:
    """The rules a line's `#lint-ok=yes-no,long-answer` (in its tail, see `split_tail`)
    silences for its card, as written."""
    if _LINT_OK not in text:
        return ()
    match = TAIL.search(text)
    if not match:
        return ()
    return tuple(
        name.strip(" \t")
        for lint, _, _ in _TAIL_WORD.findall(match.group(0))
        if lint
        for name in lint[len(_LINT_OK) :].split(",")
    )
