"""Image geometry: :class:`Resizer` (one size for all images) and
:class:`Deskewer` (moment-based deskewing), with their function twins
:func:`resize_images` and :func:`deskew_images`.

Why the resizing is exact
-------------------------
``skimage.transform.resize(image, output_shape, order=1, mode="reflect",
anti_aliasing=a, preserve_range=True)`` is, for a float image, three steps:

1. with ``a=True``, ``scipy.ndimage.gaussian_filter(image, sigma,
   mode="mirror")`` with ``sigma = max(0, (in / out - 1) / 2)`` per axis
   (0 for the channel axis);
2. ``scipy.ndimage.zoom(filtered, out / in, order=1, mode="mirror",
   grid_mode=True)``;
3. the result clipped to the image's own minimum and maximum.

The batch path makes the same calls on a chunk of images of one size, with
the channels moved next to the batch axis, ``(m * c, h, w)``, and a sigma and
zoom factor of exactly 0 and 1 along that axis. ``gaussian_filter`` never
touches an axis of sigma 0, and makes the passes along the rows and the
columns of every image in the same order, kernel and dtype as the per-image
call. ``zoom`` with ``grid_mode=True`` maps output index ``k`` of an axis of
unchanged length to input coordinate ``(k + 0.5) * 1 - 0.5 = k`` exactly:
the linear interpolation weights along the stacked axis are exactly 1 and 0,
so every output pixel is the same sum of the same four products as in the
per-image call (the terms of weight 0 add exactly 0). The minimum and
maximum are taken per image. The results are equal to scikit-image's bit for
bit (float32 and float64 images; integer images are computed in float32,
where scikit-image computes them in float64), and therefore do not depend on
how the batch is cut into chunks. A list of images of different sizes is
resized in groups of images of one shape, by the same batch path.

The deskewing
-------------
For an image ``I`` (for colour images, the mean over channels), with
negative values counted as 0 and ``r``, ``c`` the row and column indices:

* ``m00 = sum I``; centre of mass ``r0 = sum r I / m00``,
  ``c0 = sum c I / m00``;
* ``mu20 = sum (r - r0)**2 I`` and ``mu11 = sum (r - r0)(c - c0) I`` (that
  is ``skimage.measure.moments_central(I)[2, 0]`` and ``[1, 1]``; OpenCV
  calls them ``mu02`` and ``mu11``, with x the column);
* the skew ``alpha = mu11 / mu20``: the mean horizontal shift of a row per
  row below the centre of mass;
* the output pixel ``(i, j)`` is the input sampled, by bilinear
  interpolation with 0 outside the image, at
  ``row = r0 + (i - ci)``, ``col = c0 + alpha * (i - ci) + (j - cj)``
  with ``(ci, cj) = ((h - 1) / 2, (w - 1) / 2)`` the image centre
  (``center=True``, the classic deskewing of handwritten digits, which also
  moves the centre of mass to the centre), or at ``row = i``,
  ``col = j + alpha * (i - r0)`` (``center=False``: a shear about the row of
  the centre of mass, which stays in place).

The shear moves each row sideways by ``-alpha * (row - r0)``, which makes
the covariance of rows and columns, ``mu11``, zero. Since the sampled row
depends only on the output row, the bilinear interpolation is separable: one
gather of rows (the same shift for the whole image), then one gather of
columns (a shift per row), each a weighted sum of two neighbours, over the
whole chunk of images at once.
"""

from numbers import Integral, Real

import numpy as np
from scipy import ndimage as ndi
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._parallel import default_batch_size, map_chunks
from ._progress import reports_progress
from ._validation import check_pair, n_channels
from .base import ImageMixin, ImageTransformerMixin

__all__ = ["Deskewer", "Resizer", "deskew_images", "resize_images"]

#: Pixel values per chunk when ``batch_size`` is None: chunks of about 1 MiB
#: of float32 stay near the CPU caches (measured faster than larger ones).
_CHUNK_VALUES = 2**18

