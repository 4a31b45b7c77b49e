"""Removing bad training images: :class:`QualityFilter` and :func:`image_quality`.

Four measures are taken on every image, over the whole batch at once
(chunk by chunk), each equal to a scikit-image / SciPy / numpy call on the
image alone. All but the contrast start from a *grey image*: the image
itself (grayscale), its one channel, :func:`skimage.color.rgb2gray` of the
first three channels (RGB; an alpha channel is ignored, as ``rgb2gray``
does), or the mean over the channels (any other channel count); integer
images are converted to float32 first, without any change of range (a uint8
image keeps its 0..255 values), float32 and float64 stay as they are.

- *sharpness*: ``scipy.ndimage.laplace(grey).var()``, the variance of the
  discrete Laplacian (kernel ``[1, -2, 1]`` along each axis, boundary mode
  "reflect"), in the grey image's dtype. Over a batch it is two
  :func:`scipy.ndimage.correlate1d` calls along the rows and columns axes,
  added in the order ``laplace`` adds them: the batch axis is never
  filtered, so each image is exactly what ``laplace`` gives on it alone.
  (:func:`skimage.filters.laplace` uses the same kernel with the opposite
  sign, on integer images rescaled by ``img_as_float``: the same variance
  for float images, up to rounding);
- *spread*: ``np.std(grey, dtype=np.float64)``;
- *contrast*: ``(p_upper - p_lower) / (dtype_max - dtype_min)``, the ratio
  that :func:`skimage.exposure.is_low_contrast` compares with its
  ``fraction_threshold``, computed as that function computes it (on the
  image as given, in its dtype, RGB(A) through ``rgba2rgb``/``rgb2gray``,
  the dtype's range from :func:`skimage.util.dtype_limits`), so the flag
  ``ratio < fraction`` is ``is_low_contrast``'s boolean;
- the *perceptual hash* (pHash) of the grey image:
  ``skimage.transform.resize(grey, (32, 32), order=1, mode="reflect",
  anti_aliasing=True, clip=False)``, the 2D DCT-II
  ``scipy.fft.dctn(..., type=2, norm="ortho")``, its top-left 8x8 block
  *including* the DC term (as the ``imagehash`` package does), one bit per
  coefficient, set when the coefficient is greater than the median of the
  64, the bits read in row-major order with the DC term as the most
  significant bit of a uint64 (the bit order of ``imagehash``'s hex string).
  Two images are near duplicates when their hashes differ in few bits
  (Hamming distance). An image one pixel tall or wide has at most 8
  informative bits (its resized rows, or columns, are equal); a constant
  image has no AC content, and hashes to ``1 << 63`` when its coefficients
  come out exactly zero.

The resize of a batch is one ``resize`` call on ``(n, h, w)`` to
``(n, 32, 32)``: the batch axis keeps its size, so its anti-aliasing sigma is
0 (not filtered) and its interpolation weights are exactly 1 and 0, and the
clip, which would mix images' ranges, is off. The tests check each measure,
image by image, against the plain per-image call.
"""

from collections import Counter, OrderedDict
from numbers import Integral, Real
import warnings

import numpy as np
from scipy import ndimage
from scipy.fft import dctn
from skimage.color import rgb2gray, rgba2rgb
from skimage.transform import resize
from skimage.util import dtype_limits

from ._compat import Interval, StrOptions, validate_params
from ._parallel import default_batch_size, run_tasks
from ._progress import reports_progress
from ._validation import check_images, float_dtype
from .base import BaseImageSampler

__all__ = ["QualityFilter", "image_quality"]

#: The per-image measures, in the order of :func:`image_quality`'s dict.
_MEASURES = np.dtype(
    [
        ("laplacian_var", np.float64),
        ("std", np.float64),
        ("contrast", np.float64),
        ("low_contrast", np.bool_),
        ("phash", np.uint64),
    ]
)

#: The reasons, in order of precedence: an image that meets several
#: criteria gets the first (a constant image is also low-contrast and
#: blurry; duplicates are only looked for among the images that pass the
#: other three).
_REASONS = ("constant", "low_contrast", "blurry", "duplicate")

#: Bytes of float64 per chunk of images when ``batch_size`` is None.
_CHUNK_BYTES = 16 * 2**20

