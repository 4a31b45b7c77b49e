"""A chunked, joblib-parallel map over a batch of images.

Work that stays per image runs in chunks of ``batch_size`` images, so that
peak memory is a small multiple of one chunk plus the output, and the chunks
run through :class:`joblib.Parallel` (so a Dask or Ray joblib backend spreads
them over a cluster unchanged). The output is filled chunk by chunk into one
preallocated array.

The result never depends on ``n_jobs`` or ``batch_size``: a function handed
to these helpers must treat the images of a chunk independently, and any
randomness is drawn before the map, for the whole batch, and passed in as
per-image arrays.

:func:`run_tasks` runs tasks that write into a shared array on threads. When
joblib would run them on its threading backend anyway (the default, or a
threading backend set by the caller), they go to a thread pool kept between
calls: a :class:`joblib.Parallel` call starts and stops its threads each
time, about 10 ms, which is a large share of a call on a small batch. The
tasks, the threads' number and what each task writes are the same either
way, so the results are too.
"""

import os
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, as_completed, wait

import joblib.parallel
import numpy as np
from joblib import Parallel, delayed, effective_n_jobs

from ._progress import advance, reporting_active

__all__ = [
    "chunk_slices",
    "default_batch_size",
    "map_by_shape",
    "map_chunks",
    "map_images",
    "run_tasks",
]

#: Default chunk size in bytes of input when ``batch_size`` is None.
_CHUNK_BYTES = 32 * 2**20


