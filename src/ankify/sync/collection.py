"""Which collection a sync writes to, found the way Anki finds it, and opening it.

Anki keeps its profiles in a base folder: `~/.local/share/Anki2` on Linux,
`~/Library/Application Support/Anki2` on macOS, `%APPDATA%\\Anki2` on Windows, or the folder
`ANKI_BASE` names (as Anki's `-b`). Each profile is a folder of it holding `collection.anki2`;
`prefs21.db` lists the profiles and remembers the one opened last.
"""

from __future__ import annotations

import pickle
import sqlite3
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import AnkifyError
from ..model import SourceSpan

if TYPE_CHECKING:
    from anki.collection import Collection

COLLECTION_NAME = "collection.anki2"
_PREFS = "prefs21.db"


class SyncError(AnkifyError):
    """The collection cannot be found, opened or written."""


class CollectionLocked(SyncError):
    """Anki has the collection open."""


@dataclass(frozen=True, slots=True)
class Place:
    """A collection, and the folder Anki's backups of it go to."""

    path: Path
    backups: Path


def anki_base(
    env: Mapping[str, str], platform: str = sys.platform, home: Path | None = None
) -> Path:
    """Anki's base folder: `ANKI_BASE`, else the platform's own."""
    if env.get("ANKI_BASE"):
        return Path(env["ANKI_BASE"]).expanduser()
    home = home or Path.home()
    if platform == "win32":
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Anki2"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Anki2"
    data = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(data) / "Anki2"


def find_collection(
    *, collection: Path | None, profile: str | None, env: Mapping[str, str]
) -> Place:
    """The collection to sync: the file given, else the profile's (named, else the one Anki
    opened last, else the only one)."""
    if collection is not None:
        if not collection.is_file():
            raise SyncError(
                "no such collection: give the path of a collection.anki2",
                span=SourceSpan(collection),
                option="collection",
            )
        return Place(collection, collection.parent / "backups")
    base = anki_base(env)
    profiles = list_profiles(base)
    if profile is None:
        profile = _last_profile(base, profiles)
    if profile is None:
        if not profiles:
            raise SyncError(
                "no Anki profile here: open Anki once to make one, or name a collection "
                "(--collection PATH) or Anki's folder (ANKI_BASE)",
                span=SourceSpan(base),
            )
        raise SyncError(
            f"several Anki profiles ({', '.join(profiles)}): choose one with --profile",
            span=SourceSpan(base),
        )
    folder = base / profile
    path = folder / COLLECTION_NAME
    if not path.is_file():
        known = f"the profiles are {', '.join(profiles)}" if profiles else "there is none"
        raise SyncError(
            f"no Anki profile {profile!r}: {known}",
            span=SourceSpan(base),
            option="profile",
        )
    return Place(path, folder / "backups")


def list_profiles(base: Path) -> list[str]:
    """The profiles in Anki's base folder: as prefs21.db lists them, else the folders that
    hold a collection."""
    names = [name for name, _ in _prefs(base) if name != "_global"]
    if not names and base.is_dir():
        names = [p.name for p in base.iterdir() if (p / COLLECTION_NAME).is_file()]
    return sorted(name for name in names if (base / name / COLLECTION_NAME).is_file())


def _last_profile(base: Path, profiles: list[str]) -> str | None:
    for name, data in _prefs(base):
        if name == "_global":
            last = _meta(data).get("last_loaded_profile_name")
            if isinstance(last, str) and last in profiles:
                return last
    return profiles[0] if len(profiles) == 1 else None


def _prefs(base: Path) -> list[tuple[str, bytes]]:
    path = base / _PREFS
    if not path.is_file():
        return []
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [
                (str(n), bytes(d)) for n, d in connection.execute("select name, data from profiles")
            ]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


class _Plain(pickle.Unpickler):
    """Anki's preferences are pickles: read only plain values, never a class."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")


def _meta(data: bytes) -> dict[str, Any]:
    import io

    try:
        value = _Plain(io.BytesIO(data)).load()
    except Exception:  # a damaged or unfamiliar pickle: there is no last profile to follow
        return {}
    return value if isinstance(value, dict) else {}


def open_collection(path: Path) -> Collection:
    """The collection, opened by Anki's own library; one clear line when Anki holds it."""
    try:
        from anki.collection import Collection
        from anki.errors import DBError
    except ImportError:
        raise SyncError("syncing needs Anki's library: pip install 'ankify[sync]'") from None
    try:
        return Collection(str(path))
    except DBError as e:
        text = str(e).lower()
        if not text or "locked" in text or "already open" in text:
            raise CollectionLocked(
                "the collection is open in Anki: close Anki and run it again",
                span=SourceSpan(path),
            ) from None
        raise SyncError(f"the collection cannot be opened ({e})", span=SourceSpan(path)) from None
