"""Texture features: grey-level co-occurrence (:class:`GLCMExtractor`) and
Gabor filter responses (:class:`GaborExtractor`).

Both work on the whole batch at once; neither calls scikit-image image by
image.

Co-occurrence (GLCM)
--------------------
Each image is quantised to ``levels`` grey levels (the rule is in
:class:`GLCMExtractor`), then the co-occurrence matrices of every image and
every offset are counted with **one** :func:`numpy.bincount` per chunk of
images: the pair ``(i, j)`` of the image ``n`` at the offset ``k`` is the
index ``((n * K + k) * levels + i) * levels + j``. The offset of a distance
``d`` and an angle ``a`` is scikit-image's (``skimage/feature/_texture.pyx``,
``_glcm_loop``): ``(round(sin(a) * d), round(cos(a) * d))`` rows and
columns, rounded half away from zero, and the pair is
``(image[r, c], image[r + d_row, c + d_col])`` over every ``(r, c)`` where
both pixels lie in the image. The counts are those of
:func:`skimage.feature.graycomatrix` exactly (integers; ``symmetric`` adds
the transpose, as it does). The properties are then array operations over
``(n, K, levels, levels)``, with the formulas of
:func:`skimage.feature.graycoprops`: the matrices normalised to sum 1 (a
matrix without any pair stays all zero, as in scikit-image), then

* contrast, dissimilarity, homogeneity: ``sum(P * weights)`` with weights
  ``(i - j)**2``, ``|i - j|``, ``1 / (1 + (i - j)**2)``;
* ASM ``sum(P**2)``, energy ``sqrt(ASM)``, entropy ``-sum(P * log(P))``
  over ``P > 0``;
* mean ``sum(i * P)``, variance ``sum(P * (i - mean)**2)``, std its square
  root, all over the row index ``i`` (scikit-image's definitions);
* correlation ``sum(P * (i - mu_i) * (j - mu_j)) / (sigma_i * sigma_j)``,
  and 1 where ``sigma_i`` or ``sigma_j`` is below 1e-15 (scikit-image's
  rule for constant matrices).

The sums that are sums of integers (the counts, the marginal counts, the
numerators of ASM, contrast, dissimilarity and mean) are exact in float64,
and the result is rounded once by the division by the number of pairs; the
others are float64 sums in another order than scikit-image's. So the
features equal scikit-image's to float64 rounding (the tests hold them
within a relative 1e-10). One consequence: the marginal means are exact,
so a marginal with a single grey level (every first pixel of the pairs
alike, say) has a variance of exactly 0 and a correlation of 1, where
scikit-image, whose marginal sums can miss 1 by a rounding error, may be
left with a sigma of about 1e-15, just over its threshold, and return a
ratio of rounding residues instead.

Gabor
-----
The responses of :func:`skimage.filters.gabor` are ``ndi.convolve(image,
kernel.real, mode)`` and ``ndi.convolve(image, kernel.imag, mode)`` with
``kernel = skimage.filters.gabor_kernel(frequency, theta, bandwidth)``
(complex64 for float32 images, complex128 otherwise). Here they are one
convolution by the complex kernel through the FFT, for the whole chunk: the
images are padded by the kernel's half size with :func:`numpy.pad` in the
mode that extends an image as :mod:`scipy.ndimage`'s ``mode`` does
("reflect" is numpy's "symmetric", "mirror" numpy's "reflect", "nearest"
"edge", "wrap" "wrap", "constant" zeros; the tests check every mode against
scipy for pads wider than the image), transformed once per frequency (the
kernels of one frequency share the pad of the largest one, centred in a
zero frame, which adds nothing to a sum), and multiplied by each kernel's
transform. The transform length is at least the padded length, so the
circular convolution equals the linear one on the image's pixels. All of it
runs in float64 (with the kernel's values of the image's float dtype), so
the responses equal scikit-image's to float rounding: for float64 images
within about 1e-16 of the largest response, for float32 images within
float32 rounding of scikit-image's float32 responses, which accumulate in
double too. On a batch of 64x64 images this is about 20 times faster than
the direct convolution of the batch for frequency 0.1 (kernels of up to
35x35 pixels) and 3 times for 0.4 (11x11).
"""

import contextvars
import math
import threading
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from scipy import fft as sfft
from skimage.color import rgb2gray
from skimage.filters import gabor_kernel
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context
from .._progress import _CURRENT, reports_progress
from .._parallel import map_by_shape
from .._validation import float_dtype, float_dtype_of
from ..base import FeatureExtractorMixin

__all__ = ["GLCMExtractor", "GaborExtractor", "gabor_features", "glcm_features"]

#: The properties of :func:`skimage.feature.graycoprops`.
GLCM_PROPERTIES = (
    "contrast",
    "dissimilarity",
    "homogeneity",
    "energy",
    "correlation",
    "ASM",
    "mean",
    "variance",
    "std",
    "entropy",
)

