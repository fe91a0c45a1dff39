"""Faults and misuse: a build killed outright leaves no process behind, and the next one removes
what it left; a file that cannot be written is named (never ankify's temporary) with what to do;
one package that cannot be written replaces none; a cache entry of the wrong shape is a miss; a
command line used wrongly is one line, exit 1, like every error a user can fix.

Real conditions wherever a test can make them, as root too (CI runs as root, where `chmod` does
not bite): a folder in the way of a package, a file in the way of a folder; a read-only mount, a
full disk and a denied folder inside a user namespace (`unshare`), skipped where there is none.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from ankify.build.pool import PARALLEL_BYTES
from ankify.build.state import STATE_NAME

from ..conftest import Project

NOTE = "# {name}\nQ: What is {name}?\nA: {name}, {version}.\n"


def _notes(project: Project, version: str = "first") -> None:
    for name in ("a", "b", "c"):
        project.write(f"notes/{name}.md", NOTE.format(name=name, version=version))


def _kept(project: Project) -> dict[str, bytes]:
    """What a failed build must leave as it was: every file but the notes and the cache."""
    return {
        path.relative_to(project.root).as_posix(): path.read_bytes()
        for path in sorted(project.root.rglob("*"))
        if path.is_file() and not {"notes", ".ankify", ".git"} & set(path.parts)
    }


def _temporaries(project: Project) -> list[Path]:
    return sorted(project.root.rglob("*.tmp"))


def _ankify(
    project: Project, *args: str, under: Sequence[str] = (), timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`ankify` in a process of its own, in the project's folder (inside `under`'s command)."""
    command = [*under, sys.executable, "-m", "ankify", *args]
    return subprocess.run(
        command, cwd=project.root, capture_output=True, text=True, timeout=timeout, check=False
    )


# -- a command line used wrongly ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build"], "Missing argument 'PATHS...': see 'ankify build --help'"),
        (
            ["build", "notes", "--math", "tex"],
            "Invalid value for '--math': 'tex' is not one of 'mathjax', 'svg': see 'ankify build --help'",
        ),
        (
            ["build", "notes", "--job", "2"],
            "No such option '--job'. Did you mean '--jobs'? (see 'ankify build --help')",
        ),
        (
            ["build", "notes", "--jobs"],
            "Option '--jobs' requires an argument: see 'ankify build --help'",
        ),
        (
            ["biuld", "notes"],
            "No such command 'biuld'. Did you mean 'build'? (see 'ankify --help')",
        ),
        (["--quiet"], "No such option '--quiet': see 'ankify --help'"),
        (["plan"], "Missing option '--start': see 'ankify plan --help'"),
        (["draft", "book.pdf"], "Missing option '-o' / '--output': see 'ankify draft --help'"),
    ],
)
def test_a_command_line_used_wrongly_is_one_line_and_exit_1(
    project: Project, args: list[str], message: str
) -> None:
    result = project.run(*args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


@pytest.mark.parametrize("output", ["notes/a.md", "notes/a.md/decks"])
def test_an_output_folder_that_is_a_file_is_one_line_and_nothing_is_written(
    project: Project, output: str
) -> None:
    _notes(project)
    result = project.run("build", "notes", "-o", output)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: notes/a.md: is a file, not a folder: choose a folder for the packages (-o)\n"
    )
    assert sorted(path.name for path in project.root.iterdir()) == [".git", "notes"]


# -- a package, or the state, that cannot be written -------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_when_one_package_cannot_be_written_none_is_replaced(project: Project, jobs: str) -> None:
    _notes(project)
    assert project.run("build", "notes").exit_code == 0
    (project.decks / "b.apkg").unlink()
    (project.decks / "b.apkg").mkdir()  # a folder where a package goes: renaming over it fails
    before = _kept(project)

    _notes(project, "second")
    result = project.run("build", "notes", "--jobs", jobs)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: decks/b.apkg: cannot write it: a folder of that name is in the way: move or "
        "rename it, or write to another folder (-o)\n"
    )
    assert _kept(project) == before  # a.apkg and c.apkg, and the state, as they were
    assert _temporaries(project) == []

    (project.decks / "b.apkg").rmdir()
    assert project.run("build", "notes", "--jobs", jobs).exit_code == 0
    after = _kept(project)
    assert [after[f"decks/{n}.apkg"] != before.get(f"decks/{n}.apkg") for n in "abc"] == [True] * 3


