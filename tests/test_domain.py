"""Domain adaptation: HistogramMatcher equal to skimage.exposure.match_histograms,
ColorTransfer equal to a per-image Reinhard transfer written with skimage.color,
CORALAligner equal to the paper's algorithm written with scipy's matrix powers;
layouts, dtypes, untouched inputs, errors, and the three in pipelines."""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline as ImbPipeline
from numpy.testing import assert_allclose, assert_array_equal
from scipy.linalg import fractional_matrix_power, sqrtm
from skimage import color, data, exposure
from skimage.util import img_as_float
from sklearn.datasets import load_digits
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from skimgprep import (
    ColorTransfer,
    CORALAligner,
    Flattener,
    HistogramMatcher,
    color_transfer,
    coral_align,
    match_histograms_batch,
)
from skimgprep.domain import _transfer_space


@pytest.fixture(scope="module")
def astronaut_pair():
    # The astronaut and a darkened copy with a colour cast (uint8, 512x512x3).
    astro = data.astronaut()
    cast = np.clip(astro * np.array([0.6, 0.48, 0.66]), 0, 255).astype(np.uint8)
    return astro, cast


@pytest.fixture(scope="module")
def ihc():
    # Immunohistochemistry tiles with a stain variation (uint8 RGB), and a
    # reference region of the same slide: a stain normalisation set-up.
    image = data.immunohistochemistry()
    tiles = np.stack([image[:128, :128], image[128:256, :128], image[:128, 128:256]])
    shifted = np.clip(tiles * np.array([0.8, 0.9, 1.0]), 0, 255).astype(np.uint8)
    return shifted, image[300:, 300:]


@pytest.fixture(scope="module")
def digits_split():
    d = load_digits()
    return train_test_split(
        d.images, d.target, test_size=0.5, random_state=0, stratify=d.target
    )


# --- HistogramMatcher -------------------------------------------------------


def test_histogram_matcher_equals_skimage_colour(astronaut_pair):
    astro, cast = astronaut_pair
    out = HistogramMatcher(reference=astro).fit_transform(cast[None])
    assert out.dtype == np.float32 and out.shape == (1,) + cast.shape
    # scikit-image's colour path returns the input's dtype (uint8 would
    # truncate), so its float64 numbers come from the same ranks in float64;
    # ours are these rounded once to float32.
    expected = exposure.match_histograms(cast.astype(np.float64), astro, channel_axis=-1)
    assert_array_equal(out[0], expected.astype(np.float32))
    assert_allclose(out[0], expected, rtol=2**-24, atol=0)
    # skimage's 8-bit (bincount) path, channel by channel: the same numbers.
    per_channel = np.stack(
        [exposure.match_histograms(cast[..., k], astro[..., k]) for k in range(3)], axis=-1
    )
    assert per_channel.dtype == np.float64
    assert_array_equal(out[0], per_channel.astype(np.float32))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_histogram_matcher_equals_skimage_float(astronaut_pair, dtype):
    astro, cast = astronaut_pair
    image = (cast / 255.0).astype(dtype)
    reference = astro / 255.0
    out = HistogramMatcher(reference=reference).fit_transform(image[None])
    expected = exposure.match_histograms(image, reference, channel_axis=-1)
    assert out.dtype == dtype == expected.dtype
    assert_allclose(out[0], expected, rtol=0, atol=1e-6 if dtype == np.float32 else 0)
    assert_array_equal(out[0], expected)  # in fact equal to the bit


def test_histogram_matcher_equals_skimage_gray():
    camera, coins = data.camera(), data.coins()
    out = match_histograms_batch(camera[None], coins)
    expected = exposure.match_histograms(camera, coins)  # float64
    assert out.dtype == np.float32
    assert_allclose(out[0], expected, rtol=2**-24, atol=0)
    assert_array_equal(out[0], expected.astype(np.float32))
    # The output takes its values from the reference's range.
    assert out.min() == coins.min() and out.max() == coins.max()


