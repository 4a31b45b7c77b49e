"""The shared machinery: skimgprep._validation (batches, layouts, dtypes,
errors) and skimgprep._parallel (chunked map, independent of n_jobs and
batch_size)."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data, filters
from sklearn.base import BaseEstimator

from skimgprep._parallel import chunk_slices, map_chunks, map_images
from skimgprep._validation import (
    Layout,
    check_image_shape_param,
    check_images,
    check_min_image_size,
    float_dtype,
)
from skimgprep.base import ImageMixin


class _Step(ImageMixin, BaseEstimator):
    """A minimal estimator to record and check what fit saw."""

    def __init__(self, *, image_shape=None):
        self.image_shape = image_shape


@pytest.fixture(scope="module")
def coins_batch():
    c = data.coins()[:96, :96]  # uint8
    return np.stack([c, c[::-1], c[:, ::-1], c.T])


# -- float_dtype ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (">f8", np.float64),  # big-endian float64 stays float64 (native order)
        (">f4", np.float32),
        (np.float16, np.float32),
        (np.uint8, np.float32),
        (np.uint16, np.float32),
        (np.int64, np.float32),
        (bool, np.float32),
    ],
)
def test_float_dtype(dtype, expected):
    assert float_dtype(dtype) == np.dtype(expected)
    assert float_dtype(dtype).isnative
    images, _ = check_images(np.ones((2, 3, 3), dtype=dtype))
    assert images.dtype == np.dtype(expected)


# -- check_images: layouts ----------------------------------------------------------------


def test_batches_pass_as_views(coins_batch):
    for batch in (coins_batch.astype(np.float64), coins_batch.astype(np.float32)):
        images, layout = check_images(batch)
        assert images.dtype == batch.dtype
        assert np.shares_memory(images, batch)
        assert layout == Layout(flat=False, input_dtype=batch.dtype)
        assert layout.restore(images) is images


def test_integer_batches_are_copied_to_float32(coins_batch):
    images, layout = check_images(coins_batch)
    assert images.dtype == np.float32
    assert not np.shares_memory(images, coins_batch)
    assert_array_equal(images, coins_batch)
    assert layout.input_dtype == np.uint8
    kept, _ = check_images(coins_batch, cast=None)
    assert kept.dtype == np.uint8
    mask, _ = check_images(coins_batch > 100, cast=None)
    assert mask.dtype == bool


def test_rgb_batch():
    rgb = data.astronaut()[None, :32, :48]
    images, layout = check_images(rgb)
    assert images.shape == (1, 32, 48, 3)
    assert not layout.flat


@pytest.mark.parametrize(
    ("image_shape", "expected"),
    [
        (None, (1, 96 * 96)),
        ((96, 96), (96, 96)),
        ((48, 192), (48, 192)),
        ((96, 32, 3), (96, 32, 3)),
    ],
)
def test_rows_are_unflattened(coins_batch, image_shape, expected):
    rows = coins_batch.reshape(4, -1).astype(np.float64)
    images, layout = check_images(rows, image_shape=image_shape)
    assert images.shape == (4,) + expected
    assert layout.flat
    assert np.shares_memory(images, rows)
    assert_array_equal(layout.restore(images), rows)


def test_lists_and_dataframes(coins_batch):
    images, layout = check_images(list(coins_batch))
    assert_array_equal(images, coins_batch)
    assert layout.input_dtype == np.uint8
    df = pd.DataFrame(coins_batch.reshape(4, -1)[:, :10])
    images, layout = check_images(df)
    assert images.shape == (4, 1, 10)
    # The dtype the DataFrame converts to, not a default.
    assert layout.input_dtype == np.uint8


# -- check_images: the estimator's bookkeeping ---------------------------------------------


def test_fit_records_and_transform_checks(coins_batch):
    step = _Step()
    step._check_images(coins_batch, reset=True)
    assert step.n_features_in_ == 96 * 96
    assert step.image_shape_ == (96, 96)
    step._check_images(coins_batch[:1], reset=False)  # same shape: fine
    with pytest.raises(
        ValueError, match=r"_Step is expecting 9216 features.*\(96, 96\).*\(50, 50\)"
    ):
        step._check_images(coins_batch[:, :50, :50], reset=False)
    with pytest.raises(
        ValueError,
        match=r"_Step was fitted on images of shape \(96,"
        r" 96\); got images of shape \(48, 192\)",
    ):
        step._check_images(coins_batch.reshape(4, 48, 192), reset=False)
    with pytest.raises(ValueError, match=r"For flattened input pass image_shape=\(96, 96\)"):
        step._check_images(coins_batch.reshape(4, -1), reset=False)

    rows = _Step(image_shape=(96, 96))
    rows._check_images(coins_batch.reshape(4, -1), reset=True)
    assert rows.image_shape_ == (96, 96)
    assert rows.n_features_in_ == 96 * 96
    rows._check_images(coins_batch, reset=False)  # a batch of the same shape


def test_any_size_checks_only_channels(coins_batch):
    images, _ = check_images(coins_batch, estimator=(step := _Step()), reset=True)
    images, _ = check_images(coins_batch[:, :40, :60], estimator=step, reset=False, any_size=True)
    assert images.shape == (4, 40, 60)
    rgb = np.zeros((2, 40, 60, 3))
    with pytest.raises(
        ValueError,
        match=r"fitted on images with 1 channel\(s\)"
        r" \(shape \(96, 96\)\); got images with 3",
    ):
        check_images(rgb, estimator=step, reset=False, any_size=True)


def test_feature_names_from_dataframe():
    df = pd.DataFrame(np.arange(12.0).reshape(3, 4), columns=list("abcd"))
    step = _Step()
    step._check_images(df, reset=True)
    assert_array_equal(step.feature_names_in_, list("abcd"))
    with pytest.raises(ValueError, match="feature names"):
        step._check_images(df[list("dcba")], reset=False)


# -- check_images: errors -------------------------------------------------------------------


def test_errors(coins_batch):
    with pytest.raises(
        TypeError,
        match=r"This function expected a dense batch of"
        r" images; got a sparse matrix of shape \(2, 3\)",
    ):
        check_images(sp.csr_matrix(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"images of different shapes \(\(2, 2\), \(3, 3\)"):
        check_images([np.zeros((2, 2)), np.zeros((3, 3))])
    with pytest.raises(
        ValueError, match=r"got a 0D array of shape \(\)\. Reshape your data: a scalar"
    ):
        check_images(np.float64(3.0))
    with pytest.raises(
        ValueError, match=r"got a 1D array of shape \(3,\)\. Reshape your data: X.reshape\(1, -1\)"
    ):
        check_images(np.zeros(3))
    with pytest.raises(ValueError, match=r"got a 5D array of shape \(1, 1, 1, 1, 1\)"):
        check_images(np.zeros((1, 1, 1, 1, 1)))
    with pytest.raises(
        ValueError,
        match=r"_Step expected images with at least one"
        r" pixel; got a batch of shape \(2, 3, 0\)",
    ):
        _Step()._check_images(np.zeros((2, 3, 0)), reset=True)
    with pytest.raises(ValueError, match=r"0 sample\(s\)"):
        check_images(np.zeros((0, 3, 3)))
    with pytest.raises(ValueError, match=r"0 sample\(s\)"):
        check_images(np.zeros((0, 9)))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        check_images(np.array([[[0.0, np.nan]]]))
    with pytest.raises(ValueError, match="Input contains infinity"):
        check_images(np.array([[0.0, np.inf]]))
    with pytest.raises(
        ValueError, match=r"image_shape=\(10, 10\), which holds 100 pixel values, but X has 9216"
    ):
        check_images(coins_batch.reshape(4, -1), image_shape=(10, 10))
    with pytest.raises(
        ValueError, match=r"image_shape=\(10, 10\), but X is a batch of images of shape \(96, 96\)"
    ):
        check_images(coins_batch, image_shape=(10, 10))


@pytest.mark.parametrize("bad", [(8,), (8, 8, 3, 1), (0, 8), (8, -1), (8.0, 8), (True, 8), "ab", 8])
def test_check_image_shape_param_rejects(bad):
    with pytest.raises(
        ValueError, match=r"image_shape must be None or a tuple of 2 or 3 positive integers.*got"
    ):
        check_image_shape_param(bad)


def test_check_image_shape_param_accepts():
    assert check_image_shape_param(None) is None
    assert check_image_shape_param([8, 9]) == (8, 9)
    shape = check_image_shape_param((np.int64(8), 9, 3))
    assert shape == (8, 9, 3) and all(type(s) is int for s in shape)


def test_check_min_image_size():
    images = np.zeros((2, 6, 10))
    check_min_image_size(images, (6, 10))
    with pytest.raises(
        ValueError,
        match=r"_Step needs images of at least 8x8"
        r" pixels for one cell; got images of 6x10",
    ):
        check_min_image_size(images, (8, 8), estimator=_Step())


# -- _parallel ---------------------------------------------------------------------------------


def test_chunk_slices():
    assert chunk_slices(0, batch_size=3) == []
    assert chunk_slices(7, batch_size=3) == [slice(0, 3), slice(3, 6), slice(6, 7)]
    assert chunk_slices(2, batch_size=0) == [slice(0, 1), slice(1, 2)]
    # None: about 32 MiB of input per chunk, and at least one chunk per job.
    assert chunk_slices(10, bytes_per_item=2**20) == [slice(0, 10)]
    assert chunk_slices(100, bytes_per_item=2**20) == [
        slice(0, 32), slice(32, 64), slice(64, 96), slice(96, 100)
    ]
    assert chunk_slices(10, bytes_per_item=8, n_jobs=2) == [slice(0, 5), slice(5, 10)]
    for n, b in [(1, 1), (10, 3), (17, 4), (5, 100)]:
        covered = np.concatenate([np.arange(n)[s] for s in chunk_slices(n, batch_size=b)])
        assert_array_equal(covered, np.arange(n))


def _scale_shift(chunk, scales, *, shift):
    return chunk * scales[:, None, None] + shift


def _gaussian(image, sigma):
    return filters.gaussian(image, sigma=sigma, preserve_range=True)


@pytest.fixture(scope="module")
def camera_crops():
    c = data.camera().astype(np.float32)
    return np.stack([c[i * 40 : i * 40 + 64, i * 50 : i * 50 + 64] for i in range(9)])


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("batch_size", [None, 1, 2, 4, 9, 100])
def test_map_chunks_independent_of_n_jobs_and_batch_size(camera_crops, n_jobs, batch_size):
    scales = np.linspace(0.5, 2.0, len(camera_crops))
    out = map_chunks(
        _scale_shift, camera_crops, scales, shift=3.0, n_jobs=n_jobs, batch_size=batch_size
    )
    expected = camera_crops * scales[:, None, None] + 3.0
    assert out.dtype == expected.dtype
    assert_array_equal(out, expected)


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("batch_size", [None, 1, 4, 100])
def test_map_images_independent_of_n_jobs_and_batch_size(camera_crops, n_jobs, batch_size):
    sigmas = np.arange(1, len(camera_crops) + 1) * 0.5
    out = map_images(_gaussian, camera_crops, sigmas, n_jobs=n_jobs, batch_size=batch_size)
    # The scikit-image loop it replaces.
    expected = np.stack([_gaussian(img, s) for img, s in zip(camera_crops, sigmas)])
    assert out.shape == camera_crops.shape
    assert out.dtype == np.float32  # gaussian keeps float32
    assert_array_equal(out, expected)


def test_map_images_keyword_arguments_and_new_shapes(camera_crops):
    def halve(image, *, step):
        return image[::step, ::step]

    out = map_images(halve, camera_crops, step=2, batch_size=4)
    assert out.shape == (9, 32, 32)
    assert_array_equal(out, camera_crops[:, ::2, ::2])
    # Per-image vectors as output.
    means = map_images(np.mean, camera_crops, batch_size=2)
    assert_allclose(means, camera_crops.mean(axis=(1, 2)), rtol=1e-6)


def test_map_chunks_empty_batch():
    empty = np.zeros((0, 4, 4))
    out = map_chunks(lambda chunk: chunk + 1, empty, batch_size=2)
    assert out.shape == (0, 4, 4)


# --- run_tasks: the kept thread pool -------------------------------------


def _fill(out, start, stop, value):
    out[start:stop] = value + np.arange(start, stop)


@pytest.mark.parametrize("n_jobs", [1, 2, -1])
def test_run_tasks_writes_every_part(n_jobs):
    from skimgprep._parallel import run_tasks

    out = np.zeros(100)
    tasks = [(out, s, min(s + 7, 100), 1000.0) for s in range(0, 100, 7)]
    run_tasks(_fill, tasks, n_jobs=n_jobs)
    np.testing.assert_array_equal(out, 1000.0 + np.arange(100))
    # the pool is kept between calls: a second call gives the same result
    again = np.zeros(100)
    run_tasks(_fill, [(again,) + t[1:] for t in tasks], n_jobs=n_jobs)
    np.testing.assert_array_equal(again, out)


def _fail_on(index, bad):
    if index in bad:
        raise ValueError(f"task {index} failed")


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_run_tasks_raises_the_first_error_in_task_order(n_jobs):
    from skimgprep._parallel import run_tasks

    with pytest.raises(ValueError, match="task 3 failed"):
        run_tasks(_fail_on, [(i, {3, 5}) for i in range(8)], n_jobs=n_jobs)


def test_run_tasks_follows_a_process_backend_set_by_the_caller():
    from joblib import parallel_config

    from skimgprep._parallel import run_tasks

    out = np.zeros(20)
    with parallel_config(backend="loky"):
        # shared memory is required: joblib runs the tasks on threads
        run_tasks(_fill, [(out, 0, 10, 0.0), (out, 10, 20, 0.0)], n_jobs=2)
    np.testing.assert_array_equal(out, np.arange(20))


def test_pixel_magnitude_limit():
    from skimgprep._validation import check_images

    ok = np.full((2, 3, 3), 1e150)
    assert check_images(ok)[0].max() == 1e150
    with pytest.raises(ValueError, match=r"within \+/-1e\+150 for float64 .* magnitude 1.1e\+150"):
        check_images(-1.1 * ok)
    ok32 = np.full((2, 3, 3), 1e18, dtype=np.float32)
    check_images(ok32)
    with pytest.raises(ValueError, match=r"within \+/-1e\+18 for float32"):
        check_images(ok32 * 4)
    # Integers keep their dtype's whole range (steps quantise over it).
    big = np.full((2, 3, 3), 2**62, dtype=np.int64)
    assert check_images(big)[0].dtype == np.float32
    # Lists of images of different sizes too, naming the image.
    from skimgprep._validation import check_image_list

    with pytest.raises(ValueError, match=r"X\[1\] has a value of magnitude 1e\+200"):
        check_image_list([np.zeros((2, 2)), np.full((3, 3), 1e200)])
