"""What HTML a note may hold: formatting, tables, images and links, never anything that runs.

Notes may come from someone else, and a card's HTML runs inside Anki. A note's own HTML keeps
the tags people write to format a card (`<details>`, `<sup>`, `<span style="color: red">`,
`<img src="fig.png" width="300">` …) and nothing that can run a script, load a page or read a
file: no `<script>`, `<iframe>`, `<object>`, `<svg>`, `<form>`, `<style>`, no `on…=` handler,
no `javascript:` link, no CSS `url(…)`. Anything else stops the build at its line; it is never
dropped in silence. An `<img>`'s file is checked and shipped like a markdown image's.

Text that comes from a PDF is never HTML: it is escaped, whatever it holds.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

#: Tags a note's HTML may use: text formatting, lists, tables, images, links, disclosure.
TAGS = frozenset(
    (
        *("a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite"),
        *("code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em"),
        *("figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i"),
        *("img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s"),
        *("samp", "small", "span", "strike", "strong", "sub", "summary", "sup", "table"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr"),
    )
)
#: Attributes any allowed tag may have, and those only some may.
ATTRIBUTES = frozenset(("class", "title", "lang", "dir", "style", "align"))
TAG_ATTRIBUTES = {
    "a": frozenset(("href",)),
    "img": frozenset(("src", "alt", "width", "height")),
    "td": frozenset(("colspan", "rowspan")),
    "th": frozenset(("colspan", "rowspan", "scope")),
    "col": frozenset(("span", "width")),
    "colgroup": frozenset(("span", "width")),
    "ol": frozenset(("start", "type", "reversed")),
    "li": frozenset(("value",)),
    "details": frozenset(("open",)),
    "font": frozenset(("color", "size", "face")),
    "table": frozenset(("border", "width")),
}
#: Where a link may go: the web, mail, or a place in the card.
_LINK = re.compile(r"^(?:https?:|mailto:|#)", re.IGNORECASE)
#: CSS that fetches or runs something.
_UNSAFE_CSS = re.compile(r"url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:", re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.problem is None:
            self.problem = _tag_problem(tag, attrs)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if self.problem is None and tag not in TAGS:
            self.problem = _refused(tag)

    def handle_pi(self, data: str) -> None:
        self.problem = self.problem or "<?…> is not HTML a card may hold: remove it"

    def unknown_decl(self, data: str) -> None:
        self.problem = self.problem or f"<![{data[:20]}…]> is not HTML a card may hold: remove it"


def _refused(tag: str) -> str:
    return (
        f"<{tag}> is not allowed in a card (a card's HTML may format text, show images and "
        "link to the web, never run or load anything): remove it, or write it in markdown"
    )


def _tag_problem(tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
    if tag not in TAGS:
        return _refused(tag)
    allowed = TAG_ATTRIBUTES.get(tag, frozenset())
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            return f"<{tag} {name}=…>: cards do not run scripts from notes: remove {name}="
        if name not in ATTRIBUTES and name not in allowed and not name.startswith("aria-"):
            return f"<{tag} {name}=…> is not an attribute a card may hold: remove it"
        if name == "href" and not _LINK.match(value.strip()):
            return (
                f"<a href={value[:40]!r}>: a link in a card goes to an http(s) or mailto "
                "address: write the full address"
            )
        if name == "style" and _UNSAFE_CSS.search(value):
            return f"<{tag} style=…> loads or runs something (url(), @import): remove that part"
    return None


def html_problem(html: str) -> str | None:
    """Why a note's HTML may not reach a card, or None when it may."""
    if "<" not in html:
        return None
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problem


def image_sources(html: str) -> list[str]:
    """The `src` of every `<img>` in a note's HTML, as written."""
    return [_unquoted(found.group(2)) for img in _IMG.findall(html) for found in _SRC.finditer(img)]


def with_image_sources(html: str, names: dict[str, str]) -> str:
    """The HTML with each `<img>`'s `src` replaced by its media name (`names`: src -> name)."""

    def tag(img: re.Match[str]) -> str:
        def source(found: re.Match[str]) -> str:
            name = names.get(_unquoted(found.group(2)))
            return found.group(0) if name is None else f'{found.group(1)}"{name}"'

        return _SRC.sub(source, img.group(0))

    return _IMG.sub(tag, html)


def _unquoted(value: str) -> str:
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        value = value[1:-1]
    return unescape(value)
