"""The optional YAML header of a note file: deck, tags, source, pages, macros, offset."""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import FrontMatter, PageRange, SourceSpan, parse_deck, parse_page_ranges

KEYS = ("deck", "tags", "source", "pages", "macros", "offset")
_CLOSERS = ("---", "...")
#: What front matter starts with: a `key:`, a `- item`, or a `{`/`[` collection.
_YAML = re.compile(r"^(?:[\w\\ .-]+:(?:[ \t]|$)|-(?:[ \t]|$)|[\[{])")
#: A card marker where front matter would be: `Q: …` is a card, not a key named Q (an indented
#: `E:` is a value inside a key, such as a macro named E).
_MARKER_KEY = re.compile(r"^(?:\*\*|__)?[QAES](?:\*\*|__)?[ \t]*:")
_TAG = re.compile(r"^[^\s\"]+$")


def split_front_matter(text: str, path: Path) -> tuple[str | None, str]:
    """Split `---` YAML `---` off the top of a note.

    Returns the YAML (or None) and the body with the header's lines blanked, so that line
    numbers in the body stay those of the file. A first `---` line followed by a card (or by
    anything but `key: value` lines) is a separator, not front matter; front matter that is
    not closed before the first card, or at all, is an error at line 1.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text
    close = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in _CLOSERS), None)
    inside = lines[1:close] if close is not None else lines[1:]
    first = next((line for line in inside if line.strip() and not line.startswith("#")), None)
    if first is None and close is None:
        return None, text  # a `---` separator above headings, or above nothing
    if first is not None and (_MARKER_KEY.match(first) or not _YAML.match(first)):
        return None, text  # a `---` separator above the first card, or above prose
    card = next((i for i, line in enumerate(inside, 2) if _MARKER_KEY.match(line)), None)
    if close is None or card is not None:
        where = f"before the card at line {card}" if card is not None else "after it"
        raise SourceError(
            f"the front matter is not closed: add a --- line {where}", span=SourceSpan(path, 1)
        )
    header = "\n".join(inside) + "\n"
    return header, "\n" * close + "\n" + "\n".join(lines[close + 1 :])


def parse_front_matter(header: str | None, path: Path) -> FrontMatter:
    """Validate the YAML header of `path` (`header` as split off by `split_front_matter`)."""
    if header is None or not header.strip():
        return FrontMatter()
    import yaml  # only files with front matter pay for PyYAML

    if len(header) > MAX_BYTES:
        raise SourceError(
            f"the front matter is {len(header) // 1024} kB: it holds a few settings (deck, "
            f"tags, macros) and may be up to {MAX_BYTES // 1024} kB",
            span=SourceSpan(path, 1),
        )
    try:
        data = yaml.load(header, Loader=_loader())  # a SafeLoader, without aliases
    except _Alias as e:
        raise SourceError(
            "the front matter uses a YAML alias (*name): write the value out instead",
            span=SourceSpan(path, e.line + 2),
        ) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        last = header.count("\n") + 1  # an error at the end of the YAML points at its last line
        line = min(mark.line + 2, last) if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SourceError(
            f"invalid front matter: {problem}: check the YAML between the '---' lines",
            span=SourceSpan(path, line),
        ) from None
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        raise SourceError(
            "invalid front matter: expected 'key: value' lines such as 'deck: Chapter 3'",
            span=SourceSpan(path, 2),
        )

    def span(key: str) -> SourceSpan:
        for number, line in enumerate(header.splitlines(), start=2):
            if line.split(":", 1)[0].strip() == key:
                return SourceSpan(path, number)
        return SourceSpan(path, 1)

    for key in data:
        # Keys of other tools (title, date ...) are left alone; near-misses of ours are typos.
        if str(key) not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.75)
            if close:
                raise SourceError(
                    f"unknown front matter key {key!r}: did you mean {close[0]!r}?", span=span(key)
                )

    return FrontMatter(
        deck=_deck(data.get("deck"), span("deck")),
        tags=_tags(data.get("tags"), span("tags")),
        source=_text(data.get("source"), "source", "source: dlbook.pdf", span("source")),
        pages=parse_pages(data.get("pages"), span("pages")),
        macros=_macros(data.get("macros"), span("macros"), header),
        offset=_offset(data.get("offset"), span("offset")),
    )


#: Reading costs memory in proportion to a note's size: a note larger than this is not one
#: a person wrote (or it is a whole library pasted into one file).
MAX_NOTE_BYTES = 4 * 2**20
#: Front matter holds a few settings; more than this is not front matter anyone wrote.
MAX_BYTES = 64 * 1024


class _Alias(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


@functools.cache
def _loader() -> type:
    """PyYAML's safe loader without aliases: twelve lines of nested aliases (a "billion
    laughs") would expand to gigabytes, and front matter never needs one."""
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise _Alias(self.peek_event().start_mark.line)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)

    return Loader


