"""BoVWExtractor and bovw_histograms: local descriptors of scikit-image, a
MiniBatchKMeans codebook, normalised word histograms.

Tolerance: the descriptors equal the scikit-image calls exactly (ORB, SIFT,
DAISY on the same grey image; the patch descriptor equals
skimage.util.view_as_windows with the normalisation written out), and the
histograms equal KMeans.predict + np.bincount / count exactly. Sums of
histogram rows are 1 to float rounding (1e-6).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data
from skimage.color import rgb2gray
from skimage.feature import ORB, SIFT, daisy
from skimage.util import view_as_windows
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from skimgprep import BoVWExtractor, HOGExtractor, bovw_histograms
from skimgprep.features._bovw import _check_descriptor, _descriptor_chunk

PATCH = {"patch_size": (8, 8), "step": 4}


@pytest.fixture(scope="module")
def camera_crops():
    """Four 96x96 crops of the camera image, float64 in [0, 1]."""
    camera = data.camera() / 255.0
    corners = [(100, 100), (200, 250), (300, 150), (150, 330)]
    return np.stack([camera[r : r + 96, c : c + 96] for r, c in corners])


@pytest.fixture(scope="module")
def astronaut_crops():
    """Two 96x96 colour crops of the astronaut image, float64 in [0, 1]."""
    astronaut = data.astronaut() / 255.0
    return np.stack([astronaut[r : r + 96, c : c + 96] for r, c in [(30, 150), (200, 300)]])


def normalised_patches(gray, patch_size, step, eps=1e-3):
    patches = view_as_windows(gray, patch_size, step).reshape(-1, patch_size[0] * patch_size[1])
    return (patches - patches.mean(axis=1, keepdims=True)) / np.sqrt(
        patches.var(axis=1, keepdims=True) + patches.dtype.type(eps)
    )


def reference_descriptors(gray, descriptor, params):
    """The scikit-image call on one grey image, as rows of floats."""
    if descriptor == "patch":
        return normalised_patches(gray, **params)
    if descriptor == "daisy":
        descs = daisy(gray, **params)
        return descs.reshape(-1, descs.shape[-1])
    detector = (ORB if descriptor == "orb" else SIFT)(**params)
    detector.detect_and_extract(gray)
    return detector.descriptors.astype(gray.dtype)


@pytest.mark.parametrize(
    "descriptor, params",
    [
        ("orb", {"n_keypoints": 100}),
        ("sift", {}),
        ("daisy", {"step": 8, "radius": 10}),
        ("patch", PATCH),
        ("patch", {"patch_size": (5, 3), "step": (2, 3), "eps": 0.01}),
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_descriptors_equal_skimage(camera_crops, astronaut_crops, descriptor, params, dtype):
    spec = _check_descriptor(descriptor, params)
    for images in (camera_crops, astronaut_crops):  # grey, then colour
        images = images.astype(dtype)
        got = _descriptor_chunk(images, descriptor=spec)
        for image, descs in zip(images, got):
            gray = rgb2gray(image) if image.ndim == 3 else image
            expected = reference_descriptors(gray, descriptor, params)
            assert len(expected) > 0
            assert descs.dtype == dtype and descs.shape[1] == spec.n_values
            assert_array_equal(descs, expected)
    if descriptor == "orb":
        assert set(np.unique(got[0])) == {0.0, 1.0}  # binary values as 0/1


def test_histograms_equal_hand_computation(camera_crops):
    params = {"n_keypoints": 150}
    bovw = BoVWExtractor(n_words=8, descriptor_params=params, random_state=0)
    X_bovw = bovw.fit_transform(camera_crops)
    codebook = bovw.codebook_
    assert codebook.cluster_centers_.shape == (8, 256)
    expected = []
    for gray in camera_crops:
        descs = reference_descriptors(gray, "orb", params)
        expected.append(np.bincount(codebook.predict(descs), minlength=8) / len(descs))
    expected = np.array(expected)
    assert_array_equal(X_bovw, expected)
    assert_array_equal(bovw.transform(camera_crops), expected)
    histograms, n_empty = bovw_histograms(camera_crops, codebook, descriptor_params=params)
    assert_array_equal(histograms, expected)
    assert n_empty == 0
    assert_allclose(X_bovw.sum(axis=1), 1.0, rtol=1e-6)
    assert bovw.n_empty_ == 0
    assert bovw.n_descriptors_ == sum(
        len(reference_descriptors(g, "orb", params)) for g in camera_crops
    )


def test_empty_images_counted(camera_crops):
    constants = np.stack([np.full((96, 96), v) for v in (0.0, 0.5, 1.0)])
    X = np.concatenate([camera_crops[:2], constants, camera_crops[2:]])
    bovw = BoVWExtractor(n_words=6, random_state=0)
    X_bovw = bovw.fit_transform(X)
    assert bovw.n_empty_ == 3  # ORB finds no keypoint in a flat image
    empty = X_bovw.sum(axis=1) == 0
    assert_array_equal(np.flatnonzero(empty), [2, 3, 4])
    assert_allclose(X_bovw[~empty].sum(axis=1), 1.0, rtol=1e-6)
    histograms, n_empty = bovw_histograms(X, bovw.codebook_)
    assert n_empty == 3
    assert_array_equal(histograms, X_bovw)
    # transform sets no attribute: the count of other images is the twin's
    state = dict(bovw.__dict__)
    bovw.transform(constants)
    assert bovw.__dict__.keys() == state.keys() and bovw.n_empty_ == 3
    assert bovw_histograms(constants, bovw.codebook_)[1] == 3


def test_images_of_any_size(camera_crops):
    camera = data.camera() / 255.0
    crops = [camera[100:196, 100:180], camera[250:330, 200:320], camera[0:5, 0:40]]
    bovw = BoVWExtractor(descriptor="patch", n_words=5, descriptor_params=PATCH, random_state=0)
    X_bovw = bovw.fit_transform(crops)
    assert bovw.image_shape_ is None and bovw.n_empty_ == 1  # 5 rows: no 8x8 patch
    assert_array_equal(X_bovw[2], 0.0)
    assert_allclose(X_bovw[:2].sum(axis=1), 1.0, rtol=1e-12)
    # each row is that image's own histogram, whatever came with it
    assert_array_equal(bovw.transform([crops[1]]), X_bovw[1:2])
    assert bovw.transform(camera_crops).shape == (4, 5)
    histograms, n_empty = bovw_histograms(
        crops, bovw.codebook_, descriptor="patch", descriptor_params=PATCH
    )
    assert_array_equal(histograms, X_bovw)
    assert n_empty == 1


def test_flattened_and_batch_agree(camera_crops):
    params = dict(descriptor="patch", n_words=7, descriptor_params=PATCH, random_state=0)
    batch = BoVWExtractor(**params).fit_transform(camera_crops)
    flat = BoVWExtractor(**params, image_shape=(96, 96)).fit_transform(
        camera_crops.reshape(4, -1)
    )
    assert_array_equal(flat, batch)


def test_one_pixel_tall_rows():
    X = np.random.default_rng(0).random((6, 20))
    bovw = BoVWExtractor(
        descriptor="patch", n_words=3, descriptor_params={"patch_size": (1, 2), "step": 1},
        random_state=0,
    )
    X_bovw = bovw.fit_transform(X)
    assert X_bovw.shape == (6, 3) and bovw.n_descriptors_ == 6 * 19
    words = bovw.codebook_.predict(normalised_patches(X[0][None], (1, 2), 1))
    assert_array_equal(X_bovw[0], np.bincount(words, minlength=3) / 19)


def test_same_random_state_same_codebook(camera_crops):
    def fit(random_state, **params):
        return BoVWExtractor(
            descriptor="patch", n_words=10, descriptor_params=PATCH,
            random_state=random_state, **params,
        ).fit(camera_crops)

    a, b = fit(0), fit(0)
    assert_array_equal(a.codebook_.cluster_centers_, b.codebook_.cluster_centers_)
    assert_array_equal(a.transform(camera_crops), b.transform(camera_crops))
    c = fit(1)
    assert not np.allclose(a.codebook_.cluster_centers_, c.codebook_.cluster_centers_)
    # one generator per fit: an int seed and a fresh RandomState of it agree
    d = fit(np.random.RandomState(0))
    assert_array_equal(a.codebook_.cluster_centers_, d.codebook_.cluster_centers_)
    # the subsample is drawn with the same generator
    e, f = fit(3, max_descriptors=500), fit(3, max_descriptors=500)
    assert e.n_descriptors_ == 500
    assert_array_equal(e.codebook_.cluster_centers_, f.codebook_.cluster_centers_)
    assert not np.array_equal(
        e.codebook_.cluster_centers_, fit(3).codebook_.cluster_centers_
    )


@pytest.mark.parametrize("descriptor, params", [("patch", PATCH), ("orb", {"n_keypoints": 50})])
def test_n_jobs_and_batch_size_do_not_change_results(camera_crops, descriptor, params):
    X = np.concatenate([camera_crops, camera_crops[:, ::-1]])
    results = []
    for n_jobs, batch_size in [(None, None), (2, None), (2, 1), (None, 3)]:
        bovw = BoVWExtractor(
            descriptor=descriptor, n_words=6, descriptor_params=params, random_state=0,
            n_jobs=n_jobs, batch_size=batch_size,
        )
        results.append((bovw.fit_transform(X), bovw.codebook_.cluster_centers_))
    for X_bovw, centers in results[1:]:
        assert_array_equal(X_bovw, results[0][0])
        assert_array_equal(centers, results[0][1])


@pytest.fixture(scope="module")
def textures():
    """48x48 tiles of the brick, grass and gravel images, with their class."""
    X, y = [], []
    for label, image in enumerate([data.brick(), data.grass(), data.gravel()]):
        tiles = view_as_windows(image, (48, 48), 64)[:6, :6].reshape(-1, 48, 48)
        X.append(tiles)
        y += [label] * len(tiles)
    return np.concatenate(X).astype(np.float32) / 255, np.array(y)


def test_grid_search_classifies_textures(textures):
    X, y = textures
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    pipe = Pipeline([
        ("bovw", BoVWExtractor(descriptor="patch", max_descriptors=4000, random_state=0)),
        ("clf", LogisticRegression(C=100.0, max_iter=2000)),
    ])
    search = GridSearchCV(pipe, {"bovw__n_words": [8, 16]}, cv=3).fit(X_train, y_train)
    assert search.best_params_["bovw__n_words"] in (8, 16)
    accuracy = search.score(X_test, y_test)
    assert accuracy > 0.8, accuracy  # chance is 1/3


def test_feature_union_and_names(camera_crops):
    bovw = BoVWExtractor(descriptor="patch", n_words=4, descriptor_params=PATCH, random_state=0)
    union = FeatureUnion([
        ("bovw", bovw),
        ("hog", HOGExtractor(pixels_per_cell=(32, 32), cells_per_block=(1, 1))),
    ])
    out = union.fit_transform(camera_crops)
    assert out.shape == (4, 4 + 9 * 3 * 3)
    names = union.get_feature_names_out()
    assert list(names[:4]) == [f"bovw__bovw_word{i}" for i in range(4)]
    assert_array_equal(out[:, :4], bovw.fit_transform(camera_crops))
    assert list(bovw.get_feature_names_out()) == [f"bovw_word{i}" for i in range(4)]


def test_dtypes(camera_crops):
    params = dict(descriptor="patch", n_words=5, descriptor_params=PATCH, random_state=0)
    X32 = camera_crops.astype(np.float32)
    bovw = BoVWExtractor(**params).fit(X32)
    assert bovw.transform(X32).dtype == np.float32
    assert bovw.codebook_.cluster_centers_.dtype == np.float32
    assert bovw.transform(camera_crops).dtype == np.float64
    X8 = (camera_crops * 255).astype(np.uint8)
    out8 = BoVWExtractor(**params).fit_transform(X8)
    assert out8.dtype == np.float32  # computed on the float32 values
    assert_array_equal(out8, BoVWExtractor(**params).fit_transform(X8.astype(np.float32)))


def test_colour_is_converted_to_grey(astronaut_crops):
    params = dict(descriptor="patch", n_words=5, descriptor_params=PATCH, random_state=0)
    colour = BoVWExtractor(**params).fit_transform(astronaut_crops)
    grey = BoVWExtractor(**params).fit_transform(rgb2gray(astronaut_crops))
    assert_array_equal(colour, grey)


def test_input_not_modified(camera_crops):
    X = camera_crops.astype(np.float32)
    X_copy = X.copy()
    X.setflags(write=False)  # a write would raise
    bovw = BoVWExtractor(
        descriptor="patch", n_words=5, descriptor_params={"patch_size": (1, 1), "step": 1,
                                                          "normalize": False},
        random_state=0,
    )
    bovw.fit_transform(X)
    bovw.transform(X)
    assert_array_equal(X, X_copy)
    # scikit-image's ORB kernels need writable buffers: a read-only batch works
    orb = BoVWExtractor(n_words=4, descriptor_params={"n_keypoints": 50}, random_state=0)
    assert_array_equal(orb.fit_transform(X), orb.transform(X_copy))
    assert_array_equal(X, X_copy)


def test_errors(camera_crops):
    X = camera_crops
    with pytest.raises(ValueError, match=r"skimage.feature.ORB: downscale, .*unknown key\(s\) 'radius'"):
        BoVWExtractor(descriptor_params={"radius": 3}).fit(X)
    with pytest.raises(ValueError, match=r"descriptor_params\['patch_size'\] must be a tuple"):
        BoVWExtractor(descriptor="patch", descriptor_params={"patch_size": (0, 3)}).fit(X)
    with pytest.raises(ValueError, match=r"descriptor_params\['eps'\] must be a number >= 0"):
        BoVWExtractor(descriptor="patch", descriptor_params={"eps": -1}).fit(X)
    with pytest.raises(ValueError, match="upsampling must be 1, 2 or 4"):
        BoVWExtractor(descriptor="sift", descriptor_params={"upsampling": 3}).fit(X)
    with pytest.raises(ValueError, match="'descriptor' parameter of BoVWExtractor"):
        BoVWExtractor(descriptor="surf").fit(X)
    with pytest.raises(ValueError, match="max_descriptors=5 is below n_words=10"):
        BoVWExtractor(n_words=10, max_descriptors=5).fit(X)
    flat = np.full((3, 64, 64), 0.5)
    with pytest.raises(
        ValueError,
        match=r"needs at least n_words=100 distinct descriptors .* the 3 training image\(s\) "
        r"gave 0 descriptor\(s\), 0 of them distinct",
    ):
        BoVWExtractor().fit(flat)
    with pytest.raises(ValueError, match=r"Images of 4x4 pixels \(16 feature\(s\) each\) are smaller"):
        BoVWExtractor(descriptor="patch", n_words=2).fit(np.random.rand(3, 4, 4))
    with pytest.raises(NotFittedError):
        BoVWExtractor().transform(X)
    bovw = BoVWExtractor(descriptor="patch", n_words=5, descriptor_params=PATCH, random_state=0)
    bovw.fit(X)
    with pytest.raises(ValueError, match="fitted on images with 1 channel"):
        bovw.transform(np.stack([X, X, X], axis=-1))
    with pytest.raises(ValueError, match="words have 64 values, but descriptor='orb'"):
        bovw_histograms(X, bovw.codebook_)
    with pytest.raises(ValueError, match="expected a batch of images"):
        bovw.transform(X[0, 0])
