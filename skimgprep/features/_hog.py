"""Histograms of oriented gradients over a whole batch: :class:`HOGExtractor`.

The computation is :func:`skimage.feature.hog` (with ``channel_axis=-1`` for
colour images and ``feature_vector=True``):

1. optional square root of the pixel values (``transform_sqrt``);
2. gradients by central differences with zero borders, as
   ``skimage.feature._hog._hog_channel_gradient``; for colour images, per
   pixel, the channel of largest gradient magnitude;
3. per cell, the sum of the gradient magnitudes whose unsigned orientation
   ``rad2deg(arctan2(g_row, g_col)) % 180`` (in float64) lies in
   ``[180 / n * i, 180 / n * (i + 1))`` for bin ``i`` (a hard assignment, as
   scikit-image's ``cell_hog``), divided by the cell area; pixels beyond the
   last whole cell are not used;
4. every block of cells normalised as
   ``skimage.feature._hog._hog_normalize_block`` (``eps=1e-5``).

Steps 1 and 2 are whole-batch numpy operations; steps 3 and 4 are two
compiled kernels (numba, ``nogil``), so that chunks run in parallel on
threads. The batch is processed in chunks of ``_BLOCK_PIXELS`` pixels, so
the temporaries stay small whatever ``batch_size`` is.

Why the fast path is correct
----------------------------
scikit-image evaluates ``arctan2`` in float64 for every pixel; the kernel
does not. It folds the gradient into the upper half plane (``(g_row, g_col)``
and its negation have the same unsigned orientation), takes the ratio of the
smaller to the larger component in the images' dtype, then approximates the
angle in float32 (Cephes' ``atanf`` polynomial), and takes
``u = angle * n / pi``, whose integer part is the bin. Measured over 4
million random, integer and near-diagonal gradients (float32 and float64,
magnitudes from 1e-20 to 1e20, 1 to 180 bins), this angle is off by at most
2.5e-5 degrees. A pixel whose ``u`` lies farther than ``_NEAR_DEGREES``
(1e-3 degrees, a 40-fold margin) from every bin boundary is therefore in the
bin that scikit-image's rule gives. The other pixels are *flagged*: the
kernel leaves them out, and they are added afterwards in the bin of
scikit-image's own float64 rule (``_exact_bins``), pixel for pixel,
including an orientation that rounds up to 180 degrees and so falls in no
bin. The angle 0 is not a boundary in the folded plane (an angle just above
0 is in bin 0 on both sides of the fold), so flat rows are never flagged.

Three directions lie exactly on boundaries for integer images and would be
flagged by the thousands: ``g_row == 0`` (bin 0, for either sign of zero),
``g_col == 0`` (90 degrees) and ``|g_row| == |g_col|`` (45 or 135 degrees).
``arctan2`` gives the same value for every vector of one of these directions
(``atan2(y, +-0)`` is an IEEE special case, and ``atan2(+-t, +-t)`` is
checked by the tests over magnitudes from 1e-300 to 1e300), so their bins are
computed once per call by the float64 rule (``_special_bins``) and the kernel
uses them.

Magnitudes are ``sqrt(g_row**2 + g_col**2)`` in the images' float dtype
(scikit-image's ``np.hypot`` in float64, to float rounding). The cell sums
are accumulated in float64 (scikit-image uses float32 there), the block
norms in float64, and the features are stored in the images' float dtype.
For colour images the channel is the argmax of the squared magnitudes, and
the pixels where two channels come within ``_NEAR_TIE`` of each other are
decided with :func:`numpy.hypot`, as scikit-image decides them. So the
features agree with :func:`skimage.feature.hog` to float rounding (the
tests hold them within 1e-6).
"""

import math
from numbers import Integral

import numpy as np
from joblib import effective_n_jobs, parallel_config
from joblib.parallel import ThreadingBackend, get_active_backend
from numba import njit
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context
from .._parallel import chunk_slices, default_batch_size, map_chunks, run_tasks
from .._progress import reports_progress
from .._validation import check_min_image_size, check_pair, float_dtype
from ..base import FeatureExtractorMixin

__all__ = ["HOGExtractor", "hog_batch"]

#: Block norms, by the code the normalisation kernel takes.
_BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")

#: scikit-image's ``eps`` in ``_hog_normalize_block``.
_EPS = 1e-5

