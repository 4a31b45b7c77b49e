"""skimgprep.plotting: the figures hold the arrays the steps compute."""

import importlib
import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from skimage import data  # noqa: E402
from skimage.feature import hog  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.pipeline import make_pipeline as sk_make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

import skimgprep  # noqa: E402
from skimgprep import (  # noqa: E402
    Augmenter,
    Denoiser,
    Flattener,
    HOGExtractor,
    PCAReducer,
    PixelScaler,
    Resizer,
    apply_augmentation,
)
from skimgprep.pipeline import make_pipeline  # noqa: E402
from skimgprep.plotting import (  # noqa: E402
    plot_augmentations,
    plot_eigenimages,
    plot_hog,
    plot_image_grid,
    plot_steps,
)

DIGITS = load_digits()
CAMERA = data.camera()[::4, ::4][:96, 16:112]  # 96x96 uint8
ASTRONAUT = data.astronaut()[::8, ::8]  # 64x64x3 uint8


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    def show(*args, **kwargs):
        raise AssertionError("plotting functions never call plt.show()")

    monkeypatch.setattr(plt, "show", show)


def image_of(ax):
    """The array an axes shows (what imshow was given)."""
    assert len(ax.images) == 1
    return np.asarray(ax.images[0].get_array())


# -- matplotlib is optional ------------------------------------------------


def test_import_without_matplotlib_then_calls_say_which_extra(monkeypatch):
    monkeypatch.setattr(skimgprep, "plotting", skimgprep.plotting, raising=False)
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "skimgprep.plotting")
    module = importlib.import_module("skimgprep.plotting")  # no error
    assert module is not sys.modules.get("tests.test_plotting")
    message = r'pip install "skimgprep\[plot\]"'
    calls = [
        lambda: module.plot_image_grid(DIGITS.images[:2]),
        lambda: module.plot_steps(make_pipeline(PixelScaler()), DIGITS.images[:2]),
        lambda: module.plot_hog(HOGExtractor(), CAMERA),
        lambda: module.plot_eigenimages(PCAReducer(), n_components=2),
        lambda: module.plot_augmentations(Augmenter(), CAMERA),
    ]
    for call in calls:
        with pytest.raises(ImportError, match=message):
            call()


def test_import_skimgprep_does_not_import_matplotlib():
    code = (
        "import sys, skimgprep; "
        "assert not [m for m in sys.modules if m.startswith('matplotlib')]; "
        "assert 'skimgprep.plotting' not in sys.modules; "
        "assert not [n for n in skimgprep.__all__ if n.startswith('plot')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- plot_image_grid -------------------------------------------------------


def test_image_grid_batch_values_titles_and_windows():
    images = DIGITS.images[:5]
    titles = [f"digit {t}" for t in DIGITS.target[:5]]
    fig = plot_image_grid(images, titles=titles, n_cols=2)
    assert len(fig.axes) == 5
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (3, 2)
    for i, ax in enumerate(fig.axes):
        np.testing.assert_array_equal(image_of(ax), images[i])
        assert ax.get_title() == titles[i]
        assert ax.images[0].get_clim() == (images[i].min(), images[i].max())
        assert ax.images[0].cmap.name == "gray"

    fig = plot_image_grid(images, value_range="shared")
    lo, hi = images.min(), images.max()
    assert [ax.images[0].get_clim() for ax in fig.axes] == [(lo, hi)] * 5
    fig = plot_image_grid(images, value_range=(0, 16), show_range=True, cmap="viridis")
    assert {ax.images[0].get_clim() for ax in fig.axes} == {(0.0, 16.0)}
    assert fig.axes[0].get_xlabel() == "[0, 16]"
    assert fig.axes[0].images[0].cmap.name == "viridis"
    # The default: ceil(sqrt(5)) = 3 columns.
    fig = plot_image_grid(images)
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 3)


def test_image_grid_flattened_rows_equal_the_batch():
    rows = DIGITS.data[:4]
    fig = plot_image_grid(rows, image_shape=(8, 8))
    for ax, image in zip(fig.axes, DIGITS.images[:4]):
        np.testing.assert_array_equal(image_of(ax), image)
    # Without image_shape each row is an image one pixel tall.
    fig = plot_image_grid(rows)
    assert image_of(fig.axes[0]).shape == (1, 64)


