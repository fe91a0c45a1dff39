"""Drafts -> the HTML fields of their Anki notes: markdown, math for MathJax, media.

Math reaches Anki character for character: markdown never touches it, only `<`, `>` and `&`
are escaped, and inside a cloze a `}}` gets the space Anki's cloze syntax needs (`} }`).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .config import Config
from .errors import SourceError
from .math.check import newcommand
from .media import image_problem, media_for, render_pdf_image
from .model import Heading, Media, Rendered, RenderedSource, Source
from .sources.formulas import CLOZE_OPEN, PLACEHOLDER, cloze_end
from .sources.formulas import Formula as SourceFormula
from .sources.html import image_sources, with_image_sources
from .sources.links import local_target, parse_pdf_image, project_file
from .sources.syntax import parser
from .workspace import file_digest

if TYPE_CHECKING:
    from .math.svg import Formula

CONTEXT_SEPARATOR = " › "


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with ankify's rules (methods named after token types)."""

    def math_inline(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        return _math(tokens[idx].content, False, env) or f"\\({_tex(tokens[idx].content, env)}\\)"

    def math_inline_double(
        self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType
    ) -> str:
        # Display math written inside a paragraph: in the math box all the same (a span, as a
        # <div> may not stand in a <p>), so a wide or multi-line formula scrolls there.
        tex = tokens[idx].content
        return _math(tex, True, env) or f'<span class="ankify-math">\\[{_tex(tex, env)}\\]</span>'

    def math_block(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        tex = tokens[idx].content
        svg = _math(tex, True, env)
        return (svg or f'<div class="ankify-math">\\[{_tex(tex, env)}\\]</div>') + "\n"

    def html_block(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        return _html_math(tokens[idx], env)

    def html_inline(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        return _html_math(tokens[idx], env)

    def paragraph_open(
        self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType
    ) -> str:
        if _figure_image(tokens, idx + 1) is not None:
            return '<figure class="ankify-figure">'
        return self.renderToken(tokens, idx, o, env)

    def paragraph_close(
        self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType
    ) -> str:
        image = _figure_image(tokens, idx - 1)
        if image is None:
            return self.renderToken(tokens, idx, o, env)
        caption = str(image.attrs.get("title") or "") or image.content
        if not caption.strip():
            return "</figure>\n"
        return f"<figcaption>{escapeHtml(caption)}</figcaption></figure>\n"

    def cloze_open(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        env["cloze_depth"] = env.get("cloze_depth", 0) + 1
        return f"{{{{c{tokens[idx].info}::"

    def cloze_hint(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        return "::"

    def cloze_close(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        env["cloze_depth"] -= 1
        return "}}"

    def image(self, tokens: Sequence[Token], idx: int, o: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        name = _shipped(src, env)
        if name is not None:
            token = token.copy()
            token.attrs = {**token.attrs, "src": name}
            if _is_pdf_page(src, env) and "class" not in token.attrs:
                token.attrs["class"] = "ankify-pdf-page"  # black on white: inverted at night
        return _in_cloze(super().image([token], 0, o, env), env)


def _figure_image(tokens: Sequence[Token], inline: int) -> Token | None:
    """The image a paragraph holds alone (a figure, with its caption under it), or None.
    Pictures that ankify places in a sentence (they carry a class) are never figures."""
    if not 0 < inline < len(tokens) - 1 or tokens[inline].type != "inline":
        return None
    opening, closing = tokens[inline - 1], tokens[inline + 1]
    if opening.type != "paragraph_open" or closing.type != "paragraph_close" or opening.hidden:
        return None
    children = [
        c
        for c in tokens[inline].children or ()
        if not (c.type in ("text", "softbreak") and not c.content.strip())
    ]
    if len(children) != 1 or children[0].type != "image" or "class" in children[0].attrs:
        return None
    return children[0]


def _shipped(src: str, env: EnvType) -> str | None:
    """The media name under which the image `src` names ships (None for a web or data URL):
    a page of a PDF ships as its render, never the PDF. Checked again here (see validate.py):
    nothing from outside the project, and nothing that is not an image, is ever shipped."""
    try:
        source = project_file(src, env["base_dir"], env["root"])
        if source is None:
            return None
        pdf_page = parse_pdf_image(src, env["base_dir"], offset=env.get("pdf_offset"))
    except ValueError as e:
        raise SourceError(str(e)) from None
    if pdf_page is not None:
        _depends_on(pdf_page.pdf, env)
        source = render_pdf_image(pdf_page, env["workspace"])
    else:
        problem = image_problem(source, src)
        if problem:
            raise SourceError(problem)
    media = _media_for(source, env)
    env["media"][media.name] = media
    return media.name


def _is_pdf_page(src: str, env: EnvType) -> bool:
    try:
        return parse_pdf_image(src, env["base_dir"], offset=env.get("pdf_offset")) is not None
    except ValueError:
        return False


def _html_math(token: Token, env: EnvType) -> str:
    """HTML as written (checked: see sources/html.py), its images shipped, with the formulas
    in it as MathJax reads them (never as images: an image may stand where HTML expects
    text)."""
    content = token.content
    sources = image_sources(content)
    if sources:
        names = {src: _shipped(src, env) for src in sources}
        content = with_image_sources(content, {s: n for s, n in names.items() if n is not None})
    formulas = (token.meta or {}).get("formulas")
    if not formulas:
        return content
    return PLACEHOLDER.sub(lambda m: _delimited(formulas[int(m.group(1))], env), content)


def _delimited(formula: SourceFormula, env: EnvType) -> str:
    opening, closing = ("\\[", "\\]") if formula.display else ("\\(", "\\)")
    return f"{opening}{_tex(formula.tex, env)}{closing}"


def _tex(content: str, env: EnvType) -> str:
    content = _definitions(content, env.get("macros", ())) + content
    return escapeHtml(_cloze_safe(content, inside=bool(env.get("cloze_depth"))))


def _cloze_safe(tex: str, *, inside: bool) -> str:
    """TeX as Anki's cloze reader must see it: every `}}` that closes no cloze gets a space
    (`} }` is the same to TeX), inside the clozes written in the formula and, when the formula
    is itself inside a cloze, everywhere."""
    if "{{c" not in tex:
        return _spaced(tex) if inside else tex
    out: list[str] = []
    position = 0
    for opener in CLOZE_OPEN.finditer(tex):
        if opener.start() < position:
            continue  # inside a cloze already taken
        end = cloze_end(tex, opener.end())
        if end is None:
            continue  # checked: see formulas.py
        before = tex[position : opener.start()]
        content = _spaced(tex[opener.end() : end])
        out += [_spaced(before) if inside else before, opener.group(0), content]
        out.append(" }}" if content.endswith("}") else "}}")
        position = end + 2
    rest = tex[position:]
    out.append(_spaced(rest) if inside else rest)
    return "".join(out)


def _spaced(tex: str) -> str:
    while "}}" in tex:
        tex = tex.replace("}}", "} }")
    return tex


def _definitions(tex: str, macros: Sequence[tuple[str, str]]) -> str:
    """The `\\newcommand`s for the user macros a formula uses, so MathJax knows them too."""
    used = [(n, b) for n, b in macros if re.search(re.escape(n) + r"(?![A-Za-z])", tex)]
    return "".join(newcommand(name, body) for name, body in used)


def _math(tex: str, display: bool, env: EnvType) -> str | None:
    """An SVG <img> for the formula in --math svg builds, else None (MathJax renders it)."""
    rendered = env.get("svg")
    if rendered is None or CLOZE_OPEN.search(tex):
        return None  # a formula holding a cloze stays TeX, so Anki can reveal the cloze
    from .math.svg import Formula, img_tag

    formula = Formula(tex, display)
    media = _media_for(rendered[formula], env, ".svg")
    env["media"][media.name] = media
    tag = img_tag(media.name, media.path, formula)
    return _in_cloze(tag, env)


def _in_cloze(tag: str, env: EnvType) -> str:
    """A picture inside a cloze, in a span that a revealed cloze underlines in its colour (an
    image takes none)."""
    return f'<span class="ankify-cloze-image">{tag}</span>' if env.get("cloze_depth") else tag


@functools.cache
def _renderer() -> _Renderer:
    return _Renderer(parser())


def _depends_on(path: Path, env: EnvType) -> str:
    """Record that the fields depend on the file at `path`; the SHA-256 of its bytes."""
    files: dict[Path, str] = env.setdefault("files", {})
    path = path.absolute()  # not resolved: a symlink pointed elsewhere is a change
    digest = files.get(path)
    if digest is None:
        digest = files[path] = file_digest(path)
    return digest


def _media_for(path: Path, env: EnvType, suffix: str | None = None) -> Media:
    return media_for(path, _depends_on(path, env), suffix)


def render_html(tokens: Sequence[Token], env: dict[str, Any]) -> str:
    return _renderer().render(tokens, parser().options, env).strip()


def render_inline(inline: Token, env: dict[str, Any]) -> str:
    return _renderer().renderInline(inline.children or [], parser().options, env).strip()


#: A heading that says where its section is in the book ends with its page: `(p. 56)`, or
#: `(pp. 56-58)`. The mark is shown as the card's page, not in its heading path.
_PAGE_MARK = re.compile(r"\s*\((pp?)\.\s*([0-9A-Za-z]+(?:\s*[-\u2013]\s*[0-9A-Za-z]+)?)\)\s*$")
_PAGE_DASH = re.compile(r"\s*[-\u2013]\s*")


def _page_mark(heading: str) -> tuple[str, str | None]:
    """A rendered heading without its page mark, and the pages the mark gives (`p. 56`,
    `pp. 56-58`; None without one)."""
    mark = _PAGE_MARK.search(heading)
    if mark is None:
        return heading, None
    pages = _PAGE_DASH.sub("-", mark.group(2))
    return heading[: mark.start()], f"{mark.group(1)}. {pages}"


def source_label(source: Source, page: str | None = None, *, section: str | None = None) -> str:
    """`dlbook.pdf pp. 53-60`: where the cards of a source come from; `p. 54` for one page,
    a PDF highlight's `page` or the `section`'s pages (`pp. 56-58`) when they are known."""
    front_matter = source.front_matter
    label = front_matter.source or source.path.name
    pages = front_matter.pages
    if section is not None:
        return f"{label} {section}"
    if page is not None:
        label += f" p. {page}"
    elif pages:
        prefix = "p." if len(pages) == 1 and len(pages[0]) == 1 else "pp."
        label += f" {prefix} {', '.join(str(p) for p in pages)}"
    return label


def _context(headings: Sequence[Heading], env: dict[str, Any]) -> tuple[str, str | None]:
    """The heading path a card sits under, and the pages its innermost section gives."""
    marked = [
        _page_mark(render_inline(h.inline, env) if h.inline is not None else escapeHtml(h.text))
        for h in headings
    ]
    pages = next((p for _, p in reversed(marked) if p is not None), None)
    return CONTEXT_SEPARATOR.join(text for text, _ in marked), pages


def _label(source: Source, page: str | None, section: str | None, whole: str) -> str:
    """The card's own page (a highlight's, or its section's), else the source's pages."""
    if page is not None:
        return escapeHtml(source_label(source, page))
    if section is not None:
        return escapeHtml(source_label(source, section=section))
    return whole


def render_cards(
    source: Source,
    config: Config,
    *,
    svg: Mapping[Formula, Path] | None = None,
) -> RenderedSource:
    """Every draft of a source rendered to its note: (front, back, context, source) fields,
    tags and deck.

    With `svg` (formula -> rendered file, for --math svg) formulas become images; otherwise
    they stay LaTeX for Anki's MathJax, with the definitions of the macros they use.
    """
    label = escapeHtml(source_label(source))
    macros = (*source.front_matter.macros, *config.macros)
    # Every file the cards depend on, hashed once per source: what the fields show, and what the
    # source links to anywhere (a link outside any card is still checked on every read).
    files: dict[Path, str] = {}
    for link in source.links:
        with contextlib.suppress(ValueError):  # checked: see validate.py
            if project_file(link.src, source.base_dir, config.root) is not None:
                target = local_target(link.src, source.base_dir)
                assert target is not None
                files[target.absolute()] = file_digest(target)
    cards = []
    for draft in source.drafts:
        env: dict[str, Any] = {
            "base_dir": source.base_dir,
            "root": config.root,
            "media": {},
            "macros": macros,
            "svg": svg,
            "workspace": config.workspace,
            "files": files,
            "pdf_offset": source.front_matter.offset,
        }
        context, section = _context(draft.context, env)
        fields = (
            render_html(draft.front, env),
            render_html(draft.back, env),
            context,
            _label(source, draft.span.page, section, label),
        )
        cards.append(
            Rendered(
                kind=draft.kind,
                span=draft.span,
                key=draft.key,
                explicit_id=draft.explicit_id,
                fields=fields,
                tags=draft.tags,
                deck=config.deck_name(draft.kind.deck_kind, source.deck),
                media=tuple(env["media"][name] for name in sorted(env["media"])),
                cloze_numbers=draft.cloze_numbers,
            )
        )
    return RenderedSource(
        path=source.path,
        key=source.key,
        guid_namespace=source.guid_namespace or source.key,
        cards=tuple(cards),
        files=tuple(sorted(files.items())),
    )
