"""SMOTEBalancer: equal to imbalanced-learn's SMOTE on the flattened images,
with synthetic images coming back as images after the originals, exact class
counts, dtypes kept (integer images computed in float32) and clear errors."""

import numpy as np
import pytest
import scipy.sparse as sp
from imblearn.over_sampling import SMOTE
from imblearn.over_sampling.base import BaseOverSampler
from numpy.testing import assert_array_equal
from sklearn.datasets import load_digits
from sklearn.feature_extraction.image import extract_patches_2d
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import InvalidParameterError
from skimage import data

from skimgprep import SMOTEBalancer


@pytest.fixture(scope="module")
def digits():
    """515 digits, class 9 made rare (15 images; the others 54 to 58)."""
    d = load_digits()
    rng = np.random.RandomState(0)
    keep = np.flatnonzero(d.target != 9)[:500]
    nines = rng.choice(np.flatnonzero(d.target == 9), 15, replace=False)
    idx = np.sort(np.concatenate([keep, nines]))
    return d.images[idx], d.target[idx]


@pytest.fixture(scope="module")
def astronaut_patches():
    """150 RGB 6x6 uint8 patches of astronaut(): 120 of class 0, 30 of class 1."""
    patches = extract_patches_2d(data.astronaut(), (6, 6), max_patches=150, random_state=0)
    return patches, np.array([0] * 120 + [1] * 30)


def _smote_images(X, y, **params):
    rows = X.reshape(len(X), -1)
    X_res, y_res = SMOTE(**params).fit_resample(rows, y)
    return X_res.reshape((len(X_res),) + X.shape[1:]), y_res


def test_equals_smote_on_digits(digits):
    X, y = digits
    counts = np.bincount(y)
    assert counts[9] == 15 and counts.max() == 58

    X_res, y_res = SMOTEBalancer(random_state=0).fit_resample(X, y)
    # One generator for all the classes: SMOTE given the same generator.
    X_ref, y_ref = _smote_images(X, y, random_state=np.random.RandomState(0))
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)

    # Exact counts: every class up to the majority's 58.
    assert_array_equal(np.bincount(y_res), [58] * 10)
    assert X_res.shape == (580, 8, 8)
    # Originals first, in order; then the synthetic images, class by class.
    assert_array_equal(X_res[: len(X)], X)
    assert_array_equal(y_res[: len(y)], y)
    n_new = 58 - counts[counts < 58]
    assert_array_equal(y_res[len(y):], np.repeat(np.flatnonzero(counts < 58), n_new))


def test_synthetic_images_lie_between_images_of_their_class(digits):
    X, y = digits
    X_res, y_res = SMOTEBalancer(random_state=0).fit_resample(X, y)
    new = X_res[len(X):]
    for c in range(10):
        cls = X[y == c]
        synth = new[y_res[len(X):] == c]
        assert np.all(synth >= cls.min(axis=0)) and np.all(synth <= cls.max(axis=0))
    # Synthetic nines are new images, not copies.
    nines = new[y_res[len(X):] == 9].reshape(-1, 64)
    originals = X[y == 9].reshape(-1, 64)
    assert not np.any(np.all(nines[:, None] == originals[None], axis=2))


def test_one_class_over_sampled_equals_smote_with_int_seed(astronaut_patches):
    X, y = astronaut_patches
    X = X.astype(np.float64)
    X_res, y_res = SMOTEBalancer(k_neighbors=3, random_state=7).fit_resample(X, y)
    X_ref, y_ref = _smote_images(X, y, k_neighbors=3, random_state=7)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)
    assert X_res.shape == (240, 6, 6, 3)
    assert_array_equal(np.bincount(y_res), [120, 120])


def test_layouts_give_the_same_numbers(digits):
    X, y = digits
    flat = X.reshape(len(X), -1)
    X_batch, y_batch = SMOTEBalancer(random_state=0).fit_resample(X, y)
    X_flat, y_flat = SMOTEBalancer(random_state=0, image_shape=(8, 8)).fit_resample(flat, y)
    # A feature matrix (image_shape=None): rows of (1, 64) images.
    X_rows, y_rows = SMOTEBalancer(random_state=0).fit_resample(flat, y)
    assert X_flat.shape == X_rows.shape == (580, 64)
    assert_array_equal(X_flat, X_batch.reshape(580, -1))
    assert_array_equal(X_rows, X_flat)
    assert_array_equal(y_flat, y_batch)
    assert_array_equal(y_rows, y_batch)


def test_feature_matrix_equals_smote():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 12))
    y = np.array([0] * 60 + [1] * 20 + [2] * 10)
    X_res, y_res = SMOTEBalancer(k_neighbors=4, random_state=1).fit_resample(X, y)
    X_ref, y_ref = SMOTE(k_neighbors=4, random_state=np.random.RandomState(1)).fit_resample(X, y)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)
    assert_array_equal(np.bincount(y_res), [60, 60, 60])