def test_histogram_matcher_several_references_are_one_concatenated_image(astronaut_pair):
    astro, cast = astronaut_pair
    # A list of two reference images of different sizes, and a batch of two.
    refs = [astro[:200, :300], astro[250:, 100:]]
    images = np.stack([cast[:64, :64], cast[300:364, 200:264]])
    out = HistogramMatcher(reference=refs).fit_transform(images)
    joined = np.concatenate([r.reshape(-1, 3) for r in refs])[None]  # (1, m, 3)
    for image, got in zip(images, out):
        expected = exposure.match_histograms(image.astype(np.float64), joined, channel_axis=-1)
        assert_allclose(got, expected, rtol=2**-24, atol=0)

    batch_refs = np.stack([astro[:100, :100], astro[400:500, 400:500]])
    out = HistogramMatcher(reference=batch_refs).fit_transform(images)
    joined = np.concatenate(list(batch_refs), axis=0)  # (200, 100, 3)
    for image, got in zip(images, out):
        expected = exposure.match_histograms(image.astype(np.float64), joined, channel_axis=-1)
        assert_allclose(got, expected, rtol=2**-24, atol=0)


def test_histogram_matcher_reference_none_pools_training_images(astronaut_pair):
    _, cast = astronaut_pair
    X = np.stack([cast[:50, :60], cast[100:150, 200:260], cast[400:450, 0:60]]).astype(np.float64)
    matcher = HistogramMatcher().fit(X)
    joined = np.concatenate(list(X), axis=0)
    values, counts = np.unique(X[..., 1], return_counts=True)
    assert_array_equal(matcher.reference_values_[1], values)
    assert_array_equal(matcher.reference_quantiles_[1], np.cumsum(counts) / X[..., 1].size)
    assert len(matcher.reference_values_) == 3
    test = np.stack([cast[200:250, 300:360]]).astype(np.float64)
    expected = exposure.match_histograms(test[0], joined, channel_axis=-1)
    assert_array_equal(matcher.transform(test)[0], expected)
    # reference=X gives the same step.
    same = HistogramMatcher(reference=X).fit(X[:1])
    assert_array_equal(same.transform(test), matcher.transform(test))


@pytest.mark.parametrize(
    "dtype", [np.uint8, np.int8, np.uint16, np.int16, np.int32, np.bool_, np.float32, np.float64]
)
def test_histogram_matcher_dtypes_equal_skimage(dtype):
    rng = np.random.RandomState(0)
    if dtype == np.bool_:
        X = rng.rand(4, 9, 7) > 0.3
        reference = rng.rand(5, 6) > 0.6
    elif np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -300), min(info.max, 300)  # many ties
        X = rng.randint(lo, hi, size=(4, 9, 7)).astype(dtype)
        reference = rng.randint(lo, hi, size=(5, 6)).astype(dtype)
    else:
        X = np.round(rng.rand(4, 9, 7), 1).astype(dtype)  # ties too
        reference = rng.rand(5, 6).astype(dtype)
    out = HistogramMatcher(reference=reference).fit_transform(X)
    assert out.dtype == (np.float64 if dtype == np.float64 else np.float32)
    for image, got in zip(X, out):
        expected = exposure.match_histograms(image, reference)
        assert_array_equal(got, expected.astype(out.dtype))


def test_histogram_matcher_flat_layout_dtypes_and_untouched_input(astronaut_pair):
    astro, cast = astronaut_pair
    X = np.stack([cast[:20, :30], cast[100:120, 50:80]]).astype(np.float32)
    reference = astro[:40, :40].copy()
    X_before, ref_before = X.copy(), reference.copy()
    batch = HistogramMatcher(reference=reference).fit_transform(X)
    flat = HistogramMatcher(reference=reference, image_shape=(20, 30, 3)).fit_transform(
        X.reshape(2, -1)
    )
    assert flat.shape == (2, 20 * 30 * 3) and flat.dtype == np.float32
    assert_array_equal(flat, batch.reshape(2, -1))
    assert_array_equal(X, X_before)
    assert_array_equal(reference, ref_before)
    # Flattened colour references (rows of h*w*c values) too.
    flat_ref = HistogramMatcher(reference=X.reshape(2, -1), image_shape=(20, 30, 3))
    assert_array_equal(
        flat_ref.fit_transform(X.reshape(2, -1)),
        HistogramMatcher().fit_transform(X).reshape(2, -1),
    )


