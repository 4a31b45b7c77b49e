"""The private scikit-learn helpers skimgprep relies on, imported in one place.

They come through ``sklearn-compat`` (as imbalanced-learn does), which keeps
them stable across scikit-learn releases; the constraint classes, which
sklearn-compat does not re-export, come straight from scikit-learn.
"""

from sklearn_compat.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in
from sklearn_compat.utils._param_validation import validate_params
from sklearn_compat.utils.validation import (
    _check_feature_names,
    check_array,
    validate_data,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_check_feature_names",
    "_check_feature_names_in",
    "_fit_context",
    "check_array",
    "validate_data",
    "validate_params",
]
