"""Local binary pattern histograms over a whole batch: :class:`LBPExtractor`.

The codes are those of :func:`skimage.feature.local_binary_pattern` (as of
scikit-image 0.26), computed for a whole batch ``(m, h, w)`` at once with
numpy instead of one Cython loop per image, and identical to them code for
code (the tests compare them on real and random images). Per image:

1. the image is read in float64 (``np.ascontiguousarray(image,
   dtype=np.float64)``: grayscale pixel values as they are, integer values
   exactly); colour images are first made gray by
   :func:`skimage.color.rgb2gray` (RGBA by :func:`skimage.color.rgba2rgb`
   over white, then ``rgb2gray``);
2. neighbour ``i`` of ``P`` lies at the offset
   ``(round(-R sin(2 pi i / P), 5), round(R cos(2 pi i / P), 5))`` (rows,
   cols), rounded to 5 decimals as scikit-image rounds it;
3. its value is the bilinear interpolation of scikit-image's
   ``bilinear_interpolation`` with mode "constant" and ``cval=0``: at the
   position ``pos = r + offset`` (in float64), with ``lo = floor(pos)``,
   ``hi = ceil(pos)`` and ``d = pos - lo``, per axis,
   ``top = (1 - dc) * I[lo_r, lo_c] + dc * I[lo_r, hi_c]``, ``bottom``
   alike on row ``hi_r``, and ``(1 - dr) * top + dr * bottom``; pixels
   outside the image are 0;
4. bit ``i`` is set when ``neighbour - centre >= 0``;
5. the code is scikit-image's for the method ("default", "ror",
   "uniform", "nri_uniform"; see :class:`LBPExtractor`); "uniform" and
   "nri_uniform" count the 0/1 changes between bits ``i`` and ``i + 1``
   for ``i < P - 1``, as scikit-image does (not around the circle; for
   "at most 2 changes" the two counts agree).

With at most 16 points the ``P``-bit pattern is computed and the method's
code looked up in a table of every pattern, made by the same rules
(:func:`_codes_from_bits`); with more, the rules run on the pixels.

Why the batch path gives the same codes
---------------------------------------
Every operation of step 3 is one IEEE float64 operation, in the order of
the Cython source, each rounded on its own by numpy; the tests find the
codes identical to scikit-image's for every method, on integer, float and
random images, with whole and fractional radii. ``d`` is computed for each row
and each column position, as ``pos - floor(pos)`` of the sum ``r +
offset``, not once per neighbour. The only shortcut: for a neighbour whose
offsets are whole numbers (``d == 0`` on both axes) the value is the pixel
itself, which is what ``1 * x + 0 * y`` gives for finite ``x`` and ``y``
(up to the sign of a zero, which no comparison of step 4 sees). The source
pixel of ``lo`` and ``hi`` is, for every row (column), the row (column)
plus a constant (the fraction of an offset rounded to 5 decimals is never
within float rounding of an integer for images under 2**30 pixels a side),
so the neighbours are shifted views of one zero-padded copy of the batch;
the code checks the constant and falls back to gathering otherwise.
"""

from functools import lru_cache
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs, parallel_config
from joblib.parallel import ThreadingBackend, get_active_backend
from skimage import color
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context
from .._parallel import chunk_slices, default_batch_size, map_by_shape, map_chunks, run_tasks
from .._progress import reports_progress
from .._validation import check_pair, float_dtype, float_dtype_of
from ..base import FeatureExtractorMixin

__all__ = ["LBPExtractor", "lbp_histograms"]

METHODS = ("uniform", "default", "ror", "nri_uniform")

#: Largest ``n_points`` of "default" and "ror", whose ``2**n_points`` bins
#: per cell would otherwise not fit in memory (scikit-image's codes are
#: 32-bit integers too).
MAX_POINTS_FULL = 24

#: Largest ``n_points`` whose codes are looked up in a table of every
#: pattern (``2**n_points`` entries).
_MAX_TABLE_POINTS = 16

#: Pixels per chunk when ``batch_size`` is None.
_CHUNK_PIXELS = 2**20

#: Pixels per pass inside a chunk: the temporaries (about 60 bytes per
#: pixel) stay near the CPU caches whatever ``batch_size`` is.
_BLOCK_PIXELS = 2**16


