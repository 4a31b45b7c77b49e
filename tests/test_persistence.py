"""skops round trips of fitted pipelines, trusting skimgprep's types only."""

import io
import pickle

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import skimgprep.persistence
from skimgprep import (
    Augmenter,
    Denoiser,
    HOGExtractor,
    OutlierFilter,
    PCAReducer,
    PixelScaler,
    SMOTEBalancer,
)
from skimgprep.persistence import dump, load, untrusted_types
from skimgprep.pipeline import make_pipeline


class Stranger(TransformerMixin, BaseEstimator):
    """A type no loader should build unasked."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


@pytest.fixture(scope="module")
def fitted():
    data = load_digits()
    X, y = data.images[:400], data.target[:400]
    pipe = make_pipeline(
        PixelScaler(method="range"),
        Denoiser(method="median"),
        OutlierFilter(n_estimators=20, random_state=0),
        Augmenter(random_state=0),
        SMOTEBalancer(k_neighbors=3, random_state=0),
        HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2)),
        PCAReducer(n_components=12, random_state=0),
        StandardScaler(),
        SVC(),
    ).fit(X, y)
    return pipe, data.images[400:600]


def test_skops_round_trip_trusts_only_skimgprep_types(fitted, tmp_path):
    pipe, X_test = fitted
    path = tmp_path / "pipe.skops"
    dump(pipe, path)
    needed = untrusted_types(path)
    # Everything skops does not trust by default is skimgprep's own.
    assert needed == [
        "skimgprep.augment.Augmenter",
        "skimgprep.balance.SMOTEBalancer",
        "skimgprep.decomposition.PCAReducer",
        "skimgprep.denoise.Denoiser",
        "skimgprep.features._hog.HOGExtractor",
        "skimgprep.intensity.PixelScaler",
        "skimgprep.outliers.OutlierFilter",
        "skimgprep.pipeline.Pipeline",
        # IsolationForest's trees, inside OutlierFilter: skops does not trust
        # them by default, and neither does load; the caller names them.
        "sklearn.tree._tree.Tree",
    ]
    with pytest.raises(TypeError, match=r"not trusted: \['sklearn.tree._tree.Tree'\]"):
        load(path)
    loaded = load(path, trusted=["sklearn.tree._tree.Tree"])
    assert type(loaded) is type(pipe)
    assert_array_equal(loaded.predict(X_test), pipe.predict(X_test))
    assert_array_equal(loaded.decision_function(X_test), pipe.decision_function(X_test))
    # The same bytes as the pickle round trip: the state is all there.
    pickled = pickle.loads(pickle.dumps(pipe))
    assert_array_equal(loaded.decision_function(X_test), pickled.decision_function(X_test))


def test_pipeline_of_skimgprep_steps_needs_no_trust(fitted, tmp_path):
    # Without OutlierFilter every type is skimgprep's or trusted by skops:
    # load asks the caller for nothing.
    pipe, X_test = fitted
    steps = [step for name, step in pipe.steps if name != "outlierfilter"]
    pipe = make_pipeline(*steps).fit(load_digits().images[:400], load_digits().target[:400])
    buffer = io.BytesIO()
    dump(pipe, buffer)
    assert all(t.startswith("skimgprep.") for t in untrusted_types(buffer.getvalue()))
    loaded = load(buffer.getvalue())
    assert_array_equal(loaded.predict(X_test), pipe.predict(X_test))
    assert_array_equal(loaded.decision_function(X_test), pipe.decision_function(X_test))


def test_unexpected_type_is_refused_before_anything_is_built(fitted, tmp_path, monkeypatch):
    pipe, X_test = fitted
    stranger = make_pipeline(PixelScaler(), Stranger(), HOGExtractor(
        pixels_per_cell=(4, 4), cells_per_block=(2, 2)), SVC())
    stranger.fit(X_test, np.arange(len(X_test)) % 3)
    path = tmp_path / "stranger.skops"
    dump(stranger, path)
    name = f"{__name__}.Stranger"
    assert name in untrusted_types(path)

    built = []
    monkeypatch.setattr(Stranger, "__setstate__", lambda self, state: built.append(1),
                        raising=False)
    with pytest.raises(TypeError, match=r"not trusted: \['tests?[.\w]*Stranger'\]"):
        load(path)
    assert built == []
    # Named by the caller, it loads.
    monkeypatch.undo()
    loaded = load(path, trusted=[name])
    assert_array_equal(loaded.predict(X_test), stranger.predict(X_test))


def test_imblearn_pipeline_needs_its_type_trusted(fitted, tmp_path):
    import imblearn.pipeline

    pipe, X_test = fitted
    theirs = imblearn.pipeline.Pipeline(pipe.steps)
    path = tmp_path / "imblearn.skops"
    dump(theirs, path)
    with pytest.raises(TypeError, match="imblearn.pipeline.Pipeline"):
        load(path, trusted=["sklearn.tree._tree.Tree"])
    loaded = load(path, trusted=["imblearn.pipeline.Pipeline", "sklearn.tree._tree.Tree"])
    assert_array_equal(loaded.predict(X_test), pipe.predict(X_test))


def test_missing_skops_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_skops(name, *args, **kwargs):
        if name == "skops" or name.startswith("skops."):
            raise ImportError("No module named 'skops'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_skops)
    with pytest.raises(ImportError, match=r'pip install "skimgprep\[skops\]"'):
        skimgprep.persistence.dump(PixelScaler(), io.BytesIO())
