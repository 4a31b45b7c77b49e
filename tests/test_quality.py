"""QualityFilter and image_quality: exact kept indices and reasons on a batch
built here (sharp camera crops, blurred, constant, low-contrast and duplicated
images), each measure equal to the scikit-image / SciPy / numpy call on the
image alone, the perceptual hash equal to a plain implementation and to a
golden value, and the sampler conventions (layouts, dtypes, untouched input,
validation folds untouched in a pipeline, errors)."""

from collections import OrderedDict

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import ndimage
from scipy.fft import dctn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_digits
from sklearn.feature_extraction.image import extract_patches_2d
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.utils._param_validation import InvalidParameterError
from skimage import data, exposure, filters
from skimage.color import rgb2gray
from skimage.transform import resize

from skimgprep import Flattener, QualityFilter, image_quality
from skimgprep.pipeline import Pipeline
from skimgprep import quality as quality_module
from skimgprep.quality import _find_duplicates

#: Top-left corners of six sharp, contrasted, distinct 64x64 crops of camera().
SHARP = [(64, 128), (128, 256), (192, 384), (160, 0), (224, 288), (96, 224)]

#: The batch of ``make_batch``: what each image is, and what the filter says.
EXPECTED = [
    # (what, reason, duplicate_of)
    ("S0", "", -1),
    ("blur(S1, sigma=2), before S1", "blurry", -1),
    ("constant 0.5", "constant", -1),
    ("S1: its blurred copy came first but was removed", "", -1),
    ("low-contrast copy of S2", "low_contrast", -1),
    ("S2", "", -1),
    ("exact copy of S0", "duplicate", 0),
    ("S3", "", -1),
    ("S3 + 1/255 on one pixel", "duplicate", 7),
    ("constant 0.0", "constant", -1),
    ("S4", "", -1),
    ("blur(S4, sigma=3)", "blurry", -1),
    ("S5", "", -1),
    ("low-contrast copy of S5", "low_contrast", -1),
    ("exact copy of image 1 (blurred)", "blurry", -1),
    ("exact copy of S1", "duplicate", 3),
]

BLUR = 1e-3  # between the blurred copies' Laplacian variances and the sharp crops'


def _blur(image, sigma):
    return filters.gaussian(image, sigma=sigma, preserve_range=True).astype(np.float32)


def _low_contrast(image):
    return exposure.rescale_intensity(image, out_range=(0.45, 0.5)).astype(np.float32)


@pytest.fixture(scope="module")
def batch():
    cam = data.camera().astype(np.float32) / 255
    s = [cam[r : r + 64, c : c + 64] for r, c in SHARP]
    near = s[3].copy()
    near[10, 20] += np.float32(1 / 255)
    blurred = _blur(s[1], 2.0)
    images = [
        s[0], blurred, np.full((64, 64), 0.5, np.float32), s[1], _low_contrast(s[2]),
        s[2], s[0].copy(), s[3], near, np.zeros((64, 64), np.float32), s[4],
        _blur(s[4], 3.0), s[5], _low_contrast(s[5]), blurred.copy(), s[1].copy(),
    ]
    X = np.stack(images)
    y = np.arange(len(X)) % 3
    return X, y