def n_lbp_bins(n_points, method):
    """Number of codes, and so of histogram bins, of ``method`` with ``P`` points."""
    P = int(n_points)
    if method == "uniform":
        return P + 2
    if method == "nri_uniform":
        return P * (P - 1) + 3
    return 2**P


def _neighbour_offsets(n_points, radius):
    """The (row, col) offsets of the neighbours, as scikit-image computes them."""
    P = int(n_points)
    R = float(radius)
    angles = 2 * np.pi * np.arange(P, dtype=np.float64) / P
    rr = -R * np.sin(angles)
    cc = R * np.cos(angles)
    return np.round(rr, 5), np.round(cc, 5)


def _axis_sampling(n, offset):
    """Sources and weights of the positions ``arange(n) + offset`` on one axis.

    Returns ``(lo, hi, d)``: ``lo`` and ``hi`` are an int shift (the source of
    position ``k`` is ``k + shift``) or, if the shift is not constant, an
    index array; ``d`` is the float64 weight of ``hi`` per position.
    """
    k = np.arange(n, dtype=np.float64)
    pos = k + offset
    lo = np.floor(pos)
    hi = np.ceil(pos)
    d = pos - lo

    def shift(src):
        s = (src - k).astype(np.intp)
        return int(s[0]) if np.all(s == s[0]) else src.astype(np.intp)

    return shift(lo), shift(hi), d


def _take(padded, pad, rows, cols, h, w):
    """The view (or gathered copy) of ``padded`` at the sources ``rows, cols``."""
    if isinstance(rows, int):
        out = padded[:, pad + rows : pad + rows + h]
    else:
        out = padded[:, pad + rows]
    if isinstance(cols, int):
        return out[:, :, pad + cols : pad + cols + w]
    return out[:, :, pad + cols]


def _neighbour_bits(gray, n_points, radius):
    """Yield, neighbour by neighbour, the bits of a gray batch ``(m, h, w)``.

    ``gray`` is float64; bit ``i`` of a pixel is set when the interpolated
    value of neighbour ``i`` minus the centre is ``>= 0``. The yielded bool
    array is reused for the next neighbour.
    """
    P = int(n_points)
    m, h, w = gray.shape
    rp, cp = _neighbour_offsets(P, radius)
    pad = int(np.ceil(max(np.abs(rp).max(), np.abs(cp).max()))) + 1
    padded = np.zeros((m, h + 2 * pad, w + 2 * pad))
    padded[:, pad : pad + h, pad : pad + w] = gray
    center = padded[:, pad : pad + h, pad : pad + w]
    shape = (m, h, w)
    top, bottom, tmp = np.empty(shape), np.empty(shape), np.empty(shape)
    bit = np.empty(shape, dtype=bool)
    for i in range(P):
        r_lo, r_hi, dr = _axis_sampling(h, rp[i])
        c_lo, c_hi, dc = _axis_sampling(w, cp[i])
        top_left = _take(padded, pad, r_lo, c_lo, h, w)
        if not dr.any() and not dc.any():
            texture = top_left
        else:
            # (1 - dc) * TL + dc * TR, the same on the bottom row, then
            # (1 - dr) * top + dr * bottom: each product and sum rounded
            # on its own, as in scikit-image's bilinear_interpolation.
            one_dc = 1 - dc
            np.multiply(one_dc, top_left, out=top)
            np.multiply(dc, _take(padded, pad, r_lo, c_hi, h, w), out=tmp)
            top += tmp
            np.multiply(one_dc, _take(padded, pad, r_hi, c_lo, h, w), out=bottom)
            np.multiply(dc, _take(padded, pad, r_hi, c_hi, h, w), out=tmp)
            bottom += tmp
            top *= (1 - dr)[:, None]
            bottom *= dr[:, None]
            top += bottom
            texture = top
        np.subtract(texture, center, out=tmp)
        np.greater_equal(tmp, 0, out=bit)
        yield bit


