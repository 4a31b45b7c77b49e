"""Histograms of oriented gradients over a whole batch: :class:`HOGExtractor`.

The computation is :func:`skimage.feature.hog` (with ``channel_axis=-1`` for
colour images and ``feature_vector=True``), rewritten as whole-batch numpy
operations:

1. optional square root of the pixel values (``transform_sqrt``);
2. gradients by central differences with zero borders, as
   ``skimage.feature._hog._hog_channel_gradient``; for colour images, per
   pixel, the channel of largest gradient magnitude;
3. per cell, the sum of the gradient magnitudes whose unsigned orientation
   ``rad2deg(arctan2(g_row, g_col)) % 180`` lies in ``[180 i / n, 180 (i + 1) / n)``
   for bin ``i`` (a hard assignment, as scikit-image's ``cell_hog``), divided
   by the cell area; pixels beyond the last whole cell are not used;
4. every block of cells normalised as
   ``skimage.feature._hog._hog_normalize_block`` (``eps=1e-5``).

The orientation is first computed in the images' float dtype; the pixels
whose orientation lies within 1e-2 degrees of a bin boundary are decided
again in float64 exactly as scikit-image decides them, so the bins agree with
scikit-image's pixel for pixel (an orientation of exactly 45 degrees is
44.999996 in float32, which would otherwise fall into the wrong bin). The same
holds for the choice of the colour channel: near ties of the squared
magnitudes are decided with :func:`numpy.hypot`, as scikit-image does. The
per-cell sums are accumulated in float64 by :func:`numpy.bincount`; the block
normalisation runs in the images' float dtype.
"""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context
from .._parallel import map_chunks
from .._validation import check_min_image_size, float_dtype
from ..base import FeatureExtractorMixin

__all__ = ["HOGExtractor", "hog_batch"]

_BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")

#: scikit-image's ``eps`` in ``_hog_normalize_block``.
_EPS = 1e-5

#: Orientations closer than this (in degrees) to a bin boundary are decided
#: again in float64. float32's ``arctan2`` is off by less than 2e-5 degrees.
_NEAR_DEGREES = 1e-2

#: Squared magnitudes of two channels closer than this (relative) are a near
#: tie, decided again with ``np.hypot``. Their float rounding is below 1e-6.
_NEAR_TIE = 1e-4

#: Pixels per chunk when ``batch_size`` is None: the intermediate arrays
#: take about 40 (grayscale) to 100 (colour) bytes per pixel, and chunks
#: that stay near the CPU caches run faster than larger ones.
_CHUNK_PIXELS = 2**18


def _check_pair(value, name):
    """Return ``value`` as a pair of positive ints or raise a ValueError."""
    try:
        pair = tuple(value)
    except TypeError:
        pair = None
    if (
        pair is None
        or len(pair) != 2
        or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in pair)
        or any(v < 1 for v in pair)
    ):
        raise ValueError(
            f"{name} must be a tuple of two positive integers (rows, cols); "
            f"got {value!r}."
        )
    return int(pair[0]), int(pair[1])


def _gradients(images, n_rows, n_cols):
    """Central differences with zero borders, on the top-left ``n_rows x n_cols``.

    ``_hog_channel_gradient`` of scikit-image for a batch ``(m, h, w)`` of
    one channel: ``g_row[r] = image[r + 1] - image[r - 1]`` inside, 0 on the
    first and last row of the image (the same for columns).
    """
    m, h, w = images.shape
    g_row = np.zeros((m, n_rows, n_cols), dtype=images.dtype)
    g_col = np.zeros((m, n_rows, n_cols), dtype=images.dtype)
    r = min(n_rows, h - 1)  # rows 1 .. r - 1 have both neighbours
    if r > 1:
        np.subtract(
            images[:, 2 : r + 1, :n_cols], images[:, : r - 1, :n_cols], out=g_row[:, 1:r]
        )
    c = min(n_cols, w - 1)
    if c > 1:
        np.subtract(
            images[:, :n_rows, 2 : c + 1], images[:, :n_rows, : c - 1], out=g_col[:, :, 1:c]
        )
    return g_row, g_col