#: Orientations closer than this (in degrees) to a bin boundary are decided
#: by scikit-image's float64 rule. The kernel's float32 angle is off by at
#: most 2.5e-5 degrees (measured over 4e6 random, integer and near-diagonal
#: gradients in float32 and float64, for 1 to 180 bins): a 40-fold margin.
_NEAR_DEGREES = 1e-3

#: Squared magnitudes of two channels closer than this (relative) are a near
#: tie, decided again with ``np.hypot``. Their float rounding is below 1e-6.
_NEAR_TIE = 1e-4

#: Pixels per chunk when ``batch_size`` is None. A chunk's output is held
#: once more while it is copied into the result.
_CHUNK_PIXELS = 2**20

#: Pixels per pass of the kernels inside a chunk: the temporaries (about 30
#: bytes per pixel) stay near the CPU caches whatever ``batch_size`` is.
_BLOCK_PIXELS = 2**16

#: Coefficients of the float32 ``arctan`` on ``[0, tan(pi / 8)]`` (Cephes'
#: ``atanf``, relative error below 2e-7).
_ATAN_COEFFS = (8.05374449538e-2, -1.38776856032e-1, 1.99777106478e-1, -3.33329491539e-1)
_TAN_PI_8 = 0.41421356237309503


# ---------------------------------------------------------------------------
# Gradients (numpy, whole batch)


def _gradients(images):
    """Central differences with zero borders of a batch ``(m, h, w)``.

    ``_hog_channel_gradient`` of scikit-image for each image:
    ``g_row[r] = image[r + 1] - image[r - 1]`` inside, 0 on the first and last
    row (the same for columns). The differences are taken on the flattened
    batch, whose long runs are much faster than short image rows; the values
    that straddle two rows or two images lie on a border and are zeroed.
    """
    m, h, w = images.shape
    flat = images.reshape(-1)
    g_row = np.empty_like(images)
    g_col = np.empty_like(images)
    np.subtract(flat[2:], flat[:-2], out=g_col.reshape(-1)[1:-1])
    np.subtract(flat[2 * w :], flat[: -2 * w], out=g_row.reshape(-1)[w:-w])
    g_col[:, :, 0] = 0
    g_col[:, :, -1] = 0
    g_row[:, 0] = 0
    g_row[:, -1] = 0
    return g_row, g_col


def _dominant_gradients(images):
    """Per pixel, the gradient of the channel with the largest magnitude.

    ``images`` is ``(m, h, w, c)``; returns ``g_row, g_col`` of shape
    ``(m, h, w)``. Ties go to the first channel, as the ``argmax`` of
    ``np.hypot`` in scikit-image's ``hog``: the channels are compared by
    squared magnitude, and the pixels where two channels come within
    ``_NEAR_TIE`` of each other are decided with ``np.hypot``.
    """
    planes = np.ascontiguousarray(np.moveaxis(images, 3, 0))  # (c, m, h, w)
    grads = [_gradients(plane) for plane in planes]
    squared = []
    for g_row, g_col in grads:
        s = g_row * g_row
        s += g_col * g_col
        squared.append(s)
    top = squared[0].copy()
    for s in squared[1:]:
        np.maximum(top, s, out=top)
    # The first channel reaching the maximum, selected arithmetically
    # (g * 1 + g' * 0 is exact for finite g): much faster than masked copies.
    taken = np.zeros(top.shape, dtype=bool)
    g_row = np.zeros_like(top)
    g_col = np.zeros_like(top)
    for (row, col), s in zip(grads, squared):
        first = s == top
        first &= ~taken
        taken |= first
        g_row += row * first
        g_col += col * first
    # Near ties, where rounding could order the channels unlike np.hypot.
    threshold = top * (1 - _NEAR_TIE)
    close = np.zeros(top.shape, dtype=np.uint8)
    for s in squared:
        close += s >= threshold
    ties = np.flatnonzero((close > 1) & (top > 0))
    if ties.size:
        rows = np.stack([g[0].reshape(-1)[ties] for g in grads])
        cols = np.stack([g[1].reshape(-1)[ties] for g in grads])
        best = np.hypot(rows, cols).argmax(axis=0)[None]
        g_row.reshape(-1)[ties] = np.take_along_axis(rows, best, axis=0)[0]
        g_col.reshape(-1)[ties] = np.take_along_axis(cols, best, axis=0)[0]
    return g_row, g_col