def _codes_from_bits(bits, n_points, method, shape):
    """The codes of ``method`` from the bits of ``P`` neighbours, in order.

    ``bits`` yields ``P`` bool arrays of ``shape``; scikit-image's rules of
    ``_local_binary_pattern``. Returns an int32 array of ``shape``.
    """
    P = int(n_points)
    if method in ("default", "ror"):
        code = np.zeros(shape, dtype=np.int32)
        weighted = np.empty(shape, dtype=np.int32)
        for i, bit in enumerate(bits):
            np.multiply(bit, np.int32(1 << i), out=weighted)
            code += weighted
        if method == "ror":
            # The smallest of the P cyclic rotations of the code.
            best = code.copy()
            for _ in range(1, P):
                code = (code >> 1) | ((code & 1) << (P - 1))
                np.minimum(best, code, out=best)
            code = best
        return code
    ones = np.zeros(shape, dtype=np.int32)
    changes = np.zeros(shape, dtype=np.int32)  # 0/1 changes, not circular
    previous = np.empty(shape, dtype=bool)
    nri = method == "nri_uniform"
    if nri:
        first_one = np.full(shape, -1, dtype=np.int32)
        first_zero = np.full(shape, -1, dtype=np.int32)
        unset = np.empty(shape, dtype=bool)
    for i, bit in enumerate(bits):
        ones += bit
        if i > 0:
            changes += previous != bit
        previous[...] = bit
        if nri:
            np.less(first_one, 0, out=unset)
            unset &= bit
            np.copyto(first_one, i, where=unset)
            np.less(first_zero, 0, out=unset)
            unset &= ~bit
            np.copyto(first_zero, i, where=unset)
    uniform = changes <= 2
    if not nri:
        return np.where(uniform, ones, np.int32(P + 1))
    # Constant patterns, the rotations of the uniform ones, the rest.
    rot_index = np.where(first_one == 0, ones - first_zero, P - first_one)
    code = 1 + (ones - 1) * P + rot_index
    code[ones == 0] = 0
    code[ones == P] = P * (P - 1) + 1
    code[~uniform] = P * (P - 1) + 2
    return code.astype(np.int32)


@lru_cache(maxsize=16)
def _code_table(n_points, method):
    """The code of ``method`` of every ``P``-bit pattern, by the same rules."""
    P = int(n_points)
    patterns = np.arange(2**P, dtype=np.int32)
    bits = (((patterns >> i) & 1).astype(bool) for i in range(P))
    table = _codes_from_bits(bits, P, method, patterns.shape)
    table.flags.writeable = False
    return table


def _lbp_codes(gray, n_points, radius, method):
    """LBP codes of a gray batch ``(m, h, w)`` float64, as scikit-image's.

    Returns an int32 array ``(m, h, w)``; each image's codes equal
    ``skimage.feature.local_binary_pattern(image, n_points, radius, method)``
    (there float64). With at most ``_MAX_TABLE_POINTS`` points the
    ``P``-bit pattern is computed, then looked up in the table of the
    method's codes of every pattern (:func:`_code_table`, made by the same
    rules); with more, the rules run on the pixels.
    """
    P = int(n_points)
    bits = _neighbour_bits(gray, P, radius)
    if method == "default" or P > _MAX_TABLE_POINTS:
        return _codes_from_bits(bits, P, method, gray.shape)
    pattern = _codes_from_bits(bits, P, "default", gray.shape)
    return _code_table(P, method)[pattern]


def _to_gray(images):
    """A batch ``(m, h, w[, c])`` as the float64 gray images LBP works on."""
    if images.ndim == 4:
        c = images.shape[3]
        if c == 1:
            images = images[..., 0]
        else:
            if images.dtype == np.float16:
                images = images.astype(np.float32)
            if c == 4:
                images = color.rgba2rgb(images)
            images = color.rgb2gray(images)
    # A new array: the caller's images are never written to.
    return np.array(images, dtype=np.float64)


def _cell_index(h, w, grid):
    """Per pixel, the index of its cell (row-major), and each cell's size.

    The cells split the rows and the columns as :func:`numpy.array_split`.
    """
    g_r, g_c = grid
    row_cell = np.repeat(np.arange(g_r), [len(a) for a in np.array_split(np.arange(h), g_r)])
    col_cell = np.repeat(np.arange(g_c), [len(a) for a in np.array_split(np.arange(w), g_c)])
    index = row_cell[:, None] * g_c + col_cell[None, :]
    sizes = np.bincount(index.ravel(), minlength=g_r * g_c)
    return index, sizes


