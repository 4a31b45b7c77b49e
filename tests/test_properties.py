"""Property-based tests (hypothesis) over every public estimator.

Each test states one property of DESIGN.md and checks it on random batches
of small images: 2 to 12 images of 4 to 24 pixels a side, grayscale or RGB,
float32, float64 or uint8 (floats in [0, 1], uint8 in [0, 255]), as a batch
``(n, h, w[, c])`` or flattened ``(n, h * w * c)`` with ``image_shape``.
Each property runs once per estimator it applies to (parametrized over
``skimgprep.__all__``, so estimators added later are covered: a test fails
until they have an entry in ``PROPERTY_PARAMS``), drawing one of the
estimator's argument sets and the data per example.

1. rank in = rank out (``test_output_layout``);
2. the dtype rule of DESIGN.md section 1, or the estimator's documented one
   (``test_output_dtype``);
3. finite output for finite input (``test_output_finite``);
4. the same ``random_state`` gives the same output (``test_random_state``);
5. the output does not depend on ``n_jobs`` or ``batch_size``
   (``test_n_jobs_and_batch_size``);
6. ``inverse_transform`` inverts ``transform``, within the tolerance written
   in ``INVERSE_PARAMS`` (``test_inverse_transform``);
7. samplers put the originals first, or return ``X[sample_indices_]``
   (``test_sampler_rows``);
8. the caller's ``X`` and ``y`` are never modified: every call of every test
   goes through :func:`unchanged`, which hashes them before and after.

Examples: the profile's ``max_examples`` is shared among the estimators of
a property, at least an eighth of it each (:func:`examples_for`). The "ci"
profile of ``tests/conftest.py`` (the default, derandomized: the same
examples at every run) has 200, so every property runs 200 examples or more
(25 per estimator for properties 1 to 3, about 650 in all); the "long"
profile has 10,000 (1,250 per estimator and property)::

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py
"""

import hashlib
import inspect
import re
import warnings
from contextlib import contextmanager
from math import pi

import numpy as np
import pytest
from hypothesis import event, given, reject, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import ConvergenceWarning

import skimgprep
from skimgprep.base import FeatureExtractorMixin


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


ESTIMATORS = {cls.__name__: cls for cls in public_estimators()}


def _random_rows(image_shape, m=15, seed=7):
    """Reference data with the pixels of ``image_shape``: ``m`` random rows."""
    return np.random.default_rng(seed).random((m, int(np.prod(image_shape))))


def _reference_images(image_shape, seed=3):
    """Reference images of another size, with the channels of ``image_shape``."""
    shape = (3, 5, 7) + tuple(image_shape[2:])
    return np.random.default_rng(seed).random(shape)


