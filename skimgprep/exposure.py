"""Contrast and exposure: :class:`ContrastEnhancer` and :func:`enhance_contrast`.

Seven methods, six of them the :mod:`skimage.exposure` function they name,
applied to each image of the batch:

- "equalize": :func:`skimage.exposure.equalize_hist`;
- "clahe": :func:`skimage.exposure.equalize_adapthist` (contrast limited
  adaptive histogram equalisation);
- "gamma": :func:`skimage.exposure.adjust_gamma`;
- "log": :func:`skimage.exposure.adjust_log`;
- "sigmoid": :func:`skimage.exposure.adjust_sigmoid`;
- "rescale": :func:`skimage.exposure.rescale_intensity` with
  ``in_range=tuple(np.percentile(image, percentiles))`` (a percentile
  contrast stretch);
- "brightness": each image shifted so that its mean is a target mean, by
  default the mean of the training images (the one method that learns in
  ``fit``).

Why the whole-batch paths are exact
-----------------------------------
scikit-image computes each of these on one image. Here each runs on a chunk
of images at once, and is tested equal to the scikit-image loop:

* "gamma", "log", "sigmoid" are pixelwise: the batch call evaluates
  scikit-image's expression step by step in place, each step the same ufunc
  on the same operands (the same Python scalars, the same dtype), so every
  pixel gets the same bits.
* "equalize" replicates :func:`numpy.histogram`'s uniform-bin path with
  per-image edges (the same :func:`numpy.linspace`, the same index formula
  and the same one-ulp corrections, each an elementwise operation), counts
  all images' bins with one :func:`numpy.bincount` over ``(image, bin)``, and
  replaces :func:`numpy.interp` by its formula: a pixel in histogram bin
  ``b`` lies between bin centres ``b - 1`` and ``b`` or ``b`` and ``b + 1``,
  which one a comparison with centre ``b`` tells, so the search of
  :func:`numpy.interp` is not needed; the slope and the interpolation are
  numpy's own expressions in float64. Integer images are histogrammed value
  by value, as scikit-image does (``nbins`` is ignored for them), and each
  pixel takes its value's cumulative frequency.
* "rescale" takes every image's percentiles with one :func:`numpy.percentile`
  along the image axes (the same partition and interpolation per row) and
  applies :func:`skimage.exposure.rescale_intensity`'s arithmetic with
  per-image bounds, cast to the image dtype as its Python scalars are.
* "clahe" follows :func:`skimage.exposure.equalize_adapthist` step by step,
  for a chunk of images at once: the conversion to 2**14 grey levels
  (per-image minimum and maximum), the reflect padding (as index arrays: the
  same rows and columns that :func:`numpy.pad` would copy), the tile
  histograms of all images by one :func:`numpy.bincount` over
  ``(image, tile, bin)``, scikit-image's ``clip_histogram`` vectorised over
  tiles (the clip and the uniform increment in closed form; the final
  redistribution loop run index by index for all tiles still holding excess,
  each with its own stride, as the loop does), the cumulative maps with the
  same float64 arithmetic and truncation, and the bilinear interpolation
  with the same float64 weights, each weighted map value rounded to float32
  and summed in float32 in scikit-image's order of the four neighbours. The
  output is equal to scikit-image's bit for bit (float32 and float64 inputs;
  integer inputs give scikit-image's float64 result rounded to float32).

All methods run chunk by chunk (``batch_size``) through
:func:`skimgprep._parallel.map_chunks` with ``n_jobs``; no image depends on
another, so the output does not depend on either.
"""

from numbers import Integral, Real

import numpy as np
from skimage.color import hsv2rgb, rgb2hsv
from skimage.util import img_as_float, img_as_uint
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._parallel import map_chunks
from ._progress import reports_progress
from ._validation import float_dtype
from .base import ImageTransformerMixin

__all__ = ["ContrastEnhancer", "enhance_contrast"]

METHODS = ("equalize", "clahe", "gamma", "log", "sigmoid", "rescale", "brightness")

#: Methods defined for non-negative images only (as in scikit-image).
_NON_NEGATIVE = ("gamma", "log", "sigmoid")

#: The default ``gain`` of each method (scikit-image's).
_DEFAULT_GAIN = {"gamma": 1.0, "log": 1.0, "sigmoid": 10.0}

#: Grey levels of scikit-image's CLAHE (``NR_OF_GRAY``).
_NR_OF_GRAY = 2**14

#: Pixel values (or histogram bins) per block of the whole-batch paths: small
#: enough that their temporaries stay in cache.
_BLOCK = 2**16
_CLAHE_BLOCK = 2**17


def _as_computed(images):
    """Bool and float16 images are computed as float32; others as they are."""
    if images.dtype == np.bool_ or (
        images.dtype.kind == "f" and images.dtype.itemsize not in (4, 8)
    ):
        return images.astype(np.float32)
    return images


def _batch_shape(n, ndim):
    return (n,) + (1,) * (ndim - 1)


