"""ColorConverter and convert_color: equal to scikit-image's colour functions
on real images; the RGBA rule; grayscale input; lists of mixed sizes and
colour modes stay lists."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import color, data, util

from skimgprep import ColorConverter, convert_color

_FROM_RGB = {
    "gray": color.rgb2gray,
    "hsv": color.rgb2hsv,
    "lab": color.rgb2lab,
    "ycbcr": color.rgb2ycbcr,
}

#: uint8 input is computed in float32 here, in float64 by scikit-image: the
#: absolute tolerance on each output range (gray and hsv in [0, 1], L in
#: [0, 100], Y in [16, 235]).
_UINT8_ATOL = {"gray": 1e-6, "hsv": 2e-6, "lab": 5e-4, "ycbcr": 2e-4}


@pytest.fixture(scope="module")
def astronaut_batch():
    """The four 256x256 quarters of astronaut(): (4, 256, 256, 3) uint8."""
    a = data.astronaut()
    return np.stack([a[:256, :256], a[256:, :256], a[:256, 256:], a[256:, 256:]])


@pytest.fixture(scope="module")
def rgba_image():
    """A crop of astronaut() with an alpha ramp from 0 to 255: uint8 RGBA."""
    rgb = data.astronaut()[100:164, 200:300]
    alpha = np.broadcast_to(np.linspace(0, 255, 100).round().astype(np.uint8), (64, 100))
    return np.dstack([rgb, alpha])


@pytest.mark.parametrize("to", ["gray", "hsv", "lab", "ycbcr"])
def test_equals_skimage_on_astronaut(astronaut_batch, to):
    reference = _FROM_RGB[to]
    # float64 in [0, 1]: one call on the batch, the same numbers as per image.
    X = util.img_as_float64(astronaut_batch)
    out = ColorConverter(to=to).fit_transform(X)
    assert out.dtype == np.float64
    assert_array_equal(out, np.stack([reference(x) for x in X]))
    # float32 stays float32.
    out = ColorConverter(to=to).fit_transform(X.astype(np.float32))
    assert out.dtype == np.float32
    assert_array_equal(out, np.stack([reference(x) for x in X.astype(np.float32)]))
    # uint8: scaled to [0, 1] as scikit-image does, computed in float32.
    out = ColorConverter(to=to).fit_transform(astronaut_batch)
    assert out.dtype == np.float32
    expected = np.stack([reference(x) for x in astronaut_batch])
    assert out.shape == expected.shape == ((4, 256, 256) if to == "gray" else (4, 256, 256, 3))
    assert_allclose(out, expected, rtol=0, atol=_UINT8_ATOL[to])


def test_rgb_to_rgb_is_the_identity_after_scaling(astronaut_batch):
    out = ColorConverter(to="rgb").fit_transform(astronaut_batch)
    assert_array_equal(out, util.img_as_float32(astronaut_batch))
    X = util.img_as_float64(astronaut_batch)
    out = ColorConverter(to="rgb").fit_transform(X)
    assert_array_equal(out, X)
    assert not np.shares_memory(out, X)


def test_grayscale_input():
    camera = data.camera()
    X = np.stack([camera[:256, :256], camera[256:, 256:]])
    scaled = util.img_as_float32(X)
    # "gray" on gray: the identity (after the uint8 scaling).
    assert_array_equal(ColorConverter(to="gray").fit_transform(X), scaled)
    Xf = util.img_as_float64(X)
    out = ColorConverter(to="gray").fit_transform(Xf)
    assert_array_equal(out, Xf)
    assert not np.shares_memory(out, Xf)
    # (h, w, 1) is grayscale too, and comes out as (h, w).
    assert_array_equal(ColorConverter(to="gray").fit_transform(Xf[..., None]), Xf)
    # To colour spaces through gray2rgb.
    rgb = color.gray2rgb(Xf)
    assert_array_equal(ColorConverter(to="rgb").fit_transform(Xf), rgb)
    hsv = ColorConverter(to="hsv").fit_transform(Xf)
    assert_array_equal(hsv[..., :2], 0.0)  # no hue, no saturation
    assert_array_equal(hsv[..., 2], Xf)  # value = the gray level
    assert_array_equal(ColorConverter(to="lab").fit_transform(Xf), color.rgb2lab(rgb))
    assert_array_equal(
        ColorConverter(to="ycbcr").fit_transform(Xf), color.rgb2ycbcr(rgb)
    )


@pytest.mark.parametrize("to", ["gray", "rgb", "hsv", "lab", "ycbcr"])
def test_rgba_is_composited_over_white(rgba_image, to):
    out = ColorConverter(to=to).fit_transform(rgba_image[None])[0]
    rgb = color.rgba2rgb(util.img_as_float32(rgba_image))  # background (1, 1, 1)
    expected = rgb if to == "rgb" else _FROM_RGB[to](rgb)
    assert_array_equal(out, expected)
    # The rule written out: (1 - alpha) * 1 + alpha * rgb, in [0, 1].
    x = util.img_as_float64(rgba_image)
    by_hand = (1 - x[..., 3:]) + x[..., 3:] * x[..., :3]
    assert_allclose(rgb, by_hand, atol=1e-6)
    # Fully transparent pixels (column 0) are white.
    assert_allclose(rgb[:, 0], 1.0)


def test_list_of_mixed_modes_and_sizes_stays_a_list(astronaut_batch, rgba_image):
    camera = data.camera()
    images = [
        astronaut_batch[0, :50, :70],  # RGB uint8
        camera[:30, :20],  # gray uint8
        rgba_image,  # RGBA uint8
        util.img_as_float64(camera[100:140, 100:190]),  # gray float64
        camera[:5, :6, None],  # (h, w, 1)
    ]
    before = [image.copy() for image in images]
    for to in ("gray", "rgb", "lab"):
        out = ColorConverter(to=to).fit_transform(images)
        assert isinstance(out, list) and len(out) == 5
        for image, converted in zip(images, out):
            single = ColorConverter(to=to).fit_transform(image[None])[0]
            assert_array_equal(converted, single)
            assert converted.shape == image.shape[:2] + (() if to == "gray" else (3,))
            assert not np.shares_memory(converted, image)
        assert [o.dtype for o in out] == [np.float32] * 3 + [np.float64, np.float32]
    gray = convert_color(images, "gray")
    assert_allclose(gray[0], color.rgb2gray(images[0]), atol=1e-6)
    assert_array_equal(gray[1], util.img_as_float32(images[1]))
    assert_array_equal(gray[2], color.rgb2gray(color.rgba2rgb(util.img_as_float32(rgba_image))))
    assert_array_equal(gray[3], images[3])
    for image, original in zip(images, before):
        assert_array_equal(image, original)


def test_flattened_rows(astronaut_batch):
    X = util.img_as_float32(astronaut_batch[:, :16, :16])
    rows = X.reshape(4, -1)
    converter = ColorConverter(to="gray", image_shape=(16, 16, 3)).fit(rows)
    out = converter.transform(rows)
    assert out.shape == (4, 256)
    assert_array_equal(out, color.rgb2gray(X).reshape(4, -1))
    names = converter.get_feature_names_out()
    assert len(names) == 256 and names[0] == "colorconverter0"
    # image_shape=None: each row is a grayscale image one pixel tall.
    rows = np.array([[0.0, 0.25, 1.0]])
    assert_array_equal(ColorConverter(to="gray").fit_transform(rows), rows)
    out = ColorConverter(to="rgb").fit_transform(rows)
    assert_array_equal(out, [[0.0, 0.0, 0.0, 0.25, 0.25, 0.25, 1.0, 1.0, 1.0]])
    assert len(ColorConverter(to="rgb").fit(rows).get_feature_names_out()) == 9


def test_any_size_at_transform(astronaut_batch):
    converter = ColorConverter(to="gray").fit(astronaut_batch)
    out = converter.transform(astronaut_batch[:1, :10, :30])
    assert out.shape == (1, 10, 30)
    with pytest.raises(ValueError, match=r"fitted on images with 3 channel\(s\)"):
        converter.transform(astronaut_batch[:, :, :, 0])
    # Fitted on a list of different shapes: no fixed number of features.
    converter = ColorConverter().fit([astronaut_batch[0], astronaut_batch[1, :5, :5]])
    assert converter.image_shape_ is None
    assert converter.transform(astronaut_batch[:, :, :, 0]).shape == (4, 256, 256)
    with pytest.raises(ValueError, match="different shapes, so its output has no fixed"):
        converter.get_feature_names_out()


def test_unsupported_channel_counts():
    with pytest.raises(ValueError, match=r"RGBA \(h, w, 4\) images; each image has shape"):
        ColorConverter().fit(np.zeros((2, 4, 4, 2)))
    with pytest.raises(ValueError, match=r"X\[1\] has shape \(4, 4, 5\), with 5 channels"):
        ColorConverter().fit([np.zeros((4, 4)), np.zeros((4, 4, 5))])
    with pytest.raises(ValueError, match=r"X\[0\] has shape \(3, 3, 2\)"):
        ColorConverter().fit([np.zeros((4, 4))]).transform([np.zeros((3, 3, 2))])


def test_convert_color_is_the_converter(astronaut_batch):
    assert_array_equal(
        convert_color(astronaut_batch, "ycbcr"),
        ColorConverter(to="ycbcr").fit_transform(astronaut_batch),
    )