#: Constructor arguments that suit images of 4 to 24 pixels a side, per
#: estimator: one of them is drawn per example. A callable gets the image
#: shape ``(h, w[, c])`` and returns the arguments (for a reference that
#: must match the images).
PROPERTY_PARAMS = {
    "Augmenter": [
        {"random_state": 0},
        {"n_augmented": 2, "p_vflip": 0.5, "p_noise": 1.0, "mode": "constant",
         "random_state": 0},
    ],
    "AugmentingOverSampler": [
        {"augmenter": skimgprep.Augmenter(), "random_state": 0},
        {"augmenter": skimgprep.Augmenter(p_hflip=0.0, p_rotate=1.0, mode="wrap"),
         "sampling_strategy": "all", "random_state": 0},
    ],
    "BoVWExtractor": [
        {"descriptor": "patch", "n_words": 3, "random_state": 0,
         "descriptor_params": {"patch_size": (2, 2), "step": 2}},
        {"descriptor": "patch", "n_words": 4, "max_descriptors": 30, "random_state": 0,
         "descriptor_params": {"patch_size": (3, 3), "step": 1, "normalize": False}},
    ],
    "CORALAligner": [
        lambda shape: {"reference": _random_rows(shape)},
        lambda shape: {"reference": _random_rows(shape, m=40), "regularization": 0.1},
        {},
    ],
    "ColorConverter": [{}, {"to": "rgb"}, {"to": "hsv"}, {"to": "lab"}, {"to": "ycbcr"}],
    "ColorHistogramExtractor": [
        {"bins": 8},
        {"bins": 4, "color_space": "lab"},
        {"bins": 5, "color_space": "ycbcr"},
        {"bins": 3, "color_space": "rgb"},
    ],
    "ColorTransfer": [{}, lambda shape: {"reference": _reference_images(shape)}],
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
    "Deskewer": [{}, {"center": False}],
    "Flattener": [{}],
    "GLCMExtractor": [
        {"levels": 8, "angles": (0, pi / 2)},
        {"distances": (1, 3), "levels": 16, "symmetric": False,
         "properties": ("mean", "variance", "std", "entropy", "correlation")},
    ],
    "GaborExtractor": [
        {"frequencies": (0.25,), "n_orientations": 2},
        {"frequencies": (0.4,), "n_orientations": 3, "mode": "wrap"},
    ],
    "HOGExtractor": [
        {"pixels_per_cell": (2, 2), "cells_per_block": (2, 2)},
        {"pixels_per_cell": (4, 4), "cells_per_block": (1, 1), "block_norm": "L1",
         "transform_sqrt": True},
    ],
    "HistogramMatcher": [{}, lambda shape: {"reference": _reference_images(shape)}],
    "ImageReader": [{}, {"output_shape": (5, 6)}],
    "ImageResampler": [
        {"sampler": RandomUnderSampler(random_state=0)},
        {"sampler": RandomOverSampler(random_state=0)},
        {"sampler": SMOTE(k_neighbors=1, random_state=0)},
    ],
    "LBPExtractor": [
        {"grid": (2, 2)},
        {"n_points": 4, "radius": 1.5, "method": "nri_uniform"},
        {"n_points": 6, "radius": 2, "method": "ror", "grid": (1, 3)},
        {"n_points": 4, "method": "default"},
    ],
    "ObjectCropper": [
        {"output_shape": (6, 5)},
        {"output_shape": (4, 4), "method": "local", "block_size": 3, "connectivity": 1},
    ],
    "OutlierFilter": [
        {"n_estimators": 10, "random_state": 0},
        {"n_estimators": 5, "per_class": True, "contamination": 0.2, "random_state": 0},
    ],
    "PCAReducer": [
        {"n_components": 2, "random_state": 0},
        {"n_components": None},
        {"n_components": 2, "svd_solver": "randomized", "random_state": 0},
        {"n_components": 0.9, "whiten": True},
    ],
    "PixelScaler": [
        {},
        {"method": "standard", "scope": "pixel"},
        {"method": "standard", "scope": "channel"},
        {"method": "range", "clip": True},
        {"method": "minmax", "scope": "image", "feature_range": (-1, 1)},
    ],
    "QualityFilter": [
        {},
        {"blur_threshold": "quantile", "std_threshold": "quantile",
         "duplicate_distance": None},
        {"low_contrast_fraction": None, "duplicate_distance": 3, "batch_size": 2},
    ],
    "RegionFeatureExtractor": [
        {},
        {"method": "li", "invert": True, "properties": ("area", "area_convex", "euler_number")},
    ],
    "Resizer": [
        {"output_shape": (6, 9)},
        {"output_shape": (5, 5), "mode": "pad", "cval": -1.0},
        {"output_shape": (4, 4), "mode": "crop", "anti_aliasing": False},
    ],
    "SMOTEBalancer": [{"k_neighbors": 1, "random_state": 0}],
    "ThresholdMasker": [
        {},
        {"method": "li", "output": "mask", "invert": True},
        {"method": "yen"},
        {"method": "local", "block_size": 3, "offset": 0.1},
        {"method": "triangle", "output": "mask"},
    ],
}

#: Largest image side per estimator, where the cost grows fast with it
#: (CORAL: eigendecompositions of (h * w * c)^2 covariances).
MAX_SIDE = {"CORALAligner": 8}

#: ``ValueError`` messages an estimator documents (in its Raises section)
#: for data that may be drawn: such an example is rejected, not failed.
DOCUMENTED_ERRORS = {
    # "when every image would be removed"
    "QualityFilter": r"remove all",
    "OutlierFilter": r"remove all",
    # "fewer distinct training descriptors than n_words" (fit)
    "BoVWExtractor": r"distinct descriptors",
}


def _float(dtype):
    dtype = np.dtype(dtype)
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


