"""Flattener and flatten_images: exact reshapes, dtypes kept, clear errors."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from numpy.testing import assert_array_equal
from skimage import data
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skimgprep import Flattener, PixelScaler, flatten_images


@pytest.fixture(scope="module")
def astronaut_batch():
    a = data.astronaut()[::8, ::8]  # (64, 64, 3) uint8
    return np.stack([a, a[::-1], a[:, ::-1]])


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int64, np.float32, np.float64, bool])
def test_flatten_equals_reshape_and_keeps_dtype(astronaut_batch, dtype):
    for batch in (astronaut_batch.astype(dtype), astronaut_batch[..., 0].astype(dtype)):
        flattener = Flattener().fit(batch)
        out = flattener.transform(batch)
        assert out.dtype == batch.dtype
        assert out.shape == (3, int(np.prod(batch.shape[1:])))
        assert_array_equal(out, batch.reshape(3, -1))
        assert flattener.n_features_in_ == out.shape[1]
        assert flattener.image_shape_ == batch.shape[1:]
        back = flattener.inverse_transform(out)
        assert back.dtype == batch.dtype
        assert_array_equal(back, batch)
        assert_array_equal(flatten_images(batch), out)


def test_rows_pass_through(astronaut_batch):
    rows = astronaut_batch.reshape(3, -1)
    assert_array_equal(Flattener().fit_transform(rows), rows)
    flattener = Flattener(image_shape=(64, 64, 3)).fit(rows)
    assert_array_equal(flattener.transform(rows), rows)
    assert flattener.image_shape_ == (64, 64, 3)
    # inverse_transform gives the images of image_shape back.
    assert_array_equal(flattener.inverse_transform(rows), astronaut_batch)
    # Without image_shape the rows are images one pixel tall.
    assert Flattener().fit(rows).inverse_transform(rows).shape == (3, 1, 64 * 64 * 3)


def test_input_not_modified_and_read_only(astronaut_batch):
    batch = astronaut_batch.copy()
    batch.setflags(write=False)
    out = Flattener().fit_transform(batch)
    assert_array_equal(out, astronaut_batch.reshape(3, -1))
    assert_array_equal(batch, astronaut_batch)
    assert_array_equal(Flattener().fit(batch).inverse_transform(out), astronaut_batch)


def test_list_of_images(astronaut_batch):
    out = Flattener().fit_transform(list(astronaut_batch))
    assert_array_equal(out, astronaut_batch.reshape(3, -1))
    with pytest.raises(ValueError, match="images of different shapes"):
        Flattener().fit([astronaut_batch[0], astronaut_batch[0, :10]])


def test_feature_names(astronaut_batch):
    gray = astronaut_batch[:, :2, :3, 0]
    names = Flattener().fit(gray).get_feature_names_out()
    assert_array_equal(names, [f"x{i}" for i in range(6)])
    df = pd.DataFrame(gray.reshape(3, -1), columns=[f"p{i}" for i in range(6)])
    flattener = Flattener().fit(df)
    assert_array_equal(flattener.get_feature_names_out(), df.columns)
    assert_array_equal(flattener.transform(df), gray.reshape(3, -1))


def test_in_a_pipeline_equals_the_classifier_on_rows():
    digits = load_digits()
    images, rows, y = digits.images[:400], digits.data[:400], digits.target[:400]
    pipe = make_pipeline(PixelScaler(), Flattener(), LogisticRegression(max_iter=500))
    pipe.fit(images, y)
    ref = LogisticRegression(max_iter=500).fit(rows / 16.0, y)
    assert_array_equal(pipe.predict(images), ref.predict(rows / 16.0))


def test_errors(astronaut_batch):
    flattener = Flattener().fit(astronaut_batch)
    with pytest.raises(ValueError, match=r"fitted on images of shape \(64, 64, 3\).*\(32, 32, 3\)"):
        flattener.transform(astronaut_batch[:, :32, :32])
    with pytest.raises(ValueError, match=r"fitted on images of shape \(64, 64, 3\).*\(64, 64\)"):
        flattener.transform(astronaut_batch[..., 0])
    with pytest.raises(ValueError, match="X has 10 features, but Flattener is expecting 12288"):
        flattener.inverse_transform(np.zeros((2, 10)))
    with pytest.raises(ValueError, match=r"got a 1D array of shape \(4,\)"):
        Flattener().fit(np.zeros(4))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        Flattener().fit(np.full((2, 2, 2), np.nan))
    with pytest.raises(ValueError, match=r"0 sample\(s\)"):
        Flattener().fit(np.zeros((0, 4, 4)))
    with pytest.raises(TypeError, match="sparse matrix"):
        Flattener().fit(sp.csr_matrix(np.eye(3)))
    with pytest.raises(
        ValueError, match=r"image_shape must be None or a tuple of 2 or 3 positive integers"
    ):
        Flattener(image_shape=(0, 4)).fit(np.zeros((2, 4)))
