"""Resizer and Deskewer: equal to skimage.transform.resize and to a per-image
moments + warp reference on real images; lists of images of different sizes;
and the pipeline a list of mixed images goes through: ColorConverter ->
Resizer -> HOGExtractor -> classifier, in a grid search, pickled."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data, filters, measure, transform
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skimgprep import (
    ColorConverter,
    Deskewer,
    HOGExtractor,
    Resizer,
    deskew_images,
    resize_images,
)


def _sk_resize(image, output_shape, anti_aliasing=True):
    return transform.resize(
        image, output_shape, order=1, anti_aliasing=anti_aliasing, preserve_range=True
    )


@pytest.fixture(scope="module")
def astronaut_pair():
    """Two 256x256 quarters of astronaut(): (2, 256, 256, 3) uint8."""
    a = data.astronaut()
    return np.stack([a[:256, :256], a[256:, 256:]])


@pytest.fixture(scope="module")
def camera_crops():
    """Eight float32 crops of camera() of different sizes."""
    rng = np.random.default_rng(0)
    c = data.camera().astype(np.float32)
    crops = []
    for _ in range(8):
        h, w = rng.integers(12, 160, size=2)
        top, left = rng.integers(0, 512 - 160, size=2)
        crops.append(c[top : top + h, left : left + w])
    return crops


@pytest.fixture(scope="module")
def digits32():
    """200 digits of load_digits, upscaled to 32x32, float64 in [0, 16]."""
    return resize_images(load_digits().images[:200], (32, 32))


# -- Resizer: equality with skimage.transform.resize ---------------------------


@pytest.mark.parametrize("output_shape", [(100, 60), (300, 200), (256, 100), (17, 400)])
@pytest.mark.parametrize("anti_aliasing", [True, False])
def test_stretch_equals_skimage_resize(astronaut_pair, output_shape, anti_aliasing):
    resizer = Resizer(output_shape=output_shape, anti_aliasing=anti_aliasing)
    for batch in (astronaut_pair, astronaut_pair.mean(axis=3)):  # colour and gray
        for dtype in (np.float32, np.float64):
            X = batch.astype(dtype)
            out = resizer.fit_transform(X)
            ref = np.stack([_sk_resize(x, output_shape, anti_aliasing) for x in X])
            assert out.dtype == dtype
            # The same scipy.ndimage calls on the batch: equal bit for bit.
            assert_array_equal(out, ref)
    # uint8: computed in float32 where scikit-image computes in float64.
    out = resizer.fit_transform(astronaut_pair)
    ref = np.stack([_sk_resize(x, output_shape, anti_aliasing) for x in astronaut_pair])
    assert out.dtype == np.float32
    assert out.shape == (2,) + output_shape + (3,)
    assert_allclose(out, ref, rtol=0, atol=1e-4)  # float32 rounding of [0, 255]


def test_crop_equals_resize_of_the_centre_crop(astronaut_pair):
    camera = data.camera().astype(np.float64)
    cases = [
        # image, output_shape, the centre crop by hand
        (camera, (32, 64), camera[128:384, :]),  # target 2:1, keep 256 rows
        (camera, (64, 32), camera[:, 128:384]),  # target 1:2, keep 256 cols
        (camera[:300, :200], (50, 50), camera[50:250, :200]),  # square from 300x200
        (camera[:101, :300], (10, 20), camera[:101, 49:251]),  # 202 cols (101 * 2)
        (camera[:99, :99], (30, 30), camera[:99, :99]),  # same aspect: no crop
    ]
    for image, output_shape, crop in cases:
        out = Resizer(output_shape=output_shape, mode="crop").fit_transform(image[None])
        assert_array_equal(out[0], _sk_resize(crop, output_shape))
    colour = astronaut_pair[:, :, :200].astype(np.float32)  # 256x200 -> 1:1
    out = resize_images(colour, (40, 40), mode="crop")
    ref = np.stack([_sk_resize(x[28:228], (40, 40)) for x in colour])
    assert_array_equal(out, ref)


def test_pad_equals_resize_then_pad():
    camera = data.camera().astype(np.float32)
    image = camera[:300, :200]  # 300x200 into 60x60: scale 0.2 -> 60x40
    out = Resizer(output_shape=(60, 60), mode="pad", cval=-1.0).fit_transform(image[None])
    expected = np.full((60, 60), -1.0, dtype=np.float32)
    expected[:, 10:50] = _sk_resize(image, (60, 40))
    assert_array_equal(out[0], expected)
    # Wide image: 100x300 into 50x50 -> 17x50 (16.67 rounded), top = 16.
    image = camera[:100, :300]
    out = Resizer(output_shape=(50, 50), mode="pad").fit_transform(image[None])
    expected = np.zeros((50, 50), dtype=np.float32)
    expected[16:33] = _sk_resize(image, (17, 50))
    assert_array_equal(out[0], expected)


def test_pad_and_crop_golden_small():
    X = np.arange(12.0).reshape(1, 3, 4)  # one image 3x4
    # pad to 5x5: scale 5/4 -> 4x5 (3.75 rounded), top margin 0, bottom 1.
    out = Resizer(output_shape=(5, 5), mode="pad", cval=-1.0).fit_transform(X)[0]
    assert_array_equal(out[4], -1.0)
    assert_array_equal(out[:4], _sk_resize(X[0], (4, 5)))
    # crop to 1x2: keep 3 rows x 6 cols? No: 3x4 is narrower than 1:2, so
    # the rows are cropped to round(4 / 2) = 2, starting at row 0.
    out = Resizer(output_shape=(2, 4), mode="crop").fit_transform(X)[0]
    assert_array_equal(out, X[0, :2])
    # crop to a square: columns 0.5 each side -> columns 0..2 (left = 0).
    out = Resizer(output_shape=(3, 3), mode="crop").fit_transform(X)[0]
    assert_array_equal(out, X[0, :, :3])


# -- Resizer: lists, batches, layouts ------------------------------------------


@pytest.mark.parametrize("mode", ["stretch", "pad", "crop"])
def test_list_of_sizes_equals_per_image_reference(camera_crops, mode):
    out = Resizer(output_shape=(24, 32), mode=mode).fit_transform(camera_crops)
    assert isinstance(out, np.ndarray)
    assert out.shape == (8, 24, 32)
    assert out.dtype == np.float32
    for image, resized in zip(camera_crops, out):
        single = Resizer(output_shape=(24, 32), mode=mode).fit_transform(image[None])[0]
        assert_array_equal(resized, single)
    if mode == "stretch":
        for image, resized in zip(camera_crops, out):
            assert_array_equal(resized, _sk_resize(image, (24, 32)))


def test_single_image_list_and_batch_give_the_same_numbers(astronaut_pair, camera_crops):
    resizer = Resizer(output_shape=(50, 70))
    X = astronaut_pair.astype(np.float32)
    assert_array_equal(resizer.fit_transform([X[0]]), resizer.fit_transform(X[:1]))
    # A list of images of one size and the batch of them.
    assert_array_equal(resizer.fit_transform(list(X)), resizer.fit_transform(X))
    # uint8 list and uint8 batch.
    assert_array_equal(
        resizer.fit_transform(list(astronaut_pair)), resizer.fit_transform(astronaut_pair)
    )


def test_output_does_not_depend_on_batch_size_or_n_jobs(camera_crops, astronaut_pair):
    crops = camera_crops + [c[::2] for c in camera_crops]
    ref = Resizer(output_shape=(16, 16), mode="pad").fit_transform(crops)
    for kwargs in ({"batch_size": 1}, {"batch_size": 3}, {"n_jobs": 2}):
        out = Resizer(output_shape=(16, 16), mode="pad", **kwargs).fit_transform(crops)
        assert_array_equal(out, ref)
    X = np.concatenate([astronaut_pair] * 3)
    ref = Resizer(output_shape=(30, 40)).fit_transform(X)
    for kwargs in ({"batch_size": 1}, {"batch_size": 4}, {"n_jobs": 2}):
        assert_array_equal(Resizer(output_shape=(30, 40), **kwargs).fit_transform(X), ref)


def test_list_of_mixed_dtypes_has_the_widest_dtype(camera_crops):
    crops = [camera_crops[0].astype(np.uint8), camera_crops[1].astype(np.float64)]
    out = Resizer(output_shape=(8, 8)).fit_transform(crops)
    assert out.dtype == np.float64
    assert_allclose(out[0], _sk_resize(crops[0], (8, 8)), atol=1e-4)
    assert_array_equal(out[1], _sk_resize(crops[1], (8, 8)))


def test_flattened_input_gives_flattened_output(astronaut_pair):
    X = astronaut_pair.astype(np.float32)
    rows = X.reshape(2, -1)
    resizer = Resizer(output_shape=(20, 10), image_shape=X.shape[1:]).fit(rows)
    out = resizer.transform(rows)
    assert out.shape == (2, 20 * 10 * 3)
    assert_array_equal(out, Resizer(output_shape=(20, 10)).fit_transform(X).reshape(2, -1))
    names = resizer.get_feature_names_out()
    assert len(names) == 600
    assert names[0] == "resizer0" and names[-1] == "resizer599"
    # image_shape=None: rows are images one pixel tall.
    row = np.arange(6.0)[None]
    out = Resizer(output_shape=(1, 3), anti_aliasing=False).fit_transform(row)
    assert_array_equal(out, _sk_resize(row, (1, 3), False).reshape(1, -1))


def test_transform_accepts_any_size(astronaut_pair, camera_crops):
    resizer = Resizer(output_shape=(16, 16)).fit(np.zeros((3, 64, 64)))
    assert resizer.output_image_shape_ == (16, 16)
    out = resizer.transform(camera_crops[0][None])
    assert_array_equal(out[0], _sk_resize(camera_crops[0], (16, 16)))
    assert resizer.transform(camera_crops).shape == (8, 16, 16)
    # Fitted on a list of different sizes, then a batch and a list.
    resizer = Resizer(output_shape=(16, 16)).fit(camera_crops)
    assert resizer.image_shape_ is None
    assert not hasattr(resizer, "n_features_in_")
    assert resizer.transform(np.zeros((2, 40, 30))).shape == (2, 16, 16)
    assert resizer.transform(camera_crops[:3]).shape == (3, 16, 16)
    colour = Resizer(output_shape=(8, 9)).fit(list(astronaut_pair))
    assert colour.output_image_shape_ == (8, 9, 3)
    assert len(colour.get_feature_names_out()) == 8 * 9 * 3


def test_input_is_not_modified_and_dtypes(astronaut_pair):
    for X in (astronaut_pair.astype(np.float32), astronaut_pair.astype(np.float64)):
        before = X.copy()
        for mode in ("stretch", "pad", "crop"):
            out = Resizer(output_shape=(40, 300), mode=mode).fit_transform(X)
            assert out.dtype == X.dtype
            assert not np.shares_memory(out, X)
        assert_array_equal(X, before)
    out = Resizer(output_shape=(4, 4)).fit_transform(np.ones((2, 8, 8), dtype=bool))
    assert out.dtype == np.float32
    assert_array_equal(out, 1.0)


def test_mixed_grayscale_and_colour_is_a_clear_error(astronaut_pair):
    mixed = [astronaut_pair[0], astronaut_pair[1].mean(axis=2)]
    with pytest.raises(ValueError, match=r"X\[1\] is grayscale .*ColorConverter\(to="):
        Resizer().fit(mixed)
    rgba = np.dstack([astronaut_pair[1], np.full((256, 256), 255, np.uint8)])
    with pytest.raises(ValueError, match=r"3-channel .* X\[1\] is 4-channel"):
        Resizer().fit([astronaut_pair[0], rgba])
    resizer = Resizer().fit(astronaut_pair)
    with pytest.raises(ValueError, match=r"fitted on images with 3 channel\(s\)"):
        resizer.transform(astronaut_pair.mean(axis=3))
    with pytest.raises(ValueError, match="fitted on 3-channel images; got grayscale"):
        resizer.transform([astronaut_pair[0].mean(axis=2)])


@pytest.mark.parametrize("bad", [(32,), (32, 0), (32, 32, 3), (2.5, 3), ("a", "b")])
def test_bad_output_shape(bad):
    with pytest.raises(ValueError, match=r"output_shape must be a tuple of two positive integers \(h, w\)"):
        Resizer(output_shape=bad).fit(np.zeros((1, 4, 4)))


def test_resize_images_is_the_resizer(camera_crops):
    assert_array_equal(
        resize_images(camera_crops, (12, 12), mode="crop"),
        Resizer(output_shape=(12, 12), mode="crop").fit_transform(camera_crops),
    )


# -- Deskewer --------------------------------------------------------------------


def _deskew_reference(image, center):
    """The documented deskew, one image at a time, with scikit-image."""
    weights = np.maximum(image.astype(np.float64), 0)
    m = measure.moments(weights, order=1)
    r0, c0 = m[1, 0] / m[0, 0], m[0, 1] / m[0, 0]
    mu = measure.moments_central(weights, order=2)
    alpha = mu[1, 1] / mu[2, 0]
    h, w = image.shape
    if center:  # output (i, j) <- input (r0 + i - ci, c0 + alpha (i - ci) + j - cj)
        ci, cj = (h - 1) / 2, (w - 1) / 2
        matrix = [[1, alpha, c0 - cj - alpha * ci], [0, 1, r0 - ci], [0, 0, 1]]
    else:  # output (i, j) <- input (i, j + alpha (i - r0))
        matrix = [[1, alpha, -alpha * r0], [0, 1, 0], [0, 0, 1]]
    # warp's matrix maps output (col, row) to input (col, row).
    return transform.warp(
        image,
        transform.AffineTransform(matrix=np.array(matrix)),
        order=1,
        mode="constant",
        cval=0,
        preserve_range=True,
    )


@pytest.mark.parametrize("center", [True, False])
def test_deskew_equals_moments_and_warp_reference(digits32, center):
    ref = np.stack([_deskew_reference(x, center) for x in digits32])
    out = Deskewer(center=center).fit_transform(digits32)
    assert out.dtype == np.float64
    # Same coordinates, the bilinear sum in another order: float64 rounding.
    assert_allclose(out, ref, rtol=0, atol=1e-12)
    X32 = digits32.astype(np.float32)
    out = Deskewer(center=center).fit_transform(X32)
    ref = np.stack([_deskew_reference(x, center) for x in X32])
    assert out.dtype == np.float32
    # float32 interpolation weights, values up to 16: within 1e-4.
    assert_allclose(out, ref, rtol=0, atol=1e-4)


def _skew(image):
    mu = measure.moments_central(image, order=2)
    return mu[1, 1] / mu[2, 0]


def test_a_sheared_bar_is_unsheared():
    bar = np.zeros((48, 48))
    bar[8:40, 21:27] = 1.0
    bar = filters.gaussian(bar, 1.0)
    # Shear about the centre row: row i moves by -0.5 * (i - 23.5) columns.
    matrix = np.array([[1, 0.5, -0.5 * 23.5], [0, 1, 0], [0, 0, 1]])
    sheared = transform.warp(
        bar, transform.AffineTransform(matrix=matrix), order=1, preserve_range=True
    )
    assert abs(_skew(bar)) < 1e-12
    assert_allclose(_skew(sheared), -0.5, atol=1e-9)
    for center in (True, False):
        out = Deskewer(center=center).fit_transform(sheared[None])[0]
        assert abs(_skew(out)) < 1e-9  # mu11 drops to 0
        assert abs(measure.moments_central(out, order=2)[1, 1]) < 1e-6
        # The bar is back where it was, blurred by two bilinear resamplings.
        assert_allclose(out, bar, atol=0.04)


def test_colour_is_sheared_by_the_skew_of_the_channel_mean(digits32):
    gray = digits32[:20]
    colour = np.stack([gray, 0.5 * gray, 2 * gray], axis=3)
    out = Deskewer().fit_transform(colour)
    ref = Deskewer().fit_transform(gray)
    for k, factor in enumerate((1.0, 0.5, 2.0)):
        assert_allclose(out[..., k], factor * ref, rtol=0, atol=1e-12)


def test_degenerate_images_are_left_alone():
    X = np.zeros((3, 6, 7))
    X[1, 2, 1:5] = [1.0, 2.0, 3.0, 4.0]  # mass on one row: no skew
    X[2] = -1.0  # no positive mass
    out = Deskewer(center=False).fit_transform(X)
    assert_array_equal(out, X)
    out = Deskewer().fit_transform(X)
    assert_array_equal(out[0], 0.0)
    assert_array_equal(out[2], X[2])
    # With center=True the row moves to the centre row (2.5) and the centre of
    # mass (col 3) to the centre column (3): half a row down, bilinear.
    expected = np.zeros((6, 7))
    expected[2, 1:5] = expected[3, 1:5] = 0.5 * np.array([1.0, 2.0, 3.0, 4.0])
    assert_allclose(out[1], expected, atol=1e-12)


def test_deskew_layouts_chunks_and_dtypes(digits32):
    X = digits32[:50]
    ref = Deskewer().fit_transform(X)
    for kwargs in ({"batch_size": 1}, {"batch_size": 7}, {"n_jobs": 2}):
        assert_array_equal(Deskewer(**kwargs).fit_transform(X), ref)
    rows = X.reshape(50, -1)
    out = Deskewer(image_shape=(32, 32)).fit_transform(rows)
    assert out.shape == rows.shape
    assert_array_equal(out, ref.reshape(50, -1))
    before = X.copy()
    Deskewer().fit_transform(X)
    assert_array_equal(X, before)
    out = Deskewer().fit_transform(np.rint(X * 15).astype(np.uint8))
    assert out.dtype == np.float32
    assert_array_equal(deskew_images(X), ref)


def test_deskew_shape_mismatch_is_an_error(digits32):
    deskewer = Deskewer().fit(digits32)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(32, 32\)"):
        deskewer.transform(np.zeros((2, 16, 16)))


# -- the pipeline of the issue ----------------------------------------------------


def _mixed_digits(indices, seed):
    """Digits of load_digits as uint8 images of random sizes, in mixed modes.

    Each 8x8 digit is upscaled to a random size between 10 and 40 pixels a
    side; a third stay grayscale, a third become RGB, a third RGBA.
    """
    rng = np.random.default_rng(seed)
    digits = load_digits()
    images = []
    for k, i in enumerate(indices):
        size = tuple(int(s) for s in rng.integers(10, 41, size=2))
        image = np.rint(_sk_resize(digits.images[i], size) * 15.9).astype(np.uint8)
        if k % 3 == 1:
            image = np.stack([image] * 3, axis=2)
        elif k % 3 == 2:
            image = np.dstack([image] * 3 + [np.full(size, 255, np.uint8)])
        images.append(image)
    return images, digits.target[indices]


def test_mixed_list_pipeline_in_grid_search_and_pickled():
    order = np.random.default_rng(0).permutation(1797)
    X, y = _mixed_digits(order[:150], seed=0)
    assert {x.ndim for x in X} == {2, 3}
    assert {x.shape[2] for x in X if x.ndim == 3} == {3, 4}
    assert len({x.shape[:2] for x in X}) > 100  # many sizes
    pipe = make_pipeline(
        ColorConverter(to="gray"),
        Resizer(output_shape=(16, 16)),
        HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        LogisticRegression(max_iter=2000),
    )
    search = GridSearchCV(
        pipe,
        {"colorconverter__to": ["gray", "rgb"], "resizer__mode": ["stretch", "pad"]},
        cv=3,
    )
    search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 4 and np.all(np.isfinite(scores))
    assert search.best_score_ >= 0.85

    X_new, y_new = _mixed_digits(order[150:250], seed=1)  # other digits
    predicted = search.predict(X_new)
    assert np.mean(predicted == y_new) >= 0.85
    restored = pickle.loads(pickle.dumps(search))
    assert_array_equal(restored.predict(X_new), predicted)
    assert_array_equal(restored.predict_proba(X_new), search.predict_proba(X_new))

    # Without the colour step the mixed list is refused, with a hint.
    with pytest.raises(ValueError, match="ColorConverter"):
        make_pipeline(Resizer(), HOGExtractor()).fit(X, y)
