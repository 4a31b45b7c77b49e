"""HOGExtractor and hog_batch: equal to skimage.feature.hog on every image."""

import numpy as np
import pytest
from joblib import parallel_config
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data
from skimage.feature import hog
from sklearn.datasets import load_digits

from skimgprep import HOGExtractor, hog_batch

#: Absolute tolerance against scikit-image (features lie in [0, 1]).
ATOL = 1e-6

BLOCK_NORMS = ["L1", "L1-sqrt", "L2", "L2-Hys"]

#: (orientations, pixels_per_cell, cells_per_block): the default, and one
#: with 4 bins, whose boundaries at 0, 45, 90, 135 degrees are hit exactly by
#: the gradients of integer images.
CONFIGS = [
    (9, (8, 8), (3, 3)),
    (4, (4, 5), (2, 3)),
]


def reference(images, **params):
    """skimage.feature.hog image by image, as the features must come out."""
    channel_axis = -1 if images.ndim == 4 else None
    return np.stack(
        [hog(image, channel_axis=channel_axis, feature_vector=True, **params) for image in images]
    )


def as_dtype(images, dtype):
    if dtype == np.uint8:
        return images.astype(np.uint8)
    return (images / 255).astype(dtype)


@pytest.fixture(scope="module")
def camera_crops():
    """Twelve 70x53 crops of the camera image: sizes not a multiple of the cells."""
    camera = data.camera()
    return np.stack(
        [camera[r : r + 70, c : c + 53] for r in (0, 150, 300, 430) for c in (20, 200, 400)]
    )


@pytest.fixture(scope="module")
def astronaut_crops():
    """Nine 51x45 RGB crops of the astronaut image."""
    astronaut = data.astronaut()
    return np.stack(
        [astronaut[r : r + 51, c : c + 45] for r in (30, 200, 420) for c in (10, 230, 440)]
    )


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("transform_sqrt", [False, True])
@pytest.mark.parametrize("block_norm", BLOCK_NORMS)
@pytest.mark.parametrize("config", CONFIGS)
def test_grayscale_equals_skimage(camera_crops, dtype, transform_sqrt, block_norm, config):
    orientations, pixels_per_cell, cells_per_block = config
    images = as_dtype(camera_crops, dtype)
    params = dict(
        orientations=orientations,
        pixels_per_cell=pixels_per_cell,
        cells_per_block=cells_per_block,
        block_norm=block_norm,
        transform_sqrt=transform_sqrt,
    )
    features = HOGExtractor(**params).fit_transform(images)
    expected = reference(images, **params)
    assert features.shape == expected.shape
    assert features.dtype == (np.float64 if dtype == np.float64 else np.float32)
    assert_allclose(features, expected, rtol=0, atol=ATOL)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("transform_sqrt", [False, True])
@pytest.mark.parametrize("block_norm", BLOCK_NORMS)
@pytest.mark.parametrize("config", CONFIGS)
def test_colour_equals_skimage(astronaut_crops, dtype, transform_sqrt, block_norm, config):
    orientations, pixels_per_cell, cells_per_block = config
    images = as_dtype(astronaut_crops, dtype)
    params = dict(
        orientations=orientations,
        pixels_per_cell=pixels_per_cell,
        cells_per_block=cells_per_block,
        block_norm=block_norm,
        transform_sqrt=transform_sqrt,
    )
    features = hog_batch(images, **params)
    expected = reference(images, **params)
    assert features.dtype == (np.float64 if dtype == np.float64 else np.float32)
    assert_allclose(features, expected, rtol=0, atol=ATOL)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("block_norm", BLOCK_NORMS)
def test_digits_upscaled_equal_skimage(dtype, block_norm):
    # 8x8 digits (values 0..16) upscaled 4x by pixel repetition: flat areas,
    # axis-aligned and diagonal edges.
    digits = load_digits().images[:60]
    images = np.kron(digits, np.ones((4, 4))).astype(dtype)
    for orientations in (8, 9):
        params = dict(
            orientations=orientations,
            pixels_per_cell=(4, 4),
            cells_per_block=(2, 2),
            block_norm=block_norm,
        )
        features = hog_batch(images, **params)
        assert features.dtype == dtype
        assert_allclose(features, reference(images, **params), rtol=0, atol=ATOL)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("channels", [None, 1, 3, 4])
