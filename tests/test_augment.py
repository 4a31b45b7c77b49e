"""Augmenter and its function twins: counts, order, replay, determinism,
equality to scikit-image's warp and rotate on real images, dtypes, layouts,
and the pipeline contract (never at predict time)."""

from collections import OrderedDict

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data
from skimage.transform import AffineTransform, rotate, warp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_digits
from sklearn.svm import SVC
from sklearn.utils._param_validation import InvalidParameterError

from skimgprep import (
    Augmenter,
    Flattener,
    apply_augmentation,
    augment_images,
    augmentation_matrices,
)
from skimgprep.pipeline import Pipeline

MODES = ["reflect", "constant", "edge", "symmetric", "wrap"]

#: Geometry against scikit-image, float64 images in [0, 1]: both interpolate
#: bilinearly in float64 from coordinates that differ by rounding only.
ATOL_F64 = 1e-10
#: float32 output against scikit-image's float64 result: float32 rounding.
ATOL_F32 = 1e-6

NO_AUG = dict(
    p_hflip=0.0, p_vflip=0.0, p_rotate=0.0, p_scale=0.0, p_translate=0.0,
    p_brightness=0.0, p_contrast=0.0, p_noise=0.0,
)
ALL_AUG = dict(
    p_hflip=1.0, p_vflip=1.0, p_rotate=1.0, p_scale=1.0, p_translate=1.0,
    p_brightness=1.0, p_contrast=1.0, p_noise=1.0,
)


def make_params(m=1, **values):
    """Identity parameters for ``m`` copies of image 0, with ``values`` set."""
    params = {
        "source": np.zeros(m, dtype=np.intp),
        "hflip": np.zeros(m, dtype=bool),
        "vflip": np.zeros(m, dtype=bool),
        "rotation": np.zeros(m),
        "scale": np.ones(m),
        "translation": np.zeros((m, 2)),
        "brightness": np.zeros(m),
        "contrast": np.ones(m),
        "noise_std": np.zeros(m),
        "noise_seed": np.zeros(m, dtype=np.int64),
    }
    params.update({k: np.asarray(v) for k, v in values.items()})
    return params


def skimage_transform(h, w, *, hflip=False, vflip=False, rotation=0.0, scale=1.0,
                      translation=(0.0, 0.0)):
    """The documented geometry, composed independently with skimage's transforms:
    flip about the centre, scale, rotate counter-clockwise, shift."""
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    flip = np.diag([-1.0 if hflip else 1.0, -1.0 if vflip else 1.0, 1.0])
    shift = np.array(translation) * [w, h]
    return (
        AffineTransform(translation=-centre)
        + AffineTransform(matrix=flip)
        + AffineTransform(scale=scale)
        # y points down, so a counter-clockwise turn on screen is -angle here.
        + AffineTransform(rotation=-np.deg2rad(rotation))
        + AffineTransform(translation=centre + shift)
    )


@pytest.fixture(scope="module")
def camera():
    return data.camera()[100:164, 200:280]  # uint8, (64, 80)


@pytest.fixture(scope="module")
def astronaut():
    return data.astronaut()[30:94, 150:230]  # uint8, (64, 80, 3)


@pytest.fixture(scope="module")
def batch():
    rng = np.random.RandomState(0)
    X = rng.rand(7, 9, 11, 3).astype(np.float32)
    y = np.array([0, 1, 2, 0, 1, 0, 0], dtype=np.int32)
    return X, y


# --- counts, order, labels -------------------------------------------------


@pytest.mark.parametrize("n_augmented", [0, 1, 3])
def test_counts_originals_first_and_labels(batch, n_augmented):
    X, y = batch
    aug = Augmenter(n_augmented=n_augmented, random_state=0)
    X_res, y_res = aug.fit_resample(X, y)
    n = len(X)
    assert X_res.shape == (n * (1 + n_augmented),) + X.shape[1:]
    assert y_res.shape == (n * (1 + n_augmented),)
    assert_array_equal(X_res[:n], X)  # originals first, unchanged, in order
    source = aug.augmentation_params_["source"]
    assert_array_equal(source, np.tile(np.arange(n), n_augmented))
    assert_array_equal(y_res, np.tile(y, 1 + n_augmented))
    assert y_res.dtype == y.dtype
    assert aug.sampling_strategy_ == OrderedDict(
        [(0, 4 * n_augmented), (1, 2 * n_augmented), (2, 1 * n_augmented)]
    )