_DEFAULT_GLCM_PROPERTIES = (
    "contrast",
    "dissimilarity",
    "homogeneity",
    "energy",
    "correlation",
    "ASM",
)

_DEFAULT_ANGLES = (0.0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)

#: The largest ``levels``: the matrices hold ``levels**2`` values per offset.
_MAX_LEVELS = 1024

#: Bytes of co-occurrence matrices (and their temporaries) per chunk.
_GLCM_CHUNK_BYTES = 16 * 2**20

#: Bytes of transforms per chunk of the Gabor filtering.
_GABOR_CHUNK_BYTES = 16 * 2**20

#: scipy.ndimage's boundary modes, as numpy.pad's modes.
_PAD_MODES = {
    "reflect": "symmetric",
    "mirror": "reflect",
    "nearest": "edge",
    "wrap": "wrap",
    "constant": "constant",
}

#: skimage.color.rgb2gray's weights.
_RGB_WEIGHTS = (0.2125, 0.7154, 0.0721)


# --- shared: channels, lists, output dtype ---------------------------------


def _check_channels(estimator, images):
    """Raise unless every image is grayscale, ``(h, w, 1)`` or RGB."""
    shapes = [im.shape for im in images] if isinstance(images, list) else [images.shape[1:]]
    for i, shape in enumerate(shapes):
        if len(shape) == 3 and shape[2] not in (1, 3):
            what = f"X[{i}] has shape" if isinstance(images, list) else "got images of shape"
            raise ValueError(
                f"{type(estimator).__name__} expected grayscale (h, w) or (h, w, 1), "
                f"or RGB (h, w, 3) images; {what} {tuple(shape)}, with {shape[2]} "
                "channels. Convert RGBA images with ColorConverter(to='rgb') first."
            )


