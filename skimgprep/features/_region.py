"""Shape descriptors of each image's largest object: :class:`RegionFeatureExtractor`.

Per image: the foreground by the image's own threshold and the largest
connected object, both as :class:`skimgprep.ObjectCropper` finds them (one
whole-batch threshold, one :func:`scipy.ndimage.label` call per chunk; see
:mod:`skimgprep.segmentation`), then the properties of that object from
:func:`skimage.measure.regionprops` on its bounding box (every property used
here is computed on the object's bounding box, so the values are those of
``regionprops`` on the full label image), and the number of contours of the
image at the threshold level from :func:`skimage.measure.find_contours`.
``regionprops`` and ``find_contours`` run image by image, in chunks, with
``n_jobs``.
"""

from numbers import Integral

import numpy as np
from skimage.measure import find_contours, regionprops
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .._compat import Interval, _fit_context
from .._parallel import map_by_shape
from .._validation import float_dtype, float_dtype_of
from ..base import FeatureExtractorMixin
from ..segmentation import (
    _THRESHOLD_CONSTRAINTS,
    _check_block_size,
    _foreground,
    _largest_objects,
    _read_any_size,
    _threshold_params,
)

__all__ = ["RegionFeatureExtractor", "region_features"]

#: The scalar properties of :class:`skimage.measure.regionprops` on offer.
_SCALAR_PROPERTIES = (
    "area",
    "area_bbox",
    "area_convex",
    "area_filled",
    "axis_major_length",
    "axis_minor_length",
    "eccentricity",
    "equivalent_diameter_area",
    "euler_number",
    "extent",
    "orientation",
    "perimeter",
    "perimeter_crofton",
    "solidity",
)

#: Every property name: the scalar ones, the 7 Hu moments, the contour count.
PROPERTIES = _SCALAR_PROPERTIES + ("moments_hu", "n_contours")

_DEFAULT_PROPERTIES = (
    "area",
    "perimeter",
    "eccentricity",
    "solidity",
    "extent",
    "orientation",
    "moments_hu",
    "n_contours",
)


def _feature_names(properties):
    names = []
    for name in properties:
        if name == "moments_hu":
            names.extend(f"hu_moment_{i}" for i in range(7))
        else:
            names.append(name)
    return names


def _n_contours(gray, threshold):
    """``len(find_contours(gray, threshold))``; 0 for images under 2x2 pixels.

    A per-pixel threshold (``threshold_local``) counts the contours of
    ``gray - threshold`` at level 0.
    """
    if gray.shape[0] < 2 or gray.shape[1] < 2:
        return 0
    if np.ndim(threshold) == 0:
        return len(find_contours(gray, float(threshold)))
    return len(find_contours(gray - threshold, 0.0))


def _region_chunk(images, *, properties, connectivity, **params):
    """Features of a chunk, ``(m, n_features + 1)`` float64; the last column flags empty images."""
    mask, gray, thresholds = _foreground(images, **params)
    objects, boxes, empty = _largest_objects(mask, connectivity)
    n_features = len(_feature_names(properties))
    out = np.zeros((len(images), n_features + 1), dtype=np.float64)
    out[:, -1] = empty
    for i in np.flatnonzero(~empty):
        r0, c0, r1, c1 = boxes[i]
        region = regionprops(objects[i, r0:r1, c0:c1].astype(np.uint8))[0]
        column = 0
        for name in properties:
            if name == "moments_hu":
                out[i, column : column + 7] = region.moments_hu
                column += 7
            elif name == "n_contours":
                out[i, column] = _n_contours(gray[i], thresholds[i])
                column += 1
            else:
                out[i, column] = getattr(region, name)
                column += 1
    return out


def _empty_chunk(images, *, connectivity, **params):
    mask, _, _ = _foreground(images, **params)
    return _largest_objects(mask, connectivity)[2]


