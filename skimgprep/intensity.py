"""Pixel normalisation and standardisation: :class:`PixelScaler`.

How it is computed
------------------
A batch is read from main memory about once per pass, and no temporary the
size of the batch is made (only the output):

- *Minimum and maximum* are reduced over chunks of whole images of about
  1 MiB, small enough to stay in the processor's cache, and combined: a
  minimum of minima is the minimum, so they are numpy's exactly.
- *Mean and standard deviation of small-integer images* (bool, 8- and
  16-bit) come from one compiled pass (numba) that gathers, per statistic,
  the count ``N``, the sum ``S`` and the sum of squares ``Q`` as exact
  int64 integers (8-bit values add up in int32 over blocks of 32768 rows,
  which cannot overflow, before joining the int64 totals). ``mean = S /
  N`` is then numpy's own mean (numpy's float64 sum of integers is exact
  too, and the division is the same one rounding); ``var = (N Q - S**2) /
  N**2`` is rounded from an exact integer, so it differs from
  :func:`numpy.std`'s, which rounds at each addition of a squared
  deviation, by float64 rounding only (and is the more accurate of the
  two).
- *Mean and standard deviation of float images* (and of 32- and 64-bit
  integers, taken on their float32 values): numpy's mean, then the sum of
  squared deviations from it in float64, chunk by chunk, as
  :func:`numpy.std` computes it without its float64 copy of the whole
  batch; only the order of the float64 partial sums differs. Statistics
  of single images (``scope="image"``) are numpy's, image by image.
- *Application.* ``images.astype(dtype) * scale + offset``, then the clip,
  in one compiled pass over C-contiguous images of the common dtypes (each
  value is converted by storing it into the float output, as ``astype``
  does, then multiplied and added in that dtype, each operation rounded on
  its own: numba does not fuse them into a multiply-add without fastmath),
  or by numpy on cache-sized chunks of the preallocated output otherwise.
  Either way the output equals the whole-batch numpy expression bit for
  bit, and costs about one ``astype``.
"""

from numbers import Real

import numpy as np
from numba import njit
from sklearn.base import BaseEstimator
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._compat import StrOptions, _fit_context
from ._validation import float_dtype
from .base import ImageTransformerMixin

__all__ = ["PixelScaler", "pixel_scale"]


def _dtype_max(dtype):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return 1.0
    if np.issubdtype(dtype, np.integer):
        return float(np.iinfo(dtype).max)
    return 1.0


def _reduce_axes(images, scope):
    """Axes reduced for ``scope``, with keepdims semantics."""
    if scope == "global":
        return tuple(range(images.ndim))
    if scope == "channel":
        return tuple(range(images.ndim - 1)) if images.ndim == 4 else tuple(range(images.ndim))
    if scope == "pixel":
        return (0,)
    return tuple(range(1, images.ndim))  # "image"


def _safe_scale(scale):
    """Replace zero spreads by 1, as scikit-learn's scalers do."""
    scale = np.asarray(scale, dtype=np.float64)
    return np.where(scale < 10 * np.finfo(np.float64).eps, 1.0, scale)


#: Output bytes per chunk of images: a chunk stays in the L2 cache while
#: it is converted, scaled and shifted.
_CHUNK_BYTES = 2**20


