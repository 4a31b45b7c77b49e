"""Denoiser and denoise_batch: each method equals the scikit-image function it
names, on noisy crops of real images, grayscale and RGB, float32 and float64.

Tolerance: none, except one case. Every comparison below is bit for bit
(assert_array_equal): the compiled loops make the same floating-point
operations, in the same order and precision, as scikit-image's call on each
image (see the module docstring). The exception is "gaussian" on float32 (and
integer) images, which is computed in float32 where SciPy accumulates in
double: it is compared with ``atol = 1e-6 * max|image|`` (a few float32
rounding steps), see ``GAUSSIAN_F32_ATOL``.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data, filters, img_as_float
from skimage.morphology import disk
from skimage.restoration import (
    denoise_bilateral,
    denoise_nl_means,
    denoise_tv_chambolle,
    denoise_wavelet,
    estimate_sigma,
)
from sklearn.exceptions import NotFittedError

from skimgprep import Denoiser, denoise_batch
from skimgprep.denoise import METHODS

SIZE = 64
GAUSSIAN_F32_ATOL = 1e-6  # times the largest absolute pixel value


def _assert_gaussian_f32_close(out, expected, images):
    assert out.dtype == expected.dtype == np.float32
    atol = GAUSSIAN_F32_ATOL * float(np.abs(images).max())
    np.testing.assert_allclose(out, expected, rtol=0, atol=atol)


def _noisy_crops(image, n=3, seed=0):
    """n crops of SIZE x SIZE from ``image`` (float64 in [0, 1]), plus noise."""
    crops = np.stack(
        [image[100 + 40 * i : 100 + 40 * i + SIZE, 150 + 30 * i : 150 + 30 * i + SIZE]
         for i in range(n)]
    )
    rng = np.random.RandomState(seed)
    noisy = np.clip(crops + 0.08 * rng.standard_normal(crops.shape), 0, 1)
    return crops, noisy


@pytest.fixture(scope="module")
def camera():
    return _noisy_crops(img_as_float(data.camera()))


@pytest.fixture(scope="module")
def astronaut():
    return _noisy_crops(img_as_float(data.astronaut()))


def _reference(image, method, strength):
    """The scikit-image call each method is documented to equal."""
    ca = -1 if image.ndim == 3 else None
    if method == "gaussian":
        return filters.gaussian(image, sigma=strength, channel_axis=ca, preserve_range=True)
    if method == "median":
        fp = disk(int(np.floor(strength + 0.5)))
        return filters.median(image, fp if ca is None else fp[:, :, None])
    if method == "bilateral":
        return denoise_bilateral(image, sigma_spatial=strength, mode="edge", channel_axis=ca)
    if method == "nl_means":
        sigma = np.mean(estimate_sigma(image, channel_axis=ca))
        return denoise_nl_means(
            image, h=strength * sigma, sigma=sigma, channel_axis=ca, preserve_range=True
        )
    if method == "tv":
        return denoise_tv_chambolle(image, weight=strength, channel_axis=ca)
    if method == "wavelet":
        sigma = estimate_sigma(image, channel_axis=ca)
        sigma = [strength * s for s in sigma] if ca is not None else strength * sigma
        return denoise_wavelet(image, sigma=sigma, channel_axis=ca)
    raise AssertionError(method)


STRENGTHS = {
    "gaussian": 1.5,
    "median": 2,
    "bilateral": 2.0,
    "nl_means": 0.8,
    "tv": 0.1,
    "wavelet": 1.0,
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["gray", "rgb"])
@pytest.mark.parametrize("method", METHODS)
def test_equals_scikit_image(method, kind, dtype, camera, astronaut):
    _, noisy = camera if kind == "gray" else astronaut
    X = noisy.astype(dtype)
    strength = STRENGTHS[method]
    out = Denoiser(method=method, strength=strength).fit_transform(X)
    expected = np.stack([_reference(img, method, strength) for img in X])
    assert out.dtype == dtype
    assert expected.dtype == dtype
    assert out.shape == X.shape
    if method == "gaussian" and dtype == np.float32:
        _assert_gaussian_f32_close(out, expected, X)  # float32 arithmetic
    else:
        assert_array_equal(out, expected)  # tolerance: exact


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("method", METHODS)
def test_equals_scikit_image_on_odd_sizes_and_negative_values(method, dtype, astronaut):
    # Odd, non-square images (every border case of the compiled loops) with
    # values shifted below 0; radius-3 disk (a 29-key selection network).
    _, noisy = astronaut
    X = (noisy[:2, :37, 5:55] - 0.3).astype(dtype)
    strength = {"median": 3, "tv": 0.3}.get(method, STRENGTHS[method])
    out = Denoiser(method=method, strength=strength).fit_transform(X)
    expected = np.stack([_reference(img, method, strength) for img in X])
    if method == "gaussian" and dtype == np.float32:
        _assert_gaussian_f32_close(out, expected, X)
    else:
        assert_array_equal(out, expected)  # tolerance: exact


@pytest.mark.parametrize("method", METHODS)
def test_denoising_brings_the_images_closer_to_the_clean_ones(method, camera):
    clean, noisy = camera
    out = Denoiser(method=method, strength=STRENGTHS[method]).fit_transform(noisy)
    mse_noisy = np.mean((noisy - clean) ** 2)
    mse_out = np.mean((out - clean) ** 2)
    assert mse_out < 0.9 * mse_noisy, (mse_out, mse_noisy)


@pytest.mark.parametrize("method", METHODS)
def test_flattened_and_batch_layouts_agree(method, astronaut):
    _, noisy = astronaut
    X = noisy[:2].astype(np.float32)
    batch = Denoiser(method=method).fit_transform(X)
    flat = Denoiser(method=method, image_shape=X.shape[1:]).fit_transform(
        X.reshape(len(X), -1)
    )
    assert flat.shape == (2, X[0].size)
    assert_array_equal(flat, batch.reshape(2, -1))


@pytest.mark.parametrize("method", METHODS)
def test_independent_of_n_jobs_and_batch_size(method, astronaut):
    _, noisy = astronaut
    X = noisy[:, :32, :32].astype(np.float32)
    X = np.concatenate([X, X[:, ::-1]])  # 6 images
    reference = Denoiser(method=method, n_jobs=1).fit_transform(X)
    for n_jobs, batch_size in [(1, 1), (1, 4), (2, None), (2, 1), (2, 4)]:
        out = Denoiser(method=method, n_jobs=n_jobs, batch_size=batch_size).fit_transform(X)
        assert_array_equal(out, reference, err_msg=f"n_jobs={n_jobs}, batch_size={batch_size}")


@pytest.mark.parametrize("method", METHODS)
def test_input_not_modified_and_read_only_input_accepted(method, camera):
    _, noisy = camera
    X = noisy[:2].astype(np.float32)
    before = X.copy()
    X.setflags(write=False)
    out = Denoiser(method=method).fit_transform(X)
    assert_array_equal(X, before)
    assert not np.shares_memory(out, X)


def test_uint8_is_computed_in_float32_without_rescaling():
    X = data.camera()[None, 200:264, 200:264]  # uint8, values up to 255
    med = Denoiser(method="median", strength=1).fit_transform(X)
    assert med.dtype == np.float32
    # The median of the values as given, not of values rescaled to [0, 1].
    assert_array_equal(med[0], filters.median(X[0], disk(1)).astype(np.float32))
    gauss = Denoiser(method="gaussian", strength=1.0).fit_transform(X)
    assert gauss.dtype == np.float32
    assert gauss.max() > 100
    expected = filters.gaussian(X[0].astype(np.float32), sigma=1.0, preserve_range=True)
    _assert_gaussian_f32_close(gauss[0], expected, X)


@pytest.mark.parametrize(
    "strength, radius",
    [(0.4, 0), (0.5, 1), (1.4, 1), (1.5, 2), (2.49, 2), (3.0, 3), (6.0, 6), (7.0, 7)],
)
def test_median_radius_is_strength_rounded_half_up(strength, radius, camera):
    _, noisy = camera
    X = noisy[:1]
    out = Denoiser(method="median", strength=strength).fit_transform(X)
    assert_array_equal(out[0], filters.median(X[0], disk(radius)))
    if radius == 0:
        assert_array_equal(out, X)


@pytest.mark.parametrize("method", METHODS)
def test_one_pixel_tall_images(method):
    # The common checks' 2D input: each row is an image of shape (1, d).
    rng = np.random.RandomState(0)
    X = rng.standard_normal((4, 20))
    out = Denoiser(method=method).fit_transform(X)
    assert out.shape == X.shape
    assert np.all(np.isfinite(out))
    if method in ("gaussian", "median", "bilateral", "tv"):
        expected = np.stack(
            [np.reshape(_reference(row[None, :], method, 1.0), (1, -1)) for row in X]
        )
        assert_array_equal(out[:, None, :], expected)
    else:
        # No noise level can be estimated on an image one pixel tall (the
        # wavelet detail coefficients across a single row are ~0): the
        # estimate is tiny or undefined and the rows come back (nearly) as
        # they were.
        np.testing.assert_allclose(out, X, atol=1e-6)


@pytest.mark.parametrize("method", ["nl_means", "wavelet"])
def test_images_without_noise_estimate_come_back_unchanged(method):
    # All-zero images have no nonzero wavelet detail coefficient, so
    # estimate_sigma is undefined (nan): the images are returned as they are.
    X = np.zeros((2, 16, 16, 3), dtype=np.float32)
    out = Denoiser(method=method).fit_transform(X)
    assert_array_equal(out, X)
    # Other constant images get a round-off estimate (~1e-17) and come back
    # within round-off, equal to the scikit-image call.
    X = np.full((1, 16, 16), 0.25)
    out = Denoiser(method=method).fit_transform(X)
    assert_array_equal(out[0], _reference(X[0], method, 1.0))
    np.testing.assert_allclose(out, X, rtol=0, atol=1e-12)


def test_wavelet_channel_without_noise_estimate_kept(astronaut):
    _, noisy = astronaut
    X = noisy[:1].copy()
    X[..., 1] = 0.0  # no nonzero detail coefficient: no noise estimate
    out = Denoiser(method="wavelet", strength=1.0).fit_transform(X)
    assert_array_equal(out[..., 1], X[..., 1])
    for c in (0, 2):  # the other channels as denoise_wavelet gives them
        sigma = estimate_sigma(X[0, ..., c])
        assert_array_equal(out[0, ..., c], denoise_wavelet(X[0, ..., c], sigma=sigma))


def test_function_twin_matches_estimator(astronaut):
    _, noisy = astronaut
    X = noisy[:2].astype(np.float32)
    assert_array_equal(
        denoise_batch(X, method="tv", strength=0.05),
        Denoiser(method="tv", strength=0.05).fit_transform(X),
    )
    flat = X.reshape(2, -1)
    assert_array_equal(
        denoise_batch(flat, method="median", image_shape=X.shape[1:]),
        Denoiser(method="median").fit_transform(X).reshape(2, -1),
    )


def test_grid_search_knob_changes_the_output(camera):
    _, noisy = camera
    est = Denoiser(method="gaussian").fit(noisy)
    weak = est.set_params(strength=0.5).transform(noisy)
    strong = est.set_params(strength=2.0).transform(noisy)
    assert strong.std() < weak.std() < noisy.std()


def test_keyword_only_constructor():
    with pytest.raises(TypeError, match="positional"):
        Denoiser("median")


@pytest.mark.parametrize(
    "params, match",
    [
        ({"method": "box"}, "'method' parameter of Denoiser must be a str among"),
        ({"strength": 0}, "'strength' parameter of Denoiser must be a float in the range"),
        ({"strength": -1.0}, "'strength' parameter of Denoiser must be a float in the range"),
        ({"batch_size": 0}, "'batch_size' parameter of Denoiser must be an int in the range"),
        ({"n_jobs": "2"}, "'n_jobs' parameter of Denoiser must be an instance of 'int'"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        Denoiser(**params).fit(np.zeros((2, 8, 8)))


def test_transform_before_fit_raises():
    with pytest.raises(NotFittedError, match="Denoiser"):
        Denoiser().transform(np.zeros((2, 8, 8)))


def test_transform_on_other_image_shape_raises():
    est = Denoiser().fit(np.zeros((2, 8, 8)))
    with pytest.raises(
        ValueError, match=r"fitted on images of shape \(8, 8\), got images of shape \(8, 8, 3\)"
    ):
        est.transform(np.zeros((2, 8, 8, 3)))


def test_non_finite_pixels_raise():
    X = np.zeros((2, 8, 8))
    X[0, 1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Denoiser().fit(X)


@pytest.mark.parametrize("method", ["bilateral", "wavelet"])
@pytest.mark.parametrize("dtype, peak", [(np.float32, 1e-30), (np.float32, 1e-20),
                                         (np.float64, 1e-300), (np.float64, 1e-170)])
def test_tiny_images_filtered_as_scaled_ones(method, dtype, peak):
    # Both methods take their parameters from the image's own spread, so a
    # tiny image is filtered as the same image scaled to 1, then scaled back
    # (scikit-image returns NaN here, or reads outside its colour table).
    rng = np.random.default_rng(0)
    X = rng.random((3, 12, 12)).astype(dtype)
    X[1] = 0
    X[1, 5, 6] = 1
    scaled = Denoiser(method=method).fit_transform(X)
    tiny = Denoiser(method=method).fit_transform(X * dtype(peak))
    assert np.isfinite(tiny).all()
    peaks = np.abs(X.reshape(3, -1)).max(axis=1) * dtype(peak)
    expected = scaled / np.abs(X.reshape(3, -1)).max(axis=1)[:, None, None]
    assert_allclose(tiny / peaks[:, None, None], expected, rtol=1e-5 if dtype == np.float32 else 1e-12,
                    atol=1e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("method", ["bilateral", "wavelet"])
@pytest.mark.parametrize("dtype, peak", [(np.float32, 1e-38), (np.float64, 5e-324)])
def test_subnormal_peak_gives_finite_output(method, dtype, peak):
    X = np.zeros((2, 6, 6), dtype)
    X[0, 2, 3] = peak  # the smallest values: this crashed or gave NaN before
    out = Denoiser(method=method).fit_transform(X)
    assert np.isfinite(out).all()
    assert out[0].max() <= dtype(peak) and out[0].min() >= 0 and not out[1].any()


def test_wavelet_sigma_whose_square_underflows_keeps_the_image():
    # A spike on a background of 1e-257: the noise estimate (about 1e-290)
    # squared underflows; every threshold would be below 1e-300, so the
    # image is kept as it is, not turned into NaN by 0 / 0.
    X = np.full((2, 4, 4), 7.7921095e-258)
    X[0, 0, 0] = 1.0
    out = Denoiser(method="wavelet").fit_transform(X)
    assert_array_equal(out[0], X[0])
    assert_allclose(out[1], X[1], rtol=1e-12)  # constant: rounding only