def test_image_grid_list_of_sizes_colour_bool_and_constant():
    colour = ASTRONAUT / 510.0 + 0.25  # float RGB in [0.25, 0.75]
    images = [CAMERA, colour, CAMERA[:30, :50] > 100, np.full((4, 4), 3.0)]
    fig = plot_image_grid(images)
    assert len(fig.axes) == 4
    np.testing.assert_array_equal(image_of(fig.axes[0]), CAMERA)
    # A colour image through its own window, scaled to [0, 1].
    lo, hi = colour.min(), colour.max()
    np.testing.assert_allclose(image_of(fig.axes[1]), (colour - lo) / (hi - lo), rtol=1e-12)
    np.testing.assert_array_equal(image_of(fig.axes[2]), CAMERA[:30, :50] > 100)
    assert fig.axes[2].images[0].get_clim() == (0.0, 1.0)
    assert fig.axes[3].images[0].get_clim() == (2.5, 3.5)  # widened constant
    # A fixed window: clipped to it.
    fig = plot_image_grid([colour], value_range=(0.25, 0.5))
    np.testing.assert_allclose(
        image_of(fig.axes[0]), np.clip((colour - 0.25) / 0.25, 0, 1), rtol=1e-12
    )
    # uint8 colour with the window (0, 255) is drawn as it is.
    fig = plot_image_grid([ASTRONAUT], value_range=(0, 255))
    got = image_of(fig.axes[0])
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, ASTRONAUT)
    # (n, h, w, 1) is drawn as grayscale.
    fig = plot_image_grid(DIGITS.images[:2, :, :, None])
    np.testing.assert_array_equal(image_of(fig.axes[1]), DIGITS.images[1])


def test_image_grid_draws_into_a_given_figure():
    fig = plt.figure()
    sub_left, sub_right = fig.subfigures(1, 2)
    assert plot_image_grid(DIGITS.images[:3], fig=sub_left) is sub_left
    assert plot_image_grid(DIGITS.images[3:5], fig=sub_right) is sub_right
    assert len(fig.axes) == 5
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plot_image_grid(DIGITS.images[:3], fig="figure")


def test_image_grid_errors():
    with pytest.raises(ValueError, match="got a 1D array of shape"):
        plot_image_grid(np.zeros(5))
    with pytest.raises(ValueError, match="got a 5D array"):
        plot_image_grid(np.zeros((1, 2, 2, 2, 2)))
    with pytest.raises(ValueError, match=r"3 \(RGB\) or 4 \(RGBA\) channels.*2 channels"):
        plot_image_grid(np.zeros((2, 4, 4, 2)))
    with pytest.raises(ValueError, match="one title per image: 3 images, got 2 titles"):
        plot_image_grid(DIGITS.images[:3], titles=["a", "b"])
    with pytest.raises(ValueError, match="value_range must be"):
        plot_image_grid(DIGITS.images[:3], value_range=(1, 0))
    with pytest.raises(ValueError, match="value_range must be"):
        plot_image_grid(DIGITS.images[:3], value_range="global")
    with pytest.raises(ValueError, match="n_cols must be a positive integer or None"):
        plot_image_grid(DIGITS.images[:3], n_cols=0)
    with pytest.raises(ValueError, match="image_shape=\\(4, 4\\), which holds 16"):
        plot_image_grid(DIGITS.data[:3], image_shape=(4, 4))


# -- plot_steps -----------------------------------------------------------


@pytest.fixture(scope="module")
def digit_pipeline():
    X, y = DIGITS.images[:200], DIGITS.target[:200]
    pipe = make_pipeline(
        Augmenter(random_state=0),
        PixelScaler(),
        Denoiser(strength=0.5),
        HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(1, 1)),
        SVC(),
    )
    return pipe.fit(X, y)