def test_random_images_equal_skimage(dtype, channels):
    rng = np.random.default_rng(0)
    shape = (10, 37, 29) if channels is None else (10, 37, 29, channels)
    images = rng.random(shape).astype(dtype)
    params = dict(orientations=7, pixels_per_cell=(6, 5), cells_per_block=(2, 3))
    for block_norm in BLOCK_NORMS:
        features = hog_batch(images, block_norm=block_norm, **params)
        expected = reference(images, block_norm=block_norm, **params)
        assert_allclose(features, expected, rtol=0, atol=ATOL)


def test_exact_bin_boundary_golden():
    # A diagonal ramp: every inner gradient is (2, 2), exactly 45 degrees,
    # which skimage puts in bin [45, 90) of 4 bins (float32's arctan2 gives
    # 44.999996). First row: gradient (0, 2), bin 0; first column: (2, 0),
    # 90 degrees, bin 2; the corner pixel has no gradient.
    ramp = np.add.outer(np.arange(8), np.arange(8))
    params = dict(
        orientations=4, pixels_per_cell=(4, 4), cells_per_block=(1, 1), block_norm="L1"
    )
    cell = np.array([3 * 2, 9 * 2 * np.sqrt(2), 3 * 2, 0]) / 16  # (0, 0): sums / area
    golden = cell / (cell.sum() + 1e-5)
    for dtype in (np.uint8, np.float32, np.float64):
        features = hog_batch(ramp[None].astype(dtype), **params)
        assert_allclose(features[0, :4], golden, rtol=0, atol=ATOL)
        assert_allclose(features, reference(ramp[None].astype(dtype), **params), atol=ATOL)