def _dominant_gradients(images, n_rows, n_cols):
    """Per pixel, the gradient of the channel with the largest magnitude.

    ``images`` is ``(m, h, w, c)``; returns ``g_row, g_col, magnitude`` of
    shape ``(m, n_rows, n_cols)``. Ties go to the first channel, as the
    ``argmax`` of ``np.hypot`` in scikit-image's ``hog``: the channels are
    compared by squared magnitude, and the pixels where two channels come
    within ``_NEAR_TIE`` of each other are decided with ``np.hypot``.
    """
    planes = np.ascontiguousarray(np.moveaxis(images, 3, 0))  # (c, m, h, w)
    grads = [_gradients(plane, n_rows, n_cols) for plane in planes]
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
    magnitude = np.sqrt(top, out=top)
    if ties.size:
        rows = np.stack([g[0].reshape(-1)[ties] for g in grads])
        cols = np.stack([g[1].reshape(-1)[ties] for g in grads])
        best = np.hypot(rows, cols).argmax(axis=0)[None]
        tie_rows = np.take_along_axis(rows, best, axis=0)[0]
        tie_cols = np.take_along_axis(cols, best, axis=0)[0]
        g_row.reshape(-1)[ties] = tie_rows
        g_col.reshape(-1)[ties] = tie_cols
        magnitude.reshape(-1)[ties] = np.sqrt(tie_rows * tie_rows + tie_cols * tie_cols)
    return g_row, g_col, magnitude


def _orientation_bins(g_row, g_col, magnitude, orientations):
    """The orientation bin of every pixel, scikit-image's ``cell_hog`` rule.

    A pixel falls in bin ``i`` when ``180 / n * i <= o < 180 / n * (i + 1)``
    with ``o = rad2deg(arctan2(g_row, g_col)) % 180`` in float64. A pixel in
    no bin (``o`` rounded up to 180) gets bin 0 and its magnitude set to 0.
    ``magnitude`` is modified in place.
    """
    n = orientations
    t = np.arctan2(g_row, g_col)
    t *= t.dtype.type(n / np.pi)  # the orientation in bins, in [-n, n]
    t += t.dtype.type(n) * (t < 0)  # now in [0, n]
    bins = t.astype(np.intp)
    axis = g_row == 0  # o is exactly 0 in any float precision
    np.copyto(bins, 0, where=axis)
    # Within _NEAR_DEGREES of a boundary: decide as scikit-image does.
    t -= np.rint(t)
    near = np.abs(t, out=t) < _NEAR_DEGREES * n / 180
    near &= ~axis
    fix = np.flatnonzero(near)
    if fix.size:
        o = np.arctan2(
            g_row.reshape(-1)[fix].astype(np.float64),
            g_col.reshape(-1)[fix].astype(np.float64),
        )
        o = np.rad2deg(o) % 180
        bounds = (180.0 / n) * np.arange(n + 1)
        exact = np.searchsorted(bounds, o, side="right") - 1
        outside = exact >= n
        exact[outside] = 0
        bins.reshape(-1)[fix] = exact
        magnitude.reshape(-1)[fix[outside]] = 0
    return bins


def _normalize_blocks(blocks, method):
    """``_hog_normalize_block`` on the last axis of ``blocks``, in place.

    The histograms are non-negative, so the L1 norm is the plain sum.
    """
    if method in ("L1", "L1-sqrt"):
        blocks /= blocks.sum(axis=-1, keepdims=True) + _EPS
        if method == "L1-sqrt":
            np.sqrt(blocks, out=blocks)
        return blocks
    blocks /= np.sqrt(np.einsum("...i,...i->...", blocks, blocks)[..., None] + _EPS**2)
    if method == "L2-Hys":
        np.minimum(blocks, 0.2, out=blocks)
        blocks /= np.sqrt(
            np.einsum("...i,...i->...", blocks, blocks)[..., None] + _EPS**2
        )
    return blocks