def test_float32_kept(digits):
    X, y = digits
    X = X.astype(np.float32)
    X_res, y_res = SMOTEBalancer(random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32
    X_ref, _ = _smote_images(X, y, random_state=np.random.RandomState(0))
    assert_array_equal(X_res, X_ref)
    X_flat, _ = SMOTEBalancer(random_state=0).fit_resample(X.reshape(len(X), -1), y)
    assert X_flat.dtype == np.float32


def test_uint8_images_computed_in_float32(astronaut_patches):
    X, y = astronaut_patches
    assert X.dtype == np.uint8
    X_res, y_res = SMOTEBalancer(k_neighbors=3, random_state=0).fit_resample(X, y)
    # Integer images are computed in float32 and come back as float32,
    # originals included (with their values unchanged).
    assert X_res.dtype == np.float32
    X_ref, y_ref = _smote_images(X.astype(np.float32), y, k_neighbors=3, random_state=0)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(X_res[: len(X)], X.astype(np.float32))
    # Synthetic values fall between pixel values, within [0, 255].
    new = X_res[len(X):]
    assert np.any(new != np.round(new))
    assert new.min() >= 0 and new.max() <= 255


def test_input_not_modified(digits):
    X, y = digits
    X = X.astype(np.float32)
    X_before, y_before = X.copy(), y.copy()
    X_res, _ = SMOTEBalancer(random_state=0).fit_resample(X, y)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    assert not np.shares_memory(X_res, X)


def test_sampling_strategy(digits):
    X, y = digits
    sampler = SMOTEBalancer(sampling_strategy={9: 40, 3: 60}, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = np.bincount(y)
    expected = counts.copy()
    expected[9], expected[3] = 40, 60
    assert_array_equal(np.bincount(y_res), expected)
    assert dict(sampler.sampling_strategy_) == {3: 60 - counts[3], 9: 25}
    X_ref, _ = _smote_images(
        X, y, sampling_strategy={9: 40, 3: 60}, random_state=np.random.RandomState(0)
    )
    assert_array_equal(X_res, X_ref)

    sampler = SMOTEBalancer(sampling_strategy="minority", random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert dict(sampler.sampling_strategy_) == {9: 43}
    assert np.bincount(y_res)[9] == 58

    # A float: the wanted minority / majority ratio (two classes).
    Xb, yb = X[(y == 0) | (y == 9)], y[(y == 0) | (y == 9)]
    _, y_res = SMOTEBalancer(sampling_strategy=0.5, random_state=0).fit_resample(Xb, yb)
    assert np.sum(y_res == 9) == int(0.5 * np.sum(yb == 0))


def test_k_neighbors_estimator(digits):
    X, y = digits
    a = SMOTEBalancer(k_neighbors=3, random_state=0).fit_resample(X, y)[0]
    b = SMOTEBalancer(k_neighbors=NearestNeighbors(n_neighbors=4), random_state=0).fit_resample(
        X, y
    )[0]
    assert_array_equal(a, b)


def test_is_an_over_sampler(digits):
    X, y = digits
    sampler = SMOTEBalancer(random_state=0)
    assert isinstance(sampler, BaseOverSampler)
    assert sampler._sampling_type == "over-sampling"
    sampler.fit(X, y)  # fit only validates and resolves the strategy
    assert dict(sampler.sampling_strategy_) == {
        c: 58 - n for c, n in enumerate(np.bincount(y)) if n < 58
    }
    assert not hasattr(sampler, "sample_indices_")


def test_errors(digits):
    X, y = digits
    with pytest.raises(
        ValueError,
        match=r"SMOTEBalancer cannot use sampling_strategy=\{9: 10\}.*class counts"
        r".*9: 15.*Originally, there is 15 samples and 10 samples are asked",
    ):
        SMOTEBalancer(sampling_strategy={9: 10}).fit(X, y)
    with pytest.raises(ValueError, match=r"\{11\} target class is/are not present"):
        SMOTEBalancer(sampling_strategy={11: 100}).fit_resample(X, y)
    with pytest.raises(ValueError, match="float only when the type of target is binary"):
        SMOTEBalancer(sampling_strategy=0.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        SMOTEBalancer().fit_resample(X, np.zeros(len(X), dtype=int))
    with pytest.raises(InvalidParameterError, match="sampling_strategy"):
        SMOTEBalancer(sampling_strategy="everything").fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="k_neighbors"):
        SMOTEBalancer(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(
        ValueError, match=r"at least k_neighbors \+ 1 = 16 images.*got \{9: 15\}"
    ):
        SMOTEBalancer(k_neighbors=15).fit_resample(X, y)
    with pytest.raises(ValueError, match="expected a batch of images.*got a 1D array"):
        SMOTEBalancer().fit_resample(X[0, 0], y[:8])
    with pytest.raises(TypeError, match="dense batch of images; got a sparse matrix"):
        SMOTEBalancer().fit_resample(sp.csr_matrix(X.reshape(len(X), -1)), y)
