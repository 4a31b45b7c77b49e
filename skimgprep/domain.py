"""Domain adaptation: :class:`HistogramMatcher`, :class:`ColorTransfer` and
:class:`CORALAligner`.

Images taken under other conditions (another scanner, stain, camera or
light) than the training images shift the distribution a classifier sees.
Three steps bring the domains together:

- :class:`HistogramMatcher` maps each image, channel by channel, onto a
  reference intensity distribution, as
  :func:`skimage.exposure.match_histograms` does, with the reference learned
  once in ``fit`` (from given reference images, or from the training images).
- :class:`ColorTransfer` gives each image the mean and standard deviation
  per channel of a reference in CIE Lab (Reinhard et al., 2001), the usual
  stain normalisation of histology.
- :class:`CORALAligner` re-colours the training *features* to the covariance
  of the target domain's features (CORAL, Sun et al., 2016). It is a
  sampler: it runs on the training data only, and test data from the target
  domain reaches the classifier unchanged, as the method prescribes.

How histogram matching is computed
----------------------------------
:func:`skimage.exposure.match_histograms` gives a pixel of value ``v`` in a
channel of ``m`` pixels the quantile ``q = #{pixels <= v} / m`` and maps it
to ``numpy.interp(q, reference_quantiles, reference_values)``, where the
reference values are the sorted distinct values of the reference's channel
and the reference quantiles their cumulative counts over its size. (Its
8-bit path counts with ``numpy.bincount`` instead of ``numpy.unique``: the
counts, and so the numbers, are the same.) Here the counts ``#{pixels <=
v}`` are taken for a whole chunk of images at once: each row of pixels (one
image, one channel) is sorted with one ``numpy.argsort`` over the chunk, the
end of each run of equal values is found with a reversed running minimum,
and one ``numpy.interp`` per channel maps the whole chunk in sorted order
before the values are put back in pixel order. 8-bit images use one
``numpy.bincount`` over the chunk with an offset per row, and interpolate
once per possible value of each row (a table of 256 per row, then looked
up). The quantiles are the same integers divided by the same ``m`` and
go through the same ``numpy.interp``: the result equals scikit-image's in
float64, and is rounded once to float32 for float32 and integer images.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy import linalg
from skimage import color
from skimage.util import img_as_float64
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, _fit_context, check_array
from ._parallel import chunk_slices, run_tasks
from ._progress import reports_progress
from ._validation import float_dtype, n_channels
from .base import BaseImageSampler, ImageTransformerMixin
from .color import _to_float

__all__ = [
    "CORALAligner",
    "ColorTransfer",
    "HistogramMatcher",
    "color_transfer",
    "coral_align",
    "match_histograms_batch",
]


# --- the reference images ---------------------------------------------------


def _reference_pixels(reference, image_shape, *, name):
    """The pixels of ``reference`` as a list of ``(m_i, c)`` arrays, in their dtypes.

    ``image_shape`` is the image shape seen in fit, ``(h, w)`` or
    ``(h, w, c)``. The reference is one image, a batch, flattened images
    (a 2D array of rows of ``h * w * c`` values, for colour images), or a
    list or tuple of these (of any sizes). For grayscale ``X`` every array is
    read as grayscale pixels (a 3D array is a batch of grayscale images);
    for colour ``X`` the last axis holds the channels.
    """
    c = n_channels(image_shape)
    d = int(np.prod(image_shape))
    if (
        isinstance(reference, (list, tuple))
        and len(reference) > 0
        and all(np.ndim(r) >= 2 for r in reference)
    ):
        items = list(reference)
        labels = [f"reference[{i}]" for i in range(len(items))]
    else:
        items = [reference]
        labels = ["reference"]
    expected = (
        "one grayscale image (h, w), a batch (m, h, w) or (m, h, w, 1), or a "
        "list of them"
        if c == 1
        else f"one image (h, w, {c}), a batch (m, h, w, {c}), flattened images "
        f"(m, {d}) or a list of them"
    )
    pixels = []
    for item, label in zip(items, labels):
        if sp.issparse(item):
            raise TypeError(
                f"{name} expected dense reference images; {label} is a sparse "
                "matrix."
            )
        ndim = np.ndim(item)
        if ndim < 2:
            raise ValueError(
                f"{name} expected as reference {expected}; {label} is a {ndim}D "
                f"array of shape {np.shape(item)}."
            )
        arr = check_array(
            item,
            dtype="numeric",
            allow_nd=True,
            ensure_all_finite=True,
            input_name=label,
        )
        if 0 in arr.shape:
            raise ValueError(
                f"{name} expected reference images with at least one pixel; "
                f"{label} has shape {arr.shape}."
            )
        if c == 1:
            ok = arr.ndim in (2, 3) or (arr.ndim == 4 and arr.shape[-1] == 1)
        else:
            ok = (arr.ndim in (3, 4) and arr.shape[-1] == c) or (
                arr.ndim == 2 and arr.shape[1] == d
            )
        if not ok:
            channels = f", with {arr.shape[-1]} channels" if arr.ndim in (3, 4) else ""
            raise ValueError(
                f"{name} was fitted on images of shape {tuple(image_shape)} "
                f"({c} channel{'s' if c > 1 else ''}), so it expected as "
                f"reference {expected}; {label} has shape {arr.shape}{channels}."
            )
        pixels.append(arr.reshape(-1, c))
    return pixels


# --- histogram matching -----------------------------------------------------


def _distribution(columns):
    """Sorted distinct values (float64) and cumulative quantiles of pooled pixels.

    As :func:`skimage.exposure.match_histograms` builds them for its
    reference: ``quantiles = cumsum(counts) / size``.
    """
    total = sum(col.size for col in columns)
    if all(col.dtype.kind in "bu" and col.dtype.itemsize <= 2 for col in columns):
        size = 65536 if any(col.dtype.itemsize == 2 for col in columns) else 256
        counts = np.zeros(size, dtype=np.int64)
        for col in columns:
            if col.dtype == np.bool_:
                col = col.view(np.uint8)
            counts += np.bincount(col, minlength=size)
        values = np.flatnonzero(counts)
        counts = counts[values]
    else:
        dtype = np.result_type(*[col.dtype for col in columns])
        pooled = np.concatenate([col.astype(dtype, copy=False) for col in columns])
        values, counts = np.unique(pooled, return_counts=True)
    return values.astype(np.float64), np.cumsum(counts) / total


def _match_rows(rows, values, quantiles):
    """Match each row ``(r, m)`` (one image's channel) to one reference channel.

    A value ``v`` of a row gets the quantile ``#{values of its row <= v} / m``
    (the counts of :func:`skimage.exposure.match_histograms`: ``cumsum`` of
    the counts of the sorted distinct values) and then
    ``numpy.interp(quantile, quantiles, values)``; float64 ``(r, m)``.
    """
    r, m = rows.shape
    if rows.dtype.itemsize == 1:  # bool, uint8, int8: one bincount per chunk
        if rows.dtype == np.int8:
            v = rows.astype(np.intp) + 128
        else:
            v = rows.view(np.uint8).astype(np.intp)
        index = v + 256 * np.arange(r, dtype=np.intp)[:, None]
        cum = np.bincount(index.ravel(), minlength=256 * r).reshape(r, 256)
        np.cumsum(cum, axis=1, out=cum)
        # One interpolation per possible value of each row, then a lookup:
        # the numbers of an interpolation per pixel.
        table = np.interp(cum / m, quantiles, values)
        return np.take_along_axis(table, v, axis=1)
    order = np.argsort(rows, axis=1)
    ordered = np.take_along_axis(rows, order, axis=1)
    # In sorted order, the count of a value is one past the last position of
    # its run of equal values: the nearest run end at or right of it.
    ends = np.empty((r, m), dtype=np.intp)
    ends[:] = np.arange(1, m + 1)
    ends[:, :-1][ordered[:, 1:] == ordered[:, :-1]] = m
    ends = np.minimum.accumulate(ends[:, ::-1], axis=1)[:, ::-1]
    matched = np.empty((r, m), dtype=np.float64)
    np.put_along_axis(matched, order, np.interp(ends / m, quantiles, values), axis=1)
    return matched


def _match_into(images, out, values, quantiles):
    """Match a chunk ``(b, h, w[, c])`` channel by channel, into ``out``."""
    b = images.shape[0]
    c = len(values)
    planes = images.reshape(b, -1, c)
    dst = out.reshape(b, -1, c)
    for k in range(c):
        dst[:, :, k] = _match_rows(planes[:, :, k], values[k], quantiles[k])


#: Bytes of temporaries per pixel value in :func:`_match_rows` (order,
#: sorted values, counts, quantiles, result).
_MATCH_BYTES = 40


def _match(images, values, quantiles, *, n_jobs=None, batch_size=None):
    """Match a validated batch; the output in the images' float dtype."""
    n = images.shape[0]
    out = np.empty(images.shape, dtype=float_dtype(images.dtype))
    per_image = int(np.prod(images.shape[1:])) * _MATCH_BYTES
    slices = chunk_slices(n, batch_size=batch_size, bytes_per_item=per_image, n_jobs=n_jobs)

    def run(s):
        _match_into(images[s], out[s], values, quantiles)

    # Threads: sorting and interpolation run outside the GIL, and each chunk
    # writes only its own images of out.
    run_tasks(run, ((s,) for s in slices), n_jobs=n_jobs)
    return out


class HistogramMatcher(ImageTransformerMixin, BaseEstimator):
    """Match each image's histogram, per channel, to a reference distribution.

    ``fit`` learns the reference distribution of each channel: the sorted
    distinct values and their cumulative quantiles, pooled over all pixels
    of the ``reference`` images if given, else over all pixels of the
    training images. ``transform`` maps each image, channel by channel, onto
    it: each image equals ``skimage.exposure.match_histograms(image, ref,
    channel_axis=...)`` where ``ref`` is the reference images' pixels put
    together in one image (with one reference image, that image itself).

    The output takes its values from the reference (its range too: a uint8
    reference gives values in ``[0, 255]`` whatever the input's range).

    Parameters
    ----------
    reference : array-like, list of array-like or None, default=None
        The images whose distribution the images are matched to: one image
        ``(h, w[, c])``, a batch ``(m, h, w[, c])``, flattened images
        ``(m, h * w * c)`` or a list of any of these, of any sizes, with the
        channel count of ``X``. For grayscale ``X`` every array is read as
        grayscale pixels (so a 3D array is a batch of grayscale images).
        None: the training images ``X`` of ``fit``.
    n_jobs : int, default=None
        Threads over chunks of images in ``transform``; None means 1 unless
        in a :func:`joblib.parallel_backend` context. The result does not
        depend on it.
    batch_size : int, default=None
        Images per chunk in ``transform``; None chooses about 32 MiB of
        temporaries per chunk. The result does not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error in ``transform``: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.

    Attributes
    ----------
    reference_values_ : list of ndarray
        Per channel, the sorted distinct values of the reference (float64).
    reference_quantiles_ : list of ndarray
        Per channel, the cumulative quantiles of these values: the fraction
        of reference pixels ``<=`` each value (the last is 1).
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    Raises
    ------
    ValueError
        In ``fit``, when the reference's channel count is not that of ``X``,
        or it holds no pixel or non-finite values.

    See Also
    --------
    match_histograms_batch : The function twin.
    skimage.exposure.match_histograms : The reference, one image at a time.
    ColorTransfer : Match only the mean and spread, in Lab.

    Notes
    -----
    The output is float32 for float32 and integer images (the float64 values
    of :func:`skimage.exposure.match_histograms`, rounded once), float64 for
    float64 images. The ranks are taken on the input values as they are
    (integers are not converted first), as scikit-image does. Matching is
    invariant to any increasing change of an image's values (brightness,
    contrast, gamma): such a change leaves the ranks, and so the output,
    the same, unless it merges values.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import HistogramMatcher
    >>> X = np.array([[[0.1, 0.5], [0.2, 0.9]]])
    >>> reference = np.array([[10.0, 20.0], [30.0, 40.0]])
    >>> HistogramMatcher(reference=reference).fit_transform(X)
    array([[[10., 30.],
            [20., 40.]]])
    """

    _parameter_constraints = {
        "reference": ["array-like", None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
        "image_shape": [tuple, None],
    }

    def __init__(
        self, *, reference=None, n_jobs=None, batch_size=None, verbose=0, image_shape=None
    ):
        self.reference = reference
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.verbose = verbose
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the reference distribution of each channel.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images; their pixels are the reference when
            ``reference`` is None.
        y : None
            Ignored.

        Returns
        -------
        self : HistogramMatcher
            The fitted step.
        """
        images, _ = self._check_images(X, reset=True, cast=None)
        c = n_channels(self.image_shape_)
        if self.reference is None:
            pixels = [images.reshape(-1, c)]
        else:
            pixels = _reference_pixels(
                self.reference, self.image_shape_, name=type(self).__name__
            )
        self.reference_values_, self.reference_quantiles_ = [], []
        for k in range(c):
            values, quantiles = _distribution([p[:, k] for p in pixels])
            self.reference_values_.append(values)
            self.reference_quantiles_.append(quantiles)
        return self

    @reports_progress()
    def transform(self, X):
        """Match the images to the reference distribution.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_matched : ndarray of the shape of X
            Matched images, float32 (float32 and integer input) or float64.
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False, cast=None)
        out = _match(
            images,
            self.reference_values_,
            self.reference_quantiles_,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
        )
        return layout.restore(out)


def match_histograms_batch(images, reference, *, n_jobs=None, batch_size=None):
    """Match each image of a batch to a reference: :class:`HistogramMatcher` in one call.

    Each image equals ``skimage.exposure.match_histograms(image, ref,
    channel_axis=...)`` where ``ref`` is the reference's pixels pooled into
    one image.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch; 2D rows are images one pixel tall.
    reference : array-like or list of array-like
        One image, a batch or a list of images, with the channel count of
        ``images`` (see :class:`HistogramMatcher`).
    n_jobs, batch_size
        As in :class:`HistogramMatcher`.

    Returns
    -------
    matched : ndarray of the shape of images
        The matched batch, float32 or float64.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import match_histograms_batch
    >>> images = np.array([[[3, 1, 2]], [[9, 9, 0]]], dtype=np.uint8)
    >>> match_histograms_batch(images, np.array([[0.0, 0.5, 1.0]]))
    array([[[1. , 0. , 0.5]],
    <BLANKLINE>
           [[1. , 1. , 0. ]]], dtype=float32)
    """
    return HistogramMatcher(
        reference=reference, n_jobs=n_jobs, batch_size=batch_size
    ).fit_transform(images)


# --- colour transfer --------------------------------------------------------

_LAB_WARNING = "Conversion from CIE-LAB, via XYZ to sRGB color space resulted in"

#: Pixels per chunk when pooling the reference's statistics.
_STATS_PIXELS = 2**18


#: A channel whose standard deviation is at most this many machine epsilons
#: (of its dtype) times ``max(|mean|, 1)`` is taken as constant: its spread
#: is rounding, not image content.
_CONSTANT_EPS = 64


def _to_space(pixels, rgb, *, exact=False):
    """Float pixels ``(..., c)`` in the space of the transfer: Lab or as they are.

    With ``exact=True`` the conversion is in float64 (for the reference's
    statistics): integers scaled as :func:`skimage.util.img_as_float`.
    """
    if not exact:
        pixels = _to_float(pixels)
    elif pixels.dtype.kind == "f":
        pixels = pixels.astype(np.float64, copy=False)
    else:
        pixels = img_as_float64(pixels)
    return color.rgb2lab(pixels) if rgb else pixels


def _check_lab(values, pixels, name="ColorTransfer"):
    """Raise when the Lab values of RGB ``pixels`` overflowed (far out of range)."""
    if not np.isfinite(values).all():
        peak = float(np.max(np.abs(pixels)))
        raise ValueError(
            f"{name} expected RGB values in [0, 1] (integers are scaled to it); "
            f"got values up to {peak:.3g} in magnitude, whose Lab values "
            "(skimage.color.rgb2lab) are not finite."
        )


def _pooled_pass(pixels, rgb, peak):
    """Pooled mean and standard deviation of the values divided by ``peak``."""
    count, mean, m2 = 0, None, None
    for block in pixels:
        for start in range(0, block.shape[0], _STATS_PIXELS):
            chunk = block[start:start + _STATS_PIXELS]
            values = _to_space(chunk, rgb, exact=True)
            if rgb:
                _check_lab(values, chunk)
            values = values / peak
            k = values.shape[0]
            mu = values.mean(axis=0, dtype=np.float64)
            dev = values - mu
            s2 = np.einsum("ij,ij->j", dev, dev, dtype=np.float64)
            if mean is None:
                count, mean, m2 = k, mu, s2
                continue
            delta = mu - mean
            total = count + k
            mean = mean + delta * (k / total)
            m2 = m2 + s2 + delta**2 * (count * k / total)
            count = total
    return mean, np.sqrt(m2 / count)


def _pooled_stats(pixels, rgb):
    """Mean and standard deviation per channel of pooled ``(m_i, c)`` pixels.

    In float64, chunk by chunk (fixed chunks of pixels), the chunks' means
    and sums of squared deviations combined by Chan et al.'s pairwise
    update. Values so large that their squares overflow (beyond about
    1e154) are divided by the largest magnitude first.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        mean, std = _pooled_pass(pixels, rgb, 1.0)
    if np.isfinite(mean).all() and np.isfinite(std).all():
        return mean, std
    # Only grayscale values get here: finite Lab values of RGB in any range
    # are far below overflow.
    peak = np.max(
        [np.abs(_to_space(block, rgb, exact=True)).max(axis=0) for block in pixels], axis=0
    )
    peak = np.where(peak > 0, peak, 1.0)
    mean, std = _pooled_pass(pixels, rgb, peak)
    return mean * peak, std * peak


def _mean_std(values):
    """Each image's mean and standard deviation per channel, float64 ``(b, c)``.

    ``values`` is ``(b, m, c)``. Where the squares overflow (values beyond
    about 1e154) the image's values are divided by their largest magnitude
    first, and the statistics multiplied back.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        mu = values.mean(axis=1, dtype=np.float64)
        sd = values.std(axis=1, dtype=np.float64)
    bad = ~(np.isfinite(mu) & np.isfinite(sd))
    if bad.any():
        peak = np.abs(values).max(axis=1).astype(np.float64)
        peak = np.where(peak > 0, peak, 1.0)
        scaled = values / peak[:, None, :]
        mu = np.where(bad, scaled.mean(axis=1) * peak, mu)
        sd = np.where(bad, scaled.std(axis=1) * peak, sd)
    return mu, sd


def _transfer_space(values, mean, std):
    """Standardise each image's values ``(b, m, c)`` and rescale to ``mean, std``.

    ``(x - mean_image) / std_image * std + mean`` per image and channel, as
    ``x * a + b`` in the values' dtype; a constant channel (spread 0, or at
    the level of rounding, see ``_CONSTANT_EPS``) becomes ``mean``.
    """
    mu, sd = _mean_std(values)
    eps = np.finfo(values.dtype).eps
    constant = sd <= _CONSTANT_EPS * eps * np.maximum(np.abs(mu), 1.0)
    scale = std / np.where(constant, 1.0, sd)
    offset = mean - mu * scale
    dtype = values.dtype
    return values * scale[:, None, :].astype(dtype) + offset[:, None, :].astype(dtype)


def _transfer_into(images, out, mean, std, rgb):
    """Colour transfer of a chunk ``(b, h, w[, c])``, into ``out``."""
    b = images.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):  # checked just after
        values = _to_space(images, rgb)
    if rgb:
        _check_lab(values, images)
    c = 3 if rgb else 1
    moved = _transfer_space(values.reshape(b, -1, c), mean, std).reshape(values.shape)
    if rgb:
        with warnings.catch_warnings():
            # Lab values outside the sRGB gamut are clipped (documented).
            warnings.filterwarnings("ignore", message=_LAB_WARNING, category=UserWarning)
            moved = color.lab2rgb(moved)
    out[...] = moved