#: A row variance (in squared pixels) below this leaves an image unsheared:
#: the mass lies on one row, and its skew is not defined.
_MIN_ROW_VARIANCE = 1e-6

_FLOATS = ["float64", "float32"]


# --- resizing ----------------------------------------------------------------


def _round_div(a, b):
    """``round(a / b)`` for positive ints, halves up, in exact integers."""
    return (2 * a + b) // (2 * b)


def _box(shape, output_shape, mode):
    """Where an image of ``shape`` goes for ``mode``.

    Returns ``(rows, cols)``, the slices of the image that are resized;
    ``(ih, iw)``, the size they are resized to; ``(top, left)``, where that
    goes in the output (non-zero for "pad" only).
    """
    h, w = shape[:2]
    oh, ow = output_shape
    full = (slice(None), slice(None))
    if mode == "crop":
        if w * oh > h * ow:  # wider than the target: crop the width
            cw = min(w, max(1, _round_div(h * ow, oh)))
            left = (w - cw) // 2
            return (slice(None), slice(left, left + cw)), (oh, ow), (0, 0)
        ch = min(h, max(1, _round_div(w * oh, ow)))
        top = (h - ch) // 2
        return (slice(top, top + ch), slice(None)), (oh, ow), (0, 0)
    if mode == "pad":
        if oh * w <= ow * h:  # the height is the limit
            ih, iw = oh, min(ow, max(1, _round_div(w * oh, h)))
        else:
            ih, iw = min(oh, max(1, _round_div(h * ow, w))), ow
        return full, (ih, iw), ((oh - ih) // 2, (ow - iw) // 2)
    return full, (oh, ow), (0, 0)


def _zoom(images, output_shape, anti_aliasing):
    """``skimage.transform.resize(order=1, preserve_range=True)`` of each image.

    ``images`` is a float batch ``(m, h, w[, c])``; see the module docstring
    for why this equals scikit-image's call bit for bit.
    """
    m, h, w = images.shape[:3]
    oh, ow = output_shape
    if images.ndim == 4:
        planes = np.moveaxis(images, 3, 1).reshape(-1, h, w)
    else:
        planes = images
    factors = np.divide((h, w), (oh, ow))
    if anti_aliasing:
        sigma = np.maximum(0, (factors - 1) / 2)
        if np.any(sigma > 0):
            planes = ndi.gaussian_filter(planes, (0.0, *sigma), mode="mirror")
    zoomed = ndi.zoom(
        planes, (1.0, *(1 / factors)), order=1, mode="mirror", grid_mode=True
    )
    if images.ndim == 4:
        zoomed = np.ascontiguousarray(
            np.moveaxis(zoomed.reshape(m, images.shape[3], oh, ow), 1, 3)
        )
    # scikit-image clips to each image's own range (a no-op up to rounding).
    axes = tuple(range(1, images.ndim))
    shape = (m,) + (1,) * (images.ndim - 1)
    low = images.min(axis=axes).reshape(shape)
    high = images.max(axis=axes).reshape(shape)
    return np.clip(zoomed, low, high, out=zoomed)


def _resize_chunk(images, *, output_shape, mode, anti_aliasing, cval):
    """Resize a float batch ``(m, h, w[, c])`` of one size for ``mode``."""
    (rows, cols), inner, (top, left) = _box(images.shape[1:3], output_shape, mode)
    resized = _zoom(images[:, rows, cols], inner, anti_aliasing)
    if mode != "pad" or inner == tuple(output_shape):
        return resized
    out = np.full(
        (len(images),) + tuple(output_shape) + images.shape[3:], cval, dtype=resized.dtype
    )
    out[:, top : top + inner[0], left : left + inner[1]] = resized
    return out


def _resize_list_chunk(images, *, dtype, **kwargs):
    """Resize a list of float images, in groups of one shape and dtype."""
    groups = {}
    for i, image in enumerate(images):
        groups.setdefault((image.shape, image.dtype.str), []).append(i)
    out = None
    for idx in groups.values():
        res = _resize_chunk(np.stack([images[i] for i in idx]), **kwargs)
        if out is None:
            out = np.empty((len(images),) + res.shape[1:], dtype=dtype)
        out[idx] = res
    return out


def _describe(shape):
    return "grayscale" if len(shape) == 2 else f"{shape[2]}-channel"


class Resizer(ImageMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Resize every image to one size: stretched, padded or centre-cropped.

    Each image becomes exactly
    ``skimage.transform.resize(image, output_shape, order=1, mode="reflect",
    anti_aliasing=anti_aliasing, preserve_range=True)`` (bilinear, with a
    Gaussian pre-filter when downsizing) of the image, or of its centre crop
    (``mode="crop"``), or is that resized to fit and then padded
    (``mode="pad"``). Images of one size are resized as one batch (see
    Notes).

    ``X`` may be a list of images of different sizes (each ``(h, w)`` or
    ``(h, w, c)``), besides a batch or flattened rows; the output is always a
    uniform batch. ``transform`` works on images of any size (lists, 3D and
    4D arrays) with the channel count seen in fit; flattened rows must have
    the length seen in fit.

    Parameters
    ----------
    output_shape : tuple (int, int), default=(32, 32)
        The size ``(h, w)`` of every output image; channels are kept.
    mode : {"stretch", "pad", "crop"}, default="stretch"
        - "stretch": resize to ``output_shape``; the aspect ratio changes.
        - "pad": keep the aspect ratio: resize to the largest size that fits
          in ``output_shape`` (``(h * s, w * s)`` rounded, halves up, with
          ``s = min(oh / h, ow / w)``), then pad to ``output_shape`` with
          ``cval``, the image centred (an odd margin puts the extra pixel at
          the bottom or right).
        - "crop": keep the aspect ratio: crop the centre of the image to the
          aspect ratio of ``output_shape`` (the kept width or height rounded,
          halves up; an odd margin drops the extra pixel at the bottom or
          right), then resize to ``output_shape``.
    anti_aliasing : bool, default=True
        Gaussian pre-filter before downsizing, with scikit-image's
        ``sigma = (in / out - 1) / 2`` per axis (none along an axis that is
        enlarged).
    cval : float, default=0.0
        The padding value of ``mode="pad"``.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses chunks of about 250,000 pixel values.
        The output does not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error while resizing: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.
    n_jobs : int, default=None
        Chunks resized in parallel by joblib; None means 1 unless in a
        :func:`joblib.parallel_backend` context. The output does not depend
        on it.

    Attributes
    ----------
    output_image_shape_ : tuple of int
        The shape of each output image, ``output_shape`` then the channels
        seen in fit: ``(oh, ow)`` or ``(oh, ow, c)``.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``; not set when fit
        saw a list of images of different sizes.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of different sizes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    resize_images : The function twin.
    skimage.transform.resize : The reference, one image at a time.
    ColorConverter : Put it first when a list mixes grayscale and colour.

    Notes
    -----
    Values keep their range (``preserve_range=True``): float32 and float64
    images keep their dtype, integer and bool images are computed in float32
    (scikit-image computes them in float64; the results agree to float32
    rounding). For a list of several float dtypes the output has the widest.

    Images of one size are resized chunk by chunk with one
    :func:`scipy.ndimage.gaussian_filter` and one :func:`scipy.ndimage.zoom`
    call per chunk, equal to scikit-image's per-image result bit for bit (the
    module docstring of ``skimgprep.geometry`` says why); a list of
    different sizes is resized in groups of one shape.

    Flattened input gives flattened output of ``prod(output_image_shape_)``
    features, named ``resizer0, resizer1, ...`` by
    :meth:`get_feature_names_out`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Resizer
    >>> images = [np.zeros((40, 60)), np.ones((30, 30)), np.ones((8, 100))]
    >>> Resizer(output_shape=(16, 16)).fit_transform(images).shape
    (3, 16, 16)
    >>> X = np.arange(8.0).reshape(1, 2, 4)  # one image of 2x4 pixels
    >>> Resizer(output_shape=(4, 4), mode="pad", cval=-1).fit_transform(X)[0]
    array([[-1., -1., -1., -1.],
           [ 0.,  1.,  2.,  3.],
           [ 4.,  5.,  6.,  7.],
           [-1., -1., -1., -1.]])
    >>> Resizer(output_shape=(2, 2), mode="crop").fit_transform(X)[0]
    array([[1., 2.],
           [5., 6.]])
    """

    _any_image_size = True

    _parameter_constraints = {
        "output_shape": ["array-like"],
        "mode": [StrOptions({"stretch", "pad", "crop"})],
        "anti_aliasing": ["boolean"],
        "cval": [Real],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        output_shape=(32, 32),
        mode="stretch",
        anti_aliasing=True,
        cval=0.0,
        image_shape=None,
        batch_size=None,
        verbose=0,
        n_jobs=None,
    ):
        self.output_shape = output_shape
        self.mode = mode
        self.anti_aliasing = anti_aliasing
        self.cval = cval
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.verbose = verbose
        self.n_jobs = n_jobs

    def _channels_of(self, images):
        """The channel shape shared by all images, or a clear error."""
        if not isinstance(images, list):
            return images.shape[3:]
        first = images[0].shape
        for i, image in enumerate(images):
            if image.shape[2:] != first[2:]:
                raise ValueError(
                    f"{type(self).__name__} makes one batch of the images, so they "
                    "must all be grayscale or all have the same number of "
                    f"channels; X[0] is {_describe(first)} (shape {first}) but "
                    f"X[{i}] is {_describe(image.shape)} (shape {image.shape}). "
                    "Convert them first: put ColorConverter(to='gray') or "
                    "ColorConverter(to='rgb') before the Resizer."
                )
        return first[2:]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and record the output shape; nothing is learned.

        Parameters
        ----------
        X : list of array-like of shape (h, w[, c]), or array-like of shape \
(n, h, w[, c]) or (n, d)
            Training images; a list may hold images of different sizes.
        y : None
            Ignored.

        Returns
        -------
        self : Resizer
            The fitted step.

        Raises
        ------
        ValueError
            If ``output_shape`` is not a pair of positive integers, or a list
            mixes grayscale and colour images (or different channel counts).
        """
        output_shape = check_pair(
            self.output_shape, "output_shape", what="(h, w) (the channels are kept)"
        )
        images, _ = self._check_image_list(X, reset=True, cast=None)
        self.output_image_shape_ = output_shape + tuple(self._channels_of(images))
        return self

    @property
    def _n_features_out(self):
        return int(np.prod(self.output_image_shape_))

    @reports_progress()
    def transform(self, X):
        """Resize the images.

        Parameters
        ----------
        X : list of array-like of shape (h, w[, c]), or array-like of shape \
(n, h, w[, c]) or (n, d)
            Images of any size, with the channel count seen in fit
            (flattened rows: the length seen in fit).

        Returns
        -------
        X_resized : ndarray of shape (n, oh, ow[, c]) or (n, oh * ow * c)
            The resized images: a batch for a list or a batch, flattened rows
            for flattened rows. float32 for integer images.

        Raises
        ------
        ValueError
            If the images have another channel count than in fit, or a list
            mixes them.
        """
        check_is_fitted(self)
        images, layout = self._check_image_list(X, reset=False, cast="float")
        channels = tuple(self._channels_of(images))
        fitted = self.output_image_shape_[2:]
        if n_channels((0, 0) + channels) != n_channels((0, 0) + fitted):
            raise ValueError(
                f"{type(self).__name__} was fitted on {_describe((0, 0) + fitted)} "
                f"images; got {_describe((0, 0) + channels)} images."
            )
        out = _resize(
            images,
            output_shape=tuple(self.output_image_shape_[:2]),
            mode=self.mode,
            anti_aliasing=bool(self.anti_aliasing),
            cval=float(self.cval),
            batch_size=self.batch_size,
            n_jobs=self.n_jobs,
        )
        return layout.restore(out)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = list(_FLOATS)
        return tags


def _resize(images, *, output_shape, mode, anti_aliasing, cval, batch_size, n_jobs):
    """Resize a float batch, or a list of float images, to a batch."""
    kwargs = dict(
        output_shape=output_shape, mode=mode, anti_aliasing=anti_aliasing, cval=cval
    )
    if isinstance(images, list):
        if batch_size is None:
            mean_values = sum(im.size for im in images) / len(images)
            batch_size = default_batch_size(
                len(images), mean_values, budget=_CHUNK_VALUES, n_jobs=n_jobs
            )
        dtype = np.result_type(*{im.dtype for im in images})
        return map_chunks(
            _resize_list_chunk, images, n_jobs=n_jobs, batch_size=batch_size,
            dtype=dtype, **kwargs,
        )
    if batch_size is None:
        batch_size = default_batch_size(
            len(images), int(np.prod(images.shape[1:])), budget=_CHUNK_VALUES, n_jobs=n_jobs
        )
    return map_chunks(
        _resize_chunk, images, n_jobs=n_jobs, batch_size=batch_size, **kwargs
    )


def resize_images(
    images,
    output_shape,
    *,
    mode="stretch",
    anti_aliasing=True,
    cval=0.0,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """Resize images to one size: :class:`Resizer` in one call.

    Each image equals ``skimage.transform.resize(image, output_shape,
    order=1, anti_aliasing=anti_aliasing, preserve_range=True)`` (of its
    centre crop for ``mode="crop"``, padded for ``mode="pad"``).

    Parameters
    ----------
    images : list of array-like of shape (h, w[, c]), or array-like of shape \
(n, h, w[, c]) or (n, d)
        The images; a list may hold images of different sizes.
    output_shape : tuple (int, int)
        The size ``(h, w)`` of every output image; channels are kept.
    mode, anti_aliasing, cval, image_shape, batch_size, n_jobs
        As in :class:`Resizer`.

    Returns
    -------
    resized : ndarray of shape (n, oh, ow[, c]) or (n, oh * ow * c)
        A batch (flattened rows for flattened input).

    Raises
    ------
    ValueError
        As :meth:`Resizer.fit`.

    See Also
    --------
    Resizer : The estimator, for pipelines.
    skimage.transform.resize : The reference, one image at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import resize_images
    >>> images = [np.zeros((20, 10, 3)), np.zeros((7, 9, 3))]
    >>> resize_images(images, (8, 8), mode="crop").shape
    (2, 8, 8, 3)
    """
    return Resizer(
        output_shape=output_shape,
        mode=mode,
        anti_aliasing=anti_aliasing,
        cval=cval,
        image_shape=image_shape,
        batch_size=batch_size,
        n_jobs=n_jobs,
    ).fit_transform(images)


# --- deskewing ----------------------------------------------------------------


def _skew(images):
    """Centre of mass and skew of each image (see the module docstring).

    Returns ``r0, c0, alpha, has_mass`` of shape ``(m,)``, in float64. Images
    without positive mass get ``r0 = c0 = alpha = 0`` and ``has_mass`` False.
    Every sum runs along the last axis of a per-image array, so no image's
    numbers depend on the others in the chunk.
    """
    h, w = images.shape[1:3]
    weights = images if images.ndim == 3 else images.mean(axis=3, dtype=np.float64)
    weights = np.maximum(weights, 0, dtype=np.float64)
    rows = np.arange(h, dtype=np.float64)
    cols = np.arange(w, dtype=np.float64)
    row_mass = weights.sum(axis=2)  # (m, h)
    m00 = row_mass.sum(axis=1)
    has_mass = m00 > 0
    total = np.where(has_mass, m00, 1.0)
    r0 = (row_mass * rows).sum(axis=1) / total
    c0 = (weights * cols).sum(axis=2).sum(axis=1) / total
    dr = rows - r0[:, None]  # (m, h)
    mu20 = (row_mass * dr * dr).sum(axis=1)
    weights *= cols - c0[:, None, None]
    mu11 = (dr * weights.sum(axis=2)).sum(axis=1)
    sheared = has_mass & (mu20 > _MIN_ROW_VARIANCE * total)
    alpha = np.divide(mu11, mu20, out=np.zeros_like(mu11), where=sheared)
    r0[~has_mass] = 0.0
    c0[~has_mass] = 0.0
    return r0, c0, alpha, has_mass


def _shift_weights(shift, size, dtype):
    """Indices and weights to sample ``x + shift`` for ``x = 0 .. size - 1``.

    ``shift`` has any shape ``s``; returns ``i0, i1`` (clipped indices) and
    ``w0, w1`` (the linear weights, 0 where the neighbour is outside), of
    shape ``s + (size,)``.
    """
    base = np.floor(shift)
    frac = (shift - base)[..., None]
    i0 = np.arange(size) + base.astype(np.intp)[..., None]
    i1 = i0 + 1
    w0 = ((1.0 - frac) * ((i0 >= 0) & (i0 < size))).astype(dtype)
    w1 = (frac * ((i1 >= 0) & (i1 < size))).astype(dtype)
    np.clip(i0, 0, size - 1, out=i0)
    np.clip(i1, 0, size - 1, out=i1)
    return i0, i1, w0, w1


def _deskew_chunk(images, *, center):
    """Deskew a float batch ``(m, h, w[, c])`` (see the module docstring)."""
    m, h, w = images.shape[:3]
    dtype = images.dtype
    r0, c0, alpha, has_mass = _skew(images)
    out_rows = np.arange(h, dtype=np.float64)
    if center:
        row_shift = np.where(has_mass, r0 - (h - 1) / 2, 0.0)  # (m,)
        col_shift = np.where(has_mass, c0 - (w - 1) / 2, 0.0)[:, None] + alpha[
            :, None
        ] * (out_rows - (h - 1) / 2)
    else:
        row_shift = np.zeros(m)
        col_shift = alpha[:, None] * (out_rows - r0[:, None])  # (m, h)
    extra = (None,) * (images.ndim - 3)

    # Rows: input row i + row_shift, the same shift for the whole image.
    i0, i1, w0, w1 = _shift_weights(row_shift, h, dtype)  # (m, h)
    index = (slice(None), slice(None), None) + extra
    rows = np.take_along_axis(images, i0[index], axis=1)
    rows *= w0[index]
    upper = np.take_along_axis(images, i1[index], axis=1)
    upper *= w1[index]
    rows += upper
    del upper

    # Columns: input column j + col_shift[row], a shift per row.
    j0, j1, v0, v1 = _shift_weights(col_shift, w, dtype)  # (m, h, w)
    index = (Ellipsis,) + extra
    out = np.take_along_axis(rows, j0[index], axis=2)
    out *= v0[index]
    right = np.take_along_axis(rows, j1[index], axis=2)
    right *= v1[index]
    out += right
    return out


class Deskewer(ImageTransformerMixin, BaseEstimator):
    """Deskew each image by its second-order moments.

    The classic correction of slanted handwriting (as in the deskewing of
    MNIST digits) and of sheared objects: the skew ``alpha = mu11 / mu20``
    of each image (central moments; ``mu11 / mu02`` in OpenCV's notation) is
    undone by a horizontal shear, and with ``center=True`` the centre of
    mass moves to the image centre. The module docstring of
    ``skimgprep.geometry`` gives the formula.

    The pixel values are the weights: bright objects on a dark background
    (0), as digits are stored. Invert dark-on-light images first. Negative
    values weigh 0; an image without positive mass is returned unchanged,
    and an image whose mass lies on one row (row variance under 1e-6) is not
    sheared, its skew being undefined.

    Parameters
    ----------
    center : bool, default=True
        Move the centre of mass to the image centre ``((h - 1) / 2,
        (w - 1) / 2)`` while deskewing (the classic MNIST deskew). False:
        only shear, about the row of the centre of mass (which stays where
        it is).
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses chunks of about 250,000 pixel values.
        The output does not depend on it.
    verbose : int or bool, default=0
        Report progress on standard error while deskewing: a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib; None means 1 unless in a
        :func:`joblib.parallel_backend` context. The output does not depend
        on it.

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
    deskew_images : The function twin.
    skimage.measure.moments_central : The moments.
    skimage.transform.warp : With an ``AffineTransform`` of the shear, the
        per-image reference (``order=1``, ``mode="constant"``, ``cval=0``).

    Notes
    -----
    The moments are one weighted sum over the chunk of images (in float64),
    and the shear one vectorised bilinear gather of rows then of columns
    (in the images' float dtype; integer images in float32). Colour images
    are sheared by the skew of their mean over channels, every channel
    alike. Images must have the shape seen in fit.

    References
    ----------
    .. [1] LeCun, Y., Bottou, L., Bengio, Y. and Haffner, P., "Gradient-based
       learning applied to document recognition", Proc. IEEE 86(11), 1998,
       :doi:`10.1109/5.726791` (deskewed MNIST in its comparison of
       classifiers).

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Deskewer
    >>> X = np.eye(5)[None]  # one slanted stroke: skew 1
    >>> Deskewer().fit_transform(X)[0]
    array([[0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.]])
    """

    _parameter_constraints = {
        "center": ["boolean"],
        "image_shape": [tuple, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, *, center=True, image_shape=None, batch_size=None, n_jobs=None, verbose=0):
        self.center = center
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.verbose = verbose
        self.n_jobs = n_jobs

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
        self : Deskewer
            The fitted step.
        """
        self._check_images(X, reset=True, cast=None)
        return self

    @reports_progress()
    def transform(self, X):
        """Deskew every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_deskewed : ndarray of the shape of X
            The deskewed images, float32 or float64.

        Raises
        ------
        ValueError
            If the images have another shape than in fit.
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False)
        batch_size = self.batch_size
        if batch_size is None:
            batch_size = default_batch_size(
                len(images),
                int(np.prod(images.shape[1:])),
                budget=_CHUNK_VALUES,
                n_jobs=self.n_jobs,
            )
        out = map_chunks(
            _deskew_chunk,
            images,
            n_jobs=self.n_jobs,
            batch_size=batch_size,
            center=bool(self.center),
        )
        return layout.restore(out)


def deskew_images(images, *, center=True, image_shape=None, batch_size=None, n_jobs=None):
    """Deskew each image by its moments: :class:`Deskewer` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch (bright objects on a dark background).
    center, image_shape, batch_size, n_jobs
        As in :class:`Deskewer`.

    Returns
    -------
    deskewed : ndarray of the shape of images
        The deskewed images, float32 or float64.

    See Also
    --------
    Deskewer : The estimator, for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import deskew_images
    >>> X = np.fliplr(np.eye(5))[None]  # slanted the other way: skew -1
    >>> deskew_images(X, center=False)[0, :, 2]
    array([1., 1., 1., 1., 1.])
    """
    return Deskewer(
        center=center, image_shape=image_shape, batch_size=batch_size, n_jobs=n_jobs
    ).fit_transform(images)