def test_arctan2_is_constant_along_the_special_directions():
    # The kernel takes the bins of g_col == 0 and |g_row| == |g_col| from one
    # vector per direction; that holds because numpy's float64 arctan2 gives
    # the same value at every magnitude.
    rng = np.random.default_rng(0)
    t = np.concatenate([rng.random(20_000) * 10.0 ** rng.integers(-300, 300, 20_000),
                        np.arange(1.0, 1000.0)])
    for s_row, s_col in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
        assert np.all(np.arctan2(s_row * t, s_col * t) == np.arctan2(s_row, s_col))
    for s_row in (1, -1):
        for zero in (0.0, -0.0):
            assert np.all(np.arctan2(s_row * t, zero) == np.arctan2(s_row, 0.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_boundary_directions_at_any_magnitude_equal_skimage(dtype):
    # Tiles whose gradients lie exactly at 0, 90, 45 and 135 degrees (both
    # signs), bin boundaries for 4 and 8 bins, scaled from tiny to huge.
    ramp = np.arange(8.0)
    tiles = [
        np.tile(ramp, (8, 1)),  # (0, 2): 0 degrees
        np.tile(ramp[:, None], (1, 8)),  # (2, 0): 90 degrees
        np.add.outer(ramp, ramp),  # (2, 2): 45 degrees
        np.subtract.outer(ramp, ramp),  # (2, -2): 135 degrees
    ]
    tiles += [-t for t in tiles]
    image = np.block([tiles[:4], tiles[4:]])
    # skimage sums a cell in float32: beyond 1e30 it overflows.
    exponent = 12 if dtype == np.float32 else 30
    scales = [10.0**-exponent, 1e-3, 1.0, 7.0, 10.0**exponent]
    images = np.stack([image * s for s in scales]).astype(dtype)
    images[1, ::3, ::5] = -0.0  # signed zeros in the gradients
    for orientations in (4, 8, 9):
        params = dict(
            orientations=orientations, pixels_per_cell=(4, 4), cells_per_block=(2, 2)
        )
        features = hog_batch(images, **params)
        assert features.dtype == dtype
        assert_allclose(features, reference(images, **params), rtol=0, atol=ATOL)


@pytest.mark.parametrize("orientations", [1, 2, 180])
def test_any_number_of_bins_equals_skimage(camera_crops, orientations):
    params = dict(orientations=orientations, pixels_per_cell=(7, 6), cells_per_block=(2, 2))
    for images in (camera_crops, (camera_crops / 255).astype(np.float32)):
        features = hog_batch(images, **params)
        assert_allclose(features, reference(images, **params), rtol=0, atol=ATOL)


def test_colour_tie_goes_to_first_channel():
    # Channel 0 changes along the columns, channel 1 along the rows, with
    # equal magnitudes: skimage takes channel 0, whose gradient is at 0 degrees.
    ramp = np.tile(np.arange(12.0), (12, 1))
    image = np.stack([ramp, ramp.T, np.zeros_like(ramp)], axis=-1)[None]
    params = dict(
        orientations=4, pixels_per_cell=(6, 6), cells_per_block=(1, 1), block_norm="L1"
    )
    features = hog_batch(image, **params)
    assert_allclose(features, reference(image, **params), rtol=0, atol=ATOL)
    # Cell (1, 1): its first 5 columns take the gradient (0, 2) of channel 0,
    # bin 0; on its last column (the image border) channel 0 has no gradient
    # and channel 1 gives (2, 0), 90 degrees, bin 2, except on the last row.
    expected_cell = np.array([6 * 5 * 2, 0, 5 * 2, 0]) / 36
    assert_allclose(features[0, 12:16], expected_cell / (expected_cell.sum() + 1e-5), atol=ATOL)


def test_one_pixel_tall_images_of_the_common_checks():
    # 2D X with image_shape=None: rows are images of shape (1, d).
    X = np.random.default_rng(1).random((5, 11))
    extractor = HOGExtractor(pixels_per_cell=(1, 1), cells_per_block=(1, 1)).fit(X)
    features = extractor.transform(X)
    expected = reference(X[:, None, :], pixels_per_cell=(1, 1), cells_per_block=(1, 1))
    assert features.shape == (5, 11 * 9)
    assert_allclose(features, expected, rtol=0, atol=ATOL)


def test_feature_names_and_hog_shape(camera_crops):
    extractor = HOGExtractor(orientations=6, pixels_per_cell=(8, 8), cells_per_block=(2, 2))
    features = extractor.fit_transform(camera_crops)
    skimage_shape = hog(
        camera_crops[0], orientations=6, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
        feature_vector=False,
    ).shape
    assert extractor.hog_shape_ == skimage_shape == (7, 5, 2, 2, 6)
    assert extractor._n_features_out == features.shape[1] == 7 * 5 * 2 * 2 * 6 == 840
    names = extractor.get_feature_names_out()
    assert len(names) == 840
    assert_array_equal(
        names[:3],
        ["hog_block0_0_cell0_0_o0", "hog_block0_0_cell0_0_o1", "hog_block0_0_cell0_0_o2"],
    )
    # The column of block (3, 4), cell (1, 0), bin 5 in skimage's layout.
    column = np.ravel_multi_index((3, 4, 1, 0, 5), skimage_shape)
    assert names[column] == "hog_block3_4_cell1_0_o5"
    assert names[-1] == "hog_block6_4_cell1_1_o5"


@pytest.mark.parametrize("colour", [False, True])
def test_flattened_input_gives_the_batch_features(camera_crops, astronaut_crops, colour):
    images = astronaut_crops if colour else camera_crops
    params = dict(pixels_per_cell=(6, 6), cells_per_block=(2, 2))
    batch = HOGExtractor(**params).fit_transform(images)
    flat = images.reshape(len(images), -1)
    extractor = HOGExtractor(image_shape=images.shape[1:], **params).fit(flat)
    assert_array_equal(extractor.transform(flat), batch)
    assert extractor.image_shape_ == images.shape[1:]
    assert_array_equal(hog_batch(flat, image_shape=images.shape[1:], **params), batch)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("transform_sqrt", [False, True])
def test_input_not_modified(astronaut_crops, dtype, transform_sqrt):
    images = as_dtype(astronaut_crops, dtype)
    flat = images.reshape(len(images), -1)
    for X, image_shape in ((images, None), (images[..., 0], None), (flat, images.shape[1:])):
        before = X.copy()
        HOGExtractor(
            pixels_per_cell=(4, 4), transform_sqrt=transform_sqrt, image_shape=image_shape
        ).fit_transform(X)
        assert_array_equal(X, before)


def test_same_features_for_any_batch_size_and_n_jobs(astronaut_crops):
    params = dict(pixels_per_cell=(5, 4), cells_per_block=(2, 2))
    for images in (astronaut_crops, astronaut_crops[..., 1] / np.float32(255)):
        expected = hog_batch(images, batch_size=1, **params)
        for batch_size in (2, 4, None):
            for n_jobs in (1, 2):
                features = hog_batch(images, batch_size=batch_size, n_jobs=n_jobs, **params)
                assert_array_equal(features, expected)


def test_a_process_backend_set_by_the_caller_gives_the_same_features(camera_crops):
    # Threads are preferred, but a backend the caller sets is used as set.
    params = dict(pixels_per_cell=(6, 6), cells_per_block=(2, 2))
    expected = hog_batch(camera_crops, **params)
    with parallel_config(backend="loky"):
        features = hog_batch(camera_crops, batch_size=4, n_jobs=2, **params)
    assert_array_equal(features, expected)


def test_too_small_images_raise_before_work():
    X = np.zeros((2, 20, 30))
    message = (
        r"HOGExtractor needs images of at least 24x24 pixels for one block of 3x3 "
        r"cells of 8x8 pixels .*; got images of 20x30 pixels"
    )
    with pytest.raises(ValueError, match=message):
        HOGExtractor().fit(X)
    with pytest.raises(ValueError, match=r"at least 6x8 pixels .* got images of 5x30"):
        hog_batch(np.zeros((1, 5, 30)), pixels_per_cell=(3, 4), cells_per_block=(2, 2))


def test_shape_mismatch_at_transform_names_both_shapes():
    extractor = HOGExtractor(pixels_per_cell=(4, 4)).fit(np.zeros((2, 32, 32)))
    message = r"fitted on images of shape \(32, 32\), got .* \(32, 40\)"
    with pytest.raises(ValueError, match=message):
        extractor.transform(np.zeros((2, 32, 40)))
    flat = HOGExtractor(pixels_per_cell=(4, 4), image_shape=(16, 16)).fit(np.zeros((2, 256)))
    with pytest.raises(ValueError, match=r"X has 300 features, but HOGExtractor is expecting 256"):
        flat.transform(np.zeros((2, 300)))
    flat.set_params(image_shape=(8, 32))
    message = r"fitted on images of shape \(16, 16\); got .* \(8, 32\)"
    with pytest.raises(ValueError, match=message):
        flat.transform(np.zeros((2, 256)))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"pixels_per_cell": (0, 8)}, r"pixels_per_cell must be a tuple of two .*\(0, 8\)"),
        ({"cells_per_block": (2,)}, r"cells_per_block must be a tuple of two .*\(2,\)"),
        ({"pixels_per_cell": (8.0, 8)}, r"pixels_per_cell must be a tuple of two positive"),
    ],
)
def test_invalid_cell_and_block_sizes(params, message):
    with pytest.raises(ValueError, match=message):
        HOGExtractor(**params).fit(np.zeros((2, 32, 32)))


def test_transform_sqrt_needs_non_negative_pixels():
    X = np.full((2, 32, 32), 0.5)
    X[1, 3, 4] = -0.25
    with pytest.raises(ValueError, match=r"transform_sqrt=True\) needs non-negative .* -0.25"):
        HOGExtractor(transform_sqrt=True).fit(X)
    extractor = HOGExtractor(transform_sqrt=True).fit(X[:1])
    with pytest.raises(ValueError, match="needs non-negative"):
        extractor.transform(X)


def test_parameter_validation_in_fit():
    with pytest.raises(ValueError, match="block_norm"):
        HOGExtractor(block_norm="L3").fit(np.zeros((1, 32, 32)))
    with pytest.raises(ValueError, match="orientations"):
        HOGExtractor(orientations=0).fit(np.zeros((1, 32, 32)))
