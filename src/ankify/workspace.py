"""A project on disk: where its root is, which files are notes, and how ankify writes files.

Every command finds the project the same way: the nearest folder, from where it starts, that
holds `ankify.toml` or `.git`. ankify's own files live in `.ankify/` at that root (a cache,
ignored by git and safe to delete). Every file ankify writes is written beside its target and
renamed into place, so no reader ever sees half of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from .errors import WriteError, write_problem
from .model import SourceSpan

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
#
# A file is written to a temporary file beside it, named `.<its name>.<pid>.<random>.tmp` after
# the process that renames it into place (a build, even when a worker wrote it). A process that
# ends before renaming it (killed, or the machine stopped) leaves it behind: a later build
# removes those whose process has gone (`remove_stale_temporaries`), never one a running build
# is writing.

_TEMPORARY = re.compile(r"\..+\.([0-9]+)\.[a-z0-9_]{8}\.tmp")
_in_flight: set[str] = set()  # the names of this process's temporaries, until renamed or removed
_swept: set[Path] = set()  # the cache folders whose stale temporaries this process removed


@dataclasses.dataclass(frozen=True, slots=True)
class Staged:
    """A file written to a temporary beside it, to rename over it with others (`replace_all`)."""

    temporary: Path
    target: Path  # where it goes: the file `path` is a symlink to, if it is one
    path: Path  # the file as the user names it, for messages
    option: str | None = None  # the setting that chose `path`, for messages


def stage(
    path: Path,
    data: bytes,
    *,
    durable: bool = True,
    owner: int | None = None,
    option: str | None = None,
) -> Staged:
    """`data` in a temporary file beside `path`, with the mode of the file it will replace (a
    new one gets what `open()` would give: mkstemp's 0600 would hide it from others), flushed
    to disk when `durable` (a crash then leaves the old file or the new one, never an empty
    one). `owner` is the process that will rename it (this one by default); `option` the
    setting that chose `path`. WriteError when it cannot be written."""
    target = path.resolve() if path.is_symlink() else path
    temporary: Path | None = None
    try:
        temporary = _temporary(target, owner)
        temporary.write_bytes(data)
        _finish(temporary, target, durable)
    except BaseException as error:
        if temporary is not None:
            _remove(temporary)
        if isinstance(error, OSError):
            raise write_error(error, path, option) from None
        raise
    return Staged(temporary, target, path, option)


def replace_all(staged: Sequence[Staged]) -> None:
    """Rename every staged file over its target, in order: all of them or, when one cannot be
    renamed, none (those renamed already are put back). No temporary is left either way."""
    backups: list[Path | None] = []
    renamed = 0
    current = staged[0] if staged else None
    try:
        if len(staged) > 1:  # one rename alone is all or nothing already
            for current in staged:
                backups.append(_second_name(current.target))
        for current in staged:
            os.replace(current.temporary, current.target)
            _in_flight.discard(current.temporary.name)
            renamed += 1
    except BaseException as error:
        for item, backup in zip(staged[:renamed], backups, strict=False):
            with contextlib.suppress(OSError):
                if backup is None:
                    item.target.unlink()
                else:
                    os.replace(backup, item.target)
        if isinstance(error, OSError) and current is not None:
            raise write_error(error, current.path, current.option) from None
        raise
    finally:
        discard(staged[renamed:])
        for backup in backups:
            if backup is not None:
                _remove(backup)


def discard(staged: Sequence[Staged]) -> None:
    """Remove staged files that will not be renamed into place."""
    for item in staged:
        _remove(item.temporary)


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = True, option: str | None = None) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block succeeds (see `stage`).

    An OSError about the temporary (or about no file) is a WriteError naming `path`.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        temporary = _temporary(target, None)
    except OSError as error:
        raise write_error(error, path, option) from None
    try:
        yield temporary
        _finish(temporary, target, durable)
        os.replace(temporary, target)
    except OSError as error:
        if error.filename is not None and str(error.filename) not in (str(temporary), str(target)):
            raise  # another file's problem, named by its own message
        raise write_error(error, path, option) from None
    finally:
        _remove(temporary)


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file beside it: never a half-written file."""
    replace_all([stage(path, data, durable=durable)])


def write_error(error: OSError, path: Path, option: str | None = None) -> WriteError:
    """An OSError met writing `path`, as the error a user reads: the path, never ankify's
    temporary; what went wrong and what to do (choose another folder when `option` can)."""
    blocking = file_in_the_way(path.parent)
    problem = write_problem(
        error, elsewhere=option is not None, in_the_way=str(shown(blocking)) if blocking else None
    )
    return WriteError(problem, span=SourceSpan(path), option=option)


def file_in_the_way(folder: Path) -> Path | None:
    """The file that stands where `folder`, or the nearest of its parents that exists, would
    need to be a folder."""
    for place in (folder, *folder.parents):
        try:
            mode = os.stat(place).st_mode
        except OSError:
            continue
        return None if S_ISDIR(mode) else place
    return None


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporaries in `folder` that ended processes left (see above). This process's
    own name counts as ended for those it is not writing: a container's build often has the
    same pid every time."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found is None or entry.name in _in_flight or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(found.group(1))
        if pid == os.getpid() or not process_running(pid):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def process_running(pid: int) -> bool:
    """Whether process `pid` is running (another user's counts; one that has ended and waits
    for its parent to collect its exit status does not)."""
    if os.name != "posix":
        return True  # Windows' os.kill(pid, 0) would send the process a Ctrl+C
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            state = file.read().rpartition(b")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): kill() is all there is to ask
    return state not in (b"Z", b"X")


def _temporary(target: Path, owner: int | None) -> Path:
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.{owner or os.getpid()}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    _in_flight.add(os.path.basename(name))
    return Path(name)


def _finish(temporary: Path, target: Path, durable: bool) -> None:
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(temporary, mode)
    if durable:
        with temporary.open("rb+") as file:
            os.fsync(file.fileno())


def _second_name(target: Path) -> Path | None:
    """A temporary second name for the file at `target` (None when there is none), to put it
    back if what replaces it is not all renamed into place: a hard link, else a copy."""
    try:
        if not S_ISREG(os.lstat(target).st_mode):
            return None  # a folder in the way: renaming over it fails, nothing to put back
    except FileNotFoundError:
        return None
    backup = _temporary(target, None)
    try:
        os.unlink(backup)
        os.link(target, backup)
    except OSError:
        try:
            shutil.copy2(target, backup)  # a file system without hard links
        except BaseException:
            _remove(backup)
            raise
    return backup


def _remove(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink()
    _in_flight.discard(temporary.name)


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
        `.gitignore`) first. Caches are checked on every read, so they need no fsync.
        WriteError when it cannot be written."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise write_error(error, path) from None
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            write_atomically(ignore, _IGNORE_ALL, durable=False)
        if path.parent not in _swept:  # once a process: a cache folder can hold many files
            _swept.add(path.parent)
            remove_stale_temporaries(path.parent)
        write_atomically(path, data, durable=False)
