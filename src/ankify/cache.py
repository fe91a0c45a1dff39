"""Rendered sources kept between builds, by content: `.ankify/cache/sources/` at the root.

An entry's name is a hash of everything its cards are made from: the source's bytes and its
identity, the project's settings, the math mode and PDF options, ankify's own code and the
versions of the libraries that read and render. It holds the rendered cards and the other
files they depend on (images, PDFs, rendered formulas) with the hashes of their bytes.

An entry is used only when its checksum holds and every file it depends on is unchanged;
anything else is a miss and the source is read again. The cache is safe to delete.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import CardKind, Media, Rendered, RenderedSource, SourceSpan

#: Bumped whenever the entries' layout changes.
CACHE_FORMAT = 1
_FOLDER = "sources"
_MAGIC = b"ankify-cache\n"

#: Libraries whose version changes what a source renders to, or how a package is written.
_LIBRARIES = ("genanki", "markdown_it_py", "mdit_py_plugins", "pymupdf", "sympy")


@functools.cache
def code_fingerprint() -> str:
    """ankify's own files (code, data, templates) and the versions of the libraries it reads with.

    A new ankify or a library upgrade invalidates every entry, so the cache never outlives the
    code that wrote it. Library versions come from the names of their `.dist-info` folders:
    `importlib.metadata` would cost more than the rest of a cached build.
    """
    digest = hashlib.sha256(f"{CACHE_FORMAT}\x00{sys.version}\x00".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(package).as_posix()}\x00".encode())
            digest.update(path.read_bytes())
    for name in sorted(_installed_versions()):
        digest.update(f"{name}\x00".encode())
    return digest.hexdigest()


def _installed_versions() -> set[str]:
    found: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as names:
                for item in names:
                    name = item.name
                    if name.endswith(".dist-info") and name.lower().startswith(_LIBRARIES):
                        found.add(name.lower())
        except OSError:
            continue
    return found


def cache_key(*parts: str | bytes) -> str:
    """The name of an entry: a hash of everything a source's cards are made from."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """A rendered source from the cache (or just stored in it).

    `digest` names the cards' content: equal digests mean equal notes, which is how a build
    knows a package is already up to date without reading the cards at all.
    """

    key: str
    digest: str
    body: bytes

    def rendered(self, path: Path) -> RenderedSource:
        """The rendered source, for the source at `path`."""
        return _decode(json.loads(self.body), path)


class SourceCache:
    """The cache folder of one project."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / _FOLDER

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> Entry | None:
        """The entry stored under `key`, if it is intact and its files are unchanged."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            if not data.startswith(_MAGIC):
                return None
            head_end = data.index(b"\n", len(_MAGIC))
            header = json.loads(data[len(_MAGIC) : head_end])
            body = data[head_end + 1 :]
            digest = hashlib.sha256(body).hexdigest()
            if header["key"] != key or header["digest"] != digest:
                return None
            for path, expected in header["files"]:
                if _digest_or_none(Path(path)) != expected:
                    return None
        except (ValueError, KeyError, TypeError):
            return None
        return Entry(key, digest, body)

    def store(self, key: str, rendered: RenderedSource) -> Entry:
        """Keep `rendered` under `key`; a cache that cannot be written is only a slower build."""
        from .state import write_atomically

        body = json.dumps(_encode(rendered), ensure_ascii=False, separators=(",", ":")).encode()
        digest = hashlib.sha256(body).hexdigest()
        header = {
            "key": key,
            "digest": digest,
            "files": [[str(path), sha] for path, sha in rendered.files],
        }
        data = _MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n" + body
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            workspace = self.folder.parent.parent
            ignore = workspace / ".gitignore"
            if workspace.name == ".ankify" and not ignore.exists():
                write_atomically(ignore, b"# ankify's workspace: a cache, safe to delete\n*\n")
            write_atomically(path, data)
        except OSError:
            pass
        return Entry(key, digest, body)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def _encode(source: RenderedSource) -> dict[str, Any]:
    return {
        "key": source.key,
        "namespace": source.guid_namespace,
        "files": [[str(path), sha] for path, sha in source.files],
        "cards": [
            [
                card.kind.value,
                card.span.line,
                card.span.page,
                card.key,
                card.explicit_id,
                list(card.fields),
                list(card.tags),
                card.deck,
                [[media.name, str(media.path)] for media in card.media],
                list(card.cloze_numbers),
            ]
            for card in source.cards
        ],
    }


def _decode(data: dict[str, Any], path: Path) -> RenderedSource:
    kinds = {kind.value: kind for kind in CardKind}
    cards = []
    for kind, line, page, key, ident, fields, tags, deck, media, clozes in data["cards"]:
        cards.append(
            Rendered(
                kind=kinds[kind],
                span=SourceSpan(path, line, page),
                key=key,
                explicit_id=ident,
                fields=tuple(fields),
                tags=tuple(tags),
                deck=deck,
                media=tuple(Media(name, Path(file)) for name, file in media),
                cloze_numbers=tuple(clozes),
            )
        )
    files: Sequence[tuple[str, str]] = data["files"]
    return RenderedSource(
        path=path,
        key=data["key"],
        guid_namespace=data["namespace"],
        cards=tuple(cards),
        files=tuple((Path(file), sha) for file, sha in files),
    )
