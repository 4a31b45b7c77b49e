"""OutlierFilter: equal to scikit-learn's IsolationForest on the flattened
images (one forest, or one per class with the documented seeds), with the
image conventions (layouts, dtypes, untouched input, errors) on top."""

from collections import OrderedDict

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_digits
from sklearn.ensemble import IsolationForest
from sklearn.feature_extraction.image import extract_patches_2d
from sklearn.utils._param_validation import InvalidParameterError
from skimage import data

from skimgprep import OutlierFilter


@pytest.fixture(scope="module")
def digits():
    d = load_digits()
    return d.images[:400], d.target[:400]  # (400, 8, 8) float64, 10 classes


@pytest.fixture(scope="module")
def astronaut_patches():
    # 200 RGB 6x6 patches of astronaut(), uint8, two made-up classes.
    patches = extract_patches_2d(data.astronaut(), (6, 6), max_patches=200, random_state=0)
    return patches, np.arange(200) % 2


def _reference_kept(rows, y, per_class, random_state, **params):
    """Kept indices and decision scores computed with IsolationForest directly."""
    scores = np.empty(len(rows))
    if not per_class:
        forest = IsolationForest(random_state=random_state, **params)
        pred = forest.fit_predict(rows)
        scores[:] = forest.decision_function(rows)
        return np.flatnonzero(pred == 1), scores
    classes = np.unique(y)
    # The documented seeds: one int per class, drawn in class order.
    seeds = np.random.RandomState(random_state).randint(
        np.iinfo(np.int32).max, size=len(classes)
    )
    keep = np.zeros(len(rows), dtype=bool)
    for c, seed in zip(classes, seeds):
        idx = np.flatnonzero(y == c)
        forest = IsolationForest(random_state=int(seed), **params)
        keep[idx] = forest.fit_predict(rows[idx]) == 1
        scores[idx] = forest.decision_function(rows[idx])
    return np.flatnonzero(keep), scores


@pytest.mark.parametrize("contamination", ["auto", 0.05])
@pytest.mark.parametrize("per_class", [False, True])
def test_equals_isolation_forest(digits, contamination, per_class):
    X, y = digits
    rows = X.reshape(len(X), -1)
    params = {"contamination": contamination, "n_estimators": 50}
    kept, scores = _reference_kept(rows, y, per_class, 0, **params)

    sampler = OutlierFilter(per_class=per_class, random_state=0, **params)
    X_res, y_res = sampler.fit_resample(X, y)

    assert_array_equal(sampler.sample_indices_, kept)
    assert_array_equal(X_res, X[kept])
    assert_array_equal(y_res, y[kept])
    # Same forest, same float32 rows: equal to the bit.
    assert_array_equal(sampler.scores_, scores)
    assert len(sampler.estimators_) == (10 if per_class else 1)
    assert all(isinstance(f, IsolationForest) for f in sampler.estimators_)
    assert_array_equal(sampler.classes_, np.arange(10))
    assert sampler.sampling_strategy_ == OrderedDict(
        (c, int(np.sum(y[kept] == c))) for c in range(10)
    )
    assert sum(sampler.sampling_strategy_.values()) == len(kept) == len(X_res)
    assert 0 < len(kept) < len(X)


def test_per_class_fits_one_forest_per_class(digits):
    X, y = digits
    sampler = OutlierFilter(contamination=0.1, n_estimators=20, per_class=True, random_state=0)
    sampler.fit_resample(X, y)
    for c, forest in zip(sampler.classes_, sampler.estimators_):
        # Each forest saw only its class: max_samples="auto" is min(256, n_c).
        assert forest.max_samples_ == np.sum(y == c)
        assert forest.n_features_in_ == 64
    # contamination is a fraction of each class: about 10% of each is removed.
    counts = np.bincount(y)
    for c, n_kept in sampler.sampling_strategy_.items():
        assert counts[c] - n_kept == pytest.approx(0.1 * counts[c], abs=1)


def test_planted_outliers_are_removed(digits):
    X, y = digits
    X = X.copy()
    rng = np.random.RandomState(1)
    X[123] = 16.0 - X[123]  # an inverted digit
    X[321] = rng.uniform(0.0, 16.0, size=(8, 8))  # a noise image
    for per_class in (False, True):
        sampler = OutlierFilter(contamination=0.02, per_class=per_class, random_state=0)
        X_res, _ = sampler.fit_resample(X, y)
        assert 123 not in sampler.sample_indices_
        assert 321 not in sampler.sample_indices_
        # The two planted images are the two most outlying ones.
        assert set(np.argsort(sampler.scores_)[:2]) == {123, 321}
        assert not np.any(np.all(X_res == X[123], axis=(1, 2)))
        assert not np.any(np.all(X_res == X[321], axis=(1, 2)))


