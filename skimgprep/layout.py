"""From a batch of images to a feature matrix: :class:`Flattener`."""

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._compat import _fit_context
from ._validation import check_images
from .base import ImageTransformerMixin

__all__ = ["Flattener", "flatten_images"]


class Flattener(ImageTransformerMixin, BaseEstimator):
    """Flatten a batch of images to ``(n, h * w * c)``.

    Put it between an image step and a classifier. Values and dtype are
    unchanged (the one step that keeps integer and bool dtypes as they are:
    it computes nothing); 2D input passes through as it is.

    Parameters
    ----------
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input, which
        :meth:`inverse_transform` then gives back as images.

    Attributes
    ----------
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    flatten_images : The function twin.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Flattener
    >>> X = np.arange(8).reshape(2, 2, 2)
    >>> Flattener().fit_transform(X)
    array([[0, 1, 2, 3],
           [4, 5, 6, 7]])
    """

    _parameter_constraints = {"image_shape": [tuple, None]}

    def __init__(self, *, image_shape=None):
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the image shape.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images.
        y : None
            Ignored.

        Returns
        -------
        self : Flattener
            The fitted step.
        """
        self._check_images(X, reset=True, cast=None)
        return self

    def transform(self, X):
        """Flatten the images.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_flat : ndarray of shape (n, h * w * c)
            One row per image (a view of X where possible).
        """
        check_is_fitted(self)
        images, _ = self._check_images(X, reset=False, cast=None)
        return images.reshape(images.shape[0], -1)

    def inverse_transform(self, X):
        """Turn rows back into images of the fitted shape.

        Parameters
        ----------
        X : array-like of shape (n, h * w * c)
            Flattened images.

        Returns
        -------
        images : ndarray of shape (n, h, w[, c])
            The images.
        """
        check_is_fitted(self)
        rows, _ = check_images(X, cast=None)
        rows = rows.reshape(rows.shape[0], -1)
        if rows.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {rows.shape[1]} features, but Flattener is expecting "
                f"{self.n_features_in_} features as input."
            )
        return rows.reshape((rows.shape[0],) + tuple(self.image_shape_))


def flatten_images(images):
    """Flatten a batch ``(n, h, w[, c])`` to ``(n, h * w * c)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import flatten_images
    >>> flatten_images(np.zeros((5, 8, 8, 3))).shape
    (5, 192)
    """
    return Flattener().fit_transform(images)
