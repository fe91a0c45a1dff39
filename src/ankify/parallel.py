"""Spreading sources over the machine's cores: how many processes, and how to start them."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import sys

#: Below this many bytes of sources to read, starting processes costs more than it saves.
PARALLEL_BYTES = 256 * 1024


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(requested: int | None, tasks: int, size: int) -> int:
    """Processes for `tasks` sources of `size` bytes in all; 1 means "in this process".

    `requested` is the user's `--jobs` (0 or None: decide here).
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


def executor(workers: int) -> concurrent.futures.ProcessPoolExecutor:
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
