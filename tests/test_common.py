"""scikit-learn's common checks on every public estimator, and
imbalanced-learn's on every sampler.

Two tables, in the shape of imbalanced-learn's instance generator:
``CHECK_PARAMS`` gives small, fast constructor arguments per estimator;
``EXPECTED_FAILED_CHECKS`` names a check that truly cannot apply, with a
one-line reason. No tag turns a check off.
"""

import inspect

import pytest
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from imblearn.utils.estimator_checks import (
    _get_check_estimator_ids,
    estimator_checks_generator,
)
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

import skimgprep

#: Small, fast arguments for the checks. The checks feed 2D arrays, which
#: with ``image_shape=None`` are batches of images one pixel tall.
CHECK_PARAMS = {
    "PixelScaler": [
        {},
        {"method": "standard", "scope": "pixel"},
        {"method": "range", "clip": True},
        {"method": "minmax", "scope": "image"},
    ],
    "Flattener": [{}],
    "ContrastEnhancer": [
        {},
        {"method": "clahe"},
        {"method": "clahe", "kernel_size": 2, "clip_limit": 0.5, "nbins": 16},
        {"method": "gamma", "gamma": 0.5},
        {"method": "log", "inv": True},
        {"method": "sigmoid"},
        {"method": "rescale"},
        {"method": "brightness"},
    ],
    "Denoiser": [
        {},
        {"method": "median"},
        {"method": "bilateral"},
        {"method": "nl_means"},
        {"method": "tv"},
        {"method": "wavelet"},
    ],
    "Augmenter": [{"random_state": 0}],
    "HOGExtractor": [
        {"pixels_per_cell": (1, 1), "cells_per_block": (1, 1)},
    ],
    "PCAReducer": [{"n_components": 1, "random_state": 0}],
    "OutlierFilter": [{"n_estimators": 5, "random_state": 0}],
    "QualityFilter": [
        {},
        {"blur_threshold": "quantile", "std_threshold": "quantile", "duplicate_distance": None},
        {"low_contrast_fraction": None, "duplicate_distance": 3, "batch_size": 7},
    ],
    "SMOTEBalancer": [{"k_neighbors": 3, "random_state": 0}],
    "ImageResampler": [
        {"sampler": SMOTE(k_neighbors=3, random_state=0)},
        {"sampler": RandomUnderSampler(random_state=0)},
        {"sampler": RandomOverSampler(random_state=0)},
        {"sampler": TomekLinks()},
    ],
    "AugmentingOverSampler": [{"random_state": 0}],
    "ThresholdMasker": [
        {},
        {"method": "li", "output": "mask", "invert": True},
        {"method": "yen"},
        {"method": "mean", "output": "mask"},
        {"method": "triangle"},
        {"method": "local", "block_size": 3, "offset": 0.1},
    ],
    "ObjectCropper": [
        {"output_shape": (2, 3)},
        {"output_shape": (1, 2), "method": "local", "block_size": 3, "connectivity": 1},
    ],
    "RegionFeatureExtractor": [
        {},
        {"method": "li", "invert": True, "properties": ("area", "area_convex", "euler_number")},
    ],
    "LBPExtractor": [
        {},
        {"n_points": 4, "radius": 1.5, "method": "nri_uniform", "grid": (1, 2)},
        {"n_points": 4, "method": "ror"},
        {"n_points": 3, "radius": 2, "method": "default", "batch_size": 2},
    ],
    "ColorHistogramExtractor": [{}, {"bins": 4, "color_space": "lab"}],
    "GLCMExtractor": [
        {},
        {
            "distances": (1, 2),
            "angles": (0.0, 3.14159),
            "properties": ("mean", "variance", "std", "entropy", "correlation"),
            "levels": 8,
            "symmetric": False,
        },
    ],
    "GaborExtractor": [
        {},
        {"frequencies": (0.3,), "n_orientations": 2, "bandwidth": 2.0, "mode": "wrap"},
    ],
    "BoVWExtractor": [
        {
            "descriptor": "patch",
            "n_words": 2,
            "descriptor_params": {"patch_size": (1, 2), "step": 1},
            "random_state": 0,
        },
        {
            "descriptor": "patch",
            "n_words": 3,
            "descriptor_params": {"patch_size": (1, 2), "step": 2, "normalize": False},
            "max_descriptors": 20,
            "random_state": 0,
        },
    ],
    "Resizer": [
        {"output_shape": (2, 3)},
        {"output_shape": (3, 2), "mode": "pad", "cval": -1.0},
        {"output_shape": (2, 2), "mode": "crop", "anti_aliasing": False},
    ],
    "Deskewer": [{}, {"center": False}],
    "ColorConverter": [
        {},
        {"to": "rgb"},
        {"to": "hsv"},
        {"to": "lab"},
        {"to": "ycbcr"},
    ],
    "ImageReader": [
        {},
        {"output_shape": (2, 3)},
        {"color": "rgb"},
        {"color": "gray", "output_shape": (1, 2)},
    ],
    "HistogramMatcher": [
        {},
        {"reference": [[0.0, 1.0, 2.0], [4.0, 7.0, 11.0]], "batch_size": 3},
    ],
    "ColorTransfer": [{}, {"reference": [[2.0, 4.0, 9.0]], "batch_size": 3}],
    # reference=None only: a target must have the columns of X, which vary
    # from check to check (tests/test_domain.py covers the alignment).
    "CORALAligner": [{}, {"regularization": 0.5}],
}

#: Checks that cannot apply, each with a one-line reason.
EXPECTED_FAILED_CHECKS = {
    "Augmenter": {
        "check_samplers_one_label": (
            "Augmenter adds copies of every image whatever the labels; one "
            "class is valid input, not an error."
        ),
    },
    "QualityFilter": {
        "check_samplers_one_label": (
            "Bad images are removed whatever the labels; one class is valid "
            "input, not an error."
        ),
    },
    "OutlierFilter": {
        "check_samplers_one_label": (
            "Outliers are removed whatever the labels; with per_class=False "
            "one class is valid input, not an error."
        ),
    },
    "CORALAligner": {
        "check_samplers_one_label": (
            "CORAL aligns the features whatever the labels (it never uses y); "
            "one class is valid input, not an error."
        ),
    },
}


def public_estimators():
    """The public estimator classes, from ``skimgprep.__all__``."""
    return sorted(
        (
            getattr(skimgprep, name)
            for name in skimgprep.__all__
            if inspect.isclass(getattr(skimgprep, name))
            and issubclass(getattr(skimgprep, name), BaseEstimator)
        ),
        key=lambda cls: cls.__name__,
    )


def _instances(samplers_only=False):
    for cls in public_estimators():
        if samplers_only and not hasattr(cls, "fit_resample"):
            continue
        for params in CHECK_PARAMS.get(cls.__name__, [{}]):
            yield cls(**params)


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


def test_every_public_estimator_has_check_params():
    names = {cls.__name__ for cls in public_estimators()}
    assert names <= set(CHECK_PARAMS), names - set(CHECK_PARAMS)


@parametrize_with_checks(
    list(_instances()), expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def _imblearn_checks():
    # imbalanced-learn's parametrize_with_checks, with the cases in a list.
    return [
        case
        for estimator in _instances(samplers_only=True)
        for case in estimator_checks_generator(
            estimator,
            expected_failed_checks=_expected_failed_checks(estimator),
            mark="xfail",
        )
    ]


@pytest.mark.parametrize("estimator, check", _imblearn_checks(), ids=_get_check_estimator_ids)
def test_imblearn_compatible_sampler(estimator, check):
    check(estimator)