def test_string_labels_keep_their_dtype(batch):
    X, _ = batch
    y = np.array(list("abcabca"))
    _, y_res = Augmenter(n_augmented=2, random_state=0).fit_resample(X, y)
    assert y_res.dtype == y.dtype
    assert_array_equal(y_res, np.tile(y, 3))


def test_params_record_every_copy(batch):
    X, y = batch
    kw = dict(
        rotation_range=(-20, 30), scale_range=(0.7, 1.3), translation_range=(-0.2, 0.1),
        brightness_range=(-0.3, 0.2), contrast_range=(0.5, 1.5), noise_std=0.07,
    )
    aug = Augmenter(n_augmented=4, random_state=0, **ALL_AUG, **kw)
    aug.fit_resample(X, y)
    p = aug.augmentation_params_
    m = len(X) * 4
    assert {k: v.shape for k, v in p.items()} == {
        "source": (m,), "hflip": (m,), "vflip": (m,), "rotation": (m,),
        "scale": (m,), "translation": (m, 2), "brightness": (m,),
        "contrast": (m,), "noise_std": (m,), "noise_seed": (m,),
    }
    assert p["hflip"].all() and p["vflip"].all()
    for key, (lo, hi) in [
        ("rotation", (-20, 30)), ("scale", (0.7, 1.3)), ("translation", (-0.2, 0.1)),
        ("brightness", (-0.3, 0.2)), ("contrast", (0.5, 1.5)),
    ]:
        assert p[key].min() >= lo and p[key].max() <= hi, key
    assert_array_equal(p["noise_std"], 0.07)
    # Every copy gets its own draws.
    assert len(np.unique(p["rotation"])) == m
    assert len(np.unique(p["translation"])) == 2 * m
    assert len(np.unique(p["noise_seed"])) == m


def test_probability_zero_gives_exact_copies(batch):
    X, y = batch
    aug = Augmenter(n_augmented=2, random_state=0, **NO_AUG)
    X_res, _ = aug.fit_resample(X, y)
    assert_array_equal(X_res[len(X):], np.tile(X, (2, 1, 1, 1)))
    p = aug.augmentation_params_
    assert not p["hflip"].any() and not p["vflip"].any()
    assert_array_equal(p["rotation"], 0.0)
    assert_array_equal(p["scale"], 1.0)
    assert_array_equal(p["translation"], 0.0)
    assert_array_equal(p["brightness"], 0.0)
    assert_array_equal(p["contrast"], 1.0)
    assert_array_equal(p["noise_std"], 0.0)


def test_golden_draws_and_output():
    """random_state=0 gives these parameters and pixels (pins the draw order)."""
    X = np.arange(4 * 5 * 5, dtype=np.uint8).reshape(4, 5, 5) * 2
    aug = Augmenter(random_state=0)
    X_res, _ = aug.fit_resample(X, np.array([0, 1, 0, 1]))
    p = aug.augmentation_params_
    assert_array_equal(p["hflip"], [False, False, False, False])
    assert_allclose(p["rotation"], [0.0, 12.767899, 0.0, 0.0], atol=1e-6)
    assert_allclose(p["scale"], [1.095724, 1.0, 1.0, 1.0], atol=1e-6)
    assert_allclose(
        p["translation"],
        [[0.00437, -0.017068], [0.0, 0.0], [-0.00877, 0.013687], [0.0, 0.0]],
        atol=1e-6,
    )
    assert_allclose(p["contrast"], [1.0, 1.0, 1.028079, 0.975441], atol=1e-6)
    assert_array_equal(p["noise_std"], [0.0, 0.02, 0.02, 0.02])
    assert_array_equal(p["noise_seed"], [657595236, 351544500, 1087879144, 1779699534])
    assert_array_equal(
        X_res[4],
        [[3, 5, 6, 8, 10],
         [12, 14, 16, 17, 19],
         [21, 23, 25, 27, 28],
         [30, 32, 34, 36, 38],
         [39, 41, 43, 45, 47]],
    )


