"""Noise removal with one knob: :class:`Denoiser` and :func:`denoise_batch`.

Six methods, each the scikit-image function it names, with ``strength`` as
the one parameter a grid search turns:

- "gaussian": :func:`skimage.filters.gaussian`; ``sigma`` in pixels.
- "median": :func:`skimage.filters.median` with
  :func:`skimage.morphology.disk`; the disk's radius in pixels (rounded).
- "bilateral": :func:`skimage.restoration.denoise_bilateral`;
  ``sigma_spatial`` in pixels.
- "nl_means": :func:`skimage.restoration.denoise_nl_means`; ``h`` as a
  multiple of the estimated noise sigma.
- "tv": :func:`skimage.restoration.denoise_tv_chambolle`; ``weight``.
- "wavelet": :func:`skimage.restoration.denoise_wavelet`; ``sigma`` as a
  multiple of the estimated noise sigma.

The noise sigma of "nl_means" and "wavelet" is that of
:func:`skimage.restoration.estimate_sigma`, taken on each image.

Why the fast paths give scikit-image's numbers
----------------------------------------------
No method calls scikit-image once per image. Each runs over a chunk of the
batch ``(m, h, w[, c])`` (``batch_size`` images, through
:func:`skimgprep._parallel.map_chunks` with ``n_jobs``), as compiled
:mod:`numba` loops that make the same floating-point operations, in the
same order and precision, as the scikit-image call on each image. No pixel depends on another image, so the
output depends on neither ``n_jobs`` nor ``batch_size``. Every method but
"gaussian" on float32 equals scikit-image bit for bit (the tests assert it
on real images):

* "gaussian" is ``scipy.ndimage.gaussian_filter(image, (s, s, 0),
  mode="nearest", truncate=4.0)``: a correlation along the rows (axis 0)
  whose result is stored in the image's dtype, then one along the columns.
  SciPy's C loop for a symmetric kernel computes each output as
  ``x[i] * w[0]`` plus ``(x[i - j] + x[i + j]) * w[j]`` for ``j = r, ...,
  1``, in double precision, with the edge value repeated past the border.
  For float64 images the kernel here runs exactly that loop (the weights
  are SciPy's own, read off the impulse response of
  :func:`scipy.ndimage.gaussian_filter1d`), so the result is equal bit for
  bit. For float32 (and integer) images it runs the same loop in float32
  instead of double: this is the precision an OpenCV-style float32 blur
  uses and halves the work per pixel; the result differs from SciPy's by a
  few float32 rounding steps, at most ``1e-6`` times the image's largest
  absolute value (the tolerance the tests use for float32).
* "median" is ``scipy.ndimage.median_filter(image, footprint=disk(r))`` with
  ``mode="nearest"``, channel by channel: the ``k // 2``-th smallest of the
  ``k`` values under the disk. A median is a selection, not an arithmetic
  result: the kernel gathers the ``k`` values of each pixel from an
  edge-padded image and runs a min/max selection network on them,
  vectorised over a row of pixels: Batcher's odd-even merge sort, which
  sorts any input, less the comparators whose outputs never reach the
  middle position (they cannot change what ends there). It returns one of the neighbourhood's values, the same one, for
  disks of up to 128 pixels (radius 6); larger disks use SciPy's filter.
* "tv" is :func:`~skimage.restoration.denoise_tv_chambolle`, channel by
  channel. The kernel runs Chambolle's iteration as scikit-image writes it
  (the divergence ``-(p0 + p1)``, then ``+ p0`` of the row above, then
  ``+ p1`` of the column to the left; the gradient by forward differences
  with a zero last row and column; ``p = (p - tau * g) / (1 + tau / weight *
  |g|)``), in the image's dtype, with the scalars rounded to that dtype as
  NumPy does. An iteration is two sweeps over the rows (``d``, the image
  plus ``d`` and ``d * d`` from the old ``p``; then the gradient, its norm
  and the new ``p``): each value is the one of the whole-array steps. The
  energy sums reproduce NumPy's pairwise summation (blocks of 128 with
  eight accumulators, halves split on multiples of 8), so each image stops
  at the same iteration as scikit-image's, which is what makes the output
  equal.
* "wavelet" is :func:`~skimage.restoration.denoise_wavelet` (``db1``,
  BayesShrink, soft thresholds, ``max(levels - 3, 1)`` levels, no YCbCr
  conversion, no rescaling or clipping for float images), channel by
  channel. The transforms are PyWavelets' (``mode="symmetric"``, axis 0
  then axis 1; the inverse axis 1 then axis 0), written out: its
  ``downsampling_convolution`` adds the products ``filter[j] * x[i - j]``
  to a zero sum, in an order that changes only near the borders, where the
  line is mirrored; for ``db2`` (the noise estimate) the kernel follows a
  table of the ``(j, i - j)`` pairs in PyWavelets' order, for ``db1`` each
  output is ``(0 + f0 * x[2k + 1]) + f1 * x[2k]`` (``x[n] = x[n - 1]`` for
  an odd length). The decomposition runs in the image's dtype with the
  filters in that dtype; the soft thresholds ``d * max(1 - t / |d|, 0)``
  are float64 (the threshold is), so PyWavelets' inverse runs in float64
  (it upcasts the float32 approximation), each value being
  ``(0 + f * approximation) + (0 + g * detail)`` as in its
  ``upsampling_convolution_valid_sf``, cut to the next level's size as
  ``waverecn`` cuts it. The BayesShrink threshold ``var / sqrt(max(mean(d
  * d) - var, eps))`` and the noise estimate ``median(|d|) / 0.6745`` (of
  the nonzero ``db2`` diagonal details) are computed per channel with the
  same dtypes (a mean in the image's dtype by NumPy's pairwise summation, a
  float64 threshold, the ``eps`` of the image's dtype), the median by
  :func:`numpy.median`.
* "bilateral" is :func:`~skimage.restoration.denoise_bilateral` with
  ``mode="edge"``: the kernel runs scikit-image's Cython loop, in the
  image's dtype: for each pixel and each window offset (rows outer, columns
  inner), the colour distance ``sqrt(sum_c t * t)``, the bin
  ``int(dist * (bins // channels / max))`` of the colour lookup table, the
  weight ``spatial * colour``, accumulated in the same order; the lookup
  tables are built with scikit-image's formulas. Only the loop order over
  pixels changes (a row of pixels per window offset, so the loop
  vectorises); each pixel's own sums keep their order.
* "nl_means" is :func:`~skimage.restoration.denoise_nl_means` in its fast
  mode (Froment's integral images of the squared patch differences, one per
  shift ``(t_row, t_col)``, ``t_col >= 0``, with scikit-image's
  ``fast_exp`` bit trick for the weights), in double precision. The integral
  images of six column shifts are computed together (six independent
  recurrences in one loop) with the same expression order. For each
  ``t_row`` the weights of all ``t_col`` are computed first; each output
  row then receives, ``t_col`` by ``t_col``, its own share and its
  partner's share (from the pixel ``(t_row, t_col)`` away) in the order
  scikit-image's pixel loop adds them to that pixel (rows ascending, then
  columns: the partner's share first when it comes from an earlier row or,
  in the same row, from an earlier column), so each pixel's sums see the
  same additions in the same order. Weights cut off at the distance 5
  are added as zeros, which changes no sum. Shares that go to a pixel of
  the padding (which is cut off at the end) are not added at all, and the
  integral images are not computed where no output pixel reads them.

Integer and bool images are computed in float32 (see :class:`Denoiser`).
"""

from numbers import Integral, Real

import numba
import numpy as np
import pywt
import scipy.stats
from joblib import effective_n_jobs
from scipy import ndimage as ndi
from skimage.morphology import disk
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._parallel import chunk_slices, map_chunks
from ._progress import advance, reports_progress
from .base import ImageTransformerMixin