def test_histogram_matcher_independent_of_jobs_and_chunks(astronaut_pair):
    astro, cast = astronaut_pair
    X = np.stack([cast[i * 40:(i + 1) * 40, :50] for i in range(7)])
    ref = astro[:100, :100]
    expected = HistogramMatcher(reference=ref).fit_transform(X)
    for n_jobs, batch_size in [(1, 1), (2, 2), (2, 3), (2, None)]:
        got = HistogramMatcher(reference=ref, n_jobs=n_jobs, batch_size=batch_size).fit_transform(X)
        assert_array_equal(got, expected)


def test_histogram_matcher_errors(astronaut_pair):
    astro, cast = astronaut_pair
    X = cast[None, :20, :20]
    with pytest.raises(ValueError, match=r"reference has shape \(10, 10\)"):
        HistogramMatcher(reference=astro[:10, :10, 0]).fit(X)  # grayscale for RGB
    rgba = np.zeros((10, 10, 4))
    with pytest.raises(ValueError, match="with 4 channels"):
        HistogramMatcher(reference=rgba).fit(X)
    gray = cast[None, :20, :20, 0]
    with pytest.raises(ValueError, match=r"\(1 channel\).*with 3 channels"):
        HistogramMatcher(reference=astro[None, :10, :10]).fit(gray)
    with pytest.raises(ValueError, match=r"reference\[1\] has shape \(5, 5, 2\)"):
        HistogramMatcher(reference=[astro[:5, :5], np.zeros((5, 5, 2))]).fit(X)
    with pytest.raises(ValueError, match="reference is a 1D array"):
        HistogramMatcher(reference=np.arange(5.0)).fit(gray)
    with pytest.raises(ValueError, match="NaN"):
        HistogramMatcher(reference=np.full((3, 3), np.nan)).fit(gray)
    with pytest.raises(ValueError, match="at least one pixel"):
        HistogramMatcher(reference=np.zeros((3, 0, 3))).fit(X)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(20, 20, 3\)"):
        HistogramMatcher().fit(X).transform(cast[None, :10, :10])