class RegionFeatureExtractor(FeatureExtractorMixin, BaseEstimator):
    """Shape descriptors of each image's largest object.

    Per image: the foreground by its own threshold (as
    :class:`~skimgprep.ThresholdMasker`), the largest connected object (as
    :class:`~skimgprep.ObjectCropper`: :func:`skimage.measure.label` with
    ``connectivity``, the largest area, the first in raster order among
    equals), and one row of its properties from
    :func:`skimage.measure.regionprops`, plus the number of contours of the
    image at the threshold level (:func:`skimage.measure.find_contours`).

    Parameters
    ----------
    properties : tuple of str, default=("area", "perimeter", "eccentricity", \
"solidity", "extent", "orientation", "moments_hu", "n_contours")
        The features, in this order. Any of the ``regionprops`` properties
        "area", "area_bbox", "area_convex", "area_filled",
        "axis_major_length", "axis_minor_length", "eccentricity",
        "equivalent_diameter_area", "euler_number", "extent", "orientation",
        "perimeter", "perimeter_crofton", "solidity"; "moments_hu" (its 7
        Hu moments, 7 columns ``hu_moment_0`` ... ``hu_moment_6``); and
        "n_contours": ``len(find_contours(gray, threshold))``, the iso-lines
        of the whole image at its threshold (for ``method="local"``, of
        ``gray - threshold`` at 0; 0 for images under 2x2 pixels).
    method : {"otsu", "li", "yen", "mean", "triangle", "local"}, default="otsu"
        The threshold, as in :class:`~skimgprep.ThresholdMasker`.
    invert : bool, default=False
        Objects are the pixels at or below the threshold (dark objects).
    connectivity : {1, 2}, default=2
        Pixels of one object touch by an edge (1) or by an edge or a corner
        (2), as in :func:`skimage.measure.label`.
    nbins : int, default=256
        Histogram bins of "otsu", "yen", "triangle" for float images.
    block_size : int, default=35
        Odd neighbourhood size of "local".
    offset : float, default=0.0
        Subtracted from the local weighted mean by "local".
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    batch_size : int, default=None
        Images per chunk; None chooses about 32 MiB of input per chunk. The
        features do not depend on it.
    n_jobs : int, default=None
        Chunks computed in parallel by joblib. The features do not depend on
        it.

    Attributes
    ----------
    n_empty_ : int
        Training images without any object; their features are all 0.
    n_features_in_ : int
        Pixel values per image seen in fit, when all had one size.
    image_shape_ : tuple of int or None
        The image shape seen in fit; None for a list of images of several
        sizes.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    region_features : The function twin.
    skimage.measure.regionprops : The reference, one image at a time.
    skimgprep.ObjectCropper : Crops the same largest object.

    Notes
    -----
    An image without foreground gets a row of zeros (including
    ``n_contours``); ``n_empty_`` counts those of the training set. The
    input may be a list of images of different sizes, and transform takes
    images of any size. Colour images are thresholded on
    :func:`skimage.color.rgb2gray`. The features are computed in float64 and
    returned in the input's float dtype (float32 for integer images).

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import RegionFeatureExtractor
    >>> X = np.zeros((1, 10, 10))
    >>> X[0, 2:6, 1:9] = 1.0                     # a 4x8 rectangle
    >>> extractor = RegionFeatureExtractor(
    ...     properties=("area", "extent", "solidity", "n_contours")).fit(X)
    >>> extractor.transform(X)
    array([[32.,  1.,  1.,  1.]])
    >>> extractor.get_feature_names_out()
    array(['area', 'extent', 'solidity', 'n_contours'], dtype=object)
    """

    _any_image_size = True

    _parameter_constraints = {
        **_THRESHOLD_CONSTRAINTS,
        "properties": [tuple, list],
        "connectivity": [Interval(Integral, 1, 2, closed="both")],
    }

    def __init__(
        self,
        *,
        properties=_DEFAULT_PROPERTIES,
        method="otsu",
        invert=False,
        connectivity=2,
        nbins=256,
        block_size=35,
        offset=0.0,
        image_shape=None,
        batch_size=None,
        n_jobs=None,
    ):
        self.properties = properties
        self.method = method
        self.invert = invert
        self.connectivity = connectivity
        self.nbins = nbins
        self.block_size = block_size
        self.offset = offset
        self.image_shape = image_shape
        self.batch_size = batch_size
        self.n_jobs = n_jobs

    def _check_properties(self):
        properties = tuple(self.properties)
        unknown = [p for p in properties if p not in PROPERTIES]
        if not properties or unknown:
            raise ValueError(
                "properties must be a non-empty tuple of names among "
                f"{', '.join(PROPERTIES)}; got {self.properties!r}"
                + (f" (unknown: {', '.join(map(repr, unknown))})." if unknown else ".")
            )
        if len(set(properties)) != len(properties):
            raise ValueError(
                f"properties must not repeat a name; got {self.properties!r}."
            )
        _check_block_size(self)
        return properties

    def _params(self):
        return dict(
            connectivity=int(self.connectivity),
            invert=bool(self.invert),
            **_threshold_params(self),
        )

    def _features(self, images, properties):
        rows = map_by_shape(
            _region_chunk,
            images,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
            properties=properties,
            **self._params(),
        )
        if isinstance(images, np.ndarray):
            dtype = float_dtype(images.dtype)
        else:
            dtype = float_dtype_of(images)
        return rows[:, :-1].astype(dtype), int(rows[:, -1].sum())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the images and count those without an object.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Training images; a list may hold images of different sizes.
        y : None
            Ignored.

        Returns
        -------
        self : RegionFeatureExtractor
            The fitted extractor, with ``n_empty_``.

        Raises
        ------
        ValueError
            For unknown or repeated ``properties``, or an even ``block_size``
            with ``method="local"``.
        """
        self._check_properties()
        images, _ = _read_any_size(self, X, reset=True)
        empty = map_by_shape(
            _empty_chunk, images, n_jobs=self.n_jobs, batch_size=self.batch_size,
            **self._params(),
        )
        self.n_empty_ = int(empty.sum())
        return self

    @_fit_context(prefer_skip_nested_validation=True)
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
        properties = self._check_properties()
        images, _ = _read_any_size(self, X, reset=True)
        features, self.n_empty_ = self._features(images, properties)
        return features

    def transform(self, X):
        """Compute the shape descriptors of every image's largest object.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
            Images of any size.

        Returns
        -------
        X_features : ndarray of shape (n, n_features)
            One row per image, the columns named by
            :meth:`get_feature_names_out`; zeros for an image without
            object. In the input's float dtype (float32 for integer images).
        """
        check_is_fitted(self)
        properties = self._check_properties()
        images, _ = _read_any_size(self, X, reset=False)
        return self._features(images, properties)[0]

    def _feature_names(self):
        # The property names, Hu moments numbered: ["area", ...,
        # "hu_moment_0", ..., "hu_moment_6", "n_contours"].
        return _feature_names(self._check_properties())

    @property
    def _n_features_out(self):
        return len(_feature_names(self.properties))


def region_features(
    images,
    *,
    properties=_DEFAULT_PROPERTIES,
    method="otsu",
    invert=False,
    connectivity=2,
    nbins=256,
    block_size=35,
    offset=0.0,
    image_shape=None,
    batch_size=None,
    n_jobs=None,
):
    """Shape descriptors of each largest object: :class:`RegionFeatureExtractor` in one call.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        The images; a list may hold images of different sizes.
    properties, method, invert, connectivity, nbins, block_size, offset
        As in :class:`RegionFeatureExtractor`.
    image_shape, batch_size, n_jobs
        As in :class:`RegionFeatureExtractor`.

    Returns
    -------
    features : ndarray of shape (n, n_features)
        One row per image (zeros for an image without object).

    Raises
    ------
    ValueError
        As :meth:`RegionFeatureExtractor.fit`.

    See Also
    --------
    RegionFeatureExtractor : The estimator, for pipelines.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import region_features
    >>> images = [np.zeros((5, 5)), np.zeros((4, 7))]
    >>> images[0][1:4, 1:4] = 1.0          # a 3x3 square
    >>> images[1][1:3, 1:6] = 1.0          # a 2x5 bar
    >>> region_features(images, properties=("area", "eccentricity"))
    array([[ 9.        ,  0.        ],
           [10.        ,  0.93541435]])
    """
    return RegionFeatureExtractor(
        properties=properties,
        method=method,
        invert=invert,
        connectivity=connectivity,
        nbins=nbins,
        block_size=block_size,
        offset=offset,
        image_shape=image_shape,
        batch_size=batch_size,
        n_jobs=n_jobs,
    ).fit_transform(images)