__all__ = ["Denoiser", "denoise_batch"]

METHODS = ("gaussian", "median", "bilateral", "nl_means", "tv", "wavelet")

_jit = numba.njit(nogil=True, cache=True, error_model="numpy")


def _planes(images):
    """``(m, h, w[, c])`` as contiguous channel planes ``(m * c, h, w)``."""
    if images.ndim == 3:
        return np.ascontiguousarray(images)
    m, h, w, c = images.shape
    return np.ascontiguousarray(np.moveaxis(images, -1, 1)).reshape(m * c, h, w)


def _unplanes(planes, shape):
    """Inverse of :func:`_planes` for a chunk of ``shape``."""
    if len(shape) == 3:
        return planes
    m, h, w, c = shape
    return np.moveaxis(planes.reshape(m, c, h, w), 1, -1)


def _writable(array):
    """A C-contiguous writable array with the values of ``array``."""
    array = np.ascontiguousarray(array)
    return array if array.flags.writeable else array.copy()


# --- numpy's pairwise summation ---------------------------------------------


@_jit
def _block_sum(a, lo, n):
    # pairwise_sum's leaf: eight accumulators, combined as a tree.
    if n < 8:
        res = a.dtype.type(0)
        for i in range(lo, lo + n):
            res += a[i]
        return res
    b = a[lo:lo + n]
    r0 = b[0]
    r1 = b[1]
    r2 = b[2]
    r3 = b[3]
    r4 = b[4]
    r5 = b[5]
    r6 = b[6]
    r7 = b[7]
    n8 = n // 8
    for q in range(1, n8):
        k = 8 * q
        r0 += b[k]
        r1 += b[k + 1]
        r2 += b[k + 2]
        r3 += b[k + 3]
        r4 += b[k + 4]
        r5 += b[k + 5]
        r6 += b[k + 6]
        r7 += b[k + 7]
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(8 * n8, n):
        res += b[i]
    return res


@_jit
def _pairwise_sum(a):
    """``np.sum`` of a contiguous 1-D float array, in NumPy's order.

    NumPy splits ``n > 128`` values into halves (the first a multiple of 8
    long) and adds the two sums; this walks the same tree with a stack.
    """
    n = a.shape[0]
    zero = a.dtype.type(0)
    if n <= 128:
        return zero + _block_sum(a, 0, n)
    los = np.empty(128, np.int64)
    ns = np.empty(128, np.int64)
    state = np.empty(128, np.int64)
    vals = np.empty(128, a.dtype)
    los[0] = 0
    ns[0] = n
    state[0] = 0
    top = 1
    nv = 0
    while top > 0:
        top -= 1
        lo = los[top]
        m = ns[top]
        if m <= 128:
            vals[nv] = _block_sum(a, lo, m)
            nv += 1
        elif state[top] == 0:
            m2 = m // 2
            m2 -= m2 % 8
            state[top] = 1
            top += 1
            los[top] = lo + m2
            ns[top] = m - m2
            state[top] = 0
            top += 1
            los[top] = lo
            ns[top] = m2
            state[top] = 0
            top += 1
        else:
            nv -= 1
            vals[nv - 1] = vals[nv - 1] + vals[nv]
    return zero + vals[0]


# --- gaussian -----------------------------------------------------------------


@_jit
def _gaussian_rows(images, c, weights, out):
    """Symmetric correlation along axis 1, then axis 2 (channel step ``c``).

    ``images`` and ``out`` are ``(m, h, w * c)``; ``weights`` holds
    ``w[0], ..., w[r]`` in the images' dtype. Per output value, the order of
    ``scipy.ndimage.correlate1d``'s symmetric loop; the edge value repeats.
    Pairs of taps are taken four at a time (same order, fewer passes).
    """
    m, h, L = images.shape
    r = weights.shape[0] - 1
    rc = r * c
    acc = np.empty(L, images.dtype)
    pad = np.empty(L + 2 * rc, images.dtype)
    mid = pad[rc:rc + L]
    w0 = weights[0]
    for k in range(m):
        img = images[k]
        for y in range(h):
            x0 = img[y]
            j = r
            if j >= 3:
                a1 = img[max(y - j, 0)]
                b1 = img[min(y + j, h - 1)]
                a2 = img[max(y - j + 1, 0)]
                b2 = img[min(y + j - 1, h - 1)]
                a3 = img[max(y - j + 2, 0)]
                b3 = img[min(y + j - 2, h - 1)]
                w1 = weights[j]
                w2 = weights[j - 1]
                w3 = weights[j - 2]
                for i in range(L):
                    acc[i] = (
                        (x0[i] * w0 + (a1[i] + b1[i]) * w1) + (a2[i] + b2[i]) * w2
                    ) + (a3[i] + b3[i]) * w3
                j -= 3
            else:
                for i in range(L):
                    acc[i] = x0[i] * w0
            while j >= 4:
                a1 = img[max(y - j, 0)]
                b1 = img[min(y + j, h - 1)]
                a2 = img[max(y - j + 1, 0)]
                b2 = img[min(y + j - 1, h - 1)]
                a3 = img[max(y - j + 2, 0)]
                b3 = img[min(y + j - 2, h - 1)]
                a4 = img[max(y - j + 3, 0)]
                b4 = img[min(y + j - 3, h - 1)]
                w1 = weights[j]
                w2 = weights[j - 1]
                w3 = weights[j - 2]
                w4 = weights[j - 3]
                for i in range(L):
                    acc[i] = (
                        ((acc[i] + (a1[i] + b1[i]) * w1) + (a2[i] + b2[i]) * w2)
                        + (a3[i] + b3[i]) * w3
                    ) + (a4[i] + b4[i]) * w4
                j -= 4
            while j >= 1:
                a1 = img[max(y - j, 0)]
                b1 = img[min(y + j, h - 1)]
                w1 = weights[j]
                for i in range(L):
                    acc[i] += (a1[i] + b1[i]) * w1
                j -= 1
            # the first pass is stored in the dtype, then filtered along axis 2
            for i in range(L):
                mid[i] = acc[i]
            for q in range(rc):
                pad[q] = mid[q % c]
                pad[rc + L + q] = mid[L - c + q % c]
            j = r
            if j >= 3:
                l1 = pad[rc - j * c:]
                h1 = pad[rc + j * c:]
                l2 = pad[rc - (j - 1) * c:]
                h2 = pad[rc + (j - 1) * c:]
                l3 = pad[rc - (j - 2) * c:]
                h3 = pad[rc + (j - 2) * c:]
                w1 = weights[j]
                w2 = weights[j - 1]
                w3 = weights[j - 2]
                for i in range(L):
                    acc[i] = (
                        (mid[i] * w0 + (l1[i] + h1[i]) * w1) + (l2[i] + h2[i]) * w2
                    ) + (l3[i] + h3[i]) * w3
                j -= 3
            else:
                for i in range(L):
                    acc[i] = mid[i] * w0
            while j >= 4:
                l1 = pad[rc - j * c:]
                h1 = pad[rc + j * c:]
                l2 = pad[rc - (j - 1) * c:]
                h2 = pad[rc + (j - 1) * c:]
                l3 = pad[rc - (j - 2) * c:]
                h3 = pad[rc + (j - 2) * c:]
                l4 = pad[rc - (j - 3) * c:]
                h4 = pad[rc + (j - 3) * c:]
                w1 = weights[j]
                w2 = weights[j - 1]
                w3 = weights[j - 2]
                w4 = weights[j - 3]
                for i in range(L):
                    acc[i] = (
                        ((acc[i] + (l1[i] + h1[i]) * w1) + (l2[i] + h2[i]) * w2)
                        + (l3[i] + h3[i]) * w3
                    ) + (l4[i] + h4[i]) * w4
                j -= 4
            while j >= 1:
                l1 = pad[rc - j * c:]
                h1 = pad[rc + j * c:]
                w1 = weights[j]
                for i in range(L):
                    acc[i] += (l1[i] + h1[i]) * w1
                j -= 1
            o = out[k, y]
            for i in range(L):
                o[i] = acc[i]
    return out