def test_plot_steps_columns_are_the_pipeline_transforms(digit_pipeline):
    pipe = digit_pipeline
    X = DIGITS.images[300:310]
    fig = plot_steps(pipe, X, n_images=3)
    # input, pixelscaler, denoiser, then the HOG features: 3 rows x 4 columns.
    assert len(fig.axes) == 12
    axes = np.array(fig.axes).reshape(3, 4)
    assert [ax.get_title() for ax in axes[0]] == [
        "input", "pixelscaler", "denoiser", "hogextractor\n36 features"
    ]
    assert all(ax.get_title() == "" for ax in axes[1:].ravel())
    assert "augmenter" in fig._suptitle.get_text()
    assert "samplers run in fit only" in fig._suptitle.get_text()
    for row in range(3):
        np.testing.assert_array_equal(image_of(axes[row, 0]), X[row])
        # Column k is the pipeline up to step k (the augmenter is skipped).
        for col, stop in ((1, 2), (2, 3)):
            expected = pipe[:stop].transform(X[:3])[row]
            np.testing.assert_array_equal(image_of(axes[row, col]), expected)
            assert axes[row, col].get_xlabel() == (
                f"[{expected.min():.3g}, {expected.max():.3g}]"
            )
        features = pipe[:-1].transform(X[:3])[row]
        np.testing.assert_array_equal(axes[row, 3].lines[0].get_ydata(), features)
        assert len(axes[row, 3].images) == 0
    png = io.BytesIO()
    fig.savefig(png, format="png")
    assert png.getvalue()[:4] == b"\x89PNG"


def test_plot_steps_flattened_rows_and_sklearn_pipeline():
    rows = DIGITS.data[:100]
    pipe = sk_make_pipeline(
        PixelScaler(image_shape=(8, 8)),
        StandardScaler(),
        PCAReducer(n_components=5, image_shape=(8, 8)),
    ).fit(rows)
    fig = plot_steps(pipe, rows[:4], n_images=2)
    axes = np.array(fig.axes).reshape(2, 4)
    assert [ax.get_title() for ax in axes[0]] == [
        "input", "pixelscaler", "standardscaler", "pcareducer\n5 features"
    ]
    assert fig._suptitle is None  # no sampler skipped
    for row in range(2):
        # image_shape found on the first step: drawn as 8x8 images.
        np.testing.assert_array_equal(image_of(axes[row, 0]), DIGITS.images[row])
        for col in (1, 2):
            expected = pipe[:col].transform(rows[:2])[row].reshape(8, 8)
            np.testing.assert_array_equal(image_of(axes[row, col]), expected)
        np.testing.assert_array_equal(
            axes[row, 3].lines[0].get_ydata(), pipe.transform(rows[:2])[row]
        )


def test_plot_steps_list_of_sizes_through_a_resizer():
    images = [CAMERA, CAMERA[:40, :70], CAMERA[10:60, 5:35]]
    pipe = make_pipeline(Resizer(output_shape=(24, 24)), Flattener(), SVC())
    pipe.fit(images, [0, 1, 0])
    fig = plot_steps(pipe, images, n_images=5)  # at most the 3 images
    axes = np.array(fig.axes).reshape(3, 3)
    assert [ax.get_title() for ax in axes[0]] == ["input", "resizer", "flattener"]
    resized = pipe[:1].transform(images)
    for row in range(3):
        np.testing.assert_array_equal(image_of(axes[row, 0]), images[row])
        np.testing.assert_array_equal(image_of(axes[row, 1]), resized[row])
        # Flattened rows of the same size are drawn as the images they are.
        np.testing.assert_array_equal(image_of(axes[row, 2]), resized[row])


def test_plot_steps_errors(digit_pipeline):
    unfitted = make_pipeline(PixelScaler(), HOGExtractor(), SVC())
    with pytest.raises(NotFittedError, match="not fitted yet"):
        plot_steps(unfitted, DIGITS.images[:3])
    with pytest.raises(TypeError, match="expected a fitted Pipeline.*got PixelScaler"):
        plot_steps(PixelScaler().fit(DIGITS.images), DIGITS.images[:3])
    rank = "plot_steps expected a batch of images.*got a 1D array of shape \\(8,\\)"
    with pytest.raises(ValueError, match=rank):
        plot_steps(digit_pipeline, DIGITS.images[0, 0])
    with pytest.raises(ValueError, match="n_images must be a positive integer"):
        plot_steps(digit_pipeline, DIGITS.images[:3], n_images=0)
    with pytest.raises(ValueError, match="was fitted on images of shape \\(8, 8\\)"):
        plot_steps(digit_pipeline, np.zeros((2, 9, 9)))


# -- plot_hog -------------------------------------------------------------


