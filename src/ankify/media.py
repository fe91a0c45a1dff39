"""Files shipped inside a package: images named by their bytes, and PDF pages rendered to PNG.

A PDF page (`![caption](book.pdf#page=56)`, or a region with `&rect=…`) ships as a PNG,
never the PDF. The page is a printed label when the PDF has labels, else a physical page, or
printed page P = physical page P + N with the note's `offset: N`. Renders are cached by
content (the PDF's bytes, page, offset, region and resolution) in the project's
`.ankify/cache/pdf-pages/`: safe to delete, and a file that is not a complete PNG is never
trusted.
"""

from __future__ import annotations

import hashlib
import re
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
#: A page larger than this (an A0 poster is 35 million pixels at 150 dpi) is refused rather
#: than rendered into hundreds of MB.
MAX_PIXELS = 40_000_000
_VERSION = "1"  # bump when the rendering changes
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


#: The images a package may carry, by their first bytes, and the suffix each ships under: a
#: file's name never decides what it is.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
KINDS = "PNG, JPEG, GIF, WebP, AVIF or SVG"
#: An SVG is text: whatever comes before its `<svg` tag (an XML declaration, comments, a
#: doctype, white space).
_SVG_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>]",
    re.DOTALL | re.IGNORECASE,
)
#: What no image in a card may hold: it could run a script or embed a page if the file were
#: opened on its own.
_SVG_ACTIVE = re.compile(
    rb"<script|<foreignobject|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:", re.IGNORECASE
)
#: Larger images are refused: a package travels to phones.
MAX_IMAGE_BYTES = 50 * 1024 * 1024


def image_suffix(path: Path) -> str | None:
    """The suffix an image ships under (`.png`), from its first bytes; None for a file that
    is none of the images a card may show."""
    with path.open("rb") as file:
        head = file.read(1024)
    for signature, suffix in _SIGNATURES:
        if head.startswith(signature):
            return suffix
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return ".avif"
    if _SVG_START.match(head):
        return ".svg"
    return None


def image_problem(path: Path, src: str) -> str | None:
    """Why the file an image link names may not ship in a package, or None."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (
            f"image {src} is {size / 2**20:.0f} MB: a package ships images up to "
            f"{MAX_IMAGE_BYTES // 2**20} MB: make it smaller"
        )
    suffix = image_suffix(path)
    if suffix is None:
        return f"{src} is not an image (its bytes are not {KINDS}): link an image file"
    if suffix == ".svg" and _SVG_ACTIVE.search(path.read_bytes()):
        return (
            f"image {src} holds a script or an embedded page: remove it from the SVG, or "
            "export the figure as PNG"
        )
    return None


def media_for(path: Path, digest: str, suffix: str | None = None) -> Media:
    """A file as media, named by the SHA-256 of its bytes (so a changed file is a new name) and
    the kind of image its bytes are."""
    kind = suffix or image_suffix(path)
    if kind is None:
        raise SourceError(f"{path.name} is not an image (its bytes are not {KINDS})")
    return Media(f"ankify-{digest[:20]}{kind}", path)


def check_pdf_image(image: PdfImage, src: str) -> None:
    """Check that a PDF image shows a page (and region) that exists; SourceError without a
    place otherwise (the caller knows it)."""
    with open_pdf(image.pdf) as doc:
        locate(doc, image, src)


def locate(doc: Any, image: PdfImage, src: str) -> int:
    """The physical page an image shows, checked (with its region) against the open PDF."""
    numbers = page_numbers(doc, image.pdf)
    if image.offset is not None:
        if numbers.rules:
            raise SourceError(
                f"image {src}: the front matter's offset: {image.offset} is for PDFs without "
                f"page labels, and {image.pdf.name} has them ({numbers.describe()}): remove "
                "offset: and give the printed page"
            )
        numbers = page_numbers(doc, image.pdf, offset=image.offset)
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
    parts = [_VERSION, file_digest(image.pdf), image.page, repr(image.rect), str(RENDER_DPI)]
    if image.offset is not None:  # the same page as before without one: the same render
        parts.append(f"offset {image.offset}")
    key = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    path = workspace.cache(CACHE_FOLDER) / f"{key}.png"
    if _complete_png(path):
        return path
    with open_pdf(image.pdf) as doc:
        index = locate(doc, image, f"{image.pdf.name}#page={image.page}")
        try:
            page = doc.load_page(index)
            clip = None if image.rect is None else page.rect & image.rect  # what is on the page
            area = clip or page.rect
            pixels = area.width * area.height * (RENDER_DPI / 72) ** 2
            if pixels > MAX_PIXELS:
                raise SourceError(
                    f"image {image.pdf.name}#page={image.page}: the page is "
                    f"{area.width:g} x {area.height:g} points, too large to render: show a "
                    "region of it with &rect=x0,y0,x1,y1",
                    span=SourceSpan(image.pdf, page=image.page),
                )
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
