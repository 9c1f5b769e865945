"""Run a stage's per-item work on several cores, with results in input order.

One job: split a list of items into contiguous chunks, run a function on each chunk in a
pool of forked worker processes and return the chunk results in the order of the items,
so the output is the same, byte for byte, whatever the number of workers. Forking lets
the workers inherit the inputs and any prepared state (the linker, with its spaCy
matcher) instead of pickling them; only the results travel back.

Small inputs, one worker, or a platform without ``fork`` run in the calling process.

Examples
--------
>>> run_chunks(lambda xs: [x * 2 for x in xs], list(range(5)), jobs=1)
[[0, 2, 4, 6, 8]]
"""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

__all__ = ["resolve_jobs", "run_chunks", "CHUNKS_PER_JOB"]

T = TypeVar("T")
R = TypeVar("R")

#: Chunks per worker: enough that one slow chunk does not leave the other core idle long.
CHUNKS_PER_JOB = 8

_WORK: tuple[Callable, Sequence] | None = None  # set in the parent just before the pool forks


def resolve_jobs(jobs: int) -> int:
    """Number of worker processes for the setting value ``jobs`` (``0``: one per available core)."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _run(bounds: tuple[int, int]):
    func, items = _WORK
    return func(items[bounds[0] : bounds[1]])


def run_chunks(
    func: Callable[[Sequence[T]], R],
    items: Sequence[T],
    jobs: int,
    min_items: int = 0,
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """Return ``[func(chunk) for chunk in chunks of items]``, computed by ``jobs`` processes.

    Parameters
    ----------
    func : callable
        Takes a contiguous slice of ``items``; must be deterministic and its result picklable.
    items : sequence
        The work, in order.
    jobs : int
        Worker processes (see :func:`resolve_jobs`); ``1`` runs everything here, in one chunk.
    min_items : int
        Fewer items than this run here too (a pool costs more than it saves).
    progress : callable, optional
        Called with the number of items of each chunk as it completes.
    """
    global _WORK
    jobs = resolve_jobs(jobs)
    if jobs <= 1 or len(items) < max(min_items, 2) or "fork" not in mp.get_all_start_methods():
        out = [func(items)]
        if progress is not None:
            progress(len(items))
        return out
    size = math.ceil(len(items) / (jobs * CHUNKS_PER_JOB))
    bounds = [(lo, min(lo + size, len(items))) for lo in range(0, len(items), size)]
    _WORK = (func, items)
    # objects that exist before the fork are never collected by the workers: a collection
    # would touch (and so copy) every page of the parent's heap in each of them
    gc.freeze()
    try:
        # an executor, not multiprocessing.Pool: a worker that dies (out of memory) raises
        # BrokenProcessPool here instead of leaving the build waiting forever
        with ProcessPoolExecutor(min(jobs, len(bounds)), mp_context=mp.get_context("fork")) as pool:
            results: list[R] = []
            for (lo, hi), result in zip(bounds, pool.map(_run, bounds), strict=True):  # map keeps input order
                results.append(result)
                if progress is not None:
                    progress(hi - lo)
            return results
    finally:
        _WORK = None
        gc.unfreeze()