def test_when_the_state_cannot_be_written_no_package_is_replaced(project: Project) -> None:
    _notes(project)
    assert project.run("build", "notes").exit_code == 0
    (project.root / STATE_NAME).unlink()
    (project.root / STATE_NAME).mkdir()  # renamed last, after the packages: it fails
    before = _kept(project)

    _notes(project, "second")
    result = project.run("build", "notes")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: .ankify-state.json: cannot write it: a folder of that name is in the way: move "
        "or rename it\n"  # and not "write to another folder": -o does not move the state
    )
    assert _kept(project) == before
    assert _temporaries(project) == []


def test_a_build_removes_the_temporaries_that_killed_builds_left(project: Project) -> None:
    _notes(project)
    project.decks.mkdir()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [
            project.decks / f".b.apkg.{ended.pid}.k2j4_x9q.tmp",
            project.root / f".{STATE_NAME}.{ended.pid}.0ab1cd2e.tmp",
        ]
        kept = [
            project.decks / f".z.apkg.{running.pid}.k2j4_x9q.tmp",  # another build's, writing
            project.decks / ".my-notes.tmp",  # not ankify's
        ]
        for path in stale + kept:
            path.write_bytes(b"half a package")
        assert project.run("build", "notes").exit_code == 0
        assert [path.exists() for path in stale] == [False, False]
        assert [path.exists() for path in kept] == [True, True]
    finally:
        running.kill()
        running.wait()


# -- a read-only disk, a full one, a folder denied: real ones, in a user namespace ---------------


def _namespace_mounts() -> bool:
    """Whether this machine lets a process mount in a user namespace of its own."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt || mount -t tmpfs tmpfs /tmp"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(
    sys.platform != "linux" or not _namespace_mounts(),
    reason="needs user namespaces that may mount (unshare -rm)",
)


def _mounted(script: str) -> list[str]:
    """Run the command after `script` (which mounts over `decks`), in a namespace of its own;
    then list what is in `decks` there, after a line `--`."""
    body = f'{script} || exit 99; "$@"; status=$?; echo --; ls -A decks; exit $status'
    return ["unshare", "-rm", "sh", "-c", body, "sh"]


@needs_mounts
def test_a_read_only_output_folder_is_named_with_what_to_do(project: Project) -> None:
    _notes(project)
    assert project.run("build", "notes").exit_code == 0
    before = _kept(project)
    _notes(project, "second")
    read_only = _mounted("mount --bind decks decks && mount -o remount,bind,ro decks")
    result = _ankify(project, "build", "notes", "--jobs", "2", under=read_only)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        f"Error: decks/{name}.apkg: cannot write it: the file system is read-only: remount it "
        "read-write, or write to another folder (-o)"
        for name in "abc"
    ]
    assert _kept(project) == before and _temporaries(project) == []


@needs_mounts
def test_a_full_disk_is_named_with_what_to_do_and_leaves_nothing(project: Project) -> None:
    for name in ("a", "b", "c"):  # packages larger than the disk: each fails on its own
        cards = "".join(
            f"Q: What is {name} number {i} of {i * 7919}?\nA: {i**3}.\n\n" for i in range(40)
        )
        project.write(f"notes/{name}.md", f"# {name}\n{cards}")
    project.decks.mkdir()
    full = _mounted("mount -t tmpfs -o size=4k tmpfs decks")
    result = _ankify(project, "build", "notes", "--jobs", "2", under=full)
    assert result.returncode == 1, result.stderr
    errors, listing = result.stderr, result.stdout.split("--\n")[-1]
    assert errors.splitlines() == [
        f"Error: decks/{name}.apkg: cannot write it: no space left on the disk: free space on it "
        "and try again, or write to another folder (-o)"
        for name in "abc"
    ]
    assert listing == ""  # nothing half-written on that disk, no temporary
    assert not (project.root / STATE_NAME).exists()


@needs_mounts
def test_a_cache_that_cannot_be_written_only_makes_the_build_slower(project: Project) -> None:
    _notes(project)
    assert project.run("build", "notes").exit_code == 0
    _notes(project, "second")
    read_only = [
        *("unshare", "-rm", "sh", "-c"),
        'mount --bind .ankify .ankify && mount -o remount,bind,ro .ankify && exec "$@"',
        "sh",
    ]
    result = _ankify(project, "build", "notes", under=read_only)
    assert (result.returncode, result.stderr) == (0, "")
    assert "3 sources (3 written)" in result.stdout


def test_a_folder_denied_is_named_with_what_to_do(project: Project) -> None:
    _notes(project)
    assert project.run("build", "notes").exit_code == 0
    before = _kept(project)
    _notes(project, "second")
    under: list[str] = []
    if os.geteuid() == 0:  # root writes anywhere: ask as root in a namespace, who cannot
        if shutil.which("unshare") is None or subprocess.run(["unshare", "-U", "true"]).returncode:
            pytest.skip("root, and no user namespace to be anyone else in")
        under = ["unshare", "-U"]
    project.decks.chmod(0o555)
    try:
        result = _ankify(project, "build", "notes", under=under)
    finally:
        project.decks.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        "Error: decks/a.apkg: cannot write it: permission denied: make its folder writable for "
        "you, or write to another folder (-o)"
    )
    assert _kept(project) == before and _temporaries(project) == []


# -- kill -9 --------------------------------------------------------------------------------------


def _processes() -> dict[int, tuple[int, str, int]]:
    """Every process: pid -> (parent pid, state, start time)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_bytes().rpartition(b")")[2].split()
            except OSError:
                continue
            found[int(entry.name)] = (int(fields[1]), fields[0].decode(), int(fields[19]))
    return found