def test_histogram_matcher_restores_accuracy_on_darkened_digits(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    # Darker (maximum 4 instead of 16) and with another gamma: an increasing
    # change of the values.
    shifted = 4.0 * (X_test / 16.0) ** 1.5
    plain = make_pipeline(Flattener(), SVC()).fit(X_train, y_train)
    matched = make_pipeline(HistogramMatcher(), Flattener(), SVC()).fit(X_train, y_train)
    n = len(y_test)
    assert n == 899
    # Exact counts of correct predictions (libsvm is deterministic).
    assert round(plain.score(X_test, y_test) * n) == 884
    assert round(plain.score(shifted, y_test) * n) == 492
    assert round(matched.score(X_test, y_test) * n) == 885
    assert round(matched.score(shifted, y_test) * n) == 885
    # Matching undoes the shift: the same predictions as on the unshifted set.
    assert_array_equal(matched.predict(shifted), matched.predict(X_test))
    # reference = the training images is the same step as reference=None.
    explicit = make_pipeline(HistogramMatcher(reference=X_train), Flattener(), SVC())
    assert_array_equal(explicit.fit(X_train, y_train).predict(shifted), matched.predict(shifted))


# --- ColorTransfer ----------------------------------------------------------


def _reinhard(image, reference_lab):
    """Reinhard transfer of one float RGB image, written plainly with skimage."""
    lab = color.rgb2lab(image).reshape(-1, 3)
    out = (lab - lab.mean(axis=0)) / lab.std(axis=0)
    out = out * reference_lab.std(axis=0) + reference_lab.mean(axis=0)
    return color.lab2rgb(out.reshape(image.shape))


@pytest.mark.filterwarnings("ignore:Conversion from CIE-LAB")
def test_color_transfer_equals_per_image_reinhard(ihc):
    shifted, reference = ihc
    ref_lab = color.rgb2lab(img_as_float(reference)).reshape(-1, 3)
    expected = np.stack([_reinhard(img_as_float(im), ref_lab) for im in shifted])

    out = ColorTransfer(reference=reference).fit_transform(shifted)  # uint8
    assert out.dtype == np.float32 and out.shape == shifted.shape
    assert_allclose(out, expected, rtol=0, atol=5e-6)

    out64 = color_transfer(img_as_float(shifted), img_as_float(reference))
    assert out64.dtype == np.float64
    assert_allclose(out64, expected, rtol=0, atol=1e-12)
    assert out.min() >= 0 and out.max() <= 1  # clipped as lab2rgb does


@pytest.mark.filterwarnings("ignore:Conversion from CIE-LAB")
def test_color_transfer_several_references_pool_their_pixels(ihc):
    shifted, reference = ihc
    refs = [reference[:100, :150], reference[100:, 20:]]  # different sizes
    pooled = np.concatenate([color.rgb2lab(img_as_float(r)).reshape(-1, 3) for r in refs])
    step = ColorTransfer(reference=refs).fit(shifted)
    assert_allclose(step.reference_mean_, pooled.mean(axis=0), rtol=1e-12)
    assert_allclose(step.reference_std_, pooled.std(axis=0), rtol=1e-12)
    expected = np.stack([_reinhard(img_as_float(im), pooled) for im in shifted])
    assert_allclose(step.transform(shifted), expected, rtol=0, atol=5e-6)
    # reference=None pools the training images.
    fitted = ColorTransfer().fit(shifted)
    own = np.concatenate([color.rgb2lab(img_as_float(im)).reshape(-1, 3) for im in shifted])
    assert_allclose(fitted.reference_mean_, own.mean(axis=0), rtol=1e-12)
    assert_allclose(fitted.reference_std_, own.std(axis=0), rtol=1e-12)


def test_color_transfer_stain_normalisation_statistics(ihc):
    shifted, reference = ihc
    step = ColorTransfer(reference=reference).fit(shifted)
    # In Lab, before the conversion back: exactly the reference's statistics.
    lab = color.rgb2lab(img_as_float(shifted).astype(np.float64)).reshape(len(shifted), -1, 3)
    moved = _transfer_space(lab, step.reference_mean_, step.reference_std_)
    assert_allclose(moved.mean(axis=1), np.tile(step.reference_mean_, (3, 1)), rtol=0, atol=1e-10)
    assert_allclose(moved.std(axis=1), np.tile(step.reference_std_, (3, 1)), rtol=1e-12)
    # After lab2rgb (6-9% of the values clipped at 1 here): close to them,
    # where the shifted tiles were more than 25 L units off.
    out = step.transform(shifted).astype(np.float64)
    for before, after in zip(lab, color.rgb2lab(out).reshape(len(out), -1, 3)):
        assert abs(before.mean(axis=0)[0] - step.reference_mean_[0]) > 25
        assert np.all(np.abs(after.mean(axis=0) - step.reference_mean_) < 2)
        assert np.all(np.abs(after.std(axis=0) - step.reference_std_) < 3)


def test_color_transfer_grayscale_is_mean_std_matching():
    camera, coins = data.camera(), data.coins()
    X = np.stack([camera[:200, :200], camera[300:500, 250:450]])
    out = ColorTransfer(reference=coins).fit_transform(X)
    ref = coins / 255.0
    assert out.dtype == np.float32
    for image, got in zip(X / 255.0, out):
        expected = (image - image.mean()) / image.std() * ref.std() + ref.mean()
        assert_allclose(got, expected, rtol=0, atol=2e-6)
        assert_allclose(got.mean(dtype=np.float64), ref.mean(), atol=1e-6)
        assert_allclose(got.std(dtype=np.float64), ref.std(), rtol=1e-6)
    # (h, w, 1) images are grayscale too.
    out1 = ColorTransfer(reference=coins[..., None]).fit_transform(X[..., None])
    assert_array_equal(out1[..., 0], out)


def test_color_transfer_constant_channel_is_finite():
    ref = np.array([[0.2, 0.4], [0.6, 0.8]])
    flat = np.full((1, 3, 3), 0.5)
    out = ColorTransfer(reference=ref).fit_transform(flat)
    assert_array_equal(out, np.full((1, 3, 3), 0.5))  # the reference's mean
    rgb = np.zeros((2, 4, 4, 3))
    rgb[0] = [0.3, 0.6, 0.1]  # one colour: each Lab channel constant
    rgb[1, :2] = [1.0, 0.0, 0.0]
    rgb_ref = data.astronaut()[:50, :50]
    step = ColorTransfer(reference=rgb_ref).fit(rgb)
    out = step.transform(rgb)
    assert np.isfinite(out).all()
    # The Lab values of one colour may differ by rounding: still constant.
    expected = color.lab2rgb(step.reference_mean_[None, None, :])[0, 0]
    assert_allclose(out[0], np.broadcast_to(expected, (4, 4, 3)), atol=1e-9)
    out32 = step.transform(rgb.astype(np.float32))
    assert out32.dtype == np.float32 and np.isfinite(out32).all()
    assert_allclose(out32[0], np.broadcast_to(expected, (4, 4, 3)), atol=1e-5)
    # A constant reference: every image becomes its one value.
    out = ColorTransfer(reference=np.full((3, 3), 0.25)).fit_transform(
        np.array([[[0.1, 0.9]], [[0.4, 0.4]]])
    )
    assert_allclose(out, 0.25, atol=1e-15)


def test_color_transfer_layout_dtype_jobs_and_untouched_input(ihc):
    shifted, reference = ihc
    X = (shifted[:, :24, :20] / 255.0).astype(np.float32)
    X_before, ref_before = X.copy(), reference.copy()
    batch = ColorTransfer(reference=reference).fit_transform(X)
    assert batch.dtype == np.float32
    flat = ColorTransfer(reference=reference, image_shape=(24, 20, 3)).fit_transform(
        X.reshape(3, -1)
    )
    assert flat.shape == (3, 24 * 20 * 3)
    assert_array_equal(flat, batch.reshape(3, -1))
    for n_jobs, batch_size in [(1, 1), (2, 1), (2, 2)]:
        got = ColorTransfer(reference=reference, n_jobs=n_jobs, batch_size=batch_size)
        assert_array_equal(got.fit_transform(X), batch)
    assert_array_equal(X, X_before)
    assert_array_equal(reference, ref_before)


def test_color_transfer_huge_values():
    rng = np.random.default_rng(0)
    X = rng.random((4, 6, 6))
    # Squares near the top of float64: the statistics are taken on scaled
    # values. (Beyond 1e150 every step refuses the images: check_images.)
    for factor in (1e140, 1e150):
        out = ColorTransfer().fit_transform(X * factor)
        assert np.isfinite(out).all()
        assert_allclose(out / factor, ColorTransfer().fit_transform(X), rtol=1e-12)
        out = ColorTransfer(reference=X).fit_transform(X * factor)
        assert_allclose(out, ColorTransfer().fit_transform(X), rtol=1e-12, atol=1e-15)


def test_color_transfer_errors(ihc):
    shifted, reference = ihc
    rgb = np.random.default_rng(0).random((2, 4, 4, 3))
    with pytest.raises(ValueError, match=r"RGB values in \[0, 1\].*up to 9.*e\+149"):
        ColorTransfer().fit(rgb * 1e150)
    step = ColorTransfer().fit(rgb)
    with pytest.raises(ValueError, match=r"Lab values .* are not finite"):
        step.transform(rgb * 1e150)
    with pytest.raises(ValueError, match=r"within \+/-1e\+150"):
        step.transform(rgb * 1e300)
    with pytest.raises(ValueError, match=r"grayscale .* or RGB .*with 4 channels"):
        ColorTransfer().fit(np.zeros((2, 5, 5, 4)))
    with pytest.raises(ValueError, match=r"reference has shape \(10, 10\)"):
        ColorTransfer(reference=reference[:10, :10, 0]).fit(shifted)
    with pytest.raises(ValueError, match=r"\(1 channel\).*with 3 channels"):
        ColorTransfer(reference=reference[None]).fit(shifted[..., 0])


# --- CORALAligner -----------------------------------------------------------


@pytest.fixture(scope="module")
def domains():
    # Source and target features with different correlations (n, 5).
    rng = np.random.RandomState(0)
    source = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5))
    target = rng.normal(size=(400, 5)) @ rng.normal(size=(5, 5)) + 1.0
    return source, target


