"""The seven core steps and an SVC in one pipeline, on digits: grid search,
pickling, and the proof that samplers never touch validation or test data."""

import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline as SklearnPipeline
from sklearn.svm import SVC

import skimgprep
from skimgprep import (
    Augmenter,
    Denoiser,
    Flattener,
    HOGExtractor,
    OutlierFilter,
    PCAReducer,
    PixelScaler,
    SMOTEBalancer,
)
from skimgprep.pipeline import Pipeline, make_pipeline


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    # A subset, with class 9 made rare so that the balancer has work to do.
    rng = np.random.RandomState(0)
    keep = np.flatnonzero(data.target != 9)[:360]
    nines = rng.choice(np.flatnonzero(data.target == 9), 12, replace=False)
    idx = rng.permutation(np.concatenate([keep, nines]))
    return data.images[idx], data.target[idx]


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """An SVC that records what it was fitted on and what it was asked to predict."""

    def __init__(self, C=1.0):
        self.C = C

    def fit(self, X, y):
        self.svc_ = SVC(C=self.C).fit(X, y)
        self.classes_ = self.svc_.classes_
        self.fit_n_samples_ = X.shape[0]
        self.predict_inputs_ = []
        return self

    def predict(self, X):
        self.predict_inputs_.append(np.array(X, copy=True))
        return self.svc_.predict(X)


def seven_steps(classifier=None):
    return Pipeline(
        [
            ("scale", PixelScaler()),
            ("denoise", Denoiser(method="gaussian", strength=0.5)),
            ("outliers", OutlierFilter(contamination=0.05, n_estimators=20, random_state=0)),
            ("augment", Augmenter(n_augmented=1, p_hflip=0.0, random_state=0)),
            ("balance", SMOTEBalancer(k_neighbors=3, random_state=0)),
            ("hog", HOGExtractor(pixels_per_cell=(2, 2), cells_per_block=(2, 2))),
            ("pca", PCAReducer(n_components=20, random_state=0)),
            ("svc", classifier if classifier is not None else SVC()),
        ]
    )


def _predict_path(pipe, X):
    """Apply the fitted non-sampler steps by hand, as predict must."""
    for _, step in pipe.steps[:-1]:
        if not hasattr(step, "fit_resample"):
            X = step.transform(X)
    return X


def test_pipeline_is_imblearns_unchanged():
    import imblearn.pipeline

    assert issubclass(Pipeline, imblearn.pipeline.Pipeline)
    # A subclass that adds nothing: no method or attribute of its own
    # (Python and scikit-learn's metadata routing add their bookkeeping).
    own = {name for name in vars(Pipeline) if not name.startswith("_")}
    assert own <= {"set_score_request"}, own
    assert vars(Pipeline)["set_score_request"] is not None
    steps = [Augmenter(random_state=0), Flattener(), SVC()]
    ours = make_pipeline(*steps)
    theirs = imblearn.pipeline.make_pipeline(*steps)
    assert type(ours) is Pipeline
    assert ours.get_params(deep=False).keys() == theirs.get_params(deep=False).keys()
    assert [name for name, _ in ours.steps] == [name for name, _ in theirs.steps]
    assert "refuses" in skimgprep.pipeline.__doc__


def test_sklearn_pipeline_refuses_samplers(digits):
    X, y = digits
    pipe = SklearnPipeline([("augment", Augmenter(random_state=0)), ("svc", SVC())])
    with pytest.raises(TypeError, match="transform"):
        pipe.fit(X.reshape(len(X), -1), y)


def test_samplers_see_training_folds_only(digits):
    X, y = digits
    pipe = seven_steps(SpyClassifier())
    cv = KFold(3, shuffle=True, random_state=0)
    result = cross_validate(
        pipe, X, y, cv=cv, return_estimator=True, return_indices=True
    )
    for fitted, train, test in zip(
        result["estimator"], result["indices"]["train"], result["indices"]["test"]
    ):
        spy = fitted[-1]
        outliers = fitted.named_steps["outliers"]
        n_kept = len(outliers.sample_indices_)
        assert n_kept < len(train)  # the filter removed training images ...
        # ... then each kept image got one augmented copy, then SMOTE balanced:
        counts = np.bincount(y[train][outliers.sample_indices_], minlength=10) * 2
        assert spy.fit_n_samples_ == counts.max() * len(counts)
        # Scoring saw exactly the validation fold, through the non-sampler steps:
        assert len(spy.predict_inputs_) == 1
        seen = spy.predict_inputs_[0]
        assert seen.shape[0] == len(test)
        np.testing.assert_array_equal(seen, _predict_path(fitted, X[test]))


def test_samplers_do_not_run_at_predict(digits, monkeypatch):
    X, y = digits
    pipe = seven_steps().fit(X, y)
    calls = []
    for cls in (Augmenter, OutlierFilter, SMOTEBalancer):
        monkeypatch.setattr(
            cls, "fit_resample", lambda self, *a, **k: calls.append(type(self))
        )
    pred = pipe.predict(X[:50])
    assert calls == []
    assert pred.shape == (50,)
    np.testing.assert_array_equal(
        pred, pipe[-1].predict(_predict_path(pipe, X[:50]))
    )


def test_grid_search_and_pickle(digits):
    X, y = digits
    X_train, X_test, y_train = X[:300], X[300:], y[:300]
    search = GridSearchCV(
        seven_steps(),
        {
            "denoise__strength": [0.3, 1.0],
            "hog__orientations": [6, 9],
            "svc__C": [1.0, 10.0],
        },
        cv=3,
    )
    search.fit(X_train, y_train)
    assert len(search.cv_results_["params"]) == 8
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_score_ > 0.8
    assert set(search.best_params_) == {
        "denoise__strength", "hog__orientations", "svc__C"
    }

    best = search.best_estimator_
    restored = pickle.loads(pickle.dumps(best))
    np.testing.assert_array_equal(restored.predict(X_test), best.predict(X_test))
    np.testing.assert_array_equal(
        restored.decision_function(X_test), best.decision_function(X_test)
    )


def test_refit_is_reproducible(digits):
    X, y = digits
    a = clone(seven_steps()).fit(X, y).decision_function(X[:40])
    b = clone(seven_steps()).fit(X, y).decision_function(X[:40])
    np.testing.assert_array_equal(a, b)


def test_flattened_and_batch_pipelines_agree(digits):
    X, y = digits
    flat = X.reshape(len(X), -1)
    pipe_flat = seven_steps()
    pipe_flat.set_params(scale__image_shape=(8, 8))
    # The scaler returns flattened rows, so each later image step is told the
    # shape too; the samplers hand on the layout they received.
    for name in ("denoise", "outliers", "augment", "balance", "hog"):
        pipe_flat.set_params(**{f"{name}__image_shape": (8, 8)})
    pipe_flat.fit(flat, y)
    pipe_batch = seven_steps().fit(X, y)
    np.testing.assert_allclose(
        pipe_flat.decision_function(flat[:40]),
        pipe_batch.decision_function(X[:40]),
        rtol=1e-6, atol=1e-8,
    )