# --- determinism, replay, chunking -------------------------------------------


def test_same_random_state_same_output(batch):
    X, y = batch
    a1, _ = Augmenter(n_augmented=2, random_state=3, **ALL_AUG).fit_resample(X, y)
    a2, _ = Augmenter(n_augmented=2, random_state=3, **ALL_AUG).fit_resample(X, y)
    b, _ = Augmenter(n_augmented=2, random_state=4, **ALL_AUG).fit_resample(X, y)
    assert_array_equal(a1, a2)
    assert not np.allclose(a1[len(X):], b[len(X):])


def test_fit_resample_draws_anew_each_call_with_a_generator(batch):
    X, y = batch
    aug = Augmenter(random_state=np.random.RandomState(0), **ALL_AUG)
    first, _ = aug.fit_resample(X, y)
    second, _ = aug.fit_resample(X, y)
    assert not np.allclose(first[len(X):], second[len(X):])


@pytest.mark.parametrize("dtype", [np.float32, np.uint8, np.uint16])
def test_output_independent_of_n_jobs_and_batch_size(batch, dtype):
    X, y = batch
    X = (X * 255).astype(dtype) if dtype != np.float32 else X
    kw = dict(n_augmented=3, random_state=0, **ALL_AUG)
    ref, _ = Augmenter(**kw).fit_resample(X, y)
    for n_jobs, batch_size in [(None, 1), (None, 4), (2, 5), (2, None)]:
        out, _ = Augmenter(n_jobs=n_jobs, batch_size=batch_size, **kw).fit_resample(X, y)
        assert_array_equal(out, ref)


def test_output_independent_of_batch_size_on_real_images(astronaut):
    # 15360 values per image: per-image means span numpy's reduction buffers.
    X = np.stack([np.roll(astronaut, 9 * i, axis=1) for i in range(5)])
    X = X.astype(np.float32) / 255
    y = np.array([0, 1, 0, 1, 1])
    kw = dict(n_augmented=2, random_state=0, **ALL_AUG)
    ref, _ = Augmenter(**kw).fit_resample(X, y)
    for batch_size in (1, 3, 7):
        out, _ = Augmenter(batch_size=batch_size, **kw).fit_resample(X, y)
        assert_array_equal(out, ref)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8])
@pytest.mark.parametrize("mode", ["reflect", "constant"])
def test_apply_augmentation_replays_exactly(batch, dtype, mode):
    X, y = batch
    X = (X * 255).astype(dtype) if dtype == np.uint8 else X.astype(dtype)
    aug = Augmenter(n_augmented=2, mode=mode, cval=0.25, random_state=1, **ALL_AUG)
    X_res, _ = aug.fit_resample(X, y)
    replay = apply_augmentation(
        X, aug.augmentation_params_, mode=mode, cval=0.25, batch_size=3
    )
    assert replay.dtype == X.dtype
    assert_array_equal(replay, X_res[len(X):])


def test_augment_images_is_the_estimator(batch):
    X, y = batch
    kw = dict(n_augmented=2, p_vflip=0.5, rotation_range=(-40, 40), random_state=2)
    X_fn, y_fn = augment_images(X, y, **kw)
    X_est, y_est = Augmenter(**kw).fit_resample(X, y)
    assert_array_equal(X_fn, X_est)
    assert_array_equal(y_fn, y_est)


# --- geometry against scikit-image -------------------------------------------


@pytest.mark.parametrize("flip", ["h", "v", "hv"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64, bool])
def test_pure_flips_are_exact(camera, flip, dtype):
    image = (camera > 128) if dtype is bool else camera.astype(dtype)
    params = make_params(hflip=["h" in flip], vflip=["v" in flip])
    out = apply_augmentation(image[None], params)[0]
    expected = image
    if "h" in flip:
        expected = np.fliplr(expected)
    if "v" in flip:
        expected = np.flipud(expected)
    assert out.dtype == image.dtype
    assert_array_equal(out, expected)


def test_flips_of_colour_images_are_exact(astronaut):
    params = make_params(2, source=[0, 0], hflip=[True, False], vflip=[False, True])
    out = apply_augmentation(astronaut[None], params)
    assert_array_equal(out[0], np.fliplr(astronaut))
    assert_array_equal(out[1], np.flipud(astronaut))