def _blockwise(images, *, block_func, out_dtype, per_image=None, block=None, **kwargs):
    """``block_func`` on consecutive blocks of a few images, into one output.

    The whole-batch computations make several temporaries the size of their
    input; blocks of about ``_BLOCK`` values keep them in cache. Every image
    is computed on its own, so the blocks do not change the result. A
    ``block_func`` with an ``out`` parameter (the pixelwise methods) writes
    its block of the output itself.
    """
    n = images.shape[0]
    per_image = per_image or max(1, int(np.prod(images.shape[1:])))
    step = max(1, (block or _BLOCK) // per_image)
    if block_func in _WRITES_OUT:
        out = np.empty(images.shape, dtype=out_dtype)
        for start in range(0, n, step):
            part = slice(start, start + step)
            block_func(images[part], out=out[part], out_dtype=out_dtype, **kwargs)
        return out
    if step >= n:
        return block_func(images, out_dtype=out_dtype, **kwargs)
    out = None
    for start in range(0, n, step):
        res = block_func(images[start : start + step], out_dtype=out_dtype, **kwargs)
        if out is None:
            out = np.empty((n,) + res.shape[1:], dtype=res.dtype)
        out[start : start + step] = res
    return out


# --- "equalize" -------------------------------------------------------------


def _equalize_int(flat):
    """``equalize_hist`` of each row of an integer ``(m, p)`` array, float64."""
    p = flat.shape[1]
    values = flat.astype(np.int64)
    lo = values.min(axis=1)
    span = values.max(axis=1) - lo + 1
    start = np.concatenate(([0], np.cumsum(span)[:-1]))
    index = values - lo[:, None]
    index += start[:, None]
    counts = np.bincount(index.ravel(), minlength=int(span.sum()))
    cumulative = np.cumsum(counts)
    # The cumulative count of each image: the global one minus what came before.
    before = np.concatenate(([0], cumulative))[start]
    return (cumulative[index] - before[:, None]) / float(p)


def _equalize_float(flat, nbins):
    """``equalize_hist`` of each row of a float ``(m, p)`` array, float64.

    numpy.histogram's uniform-bin path with per-row edges, then
    numpy.interp's formula at the bin centres.
    """
    m = flat.shape[0]
    dtype = flat.dtype
    first = flat.min(axis=1)
    last = flat.max(axis=1)
    same = first == last
    if same.any():
        first = np.where(same, first - dtype.type(0.5), first)
        last = np.where(same, last + dtype.type(0.5), last)
    edges = np.linspace(first, last, nbins + 1, axis=1, dtype=dtype)
    # numpy.histogram: index from the scaled value, then one-ulp corrections.
    scaled = flat - first[:, None]
    scaled /= (last - first)[:, None]
    scaled *= dtype.type(nbins)
    index = scaled.astype(np.intp)
    index[index == nbins] -= 1
    index += (np.arange(m, dtype=np.intp) * (nbins + 1))[:, None]
    flat_edges = edges.ravel()
    index -= flat < flat_edges[index]
    last_bin = (np.arange(m, dtype=np.intp) * (nbins + 1) + nbins - 1)[:, None]
    index += (flat >= flat_edges[index + 1]) & (index != last_bin)
    # Now index = row * (nbins + 1) + bin; counts per (row, bin).
    counts = np.bincount(index.ravel(), minlength=m * (nbins + 1))
    cdf = np.cumsum(counts.reshape(m, nbins + 1)[:, :nbins], axis=1)
    cdf = cdf / cdf[:, -1:].astype(np.float64)
    # equalize_hist casts the cdf to the image's float type before np.interp,
    # which computes in float64; its slopes are (fp[i+1] - fp[i]) / (xp[i+1] - xp[i]).
    fp = cdf.astype(dtype, copy=False).astype(np.float64)
    xp = ((edges[:, :-1] + edges[:, 1:]) / 2.0).astype(np.float64)
    slopes = np.empty_like(fp)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(np.diff(fp, axis=1), np.diff(xp, axis=1), out=slopes[:, :-1])
    slopes[:, -1] = 0.0
    x = flat.astype(np.float64, copy=False)
    # The pixel lies in [xp[j], xp[j + 1]) with j its bin or the bin before;
    # rows are laid out (nbins + 1) apart in index, nbins apart in xp.
    index -= (np.arange(m, dtype=np.intp))[:, None]
    flat_xp = xp.ravel()
    index -= x < flat_xp[index]
    row_start = (np.arange(m, dtype=np.intp) * nbins)[:, None]
    below = index < row_start
    above = index >= row_start + (nbins - 1)
    np.clip(index, row_start, row_start + (nbins - 1), out=index)
    x0 = flat_xp[index]
    y0 = fp.ravel()[index]
    slope = slopes.ravel()[index]
    with np.errstate(invalid="ignore"):
        out = x - x0
        out *= slope
        out += y0
    bad = np.isnan(out)
    if bad.any():  # numpy.interp's fallbacks for a zero-width interval
        y1 = fp.ravel()[np.minimum(index + 1, m * nbins - 1)][bad]
        x1 = flat_xp[np.minimum(index + 1, m * nbins - 1)][bad]
        with np.errstate(invalid="ignore"):
            alt = slope[bad] * (x[bad] - x1) + y1
        out[bad] = np.where(np.isnan(alt) & (y0[bad] == y1), y0[bad], alt)
    np.copyto(out, y0, where=x == x0)
    np.copyto(out, np.broadcast_to(fp[:, :1], out.shape), where=below)
    np.copyto(out, np.broadcast_to(fp[:, -1:], out.shape), where=above)
    return out


def _equalize_chunk(images, *, nbins, out_dtype):
    m = images.shape[0]
    flat = images.reshape(m, -1)
    if flat.dtype.kind in "ui":
        out = _equalize_int(flat)
    else:
        out = _equalize_float(flat, nbins)
    return out.astype(out_dtype, copy=False).reshape(images.shape)


# --- "clahe" ----------------------------------------------------------------


def _levels_from_uint(u, lo=None, hi=None, *, plan):
    """``rescale_intensity(u, out_range=(0, 2**14 - 1))``, rounded, binned.

    ``u`` holds the uint16 image of ``img_as_uint`` (any real dtype holding
    those integers), ``(m, h, w)``; per image, as scikit-image; ``lo`` and
    ``hi`` are each image's minimum and maximum of ``u`` when known. Returns
    the grey-level bins, intp, in a work array of ``plan``.
    """
    m = u.shape[0]
    if lo is None:
        flat = u.reshape(m, -1)
        lo, hi = flat.min(axis=1), flat.max(axis=1)
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    span = hi - lo
    const = span == 0
    shape = _batch_shape(m, u.ndim)
    levels = plan.buffer("levels_float", u.shape, np.float64)
    np.subtract(u, lo.reshape(shape), out=levels)
    levels /= np.where(const, 1.0, span).reshape(shape)
    levels *= float(_NR_OF_GRAY - 1)
    if const.any():
        # rescale_intensity of a constant image clips it to the output range.
        levels[const] = np.minimum(u[const], _NR_OF_GRAY - 1)
    np.round(levels, out=levels)
    # The grey-level bin: levels // bin_size. The levels are integers under
    # 2**14, so the float quotient truncates to the same integer.
    levels /= plan.bin_size
    out = plan.buffer("levels", u.shape, np.intp)
    np.copyto(out, levels, casting="unsafe")
    return out


def _levels_uint8(images, plan):
    """:func:`_levels_from_uint` for uint8 images, by a table per image."""
    m = images.shape[0]
    flat = images.reshape(m, -1)
    lo = img_as_uint(flat.min(axis=1)).astype(np.float64)[:, None]
    hi = img_as_uint(flat.max(axis=1)).astype(np.float64)[:, None]
    span = hi - lo
    u = img_as_uint(np.arange(256, dtype=np.uint8)).astype(np.float64)
    levels = (u[None, :] - lo) / np.where(span == 0, 1.0, span)
    levels *= float(_NR_OF_GRAY - 1)
    const = span[:, 0] == 0
    if const.any():
        levels[const] = np.minimum(u, _NR_OF_GRAY - 1)
    np.round(levels, out=levels)
    levels /= plan.bin_size
    table = levels.astype(np.intp).ravel()
    index = plan.buffer("index_uint8", images.shape, np.intp)
    np.copyto(index, images)
    index += (np.arange(m, dtype=np.intp) * 256).reshape(_batch_shape(m, images.ndim))
    return np.take(
        table, index, out=plan.buffer("levels", images.shape, np.intp), mode="clip"
    )


def _uint_from_float(images, plan):
    """``img_as_uint`` of float images with skimgprep's range rule, as floats.

    Negative values count as 0 (as in ``img_as_uint``); an image with values
    above 1 is divided by its maximum first. Then ``img_as_uint``'s
    arithmetic: times 65535 in the image's float type, rounded to the
    nearest integer (the values stay in [0, 65535], so its clip is a no-op).
    Returns the values and each image's minimum and maximum of them (the
    same arithmetic on the extremes, which it preserves).
    """
    m = images.shape[0]
    flat = images.reshape(m, -1)
    lo, hi = flat.min(axis=1), flat.max(axis=1)
    if (lo < 0).any():
        images = np.maximum(images, 0)
        lo = np.maximum(lo, 0)
        hi = np.maximum(hi, 0)
    over = hi > 1
    if over.any():
        divisor = np.where(over, hi, images.dtype.type(1))
        images = images / divisor.reshape(_batch_shape(m, images.ndim))
        lo = lo / divisor
        hi = hi / divisor
    u = np.multiply(images, 65535, out=plan.buffer("uint", images.shape, images.dtype))
    np.rint(u, out=u)
    extremes = np.rint(np.multiply(np.stack([lo, hi]), 65535, dtype=images.dtype))
    return u, extremes[0], extremes[1]


class _ClahePlan:
    """Everything of the CLAHE of one image shape that is not per image."""

    def __init__(self, shape, kernel_size, clip_limit, nbins):
        h, w = shape
        k0, k1 = kernel_size
        self.nbins = nbins
        self.bin_size = 1 + _NR_OF_GRAY // nbins
        self._buffers = {}
        # equalize_adapthist pads k // 2 before and enough after to reach a
        # multiple of k plus half a kernel, with mode="reflect". The padded
        # rows and columns, as indices into the image:
        rows = np.pad(
            np.arange(h), (k0 // 2, (k0 - h % k0) % k0 + -(-k0 // 2)), mode="reflect"
        )
        cols = np.pad(
            np.arange(w), (k1 // 2, (k1 - w % k1) % k1 + -(-k1 // 2)), mode="reflect"
        )
        nh0, nh1 = len(rows) // k0 - 1, len(cols) // k1 - 1
        self.n_tiles = (nh0, nh1)
        # The tiles' pixels: rows[k0 // 2 : k0 // 2 + nh0 * k0], likewise columns.
        tile_rows = rows[k0 // 2 : k0 // 2 + nh0 * k0]
        tile_cols = cols[k1 // 2 : k1 // 2 + nh1 * k1]
        same = (
            len(tile_rows) == h
            and len(tile_cols) == w
            and np.array_equal(tile_rows, np.arange(h))
            and np.array_equal(tile_cols, np.arange(w))
        )
        self.tile_rows, self.tile_cols = (
            (None, None) if same else (tile_rows, tile_cols)
        )
        self.tile_index = (
            (np.arange(nh0 * k0) // k0)[:, None] * nh1
            + (np.arange(nh1 * k1) // k1)[None, :]
        ) * nbins
        self.n_pixels = k0 * k1
        if clip_limit > 0.0:
            self.clim = int(np.clip(clip_limit * self.n_pixels, 1, None))
        else:
            self.clim = self.n_pixels
        # Interpolation: the maps are padded by one tile on each side (edge
        # mode); pixel (y, x) of the image is pixel (y + k0 // 2, x + k1 // 2)
        # of the padded image, in block (r // k0, c // k1) at offset
        # (r % k0, c % k1).
        self.map_shape = (nh0 + 2, nh1 + 2)
        r = np.arange(h) + k0 // 2
        c = np.arange(w) + k1 // 2
        self.map_index = ((r // k0)[:, None] * (nh1 + 2) + (c // k1)[None, :]) * nbins
        row_frac = (np.arange(k0) / k0)[r % k0]
        col_frac = (np.arange(k1) / k1)[c % k1]
        row_terms = (1 - row_frac, row_frac)
        col_terms = (1 - col_frac, col_frac)
        # The four neighbours in scikit-image's order (np.ndindex(2, 2)), each
        # with its offset into the maps and its weight col_term * row_term.
        self.neighbours = [
            (
                (e0 * (nh1 + 2) + e1) * nbins,
                col_terms[e1][None, :] * row_terms[e0][:, None],
            )
            for e0 in (0, 1)
            for e1 in (0, 1)
        ]

    def buffer(self, name, shape, dtype):
        """A work array kept across the blocks of a batch.

        Fresh large temporaries cost page faults on every block; these are
        allocated once and reused (a view of the first ``prod(shape)``
        values).
        """
        size = int(np.prod(shape))
        buf = self._buffers.get(name)
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = self._buffers[name] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)

    def run(self, levels):
        """The uint16 result of scikit-image's ``_clahe``, as float32 ``(m, h, w)``.

        ``levels`` holds the grey-level bins ``(m, h, w)`` (intp). The result
        is a work array of the plan, overwritten by the next call.
        """
        m, h, w = levels.shape
        nbins = self.nbins
        nh0, nh1 = self.n_tiles
        n_tiles = nh0 * nh1
        tiles = levels
        if self.tile_rows is not None:
            tiles = levels[:, self.tile_rows][:, :, self.tile_cols]
        index = np.add(
            tiles, self.tile_index, out=self.buffer("tiles", tiles.shape, np.intp)
        )
        index += (np.arange(m, dtype=np.intp) * (n_tiles * nbins))[:, None, None]
        hist = np.bincount(index.ravel(), minlength=m * n_tiles * nbins)
        hist = _clip_histograms(
            hist.reshape(m * n_tiles, nbins), self.clim, self.n_pixels
        )
        # map_histogram: cumulate, scale to [0, 2**14 - 1], truncate.
        cumulative = np.cumsum(
            hist, axis=1, out=self.buffer("cum", hist.shape, hist.dtype)
        )
        scaled = np.multiply(
            cumulative,
            (_NR_OF_GRAY - 1) / self.n_pixels,
            out=self.buffer("scaled", hist.shape, np.float64),
        )
        np.minimum(scaled, _NR_OF_GRAY - 1, out=scaled)
        M0, M1 = self.map_shape
        maps = self.buffer("maps", (m, M0, M1, nbins), np.float32)
        inner = maps[:, 1:-1, 1:-1]
        np.floor(scaled.reshape(m, nh0, nh1, nbins), out=inner, casting="same_kind")
        maps[:, 0, 1:-1] = inner[:, 0]
        maps[:, -1, 1:-1] = inner[:, -1]
        maps[:, :, 0] = maps[:, :, 1]
        maps[:, :, -1] = maps[:, :, -2]
        flat_maps = maps.ravel()
        index = np.add(
            levels, self.map_index, out=self.buffer("index", levels.shape, np.intp)
        )
        index += (np.arange(m, dtype=np.intp) * (M0 * M1 * nbins))[:, None, None]
        result = self.buffer("result", (m, h, w), np.float32)
        mapped = self.buffer("mapped", (m, h, w), np.float32)
        term = self.buffer("term", (m, h, w), np.float32)
        for i, (offset, weight) in enumerate(self.neighbours):
            np.take(flat_maps[offset:], index, out=mapped, mode="clip")
            # float64 product, rounded to float32 (scikit-image's astype).
            if i == 0:
                np.multiply(mapped, weight, out=result, casting="same_kind")
            else:
                np.multiply(mapped, weight, out=term, casting="same_kind")
                result += term
        # The cast to uint16 truncates; the values are non-negative.
        np.floor(result, out=result)
        return result


def _count_true(mask):
    """Number of True values in each row of a 2D boolean array."""
    return mask.view(np.uint8).sum(axis=1, dtype=np.int32)


def _clip_histograms(hist, clim, n_pixels):
    """scikit-image's ``clip_histogram`` on each row of ``hist``, in place.

    Every row counts ``n_pixels`` pixels. The clip and the uniform increment
    are closed forms of scikit-image's masks; the redistribution of what is
    left runs scikit-image's loop over ``index`` for all rows at once, each
    row with its own stride.
    """
    nbins = hist.shape[1]
    np.minimum(hist, clim, out=hist)
    excess = n_pixels - hist.sum(axis=1)
    incr = excess // nbins
    if incr.any():
        # Bins under clim - incr get incr; the others end at clim.
        incr = incr[:, None]
        hist += incr
        np.copyto(hist, clim, where=hist >= clim - incr)
        excess = n_pixels - hist.sum(axis=1)
    rows = np.flatnonzero(excess > 0)
    if rows.size == 0:
        return hist
    every_row = rows.size == hist.shape[0]
    sub = hist if every_row else hist[rows]
    left = excess[rows]
    positions = np.arange(nbins)
    todo = np.arange(rows.size)
    while todo.size:
        before = left[todo]
        active = todo
        for index in range(nbins):
            whole = active.size == sub.shape[0]
            h = sub if whole else sub[active]
            under = h < clim
            step = np.maximum(1, _count_true(under) // left[active])
            # The bins index, index + step, ... of each row, by its step.
            strides = np.arange(1, step.max() + 1)[:, None]
            patterns = (positions >= index) & ((positions - index) % strides == 0)
            chosen = patterns[step - 1]
            chosen &= under
            h += chosen
            if not whole:
                sub[active] = h
            left[active] -= _count_true(chosen)
            active = active[left[active] > 0]
            if active.size == 0:
                break
        todo = todo[(left[todo] > 0) & (left[todo] != before)]
    if not every_row:
        hist[rows] = sub
    return hist


def _kernel(shape, kernel_size):
    if kernel_size is None:
        return tuple(max(s // 8, 1) for s in shape)
    if isinstance(kernel_size, Integral):
        return (int(kernel_size),) * 2
    return tuple(int(k) for k in kernel_size)


def _clahe_block(images, *, plan, out_dtype):
    if images.dtype == np.uint8:
        levels = _levels_uint8(images, plan)
    elif images.dtype.kind == "f":
        levels = _levels_from_uint(*_uint_from_float(images, plan), plan=plan)
    else:
        levels = _levels_from_uint(img_as_uint(images), plan=plan)
    result = plan.run(levels)
    if out_dtype != result.dtype:
        wide = plan.buffer("out", result.shape, out_dtype)
        np.copyto(wide, result)
        result = wide
    # equalize_adapthist ends with rescale_intensity to [0, 1].
    m = result.shape[0]
    flat = result.reshape(m, -1)
    lo, hi = flat.min(axis=1), flat.max(axis=1)
    span = hi - lo
    const = span == 0
    if const.any():
        # A constant result: rescale_intensity clips it to [0, 1].
        kept = np.clip(result[const], 0, 1)
    result -= lo[:, None, None]
    result /= np.where(const, 1, span)[:, None, None]
    if const.any():
        result[const] = kept
    return result


def _clahe_gray(images, *, kernel_size, clip_limit, nbins, out_dtype):
    """``equalize_adapthist`` of each image of ``(m, h, w)``."""
    h, w = images.shape[1:]
    plan = _ClahePlan((h, w), _kernel((h, w), kernel_size), clip_limit, nbins)
    per_image = max(h * w, plan.n_tiles[0] * plan.n_tiles[1] * nbins)
    return _blockwise(
        images,
        block_func=_clahe_block,
        plan=plan,
        out_dtype=out_dtype,
        per_image=per_image,
        block=_CLAHE_BLOCK,
    )


def _clahe_chunk(images, *, kernel_size, clip_limit, nbins, out_dtype):
    kwargs = {"kernel_size": kernel_size, "clip_limit": clip_limit, "nbins": nbins}
    if images.ndim == 3:
        return _clahe_gray(images, out_dtype=out_dtype, **kwargs)
    m, h, w, c = images.shape
    if c in (3, 4):
        # equalize_adapthist's adapt_rgb(hsv_value): CLAHE of the HSV value.
        hsv = rgb2hsv(images[..., :3])
        value = _clahe_gray(hsv[..., 2], out_dtype=hsv.dtype, **kwargs)
        hsv[..., 2] = value
        rgb = hsv2rgb(hsv).astype(out_dtype, copy=False)
        if c == 3:
            return rgb
        alpha = img_as_float(images[..., 3:]).astype(out_dtype, copy=False)
        return np.concatenate([rgb, alpha], axis=-1)
    # Other channel counts: each channel on its own, as a grayscale image.
    channels = np.moveaxis(images, -1, 1).reshape(m * c, h, w)
    out = _clahe_gray(channels, out_dtype=out_dtype, **kwargs)
    return np.moveaxis(out.reshape(m, c, h, w), 1, -1)


# --- "rescale" --------------------------------------------------------------


def _dtype_range(dtype, clip_negative):
    """The output range of ``rescale_intensity(out_range="dtype")``, per image."""
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        lo, hi = float(info.min), float(info.max)
    else:
        lo, hi = -1.0, 1.0
    return np.where(clip_negative, 0.0, lo), np.full(clip_negative.shape, hi)


def _rescale_chunk(images, *, percentiles, out_dtype):
    m = images.shape[0]
    in_dtype = images.dtype
    flat = images.reshape(m, -1)
    lo, hi = np.percentile(flat, percentiles, axis=1).astype(np.float64)
    out_lo, out_hi = _dtype_range(in_dtype, lo >= 0)
    # rescale_intensity's Python scalars are cast to the image's float type
    # (integer images are computed in float64, as scikit-image does).
    work = in_dtype if in_dtype.kind == "f" else np.dtype(np.float64)
    shape = _batch_shape(m, images.ndim)

    def cast(values):
        return values.astype(work).reshape(shape)

    out = np.clip(images, cast(lo), cast(hi), dtype=work)
    span = hi - lo
    # A span that is 0 in the image's float type (as well as in float64) is
    # a constant image: dividing by it would give NaN, where scikit-image does.
    const = span.astype(work) == 0
    out -= cast(lo)
    out /= cast(np.where(const, 1.0, span))
    out *= cast(out_hi - out_lo)
    out += cast(out_lo)
    if const.any():
        out[const] = np.clip(images[const], cast(out_lo)[const], cast(out_hi)[const])
    return out.astype(out_dtype, copy=False)


# --- pixelwise methods ------------------------------------------------------


def _scale_of(dtype):
    """``float(dtype_limits(image, clip_negative=True)[1])``: 1 for floats."""
    if dtype.kind in "ui":
        return float(np.iinfo(dtype).max)
    return 1.0


def _pointwise_chunk(
    images, *, method, gamma, gain, cutoff, inv, scale, out_dtype, out=None
):
    """scikit-image's expression for ``method``, evaluated in place.

    Each in-place step is the same ufunc on the same operands as the
    expression's (``**=`` takes numpy's scalar-power shortcuts as ``**``
    does), so the values are the same bits.
    """
    out = np.divide(images, scale, dtype=out_dtype, out=out)
    if method == "gamma":
        # ((image / scale) ** gamma) * scale * gain
        out **= gamma
        out *= scale
        out *= gain
    elif method == "log" and inv:
        # (2 ** (image / scale) - 1) * scale * gain
        np.power(2, out, out=out)
        out -= 1
        out *= scale
        out *= gain
    elif method == "log":
        # np.log2(1 + image / scale) * scale * gain
        out += 1
        np.log2(out, out=out)
        out *= scale
        out *= gain
    else:
        # [1 -] 1 / (1 + np.exp(gain * (cutoff - image / scale))), times scale
        np.subtract(cutoff, out, out=out)
        out *= gain
        np.exp(out, out=out)
        out += 1
        np.divide(1, out, out=out)
        if inv:
            np.subtract(1, out, out=out)
        out *= scale
    return out


def _brightness_chunk(images, *, target_mean, out_dtype, out=None):
    m = images.shape[0]
    means = images.reshape(m, -1).mean(axis=1, dtype=np.float64)
    shift = (
        (target_mean - means).astype(out_dtype).reshape(_batch_shape(m, images.ndim))
    )
    return np.add(images, shift, dtype=out_dtype, out=out)


#: The block functions that write into a given output.
_WRITES_OUT = (_pointwise_chunk, _brightness_chunk)


class ContrastEnhancer(ImageTransformerMixin, BaseEstimator):
    """Enhance the contrast of each image, by one of seven exposure methods.

    Each method equals the :mod:`skimage.exposure` function it names, on
    each image. Only "brightness" learns in ``fit`` (the training images'
    mean); the other methods take each image's own statistics at transform
    time, so ``fit`` only checks the parameters and records the image shape.

    Parameters
    ----------
    method : {"equalize", "clahe", "gamma", "log", "sigmoid", "rescale", \
"brightness"}, default="equalize"
        - "equalize": :func:`skimage.exposure.equalize_hist`, each image by
          its own histogram (all channels in one histogram, as scikit-image
          does). Output in ``[0, 1]``.
        - "clahe": :func:`skimage.exposure.equalize_adapthist`
          (``kernel_size``, ``clip_limit``, ``nbins``), each image by its own
          tiles. Colour images (3 channels, or 4 with alpha) are equalised on
          the value channel of HSV, as scikit-image does; the alpha channel
          is kept (scikit-image drops it). Images with another number of
          channels are equalised channel by channel. Output in ``[0, 1]``.
        - "gamma": :func:`skimage.exposure.adjust_gamma`,
          ``gain * image ** gamma`` on the ``[0, 1]`` scale.
        - "log": :func:`skimage.exposure.adjust_log`,
          ``gain * log2(1 + image)`` (``inv=True``: ``gain * (2 ** image -
          1)``) on the ``[0, 1]`` scale.
        - "sigmoid": :func:`skimage.exposure.adjust_sigmoid`,
          ``1 / (1 + exp(gain * (cutoff - image)))`` on the ``[0, 1]`` scale
          (``inv=True``: one minus that).
        - "rescale": :func:`skimage.exposure.rescale_intensity` with
          ``in_range`` the image's ``percentiles`` (by
          :func:`numpy.percentile`): a contrast stretch that clips the
          darkest and brightest pixels.
        - "brightness": add to each image the constant that makes its mean
          ``target_mean_`` (values are not clipped).
    clip_limit : float, default=0.01
        "clahe": clipping limit, normalised between 0 and 1 (higher values
        give more contrast; 0 means no clipping, adaptive equalisation).
    kernel_size : int or tuple (kh, kw), default=None
        "clahe": shape of the contextual regions (tiles), in pixels. None:
        1/8 of the image height by 1/8 of its width, at least 1 (so an image
        one pixel tall has tiles one pixel tall), as scikit-image.
    nbins : int, default=256
        "equalize" and "clahe": number of histogram bins. "equalize" ignores
        it for integer images, where each value is its own bin (as
        scikit-image).
    gamma : float, default=1.0
        "gamma": the exponent, non-negative.
    gain : float, default=None
        "gamma", "log": the constant multiplier; "sigmoid": the slope. None:
        scikit-image's default of the method (1 for "gamma" and "log", 10
        for "sigmoid").
    cutoff : float, default=0.5
        "sigmoid": the value on the ``[0, 1]`` scale that goes to 0.5.
    inv : bool, default=False
        "log" and "sigmoid": the inverse correction (scikit-image's ``inv``).
    percentiles : tuple (low, high), default=(2, 98)
        "rescale": the percentiles of each image stretched to the output
        range, ``0 <= low < high <= 100``.
    target_mean : float, default=None
        "brightness": the mean each image is shifted to. None: learned in
        ``fit`` as the mean pixel value of the training images.
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
        Report progress on standard error while enhancing: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.

    Attributes
    ----------
    target_mean_ : float
        "brightness" only: the mean the images are shifted to.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    enhance_contrast : The function twin.
    PixelScaler : Scaling by fitted statistics or by the dtype's range.
    skimage.exposure.equalize_hist, skimage.exposure.equalize_adapthist,
    skimage.exposure.adjust_gamma, skimage.exposure.adjust_log,
    skimage.exposure.adjust_sigmoid,
    skimage.exposure.rescale_intensity : The functions the methods equal.

    Notes
    -----
    **Value ranges.** The output dtype is the input's float dtype: float32
    and float64 are kept, integer images give float32 (bool and float16 are
    read as float32).

    - "equalize" and "clahe" return values in ``[0, 1]`` whatever the input
      range: that is their job. Integer images are read as scikit-image
      reads them ("equalize": one bin per integer value; "clahe": the
      dtype's range, ``img_as_uint``); the result equals scikit-image's
      float64 output rounded to float32. "clahe" reads float images on
      ``[0, 1]``, as scikit-image does: negative values count as 0, and an
      image with values above 1 (which scikit-image rejects) is divided by
      its maximum first, so float images in ``[0, 255]`` work too (CLAHE
      stretches each image's own range, so only the scale of the grey-level
      quantisation changes).
    - "gamma", "log" and "sigmoid" work on the ``[0, 1]`` scale: float
      images are taken as they are (scikit-image's float range is
      ``[0, 1]``), integer images are divided by their dtype's maximum (255
      for uint8) and multiplied back, computed in float32 (scikit-image
      computes in float64, then rounds or truncates back to the integer
      dtype). They raise a ValueError on negative values, as scikit-image
      does.
    - "rescale" maps the percentiles to the input dtype's range, as
      ``rescale_intensity(out_range="dtype")``: ``[0, 1]`` for float images
      (``[-1, 1]`` when the low percentile is negative), ``[0, 255]`` for
      uint8 (as float32, computed in float64 like scikit-image, without its
      truncation to integers).
    - "brightness" keeps the units of the input.

    Where scikit-image raises for an image whose float range is too narrow
    for ``nbins`` distinct bins ("equalize"), the histogram is still taken
    (by numpy.histogram's index formula).

    **Speed.** "equalize", "rescale" and "clahe" run as whole-chunk numpy
    computations, equal to the scikit-image function on each image; the
    module docstring explains why.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import ContrastEnhancer
    >>> X = np.array([[[0, 50], [50, 200]]], dtype=np.uint8)
    >>> ContrastEnhancer(method="equalize").fit_transform(X)
    array([[[0.25, 0.75],
            [0.75, 1.  ]]], dtype=float32)
    >>> X = np.array([[[0.2, 0.4], [0.4, 0.6]]])
    >>> ContrastEnhancer(method="gamma", gamma=2.0).fit_transform(X).round(2)
    array([[[0.04, 0.16],
            [0.16, 0.36]]])
    >>> enhancer = ContrastEnhancer(method="brightness").fit(X)
    >>> enhancer.target_mean_
    0.4
    """

    _parameter_constraints = {
        "method": [StrOptions(set(METHODS))],
        "clip_limit": [Interval(Real, 0, None, closed="left")],
        "kernel_size": [Interval(Integral, 1, None, closed="left"), "array-like", None],
        "nbins": [Interval(Integral, 1, None, closed="left")],
        "gamma": [Interval(Real, 0, None, closed="left")],
        "gain": [Real, None],
        "cutoff": [Real],
        "inv": ["boolean"],
        "percentiles": ["array-like"],
        "target_mean": [Real, None],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        method="equalize",
        clip_limit=0.01,
        kernel_size=None,
        nbins=256,
        gamma=1.0,
        gain=None,
        cutoff=0.5,
        inv=False,
        percentiles=(2, 98),
        target_mean=None,
        image_shape=None,
        n_jobs=None,
        batch_size=None,
        verbose=0,
    ):
        self.method = method
        self.clip_limit = clip_limit
        self.kernel_size = kernel_size
        self.nbins = nbins
        self.gamma = gamma
        self.gain = gain
        self.cutoff = cutoff
        self.inv = inv
        self.percentiles = percentiles
        self.target_mean = target_mean
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.verbose = verbose

    def _check_params(self):
        ks = self.kernel_size
        pair = (
            ks is None
            or isinstance(ks, Integral)
            or (
                len(ks) == 2
                and all(
                    isinstance(k, Integral) and not isinstance(k, bool) and k >= 1
                    for k in ks
                )
            )
        )
        if not pair:
            raise ValueError(
                "kernel_size must be None, a positive integer or a tuple "
                f"(kh, kw) of two positive integers; got {ks!r}."
            )
        p = self.percentiles
        if (
            len(p) != 2
            or not all(isinstance(v, Real) and not isinstance(v, bool) for v in p)
            or not 0 <= p[0] < p[1] <= 100
        ):
            raise ValueError(
                "percentiles must be a tuple (low, high) of two numbers with "
                f"0 <= low < high <= 100; got {p!r}."
            )

    def _check_non_negative(self, images):
        if self.method in _NON_NEGATIVE and images.dtype.kind != "u":
            low = images.min()
            if low < 0:
                raise ValueError(
                    f"Negative values in data passed to ContrastEnhancer"
                    f"(method={self.method!r}): its scikit-image function is "
                    f"defined for non-negative images; got a minimum of "
                    f"{low.item()!r}. Rescale the images first (for instance with "
                    "method='rescale' or PixelScaler)."
                )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and the images; "brightness" learns the mean.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : ContrastEnhancer
            The fitted step.

        Raises
        ------
        ValueError
            For invalid parameters, or negative pixels with "gamma", "log"
            and "sigmoid".
        """
        self._check_params()
        images, _ = self._check_images(X, reset=True, cast=None)
        self._check_non_negative(images)
        if self.method == "brightness":
            if self.target_mean is None:
                self.target_mean_ = float(images.mean(dtype=np.float64))
            else:
                self.target_mean_ = float(self.target_mean)
        return self

    @reports_progress()
    def transform(self, X):
        """Enhance each image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_enhanced : ndarray of the shape of X
            The enhanced images, float32 or float64 (integer input gives
            float32).
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False, cast=None)
        self._check_non_negative(images)
        out = _enhance(
            images,
            method=self.method,
            clip_limit=self.clip_limit,
            kernel_size=self.kernel_size,
            nbins=self.nbins,
            gamma=self.gamma,
            gain=self.gain,
            cutoff=self.cutoff,
            inv=self.inv,
            percentiles=self.percentiles,
            target_mean=getattr(self, "target_mean_", None),
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
        )
        return layout.restore(out)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = self.method in _NON_NEGATIVE
        return tags


def _enhance(
    images,
    *,
    method,
    clip_limit,
    kernel_size,
    nbins,
    gamma,
    gain,
    cutoff,
    inv,
    percentiles,
    target_mean,
    n_jobs,
    batch_size,
):
    """Apply ``method`` to a validated batch ``(n, h, w[, c])``; a new array."""
    images = _as_computed(images)
    out_dtype = float_dtype(images.dtype)
    if method == "equalize":
        block_func, kwargs = _equalize_chunk, {"nbins": int(nbins)}
    elif method == "clahe":
        block_func = _clahe_chunk
        kwargs = {
            "kernel_size": kernel_size,
            "clip_limit": float(clip_limit),
            "nbins": int(nbins),
        }
    elif method == "rescale":
        block_func = _rescale_chunk
        kwargs = {"percentiles": tuple(float(p) for p in percentiles)}
    elif method == "brightness":
        block_func, kwargs = _brightness_chunk, {"target_mean": float(target_mean)}
    else:
        block_func = _pointwise_chunk
        kwargs = {
            "method": method,
            "gamma": float(gamma),
            "gain": float(_DEFAULT_GAIN[method] if gain is None else gain),
            "cutoff": float(cutoff),
            "inv": bool(inv),
            "scale": _scale_of(images.dtype),
        }
    if method == "clahe":
        # _clahe_gray cuts its own blocks, with work arrays kept across them.
        return map_chunks(
            _clahe_chunk,
            images,
            out_dtype=out_dtype,
            n_jobs=n_jobs,
            batch_size=batch_size,
            **kwargs,
        )
    return map_chunks(
        _blockwise,
        images,
        block_func=block_func,
        out_dtype=out_dtype,
        n_jobs=n_jobs,
        batch_size=batch_size,
        **kwargs,
    )


def enhance_contrast(
    images,
    *,
    method="equalize",
    clip_limit=0.01,
    kernel_size=None,
    nbins=256,
    gamma=1.0,
    gain=None,
    cutoff=0.5,
    inv=False,
    percentiles=(2, 98),
    target_mean=None,
    image_shape=None,
    n_jobs=None,
    batch_size=None,
):
    """Enhance the contrast of a batch of images: :class:`ContrastEnhancer` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch.
    method, clip_limit, kernel_size, nbins, gamma, gain, cutoff, inv, \
percentiles, image_shape, n_jobs, batch_size
        As in :class:`ContrastEnhancer`.
    target_mean : float, default=None
        "brightness": the mean each image is shifted to; None: the mean
        pixel value of ``images``.

    Returns
    -------
    enhanced : ndarray of the shape of images
        The enhanced batch, float32 or float64.

    Raises
    ------
    ValueError
        For invalid parameters, a batch that is not one of images, or
        negative pixels with "gamma", "log" and "sigmoid".

    See Also
    --------
    ContrastEnhancer : The estimator, for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import enhance_contrast
    >>> X = np.array([[[10, 20], [30, 40]]], dtype=np.uint8)
    >>> enhance_contrast(X, method="rescale", percentiles=(0, 100))
    array([[[  0.,  85.],
            [170., 255.]]], dtype=float32)
    >>> enhance_contrast(X, method="clahe").dtype
    dtype('float32')
    """
    return ContrastEnhancer(
        method=method,
        clip_limit=clip_limit,
        kernel_size=kernel_size,
        nbins=nbins,
        gamma=gamma,
        gain=gain,
        cutoff=cutoff,
        inv=inv,
        percentiles=percentiles,
        target_mean=target_mean,
        image_shape=image_shape,
        n_jobs=n_jobs,
        batch_size=batch_size,
    ).fit_transform(images)