def default_batch_size(n, units_per_item, *, budget, n_jobs=None, balanced=False):
    """Items per chunk when ``batch_size`` is None: about ``budget`` units.

    ``units_per_item`` and ``budget`` are in one unit (bytes, pixel values,
    pixels). With several jobs there are at least as many chunks as jobs;
    with ``balanced=True`` the chunks are of equal size and their number is
    a multiple of the jobs, so that the jobs finish together.
    """
    size = max(1, int(budget) // max(1, int(units_per_item)))
    jobs = effective_n_jobs(n_jobs)
    if jobs > 1 and n > 0:
        if balanced:
            n_chunks = -(-n // size)
            n_chunks = -(-n_chunks // jobs) * jobs
            size = max(1, -(-n // n_chunks))
        else:
            size = min(size, max(1, -(-n // jobs)))
    return size


def chunk_slices(n, *, batch_size=None, bytes_per_item=1, n_jobs=None):
    """Return the slices that cut ``range(n)`` into chunks.

    With ``batch_size=None`` a chunk holds about 32 MiB of input, and there
    are at least as many chunks as jobs.
    """
    if batch_size is None:
        batch_size = default_batch_size(
            n, bytes_per_item, budget=_CHUNK_BYTES, n_jobs=n_jobs
        )
    batch_size = max(1, int(batch_size))
    return [slice(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]


def map_chunks(func, /, *arrays, n_jobs=None, batch_size=None, **kwargs):
    """Apply ``func`` to consecutive chunks of ``arrays`` and stack the results.

    Parameters
    ----------
    func : callable
        ``func(*chunks, **kwargs)`` returns an array whose first axis has the
        chunk's length.
    *arrays : sequence of ndarray
        Arrays cut along their first axis in the same chunks (the images,
        then any per-image parameters).
    n_jobs : int, default=None
        Jobs for :class:`joblib.Parallel`; None means 1 unless in a
        :func:`joblib.parallel_backend` context.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk.

    Returns
    -------
    out : ndarray
        The results, in order, in one array.
    """
    n = len(arrays[0])
    first = arrays[0]
    per_item = first.nbytes // max(1, n) if hasattr(first, "nbytes") else 1
    slices = chunk_slices(n, batch_size=batch_size, bytes_per_item=per_item, n_jobs=n_jobs)
    if not slices:
        return func(*arrays, **kwargs)
    if effective_n_jobs(n_jobs) == 1 or len(slices) == 1:
        results = (func(*(a[s] for a in arrays), **kwargs) for s in slices)
    else:
        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(func)(*(a[s] for a in arrays), **kwargs) for s in slices
        )
    out = None
    for s, res in zip(slices, results):
        res = np.asarray(res)
        if out is None:
            out = np.empty((n,) + res.shape[1:], dtype=res.dtype)
        out[s] = res
        advance(s.stop - s.start)
    return out


def map_by_shape(func, images, *, n_jobs, batch_size, **kwargs):
    """``map_chunks(func, images)``; for a list of images, per group of one shape.

    ``func`` takes a batch ``(m, h, w[, c])`` and returns one row per image;
    the rows come back in the order of ``images``.
    """
    if isinstance(images, np.ndarray):
        return map_chunks(func, images, n_jobs=n_jobs, batch_size=batch_size, **kwargs)
    groups = {}
    for i, image in enumerate(images):
        groups.setdefault((image.shape, image.dtype.str), []).append(i)
    out = None
    for index in groups.values():
        batch = np.stack([images[i] for i in index])
        rows = map_chunks(func, batch, n_jobs=n_jobs, batch_size=batch_size, **kwargs)
        if out is None:
            out = np.empty((len(images),) + rows.shape[1:], dtype=rows.dtype)
        out[index] = rows
    return out


def _loop(images, *per_image, image_func, **kwargs):
    return np.stack(
        [
            image_func(img, *(p[i] for p in per_image), **kwargs)
            for i, img in enumerate(images)
        ]
    )


def map_images(func, /, images, *per_image, n_jobs=None, batch_size=None, **kwargs):
    """Apply ``func`` to each image, in chunks, and stack the results.

    ``func(image, *per_image_values, **kwargs)`` is called once per image;
    the last resort when no whole-batch computation exists.
    """
    return map_chunks(
        _loop, images, *per_image, n_jobs=n_jobs, batch_size=batch_size,
        image_func=func, **kwargs,
    )


# --- tasks on threads, with a pool kept between calls ----------------------

_POOLS = {}  # jobs -> (pid, ThreadPoolExecutor)
_POOLS_LOCK = threading.Lock()
_IN_POOL = threading.local()


def _mark_worker():
    _IN_POOL.active = True


def _thread_pool(jobs, prefer, require):
    """The kept pool of ``jobs`` threads, or None where joblib decides.

    None unless joblib's active backend (with ``prefer`` and ``require``) is
    its threading backend at the top level, and this thread is not one of
    the pool's own (a task that runs tasks would wait for itself).
    """
    if getattr(_IN_POOL, "active", False):
        return None
    threading_backend = getattr(joblib.parallel, "ThreadingBackend", None)
    if threading_backend is None:  # pragma: no cover - depends on joblib
        return None
    backend, _ = joblib.parallel.get_active_backend(prefer=prefer, require=require)
    if type(backend) is not threading_backend or getattr(backend, "nesting_level", 0):
        return None
    pid = os.getpid()
    with _POOLS_LOCK:
        entry = _POOLS.get(jobs)
        if entry is None or entry[0] != pid:  # new, or inherited by a fork
            entry = (
                pid,
                ThreadPoolExecutor(
                    jobs, thread_name_prefix="skimgprep", initializer=_mark_worker
                ),
            )
            _POOLS[jobs] = entry
        return entry[1]


def _task_size(task):
    """Units of progress a task stands for: its slice's length, else 1."""
    first = task[0] if task else None
    if isinstance(first, slice) and first.stop is not None:
        return max(0, first.stop - (first.start or 0))
    return 1


def _sized(func, task):
    func(*task)
    return _task_size(task)


def run_tasks(func, /, tasks, *, n_jobs=None, prefer="threads", require="sharedmem"):
    """Call ``func(*task)`` for every task, on ``n_jobs`` threads.

    For tasks that write their results into a shared array (each into its
    own part): with one job, or one task, they run in order in this thread;
    otherwise on joblib's threading backend, through a pool kept between
    calls (see the module docstring), or through :class:`joblib.Parallel`
    where the caller set another backend (``require="sharedmem"`` makes
    joblib use threads then too). Returns when every task has finished; the
    first error, in task order, is raised. Inside a
    :func:`skimgprep._progress.reporting` block each finished task advances
    the counter by the length of its first argument when that is a slice,
    else by 1.
    """
    tasks = [tuple(t) for t in tasks]
    jobs = effective_n_jobs(n_jobs)
    if jobs == 1 or len(tasks) <= 1:
        for task in tasks:
            func(*task)
            advance(_task_size(task))
        return
    pool = _thread_pool(jobs, prefer, require)
    if pool is None:
        for size in Parallel(
            n_jobs=n_jobs, prefer=prefer, require=require, return_as="generator_unordered"
        )(delayed(_sized)(func, task) for task in tasks):
            advance(size)
        return
    futures = [pool.submit(func, *task) for task in tasks]
    if reporting_active():
        sizes = {future: _task_size(task) for future, task in zip(futures, tasks)}
        for future in as_completed(futures):
            if future.exception() is not None:
                break
            advance(sizes[future])
    _, pending = wait(futures, return_when=FIRST_EXCEPTION)
    if pending:  # an error: drop the tasks not started, wait for the others
        for future in pending:
            future.cancel()
        wait(pending)
    for future in futures:
        if not future.cancelled() and future.exception() is not None:
            raise future.exception()