# ---------------------------------------------------------------------------
# Orientation bins: scikit-image's float64 rule, for the few pixels that need it


def _exact_bins(g_row, g_col, orientations):
    """scikit-image's bin of each gradient, or -1 for no bin.

    ``o = rad2deg(arctan2(g_row, g_col)) % 180`` in float64 lies in bin ``i``
    when ``180 / n * i <= o < 180 / n * (i + 1)`` (``cell_hog``); an ``o``
    that rounds up to the last bound is in no bin.
    """
    n = orientations
    o = np.rad2deg(np.arctan2(g_row.astype(np.float64), g_col.astype(np.float64))) % 180
    bounds = (180.0 / n) * np.arange(n + 1)
    exact = np.searchsorted(bounds, o, side="right") - 1
    exact[exact >= n] = -1
    return exact


def _special_bins(orientations):
    """The exact bins of the directions (+-1, 0) and (+-1, +-1), as a tuple.

    In order: ``(g_row > 0, g_col == 0)``, ``(g_row < 0, g_col == 0)``, then
    ``|g_row| == |g_col|`` with the signs ``(+, +)``, ``(+, -)``, ``(-, +)``,
    ``(-, -)``.
    """
    g_row = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    g_col = np.array([0.0, 0.0, 1.0, -1.0, 1.0, -1.0])
    # A tuple, not an array: the kernel's loop vectorises only with values
    # that cannot alias its outputs.
    return tuple(int(b) for b in _exact_bins(g_row, g_col, orientations))


# ---------------------------------------------------------------------------
# Kernels (numba): cell histograms and block normalisation

_F32 = np.float32


@njit(nogil=True, cache=True, inline="always", error_model="numpy")
def _approximate_bin(g_r, g_c, n, scale, tol, special):  # pragma: no cover - compiled
    """The bin of the gradient ``(g_r, g_c)``, and whether it is flagged.

    See the module docstring: a float32 angle of the folded gradient, the
    exact bins for the three special directions, and a flag for the pixels
    within ``tol`` (in bins) of a boundary.
    """
    a = abs(g_r)
    c = g_c if g_r >= 0 else -g_c  # folded into the upper half plane
    abs_c = abs(c)
    large = max(a, abs_c)
    small = min(a, abs_c)
    # The ratio in the images' dtype, then float32: no overflow or underflow.
    q = _F32(small / large) if large > 0 else _F32(0.0)  # in [0, 1]
    reduce = q > _F32(_TAN_PI_8)
    x = (q - _F32(1.0)) / (q + _F32(1.0)) if reduce else q
    z = x * x
    p0, p1, p2, p3 = _ATAN_COEFFS
    angle = ((((_F32(p0) * z + _F32(p1)) * z + _F32(p2)) * z + _F32(p3)) * z * x) + x
    angle = angle + _F32(math.pi / 4) if reduce else angle  # atan(q), in [0, pi / 4]
    angle = _F32(math.pi / 2) - angle if a > abs_c else angle
    angle = _F32(math.pi) - angle if c < 0 else angle  # in [0, pi]
    u = angle * scale  # in [0, n], n only when flagged below
    b = np.int32(u)
    frac = u - _F32(b)
    flagged = (frac < tol and b > 0) or frac > _F32(1.0) - tol
    up, down, pp, pm, mp, mm = special
    vertical = up if g_r > 0 else down
    diagonal = (pp if g_c > 0 else pm) if g_r > 0 else (mp if g_c > 0 else mm)
    exact = np.int32(diagonal) if abs(g_r) == abs(g_c) else np.int32(-1)
    exact = np.int32(vertical) if g_c == 0 else exact
    exact = np.int32(0) if g_r == 0 else exact
    flagged = flagged and exact < 0
    b = exact if exact >= 0 else b
    b = np.int32(0) if flagged else min(b, np.int32(n - 1))
    return b, flagged


