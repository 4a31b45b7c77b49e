"""Pixel normalisation and standardisation: :class:`PixelScaler`.

The statistics are reduced over the batch in one numpy call per statistic
(float64 accumulators), and applied as one multiply-add in the images'
float dtype, so a whole batch costs two passes over memory.
"""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._compat import Interval, StrOptions, _fit_context
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


def _statistics(images, method, scope, feature_range):
    """Return ``(scale, offset)`` such that ``out = images * scale + offset``."""
    axes = _reduce_axes(images, scope)
    if method == "standard":
        mean = images.mean(axis=axes, dtype=np.float64, keepdims=True)
        std = _safe_scale(images.std(axis=axes, dtype=np.float64, keepdims=True))
        return 1.0 / std, -mean / std
    lo, hi = feature_range
    data_min = images.min(axis=axes, keepdims=True).astype(np.float64)
    data_max = images.max(axis=axes, keepdims=True).astype(np.float64)
    scale = (hi - lo) / _safe_scale(data_max - data_min)
    return scale, lo - data_min * scale


def _apply(images, scale, offset, *, in_place=False, clip=None):
    dtype = images.dtype
    out = np.multiply(images, scale.astype(dtype), out=images if in_place else None)
    out += offset.astype(dtype)
    if clip is not None:
        np.clip(out, clip[0], clip[1], out=out)
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
        images, layout = self._check_images(X, reset=True)
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
        images, layout = self._check_images(X, reset=False)
        owned = images.dtype != layout.input_dtype  # a fresh copy: ours to write
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
        out = _apply(images, scale, offset, in_place=owned, clip=clip)
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