def _chunks(images, itemsize=8):
    """Slices of whole images of about ``_CHUNK_BYTES`` (at ``itemsize``)."""
    n = images.shape[0]
    per_image = max(1, int(np.prod(images.shape[1:])) * itemsize)
    step = max(1, _CHUNK_BYTES // per_image)
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


def _exact_in(dtype, compute_dtype):
    """True when every value of ``dtype`` is exact in ``compute_dtype``."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return dtype.itemsize < 4 or compute_dtype == np.float64 and dtype.itemsize < 8
    return True  # bool, float16, float32, float64 into their compute dtype


def _reduce(images, axes, reducers, combine):
    """Reduce ``images`` chunk by chunk with each of ``reducers``.

    ``reducers`` are functions ``f(chunk) -> array`` with keepdims shapes;
    when ``axes`` holds the batch axis the chunks' results are combined
    with ``combine`` (one function per reducer), else concatenated.
    """
    dtype = float_dtype(images.dtype)
    cast = not _exact_in(images.dtype, dtype)
    results = [None] * len(reducers)
    for s in _chunks(images):
        chunk = images[s].astype(dtype) if cast else images[s]
        for k, f in enumerate(reducers):
            value = f(chunk)
            if results[k] is None:
                results[k] = [value]
            elif 0 in axes:
                results[k] = [combine[k](results[k][0], value)]
            else:
                results[k].append(value)
    return [r[0] if len(r) == 1 else np.concatenate(r) for r in results]


def _min_max(images, axes):
    """The minimum and maximum over ``axes``, in float64."""
    lo, hi = _reduce(
        images,
        axes,
        [
            lambda c: c.min(axis=axes, keepdims=True),
            lambda c: c.max(axis=axes, keepdims=True),
        ],
        [np.minimum, np.maximum],
    )
    # Integer images are computed in float32: their extremes are those of
    # the converted values (rounding is monotonic, so converting commutes
    # with taking the extreme).
    dtype = float_dtype(images.dtype)
    return lo.astype(dtype).astype(np.float64), hi.astype(dtype).astype(np.float64)


#: Integer dtypes whose sums of values and of squares are exact in int64
#: (for up to 2**31 images or pixels per statistic).
_SMALL_INTS = {np.dtype(t) for t in (np.bool_, np.uint8, np.int8, np.uint16, np.int16)}


@njit(nogil=True, cache=True)
def _column_sums(rows, sums, squares):
    """Add each column's sum of values and sum of squares, in int64."""
    n, d = rows.shape
    for i in range(n):
        for j in range(d):
            v = np.int64(rows[i, j])
            sums[j] += v
            squares[j] += v * v


#: Rows of 8-bit values whose sums of squares fit in int32: 32768 * 128**2
#: and 32768 * 255**2 are below 2**31.
_INT32_ROWS = 32768


@njit(nogil=True, cache=True)
def _column_sums_8bit(rows, sums, squares):
    """:func:`_column_sums` for 8-bit values: int32 partial sums (twice the
    SIMD lanes) over blocks of ``_INT32_ROWS`` rows, added to int64."""
    n, d = rows.shape
    s32 = np.zeros(d, dtype=np.int32)
    q32 = np.zeros(d, dtype=np.int32)
    for start in range(0, n, _INT32_ROWS):
        s32[:] = 0
        q32[:] = 0
        for i in range(start, min(start + _INT32_ROWS, n)):
            for j in range(d):
                v = np.int32(rows[i, j])
                s32[j] += v
                q32[j] += v * v
        for j in range(d):
            sums[j] += s32[j]
            squares[j] += q32[j]


@njit(nogil=True, cache=True)
def _row_sums(rows, sums, squares):
    """Each row's sum of values and sum of squares, in int64."""
    n, d = rows.shape
    for i in range(n):
        s = np.int64(0)
        q = np.int64(0)
        for j in range(d):
            v = np.int64(rows[i, j])
            s += v
            q += v * v
        sums[i] = s
        squares[i] = q


def _int_mean_std(images, scope):
    """Mean and standard deviation of small-integer images from exact sums.

    One pass gathers, per statistic, the number of values ``N``, their sum
    ``S`` and the sum of their squares ``Q``, all exact integers. Then
    ``mean = S / N`` and ``var = (N Q - S**2) / N**2`` are rounded once or
    twice from exact values: the mean is numpy's (whose float64 sum of
    integers is exact too), the deviation agrees with ``numpy.std`` to
    float64 rounding (numpy's sum of squared deviations rounds at every
    addition).
    """
    if images.dtype == np.bool_:
        images = images.view(np.uint8)
    n = images.shape[0]
    d = int(np.prod(images.shape[1:]))
    by_row = scope == "image"
    size = n if by_row else d
    sums = np.zeros(size, dtype=np.int64)
    squares = np.zeros(size, dtype=np.int64)
    if by_row:
        kernel = _row_sums
    else:
        kernel = _column_sums_8bit if images.dtype.itemsize == 1 else _column_sums
    if images.flags.c_contiguous:
        kernel(images.reshape(n, d), sums, squares)
    else:  # chunks made contiguous one at a time
        for s in _chunks(images):
            rows = np.ascontiguousarray(images[s]).reshape(-1, d)
            part = slice(s.start, s.stop) if by_row else slice(None)
            kernel(rows, sums[part], squares[part])
    if scope == "image":
        count, shape = d, (n,) + (1,) * (images.ndim - 1)
    elif scope == "pixel":
        count, shape = n, (1,) + images.shape[1:]
    else:
        channels = images.shape[-1] if scope == "channel" and images.ndim == 4 else 1
        # Sums over the columns of each channel, as Python integers: exact.
        sums = [sum(sums[k::channels].tolist()) for k in range(channels)]
        squares = [sum(squares[k::channels].tolist()) for k in range(channels)]
        count, shape = n * d // channels, (1,) * (images.ndim - 1) + (channels,)
    if len(sums) and count * max(int(np.max(squares)), 1) < 2**62:
        sums = np.asarray(sums, dtype=np.int64)
        squares = np.asarray(squares, dtype=np.int64)
        # N Q - S**2 >= 0 (Cauchy-Schwarz) and below 2**62: exact in int64.
        var = (count * squares - sums * sums) / float(count * count)
        mean = sums / count
    else:  # Python integers, exact at any size
        mean = np.array([v / count for v in np.asarray(sums, dtype=object).tolist()])
        var = np.array(
            [
                (count * q - s * s) / (count * count)
                for s, q in zip(np.asarray(sums, dtype=object).tolist(),
                                np.asarray(squares, dtype=object).tolist())
            ]
        )
    return mean.reshape(shape), np.sqrt(var).reshape(shape)


def _mean_std(images, axes, scope):
    """Mean and standard deviation over ``axes`` in float64, as ``numpy.std``."""
    if images.dtype in _SMALL_INTS:
        return _int_mean_std(images, scope)
    if 0 in axes:
        # numpy's mean (no temporary: the cast is buffered), then the sum of
        # squared deviations chunk by chunk (numpy.std would make a float64
        # copy of the whole batch).
        count = int(np.prod([images.shape[a] for a in axes]))
        if _exact_in(images.dtype, float_dtype(images.dtype)):
            mean = images.mean(axis=axes, dtype=np.float64, keepdims=True)
        else:  # wide integers: the mean of their float32 values
            (total,) = _reduce(
                images, axes, [lambda c: c.sum(axis=axes, dtype=np.float64, keepdims=True)],
                [np.add],
            )
            mean = total / count

        def squares(c):
            d = np.subtract(c, mean, dtype=np.float64)
            np.multiply(d, d, out=d)
            return d.sum(axis=axes, keepdims=True)

        (sq,) = _reduce(images, axes, [squares], [np.add])
        return mean, np.sqrt(sq / count)
    # One statistic per image: numpy's own mean and std of each chunk.
    mean, std = _reduce(
        images,
        axes,
        [
            lambda c: c.mean(axis=axes, dtype=np.float64, keepdims=True),
            lambda c: c.std(axis=axes, dtype=np.float64, keepdims=True),
        ],
        [None, None],
    )
    return mean, std


def _statistics(images, method, scope, feature_range):
    """Return ``(scale, offset)`` such that ``out = images * scale + offset``."""
    axes = _reduce_axes(images, scope)
    if method == "standard":
        mean, std = _mean_std(images, axes, scope)
        std = _safe_scale(std)
        return 1.0 / std, -mean / std
    lo, hi = feature_range
    data_min, data_max = _min_max(images, axes)
    scale = (hi - lo) / _safe_scale(data_max - data_min)
    return scale, lo - data_min * scale


@njit(nogil=True, cache=True)
def _scale_rows(rows, scale, offset, clip, bounds, out):
    """``out = rows * scale + offset`` (then clipped), in ``out``'s dtype.

    ``scale`` and ``offset`` are ``(r, k)`` with ``r`` 1 or one per row and
    ``k`` 1 or one per column. Each value is converted to ``out``'s dtype,
    multiplied, rounded, added, rounded: numpy's ``astype``, ``*`` and
    ``+`` in turn (no fused multiply-add: numba does not contract without
    fastmath).
    """
    n, d = rows.shape
    lo = bounds[0]
    hi = bounds[1]
    for i in range(n):
        r = i if scale.shape[0] > 1 else 0
        # Storing a value into ``out`` converts it to out's dtype (as astype);
        # reading it back keeps the arithmetic in that dtype.
        for j in range(d):
            out[i, j] = rows[i, j]
        if scale.shape[1] == 1:
            a = scale[r, 0]
            b = offset[r, 0]
            for j in range(d):
                out[i, j] = out[i, j] * a + b
        else:
            for j in range(d):
                out[i, j] = out[i, j] * scale[r, j] + offset[r, j]
        if clip:
            for j in range(d):
                v = out[i, j]
                out[i, j] = min(max(v, lo), hi)


#: Input dtypes the compiled kernel takes (anything else goes through numpy).
_KERNEL_DTYPES = _SMALL_INTS | {np.dtype(np.float32), np.dtype(np.float64)}


def _apply(images, scale, offset, *, clip=None):
    """``images.astype(dtype) * scale + offset`` (clipped), as a new array.

    ``dtype`` is the images' float dtype; the images are only read. One
    compiled pass over C-contiguous images of the common dtypes, else numpy
    chunk by chunk; both give the numbers of the whole-batch numpy
    expression, bit for bit.
    """
    dtype = float_dtype(images.dtype)
    scale = scale.astype(dtype)
    offset = offset.astype(dtype)
    per_image = scale.shape[0] > 1  # scope="image": one row per image
    out = np.empty(images.shape, dtype=dtype)
    if images.dtype in _KERNEL_DTYPES and images.flags.c_contiguous and images.size:
        n = images.shape[0]
        rows = images.view(np.uint8) if images.dtype == np.bool_ else images
        rows = rows.reshape(n, -1)
        d = rows.shape[1]
        # The multipliers as (1 or n, 1 or d): scalars kept scalar, channel
        # statistics repeated over the pixels.
        scale2, offset2 = (
            np.ascontiguousarray(np.tile(
                a.reshape(a.shape[0], -1), (1, d // a[0].size if a[0].size > 1 else 1)
            ))
            for a in (scale, offset)
        )
        bounds = np.array(clip if clip is not None else (0, 0), dtype=dtype)
        _scale_rows(rows, scale2, offset2, clip is not None, bounds, out.reshape(n, d))
        return out
    for s in _chunks(images, dtype.itemsize):
        dst = out[s]
        np.copyto(dst, images[s], casting="unsafe")  # as astype(dtype)
        np.multiply(dst, scale[s] if per_image else scale, out=dst)
        np.add(dst, offset[s] if per_image else offset, out=dst)
        if clip is not None:
            np.clip(dst, clip[0], clip[1], out=dst)
    return out


def _invertible(scaler):
    return scaler.method == "range" or scaler.scope != "image"


class PixelScaler(ImageTransformerMixin, BaseEstimator):
    """Scale pixel values: to a range, by fitted min/max, or standardised.

    Parameters
    ----------
    method : {"minmax", "range", "standard"}, default="minmax"
        - "range": divide by the input dtype's maximum (255 for uint8, 65535
          for uint16; 1 for floats and bool), then map ``[0, 1]`` to
          ``feature_range``. Nothing is learned.
        - "minmax": map the fitted minimum and maximum to ``feature_range``,
          as :class:`sklearn.preprocessing.MinMaxScaler`.
        - "standard": subtract the fitted mean and divide by the fitted
          standard deviation, as :class:`sklearn.preprocessing.StandardScaler`.
    scope : {"global", "channel", "pixel", "image"}, default="global"
        Over what the statistics are taken: one for all pixels ("global"),
        one per channel ("channel"; grayscale images have one), one per pixel
        position over the training images ("pixel": the mean image), or each
        image's own at transform time ("image"; nothing is learned).
        Ignored by ``method="range"``.
    feature_range : tuple (min, max), default=(0, 1)
        The target range of "minmax" and "range".
    clip : bool, default=False
        Clip the output to ``feature_range`` ("minmax" and "range" only), for
        test images outside the training range.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.

    Attributes
    ----------
    scale_ : ndarray
        Multiplier broadcast over the images (``(1, 1, 1[, 1])`` for
        "global", ``(1, 1, 1, c)`` for "channel", ``(1, h, w[, c])`` for
        "pixel"); None for ``scope="image"``.
    offset_ : ndarray
        Added after the multiplier, same shape; None for ``scope="image"``.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    pixel_scale : The function twin.

    Notes
    -----
    The output dtype is the input's float dtype; integer images come out as
    float32. Statistics are accumulated in float64.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import PixelScaler
    >>> X = np.array([[[0, 51], [102, 255]]], dtype=np.uint8)
    >>> PixelScaler(method="range").fit_transform(X)
    array([[[0.        , 0.20000002],
            [0.40000004, 1.        ]]], dtype=float32)
    """

    _parameter_constraints = {
        "method": [StrOptions({"minmax", "range", "standard"})],
        "scope": [StrOptions({"global", "channel", "pixel", "image"})],
        "feature_range": [tuple],
        "clip": ["boolean"],
        "image_shape": [tuple, None],
    }

    def __init__(
        self,
        *,
        method="minmax",
        scope="global",
        feature_range=(0, 1),
        clip=False,
        image_shape=None,
    ):
        self.method = method
        self.scope = scope
        self.feature_range = feature_range
        self.clip = clip
        self.image_shape = image_shape

    def _check_feature_range(self):
        fr = self.feature_range
        if (
            len(fr) != 2
            or not all(isinstance(v, Real) for v in fr)
            or not fr[0] < fr[1]
        ):
            raise ValueError(
                "feature_range must be a tuple (min, max) of two numbers with "
                f"min < max; got {fr!r}."
            )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the statistics of the training images.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : PixelScaler
            The fitted scaler.
        """
        self._check_feature_range()
        # The statistics are taken on the images as they are (converted
        # chunk by chunk where needed): no float copy of the batch.
        images, layout = self._check_images(X, reset=True, cast=None)
        if self.method == "range":
            factor = 1.0 / _dtype_max(layout.input_dtype)
            lo, hi = self.feature_range
            shape = (1,) * images.ndim
            self.scale_ = np.full(shape, factor * (hi - lo))
            self.offset_ = np.full(shape, float(lo))
        elif self.scope == "image":
            self.scale_ = self.offset_ = None
        else:
            self.scale_, self.offset_ = _statistics(
                images, self.method, self.scope, self.feature_range
            )
        return self

    def transform(self, X):
        """Scale the images.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_scaled : ndarray of the shape of X
            Scaled images, float32 or float64.
        """
        check_is_fitted(self)
        # Converted to float chunk by chunk in _apply, into the new output.
        images, layout = self._check_images(X, reset=False, cast=None)
        if self.method == "range":
            factor = self.feature_range[1] - self.feature_range[0]
            scale = np.full_like(self.scale_, factor / _dtype_max(layout.input_dtype))
            offset = self.offset_
        elif self.scope == "image":
            scale, offset = _statistics(
                images, self.method, "image", self.feature_range
            )
        else:
            scale, offset = self.scale_, self.offset_
        clip = self.feature_range if self.clip and self.method != "standard" else None
        out = _apply(images, scale, offset, clip=clip)
        return layout.restore(out)

    @available_if(_invertible)
    def inverse_transform(self, X):
        """Undo the scaling.

        Not available for ``scope="image"`` (other than with
        ``method="range"``): each image's own statistics are not kept.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Scaled images.

        Returns
        -------
        X_original : ndarray of the shape of X
            Images on the scale of the training images (as floats). For
            ``method="range"`` the training dtype's maximum is used.
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False)
        dtype = images.dtype
        out = images - self.offset_.astype(dtype)
        out /= self.scale_.astype(dtype)
        return layout.restore(out)


def pixel_scale(images, *, method="minmax", scope="global", feature_range=(0, 1), clip=False):
    """Scale the pixel values of a batch of images: :class:`PixelScaler` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch; statistics are taken on it.
    method, scope, feature_range, clip
        As in :class:`PixelScaler`.

    Returns
    -------
    scaled : ndarray of the shape of images
        The scaled batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import pixel_scale
    >>> pixel_scale(np.array([[[2.0, 4.0]], [[6.0, 10.0]]]))
    array([[[0.  , 0.25]],
    <BLANKLINE>
           [[0.5 , 1.  ]]])
    """
    return PixelScaler(
        method=method, scope=scope, feature_range=feature_range, clip=clip
    ).fit_transform(images)