@njit(nogil=True, cache=True, error_model="numpy")
def _cell_histograms(
    g_row, g_col, c_row, c_col, tol, special, hist, flags
):  # pragma: no cover - compiled
    """Add every pixel's magnitude to its cell and bin; return the flag count.

    ``g_row, g_col`` are ``(m, h, w)``; ``hist`` is ``(m, n_cells_row,
    n_cells_col, n)`` float64, zeroed; the flat indices of the flagged pixels
    inside the cells go to ``flags``, whose length is at least ``m * h * w``.
    """
    m, h, w = g_row.shape
    n_cells_row, n_cells_col, n = hist.shape[1:]
    size = h * w
    scale = _F32(n / math.pi)
    ftol = _F32(tol)
    bins = np.empty(size, np.int32)
    magnitudes = np.empty(size, g_row.dtype)
    flagged = np.empty(size, np.bool_)
    n_flags = 0
    for i in range(m):
        rows = g_row[i].reshape(size)
        cols = g_col[i].reshape(size)
        any_flag = False
        for k in range(size):  # vectorised
            g_r = rows[k]
            g_c = cols[k]
            b, flag = _approximate_bin(g_r, g_c, n, scale, ftol, special)
            magnitudes[k] = 0 if flag else math.sqrt(g_r * g_r + g_c * g_c)
            bins[k] = b
            flagged[k] = flag
            any_flag |= flag
        cells = hist[i]
        for r in range(n_cells_row * c_row):
            row = cells[r // c_row]
            k = r * w
            for cc in range(n_cells_col):
                cell = row[cc]
                for _ in range(c_col):
                    cell[bins[k]] += magnitudes[k]
                    k += 1
        if any_flag:
            for r in range(n_cells_row * c_row):
                for c in range(n_cells_col * c_col):
                    k = r * w + c
                    if flagged[k]:
                        flags[n_flags] = i * size + k
                        n_flags += 1
    return n_flags


@njit(nogil=True, cache=True, error_model="numpy", fastmath={"reassoc", "nsz", "contract"})
def _normalize_blocks(hist, b_row, b_col, method, area, out):  # pragma: no cover - compiled
    """``_hog_normalize_block`` of every block, written to ``out`` ``(m, F)``.

    ``hist`` holds the cell sums (divided by ``area`` here, in place);
    ``method`` indexes ``_BLOCK_NORMS``. The histograms are non-negative, so
    the L1 norm is the plain sum, and a block's norm is the sum of its
    cells' sums. The sums may be reordered (``fastmath`` "reassoc"): float
    rounding only. Every value is computed from ``hist`` and stored once;
    reading stored features back stalls the CPU.
    """
    m, n_cells_row, n_cells_col, n = hist.shape
    n_blocks_row = n_cells_row - b_row + 1
    n_blocks_col = n_cells_col - b_col + 1
    length = b_row * b_col * n
    run = b_col * n  # a block's cells on one row, contiguous in ``hist``
    row_stride = n_cells_col * n
    n_cells = n_cells_row * n_cells_col
    eps = 1e-5
    sums = np.empty(n_cells)
    for i in range(m):
        cells = hist[i].reshape(n_cells * n)
        for k in range(n_cells * n):
            cells[k] /= area
        for c in range(n_cells):
            s = 0.0
            for k in range(c * n, c * n + n):
                v = cells[k]
                s += v if method < 2 else v * v
            sums[c] = s
        features = out[i]
        j = 0
        for br in range(n_blocks_row):
            for bc in range(n_blocks_col):
                s = 0.0
                for a in range(b_row):
                    for b in range(b_col):
                        s += sums[(br + a) * n_cells_col + bc + b]
                scale = 1.0 / (s + eps) if method < 2 else 1.0 / math.sqrt(s + eps * eps)
                clipped = 1.0
                if method == 3:  # L2-Hys: the norm of the clipped block first
                    s = 0.0
                    for a in range(b_row):
                        start = (br + a) * row_stride + bc * n
                        for k in range(start, start + run):
                            v = cells[k] * scale
                            v = v if v < 0.2 else 0.2
                            s += v * v
                    clipped = 1.0 / math.sqrt(s + eps * eps)
                for a in range(b_row):
                    start = (br + a) * row_stride + bc * n
                    at = j + a * run - start
                    if method == 3:
                        for k in range(start, start + run):
                            v = cells[k] * scale
                            v = v if v < 0.2 else 0.2
                            features[at + k] = v * clipped
                    elif method == 1:  # L1-sqrt
                        for k in range(start, start + run):
                            features[at + k] = math.sqrt(cells[k] * scale)
                    else:
                        for k in range(start, start + run):
                            features[at + k] = cells[k] * scale
                j += length


# ---------------------------------------------------------------------------
# One chunk


def _hog_chunk(
    images, *, orientations, pixels_per_cell, cells_per_block, block_norm,
    transform_sqrt, out=None,
):
    """HOG feature vectors of a batch ``(m, h, w[, c])``, pass by pass.

    Written into ``out`` (allocated when None), which is returned.
    """
    out_dtype = dtype = float_dtype(images.dtype)
    if transform_sqrt and images.dtype != dtype:
        # Integer images with square roots are computed in float64 (as
        # scikit-image computes integer images) and returned in float32: the
        # difference of two nearby float32 roots would keep only about 4
        # significant digits of the gradient.
        dtype = np.dtype(np.float64)
    m, h, w = images.shape[:3]
    c_row, c_col = pixels_per_cell
    b_row, b_col = cells_per_block
    n = orientations
    n_cells_row, n_cells_col = h // c_row, w // c_col
    n_blocks = (n_cells_row - b_row + 1) * (n_cells_col - b_col + 1)
    if out is None:
        out = np.empty((m, n_blocks * b_row * b_col * n), dtype=out_dtype)
    step = max(1, min(m, _BLOCK_PIXELS // (h * w)))
    tol = _NEAR_DEGREES * n / 180  # in bins
    special = _special_bins(n)
    method = _BLOCK_NORMS.index(block_norm)
    hist = np.empty((step, n_cells_row, n_cells_col, n))
    flags = np.empty(step * h * w, dtype=np.intp)
    for start in range(0, m, step):
        stop = min(m, start + step)
        x = images[start:stop]
        x = np.sqrt(x, dtype=dtype) if transform_sqrt else x.astype(dtype, copy=False)
        if x.ndim == 4:
            g_row, g_col = _dominant_gradients(x)
        else:
            g_row, g_col = _gradients(np.ascontiguousarray(x))
        cells = hist[: stop - start]
        cells.fill(0)
        n_flags = _cell_histograms(g_row, g_col, c_row, c_col, tol, special, cells, flags)
        if n_flags:
            _add_flagged(cells, g_row, g_col, flags[:n_flags], pixels_per_cell)
        _normalize_blocks(cells, b_row, b_col, method, c_row * c_col, out[start:stop])
    return out


def _add_flagged(hist, g_row, g_col, flags, pixels_per_cell):
    """Add the flagged pixels to ``hist`` in the bins of scikit-image's rule."""
    m, h, w = g_row.shape
    g_r = g_row.reshape(-1)[flags]
    g_c = g_col.reshape(-1)[flags]
    bins = _exact_bins(g_r, g_c, hist.shape[-1])
    keep = bins >= 0
    image, pixel = np.divmod(flags[keep], h * w)
    row, col = np.divmod(pixel, w)
    g_r, g_c = g_r[keep], g_c[keep]
    magnitude = np.sqrt(g_r * g_r + g_c * g_c)
    c_row, c_col = pixels_per_cell
    np.add.at(hist, (image, row // c_row, col // c_col, bins[keep]), magnitude)


class HOGExtractor(FeatureExtractorMixin, BaseEstimator):
    """Histogram of oriented gradients (HOG) of every image of a batch.

    The feature vector of each image equals
    ``skimage.feature.hog(image, orientations, pixels_per_cell,
    cells_per_block, block_norm, transform_sqrt=transform_sqrt,
    channel_axis=-1 if colour else None, feature_vector=True)``, computed
    chunk by chunk with numpy and two compiled kernels (see Notes).

    Parameters
    ----------
    orientations : int, default=9
        Number of orientation bins over the unsigned range [0, 180) degrees.
    pixels_per_cell : tuple (int, int), default=(8, 8)
        Size of a cell in pixels (rows, cols). Pixels beyond the last whole
        cell are not used.
    cells_per_block : tuple (int, int), default=(3, 3)
        Size of a block in cells (rows, cols); blocks overlap by all but one
        cell.
    block_norm : {"L1", "L1-sqrt", "L2", "L2-Hys"}, default="L2-Hys"
        Block normalisation, as in :func:`skimage.feature.hog`: L1 norm; L1
        norm then square root; L2 norm; L2 norm, values clipped at 0.2, L2
        norm again.
    transform_sqrt : bool, default=False
        Take the square root of the pixel values first (power-law
        compression). Needs non-negative images.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses chunks of about a million pixels.
        Peak memory is the output plus, per running chunk, its features and
        a few MiB of temporaries. The features do not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error while extracting: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib; None means 1 unless in a
        :func:`joblib.parallel_config` context. The work runs in kernels that
        release the GIL, so joblib's threading backend is preferred (no
        copies of the chunks or of their features between processes); a
        backend set by the caller is used as set. The features do not depend
        on it.

    Attributes
    ----------
    hog_shape_ : tuple of int
        ``(n_blocks_row, n_blocks_col, cells_per_block[0], cells_per_block[1],
        orientations)``: the shape of scikit-image's ``hog`` output with
        ``feature_vector=False``, whose flattening is a feature vector.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    hog_batch : The function twin.
    skimage.feature.hog : The reference, one image at a time.

    Notes
    -----
    Colour images ``(n, h, w, c)`` use, per pixel, the gradient of the
    channel with the largest magnitude. Images are computed in their float
    dtype (integer images in float32) and the features have that dtype; the
    per-cell sums are accumulated in float64. The orientation bins come from
    a float32 angle, and every orientation within 1e-3 degrees of a bin
    boundary is decided by scikit-image's float64 rule, so the features
    agree with :func:`skimage.feature.hog` to float rounding (within 1e-6;
    the module's docstring says why). Images must have the shape seen in
    fit.

    References
    ----------
    .. [1] Dalal, N. and Triggs, B., "Histograms of Oriented Gradients for
       Human Detection", CVPR 2005, :doi:`10.1109/CVPR.2005.177`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import HOGExtractor
    >>> X = np.random.default_rng(0).random((2, 16, 16))
    >>> hog = HOGExtractor(pixels_per_cell=(8, 8), cells_per_block=(2, 2)).fit(X)
    >>> hog.transform(X).shape
    (2, 36)
    >>> hog.hog_shape_
    (1, 1, 2, 2, 9)
    >>> hog.get_feature_names_out()[[0, 1, 35]]
    array(['hog_block0_0_cell0_0_o0', 'hog_block0_0_cell0_0_o1',
           'hog_block0_0_cell1_1_o8'], dtype=object)
    """

    _parameter_constraints = {
        "orientations": [Interval(Integral, 1, None, closed="left")],
        "pixels_per_cell": [tuple],
        "cells_per_block": [tuple],
        "block_norm": [StrOptions(set(_BLOCK_NORMS))],
        "transform_sqrt": ["boolean"],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        orientations=9,
        pixels_per_cell=(8, 8),
        cells_per_block=(3, 3),
        block_norm="L2-Hys",
        transform_sqrt=False,
        image_shape=None,
        batch_size=None,
        verbose=0,
        n_jobs=None,
    ):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.verbose = verbose
        self.n_jobs = n_jobs

    def _check_size(self, images):
        """Raise before any work when an image holds no whole block."""
        c_row, c_col = check_pair(self.pixels_per_cell, "pixels_per_cell")
        b_row, b_col = check_pair(self.cells_per_block, "cells_per_block")
        check_min_image_size(
            images,
            (b_row * c_row, b_col * c_col),
            estimator=self,
            what=(
                f"one block of {b_row}x{b_col} cells of {c_row}x{c_col} pixels "
                "(cells_per_block x pixels_per_cell)"
            ),
        )
        if self.transform_sqrt:
            low = images.min()
            if low < 0:
                raise ValueError(
                    f"{type(self).__name__}(transform_sqrt=True) needs non-negative "
                    f"pixel values; got a minimum of {low}."
                )
        return (c_row, c_col), (b_row, b_col)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and record their shape; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : HOGExtractor
            The fitted extractor.

        Raises
        ------
        ValueError
            If ``pixels_per_cell`` or ``cells_per_block`` is not a pair of
            positive integers, if the images are smaller than one block, or
            if ``transform_sqrt=True`` and a pixel is negative.
        """
        images, _ = self._check_images(X, reset=True, cast=None)
        (c_row, c_col), (b_row, b_col) = self._check_size(images)
        h, w = images.shape[1:3]
        self.hog_shape_ = (
            h // c_row - b_row + 1,
            w // c_col - b_col + 1,
            b_row,
            b_col,
            int(self.orientations),
        )
        return self

    @property
    def _n_features_out(self):
        return int(np.prod(self.hog_shape_))

    def _feature_names(self):
        # In skimage.feature.hog's order: block (row, col), cell in the
        # block (row, col), orientation bin.
        return [
            f"hog_block{r}_{c}_cell{i}_{j}_o{k}"
            for r, c, i, j, k in np.ndindex(*self.hog_shape_)
        ]

    @reports_progress()
    def transform(self, X):
        """Compute the HOG feature vector of every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_hog : ndarray of shape (n, n_features)
            One feature vector per image, ``n_features = prod(hog_shape_)``;
            float32 for float32 and integer images, float64 for float64.

        Raises
        ------
        ValueError
            If the images have another shape than in fit (the message names
            both), or ``transform_sqrt=True`` and a pixel is negative.
        """
        check_is_fitted(self)
        # Cast chunk by chunk (integer images to float32) in _hog_chunk.
        images, _ = self._check_images(X, reset=False, cast=None)
        pixels_per_cell, cells_per_block = self._check_size(images)
        batch_size = self.batch_size
        if batch_size is None:
            batch_size = default_batch_size(
                len(images),
                int(np.prod(images.shape[1:3])),
                budget=_CHUNK_PIXELS,
                n_jobs=self.n_jobs,
                balanced=True,
            )
        params = {
            "orientations": int(self.orientations),
            "pixels_per_cell": pixels_per_cell,
            "cells_per_block": cells_per_block,
            "block_norm": self.block_norm,
            "transform_sqrt": bool(self.transform_sqrt),
        }
        # The kernels release the GIL: threads share the chunks and the
        # output without copies, each chunk writing its own rows. A backend
        # set by the caller is used as set (the chunks' features are then
        # copied into the output).
        with parallel_config(prefer="threads"):
            backend, _ = get_active_backend()
            if effective_n_jobs(self.n_jobs) > 1 and not isinstance(
                backend, ThreadingBackend
            ):
                return map_chunks(
                    _hog_chunk, images, n_jobs=self.n_jobs, batch_size=batch_size,
                    **params,
                )
            n = len(images)
            out = np.empty(
                (n, self._n_features_out), dtype=float_dtype(images.dtype)
            )

            def run(s):
                _hog_chunk(images[s], out=out[s], **params)

            slices = chunk_slices(n, batch_size=batch_size)
            run_tasks(run, ((s,) for s in slices), n_jobs=self.n_jobs, require=None)
            return out


def hog_batch(
    images,
    *,
    orientations=9,
    pixels_per_cell=(8, 8),
    cells_per_block=(3, 3),
    block_norm="L2-Hys",
    transform_sqrt=False,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """HOG feature vectors of a batch of images: :class:`HOGExtractor` in one call.

    Each row equals :func:`skimage.feature.hog` of that image (with
    ``channel_axis=-1`` for colour, ``feature_vector=True``) to float
    rounding.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch; 2D rows are flattened images (see ``image_shape``).
    orientations, pixels_per_cell, cells_per_block, block_norm, transform_sqrt
        As in :class:`HOGExtractor`.
    image_shape, batch_size, n_jobs
        As in :class:`HOGExtractor`.

    Returns
    -------
    features : ndarray of shape (n, n_features)
        One feature vector per image, in the images' float dtype (float32
        for integer images).

    Raises
    ------
    ValueError
        If the images are smaller than one block, or as
        :meth:`HOGExtractor.fit`.

    See Also
    --------
    HOGExtractor : The estimator, for pipelines.
    skimage.feature.hog : The reference, one image at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import hog_batch
    >>> images = np.zeros((3, 8, 8), dtype=np.uint8)
    >>> images[:, :, 4:] = 255  # a vertical edge: horizontal gradients
    >>> features = hog_batch(images, orientations=4, pixels_per_cell=(4, 4),
    ...                      cells_per_block=(1, 1))
    >>> features.shape, features.dtype
    ((3, 16), dtype('float32'))
    >>> features[0, :4]  # first cell: all in the bin of 0 degrees
    array([1., 0., 0., 0.], dtype=float32)
    """
    return HOGExtractor(
        orientations=orientations,
        pixels_per_cell=pixels_per_cell,
        cells_per_block=cells_per_block,
        block_norm=block_norm,
        transform_sqrt=transform_sqrt,
        image_shape=image_shape,
        batch_size=batch_size,
        n_jobs=n_jobs,
    ).fit_transform(images)