def _gaussian_weights(sigma):
    """SciPy's half kernel ``w[0], ..., w[r]`` for ``sigma`` (truncate 4)."""
    radius = int(4.0 * sigma + 0.5)
    impulse = np.zeros(2 * radius + 1)
    impulse[radius] = 1.0
    # correlate1d of a unit impulse: each output is one weight plus zeros.
    kernel = ndi.gaussian_filter1d(impulse, sigma, mode="constant", truncate=4.0)
    return kernel[radius:].copy(), bool(np.array_equal(kernel, kernel[::-1]))


def _gaussian_chunk(images, *, sigma, out=None):
    """``skimage.filters.gaussian`` on each image of ``(m, h, w[, c])``."""
    weights, symmetric = _gaussian_weights(sigma)
    if not symmetric:  # pragma: no cover - Gaussian weights are symmetric
        sigmas = (0.0, sigma, sigma) + (0.0,) * (images.ndim - 3)
        return ndi.gaussian_filter(images, sigmas, mode="nearest", truncate=4.0, output=out)
    m, h, w = images.shape[:3]
    c = images.shape[3] if images.ndim == 4 else 1
    rows = _writable(images).reshape(m, h, w * c)
    if out is None:
        out = np.empty(images.shape, dtype=images.dtype)
    _gaussian_rows(rows, c, weights.astype(images.dtype), out.reshape(m, h, w * c))
    return out


def _gaussian_batch(images, *, sigma, n_jobs=None, batch_size=None):
    """The chunks of one job are filtered straight into the output."""
    if effective_n_jobs(n_jobs) > 1:
        return map_chunks(_gaussian_chunk, images, sigma=sigma, n_jobs=n_jobs,
                          batch_size=batch_size)
    out = np.empty(images.shape, dtype=images.dtype)
    per_image = images[0].nbytes if len(images) else 1
    for s in chunk_slices(len(images), batch_size=batch_size, bytes_per_item=per_image):
        _gaussian_chunk(images[s], sigma=sigma, out=out[s])
        advance(s.stop - s.start)
    return out


# --- median -------------------------------------------------------------------

_MAX_NETWORK_KEYS = 128


