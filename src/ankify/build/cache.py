"""Rendered sources kept between builds, by content: `.ankify/cache/sources/` at the root.

An entry's name is a hash of everything its cards are made from: the source's bytes and its
identity, the project's settings, the math mode and PDF options, ankify's own code and the
versions of the libraries that read and render. It holds the rendered cards and the other
files they depend on (images, PDFs, rendered formulas) with the hashes of their bytes.

An entry is used only when its checksum holds, every file it depends on is unchanged and its
contents are what `encode` writes (a value of the wrong type, a note with the wrong number of
fields, nesting too deep to parse): anything else is a miss, and the source is read again (and
its entry written anew). The cache is safe to delete.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, TypeVar

from ..errors import WriteError
from ..media import image_suffix
from ..model import (
    CardKind,
    Media,
    Rendered,
    RenderedSource,
    SourceSpan,
    json_field,
    json_object,
    json_value,
)
from ..notetypes import NOTE_TYPES
from ..workspace import Workspace, digest_or_none, file_digest

_T = TypeVar("_T", str, int)

#: Bumped whenever the entries' layout changes.
CACHE_FORMAT = 2
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
    package = Path(__file__).resolve().parents[1]
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


class CardDict(TypedDict):
    """A rendered card as an entry keeps it."""

    kind: str
    line: int | None
    page: str | None
    item: str | None
    key: str
    id: str | None
    fields: list[str]
    tags: list[str]
    deck: str
    media: list[list[str]]  # [name, path]
    clozes: list[int]


class SourceDict(TypedDict):
    """A rendered source as an entry keeps it."""

    key: str
    namespace: str
    files: list[list[str]]  # [path, sha256]
    cards: list[CardDict]


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
        """The rendered source, for the source at `path`; ValueError when the body is not one
        (the caller reads the source again)."""
        try:
            value = json.loads(self.body)
        except RecursionError:
            raise ValueError("the entry is nested too deep") from None
        return decode(value, path)


class SourceCache:
    """The cache of rendered sources of one project."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.folder = workspace.cache(_FOLDER)

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
                if digest_or_none(Path(path)) != expected:
                    return None
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        return Entry(key, digest, body)

    def store(self, key: str, rendered: RenderedSource) -> Entry:
        """Keep `rendered` under `key`; a cache that cannot be written is only a slower build."""
        body = json.dumps(encode(rendered), ensure_ascii=False, separators=(",", ":")).encode()
        digest = hashlib.sha256(body).hexdigest()
        header = {
            "key": key,
            "digest": digest,
            "files": [[str(path), sha] for path, sha in rendered.files],
        }
        data = _MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n" + body
        with contextlib.suppress(OSError, WriteError):
            self.workspace.write(self._path(key), data)
        return Entry(key, digest, body)


def encode(source: RenderedSource) -> SourceDict:
    return {
        "key": source.key,
        "namespace": source.guid_namespace,
        "files": [[str(path), sha] for path, sha in source.files],
        "cards": [
            {
                "kind": card.kind.value,
                "line": card.span.line,
                "page": card.span.page,
                "item": card.span.item,
                "key": card.key,
                "id": card.explicit_id,
                "fields": list(card.fields),
                "tags": list(card.tags),
                "deck": card.deck,
                "media": [[media.name, str(media.path)] for media in card.media],
                "clozes": list(card.cloze_numbers),
            }
            for card in source.cards
        ],
    }


def decode(value: object, path: Path) -> RenderedSource:
    """A rendered source as `encode` wrote it, for the source at `path`; ValueError for anything
    else (an entry whose checksum holds but whose contents do not is never used)."""
    data = json_object(value, "an entry")
    cards = []
    for item in json_field(data, "cards", list):
        card = json_object(item, "a card")
        line = _optional(card, "line", int)
        page, item_text = _optional(card, "page", str), _optional(card, "item", str)
        kind = CardKind(json_field(card, "kind", str))
        fields = _texts(json_field(card, "fields", list), "fields")
        if len(fields) != len(NOTE_TYPES[kind].fields):
            raise ValueError(f"a {kind.value} note has {len(NOTE_TYPES[kind].fields)} fields")
        clozes = tuple(
            json_value(n, int, "a cloze number") for n in json_field(card, "clozes", list)
        )
        if (kind is CardKind.CLOZE) != bool(clozes) or any(n < 1 for n in clozes):
            raise ValueError("cloze numbers are 1, 2, ... on a cloze, and none elsewhere")
        if not {int(n) for n in _CLOZE.findall(fields[0]) if int(n) > 0} <= set(clozes):
            raise ValueError("the cloze's text has clozes its numbers do not")
        cards.append(
            Rendered(
                kind=kind,
                span=SourceSpan(path, line, page, item_text),
                key=json_field(card, "key", str),
                explicit_id=_optional(card, "id", str),
                fields=fields,
                tags=_texts(json_field(card, "tags", list), "tags"),
                deck=json_field(card, "deck", str),
                media=tuple(
                    _media(*_pair(pair, "media")) for pair in json_field(card, "media", list)
                ),
                cloze_numbers=clozes,
            )
        )
    files = [_pair(pair, "files") for pair in json_field(data, "files", list)]
    return RenderedSource(
        path=path,
        key=json_field(data, "key", str),
        guid_namespace=json_field(data, "namespace", str),
        cards=tuple(cards),
        files=tuple((Path(file), sha) for file, sha in files),
    )


#: The name media ships under: the SHA-256 of its bytes, and the kind of image they are.
_MEDIA_NAME = re.compile(r"ankify-([0-9a-f]{20})(\.[a-z]+)")


def _media(name: str, file: str) -> Media:
    """A card's media as an entry names it, checked against the file's bytes: an entry (even
    one with a valid checksum, in a project from someone else) can only ship an image whose
    bytes it knows, never a file of the builder's."""
    found = _MEDIA_NAME.fullmatch(name)
    path = Path(file)
    try:
        if found is None or file_digest(path)[:20] != found.group(1):
            raise ValueError(f"media {name} is not the file {file}")
        if image_suffix(path) != found.group(2):
            raise ValueError(f"media {name} is not an image")
    except OSError:
        raise ValueError(f"media {file} cannot be read") from None
    return Media(name, path)


#: A cloze in a cloze note's text, as genanki finds them (each is a card: its id is stamped).
_CLOZE = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


def _pair(value: object, what: str) -> tuple[str, str]:
    """`[name, path]` of a card's media, `[path, sha256]` of a file it depends on."""
    pair = _texts(json_value(value, list, what), what)
    if len(pair) != 2:
        raise ValueError(f"{what} must be pairs")
    return pair[0], pair[1]


def _optional(data: dict[str, object], key: str, kind: type[_T]) -> _T | None:
    return None if data.get(key) is None else json_field(data, key, kind)


def _texts(values: list[object], what: str) -> tuple[str, ...]:
    return tuple(json_value(value, str, what) for value in values)