def expected_dtype(name, params, dtype):
    """The output dtype for input of ``dtype``, by DESIGN.md section 1 or the
    estimator's documented rule."""
    dtype = np.dtype(dtype)
    if name in ("Flattener", "Augmenter", "AugmentingOverSampler", "OutlierFilter",
                "QualityFilter"):
        # Nothing computed (Flattener), or rows only selected or copied, the
        # copies rounded and clipped to integer dtypes (augmenters).
        return dtype
    if name == "ThresholdMasker" and params.get("output", "masked") == "masked":
        return dtype  # "the image with its background set to 0, in the input's dtype"
    if name == "ImageReader" and params.get("output_shape") is None:
        return dtype  # "the dtype kept unless resized"
    if name == "ImageResampler" and not isinstance(params["sampler"], SMOTE):
        return dtype  # input images at sample_indices_ are returned as they are
    return _float(dtype)


def expected_image_shape(name, params, shape):
    """The shape of an output image of an image-to-image step."""
    channels = tuple(shape[2:])
    if name in ("Resizer", "ObjectCropper") or (
        name == "ImageReader" and params.get("output_shape") is not None
    ):
        return tuple(params["output_shape"]) + channels
    if name == "ColorConverter":
        return tuple(shape[:2]) + (() if params.get("to", "gray") == "gray" else (3,))
    return tuple(shape)


#: Estimators with ``inverse_transform``: arguments, and the tolerance of
#: ``inverse_transform(transform(X))`` against ``X``, as ``atol`` per dtype
#: of the computation, relative to the largest value of ``X`` (uint8 images
#: are computed in float32).
INVERSE_PARAMS = {
    "Flattener": ([{}], {"float32": 0.0, "float64": 0.0}),
    "PCAReducer": (
        [{"n_components": None}, {"n_components": None, "whiten": True}],
        {"float32": 1e-4, "float64": 1e-10},
    ),
    "PixelScaler": (
        [
            {},
            {"method": "standard", "scope": "pixel"},
            {"method": "standard", "scope": "channel"},
            {"method": "range"},
            {"method": "range", "scope": "image", "feature_range": (-1, 1)},
            {"method": "minmax", "scope": "channel", "feature_range": (2, 5)},
        ],
        {"float32": 1e-6, "float64": 1e-12},
    ),
}


#: How the rows of each sampler's output relate to its input: "adds" (the
#: originals first, in order, then new rows), "removes" (the kept rows,
#: ``X[sample_indices_]``) or "keeps" (as many rows, ``y`` unchanged).
SAMPLER_ROWS = {
    "Augmenter": "adds",
    "AugmentingOverSampler": "adds",
    "SMOTEBalancer": "adds",
    "OutlierFilter": "removes",
    "QualityFilter": "removes",
    "CORALAligner": "keeps",
}


def sampler_rows(name, params):
    if name == "ImageResampler":
        return "removes" if isinstance(params["sampler"], RandomUnderSampler) else "adds"
    return SAMPLER_ROWS[name]


def kind(cls):
    """"sampler", "features" (2D output) or "images" (image-to-image)."""
    if hasattr(cls, "fit_resample"):
        return "sampler"
    if issubclass(cls, FeatureExtractorMixin):
        return "features"
    return "images"


def parameter_names(cls):
    return set(inspect.signature(cls).parameters)


COVERED = sorted(set(ESTIMATORS) & set(PROPERTY_PARAMS))
SAMPLERS = [name for name in COVERED if kind(ESTIMATORS[name]) == "sampler"]
INVERTIBLE = sorted(set(INVERSE_PARAMS) & set(ESTIMATORS))


def _keys(est, param):
    """The names of ``param`` of ``est`` and of its inner estimators."""
    return [k for k in est.get_params(deep=True) if k == param or k.endswith("__" + param)]


def _parallel_keys(est):
    return _keys(est, "n_jobs"), _keys(est, "batch_size")


def _arguments(entry, image_shape=(8, 8)):
    return entry(image_shape) if callable(entry) else dict(entry)


def _entries_with(name, has):
    """The entries of ``PROPERTY_PARAMS[name]`` whose estimator ``has``."""
    return [
        entry for entry in PROPERTY_PARAMS[name]
        if has(ESTIMATORS[name](**_arguments(entry)))
    ]


