"""The project on disk: its root, atomic writes, and digests that follow every change."""

from __future__ import annotations

import errno
import os
import pickle
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ankify.errors import WriteError
from ankify.model import SourceSpan
from ankify.workspace import (
    discard,
    file_digest,
    file_in_the_way,
    find_root,
    remove_stale_temporaries,
    replace_all,
    replacing,
    stage,
    write_atomically,
)


def test_a_file_rewritten_to_the_same_size_and_time_has_a_new_digest(tmp_path: Path) -> None:
    path = tmp_path / "figure.png"
    path.write_bytes(b"first")
    first = file_digest(path)
    times = path.stat()
    path.write_bytes(b"other")  # same size
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))  # same modification time
    assert file_digest(path) != first


def test_atomic_writes_keep_the_mode_and_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.apkg"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link = tmp_path / "link.apkg"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["link.apkg", "real.apkg"]


def test_the_root_is_the_nearest_folder_with_ankify_toml_or_git(tmp_path: Path) -> None:
    (tmp_path / "study" / ".git").mkdir(parents=True)
    (tmp_path / "study" / "sources" / "ch1").mkdir(parents=True)
    assert find_root(tmp_path / "study" / "sources" / "ch1") == tmp_path / "study"
    (tmp_path / "study" / "sources" / "ankify.toml").write_text("")
    assert find_root(tmp_path / "study" / "sources" / "ch1") == tmp_path / "study" / "sources"
    assert find_root(tmp_path / "elsewhere.md") == tmp_path


# -- faults: temporaries, all-or-nothing renames, errors that name the user's file -------------


def _ended_pid() -> int:
    """The pid of a process that has ended (and been collected)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_temporaries_are_named_after_their_target_and_owner(tmp_path: Path) -> None:
    staged = stage(tmp_path / "b.apkg", b"new", owner=4242)
    assert re.fullmatch(r"\.b\.apkg\.4242\.[a-z0-9_]{8}\.tmp", staged.temporary.name)
    assert staged.temporary.parent == tmp_path and staged.temporary.read_bytes() == b"new"
    discard([staged])
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_of_ended_processes_are_removed_and_no_others(tmp_path: Path) -> None:
    ended = _ended_pid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = {
            "stale": f".b.apkg.{ended}.abcd_123.tmp",
            "mine but ended": f".c.apkg.{os.getpid()}.abcdefgh.tmp",  # a container's same pid
            "running": f".d.apkg.{sleeper.pid}.abcdefgh.tmp",
            "user's": ".notes.tmp",
            "user's too": f".e.{ended}.tmp",
        }
        for name in names.values():
            (tmp_path / name).write_bytes(b"x")
        writing = stage(tmp_path / "f.apkg", b"being written")  # this process, in flight
        remove_stale_temporaries(tmp_path)
        left = {path.name for path in tmp_path.iterdir()}
        assert left == {
            names["running"],
            names["user's"],
            names["user's too"],
            writing.temporary.name,
        }
        discard([writing])
    finally:
        sleeper.kill()
        sleeper.wait()


def test_replace_all_renames_every_file_or_none(tmp_path: Path) -> None:
    for name in ("a", "c"):
        (tmp_path / f"{name}.apkg").write_bytes(b"old " + name.encode())
    (tmp_path / "b.apkg").mkdir()  # a folder in the way of one of them
    staged = [stage(tmp_path / f"{name}.apkg", b"new", option="output") for name in "abcd"]
    with pytest.raises(WriteError) as error:
        replace_all(staged)
    assert error.value.span is not None and error.value.span.path == tmp_path / "b.apkg"
    assert error.value.message == (
        "cannot write it: a folder of that name is in the way: move or rename it, or write to "
        "another folder"
    )
    assert error.value.options == ("output",)
    assert (tmp_path / "a.apkg").read_bytes() == b"old a"
    assert (tmp_path / "c.apkg").read_bytes() == b"old c"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.apkg", "b.apkg", "c.apkg"]

    (tmp_path / "b.apkg").rmdir()
    replace_all([stage(tmp_path / f"{name}.apkg", name.encode()) for name in "abc"])
    assert [(tmp_path / f"{name}.apkg").read_bytes() for name in "abc"] == [b"a", b"b", b"c"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.apkg", "b.apkg", "c.apkg"]


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (
            errno.EROFS,
            "the file system is read-only: remount it read-write, or write to another folder",
        ),
        (
            errno.EACCES,
            "permission denied: make its folder writable for you, or write to another folder",
        ),
        (
            errno.EPERM,
            "permission denied: make its folder writable for you, or write to another folder",
        ),
        (
            errno.ENOSPC,
            "no space left on the disk: free space on it and try again, or write to another folder",
        ),
        (
            errno.EDQUOT,
            "your disk quota is used up: free space on that disk and try again, or write to another folder",
        ),
        (errno.EIO, "the disk reported an input/output error: check the disk, then try again"),
        (errno.EBUSY, "Device or resource busy"),
    ],
)
def test_an_io_error_names_the_users_file_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, says: str
) -> None:
    target = tmp_path / "decks" / "b.apkg"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def fail(source: object, destination: object) -> None:
        raise OSError(code, os.strerror(code), str(source), None, str(destination))

    staged = stage(target, b"new", option="output")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError) as error:
        replace_all([staged])
    assert error.value.span == SourceSpan(target)
    assert error.value.message == f"cannot write it: {says}"
    assert ".tmp" not in str(error.value)
    assert target.read_bytes() == b"old" and os.listdir(target.parent) == ["b.apkg"]


def test_a_full_disk_while_writing_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write() says it: no name

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(WriteError) as error:
        write_atomically(tmp_path / ".ankify-state.json", b"{}")
    assert str(error.value) == (
        f"{tmp_path / '.ankify-state.json'}: cannot write it: no space left on the disk: free "
        "space on it and try again"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_a_folder_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("a note")
    target = tmp_path / "n.md" / "decks" / "b.apkg"
    with pytest.raises(WriteError) as error:
        write_atomically(target, b"new")
    assert (
        error.value.message
        == f"cannot write it: {tmp_path / 'n.md'} is a file, not a folder: move or rename it"
    )
    assert file_in_the_way(target.parent) == tmp_path / "n.md"
    assert file_in_the_way(tmp_path) is None


def test_replacing_names_the_target_of_errors_about_its_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plot.png"
    with pytest.raises(WriteError) as error, replacing(target, option="plot") as temporary:
        raise OSError(errno.ENOSPC, "No space left on device", str(temporary))
    assert error.value.span == SourceSpan(target) and error.value.options == ("plot",)
    with pytest.raises(FileNotFoundError), replacing(target):
        (tmp_path / "elsewhere.txt").read_bytes()  # another file's problem: its own error
    assert list(tmp_path.iterdir()) == []


def test_a_write_error_crosses_processes_whole() -> None:
    error = WriteError("cannot write it: x", span=SourceSpan(Path("decks/b.apkg")), option="output")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is WriteError and str(again) == str(error) and again.options == ("output",)
