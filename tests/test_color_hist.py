"""ColorHistogramExtractor and color_histograms: equal to np.histogram of
scikit-image's colour conversions, image by image."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from skimage import color, data
from skimage.transform import resize
from skimage.util import img_as_float, img_as_ubyte

from skimgprep import ColorHistogramExtractor, color_histograms
from skimgprep.features import _color_hist

#: scikit-image's conversion and the channels' ranges, per colour space.
SPACES = {
    "rgb": (img_as_float, [(0.0, 1.0)] * 3),
    "hsv": (color.rgb2hsv, [(0.0, 1.0)] * 3),
    "lab": (color.rgb2lab, [(0.0, 100.0), (-128.0, 128.0), (-128.0, 128.0)]),
    "ycbcr": (color.rgb2ycbcr, [(16.0, 235.0), (16.0, 240.0), (16.0, 240.0)]),
}


def reference(images, bins, color_space):
    """np.histogram of each channel of skimage's conversion, image by image."""
    convert, ranges = SPACES[color_space]
    rows = []
    for image in images:
        converted = convert(image)
        row = []
        for c, (lo, hi) in enumerate(ranges):
            values = np.clip(converted[..., c], lo, hi)
            counts, _ = np.histogram(values, bins=bins, range=(lo, hi))
            row.append(counts / values.size)
        rows.append(np.concatenate(row))
    return np.array(rows)


@pytest.fixture(scope="module")
def rgb_uint8():
    """astronaut and immunohistochemistry, resized to 48x40, and 4 crops."""
    astronaut, ihc = data.astronaut(), data.immunohistochemistry()
    small = [img_as_ubyte(resize(im, (48, 40), anti_aliasing=True)) for im in (astronaut, ihc)]
    crops = [astronaut[100:148, 200:240], astronaut[300:348, 50:90],
             ihc[0:48, 0:40], ihc[400:448, 300:340]]
    return np.stack(small + crops)


@pytest.mark.parametrize("color_space", list(SPACES))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("bins", [16, 7])
def test_equals_numpy_histogram_of_skimage_conversion(rgb_uint8, color_space, dtype, bins):
    # Tolerance: none, the counts are np.histogram's.
    images = rgb_uint8 if dtype == np.uint8 else (rgb_uint8 / 255).astype(dtype)
    features = color_histograms(images, bins=bins, color_space=color_space)
    assert features.dtype == (np.float64 if dtype == np.float64 else np.float32)
    assert features.shape == (len(images), 3 * bins)
    expected = reference(images, bins, color_space)
    assert_array_equal(features, expected.astype(features.dtype))
    assert_array_equal(features.reshape(len(images), 3, bins).sum(axis=2).round(5), 1)


def test_golden_counts():
    image = np.zeros((1, 2, 2, 3), dtype=np.uint8)
    image[0, 0, 0] = [255, 0, 0]  # red: h 0, s 1, v 1
    image[0, 0, 1] = [0, 255, 0]  # green: h 1/3
    image[0, 1, 0] = [0, 0, 255]  # blue: h 2/3
    image[0, 1, 1] = [255, 255, 255]  # white: h 0, s 0, v 1
    hsv = color_histograms(image, bins=4, color_space="hsv")
    assert_array_equal(
        hsv.reshape(3, 4) * 4, [[2, 1, 1, 0], [1, 0, 0, 3], [0, 0, 0, 4]]
    )
    rgb = color_histograms(image, bins=2, color_space="rgb")
    assert_array_equal(rgb.reshape(3, 2) * 4, [[2, 2], [2, 2], [2, 2]])
    # White is L = 100 (the right edge, in the last bin), a = b = 0 (up to
    # rounding, either side of 0: bins 0 or 1 of 2); black is L = 0.
    lab = color_histograms(np.stack([image[0, 1:, 1:], np.zeros((1, 1, 3), np.uint8)]),
                           bins=2, color_space="lab")
    assert_array_equal(lab[:, :2], [[0, 1], [1, 0]])
    # Y of white is 235, the right edge; Cb = Cr = 128, the middle edge.
    ycbcr = color_histograms(image[:, 1:, 1:], bins=2, color_space="ycbcr")
    assert_array_equal(ycbcr, [[0, 1, 0, 1, 0, 1]])


def test_out_of_range_values_go_to_the_end_bins():
    # Float images are taken as they are; values beyond the range are
    # clipped: -0.5 into the first bin, 1.5 and 1.0 into the last.
    image = np.array([[[[-0.5, 0.2, 1.5], [1.0, 0.5, 0.49]]]])
    features = color_histograms(image, bins=2, color_space="rgb")
    assert_array_equal(features, [[0.5, 0.5, 0.5, 0.5, 0.5, 0.5]])


