"""Work spread over the machine's cores: one way to map a function over tasks, in this process
or in a pool of worker processes, in task order, with progress."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from ..errors import AnkifyError
from ..model import SourceSpan
from ..progress import Progress

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
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)


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