def _hog_chunk(
    images, *, orientations, pixels_per_cell, cells_per_block, block_norm, transform_sqrt
):
    """HOG feature vectors of a batch ``(m, h, w[, c])`` in one pass of numpy calls."""
    out_dtype = dtype = float_dtype(images.dtype)
    if transform_sqrt:
        # Integer images with square roots are computed in float64 (as
        # scikit-image computes integer images) and returned in float32: the
        # difference of two nearby float32 roots would keep only about 4
        # significant digits of the gradient.
        if images.dtype != dtype:
            dtype = np.dtype(np.float64)
        images = np.sqrt(images, dtype=dtype)
    elif images.dtype != dtype:
        images = images.astype(dtype)
    m, h, w = images.shape[:3]
    c_row, c_col = pixels_per_cell
    b_row, b_col = cells_per_block
    n_cells_row, n_cells_col = h // c_row, w // c_col
    n_blocks_row = n_cells_row - b_row + 1
    n_blocks_col = n_cells_col - b_col + 1
    n_rows, n_cols = n_cells_row * c_row, n_cells_col * c_col

    if images.ndim == 4:
        g_row, g_col, magnitude = _dominant_gradients(images, n_rows, n_cols)
    else:
        g_row, g_col = _gradients(images, n_rows, n_cols)
        magnitude = g_row * g_row
        magnitude += g_col * g_col
        np.sqrt(magnitude, out=magnitude)
    index = _orientation_bins(g_row, g_col, magnitude, orientations)
    del g_row, g_col

    # Flat index (image, cell row, cell col, bin) of every pixel.
    n_cells = n_cells_row * n_cells_col
    cell = (np.arange(n_rows) // c_row)[:, None] * n_cells_col + np.arange(n_cols) // c_col
    index += cell * orientations
    index += (np.arange(m) * (n_cells * orientations))[:, None, None]
    hist = np.bincount(
        index.reshape(-1),
        weights=magnitude.reshape(-1),
        minlength=m * n_cells * orientations,
    )
    hist /= c_row * c_col
    hist = hist.astype(dtype, copy=False).reshape(m, n_cells_row, n_cells_col, orientations)

    windows = sliding_window_view(hist, (b_row, b_col), axis=(1, 2))
    blocks = windows.transpose(0, 1, 2, 4, 5, 3).copy()  # the output, ours to write
    blocks = blocks.reshape(m, n_blocks_row * n_blocks_col, b_row * b_col * orientations)
    _normalize_blocks(blocks, block_norm)
    return blocks.reshape(m, -1).astype(out_dtype, copy=False)


def _default_batch_size(n, pixels_per_image, n_jobs):
    from joblib import effective_n_jobs

    size = max(1, _CHUNK_PIXELS // max(1, pixels_per_image))
    jobs = effective_n_jobs(n_jobs)
    if jobs > 1:
        size = min(size, max(1, -(-n // jobs)))
    return size


class HOGExtractor(FeatureExtractorMixin, BaseEstimator):
    """Histogram of oriented gradients (HOG) of every image of a batch.

    The feature vector of each image equals
    ``skimage.feature.hog(image, orientations, pixels_per_cell,
    cells_per_block, block_norm, transform_sqrt=transform_sqrt,
    channel_axis=-1 if colour else None, feature_vector=True)``, computed for
    the whole batch at once with numpy (see Notes).

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
        Images per chunk; None chooses chunks of about 250,000 pixels.
        Peak memory is about 40 (grayscale) to 100 (colour) bytes per pixel
        of a chunk, plus the output. The features do not depend on it.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib; None means 1 unless in a
        :func:`joblib.parallel_backend` context. The features do not depend
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
    per-cell sums are accumulated in float64 and every orientation near a bin
    boundary is decided in float64, as scikit-image does, so the features
    agree with :func:`skimage.feature.hog` to float rounding (within 1e-6).
    Images must have the shape seen in fit.

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
    >>> hog.get_feature_names_out()[:3]
    array(['hogextractor0', 'hogextractor1', 'hogextractor2'], dtype=object)
    """

    _parameter_constraints = {
        "orientations": [Interval(Integral, 1, None, closed="left")],
        "pixels_per_cell": [tuple],
        "cells_per_block": [tuple],
        "block_norm": [StrOptions(set(_BLOCK_NORMS))],
        "transform_sqrt": ["boolean"],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
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
        n_jobs=None,
    ):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.n_jobs = n_jobs

    def _check_size(self, images):
        """Raise before any work when an image holds no whole block."""
        c_row, c_col = _check_pair(self.pixels_per_cell, "pixels_per_cell")
        b_row, b_col = _check_pair(self.cells_per_block, "cells_per_block")
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
            batch_size = _default_batch_size(
                len(images), int(np.prod(images.shape[1:3])), self.n_jobs
            )
        return map_chunks(
            _hog_chunk,
            images,
            n_jobs=self.n_jobs,
            batch_size=batch_size,
            orientations=int(self.orientations),
            pixels_per_cell=pixels_per_cell,
            cells_per_block=cells_per_block,
            block_norm=self.block_norm,
            transform_sqrt=bool(self.transform_sqrt),
        )


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