def _check_mode(shape, name):
    """True for RGB images of ``shape`` ``(h, w[, c])``, False for grayscale."""
    c = n_channels(shape)
    if c not in (1, 3):
        raise ValueError(
            f"{name} expected grayscale (h, w) or (h, w, 1), or RGB (h, w, 3) "
            f"images; got images of shape {tuple(shape)}, with {c} channels."
        )
    return c == 3


class ColorTransfer(ImageTransformerMixin, BaseEstimator):
    """Reinhard colour transfer: match each image's Lab mean and spread to a reference.

    ``fit`` learns the mean and standard deviation of each CIE Lab channel
    of the reference, pooled over all pixels of the ``reference`` images if
    given, else over all pixels of the training images. ``transform``
    converts each RGB image to Lab with :func:`skimage.color.rgb2lab`,
    standardises each channel with the image's own mean and standard
    deviation, rescales it to the reference's, and converts back with
    :func:`skimage.color.lab2rgb`: ``lab2rgb((lab - mean_image) / std_image *
    std_ref + mean_ref)``. This is the colour transfer of Reinhard et al.
    [1]_ in CIE Lab rather than their l-alpha-beta space, as commonly done,
    and a standard stain normalisation for histology images.

    Grayscale images get the same on their intensities, without a colour
    space: ``(x - mean_image) / std_image * std_ref + mean_ref``.

    Parameters
    ----------
    reference : array-like, list of array-like or None, default=None
        The images whose colours the images are given: one image
        ``(h, w[, c])``, a batch ``(m, h, w[, c])``, flattened images
        ``(m, h * w * c)`` or a list of any of these, of any sizes, RGB for
        RGB ``X`` and grayscale for grayscale ``X``. None: the training
        images ``X`` of ``fit``.
    n_jobs : int, default=None
        Threads over chunks of images in ``transform``; None means 1 unless
        in a :func:`joblib.parallel_backend` context. The result does not
        depend on it.
    batch_size : int, default=None
        Images per chunk in ``transform``; None chooses about 32 MiB of
        temporaries per chunk. The result does not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error in ``transform``: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        a grayscale image of shape ``(1, d)``.

    Attributes
    ----------
    reference_mean_ : ndarray of shape (3,) or (1,)
        The reference's mean of L, a and b (RGB), or of the intensity
        (grayscale), in float64.
    reference_std_ : ndarray of shape (3,) or (1,)
        Its standard deviations (population, ``ddof=0``), in float64.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    Raises
    ------
    ValueError
        In ``fit``, for images other than grayscale or RGB, or a reference
        whose channel count is not that of ``X``; in ``fit`` and
        ``transform``, for RGB values so far out of ``[0, 1]`` that their
        Lab values overflow.

    See Also
    --------
    color_transfer : The function twin.
    HistogramMatcher : Match the whole distribution, per channel.
    skimage.color.rgb2lab, skimage.color.lab2rgb : The conversions.

    Notes
    -----
    - Integer images (``X`` and the reference) are first scaled to
      ``[0, 1]`` as :func:`skimage.util.img_as_float32` does (uint8 divided
      by 255), the convention of :mod:`skimage.color`; float images are
      taken as they are (RGB expected in ``[0, 1]``).
    - The RGB output is clipped to ``[0, 1]``, as
      :func:`skimage.color.lab2rgb` does: Lab values outside the sRGB gamut
      (their Z below 0 is set to 0, their RGB clipped) are not warned about
      image by image. So the output's Lab statistics equal the reference's
      up to that clipping. Grayscale output is not clipped.
    - A constant channel of an image (standard deviation 0, or at most 64
      machine epsilons of its dtype times ``max(|mean|, 1)``: rounding, as
      the Lab values of one RGB colour may show) becomes the reference's
      mean: its spread is taken as 1, as scikit-learn's scalers do for
      constant features, and the output is finite (no NaN).
    - The reference's statistics are computed in float64 (integer reference
      images scaled as :func:`skimage.util.img_as_float64`); each image's
      own in float64 from its Lab values in its float dtype. The output is
      float32 for float32 and integer images, float64 for float64 images.

    References
    ----------
    .. [1] E. Reinhard, M. Adhikhmin, B. Gooch, P. Shirley, "Color transfer
       between images", IEEE Computer Graphics and Applications 21(5), 2001,
       :doi:`10.1109/38.946629`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import ColorTransfer
    >>> X = np.array([[[0.1, 0.3], [0.5, 0.7]]])
    >>> step = ColorTransfer(reference=np.array([[2.0, 4.0]])).fit(X)
    >>> step.reference_mean_, step.reference_std_
    (array([3.]), array([1.]))
    >>> step.transform(X).round(4)
    array([[[1.6584, 2.5528],
            [3.4472, 4.3416]]])
    """

    _parameter_constraints = {
        "reference": ["array-like", None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
        "image_shape": [tuple, None],
    }

    def __init__(
        self, *, reference=None, n_jobs=None, batch_size=None, verbose=0, image_shape=None
    ):
        self.reference = reference
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.verbose = verbose
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the reference's mean and standard deviation per channel.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images, grayscale or RGB; their pixels are the
            reference when ``reference`` is None.
        y : None
            Ignored.

        Returns
        -------
        self : ColorTransfer
            The fitted step.
        """
        images, _ = self._check_images(X, reset=True, cast=None)
        name = type(self).__name__
        rgb = _check_mode(self.image_shape_, name)
        c = n_channels(self.image_shape_)
        if self.reference is None:
            pixels = [images.reshape(-1, c)]
        else:
            pixels = _reference_pixels(self.reference, self.image_shape_, name=name)
        self.reference_mean_, self.reference_std_ = _pooled_stats(pixels, rgb)
        return self

    @reports_progress()
    def transform(self, X):
        """Give the images the reference's colour statistics.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_transferred : ndarray of the shape of X
            The images, float32 (float32 and integer input) or float64; RGB
            in ``[0, 1]``.
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False, cast=None)
        rgb = _check_mode(self.image_shape_, type(self).__name__)
        n = images.shape[0]
        out = np.empty(images.shape, dtype=float_dtype(images.dtype))
        # rgb2lab and lab2rgb make about ten float64 temporaries per value.
        per_image = int(np.prod(images.shape[1:])) * 80
        slices = chunk_slices(
            n, batch_size=self.batch_size, bytes_per_item=per_image, n_jobs=self.n_jobs
        )
        mean, std = self.reference_mean_, self.reference_std_

        def run(s):
            _transfer_into(images[s], out[s], mean, std, rgb)

        run_tasks(run, ((s,) for s in slices), n_jobs=self.n_jobs)
        return layout.restore(out)