def _lbp_chunk(images, *, n_points, radius, method, grid, out=None):
    """Normalised LBP histograms of a batch ``(m, h, w[, c])``, pass by pass.

    Written into ``out`` ``(m, n_cells * n_bins)`` (allocated when None),
    which is returned.
    """
    m, h, w = images.shape[:3]
    n_bins = n_lbp_bins(n_points, method)
    cells, sizes = _cell_index(h, w, grid)
    n_cells = len(sizes)
    if out is None:
        out = np.empty((m, n_cells * n_bins), dtype=float_dtype(images.dtype))
    base = cells.astype(np.intp) * n_bins
    step = max(1, min(m, _BLOCK_PIXELS // (h * w)))
    for start in range(0, m, step):
        stop = min(m, start + step)
        k = stop - start
        codes = _lbp_codes(_to_gray(images[start:stop]), n_points, radius, method)
        index = codes.astype(np.intp)
        index += base
        index += (np.arange(k, dtype=np.intp) * (n_cells * n_bins))[:, None, None]
        counts = np.bincount(index.ravel(), minlength=k * n_cells * n_bins)
        hist = counts.reshape(k, n_cells, n_bins) / sizes[:, None]
        out[start:stop] = hist.reshape(k, n_cells * n_bins)
    return out


class LBPExtractor(FeatureExtractorMixin, BaseEstimator):
    """Histograms of local binary patterns (LBP) of every image, cell by cell.

    Per image: the LBP code of every pixel, exactly as
    ``skimage.feature.local_binary_pattern(image, n_points, radius,
    method)`` (computed for the whole batch with numpy, code for code the
    same; see Notes), then, in each cell of a ``grid`` over the image, the
    histogram of the codes divided by the cell's pixel count (each cell's
    histogram sums to 1). The cells' histograms are concatenated, cells in
    row-major order.

    Parameters
    ----------
    n_points : int, default=8
        Number of neighbours ``P`` on the circle.
    radius : float, default=1
        Radius ``R`` of the circle, in pixels.
    method : {"uniform", "default", "ror", "nri_uniform"}, default="uniform"
        The codes, as in scikit-image: "default", the ``P``-bit pattern
        (``2**P`` bins); "ror", its smallest cyclic rotation (rotation
        invariant; ``2**P`` bins, most of them always empty); "uniform",
        the number of set bits of a pattern with at most two 0/1 changes
        and ``P + 1`` for the others (rotation invariant; ``P + 2`` bins);
        "nri_uniform", one code per uniform pattern and its rotation, one
        for the others (``P * (P - 1) + 3`` bins). scikit-image's "var" is
        not offered: it gives a continuous local variance, not a code, and
        its range depends on the images' intensity range. "default" and
        "ror" take at most 24 points.
    grid : tuple (int, int), default=(1, 1)
        Cells per image ``(rows, cols)``; the rows and the columns are split
        as :func:`numpy.array_split` splits them (the first cells one pixel
        larger when the size does not divide). Each cell needs at least one
        pixel.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    n_jobs : int, default=None
        Chunks computed in parallel, on threads (numpy releases the GIL);
        None means 1 unless in a :func:`joblib.parallel_config` context. The
        features do not depend on it.
    batch_size : int, default=None
        Images per chunk; None chooses chunks of about a million pixels.
        The features do not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error in ``transform``: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.

    Attributes
    ----------
    n_bins_ : int
        Histogram bins per cell (the number of codes of ``method``).
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``; not set when fit
        saw a list of images of different shapes.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of different shapes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    lbp_histograms : The function twin.
    skimage.feature.local_binary_pattern : The codes, one image at a time.
    HOGExtractor : Gradient histograms; both combine in a
        :class:`sklearn.pipeline.FeatureUnion`.

    Notes
    -----
    Grayscale images ``(n, h, w)`` and ``(n, h, w, 1)`` are used with their
    pixel values as they are (in float64, as scikit-image reads them); RGB
    images ``(n, h, w, 3)`` are made gray by :func:`skimage.color.rgb2gray`
    (integer images scaled to ``[0, 1]`` first, ``0.2125 R + 0.7154 G +
    0.0721 B``), RGBA by :func:`skimage.color.rgba2rgb` over a white
    background, then ``rgb2gray``. The tests hold the codes identical to
    scikit-image's (no tolerance) on camera, coins, brick and random float
    images, for every method. The features are float32 for float32 and
    integer images, float64 for float64 images. ``transform`` takes images
    of any size (with the channel count seen in fit), and a list of images
    of different sizes: the number of features does not depend on it.

    References
    ----------
    .. [1] Ojala, T., Pietikainen, M. and Maenpaa, T., "Multiresolution
       gray-scale and rotation invariant texture classification with local
       binary patterns", IEEE TPAMI 24(7), 2002,
       :doi:`10.1109/TPAMI.2002.1017623`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import LBPExtractor
    >>> X = np.random.default_rng(0).integers(0, 256, (2, 16, 16), dtype=np.uint8)
    >>> lbp = LBPExtractor(n_points=8, radius=1, grid=(2, 2)).fit(X)
    >>> features = lbp.transform(X)
    >>> features.shape, features.dtype, lbp.n_bins_
    ((2, 40), dtype('float32'), 10)
    >>> float(features[0, :10].sum())  # one cell's histogram
    1.0
    >>> lbp.get_feature_names_out()[[0, 9, 39]]
    array(['lbp_cell0_0_bin0', 'lbp_cell0_0_bin9', 'lbp_cell1_1_bin9'],
          dtype=object)
    """

    _any_image_size = True

    _parameter_constraints = {
        "n_points": [Interval(Integral, 1, None, closed="left")],
        "radius": [Interval(Real, 0, None, closed="neither")],
        "method": [StrOptions(set(METHODS))],
        "grid": [tuple, list],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        n_points=8,
        radius=1,
        method="uniform",
        grid=(1, 1),
        image_shape=None,
        n_jobs=None,
        batch_size=None,
        verbose=0,
    ):
        self.n_points = n_points
        self.radius = radius
        self.method = method
        self.grid = grid
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.verbose = verbose

    def _check_params(self):
        grid = check_pair(self.grid, "grid", what="(rows, cols) of cells")
        if self.method in ("default", "ror") and self.n_points > MAX_POINTS_FULL:
            raise ValueError(
                f"{type(self).__name__}(method={self.method!r}) takes at most "
                f"n_points={MAX_POINTS_FULL} ({2**MAX_POINTS_FULL} bins per "
                f"cell); got n_points={self.n_points}. Use method='uniform' "
                "or 'nri_uniform' for more points."
            )
        return grid

    def _check_batch(self, images, grid, layout):
        """Raise before any work on channel counts or images smaller than the grid."""
        shapes = [im.shape for im in images] if isinstance(images, list) else [images.shape[1:]]
        for i, shape in enumerate(shapes):
            what = f"X[{i}] has shape {tuple(shape)}" if isinstance(images, list) else (
                f"got images of shape {tuple(shape)}"
            )
            if len(shape) == 3 and shape[2] not in (1, 3, 4):
                raise ValueError(
                    f"{type(self).__name__} expected grayscale (h, w) or (h, w, 1), "
                    f"RGB (h, w, 3) or RGBA (h, w, 4) images; {what}, with "
                    f"{shape[2]} channels."
                )
            if shape[0] < grid[0] or shape[1] < grid[1]:
                hint = ""
                if layout.flat and self.image_shape is None:
                    hint = (
                        f" 2D input: each row of {shape[1]} feature(s) is an image "
                        f"of shape (1, {shape[1]}); pass image_shape=(h, w) to "
                        "unflatten the rows."
                    )
                raise ValueError(
                    f"{type(self).__name__} got grid={grid}, larger than images "
                    f"of {shape[0]}x{shape[1]} pixels: each cell needs at least "
                    f"one pixel ({what}). Use a grid of at most "
                    f"({shape[0]}, {shape[1]}) cells.{hint}"
                )

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
        self : LBPExtractor
            The fitted extractor.

        Raises
        ------
        ValueError
            If ``grid`` is not a pair of positive integers or has more cells
            on an axis than the images have pixels (the message names both),
            if an image has a channel count other than 1, 3 or 4, or if
            "default" or "ror" get more than 24 points.
        """
        grid = self._check_params()
        images, layout = self._check_image_list(X, reset=True, cast=None)
        self._check_batch(images, grid, layout)
        self.n_bins_ = n_lbp_bins(self.n_points, self.method)
        return self

    @property
    def _n_features_out(self):
        g_r, g_c = check_pair(self.grid, "grid")
        return g_r * g_c * self.n_bins_

    def _feature_names(self):
        g_r, g_c = check_pair(self.grid, "grid")
        return [
            f"lbp_cell{r}_{c}_bin{k}"
            for r, c, k in np.ndindex(g_r, g_c, self.n_bins_)
        ]

    @reports_progress()
    def transform(self, X):
        """Compute the LBP histograms of every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size, with the channel count seen in fit.

        Returns
        -------
        X_lbp : ndarray of shape (n, grid[0] * grid[1] * n_bins_)
            One row per image: the cells' normalised histograms, cell by
            cell (row-major), each over the codes ``0 .. n_bins_ - 1``;
            float32 for float32 and integer images, float64 for float64.

        Raises
        ------
        ValueError
            If the images are smaller than the grid or have another channel
            count than in fit.
        """
        check_is_fitted(self)
        grid = self._check_params()
        images, layout = self._check_image_list(X, reset=False, cast=None)
        self._check_batch(images, grid, layout)
        params = {
            "n_points": int(self.n_points),
            "radius": float(self.radius),
            "method": self.method,
            "grid": grid,
        }
        if isinstance(images, list):
            out = map_by_shape(
                _lbp_chunk, images, n_jobs=self.n_jobs, batch_size=self.batch_size,
                **params,
            )
            dtype = float_dtype_of(images)
            return out.astype(dtype, copy=False)
        n = len(images)
        batch_size = self.batch_size
        if batch_size is None:
            batch_size = default_batch_size(
                n,
                int(np.prod(images.shape[1:3])),
                budget=_CHUNK_PIXELS,
                n_jobs=self.n_jobs,
                balanced=True,
            )
        # numpy releases the GIL in the work of a chunk: threads share the
        # images and the output without copies, each chunk writing its own
        # rows. A backend set by the caller is used as set.
        with parallel_config(prefer="threads"):
            backend, _ = get_active_backend()
            if effective_n_jobs(self.n_jobs) > 1 and not isinstance(
                backend, ThreadingBackend
            ):
                return map_chunks(
                    _lbp_chunk, images, n_jobs=self.n_jobs, batch_size=batch_size,
                    **params,
                )
            out = np.empty((n, self._n_features_out), dtype=float_dtype(images.dtype))

            def run(s):
                _lbp_chunk(images[s], out=out[s], **params)

            slices = chunk_slices(n, batch_size=batch_size)
            run_tasks(run, ((s,) for s in slices), n_jobs=self.n_jobs, require=None)
            return out


def lbp_histograms(
    images,
    *,
    n_points=8,
    radius=1,
    method="uniform",
    grid=(1, 1),
    image_shape=None,
    n_jobs=None,
    batch_size=None,
):
    """LBP histograms of a batch of images: :class:`LBPExtractor` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; 2D rows are flattened images (see ``image_shape``).
    n_points, radius, method, grid
        As in :class:`LBPExtractor`.
    image_shape, n_jobs, batch_size
        As in :class:`LBPExtractor`.

    Returns
    -------
    features : ndarray of shape (n, grid[0] * grid[1] * n_bins)
        Per image, the normalised histograms of the codes of
        :func:`skimage.feature.local_binary_pattern` in each cell, cell by
        cell; float32 for float32 and integer images.

    Raises
    ------
    ValueError
        As :meth:`LBPExtractor.fit`.

    See Also
    --------
    LBPExtractor : The estimator, for pipelines.
    skimage.feature.local_binary_pattern : The codes, one image at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import lbp_histograms
    >>> flat = np.ones((1, 4, 4))  # outside the image the neighbours are 0
    >>> lbp_histograms(flat, n_points=4, radius=1, method="uniform")
    array([[0.  , 0.  , 0.25, 0.5 , 0.25, 0.  ]])

    The 4 corners have two neighbours in the image (code 2), the 8 other
    border pixels three (code 3), the 4 inner pixels four (code 4).
    """
    return LBPExtractor(
        n_points=n_points,
        radius=radius,
        method=method,
        grid=grid,
        image_shape=image_shape,
        n_jobs=n_jobs,
        batch_size=batch_size,
    ).fit_transform(images)