@pytest.mark.parametrize("mode", MODES)
def test_rotation_matches_skimage_rotate(camera, mode):
    image = camera / 255.0
    params = make_params(2, source=[0, 0], rotation=[12.0, -33.5])
    out = apply_augmentation(image[None], params, mode=mode)
    for k, angle in enumerate([12.0, -33.5]):
        ref = rotate(image, angle, order=1, mode=mode)
        assert_allclose(out[k], ref, rtol=0, atol=ATOL_F64)


GEOMETRIES = [
    dict(hflip=True, rotation=-9.0, scale=1.07, translation=(0.05, -0.08)),
    dict(vflip=True, rotation=25.0, scale=0.85, translation=(-0.1, 0.03)),
    dict(hflip=True, vflip=True, rotation=3.0, scale=1.2, translation=(0.0, 0.1)),
]


def test_matrices_match_skimage_composition(camera):
    h, w = camera.shape
    params = make_params(
        3,
        source=[0, 0, 0],
        **{
            key: [g.get(key, default) for g in GEOMETRIES]
            for key, default in [("hflip", False), ("vflip", False), ("rotation", 0.0),
                                 ("scale", 1.0), ("translation", (0.0, 0.0))]
        },
    )
    matrices = augmentation_matrices(params, (h, w))
    for k, geometry in enumerate(GEOMETRIES):
        assert_allclose(
            matrices[k], skimage_transform(h, w, **geometry).params, rtol=0, atol=1e-12
        )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_geometry_matches_skimage_warp_grayscale(camera, mode, geometry):
    image = camera / 255.0
    tform = skimage_transform(*image.shape, **geometry)
    ref = warp(image, tform.inverse, order=1, mode=mode, cval=0.3)
    params = make_params(
        hflip=[geometry.get("hflip", False)], vflip=[geometry.get("vflip", False)],
        rotation=[geometry["rotation"]], scale=[geometry["scale"]],
        translation=[geometry["translation"]],
    )
    out64 = apply_augmentation(image[None], params, mode=mode, cval=0.3)[0]
    assert_allclose(out64, ref, rtol=0, atol=ATOL_F64)
    out32 = apply_augmentation(
        image[None].astype(np.float32), params, mode=mode, cval=0.3
    )[0]
    assert out32.dtype == np.float32
    assert_allclose(out32, ref, rtol=0, atol=ATOL_F32)
    # uint8 images: computed in float32, rounded to uint8 (off by at most one
    # where float32 rounding crosses a .5).
    out8 = apply_augmentation(camera[None], params, mode=mode, cval=0.3 * 255)[0]
    ref8 = warp(camera, tform.inverse, order=1, mode=mode, cval=0.3 * 255,
                preserve_range=True)
    assert out8.dtype == np.uint8
    assert np.abs(out8.astype(int) - np.rint(ref8)).max() <= 1


@pytest.mark.parametrize("mode", MODES)
def test_geometry_matches_skimage_warp_rgb(astronaut, mode):
    image = astronaut / 255.0
    m = len(GEOMETRIES)
    params = make_params(
        m,
        source=np.zeros(m, dtype=int),
        hflip=[g.get("hflip", False) for g in GEOMETRIES],
        vflip=[g.get("vflip", False) for g in GEOMETRIES],
        rotation=[g["rotation"] for g in GEOMETRIES],
        scale=[g["scale"] for g in GEOMETRIES],
        translation=[g["translation"] for g in GEOMETRIES],
    )
    out = apply_augmentation(image[None], params, mode=mode, cval=0.5)
    assert out.shape == (m,) + image.shape
    for k, geometry in enumerate(GEOMETRIES):
        tform = skimage_transform(*image.shape[:2], **geometry)
        ref = warp(image, tform.inverse, order=1, mode=mode, cval=0.5)
        assert_allclose(out[k], ref, rtol=0, atol=ATOL_F64)