#: The entries with a ``random_state`` (the estimator's or an inner one's).
RANDOM_PARAMS = {
    name: entries for name in COVERED
    if (entries := _entries_with(name, lambda est: _keys(est, "random_state")))
}
#: The entries with ``n_jobs`` or ``batch_size``.
PARALLEL_PARAMS = {
    name: entries for name in COVERED
    if (entries := _entries_with(name, lambda est: any(_parallel_keys(est))))
}


# --- the caller's data is never modified (property 8) -----------------------------


def digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.asarray(a)
        h.update(str((a.shape, a.dtype.str, a.strides)).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


@contextmanager
def unchanged(name, *arrays):
    """Run the block; the arrays must hash the same after it, whatever
    happens. A ``ValueError`` that ``name`` documents rejects the example."""
    before = digest(*arrays)
    try:
        with warnings.catch_warnings():
            # Documented warnings (few distinct descriptors for the codebook;
            # a class emptied by a filter), and scikit-learn's PCA on constant
            # images (explained variance ratio 0 / 0): not what is tested here.
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UserWarning)
            warnings.filterwarnings(
                "ignore", category=RuntimeWarning, module=r"sklearn\.decomposition"
            )
            yield
    except ValueError as exc:
        assert digest(*arrays) == before, "the caller's input was modified"
        pattern = DOCUMENTED_ERRORS.get(name)
        if pattern is not None and re.search(pattern, str(exc)):
            reject()
        raise
    assert digest(*arrays) == before, "the caller's input was modified"


# --- the data ---------------------------------------------------------------------


class Case:
    """One drawn example: an estimator's name and arguments, ``X`` and ``y``."""

    def __init__(self, name, params, X, y, image_shape, flat):
        self.name, self.params = name, params
        self.X, self.y = X, y
        self.image_shape, self.flat = image_shape, flat

    @property
    def kind(self):
        return kind(ESTIMATORS[self.name])

    def make(self, **extra):
        """A fresh estimator (the table's objects are cloned, never fitted)."""
        cls = ESTIMATORS[self.name]
        params = dict(self.params)
        if self.flat and "image_shape" in parameter_names(cls):
            params["image_shape"] = self.image_shape
        return clone(cls(**params)).set_params(**extra)

    def run(self, est=None):
        """Fit a fresh estimator (or ``est``) and apply it to ``X``: the
        output (a sampler's ``(X_res, y_res)``) and the fitted estimator."""
        est = self.make() if est is None else est
        with unchanged(self.name, self.X, self.y):
            if self.kind == "sampler":
                out = est.fit_resample(self.X, self.y)
            else:
                est.fit(self.X, self.y)
                out = est.transform(self.X)
        return out, est

    def __repr__(self):
        flat = f", flattened from {self.image_shape}" if self.flat else ""
        params = {
            key: f"<{value.dtype} array {value.shape}>" if isinstance(value, np.ndarray)
            else value
            for key, value in self.params.items()
        }
        with np.printoptions(threshold=100_000):
            return (
                f"Case({self.name}(**{params!r}), X {self.X.dtype} "
                f"{self.X.shape}{flat}, y={self.y.tolist()},\nX={self.X!r})"
            )


