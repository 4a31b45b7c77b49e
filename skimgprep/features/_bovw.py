"""Bag of visual words: :class:`BoVWExtractor` and :func:`bovw_histograms`.

Each image becomes a set of local descriptors, each descriptor the nearest
word of a learned codebook, and the image the normalised histogram of its
words (Csurka et al., 2004):

1. *Grey image.* Grayscale images as they are; colour images by
   :func:`skimage.color.rgb2gray` of their first three channels (3 or 4
   channels; the mean of the channels for another count), the rule of
   :class:`skimgprep.ThresholdMasker`. In the images' float dtype (float32
   for integer images); the value range is not changed.
2. *Descriptors*, one row each, in that float dtype:

   - ``"orb"``: ``ORB(**params).detect_and_extract(gray)`` of
     :class:`skimage.feature.ORB`; its binary rBRIEF descriptors as 0/1
     values (256 per keypoint).
   - ``"sift"``: ``SIFT(**params).detect_and_extract(gray)`` of
     :class:`skimage.feature.SIFT` (128 values per keypoint by default).
   - ``"daisy"``: :func:`skimage.feature.daisy` ``(gray, **params)``, dense:
     each point of its grid is a descriptor, in raster order (200 values by
     default).
   - ``"patch"``: the raw pixel patches of a grid,
     :func:`skimage.util.view_as_windows` ``(gray, patch_size, step)`` in
     raster order, each normalised as ``(p - p.mean()) / sqrt(p.var() +
     eps)`` (Coates, Ng and Lee, 2011). Computed over a whole chunk of
     images at once.

   scikit-image raises when ORB or SIFT finds no keypoint, and ORB, SIFT and
   DAISY raise on images too small for their scale space or their rings;
   such an image has no descriptors here.
3. *Codebook* (fit): the descriptors of all training images, optionally a
   random subsample of ``max_descriptors`` of them, clustered by
   :class:`sklearn.cluster.MiniBatchKMeans` into ``n_words`` words, on one
   thread (threadpoolctl limits OpenMP and BLAS to one during the fit, and
   the fitted codebook predicts on one), so that it does not depend on the
   machine.
4. *Histogram* (transform): every descriptor of an image assigned to its
   nearest word by the codebook's ``predict``, the word counts divided by
   the number of descriptors (L1 norm 1). An image without descriptors
   gets a row of zeros.

Descriptors are computed chunk by chunk of images (``batch_size``), the
chunks in parallel with ``n_jobs`` (joblib, on threads unless the caller
chose another backend), one block of a chunk per job at a time, so that a
transform holds the descriptors of one block only. The words are assigned
in the calling thread. An image's descriptors and its histogram depend only
on the image, never on the chunk it is in: the patches of a chunk are
normalised row by row of one C-contiguous array, so each row's mean and
variance are the same numpy reductions whatever the chunk holds, and each
image's words come from its own ``predict`` call.
"""

import inspect
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs, parallel_config
from numpy.lib.stride_tricks import sliding_window_view
from skimage.feature import ORB, SIFT, daisy
from sklearn.base import BaseEstimator
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .._compat import HasMethods, Interval, StrOptions, _fit_context, validate_params
from .._parallel import _CHUNK_BYTES, default_batch_size, map_chunks
from .._progress import reports_progress
from .._validation import (
    check_image_list,
    check_images,
    check_pair,
    float_dtype_of,
    is_image_list,
)
from ..base import FeatureExtractorMixin
from ..segmentation import _gray

__all__ = ["BoVWExtractor", "bovw_histograms"]

DESCRIPTORS = ("orb", "sift", "daisy", "patch")

#: The parameters of the "patch" descriptor and their defaults.
_PATCH_DEFAULTS = {"patch_size": (8, 8), "step": 4, "normalize": True, "eps": 1e-3}

#: Smallest side (after upsampling) of SIFT's last octave: skimage's SIFT
#: fails on images below it (``SIFT._set_number_of_octaves``).
_SIFT_MIN_SIZE = 12