@pytest.mark.parametrize("regularization", [1.0, 0.1, 0.0])
def test_coral_equals_matrix_powers(domains, regularization):
    source, target = domains
    y = np.arange(len(source)) % 3
    aligner = CORALAligner(reference=target, regularization=regularization)
    X_res, y_res = aligner.fit_resample(source, y)
    eye = regularization * np.eye(5)
    cs = np.cov(source, rowvar=False) + eye
    ct = np.cov(target, rowvar=False) + eye
    expected = source @ fractional_matrix_power(cs, -0.5) @ sqrtm(ct)
    assert_allclose(X_res, expected, rtol=1e-9, atol=1e-9)
    assert_allclose(aligner.source_covariance_, cs, rtol=1e-12)
    assert_allclose(aligner.target_covariance_, ct, rtol=1e-12)
    assert_allclose(source @ aligner.transform_matrix_, X_res, rtol=1e-12)
    assert_array_equal(y_res, y)
    # What holds for the covariance of the aligned features.
    a = aligner.transform_matrix_
    cov = np.cov(X_res, rowvar=False)
    assert_allclose(cov, a.T @ np.cov(source, rowvar=False) @ a, rtol=1e-9)
    ct_half, cs_inv_half = sqrtm(ct), fractional_matrix_power(cs, -0.5)
    assert_allclose(
        cov,
        ct_half @ cs_inv_half @ np.cov(source, rowvar=False) @ cs_inv_half @ ct_half,
        rtol=1e-8,
        atol=1e-10,
    )
    assert_allclose(
        cov, ct_half @ (np.eye(5) - eye @ np.linalg.inv(cs)) @ ct_half, rtol=1e-8, atol=1e-10
    )
    if regularization == 0:
        assert_allclose(cov, np.cov(target, rowvar=False), rtol=1e-9)


