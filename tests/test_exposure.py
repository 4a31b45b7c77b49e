"""ContrastEnhancer and enhance_contrast: each method equals the
skimage.exposure function it names, on crops of real images (camera, coins:
grayscale; astronaut: RGB), as uint8, float32 and float64.

Tolerances, as written in each assertion:

* float32 and float64 images: none, bit for bit (assert_array_equal, same
  dtype). The whole-batch paths replicate scikit-image's arithmetic (see the
  module docstring).
* integer images, "equalize" and "clahe": scikit-image returns float64; the
  output is float32 and equals scikit-image's output cast to float32, bit for
  bit.
* integer images, "rescale": computed in float64 as scikit-image does, then
  cast to float32: equal bit for bit to scikit-image's float64 arithmetic
  (``rescale_intensity`` of the float64 image with ``out_range=(0, 255)``),
  and within 1 of scikit-image's uint8 output, which truncates.
* integer images, "gamma", "log", "sigmoid": computed in float32 on the
  [0, 1] scale; equal to scikit-image's float64 arithmetic within
  ``rtol=1e-5, atol=1e-3`` (in units of the uint8 range), and within 1 of
  scikit-image's uint8 output, which rounds or truncates.
"""

from contextlib import nullcontext

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data, exposure, img_as_float
from skimage.exposure._adapthist import clip_histogram
from sklearn.exceptions import NotFittedError

from skimgprep import ContrastEnhancer, enhance_contrast
from skimgprep.exposure import METHODS, _clip_histograms

SIZE = 48


def _crops(image, n=3):
    return np.stack(
        [
            image[
                60 + 70 * i : 60 + 70 * i + SIZE, 90 + 55 * i : 90 + 55 * i + SIZE + 8
            ]
            for i in range(n)
        ]
    )


@pytest.fixture(scope="module")
def images():
    """uint8 crops (n, 48, 56[, 3]) of three real images."""
    return {
        "camera": _crops(data.camera()),
        "coins": _crops(data.coins()),
        "astronaut": _crops(data.astronaut()),
    }


def _as(batch, dtype):
    if dtype == "uint8":
        return batch
    return img_as_float(batch).astype(dtype)


def _percentile_range(image, percentiles=(2, 98)):
    return tuple(np.percentile(image, percentiles))


# The scikit-image call each method is documented to equal, with the
# parameters used below.
REFERENCE = {
    "equalize": lambda im: exposure.equalize_hist(im, nbins=100),
    "clahe": lambda im: exposure.equalize_adapthist(
        im, kernel_size=(9, 14), clip_limit=0.02
    ),
    "gamma": lambda im: exposure.adjust_gamma(im, gamma=0.6, gain=0.9),
    "log": lambda im: exposure.adjust_log(im, gain=0.8),
    "sigmoid": lambda im: exposure.adjust_sigmoid(im, cutoff=0.4, gain=8.0),
    "rescale": lambda im: exposure.rescale_intensity(
        im, in_range=_percentile_range(im, (5, 90))
    ),
}
PARAMS = {
    "equalize": {"nbins": 100},
    "clahe": {"kernel_size": (9, 14), "clip_limit": 0.02},
    "gamma": {"gamma": 0.6, "gain": 0.9},
    "log": {"gain": 0.8},
    "sigmoid": {"cutoff": 0.4, "gain": 8.0},
    "rescale": {"percentiles": (5, 90)},
}


def _reference(method, batch):
    """The scikit-image function on each image of the batch."""
    # equalize_hist warns that an RGB image is histogrammed as a whole, which
    # is what it is documented to do here too.
    colour = method == "equalize" and batch.ndim == 4
    with pytest.warns(UserWarning, match="color image") if colour else nullcontext():
        return np.stack([REFERENCE[method](im) for im in batch])


