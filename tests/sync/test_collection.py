"""Finding the collection the way Anki does: its base folder per platform and ANKI_BASE, the
profile named, else the one Anki opened last (prefs21.db), else the only one."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest

from ankify.sync.collection import (
    COLLECTION_NAME,
    Place,
    SyncError,
    anki_base,
    find_collection,
    list_profiles,
)
from tests.conftest import Anki, Project


def _profile(base: Path, name: str) -> Path:
    Anki(base / name).close()
    return base / name / COLLECTION_NAME


def _prefs(base: Path, last: str | None, profiles: list[str], meta: object = None) -> None:
    connection = sqlite3.connect(base / "prefs21.db")
    connection.execute("create table profiles (name text primary key, data blob not null)")
    data = meta if meta is not None else {"ver": 1, "last_loaded_profile_name": last}
    connection.execute("insert into profiles values ('_global', ?)", (pickle.dumps(data),))
    for name in profiles:
        connection.execute("insert into profiles values (?, ?)", (name, pickle.dumps({})))
    connection.commit()
    connection.close()


def test_anki_base_per_platform(tmp_path: Path) -> None:
    home = tmp_path
    assert anki_base({}, "linux", home) == home / ".local/share/Anki2"
    assert anki_base({"XDG_DATA_HOME": "/data"}, "linux", home) == Path("/data/Anki2")
    assert anki_base({}, "darwin", home) == home / "Library/Application Support/Anki2"
    assert anki_base({"APPDATA": "C:/Users/me/AppData/Roaming"}, "win32", home) == Path(
        "C:/Users/me/AppData/Roaming/Anki2"
    )
    assert anki_base({"ANKI_BASE": "/anki"}, "darwin", home) == Path("/anki")


def test_the_profile_anki_opened_last(tmp_path: Path) -> None:
    _profile(tmp_path, "User 1")
    work = _profile(tmp_path, "Work")
    _prefs(tmp_path, "Work", ["User 1", "Work"])
    env = {"ANKI_BASE": str(tmp_path)}
    assert list_profiles(tmp_path) == ["User 1", "Work"]
    assert find_collection(collection=None, profile=None, env=env) == Place(
        work, tmp_path / "Work" / "backups"
    )
    chosen = find_collection(collection=None, profile="User 1", env=env)
    assert chosen.path == tmp_path / "User 1" / COLLECTION_NAME


def test_preferences_holding_classes_are_never_unpickled(tmp_path: Path) -> None:
    _profile(tmp_path, "User 1")
    _profile(tmp_path, "Work")
    _prefs(tmp_path, None, ["User 1", "Work"], meta={"last_loaded_profile_name": Path("Work")})
    with pytest.raises(SyncError, match=r"several Anki profiles \(User 1, Work\): choose one"):
        find_collection(collection=None, profile=None, env={"ANKI_BASE": str(tmp_path)})


def test_the_only_profile_without_preferences(tmp_path: Path) -> None:
    only = _profile(tmp_path, "User 1")
    assert (
        find_collection(collection=None, profile=None, env={"ANKI_BASE": str(tmp_path)}).path
        == only
    )


def test_clear_errors_for_missing_profiles(project: Project, tmp_path: Path) -> None:
    base = tmp_path / "Anki2"
    base.mkdir()
    project.write("notes/ch1.md", "Q: One?\nA: 1\n")
    result = project.run("sync", "notes", env={"ANKI_BASE": str(base)})
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {base}: no Anki profile here: open Anki once to make one, or name a collection "
        "(--collection PATH) or Anki's folder (ANKI_BASE)\n"
    )
    _profile(base, "User 1")
    result = project.run("sync", "notes", "--profile", "Work", env={"ANKI_BASE": str(base)})
    assert result.stderr == (
        f"Error: {base}: no Anki profile 'Work': the profiles are User 1 (--profile)\n"
    )
    result = project.run("sync", "notes", "--collection", "nothing.anki2")
    assert result.stderr == (
        "Error: nothing.anki2: no such collection: give the path of a collection.anki2 "
        "(--collection)\n"
    )


def test_sync_into_the_profile_found(project: Project, tmp_path: Path) -> None:
    base = tmp_path / "Anki2"
    path = _profile(base, "User 1")
    project.write("notes/ch1.md", "Q: One?\nA: 1\n")
    result = project.run("sync", "notes", env={"ANKI_BASE": str(base)})
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[0]
        == f"{path}: 1 added, 0 updated, 0 moved, 0 removed, 0 unchanged"
    )
    assert list((base / "User 1" / "backups").glob("*.colpkg"))
    anki = Anki(base / "User 1")
    try:
        assert anki.deck_cards() == {"On the go::ch1": 1}
    finally:
        anki.close()
