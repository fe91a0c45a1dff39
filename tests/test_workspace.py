"""The project on disk: its root, atomic writes, and digests that follow every change."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ankify.workspace import file_digest, find_root, write_atomically


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