@pytest.mark.parametrize("per_class", [False, True])
def test_layouts_give_the_same_images(astronaut_patches, per_class):
    X, y = astronaut_patches  # (200, 6, 6, 3) uint8
    n = len(X)
    params = {"contamination": 0.1, "n_estimators": 30, "per_class": per_class, "random_state": 0}
    X_batch, y_batch = OutlierFilter(**params).fit_resample(X, y)
    flat = X.reshape(n, -1)
    X_flat, y_flat = OutlierFilter(image_shape=(6, 6, 3), **params).fit_resample(flat, y)
    X_rows, y_rows = OutlierFilter(**params).fit_resample(flat, y)  # (1, 108) images

    assert X_batch.shape[1:] == (6, 6, 3)
    assert X_flat.shape == X_rows.shape == (len(X_batch), 108)
    assert_array_equal(X_flat, X_batch.reshape(len(X_batch), -1))
    assert_array_equal(X_rows, X_flat)
    assert_array_equal(y_batch, y_flat)
    assert_array_equal(y_batch, y_rows)
    kept, _ = _reference_kept(flat, y, per_class, 0, contamination=0.1, n_estimators=30)
    assert_array_equal(X_batch, X[kept])
    # Kept images are returned as they were: uint8 stays uint8.
    assert X_batch.dtype == X_flat.dtype == np.uint8


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_kept(digits, dtype):
    X, y = digits
    X = X.astype(dtype)
    X_res, _ = OutlierFilter(n_estimators=20, random_state=0).fit_resample(X, y)
    assert X_res.dtype == dtype
    X_res, _ = OutlierFilter(n_estimators=20, random_state=0, image_shape=(8, 8)).fit_resample(
        X.reshape(len(X), -1), y
    )
    assert X_res.dtype == dtype


def test_input_not_modified(digits):
    X, y = digits
    X = X.astype(np.float32)
    X_before, y_before = X.copy(), y.copy()
    X_res, y_res = OutlierFilter(n_estimators=20, random_state=0).fit_resample(X, y)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    assert not np.shares_memory(X_res, X)
    X_res[...] = -1.0
    assert_array_equal(X, X_before)


def test_random_state(digits):
    X, y = digits
    rows = X.reshape(len(X), -1)
    a = OutlierFilter(n_estimators=20, random_state=3).fit_resample(X, y)[0]
    b = OutlierFilter(n_estimators=20, random_state=3).fit_resample(X, y)[0]
    assert_array_equal(a, b)
    # A generator is handed to the single forest as it is.
    sampler = OutlierFilter(n_estimators=20, random_state=np.random.RandomState(3))
    sampler.fit_resample(X, y)
    pred = IsolationForest(n_estimators=20, random_state=np.random.RandomState(3)).fit_predict(rows)
    assert_array_equal(sampler.sample_indices_, np.flatnonzero(pred == 1))
    # Results do not depend on n_jobs.
    for per_class in (False, True):
        one = OutlierFilter(n_estimators=20, per_class=per_class, random_state=0, n_jobs=1)
        two = OutlierFilter(n_estimators=20, per_class=per_class, random_state=0, n_jobs=2)
        one.fit_resample(X, y)
        two.fit_resample(X, y)
        assert_array_equal(one.sample_indices_, two.sample_indices_)
        assert_array_equal(one.scores_, two.scores_)


def test_fit_only_validates(digits):
    X, y = digits
    sampler = OutlierFilter(random_state=0).fit(X, y)
    assert sampler.sampling_strategy_ == OrderedDict(
        (c, int(n)) for c, n in enumerate(np.bincount(y))
    )
    assert sampler.image_shape_ == (8, 8)
    assert not hasattr(sampler, "sample_indices_")
    assert not hasattr(sampler, "estimators_")


def test_errors(digits, monkeypatch):
    X, y = digits
    with pytest.raises(InvalidParameterError, match="contamination"):
        OutlierFilter(contamination=0.7).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="n_estimators"):
        OutlierFilter(n_estimators=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="expected a batch of images.*got a 1D array"):
        OutlierFilter().fit_resample(X[0, 0], y[:8])
    with pytest.raises(ValueError, match="image_shape=\\(7, 7\\), which holds 49"):
        OutlierFilter(image_shape=(7, 7)).fit_resample(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match="Unknown label type"):
        OutlierFilter().fit_resample(X, np.linspace(0, 1, len(X)))
    # Every image judged an outlier: a clear error rather than an empty batch.
    monkeypatch.setattr(
        IsolationForest, "decision_function", lambda self, X: -np.ones(len(X))
    )
    with pytest.raises(ValueError, match="would remove all 400 images"):
        OutlierFilter(n_estimators=5, random_state=0).fit_resample(X, y)
