"""LBPExtractor and lbp_histograms: codes identical to
skimage.feature.local_binary_pattern, histograms equal to np.histogram of them."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from skimage import color, data
from skimage.feature import local_binary_pattern
from sklearn.pipeline import FeatureUnion

from skimgprep import HOGExtractor, LBPExtractor, lbp_histograms
from skimgprep.features import _lbp

METHODS = ["uniform", "default", "ror", "nri_uniform"]

#: (n_points, radius): the usual ones, radii that are not whole numbers
#: (every neighbour interpolated), and 24 points (past the code table:
#: the rules run on the pixels).
CONFIGS = [(8, 1), (8, 1.5), (4, 2.3), (12, 2), (5, 0.7), (16, 2.5), (24, 3)]


def reference_codes(images, n_points, radius, method):
    """scikit-image's codes, image by image."""
    with warnings.catch_warnings():
        # It warns that float images may give unexpected codes.
        warnings.simplefilter("ignore", UserWarning)
        return np.stack(
            [local_binary_pattern(image, n_points, radius, method) for image in images]
        )


def reference_histograms(codes, n_bins, grid):
    """np.histogram of the codes of each cell (np.array_split), cell by cell."""
    rows = []
    for image in codes:
        row = []
        for band in np.array_split(image, grid[0], axis=0):
            for cell in np.array_split(band, grid[1], axis=1):
                counts, _ = np.histogram(cell, bins=n_bins, range=(0, n_bins))
                row.append(counts / cell.size)
        rows.append(np.concatenate(row))
    return np.array(rows)


@pytest.fixture(scope="module")
def patches():
    """uint8 patches of camera, coins and brick, 41x37 (odd sizes)."""
    camera, coins, brick = data.camera(), data.coins(), data.brick()
    return np.stack(
        [camera[r : r + 41, c : c + 37] for r, c in [(100, 200), (300, 90), (0, 0)]]
        + [coins[r : r + 41, c : c + 37] for r, c in [(50, 60), (200, 250)]]
        + [brick[r : r + 41, c : c + 37] for r, c in [(10, 20), (300, 400)]]
    )


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("method", METHODS)
def test_codes_identical_to_skimage(patches, config, method):
    # Tolerance: none, every code identical.
    n_points, radius = config
    rng = np.random.default_rng(n_points)
    random = rng.random((3, 23, 29))
    for images in (patches, patches / 255.0, random, random.astype(np.float32)):
        codes = _lbp._lbp_codes(images.astype(np.float64), n_points, radius, method)
        assert codes.dtype == np.int32
        assert_array_equal(codes, reference_codes(images, n_points, radius, method))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_histograms_equal_reference(patches, method, dtype):
    images = patches.astype(dtype) if dtype == np.uint8 else (patches / 255).astype(dtype)
    n_points, radius, grid = 8, 1.5, (3, 2)
    features = lbp_histograms(
        images, n_points=n_points, radius=radius, method=method, grid=grid
    )
    n_bins = {"uniform": 10, "default": 256, "ror": 256, "nri_uniform": 59}[method]
    codes = reference_codes(images, n_points, radius, method)
    expected = reference_histograms(codes, n_bins, grid)
    assert features.shape == (len(images), 6 * n_bins)
    assert features.dtype == (np.float64 if dtype == np.float64 else np.float32)
    assert_array_equal(features, expected.astype(features.dtype))
    # Each cell's histogram sums to 1.
    assert_array_equal(features.reshape(len(images), 6, n_bins).sum(axis=2).round(5), 1)


def test_golden_flat_image():
    # All ones, 4x4, P=4, R=1: outside the image the neighbours are 0. Each
    # 2x2 cell holds a corner (2 neighbours inside: code 2), two border
    # pixels (code 3) and an inner pixel (code 4).
    features = lbp_histograms(np.ones((1, 4, 4)), n_points=4, radius=1, grid=(2, 2))
    assert_array_equal(features, np.tile([0, 0, 0.25, 0.5, 0.25, 0], 4)[None])
    # A ramp growing right and down, P=4 "default": the bits are right (1),
    # up (2), left (4), down (8), set when the neighbour is >= the pixel:
    # right and down inside the image, never up or left.
    ramp = np.arange(9.0).reshape(1, 3, 3) + 1
    codes = _lbp._lbp_codes(ramp, 4, 1, "default")
    assert_array_equal(codes[0], [[9, 9, 8], [9, 9, 8], [1, 1, 0]])
    assert_array_equal(codes, reference_codes(ramp, 4, 1, "default"))


def test_colour_images_through_rgb2gray():
    astronaut = data.astronaut()
    rgb = np.stack([astronaut[r : r + 30, c : c + 34] for r, c in [(40, 200), (250, 100)]])
    rgba = np.concatenate([rgb, np.full(rgb.shape[:3] + (1,), 128, np.uint8)], axis=3)
    for images, gray in [
        (rgb, color.rgb2gray(rgb)),
        ((rgb / 255).astype(np.float32), color.rgb2gray((rgb / 255).astype(np.float32))),
        (rgba, color.rgb2gray(color.rgba2rgb(rgba))),
    ]:
        features = lbp_histograms(images, grid=(2, 2))
        codes = reference_codes(gray, 8, 1, "uniform")
        assert_array_equal(features, reference_histograms(codes, 10, (2, 2)).astype(np.float32))
    # A single channel is grayscale, used as it is.
    assert_array_equal(
        lbp_histograms(rgb[..., :1], grid=(2, 2)), lbp_histograms(rgb[..., 0], grid=(2, 2))
    )


