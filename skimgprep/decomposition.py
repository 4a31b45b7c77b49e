"""Dimensionality reduction of image batches: :class:`PCAReducer`.

Principal component analysis of the flattened images (eigenimages, the
"eigenfaces" of face recognition), by :class:`sklearn.decomposition.PCA` on
``X.reshape(n, -1)``: the numbers are scikit-learn's, and the step adds the
image conventions (batches or flattened rows in, components and mean back as
images, reconstructions in the layout the step was fitted on).
"""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA
from sklearn.utils.validation import check_is_fitted

from ._compat import _fit_context, check_array
from .base import FeatureExtractorMixin

__all__ = ["PCAReducer"]

_PCA_PARAMS = ("n_components", "whiten", "svd_solver", "random_state")


class PCAReducer(FeatureExtractorMixin, BaseEstimator):
    """Principal component analysis of images: eigenimages as features.

    Each image is flattened to ``h * w * c`` values and projected on the
    leading principal components of the training images, exactly as
    :class:`sklearn.decomposition.PCA` on ``X.reshape(n, -1)`` with the same
    parameters (the fitted PCA is kept in ``pca_``). The components and the
    mean come back as images (``components_images_``, ``mean_image_``), and
    :meth:`inverse_transform` turns features back into images of the fitted
    shape.

    Parameters
    ----------
    n_components : int, float, "mle" or None, default=None
        Number of components to keep, as in
        :class:`sklearn.decomposition.PCA`: an int, a fraction of the
        variance to explain in ``(0, 1)``, "mle", or None for
        ``min(n_images, h * w * c)``.
    whiten : bool, default=False
        Scale the projections to unit variance.
    svd_solver : {"auto", "full", "covariance_eigh", "arpack", "randomized"}, \
            default="auto"
        The solver, as in :class:`sklearn.decomposition.PCA`.
    random_state : int, RandomState instance or None, default=None
        Seed of the "arpack" and "randomized" solvers (passed to
        :class:`~sklearn.decomposition.PCA` as given).
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.

    Attributes
    ----------
    pca_ : sklearn.decomposition.PCA
        The fitted PCA, on the training images flattened to rows.
    components_ : ndarray of shape (n_components, h * w * c)
        The principal axes, as rows.
    explained_variance_ : ndarray of shape (n_components,)
        Variance explained by each component.
    explained_variance_ratio_ : ndarray of shape (n_components,)
        Fraction of the total variance explained by each component.
    singular_values_ : ndarray of shape (n_components,)
        The singular values of the centred training matrix.
    mean_ : ndarray of shape (h * w * c,)
        The mean training image, flattened.
    n_components_ : int
        The number of components kept.
    noise_variance_ : float
        The estimated noise variance (probabilistic PCA model).
    components_images_ : ndarray of shape (n_components, h, w[, c])
        The components as images (the eigenimages).
    mean_image_ : ndarray of shape (h, w[, c])
        The mean training image.
    n_features_in_ : int
        Pixel values per image seen in fit, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    sklearn.decomposition.PCA : The estimator this step wraps.

    Notes
    -----
    The features are computed in the images' float dtype: float32 and float64
    are kept, integer images are computed in float32. Transform needs images
    of the shape seen in fit.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skimgprep import PCAReducer
    >>> images = load_digits().images  # (1797, 8, 8)
    >>> reducer = PCAReducer(n_components=10).fit(images)
    >>> reducer.transform(images).shape
    (1797, 10)
    >>> reducer.components_images_.shape
    (10, 8, 8)
    >>> reducer.inverse_transform(reducer.transform(images)).shape
    (1797, 8, 8)
    """

    _parameter_constraints = {
        **{name: PCA._parameter_constraints[name] for name in _PCA_PARAMS},
        "image_shape": [tuple, None],
    }

    def __init__(
        self,
        *,
        n_components=None,
        whiten=False,
        svd_solver="auto",
        random_state=None,
        image_shape=None,
    ):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.random_state = random_state
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the principal components of the training images.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        self : PCAReducer
            The fitted reducer.
        """
        self._fit(X)
        return self

    def _fit(self, X):
        images, layout = self._check_images(X, reset=True)
        rows = images.reshape(images.shape[0], -1)
        # PCA(copy=True) never writes into rows, which may be a view of X.
        pca = PCA(**{name: getattr(self, name) for name in _PCA_PARAMS})
        features = pca.fit_transform(rows)
        # Some solvers leave components_ a strided view of a larger matrix;
        # pickling makes it contiguous, which changes BLAS's summation order
        # and so the last bits of transform. Contiguous from the start, a
        # pickled reducer gives bit-identical features.
        for name, value in vars(pca).items():
            if isinstance(value, np.ndarray) and not (
                value.flags.c_contiguous or value.flags.f_contiguous
            ):
                setattr(pca, name, np.ascontiguousarray(value))
        self.pca_ = pca
        self.components_ = pca.components_
        self.explained_variance_ = pca.explained_variance_
        self.explained_variance_ratio_ = pca.explained_variance_ratio_
        self.singular_values_ = pca.singular_values_
        self.mean_ = pca.mean_
        self.n_components_ = pca.n_components_
        self.noise_variance_ = pca.noise_variance_
        self._flat_fit = layout.flat
        return features

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit the components and return the features of the training images.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Training images.
        y : None
            Ignored.

        Returns
        -------
        X_new : ndarray of shape (n, n_components)
            The projections, as :meth:`sklearn.decomposition.PCA.fit_transform`.
        """
        return self._fit(X)

    def transform(self, X):
        """Project the images on the principal components.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            Images of the shape seen in fit.

        Returns
        -------
        X_new : ndarray of shape (n, n_components)
            The projections, float32 or float64.

        Raises
        ------
        ValueError
            If the images have another shape than in fit.
        """
        check_is_fitted(self)
        images, _ = self._check_images(X, reset=False)
        return self.pca_.transform(images.reshape(images.shape[0], -1))

    def inverse_transform(self, X):
        """Turn projections back into images.

        Parameters
        ----------
        X : array-like of shape (n, n_components)
            Projections, as :meth:`transform` returns.

        Returns
        -------
        images : ndarray of shape (n, h, w[, c]) or (n, h * w * c)
            The reconstructed images, in the layout the reducer was fitted
            on: a batch if fitted on a batch, rows if fitted on rows. With
            all components kept they equal the original images up to
            rounding.

        Raises
        ------
        ValueError
            If ``X`` is not 2D with ``n_components_`` columns.
        """
        check_is_fitted(self)
        X = check_array(X, dtype=[np.float64, np.float32], input_name="X")
        if X.shape[1] != self.n_components_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} has "
                f"{self.n_components_} components: inverse_transform expects "
                f"projections of shape (n, {self.n_components_}), got {X.shape}."
            )
        rows = self.pca_.inverse_transform(X)
        if self._flat_fit:
            return rows
        return rows.reshape((rows.shape[0],) + tuple(self.image_shape_))

    @property
    def components_images_(self):
        """The components as images, shape ``(n_components_, h, w[, c])``."""
        check_is_fitted(self)
        return self.components_.reshape(
            (self.components_.shape[0],) + tuple(self.image_shape_)
        )

    @property
    def mean_image_(self):
        """The mean training image, shape ``(h, w[, c])``."""
        check_is_fitted(self)
        return self.mean_.reshape(tuple(self.image_shape_))

    @property
    def _n_features_out(self):
        """Number of features out, for ``get_feature_names_out``."""
        return self.components_.shape[0]
