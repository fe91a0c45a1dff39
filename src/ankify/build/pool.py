"""Work spread over the machine's cores: one way to map a function over tasks, in this process
or in a pool of worker processes, in task order, with progress."""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ..errors import AnkifyError
from ..model import SourceSpan
from ..progress import Progress
from ..workspace import process_running

#: Below this many bytes of sources to read, starting processes costs more than it saves.
PARALLEL_BYTES = 256 * 1024

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(requested: int | None, tasks: int, size: int) -> int:
    """Processes for `tasks` tasks of `size` bytes in all; 1 means "in this process".

    `requested` is what the user asked for (None: decide here).
    """
    if tasks < 2:
        return 1
    if requested:
        return max(1, min(requested, tasks))
    if size < PARALLEL_BYTES:
        return 1
    return max(1, min(available_cores(), tasks))


def _single_threaded() -> bool:
    """Whether this process runs one thread: only then is fork safe (and silent on 3.12+)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1]) == 1
    except (OSError, ValueError):
        pass
    return False


def _executor(workers: int) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of `workers` processes: forked when that is safe (it starts in milliseconds),
    else started fresh (they import ankify first)."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and _single_threaded():
        method = "fork"
    elif "forkserver" in methods:
        method = "forkserver"
    else:
        method = "spawn"
    context = multiprocessing.get_context(method)
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_die_with_build,
        initargs=(os.getpid(),),
    )


#: `prctl(PR_SET_PDEATHSIG, …)`: the signal the kernel sends a process when its parent ends.
_PR_SET_PDEATHSIG = 1
#: Seconds between a watching worker's looks at its build, where the kernel cannot watch.
_WATCH_SECONDS = 0.5


def _die_with_build(build: int) -> None:
    """Every worker's first act: make sure it ends when the build does, however it ends.

    A build that is killed outright (`kill -9`, the out-of-memory killer) runs no cleanup, and
    its workers would wait for work forever, reparented to init. On Linux the kernel kills a
    forked worker when its parent, the build, ends. A worker the forkserver started has the
    forkserver as its parent, which outlives the build until every worker has ended: a thread
    watches the build itself, twice a second (as it does where the kernel cannot watch). And
    a build already gone when the worker starts ends the worker at once.
    """
    parent = os.getppid()
    watched = parent == build and sys.platform == "linux" and _kill_when_parent_ends()
    if os.getppid() != parent or not process_running(build):
        os._exit(1)
    if not watched:
        threading.Thread(target=_watch, args=(build, parent), daemon=True).start()


def _kill_when_parent_ends() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; whether it agreed."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    return False


def _watch(build: int, parent: int) -> None:
    while os.getppid() == parent and process_running(build):
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


class Pool:
    """Worker processes, started the first time enough work asks for them, and kept for the
    rest of the build (`with Pool(jobs) as pool`)."""

    def __init__(self, jobs: int | None) -> None:
        self.jobs = jobs
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def map(
        self,
        function: Callable[[T], R],
        tasks: Sequence[T],
        *,
        size: int,
        progress: Progress,
        label: str,
        place: Callable[[T], Path],
    ) -> list[R | AnkifyError]:
        """`function(task)` for every task, as a stage of `progress`; results in task order.

        The AnkifyError a task raises takes its place in the results; other errors end the
        map. `size` (bytes of work) decides whether processes pay off; `place(task)` names the
        file a task works on, for the error when its process dies.
        """
        progress.stage(label, len(tasks))
        workers = worker_count(self.jobs, len(tasks), size)
        results: list[R | AnkifyError] = []
        if workers < 2:
            for task in tasks:
                try:
                    results.append(function(task))
                except AnkifyError as error:
                    results.append(error)
                progress.advance()
            return results
        if self._executor is None:
            self._executor = _executor(workers)
        futures = {self._executor.submit(function, task): i for i, task in enumerate(tasks)}
        done: dict[int, R | AnkifyError] = {}
        for future in concurrent.futures.as_completed(futures):
            index = futures[future]
            try:
                done[index] = future.result()
            except AnkifyError as error:
                done[index] = error
            except concurrent.futures.BrokenExecutor:
                done[index] = AnkifyError(
                    "the process working on it stopped unexpectedly: build again in one "
                    "process to see why",
                    span=SourceSpan(place(tasks[index])),
                    option="jobs",
                )
            progress.advance()
        return [done[index] for index in range(len(tasks))]