def color_transfer(images, reference, *, n_jobs=None, batch_size=None):
    """Reinhard colour transfer of a batch: :class:`ColorTransfer` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch, grayscale or RGB.
    reference : array-like or list of array-like
        One image, a batch or a list of images with the channel count of
        ``images`` (see :class:`ColorTransfer`).
    n_jobs, batch_size
        As in :class:`ColorTransfer`.

    Returns
    -------
    transferred : ndarray of the shape of images
        The batch with the reference's mean and standard deviation per Lab
        channel (RGB, clipped to ``[0, 1]``) or intensity (grayscale).

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import color_transfer
    >>> color_transfer(np.array([[[0.0, 1.0]]]), np.array([[5.0, 7.0]]))
    array([[[5., 7.]]])
    """
    return ColorTransfer(
        reference=reference, n_jobs=n_jobs, batch_size=batch_size
    ).fit_transform(images)


# --- CORAL ------------------------------------------------------------------


def _covariance(rows):
    """``cov(rows)`` with rows as samples (``ddof=1``, as MATLAB's ``cov``), ``(d, d)``."""
    d = rows.shape[1]
    return np.cov(rows, rowvar=False).reshape(d, d)


def _coral_matrix(source_cov, target_cov, name="CORALAligner"):
    """``Cs^(-1/2) @ Ct^(1/2)`` from the eigendecompositions of the symmetric matrices."""
    ws, vs = linalg.eigh(source_cov)
    wt, vt = linalg.eigh(target_cov)
    d = source_cov.shape[0]
    tol = max(ws.max(initial=0.0), 0.0) * d * np.finfo(np.float64).eps
    if ws.min() <= tol:
        raise ValueError(
            f"{name} needs a positive definite source covariance to whiten the "
            f"source features; cov(X) + regularization * I has smallest "
            f"eigenvalue {ws.min():.3g} (largest {ws.max():.3g}). Use "
            "regularization > 0 (the paper uses 1), or fewer, independent "
            "features."
        )
    inv_sqrt = (vs / np.sqrt(ws)) @ vs.T
    # Rounding can make eigenvalues of a semi-definite Ct a little negative.
    sqrt = (vt * np.sqrt(np.clip(wt, 0.0, None))) @ vt.T
    return inv_sqrt @ sqrt