def test_each_copy_warps_its_own_source(camera, astronaut):
    """The batch index is an exact coordinate: no blending between images."""
    images = np.stack([astronaut[..., 0], camera, astronaut[..., 2]]) / 255.0
    geometry = GEOMETRIES[1]
    params = make_params(
        3, source=[2, 0, 1], vflip=[True] * 3, rotation=[25.0] * 3,
        scale=[0.85] * 3, translation=[(-0.1, 0.03)] * 3,
    )
    out = apply_augmentation(images, params, mode="constant")
    tform = skimage_transform(64, 80, **geometry)
    for k, src in enumerate([2, 0, 1]):
        ref = warp(images[src], tform.inverse, order=1, mode="constant")
        assert_allclose(out[k], ref, rtol=0, atol=ATOL_F64)


@pytest.mark.parametrize("channels", [2, 4, 5])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8])
def test_geometry_matches_skimage_warp_any_channel_count(astronaut, channels, dtype):
    """Four channels take the four-lane path, two and five the scalar one."""
    rgb = astronaut / 255.0
    image = np.concatenate([rgb, rgb[..., ::-1]], axis=-1)[..., :channels]
    image = np.ascontiguousarray(image)
    geometry = GEOMETRIES[0]
    tform = skimage_transform(*image.shape[:2], **geometry)
    params = make_params(
        hflip=[geometry["hflip"]], rotation=[geometry["rotation"]],
        scale=[geometry["scale"]], translation=[geometry["translation"]],
    )
    if dtype == np.uint8:
        image8 = np.rint(image * 255).astype(np.uint8)
        out = apply_augmentation(image8[None], params, mode="symmetric")[0]
        ref = warp(image8, tform.inverse, order=1, mode="symmetric", preserve_range=True)
        assert np.abs(out.astype(int) - np.rint(ref)).max() <= 1
    else:
        out = apply_augmentation(image[None].astype(dtype), params, mode="symmetric")[0]
        ref = warp(image, tform.inverse, order=1, mode="symmetric")
        atol = ATOL_F64 if dtype == np.float64 else ATOL_F32
        assert out.dtype == dtype
        assert_allclose(out, ref, rtol=0, atol=atol)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("scale", [0.3, 0.12])
def test_far_outside_coordinates_match_skimage(camera, astronaut, mode, scale):
    """A strong zoom out and shift read many periods of the boundary mode
    (0.12 is past the kernel's look-up tables: computed directly)."""
    geometry = dict(rotation=20.0, scale=scale, translation=(0.4, -0.7))
    params = make_params(
        rotation=[geometry["rotation"]], scale=[scale],
        translation=[geometry["translation"]],
    )
    for image in (camera / 255.0, astronaut / 255.0):
        tform = skimage_transform(*image.shape[:2], **geometry)
        ref = warp(image, tform.inverse, order=1, mode=mode, cval=0.2)
        out = apply_augmentation(image[None], params, mode=mode, cval=0.2)[0]
        assert_allclose(out, ref, rtol=0, atol=ATOL_F64)


def test_unusual_layouts_and_dtypes_give_the_same_numbers(astronaut):
    """Big-endian, strided, int16 and float16 images take another route to
    the kernel; the numbers are those of the native route."""
    X = np.stack([astronaut, np.roll(astronaut, 11, axis=0)])
    kw = dict(n_augmented=2, random_state=0, **ALL_AUG)
    y = np.array([0, 1])
    X64 = X / 255.0
    ref, _ = Augmenter(**kw).fit_resample(X64, y)
    out, _ = Augmenter(**kw).fit_resample(X64.astype(">f8"), y)
    assert out.dtype == np.float64
    assert_array_equal(out, ref)
    strided = np.asfortranarray(X64)
    assert not strided.flags.c_contiguous
    out, _ = Augmenter(**kw).fit_resample(strided, y)
    assert_array_equal(out, ref)
    # Integer images of another dtype, same values: the uint8 numbers, up to
    # the clipping range (geometry and contrast only: brightness and noise
    # scale with the dtype's range).
    kw8 = dict(kw, p_brightness=0.0, p_noise=0.0)
    ref8, _ = Augmenter(**kw8).fit_resample(X, y)
    out16, _ = Augmenter(**kw8).fit_resample(X.astype(np.int16), y)
    assert out16.dtype == np.int16
    assert out16.min() < 0  # contrast pushed some values below 0: not clipped
    assert_array_equal(np.clip(out16, 0, 255), ref8)
    # float16 is computed in float32 and returned as float16
    ref32, _ = Augmenter(**kw).fit_resample(X64.astype(np.float16).astype(np.float32), y)
    out16, _ = Augmenter(**kw).fit_resample(X64.astype(np.float16), y)
    assert out16.dtype == np.float16
    assert_array_equal(out16, ref32.astype(np.float16))