def _descendants(pid: int) -> dict[int, int]:
    """The processes below `pid`: pid -> start time (a pid may be used again)."""
    processes = _processes()
    below, found = [pid], {}
    while below:
        parent = below.pop()
        for child, (ppid, _, start) in processes.items():
            if ppid == parent and child not in found:
                found[child] = start
                below.append(child)
    return found


def _alive(processes: dict[int, int]) -> dict[int, int]:
    now = _processes()
    return {
        pid: start
        for pid, start in processes.items()
        if pid in now and now[pid][2] == start and now[pid][1] not in "ZX"
    }


@pytest.fixture
def big_project(project: Project) -> Iterator[Project]:
    """Enough to read that a build of it runs for seconds, on several workers."""
    for chapter in range(8):
        cards = "".join(
            f"Q: What is item {chapter}-{i} about *this*?\nA: It is {i} with $x^{i % 7}$.\n\n"
            for i in range(1500)
        )
        project.write(f"notes/ch{chapter}.md", f"# Chapter {chapter}\n{cards}")
    assert sum(p.stat().st_size for p in project.root.rglob("*.md")) > PARALLEL_BYTES
    yield project


def _killed_mid_build(command: list[str], cwd: Path, workers: int) -> dict[int, int]:
    """Start a build, kill -9 it once its workers run; the processes it had started."""
    build = subprocess.Popen(command, cwd=cwd, stderr=subprocess.DEVNULL)
    started: dict[int, int] = {}
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and build.poll() is None:
            started = _descendants(build.pid)
            if len(started) >= workers:
                break
            time.sleep(0.02)
        assert build.poll() is None, "the build ended before it could be killed"
        assert len(started) >= workers, started
        time.sleep(0.3)  # at work
        started = _descendants(build.pid)
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    return started


