"""PDF page ranges -> drafts of cards: every highlight, underline or squiggly is a card.

The book's words are never markdown: drafts are built as markdown-it tokens directly, so a
`*`, `_` or `$` in the text stays that character. The learner's own words in a popup note are
markdown, as in a note file (`Q: What is $p(x)$?` shows math), but never HTML: a PDF may come
from someone else, and `<script>` in it is the text it shows.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from ...config import Config
from ...errors import SourceError
from ...kinds import OPENERS, SYNTAX, marker
from ...model import (
    CardKind,
    Draft,
    FrontMatter,
    Heading,
    PageLabels,
    PageRange,
    Source,
    SourceSpan,
    key_text,
)
from ...progress import PageCallback
from ...workspace import range_key, source_key
from ..links import image_links
from ..scan import marker_letter, split_tail
from ..syntax import parse_text
from .document import open_pdf
from .highlights import Highlight, read_highlights
from .outline import OutlineEntry, document_title, heading_path, read_outline
from .pages import page_numbers, select_pages

_NOTE_KIND = re.compile(rf"^([{''.join(OPENERS)}]):(?:[ \t]+|$)")
#: Anki reads these in a cloze field: the book's text shows them as HTML entities instead.
_ANKI_IN_CLOZE = re.compile(r"\{\{|\}\}|::|\}$")
_ANKI_OUTSIDE = re.compile(r"\{\{|\}\}")


@dataclass(frozen=True, slots=True)
class Popup:
    """What the learner's popup note asks for: a card kind, its markdown, tags and ^id."""

    kind: CardKind
    text: str  # the question or exercise (markdown); for a cloze, a comment for its back
    tags: tuple[str, ...] = ()
    explicit_id: str | None = None


def read_popup(highlight: Highlight) -> Popup:
    """`Q: …` makes a question, `E: …` an exercise, anything else (or nothing) a cloze.

    `#tags` and a `^id` end the first line of a question (the last line of a comment), as in
    a note file.
    """
    note = highlight.note
    match = _NOTE_KIND.match(note)
    if match is None:
        lines = note.split("\n")
        head, tags, ident = split_tail(" " + lines[-1]) if note else ("", (), None)
        text = "\n".join([*lines[:-1], head.strip()]).strip()
        return Popup(CardKind.CLOZE, text, tags, ident)
    kind = OPENERS[match.group(1)].kind
    first, _, rest = note[match.end() :].partition("\n")
    head, tags, ident = split_tail(first)
    return Popup(
        kind, "\n".join(part for part in (head.strip(), rest.strip()) if part), tags, ident
    )


def highlight_drafts(
    highlights: Sequence[Highlight],
    path: Path,
    outline: Sequence[OutlineEntry] = (),
    page_of: Callable[[int], str] | None = None,
) -> tuple[Draft, ...]:
    """One draft per highlight: a cloze, or the question or exercise its popup note asks.

    Each draft is placed at its page and highlight, and so is everything found wrong with it
    later: the learner's note has no lines of its own in the PDF.
    """
    drafts = []
    occurrences: Counter[tuple[CardKind, str, str]] = Counter()
    for highlight in highlights:
        span = SourceSpan(path, page=highlight.page, item=_describe(highlight))
        popup = read_popup(highlight)
        picture = _picture(highlight)
        if not highlight.words and (picture is None or popup.kind is CardKind.CLOZE):
            raise SourceError(
                "it covers no text (a figure or a scanned page?): write a question in its "
                "note (Q: …) to make a card whose answer is the picture of what it covers, "
                "or delete it",
                span=span,
            )
        answer = highlight.words or f"picture at {picture}"
        occurrences[popup.kind, highlight.page, answer] += 1
        count = occurrences[popup.kind, highlight.page, answer]
        key = key_text(f"p. {highlight.page}: {answer}")
        if count > 1:
            key += f" ({count})"  # the same words marked twice on a page: two cards
        context = tuple(
            Heading(entry.level, entry.title)
            for entry in heading_path(
                outline, highlight.index, highlight.top, highlight.left, highlight.gutter
            )
        )
        if popup.kind is CardKind.CLOZE:
            front = _paragraph(
                [
                    *_piece_tokens(highlight, 0, path, page_of),
                    _token("cloze_open", info="1", markup="{{"),
                    *_piece_tokens(highlight, 1, path, page_of),
                    _token("cloze_close", markup="}}"),
                    *_piece_tokens(highlight, 2, path, page_of),
                ]
            )
            back = _learner_markdown(popup, span)
            numbers: tuple[int, ...] = (1,)
        else:
            if not popup.text:
                syntax = SYNTAX[popup.kind]
                raise SourceError(
                    f"the note's {syntax.prompt} is empty: write it after "
                    f"{syntax.prompt_marker} in the note",
                    span=span,
                )
            front = _learner_markdown(popup, span)
            back = _paragraph(list(_piece_tokens(highlight, 1, path, page_of, in_cloze=False)))
            numbers = ()
        drafts.append(
            Draft(
                kind=popup.kind,
                span=span,
                front=front,
                back=back,
                key=key,
                explicit_id=popup.explicit_id,
                tags=tuple(dict.fromkeys(popup.tags)),
                context=context,
                cloze_numbers=numbers,
            )
        )
    return tuple(drafts)


