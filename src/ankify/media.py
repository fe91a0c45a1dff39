"""Files shipped inside a package: images named by their bytes, and PDF pages rendered to PNG.

A PDF page (`![caption](book.pdf#page=56)`, or a region with `&rect=…`) ships as a PNG,
never the PDF. Renders are cached by content (the PDF's bytes, page, region and resolution) in
the project's `.ankify/cache/pdf-pages/`: safe to delete, and a file that is not a complete
PNG is never trusted.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path
from typing import Any

from .errors import SourceError
from .model import Media, SourceSpan
from .sources.links import PdfImage
from .sources.pdf.document import open_pdf, pdf_errors
from .sources.pdf.pages import page_numbers
from .workspace import Workspace, file_digest

#: Resolution of page renders: sharp on a phone, a few hundred kB for a full page.
RENDER_DPI = 150
CACHE_FOLDER = "pdf-pages"
_VERSION = "1"  # bump when the rendering changes
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def media_for(path: Path, digest: str) -> Media:
    """A file as media, named by the SHA-256 of its bytes (so a changed file is a new name)."""
    return Media(f"ankify-{digest[:20]}{path.suffix.lower()}", path)


def check_pdf_image(image: PdfImage, src: str) -> None:
    """Check that a PDF image shows a page (and region) that exists; SourceError without a
    place otherwise (the caller knows it)."""
    with open_pdf(image.pdf) as doc:
        locate(doc, image, src)


def locate(doc: Any, image: PdfImage, src: str) -> int:
    """The physical page an image shows, checked (with its region) against the open PDF."""
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


def render_pdf_image(image: PdfImage, workspace: Workspace) -> Path:
    """The PNG of a PDF page or region, rendered once and then taken from the cache."""
    key = hashlib.sha256(
        "\x1f".join(
            (_VERSION, file_digest(image.pdf), image.page, repr(image.rect), str(RENDER_DPI))
        ).encode()
    ).hexdigest()[:32]
    path = workspace.cache(CACHE_FOLDER) / f"{key}.png"
    if _complete_png(path):
        return path
    with open_pdf(image.pdf) as doc:
        index = locate(doc, image, f"{image.pdf.name}#page={image.page}")
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
    workspace.write(path, data)
    return path


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
