"""Foreground by per-image thresholds, and crops of the largest object.

:class:`ThresholdMasker` (twin :func:`mask_images`) keeps the foreground of
each image, or returns its mask; :class:`ObjectCropper` (twin
:func:`crop_objects`) crops each image to its largest object and resizes the
crop; :func:`image_thresholds` returns the thresholds themselves.

Each image gets its own threshold, equal to the scikit-image function of the
method's name called on that image:

- "otsu", "yen", "triangle": :func:`skimage.filters.threshold_otsu`,
  :func:`~skimage.filters.threshold_yen`,
  :func:`~skimage.filters.threshold_triangle` with ``nbins``;
- "mean": :func:`skimage.filters.threshold_mean`;
- "li": :func:`skimage.filters.threshold_li`;
- "local": :func:`skimage.filters.threshold_local` with ``block_size``,
  ``offset`` and its default ``method="gaussian"``: a threshold per pixel.

The foreground is ``gray > threshold`` (``gray <= threshold`` with
``invert=True``, for dark objects on a light ground), where ``gray`` is the
image itself for grayscale images and :func:`skimage.color.rgb2gray` of it
for colour images (the first three channels of four; the mean of the
channels for another channel count).

Why the batch paths are exact
-----------------------------
"otsu", "yen", "triangle" and "mean" run over a whole chunk of the batch at
once and give the thresholds of the per-image scikit-image calls bit for
bit:

* The histograms follow :func:`skimage.exposure.histogram` with
  ``source_range="image"``. Integer images (bool images as 0 and 1) get one
  bin per integer from the image's minimum to its maximum (``nbins`` is
  ignored, as in scikit-image); all images of the chunk are counted by one
  :func:`numpy.bincount`, each in its own row of ``L`` bins, where ``L`` is
  the largest range of the chunk: the rows of images with a smaller range
  end in empty bins. Float images get ``nbins`` bins between their minimum
  and maximum, with the edges and the bin of every pixel computed as
  :func:`numpy.histogram` computes them (``numpy.linspace`` edges, the same
  float operations, the same one-ulp corrections), per row.
* The thresholds are the same float operations as scikit-image's, on each
  row: cumulative sums along a row are sequential, so the empty bins at the
  end of a row add exact zeros; the positions that lie in those extra bins
  are excluded before the ``argmax``. Yen's method divides by the sum of the
  counts, which is exact in float32 below 2**24 pixels per image.
* The mean is taken per image over its contiguous pixels, which numpy sums
  with the same pairwise summation as the mean of the image alone.
* "local" is one :func:`scipy.ndimage.gaussian_filter` over the chunk with
  sigma 0 along the batch axis (which is then not touched), as
  :mod:`skimgprep.denoise` explains; the float type is scikit-image's
  (float64 for integer images).

"li" is iterative and runs image by image.

The connected objects are labelled for a whole chunk by one
:func:`scipy.ndimage.label` call whose structuring element connects no two
images; within an image the components, their numbering (raster order of
their first pixel) and their areas are those of
:func:`skimage.measure.label` with the same ``connectivity`` (1: 4-connected,
2: 8-connected). The largest object is the component of largest area, the
first in raster order among equals, as ``max(regionprops(labels),
key=area)``.
"""

from numbers import Integral, Real

import numpy as np
from scipy import ndimage as ndi
from skimage._shared.utils import _supported_float_type
from skimage.color import rgb2gray
from skimage.filters import threshold_li
from skimage.transform import resize
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context, validate_params
from ._parallel import map_by_shape, map_chunks, map_images
from ._validation import (
    check_pair,
    check_image_list,
    check_image_shape_param,
    check_images,
    float_dtype,
    float_dtype_of,
    is_image_list,
    n_channels,
)
from .base import ImageMixin, ImageTransformerMixin

__all__ = [
    "ObjectCropper",
    "ThresholdMasker",
    "crop_objects",
    "image_thresholds",
    "mask_images",
]

#: The threshold methods, each the scikit-image function ``threshold_<name>``.
_METHODS = ("otsu", "li", "yen", "mean", "triangle", "local")

#: Constraints of the threshold parameters, shared by the estimators here
#: and by :class:`skimgprep.features.RegionFeatureExtractor`.
_THRESHOLD_CONSTRAINTS = {
    "method": [StrOptions(set(_METHODS))],
    "invert": ["boolean"],
    "nbins": [Interval(Integral, 2, None, closed="left")],
    "block_size": [Interval(Integral, 1, None, closed="left")],
    "offset": [Real],
    "image_shape": [tuple, None],
    "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    "n_jobs": [Integral, None],
}


