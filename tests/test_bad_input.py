"""The bad-input matrix: every public estimator against every kind of bad input.

Each case gives either a correct result or a ValueError/TypeError whose
message says what was expected and what came; no other exception type
escapes, and the caller's arrays are never modified (hashed before and
after). ``MATRIX_PARAMS`` gives each estimator arguments that suit the
matrix's 16x16 images.
"""

import hashlib
import inspect
import warnings
from math import pi

import numpy as np
import pytest
from imblearn.under_sampling import RandomUnderSampler
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

import skimgprep

#: Arguments that suit 16x16 images, per estimator (others: defaults).
MATRIX_PARAMS = {
    "Augmenter": {"random_state": 0},
    "AugmentingOverSampler": {"random_state": 0},
    "BoVWExtractor": {"descriptor": "patch", "n_words": 4, "random_state": 0},
    "GLCMExtractor": {"levels": 8, "angles": (0, pi / 2)},
    "GaborExtractor": {"frequencies": (0.25,), "n_orientations": 2},
    "HOGExtractor": {"pixels_per_cell": (4, 4), "cells_per_block": (2, 2)},
    "ImageResampler": {"sampler": RandomUnderSampler(random_state=0)},
    "LBPExtractor": {"grid": (2, 2)},
    "ObjectCropper": {"output_shape": (8, 8)},
    "OutlierFilter": {"n_estimators": 10, "random_state": 0},
    "PCAReducer": {"n_components": 2, "random_state": 0},
    "Resizer": {"output_shape": (8, 8)},
    "SMOTEBalancer": {"k_neighbors": 2, "random_state": 0},
}

#: Samplers that need two classes or more.
NEEDS_TWO_CLASSES = {"SMOTEBalancer", "ImageResampler", "AugmentingOverSampler"}

#: Messages must say what was expected or what came: one of these words.
_SAYS = (
    r"expect|got|must|need|should|cannot|can't|only|contain|shape|dtype|"
    r"features|sample|class|label|infinity|NaN|finite|invalid|not |unknown|"
    r"parameter|support|fitted|minimum|least|larger|smaller|range|complex|string"
)


def public_estimators():
    return sorted(
        (
            getattr(skimgprep, name)
            for name in skimgprep.__all__
            if inspect.isclass(getattr(skimgprep, name))
            and issubclass(getattr(skimgprep, name), BaseEstimator)
        ),
        key=lambda cls: cls.__name__,
    )


ESTIMATORS = public_estimators()


def make(cls):
    return cls(**MATRIX_PARAMS.get(cls.__name__, {}))


def is_sampler(est):
    return hasattr(est, "fit_resample")


