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
"""

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs

__all__ = ["chunk_slices", "map_chunks", "map_images"]

#: Default chunk size in bytes of input when ``batch_size`` is None.
_CHUNK_BYTES = 32 * 2**20


def chunk_slices(n, *, batch_size=None, bytes_per_item=1, n_jobs=None):
    """Return the slices that cut ``range(n)`` into chunks.

    With ``batch_size=None`` a chunk holds about 32 MiB of input, and there
    are at least as many chunks as jobs.
    """
    if batch_size is None:
        batch_size = max(1, _CHUNK_BYTES // max(1, int(bytes_per_item)))
        jobs = effective_n_jobs(n_jobs)
        if jobs > 1:
            batch_size = min(batch_size, max(1, -(-n // jobs)))
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
