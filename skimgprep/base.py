"""The mixins for skimgprep's three kinds of estimator.

* :class:`ImageTransformerMixin`: images in, images out, same layout
  (``fit``/``transform``, feature names one to one).
* :class:`FeatureExtractorMixin`: images in, ``(n, n_features)`` out,
  feature names ``<classname>0, <classname>1, ...``.
* :class:`BaseImageSampler`: imbalanced-learn's sampler contract
  (``fit_resample``) on batches of images, for every step that changes the
  number of samples.

All three read ``X`` through :func:`skimgprep._validation.check_images`, which
records ``n_features_in_`` and ``image_shape_`` in fit and checks them after.
"""

from collections import Counter, OrderedDict

import numpy as np
from imblearn.base import BaseSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from imblearn.utils._validation import ArraysTransformer
from sklearn.base import (
    ClassNamePrefixFeaturesOutMixin,
    OneToOneFeatureMixin,
    TransformerMixin,
)
from sklearn.preprocessing import label_binarize
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length, check_is_fitted

from ._compat import _check_feature_names_in, _fit_context
from ._validation import check_image_list, check_images

__all__ = [
    "BaseImageSampler",
    "FeatureExtractorMixin",
    "ImageMixin",
    "ImageTransformerMixin",
]

_FLOATS = ["float64", "float32"]


class ImageMixin:
    """Reading batches of images (DESIGN.md section 1), for every kind.

    A subclass that works on images of any size at transform time sets
    ``_any_image_size = True`` and says so in its docstring.
    """

    _any_image_size = False

    def _check_images(self, X, *, reset, cast="float"):
        return check_images(
            X,
            estimator=self,
            reset=reset,
            image_shape=getattr(self, "image_shape", None),
            cast=cast,
            any_size=self._any_image_size and not reset,
        )

    def _check_image_list(self, X, *, reset, cast="float"):
        """For steps that accept lists of images of different sizes."""
        return check_image_list(X, estimator=self, reset=reset, cast=cast)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


class ImageTransformerMixin(ImageMixin, OneToOneFeatureMixin, TransformerMixin):
    """Mixin for image-to-image steps: the output has the input's layout."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = list(_FLOATS)
        return tags


class FeatureExtractorMixin(ImageMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin):
    """Mixin for steps that turn each image into a feature vector.

    A subclass sets ``_n_features_out`` in fit (a property is fine). A
    subclass whose columns have meanings writes ``_feature_names()``, the
    list of column names (``"lbp_cell0_0_bin3"``, say), which
    :meth:`get_feature_names_out` then returns; without it the names are
    ``<classname>0, <classname>1, ...``.
    """

    def _feature_names(self):
        return None

    def get_feature_names_out(self, input_features=None):
        """The names of the output columns.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Only checked against the input seen in ``fit``; the names do not
            depend on it.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per output column, saying what the column holds.
        """
        check_is_fitted(self)
        names = self._feature_names()
        if names is None:
            return super().get_feature_names_out(input_features)
        _check_feature_names_in(self, input_features, generate_names=False)
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = list(_FLOATS)
        return tags


class BaseImageSampler(ImageMixin, BaseSampler):
    """Base class for samplers on batches of images.

    ``fit_resample`` validates ``X`` and ``y``, records ``sampling_strategy_``
    and calls ``_fit_resample(images, y)`` with a batch ``(n, h, w[, c])``;
    the images it returns go back in the layout ``X`` had (a DataFrame stays
    a DataFrame, a list a list), as in imbalanced-learn.

    A subclass writes ``_fit_resample`` and, when it has no
    ``sampling_strategy`` parameter, ``_make_sampling_strategy``. Samplers that
    remove samples set ``_sample_indices = True`` and a ``sample_indices_``
    attribute; samplers that add samples return the originals first, in
    order.
    """

    _sampling_type = "bypass"
    _sample_indices = False

    def __init__(self):
        pass

    def _make_sampling_strategy(self, y):
        """The fitted ``sampling_strategy_``: by default imbalanced-learn's."""
        if hasattr(self, "sampling_strategy"):
            return check_sampling_strategy(
                self.sampling_strategy, y, self._sampling_type
            )
        return OrderedDict(sorted(Counter(y).items()))

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        images, layout = self._check_images(X, reset=True, cast=None)
        check_consistent_length(images, y)
        return images, y, binarize_y, layout

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the inputs and statistics of the sampler.

        Use ``fit_resample``: ``fit`` only validates.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            The images.
        y : array-like of shape (n,)
            The labels.

        Returns
        -------
        self : object
            The sampler.
        """
        _, y, _, _ = self._check_X_y(X, y)
        self.sampling_strategy_ = self._make_sampling_strategy(y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Resample the images and their labels.

        Parameters
        ----------
        X : array-like of shape (n, h, w[, c]) or (n, d)
            The images; 2D rows are flattened images (``image_shape``).
        y : array-like of shape (n,)
            The labels.

        Returns
        -------
        X_resampled : array-like of shape (n_new, ...)
            The resampled images, in the layout of ``X``.
        y_resampled : array-like of shape (n_new,)
            Their labels.
        """
        check_classification_targets(y)
        arrays_transformer = ArraysTransformer(X, y)
        images, y, binarize_y, layout = self._check_X_y(X, y)
        self.sampling_strategy_ = self._make_sampling_strategy(y)
        images_res, y_res = self._fit_resample(images, y)
        X_res = layout.restore(np.asarray(images_res))
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(y))
        return arrays_transformer.transform(X_res, y_res)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.sampler_tags.sample_indices = self._sample_indices
        return tags
