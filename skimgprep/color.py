"""Colour spaces: :class:`ColorConverter` and its function twin
:func:`convert_color`.

Every conversion is the scikit-image function it names, called once per
chunk of the batch: the functions of :mod:`skimage.color` work on the last
axis of an array of any rank, so one call on ``(m, h, w, 3)`` gives, image by
image, the numbers of one call per image. A list of images of different
sizes and colour modes is converted image by image, and stays a list.

The rules, for each image:

1. Integer and bool images are first scaled to ``[0, 1]`` as
   :func:`skimage.util.img_as_float32` does (uint8 divided by 255, uint16
   by 65535; signed integers to ``[-1, 1]``): the convention of
   :mod:`skimage.color`, whose functions scale integer images so. float32
   and float64 images are taken as they are (expected in ``[0, 1]`` for the
   colour spaces with a gamma or a fixed range); float16 becomes float32.
2. The mode comes from the shape: ``(h, w)`` and ``(h, w, 1)`` are
   grayscale, ``(h, w, 3)`` RGB, ``(h, w, 4)`` RGBA.
3. RGBA loses its alpha by :func:`skimage.color.rgba2rgb` with a white
   background: ``rgb = (1 - alpha) * 1 + alpha * rgb``, clipped to
   ``[0, 1]``.
4. Then, to "gray": :func:`skimage.color.rgb2gray` of RGB
   (``0.2125 R + 0.7154 G + 0.0721 B``); grayscale is kept as it is.
   To "rgb": :func:`skimage.color.gray2rgb` of grayscale (three equal
   channels); RGB is kept. To "hsv", "lab", "ycbcr": grayscale goes through
   ``gray2rgb`` first, then :func:`skimage.color.rgb2hsv`,
   :func:`skimage.color.rgb2lab` (D65, 2 degree observer) or
   :func:`skimage.color.rgb2ycbcr` (ITU-R BT.601, ``Y`` in ``[16, 235]``).
"""

import numpy as np
from skimage import color
from skimage.util import img_as_float32
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._compat import StrOptions, _fit_context
from ._parallel import map_chunks
from ._validation import float_dtype
from .base import ImageMixin

__all__ = ["ColorConverter", "convert_color"]

TARGETS = ("gray", "rgb", "hsv", "lab", "ycbcr")

_FROM_RGB = {
    "gray": color.rgb2gray,
    "hsv": color.rgb2hsv,
    "lab": color.rgb2lab,
    "ycbcr": color.rgb2ycbcr,
}

_MODES = {1: "gray", 3: "rgb", 4: "rgba"}


def _mode(shape, *, name="ColorConverter", what="each image"):
    """The colour mode of an image of ``shape`` ``(h, w[, c])``, or raise."""
    if len(shape) == 2:
        return "gray"
    mode = _MODES.get(shape[2])
    if mode is None:
        raise ValueError(
            f"{name} expected grayscale (h, w) or (h, w, 1), RGB (h, w, 3) or "
            f"RGBA (h, w, 4) images; {what} has shape {tuple(shape)}, with "
            f"{shape[2]} channels."
        )
    return mode


def _to_float(images):
    """float32/float64 as they are; float16 to float32; others by img_as_float32."""
    if images.dtype.kind == "f":
        return images.astype(float_dtype(images.dtype), copy=False)
    return img_as_float32(images)


def _output_shape(shape, to):
    """The shape of the converted image of ``shape`` ``(h, w[, c])``."""
    return tuple(shape[:2]) if to == "gray" else tuple(shape[:2]) + (3,)


def _convert_chunk(images, *, to):
    """Convert a batch ``(m, h, w[, c])`` of one mode (see the module docstring)."""
    mode = _mode(images.shape[1:])
    images = _to_float(images)
    if mode == "rgba":
        images = color.rgba2rgb(images)  # white background, in [0, 1]
        mode = "rgb"
    if mode == "gray":
        if images.ndim == 4:
            images = images[..., 0]
        if to == "gray":
            return images
        images = color.gray2rgb(images)
    if to == "rgb":
        return images
    return _FROM_RGB[to](images)