@st.composite
def image_batches(draw, name):
    """``X``, ``y``, the image shape and whether ``X`` is flattened."""
    sampler = kind(ESTIMATORS[name]) == "sampler"
    n = draw(st.integers(4 if sampler else 2, 12))
    side = st.integers(4, MAX_SIDE.get(name, 24))
    h, w = draw(side), draw(side)
    image_shape = (h, w) + draw(st.sampled_from([(), (3,)]))
    dtype = np.dtype(draw(st.sampled_from(["float32", "float64", "uint8"])))
    if dtype.kind == "u":
        elements = st.integers(0, 255)
    else:
        elements = st.floats(0.0, 1.0, width=8 * dtype.itemsize)
    X = draw(arrays(dtype, (n,) + image_shape, elements=elements, fill=elements))
    if draw(st.booleans()):
        # Texture: the mean of the drawn batch (mostly one value, with a few
        # others) and seeded uniform noise in the same range.
        noise = np.random.default_rng(draw(st.integers(0, 2**32 - 1))).random(X.shape)
        if dtype.kind == "u":
            X = ((X + (noise * 256).astype(np.uint16)) // 2).astype(dtype)
        else:
            X = ((X + noise.astype(dtype)) / 2).astype(dtype)
    # Two classes; samplers get two images or more of each.
    n0 = draw(st.integers(2, n - 2)) if sampler else draw(st.integers(0, n))
    y = np.array([0] * n0 + [1] * (n - n0))[draw(st.permutations(range(n)))]
    flat = draw(st.booleans())
    if flat:
        X = X.reshape(n, -1)
    return X, y, image_shape, flat


@st.composite
def cases(draw, name, table=None):
    """A ``Case`` of estimator ``name``: one of its arguments (from
    ``table``, default ``PROPERTY_PARAMS``), and images."""
    entries = (table or PROPERTY_PARAMS)[name]
    index = draw(st.integers(0, len(entries) - 1))
    event(f"arguments {index}")
    X, y, image_shape, flat = draw(image_batches(name))
    entry = entries[index]
    params = entry(image_shape) if callable(entry) else dict(entry)
    return Case(name, params, X, y, image_shape, flat)


def examples_for(names):
    """Settings of a property's test for one estimator among ``names``: the
    profile's ``max_examples`` (200 in "ci") shared among them, and at
    least an eighth of it each."""
    total = settings.default.max_examples
    return settings(max_examples=max(-(-total // len(names)), total // 8))


def output_images(out):
    return out[0] if isinstance(out, tuple) else out


# --- the tables cover every estimator ----------------------------------------------


def test_every_public_estimator_has_property_params():
    assert set(ESTIMATORS) <= set(PROPERTY_PARAMS), set(ESTIMATORS) - set(PROPERTY_PARAMS)


def test_every_inverse_transform_has_a_tolerance():
    have = {name for name, cls in ESTIMATORS.items() if hasattr(cls, "inverse_transform")}
    assert have <= set(INVERSE_PARAMS), have - set(INVERSE_PARAMS)


def test_every_sampler_says_how_its_rows_relate():
    assert set(SAMPLERS) - {"ImageResampler"} <= set(SAMPLER_ROWS)


# --- the properties ---------------------------------------------------------------


@pytest.mark.parametrize("name", COVERED)
@examples_for(COVERED)
@given(data=st.data())
def test_output_layout(name, data):
    """1. Rank in = rank out: images in the input's layout, features 2D with
    one name per column, samplers' X_res with X's rank and image shape."""
    case = data.draw(cases(name), label="case")
    out, est = case.run()
    X, n = case.X, len(case.X)
    if case.kind == "sampler":
        X_res, y_res = out
        assert X_res.ndim == X.ndim and X_res.shape[1:] == X.shape[1:], X_res.shape
        assert y_res.shape == (len(X_res),)
    elif case.kind == "features":
        assert out.ndim == 2 and out.shape[0] == n, out.shape
        assert out.shape[1] == len(est.get_feature_names_out())
    else:
        image = expected_image_shape(case.name, case.params, case.image_shape)
        if case.flat or case.name == "Flattener":
            assert out.shape == (n, int(np.prod(image))), out.shape
        else:
            assert out.shape == (n,) + image, out.shape
        if hasattr(est, "get_feature_names_out"):
            assert len(est.get_feature_names_out()) == int(np.prod(image))


@pytest.mark.parametrize("name", COVERED)
@examples_for(COVERED)
@given(data=st.data())
def test_output_dtype(name, data):
    """2. float32 stays float32, float64 stays float64, integer images give
    float32, or the estimator's documented rule (``expected_dtype``);
    samplers keep the labels' dtype."""
    case = data.draw(cases(name), label="case")
    out, _ = case.run()
    expected = expected_dtype(case.name, case.params, case.X.dtype)
    assert output_images(out).dtype == expected, (output_images(out).dtype, expected)
    if case.kind == "sampler":
        assert out[1].dtype == case.y.dtype


@pytest.mark.parametrize("name", COVERED)
@examples_for(COVERED)
@given(data=st.data())
def test_output_finite(name, data):
    """3. Finite images in the documented range give a finite output."""
    case = data.draw(cases(name), label="case")
    out, _ = case.run()
    images = output_images(out)
    if images.dtype.kind in "fc":
        assert np.isfinite(images).all(), np.argwhere(~np.isfinite(images))[:5]


@pytest.mark.parametrize("name", sorted(RANDOM_PARAMS))
@examples_for(RANDOM_PARAMS)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_random_state(name, data, seed):
    """4. Two fresh instances with the same ``random_state`` (every
    ``random_state`` of the estimator and of its inner ones) give the same
    output."""
    case = data.draw(cases(name, RANDOM_PARAMS), label="case")
    seeds = dict.fromkeys(_keys(case.make(), "random_state"), seed)
    first, _ = case.run(case.make(**seeds))
    second, _ = case.run(case.make(**seeds))
    assert_array_equal(output_images(first), output_images(second), strict=True)
    if case.kind == "sampler":
        assert_array_equal(first[1], second[1], strict=True)


@pytest.mark.parametrize("name", sorted(PARALLEL_PARAMS))
@examples_for(PARALLEL_PARAMS)
@given(data=st.data())
def test_n_jobs_and_batch_size(name, data):
    """5. The output is the same for ``n_jobs`` 1 and 2 and any
    ``batch_size`` from 1 to n + 1 (``None``: the default chunks)."""
    case = data.draw(cases(name, PARALLEL_PARAMS), label="case")
    jobs_keys, batch_keys = _parallel_keys(case.make())
    n_jobs = data.draw(st.sampled_from([1, 2]), label="n_jobs")
    batch_size = None
    if batch_keys:
        batch_size = data.draw(
            st.none() | st.integers(1, len(case.X) + 1), label="batch_size"
        )
    if n_jobs == 1 and batch_size is None:
        n_jobs = 2
    serial = dict.fromkeys(jobs_keys, 1) | dict.fromkeys(batch_keys, None)
    varied = dict.fromkeys(jobs_keys, n_jobs) | dict.fromkeys(batch_keys, batch_size)
    expected, _ = case.run(case.make(**serial))
    got, _ = case.run(case.make(**varied))
    assert_array_equal(output_images(got), output_images(expected), strict=True)
    if case.kind == "sampler":
        assert_array_equal(got[1], expected[1], strict=True)


@pytest.mark.parametrize("name", INVERTIBLE)
@examples_for(INVERTIBLE)
@given(data=st.data())
def test_inverse_transform(name, data):
    """6. ``inverse_transform(transform(X))`` gives ``X`` back, within
    ``atol = tolerance * max(1, max |X|)``, the tolerance of
    ``INVERSE_PARAMS`` for the dtype computed in (exactly for Flattener)."""
    table = {name: INVERSE_PARAMS[name][0]}
    case = data.draw(cases(name, table), label="case")
    Xt, est = case.run()
    with unchanged(case.name, case.X, case.y, Xt):
        back = est.inverse_transform(Xt)
    if case.name == "Flattener":
        # It gives images back, whatever layout came in.
        assert back.shape == (len(case.X),) + case.image_shape
        back = back.reshape(case.X.shape)
    assert back.shape == case.X.shape
    compute = str(_float(case.X.dtype))
    tolerance = INVERSE_PARAMS[case.name][1][compute]
    scale = max(1.0, float(np.abs(case.X).max()))
    assert_allclose(back, case.X.astype(np.float64), rtol=0, atol=tolerance * scale)


@pytest.mark.parametrize("name", SAMPLERS)
@examples_for(SAMPLERS)
@given(data=st.data())
def test_sampler_rows(name, data):
    """7. Over-samplers return the originals first, exactly and in order;
    samplers that only remove return ``X[sample_indices_]`` exactly, in the
    input dtype; the others keep the number of rows and the labels."""
    case = data.draw(cases(name), label="case")
    (X_res, y_res), est = case.run()
    X, y, n = case.X, case.y, len(case.X)
    rows = sampler_rows(case.name, case.params)
    if rows == "adds":
        assert len(X_res) >= n
        assert_array_equal(X_res[:n], X)  # values: SMOTE may give float32
        assert_array_equal(y_res[:n], y, strict=True)
    elif rows == "removes":
        index = est.sample_indices_
        assert len(np.unique(index)) == len(index) <= n
        assert_array_equal(X_res, X[index], strict=True)
        assert_array_equal(y_res, y[index], strict=True)
    else:
        assert len(X_res) == n
        assert_array_equal(y_res, y, strict=True)
    if hasattr(est, "sample_indices_"):
        assert_array_equal(X_res, X[est.sample_indices_])