def test_plot_hog_equals_skimage_visualisation():
    extractor = HOGExtractor(orientations=8, pixels_per_cell=(16, 16), cells_per_block=(2, 2))
    fig = plot_hog(extractor, CAMERA)
    assert len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == [
        "image", "HOG: 8 orientations, 16x16-pixel cells"
    ]
    np.testing.assert_array_equal(image_of(fig.axes[0]), CAMERA)
    _, expected = hog(
        CAMERA, orientations=8, pixels_per_cell=(16, 16), cells_per_block=(2, 2),
        block_norm="L2-Hys", visualize=True,
    )
    np.testing.assert_array_equal(image_of(fig.axes[1]), expected)
    assert fig.axes[1].images[0].get_clim() == (expected.min(), expected.max())
    assert not hasattr(extractor, "hog_shape_")  # the caller's extractor is not fitted


def test_plot_hog_fitted_flattened_dict_and_colour():
    rows = CAMERA.reshape(1, -1).astype(np.float32) / 255
    extractor = HOGExtractor(pixels_per_cell=(12, 12), image_shape=(96, 96)).fit(rows)
    fig = plot_hog(extractor, rows[0])  # unflattened with image_shape
    _, expected = hog(rows[0].reshape(96, 96), pixels_per_cell=(12, 12),
                      cells_per_block=(3, 3), visualize=True)
    np.testing.assert_array_equal(image_of(fig.axes[1]), expected)

    params = {"orientations": 6, "pixels_per_cell": (8, 8), "transform_sqrt": True}
    fig = plot_hog(params, ASTRONAUT)
    _, expected = hog(ASTRONAUT, orientations=6, pixels_per_cell=(8, 8),
                      cells_per_block=(3, 3), transform_sqrt=True, visualize=True,
                      channel_axis=-1)
    np.testing.assert_array_equal(image_of(fig.axes[1]), expected)
    assert image_of(fig.axes[0]).shape == (64, 64, 3)


def test_plot_hog_errors():
    with pytest.raises(ValueError, match="needs images of at least 24x24 pixels"):
        plot_hog(HOGExtractor(), CAMERA[:20, :20])
    with pytest.raises(ValueError, match="Unknown HOG parameter\\(s\\) \\['cells'\\]"):
        plot_hog({"cells": (2, 2)}, CAMERA)
    with pytest.raises(TypeError, match="expected a HOGExtractor or a dict"):
        plot_hog(PixelScaler(), CAMERA)
    with pytest.raises(ValueError, match="expected one image.*got a 4D array"):
        plot_hog(HOGExtractor(), np.zeros((1, 32, 32, 1)))
    with pytest.raises(ValueError, match="flattened image of 9216 values"):
        plot_hog(HOGExtractor(), CAMERA.ravel())
    with pytest.raises(ValueError, match="non-negative pixel values"):
        plot_hog(HOGExtractor(transform_sqrt=True), CAMERA - 128.0)


# -- plot_eigenimages -----------------------------------------------------


def test_eigenimages_are_the_components():
    reducer = PCAReducer(n_components=12).fit(DIGITS.images)
    fig = plot_eigenimages(reducer, n_components=6)
    assert len(fig.axes) == 6
    for k, ax in enumerate(fig.axes):
        component = reducer.components_[k].reshape(8, 8)
        np.testing.assert_array_equal(image_of(ax), component)
        np.testing.assert_array_equal(image_of(ax), reducer.components_images_[k])
        m = np.abs(component).max()
        assert ax.images[0].get_clim() == (-m, m)
        assert ax.images[0].cmap.name == "RdBu_r"
        ratio = reducer.explained_variance_ratio_[k]
        assert ax.get_title() == f"component {k}\n{ratio:.1%} of variance"
    # All components, with the mean first.
    fig = plot_eigenimages(reducer, n_components=None, show_mean=True, n_cols=5)
    assert len(fig.axes) == 13
    assert fig.axes[0].get_title() == "mean"
    np.testing.assert_array_equal(image_of(fig.axes[0]), reducer.mean_image_)
    # More than fitted: all 12.
    assert len(plot_eigenimages(reducer, n_components=50).axes) == 12


def test_eigenimages_of_rows_colour_and_sklearn_pca():
    rows = DIGITS.data[:200]
    reducer = PCAReducer(n_components=3).fit(rows)  # image_shape_ is (1, 64)
    fig = plot_eigenimages(reducer, image_shape=(8, 8))
    np.testing.assert_array_equal(image_of(fig.axes[2]), reducer.components_[2].reshape(8, 8))
    fig = plot_eigenimages(PCA(n_components=2).fit(rows), image_shape=(8, 8))
    assert len(fig.axes) == 2
    # Colour components: (c + m) / (2 m), 0 at mid-grey.
    patches = np.random.default_rng(0).random((20, 6, 6, 3))
    reducer = PCAReducer(n_components=2).fit(patches)
    fig = plot_eigenimages(reducer)
    component = reducer.components_images_[1]
    m = np.abs(component).max()
    np.testing.assert_allclose(image_of(fig.axes[1]), (component + m) / (2 * m), rtol=1e-12)