def _chunks(n, per_image_bytes, budget):
    step = max(1, int(budget) // max(1, int(per_image_bytes)))
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


def _check_unique(values, name):
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{name} must not repeat a value; got {value!r} twice.")
        seen.add(value)


# --- progress from inside the chunks -----------------------------------------

_STEPS = contextvars.ContextVar("skimgprep_texture_steps", default=None)


class _ChunkSteps:
    """The counter :func:`~skimgprep._parallel.map_chunks` sees during a map.

    The chunk functions of this module loop over smaller chunks of their
    own and report each with :func:`_step`, in the calling thread, while
    ``map_chunks`` advances its counter by a whole chunk once the chunk is
    done. This stand-in passes on the steps at once, and of ``map_chunks``'
    counts only what the steps have not shown yet (all of a chunk computed
    on a joblib worker, whose steps are not reported), so the enclosing
    counter moves by small steps and ends at exactly the number of images.
    """

    def __init__(self, counter):
        self.counter = counter
        self.thread = threading.get_ident()
        self.shown = 0  # images passed on to the counter
        self.finished = 0  # images of the chunks map_chunks has collected

    def step(self, n):
        if threading.get_ident() == self.thread:
            self.shown += n
            self.counter.update(n)

    def update(self, n):
        self.finished += n
        if self.finished > self.shown:
            self.counter.update(self.finished - self.shown)
            self.shown = self.finished

    def close(self):
        pass


@contextmanager
def _chunk_steps():
    """Report the chunk loops' steps to the enclosing progress counter, if any."""
    counter = _CURRENT.get()
    if counter is None:
        yield
        return
    steps = _ChunkSteps(counter)
    current, token = _CURRENT.set(steps), _STEPS.set(steps)
    try:
        yield
    finally:
        _STEPS.reset(token)
        _CURRENT.reset(current)


def _step(n):
    """``n`` more images done inside a chunk (see :class:`_ChunkSteps`)."""
    steps = _STEPS.get()
    if steps is not None:
        steps.step(n)


# --- GLCM -------------------------------------------------------------------


def _check_glcm_params(estimator):
    """Distances, angles, properties as tuples, or a clear ValueError."""
    distances = estimator.distances
    if (
        np.ndim(distances) != 1
        or len(distances) == 0
        or not all(isinstance(d, Integral) and not isinstance(d, bool) for d in distances)
        or any(d < 1 for d in distances)
    ):
        raise ValueError(
            "distances must be a non-empty 1D sequence of integers >= 1 (pixels); "
            f"got {estimator.distances!r}."
        )
    distances = tuple(int(d) for d in distances)
    _check_unique(distances, "distances")

    angles = estimator.angles
    valid = np.ndim(angles) == 1 and len(angles) > 0
    if valid:
        try:
            values = np.asarray(angles, dtype=np.float64)
        except (TypeError, ValueError):
            valid = False
        else:
            valid = bool(np.all(np.isfinite(values))) and not any(
                isinstance(a, bool) for a in angles
            )
    if not valid:
        raise ValueError(
            "angles must be a non-empty 1D sequence of finite angles in radians; "
            f"got {angles!r}."
        )
    angles = tuple(float(a) for a in values)
    labels = [_degrees(a) for a in angles]
    seen = {}
    for a, label in zip(angles, labels):
        if label in seen:
            raise ValueError(
                f"angles {seen[label]!r} and {a!r} give the same feature name "
                f"'a{label}' (angles are named in whole degrees); give angles at "
                "least a degree apart."
            )
        seen[label] = a

    properties = estimator.properties
    if isinstance(properties, str):
        properties = (properties,)
    properties = tuple(properties)
    unknown = [p for p in properties if p not in GLCM_PROPERTIES]
    if not properties or unknown:
        raise ValueError(
            "properties must be a non-empty tuple of names among "
            f"{', '.join(GLCM_PROPERTIES)}; got {estimator.properties!r}"
            + (f" (unknown: {', '.join(map(repr, unknown))})." if unknown else ".")
        )
    _check_unique(properties, "properties")
    return distances, angles, properties


def _degrees(angle):
    """The angle's name: whole degrees, rounded half to even (``round``)."""
    return str(int(round(math.degrees(angle))))


def _round_half_away(x):
    """scikit-image's ``round`` of ``_shared/interpolation.pxd``."""
    return int(x + 0.5) if x > 0.0 else int(x - 0.5)


def _offsets(distances, angles):
    """The ``(d_row, d_col)`` of every (distance, angle), distance-major.

    As ``_glcm_loop``: ``libc`` sin and cos (Python's :mod:`math`) of the
    float64 angle, times the distance, rounded half away from zero.
    """
    return [
        (_round_half_away(math.sin(a) * d), _round_half_away(math.cos(a) * d))
        for d in distances
        for a in angles
    ]


def _bits(dtype):
    """Bits of the non-negative range ``[0, 2**bits)`` of an integer dtype."""
    info = np.iinfo(dtype)
    return info.bits - 1 if info.min < 0 else info.bits


def _quantise(images, levels):
    """Grey levels ``0 .. levels - 1`` of a batch ``(m, h, w[, c])``, as ``(m, h, w)``.

    See :class:`GLCMExtractor` for the rules.
    """
    if images.ndim == 4:
        if images.shape[3] == 3:
            images = rgb2gray(images)  # float: uint8 / 255, floats as they are
        else:
            images = images[..., 0]
    out_dtype = np.uint8 if levels <= 256 else np.uint16
    kind = images.dtype.kind
    if kind == "b":
        return images.astype(out_dtype) * out_dtype(levels - 1)
    if kind in "iu":
        bits = _bits(images.dtype)
        x = images
        if kind == "i":
            x = np.maximum(x, 0)
        x = x.astype(np.uint64)
        L = np.uint64(levels)
        if bits + int(levels).bit_length() <= 64:
            q = (x * L) >> np.uint64(bits)
        else:
            # 64-bit integers: x * levels // 2**bits without overflow, from
            # x = hi * 2**32 + lo (hi * levels and lo * levels fit in 64 bits).
            hi, lo = x >> np.uint64(32), x & np.uint64(0xFFFFFFFF)
            q = (hi * L + ((lo * L) >> np.uint64(32))) >> np.uint64(bits - 32)
        return q.astype(out_dtype)
    # float: in [0, 1], clipped; floor(x * levels), at most levels - 1. The
    # product is in float64 (exact for float32 and float16 values).
    x = np.clip(images.astype(np.float64), 0.0, 1.0)
    x *= levels
    np.floor(x, out=x)
    np.minimum(x, levels - 1, out=x)
    return x.astype(out_dtype)


def _cooccurrence(q, offsets, levels):
    """Counts ``(m, K, levels, levels)`` int64 of every image and offset.

    One :func:`numpy.bincount` over the pair indices of the whole chunk.
    """
    m, h, w = q.shape
    n_offsets = len(offsets)
    LL = levels * levels
    spans = []
    for d_row, d_col in offsets:
        r0, r1 = max(0, -d_row), min(h, h - d_row)
        c0, c1 = max(0, -d_col), min(w, w - d_col)
        spans.append((r0, r1, c0, c1) if r1 > r0 and c1 > c0 else None)
    total = m * sum((s[1] - s[0]) * (s[3] - s[2]) for s in spans if s is not None)
    index = np.empty(total, dtype=np.intp)
    image_base = (np.arange(m, dtype=np.intp) * (n_offsets * LL))[:, None, None]
    pos = 0
    for k, ((d_row, d_col), span) in enumerate(zip(offsets, spans)):
        if span is None:  # no pair at this offset: an all-zero matrix
            continue
        r0, r1, c0, c1 = span
        first = q[:, r0:r1, c0:c1]
        second = q[:, r0 + d_row : r1 + d_row, c0 + d_col : c1 + d_col]
        seg = index[pos : pos + first.size].reshape(first.shape)
        np.multiply(first, levels, out=seg, dtype=np.intp)
        seg += second
        seg += image_base + k * LL
        pos += first.size
    counts = np.bincount(index, minlength=m * n_offsets * LL)
    return counts.reshape(m, n_offsets, levels, levels)


def _glcm_properties(counts, properties):
    """The properties ``(m, n_properties, K)`` float64 of count matrices ``(m, K, L, L)``."""
    m, K, L, _ = counts.shape
    C = counts.astype(np.float64)
    n_pairs = C.sum(axis=(2, 3))  # exact: a sum of integers
    n_pairs[n_pairs == 0] = 1.0  # no pair: P stays all zero, as in scikit-image
    P = C / n_pairs[..., None, None]
    flat = P.reshape(m, K, L * L)
    levels = np.arange(L, dtype=np.float64)
    diff = (levels[:, None] - levels[None, :]).ravel()
    cache = {}

    def row_moments():
        if "row" not in cache:
            rows = C.sum(axis=3)  # (m, K, L) exact counts
            mean = (rows @ levels) / n_pairs
            dev = levels - mean[..., None]
            var = np.sum(rows * dev**2, axis=-1) / n_pairs
            cache["row"] = (mean, dev, var)
        return cache["row"]

    out = np.empty((m, len(properties), K), dtype=np.float64)
    for p, name in enumerate(properties):
        if name == "contrast":
            value = (C.reshape(m, K, L * L) @ diff**2) / n_pairs
        elif name == "dissimilarity":
            value = (C.reshape(m, K, L * L) @ np.abs(diff)) / n_pairs
        elif name == "homogeneity":
            value = flat @ (1.0 / (1.0 + diff**2))
        elif name in ("ASM", "energy"):
            if "asm" not in cache:
                sq = C.reshape(m, K, L * L)
                cache["asm"] = np.einsum("mkx,mkx->mk", sq, sq) / n_pairs**2
            value = cache["asm"] if name == "ASM" else np.sqrt(cache["asm"])
        elif name == "mean":
            value = row_moments()[0]
        elif name == "variance":
            value = row_moments()[2]
        elif name == "std":
            value = np.sqrt(row_moments()[2])
        elif name == "entropy":
            log = np.log(flat, out=np.zeros_like(flat), where=flat > 0)
            value = -np.einsum("mkx,mkx->mk", flat, log)
        else:  # correlation
            _, dev_i, var_i = row_moments()
            cols = C.sum(axis=2)
            mean_j = (cols @ levels) / n_pairs
            dev_j = levels - mean_j[..., None]
            var_j = np.sum(cols * dev_j**2, axis=-1) / n_pairs
            std_i, std_j = np.sqrt(var_i), np.sqrt(var_j)
            cov = np.einsum("mki,mki->mk", dev_i, (P @ dev_j[..., None])[..., 0])
            constant = (std_i < 1e-15) | (std_j < 1e-15)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(constant, 1.0, cov / (std_i * std_j))
        out[:, p] = value
    return out


def _glcm_chunk(images, *, offsets, levels, symmetric, properties):
    """GLCM features ``(m, n_properties * K)`` float64 of a batch ``(m, h, w[, c])``."""
    m = len(images)
    h, w = images.shape[1:3]
    per_image = len(offsets) * (levels * levels * 8 * 4 + h * w * 8)
    out = np.empty((m, len(properties), len(offsets)), dtype=np.float64)
    for s in _chunks(m, per_image, _GLCM_CHUNK_BYTES):
        q = _quantise(images[s], levels)
        counts = _cooccurrence(q, offsets, levels)
        if symmetric:
            counts = counts + counts.swapaxes(2, 3)
        out[s] = _glcm_properties(counts, properties)
        _step(s.stop - s.start)
    return out.reshape(m, -1)


class GLCMExtractor(FeatureExtractorMixin, BaseEstimator):
    """Grey-level co-occurrence (Haralick) texture properties of each image.

    Per image: the image quantised to ``levels`` grey levels ``q`` (see
    Notes), then, for every property,
    ``skimage.feature.graycoprops(P, prop)`` of
    ``P = skimage.feature.graycomatrix(q, distances, angles, levels=levels,
    symmetric=symmetric, normed=True)``, computed for the whole batch at
    once (one :func:`numpy.bincount` for the counts, array operations for
    the properties).

    Parameters
    ----------
    distances : sequence of int, default=(1,)
        Pixel pair distances, each >= 1.
    angles : sequence of float, default=(0, pi/4, pi/2, 3*pi/4)
        Pixel pair angles in radians, as in ``graycomatrix``: the pair of
        ``(r, c)`` is ``(r + round(sin(a) * d), c + round(cos(a) * d))``
        (rounded half away from zero), so 0 is the pixel to the right and
        pi/2 the pixel below. Named in whole degrees, which must differ.
    properties : tuple of str, default=("contrast", "dissimilarity", \
"homogeneity", "energy", "correlation", "ASM")
        The properties, among those of ``graycoprops``: "contrast",
        "dissimilarity", "homogeneity", "energy", "correlation", "ASM",
        "mean", "variance", "std", "entropy".
    levels : int, default=32
        Grey levels of the quantised images, from 2 to 1024.
    symmetric : bool, default=True
        Count each pair in both orders (``graycomatrix(symmetric=True)``).
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    verbose : int or bool, default=0
        Report progress on standard error in ``transform`` and
        ``fit_transform``: a tqdm bar when tqdm is installed, else a line at
        every tenth of the work.

    Attributes
    ----------
    offsets_ : list of tuple (int, int)
        The ``(rows, cols)`` offset of each (distance, angle), distance-major.
    n_features_in_ : int
        Pixel values per image seen in fit, when all had one size.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of images of several
        sizes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    glcm_features : The function twin.
    skimage.feature.graycomatrix, skimage.feature.graycoprops : The
        reference, one image at a time.
    GaborExtractor : Texture by Gabor filter responses.

    Notes
    -----
    Quantisation of each image to ``q`` in ``0 .. levels - 1``:

    - uint8: ``image * levels // 256`` (integer arithmetic); any unsigned
      integer type of ``b`` bits: ``image * levels // 2**b``; signed
      integers: negative values count as 0, then ``image * levels //
      2**(b - 1)``. The grey levels split the dtype's range evenly.
    - bool: False is 0, True is ``levels - 1``.
    - float: taken in [0, 1] and clipped to it, then
      ``min(floor(x * levels), levels - 1)`` (the product in float64).
    - RGB ``(h, w, 3)``: grey by :func:`skimage.color.rgb2gray` (which
      scales integer images to [0, 1] first), then the float rule;
      ``(h, w, 1)`` is grayscale. Other channel counts are an error.

    The columns are ordered property, then distance, then angle, and named
    ``glcm_<property>_d<distance>_a<degrees>`` (``glcm_contrast_d1_a45``).

    An offset at which an image has no pixel pair (a distance at least the
    image's height or width along it; a one-pixel-tall image has no pair at
    pi/2) gives an all-zero matrix, as ``graycomatrix`` does, whose
    properties are those ``graycoprops`` gives for it: 0 for every property
    but correlation, which is 1 (scikit-image's value for a constant
    matrix). The features are never NaN. Features are computed in float64
    and returned in float32 for float32, integer and bool images, float64
    for float64 images. The input may be a list of images of different
    sizes, and transform takes images of any size.

    References
    ----------
    .. [1] R. M. Haralick, K. Shanmugam and I. Dinstein, "Textural Features
       for Image Classification", IEEE Transactions on Systems, Man, and
       Cybernetics, 1973, :doi:`10.1109/TSMC.1973.4309314`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import GLCMExtractor
    >>> stripes = np.zeros((1, 4, 4), dtype=np.uint8)
    >>> stripes[:, :, 1::2] = 255                # vertical stripes
    >>> glcm = GLCMExtractor(angles=(0, np.pi / 2), levels=2,
    ...                      properties=("contrast", "energy")).fit(stripes)
    >>> glcm.transform(stripes)
    array([[1.        , 0.        , 0.70710677, 0.70710677]], dtype=float32)
    >>> glcm.get_feature_names_out()
    array(['glcm_contrast_d1_a0', 'glcm_contrast_d1_a90', 'glcm_energy_d1_a0',
           'glcm_energy_d1_a90'], dtype=object)
    """

    _any_image_size = True

    _parameter_constraints = {
        "distances": ["array-like"],
        "angles": ["array-like"],
        "properties": [tuple, list, str],
        "levels": [Interval(Integral, 2, _MAX_LEVELS, closed="both")],
        "symmetric": ["boolean"],
        "image_shape": [tuple, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        distances=(1,),
        angles=_DEFAULT_ANGLES,
        properties=_DEFAULT_GLCM_PROPERTIES,
        levels=32,
        symmetric=True,
        image_shape=None,
        verbose=0,
    ):
        self.distances = distances
        self.angles = angles
        self.properties = properties
        self.levels = levels
        self.symmetric = symmetric
        self.image_shape = image_shape
        self.verbose = verbose

    def _read(self, X, *, reset):
        distances, angles, properties = _check_glcm_params(self)
        images, _ = self._check_image_list(X, reset=reset, cast=None)
        _check_channels(self, images)
        if reset:
            self.offsets_ = _offsets(distances, angles)
        return images, properties

    def _features(self, images, properties):
        with _chunk_steps():
            rows = map_by_shape(
                _glcm_chunk,
                images,
                n_jobs=None,
                batch_size=None,
                offsets=_offsets(*_check_glcm_params(self)[:2]),
                levels=int(self.levels),
                symmetric=bool(self.symmetric),
                properties=properties,
            )
        return rows.astype(float_dtype_of(images), copy=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and the images; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images; a list may hold images of different sizes.
        y : None
            Ignored.

        Returns
        -------
        self : GLCMExtractor
            The fitted extractor, with ``offsets_``.

        Raises
        ------
        ValueError
            For ``levels`` outside [2, 1024], empty or non-integer
            ``distances`` or distances below 1, empty or non-finite
            ``angles``, angles with the same name, unknown or repeated
            ``properties``, or images with other than 1 or 3 channels.
        """
        self._read(X, reset=True)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    @reports_progress()
    def fit_transform(self, X, y=None):
        """Fit, then compute the features of the same images once.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images.
        y : None
            Ignored.

        Returns
        -------
        X_features : ndarray of shape (n, n_features)
            As :meth:`transform`.
        """
        images, properties = self._read(X, reset=True)
        return self._features(images, properties)

    @reports_progress()
    def transform(self, X):
        """Compute the co-occurrence properties of every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size (with the channel count seen in fit).

        Returns
        -------
        X_features : ndarray of shape (n, n_properties * n_distances * n_angles)
            One row per image, the columns named by
            :meth:`get_feature_names_out`; float32 for float32, integer and
            bool images, float64 for float64.
        """
        check_is_fitted(self)
        images, properties = self._read(X, reset=False)
        return self._features(images, properties)

    def _feature_names(self):
        distances, angles, properties = _check_glcm_params(self)
        return [
            f"glcm_{p}_d{d}_a{_degrees(a)}"
            for p in properties
            for d in distances
            for a in angles
        ]

    @property
    def _n_features_out(self):
        return len(self._feature_names())


def glcm_features(
    images,
    *,
    distances=(1,),
    angles=_DEFAULT_ANGLES,
    properties=_DEFAULT_GLCM_PROPERTIES,
    levels=32,
    symmetric=True,
    image_shape=None,
):
    """Co-occurrence texture properties: :class:`GLCMExtractor` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; a list may hold images of different sizes.
    distances, angles, properties, levels, symmetric, image_shape
        As in :class:`GLCMExtractor`.

    Returns
    -------
    features : ndarray of shape (n, n_properties * n_distances * n_angles)
        One row per image, ordered property, distance, angle; float32 for
        float32, integer and bool images, float64 for float64.

    Raises
    ------
    ValueError
        As :meth:`GLCMExtractor.fit`.

    See Also
    --------
    GLCMExtractor : The estimator, for pipelines.
    skimage.feature.graycoprops : The reference, one image at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import glcm_features
    >>> checker = (np.indices((6, 6)).sum(axis=0) % 2).astype(bool)[None]
    >>> glcm_features(checker, angles=(0, np.pi / 4), levels=2,
    ...               properties=("contrast", "correlation"))
    array([[ 1.,  0., -1.,  1.]], dtype=float32)
    """
    return GLCMExtractor(
        distances=distances,
        angles=angles,
        properties=properties,
        levels=levels,
        symmetric=symmetric,
        image_shape=image_shape,
    ).fit_transform(images)


# --- Gabor ------------------------------------------------------------------


def _check_frequencies(estimator):
    frequencies = estimator.frequencies
    valid = np.ndim(frequencies) == 1 and len(frequencies) > 0
    if valid:
        try:
            values = np.asarray(frequencies, dtype=np.float64)
        except (TypeError, ValueError):
            valid = False
        else:
            valid = (
                bool(np.all(np.isfinite(values)))
                and bool(np.all(values > 0))
                and not any(isinstance(f, bool) for f in frequencies)
            )
    if not valid:
        raise ValueError(
            "frequencies must be a non-empty 1D sequence of positive, finite "
            f"spatial frequencies (cycles per pixel); got {frequencies!r}."
        )
    frequencies = tuple(float(f) for f in values)
    _check_unique(frequencies, "frequencies")
    return frequencies


def _frequency_label(frequency):
    """The shortest decimal that gives back the float: 0.1 -> "0.1", 2.0 -> "2"."""
    return np.format_float_positional(frequency, trim="-")


def _gabor_grey(images):
    """Grey float images ``(m, h, w)`` of a batch, in its float dtype."""
    x = images.astype(float_dtype(images.dtype), copy=False)
    if x.ndim == 4:
        if x.shape[3] == 3:
            # rgb2gray's weights, in the pixel values' own units (for float
            # images this is rgb2gray itself).
            return x @ np.asarray(_RGB_WEIGHTS, dtype=x.dtype)
        return x[..., 0]
    return x


def _gabor_chunk(images, *, frequencies, thetas, bandwidth, mode):
    """Gabor features ``(m, n_frequencies * n_orientations * 2)`` float64."""
    grey = _gabor_grey(images)
    kernel_dtype = np.complex64 if grey.dtype == np.float32 else np.complex128
    m, h, w = grey.shape
    out = np.empty((m, len(frequencies), len(thetas), 2), dtype=np.float64)
    pad_mode = _PAD_MODES[mode]
    # Progress in images: each frequency is a pass over the chunk, so
    # ``done`` images' worth of work is a share of all the passes.
    done = 0
    for i, frequency in enumerate(frequencies):
        kernels = [
            gabor_kernel(frequency, theta=theta, bandwidth=bandwidth, dtype=kernel_dtype)
            for theta in thetas
        ]
        py = max(g.shape[0] for g in kernels) // 2
        px = max(g.shape[1] for g in kernels) // 2
        shape = (sfft.next_fast_len(h + 2 * py), sfft.next_fast_len(w + 2 * px))
        transforms = []
        for g in kernels:
            frame = np.zeros((2 * py + 1, 2 * px + 1), dtype=np.complex128)
            ky, kx = g.shape[0] // 2, g.shape[1] // 2
            frame[py - ky : py + ky + 1, px - kx : px + kx + 1] = g
            transforms.append(sfft.fft2(frame, s=shape))
        per_image = shape[0] * shape[1] * 16 * 3
        for s in _chunks(m, per_image, _GABOR_CHUNK_BYTES):
            padded = np.pad(
                grey[s].astype(np.float64), ((0, 0), (py, py), (px, px)), mode=pad_mode
            )
            spectrum = sfft.fft2(padded, s=shape, axes=(1, 2))
            for j, kernel_ft in enumerate(transforms):
                response = sfft.ifft2(spectrum * kernel_ft, axes=(1, 2), overwrite_x=True)
                response = response[:, 2 * py : 2 * py + h, 2 * px : 2 * px + w]
                magnitude = np.abs(response)
                out[s, i, j, 0] = magnitude.mean(axis=(1, 2))
                out[s, i, j, 1] = magnitude.var(axis=(1, 2))
            now = (i * m + s.stop) // len(frequencies)
            _step(now - done)
            done = now
    return out.reshape(m, -1)


class GaborExtractor(FeatureExtractorMixin, BaseEstimator):
    """Mean and variance of Gabor filter response magnitudes of each image.

    Per image, frequency ``f`` and orientation ``theta = k * pi /
    n_orientations`` (``k = 0 .. n_orientations - 1``): the responses
    ``real, imag = skimage.filters.gabor(image, f, theta=theta,
    bandwidth=bandwidth, mode=mode)``, their magnitude ``sqrt(real**2 +
    imag**2)`` per pixel, and two features: its mean and its variance over
    the image's pixels (``numpy.var``, ``ddof=0``). The magnitude does not
    depend on the phase of the texture under the filter, so it measures how
    much of the frequency and orientation the image holds, wherever it is.
    The whole batch is filtered at once, through the FFT (see Notes).

    Parameters
    ----------
    frequencies : sequence of float, default=(0.1, 0.25, 0.4)
        Spatial frequencies of the harmonic, in cycles per pixel; positive.
    n_orientations : int, default=4
        Orientations ``k * pi / n_orientations``, from 0 (the harmonic along
        the columns, x).
    bandwidth : float, default=1
        The filters' bandwidth, as in :func:`skimage.filters.gabor_kernel`;
        the Gaussian envelope's sigma is ``0.56 / frequency`` for 1 (an
        octave), larger for smaller bandwidths.
    mode : {"reflect", "constant", "nearest", "mirror", "wrap"}, \
default="reflect"
        How the images are extended past their edges, as in
        :func:`scipy.ndimage.convolve` ("constant" with zeros).
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    verbose : int or bool, default=0
        Report progress on standard error in ``transform`` and
        ``fit_transform``: a tqdm bar when tqdm is installed, else a line at
        every tenth of the work.

    Attributes
    ----------
    thetas_ : ndarray of shape (n_orientations,)
        The orientations in radians.
    n_features_in_ : int
        Pixel values per image seen in fit, when all had one size.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of images of several
        sizes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    gabor_features : The function twin.
    skimage.filters.gabor : The reference, one image at a time.
    GLCMExtractor : Texture by grey-level co-occurrence.

    Notes
    -----
    The columns are ordered frequency, orientation, then (mean, variance),
    and named ``gabor_f<frequency>_o<k>_mean`` and ``gabor_f<frequency>_o<k>_var``
    (``gabor_f0.1_o0_mean``).

    Images are filtered in their float dtype's values: integer and bool
    images as float32, without rescaling (``skimage.filters.gabor`` itself
    filters an integer image into an integer output, truncating the
    responses; here the features of a uint8 image equal those of
    ``gabor(image.astype(np.float32), ...)``). RGB ``(h, w, 3)`` images are
    taken to grey with the weights of :func:`skimage.color.rgb2gray`
    (``0.2125 R + 0.7154 G + 0.0721 B``) in those same units (for float
    images this is ``rgb2gray``); ``(h, w, 1)`` is grayscale; other channel
    counts are an error.

    The convolution runs through the FFT in float64, on images padded by
    the kernels' half size in the extension of ``mode``; the responses equal
    those of :func:`scipy.ndimage.convolve` to float rounding (the module's
    docstring says why), and the features are returned in float32 for
    float32, integer and bool images, float64 for float64 images. The input
    may be a list of images of different sizes, and transform takes images
    of any size.

    References
    ----------
    .. [1] J. G. Daugman, "Uncertainty relation for resolution in space,
       spatial frequency, and orientation optimized by two-dimensional
       visual cortical filters", JOSA A, 1985, :doi:`10.1364/JOSAA.2.001160`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import GaborExtractor
    >>> columns = np.arange(32)
    >>> stripes = np.cos(2 * np.pi * 0.25 * columns)[None, None, :].repeat(32, axis=1)
    >>> gabor = GaborExtractor(frequencies=(0.25,), n_orientations=2).fit(stripes)
    >>> means = gabor.transform(stripes)[0, ::2]   # mean magnitude at 0 and 90 degrees
    >>> bool(means[0] > 10 * means[1])
    True
    >>> gabor.get_feature_names_out()
    array(['gabor_f0.25_o0_mean', 'gabor_f0.25_o0_var', 'gabor_f0.25_o1_mean',
           'gabor_f0.25_o1_var'], dtype=object)
    """

    _any_image_size = True

    _parameter_constraints = {
        "frequencies": ["array-like"],
        "n_orientations": [Interval(Integral, 1, None, closed="left")],
        "bandwidth": [Interval(Real, 0, None, closed="neither")],
        "mode": [StrOptions(set(_PAD_MODES))],
        "image_shape": [tuple, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        frequencies=(0.1, 0.25, 0.4),
        n_orientations=4,
        bandwidth=1,
        mode="reflect",
        image_shape=None,
        verbose=0,
    ):
        self.frequencies = frequencies
        self.n_orientations = n_orientations
        self.bandwidth = bandwidth
        self.mode = mode
        self.image_shape = image_shape
        self.verbose = verbose

    def _thetas(self):
        n = int(self.n_orientations)
        return np.array([k * np.pi / n for k in range(n)])

    def _read(self, X, *, reset):
        frequencies = _check_frequencies(self)
        images, _ = self._check_image_list(X, reset=reset, cast=None)
        _check_channels(self, images)
        if reset:
            self.thetas_ = self._thetas()
        return images, frequencies

    def _features(self, images, frequencies):
        with _chunk_steps():
            rows = map_by_shape(
                _gabor_chunk,
                images,
                n_jobs=None,
                batch_size=None,
                frequencies=frequencies,
                thetas=tuple(float(t) for t in self._thetas()),
                bandwidth=float(self.bandwidth),
                mode=self.mode,
            )
        return rows.astype(float_dtype_of(images), copy=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and the images; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images; a list may hold images of different sizes.
        y : None
            Ignored.

        Returns
        -------
        self : GaborExtractor
            The fitted extractor, with ``thetas_``.

        Raises
        ------
        ValueError
            For empty, non-positive or repeated ``frequencies``,
            ``n_orientations`` below 1, ``bandwidth`` not positive, an
            unknown ``mode``, or images with other than 1 or 3 channels.
        """
        self._read(X, reset=True)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    @reports_progress()
    def fit_transform(self, X, y=None):
        """Fit, then compute the features of the same images once.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images.
        y : None
            Ignored.

        Returns
        -------
        X_features : ndarray of shape (n, n_features)
            As :meth:`transform`.
        """
        images, frequencies = self._read(X, reset=True)
        return self._features(images, frequencies)

    @reports_progress()
    def transform(self, X):
        """Compute the Gabor magnitude statistics of every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size (with the channel count seen in fit).

        Returns
        -------
        X_features : ndarray of shape (n, 2 * n_frequencies * n_orientations)
            One row per image, the columns named by
            :meth:`get_feature_names_out`; float32 for float32, integer and
            bool images, float64 for float64.
        """
        check_is_fitted(self)
        images, frequencies = self._read(X, reset=False)
        return self._features(images, frequencies)

    def _feature_names(self):
        return [
            f"gabor_f{_frequency_label(f)}_o{k}_{stat}"
            for f in _check_frequencies(self)
            for k in range(int(self.n_orientations))
            for stat in ("mean", "var")
        ]

    @property
    def _n_features_out(self):
        return len(self._feature_names())


def gabor_features(
    images,
    *,
    frequencies=(0.1, 0.25, 0.4),
    n_orientations=4,
    bandwidth=1,
    mode="reflect",
    image_shape=None,
):
    """Gabor response magnitude statistics: :class:`GaborExtractor` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; a list may hold images of different sizes.
    frequencies, n_orientations, bandwidth, mode, image_shape
        As in :class:`GaborExtractor`.

    Returns
    -------
    features : ndarray of shape (n, 2 * n_frequencies * n_orientations)
        Per image, frequency and orientation, the mean and the variance of
        the response magnitude; float32 for float32, integer and bool
        images, float64 for float64.

    Raises
    ------
    ValueError
        As :meth:`GaborExtractor.fit`.

    See Also
    --------
    GaborExtractor : The estimator, for pipelines.
    skimage.filters.gabor : The reference, one image at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import gabor_features
    >>> flat = np.ones((2, 16, 16))   # the same response at every pixel
    >>> gabor_features(flat, frequencies=(0.2,), n_orientations=1).round(6)
    array([[0.001434, 0.      ],
           [0.001434, 0.      ]])
    """
    return GaborExtractor(
        frequencies=frequencies,
        n_orientations=n_orientations,
        bandwidth=bandwidth,
        mode=mode,
        image_shape=image_shape,
    ).fit_transform(images)
