"""One check of every source, whatever it was read from: what its cards hold must reach Anki.

Clozes well formed, formulas that MathJax 3 renders (with the project's macros), images that
exist (and PDF pages that do), no question or `^id` twice. A token with a line is reported at
it; one without (a PDF's popup note, a generated exercise) at its card's place. The first
problem in the source is raised, at `file:line` (or `file p. N`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path

from markdown_it.token import Token

from .config import Config
from .errors import SourceError
from .kinds import SYNTAX
from .math.check import check_tex, formulas, macro_names
from .media import check_pdf_image, image_problem
from .model import CardKind, Draft, Link, Source, SourceSpan
from .sources.clozes import near_cloze
from .sources.html import html_problem
from .sources.links import parse_pdf_image, project_file
from .workspace import CONFIG_NAME


def validate_source(source: Source, config: Config) -> None:
    """Raise the first problem of `source` as a SourceError at its place."""
    macros = (*source.front_matter.macros, *config.macros)
    known = macro_names(macros)
    problems = [
        *_macro_problems(source.front_matter.macros, known, SourceSpan(source.path, 1)),
        *_macro_problems(config.macros, known, SourceSpan(config.root / CONFIG_NAME)),
        *_card_problems(source, known),
        *_html_problems(source),
        *_outside_problems(source),
        *_link_problems(source, config.root),
        *_duplicates(source.drafts),
    ]
    if problems:
        # The one a reader meets first: by line, else in the order the cards come.
        raise min(enumerate(problems), key=lambda p: (_line(p[1]), p[0]))[1]


#: Longer formulas are not ones a card can show (MathJax on a phone takes seconds on them).
MAX_FORMULA = 10_000
#: Block tokens that are a formula themselves (display math outside a paragraph).
_MATH_BLOCKS = frozenset(("math_block", "amsmath"))


def _line(error: SourceError) -> int:
    return error.span.line if error.span is not None and error.span.line is not None else 0


def _macro_problems(
    macros: Sequence[tuple[str, str]], known: Collection[str], span: SourceSpan
) -> Iterator[SourceError]:
    for name, body in macros:
        problem = check_tex(body, extra_macros=known)
        if problem:
            yield SourceError(f"macro {name}: {problem}", span=span)


def _tokens(source: Source) -> Iterator[tuple[Token, SourceSpan]]:
    """Every token a card shows, with its card's place; and every heading, cards or not."""
    for draft in source.drafts:
        for token in (*draft.front, *draft.back):
            yield token, draft.span
        for heading in draft.context:
            if heading.inline is not None:
                yield heading.inline, draft.span
    for heading in source.headings:
        if heading.inline is not None:
            yield heading.inline, SourceSpan(source.path)


def _card_problems(source: Source, macros: Collection[str]) -> Iterator[SourceError]:
    seen: set[int] = set()  # headings are shared by the cards under them: check them once
    for token, span in _tokens(source):
        extra = token.meta.get("extra_cells") if token.meta else None
        if extra:
            s = "s" if extra > 1 else ""
            yield SourceError(
                f"this table row has {extra} cell{s} more than its header, and markdown would "
                f"drop {'them' if s else 'it'}: add a column to the header, or write \\| for a "
                "| inside a cell (in `code` too)",
                span=span.at(token.map[0] + 1 if token.map else None),
            )
        if not token.children and token.type not in _MATH_BLOCKS:
            continue  # nothing inline to check (paragraph_open, fences, ...)
        if id(token) in seen:
            continue
        seen.add(id(token))
        line = token.map[0] + 1 if token.map else None
        problem = _cloze_problem(token)
        if problem:
            yield SourceError(problem, span=span.at(line))
        for tex, _, formula_line in formulas(token):
            problem = (
                f"it is {len(tex):,} characters long: a card shows formulas up to "
                f"{MAX_FORMULA:,}: split it"
                if len(tex) > MAX_FORMULA
                else check_tex(tex, extra_macros=macros)
            )
            if problem:
                shown = " ".join(tex.split())
                shown = shown if len(shown) <= 60 else shown[:57] + "..."
                place = span.at(line).at(formula_line)
                yield SourceError(f"formula ${shown}$: {problem}", span=place)


