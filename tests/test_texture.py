"""GLCMExtractor and GaborExtractor: equal to scikit-image's graycomatrix /
graycoprops and filters.gabor, image by image."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import ndimage as ndi
from skimage import data
from skimage.color import rgb2gray
from skimage.feature import graycomatrix, graycoprops
from skimage.filters import gabor
from sklearn.pipeline import FeatureUnion

from skimgprep import GaborExtractor, GLCMExtractor, gabor_features, glcm_features
from skimgprep.features._texture import _PAD_MODES, GLCM_PROPERTIES

#: Relative tolerance against scikit-image for float64 features; absolute
#: tolerance for features that are 0 up to rounding (a correlation near 0).
RTOL_64, ATOL_64 = 1e-10, 1e-12
#: The same for float32 features (float32 rounding of float64 results).
RTOL_32, ATOL_32 = 1e-6, 1e-7

ANGLES = (0, np.pi / 4, np.pi / 2, 3 * np.pi / 4)


# --- references -------------------------------------------------------------


def quantise(image, levels):
    """The documented quantisation rules, written out for one image."""
    if image.ndim == 3:
        image = rgb2gray(image)
    if image.dtype == np.bool_:
        return image.astype(np.int64) * (levels - 1)
    if image.dtype.kind in "iu":
        info = np.iinfo(image.dtype)
        bits = info.bits - 1 if info.min < 0 else info.bits
        x = np.maximum(image.astype(object), 0)  # exact Python integers
        return (x * levels // 2**bits).astype(np.int64)
    x = np.clip(image.astype(np.float64), 0, 1)
    return np.minimum(np.floor(x * levels), levels - 1).astype(np.int64)


def glcm_reference(images, distances=(1,), angles=ANGLES, levels=32, symmetric=True,
                   properties=GLCM_PROPERTIES):
    """graycomatrix + graycoprops image by image, and where correlation is
    degenerate (one grey level among the first or the second pixels of the
    pairs, so sigma_i or sigma_j is 0)."""
    rows, degenerate = [], []
    for image in images:
        q = quantise(image, levels).astype(np.uint16)
        P = graycomatrix(q, distances, angles, levels=levels, symmetric=symmetric, normed=True)
        rows.append(np.concatenate([graycoprops(P, p).ravel() for p in properties]))
        flat = (P > 0).reshape(levels, levels, -1)
        one_level = (flat.any(axis=1).sum(axis=0) == 1) | (flat.any(axis=0).sum(axis=0) == 1)
        degenerate.append(np.concatenate([one_level & (p == "correlation") for p in properties]))
    return np.array(rows), np.array(degenerate)


def gabor_reference(images, frequencies=(0.1, 0.25, 0.4), n_orientations=4, bandwidth=1,
                    mode="reflect"):
    """skimage.filters.gabor image by image; mean and variance of the magnitude."""
    rows = []
    for image in images:
        row = []
        for f in frequencies:
            for k in range(n_orientations):
                real, imag = gabor(image, f, theta=k * np.pi / n_orientations,
                                   bandwidth=bandwidth, mode=mode)
                magnitude = np.sqrt(real.astype(np.float64) ** 2 + imag.astype(np.float64) ** 2)
                row += [magnitude.mean(), magnitude.var()]
        rows.append(row)
    return np.array(rows)


def assert_glcm_equal(features, expected, degenerate, rtol, atol):
    # Where sigma_i or sigma_j is 0, the correlation is 1 (scikit-image's rule
    # for a constant matrix); scikit-image's own value there can be a ratio of
    # rounding residues (its sigma comes out near 1e-15 instead of 0).
    assert np.all(features[degenerate] == 1)
    assert_allclose(features[~degenerate], expected[~degenerate], rtol=rtol, atol=atol)


# --- images -----------------------------------------------------------------


@pytest.fixture(scope="module")
def textures():
    """Five 33x38 uint8 patches of each of camera, brick, grass, gravel."""
    patches = []
    for image in (data.camera(), data.brick(), data.grass(), data.gravel()):
        for r, c in ((0, 0), (120, 300), (250, 90), (400, 400), (460, 200)):
            patches.append(image[r : r + 33, c : c + 38])
    return np.stack(patches)


@pytest.fixture(scope="module")
def random_images():
    return np.random.default_rng(0).integers(0, 256, (6, 21, 26), dtype=np.uint8)


@pytest.fixture(scope="module")
def gabor_patches():
    """Four 30x34 float64 patches of camera and brick, in [0, 1]."""
    camera, brick = data.camera(), data.brick()
    patches = [camera[r : r + 30, c : c + 34] for r, c in ((40, 60), (300, 200))]
    patches += [brick[r : r + 30, c : c + 34] for r, c in ((0, 0), (250, 310))]
    return np.stack(patches) / 255.0


# --- GLCM: equality to scikit-image ----------------------------------------


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize(
    "distances, angles",
    [((1,), ANGLES), ((1, 3, 7), (0.0, np.pi / 3, np.pi, -np.pi / 4, 2.5))],
)
def test_glcm_float64_equals_skimage(textures, random_images, symmetric, distances, angles):
    for images in (textures / 255.0, random_images / 255.0):
        params = dict(distances=distances, angles=angles, symmetric=symmetric,
                      properties=GLCM_PROPERTIES)
        features = glcm_features(images, **params)
        assert features.dtype == np.float64
        assert features.shape == (len(images), 10 * len(distances) * len(angles))
        expected, degenerate = glcm_reference(images, **params)
        assert_glcm_equal(features, expected, degenerate, RTOL_64, ATOL_64)


@pytest.mark.parametrize("levels", [2, 7, 32, 256])
def test_glcm_uint8_equals_skimage(textures, random_images, levels):
    images = np.concatenate([textures[:, :21, :26], random_images])
    if levels == 256:  # graycoprops is slow on 256x256 matrices: fewer images
        images = images[::4]
    params = dict(distances=(1, 2), angles=ANGLES, levels=levels, properties=GLCM_PROPERTIES)
    features = GLCMExtractor(**params).fit_transform(images)
    assert features.dtype == np.float32
    expected, degenerate = glcm_reference(images, **params)
    assert_glcm_equal(features, expected, degenerate, RTOL_32, ATOL_32)


def test_glcm_uint8_with_256_levels_is_graycomatrix_of_the_image(random_images):
    # image * 256 // 256 is the image itself: no quantisation at all.
    features = glcm_features(random_images.astype(np.float64) / 255.0, levels=256)
    direct = []
    for image in random_images:
        P = graycomatrix(image, [1], ANGLES, levels=256, symmetric=True, normed=True)
        direct.append(np.concatenate([graycoprops(P, p).ravel() for p in GLCMExtractor().properties]))
    uint8 = glcm_features(random_images, levels=256)
    assert_allclose(uint8, np.array(direct), rtol=RTOL_32, atol=ATOL_32)
    assert features.shape == uint8.shape


@pytest.mark.parametrize(
    "dtype, high",
    [(np.uint16, 65536), (np.int16, 32768), (np.int32, 2**31), (np.int64, 2**63),
     (np.uint64, 2**64), (np.bool_, 2)],
)
def test_glcm_integer_dtypes_quantised_over_their_range(dtype, high):
    rng = np.random.default_rng(1)
    if dtype == np.bool_:
        images = rng.random((3, 12, 15)) > 0.5
    else:
        info = np.iinfo(dtype)
        images = rng.integers(info.min, info.max, (3, 12, 15), dtype=dtype, endpoint=True)
        images[0, 0, :4] = [info.max, info.min, 0, high // 2]
    levels = 16
    features = glcm_features(images, levels=levels, properties=GLCM_PROPERTIES)
    assert features.dtype == np.float32
    expected, degenerate = glcm_reference(images, levels=levels)
    assert_glcm_equal(features, expected, degenerate, RTOL_32, ATOL_32)
    # Golden levels: the dtype's top value is the top level, 0 and negatives 0.
    if dtype != np.bool_:
        q = quantise(images[0], levels)
        assert q[0, 0] == levels - 1 and q[0, 2] == 0 and q[0, 3] == levels // 2
        assert images.dtype.kind == "u" or q[0, 1] == 0


def test_glcm_rgb_goes_through_rgb2gray():
    astronaut = data.astronaut()
    images = np.stack([astronaut[r : r + 25, c : c + 31] for r, c in ((30, 40), (200, 250), (420, 100))])
    params = dict(distances=(1, 2), levels=16, properties=GLCM_PROPERTIES)
    expected, degenerate = glcm_reference(images, **params)
    assert_glcm_equal(glcm_features(images, **params), expected, degenerate, RTOL_32, ATOL_32)
    as_float = images / 255.0
    expected, degenerate = glcm_reference(as_float, **params)
    features = glcm_features(as_float, **params)
    assert features.dtype == np.float64
    assert_glcm_equal(features, expected, degenerate, RTOL_64, ATOL_64)
    # (h, w, 1) is grayscale.
    grey = glcm_features(as_float[..., :1], **params)
    assert_array_equal(grey, glcm_features(as_float[..., 0], **params))


def test_glcm_float_quantisation_golden():
    # floor(x * 4), clipped: -0.5 -> 0, 0.2499 -> 0, 0.25 -> 1, 0.99 -> 3, 1 -> 3, 7 -> 3.
    row = np.array([[-0.5, 0.2499, 0.25, 0.99, 1.0, 7.0]])
    expected = np.array([0, 0, 1, 3, 3, 3])
    assert_array_equal(quantise(row, 4)[0], expected)
    # Horizontal pairs (0,0), (0,1), (1,3), (3,3), (3,3) counted by the extractor:
    # contrast = (0 + 1 + 4 + 0 + 0) / 5, not symmetric.
    features = glcm_features(row[None], angles=(0,), levels=4, symmetric=False,
                             properties=("contrast", "mean"))
    assert_allclose(features, [[1.0, (0 + 0 + 1 + 3 + 3) / 5]], rtol=1e-15)


def test_glcm_degenerate_correlation_is_one_and_variance_exactly_zero():
    # The first pixel of every horizontal pair is 2 (sigma_i = 0): correlation 1.
    image = np.array([[2, 2, 2, 2, 3], [2, 2, 2, 2, 1]], dtype=np.uint8)[None] * 64
    features = glcm_features(image, angles=(0,), levels=4, symmetric=False,
                             properties=("mean", "variance", "std", "correlation"))
    assert_array_equal(features, [[2.0, 0.0, 0.0, 1.0]])
    expected, _ = glcm_reference(image, angles=(0,), levels=4, symmetric=False,
                                 properties=("mean", "variance", "std", "correlation"))
    assert_allclose(features[0, :3], expected[0, :3], atol=1e-12)
    # A camera patch whose first 39 rows are all level 26 (of 32): vertical
    # pairs have one first level. Variance exactly 0 and correlation 1 here;
    # scikit-image's variance is 0 to rounding (its correlation there is a
    # ratio of rounding residues, see the module docstring).
    patch = data.camera()[80:120, 50:100][None]
    params = dict(angles=(np.pi / 2,), symmetric=False, properties=("variance", "correlation"))
    assert_array_equal(glcm_features(patch, **params), [[0.0, 1.0]])
    expected, degenerate = glcm_reference(patch, **params)
    assert degenerate.tolist() == [[False, True]]
    assert abs(expected[0, 0]) < 1e-25


def test_glcm_no_pair_gives_skimage_values_without_nan():
    # One-pixel-tall images (2D rows without image_shape): no pair at pi/2,
    # pi/4, 3pi/4; a distance of 9 finds no pair in 8 columns either.
    rows = np.random.default_rng(2).random((4, 8))
    params = dict(distances=(1, 9), properties=GLCM_PROPERTIES)
    features = glcm_features(rows, **params)
    assert not np.any(np.isnan(features))
    expected, _ = glcm_reference(rows[:, None, :], **params)
    assert_allclose(features, expected, rtol=RTOL_64, atol=ATOL_64)
    names = GLCMExtractor(**params).fit(rows).get_feature_names_out()
    no_pair = np.array([n.endswith(("a45", "a90", "a135")) or "_d9_" in n for n in names])
    correlation = np.array([n.startswith("glcm_correlation") for n in names])
    assert no_pair.sum() == 10 * 7  # per property: 3 angles at d1, 4 at d9
    assert np.all(features[:, no_pair & correlation] == 1)
    assert np.all(features[:, no_pair & ~correlation] == 0)


# --- GLCM: layout, dtype, names, errors -------------------------------------


def test_glcm_flattened_equals_batch_and_input_untouched(textures):
    images = (textures[:6] / 255.0).astype(np.float32)
    before = images.copy()
    flat = images.reshape(len(images), -1)
    batch = glcm_features(images, distances=(1, 2))
    assert batch.dtype == np.float32
    assert_array_equal(glcm_features(flat, distances=(1, 2), image_shape=images.shape[1:]), batch)
    assert_array_equal(images, before)
    # The rows do not depend on the batch they are computed in.
    for i in (0, 5):
        assert_array_equal(glcm_features(images[i : i + 1], distances=(1, 2))[0], batch[i])
    # Each image alone, a list of different sizes, another size at transform.
    extractor = GLCMExtractor(distances=(1, 2)).fit(images)
    mixed = [images[0], images[1, :20, :30], images[2, :11]]
    rows = extractor.transform(mixed)
    for image, row in zip(mixed, rows):
        assert_array_equal(row, glcm_features(image[None], distances=(1, 2))[0])
    assert_array_equal(GLCMExtractor(distances=(1, 2)).fit_transform(mixed), rows)


def test_glcm_feature_names():
    extractor = GLCMExtractor(
        distances=(1, 3), angles=(0, np.pi / 2, -np.pi / 4), properties=("contrast", "ASM")
    ).fit(np.zeros((1, 5, 5)))
    assert extractor.get_feature_names_out().tolist() == [
        "glcm_contrast_d1_a0", "glcm_contrast_d1_a90", "glcm_contrast_d1_a-45",
        "glcm_contrast_d3_a0", "glcm_contrast_d3_a90", "glcm_contrast_d3_a-45",
        "glcm_ASM_d1_a0", "glcm_ASM_d1_a90", "glcm_ASM_d1_a-45",
        "glcm_ASM_d3_a0", "glcm_ASM_d3_a90", "glcm_ASM_d3_a-45",
    ]
    assert extractor.offsets_ == [(0, 1), (1, 0), (-1, 1), (0, 3), (3, 0), (-2, 2)]
    default = GLCMExtractor().fit(np.zeros((1, 3, 3))).get_feature_names_out()
    assert len(default) == 24 and default[1] == "glcm_contrast_d1_a45"


@pytest.mark.parametrize(
    "params, match",
    [
        ({"levels": 1}, "'levels' parameter"),
        ({"levels": 2000}, "'levels' parameter"),
        ({"angles": ()}, "angles must be a non-empty"),
        ({"angles": (0.0, np.nan)}, "angles must be a non-empty"),
        ({"angles": (0.0, 0.001)}, "same feature name 'a0'"),
        ({"distances": (0,)}, r"integers >= 1 \(pixels\); got \(0,\)"),
        ({"distances": (1.5,)}, "integers >= 1"),
        ({"distances": ()}, "integers >= 1"),
        ({"distances": (1, 1)}, "distances must not repeat"),
        ({"properties": ("contrast", "sharpness")}, "unknown: 'sharpness'"),
        ({"properties": ()}, "non-empty tuple of names"),
        ({"properties": ("ASM", "ASM")}, "properties must not repeat"),
    ],
)
def test_glcm_errors(params, match):
    with pytest.raises(ValueError, match=match):
        GLCMExtractor(**params).fit(np.zeros((2, 4, 4)))


def test_glcm_channel_errors():
    with pytest.raises(ValueError, match=r"RGB \(h, w, 3\) images; got images of shape \(4, 4, 4\)"):
        GLCMExtractor().fit(np.zeros((2, 4, 4, 4)))
    extractor = GLCMExtractor().fit(np.zeros((2, 4, 4, 3)))
    with pytest.raises(ValueError, match="fitted on images with 3 channel"):
        extractor.transform(np.zeros((2, 4, 4)))


# --- Gabor ------------------------------------------------------------------


def test_scipy_modes_are_numpy_pad_modes():
    # The FFT path pads with numpy; each pad must extend the image as
    # scipy.ndimage does, also past a whole image width.
    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 5):
        x = rng.random(n)
        for mode, pad_mode in _PAD_MODES.items():
            for pad in (1, 4, 17):
                padded = np.pad(x, pad, mode=pad_mode)
                for t in range(2 * pad + 1):
                    weights = np.zeros(2 * pad + 1)
                    weights[t] = 1.0
                    expected = ndi.correlate1d(x, weights, mode=mode)
                    assert_array_equal(padded[t : t + n], expected, err_msg=f"{mode} {n} {pad}")


@pytest.mark.parametrize("mode", ["reflect", "constant", "nearest", "mirror", "wrap"])
def test_gabor_float64_equals_skimage(gabor_patches, mode):
    features = gabor_features(gabor_patches, mode=mode)
    assert features.dtype == np.float64 and features.shape == (4, 24)
    assert_allclose(features, gabor_reference(gabor_patches, mode=mode), rtol=RTOL_64, atol=0)


def test_gabor_float32_and_other_parameters_equal_skimage(gabor_patches):
    images = gabor_patches.astype(np.float32)
    params = dict(frequencies=(0.05, 0.3, 0.7), n_orientations=3, bandwidth=1.6)
    features = GaborExtractor(**params).fit_transform(images)
    assert features.dtype == np.float32
    assert_allclose(features, gabor_reference(images, **params), rtol=RTOL_32, atol=0)


def test_gabor_integer_images_are_filtered_as_float32(gabor_patches):
    # skimage.filters.gabor keeps an integer image's dtype in its output;
    # here a uint8 image is filtered as its float32 values.
    images = np.round(gabor_patches[:2] * 255).astype(np.uint8)
    params = dict(frequencies=(0.15,), n_orientations=2)
    features = gabor_features(images, **params)
    assert features.dtype == np.float32
    expected = gabor_reference(images.astype(np.float32), **params)
    assert_allclose(features, expected, rtol=RTOL_32, atol=0)


def test_gabor_rgb_uses_rgb2gray_weights():
    astronaut = data.astronaut()[100:124, 200:230] / 255.0
    params = dict(frequencies=(0.2,), n_orientations=2)
    features = gabor_features(astronaut[None], **params)
    assert_allclose(features, gabor_reference(rgb2gray(astronaut)[None], **params),
                    rtol=RTOL_64, atol=0)
    uint8 = data.astronaut()[100:124, 200:230]
    grey32 = uint8.astype(np.float32) @ np.array([0.2125, 0.7154, 0.0721], dtype=np.float32)
    assert_allclose(gabor_features(uint8[None], **params),
                    gabor_reference(grey32[None], **params), rtol=RTOL_32, atol=0)


def test_gabor_one_pixel_tall_rows_equal_skimage():
    # 2D rows without image_shape: kernels of 35 rows over an image of 1 row.
    rows = np.random.default_rng(3).random((3, 40))
    for mode in ("reflect", "wrap", "constant"):
        features = gabor_features(rows, mode=mode)
        assert not np.any(np.isnan(features))
        assert_allclose(features, gabor_reference(rows[:, None, :], mode=mode),
                        rtol=RTOL_64, atol=1e-15)


def test_gabor_flattened_equals_batch_and_input_untouched(gabor_patches):
    images = gabor_patches[:3].astype(np.float32)
    before = images.copy()
    batch = gabor_features(images)
    flat = gabor_features(images.reshape(3, -1), image_shape=images.shape[1:])
    assert_array_equal(flat, batch)
    assert_array_equal(images, before)
    assert_array_equal(gabor_features(images[1:2])[0], batch[1])
    mixed = [images[0], images[1, :17, :25]]
    rows = GaborExtractor().fit(images).transform(mixed)
    assert_array_equal(rows[1], gabor_features(images[1:2, :17, :25])[0])


def test_gabor_feature_names():
    extractor = GaborExtractor(frequencies=(0.1, 0.25, 2.0), n_orientations=2).fit(
        np.zeros((1, 6, 6))
    )
    assert extractor.get_feature_names_out().tolist() == [
        "gabor_f0.1_o0_mean", "gabor_f0.1_o0_var", "gabor_f0.1_o1_mean", "gabor_f0.1_o1_var",
        "gabor_f0.25_o0_mean", "gabor_f0.25_o0_var", "gabor_f0.25_o1_mean", "gabor_f0.25_o1_var",
        "gabor_f2_o0_mean", "gabor_f2_o0_var", "gabor_f2_o1_mean", "gabor_f2_o1_var",
    ]
    assert_allclose(extractor.thetas_, [0.0, np.pi / 2])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"frequencies": ()}, "frequencies must be a non-empty"),
        ({"frequencies": (0.1, -0.2)}, r"positive, finite .*got \(0.1, -0.2\)"),
        ({"frequencies": (0.1, 0.1)}, "frequencies must not repeat"),
        ({"n_orientations": 0}, "'n_orientations' parameter"),
        ({"bandwidth": 0}, "'bandwidth' parameter"),
        ({"mode": "grid-wrap"}, "'mode' parameter"),
    ],
)
def test_gabor_errors(params, match):
    with pytest.raises(ValueError, match=match):
        GaborExtractor(**params).fit(np.zeros((2, 4, 4)))


def test_gabor_channel_error():
    with pytest.raises(ValueError, match="got images of shape \\(4, 4, 2\\), with 2 channels"):
        GaborExtractor().fit(np.zeros((2, 4, 4, 2)))


# --- both, in scikit-learn ---------------------------------------------------


def test_feature_union_names_and_values(textures):
    images = textures[:5, :24, :24]
    flat = images.reshape(5, -1)
    glcm = GLCMExtractor(properties=("contrast", "correlation"), image_shape=(24, 24))
    gab = GaborExtractor(frequencies=(0.2,), n_orientations=2, image_shape=(24, 24))
    union = FeatureUnion([("glcm", glcm), ("gabor", gab)])
    out = union.fit_transform(flat)
    assert out.shape == (5, 8 + 4)
    assert_array_equal(out[:, :8], glcm_features(images, properties=("contrast", "correlation")))
    assert_array_equal(out[:, 8:], gabor_features(images, frequencies=(0.2,), n_orientations=2))
    names = union.get_feature_names_out()
    assert names[:2].tolist() == ["glcm__glcm_contrast_d1_a0", "glcm__glcm_contrast_d1_a45"]
    assert names[8:].tolist() == [
        "gabor__gabor_f0.2_o0_mean", "gabor__gabor_f0.2_o0_var",
        "gabor__gabor_f0.2_o1_mean", "gabor__gabor_f0.2_o1_var",
    ]