def _left(started: dict[int, int]) -> dict[int, int]:
    """The processes of `started` still running a few seconds on (killed, so as not to stay)."""
    deadline = time.monotonic() + 5
    while (left := _alive(started)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


@linux_only
def test_kill_9_of_a_build_leaves_no_worker_behind(big_project: Project) -> None:
    command = [sys.executable, "-m", "ankify", "build", "notes", "--jobs", "4"]
    started = _killed_mid_build(command, big_project.root, workers=4)
    assert _left(started) == {}


@linux_only
def test_kill_9_of_a_build_with_a_forkserver_leaves_no_process_behind(
    big_project: Project,
) -> None:
    # A process with a second thread does not fork its workers: the forkserver starts them,
    # and is their parent (with the resource tracker beside it).
    script = (
        "import threading, time\n"
        "from pathlib import Path\n"
        "from ankify.build.pipeline import build_paths\n"
        "threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
        "build_paths([Path('notes')], None, now=0.0, jobs=4)\n"
    )
    started = _killed_mid_build([sys.executable, "-c", script], big_project.root, workers=5)
    assert _left(started) == {}


# -- the cache -------------------------------------------------------------------------------------


def _wrong(value: object) -> object:
    """A JSON value of another type than `value`."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int):
        return "1"
    if isinstance(value, str):
        return 1
    if isinstance(value, list):
        return {"0": value}
    return [value]


def _places(value: object, path: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every place in a JSON value: the keys and indexes that lead to it."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _replaced(value: object, path: tuple[object, ...], new: object) -> object:
    if not path:
        return new
    value = copy.deepcopy(value)
    inner = value
    for step in path[:-1]:
        inner = inner[step]  # type: ignore[index]
    inner[path[-1]] = new  # type: ignore[index]
    return value


def test_a_cache_entry_of_the_wrong_shape_is_a_miss_and_is_made_again(project: Project) -> None:
    project.write(
        "notes/a.md",
        "# A\nQ: What is a?\nA: a ![dot](dot.png)\n\nThe {{c1::mean}} and the {{c2::mode}}.\n",
    )
    (project.root / "notes" / "dot.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c63f8cfc0f01f0005000201f1a0e7bd0000000049454e44ae426082"
        )
    )
    assert project.run("build", "notes").exit_code == 0
    (entry,) = (project.root / ".ankify" / "cache" / "sources").rglob("*.json")
    good = entry.read_bytes()
    magic, header, body = good.split(b"\n", 2)
    fields = json.loads(body)

    def sealed(new_body: bytes) -> bytes:
        seal = json.loads(header) | {"digest": hashlib.sha256(new_body).hexdigest()}
        return b"\n".join([magic, json.dumps(seal).encode(), new_body])

    bodies = [json.dumps(_replaced(fields, p, _wrong(v))).encode() for p, v in _values(fields)]
    bodies += [
        json.dumps(_replaced(fields, ("cards", 0, "fields"), ["just one"])).encode(),
        json.dumps(_replaced(fields, ("cards", 1, "clozes"), [1])).encode(),  # c2 has no card
        json.dumps(_replaced(fields, ("cards", 1, "clozes"), [0, 1])).encode(),
        json.dumps(_replaced(fields, ("cards", 0, "clozes"), [1])).encode(),  # not a cloze
        json.dumps(_replaced(fields, ("cards", 0, "media", 0), ["a", "b", "c"])).encode(),
        json.dumps(_replaced(fields, ("key",), "notes/other.md")).encode(),  # another source's
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe not text",
    ]
    assert len(bodies) > 40
    for n, new_body in enumerate(bodies):
        entry.write_bytes(sealed(new_body))
        (project.decks / "a.apkg").unlink()  # so that the cards are needed
        result = project.run("build", "notes")
        assert (result.exit_code, result.stderr) == (0, ""), (n, new_body[:300])
        assert entry.read_bytes() == good, (n, new_body[:300])  # made again


def _values(value: object) -> Iterator[tuple[tuple[object, ...], object]]:
    """Every place in a JSON value, and what is there."""
    for path in _places(value):
        inner = value
        for step in path:
            inner = inner[step]  # type: ignore[index]
        yield path, inner


def test_a_worker_whose_build_is_gone_ends_at_once() -> None:
    """The pool's first act in a worker (the build may end before the kernel watches it)."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from ankify.build.pool import _die_with_build; _die_with_build({ended.pid}); "
            "print('still here')",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (probe.returncode, probe.stdout) == (1, "")
    alive = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from ankify.build.pool import _die_with_build; "
            "_die_with_build(os.getppid()); print('still here')",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (alive.returncode, alive.stdout) == (0, "still here\n")