def _picture(highlight: Highlight) -> str | None:
    """`x0,y0,x1,y1` of the page region a mark over no text covers (None for a mark read
    without the page's layout)."""
    regions = [p.region for p in highlight.pieces if p.part == 1 and p.region is not None]
    if not regions or highlight.words:
        return None
    x0, y0, x1, y1 = regions[0]
    return ",".join(
        f"{v:g}" for v in (math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
    )


def _describe(highlight: Highlight) -> str:
    words = highlight.words if len(highlight.words) <= 40 else highlight.words[:39] + "…"
    return f"the {highlight.kind} \u201c{words}\u201d" if words else f"a {highlight.kind}"


def _token(kind: str, *, content: str = "", info: str = "", markup: str = "") -> Token:
    token = Token(kind, "", 0, content=content, info=info, markup=markup)
    if kind == "cloze_open":
        token.meta = {"hint": False}
    return token


def _paragraph(children: list[Token]) -> tuple[Token, ...]:
    opening = Token("paragraph_open", "p", 1, block=True)
    inline = Token(
        "inline",
        "",
        0,
        children=children,
        content="".join(t.content for t in children if t.type == "text"),
        block=True,
        level=1,
    )
    closing = Token("paragraph_close", "p", -1, block=True)
    return (opening, inline, closing)


def _piece_tokens(
    highlight: Highlight,
    part: int,
    path: Path,
    page_of: Callable[[int], str] | None,
    *,
    in_cloze: bool | None = None,
) -> Iterator[Token]:
    """A part of the highlight's sentence (0 before, 1 the marked words, 2 after) as tokens:
    its text, and each formula as a picture of its region of the page, set at the size of
    the text around it (the text layer of math does not say what the page shows)."""
    cloze = part == 1 if in_cloze is None else in_cloze
    pieces = [p for p in highlight.pieces if p.part == part]
    if not highlight.pieces:  # made by hand, without the page's layout
        text = (highlight.before, highlight.words, highlight.after)[part]
        yield from _text_tokens(text, in_cloze=cloze)
        return
    for piece in pieces:
        if piece.region is None:
            yield from _text_tokens(piece.text, in_cloze=cloze)
            continue
        page = page_of(piece.index) if page_of is not None else str(piece.index + 1)
        x0, y0, x1, y1 = piece.region
        rect = ",".join(
            f"{v:g}" for v in (math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
        )
        src = f"{urllib.parse.quote(path.name)}#page={urllib.parse.quote(page)}&rect={rect}"
        if not piece.text:  # what a mark over no text covers: a figure, a scanned page
            alt, attrs = f"p. {page}", {"class": "ankify-pdf-page", "style": "max-width:100%"}
        else:
            width = (math.ceil(x1) - math.floor(x0)) / (piece.size or 10.0)
            alt = f"formula, p. {page}"
            attrs = {
                "class": "ankify-pdf-formula",
                "style": f"width:{width:.2f}em;max-width:100%;vertical-align:middle",
            }
        yield Token(
            "image",
            "img",
            0,
            attrs={"src": src, "alt": alt, **attrs},
            content=alt,
            children=[Token("text", "", 0, content=alt)],
        )


def _text_tokens(text: str, *, in_cloze: bool) -> Iterator[Token]:
    """The book's text as tokens: plain text, with what Anki would read as cloze syntax
    (`{{`, `}}`, and `::` inside a cloze) given as HTML entities."""
    pattern = _ANKI_IN_CLOZE if in_cloze else _ANKI_OUTSIDE
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield _token("text", content=text[position : match.start()])
        entities = "".join(f"&#{ord(c)};" for c in match.group(0))
        yield _token("html_inline", content=entities)
        position = match.end()
    if position < len(text):
        yield _token("text", content=text[position:])


def _learner_markdown(popup: Popup, span: SourceSpan) -> tuple[Token, ...]:
    """The learner's popup text, parsed as a note file's markdown (and checked with the
    cards, at the highlight's page)."""
    if not popup.text:
        return ()
    for line in popup.text.split("\n"):
        letter = marker_letter(line)
        if letter is not None:
            raise SourceError(
                f"the note has {marker(letter).a} line: the answer is the marked text; keep "
                "only the question in the note",
                span=span,
            )
    tokens = parse_text(popup.text, span.path, html=False)  # someone else's PDF: text
    for token in tokens:
        for child in token.children or ():
            if child.type == "cloze_open" and popup.kind is not CardKind.CLOZE:
                raise SourceError(
                    f"the note asks {SYNTAX[popup.kind].prompt.a} with a cloze in it: remove "
                    f"the {{{{c1::…}}}} or ==…==, or the {SYNTAX[popup.kind].prompt_marker} "
                    "to make the highlight a cloze",
                    span=span,
                )
    return tokens


def read_pdf(
    path: Path,
    config: Config,
    *,
    pages: PageLabels,
    deck: str | None = None,
    offset: int | None = None,
    password: str | None = None,
    on_page: PageCallback | None = None,
) -> Source:
    """Read the highlights on `pages` of a PDF into a Source of drafts.

    `deck` is a deck path (see `model.parse_deck`); the PDF's title, else its file name, when
    it is None.
    """
    with open_pdf(path, password=password) as doc:
        numbers = page_numbers(doc, path, offset=offset)
        selection = select_pages(numbers, pages, path)
        highlights = read_highlights(doc, selection, path, on_page)
        outline = read_outline(doc, selection.indices) if highlights else ()
        title = document_title(doc)
    page_range = selection.page_range()
    return highlight_source(
        path,
        config,
        highlights,
        outline,
        pages=pages,
        deck=deck or title or path.stem,
        page_range=page_range,
        page_of=numbers.label if numbers.rules else None,
    )


def highlight_source(
    path: Path,
    config: Config,
    highlights: Sequence[Highlight],
    outline: Sequence[OutlineEntry],
    *,
    pages: PageLabels,
    deck: str = "",
    page_range: PageRange | None = None,
    page_of: Callable[[int], str] | None = None,
) -> Source:
    """The source the highlights of a range of a PDF make.

    Notes are identified by the PDF's path from the project root and the page and words of
    their highlight, so overlapping ranges give the same notes; the build state is kept per
    range (`Source.key`), so building one range never touches another's.
    """
    drafts = highlight_drafts(highlights, path, outline, page_of)
    links = [link for d in drafts for link in image_links((*d.front, *d.back), d.span)]
    return Source(
        path=path,
        key=range_key(path, config.root, pages.slug),
        deck=deck,
        front_matter=FrontMatter(
            deck=deck, source=path.name, pages=(page_range,) if page_range else ()
        ),
        drafts=drafts,
        base_dir=path.resolve().parent,
        guid_namespace=source_key(path, config.root),
        links=tuple(dict.fromkeys(links)),
    )
