"""PDF pages in notes: `![caption](book.pdf#page=56)`, or a region `#page=56&rect=x0,y0,x1,y1`.

The page means what `ankify build --pages` means: a printed label when the PDF has page
labels, a physical page otherwise. `rect` is in PDF points from the page's top-left corner.
Renders are PNGs cached by content (the PDF's bytes, page, region and resolution) in the
project's `.ankify/cache/pdf-pages/`: safe to delete, and a file that is not a complete PNG is
never trusted.
"""

from __future__ import annotations

import functools
import hashlib
import urllib.parse
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import SourceSpan
from .markdown import local_image

#: Resolution of page renders: sharp on a phone, a few hundred kB for a full page.
RENDER_DPI = 150
CACHE_FOLDER = "pdf-pages"
_VERSION = "1"  # bump when the rendering changes
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_EXAMPLE = "#page=56 (or #page=56&rect=x0,y0,x1,y1 for a region, in points)"

Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PdfImage:
    """A page, or a region of one, of a PDF shown as an image in a note."""

    pdf: Path
    page: str  # as --pages reads it: a printed label, or a physical page
    rect: Rect | None = None


def parse_pdf_image(src: str, base_dir: Path) -> PdfImage | None:
    """The PDF page an image link shows; None when the link is not into a local PDF.

    Raises a SourceError (without a place: the caller knows the line) when the fragment is
    not `#page=…` with an optional `&rect=…`.
    """
    target = local_image(src, base_dir)
    if target is None or target.suffix.lower() != ".pdf":
        return None
    fragment = urllib.parse.urlsplit(src).fragment
    try:
        params = urllib.parse.parse_qs(fragment, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        params = {} if not fragment else {"": [fragment]}
    unknown = sorted(set(params) - {"page", "rect"})
    if unknown:
        raise SourceError(f"image {src}: unknown {unknown[0]!r} after '#': write {_EXAMPLE}")
    pages = params.get("page", [])
    if len(pages) != 1 or not pages[0].strip():
        raise SourceError(f"image {src}: say which page of the PDF to show: add {_EXAMPLE}")
    rect = None
    if "rect" in params:
        rect = _parse_rect(src, params["rect"])
    return PdfImage(target, pages[0].strip(), rect)


def _parse_rect(src: str, values: list[str]) -> Rect:
    parts = values[0].split(",") if len(values) == 1 else []
    try:
        x0, y0, x1, y1 = (float(part) for part in parts)
    except ValueError:
        x0 = y0 = x1 = y1 = 0.0
    if not (len(parts) == 4 and x0 < x1 and y0 < y1):
        raise SourceError(
            f"image {src}: rect must be four numbers x0,y0,x1,y1 (points from the page's "
            "top-left corner, x0 < x1 and y0 < y1), e.g. rect=72,100,300,250"
        )
    return (x0, y0, x1, y1)


def check_pdf_image(src: str, base_dir: Path, span: SourceSpan) -> None:
    """Check at parse time that a PDF image link shows a page (and region) that exists."""
    try:
        image = parse_pdf_image(src, base_dir)
        if image is not None:
            from .pdf import open_pdf

            with open_pdf(image.pdf) as doc:
                _locate(doc, image, src)
    except SourceError as e:
        raise SourceError(str(e), span=span) from None


def _locate(doc: Any, image: PdfImage, src: str) -> int:
    """The physical page an image shows, checked (with its region) against the open PDF."""
    from .pdf import page_numbers

    numbers = page_numbers(doc, image.pdf)
    index = numbers.find(image.page)
    if index is None:
        raise SourceError(
            f"image {src}: no page {image.page} in {image.pdf.name}: it has {numbers.describe()}"
        )
    if image.rect is not None:
        page = doc.load_page(index).rect
        x0, y0, x1, y1 = image.rect
        if x1 <= page.x0 or y1 <= page.y0 or x0 >= page.x1 or y0 >= page.y1:
            raise SourceError(
                f"image {src}: the rect is outside page {image.page}, which is "
                f"{page.width:g} x {page.height:g} points"
            )
    return index


def render_pdf_image(image: PdfImage, cache_dir: Path) -> Path:
    """The PNG of a PDF page or region, rendered once and then taken from the cache."""
    key = hashlib.sha256(
        "\x1f".join(
            (_VERSION, _file_digest(image.pdf), image.page, repr(image.rect), str(RENDER_DPI))
        ).encode()
    ).hexdigest()[:32]
    path = cache_dir / CACHE_FOLDER / f"{key}.png"
    if _complete_png(path):
        return path
    from ..state import write_atomically
    from .pdf import open_pdf, pdf_errors

    with open_pdf(image.pdf) as doc:
        index = _locate(doc, image, f"{image.pdf.name}#page={image.page}")
        try:
            page = doc.load_page(index)
            clip = None
            if image.rect is not None:
                clip = page.rect & image.rect  # only what is on the page
            pixmap = page.get_pixmap(dpi=RENDER_DPI, clip=clip, alpha=False, annots=False)
            data = bytes(pixmap.tobytes("png"))
        except pdf_errors() as e:
            raise SourceError(
                f"page {image.page} cannot be rendered ({e}): the file may be damaged",
                span=SourceSpan(image.pdf, page=image.page),
            ) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = cache_dir.parent / ".gitignore"
    if cache_dir.parent.name == ".ankify" and not ignore.exists():
        write_atomically(ignore, b"# ankify's workspace: a cache, safe to delete\n*\n")
    write_atomically(path, data)
    return path


def cache_dir_for(root: Path) -> Path:
    """The project's render cache: `.ankify/cache/` at its root."""
    return root / ".ankify" / "cache"


@functools.lru_cache(maxsize=64)
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    """A hash of the file's bytes, computed once per version of the file."""
    resolved = path.resolve()
    stat = resolved.stat()
    return _digest(resolved, stat.st_size, stat.st_mtime_ns)


def _complete_png(path: Path) -> bool:
    """A PNG whose every chunk is intact (CRC) up to its end: anything else is re-rendered."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if not data.startswith(_PNG_SIGNATURE):
        return False
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        end = position + 8 + length
        if end + 4 > len(data):
            return False
        kind = data[position + 4 : position + 8]
        crc = int.from_bytes(data[end : end + 4], "big")
        if zlib.crc32(data[position + 4 : end]) != crc:
            return False
        if kind == b"IEND":
            return end + 4 == len(data)
        position = end + 4
    return False
