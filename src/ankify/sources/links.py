"""Image links in notes: which local file a link names, and which page of a PDF it shows.

`![caption](figures/a.png)` names a file relative to the note. `![caption](book.pdf#page=56)`
shows a page of a PDF, and `#page=56&rect=x0,y0,x1,y1` a region of it (in points from the
page's top-left corner); the page means what a PDF build's pages mean: a printed label when
the PDF has page labels, a physical page otherwise, or, with an `offset: N` in the note's front
matter, printed page P of a PDF without labels is physical page P + N.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Link, SourceSpan
from ..workspace import is_pdf
from .html import image_sources

if TYPE_CHECKING:  # a build that reads nothing anew never imports markdown-it
    from markdown_it.token import Token

_EXAMPLE = "#page=56 (or #page=56&rect=x0,y0,x1,y1 for a region, in points)"

Rect = tuple[float, float, float, float]


def local_target(src: str, base_dir: Path) -> Path | None:
    """The file an image link points at, or None for web and data URLs."""
    if not src or urllib.parse.urlsplit(src).scheme in _REMOTE:
        return None
    return base_dir / urllib.parse.unquote(src.split("#", 1)[0])


_REMOTE = ("http", "https", "data")


def project_file(src: str, base_dir: Path, root: Path) -> Path | None:
    """The file an image link ships, checked to lie inside the project `root` once every
    symlink and `..` is resolved (None for web and data URLs).

    ValueError says why a link may not ship its file: it leaves the project (`../../x`, an
    absolute path, a `%2E%2E/`, a symlink to elsewhere), or it is a `file:` URL.
    """
    if urllib.parse.urlsplit(src).scheme.lower() == "file":
        raise ValueError(
            f"image {src}: a file: address is not shipped: copy the image into the project "
            "and link it by its path from the note"
        )
    target = local_target(src, base_dir)
    if target is None:
        return None
    resolved = target.resolve()
    if not resolved.is_relative_to(root.resolve()):
        if resolved.suffix.lower() == ".pdf":  # a page or a formula of a PDF
            raise ValueError(
                f"the PDF {target.name} is outside the project: a package only ships pictures "
                f"of files inside the project's folder ({root.name}/): copy the PDF into it "
                "and use it from there"
            )
        raise ValueError(
            f"image {src} is outside the project: a package only ships files from inside the "
            f"project's folder ({root.name}/): copy the image into it"
        )
    return resolved


def image_links(tokens: Iterable[Token], span: SourceSpan) -> Iterator[Link]:
    """The images among block tokens (markdown's, and the `<img>` of HTML), each at its line
    (or at `span` for tokens without one, or when `span` is a page)."""
    for token in tokens:
        where = span.at(token.map[0] + 1 if token.map else None)
        if token.type == "html_block":
            yield from (Link(src, where) for src in image_sources(token.content))
        for child in token.children or ():
            if child.type == "image":
                yield Link(str(child.attrs.get("src", "")), where)
            elif child.type == "html_inline":
                yield from (Link(src, where) for src in image_sources(child.content))


@dataclass(frozen=True, slots=True)
class PdfImage:
    """A page, or a region of one, of a PDF shown as an image in a note."""

    pdf: Path
    page: str  # a printed label, or a physical page when the PDF has no labels
    rect: Rect | None = None
    offset: int | None = None  # without labels: printed page P is physical page P + offset


def parse_pdf_image(src: str, base_dir: Path, *, offset: int | None = None) -> PdfImage | None:
    """The PDF page an image link shows; None when the link is not into a local PDF.

    `offset` is the note's (front matter `offset:`), for PDFs without page labels.

    ValueError says what is wrong with a fragment that is not `#page=…` (with an optional
    `&rect=…`).
    """
    target = local_target(src, base_dir)
    if target is None or not is_pdf(target):
        return None
    fragment = urllib.parse.urlsplit(src).fragment
    try:
        params = urllib.parse.parse_qs(fragment, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        params = {} if not fragment else {"": [fragment]}
    unknown = sorted(set(params) - {"page", "rect"})
    if unknown:
        raise ValueError(f"image {src}: unknown {unknown[0]!r} after '#': write {_EXAMPLE}")
    pages = params.get("page", [])
    if len(pages) != 1 or not pages[0].strip():
        raise ValueError(f"image {src}: say which page of the PDF to show: add {_EXAMPLE}")
    rect = _parse_rect(src, params["rect"]) if "rect" in params else None
    return PdfImage(target, pages[0].strip(), rect, offset)


def _parse_rect(src: str, values: list[str]) -> Rect:
    parts = values[0].split(",") if len(values) == 1 else []
    try:
        x0, y0, x1, y1 = (float(part) for part in parts)
    except ValueError:
        x0 = y0 = x1 = y1 = 0.0
    if not (len(parts) == 4 and x0 < x1 and y0 < y1):
        raise ValueError(
            f"image {src}: rect must be four numbers x0,y0,x1,y1 (points from the page's "
            "top-left corner, x0 < x1 and y0 < y1), e.g. rect=72,100,300,250"
        )
    return (x0, y0, x1, y1)
