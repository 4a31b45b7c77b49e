"""Noise removal with one knob: :class:`Denoiser` and :func:`denoise_batch`.

Six methods, each the scikit-image function it names, with ``strength`` as
the one parameter a grid search turns:

- "gaussian": :func:`skimage.filters.gaussian`; ``sigma`` in pixels.
- "median": :func:`skimage.filters.median` with
  :func:`skimage.morphology.disk`; the disk's radius in pixels (rounded).
- "bilateral": :func:`skimage.restoration.denoise_bilateral`;
  ``sigma_spatial`` in pixels.
- "nl_means": :func:`skimage.restoration.denoise_nl_means`; ``h`` as a
  multiple of the estimated noise sigma.
- "tv": :func:`skimage.restoration.denoise_tv_chambolle`; ``weight``.
- "wavelet": :func:`skimage.restoration.denoise_wavelet`; ``sigma`` as a
  multiple of the estimated noise sigma.

The noise sigma of "nl_means" and "wavelet" is that of
:func:`skimage.restoration.estimate_sigma`, taken on each image.

Why the fast paths are exact
----------------------------
"gaussian" and "median" run as one :mod:`scipy.ndimage` call over a chunk of
the batch ``(m, h, w[, c])`` instead of one scikit-image call per image, and
give the same numbers as the per-image call:

* ``skimage.filters.gaussian(image, sigma, channel_axis=-1)`` is
  ``scipy.ndimage.gaussian_filter(image, (sigma, sigma, 0), mode="nearest",
  truncate=4.0)``. The batch call passes ``(0, sigma, sigma[, 0])``.
  ``gaussian_filter`` is a sequence of one-dimensional correlations, one per
  axis whose sigma is positive, in increasing axis order; an axis with sigma
  0 is not touched at all. So the batch axis is never filtered (no image
  sees another), and the two passes that are made are the same passes along
  the rows and columns of each image, in the same order, with the same
  kernel, boundary mode and intermediate dtype as scikit-image's call: the
  results are equal bit for bit.
* ``skimage.filters.median(image, footprint)`` is
  ``scipy.ndimage.median_filter(image, footprint=footprint, mode="nearest")``;
  for colour images the footprint is ``disk(r)[:, :, None]``, one channel at
  a time. The batch call uses a footprint of shape ``(1, k, k[, 1])``: the
  neighbourhood of a pixel holds only pixels of the same image and channel,
  so the boundary mode along the batch and channel axes is never used, and
  along the rows and columns it is scikit-image's ``"nearest"``. A median is
  a selection of one of the neighbourhood's values, so the results are
  equal exactly.

Both paths, and the per-image methods, run chunk by chunk (``batch_size``)
through :func:`skimgprep._parallel.map_chunks` with ``n_jobs``; since no
pixel depends on another image, the output does not depend on either.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import ndimage as ndi
from skimage.morphology import disk
from skimage.restoration import (
    denoise_bilateral,
    denoise_nl_means,
    denoise_tv_chambolle,
    denoise_wavelet,
    estimate_sigma,
)
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
from ._parallel import map_chunks, map_images
from .base import ImageTransformerMixin

__all__ = ["Denoiser", "denoise_batch"]

METHODS = ("gaussian", "median", "bilateral", "nl_means", "tv", "wavelet")


# --- whole-chunk paths ----------------------------------------------------


def _gaussian_chunk(images, *, sigma):
    """``skimage.filters.gaussian`` on each image of ``(m, h, w[, c])``."""
    sigmas = (0.0, sigma, sigma) + (0.0,) * (images.ndim - 3)
    return ndi.gaussian_filter(images, sigmas, mode="nearest", truncate=4.0)


def _median_radius(strength):
    """The disk radius for ``strength``: the nearest integer, halves up."""
    return int(np.floor(strength + 0.5))


def _median_chunk(images, *, radius):
    """``skimage.filters.median`` with ``disk(radius)`` on each image."""
    footprint = disk(radius).astype(bool)[np.newaxis]
    if images.ndim == 4:
        footprint = footprint[..., np.newaxis]
    return ndi.median_filter(images, footprint=footprint, mode="nearest")


# --- per-image paths ------------------------------------------------------


def _channel_sigmas(image):
    """Noise sigma of each channel of ``(h, w[, c])`` by ``estimate_sigma``.

    A channel without a nonzero finest-level detail coefficient (a constant
    or one-pixel-tall image) has no estimate; it counts as 0.
    """
    channels = image[..., np.newaxis] if image.ndim == 2 else image
    with warnings.catch_warnings():
        # The channel count is known here: narrow grayscale images are not
        # colour images, and an empty set of coefficients gives nan, read as 0.
        warnings.filterwarnings("ignore", message="image is size", category=UserWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        sigmas = estimate_sigma(channels, channel_axis=-1, average_sigmas=False)
    return np.nan_to_num(np.asarray(sigmas, dtype=np.float64), nan=0.0)


def _bilateral_image(image, *, strength):
    gray = image.ndim == 2 or image.shape[-1] == 1
    source = image.reshape(image.shape[:2]) if gray else image
    if not source.flags.writeable:
        # The Cython kernel of denoise_bilateral takes writable buffers only
        # (a read-only memmap raises "buffer source array is read-only").
        source = source.copy()
    out = denoise_bilateral(
        source,
        sigma_spatial=strength,
        mode="edge",
        channel_axis=None if gray else -1,
    )
    # denoise_bilateral squeezes its output: a (1, w) image comes back as (w,).
    return np.reshape(out, image.shape).astype(image.dtype, copy=False)


def _nl_means_image(image, *, strength):
    sigma = float(np.mean(_channel_sigmas(image)))
    if not sigma > 0:
        return image
    out = denoise_nl_means(
        image,
        h=strength * sigma,
        sigma=sigma,
        preserve_range=True,
        channel_axis=-1 if image.ndim == 3 else None,
    )
    # denoise_nl_means squeezes grayscale output: (1, w) comes back as (w,).
    return np.reshape(out, image.shape).astype(image.dtype, copy=False)


def _tv_image(image, *, strength):
    out = denoise_tv_chambolle(
        image, weight=strength, channel_axis=-1 if image.ndim == 3 else None
    )
    return out.astype(image.dtype, copy=False)


def _wavelet_channel(channel, sigma):
    if not sigma > 0:
        # Threshold 0: the wavelet reconstruction gives the channel back.
        return channel
    with warnings.catch_warnings():
        # Images under two pixels on an axis have every coefficient at the
        # boundary; the symmetric extension of PyWavelets handles them.
        warnings.filterwarnings("ignore", message="Level value of", category=UserWarning)
        return denoise_wavelet(channel, sigma=sigma)


def _wavelet_image(image, *, strength):
    sigmas = strength * _channel_sigmas(image)
    if image.ndim == 2:
        return _wavelet_channel(image, sigmas[0]).astype(image.dtype, copy=False)
    # denoise_wavelet(channel_axis=-1) thresholds each channel on its own,
    # with sigma[c]: the same as one grayscale call per channel.
    out = np.empty_like(image)
    for c, sigma in enumerate(sigmas):
        out[..., c] = _wavelet_channel(image[..., c], sigma)
    return out


_PER_IMAGE = {
    "bilateral": _bilateral_image,
    "nl_means": _nl_means_image,
    "tv": _tv_image,
    "wavelet": _wavelet_image,
}


def _denoise(images, *, method, strength, n_jobs=None, batch_size=None):
    """Denoise a float batch ``(n, h, w[, c])``; a new array, same dtype."""
    chunked = dict(n_jobs=n_jobs, batch_size=batch_size)
    if method == "gaussian":
        return map_chunks(_gaussian_chunk, images, sigma=float(strength), **chunked)
    if method == "median":
        radius = _median_radius(strength)
        return map_chunks(_median_chunk, images, radius=radius, **chunked)
    return map_images(_PER_IMAGE[method], images, strength=float(strength), **chunked)


class Denoiser(ImageTransformerMixin, BaseEstimator):
    """Remove noise from each image, by one of six scikit-image methods.

    Nothing is learned: ``fit`` records the image shape, ``transform``
    filters each image on its own.

    Parameters
    ----------
    method : {"gaussian", "median", "bilateral", "nl_means", "tv", \
"wavelet"}, default="gaussian"
        The filter, and what ``strength`` means for it:

        - "gaussian": :func:`skimage.filters.gaussian`, ``sigma=strength``
          pixels (``mode="nearest"``, ``truncate=4.0``); channels are not
          mixed.
        - "median": :func:`skimage.filters.median` with footprint
          ``skimage.morphology.disk(radius)``, ``radius`` = ``strength``
          rounded to the nearest integer (halves up); channels are not mixed.
          A strength under 0.5 gives radius 0, which leaves images unchanged.
        - "bilateral": :func:`skimage.restoration.denoise_bilateral`,
          ``sigma_spatial=strength`` pixels and ``mode="edge"`` (the border
          rule of "gaussian" and "median"; scikit-image's default,
          ``"constant"`` with ``cval=0``, darkens the borders); the other
          arguments are scikit-image's defaults (``sigma_color`` is the
          image's standard deviation, ``win_size`` covers 3 sigma). Colour
          images use the distance between colours; one-channel images are
          grayscale.
        - "nl_means": :func:`skimage.restoration.denoise_nl_means`,
          ``h = strength * sigma`` and ``sigma=sigma``, where ``sigma`` is
          the image's noise level by
          :func:`skimage.restoration.estimate_sigma` (the mean over
          channels); ``patch_size=7``, ``patch_distance=11``,
          ``fast_mode=True``.
        - "tv": :func:`skimage.restoration.denoise_tv_chambolle`,
          ``weight=strength``, each channel on its own. The weight is in the
          units of the pixel values: 0.1 is mild for images in ``[0, 1]``,
          1.0 is strong.
        - "wavelet": :func:`skimage.restoration.denoise_wavelet`
          (BayesShrink, soft thresholds, ``db1``), each channel on its own
          with ``sigma = strength * estimate_sigma(channel)``.

        For "nl_means" and "wavelet" ``strength=1`` trusts the estimated
        noise level and does not depend on the images' value range. Where
        no noise level can be estimated (a constant image, or an image one
        pixel tall) the estimate counts as 0 and the image (or channel) is
        returned unchanged.
    strength : float, default=1.0
        How strongly to denoise, in the method's unit above; greater than 0.
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
    denoise_batch : The function twin.
    skimage.filters.gaussian, skimage.filters.median,
    skimage.restoration.denoise_bilateral,
    skimage.restoration.denoise_nl_means,
    skimage.restoration.denoise_tv_chambolle,
    skimage.restoration.denoise_wavelet : The functions each method equals.

    Notes
    -----
    The value range is kept: float32 and float64 images are filtered as
    they are and keep their dtype. Integer and bool images are computed on
    their values converted to float32 as given, without rescaling (a uint8
    image comes out as float32 values in ``[0, 255]``, where scikit-image's
    functions would rescale it to ``[0, 1]``). Scale the images first, with
    :class:`PixelScaler`, for a strength that does not depend on the dtype.

    "gaussian" and "median" are one :mod:`scipy.ndimage` call per chunk of
    images; the module docstring explains why they equal the scikit-image
    functions exactly. The other methods call the scikit-image function
    once per image, in chunks through joblib.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Denoiser
    >>> X = np.zeros((2, 5, 5), dtype=np.float32)
    >>> X[:, 2, 2] = 1.0  # one bright pixel in each image
    >>> out = Denoiser(method="median", strength=1).fit_transform(X)
    >>> out.dtype, float(out.max())
    (dtype('float32'), 0.0)
    >>> Denoiser(method="gaussian", strength=1.0).fit_transform(X)[0, 1:4, 1:4].round(4)
    array([[0.0586, 0.0965, 0.0586],
           [0.0965, 0.1592, 0.0965],
           [0.0586, 0.0965, 0.0586]], dtype=float32)
    """

    _parameter_constraints = {
        "method": [StrOptions(set(METHODS))],
        "strength": [Interval(Real, 0, None, closed="neither")],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        method="gaussian",
        strength=1.0,
        image_shape=None,
        n_jobs=None,
        batch_size=None,
    ):
        self.method = method
        self.strength = strength
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.batch_size = batch_size

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the parameters and record the image shape.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : Denoiser
            The fitted step.
        """
        self._check_images(X, reset=True)
        return self

    def transform(self, X):
        """Denoise each image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_denoised : ndarray of the shape of X
            The denoised images, float32 or float64 (integer input gives
            float32).
        """
        check_is_fitted(self)
        images, layout = self._check_images(X, reset=False)
        out = _denoise(
            images,
            method=self.method,
            strength=self.strength,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
        )
        return layout.restore(out)


def denoise_batch(
    images,
    *,
    method="gaussian",
    strength=1.0,
    image_shape=None,
    n_jobs=None,
    batch_size=None,
):
    """Denoise a batch of images: :class:`Denoiser` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The batch.
    method, strength, image_shape, n_jobs, batch_size
        As in :class:`Denoiser`.

    Returns
    -------
    denoised : ndarray of the shape of images
        The denoised batch, float32 or float64.

    Raises
    ------
    ValueError
        For an unknown method, a strength that is not positive, or a batch
        that is not one of images (see :class:`Denoiser`).

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import denoise_batch
    >>> X = np.array([[[0.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]])
    >>> denoise_batch(X, method="median", strength=1)  # disk(1): a cross
    array([[[0., 0., 0.],
            [0., 0., 0.],
            [0., 0., 0.]]])
    """
    return Denoiser(
        method=method,
        strength=strength,
        image_shape=image_shape,
        n_jobs=n_jobs,
        batch_size=batch_size,
    ).fit_transform(images)