# --- intensity ---------------------------------------------------------------


def test_contrast_about_the_mean_then_brightness(astronaut):
    image = astronaut / 255.0
    params = make_params(
        3, source=[0, 0, 0], contrast=[0.8, 1.0, 1.3], brightness=[0.0, 0.1, -0.05]
    )
    out = apply_augmentation(image[None], params)
    mean = image.mean()
    for k, (c, b) in enumerate([(0.8, 0.0), (1.0, 0.1), (1.3, -0.05)]):
        assert_allclose(out[k], mean + c * (image - mean) + b, rtol=0, atol=1e-12)
    assert out.max() > 1.0  # float images are not clipped


def test_brightness_of_uint8_is_a_fraction_of_255_and_clipped(camera):
    params = make_params(2, source=[0, 0], brightness=[0.1, 0.5])
    out = apply_augmentation(camera[None], params)
    assert out.dtype == np.uint8
    for k, b in enumerate([0.1, 0.5]):
        # computed in float32, rounded half to even, clipped to [0, 255]
        shifted = camera.astype(np.float32) + np.float32(b * 255)
        assert_array_equal(out[k], np.clip(np.rint(shifted), 0, 255))
    assert out[1].max() == 255 and (camera.astype(int) + 127 > 255).any()


def test_noise_is_seeded_per_copy(camera):
    image = camera / 255.0
    params = make_params(
        2, source=[0, 0], noise_std=[0.05, 0.05], noise_seed=[123, 7]
    )
    out = apply_augmentation(image[None], params)
    for k, seed in enumerate([123, 7]):
        noise = 0.05 * np.random.RandomState(seed).standard_normal(image.size)
        assert_allclose(out[k], image + noise.reshape(image.shape), rtol=0, atol=1e-12)
    # uint8: the standard deviation is a fraction of 255
    out8 = apply_augmentation(camera[None], params)[0].astype(float)
    expected = np.clip(
        np.rint(camera + 0.05 * 255 * np.random.RandomState(123).standard_normal(
            camera.shape)), 0, 255,
    )
    assert np.abs(out8 - expected).max() <= 1


# --- dtypes, layouts, input ----------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8, np.uint16])
def test_dtype_kept_and_originals_exact(camera, dtype):
    scale = {np.uint8: 1, np.uint16: 257}.get(dtype, 1 / 255)
    X = np.stack([camera, np.roll(camera, 17, axis=1)]).astype(np.float64) * scale
    X = X.astype(dtype)
    X_res, _ = Augmenter(n_augmented=2, random_state=0, **ALL_AUG).fit_resample(
        X, np.array([0, 1])
    )
    assert X_res.dtype == X.dtype
    assert_array_equal(X_res[:2], X)
    if dtype in (np.uint8, np.uint16):
        # computed in float32, rounded and clipped: the full range is used
        assert X_res.min() >= 0 and X_res.max() <= np.iinfo(dtype).max


@pytest.mark.parametrize("image_shape", [(9, 11), (9, 11, 3)])
def test_flattened_input_gives_the_batch_numbers(batch, image_shape):
    X, y = batch
    X = X[..., 0] if len(image_shape) == 2 else X
    kw = dict(n_augmented=2, random_state=0, **ALL_AUG)
    X_batch, y_batch = Augmenter(**kw).fit_resample(X, y)
    X_flat, y_flat = Augmenter(image_shape=image_shape, **kw).fit_resample(
        X.reshape(len(X), -1), y
    )
    assert X_flat.shape == (len(X_batch), int(np.prod(image_shape)))
    assert_array_equal(X_flat, X_batch.reshape(len(X_batch), -1))
    assert_array_equal(y_flat, y_batch)


def test_rows_without_image_shape_are_one_pixel_tall_images():
    X = np.arange(12, dtype=np.float64).reshape(2, 6)
    params = make_params(2, source=[0, 1], hflip=[True, True])
    assert_array_equal(apply_augmentation(X, params), X[:, ::-1])