class ColorConverter(ImageMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Convert images to one colour space: gray, RGB, HSV, Lab or YCbCr.

    Each image equals the scikit-image conversion it names (see Notes):
    ``rgb2gray``, ``gray2rgb``, ``rgb2hsv``, ``rgb2lab`` or ``rgb2ycbcr`` of
    :mod:`skimage.color`. Grayscale, RGB and RGBA images may be mixed in a
    list, with different sizes: the list comes back as a list of images of
    one mode, ready for :class:`Resizer`. A batch stays a batch and
    flattened rows stay flattened rows. ``transform`` works on images of any
    size.

    Parameters
    ----------
    to : {"gray", "rgb", "hsv", "lab", "ycbcr"}, default="gray"
        The colour space of the output: "gray" gives ``(h, w)`` images, the
        others ``(h, w, 3)``.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        a grayscale image of shape ``(1, d)``.

    Attributes
    ----------
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``; not set when fit
        saw a list of images of different shapes.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of different shapes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    convert_color : The function twin.
    skimage.color.rgb2gray, skimage.color.gray2rgb, skimage.color.rgb2hsv,
    skimage.color.rgb2lab, skimage.color.rgb2ycbcr,
    skimage.color.rgba2rgb : The references.

    Notes
    -----
    For each image:

    1. integer and bool images are scaled to ``[0, 1]`` as
       :func:`skimage.util.img_as_float32` (uint8 divided by 255), the
       convention of :mod:`skimage.color`; float images are taken as they
       are, and the output keeps their dtype (float32 for integer input);
    2. ``(h, w)`` and ``(h, w, 1)`` are grayscale, ``(h, w, 3)`` RGB,
       ``(h, w, 4)`` RGBA; other channel counts are an error;
    3. RGBA drops its alpha by compositing over a white background, as
       ``skimage.color.rgba2rgb(image, background=(1, 1, 1))``:
       ``(1 - alpha) + alpha * rgb``, clipped to ``[0, 1]``;
    4. "gray" on grayscale is the identity (after step 1), and "rgb" on RGB;
       grayscale to "rgb", "hsv", "lab" or "ycbcr" goes through
       ``gray2rgb`` (three equal channels) first.

    A batch is converted chunk by chunk, one scikit-image call per chunk;
    the functions of :mod:`skimage.color` work along the last axis, so the
    numbers are those of one call per image.

    Flattened output has ``h * w`` (gray) or ``h * w * 3`` features, named
    ``colorconverter0, colorconverter1, ...`` by
    :meth:`get_feature_names_out` (defined when fit saw one image shape).

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import ColorConverter
    >>> rgb = np.zeros((4, 5, 3), dtype=np.uint8)
    >>> rgb[..., 0] = 255  # red
    >>> gray = np.full((3, 3), 0.5)
    >>> rgba = np.zeros((2, 6, 4))  # fully transparent: white
    >>> out = ColorConverter(to="gray").fit_transform([rgb, gray, rgba])
    >>> [image.shape for image in out]
    [(4, 5), (3, 3), (2, 6)]
    >>> [round(float(image[0, 0]), 4) for image in out]
    [0.2125, 0.5, 1.0]
    >>> ColorConverter(to="hsv").fit_transform(rgb[None])[0, 0, 0]
    array([0., 1., 1.], dtype=float32)
    """

    _any_image_size = True

    _parameter_constraints = {
        "to": [StrOptions(set(TARGETS))],
        "image_shape": [tuple, None],
    }

    def __init__(self, *, to="gray", image_shape=None):
        self.to = to
        self.image_shape = image_shape

    def _check_modes(self, images):
        name = type(self).__name__
        if isinstance(images, list):
            for i, image in enumerate(images):
                _mode(image.shape, name=name, what=f"X[{i}]")
        else:
            _mode(images.shape[1:], name=name)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images; nothing is learned.

        Parameters
        ----------
        X : list of array-like of shape (h, w[, c]), or array-like of shape \
(n, h, w[, c]) or (n, d)
            Training images; a list may mix sizes and colour modes.
        y : None
            Ignored.

        Returns
        -------
        self : ColorConverter
            The fitted step.

        Raises
        ------
        ValueError
            If an image has a channel count other than 1, 3 or 4.
        """
        images, _ = self._check_image_list(X, reset=True, cast=None)
        self._check_modes(images)
        return self

    @property
    def _n_features_out(self):
        return int(np.prod(_output_shape(self.image_shape_, self.to)))

    def get_feature_names_out(self, input_features=None):
        """Names of the output features: ``colorconverter0, colorconverter1, ...``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Only checked against the names seen in fit.

        Returns
        -------
        feature_names_out : ndarray of str
            One name per value of a flattened output image.

        Raises
        ------
        ValueError
            If fit saw images of different shapes: the number of output
            features is then not fixed.
        """
        check_is_fitted(self)
        if self.image_shape_ is None:
            raise ValueError(
                f"{type(self).__name__} was fitted on a list of images of "
                "different shapes, so its output has no fixed number of "
                "features to name. Fit it on images of one shape."
            )
        return super().get_feature_names_out(input_features)

    def transform(self, X):
        """Convert the images.

        Parameters
        ----------
        X : list of array-like of shape (h, w[, c]), or array-like of shape \
(n, h, w[, c]) or (n, d)
            Images of any size; a list may mix sizes and colour modes.

        Returns
        -------
        X_converted : list of ndarray, or ndarray
            A list of ``(h, w)`` or ``(h, w, 3)`` images for a list; a batch
            ``(n, h, w)`` or ``(n, h, w, 3)`` for a batch; flattened rows
            for flattened rows. float32 for integer images.

        Raises
        ------
        ValueError
            If an image has a channel count other than 1, 3 or 4.
        """
        check_is_fitted(self)
        images, layout = self._check_image_list(X, reset=False, cast=None)
        self._check_modes(images)
        if isinstance(images, list):
            out = [_convert_chunk(image[None], to=self.to)[0] for image in images]
            # Never hand back the caller's array (the identity conversions).
            out = [
                image.copy() if np.may_share_memory(image, source) else image
                for image, source in zip(out, images)
            ]
        else:
            out = map_chunks(_convert_chunk, images, to=self.to)
        return layout.restore(out)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def convert_color(images, to="gray", *, image_shape=None):
    """Convert images to one colour space: :class:`ColorConverter` in one call.

    Parameters
    ----------
    images : list of array-like of shape (h, w[, c]), or array-like of shape \
(n, h, w[, c]) or (n, d)
        The images; a list may mix sizes and colour modes.
    to : {"gray", "rgb", "hsv", "lab", "ycbcr"}, default="gray"
        The colour space, as in :class:`ColorConverter`.
    image_shape : tuple of int, default=None
        As in :class:`ColorConverter`.

    Returns
    -------
    converted : list of ndarray, or ndarray
        In the layout of ``images``.

    See Also
    --------
    ColorConverter : The estimator, for pipelines; its Notes give the rules.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import convert_color
    >>> gray = np.array([[[0.0, 0.5]]])  # one image of 1x2 pixels
    >>> convert_color(gray, "rgb")
    array([[[[0. , 0. , 0. ],
             [0.5, 0.5, 0.5]]]])
    """
    return ColorConverter(to=to, image_shape=image_shape).fit_transform(images)