# --------------------------------------------------------------------------
# Thresholds
# --------------------------------------------------------------------------


def _gray(images):
    """The grayscale batch ``(m, h, w)`` the thresholds are computed on.

    Grayscale images are returned as they are (bool as uint8 0/1, float16 as
    float32); colour images go through :func:`skimage.color.rgb2gray` (its
    float output, float64 for integer images).
    """
    if images.dtype == np.bool_:
        images = images.view(np.uint8)
    elif images.dtype.kind == "f" and images.dtype.itemsize < 4:
        images = images.astype(np.float32)
    elif not images.dtype.isnative:
        images = images.astype(images.dtype.newbyteorder("="))
    if images.ndim == 4:
        c = images.shape[-1]
        if c == 1:
            images = images[..., 0]
        elif c in (3, 4):
            images = rgb2gray(images[..., :3])
        else:
            images = images.mean(axis=-1, dtype=float_dtype(images.dtype))
    return np.ascontiguousarray(images)


def _histograms(gray, nbins):
    """Per-image histograms of ``gray`` ``(m, h, w)``, by scikit-image's rules.

    Returns ``counts`` ``(m, L)`` (int), ``centers`` ``(m, L)`` and the number
    of bins of each image, ``lengths`` ``(m,)``: row ``i`` holds the
    histogram of :func:`skimage.exposure.histogram` (``source_range="image"``)
    of image ``i`` in its first ``lengths[i]`` bins, and zeros after.
    """
    m = gray.shape[0]
    flat = gray.reshape(m, -1)
    low = flat.min(axis=1)
    high = flat.max(axis=1)
    rows = np.arange(m)[:, None]
    if flat.dtype.kind in "iu":
        low = low.astype(np.int64)
        lengths = high.astype(np.int64) - low + 1
        n_bins = int(lengths.max())
        index = flat.astype(np.int64)
        index -= low[:, None]
        index += rows * n_bins
        counts = np.bincount(index.reshape(-1), minlength=m * n_bins)
        centers = low[:, None] + np.arange(n_bins)
        return counts.reshape(m, n_bins), centers, lengths
    # numpy.histogram(image, bins=nbins): range (min, max), widened by 0.5 on
    # each side for a constant image; then the indices as numpy computes them.
    first, last = low.copy(), high.copy()
    same = first == last
    first[same] -= 0.5
    last[same] += 0.5
    edges = np.linspace(first, last, nbins + 1, axis=1, dtype=flat.dtype)
    scaled = flat - first[:, None]
    scaled /= (last - first)[:, None]
    scaled *= nbins
    index = scaled.astype(np.intp)
    del scaled
    index[index == nbins] -= 1
    index[flat < edges[rows, index]] -= 1
    index[(flat >= edges[rows, index + 1]) & (index != nbins - 1)] += 1
    index += rows * nbins
    counts = np.bincount(index.reshape(-1), minlength=m * nbins).reshape(m, nbins)
    centers = (edges[:, :-1] + edges[:, 1:]) / 2.0
    return counts, centers, np.full(m, nbins)


def _beyond(lengths, size):
    """True at positions ``j >= lengths[i] - 1`` of rows of ``size`` values."""
    return np.arange(size)[None, :] >= (lengths - 1)[:, None]


def _threshold_otsu(gray, nbins):
    counts, centers, lengths = _histograms(gray, nbins)
    m, n_bins = counts.shape
    flat = gray.reshape(m, -1)
    low, high = flat.min(axis=1), flat.max(axis=1)
    out = low.astype(np.float64)  # a constant image: its value
    if n_bins > 1:
        counts = counts.astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            weight1 = np.cumsum(counts, axis=1)
            weight2 = np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]
            weighted = counts * centers
            mean1 = np.cumsum(weighted, axis=1) / weight1
            mean2 = (np.cumsum(weighted[:, ::-1], axis=1) / weight2[:, ::-1])[:, ::-1]
            variance = weight1[:, :-1] * weight2[:, 1:] * (mean1[:, :-1] - mean2[:, 1:]) ** 2
        variance[_beyond(lengths, n_bins - 1)] = -np.inf
        best = centers[np.arange(m), variance.argmax(axis=1)]
        varied = low != high
        out[varied] = best[varied]
    return out