def check_note_size(path: Path, size: int) -> None:
    """A SourceError for a note file too large to read (checked before it is read)."""
    if size > MAX_NOTE_BYTES:
        raise SourceError(
            f"the file is {size / 2**20:.0f} MB: a note file may be up to "
            f"{MAX_NOTE_BYTES // 2**20} MB: split it into several files",
            span=SourceSpan(path),
        )


def read_text(path: Path, data: bytes | None = None) -> str:
    """A note file's text (from `data`, its bytes, when given), or a SourceError that says
    how to fix the encoding."""
    if data is None:
        check_note_size(path, path.stat().st_size)
        data = path.read_bytes()
    check_note_size(path, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SourceError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x}): save the file as UTF-8",
            span=SourceSpan(path, line),
        ) from None
    # One kind of line ending: a file saved with CRLF reads as the same lines, and so do the
    # line and paragraph separators text pasted from the web or a PDF may hold.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = {ord(c): "\n" for c in "\r\x85\u2028\u2029"}


def parse_pages(value: Any, span: SourceSpan) -> tuple[PageRange, ...]:
    """`53`, `"53-60"` or `"53-60, 62"`: printed page ranges."""
    if value is None:
        return ()
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SourceError("pages must look like '53-60' (or '53-60, 62')", span=span)
    try:
        return parse_page_ranges(str(value))
    except ValueError as e:
        raise SourceError(f"pages {value!r} {e}", span=span) from None


def _offset(value: Any, span: SourceSpan) -> int | None:
    """`offset: -52`: printed page P of a PDF without page labels is physical page P - 52."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SourceError(
            f"offset {value!r} must be a whole number, e.g. 'offset: -52' for a PDF whose "
            "printed page 53 is its physical page 1",
            span=span,
        )
    return value


def _text(value: Any, key: str, example: str, span: SourceSpan) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SourceError(f"{key} must be text, e.g. '{example}'", span=span)
    text = str(value).strip()
    return text or None


def _deck(value: Any, span: SourceSpan) -> str | None:
    deck = _text(value, "deck", "deck: Deep Learning::Chapter 3", span)
    if deck is None:
        return None
    try:
        return parse_deck(deck)
    except ValueError as e:
        raise SourceError(f"deck {deck!r} {e}", span=span) from None


def _tags(value: Any, span: SourceSpan) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.replace(",", " ").split()
    elif isinstance(value, list):
        items = value
    else:
        raise SourceError("tags must be a list, e.g. 'tags: [probability, ch3]'", span=span)
    tags = []
    for item in items:
        tag = str(item).strip().lstrip("#")
        if not tag or isinstance(item, dict | list) or not _TAG.match(tag):
            raise SourceError(
                f"tag {item!r} is not one word: Anki tags have no spaces, "
                f"e.g. '{str(item).strip().replace(' ', '_')}'",
                span=span,
            )
        tags.append(tag)
    return tuple(tags)


def _macros(value: Any, span: SourceSpan, header: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise SourceError(r"macros must map names to LaTeX, e.g. '\R: \mathbb{R}'", span=span)
    macros = []
    for name, body in value.items():
        if not isinstance(name, str) or not re.fullmatch(r"\\?[A-Za-z]+", name.strip()):
            raise SourceError(
                f"macro name {name!r} must be letters, e.g. '\\R: \\mathbb{{R}}'", span=span
            )
        if not isinstance(body, str | int | float) or isinstance(body, bool):
            raise SourceError(f"macro {name} must be LaTeX text, e.g. '\\mathbb{{R}}'", span=span)
        for number, line in enumerate(header.splitlines(), start=2):
            # In YAML " #" starts a comment: `\norm: \lVert #1 \rVert` silently loses "#1 \rVert".
            if line.strip().startswith(f"{name}:") and " #" in line and "#" not in str(body):
                raise SourceError(
                    f"macro {name}: YAML reads ' #' as the start of a comment: quote the LaTeX, "
                    f"e.g. {name}: '{line.split(':', 1)[1].strip()}'",
                    span=SourceSpan(span.path, number),
                )
        macros.append(("\\" + name.strip().lstrip("\\"), str(body)))
    return tuple(sorted(macros))