def test_coral_reference_none_returns_x_as_float(domains):
    source, _ = domains
    y = np.array(["a", "b", "c"] * 100)
    ints = np.round(source * 10).astype(np.int64)
    aligner = CORALAligner()
    X_res, y_res = aligner.fit_resample(ints, y)
    assert X_res.dtype == np.float32
    assert_array_equal(X_res, ints.astype(np.float32))
    assert_array_equal(y_res, y)
    assert aligner.transform_matrix_ is None and aligner.source_covariance_ is None
    X64, _ = CORALAligner().fit_resample(source, y)
    assert X64.dtype == np.float64 and not np.shares_memory(X64, source)
    assert_array_equal(X64, source)


def test_coral_float32_order_and_untouched_inputs(domains):
    source, target = domains
    src32 = source.astype(np.float32)
    src_before, tgt_before = src32.copy(), target.copy()
    y = np.arange(300) % 2
    X_res, _ = CORALAligner(reference=target).fit_resample(src32, y)
    assert X_res.dtype == np.float32 and X_res.shape == src32.shape
    expected = coral_align(src32.astype(np.float64), target)
    assert_allclose(X_res, expected, rtol=1e-5, atol=1e-5)
    assert_array_equal(src32, src_before)
    assert_array_equal(target, tgt_before)
    # Row i of the output is row i of X aligned: the order is kept.
    perm = np.random.RandomState(1).permutation(300)
    X_perm, _ = CORALAligner(reference=target).fit_resample(source[perm], y)
    assert_allclose(X_perm, coral_align(source, target)[perm], rtol=1e-10, atol=1e-12)