def test_grayscale_one_intensity_histogram():
    rng = np.random.default_rng(0)
    gray = rng.integers(0, 256, (5, 9, 11), dtype=np.uint8)
    expected = np.array(
        [np.histogram(img_as_float(g), bins=8, range=(0.0, 1.0))[0] / g.size for g in gray]
    ).astype(np.float32)
    for color_space in SPACES:
        hist = ColorHistogramExtractor(bins=8, color_space=color_space).fit(gray)
        assert hist.channels_ == ("gray",)
        assert_array_equal(hist.transform(gray), expected)
        assert_array_equal(hist.transform(gray[..., None]), expected)
        assert list(hist.get_feature_names_out()) == [f"gray_bin{k}" for k in range(8)]
    # Rows of 2D input without image_shape are grayscale images (1, d).
    flat = gray.reshape(5, -1)
    assert_array_equal(color_histograms(flat, bins=8), expected)
    # Golden, floats: 0 and 0.3 in bin 0; 0.5 (an edge) and 1 in bin 1;
    # -0.2 and 1.7 clipped into the end bins.
    values = np.array([[0.0, 0.3, 0.5, 1.0, -0.2, 1.7]])
    assert_array_equal(color_histograms(values, bins=2), [[0.5, 0.5]])


def test_rgba_composited_over_white(rgb_uint8):
    alpha = np.linspace(0, 255, 48 * 40).reshape(1, 48, 40, 1).astype(np.uint8)
    rgba = np.concatenate([rgb_uint8, np.repeat(alpha, len(rgb_uint8), axis=0)], axis=3)
    expected = reference(color.rgba2rgb(rgba), 10, "hsv")
    assert_array_equal(color_histograms(rgba, bins=10), expected.astype(np.float32))


def test_flattened_equals_batch_and_input_unchanged(rgb_uint8):
    images = (rgb_uint8 / 255).astype(np.float32)
    before = images.copy()
    flat = images.reshape(len(images), -1)
    hist = ColorHistogramExtractor(color_space="lab", image_shape=(48, 40, 3)).fit(flat)
    assert_array_equal(hist.transform(flat), color_histograms(images, color_space="lab"))
    assert_array_equal(images, before)
    images.setflags(write=False)
    assert_array_equal(color_histograms(images, color_space="lab"), hist.transform(flat))


def test_several_passes_equal_one(rgb_uint8, monkeypatch):
    expected = color_histograms(rgb_uint8, color_space="lab", bins=9)
    monkeypatch.setattr(_color_hist, "_BLOCK_PIXELS", 2 * 48 * 40)
    assert_array_equal(color_histograms(rgb_uint8, color_space="lab", bins=9), expected)


def test_any_size_and_lists(rgb_uint8):
    hist = ColorHistogramExtractor(bins=5).fit(rgb_uint8)
    other = data.astronaut()[:30, :70]
    images = [rgb_uint8[0], other, rgb_uint8[1]]
    expected = np.concatenate([color_histograms(im[None], bins=5) for im in images])
    assert_array_equal(hist.transform(images), expected)
    assert_array_equal(hist.transform(other[None]), reference(other[None], 5, "hsv").astype(np.float32))


def test_feature_names():
    hist = ColorHistogramExtractor(bins=3, color_space="ycbcr").fit(np.zeros((1, 2, 2, 3)))
    names = hist.get_feature_names_out()
    assert hist.channels_ == ("y", "cb", "cr")
    assert list(names) == [f"ycbcr_{c}_bin{k}" for c in ("y", "cb", "cr") for k in range(3)]
    assert len(names) == hist.transform(np.zeros((2, 2, 2, 3))).shape[1]


def test_errors():
    with pytest.raises(ValueError, match=r"RGBA \(h, w, 4\) images; got images of shape \(4, 4, 2\)"):
        ColorHistogramExtractor().fit(np.zeros((2, 4, 4, 2)))
    with pytest.raises(ValueError, match=r"one colour mode .* X\[1\] has shape \(4, 4\)"):
        ColorHistogramExtractor().fit([np.zeros((3, 3, 3)), np.zeros((4, 4))])
    hist = ColorHistogramExtractor().fit([np.zeros((3, 3, 3)), np.zeros((5, 4, 3))])
    with pytest.raises(ValueError, match=r"fitted on colour images; got grayscale images"):
        hist.transform([np.zeros((4, 4))])
    with pytest.raises(ValueError, match=r"'bins' parameter of ColorHistogramExtractor"):
        ColorHistogramExtractor(bins=0).fit(np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match=r"'color_space' parameter .* must be"):
        ColorHistogramExtractor(color_space="xyz").fit(np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match=r"fitted on images with 3 channel\(s\)"):
        ColorHistogramExtractor().fit(np.zeros((2, 4, 4, 3))).transform(np.zeros((2, 4, 4)))