@pytest.mark.parametrize("dtype", [np.float64, np.uint8])
@pytest.mark.parametrize("flat", [False, True])
def test_input_not_modified(batch, dtype, flat):
    X, y = batch
    X = (X * 255).astype(dtype) if dtype == np.uint8 else X.astype(dtype)
    if flat:
        X = X.reshape(len(X), -1)
    X_before = X.copy()
    kw = dict(image_shape=(9, 11, 3)) if flat else {}
    aug = Augmenter(n_augmented=2, random_state=0, **ALL_AUG, **kw)
    X_res, _ = aug.fit_resample(X, y)
    X_res[:] = 0  # the output does not share memory with the input either
    apply_augmentation(X, aug.augmentation_params_, **kw)
    assert_array_equal(X, X_before)


# --- errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(rotation_range=(10, -10)), r"rotation_range must be a tuple \(low, high\)"),
        (dict(scale_range=(0.0, 1.0)), r"scale_range .* low > 0; got \(0.0, 1.0\)"),
        (dict(contrast_range=(-0.5, 1.0)), r"contrast_range .* low >= 0"),
        (dict(translation_range=(0.1,)), r"translation_range .* got \(0.1,\)"),
        (dict(brightness_range=(0, np.inf)), r"brightness_range .* finite"),
    ],
)
def test_bad_ranges_raise(batch, params, match):
    X, y = batch
    with pytest.raises(ValueError, match=match):
        Augmenter(**params).fit_resample(X, y)
    with pytest.raises(ValueError, match=match):
        Augmenter(**params).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(p_hflip=1.5), "'p_hflip' parameter"),
        (dict(n_augmented=-1), "'n_augmented' parameter"),
        (dict(mode="mirror"), "'mode' parameter"),
        (dict(rotation_range=[-5, 5]), "'rotation_range' parameter"),
    ],
)
def test_bad_parameters_raise(batch, params, match):
    X, y = batch
    with pytest.raises(InvalidParameterError, match=match):
        Augmenter(**params).fit_resample(X, y)


def test_apply_augmentation_errors(batch):
    X, _ = batch
    params = make_params(2, source=[0, 7])
    with pytest.raises(ValueError, match=r"must index the 7 images given, in \[0, 6\]"):
        apply_augmentation(X, params)
    params = make_params(2)
    del params["noise_seed"]
    with pytest.raises(ValueError, match=r"missing the keys \['noise_seed'\]"):
        apply_augmentation(X, params)
    params = make_params(2, contrast=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="one value per copy"):
        apply_augmentation(X, params)
    with pytest.raises(ValueError, match="mode must be one of"):
        apply_augmentation(X, make_params(1), mode="mirror")
    with pytest.raises(ValueError, match="expected a batch of images"):
        apply_augmentation(X[0, 0, 0], make_params(1))


# --- pipeline ----------------------------------------------------------------


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """An SVC that records how many samples it was fitted on and what it predicted."""

    def fit(self, X, y):
        self.svc_ = SVC().fit(X, y)
        self.classes_ = self.svc_.classes_
        self.fit_n_samples_ = X.shape[0]
        self.predicted_ = []
        return self

    def predict(self, X):
        self.predicted_.append(np.array(X, copy=True))
        return self.svc_.predict(X)


def test_pipeline_augments_at_fit_only(monkeypatch):
    digits = load_digits()
    X, y = digits.images[:200], digits.target[:200]
    X_test = digits.images[200:260]
    pipe = Pipeline(
        [
            ("augment", Augmenter(n_augmented=2, p_hflip=0.0, random_state=0)),
            ("flatten", Flattener()),
            ("clf", SpyClassifier()),
        ]
    ).fit(X, y)
    assert pipe[-1].fit_n_samples_ == 3 * len(X)

    calls = []
    monkeypatch.setattr(
        Augmenter, "fit_resample", lambda self, *a, **k: calls.append(self)
    )
    pred = pipe.predict(X_test)
    assert calls == []
    assert pred.shape == (len(X_test),)
    # The classifier saw exactly the test images, flattened, not augmented.
    assert_array_equal(pipe[-1].predicted_[0], X_test.reshape(len(X_test), -1))
