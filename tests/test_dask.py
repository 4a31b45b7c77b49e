"""Beyond one machine: joblib's Dask backend on a local Dask cluster, and
transforming a Dask array chunk by chunk (the recipe in the user guide)."""

import dask.array as da
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream
from joblib import parallel_config
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

from skimgprep import Augmenter, Denoiser, HOGExtractor, PixelScaler
from skimgprep.pipeline import make_pipeline


@pytest.fixture(scope="module")
def client():
    # Two worker processes, as on two machines: the tasks are pickled and
    # run in other interpreters.
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    return data.images[:300], data.target[:300]


def _grid():
    pipe = make_pipeline(
        PixelScaler(method="range"),
        Denoiser(),
        Augmenter(random_state=0),
        HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        SVC(),
    )
    return GridSearchCV(
        pipe,
        {"denoiser__method": ["gaussian", "median"], "svc__C": [1.0, 10.0]},
        cv=3,
        n_jobs=-1,
    )


def test_grid_search_on_dask_equals_local(client, digits):
    X, y = digits
    local = _grid().fit(X, y)
    with get_task_stream(client) as stream, parallel_config(backend="dask"):
        remote = _grid().fit(X, y)
    # The 4 candidates x 3 folds were fitted by the cluster's two workers ...
    workers = {task["worker"] for task in stream.data}
    assert len(workers) == 2
    assert len(stream.data) >= 12
    # ... and the scores and the refitted model are the local ones, exactly.
    assert_array_equal(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    assert remote.best_params_ == local.best_params_
    assert_array_equal(remote.decision_function(X), local.decision_function(X))


@pytest.mark.parametrize(
    "step",
    [
        Denoiser(method="median", n_jobs=2, batch_size=50),
        Denoiser(method="bilateral", n_jobs=2, batch_size=50),
        HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2), n_jobs=2, batch_size=50),
    ],
    ids=lambda s: type(s).__name__ + "-" + str(getattr(s, "method", "")),
)
def test_n_jobs_on_dask_equals_one_job(client, digits, step):
    X, _ = digits
    X = X.astype(np.float32) / 16
    expected = clone(step).set_params(n_jobs=1).fit(X).transform(X)
    with parallel_config(backend="dask"):
        got = clone(step).fit(X).transform(X)
    assert got.dtype == expected.dtype
    assert_array_equal(got, expected)


def test_augmenter_on_dask_equals_one_job(client, digits):
    X, y = digits
    expected = Augmenter(random_state=0, n_jobs=1).fit_resample(X, y)
    with parallel_config(backend="dask"):
        got = Augmenter(random_state=0, n_jobs=2).fit_resample(X, y)
    assert_array_equal(got[0], expected[0])
    assert_array_equal(got[1], expected[1])


def test_dask_array_chunk_by_chunk(client, digits):
    # The user guide's recipe: fit on what fits in memory, then map the
    # fitted step over the chunks of a Dask array cut along the images only.
    X, y = digits
    X = X.astype(np.float32)
    scaler = PixelScaler(method="range").fit(X)
    hog = HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2)).fit(X)
    lazy = da.from_array(X, chunks=(64, -1, -1))

    scaled = lazy.map_blocks(scaler.transform, dtype=np.float32)
    n_out = len(hog.get_feature_names_out())
    features = scaled.map_blocks(
        hog.transform, dtype=np.float32, drop_axis=2, chunks=(scaled.chunks[0], (n_out,))
    )
    assert features.shape == (300, n_out)
    result = features.compute()
    assert_array_equal(result, hog.transform(scaler.transform(X)))
