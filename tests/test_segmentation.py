"""ThresholdMasker, ObjectCropper, image_thresholds: scikit-image's thresholds,
labels and resize, image by image.

Tolerances: the thresholds and masks are compared exactly (the batch
computation repeats scikit-image's float operations, see
skimgprep/segmentation.py); the crops are compared exactly with
skimage.transform.resize of the same crop in the same float dtype.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from skimage import data, filters
from skimage.color import rgb2gray
from skimage.measure import label, regionprops
from skimage.morphology import closing, footprint_rectangle
from skimage.segmentation import clear_border
from skimage.transform import resize
from sklearn.datasets import load_digits

from skimgprep import (
    ObjectCropper,
    ThresholdMasker,
    crop_objects,
    image_thresholds,
    mask_images,
)

METHODS = ["otsu", "li", "yen", "mean", "triangle", "local"]
BLOCK_SIZE, OFFSET = 11, 0.01


def reference_threshold(gray, method, **params):
    """skimage.filters.threshold_<method> of one grayscale image."""
    if method == "local":
        return filters.threshold_local(
            gray, params.get("block_size", BLOCK_SIZE), offset=params.get("offset", OFFSET)
        )
    if "nbins" in params:
        return getattr(filters, f"threshold_{method}")(gray, nbins=params["nbins"])
    return getattr(filters, f"threshold_{method}")(gray)


def gray_of(image):
    return rgb2gray(image) if image.ndim == 3 else image


@pytest.fixture(scope="module")
def batches():
    camera = data.camera()
    coins = data.coins()
    astronaut = data.astronaut()
    cam = np.stack(
        [camera[r : r + 64, c : c + 80] for r in (0, 150, 300, 440) for c in (0, 200, 420)]
    )
    return {
        "camera": cam,
        "camera_float32": (cam / 255).astype(np.float32),
        "coins": np.stack(
            [coins[r : r + 60, c : c + 70] for r in (0, 120, 240) for c in (0, 150, 300)]
        ),
        "digits": load_digits().images[:300],  # float64 with values 0..16
        "int16": (cam.astype(np.int16) - 120) * 3,  # negative values, ranges differ
        "astronaut": np.stack(
            [astronaut[r : r + 50, c : c + 60] for r in (0, 200, 400) for c in (50, 300)]
        ),
    }


# --------------------------------------------------------------------------
# Thresholds and masks
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "name", ["camera", "camera_float32", "coins", "digits", "int16", "astronaut"]
)
def test_thresholds_and_masks_equal_skimage(batches, name, method):
    images = batches[name]
    thresholds = image_thresholds(
        images, method=method, block_size=BLOCK_SIZE, offset=OFFSET
    )
    masks = ThresholdMasker(
        method=method, output="mask", block_size=BLOCK_SIZE, offset=OFFSET
    ).fit_transform(images)
    assert masks.shape == images.shape
    for i, image in enumerate(images):
        gray = gray_of(image)
        expected = reference_threshold(gray, method)
        assert_array_equal(thresholds[i], expected)
        foreground = gray > expected
        if image.ndim == 3:  # colour: the mask repeated over the channels
            for channel in range(image.shape[-1]):
                assert_array_equal(masks[i, ..., channel], foreground)
        else:
            assert_array_equal(masks[i], foreground)


@pytest.mark.parametrize("method", ["otsu", "yen", "triangle"])
@pytest.mark.parametrize("nbins", [2, 17, 300])
def test_nbins_for_float_images(batches, method, nbins):
    images = batches["camera_float32"][:6]
    thresholds = image_thresholds(images, method=method, nbins=nbins)
    expected = [reference_threshold(image, method, nbins=nbins) for image in images]
    assert_array_equal(thresholds, expected)


def test_whole_images_and_a_list(batches):
    camera, coins = data.camera(), data.coins()
    for method in ["otsu", "yen", "triangle", "mean", "li"]:
        got = image_thresholds([camera, coins, camera[:100]], method=method)
        assert_array_equal(
            got, [reference_threshold(im, method) for im in (camera, coins, camera[:100])]
        )


def test_thresholds_of_flattened_rows_and_local_on_a_list(batches):
    images = batches["coins"]
    n, h, w = images.shape
    assert_array_equal(
        image_thresholds(images.reshape(n, -1), method="yen", image_shape=(h, w)),
        image_thresholds(images, method="yen"),
    )
    crops = [images[0], images[1, :40, :50]]
    local = image_thresholds(crops, method="local", block_size=BLOCK_SIZE, offset=OFFSET)
    assert [t.shape for t in local] == [(60, 70), (40, 50)]
    for crop, t in zip(crops, local):
        assert_array_equal(t, reference_threshold(crop, "local"))


def test_constant_and_bool_images():
    constant = np.full((2, 5, 6), 7, dtype=np.uint8)
    for method in ["otsu", "yen", "triangle", "mean", "li"]:
        assert_array_equal(image_thresholds(constant, method=method), [7.0, 7.0])
    assert_array_equal(mask_images(constant, output="mask"), np.zeros((2, 5, 6), np.float32))
    # A bool image is its own Otsu foreground: 0/1 values, threshold 0.
    rng = np.random.default_rng(0)
    masks = rng.random((4, 9, 9)) > 0.6
    assert_array_equal(image_thresholds(masks), np.zeros(4))
    out = mask_images(masks)
    assert out.dtype == np.bool_
    assert_array_equal(out, masks)


def test_masked_output_and_dtypes(batches):
    camera = batches["camera"]
    thresholds = image_thresholds(camera)
    masked = ThresholdMasker().fit_transform(camera)
    assert masked.dtype == np.uint8
    assert_array_equal(
        masked, np.where(camera > thresholds[:, None, None], camera, 0)
    )
    mask = ThresholdMasker(output="mask").fit_transform(camera)
    assert mask.dtype == np.float32
    assert set(np.unique(mask)) == {0.0, 1.0}
    for dtype in (np.float32, np.float64):
        images = (camera / 255).astype(dtype)
        assert ThresholdMasker().fit_transform(images).dtype == dtype
        assert ThresholdMasker(output="mask").fit_transform(images).dtype == dtype


def test_colour_masked_zeroes_all_channels(batches):
    images = batches["astronaut"]
    masked = ThresholdMasker(method="mean").fit_transform(images)
    assert masked.dtype == np.uint8
    for image, out in zip(images, masked):
        gray = rgb2gray(image)
        foreground = gray > filters.threshold_mean(gray)
        assert_array_equal(out, np.where(foreground[..., None], image, 0))


def test_invert_takes_the_complement(batches):
    coins = batches["coins"]
    dark = ThresholdMasker(output="mask", invert=True).fit_transform(coins)
    for image, mask in zip(coins, dark):
        assert_array_equal(mask, image <= filters.threshold_otsu(image))
    light = ThresholdMasker().fit_transform(coins)
    light_dark = ThresholdMasker(invert=True).fit_transform(coins)
    assert_array_equal(light + light_dark, coins)  # a partition of the pixels


def test_flattened_equals_batch_and_any_size(batches):
    images = batches["coins"]
    n, h, w = images.shape
    batch = ThresholdMasker(method="li").fit_transform(images)
    flat = ThresholdMasker(method="li", image_shape=(h, w)).fit_transform(images.reshape(n, -1))
    assert flat.shape == (n, h * w)
    assert_array_equal(flat, batch.reshape(n, -1))
    # Images of another size at transform time: each has its own threshold.
    masker = ThresholdMasker().fit(images)
    small = images[:, :30, :40]
    assert_array_equal(masker.transform(small), mask_images(small))


def test_input_not_modified_and_chunking_invariant(batches):
    images = batches["coins"]
    copy = images.copy()
    base = ThresholdMasker(method="li", output="mask").fit_transform(images)
    chunked = ThresholdMasker(
        method="li", output="mask", batch_size=2, n_jobs=2
    ).fit_transform(images)
    assert_array_equal(base, chunked)
    for method in ["otsu", "local"]:
        assert_array_equal(
            image_thresholds(images, method=method, batch_size=3),
            image_thresholds(images, method=method),
        )
    assert_array_equal(images, copy)


def test_threshold_errors(batches):
    images = batches["coins"]
    with pytest.raises(ValueError, match="odd block_size"):
        ThresholdMasker(method="local", block_size=4).fit(images)
    with pytest.raises(ValueError, match="odd block_size"):
        image_thresholds(images, method="local", block_size=10)
    with pytest.raises(ValueError, match="'method' parameter"):
        ThresholdMasker(method="sauvola").fit(images)
    with pytest.raises(ValueError, match="different shapes"):
        ThresholdMasker().fit([np.zeros((4, 4)), np.zeros((5, 5))])
    masker = ThresholdMasker().fit(images.reshape(len(images), -1))
    with pytest.raises(ValueError, match="features"):
        masker.transform(np.zeros((2, 10)))


# --------------------------------------------------------------------------
# ObjectCropper
# --------------------------------------------------------------------------


def reference_box(gray, method="otsu", padding=0.0, connectivity=2, invert=False, **params):
    """The crop box from skimage: label, regionprops, largest area, padding."""
    t = reference_threshold(gray, method, **params)
    mask = gray <= t if invert else gray > t
    regions = regionprops(label(mask, connectivity=connectivity))
    h, w = gray.shape
    if not regions:
        return (0, 0, h, w), True
    largest = max(regions, key=lambda r: r.area)  # the first among equals
    r0, c0, r1, c1 = largest.bbox
    pr = int(np.floor(padding * (r1 - r0) + 0.5))
    pc = int(np.floor(padding * (c1 - c0) + 0.5))
    return (max(r0 - pr, 0), max(c0 - pc, 0), min(r1 + pr, h), min(c1 + pc, w)), False


def reference_crop(image, box, output_shape, dtype):
    crop = image[box[0] : box[2], box[1] : box[3]].astype(dtype)
    return resize(crop, output_shape, order=1, anti_aliasing=True, preserve_range=True)


@pytest.fixture(scope="module")
def synthetic():
    """Four 20x30 images: known objects, a smaller distractor, a blank one."""
    images = np.zeros((4, 20, 30))
    images[0, 3:9, 4:16] = 1.0  # 6x12: the largest
    images[0, 14:17, 20:23] = 1.0  # 3x3 distractor
    images[1, 10:20, 25:30] = 0.8  # touching the border
    images[1, 0:2, 0:2] = 0.5
    images[2, 5:6, 5:6] = 1.0  # a single pixel
    return images  # images[3] is blank


def test_find_objects_exact_boxes(synthetic):
    cropper = ObjectCropper(output_shape=(8, 8), padding=0.0).fit(synthetic)
    boxes, empty = cropper.find_objects(synthetic)
    assert_array_equal(boxes, [[3, 4, 9, 16], [10, 25, 20, 30], [5, 5, 6, 6], [0, 0, 20, 30]])
    assert_array_equal(empty, [False, False, False, True])
    assert cropper.n_empty_ == 1
    padded = ObjectCropper(output_shape=(8, 8), padding=0.25).fit(synthetic)
    boxes, _ = padded.find_objects(synthetic)
    # 0.25 * 6 = 1.5 -> 2 rows, 0.25 * 12 = 3 cols; 0.25 * 10 = 2.5 -> 3 rows
    # (clipped at 20), 0.25 * 5 = 1.25 -> 1 col (clipped at 30); 0.25 -> 0.
    assert_array_equal(boxes, [[1, 1, 11, 19], [7, 24, 20, 30], [5, 5, 6, 6], [0, 0, 20, 30]])
    for i in range(4):
        assert boxes[i].tolist() == list(reference_box(synthetic[i], padding=0.25)[0])


def test_crops_equal_skimage_resize(synthetic):
    cropper = ObjectCropper(output_shape=(12, 10), padding=0.25)
    out = cropper.fit_transform(synthetic)
    assert out.shape == (4, 12, 10) and out.dtype == np.float64
    boxes, _ = cropper.find_objects(synthetic)
    for image, box, crop in zip(synthetic, boxes, out):
        assert_array_equal(crop, reference_crop(image, box, (12, 10), np.float64))
    assert_array_equal(cropper.transform(synthetic), out)
    assert cropper.n_empty_ == 1
    # The blank image is passed through, resized whole.
    assert_array_equal(out[3], np.zeros((12, 10)))


def test_connectivity_and_ties():
    image = np.zeros((1, 6, 6))
    image[0, 1, 1] = image[0, 2, 2] = 1.0  # diagonal neighbours
    image[0, 4, 4] = 1.0
    edge = ObjectCropper(output_shape=(2, 2), padding=0.0, connectivity=1).fit(image)
    corner = ObjectCropper(output_shape=(2, 2), padding=0.0, connectivity=2).fit(image)
    # connectivity=1: three objects of one pixel, the first in raster order wins.
    assert_array_equal(edge.find_objects(image)[0], [[1, 1, 2, 2]])
    assert_array_equal(corner.find_objects(image)[0], [[1, 1, 3, 3]])


@pytest.fixture(scope="module")
def coin_crops():
    """Crops of the coins image around each coin: a list of different sizes."""
    coins = data.coins()
    bw = closing(coins > filters.threshold_otsu(coins), footprint_rectangle((3, 3)))
    crops = []
    for region in regionprops(label(clear_border(bw))):
        if region.area >= 100:
            r0, c0, r1, c1 = region.bbox
            crops.append(coins[max(r0 - 6, 0) : r1 + 6, max(c0 - 6, 0) : c1 + 6])
    return crops


def test_coin_crops_list(coin_crops):
    assert len(coin_crops) >= 10
    assert len({crop.shape for crop in coin_crops}) > 1
    cropper = ObjectCropper(output_shape=(24, 24), padding=0.1)
    out = cropper.fit_transform(coin_crops)
    assert out.shape == (len(coin_crops), 24, 24) and out.dtype == np.float32
    assert cropper.image_shape_ is None and cropper.n_empty_ == 0
    boxes, empty = cropper.find_objects(coin_crops)
    assert not empty.any()
    for crop, box, result in zip(coin_crops, boxes, out):
        expected_box, _ = reference_box(crop, padding=0.1)
        assert box.tolist() == list(expected_box)
        assert_array_equal(result, reference_crop(crop, box, (24, 24), np.float32))
    # Fitted on several sizes, it takes a batch of any size.
    assert cropper.transform(np.stack([coin_crops[0]] * 2)).shape == (2, 24, 24)


@pytest.mark.parametrize("method", ["otsu", "li", "local"])
def test_digits_boxes_equal_skimage(method):
    images = load_digits().images[:150]
    cropper = ObjectCropper(
        output_shape=(8, 8), method=method, block_size=3, offset=0.5, padding=0.2
    ).fit(images)
    boxes, empty = cropper.find_objects(images)
    for image, box, is_empty in zip(images, boxes, empty):
        expected, expected_empty = reference_box(
            image, method, padding=0.2, block_size=3, offset=0.5
        )
        assert box.tolist() == list(expected) and is_empty == expected_empty


def test_cropper_layouts_and_dtypes(synthetic):
    n = len(synthetic)
    batch = ObjectCropper(output_shape=(5, 6)).fit_transform(synthetic)
    flat = ObjectCropper(output_shape=(5, 6), image_shape=(20, 30)).fit_transform(
        synthetic.reshape(n, -1)
    )
    assert flat.shape == (n, 30)
    assert_array_equal(flat, batch.reshape(n, -1))
    as32 = ObjectCropper(output_shape=(5, 6)).fit_transform(synthetic.astype(np.float32))
    assert as32.dtype == np.float32
    as8 = ObjectCropper(output_shape=(5, 6)).fit_transform((synthetic * 200).astype(np.uint8))
    assert as8.dtype == np.float32
    cropper = ObjectCropper(output_shape=(5, 6)).fit(synthetic)
    names = cropper.get_feature_names_out()
    assert len(names) == 30 and names[0] == "objectcropper0"


def test_colour_crops_use_the_gray_image():
    astronaut = data.astronaut()
    images = np.stack([astronaut[:80, :90], astronaut[200:280, 300:390]])
    copy = images.copy()
    cropper = ObjectCropper(output_shape=(16, 16), padding=0.1)
    out = cropper.fit_transform(images)
    assert out.shape == (2, 16, 16, 3) and out.dtype == np.float32
    boxes, _ = cropper.find_objects(images)
    for image, box, result in zip(images, boxes, out):
        assert box.tolist() == list(reference_box(rgb2gray(image), padding=0.1)[0])
        assert_array_equal(result, reference_crop(image, box, (16, 16), np.float32))
    assert_array_equal(images, copy)
    with pytest.raises(ValueError, match=r"fitted on images with 3 channel\(s\)"):
        cropper.transform(images[..., 0])
    assert cropper.get_feature_names_out().shape == (16 * 16 * 3,)


def test_cropper_chunking_twin_and_errors(coin_crops):
    images = load_digits().images[:60]
    base = ObjectCropper(output_shape=(6, 6)).fit_transform(images)
    chunked = ObjectCropper(output_shape=(6, 6), batch_size=7, n_jobs=2).fit_transform(images)
    assert_array_equal(base, chunked)
    assert_array_equal(crop_objects(images, output_shape=(6, 6)), base)
    assert_array_equal(
        ObjectCropper(output_shape=(6, 6)).fit(images).transform(images), base
    )
    with pytest.raises(ValueError, match="output_shape must be a tuple of two positive"):
        ObjectCropper(output_shape=(6, 0)).fit(images)
    with pytest.raises(ValueError, match="one channel count"):
        ObjectCropper(output_shape=(6, 6)).fit([np.zeros((5, 5)), np.zeros((5, 6, 3))])
    with pytest.raises(ValueError, match="odd block_size"):
        ObjectCropper(output_shape=(6, 6), method="local", block_size=2).fit(images)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ObjectCropper(output_shape=(6, 6)).fit_transform(coin_crops)


def test_dark_objects_edge_connectivity(coin_crops):
    cropper = ObjectCropper(output_shape=(8, 8), invert=True, connectivity=1, padding=0.05)
    boxes, empty = cropper.fit(coin_crops).find_objects(coin_crops)
    for crop, box, is_empty in zip(coin_crops, boxes, empty):
        expected, expected_empty = reference_box(
            crop, padding=0.05, connectivity=1, invert=True
        )
        assert box.tolist() == list(expected) and is_empty == expected_empty
