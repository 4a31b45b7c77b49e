"""Colour histograms over a whole batch: :class:`ColorHistogramExtractor`.

Per image, the histogram of each channel in a colour space, divided by the
pixel count (each channel's histogram sums to 1). The batch is converted by
one scikit-image call per chunk (the functions of :mod:`skimage.color` work
along the last axis of an array of any rank, so each image gets the numbers
of one call on it alone), and all the histograms of a chunk are counted by
one :func:`numpy.bincount` of offset bin indices.

The bins of a channel over ``[lo, hi]`` are those of ``np.histogram(values,
bins, range=(lo, hi))`` on the values clipped into ``[lo, hi]``: ``bins``
equal bins with edges ``np.linspace(lo, hi, bins + 1)`` in the values'
float dtype, each bin holding its left edge, the last one its right edge
too. The index is estimated from ``(value - lo) / (hi - lo) * bins`` and
then corrected against the edges, as numpy corrects it, so the counts are
numpy's exactly.
"""

from numbers import Integral

import numpy as np
from skimage import color
from skimage.util import img_as_float
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, StrOptions, _fit_context
from .._parallel import map_by_shape
from .._validation import float_dtype, float_dtype_of
from ..base import FeatureExtractorMixin

__all__ = ["ColorHistogramExtractor", "color_histograms"]

#: Per colour space: the channel names and the fixed range of each channel.
COLOR_SPACES = {
    "rgb": (("r", "g", "b"), ((0.0, 1.0), (0.0, 1.0), (0.0, 1.0))),
    "hsv": (("h", "s", "v"), ((0.0, 1.0), (0.0, 1.0), (0.0, 1.0))),
    "lab": (("l", "a", "b"), ((0.0, 100.0), (-128.0, 128.0), (-128.0, 128.0))),
    "ycbcr": (("y", "cb", "cr"), ((16.0, 235.0), (16.0, 240.0), (16.0, 240.0))),
}

#: Grayscale images: one intensity channel over [0, 1].
GRAY = (("gray",), ((0.0, 1.0),))

_FROM_RGB = {"hsv": color.rgb2hsv, "lab": color.rgb2lab, "ycbcr": color.rgb2ycbcr}

#: Pixels converted and counted at once: the conversions' temporaries
#: (about 100 bytes per pixel for "lab") stay a few tens of MiB.
_BLOCK_PIXELS = 2**18


def _is_gray(shape):
    """True for an image shape ``(h, w)`` or ``(h, w, 1)``."""
    return len(shape) == 2 or shape[2] == 1


def _channels(shape, color_space):
    """Channel names and ranges for images of ``shape`` ``(h, w[, c])``."""
    return GRAY if _is_gray(shape) else COLOR_SPACES[color_space]


def _convert(images, color_space):
    """A batch ``(m, h, w[, c])`` in ``color_space``, as ``(m, h, w, channels)``.

    Integer images are scaled as :func:`skimage.util.img_as_float` (uint8
    divided by 255); float32 and float64 are taken as they are.
    """
    if images.dtype == np.float16:
        images = images.astype(np.float32)
    if _is_gray(images.shape[1:]):
        gray = images if images.ndim == 3 else images[..., 0]
        return img_as_float(gray)[..., None]
    rgb = images if images.shape[3] == 3 else color.rgba2rgb(images)
    if color_space == "rgb":
        return img_as_float(rgb)
    return _FROM_RGB[color_space](rgb)


def _bin_indices(values, lo, hi, bins):
    """``np.histogram``'s bin of each value clipped into ``[lo, hi]``."""
    dtype = values.dtype
    edges = np.linspace(lo, hi, bins + 1, dtype=dtype)
    x = np.clip(values, dtype.type(lo), dtype.type(hi))
    index = ((x.astype(np.float64) - lo) / (hi - lo) * bins).astype(np.intp)
    index[index == bins] -= 1
    # The estimate is within one bin of the edges' answer; correct it as
    # np.histogram does.
    index[x < edges[index]] -= 1
    index[(x >= edges[index + 1]) & (index != bins - 1)] += 1
    return index