#: Hash pairs compared at once when looking for near duplicates.
_PAIR_BUDGET = 2**22

_HASH_SIZE = 32  # the side of the resized image
_BLOCK = 8  # the side of the low-frequency block: 64 bits


def _grey(images):
    """The float grey images ``(n, h, w)`` the measures start from."""
    x = images.astype(float_dtype(images.dtype), copy=False)
    if x.ndim == 3:
        return x
    c = x.shape[-1]
    if c == 1:
        return x[..., 0]
    if c in (3, 4):
        return rgb2gray(x[..., :3])
    return x.mean(axis=-1)


def _contrast(images, fraction, lower, upper):
    """``is_low_contrast``'s ratio and flag for each image of the batch."""
    n = images.shape[0]
    if images.dtype == np.bool_:
        # is_low_contrast: a bool image is low contrast unless it holds both
        # values (the fraction and the percentiles are ignored).
        rows = images.reshape(n, -1)
        both = rows.max(axis=1) & ~rows.min(axis=1)
        return both.astype(np.float64), ~both
    x = images
    if x.ndim == 4 and x.shape[-1] in (3, 4):
        if x.shape[-1] == 4:
            x = rgba2rgb(x)
        x = rgb2gray(x)
    dmin, dmax = dtype_limits(x, clip_negative=False)
    limits = np.percentile(x.reshape(n, -1), [lower, upper], axis=1)
    # The same operations in the same dtypes as is_low_contrast, per row.
    ratio = (limits[1] - limits[0]) / (dmax - dmin)
    return ratio.astype(np.float64), ratio < fraction


def _laplacian_var(grey):
    """``scipy.ndimage.laplace(grey_i).var()`` for each image."""
    kernel = [1, -2, 1]
    lap = ndimage.correlate1d(grey, kernel, axis=1, mode="reflect")
    lap += ndimage.correlate1d(grey, kernel, axis=2, output=lap.dtype, mode="reflect")
    return lap.reshape(grey.shape[0], -1).var(axis=1)


def _phash(grey):
    """The 64-bit perceptual hash of each grey image, as uint64."""
    n = grey.shape[0]
    small = resize(
        grey,
        (n, _HASH_SIZE, _HASH_SIZE),
        order=1,
        mode="reflect",
        anti_aliasing=True,
        clip=False,
    )
    block = dctn(small, type=2, norm="ortho", axes=(1, 2))[:, :_BLOCK, :_BLOCK]
    block = block.reshape(n, _BLOCK * _BLOCK)
    bits = block > np.median(block, axis=1, keepdims=True)
    # packbits: the first bit is the most significant of the first byte;
    # the 8 bytes read big-endian make the uint64.
    return np.packbits(bits, axis=1).view(">u8")[:, 0].astype(np.uint64)


def _measure_chunk(images, *, fraction, lower, upper):
    out = np.empty(images.shape[0], dtype=_MEASURES)
    grey = _grey(images)
    out["laplacian_var"] = _laplacian_var(grey)
    out["std"] = grey.reshape(grey.shape[0], -1).std(axis=1, dtype=np.float64)
    out["contrast"], out["low_contrast"] = _contrast(images, fraction, lower, upper)
    out["phash"] = _phash(grey)
    return out


def _check_percentiles(lower, upper):
    if not lower < upper:
        raise ValueError(
            "lower_percentile must be smaller than upper_percentile; got "
            f"lower_percentile={lower!r} and upper_percentile={upper!r}."
        )


