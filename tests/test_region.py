"""RegionFeatureExtractor and region_features: skimage.measure.regionprops of
each image's largest object, and find_contours at the threshold level.

Tolerance: the features equal the scikit-image values exactly (the same
regionprops calls on the same object), after the cast to the output dtype
(float32 for integer and float32 images).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data, filters
from skimage.color import rgb2gray
from skimage.draw import disk
from skimage.measure import find_contours, label, regionprops
from sklearn.datasets import load_digits

from skimgprep import RegionFeatureExtractor, region_features

DEFAULT_NAMES = [
    "area",
    "perimeter",
    "eccentricity",
    "solidity",
    "extent",
    "orientation",
    *[f"hu_moment_{i}" for i in range(7)],
    "n_contours",
]

SCALARS = ["area", "perimeter", "eccentricity", "solidity", "extent", "orientation"]


def reference_features(gray, method="otsu", connectivity=2, invert=False, **params):
    """One row from scikit-image: threshold, label, largest region, regionprops."""
    if method == "local":
        t = filters.threshold_local(gray, params["block_size"], offset=params["offset"])
    else:
        t = getattr(filters, f"threshold_{method}")(gray)
    mask = gray <= t if invert else gray > t
    regions = regionprops(label(mask, connectivity=connectivity))
    if not regions:
        return np.zeros(len(DEFAULT_NAMES))
    region = max(regions, key=lambda r: r.area)
    if method == "local":
        n_contours = len(find_contours(gray - t, 0.0))
    else:
        n_contours = len(find_contours(gray, t))
    return np.array(
        [getattr(region, name) for name in SCALARS] + list(region.moments_hu) + [n_contours],
        dtype=np.float64,
    )


def test_rectangle_golden():
    image = np.zeros((1, 30, 40))
    image[0, 5:17, 7:27] = 1.0  # 12 x 20
    extractor = RegionFeatureExtractor().fit(image)
    row = dict(zip(extractor.get_feature_names_out(), extractor.transform(image)[0]))
    assert row["area"] == 240
    assert row["perimeter"] == 60  # 2 * (12 - 1) + 2 * (20 - 1), skimage's 4-neighbour count
    assert row["extent"] == 1.0 and row["solidity"] == 1.0
    assert row["orientation"] == pytest.approx(np.pi / 2, abs=1e-12)  # wider than tall
    assert row["eccentricity"] == pytest.approx(np.sqrt(1 - (12**2 - 1) / (20**2 - 1)), abs=1e-12)
    assert row["n_contours"] == 1
    assert_array_equal(extractor.transform(image)[0], reference_features(image[0]))


def test_disk_golden():
    image = np.zeros((1, 41, 41))
    image[0][disk((20, 20), 15)] = 1.0
    features = region_features(image)[0]
    row = dict(zip(DEFAULT_NAMES, features))
    assert row["area"] == 697  # the pixels of skimage.draw.disk
    assert row["eccentricity"] == pytest.approx(0.0, abs=1e-12)
    assert row["solidity"] == pytest.approx(0.9776, abs=1e-4)
    assert row["hu_moment_0"] == pytest.approx(1 / (2 * np.pi), rel=2e-2)  # a disk's
    assert_array_equal(features, reference_features(image[0]))


def test_digits_equal_regionprops():
    images = load_digits().images[:200]  # float64: compared exactly
    extractor = RegionFeatureExtractor()
    features = extractor.fit_transform(images)
    assert features.shape == (200, 14) and features.dtype == np.float64
    expected = np.stack([reference_features(image) for image in images])
    assert_array_equal(features, expected)
    assert extractor.n_empty_ == 0


@pytest.fixture(scope="module")
def coin_crops():
    """Crops of the coins image of different sizes, a list."""
    coins = data.coins()
    return [
        coins[r : r + h, c : c + w]
        for (r, c, h, w) in [
            (10, 10, 60, 70),
            (100, 40, 80, 60),
            (200, 200, 90, 90),
            (30, 300, 70, 80),
            (150, 150, 50, 50),
        ]
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"method": "li", "connectivity": 1},
        {"method": "yen", "invert": True},
        {"method": "local", "block_size": 15, "offset": -2.0},
    ],
)
def test_coin_crops_equal_regionprops(coin_crops, params):
    extractor = RegionFeatureExtractor(**params)
    features = extractor.fit_transform(coin_crops)
    assert features.shape == (len(coin_crops), 14) and features.dtype == np.float32
    expected = np.stack([reference_features(crop, **params) for crop in coin_crops])
    assert_array_equal(features, expected.astype(np.float32))
    assert extractor.image_shape_ is None


def test_empty_images_give_zeros_and_are_counted():
    images = np.zeros((3, 10, 10))
    images[1, 2:5, 2:5] = 1.0
    extractor = RegionFeatureExtractor().fit(images)
    assert extractor.n_empty_ == 2
    features = extractor.transform(images)
    assert_array_equal(features[[0, 2]], 0.0)
    assert features[1, 0] == 9
    assert RegionFeatureExtractor().fit(images[1:2]).n_empty_ == 0
    extractor = RegionFeatureExtractor()
    extractor.fit_transform(images)
    assert extractor.n_empty_ == 2


def test_properties_and_names():
    images = load_digits().images[:20]
    properties = ("moments_hu", "area_convex", "euler_number", "n_contours", "axis_major_length")
    extractor = RegionFeatureExtractor(properties=properties).fit(images)
    names = extractor.get_feature_names_out()
    assert list(names) == [f"hu_moment_{i}" for i in range(7)] + [
        "area_convex",
        "euler_number",
        "n_contours",
        "axis_major_length",
    ]
    features = extractor.transform(images)
    default = RegionFeatureExtractor().fit_transform(images)
    assert_array_equal(features[:, :7], default[:, 6:13])
    assert_array_equal(features[:, 9], default[:, 13])
    for image, row in zip(images, features):
        regions = regionprops(label(image > filters.threshold_otsu(image)))
        region = max(regions, key=lambda r: r.area)
        assert row[7] == region.area_convex and row[8] == region.euler_number
        assert row[10] == region.axis_major_length
    assert list(RegionFeatureExtractor().fit(images).get_feature_names_out()) == DEFAULT_NAMES


def test_layouts_colour_chunking_and_input_kept():
    images = load_digits().images[:40]
    copy = images.copy()
    base = region_features(images)
    flat = RegionFeatureExtractor(image_shape=(8, 8)).fit_transform(images.reshape(40, -1))
    assert_array_equal(flat, base)
    chunked = RegionFeatureExtractor(batch_size=6, n_jobs=2).fit_transform(images)
    assert_array_equal(chunked, base)
    as32 = region_features(images.astype(np.float32))
    assert as32.dtype == np.float32
    assert_allclose(as32, base, rtol=1e-6)
    assert_array_equal(images, copy)
    # Colour images: the features of their rgb2gray.
    astronaut = data.astronaut()
    colour = np.stack([astronaut[:60, :70], astronaut[300:360, 100:170]])
    assert_array_equal(
        region_features(colour),
        region_features(rgb2gray(colour)).astype(np.float32),
    )
    # Any size at transform time.
    extractor = RegionFeatureExtractor().fit(images)
    bigger = np.kron(images[:3], np.ones((2, 2)))
    assert_array_equal(extractor.transform(bigger), region_features(bigger))


def test_region_errors():
    images = load_digits().images[:5]
    with pytest.raises(ValueError, match="unknown: 'convexity'"):
        RegionFeatureExtractor(properties=("area", "convexity")).fit(images)
    with pytest.raises(ValueError, match="must not repeat"):
        RegionFeatureExtractor(properties=("area", "area")).fit(images)
    with pytest.raises(ValueError, match="non-empty tuple"):
        RegionFeatureExtractor(properties=()).fit(images)
    with pytest.raises(ValueError, match="odd block_size"):
        RegionFeatureExtractor(method="local", block_size=8).fit(images)
    extractor = RegionFeatureExtractor(image_shape=(8, 8)).fit(images.reshape(5, -1))
    with pytest.raises(ValueError, match="input_features should have length"):
        extractor.get_feature_names_out(["a", "b"])
    with pytest.raises(ValueError, match="features"):
        extractor.transform(np.zeros((2, 10)))