def test_coral_images_are_flattened_rows(domains):
    source, target = domains
    images = source[:, :4].reshape(300, 2, 2)  # a batch of 2x2 images
    y = np.arange(300) % 2
    X_img, _ = CORALAligner(reference=target[:, :4]).fit_resample(images, y)
    X_flat, _ = CORALAligner(reference=target[:, :4]).fit_resample(source[:, :4], y)
    assert X_img.shape == (300, 2, 2)
    assert_array_equal(X_img.reshape(300, 4), X_flat)


def test_coral_errors(domains):
    source, target = domains
    y = np.arange(300) % 2
    with pytest.raises(ValueError, match=r"5 columns, as X; got reference of shape \(400, 4\)"):
        CORALAligner(reference=target[:, :4]).fit_resample(source, y)
    with pytest.raises(ValueError, match=r"shape \(n_target, 5\); got an array of shape \(400,\)"):
        CORALAligner(reference=target[:, 0]).fit_resample(source, y)
    with pytest.raises(ValueError, match="at least 2 samples in reference"):
        CORALAligner(reference=target[:1]).fit_resample(source, y)
    with pytest.raises(ValueError, match="at least 2 samples in X"):
        CORALAligner(reference=target).fit_resample(source[:1], y[:1])
    singular = np.column_stack([source, source[:, :1]])  # a repeated column
    with pytest.raises(ValueError, match="positive definite source covariance"):
        CORALAligner(reference=np.column_stack([target, target[:, :1]]),
                     regularization=0.0).fit_resample(singular, y)
    with pytest.raises(ValueError, match="NaN"):
        CORALAligner(reference=np.full((4, 5), np.nan)).fit_resample(source, y)


def test_coral_in_pipeline_aligns_training_features_only(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    source = X_train.reshape(len(X_train), -1) / 16.0
    # The target domain: the test digits under per-pixel gains (a sensor change).
    gains = np.random.RandomState(0).uniform(0.3, 3.0, 64)
    target = X_test.reshape(len(X_test), -1) / 16.0 * gains

    pipe = ImbPipeline(
        [("coralaligner", CORALAligner(reference=target)), ("clf", RidgeClassifier())]
    ).fit(source, y_train)
    # The classifier was trained on the aligned source features...
    direct = RidgeClassifier().fit(coral_align(source, target), y_train)
    assert_allclose(pipe[-1].coef_, direct.coef_, rtol=1e-10, atol=1e-12)
    # ...and the target features reach it unchanged at predict time.
    assert_array_equal(pipe.predict(target), pipe[-1].predict(target))
    assert_array_equal(pipe.predict(target), direct.predict(target))

    plain = RidgeClassifier().fit(source, y_train)
    before, after = plain.score(target, y_test), pipe.score(target, y_test)
    # 722 and 754 of the 899 target digits.
    assert before < 0.82 and after > 0.83

    # A grid search switches the alignment off (None) and on.
    search = GridSearchCV(
        ImbPipeline([("coralaligner", CORALAligner()), ("clf", RidgeClassifier())]),
        {"coralaligner__reference": [None, target]},
        cv=2,
    ).fit(source, y_train)
    params = search.cv_results_["params"]
    assert len(params) == 2 and params[0]["coralaligner__reference"] is None
    assert params[1]["coralaligner__reference"] is target