@pytest.mark.parametrize("method", sorted(REFERENCE))
@pytest.mark.parametrize("name", ["camera", "coins", "astronaut"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_images_equal_skimage_exactly(images, method, name, dtype):
    batch = _as(images[name], dtype)
    got = ContrastEnhancer(method=method, **PARAMS[method]).fit_transform(batch)
    want = _reference(method, batch)
    assert got.dtype == want.dtype == np.dtype(dtype)
    assert_array_equal(got, want)


@pytest.mark.parametrize("method", ["equalize", "clahe"])
@pytest.mark.parametrize("name", ["camera", "coins", "astronaut"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16])
def test_integer_images_equalise_as_skimage(images, method, name, dtype):
    batch = images[name].astype(dtype) * (3 if dtype != np.uint8 else 1)
    got = enhance_contrast(batch, method=method, **PARAMS[method])
    want = _reference(method, batch)
    assert want.dtype == np.float64 and got.dtype == np.float32
    assert_array_equal(got, want.astype(np.float32))


@pytest.mark.parametrize("name", ["camera", "astronaut"])
def test_integer_rescale_is_skimage_without_truncation(images, name):
    batch = images[name]
    got = enhance_contrast(batch, method="rescale", percentiles=(5, 90))
    assert got.dtype == np.float32
    floats = np.stack(
        [
            exposure.rescale_intensity(
                im.astype(np.float64),
                in_range=_percentile_range(im, (5, 90)),
                out_range=(0, 255),
            )
            for im in batch
        ]
    )
    assert_array_equal(got, floats.astype(np.float32))
    truncated = _reference("rescale", batch)
    assert truncated.dtype == np.uint8
    diff = got - truncated
    assert diff.min() >= 0 and diff.max() < 1


@pytest.mark.parametrize("method", ["gamma", "log", "sigmoid"])
@pytest.mark.parametrize("name", ["camera", "astronaut"])
def test_integer_pointwise_on_the_dtype_scale(images, method, name):
    batch = images[name]
    got = enhance_contrast(batch, method=method, **PARAMS[method])
    assert got.dtype == np.float32
    # scikit-image's float64 arithmetic, on the [0, 1] scale, times 255.
    floats = _reference(method, batch / 255.0) * 255.0
    assert_allclose(got, floats, rtol=1e-5, atol=1e-3)
    # scikit-image's uint8 output rounds ("gamma") or truncates.
    integers = _reference(method, batch).astype(np.float64)
    assert np.abs(got - integers).max() < 1


@pytest.mark.parametrize(
    "kernel_size, clip_limit, nbins",
    [
        (None, 0.01, 256),
        (5, 0.0, 256),
        ((16, 3), 0.1, 32),
        (100, 1.5, 64),
        (1, 0.01, 256),
    ],
)
@pytest.mark.parametrize("shape", [(48, 56), (37, 23), (5, 91)])
def test_clahe_parameters_and_shapes(images, kernel_size, clip_limit, nbins, shape):
    batch = img_as_float(images["coins"][:, : shape[0], : shape[1]])
    if shape[1] > batch.shape[2]:
        batch = np.tile(batch, (1, 1, 2))[:, :, : shape[1]]
    got = enhance_contrast(
        batch,
        method="clahe",
        kernel_size=kernel_size,
        clip_limit=clip_limit,
        nbins=nbins,
    )
    want = np.stack(
        [
            exposure.equalize_adapthist(im, kernel_size, clip_limit, nbins)
            for im in batch
        ]
    )
    assert_array_equal(got, want)


def test_clip_histograms_equals_skimage_clip_histogram():
    # Tile histograms all count the same pixels; from flat to very peaked, so
    # that every branch of the redistribution loop runs.
    rng = np.random.RandomState(0)
    for n_pixels, nbins in [(64, 5), (256, 64), (300, 256)]:
        weights = rng.dirichlet(np.full(nbins, 0.05), size=60)
        weights[:20] = rng.dirichlet(np.full(nbins, 5.0), size=20)
        hist = np.stack([rng.multinomial(n_pixels, w) for w in weights])
        for clim in (1, 2, 3, 7, 40, n_pixels):
            want = np.stack([clip_histogram(h.copy(), clim) for h in hist])
            assert_array_equal(_clip_histograms(hist.copy(), clim, n_pixels), want)


def test_clahe_one_pixel_tall_images_follow_skimage():
    # The common checks' images: rows of a 2D X are images of shape (1, d);
    # the default tiles are 1 x max(d // 8, 1) pixels, as scikit-image's.
    rng = np.random.RandomState(1)
    X = rng.rand(4, 30)
    got = ContrastEnhancer(method="clahe").fit_transform(X)
    assert got.shape == X.shape
    want = np.stack([exposure.equalize_adapthist(row[None, :])[0] for row in X])
    assert_array_equal(got, want)
    assert_array_equal(
        ContrastEnhancer(method="clahe").fit_transform(X[:, :1]),
        np.ones((4, 1)),  # a single pixel equalises to 1
    )


def test_clahe_colour_and_channel_counts(images):
    rgb = images["astronaut"]
    gray = img_as_float(images["camera"])
    # One channel is grayscale.
    assert_array_equal(
        enhance_contrast(gray[..., None], method="clahe")[..., 0],
        np.stack([exposure.equalize_adapthist(im) for im in gray]),
    )
    # RGBA: the RGB channels as scikit-image (HSV value), alpha kept.
    alpha = np.full(rgb.shape[:3] + (1,), 128, dtype=np.uint8)
    out = enhance_contrast(np.concatenate([rgb, alpha], axis=-1), method="clahe")
    assert out.shape == rgb.shape[:3] + (4,)
    assert_array_equal(
        out[..., :3],
        np.stack([exposure.equalize_adapthist(im) for im in rgb]).astype(np.float32),
    )
    assert_array_equal(out[..., 3], np.float32(128 / 255))
    # Two channels: each on its own.
    two = np.stack([gray, gray[:, ::-1]], axis=-1)
    out = enhance_contrast(two, method="clahe")
    for c in range(2):
        assert_array_equal(
            out[..., c],
            np.stack([exposure.equalize_adapthist(im) for im in two[..., c]]),
        )


def test_clahe_float_range_rule(images):
    x = img_as_float(images["camera"])
    # Values above 1: each image divided by its maximum first.
    assert_array_equal(
        enhance_contrast(255.0 * x, method="clahe"),
        np.stack(
            [exposure.equalize_adapthist(255.0 * im / (255.0 * im).max()) for im in x]
        ),
    )
    # Negative values count as 0, as in scikit-image (which accepts [-1, 1]).
    shifted = x - 0.3
    assert_array_equal(
        enhance_contrast(shifted, method="clahe"),
        np.stack([exposure.equalize_adapthist(im) for im in shifted]),
    )


def test_equalize_golden_and_integer_bins():
    X = np.array([[[0, 50], [50, 200]], [[7, 7], [7, 9]]], dtype=np.uint8)
    assert_array_equal(
        enhance_contrast(X, nbins=2),  # nbins is ignored for integer images
        np.array(
            [[[0.25, 0.75], [0.75, 1.0]], [[0.75, 0.75], [0.75, 1.0]]], dtype=np.float32
        ),
    )


def test_brightness_learns_and_applies_the_mean():
    X = np.array([[[0.0, 0.2], [0.4, 0.6]], [[0.5, 0.5], [0.7, 0.7]]])
    enhancer = ContrastEnhancer(method="brightness").fit(X)
    assert enhancer.target_mean_ == pytest.approx(0.45)
    out = enhancer.transform(X[::-1] * 2)
    assert_allclose(out.mean(axis=(1, 2)), [0.45, 0.45], atol=1e-12)
    assert_allclose(out[1], X[0] * 2 + 0.45 - 0.6, atol=1e-12)
    fixed = ContrastEnhancer(method="brightness", target_mean=100).fit(
        X.astype(np.uint8)
    )
    assert fixed.target_mean_ == 100.0
    assert_array_equal(
        fixed.transform(np.array([[[10, 30], [10, 30]]], dtype=np.uint8)),
        np.array([[[90, 110], [90, 110]]], dtype=np.float32),
    )


@pytest.mark.parametrize("method", METHODS)
def test_flattened_and_batch_layouts_agree(images, method):
    batch = img_as_float(images["astronaut"]).astype(np.float32)
    shape = batch.shape[1:]
    params = PARAMS.get(method, {})
    out = ContrastEnhancer(method=method, **params).fit_transform(batch)
    flat = ContrastEnhancer(method=method, image_shape=shape, **params).fit_transform(
        batch.reshape(len(batch), -1)
    )
    assert flat.shape == (len(batch), int(np.prod(shape)))
    assert_array_equal(flat, out.reshape(len(batch), -1))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", ["uint8", "float32", "float64"])
def test_input_not_modified_and_dtype(images, method, dtype):
    batch = _as(images["camera"], dtype)
    batch.setflags(write=False)
    copy = batch.copy()
    out = ContrastEnhancer(method=method).fit_transform(batch)
    assert_array_equal(batch, copy)
    assert out.dtype == (np.float32 if dtype == "uint8" else np.dtype(dtype))
    assert out.shape == batch.shape


@pytest.mark.parametrize("method", METHODS)
def test_n_jobs_and_batch_size_do_not_change_the_output(images, method):
    batch = _as(np.concatenate([images["camera"]] * 3), "float64")
    one = enhance_contrast(batch, method=method)
    assert_array_equal(
        one, enhance_contrast(batch, method=method, n_jobs=2, batch_size=2)
    )
    assert_array_equal(one, enhance_contrast(batch, method=method, batch_size=1))
    if method != "brightness":  # whose default target is the batch's mean
        # Nor does the rest of the batch: each image is computed on its own.
        assert_array_equal(one[4:5], enhance_contrast(batch[4:5], method=method))


def test_function_twin_equals_estimator(images):
    batch = images["coins"]
    assert_array_equal(
        enhance_contrast(batch, method="clahe", clip_limit=0.03),
        ContrastEnhancer(method="clahe", clip_limit=0.03).fit_transform(batch),
    )


def test_default_gain_is_the_methods_own():
    x = np.linspace(0, 1, 12).reshape(1, 3, 4)
    assert_array_equal(
        enhance_contrast(x, method="sigmoid"), exposure.adjust_sigmoid(x[0])[None]
    )
    assert_array_equal(
        enhance_contrast(x, method="log"), exposure.adjust_log(x[0])[None]
    )
    assert_array_equal(
        enhance_contrast(x, method="sigmoid", inv=True),
        exposure.adjust_sigmoid(x[0], inv=True)[None],
    )


@pytest.mark.parametrize("method", ["gamma", "log", "sigmoid"])
def test_negative_values_raise_for_non_negative_methods(method):
    X = np.array([[[0.5, -0.1], [0.2, 0.3]]])
    with pytest.raises(ValueError, match=r"Negative values in data .*minimum of -0.1"):
        ContrastEnhancer(method=method).fit(X)
    enhancer = ContrastEnhancer(method=method).fit(np.abs(X))
    with pytest.raises(ValueError, match="Negative values in data"):
        enhancer.transform(X)
    assert ContrastEnhancer(method=method).__sklearn_tags__().input_tags.positive_only
    assert (
        not ContrastEnhancer(method="clahe").__sklearn_tags__().input_tags.positive_only
    )


@pytest.mark.parametrize(
    "params, match",
    [
        ({"method": "histogram"}, "'method' parameter of ContrastEnhancer must be"),
        ({"kernel_size": (3, 0)}, r"kernel_size must be .* got \(3, 0\)"),
        ({"kernel_size": (3, 3, 3)}, r"kernel_size must be .* got \(3, 3, 3\)"),
        ({"percentiles": (98, 2)}, r"0 <= low < high <= 100; got \(98, 2\)"),
        ({"percentiles": (2,)}, r"percentiles must be a tuple \(low, high\)"),
        ({"clip_limit": -0.1}, "'clip_limit' parameter of ContrastEnhancer must be"),
        ({"gamma": -1.0}, "'gamma' parameter of ContrastEnhancer must be"),
        ({"nbins": 0}, "'nbins' parameter of ContrastEnhancer must be"),
    ],
)
def test_invalid_parameters_raise(params, match):
    with pytest.raises(ValueError, match=match):
        ContrastEnhancer(**params).fit(np.zeros((2, 4, 4)))


def test_shape_and_fit_errors():
    enhancer = ContrastEnhancer(method="clahe")
    with pytest.raises(NotFittedError):
        enhancer.transform(np.zeros((1, 4, 4)))
    enhancer.fit(np.zeros((2, 8, 8)))
    with pytest.raises(
        ValueError,
        match=r"fitted on images of shape \(8, 8\), got images of shape \(8, 9\)",
    ):
        enhancer.transform(np.zeros((2, 8, 9)))
    with pytest.raises(ValueError, match="expected a batch of images"):
        enhancer.fit(np.zeros(5))
    with pytest.raises(ValueError, match=r"image_shape=\(3, 3\), which holds 9"):
        ContrastEnhancer(image_shape=(3, 3)).fit(np.zeros((2, 8)))


def test_rescale_span_below_float32_is_constant():
    # Percentiles 0 and about 1e-46: their span is 0 in float32, where
    # dividing by it gives NaN (in scikit-image too); the image is treated
    # as constant.
    X = np.zeros((2, 4, 23, 3), np.float32)
    X[0, 0, 0] = 1
    X[0, 1, 0] = [1e-45, 1, 1]
    X[1] = 0.5
    out = ContrastEnhancer(method="rescale").fit_transform(X)
    assert np.isfinite(out).all()
    assert_array_equal(out[0], np.clip(X[0], 0, 1))