class CORALAligner(BaseImageSampler):
    """CORAL: re-colour the training features to the target domain's covariance.

    Correlation alignment [1]_ of feature matrices ``(n, d)`` (after feature
    extraction): ``fit_resample(X, y)`` returns ``X @ Cs^(-1/2) @ Ct^(1/2)``
    with ``Cs = cov(X) + regularization * I`` and ``Ct = cov(reference) +
    regularization * I`` (Algorithm 1 of the paper: whiten the source, then
    re-colour it with the target covariance; no centring), and ``y``
    unchanged. The rows keep their number and order.

    It is a sampler so that the alignment touches the training (source)
    features only: in :class:`imblearn.pipeline.Pipeline`, ``fit`` runs
    ``fit_resample`` on the training features and trains the classifier on
    the aligned features; at ``predict`` and ``score`` the target-domain
    features pass through unchanged, as the paper prescribes (a classifier
    trained on aligned source features, applied to raw target features).

    Parameters
    ----------
    reference : array-like of shape (n_target, d) or None, default=None
        The target domain's features (unlabelled), with as many columns as
        ``X``. None means no target is given: ``X`` is returned unchanged
        (as float), so that a grid search can switch the alignment on and
        off, e.g. ``{"coralaligner__reference": [None, target_features]}``.
    regularization : float >= 0, default=1.0
        Added to the diagonal of both covariances (the paper's ``eye``).
        With 0, ``cov(X)`` must be of full rank.

    Attributes
    ----------
    source_covariance_ : ndarray of shape (d, d) or None
        ``Cs = cov(X) + regularization * I`` (covariance with ``n - 1``
        in the denominator, as MATLAB's ``cov``); None when ``reference``
        is None.
    target_covariance_ : ndarray of shape (d, d) or None
        ``Ct = cov(reference) + regularization * I``; None when
        ``reference`` is None.
    transform_matrix_ : ndarray of shape (d, d) or None
        ``A = Cs^(-1/2) @ Ct^(1/2)``, computed from the eigendecompositions
        (:func:`scipy.linalg.eigh`) of the symmetric matrices: the output is
        ``X @ A``. None when ``reference`` is None.
    sampling_strategy_ : OrderedDict
        ``{class: number of samples}``, unchanged.
    n_features_in_ : int
        Features per sample (``h * w * c`` for images, which are flattened).
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in ``fit_resample``.

    Raises
    ------
    ValueError
        From ``fit_resample``, when ``reference`` has another number of
        columns than ``X``, when ``X`` or ``reference`` has fewer than two
        rows, or when ``Cs`` is singular (``regularization=0``).

    See Also
    --------
    coral_align : The function twin.
    ColorTransfer, HistogramMatcher : Domain adaptation on the images.

    Notes
    -----
    What holds: ``cov(X @ A) = A.T @ cov(X) @ A = Ct^(1/2) Cs^(-1/2) cov(X)
    Cs^(-1/2) Ct^(1/2)``, which is ``Ct`` exactly when ``regularization=0``
    and ``cov(X)`` has full rank; with regularization the aligned
    covariance is ``Ct^(1/2) (I - regularization * Cs^(-1)) Ct^(1/2)``.
    The mean is not moved to the target's (the paper's algorithm aligns
    second-order statistics only): standardise each domain's features first
    when their means differ.

    In a grid search the validation folds, like test data, reach the
    classifier unaligned: for the score to judge the alignment they should
    come from the target domain (labelled target samples through ``cv``).
    The output is float64 for float64 input and float32 otherwise (integer
    features included), as everywhere in skimgprep; the
    computation is in float64.

    References
    ----------
    .. [1] B. Sun, J. Feng, K. Saenko, "Return of frustratingly easy domain
       adaptation", AAAI 2016, :doi:`10.1609/aaai.v30i1.10306`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import CORALAligner
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 2))
    >>> target = rng.normal(size=(300, 2)) * [3.0, 0.5]
    >>> aligner = CORALAligner(reference=target, regularization=0.0)
    >>> X_aligned, y_aligned = aligner.fit_resample(X, np.arange(200) % 2)
    >>> np.allclose(np.cov(X_aligned, rowvar=False), np.cov(target, rowvar=False))
    True
    """

    _parameter_constraints = {
        "reference": ["array-like", None],
        "regularization": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, reference=None, regularization=1.0):
        self.reference = reference
        self.regularization = regularization

    def _fit_resample(self, images, y):
        name = type(self).__name__
        n = images.shape[0]
        rows = images.reshape(n, -1)
        d = rows.shape[1]
        dtype = float_dtype(rows.dtype)
        if self.reference is None:
            self.source_covariance_ = None
            self.target_covariance_ = None
            self.transform_matrix_ = None
            return rows.astype(dtype).reshape(images.shape), y
        if sp.issparse(self.reference):
            raise TypeError(
                f"{name} expected dense reference features; got a sparse matrix "
                f"of shape {self.reference.shape}. Convert it with .toarray()."
            )
        if np.ndim(self.reference) != 2:
            raise ValueError(
                f"{name} expected reference features of shape (n_target, {d}); "
                f"got an array of shape {np.shape(self.reference)}."
            )
        target = check_array(
            self.reference, dtype=np.float64, ensure_all_finite=True,
            input_name="reference",
        )
        if target.shape[1] != d:
            raise ValueError(
                f"{name} expected reference features with {d} columns, as X; "
                f"got reference of shape {target.shape}."
            )
        for what, m in (("X", n), ("reference", target.shape[0])):
            if m < 2:
                raise ValueError(
                    f"{name} needs at least 2 samples in {what} to estimate a "
                    f"covariance; got {m}."
                )
        eye = self.regularization * np.eye(d)
        source = rows.astype(np.float64)
        self.source_covariance_ = _covariance(source) + eye
        self.target_covariance_ = _covariance(target) + eye
        self.transform_matrix_ = _coral_matrix(
            self.source_covariance_, self.target_covariance_, name
        )
        aligned = source @ self.transform_matrix_
        return aligned.astype(dtype, copy=False).reshape(images.shape), y


def coral_align(X, reference, *, regularization=1.0):
    """Align source features to a target's covariance: CORAL in one call.

    ``X @ Cs^(-1/2) @ Ct^(1/2)`` as in :class:`CORALAligner`.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Source features.
    reference : array-like of shape (n_target, d)
        Target features.
    regularization : float >= 0, default=1.0
        Added to the diagonal of both covariances.

    Returns
    -------
    X_aligned : ndarray of shape (n, d)
        The aligned source features, float32 for float32 input, else
        float64.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import coral_align
    >>> X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
    >>> target = 3 * X
    >>> coral_align(X, target, regularization=0.0)
    array([[0., 0.],
           [6., 0.],
           [0., 6.],
           [6., 6.]])
    """
    X_aligned, _ = CORALAligner(
        reference=reference, regularization=regularization
    ).fit_resample(X, np.zeros(len(X)))
    return X_aligned