def _histogram_chunk(images, *, bins, color_space, out=None):
    """Normalised channel histograms of a batch ``(m, h, w[, c])``.

    Written into ``out`` ``(m, channels * bins)`` (allocated when None),
    which is returned.
    """
    m, h, w = images.shape[:3]
    _, ranges = _channels(images.shape[1:], color_space)
    n_out = len(ranges) * bins
    if out is None:
        out = np.empty((m, n_out), dtype=float_dtype(images.dtype))
    step = max(1, min(m, _BLOCK_PIXELS // (h * w)))
    for start in range(0, m, step):
        stop = min(m, start + step)
        k = stop - start
        values = _convert(images[start:stop], color_space).reshape(k, h * w, len(ranges))
        index = np.empty(values.shape, dtype=np.intp)
        for c, (lo, hi) in enumerate(ranges):
            index[:, :, c] = _bin_indices(values[:, :, c], lo, hi, bins) + c * bins
        index += (np.arange(k, dtype=np.intp) * n_out)[:, None, None]
        counts = np.bincount(index.ravel(), minlength=k * n_out)
        out[start:stop] = counts.reshape(k, n_out) / (h * w)
    return out


class ColorHistogramExtractor(FeatureExtractorMixin, BaseEstimator):
    """Per-channel colour histograms of every image, in a chosen colour space.

    Per image: the conversion of scikit-image to ``color_space``
    (:func:`skimage.color.rgb2hsv`, :func:`~skimage.color.rgb2lab`,
    :func:`~skimage.color.rgb2ycbcr`, or the RGB values), then for each
    channel ``np.histogram(values, bins, range=(lo, hi))`` over the
    channel's fixed range (below) divided by the pixel count: each channel's
    histogram sums to 1. The histograms are concatenated channel by channel.

    Parameters
    ----------
    bins : int, default=16
        Equal bins per channel.
    color_space : {"hsv", "rgb", "lab", "ycbcr"}, default="hsv"
        The colour space and the channels' ranges: "rgb" R, G, B in
        ``[0, 1]``; "hsv" H, S, V in ``[0, 1]`` (``rgb2hsv``); "lab" L in
        ``[0, 100]``, a and b in ``[-128, 128]`` (``rgb2lab``, D65, 2 degree
        observer); "ycbcr" Y in ``[16, 235]``, Cb and Cr in ``[16, 240]``
        (``rgb2ycbcr``, ITU-R BT.601).
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        a grayscale image of shape ``(1, d)``.

    Attributes
    ----------
    channels_ : tuple of str
        The channels of the histograms, in order: those of ``color_space``
        for colour images, ``("gray",)`` for grayscale images.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``; not set when fit
        saw a list of images of different shapes.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of different shapes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    color_histograms : The function twin.
    skimgprep.ColorConverter : The same conversions, as images.
    numpy.histogram : The bins, one channel of one image at a time.

    Notes
    -----
    Images are read as scikit-image reads them: integer images scaled to
    ``[0, 1]`` as :func:`skimage.util.img_as_float` (uint8 divided by 255,
    uint16 by 65535) before the conversion, float images taken as they are
    (expected in ``[0, 1]``). ``(h, w, 3)`` images are RGB, ``(h, w, 4)``
    RGBA (composited over white by :func:`skimage.color.rgba2rgb` first).
    Grayscale images, ``(h, w)`` or ``(h, w, 1)`` (and so the rows of 2D
    input without ``image_shape``), give one intensity histogram over
    ``[0, 1]``, ``bins`` features, whatever ``color_space``. Values outside
    a channel's range are counted in its first or last bin (clipped), so
    every histogram sums to 1. The features are float32 for float32 and
    integer images, float64 for float64 images. ``transform`` takes images
    of any size with the colour mode seen in fit, and lists of images of
    different sizes.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import ColorHistogramExtractor
    >>> image = np.zeros((1, 2, 2, 3), dtype=np.uint8)
    >>> image[0, 0, 0] = [255, 0, 0]      # red
    >>> image[0, 0, 1] = [0, 255, 0]      # green
    >>> image[0, 1, 0] = [0, 0, 255]      # blue
    >>> image[0, 1, 1] = [255, 255, 255]  # white
    >>> hist = ColorHistogramExtractor(bins=4, color_space="hsv").fit(image)
    >>> hist.transform(image).reshape(3, 4)  # rows: H, S, V
    array([[0.5 , 0.25, 0.25, 0.  ],
           [0.25, 0.  , 0.  , 0.75],
           [0.  , 0.  , 0.  , 1.  ]], dtype=float32)
    >>> hist.get_feature_names_out()[[0, 4, 11]]
    array(['hsv_h_bin0', 'hsv_s_bin0', 'hsv_v_bin3'], dtype=object)
    """

    _any_image_size = True

    _parameter_constraints = {
        "bins": [Interval(Integral, 1, None, closed="left")],
        "color_space": [StrOptions(set(COLOR_SPACES))],
        "image_shape": [tuple, None],
    }

    def __init__(self, *, bins=16, color_space="hsv", image_shape=None):
        self.bins = bins
        self.color_space = color_space
        self.image_shape = image_shape

    def _check_modes(self, images):
        """The channel names of the images; raise on unknown or mixed modes."""
        name = type(self).__name__
        if isinstance(images, list):
            shapes = [(f"X[{i}] has shape {im.shape}", im.shape) for i, im in enumerate(images)]
        else:
            shapes = [(f"got images of shape {images.shape[1:]}", images.shape[1:])]
        found = None
        for what, shape in shapes:
            if len(shape) == 3 and shape[2] not in (1, 3, 4):
                raise ValueError(
                    f"{name} expected grayscale (h, w) or (h, w, 1), RGB (h, w, 3) "
                    f"or RGBA (h, w, 4) images; {what}, with {shape[2]} channels."
                )
            channels = _channels(shape, self.color_space)[0]
            if found is not None and channels != found[0]:
                raise ValueError(
                    f"{name} expected images of one colour mode (all grayscale or "
                    f"all colour); {found[1]} but {what}."
                )
            found = (channels, what)
        return found[0]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and record their channels; nothing is learned.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images; a list may hold images of different sizes, all
            grayscale or all colour.
        y : None
            Ignored.

        Returns
        -------
        self : ColorHistogramExtractor
            The fitted extractor, with ``channels_``.

        Raises
        ------
        ValueError
            If an image has a channel count other than 1, 3 or 4, or a list
            mixes grayscale and colour images.
        """
        images, _ = self._check_image_list(X, reset=True, cast=None)
        self.channels_ = self._check_modes(images)
        return self

    @property
    def _n_features_out(self):
        return len(self.channels_) * int(self.bins)

    def _feature_names(self):
        prefix = "gray" if self.channels_ == GRAY[0] else None
        return [
            f"{prefix}_bin{k}" if prefix else f"{self.color_space}_{ch}_bin{k}"
            for ch in self.channels_
            for k in range(int(self.bins))
        ]

    def transform(self, X):
        """Compute the channel histograms of every image.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size, of the colour mode seen in fit.

        Returns
        -------
        X_hist : ndarray of shape (n, len(channels_) * bins)
            One row per image: the normalised histograms, channel by
            channel; float32 for float32 and integer images, float64 for
            float64.

        Raises
        ------
        ValueError
            If the images are grayscale and fit saw colour images, or the
            other way round, or have a channel count other than 1, 3 or 4.
        """
        check_is_fitted(self)
        images, _ = self._check_image_list(X, reset=False, cast=None)
        channels = self._check_modes(images)
        if channels != self.channels_:
            modes = {True: "grayscale", False: "colour"}
            raise ValueError(
                f"{type(self).__name__} was fitted on "
                f"{modes[self.channels_ == GRAY[0]]} images; got "
                f"{modes[channels == GRAY[0]]} images."
            )
        params = {"bins": int(self.bins), "color_space": self.color_space}
        if isinstance(images, list):
            out = map_by_shape(
                _histogram_chunk, images, n_jobs=None, batch_size=None, **params
            )
            dtype = float_dtype_of(images)
            return out.astype(dtype, copy=False)
        return _histogram_chunk(images, **params)


def color_histograms(images, *, bins=16, color_space="hsv", image_shape=None):
    """Colour histograms of a batch: :class:`ColorHistogramExtractor` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; 2D rows are flattened images (see ``image_shape``).
    bins, color_space, image_shape
        As in :class:`ColorHistogramExtractor`, whose Notes give the rules.

    Returns
    -------
    features : ndarray of shape (n, channels * bins)
        Per image, the normalised histogram of each channel, channel by
        channel (3 channels for colour images, 1 for grayscale).

    Raises
    ------
    ValueError
        As :meth:`ColorHistogramExtractor.fit`.

    See Also
    --------
    ColorHistogramExtractor : The estimator, for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import color_histograms
    >>> gray = np.array([[[0.0, 0.3, 0.5], [1.0, -0.2, 1.7]]])
    >>> color_histograms(gray, bins=2)  # -0.2 and 1.7 are clipped
    array([[0.5, 0.5]])
    """
    return ColorHistogramExtractor(
        bins=bins, color_space=color_space, image_shape=image_shape
    ).fit_transform(images)