def _signature_defaults(func, skip=()):
    return {
        name: p.default
        for name, p in inspect.signature(func).parameters.items()
        if name not in skip and p.default is not inspect.Parameter.empty
    }


def _defaults(descriptor):
    if descriptor == "orb":
        return _signature_defaults(ORB)
    if descriptor == "sift":
        return _signature_defaults(SIFT)
    if descriptor == "daisy":
        return _signature_defaults(daisy, skip=("image", "visualize"))
    return dict(_PATCH_DEFAULTS)


_REFERENCE = {
    "orb": "skimage.feature.ORB",
    "sift": "skimage.feature.SIFT",
    "daisy": "skimage.feature.daisy",
    "patch": "the patch descriptor",
}


@dataclass(frozen=True)
class _Descriptor:
    """A descriptor with its checked parameters: ``name``, ``params``, ``n_values``."""

    name: str
    params: dict
    n_values: int

    def min_shape(self):
        """The smallest ``(h, w)`` on which the descriptor can find anything."""
        p = self.params
        if self.name == "orb":
            return (2, 2)  # ORB squeezes its input: an image one pixel thin is 1D
        if self.name == "sift":
            side = -(-_SIFT_MIN_SIZE // int(p["upsampling"]))
            return (side, side)
        if self.name == "daisy":
            radius = p["ring_radii"][-1] if p["ring_radii"] is not None else p["radius"]
            side = 2 * int(radius) + 1
            return (side, side)
        return p["patch_size"]

    def describe(self, gray):
        """Descriptors of a chunk of grey images ``(m, h, w)``: a list of ``(k_i, n_values)``."""
        dtype = gray.dtype
        empty = np.zeros((0, self.n_values), dtype=dtype)
        h, w = gray.shape[1:]
        min_h, min_w = self.min_shape()
        if h < min_h or w < min_w:
            return [empty] * len(gray)
        if self.name == "patch":
            return list(_patch_descriptors(gray, **self.params))
        if not gray.flags.writeable:
            # scikit-image's compiled ORB kernels take writable buffers only
            # (a read-only or memory-mapped input, a joblib worker's chunk).
            gray = gray.copy()
        return [self._describe_one(image, empty) for image in gray]

    def _describe_one(self, image, empty):
        if self.name == "daisy":
            descs = daisy(image, **self.params)
            return descs.reshape(-1, self.n_values).astype(image.dtype, copy=False)
        detector = (ORB if self.name == "orb" else SIFT)(**self.params)
        try:
            detector.detect_and_extract(image)
        except RuntimeError as exc:
            # "ORB found no features" / "SIFT found no features"
            if "found no features" in str(exc):
                return empty
            raise
        return detector.descriptors.astype(image.dtype)


def _patch_descriptors(gray, *, patch_size, step, normalize, eps):
    """The normalised patches of a chunk ``(m, h, w)``: ``(m, n_patches, ph * pw)``."""
    m = gray.shape[0]
    ph, pw = patch_size
    windows = sliding_window_view(gray, (ph, pw), axis=(1, 2))[:, :: step[0], :: step[1]]
    n_patches = windows.shape[1] * windows.shape[2]
    rows = windows.reshape(m * n_patches, ph * pw)  # a copy unless the patches tile
    if normalize:
        # Each row on its own, as numpy reduces the rows of a C-contiguous
        # array: the values do not depend on how many images the chunk holds.
        rows = np.ascontiguousarray(rows)
        scale = np.sqrt(rows.var(axis=1, keepdims=True) + rows.dtype.type(eps))
        scale[scale == 0] = 1  # eps=0 and a flat patch: its centred values are 0
        rows = (rows - rows.mean(axis=1, keepdims=True)) / scale
    return rows.reshape(m, n_patches, ph * pw)


def _check_patch_params(params):
    ph, pw = check_pair(
        params["patch_size"], "descriptor_params['patch_size']", what="(rows, cols)"
    )
    step = params["step"]
    if isinstance(step, Integral) and not isinstance(step, bool) and step >= 1:
        step = (int(step), int(step))
    else:
        step = check_pair(
            step,
            "descriptor_params['step']",
            what="(rows, cols), or one positive integer",
        )
    eps = params["eps"]
    if not isinstance(eps, Real) or isinstance(eps, bool) or not eps >= 0:
        raise ValueError(
            f"descriptor_params['eps'] must be a number >= 0; got {eps!r}."
        )
    normalize = params["normalize"]
    if not isinstance(normalize, (bool, np.bool_)):
        raise ValueError(
            f"descriptor_params['normalize'] must be True or False; got {normalize!r}."
        )
    return {"patch_size": (ph, pw), "step": step, "normalize": bool(normalize),
            "eps": float(eps)}


def _check_descriptor(descriptor, descriptor_params):
    """Check ``descriptor_params`` against ``descriptor``; return a :class:`_Descriptor`."""
    defaults = _defaults(descriptor)
    given = {} if descriptor_params is None else dict(descriptor_params)
    unknown = sorted(set(given) - set(defaults), key=str)
    if unknown:
        raise ValueError(
            f"descriptor_params for descriptor={descriptor!r} takes the keyword "
            f"arguments of {_REFERENCE[descriptor]}: {', '.join(defaults)}; got "
            f"unknown key(s) {', '.join(map(repr, unknown))}."
        )
    params = {**defaults, **given}
    if descriptor == "patch":
        params = _check_patch_params(params)
        n_values = params["patch_size"][0] * params["patch_size"][1]
    elif descriptor == "daisy":
        rings = params["rings"]
        if params["ring_radii"] is not None:
            rings = len(params["ring_radii"])
        if params["sigmas"] is not None:
            rings = len(params["sigmas"]) - 1
        n_values = (int(rings) * int(params["histograms"]) + 1) * int(params["orientations"])
    else:
        # The constructors check some values (SIFT's upsampling): now, not
        # in the first chunk.
        (ORB if descriptor == "orb" else SIFT)(**params)
        if descriptor == "orb":
            n_values = 256
        else:
            n_values = int(params["n_hist"]) ** 2 * int(params["n_ori"])
    return _Descriptor(descriptor, params, n_values)


def _descriptor_chunk(images, *, descriptor):
    """Descriptors of a chunk of images: an object array of ``(k_i, n_values)`` arrays."""
    out = np.empty(len(images), dtype=object)
    for i, descs in enumerate(descriptor.describe(_gray(images))):
        out[i] = descs
    return out


def _descriptor_blocks(images, descriptor, *, n_jobs, batch_size):
    """Yield ``(index, descriptors)`` for consecutive blocks of the images.

    ``descriptors`` is an object array of the ``(k_i, n_values)`` arrays of
    the images ``index``. A block is one chunk per job: its chunks are
    computed in parallel, and only its descriptors are held at once. The
    images of a list are grouped by shape and stacked, group by group.

    The chunks run on joblib's threading backend unless the caller set
    another with :func:`joblib.parallel_config`: the descriptors are numpy,
    scipy and compiled scikit-image work, and threads need neither a copy
    of the chunks and of their descriptors between processes nor workers
    that import the library first.
    """
    if isinstance(images, np.ndarray):
        groups = [np.arange(len(images))]
    else:
        by_shape = {}
        for i, image in enumerate(images):
            by_shape.setdefault((image.shape, image.dtype.str), []).append(i)
        groups = [np.array(index) for index in by_shape.values()]
    for index in groups:
        if isinstance(images, np.ndarray):
            batch = images
        else:
            batch = np.stack([images[i] for i in index])
        chunk = batch_size or default_batch_size(
            len(batch), batch[0].nbytes, budget=_CHUNK_BYTES, n_jobs=n_jobs
        )
        block = int(chunk) * effective_n_jobs(n_jobs)
        for start in range(0, len(batch), block):
            part = slice(start, start + block)
            with parallel_config(prefer="threads"):
                descs = map_chunks(
                    _descriptor_chunk, batch[part], n_jobs=n_jobs, batch_size=chunk,
                    descriptor=descriptor,
                )
            yield index[part], descs


def _histogram(descs, codebook, n_words, dtype):
    """The L1-normalised word histogram of one image's descriptors (zeros if none)."""
    if len(descs) == 0:
        return np.zeros(n_words, dtype=dtype)
    centers = getattr(codebook, "cluster_centers_", None)
    if centers is not None:
        descs = descs.astype(centers.dtype, copy=False)
    counts = np.bincount(codebook.predict(descs), minlength=n_words)
    return (counts / len(descs)).astype(dtype)


def _n_words(codebook):
    return len(codebook.cluster_centers_)


def _check_codebook(codebook, descriptor):
    """The codebook's word count; a ValueError if it does not fit the descriptor."""
    check_is_fitted(codebook)
    centers = getattr(codebook, "cluster_centers_", None)
    if centers is None or np.ndim(centers) != 2:
        raise ValueError(
            "codebook must be a fitted clusterer with predict and cluster_centers_ "
            f"(KMeans, MiniBatchKMeans, BisectingKMeans); got {type(codebook).__name__}."
        )
    if centers.shape[1] != descriptor.n_values:
        raise ValueError(
            f"The codebook's words have {centers.shape[1]} values, but "
            f"descriptor={descriptor.name!r} with these descriptor_params gives "
            f"descriptors of {descriptor.n_values} values."
        )
    return centers.shape[0]


def _histograms(images, codebook, descriptor, *, n_jobs, batch_size):
    """Word histograms ``(n, n_words)`` of checked images, and how many are empty."""
    n_words = _check_codebook(codebook, descriptor)
    dtype = float_dtype_of(images)
    hist = np.empty((len(images), n_words), dtype=dtype)
    # The words are assigned here, in the calling thread: KMeans.predict
    # limits BLAS threads through threadpoolctl, whose limits are process-wide
    # and would be restored out of order by concurrent calls.
    for index, descs in _descriptor_blocks(
        images, descriptor, n_jobs=n_jobs, batch_size=batch_size
    ):
        for i, d in zip(index, descs):
            hist[i] = _histogram(d, codebook, n_words, dtype)
    return hist, int(np.count_nonzero(hist.sum(axis=1) == 0))


def _n_distinct(rows, needed):
    """Distinct rows of ``rows``, counted until ``needed`` are found."""
    block = max(4 * needed, 4096)
    seen = rows[:0]
    for start in range(0, len(rows), block):
        seen = np.unique(np.concatenate([seen, rows[start : start + block]]), axis=0)
        if len(seen) >= needed:
            break
    return len(seen)


class BoVWExtractor(FeatureExtractorMixin, BaseEstimator):
    """Bag of visual words: a histogram of codebook words per image.

    Local descriptors of every image (ORB, SIFT or DAISY of scikit-image,
    or dense normalised pixel patches), a codebook of ``n_words`` words
    learned from the training descriptors by
    :class:`sklearn.cluster.MiniBatchKMeans`, and per image the normalised
    histogram of its descriptors' nearest words.

    Parameters
    ----------
    descriptor : {"orb", "sift", "daisy", "patch"}, default="orb"
        The local descriptor, computed on the grey image:

        - "orb": :class:`skimage.feature.ORB` ``detect_and_extract``; the
          256 binary rBRIEF values of each keypoint as 0/1.
        - "sift": :class:`skimage.feature.SIFT` ``detect_and_extract``; 128
          values per keypoint (``n_hist**2 * n_ori``).
        - "daisy": :func:`skimage.feature.daisy`, dense: each grid point is
          a descriptor (200 values by default).
        - "patch": raw pixel patches on a grid, as
          :func:`skimage.util.view_as_windows` ``(gray, patch_size, step)``,
          each normalised to ``(p - p.mean()) / sqrt(p.var() + eps)``: the
          dense codebook features of Coates, Ng and Lee. A patch as small as
          ``(1, 2)`` works on images one pixel tall.

        ORB's and SIFT's thresholds assume images in [0, 1] (scale 8-bit
        images first, with :class:`skimgprep.PixelScaler`).
    n_words : int, default=100
        Words of the codebook, the number of output columns.
    descriptor_params : dict, default=None
        Keyword arguments of the descriptor: of :class:`skimage.feature.ORB`
        (``n_keypoints``, ``fast_threshold``, ...), of
        :class:`skimage.feature.SIFT` (``upsampling``, ``c_dog``, ...), of
        :func:`skimage.feature.daisy` (``step``, ``radius``, ``rings``, ...,
        not ``visualize``), or for "patch": ``patch_size`` (default
        ``(8, 8)``), ``step`` (an int or a ``(rows, cols)`` pair, default
        4), ``normalize`` (default True) and ``eps`` (default 1e-3, for
        images in [0, 1]; Coates et al. use 10 for 0-255 images). None:
        the defaults.
    max_descriptors : int, default=None
        Learn the codebook on a random subsample of this many training
        descriptors (drawn without replacement); None: on all of them.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsample and :class:`~sklearn.cluster.MiniBatchKMeans`:
        one generator per fit, used by both.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    n_jobs : int, default=None
        Chunks of images whose descriptors are computed in parallel by
        joblib; None means 1 unless in a :func:`joblib.parallel_config`
        context. Threads are preferred; a backend set by the caller is
        used as set. The results do not depend on it.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk. The
        results do not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error while the descriptors are
        computed, in ``fit``, ``fit_transform`` and ``transform`` (units:
        images; the codebook's clustering in ``fit`` and the word counts
        follow the descriptors): a tqdm bar when tqdm is installed, else a
        line at every tenth of the work.

    Attributes
    ----------
    codebook_ : MiniBatchKMeans
        The fitted codebook: ``codebook_.cluster_centers_`` of shape
        ``(n_words, n_values)`` are the words, ``codebook_.predict`` assigns
        descriptors to them.
    n_descriptors_ : int
        Descriptors the codebook was learned on (after the subsample).
    n_empty_ : int
        Training images without any descriptor; their rows are zeros.
    n_features_in_ : int
        Pixel values per image seen in fit, when all had one size.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of images of several
        sizes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    bovw_histograms : The function twin: histograms against a fitted
        codebook, with the number of empty images.
    sklearn.cluster.MiniBatchKMeans : The codebook.
    skimage.feature.ORB, skimage.feature.SIFT, skimage.feature.daisy :
        The descriptors.

    Notes
    -----
    Colour images are converted to grey by :func:`skimage.color.rgb2gray`
    of their first three channels (3 or 4 channels; the mean of the channels
    for another count). The descriptors are computed in the images' float
    dtype (float32 for integer images); the histograms come out in that
    dtype. An image in which the descriptor finds nothing (ORB and SIFT in a
    flat image, any descriptor in an image smaller than it needs) gets a row
    of zeros; ``n_empty_`` counts them in the training set, and
    :func:`bovw_histograms` counts them for other images (transform sets no
    attribute; the count is also ``(X_bovw.sum(axis=1) == 0).sum()``). The
    input may be a list of images of different sizes, and transform takes
    images of any size with the channel count seen in fit.

    References
    ----------
    .. [1] Csurka, G., Dance, C. R., Fan, L., Willamowski, J. and Bray, C.,
       "Visual categorization with bags of keypoints", ECCV Workshop on
       Statistical Learning in Computer Vision, 2004.
    .. [2] Coates, A., Ng, A. and Lee, H., "An Analysis of Single-Layer
       Networks in Unsupervised Feature Learning", AISTATS 2011.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import BoVWExtractor
    >>> X = np.random.default_rng(0).random((4, 16, 16))
    >>> bovw = BoVWExtractor(descriptor="patch", n_words=5, random_state=0,
    ...                      descriptor_params={"patch_size": (4, 4), "step": 4})
    >>> X_bovw = bovw.fit_transform(X)
    >>> X_bovw.shape
    (4, 5)
    >>> X_bovw.sum(axis=1)
    array([1., 1., 1., 1.])
    >>> bovw.get_feature_names_out()[:2]
    array(['bovw_word0', 'bovw_word1'], dtype=object)
    """

    _any_image_size = True

    _parameter_constraints = {
        "descriptor": [StrOptions(set(DESCRIPTORS))],
        "n_words": [Interval(Integral, 1, None, closed="left")],
        "descriptor_params": [dict, None],
        "max_descriptors": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        descriptor="orb",
        n_words=100,
        descriptor_params=None,
        max_descriptors=None,
        random_state=None,
        image_shape=None,
        n_jobs=None,
        batch_size=None,
        verbose=0,
    ):
        self.descriptor = descriptor
        self.n_words = n_words
        self.descriptor_params = descriptor_params
        self.max_descriptors = max_descriptors
        self.random_state = random_state
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.verbose = verbose

    def _fit(self, X):
        """Fit; return the checked images and their descriptors (an object array)."""
        descriptor = _check_descriptor(self.descriptor, self.descriptor_params)
        n_words = int(self.n_words)
        if self.max_descriptors is not None and self.max_descriptors < n_words:
            raise ValueError(
                f"max_descriptors={self.max_descriptors} is below n_words={n_words}: "
                "a codebook needs at least one descriptor per word."
            )
        images, _ = self._check_image_list(X, reset=True)
        descs = np.empty(len(images), dtype=object)
        for index, block in _descriptor_blocks(
            images, descriptor, n_jobs=self.n_jobs, batch_size=self.batch_size
        ):
            descs[index] = block
        counts = np.array([len(d) for d in descs])
        dtype = float_dtype_of(images)
        rows = np.concatenate(
            [np.zeros((0, descriptor.n_values), dtype=dtype), *descs]
        ).astype(dtype, copy=False)
        generator = check_random_state(self.random_state)
        if self.max_descriptors is not None and len(rows) > self.max_descriptors:
            keep = generator.choice(len(rows), self.max_descriptors, replace=False)
            rows = rows[np.sort(keep)]
        distinct = _n_distinct(rows, n_words)
        if distinct < n_words:
            raise ValueError(self._too_few_message(images, descriptor, counts, distinct))
        # One thread: the codebook does not depend on the machine's thread
        # count, and OpenMP's spinning threads do not slow a small fit down
        # on a busy machine. The fitted codebook keeps predicting on one.
        with threadpool_limits(limits=1):
            self.codebook_ = MiniBatchKMeans(
                n_clusters=n_words, random_state=generator
            ).fit(rows)
        self.n_descriptors_ = len(rows)
        self.n_empty_ = int(np.count_nonzero(counts == 0))
        return images, descs

    def _too_few_message(self, images, descriptor, counts, distinct):
        n_words = int(self.n_words)
        message = (
            f"{type(self).__name__} needs at least n_words={n_words} distinct "
            f"descriptors to learn its codebook; the {len(counts)} training "
            f"image(s) gave {int(counts.sum())} descriptor(s)"
        )
        if self.max_descriptors is not None and counts.sum() > self.max_descriptors:
            message += f", {self.max_descriptors} kept (max_descriptors)"
        message += f", {distinct} of them distinct."
        min_h, min_w = descriptor.min_shape()
        if isinstance(images, np.ndarray):
            h, w = images.shape[1:3]
            if h < min_h or w < min_w:
                size = int(np.prod(images.shape[1:]))
                message += (
                    f" Images of {h}x{w} pixels ({size} feature(s) each) are smaller "
                    f"than the {min_h}x{min_w} pixels descriptor={descriptor.name!r} "
                    "needs."
                )
        return message + (
            " Give more, larger or more textured training images, lower n_words, "
            "or change descriptor_params."
        )

    @_fit_context(prefer_skip_nested_validation=True)
    @reports_progress()
    def fit(self, X, y=None):
        """Learn the codebook from the descriptors of the training images.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images; a list may hold images of different sizes.
        y : None
            Ignored.

        Returns
        -------
        self : BoVWExtractor
            The fitted extractor, with ``codebook_`` and ``n_empty_``.

        Raises
        ------
        ValueError
            For unknown or invalid ``descriptor_params``, ``max_descriptors``
            below ``n_words``, or fewer distinct training descriptors than
            ``n_words`` (the message says how many came).
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    @reports_progress()
    def fit_transform(self, X, y=None):
        """Learn the codebook, then give the histograms of the same images.

        The descriptors are computed once; the result equals
        ``fit(X).transform(X)``.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images.
        y : None
            Ignored.

        Returns
        -------
        X_bovw : ndarray of shape (n, n_words)
            As :meth:`transform`.
        """
        images, descs = self._fit(X)
        dtype = float_dtype_of(images)
        out = np.empty((len(descs), int(self.n_words)), dtype=dtype)
        for i, d in enumerate(descs):
            out[i] = _histogram(d, self.codebook_, int(self.n_words), dtype)
        return out

    @reports_progress()
    def transform(self, X):
        """The normalised word histogram of every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size, with the channel count seen in fit.

        Returns
        -------
        X_bovw : ndarray of shape (n, n_words)
            Row ``i`` is the share of image ``i``'s descriptors nearest to
            each word (it sums to 1), or zeros for an image without
            descriptors. In the input's float dtype (float32 for integer
            images).
        """
        check_is_fitted(self)
        descriptor = _check_descriptor(self.descriptor, self.descriptor_params)
        images, _ = self._check_image_list(X, reset=False)
        return _histograms(
            images, self.codebook_, descriptor, n_jobs=self.n_jobs,
            batch_size=self.batch_size,
        )[0]

    def _feature_names(self):
        # One name per word: ["bovw_word0", "bovw_word1", ...].
        return [f"bovw_word{i}" for i in range(self._n_features_out)]

    @property
    def _n_features_out(self):
        return _n_words(self.codebook_)


@validate_params(
    {
        "images": ["array-like"],
        "codebook": [HasMethods(["predict"])],
        "descriptor": [StrOptions(set(DESCRIPTORS))],
        "descriptor_params": [dict, None],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def bovw_histograms(
    images,
    codebook,
    *,
    descriptor="orb",
    descriptor_params=None,
    image_shape=None,
    n_jobs=None,
    batch_size=None,
):
    """Word histograms of images against a fitted codebook, and the empty count.

    What :meth:`BoVWExtractor.transform` computes, with the number of images
    in which the descriptor found nothing (a transform sets no attribute).

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; 2D rows are flattened images (see ``image_shape``). A
        list may hold images of different sizes.
    codebook : fitted KMeans-like clusterer
        Has ``predict`` and ``cluster_centers_`` of shape ``(n_words,
        n_values)``, such as :attr:`BoVWExtractor.codebook_`.
    descriptor, descriptor_params
        As in :class:`BoVWExtractor`; the descriptors must have the
        codebook's ``n_values``.
    image_shape, n_jobs, batch_size
        As in :class:`BoVWExtractor`.

    Returns
    -------
    histograms : ndarray of shape (n, n_words)
        One L1-normalised word histogram per image; zeros for an image
        without descriptors.
    n_empty : int
        The number of images without descriptors (the rows of zeros).

    Raises
    ------
    ValueError
        For invalid ``descriptor_params``, or a codebook whose words do not
        have the descriptors' length.

    See Also
    --------
    BoVWExtractor : Learns the codebook; the estimator for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import BoVWExtractor, bovw_histograms
    >>> X = np.random.default_rng(0).random((3, 12, 12))
    >>> params = {"patch_size": (4, 4), "step": 4}
    >>> bovw = BoVWExtractor(descriptor="patch", n_words=4, random_state=0,
    ...                      descriptor_params=params).fit(X)
    >>> flat = np.zeros((1, 2, 2))          # smaller than one patch
    >>> histograms, n_empty = bovw_histograms(
    ...     [X[0], flat[0]], bovw.codebook_, descriptor="patch",
    ...     descriptor_params=params)
    >>> histograms.shape, n_empty
    ((2, 4), 1)
    """
    descriptor = _check_descriptor(descriptor, descriptor_params)
    if is_image_list(images):
        checked, _ = check_image_list(images)
    else:
        checked, _ = check_images(images, image_shape=image_shape)
    return _histograms(checked, codebook, descriptor, n_jobs=n_jobs, batch_size=batch_size)