@pytest.fixture(scope="module")
def varied():
    """Images of every kind for the per-image equalities: grey, RGB, RGBA."""
    cam = data.camera()
    grey = extract_patches_2d(cam, (24, 40), max_patches=12, random_state=0)
    rgb = extract_patches_2d(data.astronaut(), (24, 40), max_patches=8, random_state=1)
    rgb = np.concatenate([rgb, (rgb[:3] // 16 + 120)])  # three low-contrast ones
    grey = np.concatenate([grey, grey[:4] // 20 + 100])  # four low-contrast ones
    alpha = np.random.RandomState(0).randint(0, 256, size=rgb.shape[:3] + (1,))
    alpha[-3:] = 255  # the low-contrast ones opaque: rgba2rgb keeps them
    rgba = np.concatenate([rgb, alpha.astype(np.uint8)], axis=-1)
    return grey, rgb, rgba


# --- the reference, image by image -------------------------------------------


def ref_grey(image):
    """The documented grey image of one image."""
    dtype = image.dtype if image.dtype in (np.float32, np.float64) else np.float32
    x = image.astype(dtype)
    if x.ndim == 2:
        return x
    if x.shape[-1] == 1:
        return x[..., 0]
    if x.shape[-1] in (3, 4):
        return rgb2gray(x[..., :3])
    return x.mean(axis=-1)


def dct_matrix(n=32):
    """The orthonormal DCT-II as a matrix: ``dctn(a, norm="ortho") == C @ a @ C.T``."""
    k = np.arange(n)[:, None]
    c = np.sqrt(2 / n) * np.cos(np.pi * (2 * np.arange(n)[None, :] + 1) * k / (2 * n))
    c[0] /= np.sqrt(2)
    return c


def plain_phash(grey, dct=None):
    """pHash of one grey image, written out; ``dct`` replaces scipy's DCT-II.

    Hashes of constant images depend on rounding (all 63 AC coefficients are
    zero up to rounding), so the per-image comparisons use scipy's DCT, as
    the module does; the golden value is also checked with the matrix.
    """
    small = resize(grey, (32, 32), order=1, mode="reflect", anti_aliasing=True, clip=False)
    coefficients = dctn(small, type=2, norm="ortho") if dct is None else dct(small)
    block = coefficients[:8, :8]
    bits = (block > np.median(block)).ravel()  # the DC term included
    value = 0
    for bit in bits:  # row-major, the DC term the most significant bit
        value = (value << 1) | int(bit)
    return value


def plain_duplicates(hashes, candidates, max_distance):
    """The documented rule, as a double loop."""
    dup_of = [-1] * len(hashes)
    kept = []
    for i, h in enumerate(hashes):
        if not candidates[i]:
            continue
        for j in kept:
            if bin(int(h) ^ int(hashes[j])).count("1") <= max_distance:
                dup_of[i] = j
                break
        else:
            kept.append(i)
    return np.array(dup_of)


# --- kept images and reasons ---------------------------------------------------


def test_kept_indices_and_reasons(batch):
    X, y = batch
    sampler = QualityFilter(blur_threshold=BLUR)
    X_res, y_res = sampler.fit_resample(X, y)

    kept = [i for i, (_, reason, _) in enumerate(EXPECTED) if reason == ""]
    assert kept == [0, 3, 5, 7, 10, 12]
    assert_array_equal(sampler.sample_indices_, kept)
    assert sampler.reasons_.tolist() == [reason for _, reason, _ in EXPECTED]
    assert sampler.reasons_.dtype == object
    assert sampler.duplicate_of_.tolist() == [d for _, _, d in EXPECTED]
    assert_array_equal(X_res, X[kept])
    assert_array_equal(y_res, y[kept])
    assert X_res.dtype == np.float32
    assert sampler.blur_threshold_ == BLUR
    assert sampler.std_threshold_ == 1e-3
    assert_array_equal(sampler.classes_, [0, 1, 2])
    assert sampler.sampling_strategy_ == OrderedDict(
        (c, int(np.sum(y[kept] == c))) for c in range(3)
    )
    # The thresholds separate the groups as the batch was built to.
    lap = sampler.quality_["laplacian_var"]
    sharp = [0, 3, 5, 7, 10, 12]
    assert lap[sharp].min() > 10 * BLUR and lap[[1, 11, 14]].max() < BLUR
    # Copies have the hash of their original (the near copy too).
    phash = sampler.quality_["phash"]
    assert phash[6] == phash[0] and phash[8] == phash[7] and phash[15] == phash[3]
    assert len(set(phash[sharp].tolist())) == 6


def test_reasons_follow_precedence(batch):
    X, y = batch
    sampler = QualityFilter(blur_threshold=BLUR)
    sampler.fit_resample(X, y)
    quality = sampler.quality_
    constant = quality["std"] < 1e-3
    low = quality["low_contrast"]
    blurry = quality["laplacian_var"] < BLUR
    # Constant images are also low-contrast and blurry; low-contrast copies
    # are blurry too (their Laplacian is scaled down): the first reason wins.
    assert constant.tolist() == [r == "constant" for r in sampler.reasons_]
    assert low[[2, 9]].all() and blurry[[2, 9]].all()
    assert blurry[[4, 13]].all()
    assert_array_equal(low & ~constant, sampler.reasons_ == "low_contrast")
    assert_array_equal(blurry & ~low & ~constant, sampler.reasons_ == "blurry")


def test_each_criterion_switches_off(batch):
    X, y = batch
    everything_off = QualityFilter(
        std_threshold=None, low_contrast_fraction=None, duplicate_distance=None
    )
    everything_off.fit_resample(X, y)
    assert_array_equal(everything_off.sample_indices_, np.arange(len(X)))
    assert everything_off.blur_threshold_ is None and everything_off.std_threshold_ is None
    assert not everything_off.quality_["low_contrast"].any()
    # Measures are still recorded.
    assert_array_equal(everything_off.quality_["std"], image_quality(X)["std"])

    # Blur off (the default): the blurred image 1 is kept, so its copy 14 and
    # S1 (image 3, same hash: pHash ignores mild blur) become its duplicates;
    # the blurred copy 11 of S4 is a duplicate of S4.
    sampler = QualityFilter()
    sampler.fit_resample(X, y)
    assert sampler.reasons_[1] == ""
    dup = {i: int(d) for i, d in enumerate(sampler.duplicate_of_) if d >= 0}
    assert dup == {3: 1, 6: 0, 8: 7, 11: 10, 14: 1, 15: 1}
    # Duplicates off: copies are kept.
    sampler = QualityFilter(blur_threshold=BLUR, duplicate_distance=None)
    sampler.fit_resample(X, y)
    assert_array_equal(sampler.sample_indices_, [0, 3, 5, 6, 7, 8, 10, 12, 15])
    assert (sampler.duplicate_of_ == -1).all()
    # Constant check off: the constant images are still low contrast.
    sampler = QualityFilter(blur_threshold=BLUR, std_threshold=None)
    sampler.fit_resample(X, y)
    assert sampler.reasons_[2] == sampler.reasons_[9] == "low_contrast"
    # Low contrast off: its images are caught as blurry (the Laplacian is
    # scaled by the contrast squared).
    sampler = QualityFilter(blur_threshold=BLUR, low_contrast_fraction=None)
    sampler.fit_resample(X, y)
    assert sampler.reasons_[4] == sampler.reasons_[13] == "blurry"


def test_quantile_thresholds(batch):
    X, y = batch
    quality = image_quality(X)
    sampler = QualityFilter(
        blur_threshold="quantile", blur_quantile=0.25, std_threshold=None,
        low_contrast_fraction=None, duplicate_distance=None,
    )
    sampler.fit_resample(X, y)
    threshold = np.quantile(quality["laplacian_var"], 0.25)
    assert sampler.blur_threshold_ == threshold
    # 16 images, position 0.25 * 15 = 3.75 between the 4th and 5th smallest:
    # exactly the four smallest are below it, a quarter of the batch.
    order = np.argsort(quality["laplacian_var"])
    assert_array_equal(np.flatnonzero(sampler.reasons_ == "blurry"), np.sort(order[:4]))
    assert set(order[:4].tolist()) == {2, 4, 9, 13}  # constant and low-contrast images

    sampler = QualityFilter(
        std_threshold="quantile", std_quantile=0.1, low_contrast_fraction=None,
        duplicate_distance=None,
    )
    sampler.fit_resample(X, y)
    assert sampler.std_threshold_ == np.quantile(quality["std"], 0.1)
    # 0.1 * 15 = 1.5: the two smallest (the constant images).
    assert_array_equal(np.flatnonzero(sampler.reasons_ == "constant"), [2, 9])


def test_near_duplicates_and_distance(batch):
    X, y = batch
    cam = data.camera().astype(np.float32) / 255
    r, c = SHARP[3]
    shifted = cam[r + 1 : r + 65, c + 1 : c + 65]  # S3 moved by one pixel
    X2 = np.concatenate([X, shifted[None]])
    y2 = np.append(y, 0)
    h = image_quality(X2)["phash"]
    distance = int(np.bitwise_count(h[16] ^ h[7]))
    assert distance == 4
    for max_distance, reason in [(0, ""), (3, ""), (4, "duplicate"), (10, "duplicate")]:
        sampler = QualityFilter(blur_threshold=BLUR, duplicate_distance=max_distance)
        sampler.fit_resample(X2, y2)
        assert sampler.reasons_[16] == reason
        # Images 0..15 are judged as before: their distinct hashes are >= 16 apart.
        assert sampler.reasons_[:16].tolist() == [why for _, why, _ in EXPECTED]


@pytest.mark.parametrize("pair_budget", [None, 500])
@pytest.mark.parametrize("max_distance", [0, 1, 3, 6])
def test_duplicate_search_equals_the_rule(max_distance, pair_budget, monkeypatch):
    if pair_budget is not None:  # blocks of 3 rows: decisions across blocks
        monkeypatch.setattr(quality_module, "_PAIR_BUDGET", pair_budget)
    # Random hashes with planted near copies and chains (a~b, b~c, a!~c).
    rng = np.random.RandomState(max_distance)
    base = rng.randint(0, 2**63, size=40, dtype=np.int64).astype(np.uint64)
    flips = rng.randint(0, 64, size=(160, 3))
    picks = rng.randint(0, 40, size=160)
    hashes = base[picks].copy()
    for i, f in enumerate(flips):
        for bit in f[: rng.randint(0, 4)]:
            hashes[i] ^= np.uint64(1) << np.uint64(bit)
    candidates = rng.rand(160) > 0.2
    expected = plain_duplicates(hashes, candidates, max_distance)
    assert_array_equal(_find_duplicates(hashes, candidates, max_distance), expected)
    assert (expected >= 0).sum() >= 10  # duplicates to find


def test_duplicate_chain_keeps_the_third():
    # b is within 1 bit of a, c within 1 bit of b but 2 of a: a kept, b
    # removed, c kept (its only close earlier image, b, was not kept).
    hashes = np.array([0b000, 0b001, 0b011], dtype=np.uint64)
    assert _find_duplicates(hashes, np.ones(3, bool), 1).tolist() == [-1, 0, -1]


# --- the measures, image by image ---------------------------------------------


@pytest.mark.parametrize("kind", ["grey", "rgb", "rgba"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_measures_equal_reference_per_image(varied, kind, dtype):
    images = dict(zip(["grey", "rgb", "rgba"], varied))[kind]
    if dtype != np.uint8:
        images = images.astype(dtype) / 255
    params = {"low_contrast_fraction": 0.05, "lower_percentile": 2.0, "upper_percentile": 98.0}
    quality = image_quality(images, **params)
    low = []
    for i, image in enumerate(images):
        grey = ref_grey(image)
        # Exact: the same operations in the same dtype.
        assert quality["laplacian_var"][i] == ndimage.laplace(grey).var()
        assert quality["std"][i] == np.std(grey, dtype=np.float64)
        flag = exposure.is_low_contrast(image, 0.05, 2.0, 98.0)
        assert quality["low_contrast"][i] == flag
        low.append(flag)
        assert quality["phash"][i] == plain_phash(grey)
    assert any(low) and not all(low)  # both answers were tested
    assert quality["laplacian_var"].dtype == quality["std"].dtype == np.float64
    assert quality["low_contrast"].dtype == bool and quality["phash"].dtype == np.uint64


def test_contrast_is_the_ratio_of_is_low_contrast(varied):
    grey, rgb, _ = varied
    for images in (grey, rgb, grey.astype(np.float32) / 255):
        quality = image_quality(images)
        for i, image in enumerate(images):
            g = rgb2gray(image) if image.ndim == 3 else image
            lo, hi = np.percentile(g, [1, 99])
            span = 255 if g.dtype == np.uint8 else 2.0  # dtype_limits: [-1, 1] for floats
            assert_allclose(quality["contrast"][i], (hi - lo) / span, rtol=1e-6)
        for fraction in (0.02, 0.05, 0.2):
            flags = image_quality(images, low_contrast_fraction=fraction)["low_contrast"]
            assert flags.tolist() == [exposure.is_low_contrast(im, fraction) for im in images]


def test_other_dtypes_and_channels(varied):
    grey, rgb, _ = varied
    cases = [
        grey.astype(np.uint16) * 200,
        grey > 128,  # bool: low contrast only when one value
        grey.astype(np.int64),  # always low contrast: the int64 range is huge
        rgb[..., :2],  # two channels: their mean
        grey[..., None],  # one channel
    ]
    for images in cases:
        quality = image_quality(images)
        for i, image in enumerate(images):
            grey_i = ref_grey(image)
            assert quality["laplacian_var"][i] == ndimage.laplace(grey_i).var()
            assert quality["std"][i] == np.std(grey_i, dtype=np.float64)
            assert quality["low_contrast"][i] == exposure.is_low_contrast(image)
            assert quality["phash"][i] == plain_phash(grey_i)
    assert image_quality(cases[2])["low_contrast"].all()
    bools = (grey > 128).copy()
    bools[0] = True
    assert image_quality(bools)["low_contrast"].tolist() == [
        exposure.is_low_contrast(b) for b in bools
    ]
    # One channel is the grey image itself.
    for key, value in image_quality(grey[..., None]).items():
        assert_array_equal(value, image_quality(grey)[key])


def test_laplacian_is_scikit_image_laplace_up_to_sign(varied):
    grey = varied[0].astype(np.float64) / 255
    quality = image_quality(grey)
    expected = [filters.laplace(g).var() for g in grey]
    # skimage's kernel is the negative of scipy's, in one 2D pass: rounding only.
    assert_allclose(quality["laplacian_var"], expected, rtol=1e-12)


def test_phash_golden_camera():
    camera = data.camera()  # 512x512 uint8
    golden = 0xBFF1C1C0434E8CBC
    c = dct_matrix()
    by_matrix = plain_phash(camera.astype(np.float32), dct=lambda a: c @ a.astype(np.float64) @ c.T)
    assert by_matrix == plain_phash(camera.astype(np.float32)) == golden
    assert int(image_quality(camera[None])["phash"][0]) == golden
    assert int(image_quality(camera[None].astype(np.float64))["phash"][0]) == golden
    # A constant image: no AC coefficient above the median, only the DC bit.
    assert image_quality(np.full((1, 9, 9), 7.0))["phash"][0] == 1 << 63


def test_phash_of_batch_equals_per_image(batch):
    X, _ = batch
    quality = image_quality(X)
    assert [int(h) for h in quality["phash"]] == [plain_phash(x) for x in X]


def test_chunks_and_jobs_do_not_change_the_measures(varied):
    rgb = varied[1]
    reference = image_quality(rgb)
    for kwargs in ({"batch_size": 1}, {"batch_size": 4}, {"n_jobs": 2, "batch_size": 3}):
        quality = image_quality(rgb, **kwargs)
        for key in reference:
            assert_array_equal(quality[key], reference[key])


# --- sampler conventions ------------------------------------------------------


def test_quality_attribute_equals_function(batch):
    X, y = batch
    sampler = QualityFilter(blur_threshold=BLUR, lower_percentile=5, upper_percentile=95)
    sampler.fit_resample(X, y)
    expected = image_quality(X, lower_percentile=5, upper_percentile=95)
    assert list(sampler.quality_) == ["laplacian_var", "std", "contrast", "low_contrast", "phash"]
    for key in expected:
        assert_array_equal(sampler.quality_[key], expected[key])


def test_layouts_give_the_same_result(batch):
    X, y = batch
    n = len(X)
    params = {"blur_threshold": BLUR}
    ref = QualityFilter(**params)
    X_batch, y_batch = ref.fit_resample(X, y)
    flat = QualityFilter(image_shape=(64, 64), **params)
    X_flat, y_flat = flat.fit_resample(X.reshape(n, -1), y)
    chan = QualityFilter(**params)
    X_chan, _ = chan.fit_resample(X[..., None], y)
    assert X_flat.shape == (6, 64 * 64) and X_chan.shape == (6, 64, 64, 1)
    assert_array_equal(X_flat, X_batch.reshape(6, -1))
    assert_array_equal(X_chan[..., 0], X_batch)
    assert_array_equal(y_flat, y_batch)
    for other in (flat, chan):
        assert_array_equal(other.sample_indices_, ref.sample_indices_)
        assert other.reasons_.tolist() == ref.reasons_.tolist()
        for key in ref.quality_:
            assert_array_equal(other.quality_[key], ref.quality_[key])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
def test_dtype_kept(batch, dtype):
    X, y = batch
    X = (X * 255).round().astype(dtype) if dtype == np.uint8 else X.astype(dtype)
    scale = 255**2 if dtype == np.uint8 else 1
    X_res, _ = QualityFilter(blur_threshold=BLUR * scale).fit_resample(X, y)
    assert X_res.dtype == dtype
    X_res, _ = QualityFilter(image_shape=(64, 64)).fit_resample(X.reshape(len(X), -1), y)
    assert X_res.dtype == dtype


def test_float32_measures_are_float32_values(batch):
    X, _ = batch
    quality = image_quality(X)  # float32 images: float32 results, widened
    assert_array_equal(quality["laplacian_var"].astype(np.float32), quality["laplacian_var"])
    quality64 = image_quality(X.astype(np.float64))
    assert_allclose(quality64["laplacian_var"], quality["laplacian_var"], rtol=1e-5)
    assert_allclose(quality64["std"], quality["std"], rtol=1e-6, atol=1e-9)


def test_input_not_modified(batch):
    X, y = batch
    X = X.copy()
    X_before, y_before = X.copy(), y.copy()
    X_res, _ = QualityFilter(blur_threshold=BLUR).fit_resample(X, y)
    image_quality(X)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    assert not np.shares_memory(X_res, X)
    X_res[...] = -1
    assert_array_equal(X, X_before)


def test_fit_only_validates(batch):
    X, y = batch
    sampler = QualityFilter().fit(X, y)
    assert sampler.sampling_strategy_ == OrderedDict((c, int(k)) for c, k in enumerate(np.bincount(y)))
    assert sampler.image_shape_ == (64, 64)
    assert not hasattr(sampler, "sample_indices_") and not hasattr(sampler, "quality_")


# --- in a pipeline --------------------------------------------------------------


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Records what it was fitted on and what it was asked to predict."""

    def fit(self, X, y):
        self.fit_X_ = np.array(X, copy=True)
        self.classes_ = np.unique(y)
        self.predict_inputs_ = []
        return self

    def predict(self, X):
        self.predict_inputs_.append(np.array(X, copy=True))
        return np.full(len(X), self.classes_[0])


@pytest.fixture(scope="module")
def digits_with_bad_images():
    d = load_digits()
    X, y = d.images[:240].copy(), d.target[:240]
    X[5::40] = 0.0  # six blank images
    X[7::40] = X[8::40]  # six copies of the next image
    X[9::40] = X[10::40] / 400  # six low-contrast ones: 0..0.04 of the [-1, 1] float range
    return X, y


def test_validation_folds_keep_all_images(digits_with_bad_images):
    X, y = digits_with_bad_images
    pipe = Pipeline([("quality", QualityFilter()), ("flat", Flattener()), ("spy", SpyClassifier())])
    cv = KFold(3, shuffle=True, random_state=0)
    result = cross_validate(pipe, X, y, cv=cv, return_estimator=True, return_indices=True)
    for fitted, train, test in zip(
        result["estimator"], result["indices"]["train"], result["indices"]["test"]
    ):
        quality = fitted.named_steps["quality"]
        removed = np.setdiff1d(np.arange(len(train)), quality.sample_indices_)
        # The training fold lost its blank images and the later of each copy pair ...
        blanks = np.isin(train, np.arange(5, 240, 40))
        assert set(np.flatnonzero(blanks)) <= set(removed)
        assert len(removed) >= blanks.sum() > 0
        assert set(quality.reasons_[removed]) <= {"constant", "duplicate", "low_contrast"}
        spy = fitted[-1]
        assert_array_equal(spy.fit_X_, X[train][quality.sample_indices_].reshape(-1, 64))
        # ... but scoring saw the whole validation fold, bad images included.
        assert len(spy.predict_inputs_) == 1
        assert_array_equal(spy.predict_inputs_[0], X[test].reshape(len(test), 64))
    # cross_val_score runs the same way: one score per fold.
    assert len(cross_val_score(pipe, X, y, cv=cv)) == 3


# --- warnings and errors --------------------------------------------------------


def test_all_removed_raises(batch):
    X, y = batch
    blank = np.zeros((5, 8, 8), np.float32)
    with pytest.raises(ValueError, match=r"would remove all 5 images \(constant: 5\)"):
        QualityFilter().fit_resample(blank, np.arange(5) % 2)
    copies = np.repeat(X[:1], 4, axis=0)
    copies[3] = 0.0
    with pytest.raises(ValueError, match=r"all 4 images \(constant: 1, blurry: 3\)"):
        QualityFilter(blur_threshold=1.0).fit_resample(copies, np.arange(4) % 2)


def test_class_removed_warns(batch):
    X, y = batch
    y = np.zeros(len(X), dtype=int)
    y[[2, 9]] = 5  # the two constant images
    with pytest.warns(UserWarning, match=r"removed every image of class\(es\) \[5\]"):
        sampler = QualityFilter(blur_threshold=BLUR)
        _, y_res = sampler.fit_resample(X, y)
    assert sampler.sampling_strategy_ == OrderedDict([(0, 6), (5, 0)])
    assert set(y_res) == {0}


def test_one_pixel_tall_images_warn(batch):
    X, y = batch
    flat = X.reshape(len(X), -1)
    with pytest.warns(UserWarning, match="only 8 informative bits.*image_shape"):
        QualityFilter().fit_resample(flat, y)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        QualityFilter(image_shape=(64, 64)).fit_resample(flat, y)
        QualityFilter(duplicate_distance=None).fit_resample(flat, y)


def test_errors(batch):
    X, y = batch
    for params, name in [
        ({"blur_threshold": "auto"}, "blur_threshold"),
        ({"blur_threshold": -1.0}, "blur_threshold"),
        ({"blur_quantile": 1.0}, "blur_quantile"),
        ({"std_quantile": 0.0}, "std_quantile"),
        ({"low_contrast_fraction": 0.0}, "low_contrast_fraction"),
        ({"upper_percentile": 101}, "upper_percentile"),
        ({"duplicate_distance": 65}, "duplicate_distance"),
        ({"batch_size": 0}, "batch_size"),
    ]:
        with pytest.raises(InvalidParameterError, match=name):
            QualityFilter(**params).fit_resample(X, y)
    with pytest.raises(ValueError, match="lower_percentile must be smaller than upper_percentile"):
        QualityFilter(lower_percentile=60, upper_percentile=40).fit_resample(X, y)
    with pytest.raises(ValueError, match="lower_percentile must be smaller"):
        image_quality(X, lower_percentile=50, upper_percentile=50)
    with pytest.raises(InvalidParameterError, match="low_contrast_fraction"):
        image_quality(X, low_contrast_fraction=None)
    with pytest.raises(ValueError, match="expected a batch of images.*got a 1D array"):
        QualityFilter().fit_resample(X[0, 0], y[:1].repeat(64))
    with pytest.raises(ValueError, match="image_shape=\\(7, 7\\), which holds 49"):
        QualityFilter(image_shape=(7, 7)).fit_resample(X.reshape(len(X), -1), y)
    with pytest.raises(ValueError, match="Unknown label type"):
        QualityFilter().fit_resample(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="got a 1D array"):
        image_quality(X[0, 0])
