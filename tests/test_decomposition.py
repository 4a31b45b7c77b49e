"""PCAReducer: equal to scikit-learn's PCA on the flattened images, with the
image conventions (layouts, shapes, dtypes, errors) on top."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.image import extract_patches_2d

from skimgprep import PCAReducer


@pytest.fixture(scope="module")
def digits():
    return load_digits().images  # (1797, 8, 8) float64


@pytest.fixture(scope="module")
def camera_patches():
    # 400 grayscale 8x8 patches of camera(), uint8.
    return extract_patches_2d(data.camera(), (8, 8), max_patches=400, random_state=0)


@pytest.fixture(scope="module")
def astronaut_patches():
    # 300 RGB 6x6 patches of astronaut(), uint8.
    return extract_patches_2d(data.astronaut(), (6, 6), max_patches=300, random_state=0)


PCA_PARAMS = [
    {},
    {"n_components": 16},
    {"n_components": 0.9, "whiten": True},
    {"n_components": "mle", "svd_solver": "full"},
    {"n_components": 10, "svd_solver": "randomized", "random_state": 0},
    {"n_components": 5, "svd_solver": "arpack", "random_state": 0},
    {"n_components": 8, "svd_solver": "covariance_eigh"},
]


def _assert_same_as_pca(reducer, pca, images, rows, rtol, atol):
    """Fitted attributes, transform, fit_transform and inverse_transform agree."""
    assert reducer.n_components_ == pca.n_components_
    for name in (
        "components_",
        "explained_variance_",
        "explained_variance_ratio_",
        "singular_values_",
        "mean_",
    ):
        assert_allclose(getattr(reducer, name), getattr(pca, name), rtol=rtol, atol=atol)
    assert_allclose(reducer.noise_variance_, pca.noise_variance_, rtol=rtol, atol=atol)
    features = reducer.transform(images)
    assert_allclose(features, pca.transform(rows), rtol=rtol, atol=atol)
    assert_allclose(
        reducer.inverse_transform(features).reshape(len(rows), -1),
        pca.inverse_transform(pca.transform(rows)),
        rtol=rtol,
        atol=atol,
    )


@pytest.mark.parametrize("params", PCA_PARAMS, ids=str)
def test_equals_pca_on_digits(digits, params):
    rows = digits.reshape(len(digits), -1)
    reducer = PCAReducer(**params).fit(digits)
    pca = PCA(**params).fit(rows)
    assert isinstance(reducer.pca_, PCA)
    # Same solver on the same float64 matrix: equal to rounding.
    _assert_same_as_pca(reducer, pca, digits, rows, rtol=1e-10, atol=1e-10)
    assert_allclose(
        PCAReducer(**params).fit_transform(digits),
        PCA(**params).fit_transform(rows),
        rtol=1e-10,
        atol=1e-10,
    )


def test_digits_golden_explained_variance(digits):
    # The well-known spectrum of the digits data set.
    reducer = PCAReducer(n_components=3).fit(digits)
    assert_allclose(
        reducer.explained_variance_ratio_,
        [0.14890594, 0.13618771, 0.11794594],
        rtol=1e-6,
    )
    assert PCAReducer(n_components=0.9).fit(digits).n_components_ == 21
    assert PCAReducer(n_components="mle").fit(digits).n_components_ == 61


@pytest.mark.parametrize(
    "params",
    [
        {"n_components": 12},
        {"n_components": 10, "svd_solver": "randomized", "random_state": 0},
        {"n_components": 6, "whiten": True, "svd_solver": "arpack", "random_state": 0},
    ],
    ids=str,
)
def test_equals_pca_on_camera_patches(camera_patches, params):
    # uint8 patches are computed in float32, as PCA on the float32 rows.
    rows = camera_patches.reshape(len(camera_patches), -1).astype(np.float32)
    reducer = PCAReducer(**params).fit(camera_patches)
    pca = PCA(**params).fit(rows)
    assert reducer.components_.dtype == np.float32
    # Values up to 255 in float32: relative 1e-5, absolute 1e-3.
    _assert_same_as_pca(reducer, pca, camera_patches, rows, rtol=1e-5, atol=1e-3)

    # And float64 patches against PCA in float64.
    patches64 = camera_patches.astype(np.float64)
    reducer = PCAReducer(**params).fit(patches64)
    pca = PCA(**params).fit(rows.astype(np.float64))
    _assert_same_as_pca(reducer, pca, patches64, patches64.reshape(len(rows), -1), 1e-10, 1e-8)


def test_full_reconstruction_equals_input(digits, camera_patches, astronaut_patches):
    reducer = PCAReducer().fit(digits)
    assert reducer.n_components_ == 64
    assert_allclose(reducer.inverse_transform(reducer.transform(digits)), digits, atol=1e-10)

    reducer = PCAReducer(whiten=True).fit(digits)
    # Whitening divides by the singular values: the smallest are ~1e-15 for
    # the constant border pixels of the digits, hence the looser tolerance.
    assert_allclose(reducer.inverse_transform(reducer.transform(digits)), digits, atol=1e-6)

    # float32 on values 0..255: the reconstruction is good to 1e-3.
    reducer = PCAReducer().fit(camera_patches)
    rec = reducer.inverse_transform(reducer.transform(camera_patches))
    assert rec.dtype == np.float32
    assert rec.shape == camera_patches.shape
    assert_allclose(rec, camera_patches, atol=1e-3)

    reducer = PCAReducer().fit(astronaut_patches)
    assert reducer.n_components_ == 6 * 6 * 3
    rec = reducer.inverse_transform(reducer.transform(astronaut_patches))
    assert rec.shape == astronaut_patches.shape
    assert_allclose(rec, astronaut_patches, atol=1e-3)


def test_fewer_components_reconstruct_the_projection(digits):
    # With k components the reconstruction is the projection on their span:
    # projecting it again changes nothing.
    reducer = PCAReducer(n_components=10).fit(digits)
    rec = reducer.inverse_transform(reducer.transform(digits))
    assert_allclose(reducer.transform(rec), reducer.transform(digits), atol=1e-10)
    residual = np.mean((rec - digits) ** 2)
    assert 0 < residual < np.mean((digits - digits.mean(axis=0)) ** 2)


def test_batch_and_flattened_layouts_give_the_same_numbers(digits):
    rows = digits.reshape(len(digits), -1)
    batch = PCAReducer(n_components=7).fit(digits)
    flat = PCAReducer(n_components=7, image_shape=(8, 8)).fit(rows)
    flat_no_shape = PCAReducer(n_components=7).fit(rows)
    expected = batch.transform(digits)
    assert_array_equal(flat.transform(rows), expected)
    assert_array_equal(flat_no_shape.transform(rows), expected)
    assert_array_equal(flat.components_, batch.components_)

    # inverse_transform answers in the layout of fit.
    assert batch.inverse_transform(expected).shape == (len(digits), 8, 8)
    assert flat.inverse_transform(expected).shape == (len(digits), 64)
    assert flat_no_shape.inverse_transform(expected).shape == (len(digits), 64)
    assert_array_equal(
        flat.inverse_transform(expected),
        batch.inverse_transform(expected).reshape(len(digits), -1),
    )

    # Components and mean as images, in the shape of fit.
    assert_array_equal(flat.components_images_, batch.components_images_)
    assert batch.components_images_.shape == (7, 8, 8)
    assert flat_no_shape.components_images_.shape == (7, 1, 64)
    assert batch.mean_image_.shape == (8, 8)
    assert flat_no_shape.mean_image_.shape == (1, 64)


def test_components_and_mean_as_images(astronaut_patches):
    reducer = PCAReducer(n_components=4).fit(astronaut_patches)
    assert reducer.components_images_.shape == (4, 6, 6, 3)
    assert_array_equal(
        reducer.components_images_.reshape(4, -1), reducer.components_
    )
    assert reducer.mean_image_.shape == (6, 6, 3)
    assert_allclose(
        reducer.mean_image_,
        astronaut_patches.astype(np.float64).mean(axis=0),
        rtol=1e-5,
    )
    # The components are orthonormal.
    flat = reducer.components_images_.reshape(4, -1).astype(np.float64)
    assert_allclose(flat @ flat.T, np.eye(4), atol=1e-5)


def test_get_feature_names_out(digits):
    reducer = PCAReducer(n_components=3).fit(digits)
    assert_array_equal(
        reducer.get_feature_names_out(), ["pcareducer0", "pcareducer1", "pcareducer2"]
    )
    reducer = PCAReducer(n_components=0.9).fit(digits)
    names = reducer.get_feature_names_out()
    assert len(names) == reducer.n_components_ == 21
    assert names[-1] == "pcareducer20"


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.uint8, np.float32),
        (np.uint16, np.float32),
    ],
)
def test_dtypes(camera_patches, dtype, expected):
    images = camera_patches.astype(dtype)
    reducer = PCAReducer(n_components=5).fit(images)
    features = reducer.transform(images)
    assert features.dtype == expected
    assert reducer.fit_transform(images).dtype == expected
    assert reducer.inverse_transform(features).dtype == expected
    assert reducer.components_images_.dtype == expected
    assert reducer.mean_image_.dtype == expected


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_input_not_modified(camera_patches, dtype):
    images = camera_patches.astype(dtype)
    before = images.copy()
    reducer = PCAReducer(n_components=5, whiten=True)
    reducer.fit_transform(images)
    features = reducer.fit(images).transform(images)
    assert_array_equal(images, before)

    features_before = features.copy()
    reducer.inverse_transform(features)
    assert_array_equal(features, features_before)

    # Read-only input works and gives the same numbers.
    rows = images.reshape(len(images), -1)
    rows.setflags(write=False)
    flat = PCAReducer(n_components=5, whiten=True, image_shape=(8, 8))
    assert_allclose(flat.fit_transform(rows), reducer.fit_transform(images), rtol=1e-6)
    assert_array_equal(images, before)


def test_transform_on_another_image_shape_names_both_shapes(digits, camera_patches):
    reducer = PCAReducer(n_components=3).fit(digits)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(8, 8\).*\(9, 9\)"):
        reducer.transform(np.zeros((2, 9, 9)))
    # Same number of pixels, other shape.
    with pytest.raises(ValueError, match=r"fitted on images of shape \(8, 8\).*\(4, 16\)"):
        reducer.transform(np.zeros((2, 4, 16)))
    with pytest.raises(ValueError, match=r"fitted on images of shape \(8, 8\).*\(8, 8, 3\)"):
        reducer.transform(np.zeros((2, 8, 8, 3)))
    # Rows of a batch-fitted reducer need image_shape.
    with pytest.raises(ValueError, match=r"\(8, 8\).*\(1, 64\).*image_shape=\(8, 8\)"):
        reducer.transform(digits.reshape(len(digits), -1))


def test_errors(digits):
    with pytest.raises(ValueError, match=r"image_shape=\(9, 9\).*81.*64 features"):
        PCAReducer(image_shape=(9, 9)).fit(digits.reshape(len(digits), -1))
    with pytest.raises(ValueError, match="n_components"):
        PCAReducer(n_components=-1).fit(digits)
    with pytest.raises(ValueError, match="svd_solver"):
        PCAReducer(svd_solver="lapack").fit(digits)
    with pytest.raises(ValueError, match=r"got a 1D array of shape \(64,\)"):
        PCAReducer().fit(digits[0].ravel())
    with pytest.raises(ValueError, match="NaN"):
        PCAReducer().fit(np.full((3, 4, 4), np.nan))
    with pytest.raises(TypeError, match="sparse"):
        PCAReducer().fit(sp.random(5, 16, density=0.5, format="csr"))

    reducer = PCAReducer(n_components=3).fit(digits)
    with pytest.raises(ValueError, match=r"3 components.*\(n, 3\), got \(2, 4\)"):
        reducer.inverse_transform(np.zeros((2, 4)))
    with pytest.raises(NotFittedError):
        PCAReducer().transform(digits)
    with pytest.raises(NotFittedError):
        PCAReducer().components_images_


def test_clone_keeps_parameters_and_refits_alike(digits):
    reducer = PCAReducer(n_components=4, svd_solver="randomized", random_state=3)
    a = reducer.fit(digits).transform(digits)
    b = clone(reducer).fit(digits).transform(digits)
    assert_array_equal(a, b)


@pytest.mark.parametrize("svd_solver", ["randomized", "arpack", "full", "covariance_eigh"])
def test_pickled_reducer_gives_identical_features(digits, svd_solver):
    # scikit-learn's randomized and arpack solvers leave components_ a strided
    # view, which pickling turns contiguous (and the last bits of a plain PCA's
    # transform change); the reducer keeps contiguous arrays, so they do not.
    reducer = PCAReducer(n_components=5, svd_solver=svd_solver, random_state=0).fit(digits)
    assert reducer.components_.flags.c_contiguous or reducer.components_.flags.f_contiguous
    restored = pickle.loads(pickle.dumps(reducer))
    assert_array_equal(restored.transform(digits), reducer.transform(digits))
    assert_array_equal(restored.transform(digits[:1]), reducer.transform(digits[:1]))
    features = reducer.transform(digits[:10])
    assert_array_equal(restored.inverse_transform(features), reducer.inverse_transform(features))
