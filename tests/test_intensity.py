"""PixelScaler and pixel_scale: equal to scikit-learn's scalers, to
scikit-image's dtype conversion and to numpy references on real images."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from skimage import data, util
from sklearn.datasets import load_digits
from sklearn.feature_extraction.image import extract_patches_2d
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skimgprep import PixelScaler, intensity, pixel_scale


@pytest.fixture(scope="module")
def astronaut_batch():
    """The four 256x256 quarters of astronaut(): (4, 256, 256, 3) uint8."""
    a = data.astronaut()
    return np.stack([a[:256, :256], a[256:, :256], a[:256, 256:], a[256:, 256:]])


@pytest.fixture(scope="module")
def camera_batch():
    """The four 256x256 quarters of camera(): (4, 256, 256) uint8."""
    c = data.camera()
    return np.stack([c[:256, :256], c[256:, :256], c[:256, 256:], c[256:, 256:]])


@pytest.fixture(scope="module")
def digit_rows():
    return load_digits().data  # (1797, 64) float64, with constant columns


@pytest.fixture(scope="module")
def astronaut_rows():
    patches = extract_patches_2d(data.astronaut(), (8, 8), max_patches=200, random_state=0)
    return patches.reshape(200, -1).astype(np.float32)


def _minmax_ref(x, axes, lo=0.0, hi=1.0):
    x = x.astype(np.float64)
    mn = x.min(axis=axes, keepdims=True)
    mx = x.max(axis=axes, keepdims=True)
    return lo + (x - mn) * (hi - lo) / (mx - mn)


def _standard_ref(x, axes):
    x = x.astype(np.float64)
    return (x - x.mean(axis=axes, keepdims=True)) / x.std(axis=axes, keepdims=True)


# -- equality with scikit-learn's scalers on flattened data -----------------


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 1), (10, 20.5)])
def test_minmax_pixel_equals_minmaxscaler(digit_rows, astronaut_rows, feature_range):
    for X in (digit_rows, astronaut_rows):
        ours = PixelScaler(method="minmax", scope="pixel", feature_range=feature_range)
        ref = MinMaxScaler(feature_range=feature_range)
        Xt = ours.fit_transform(X)
        # Same statistics, same multiply-add: equal to float rounding.
        assert_allclose(Xt, ref.fit_transform(X), rtol=1e-6, atol=1e-6)
        assert Xt.dtype == X.dtype
        assert_allclose(ours.inverse_transform(Xt), ref.inverse_transform(Xt), atol=1e-4)


def test_standard_pixel_equals_standardscaler(digit_rows, astronaut_rows):
    ours = PixelScaler(method="standard", scope="pixel")
    ref = StandardScaler()
    assert_allclose(ours.fit_transform(digit_rows), ref.fit_transform(digit_rows), atol=1e-12)
    # float32: statistics in float64 on both sides, output rounded to float32.
    Xt = ours.fit_transform(astronaut_rows)
    assert Xt.dtype == np.float32
    assert_allclose(Xt, ref.fit_transform(astronaut_rows), atol=1e-5)
    assert_allclose(ours.inverse_transform(Xt), astronaut_rows, atol=1e-3)
    # Constant columns of the digits (always 0) are centred, not divided by 0.
    Xt = PixelScaler(method="standard", scope="pixel").fit_transform(digit_rows)
    assert_array_equal(Xt[:, 0], 0.0)


# -- numpy references on real images -----------------------------------------


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 1)])
def test_global_and_channel_on_astronaut(astronaut_batch, feature_range):
    lo, hi = feature_range
    cases = [
        ("minmax", "global", _minmax_ref(astronaut_batch, (0, 1, 2, 3), lo, hi)),
        ("minmax", "channel", _minmax_ref(astronaut_batch, (0, 1, 2), lo, hi)),
        ("standard", "global", _standard_ref(astronaut_batch, (0, 1, 2, 3))),
        ("standard", "channel", _standard_ref(astronaut_batch, (0, 1, 2))),
    ]
    for method, scope, expected in cases:
        scaler = PixelScaler(method=method, scope=scope, feature_range=feature_range)
        out = scaler.fit_transform(astronaut_batch)
        assert out.dtype == np.float32, (method, scope)
        assert out.shape == astronaut_batch.shape
        # float32 output of float64 statistics.
        assert_allclose(out, expected, rtol=1e-5, atol=1e-5, err_msg=f"{method}/{scope}")
    scaler = PixelScaler(scope="channel").fit(astronaut_batch)
    assert scaler.scale_.shape == (1, 1, 1, 3)
    assert PixelScaler(scope="global").fit(astronaut_batch).scale_.shape == (1, 1, 1, 1)


def test_channel_statistics_are_per_channel(astronaut_batch):
    out = PixelScaler(method="standard", scope="channel").fit_transform(astronaut_batch)
    assert_allclose(out.mean(axis=(0, 1, 2), dtype=np.float64), 0.0, atol=1e-5)
    assert_allclose(out.std(axis=(0, 1, 2), dtype=np.float64), 1.0, atol=1e-5)
    out = PixelScaler(method="minmax", scope="channel").fit_transform(astronaut_batch)
    assert_allclose(out.min(axis=(0, 1, 2)), 0.0, atol=1e-7)
    assert_allclose(out.max(axis=(0, 1, 2)), 1.0, atol=1e-6)


def test_global_and_channel_on_camera(camera_batch):
    for scope in ("global", "channel"):  # one channel: the same statistics
        out = PixelScaler(method="minmax", scope=scope).fit_transform(camera_batch)
        assert out.dtype == np.float32
        assert_allclose(out, _minmax_ref(camera_batch, (0, 1, 2)), rtol=1e-5, atol=1e-6)
        out = PixelScaler(method="standard", scope=scope).fit_transform(camera_batch)
        assert_allclose(out, _standard_ref(camera_batch, (0, 1, 2)), rtol=1e-5, atol=1e-5)


def test_pixel_scope_is_the_mean_image(camera_batch):
    scaler = PixelScaler(method="standard", scope="pixel").fit(camera_batch)
    assert scaler.scale_.shape == (1, 256, 256)
    assert_allclose(
        -scaler.offset_[0] / scaler.scale_[0],
        camera_batch.mean(axis=0, dtype=np.float64),
        atol=1e-9,
    )


def test_range_uint8_equals_img_as_float32(astronaut_batch, camera_batch):
    for batch in (astronaut_batch, camera_batch):
        out = PixelScaler(method="range").fit_transform(batch)
        assert out.dtype == np.float32
        # Same float32 multiply by 1/255 as scikit-image: exactly equal.
        assert_array_equal(out, util.img_as_float32(batch))


def test_range_uint16_and_other_feature_range(camera_batch):
    batch16 = util.img_as_uint(camera_batch)  # 0..65535
    out = PixelScaler(method="range").fit_transform(batch16)
    assert out.dtype == np.float32
    assert_allclose(out, batch16 / 65535.0, rtol=1e-6, atol=1e-7)
    assert_array_equal(out, util.img_as_float32(batch16))
    out = PixelScaler(method="range", feature_range=(-1, 1)).fit_transform(camera_batch)
    assert_allclose(out, camera_batch / 255.0 * 2 - 1, atol=1e-6)


def test_range_on_floats_and_bool():
    x = np.array([[[0.0, 0.25], [0.5, 1.0]]])
    assert_array_equal(PixelScaler(method="range").fit_transform(x), x)
    assert_array_equal(
        PixelScaler(method="range", feature_range=(-1, 1)).fit_transform(x),
        [[[-1.0, -0.5], [0.0, 1.0]]],
    )
    out = PixelScaler(method="range").fit_transform(x.astype(bool))
    assert out.dtype == np.float32
    assert_array_equal(out, [[[0, 1], [1, 1]]])


def test_range_uses_the_dtype_of_transform_input(camera_batch):
    # Fitted on uint8, transform on uint16: scaled by 65535, not 255.
    scaler = PixelScaler(method="range").fit(camera_batch)
    batch16 = util.img_as_uint(camera_batch)
    assert_array_equal(scaler.transform(batch16), util.img_as_float32(batch16))


# -- scope="image" ------------------------------------------------------------


@pytest.mark.parametrize("method", ["minmax", "standard"])
def test_image_scope_uses_each_images_statistics(astronaut_batch, camera_batch, method):
    ref = _minmax_ref if method == "minmax" else _standard_ref
    pairs = [(astronaut_batch, astronaut_batch[::-1] // 2), (camera_batch, camera_batch[1:] // 3)]
    for train, test in pairs:
        scaler = PixelScaler(method=method, scope="image").fit(train)
        assert scaler.scale_ is None and scaler.offset_ is None
        out = scaler.transform(test)
        axes = tuple(range(test.ndim - 1))
        expected = np.stack([ref(img, axes) for img in test])  # one image at a time
        assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    fitted = PixelScaler(method=method, scope="image").fit(camera_batch)
    assert not hasattr(fitted, "inverse_transform")


def test_image_scope_range_is_invertible(camera_batch):
    scaler = PixelScaler(method="range", scope="image").fit(camera_batch)
    back = scaler.inverse_transform(scaler.transform(camera_batch))
    assert_allclose(back, camera_batch, atol=1e-4)


# -- round trips, clipping, dtypes ----------------------------------------------


@pytest.mark.parametrize("method", ["minmax", "standard"])
@pytest.mark.parametrize("scope", ["global", "channel", "pixel"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_inverse_transform_round_trip(astronaut_batch, method, scope, dtype):
    batch = astronaut_batch[:2, :64, :64].astype(dtype)
    scaler = PixelScaler(method=method, scope=scope).fit(batch)
    back = scaler.inverse_transform(scaler.transform(batch))
    assert back.dtype == (np.float64 if dtype == np.float64 else np.float32)
    # Values up to 255: float32 round trip within 1e-3, float64 within 1e-9.
    assert_allclose(back, batch, atol=1e-9 if dtype == np.float64 else 1e-3)


def test_range_round_trip(camera_batch):
    scaler = PixelScaler(method="range", feature_range=(-1, 1)).fit(camera_batch)
    back = scaler.inverse_transform(scaler.transform(camera_batch))
    assert_allclose(back, camera_batch, atol=1e-3)


def test_clip(camera_batch):
    train, test = camera_batch[:2] // 2 + 50, camera_batch[2:]  # test goes outside
    plain = PixelScaler(feature_range=(-1, 1)).fit(train).transform(test)
    assert plain.min() < -1 and plain.max() > 1
    clipped = PixelScaler(feature_range=(-1, 1), clip=True).fit(train).transform(test)
    assert clipped.min() == -1 and clipped.max() == 1
    assert_array_equal(clipped, np.clip(plain, -1, 1))
    # "range" on floats above 1.
    x = np.array([[[-0.5, 0.5, 1.5]]])
    assert_array_equal(PixelScaler(method="range", clip=True).fit_transform(x), [[[0, 0.5, 1]]])
    # clip is ignored by "standard".
    std = PixelScaler(method="standard", clip=True).fit(train).transform(test)
    assert_array_equal(std, PixelScaler(method="standard").fit(train).transform(test))


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (np.float32, np.float32),
        (np.float64, np.float64),
        (np.uint8, np.float32),
        (np.uint16, np.float32),
        (np.int64, np.float32),
        (np.float16, np.float32),
    ],
)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"method": "standard", "scope": "channel"},
        {"method": "range"},
        {"scope": "image"},
        {"method": "standard", "scope": "pixel"},
    ],
    ids=str,
)
def test_dtype(astronaut_batch, dtype, expected, params):
    batch = astronaut_batch[:2, :16, :16].astype(dtype)
    out = PixelScaler(**params).fit(batch).transform(batch)
    assert out.dtype == expected
    rows = batch.reshape(2, -1)
    assert PixelScaler(**params, image_shape=(16, 16, 3)).fit_transform(rows).dtype == expected


# -- inputs are never modified ---------------------------------------------------


@pytest.mark.parametrize("method", ["minmax", "standard", "range"])
@pytest.mark.parametrize("scope", ["global", "channel", "pixel", "image"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_input_not_modified(astronaut_batch, method, scope, dtype):
    batch = astronaut_batch[:2, :16, :16].astype(dtype)
    before = batch.copy()
    scaler = PixelScaler(method=method, scope=scope, clip=True)
    out = scaler.fit(batch).transform(batch)
    assert_array_equal(batch, before)
    assert not np.shares_memory(out, batch)
    # Read-only input (here a view would be at hand: it must not be written).
    batch.setflags(write=False)
    assert_array_equal(scaler.fit(batch).transform(batch), out)
    rows = batch.reshape(2, -1)
    assert not rows.flags.writeable
    flat = PixelScaler(method=method, scope=scope, clip=True, image_shape=(16, 16, 3))
    assert_array_equal(flat.fit_transform(rows), out.reshape(2, -1))
    if hasattr(scaler, "inverse_transform"):
        out.setflags(write=False)
        scaler.inverse_transform(out)
    assert_array_equal(batch, before)


def test_dataframe_input():
    # A DataFrame of uint8 is scaled by 255 like the array, and a float32
    # DataFrame (whose values numpy may share) is not written into.
    X = np.array([[0, 51], [102, 255]], dtype=np.uint8)
    df = pd.DataFrame(X, columns=["a", "b"])
    assert_array_equal(
        PixelScaler(method="range").fit_transform(df),
        PixelScaler(method="range").fit_transform(X),
    )
    df32 = pd.DataFrame(np.array([[1.0, 2.0], [3.0, 5.0]], dtype=np.float32), columns=["a", "b"])
    before = df32.copy()
    scaler = PixelScaler().fit(df32)
    assert_array_equal(scaler.feature_names_in_, ["a", "b"])
    assert_array_equal(scaler.transform(df32), [[0.0, 0.25], [0.5, 1.0]])  # global min 1, max 5
    pd.testing.assert_frame_equal(df32, before)
    assert_array_equal(scaler.get_feature_names_out(), ["a", "b"])


# -- layouts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"scope": "channel", "feature_range": (-1, 1)},
        {"scope": "pixel"},
        {"scope": "image"},
        {"method": "standard"},
        {"method": "standard", "scope": "channel"},
        {"method": "standard", "scope": "pixel"},
        {"method": "standard", "scope": "image"},
        {"method": "range"},
    ],
    ids=str,
)
def test_batch_and_flattened_layout_same_numbers(astronaut_batch, params):
    batch = astronaut_batch[:, :32, :32]
    rows = batch.reshape(len(batch), -1)
    out_batch = PixelScaler(**params).fit(batch).transform(batch)
    flat = PixelScaler(**params, image_shape=(32, 32, 3)).fit(rows)
    out_rows = flat.transform(rows)
    assert out_batch.shape == batch.shape
    assert out_rows.shape == rows.shape
    assert_array_equal(out_rows, out_batch.reshape(len(batch), -1))
    if hasattr(flat, "inverse_transform"):
        assert flat.inverse_transform(out_rows).shape == rows.shape


def test_pixel_scale_function(astronaut_batch):
    batch = astronaut_batch[:, :32, :32]
    cases = ({}, {"method": "standard", "scope": "channel"}, {"method": "range", "clip": True})
    for params in cases:
        assert_array_equal(pixel_scale(batch, **params), PixelScaler(**params).fit_transform(batch))


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("feature_range", [(1, 0), (0, 0), (0, 1, 2), ("a", 1), (0, float("nan"))])
def test_bad_feature_range(camera_batch, feature_range):
    with pytest.raises(ValueError, match=r"feature_range must be a tuple \(min, max\).*got"):
        PixelScaler(feature_range=feature_range).fit(camera_batch)


def test_bad_parameters(camera_batch):
    with pytest.raises(ValueError, match="'method' parameter of PixelScaler must be"):
        PixelScaler(method="zscore").fit(camera_batch)
    with pytest.raises(ValueError, match="'scope' parameter of PixelScaler must be"):
        PixelScaler(scope="row").fit(camera_batch)
    with pytest.raises(ValueError, match="'feature_range' parameter of PixelScaler must be"):
        PixelScaler(feature_range=[0, 1]).fit(camera_batch)


def test_image_shape_mismatch_names_both_shapes(camera_batch, astronaut_batch):
    scaler = PixelScaler().fit(camera_batch)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(256, 256\).*\(128, 128\)"):
        scaler.transform(camera_batch[:, :128, :128])
    with pytest.raises(
        ValueError, match=r"fitted on images of shape \(256, 256\).*\(256, 256, 3\)"
    ):
        scaler.transform(astronaut_batch)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(256, 256\).*\(128, 512\)"):
        scaler.transform(camera_batch.reshape(4, 128, 512))
    with pytest.raises(ValueError, match=r"\(256, 256\).*\(1, 65536\).*image_shape=\(256, 256\)"):
        scaler.transform(camera_batch.reshape(4, -1))
    with pytest.raises(ValueError, match=r"image_shape=\(8, 8\), which holds 64 pixel values.*100"):
        PixelScaler(image_shape=(8, 8)).fit(np.zeros((3, 100)))


def test_bad_inputs(camera_batch):
    scaler = PixelScaler()
    with pytest.raises(ValueError, match=r"got a 1D array of shape \(5,\).*reshape\(1, -1\)"):
        scaler.fit(np.arange(5.0))
    with pytest.raises(ValueError, match=r"got a 5D array of shape \(1, 2, 2, 2, 2\)"):
        scaler.fit(np.zeros((1, 2, 2, 2, 2)))
    nan = camera_batch.astype(np.float32)
    nan[1, 5, 5] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        scaler.fit(nan)
    with pytest.raises(ValueError, match="Input X contains infinity"):
        scaler.fit(np.full((2, 3, 3), np.inf))
    with pytest.raises(ValueError, match=r"0 sample\(s\)"):
        scaler.fit(np.zeros((0, 8, 8)))
    with pytest.raises(ValueError, match=r"at least one pixel.*\(2, 0, 8\)"):
        scaler.fit(np.zeros((2, 0, 8)))
    with pytest.raises(
        TypeError, match=r"dense batch of images; got a sparse matrix of shape \(3, 4\)"
    ):
        scaler.fit(sp.csr_matrix(np.eye(3, 4)))
    with pytest.raises(ValueError, match="images of different shapes"):
        scaler.fit([np.zeros((4, 4)), np.zeros((5, 5))])
    fitted = PixelScaler().fit(camera_batch)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        fitted.transform(nan)


# -- the fast paths: the whole-batch numpy expression, bit for bit ---------------


@pytest.mark.parametrize(
    "dtype", [np.uint8, np.int8, np.uint16, np.int16, bool, np.int64, np.float16,
              np.float32, np.float64],
)
@pytest.mark.parametrize("scope", ["global", "channel", "pixel", "image"])
def test_transform_is_the_numpy_multiply_add(astronaut_batch, dtype, scope):
    batch = astronaut_batch[:, :40, :48]
    batch = batch > 127 if dtype is bool else (batch.astype(np.int16) - 100).astype(dtype)
    compute = np.float64 if dtype == np.float64 else np.float32
    for method in ("minmax", "standard"):
        scaler = PixelScaler(method=method, scope=scope, feature_range=(-0.3, 0.7))
        out = scaler.fit_transform(batch)
        if scope == "image":
            scale, offset = intensity._statistics(
                batch.astype(compute), method, "image", (-0.3, 0.7)
            )
        else:
            scale, offset = scaler.scale_, scaler.offset_
        expected = batch.astype(compute) * scale.astype(compute) + offset.astype(compute)
        assert out.dtype == compute
        assert_array_equal(out, expected)
        # A non-contiguous view (numpy's path) gives the same numbers.
        assert not batch[::-1].flags.c_contiguous
        assert_array_equal(scaler.transform(batch[::-1]), out[::-1])
        clipped = PixelScaler(method="minmax", scope=scope, clip=True).fit(batch[:2])
        assert_array_equal(
            clipped.transform(batch),
            np.clip(PixelScaler(method="minmax", scope=scope).fit(batch[:2]).transform(batch),
                    0, 1),
        )


@pytest.mark.parametrize("scope", ["global", "channel", "pixel", "image"])
def test_statistics_in_chunks_equal_numpy(astronaut_batch, monkeypatch, scope):
    # Chunks of 2 KiB: the statistics are combined over many chunks.
    monkeypatch.setattr(intensity, "_CHUNK_BYTES", 2048)
    batch = np.concatenate([astronaut_batch[:, :32, :32]] * 5)  # (20, 32, 32, 3)
    axes = intensity._reduce_axes(batch, scope)
    x = batch.astype(np.float64)
    lo, hi = intensity._min_max(batch, axes)
    assert_array_equal(lo, x.min(axis=axes, keepdims=True))
    assert_array_equal(hi, x.max(axis=axes, keepdims=True))
    for images, ref in ((batch, x), (batch.astype(np.float32), x), (batch[::-1], x[::-1])):
        mean, std = intensity._mean_std(images, axes, scope)
        # uint8: exact integer sums, rounded once; floats: float64 sums.
        assert_allclose(mean, ref.mean(axis=axes, keepdims=True), rtol=1e-15)
        assert_allclose(std, ref.std(axis=axes, keepdims=True), rtol=1e-14)


def test_integer_statistics_are_exact():
    # Values whose float64 sum of squared deviations rounds: the exact
    # integer sums give the correctly rounded standard deviation.
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 65536, size=(64, 17, 13), dtype=np.uint16)
    mean, std = intensity._mean_std(batch, (0, 1, 2), "global")
    values = [int(v) for v in batch.ravel()]
    n, s, q = len(values), sum(values), sum(v * v for v in values)
    assert mean.item() == s / n
    assert std.item() == pytest.approx(np.sqrt((n * q - s * s) / n**2), rel=1e-16)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_8bit_sums_over_many_rows_do_not_overflow(dtype):
    # More rows than one int32 block of partial sums, at the extreme values.
    info = np.iinfo(dtype)
    batch = np.full((70_000, 2, 3), info.max, dtype=dtype)
    batch[::3] = info.min
    mean, std = intensity._mean_std(batch, (0,), "pixel")
    assert_allclose(mean, batch.mean(axis=0, dtype=np.float64, keepdims=True), rtol=1e-15)
    # The exact value, from Python integers (numpy's float64 std is off by
    # 4e-13 here: its sum of 70,000 squared deviations rounds at each step).
    n, k = len(batch), len(range(0, len(batch), 3))
    s = k * int(info.min) + (n - k) * int(info.max)
    q = k * int(info.min) ** 2 + (n - k) * int(info.max) ** 2
    assert_allclose(std, np.sqrt((n * q - s * s) / n**2), rtol=1e-15)