def test_eigenimages_errors():
    with pytest.raises(NotFittedError):
        plot_eigenimages(PCAReducer())
    reducer = PCAReducer(n_components=3).fit(DIGITS.images[:50])
    wrong = "image_shape=\\(4, 4\\) holds 16 values, but the components have 64"
    with pytest.raises(ValueError, match=wrong):
        plot_eigenimages(reducer, image_shape=(4, 4))
    with pytest.raises(ValueError, match="n_components must be a positive integer or None"):
        plot_eigenimages(reducer, n_components=0)
    with pytest.raises(ValueError, match="has no image_shape_; pass image_shape"):
        plot_eigenimages(PCA(n_components=2).fit(DIGITS.data[:50]))


# -- plot_augmentations ---------------------------------------------------


def test_augmentations_are_the_samplers_output():
    augmenter = Augmenter(p_noise=1.0, p_rotate=1.0, random_state=3)
    image = CAMERA.astype(np.float32) / 255
    fig = plot_augmentations(augmenter, image, n=5, n_cols=3)
    assert len(fig.axes) == 6
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (2, 3)
    assert fig.axes[0].get_title() == "original"
    np.testing.assert_array_equal(image_of(fig.axes[0]), image)

    replay = clone(augmenter).set_params(n_augmented=5)
    X_res, _ = replay.fit_resample(image[None], [0])
    params = replay.augmentation_params_
    applied = apply_augmentation(image[None], params)
    lo, hi = float(X_res.min()), float(X_res.max())
    for k in range(5):
        got = image_of(fig.axes[k + 1])
        np.testing.assert_array_equal(got, X_res[k + 1])
        np.testing.assert_array_equal(got, applied[k])
        assert fig.axes[k + 1].images[0].get_clim() == (lo, hi)  # one shared window
        title = fig.axes[k + 1].get_title()
        assert title.startswith(f"copy {k + 1}\n")
        assert f"rot {params['rotation'][k]:+.1f}°" in title
        assert f"noise {params['noise_std'][k]:.3f}" in title
        assert ("hflip" in title) == bool(params["hflip"][k])
    # The caller's augmenter is unchanged and unfitted; its seed is used.
    assert augmenter.n_augmented == 1 and not hasattr(augmenter, "augmentation_params_")
    again = plot_augmentations(augmenter, image, n=5)
    np.testing.assert_array_equal(image_of(again.axes[3]), image_of(fig.axes[3]))
    other = plot_augmentations(augmenter, image, n=5, random_state=4)
    assert not np.array_equal(image_of(other.axes[3]), image_of(fig.axes[3]))


def test_augmentations_flips_colour_and_flattened():
    flips = Augmenter(p_hflip=1.0, p_rotate=0, p_scale=0, p_translate=0,
                      p_brightness=0, p_contrast=0, p_noise=0)
    fig = plot_augmentations(flips, ASTRONAUT, n=2, value_range=(0, 255))
    for ax in fig.axes[1:]:
        np.testing.assert_array_equal(image_of(ax), np.fliplr(ASTRONAUT))
        assert ax.get_title().endswith("\nhflip")
    identity = clone(flips).set_params(p_hflip=0.0, image_shape=(96, 96))
    fig = plot_augmentations(identity, CAMERA.ravel(), n=1)
    np.testing.assert_array_equal(image_of(fig.axes[1]), CAMERA)
    assert fig.axes[1].get_title() == "copy 1\n(unchanged)"


def test_augmentations_errors():
    with pytest.raises(TypeError, match="expected an Augmenter; got PixelScaler"):
        plot_augmentations(PixelScaler(), CAMERA)
    with pytest.raises(ValueError, match="expected one image.*got a 4D array"):
        plot_augmentations(Augmenter(), np.zeros((2, 8, 8, 1)))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        plot_augmentations(Augmenter(), CAMERA, n=0)
    with pytest.raises(ValueError, match="rotation_range must be a tuple"):
        plot_augmentations(Augmenter(rotation_range=(10, -10)), CAMERA)