def _batcher_pairs(n):
    """Comparators of Batcher's odd-even merge sort of ``n`` keys (n = 2**p)."""
    pairs = []

    def merge(lo, m, r):
        step = 2 * r
        if step < m:
            merge(lo, m, step)
            merge(lo + r, m, step)
            pairs.extend((i, i + r) for i in range(lo + r, lo + m - r, step))
        else:
            pairs.append((lo, lo + r))

    def sort(lo, m):
        if m > 1:
            sort(lo, m // 2)
            sort(lo + m // 2, m // 2)
            merge(lo, m, 1)

    sort(0, n)
    return pairs


def _median_network(k):
    """``(i, j, keep_min, keep_max)`` rows that bring the median of k keys to k // 2.

    The sorting network for the next power of two, without the comparators
    that touch the missing keys (as +inf they never move), pruned backwards
    to those that reach the middle output.
    """
    n = 1
    while n < k:
        n *= 2
    pairs = [(i, j) for i, j in _batcher_pairs(n) if j < k]
    need = {k // 2}
    kept = []
    for i, j in reversed(pairs):
        if i in need or j in need:
            kept.append((i, j, i in need, j in need))
            need |= {i, j}
    kept.reverse()
    return np.array(kept, dtype=np.int64).reshape(-1, 4)


@_jit
def _median_rows(padded, dy, dx, network, out):
    """Median of the keys at offsets ``(dy, dx)`` of an edge-padded chunk.

    ``padded`` is ``(m, h + 2r, (w + 2r) * c)``, ``dx`` already in values
    (pixels times ``c``); ``out`` is ``(m, h, w * c)``.
    """
    m, h, L = out.shape
    k = dy.shape[0]
    block = 128
    keys = np.zeros((k, block), padded.dtype)
    for img in range(m):
        for y in range(h):
            for x0 in range(0, L, block):
                nb = min(block, L - x0)
                for t in range(k):
                    src = padded[img, y + dy[t], dx[t] + x0:dx[t] + x0 + nb]
                    key = keys[t]
                    for i in range(nb):
                        key[i] = src[i]
                for q in range(network.shape[0]):
                    a = keys[network[q, 0]]
                    b = keys[network[q, 1]]
                    if network[q, 2] and network[q, 3]:
                        for i in range(block):
                            lo = min(a[i], b[i])
                            hi = max(a[i], b[i])
                            a[i] = lo
                            b[i] = hi
                    elif network[q, 2]:
                        for i in range(block):
                            a[i] = min(a[i], b[i])
                    else:
                        for i in range(block):
                            b[i] = max(a[i], b[i])
                o = out[img, y]
                med = keys[k // 2]
                for i in range(nb):
                    o[x0 + i] = med[i]
    return out


def _median_radius(strength):
    """The disk radius for ``strength``: the nearest integer, halves up."""
    return int(np.floor(strength + 0.5))


def _median_chunk(images, *, radius):
    """``skimage.filters.median`` with ``disk(radius)`` on each image."""
    footprint = disk(radius).astype(bool)
    if footprint.sum() > _MAX_NETWORK_KEYS:
        footprint = footprint[np.newaxis]
        if images.ndim == 4:
            footprint = footprint[..., np.newaxis]
        return ndi.median_filter(images, footprint=footprint, mode="nearest")
    dy, dx = np.nonzero(footprint)
    x = images if images.ndim == 4 else images[..., np.newaxis]
    m, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (radius, radius), (radius, radius), (0, 0)), mode="edge")
    out = np.empty((m, h, w * c), dtype=x.dtype)
    network = _median_network(dy.size)
    _median_rows(padded.reshape(m, h + 2 * radius, -1), dy, dx * c, network, out)
    return out.reshape(images.shape)


# --- tv (Chambolle) -----------------------------------------------------------


@_jit
def _tv_planes(planes, weight, factor, tau, eps, size, max_num_iter, out):
    """``_denoise_tv_chambolle_nd`` of scikit-image on each 2-D plane.

    The scalars come in the planes' dtype (NumPy rounds Python floats to the
    array's dtype): ``factor = tau / weight``, ``size = float(h * w)``. Two
    sweeps per iteration, each value computed as in scikit-image's
    whole-array steps: ``d``, ``out = image + d`` and ``d * d`` from the old
    ``p``; then the gradient of ``out``, its norm and the new ``p``.
    """
    m, h, w = planes.shape
    n = h * w
    dt = planes.dtype
    zero = dt.type(0)
    one = dt.type(1)
    p0 = np.empty((h, w), dt)
    p1 = np.empty((h, w), dt)
    squares = np.empty(n, dt)
    norms = np.empty(n, dt)
    sq = squares.reshape(h, w)
    nrm = norms.reshape(h, w)
    for k in range(m):
        image = planes[k]
        o = out[k]
        p0[:] = 0
        p1[:] = 0
        e_init = zero
        e_prev = zero
        i = 0
        while i < max_num_iter:
            if i > 0:
                # d = -(p0 + p1); d[1:, :] += p0[:-1]; d[:, 1:] += p1[:, :-1]
                for y in range(h):
                    r0 = p0[y]
                    r1 = p1[y]
                    row_img = image[y]
                    row_o = o[y]
                    row_sq = sq[y]
                    v = -(r0[0] + r1[0])
                    if y > 0:
                        v = v + p0[y - 1, 0]
                    row_o[0] = row_img[0] + v
                    row_sq[0] = v * v
                    if y > 0:
                        up = p0[y - 1]
                        for x in range(1, w):
                            v = (-(r0[x] + r1[x]) + up[x]) + r1[x - 1]
                            row_o[x] = row_img[x] + v
                            row_sq[x] = v * v
                    else:
                        for x in range(1, w):
                            v = -(r0[x] + r1[x]) + r1[x - 1]
                            row_o[x] = row_img[x] + v
                            row_sq[x] = v * v
            else:
                o[:] = image
                squares[:] = 0
            energy = _pairwise_sum(squares)
            # the gradient (zero in the last row and column), its norm, p
            for y in range(h):
                r0 = p0[y]
                r1 = p1[y]
                row_o = o[y]
                row_n = nrm[y]
                if y < h - 1:
                    below = o[y + 1]
                    for x in range(w - 1):
                        g0 = below[x] - row_o[x]
                        g1 = row_o[x + 1] - row_o[x]
                        v = np.sqrt(g0 * g0 + g1 * g1)
                        row_n[x] = v
                        den = v * factor + one
                        r0[x] = (r0[x] - tau * g0) / den
                        r1[x] = (r1[x] - tau * g1) / den
                    g0 = below[w - 1] - row_o[w - 1]
                else:
                    for x in range(w - 1):
                        g1 = row_o[x + 1] - row_o[x]
                        v = np.sqrt(zero * zero + g1 * g1)
                        row_n[x] = v
                        den = v * factor + one
                        r0[x] = (r0[x] - tau * zero) / den
                        r1[x] = (r1[x] - tau * g1) / den
                    g0 = zero
                v = np.sqrt(g0 * g0 + zero * zero)
                row_n[w - 1] = v
                den = v * factor + one
                r0[w - 1] = (r0[w - 1] - tau * g0) / den
                r1[w - 1] = (r1[w - 1] - tau * zero) / den
            energy += weight * _pairwise_sum(norms)
            energy /= size
            if i == 0:
                e_init = energy
                e_prev = energy
            elif abs(e_prev - energy) < eps * e_init:
                break
            else:
                e_prev = energy
            i += 1
    return out


def _tv_chunk(images, *, strength, eps=2.0e-4, max_num_iter=200):
    """``denoise_tv_chambolle(image, weight=strength)`` on each channel."""
    planes = _writable(_planes(images))
    h, w = planes.shape[1:]
    t = planes.dtype.type
    out = np.empty_like(planes)
    tau = 1.0 / (2.0 * 2)
    _tv_planes(
        planes, t(strength), t(tau / strength), t(tau), t(eps), t(float(h * w)),
        max_num_iter, out,
    )
    return _unplanes(out, images.shape)


# --- noise level and wavelet --------------------------------------------------


def _dwt_plan(n, f):
    """PyWavelets' symmetric-mode ``dwt`` of a line of ``n`` values, as index pairs.

    Row ``o`` lists the ``(filter index, input index)`` of the ``f`` products
    that PyWavelets' ``downsampling_convolution`` adds, from zero, into
    output ``o``, in its order (the order differs near the borders, where
    the input is mirrored: ``x[-1 - k] = x[k]``, ``x[n + k] = x[n - 1 - k]``).
    """
    rows = []

    def mirrored(terms, j):
        # the left extension: x[-1], x[-2], ... then reflected back again
        while j < f:
            k = 0
            while k < n and j < f:
                terms.append((j, k))
                j += 1
                k += 1
            k = 0
            while k < n and j < f:
                terms.append((j, n - 1 - k))
                j += 1
                k += 1
        return j

    def beyond(terms, i):
        # the right extension, filter taps taken backwards from i - n
        j = 0
        while i - j >= n:
            k = 0
            while k < n and i - j >= n:
                terms.append((i - n - j, n - 1 - k))
                j += 1
                k += 1
            k = 0
            while k < n and i - j >= n:
                terms.append((i - n - j, k))
                j += 1
                k += 1
        return j

    i = 1
    while i < f and i < n:  # left border
        terms = [(j, i - j) for j in range(i + 1)]
        mirrored(terms, i + 1)
        rows.append(terms)
        i += 2
    while i < n:  # inside
        rows.append([(j, i - j) for j in range(f)])
        i += 2
    while i < f:  # a filter longer than the line
        terms = []
        j = beyond(terms, i)
        while j <= i:
            terms.append((j, i - j))
            j += 1
        mirrored(terms, j)
        rows.append(terms)
        i += 2
    while i < n + f - 1:  # right border
        terms = []
        j = beyond(terms, i)
        while j < f:
            terms.append((j, i - j))
            j += 1
        rows.append(terms)
        i += 2
    plan = np.array(rows, dtype=np.int64).reshape(len(rows), f, 2)
    return np.ascontiguousarray(plan[..., 0]), np.ascontiguousarray(plan[..., 1])


@_jit
def _dwt_axis1(x, filt, taps, index, out):
    """One band of ``pywt.dwt`` along axis 1 of ``(m, h, w)``, by a plan."""
    m, w = x.shape[0], x.shape[2]
    n_out, f = taps.shape
    for k in range(m):
        for o in range(n_out):
            row = out[k, o]
            for j in range(w):
                row[j] = 0
            for t in range(f):
                c = filt[taps[o, t]]
                src = x[k, index[o, t]]
                for j in range(w):
                    row[j] += c * src[j]
    return out


@_jit
def _dwt_axis2_abs(x, filt, taps, index, out):
    """``|pywt.dwt|`` (one band) along axis 2 of ``(m, h, w)``, by a plan."""
    m, h = x.shape[0], x.shape[1]
    n_out, f = taps.shape
    zero = x.dtype.type(0)
    for k in range(m):
        for r in range(h):
            src = x[k, r]
            dst = out[k, r]
            for o in range(n_out):
                s = zero
                for t in range(f):
                    s += filt[taps[o, t]] * src[index[o, t]]
                dst[o] = abs(s)
    return out


def _plane_sigmas(planes):
    """``estimate_sigma`` of each plane of ``(M, h, w)``; undefined counts as 0.

    A plane without a nonzero finest-level diagonal detail (a constant or
    one-pixel-tall image) has no estimate.
    """
    m, h, w = planes.shape
    planes = _writable(planes)
    filt = np.asarray(pywt.Wavelet("db2").dec_hi, dtype=planes.dtype)
    taps1, index1 = _dwt_plan(h, filt.size)
    taps2, index2 = _dwt_plan(w, filt.size)
    rows = _dwt_axis1(planes, filt, taps1, index1,
                      np.empty((m, taps1.shape[0], w), planes.dtype))
    detail = _dwt_axis2_abs(rows, filt, taps2, index2,
                            np.empty((m, taps1.shape[0], taps2.shape[0]), planes.dtype))
    detail = detail.reshape(m, -1)
    median = np.zeros(m, dtype=np.float64)
    if detail.shape[1]:
        full = np.all(detail != 0, axis=1)
        if full.all():
            median[:] = np.median(detail, axis=1)
        elif full.any():
            median[full] = np.median(detail[full], axis=1)
        for i in np.flatnonzero(~full):
            values = detail[i][np.nonzero(detail[i])]
            median[i] = np.median(values) if values.size else 0.0
    return median / scipy.stats.norm.ppf(0.75)


def _image_sigmas(images):
    """``(m, c)`` noise sigma of each channel of each image of the chunk."""
    c = images.shape[3] if images.ndim == 4 else 1
    return _plane_sigmas(_planes(images)).reshape(len(images), c)


@_jit
def _haar_dec(x, lo0, lo1, hi0, hi1, aa, ad, da, dd):
    """``pywt.dwtn(x, "db1", axes=(1, 2))`` in the dtype of ``x``.

    The two-tap case of PyWavelets' convolution: ``(0 + f0 * x[2k + 1]) + f1
    * x[2k]``, with ``x[n] = x[n - 1]`` for an odd length; axis 1 first.
    """
    m, h, w = x.shape
    n_half = aa.shape[2]
    zero = x.dtype.type(0)
    low = np.empty(w, x.dtype)
    high = np.empty(w, x.dtype)
    for k in range(m):
        for y in range(aa.shape[1]):
            r0 = x[k, 2 * y]
            r1 = x[k, min(2 * y + 1, h - 1)]
            for j in range(w):
                low[j] = (zero + lo0 * r1[j]) + lo1 * r0[j]
                high[j] = (zero + hi0 * r1[j]) + hi1 * r0[j]
            out_aa = aa[k, y]
            out_ad = ad[k, y]
            out_da = da[k, y]
            out_dd = dd[k, y]
            for q in range(n_half):
                j0 = 2 * q
                j1 = min(2 * q + 1, w - 1)
                out_aa[q] = (zero + lo0 * low[j1]) + lo1 * low[j0]
                out_ad[q] = (zero + hi0 * low[j1]) + hi1 * low[j0]
                out_da[q] = (zero + lo0 * high[j1]) + lo1 * high[j0]
                out_dd[q] = (zero + hi0 * high[j1]) + hi1 * high[j0]
    return aa


@_jit
def _mean_squares(d, out, col):
    """``np.mean(d[k] * d[k])`` of each plane, in the dtype, into ``out[:, col]``."""
    m = d.shape[0]
    n = d.shape[1] * d.shape[2]
    squares = np.empty(n, d.dtype)
    for k in range(m):
        flat = d[k].ravel()
        for i in range(n):
            squares[i] = flat[i] * flat[i]
        out[k, col] = _pairwise_sum(squares) / d.dtype.type(n)
    return out


@_jit
def _soft(d, value):
    """``pywt.threshold(d, value, "soft")`` of one value, in double."""
    v = np.float64(d)
    s = max(1.0 - value / abs(v), 0.0)
    return v * s


@_jit
def _haar_rec(a, ad, da, dd, thresholds, lo0, lo1, hi0, hi1, out):
    """``pywt.idwtn`` (``db1``, axes (1, 2)) of soft-thresholded details.

    In double precision (PyWavelets upcasts the float32 approximation to
    the thresholded details' float64). Each value is
    ``(0 + f * approximation) + (0 + g * detail)``, axis 2 first; ``a`` may
    be one larger than the details (it is cut, as ``waverecn`` does) and
    ``out`` smaller than twice their size (the last level is cut to the
    image, and rounded to its dtype).
    """
    m, n_rows, n_cols = ad.shape
    h, w = out.shape[1], out.shape[2]
    approx = np.empty(2 * n_cols, np.float64)
    detail = np.empty(2 * n_cols, np.float64)
    for k in range(m):
        t_ad = thresholds[k, 0]
        t_da = thresholds[k, 1]
        t_dd = thresholds[k, 2]
        for y in range(n_rows):
            row_a = a[k, y]
            row_ad = ad[k, y]
            row_da = da[k, y]
            row_dd = dd[k, y]
            for q in range(n_cols):
                va = np.float64(row_a[q])
                vad = _soft(row_ad[q], t_ad)
                vda = _soft(row_da[q], t_da)
                vdd = _soft(row_dd[q], t_dd)
                approx[2 * q] = (0.0 + lo0 * va) + (0.0 + hi0 * vad)
                approx[2 * q + 1] = (0.0 + lo1 * va) + (0.0 + hi1 * vad)
                detail[2 * q] = (0.0 + lo0 * vda) + (0.0 + hi0 * vdd)
                detail[2 * q + 1] = (0.0 + lo1 * vda) + (0.0 + hi1 * vdd)
            if 2 * y < h:
                o = out[k, 2 * y]
                for j in range(w):
                    o[j] = (0.0 + lo0 * approx[j]) + (0.0 + hi0 * detail[j])
            if 2 * y + 1 < h:
                o = out[k, 2 * y + 1]
                for j in range(w):
                    o[j] = (0.0 + lo1 * approx[j]) + (0.0 + hi1 * detail[j])
    return out


def _wavelet_planes(planes, sigmas):
    """``denoise_wavelet(plane, sigma=s)`` for each plane; ``s = 0`` keeps it.

    So does a sigma whose square underflows to 0 (below about 1e-154): every
    threshold would be below 1e-300, and 0 / 0 in the shrinkage gives NaN.
    """
    with np.errstate(under="ignore"):
        selected = np.flatnonzero(sigmas.astype(np.float64) ** 2 > 0)
    if selected.size == 0:
        return planes.copy()
    everything = selected.size == len(planes)
    x = _writable(planes if everything else planes[selected])
    dtype = x.dtype
    m, h, w = x.shape
    with np.errstate(under="ignore"):
        var = sigmas[selected].astype(np.float64) ** 2
    wavelet = pywt.Wavelet("db1")
    levels = max(pywt.dwtn_max_level((h, w), wavelet) - 3, 1)
    lo = np.asarray(wavelet.dec_lo, dtype=dtype)
    hi = np.asarray(wavelet.dec_hi, dtype=dtype)
    a = x
    details = []
    for _ in range(levels):
        shape = (m, (a.shape[1] + 1) // 2, (a.shape[2] + 1) // 2)
        ad, da, dd = (np.empty(shape, dtype) for _ in range(3))
        a = _haar_dec(a, lo[0], lo[1], hi[0], hi[1], np.empty(shape, dtype), ad, da, dd)
        details.append((ad, da, dd))
    eps = np.finfo(dtype).eps
    # max(dvar - var, eps) is eps (of the image dtype) where eps is larger.
    root_eps = np.float64(np.sqrt(eps))
    rec_lo = np.asarray(wavelet.rec_lo, dtype=np.float64)
    rec_hi = np.asarray(wavelet.rec_hi, dtype=np.float64)
    for level, (ad, da, dd) in enumerate(reversed(details)):
        dvar = np.empty((m, 3), dtype)
        for col, d in enumerate((ad, da, dd)):
            _mean_squares(d, dvar, col)
        excess = dvar - var[:, np.newaxis]
        with np.errstate(invalid="ignore"):
            root = np.where(eps > excess, root_eps, np.sqrt(excess))
        thresholds = np.ascontiguousarray(var[:, np.newaxis] / root)
        last = level == levels - 1
        shape = (m, h, w) if last else (m, 2 * ad.shape[1], 2 * ad.shape[2])
        out = np.empty(shape, dtype if last else np.float64)
        a = _haar_rec(a, ad, da, dd, thresholds, rec_lo[0], rec_lo[1], rec_hi[0],
                      rec_hi[1], out)
    if everything:
        return a
    out = planes.copy()
    out[selected] = a
    return out


def _wavelet_chunk(images, *, strength):
    """``denoise_wavelet`` of each channel, sigma ``strength * estimate``."""
    planes = _planes(images)
    sigmas = strength * _plane_sigmas(planes)
    return _unplanes(_wavelet_planes(planes, sigmas), images.shape)


# --- bilateral ----------------------------------------------------------------


@_jit
def _bilateral_planes(padded, ext, win, range_lut, color_lut, dist_scale, out):
    """scikit-image's ``_denoise_bilateral`` loop on edge-padded planes.

    ``padded`` is ``(c, h + 2 ext, w + 2 ext)``, ``out`` ``(c, h, w)``.
    """
    c, h, w = out.shape
    dt = padded.dtype
    max_bin = color_lut.shape[0] - 1
    total = np.empty((c, w), dt)
    total_weight = np.empty(w, dt)
    dist = np.empty(w, dt)
    weight = np.empty(w, dt)
    bins = np.empty(w, np.int32)
    for r in range(h):
        total[:] = 0
        total_weight[:] = 0
        for kr in range(win):
            for kc in range(win):
                range_weight = range_lut[kr * win + kc]
                dist[:] = 0
                for d in range(c):
                    centre = padded[d, r + ext, ext:ext + w]
                    value = padded[d, r + kr, kc:kc + w]
                    for x in range(w):
                        t = centre[x] - value[x]
                        dist[x] += t * t
                # the bins first, then the lookups: two loops that vectorise
                for x in range(w):
                    bins[x] = min(np.int32(np.sqrt(dist[x]) * dist_scale), max_bin)
                for x in range(w):
                    weight[x] = range_weight * color_lut[bins[x]]
                for d in range(c):
                    value = padded[d, r + kr, kc:kc + w]
                    acc = total[d]
                    for x in range(w):
                        acc[x] += value[x] * weight[x]
                for x in range(w):
                    total_weight[x] += weight[x]
        for d in range(c):
            for x in range(w):
                out[d, r, x] = total[d, x] / total_weight[x]
    return out


def _bilateral_image(image, sigma_spatial, bins=10000):
    """``denoise_bilateral(image, sigma_spatial=..., mode="edge")`` of one image.

    ``(h, w, c)`` with one channel is grayscale, as in scikit-image.
    """
    win_size = max(5, 2 * int(np.ceil(3 * sigma_spatial)) + 1)
    min_value = image.min()
    max_value = image.max()
    if min_value == max_value:
        return image
    x = np.ascontiguousarray(image if image.ndim == 3 else image[..., np.newaxis])
    dtype = x.dtype
    # scikit-image's _compute_color_lut and _compute_spatial_lut.
    sigma_color = x.std()
    values = np.linspace(0, max_value, bins, endpoint=False)
    color_lut = np.exp(-0.5 * (values**2 / sigma_color**2), dtype=dtype)
    grid = np.arange(-win_size // 2, win_size // 2 + 1)
    rr, cc = np.meshgrid(grid, grid, indexing="ij")
    range_lut = np.exp(-0.5 * (np.hypot(rr, cc) ** 2 / sigma_spatial**2), dtype=dtype).ravel()
    if min_value < 0:
        x = x - min_value
        max_value -= min_value
    channels = x.shape[2]
    # The Cython code divides the integers first: bins / dims / max_value.
    dist_scale = dtype.type(dtype.type(bins // channels) / dtype.type(max_value))
    ext = (win_size - 1) // 2
    planes = np.moveaxis(x, -1, 0)
    padded = np.pad(planes, ((0, 0), (ext, ext), (ext, ext)), mode="edge")
    out = np.empty(planes.shape, dtype)
    _bilateral_planes(padded, ext, win_size, range_lut, color_lut, dist_scale, out)
    out = np.moveaxis(out, 0, -1).reshape(image.shape)
    if min_value < 0:
        out += min_value
    return out


def _bilateral_chunk(images, *, strength):
    out = np.empty_like(images)
    for i, image in enumerate(images):
        out[i] = _bilateral_image(image, strength)
    return out


# --- nl_means -----------------------------------------------------------------

_NLM_GROUP = 6  # column shifts whose integral images are computed together
_FAST_EXP_A = 1512775.3951951856938  # scikit-image's fast_exp.h
_FAST_EXP_BC = 1072632447


# The loops below index with unsigned integers and pass whole arrays rather
# than slices: numba then neither creates array views (with reference
# counting) in the inner loops nor checks for negative indices, and LLVM
# still vectorises the loops over columns.


@_jit
def _nlm_integrals(planes, t_row, t_col0, row, nvar, m, diff, integral):
    """Row ``row`` of the integral images of shifts ``(t_row, t_col0 + g)``.

    ``integral[g, row, col] = ((dist + I[row - 1, col]) + I[row, col - 1])
    - I[row - 1, col - 1]`` with ``dist = sum_c t * t - n_channels * 2 var``
    (the sum from zero, channel by channel), as in scikit-image's
    ``_integral_image_2d``; six recurrences at once. Columns ``1, ..., m``
    are computed (the others are not read).
    """
    c = planes.shape[1]
    um = np.uint64(m)
    one = np.uint64(1)
    ur = np.uint64(row)
    up = np.uint64(row - 1)
    ub = np.uint64(row + t_row)
    for g in range(6):
        ug = np.uint64(g)
        us = np.uint64(1 + t_col0 + g)
        if c == 3:
            for i in range(um):
                t0 = planes[ur, 0, one + i] - planes[ub, 0, us + i]
                t1 = planes[ur, 1, one + i] - planes[ub, 1, us + i]
                t2 = planes[ur, 2, one + i] - planes[ub, 2, us + i]
                dist = ((0.0 + t0 * t0) + t1 * t1) + t2 * t2
                diff[ug, i] = (dist - nvar) + integral[ug, up, one + i]
        elif c == 1:
            for i in range(um):
                t0 = planes[ur, 0, one + i] - planes[ub, 0, us + i]
                diff[ug, i] = ((0.0 + t0 * t0) - nvar) + integral[ug, up, one + i]
        else:
            for i in range(um):
                diff[ug, i] = 0.0
            for ch in range(np.uint64(c)):
                for i in range(um):
                    t = planes[ur, ch, one + i] - planes[ub, ch, us + i]
                    diff[ug, i] += t * t
            for i in range(um):
                diff[ug, i] = (diff[ug, i] - nvar) + integral[ug, up, one + i]
    g0 = np.uint64(0)
    g1 = np.uint64(1)
    g2 = np.uint64(2)
    g3 = np.uint64(3)
    g4 = np.uint64(4)
    g5 = np.uint64(5)
    integral[:, row, 0] = 0.0
    v0 = v1 = v2 = v3 = v4 = v5 = 0.0
    for i in range(um):
        v0 = (diff[g0, i] + v0) - integral[g0, up, i]
        integral[g0, ur, i + one] = v0
        v1 = (diff[g1, i] + v1) - integral[g1, up, i]
        integral[g1, ur, i + one] = v1
        v2 = (diff[g2, i] + v2) - integral[g2, up, i]
        integral[g2, ur, i + one] = v2
        v3 = (diff[g3, i] + v3) - integral[g3, up, i]
        integral[g3, ur, i + one] = v3
        v4 = (diff[g4, i] + v4) - integral[g4, up, i]
        integral[g4, ur, i + one] = v4
        v5 = (diff[g5, i] + v5) - integral[g5, up, i]
        integral[g5, ur, i + one] = v5


@numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")
def _nlm_weights(integral, g, row, offset, i0, i1, h2s2, alpha, bits, weights, t_col):
    """``weights[t_col, row, i]`` for ``i0 <= i < i1``, as scikit-image.

    ``alpha * fast_exp(-dist)`` of pixel ``(row, offset + i)`` for the shift
    ``t_col`` (whose integral image is ``integral[g]``), zero where ``dist``
    is past the cutoff (scikit-image skips those: adding a zero changes no
    sum).
    """
    n = np.uint64(i1 - i0)
    fbits = bits.view(np.float64)
    left = np.uint64(i0)
    right = np.uint64(2 * offset + i0)
    ug = np.uint64(g)
    lower = np.uint64(row - offset)
    upper = np.uint64(row + offset)
    ut = np.uint64(t_col)
    ur = np.uint64(row)
    for i in range(n):
        dist = (
            (integral[ug, upper, right + i] + integral[ug, lower, left + i])
            - integral[ug, lower, right + i]
        ) - integral[ug, upper, left + i]
        dist = max(dist, 0.0) / h2s2
        # fast_exp(-dist): (int)(A * y) + BC as the upper 32 bits of a double
        bits[i] = (np.int64(np.int32(_FAST_EXP_A * -dist)) + _FAST_EXP_BC) << 32
        weights[ut, ur, left + i] = dist
    for i in range(n):
        cut = weights[ut, ur, left + i] > 5.0
        weights[ut, ur, left + i] = 0.0 if cut else alpha * fbits[i]


@numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")
def _nlm_add(dst, src, s0, w, w0, n):
    """``dst[c, i] += w[w0 + i]``; ``dst[ch, i] += w[w0 + i] * src[ch, s0 + i]``."""
    uc = np.uint64(src.shape[0])
    un = np.uint64(n)
    us = np.uint64(s0)
    uw = np.uint64(w0)
    for i in range(un):
        dst[uc, i] += w[uw + i]
    for ch in range(uc):
        for i in range(un):
            dst[ch, i] += w[uw + i] * src[ch, us + i]


@numba.njit(nogil=True, cache=True, error_model="numpy", inline="always")
def _nlm_add2(dst, src1, s1, w1, o1, src2, s2, w2, o2, n):
    """``_nlm_add`` of share 1, then of share 2, in one pass (same sums)."""
    uc = np.uint64(src1.shape[0])
    un = np.uint64(n)
    us1 = np.uint64(s1)
    uo1 = np.uint64(o1)
    us2 = np.uint64(s2)
    uo2 = np.uint64(o2)
    for i in range(un):
        dst[uc, i] = (dst[uc, i] + w1[uo1 + i]) + w2[uo2 + i]
    for ch in range(uc):
        for i in range(un):
            dst[ch, i] = (
                dst[ch, i] + w1[uo1 + i] * src1[ch, us1 + i]
            ) + w2[uo2 + i] * src2[ch, us2 + i]


@_jit
def _nlm_planes(planes, s, d, h2s2, nvar, pad, acc):
    """scikit-image's ``_fast_nl_means_denoising_2d`` on padded planes.

    ``planes`` is ``(n_row, c, n_col + slack)`` in float64 (the slack
    columns are read by the shifts of the last group and never used);
    ``acc`` is ``(n_row - 2 pad, c + 1, n_col - 2 pad)``: per row of the
    output, the sums of the channels and then of the weights. Only the
    shares that reach the output (the image without its ``pad`` border)
    are added; the others are left out, which changes no output value.

    For each ``t_row``, the weights of all ``t_col`` are computed first;
    then each output row receives its shares ``t_col`` by ``t_col``, for
    each ``t_col`` the partner's share and its own in the order of
    scikit-image's pixel loop (rows ascending, then columns). Each pixel's
    sums thus see the same additions in the same order.
    """
    n_row = planes.shape[0]
    n_col = acc.shape[2] + 2 * pad
    offset = s // 2
    h_out = n_row - 2 * pad
    w_out = n_col - 2 * pad
    # the last integral column read: pad + offset + w_out - 1
    m = n_col - pad + offset - 1
    integral = np.zeros((6, n_row, n_col), np.float64)
    diff = np.empty((6, n_col), np.float64)
    # weights[t_col, row, i]: pixel (row, offset + i) and its partner
    # (row + t_row, offset + i + t_col)
    weights = np.zeros((d + 1, n_row, n_col), np.float64)
    bits = np.empty(n_col, np.int64)
    own_lo = pad - offset
    for t_row in range(-d, d + 1):
        row_start = max(offset, offset - t_row)
        row_end = min(n_row - offset, n_row - offset - t_row)
        # rows whose own pixel, or whose partner, is in the output
        need_start = max(row_start, min(pad, pad - t_row))
        need_end = min(row_end, max(pad + h_out, pad + h_out - t_row))
        first = max(1, -t_row)
        last = min(n_row, need_end + offset + 1)
        for t_col0 in range(0, d + 1, 6):
            # rows above ``first`` and column 0 are never written in
            # scikit-image: zero, as they are here
            integral[:, first - 1] = 0.0
            for row in range(first, last):
                _nlm_integrals(planes, t_row, t_col0, row, nvar, m, diff, integral)
            for g in range(min(6, d + 1 - t_col0)):
                t_col = t_col0 + g
                alpha = 0.5 if t_col == 0 else 1.0
                for row in range(need_start, need_end):
                    own_in = pad <= row < pad + h_out
                    mate_in = pad <= row + t_row < pad + h_out
                    i0 = own_lo
                    i1 = own_lo + w_out
                    if mate_in:
                        i0 = own_lo - t_col
                        if not own_in:
                            i1 = own_lo - t_col + w_out
                    elif not own_in:
                        continue
                    _nlm_weights(integral, g, row, offset, i0, i1, h2s2, alpha,
                                 bits, weights, t_col)
        for r in range(pad, pad + h_out):
            # output row r: its own shares come from row r, its partner
            # shares from row q (earlier in scikit-image's loop if t_row > 0)
            q = r - t_row
            own_ok = need_start <= r < need_end
            mate_ok = need_start <= q < need_end
            dst = acc[r - pad]
            own_src = planes[r + t_row]
            mate_src = planes[q]
            for t_col in range(d + 1):
                mate_lo = own_lo - t_col
                own_at = offset + t_col + own_lo
                own_w = weights[t_col, r]
                mate_at = offset + mate_lo
                mate_w = weights[t_col, q]
                if own_ok and mate_ok:
                    # within one row, pixel p gets its partner share (from
                    # pixel p - t_col) before its own
                    if t_row > 0 or (t_row == 0 and t_col > 0):
                        _nlm_add2(dst, mate_src, mate_at, mate_w, mate_lo,
                                  own_src, own_at, own_w, own_lo, w_out)
                    else:
                        _nlm_add2(dst, own_src, own_at, own_w, own_lo,
                                  mate_src, mate_at, mate_w, mate_lo, w_out)
                elif own_ok:
                    _nlm_add(dst, own_src, own_at, own_w, own_lo, w_out)
                elif mate_ok:
                    _nlm_add(dst, mate_src, mate_at, mate_w, mate_lo, w_out)
    return acc


def _nl_means_image(image, h, sigma, patch_size=7, patch_distance=11):
    """``denoise_nl_means(image, h=h, sigma=sigma, preserve_range=True)``.

    Fast mode; ``(h, w)`` grayscale or ``(h, w, c)``.
    """
    x = image if image.ndim == 3 else image[..., np.newaxis]
    s = patch_size + 1 if patch_size % 2 == 0 else patch_size
    d = patch_distance
    pad = s // 2 + d + 1
    padded = np.pad(x, ((pad, pad), (pad, pad), (0, 0)), mode="reflect")
    n_row, n_col, c = padded.shape
    slack = d + _NLM_GROUP
    planes = np.zeros((n_row, c, n_col + slack), dtype=np.float64)
    planes[:, :, :n_col] = np.moveaxis(padded, -1, 1)
    h2s2 = c * h * h * s * s
    var = sigma * sigma
    var *= 2
    # per row: the c channel sums, then the weight sum
    acc = np.zeros((n_row - 2 * pad, c + 1, n_col - 2 * pad), dtype=np.float64)
    _nlm_planes(planes, s, d, h2s2, c * var, pad, acc)
    out = acc[:, :c] / acc[:, c:]
    return np.moveaxis(out, 1, -1).astype(image.dtype).reshape(image.shape)


def _nl_means_chunk(images, *, strength):
    sigmas = _image_sigmas(images)
    out = np.empty_like(images)
    for i, image in enumerate(images):
        sigma = float(np.mean(sigmas[i]))
        if not sigma > 0:
            out[i] = image
        else:
            out[i] = _nl_means_image(image, strength * sigma, sigma)
    return out


#: Below this largest magnitude an image is filtered scaled to 1 and scaled
#: back ("bilateral", "wavelet"): their parameters come from the image's own
#: spread, so the result is the same, but squares of such values underflow
#: (scikit-image's functions then return NaN, or read outside a table).
_TINY = {np.dtype(np.float32): 1e-15, np.dtype(np.float64): 1e-100}


def _scale_equivariant(chunk_func):
    """Run ``chunk_func`` on tiny images scaled to a largest magnitude of 1."""

    def chunk(images, **kwargs):
        peak = np.abs(images.reshape(len(images), -1)).max(axis=1)
        tiny = (peak > 0) & (peak < _TINY[images.dtype])
        if not tiny.any():
            return chunk_func(images, **kwargs)
        scale = peak[tiny].reshape((-1,) + (1,) * (images.ndim - 1))
        images = images.copy()
        images[tiny] /= scale
        out = chunk_func(images, **kwargs)
        out[tiny] *= scale
        return out

    chunk.__name__ = chunk_func.__name__
    chunk.__qualname__ = chunk_func.__qualname__
    return chunk


_CHUNK_FUNCS = {
    "tv": _tv_chunk,
    "wavelet": _scale_equivariant(_wavelet_chunk),
    "bilateral": _scale_equivariant(_bilateral_chunk),
    "nl_means": _nl_means_chunk,
}


def _denoise(images, *, method, strength, n_jobs=None, batch_size=None):
    """Denoise a float batch ``(n, h, w[, c])``; a new array, same dtype."""
    chunked = dict(n_jobs=n_jobs, batch_size=batch_size)
    if method == "gaussian":
        return _gaussian_batch(images, sigma=float(strength), **chunked)
    if method == "median":
        radius = _median_radius(strength)
        return map_chunks(_median_chunk, images, radius=radius, **chunked)
    return map_chunks(_CHUNK_FUNCS[method], images, strength=float(strength), **chunked)


class Denoiser(ImageTransformerMixin, BaseEstimator):
    """Remove noise from each image, by one of six scikit-image methods.

    Nothing is learned: ``fit`` records the image shape, ``transform``
    filters each image on its own.

    Parameters
    ----------
    method : {"gaussian", "median", "bilateral", "nl_means", "tv", \
"wavelet"}, default="gaussian"
        The filter, and what ``strength`` means for it:

        - "gaussian": :func:`skimage.filters.gaussian`, ``sigma=strength``
          pixels (``mode="nearest"``, ``truncate=4.0``); channels are not
          mixed.
        - "median": :func:`skimage.filters.median` with footprint
          ``skimage.morphology.disk(radius)``, ``radius`` = ``strength``
          rounded to the nearest integer (halves up); channels are not mixed.
          A strength under 0.5 gives radius 0, which leaves images unchanged.
        - "bilateral": :func:`skimage.restoration.denoise_bilateral`,
          ``sigma_spatial=strength`` pixels and ``mode="edge"`` (the border
          rule of "gaussian" and "median"; scikit-image's default,
          ``"constant"`` with ``cval=0``, darkens the borders); the other
          arguments are scikit-image's defaults (``sigma_color`` is the
          image's standard deviation, ``win_size`` covers 3 sigma). Colour
          images use the distance between colours; one-channel images are
          grayscale.
        - "nl_means": :func:`skimage.restoration.denoise_nl_means`,
          ``h = strength * sigma`` and ``sigma=sigma``, where ``sigma`` is
          the image's noise level by
          :func:`skimage.restoration.estimate_sigma` (the mean over
          channels); ``patch_size=7``, ``patch_distance=11``,
          ``fast_mode=True``.
        - "tv": :func:`skimage.restoration.denoise_tv_chambolle`,
          ``weight=strength``, each channel on its own. The weight is in the
          units of the pixel values: 0.1 is mild for images in ``[0, 1]``,
          1.0 is strong.
        - "wavelet": :func:`skimage.restoration.denoise_wavelet`
          (BayesShrink, soft thresholds, ``db1``), each channel on its own
          with ``sigma = strength * estimate_sigma(channel)``.

        For "nl_means" and "wavelet" ``strength=1`` trusts the estimated
        noise level and does not depend on the images' value range. Where
        no noise level can be estimated (a constant image, or an image one
        pixel tall) the estimate counts as 0 and the image (or channel) is
        returned unchanged.
    strength : float, default=1.0
        How strongly to denoise, in the method's unit above; greater than 0.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    n_jobs : int, default=None
        Jobs for :class:`joblib.Parallel` over chunks of images; None means
        1 unless in a :func:`joblib.parallel_backend` context. The output
        does not depend on it.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk. The
        output does not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error while denoising: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.

    Attributes
    ----------
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    denoise_batch : The function twin.
    skimage.filters.gaussian, skimage.filters.median,
    skimage.restoration.denoise_bilateral,
    skimage.restoration.denoise_nl_means,
    skimage.restoration.denoise_tv_chambolle,
    skimage.restoration.denoise_wavelet : The functions each method equals.

    Notes
    -----
    The value range is kept: float32 and float64 images are filtered as
    they are and keep their dtype. Integer and bool images are computed on
    their values converted to float32 as given, without rescaling (a uint8
    image comes out as float32 values in ``[0, 255]``, where scikit-image's
    functions would rescale it to ``[0, 1]``). Scale the images first, with
    :class:`PixelScaler`, for a strength that does not depend on the dtype.

    Each method runs over chunks of images (compiled loops, in chunks
    through joblib) rather than one scikit-image call per image; the module docstring explains why the
    results are scikit-image's: bit for bit, except "gaussian" on float32
    (and integer) images, which is computed in float32 and is within
    ``1e-6`` times the largest absolute pixel value of scikit-image's.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Denoiser
    >>> X = np.zeros((2, 5, 5), dtype=np.float32)
    >>> X[:, 2, 2] = 1.0  # one bright pixel in each image
    >>> out = Denoiser(method="median", strength=1).fit_transform(X)
    >>> out.dtype, float(out.max())
    (dtype('float32'), 0.0)
    >>> Denoiser(method="gaussian", strength=1.0).fit_transform(X)[0, 1:4, 1:4].round(4)
    array([[0.0586, 0.0965, 0.0586],
           [0.0965, 0.1592, 0.0965],
           [0.0586, 0.0965, 0.0586]], dtype=float32)
    """

    _parameter_constraints = {
        "method": [StrOptions(set(METHODS))],
        "strength": [Interval(Real, 0, None, closed="neither")],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        method="gaussian",
        strength=1.0,
        image_shape=None,
        n_jobs=None,
        batch_size=None,
        verbose=0,
    ):
        self.method = method
        self.strength = strength
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and record the image shape.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : Denoiser
            The fitted step.
        """
        self._check_images(X, reset=True)
        return self

    @reports_progress()
    def transform(self, X):
        """Denoise each image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_denoised : ndarray of the shape of X
            The denoised images, float32 or float64 (integer input gives
            float32).
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False)
        out = _denoise(
            images,
            method=self.method,
            strength=self.strength,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
        )
        return layout.restore(out)


def denoise_batch(
    images,
    *,
    method="gaussian",
    strength=1.0,
    image_shape=None,
    n_jobs=None,
    batch_size=None,
):
    """Denoise a batch of images: :class:`Denoiser` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch.
    method, strength, image_shape, n_jobs, batch_size
        As in :class:`Denoiser`.

    Returns
    -------
    denoised : ndarray of the shape of images
        The denoised batch, float32 or float64.

    Raises
    ------
    ValueError
        For an unknown method, a strength that is not positive, or a batch
        that is not one of images (see :class:`Denoiser`).

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import denoise_batch
    >>> X = np.array([[[0.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]])
    >>> denoise_batch(X, method="median", strength=1)  # disk(1): a cross
    array([[[0., 0., 0.],
            [0., 0., 0.],
            [0., 0., 0.]]])
    """
    return Denoiser(
        method=method,
        strength=strength,
        image_shape=image_shape,
        n_jobs=n_jobs,
        batch_size=batch_size,
    ).fit_transform(images)
