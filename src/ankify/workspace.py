"""A project on disk: where its root is, which files are notes, and how ankify writes files.

Every command finds the project the same way: the nearest folder, from where it starts, that
holds `ankify.toml` or `.git`. ankify's own files live in `.ankify/` at that root (a cache,
ignored by git and safe to delete). Every file ankify writes is written beside its target and
renamed into place, so no reader ever sees half of it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

CONFIG_NAME = "ankify.toml"
WORKSPACE_NAME = ".ankify"
NOTE_SUFFIXES = (".md", ".markdown")
PDF_SUFFIX = ".pdf"
_IGNORE_ALL = b"# ankify's workspace: a cache, safe to delete\n*\n"


def find_root(start: Path) -> Path:
    """The project `start` (a file or folder) belongs to: the nearest folder with ankify.toml
    or .git, else the folder itself."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file() or (candidate / ".git").exists():
            return candidate
    return folder


def source_key(path: Path, root: Path) -> str:
    """A source's name among the project's sources: its path from the root, with `/` (its
    absolute path when it is outside the project)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def range_key(path: Path, root: Path, slug: str) -> str:
    """The name of a page range of a PDF among the project's sources (`dlbook.pdf#p53-60`)."""
    return f"{source_key(path, root)}#p{slug}"


def shown(path: Path) -> Path:
    """A path as the user reads it: from the current folder when it is below it."""
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return path.relative_to(Path.cwd())
    return path


def split_key(key: str) -> tuple[str, str | None]:
    """A source key's file (from the root, or absolute) and, for a PDF's page range, its
    pages: `("dlbook.pdf", "53-60")`, `("notes/ch3.md", None)`."""
    found = _RANGE_KEY.fullmatch(key)
    return (found.group(1), found.group(2)) if found else (key, None)


_RANGE_KEY = re.compile(r"(.+\.pdf)#p([\w.-]+)", re.IGNORECASE)


# -- which files are notes --------------------------------------------------------------------


def is_note(path: Path) -> bool:
    return path.suffix in NOTE_SUFFIXES  # `README.MD` is not a note


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == PDF_SUFFIX


def note_files(folder: Path) -> tuple[Path, ...]:
    """The note files below `folder`, sorted; hidden files and folders (`.obsidian/`) are not
    notes."""
    return tuple(
        sorted(
            path
            for path in folder.rglob("*")
            if is_note(path)
            and path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        )
    )


# -- writing files ----------------------------------------------------------------------------


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block succeeds.

    The file keeps the mode of the file it replaces (a new one gets what `open()` would give:
    mkstemp's 0600 would hide it from others). `durable` flushes it to disk before the rename,
    so a crash leaves the old file or the new one, never an empty one.
    """
    target = path.resolve() if path.is_symlink() else path
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        if durable:
            with temporary.open("rb+") as file:
                os.fsync(file.fileno())
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file beside it: never a half-written file."""
    with replacing(path, durable=durable) as temporary:
        temporary.write_bytes(data)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


# -- file digests -----------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex; computed once per version of the file."""
    resolved = path.resolve()
    stat = resolved.stat()
    return _digest(resolved, (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


@functools.lru_cache(maxsize=1024)
def _digest(path: Path, version: tuple[int, int, int, int]) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def digest_or_none(path: Path) -> str | None:
    """The file's digest, or None when it cannot be read (gone, a folder, no permission)."""
    try:
        return file_digest(path)
    except OSError:
        return None


# -- .ankify/ ---------------------------------------------------------------------------------


class Workspace:
    """The `.ankify/` folder at a project's root: caches, ignored by git, safe to delete."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / WORKSPACE_NAME

    def cache(self, name: str) -> Path:
        """The folder of one cache: `sources`, `pdf-pages`, `math-svg`."""
        return self.folder / "cache" / name

    def write(self, path: Path, data: bytes) -> None:
        """Write a file inside the workspace, making its folders (and the workspace's
        `.gitignore`) first. Caches are checked on every read, so they need no fsync."""
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            write_atomically(ignore, _IGNORE_ALL, durable=False)
        write_atomically(path, data, durable=False)