def _html_problems(source: Source) -> Iterator[SourceError]:
    """HTML in a card that could run or load something (see sources/html.py)."""
    for token, span in _tokens(source):
        pieces = [token] if token.type == "html_block" else []
        pieces += [child for child in token.children or () if child.type == "html_inline"]
        for piece in pieces:
            problem = html_problem(piece.content)
            if problem:
                yield SourceError(problem, span=span.at(token.map[0] + 1 if token.map else None))


def _outside_problems(source: Source) -> Iterator[SourceError]:
    """Text in no card that holds a cloze written almost right: the card it was meant to be."""
    for inline in source.outside:
        for child in inline.children or ():
            problem = near_cloze(child.content) if child.type == "text" else None
            if problem:
                line = inline.map[0] + 1 if inline.map else None
                yield SourceError(problem, span=SourceSpan(source.path).at(line))
                break


def _cloze_problem(inline: Token) -> str | None:
    """What is wrong with the clozes of an inline token: a number below 1, an empty or an
    unclosed cloze, or one written almost right (it would show as text on the card)."""
    depth = 0
    empty = False
    for child in inline.children or ():
        if child.type == "text":
            problem = near_cloze(child.content)
            if problem:
                return problem
        if child.type == "cloze_open":
            if child.markup == "{{":
                depth += 1
                if int(child.info) < 1:
                    return "cloze numbers start at 1: write {{c1::…}}"
            empty = True
        elif child.type in ("cloze_close", "cloze_hint"):
            if empty:
                return "cloze is empty: put the hidden words inside it, e.g. {{c1::mean}}"
            if child.type == "cloze_close" and child.markup == "}}":
                depth -= 1
        else:
            empty = False
    if depth > 0:
        return 'cloze is not closed: add "}}" after the hidden words, e.g. {{c1::mean}}'
    return None


def _link_problems(source: Source, root: Path) -> Iterator[SourceError]:
    checked: dict[str, str | None] = {}  # a link used twice is checked once
    for link in source.links:
        if link.src not in checked:
            checked[link.src] = _link_problem(link, source, root)
        problem = checked[link.src]
        if problem:
            yield SourceError(problem, span=link.span)


def _link_problem(link: Link, source: Source, root: Path) -> str | None:
    base_dir = source.base_dir
    try:
        target = project_file(link.src, base_dir, root)
        if target is None:
            return None
        if not target.is_file():
            where = link.span.path.name
            return f"image not found: {link.src}: the path is relative to the folder of {where}"
        image = parse_pdf_image(link.src, base_dir, offset=source.front_matter.offset)
        if image is not None:
            check_pdf_image(image, link.src)
            return None
        return image_problem(target, link.src)
    except ValueError as e:
        return str(e)
    except SourceError as e:  # the PDF itself: damaged, locked
        return e.message if e.message.startswith("image ") else f"image {link.src}: {e.message}"
    except OSError as e:
        return f"image {link.src} cannot be read ({e.strerror}): check its permissions"


def _duplicates(drafts: Iterable[Draft]) -> Iterator[SourceError]:
    """The same question twice in one source (or one ^id twice), naming both places."""
    seen_ids: dict[str, Draft] = {}
    seen_text: dict[tuple[CardKind, str], Draft] = {}
    for draft in drafts:
        if draft.explicit_id:
            other = seen_ids.setdefault(draft.explicit_id, draft)
            if other is not draft:
                yield SourceError(
                    f"the id ^{draft.explicit_id} is already used {other.span.position}: "
                    "give this card an id of its own",
                    span=draft.span,
                )
            continue
        other = seen_text.setdefault((draft.kind, draft.key), draft)
        if other is not draft:
            yield SourceError(
                f"the same {SYNTAX[draft.kind].prompt} is already {other.span.position}: reword "
                "one of them, or give each its own ^id at the end of the line",
                span=draft.span,
            )