def _measures(images, *, fraction, lower, upper, batch_size, n_jobs):
    """The measures of a validated batch, as a dict of arrays."""
    n = images.shape[0]
    if batch_size is None:
        pixels = int(np.prod(images.shape[1:]))
        batch_size = default_batch_size(
            n, 8 * pixels, budget=_CHUNK_BYTES, n_jobs=n_jobs
        )
    table = np.empty(n, dtype=_MEASURES)
    slices = [slice(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]

    def run(s):
        table[s] = _measure_chunk(
            images[s], fraction=fraction, lower=lower, upper=upper
        )

    # Threads: the filters, the resize and the reductions release the GIL.
    run_tasks(run, ((s,) for s in slices), n_jobs=n_jobs)
    return {name: np.ascontiguousarray(table[name]) for name in _MEASURES.names}


def _hamming(a, b):
    return np.bitwise_count(np.bitwise_xor(a, b))


def _find_duplicates(hashes, candidates, max_distance):
    """For each image, the earlier kept image it duplicates, or -1.

    Images are taken in order among ``candidates``; one is a duplicate when
    its hash is within ``max_distance`` bits of an earlier candidate that was
    kept (not itself a duplicate), and it points to the first such one.
    """
    n = hashes.shape[0]
    dup_of = np.full(n, -1, dtype=np.intp)
    index = np.flatnonzero(candidates)
    h = hashes[index]
    m = index.size
    if m == 0:
        return dup_of
    if max_distance == 0:
        # Equal hashes: an equivalence, so each group's first image is kept
        # and the others point to it.
        _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
        source = first[inverse]
        dup = source != np.arange(m)
        dup_of[index[dup]] = index[source[dup]]
        return dup_of
    kept = np.ones(m, dtype=bool)
    local = np.full(m, -1, dtype=np.intp)
    step = max(1, _PAIR_BUDGET // m)
    for start in range(0, m, step):
        stop = min(start + step, m)
        close = _hamming(h[start:stop, None], h[None, :stop]) <= max_distance
        # Only earlier images count.
        close &= np.arange(stop)[None, :] < np.arange(start, stop)[:, None]
        rows, cols = np.nonzero(close)  # row by row, columns increasing
        for r, c in zip((rows + start).tolist(), cols.tolist()):
            # c < r: its fate is already decided.
            if kept[r] and kept[c]:
                kept[r] = False
                local[r] = c
    dup = local >= 0
    dup_of[index[dup]] = index[local[dup]]
    return dup_of


@validate_params(
    {
        "images": ["array-like"],
        "low_contrast_fraction": [Interval(Real, 0, None, closed="neither")],
        "lower_percentile": [Interval(Real, 0, 100, closed="both")],
        "upper_percentile": [Interval(Real, 0, 100, closed="both")],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def image_quality(
    images,
    *,
    low_contrast_fraction=0.05,
    lower_percentile=1.0,
    upper_percentile=99.0,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """The quality measures of every image of a batch.

    Entry ``i`` of each array equals the scikit-image / SciPy call on image
    ``i`` alone (see the module documentation for the grey image they start
    from):

    - ``"laplacian_var"``: ``scipy.ndimage.laplace(grey).var()``;
    - ``"std"``: ``np.std(grey, dtype=np.float64)``;
    - ``"contrast"``: the ratio :func:`skimage.exposure.is_low_contrast`
      compares with its ``fraction_threshold`` (for bool images, which that
      function judges apart, 1 when both values occur, else 0);
    - ``"low_contrast"``: ``is_low_contrast(image, low_contrast_fraction,
      lower_percentile, upper_percentile)``;
    - ``"phash"``: the 64-bit perceptual hash.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The images; 2D rows are flattened images (see ``image_shape``).
    low_contrast_fraction : float, default=0.05
        ``fraction_threshold`` of ``is_low_contrast``.
    lower_percentile, upper_percentile : float, default=1.0 and 99.0
        The percentiles of ``is_low_contrast``; lower must be below upper.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses chunks of about 16 MiB of float64
        pixels. The result does not depend on it.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib; the result does not depend on
        it.

    Returns
    -------
    quality : dict of ndarray of shape (n,)
        ``"laplacian_var"``, ``"std"`` and ``"contrast"`` in float64 (the
        float32 values of float32 and integer images, widened exactly),
        ``"low_contrast"`` bool, ``"phash"`` uint64.

    Raises
    ------
    ValueError
        For ``lower_percentile >= upper_percentile``, or as
        :func:`skimgprep._validation.check_images`.

    See Also
    --------
    QualityFilter : Remove the images these measures find bad.
    skimage.exposure.is_low_contrast : The low-contrast test.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import image_quality
    >>> images = np.zeros((2, 4, 4), dtype=np.uint8)
    >>> images[1, ::2, ::2] = 200
    >>> quality = image_quality(images)
    >>> quality["std"]
    array([ 0.        , 86.60254038])
    >>> quality["low_contrast"]
    array([ True, False])
    >>> quality["phash"][0] == quality["phash"][1]
    np.False_
    """
    _check_percentiles(lower_percentile, upper_percentile)
    batch, _ = check_images(images, image_shape=image_shape, cast=None)
    return _measures(
        batch,
        fraction=low_contrast_fraction,
        lower=lower_percentile,
        upper=upper_percentile,
        batch_size=batch_size,
        n_jobs=n_jobs,
    )


class QualityFilter(BaseImageSampler):
    """Remove blurry, low-contrast, constant and duplicate training images.

    ``fit_resample`` measures every image (:func:`image_quality`) and keeps,
    in their order, the images that meet none of these criteria:

    - *constant*: ``np.std(grey) < std_threshold_``;
    - *low contrast*: :func:`skimage.exposure.is_low_contrast` with
      ``low_contrast_fraction``, ``lower_percentile`` and
      ``upper_percentile``;
    - *blurry*: ``scipy.ndimage.laplace(grey).var() < blur_threshold_``;
    - *duplicate*: among the images that pass the three checks above, taken
      in order, an image whose perceptual hash is within
      ``duplicate_distance`` bits (Hamming distance) of an earlier kept one
      is removed; the first of a group of duplicates is kept.

    Each criterion is switched off with None. As a sampler it runs only in
    ``fit_resample``: inside :class:`imblearn.pipeline.Pipeline` validation
    and test images are never filtered.

    Parameters
    ----------
    blur_threshold : float >= 0, "quantile" or None, default=None
        Images whose Laplacian variance is below it are blurry. "quantile":
        the ``blur_quantile`` quantile of the training images' Laplacian
        variances (:func:`numpy.quantile`, linear interpolation), so that
        about that fraction is removed. Off by default: the Laplacian
        variance grows with the square of the pixel range and depends on
        the content (a sharp photograph of a smooth sky scores low), so no
        fixed value suits all data, and a quantile removes its fraction even
        from a clean set. Look at ``quality_["laplacian_var"]`` to choose.
    blur_quantile : float in (0, 1), default=0.05
        The quantile of ``blur_threshold="quantile"``; ignored otherwise.
    std_threshold : float >= 0, "quantile" or None, default=1e-3
        Images whose pixel standard deviation (of the grey image) is below
        it are constant. "quantile": the ``std_quantile`` quantile of the
        training images' standard deviations. The default catches constant
        images at any scale (their standard deviation, accumulated in
        float64, is 0 or a rounding error) and, for images in [0, 1], those
        flatter than a quarter of an 8-bit grey level; on a 0..255 scale it
        catches, in effect, only constant images.
    std_quantile : float in (0, 1), default=0.05
        The quantile of ``std_threshold="quantile"``; ignored otherwise.
    low_contrast_fraction : float > 0 or None, default=0.05
        ``fraction_threshold`` of :func:`skimage.exposure.is_low_contrast`
        (its default): an image is low-contrast when the range between its
        percentiles spans less than this fraction of its dtype's range (255
        for uint8, 2 for floats, whose range is [-1, 1] to scikit-image).
        Beware that 32- and 64-bit integer images, whose dtype range is
        huge, are always low contrast: convert them to uint8, uint16 or
        float first.
    lower_percentile, upper_percentile : float in [0, 100], default=1.0 and 99.0
        The percentiles of ``is_low_contrast`` (its defaults).
    duplicate_distance : int in [0, 64] or None, default=0
        The largest Hamming distance between two perceptual hashes that
        makes the later image a duplicate. The default, equal hashes, finds
        exact copies and copies changed by noise of a grey level or so,
        while distinct images rarely share a hash (no two of scikit-learn's
        1797 digits do); 4 to 10 also finds resized or recompressed copies,
        at the risk of removing similar but distinct images.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk when measuring; None chooses chunks of about 16 MiB
        of float64 pixels. The result does not depend on it.
    n_jobs : int, default=None
        Chunks measured in parallel by joblib; the result does not depend on
        it.
    verbose : int or bool, default=0
        Report progress on standard error while the images are measured in
        ``fit_resample``: a tqdm bar when tqdm is installed, else a line at
        every tenth of the work.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the kept images in the input, in increasing order.
    reasons_ : ndarray of str objects, shape (n_samples,)
        Why each image was removed: ``"constant"``, ``"low_contrast"``,
        ``"blurry"`` or ``"duplicate"``, or ``""`` for a kept image. An image
        that meets several criteria gets the first in this order of
        precedence (a constant image is also low-contrast and blurry).
    duplicate_of_ : ndarray of int, shape (n_samples,)
        For a duplicate, the index of the kept image it duplicates (the
        first kept one within ``duplicate_distance``); -1 for the others.
    blur_threshold_ : float or None
        The threshold used (the given float, or the learned quantile); None
        when the criterion is off.
    std_threshold_ : float or None
        Likewise for the standard deviation.
    quality_ : dict of ndarray of shape (n_samples,)
        The measures of every training image, as :func:`image_quality`
        returns them: ``"laplacian_var"``, ``"std"``, ``"contrast"``,
        ``"low_contrast"`` (all False when the criterion is off) and
        ``"phash"``.
    classes_ : ndarray of shape (n_classes,)
        The classes seen in ``fit_resample``.
    sampling_strategy_ : OrderedDict
        ``{class: number of images kept}`` after ``fit_resample`` (every class
        of ``y``, 0 when all its images were removed). ``fit``, which only
        validates, records ``{class: number of images}`` of ``y``.
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in ``fit_resample``.

    Raises
    ------
    ValueError
        From ``fit_resample``, when every image would be removed (the
        message counts the reasons), or for ``lower_percentile >=
        upper_percentile``.

    Warns
    -----
    UserWarning
        From ``fit_resample``, when every image of a class is removed (a
        classifier fitted after the filter will not know the class), and
        when the duplicate check runs on images one pixel tall or wide,
        whose perceptual hash has only 8 informative bits, so that distinct
        images often share it (flattened images without ``image_shape``).

    See Also
    --------
    image_quality : The measures, as a function.
    OutlierFilter : Remove images unlike the others.
    skimage.exposure.is_low_contrast : The low-contrast test.

    Notes
    -----
    Kept images are returned unchanged, in the input dtype. The duplicate
    search compares every pair of hashes (in blocks) when
    ``duplicate_distance > 0``, and sorts the hashes when it is 0.

    References
    ----------
    .. [1] J. L. Pech-Pacheco, G. Cristobal, J. Chamorro-Martinez,
       J. Fernandez-Valdivia, "Diatom autofocusing in brightfield
       microscopy: a comparative study", ICPR 2000,
       :doi:`10.1109/ICPR.2000.903548` (the variance of the Laplacian).
    .. [2] C. Zauner, "Implementation and benchmarking of perceptual image
       hash functions", Master's thesis, Upper Austria University of Applied
       Sciences, 2010.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import QualityFilter
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(0, 256, size=(6, 16, 16)).astype(np.uint8)
    >>> X[2] = 128  # a constant image
    >>> X[4] = X[1]  # a copy
    >>> X[5] = X[3] // 32 + 100  # values from 100 to 107: low contrast
    >>> y = np.array([0, 1, 0, 1, 0, 1])
    >>> quality = QualityFilter()
    >>> X_res, y_res = quality.fit_resample(X, y)
    >>> quality.sample_indices_
    array([0, 1, 3])
    >>> quality.reasons_
    array(['', '', 'constant', '', 'duplicate', 'low_contrast'], dtype=object)
    >>> quality.duplicate_of_[4]
    np.int64(1)
    """

    _sample_indices = True

    _parameter_constraints = {
        "blur_threshold": [
            Interval(Real, 0, None, closed="left"),
            StrOptions({"quantile"}),
            None,
        ],
        "blur_quantile": [Interval(Real, 0, 1, closed="neither")],
        "std_threshold": [
            Interval(Real, 0, None, closed="left"),
            StrOptions({"quantile"}),
            None,
        ],
        "std_quantile": [Interval(Real, 0, 1, closed="neither")],
        "low_contrast_fraction": [Interval(Real, 0, None, closed="neither"), None],
        "lower_percentile": [Interval(Real, 0, 100, closed="both")],
        "upper_percentile": [Interval(Real, 0, 100, closed="both")],
        "duplicate_distance": [Interval(Integral, 0, 64, closed="both"), None],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        blur_threshold=None,
        blur_quantile=0.05,
        std_threshold=1e-3,
        std_quantile=0.05,
        low_contrast_fraction=0.05,
        lower_percentile=1.0,
        upper_percentile=99.0,
        duplicate_distance=0,
        image_shape=None,
        batch_size=None,
        n_jobs=None,
        verbose=0,
    ):
        self.blur_threshold = blur_threshold
        self.blur_quantile = blur_quantile
        self.std_threshold = std_threshold
        self.std_quantile = std_quantile
        self.low_contrast_fraction = low_contrast_fraction
        self.lower_percentile = lower_percentile
        self.upper_percentile = upper_percentile
        self.duplicate_distance = duplicate_distance
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.verbose = verbose

    @staticmethod
    def _threshold(threshold, quantile, values):
        if threshold is None:
            return None
        if isinstance(threshold, str):  # "quantile"
            return float(np.quantile(values, quantile))
        return float(threshold)

    @reports_progress()
    def _fit_resample(self, images, y):
        _check_percentiles(self.lower_percentile, self.upper_percentile)
        n = images.shape[0]
        fraction = self.low_contrast_fraction
        quality = _measures(
            images,
            fraction=0.05 if fraction is None else fraction,
            lower=self.lower_percentile,
            upper=self.upper_percentile,
            batch_size=self.batch_size,
            n_jobs=self.n_jobs,
        )
        if fraction is None:
            quality["low_contrast"][:] = False

        std_threshold = self._threshold(self.std_threshold, self.std_quantile, quality["std"])
        blur_threshold = self._threshold(
            self.blur_threshold, self.blur_quantile, quality["laplacian_var"]
        )
        flags = {
            "constant": (
                quality["std"] < std_threshold
                if std_threshold is not None
                else np.zeros(n, dtype=bool)
            ),
            "low_contrast": quality["low_contrast"],
            "blurry": (
                quality["laplacian_var"] < blur_threshold
                if blur_threshold is not None
                else np.zeros(n, dtype=bool)
            ),
        }
        passed = ~(flags["constant"] | flags["low_contrast"] | flags["blurry"])
        if self.duplicate_distance is None:
            duplicate_of = np.full(n, -1, dtype=np.intp)
        else:
            h, w = images.shape[1:3]
            if h == 1 or w == 1:
                warnings.warn(
                    f"QualityFilter looks for duplicates among images of shape "
                    f"{tuple(images.shape[1:])}: the perceptual hash of an image "
                    "one pixel tall or wide has only 8 informative bits, so "
                    "distinct images often share it. Pass image_shape=(h, w) "
                    "for flattened images, or set duplicate_distance=None.",
                    UserWarning,
                )
            duplicate_of = _find_duplicates(
                quality["phash"], passed, self.duplicate_distance
            )
        flags["duplicate"] = duplicate_of >= 0

        reasons = np.full(n, "", dtype=object)
        for reason in reversed(_REASONS):  # the first in precedence wins
            reasons[flags[reason]] = reason
        keep = np.flatnonzero(reasons == "")
        if keep.size == 0:
            counts = Counter(reasons.tolist())
            detail = ", ".join(f"{r}: {counts[r]}" for r in _REASONS if counts[r])
            raise ValueError(
                f"QualityFilter would remove all {n} images ({detail}): expected "
                "at least one image to keep. Relax the thresholds, or switch a "
                "criterion off with None."
            )
        classes = np.unique(y)
        y_kept = y[keep]
        counts = OrderedDict((c, int(np.count_nonzero(y_kept == c))) for c in classes)
        emptied = [c for c, k in counts.items() if k == 0]
        if emptied:
            warnings.warn(
                f"QualityFilter removed every image of class(es) {np.asarray(emptied).tolist()}: a "
                "classifier fitted after it will not know them.",
                UserWarning,
            )
        self.quality_ = quality
        self.blur_threshold_ = blur_threshold
        self.std_threshold_ = std_threshold
        self.reasons_ = reasons
        self.duplicate_of_ = duplicate_of
        self.sample_indices_ = keep
        self.classes_ = classes
        self.sampling_strategy_ = counts
        return images[keep], y_kept