def _threshold_yen(gray, nbins):
    counts, centers, lengths = _histograms(gray, nbins)
    m, n_bins = counts.shape
    out = centers[:, 0].astype(np.float64)  # one bin: its centre
    if n_bins > 1:
        counts = counts.astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            pmf = counts / counts.sum(axis=1, keepdims=True)
            p1 = np.cumsum(pmf, axis=1)
            p1_sq = np.cumsum(pmf**2, axis=1)
            p2_sq = np.cumsum(pmf[:, ::-1] ** 2, axis=1)[:, ::-1]
            crit = np.log(
                ((p1_sq[:, :-1] * p2_sq[:, 1:]) ** -1) * (p1[:, :-1] * (1.0 - p1[:, :-1])) ** 2
            )
        crit[_beyond(lengths, n_bins - 1)] = -np.inf
        best = centers[np.arange(m), crit.argmax(axis=1)]
        out[lengths > 1] = best[lengths > 1]
    return out


def _threshold_triangle(gray, nbins):
    hist, centers, lengths = _histograms(gray, nbins)
    m, n_bins = hist.shape
    rows = np.arange(m)
    positions = np.arange(n_bins)[None, :]
    peak = hist.argmax(axis=1)
    peak_height = hist[rows, peak]
    nonzero = hist > 0
    low = nonzero.argmax(axis=1)
    high = n_bins - 1 - nonzero[:, ::-1].argmax(axis=1)
    out = gray.reshape(m, -1)[:, 0].astype(np.float64)  # a constant image: its value
    varied = low != high
    if not varied.any():
        return out
    # Flip the histograms whose left tail is the shorter, within their bins.
    flip = peak - low < high - peak
    flipped = np.where(flip[:, None], lengths[:, None] - 1 - positions, positions)
    hist = np.take_along_axis(hist, np.clip(flipped, 0, n_bins - 1), axis=1)
    low = np.where(flip, lengths - high - 1, low)
    peak = np.where(flip, lengths - peak - 1, peak)
    width = peak - low
    y = np.take_along_axis(hist, np.clip(positions + low[:, None], 0, n_bins - 1), axis=1)
    norm = np.sqrt(peak_height**2 + width**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        length = (peak_height / norm)[:, None] * positions - (width / norm)[:, None] * y
    length[positions >= width[:, None]] = -np.inf
    level = length.argmax(axis=1) + low
    level = np.where(flip, lengths - level - 1, level)
    best = centers[rows, np.clip(level, 0, n_bins - 1)]
    out[varied] = best[varied]
    return out


def _threshold_mean(gray):
    return gray.mean(axis=tuple(range(1, gray.ndim))).astype(np.float64)


def _threshold_li(gray):
    return np.array([threshold_li(image) for image in gray], dtype=np.float64)


def _threshold_local(gray, block_size, offset):
    """:func:`skimage.filters.threshold_local` (gaussian) of every image."""
    images = gray.astype(_supported_float_type(gray.dtype), copy=False)
    sigma = (block_size - 1) / 6.0
    out = np.empty_like(images)
    ndi.gaussian_filter(
        images, (0, sigma, sigma), output=out, mode="reflect", cval=0, truncate=4.0
    )
    out -= offset
    return out


def _thresholds(gray, method, nbins, block_size, offset):
    """Thresholds of a grayscale chunk: ``(m,)`` float64, or ``(m, h, w)`` for "local"."""
    if method == "otsu":
        return _threshold_otsu(gray, nbins)
    if method == "yen":
        return _threshold_yen(gray, nbins)
    if method == "triangle":
        return _threshold_triangle(gray, nbins)
    if method == "mean":
        return _threshold_mean(gray)
    if method == "li":
        return _threshold_li(gray)
    return _threshold_local(gray, block_size, offset)


def _foreground(images, *, method, nbins, block_size, offset, invert):
    """The foreground masks ``(m, h, w)`` of a chunk, its gray images and thresholds."""
    gray = _gray(images)
    thresholds = _thresholds(gray, method, nbins, block_size, offset)
    if thresholds.ndim == 1:
        mask = gray > thresholds[:, None, None]
    else:
        mask = gray > thresholds
    if invert:
        np.logical_not(mask, out=mask)
    return mask, gray, thresholds


def _check_block_size(estimator):
    if estimator.method == "local" and estimator.block_size % 2 == 0:
        raise ValueError(
            f"{type(estimator).__name__}(method='local') needs an odd block_size "
            f"(3, 5, 7, ...), as skimage.filters.threshold_local; got "
            f"block_size={estimator.block_size}."
        )


def _threshold_params(estimator):
    return dict(
        method=estimator.method,
        nbins=int(estimator.nbins),
        block_size=int(estimator.block_size),
        offset=float(estimator.offset),
    )


@validate_params(
    {
        "images": ["array-like"],
        "method": [StrOptions(set(_METHODS))],
        "nbins": [Interval(Integral, 2, None, closed="left")],
        "block_size": [Interval(Integral, 1, None, closed="left")],
        "offset": [Real],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def image_thresholds(
    images,
    *,
    method="otsu",
    nbins=256,
    block_size=35,
    offset=0.0,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """The threshold of every image of a batch.

    Entry ``i`` equals ``skimage.filters.threshold_<method>(gray_i)``, where
    ``gray_i`` is image ``i`` (grayscale) or its
    :func:`skimage.color.rgb2gray` (colour); see :class:`ThresholdMasker`.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; 2D rows are flattened images (see ``image_shape``). A
        list may hold images of different sizes.
    method : {"otsu", "li", "yen", "mean", "triangle", "local"}, default="otsu"
        The scikit-image threshold function.
    nbins : int, default=256
        Histogram bins of "otsu", "yen" and "triangle" for float images
        (integer images have one bin per integer value).
    block_size : int, default=35
        Odd size of the neighbourhood of "local".
    offset : float, default=0.0
        Subtracted from the local weighted mean by "local".
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib.

    Returns
    -------
    thresholds : ndarray of shape (n,), or (n, h, w) for "local"
        float64 (each value is exact: the float32 or integer threshold of
        scikit-image, widened). For "local" on a list of images of different
        sizes, a list of ``(h_i, w_i)`` arrays in scikit-image's float type.

    Raises
    ------
    ValueError
        For an even ``block_size`` with "local", or as
        :func:`skimgprep._validation.check_images`.

    See Also
    --------
    ThresholdMasker : The foreground from these thresholds, as a step.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import image_thresholds
    >>> images = np.array([[[0, 0, 10, 10]], [[0, 50, 50, 200]]], dtype=np.uint8)
    >>> image_thresholds(images, method="otsu")
    array([ 0., 50.])
    """
    if method == "local" and block_size % 2 == 0:
        raise ValueError(
            "method='local' needs an odd block_size (3, 5, 7, ...), as "
            f"skimage.filters.threshold_local; got block_size={block_size}."
        )
    image_shape = check_image_shape_param(image_shape)
    if is_image_list(images):
        batch, _ = check_image_list(images, cast=None)
    else:
        batch, _ = check_images(images, image_shape=image_shape, cast=None)
    params = dict(method=method, nbins=int(nbins), block_size=int(block_size), offset=float(offset))
    if isinstance(batch, list) and method == "local":
        return [
            _thresholds(_gray(image[None]), **params)[0] for image in batch
        ]
    return map_by_shape(
        _thresholds_chunk, batch, n_jobs=n_jobs, batch_size=batch_size, **params
    )


def _thresholds_chunk(images, **params):
    return _thresholds(_gray(images), **params)


# --------------------------------------------------------------------------
# ThresholdMasker
# --------------------------------------------------------------------------


def _mask_chunk(images, *, output, **params):
    mask, _, _ = _foreground(images, **params)
    if images.ndim == 4:
        mask = mask[..., None]
    if output == "mask":
        out = np.empty(images.shape, dtype=float_dtype(images.dtype))
        out[...] = mask
        return out
    return np.where(mask, images, np.zeros((), dtype=images.dtype))


class ThresholdMasker(ImageTransformerMixin, BaseEstimator):
    """The foreground of each image by its own threshold: a mask, or the image masked.

    Each image is thresholded on its own with the scikit-image function
    ``skimage.filters.threshold_<method>``; its foreground is ``gray >
    threshold`` (``gray <= threshold`` with ``invert=True``), where ``gray``
    is the image, or :func:`skimage.color.rgb2gray` of a colour image.

    Parameters
    ----------
    method : {"otsu", "li", "yen", "mean", "triangle", "local"}, default="otsu"
        The threshold: :func:`skimage.filters.threshold_otsu`,
        :func:`~skimage.filters.threshold_li`,
        :func:`~skimage.filters.threshold_yen`,
        :func:`~skimage.filters.threshold_mean`,
        :func:`~skimage.filters.threshold_triangle` (one value per image), or
        :func:`~skimage.filters.threshold_local` (gaussian-weighted local
        mean minus ``offset``, one value per pixel).
    output : {"masked", "mask"}, default="masked"
        "masked": the image with its background set to 0, in the input's
        dtype (uint8 stays uint8). "mask": the foreground as 0.0 and 1.0 in
        the input's float dtype (float32 for integer and bool images),
        repeated over the channels of a colour image so that the output has
        the input's shape; ``.astype(bool)`` gives a boolean mask.
    invert : bool, default=False
        Take the pixels at or below the threshold as foreground: for dark
        objects on a light ground.
    nbins : int, default=256
        Histogram bins of "otsu", "yen" and "triangle" for float images;
        integer images have one bin per integer value, as in scikit-image.
    block_size : int, default=35
        Odd size of the neighbourhood of "local", in pixels.
    offset : float, default=0.0
        Subtracted from the local weighted mean by "local".
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk. The
        output does not depend on it.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib ("li" runs image by image);
        None means 1 unless in a :func:`joblib.parallel_backend` context. The
        output does not depend on it.

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
    mask_images : The function twin.
    image_thresholds : The thresholds themselves.
    ObjectCropper : Crops the largest object of the foreground.

    Notes
    -----
    Nothing is learned: the thresholds are each image's own, at transform
    time. The step works on images of any size (only flattened input must
    keep the number of pixel values seen in fit). Colour images are
    thresholded on :func:`skimage.color.rgb2gray` (the first three channels
    of RGBA; the channel mean for other channel counts). The thresholds are
    scikit-image's bit for bit; see the module documentation for why the
    whole-batch computation is exact.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import ThresholdMasker
    >>> X = np.array([[[10, 200, 30], [220, 20, 210]]], dtype=np.uint8)
    >>> ThresholdMasker().fit_transform(X)
    array([[[  0, 200,   0],
            [220,   0, 210]]], dtype=uint8)
    >>> ThresholdMasker(output="mask", invert=True).fit_transform(X)
    array([[[1., 0., 1.],
            [0., 1., 0.]]], dtype=float32)
    """

    _any_image_size = True

    _parameter_constraints = {
        **_THRESHOLD_CONSTRAINTS,
        "output": [StrOptions({"masked", "mask"})],
    }

    def __init__(
        self,
        *,
        method="otsu",
        output="masked",
        invert=False,
        nbins=256,
        block_size=35,
        offset=0.0,
        image_shape=None,
        batch_size=None,
        n_jobs=None,
    ):
        self.method = method
        self.output = output
        self.invert = invert
        self.nbins = nbins
        self.block_size = block_size
        self.offset = offset
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and parameters; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : ThresholdMasker
            The fitted step.

        Raises
        ------
        ValueError
            For an even ``block_size`` with ``method="local"``, or images that
            are not a valid batch.
        """
        _check_block_size(self)
        self._check_images(X, reset=True, cast=None)
        return self

    def transform(self, X):
        """Mask every image by its own threshold.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images, of any size.

        Returns
        -------
        X_out : ndarray of the shape of X
            With ``output="masked"`` the images with the background set to 0
            (input dtype); with ``output="mask"`` the foreground as 0/1 in the
            input's float dtype (float32 for integer images).
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False, cast=None)
        out = map_chunks(
            _mask_chunk,
            images,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
            output=self.output,
            invert=bool(self.invert),
            **_threshold_params(self),
        )
        return layout.restore(out)


def mask_images(
    images,
    *,
    method="otsu",
    output="masked",
    invert=False,
    nbins=256,
    block_size=35,
    offset=0.0,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """Mask every image by its own threshold: :class:`ThresholdMasker` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch; 2D rows are flattened images (see ``image_shape``).
    method, output, invert, nbins, block_size, offset
        As in :class:`ThresholdMasker`.
    image_shape, batch_size, n_jobs
        As in :class:`ThresholdMasker`.

    Returns
    -------
    out : ndarray of the shape of images
        The masked images (input dtype) or the 0/1 masks (float).

    Raises
    ------
    ValueError
        As :meth:`ThresholdMasker.fit`.

    See Also
    --------
    ThresholdMasker : The estimator, for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import mask_images
    >>> mask_images(np.array([[[0.1, 0.9, 0.8, 0.2]]]), output="mask")
    array([[[0., 1., 1., 0.]]])
    """
    return ThresholdMasker(
        method=method,
        output=output,
        invert=invert,
        nbins=nbins,
        block_size=block_size,
        offset=offset,
        image_shape=image_shape,
        batch_size=batch_size,
        n_jobs=n_jobs,
    ).fit_transform(images)


# --------------------------------------------------------------------------
# The largest object, ObjectCropper
# --------------------------------------------------------------------------


def _largest_objects(masks, connectivity=2):
    """The largest connected object of each mask of a batch.

    Parameters
    ----------
    masks : ndarray of shape (m, h, w), bool
        Foreground masks.
    connectivity : {1, 2}, default=2
        As in :func:`skimage.measure.label`: 1 joins pixels that share an
        edge, 2 also those that share a corner.

    Returns
    -------
    objects : ndarray of shape (m, h, w), bool
        The pixels of each image's largest object (the first in raster order
        among objects of equal area); all False for an empty mask.
    boxes : ndarray of shape (m, 4), int64
        Its bounding box ``(min_row, min_col, max_row, max_col)``, the max
        exclusive, as ``regionprops(...).bbox``; ``(0, 0, h, w)`` for an
        empty mask.
    empty : ndarray of shape (m,), bool
        True where the mask has no foreground pixel.
    """
    m, h, w = masks.shape
    structure = np.zeros((3, 3, 3), dtype=bool)
    structure[1] = ndi.generate_binary_structure(2, connectivity)
    labels, n_labels = ndi.label(masks, structure=structure)
    chosen = np.zeros(m, dtype=labels.dtype)
    empty = np.ones(m, dtype=bool)
    if n_labels:
        area = np.bincount(labels.reshape(-1), minlength=n_labels + 1)[1:]
        # The labels of image i are (ends[i - 1], ends[i]]: ndi.label numbers
        # the components in raster order over the whole batch.
        ends = np.maximum.accumulate(labels.reshape(m, -1).max(axis=1)).astype(np.int64)
        counts = np.diff(ends, prepend=0)
        owner = np.repeat(np.arange(m), counts)
        has = counts > 0
        best = np.maximum.reduceat(area, (ends - counts)[has])
        candidates = np.flatnonzero(area == np.repeat(best, counts[has]))
        images, first = np.unique(owner[candidates], return_index=True)
        chosen[images] = candidates[first] + 1
        empty[images] = False
    objects = labels == chosen[:, None, None]
    objects[empty] = False
    rows = objects.any(axis=2)
    cols = objects.any(axis=1)
    boxes = np.empty((m, 4), dtype=np.int64)
    boxes[:, 0] = rows.argmax(axis=1)
    boxes[:, 1] = cols.argmax(axis=1)
    boxes[:, 2] = h - rows[:, ::-1].argmax(axis=1)
    boxes[:, 3] = w - cols[:, ::-1].argmax(axis=1)
    boxes[empty] = (0, 0, h, w)
    return objects, boxes, empty


def _pad_boxes(boxes, padding, shape):
    """Widen boxes by ``padding`` times their size on each side, within ``shape``."""
    h, w = shape
    rows = boxes[:, 2] - boxes[:, 0]
    cols = boxes[:, 3] - boxes[:, 1]
    pad_rows = np.floor(padding * rows + 0.5).astype(np.int64)
    pad_cols = np.floor(padding * cols + 0.5).astype(np.int64)
    out = boxes.copy()
    out[:, 0] = np.maximum(boxes[:, 0] - pad_rows, 0)
    out[:, 1] = np.maximum(boxes[:, 1] - pad_cols, 0)
    out[:, 2] = np.minimum(boxes[:, 2] + pad_rows, h)
    out[:, 3] = np.minimum(boxes[:, 3] + pad_cols, w)
    return out


def _boxes_chunk(images, *, connectivity, padding, **params):
    """Crop boxes and empty flags of a chunk, as ``(m, 5)`` int64 rows."""
    mask, _, _ = _foreground(images, **params)
    _, boxes, empty = _largest_objects(mask, connectivity)
    out = np.empty((len(images), 5), dtype=np.int64)
    out[:, :4] = _pad_boxes(boxes, padding, images.shape[1:3])
    out[:, 4] = empty
    return out


def _crop_resize(image, box, *, output_shape, dtype):
    """Crop ``image`` to ``box`` and resize it as ``skimage.transform.resize``."""
    crop = image[box[0] : box[2], box[1] : box[3]].astype(dtype, copy=False)
    out = resize(crop, output_shape, order=1, anti_aliasing=True, preserve_range=True)
    return out.astype(dtype, copy=False)


def _read_any_size(estimator, X, *, reset):
    """Read images of any size: a batch, flattened rows, or a list of images."""
    return estimator._check_image_list(X, reset=reset, cast=None)


class ObjectCropper(ImageMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Crop each image to its largest object, with a margin, and resize the crop.

    Per image: the foreground by its own threshold (as
    :class:`ThresholdMasker`), its connected objects
    (:func:`skimage.measure.label` with ``connectivity``), the largest by
    area (as :func:`skimage.measure.regionprops`), its bounding box widened
    by ``padding`` and clipped to the image, then the crop resized to
    ``output_shape`` by :func:`skimage.transform.resize` with ``order=1``,
    ``anti_aliasing=True``, ``preserve_range=True``. An image without
    foreground is resized whole.

    Parameters
    ----------
    output_shape : tuple (int, int)
        ``(rows, cols)`` of the output images; channels are kept.
    method : {"otsu", "li", "yen", "mean", "triangle", "local"}, default="otsu"
        The threshold, as in :class:`ThresholdMasker`.
    padding : float, default=0.1
        Margin added on each side of the object's bounding box, as a fraction
        of the box's height (rows) and width (columns), rounded half up to
        whole pixels; the box is then clipped to the image.
    invert : bool, default=False
        Objects are the pixels at or below the threshold (dark objects).
    connectivity : {1, 2}, default=2
        Pixels of one object touch by an edge (1) or by an edge or a corner
        (2), as in :func:`skimage.measure.label`.
    nbins, block_size, offset
        As in :class:`ThresholdMasker`.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk. The
        output does not depend on it.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib. The output does not depend on
        it.

    Attributes
    ----------
    n_empty_ : int
        Images of the training set without any object (passed through
        resized whole).
    n_channels_ : int
        Channels of the training images (1 for grayscale).
    n_features_in_ : int
        Pixel values per image seen in fit, when all had one size.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of images of several
        sizes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    crop_objects : The function twin.
    ThresholdMasker : The foreground alone.
    skimgprep.features.RegionFeatureExtractor : Shape features of the
        same largest object.

    Notes
    -----
    The input may be a list of images of different sizes, and transform
    takes images of any size with the channel count seen in fit; the output
    is a batch ``(n, rows, cols[, c])`` (flattened for flattened input) in
    the input's float dtype (float32 for integer images). The crop boxes and
    the empty images of any batch are given by :meth:`find_objects`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import ObjectCropper
    >>> X = np.zeros((2, 8, 8))
    >>> X[0, 2:6, 3:5] = 1.0            # a 4x2 object
    >>> cropper = ObjectCropper(output_shape=(4, 2), padding=0.0).fit(X)
    >>> cropper.transform(X)[0]
    array([[1., 1.],
           [1., 1.],
           [1., 1.],
           [1., 1.]])
    >>> cropper.n_empty_              # the second image is blank
    1
    >>> boxes, empty = cropper.find_objects(X)
    >>> boxes[0], empty
    (array([2, 3, 6, 5]), array([False,  True]))
    """

    _any_image_size = True

    _parameter_constraints = {
        **_THRESHOLD_CONSTRAINTS,
        "output_shape": [tuple],
        "padding": [Interval(Real, 0, None, closed="left")],
        "connectivity": [Interval(Integral, 1, 2, closed="both")],
    }

    def __init__(
        self,
        *,
        output_shape,
        method="otsu",
        padding=0.1,
        invert=False,
        connectivity=2,
        nbins=256,
        block_size=35,
        offset=0.0,
        image_shape=None,
        batch_size=None,
        n_jobs=None,
    ):
        self.output_shape = output_shape
        self.method = method
        self.padding = padding
        self.invert = invert
        self.connectivity = connectivity
        self.nbins = nbins
        self.block_size = block_size
        self.offset = offset
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.n_jobs = n_jobs

    def _read(self, X, reset):
        """The images (batch or list) and their layout; channels checked."""
        images, layout = _read_any_size(self, X, reset=reset)
        if isinstance(images, np.ndarray):
            channels = {n_channels(images.shape[1:])}
        else:
            channels = {n_channels(image.shape) for image in images}
        if len(channels) > 1:
            raise ValueError(
                f"{type(self).__name__} expected images with one channel count; "
                f"got images with {sorted(channels)} channels."
            )
        (found,) = channels
        if reset:
            self.n_channels_ = found
        elif found != self.n_channels_:
            raise ValueError(
                f"{type(self).__name__} was fitted on images with {self.n_channels_} "
                f"channel(s); got images with {found} channel(s)."
            )
        return images, layout

    def _boxes(self, images):
        return map_by_shape(
            _boxes_chunk,
            images,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
            connectivity=int(self.connectivity),
            padding=float(self.padding),
            invert=bool(self.invert),
            **_threshold_params(self),
        )

    def _crop(self, images, boxes, layout):
        output_shape = check_pair(self.output_shape, "output_shape")
        if isinstance(images, np.ndarray):
            dtype = float_dtype(images.dtype)
        else:
            dtype = float_dtype_of(images)
        out = map_images(
            _crop_resize,
            images,
            boxes,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
            output_shape=output_shape,
            dtype=dtype,
        )
        return layout.restore(out)

    def _check_params(self):
        check_pair(self.output_shape, "output_shape")
        _check_block_size(self)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and count those without an object.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images; a list may hold images of different sizes.
        y : None
            Ignored.

        Returns
        -------
        self : ObjectCropper
            The fitted step, with ``n_empty_``.

        Raises
        ------
        ValueError
            For an ``output_shape`` that is not two positive integers, an even
            ``block_size`` with ``method="local"``, or images of different
            channel counts.
        """
        self._check_params()
        images, _ = self._read(X, reset=True)
        self.n_empty_ = int(self._boxes(images)[:, 4].sum())
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then crop the same images, thresholding them once.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images.
        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray of shape (n, rows, cols[, c]) or (n, rows * cols * c)
            The crops, as :meth:`transform`.
        """
        self._check_params()
        images, layout = self._read(X, reset=True)
        boxes = self._boxes(images)
        self.n_empty_ = int(boxes[:, 4].sum())
        return self._crop(images, boxes, layout)

    def transform(self, X):
        """Crop every image to its largest object and resize the crop.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size, with the channel count seen in fit.

        Returns
        -------
        X_out : ndarray of shape (n, rows, cols[, c]) or (n, rows * cols * c)
            The resized crops in the input's float dtype (float32 for integer
            images); flattened for flattened input.
        """
        check_is_fitted(self)
        images, layout = self._read(X, reset=False)
        return self._crop(images, self._boxes(images), layout)

    def find_objects(self, X):
        """The crop box of every image, and which images have no object.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size, with the channel count seen in fit.

        Returns
        -------
        boxes : ndarray of shape (n, 4), int64
            ``(min_row, min_col, max_row, max_col)`` (max exclusive) of the
            region :meth:`transform` crops: the bounding box of the largest
            object widened by ``padding`` and clipped to the image, or the
            whole image.
        empty : ndarray of shape (n,), bool
            True for the images without any object.
        """
        check_is_fitted(self)
        images, _ = self._read(X, reset=False)
        boxes = self._boxes(images)
        return boxes[:, :4], boxes[:, 4].astype(bool)

    @property
    def _n_features_out(self):
        return int(np.prod(check_pair(self.output_shape, "output_shape"))) * self.n_channels_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def crop_objects(
    images,
    *,
    output_shape,
    method="otsu",
    padding=0.1,
    invert=False,
    connectivity=2,
    nbins=256,
    block_size=35,
    offset=0.0,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """Crop every image to its largest object: :class:`ObjectCropper` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; a list may hold images of different sizes.
    output_shape, method, padding, invert, connectivity
        As in :class:`ObjectCropper`.
    nbins, block_size, offset, image_shape, batch_size, n_jobs
        As in :class:`ObjectCropper`.

    Returns
    -------
    crops : ndarray of shape (n, rows, cols[, c]) or (n, rows * cols * c)
        The resized crops, in the input's float dtype.

    Raises
    ------
    ValueError
        As :meth:`ObjectCropper.fit`.

    See Also
    --------
    ObjectCropper : The estimator, for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import crop_objects
    >>> images = [np.zeros((6, 6)), np.zeros((9, 5))]
    >>> images[0][1:3, 2:5] = 1.0
    >>> images[1][4:6, 0:3] = 2.0
    >>> crop_objects(images, output_shape=(2, 3), padding=0.0)
    array([[[1., 1., 1.],
            [1., 1., 1.]],
    <BLANKLINE>
           [[2., 2., 2.],
            [2., 2., 2.]]])
    """
    return ObjectCropper(
        output_shape=output_shape,
        method=method,
        padding=padding,
        invert=invert,
        connectivity=connectivity,
        nbins=nbins,
        block_size=block_size,
        offset=offset,
        image_shape=image_shape,
        batch_size=batch_size,
        n_jobs=n_jobs,
    ).fit_transform(images)