def _images(n=12, shape=(16, 16), seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.random((n,) + shape)
    # Some structure, so that thresholds, keypoints and textures exist.
    X[:, 4:12, 4:12, ...] += 0.5
    return (X / X.max()).astype(dtype)


Y = np.array([0, 1] * 6)


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        if isinstance(a, list):
            for x in a:
                h.update(digest(x).encode())
            continue
        a = np.asarray(a)
        h.update(str((a.shape, a.dtype.str, a.strides)).encode())
        if a.dtype != object:
            h.update(np.ascontiguousarray(a).tobytes())
        else:
            h.update(repr(a.tolist()).encode())
    return h.hexdigest()


def run(est, X_fit, X_apply=None, y=Y):
    """Fit (or fit_resample) on X_fit, then transform X_apply if given."""
    if is_sampler(est):
        return est.fit_resample(X_fit, y)
    est.fit(X_fit, y)
    return est.transform(X_fit if X_apply is None else X_apply)


def expect_error_or_result(est, call, *, check_result=None):
    """Run ``call``; a ValueError/TypeError must explain itself, any other
    exception fails; a result goes to ``check_result``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = call()
    except (ValueError, TypeError) as exc:
        message = str(exc)
        assert len(message) >= 20, f"{type(est).__name__}: terse message {message!r}"
        import re

        assert re.search(_SAYS, message, re.IGNORECASE), message
        return exc
    if check_result is not None:
        check_result(result)
    return result


def expect_error(est, call, match=None):
    out = expect_error_or_result(est, call)
    assert isinstance(out, Exception), (
        f"{type(est).__name__} returned a result where an error was expected"
    )
    if match is not None:
        import re

        assert re.search(match, str(out), re.IGNORECASE), str(out)
    return out


def output_arrays(result):
    if isinstance(result, tuple):
        result = result[0]
    if isinstance(result, list):
        return [np.asarray(r) for r in result]
    return [np.asarray(result)]


def finite_result(result):
    for arr in output_arrays(result):
        if arr.dtype.kind in "fc":
            assert np.isfinite(arr).all(), "non-finite output from finite input"


# --- cases ----------------------------------------------------------------------


def case_nan_fit(cls):
    X = _images()
    X[3, 5, 5] = np.nan
    return X, None, "error", r"NaN|finite"


def case_inf_fit(cls):
    X = _images()
    X[2, 0, 0] = np.inf
    return X, None, "error", r"infinity|finite"


def case_nan_transform(cls):
    X = _images()
    Xt = X.copy()
    Xt[0, 1, 1] = np.nan
    return X, Xt, "error-transform", r"NaN|finite"


def case_empty_batch(cls):
    return np.empty((0, 16, 16)), None, "error", r"0 sample|empty|at least|minimum"


def case_zero_size_images(cls):
    return np.empty((12, 0, 16)), None, "error", r"pixel|shape|0"


def case_one_pixel_images(cls):
    return _images(shape=(1, 1)), None, "either", None


def case_rank_1(cls):
    return np.arange(16.0), None, "error", r"1D|rank|dim|shape|array"


def case_rank_5(cls):
    return np.zeros((2, 3, 4, 5, 6)), None, "error", r"5D|rank|dim|shape"


def case_channels_unlike_fit(cls):
    X = _images(shape=(16, 16, 3))
    return X, X[..., :2].copy(), "error-transform", r"channel|shape|features"


def case_gray_after_colour(cls):
    X = _images(shape=(16, 16, 3))
    return X, X[..., 0].copy(), "error-transform", r"channel|shape|features"


def case_shape_unlike_fit(cls):
    return _images(), _images(shape=(12, 12), seed=1), "either-transform", r"shape|features"


def case_object_numbers(cls):
    return _images().astype(object), None, "either", None


def case_object_junk(cls):
    X = np.empty((12, 16, 16), dtype=object)
    X[...] = "x"
    return X, None, "error", r"dtype|string|convert|numeric|float|path"


def case_strings(cls):
    return _images().astype(str), None, "error", r"dtype|string|convert|numeric|float|path|file"


def case_complex(cls):
    return _images().astype(complex), None, "error", r"complex"


def case_bool(cls):
    return _images() > 0.5, None, "either", None


def case_huge_values(cls):
    return _images() * 1e300, None, "either", r"value|range|large"


def case_huge_float32(cls):
    return (_images() * 1e37).astype(np.float32), None, "either", r"value|range|large"


def case_mixed_shape_list(cls):
    return [_images(1)[0], _images(1, shape=(12, 12))[0]] * 6, None, "either", r"shape|size"


CASES = [
    case_nan_fit,
    case_inf_fit,
    case_nan_transform,
    case_empty_batch,
    case_zero_size_images,
    case_one_pixel_images,
    case_rank_1,
    case_rank_5,
    case_channels_unlike_fit,
    case_gray_after_colour,
    case_shape_unlike_fit,
    case_object_numbers,
    case_object_junk,
    case_strings,
    case_complex,
    case_bool,
    case_huge_values,
    case_huge_float32,
    case_mixed_shape_list,
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__[5:])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_bad_input(cls, case):
    est = make(cls)
    X_fit, X_apply, kind, match = case(cls)
    if kind.endswith("-transform") and is_sampler(est):
        # Samplers have no transform: the bad batch goes to fit_resample.
        X_fit, X_apply, kind = X_apply, None, "either"
    inputs = [a for a in (X_fit, X_apply) if a is not None]
    before = digest(*inputs)
    if kind.endswith("-transform"):
        kind = kind.split("-")[0]
        # Fitting on good data must work; the bad batch comes at transform.
        run(est, X_fit)
        call = lambda: est.transform(X_apply)  # noqa: E731
    else:
        call = lambda: run(est, X_fit)  # noqa: E731
    if kind == "error":
        expect_error(est, call, match)
    else:
        expect_error_or_result(est, call, check_result=finite_result)
    assert digest(*inputs) == before, "the caller's input was modified"


# --- layouts that must give the same result ---------------------------------------


def _same(a, b):
    for x, z in zip(output_arrays(a), output_arrays(b)):
        assert_array_equal(x, z)
    if isinstance(a, tuple):
        assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("layout", ["read-only", "fortran", "non-contiguous", "big-endian"])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_memory_layouts_give_the_same_result(cls, layout):
    X = _images()
    expected = run(make(cls), X.copy())
    if layout == "read-only":
        Xl = X.copy()
        Xl.flags.writeable = False
    elif layout == "fortran":
        Xl = np.asfortranarray(X)
    elif layout == "non-contiguous":
        wide = np.zeros((12, 16, 32))
        wide[:, :, ::2] = X
        Xl = wide[:, :, ::2]
        assert not Xl.flags.c_contiguous
    else:
        Xl = X.astype(">f8")
    before = digest(Xl)
    got = run(make(cls), Xl)
    assert digest(Xl) == before
    _same(got, expected)


# --- labels -----------------------------------------------------------------------


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_y_of_the_wrong_length(cls):
    est = make(cls)
    X = _images()
    y = Y[:-3]
    if is_sampler(est):
        expect_error(est, lambda: est.fit_resample(X, y), r"sample|length|inconsistent")
    else:
        # Transformers ignore y, as scikit-learn's do; supervised ones check it.
        expect_error_or_result(est, lambda: est.fit(X, y).transform(X))


@pytest.mark.parametrize(
    "cls", [c for c in ESTIMATORS if hasattr(c, "fit_resample")], ids=lambda c: c.__name__
)
def test_one_class_only(cls):
    est = make(cls)
    X = _images()
    y = np.zeros(len(X), dtype=int)
    if cls.__name__ in NEEDS_TWO_CLASSES:
        expect_error(est, lambda: est.fit_resample(X, y), r"class")
    else:
        expect_error_or_result(est, lambda: est.fit_resample(X, y), check_result=finite_result)


# --- parameters -------------------------------------------------------------------


class _Junk:
    def __repr__(self):
        return "<junk>"


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_parameters_out_of_range(cls):
    names = sorted(getattr(cls, "_parameter_constraints", {}))
    assert names, f"{cls.__name__} declares no parameter constraints"
    for name in names:
        est = make(cls).set_params(**{name: _Junk()})
        err = expect_error(est, lambda: run(est, _images()))
        assert name in str(err), (name, str(err))


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_use_before_fit(cls):
    est = make(cls)
    if is_sampler(est):
        return
    with pytest.raises(NotFittedError):
        est.transform(_images())
