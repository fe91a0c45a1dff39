"""A note's lines, read before markdown reads them: where every card part, heading and `---`
separator starts.

The note is cut into parts at those lines first, and markdown-it reads each part on its own, so
no markdown block (an unclosed fence or formula, an HTML block, a list) can run past the start
of the next card and swallow it. What cannot be cut safely is an error at the line where it
opened: a code fence or an HTML comment never closed, or a card marker inside a code fence.

The `#tags` and `^id` that end a marker's line are split off here too (`split_tail`).

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
from ..kinds import MARKER_LETTERS, OPENERS
from ..model import SourceSpan

_LETTERS = "".join(sorted(MARKER_LETTERS))
#: A card marker, as written right or almost right: `Q:`, `Q :`, `**Q:**`, `**Q**:`, `__Q:__`,
#: indented or not. `rest` is what follows it on the line.
_MARKER = re.compile(
    rf"""^[ \t]*(?:
        (?P<b1>\*\*|__)(?P<l1>[{_LETTERS}])[ \t]*:(?P=b1)
      | (?P<b2>\*\*|__)(?P<l2>[{_LETTERS}])(?P=b2)[ \t]*:
      | (?P<l3>[{_LETTERS}])(?P<gap>[ \t]*):
    )(?P<rest>.*)$""",
    re.VERBOSE,
)
#: `- Q: …` as a list item: a card when the next item is its answer (`- A: …`).
_ITEM = re.compile(rf"^[ \t]*[-*+][ \t]+(?P<letter>[{_LETTERS}])[ \t]*:(?P<rest>.*)$")
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
_STARTS = frozenset(MARKER_LETTERS) | frozenset("*_-+#`~<")
_RAW_ENDS = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)


#: `#tag` words and a `^id` at the end of a line; neither shows on the card.
TAIL = re.compile(r"(?:[ \t]+(?:#[^\W\d][\w:/.-]*|\^[\w][\w.-]*))+[ \t]*$")
_TAIL_WORD = re.compile(r"([#^])([\w:/.-]+)")


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
        if line.lstrip(" \t")[:1] not in _STARTS:  # text: no part, fence or HTML starts here
            buffer.append(line)
            continue
        number = line_of(index)
        glued = index > 0 and bool(lines[index - 1].strip())
        marker = items.get(index) or _marker(line)
        if marker is not None:
            yield flush()
            letter, rest = marker
            part_kind, part_index, part_letter, buffer = PartKind.MARKER, index, letter, [rest]
            fence, raw = _opens(rest, number)  # `A: ```python` opens a fence too
            continue
        if _HEADING.match(line):
            yield flush()
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
    found = _FENCE.match(line)
    if found and not (found.group(1)[0] == "`" and "`" in found.group(2)):
        return (found.group(1), number), None
    for opening, end in _RAW_HTML:
        opened = opening.match(line)
        if opened is not None:
            return None, None if _raw_ends(line[opened.end() :], end) else (end, number)
    return None, None


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
    if not line or line.lstrip(" \t")[:1] not in MARKER_LETTERS | {"*", "_"}:
        return None
    found = _MARKER.match(line)
    if found is None:
        return None
    letter = found.group("l1") or found.group("l2") or found.group("l3")
    rest = found.group("rest")
    # `Q:What` is a marker without its space; `E:\data`, `S://…` and `A::b` are not markers.
    if found.group("l3") and not found.group("gap") and rest[:1] in ("\\", "/", ":"):
        return None
    return letter, rest.lstrip(" \t")


def _paired_items(lines: Sequence[str]) -> dict[int, tuple[str, str]]:
    """`- Q: …` list items whose next item is `- A: …` (or `- E:` / `- S:`): both are markers."""
    paired: dict[int, tuple[str, str]] = {}
    opened: tuple[int, str, str] | None = None  # (index, letter, rest) of a `- Q:` item
    for index, line in enumerate(lines):
        found = _ITEM.match(line)
        if found is not None:
            letter, rest = found.group("letter"), found.group("rest").lstrip(" \t")
            if opened is not None and OPENERS[opened[1]].answer_letter == letter:
                paired[opened[0]] = (opened[1], opened[2])
                paired[index] = (letter, rest)
                opened = None
            else:
                opened = (index, letter, rest) if letter in OPENERS else None
        elif not line.strip() or not line[:1].isspace():
            opened = None  # a blank line or a new block ends the list
    return paired


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