def test_flattened_equals_batch_and_input_unchanged(patches):
    images = (patches / 255).astype(np.float32)
    before = images.copy()
    flat = images.reshape(len(images), -1)
    lbp = LBPExtractor(grid=(2, 3), image_shape=images.shape[1:]).fit(flat)
    assert_array_equal(lbp.transform(flat), lbp_histograms(images, grid=(2, 3)))
    assert_array_equal(images, before)
    # Read-only input works.
    images.setflags(write=False)
    assert_array_equal(lbp_histograms(images, grid=(2, 3)), lbp.transform(flat))
    # Colour, flattened.
    rgb = data.astronaut()[:20, :24]
    batch = np.stack([rgb, rgb[::-1]])
    assert_array_equal(
        lbp_histograms(batch.reshape(2, -1), image_shape=(20, 24, 3)), lbp_histograms(batch)
    )


def test_chunks_jobs_and_passes_do_not_change_the_features(patches, monkeypatch):
    expected = lbp_histograms(patches, method="nri_uniform", grid=(2, 2))
    for params in ({"n_jobs": 2}, {"batch_size": 1}, {"batch_size": 3, "n_jobs": 2}):
        assert_array_equal(
            lbp_histograms(patches, method="nri_uniform", grid=(2, 2), **params), expected
        )
    # Several passes inside a chunk.
    monkeypatch.setattr(_lbp, "_BLOCK_PIXELS", 2 * 41 * 37)
    assert_array_equal(lbp_histograms(patches, method="nri_uniform", grid=(2, 2)), expected)


def test_any_size_and_lists(patches):
    lbp = LBPExtractor(grid=(2, 2)).fit(patches)
    other = data.coins()[:50, :60]
    assert_array_equal(lbp.transform(other[None]), lbp_histograms(other[None], grid=(2, 2)))
    images = [patches[0], other, patches[1]]
    expected = np.concatenate(
        [lbp_histograms(image[None], grid=(2, 2)) for image in images]
    )
    assert_array_equal(lbp.transform(images), expected)
    assert_array_equal(lbp_histograms(images, grid=(2, 2)), expected)


def test_feature_names():
    lbp = LBPExtractor(n_points=4, method="uniform", grid=(2, 3)).fit(np.zeros((1, 6, 6)))
    names = lbp.get_feature_names_out()
    assert lbp.n_bins_ == 6
    assert len(names) == 2 * 3 * 6 == lbp.transform(np.zeros((1, 6, 6))).shape[1]
    assert list(names[:2]) == ["lbp_cell0_0_bin0", "lbp_cell0_0_bin1"]
    assert names[6] == "lbp_cell0_1_bin0"
    assert names[-1] == "lbp_cell1_2_bin5"


def test_feature_union_with_hog(patches):
    images = (patches / 255)[:, :32, :32]
    lbp = LBPExtractor(grid=(2, 2))
    hog = HOGExtractor(pixels_per_cell=(8, 8), cells_per_block=(2, 2))
    union = FeatureUnion([("lbp", lbp), ("hog", hog)])
    features = union.fit_transform(images)
    expected = np.hstack([lbp.fit_transform(images), hog.fit_transform(images)])
    assert features.shape == (len(images), 40 + 9 * 36)
    assert_array_equal(features, expected)
    names = union.get_feature_names_out()
    assert list(names[:40]) == ["lbp__" + n for n in lbp.get_feature_names_out()]
    assert list(names[40:]) == ["hog__" + n for n in hog.get_feature_names_out()]


def test_errors():
    images = np.zeros((2, 5, 7))
    with pytest.raises(ValueError, match=r"grid=\(6, 2\), larger than images of 5x7 pixels"):
        LBPExtractor(grid=(6, 2)).fit(images)
    with pytest.raises(ValueError, match=r"pass image_shape=\(h, w\)"):
        LBPExtractor(grid=(2, 2)).fit(np.zeros((3, 20)))
    lbp = LBPExtractor(grid=(4, 4)).fit(np.zeros((1, 8, 8)))
    with pytest.raises(ValueError, match=r"grid=\(4, 4\), larger than images of 3x9 pixels"):
        lbp.transform(np.zeros((1, 3, 9)))
    with pytest.raises(ValueError, match=r"grid must be a tuple of two positive integers"):
        LBPExtractor(grid=(0, 2)).fit(images)
    with pytest.raises(ValueError, match=r"'method' parameter of LBPExtractor must be"):
        LBPExtractor(method="var").fit(images)
    with pytest.raises(ValueError, match=r"at most n_points=24 .* got n_points=25"):
        LBPExtractor(n_points=25, method="default").fit(images)
    with pytest.raises(ValueError, match=r"RGBA \(h, w, 4\) images; got images of shape "):
        LBPExtractor().fit(np.zeros((2, 5, 7, 2)))
    with pytest.raises(ValueError, match=r"fitted on images with 3 channel\(s\)"):
        LBPExtractor().fit(np.zeros((2, 5, 7, 3))).transform(images)
    with pytest.raises(ValueError, match=r"X\[1\] has shape \(2, 9\)"):
        LBPExtractor(grid=(3, 3)).fit([np.zeros((5, 5)), np.zeros((2, 9))])


def test_gathered_neighbours_equal_shifted_views():
    # The gathering fallback of _take (sources not a constant shift) gives
    # the shifted view's values.
    padded = np.arange(2 * 9 * 10, dtype=float).reshape(2, 9, 10)
    view = _lbp._take(padded, 2, 1, -1, 5, 6)
    rows, cols = np.arange(5) + 1, np.arange(6) - 1
    assert_array_equal(_lbp._take(padded, 2, rows, cols, 5, 6), view)
    assert_array_equal(_lbp._take(padded, 2, 1, cols, 5, 6), view)
    assert_array_equal(_lbp._take(padded, 2, rows, -1, 5, 6), view)
    assert_array_equal(view, padded[:, 3:8, 1:7])
