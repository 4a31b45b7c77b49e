"""Every public estimator gives the same results from several threads at once
and after a round trip through pickle, joblib and skops.

The estimators come from ``skimgprep.__all__`` and their arguments from the
bad-input matrix's table (``MATRIX_PARAMS`` in tests/test_bad_input.py, for
16x16 images), so an estimator added later is covered without an edit here.
"Identical" means bit for bit: the same type, dtype, shape and bytes.

* Threads: one fitted transformer shared by 8 threads that transform the same
  batch and different batches, round after round, gives what the same calls
  give one after the other in one thread, and its state does not change;
  samplers (``fit_resample`` sets attributes) are cloned per thread. The
  variants with ``n_jobs=2`` send the calls of 8 threads at once to the
  thread pool that ``skimgprep._parallel.run_tasks`` keeps between calls.
* Persistence: pickle (protocol 5 and the default), joblib (plain and
  ``compress=3``) and skops (:mod:`skimgprep.persistence`) give back the
  fitted state exactly, the same transform output, and for samplers the
  same ``fit_resample`` output when refitted on the same data.
* Refusal: a skops file that holds a type skimgprep does not own (a class of
  this module next to each estimator, functions, a class object, a lambda,
  a skimgprep function handed to scikit-learn's FunctionTransformer, or a
  name under ``skimgprep.`` that is not a class defined there) is refused
  with a TypeError naming the type, before anything is built.

Persistence runs on grayscale and RGB images, the threads on RGB images.
"""

import copy
import functools
import inspect
import json
import os
import pickle
import re
import struct
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pytest
import skops.io
from PIL import Image
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.preprocessing import FunctionTransformer
from test_bad_input import MATRIX_PARAMS, _images, public_estimators

import skimgprep.persistence
from skimgprep import ImageReader, PixelScaler
from skimgprep._parallel import run_tasks
from skimgprep.persistence import dump, load, untrusted_types
from skimgprep.pipeline import make_pipeline

ESTIMATORS = public_estimators()

#: Layouts of the test images: channels after (h, w).
LAYOUTS = {"gray": (), "rgb": (3,)}

#: Image sizes other than 16x16: CORAL aligns feature vectors, and its
#: d x d covariances (d = h * w * c) stay quick to compute with 6x6 images.
SIZES = {"CORALAligner": (6, 6)}

#: Imbalanced labels (8 to 4), so that the balancers have work to do.
Y = np.array([0, 0, 1] * 4)

#: Arguments that depend on the images (others: MATRIX_PARAMS): a target
#: domain for CORAL, which without one returns its input.
DATA_PARAMS = {
    "CORALAligner": lambda X: {
        "reference": _images(8, X.shape[1:], seed=7).reshape(8, -1) ** 2
    },
}

#: Types that skimgprep's steps hold and that the caller must name in
#: ``trusted``, as skimgprep.persistence's docstring says: the trees of
#: OutlierFilter's isolation forest.
DOCUMENTED_TYPES = {"sklearn.tree._tree.Tree"}

N_THREADS = 8
ROUNDS = 4


def name_of(cls):
    return cls.__name__


def type_name(obj):
    cls = obj if isinstance(obj, type) else type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_sampler(est):
    return hasattr(est, "fit_resample")


def make(cls, X, **extra):
    """The estimator with the table's arguments; a seed wherever it has one."""
    params = dict(MATRIX_PARAMS.get(cls.__name__, {}))
    params.update(DATA_PARAMS.get(cls.__name__, lambda X: {})(X))
    params.update(extra)
    est = cls(**params)
    if "random_state" in est.get_params() and est.random_state is None:
        est.set_params(random_state=0)
    return est


def batch(cls, layout, seed):
    return _images(12, SIZES.get(cls.__name__, (16, 16)) + LAYOUTS[layout], seed=seed)


def given_types(est):
    """Non-skimgprep estimators handed in as parameters (the caller's own to
    trust), by full type name, and the documented types the estimator holds."""
    held = DOCUMENTED_TYPES if type(est).__name__ == "OutlierFilter" else set()
    return held | {
        type_name(value)
        for value in est.get_params(deep=True).values()
        if isinstance(value, BaseEstimator)
        and not type(value).__module__.startswith("skimgprep")
    }


# --- exact comparison -------------------------------------------------------------


def state(obj):
    """A comparable picture of ``obj``'s whole state, bit for bit.

    Arrays by dtype, shape and bytes; floats by their bytes (so NaN equals
    NaN, and -0.0 differs from 0.0); estimators and other objects by their
    ``__getstate__`` (all attributes, fitted or not); random generators by
    their state; functions and classes by name.
    """
    if isinstance(obj, np.ndarray):
        if obj.dtype.hasobject:
            return ("object array", obj.shape, [state(v) for v in obj.ravel()])
        if obj.dtype.names:  # by field: the padding between fields is junk
            return ("record array", obj.dtype.descr, obj.shape,
                    [state(obj[name]) for name in obj.dtype.names])
        return ("array", obj.dtype.str, obj.shape, np.ascontiguousarray(obj).tobytes())
    if isinstance(obj, np.generic):
        return ("scalar", obj.dtype.str, obj.tobytes())
    if isinstance(obj, float):
        return ("float", struct.pack("<d", obj))
    if obj is None or isinstance(obj, (bool, int, str, bytes, complex, slice)):
        return (type(obj).__name__, obj)
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, [state(v) for v in obj])
    if isinstance(obj, dict):
        return (type(obj).__name__, [(state(k), state(v)) for k, v in obj.items()])
    if isinstance(obj, (set, frozenset)):
        return (type(obj).__name__, sorted(repr(state(v)) for v in obj))
    if isinstance(obj, np.dtype):
        return ("dtype", obj.str)
    if isinstance(obj, np.random.RandomState):
        return ("RandomState", state(obj.get_state()))
    if isinstance(obj, np.random.Generator):
        return ("Generator", state(obj.bit_generator.state))
    if isinstance(obj, type) or callable(obj) and hasattr(obj, "__qualname__"):
        return ("callable", type_name(obj) if isinstance(obj, type) else
                f"{obj.__module__}.{obj.__qualname__}")
    return (type_name(obj), state(obj.__getstate__()))


def assert_identical(got, expected):
    """Results equal bit for bit: arrays, tuples (X_res, y_res) or lists."""
    assert type(got) is type(expected), (type(got), type(expected))
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_identical(g, e)
        return
    expected = np.asarray(expected)
    got = np.asarray(got)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if got.dtype.hasobject:  # feature names
        assert got.tolist() == expected.tolist()
        return
    if got.tobytes() != expected.tobytes():
        where = np.argwhere(got != expected)
        raise AssertionError(
            f"{len(where)} values differ, first at {tuple(where[0]) if len(where) else '?'}"
        )


def fit_apply(est, X, X_new):
    """fit_resample(X, Y) for a sampler; fit(X, Y).transform(X_new) otherwise."""
    if is_sampler(est):
        return est.fit_resample(X, Y)
    return est.fit(X, Y).transform(X_new)


# --- threads ------------------------------------------------------------------------


def _thread_cases():
    for cls in ESTIMATORS:
        yield pytest.param(cls, {}, id=cls.__name__)
        params = inspect.signature(cls).parameters
        if "n_jobs" in params:
            # Chunks of 3 images: 4 tasks per call for the 2 jobs.
            extra = {"n_jobs": 2, **({"batch_size": 3} if "batch_size" in params else {})}
            yield pytest.param(cls, extra, id=f"{cls.__name__}-n_jobs2")


def run_on_threads(call, batches, schedule):
    """``call(batch)`` on N_THREADS threads; ``schedule[r][t]`` is the batch
    thread t takes in round r. The threads of a round start together."""
    barrier = threading.Barrier(N_THREADS)
    results = [[None] * N_THREADS for _ in schedule]

    def worker(t):
        try:
            for r, row in enumerate(schedule):
                barrier.wait(timeout=60)
                results[r][t] = call(batches[row[t]])
        except BaseException:
            barrier.abort()  # the others stop waiting for this thread
            raise

    with ThreadPoolExecutor(N_THREADS) as pool:
        futures = [pool.submit(worker, t) for t in range(N_THREADS)]
    errors = [f.exception() for f in futures if f.exception() is not None]
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
    return results


#: Round 0: every thread on the same batch object (the one fitted on); then
#: each round gives the threads the five batches in another rotation.
SCHEDULE = [[0] * N_THREADS] + [
    [(t + r) % 5 for t in range(N_THREADS)] for r in range(1, ROUNDS)
]


@pytest.mark.parametrize("cls, extra", list(_thread_cases()))
def test_threads_give_the_sequential_results(cls, extra):
    batches = [batch(cls, "rgb", seed) for seed in range(5)]
    before = [b.copy() for b in batches]
    template = make(cls, batches[0], **extra)
    if is_sampler(template):
        # fit_resample sets attributes: one clone per call, from the same
        # parameters; the fitted attributes must agree too.
        def call(X):
            est = clone(template)
            return est.fit_resample(X, Y), state(est)
    else:
        shared = clone(template).fit(batches[0], Y)
        fitted_state = state(shared)
        call = shared.transform

    sequential = [[call(batches[b]) for b in row] for row in SCHEDULE]
    threaded = run_on_threads(call, batches, SCHEDULE)

    by_batch = {}
    for r, row in enumerate(SCHEDULE):
        for t, b in enumerate(row):
            # The same batch gives the same result in every round, and from
            # 8 threads at once what it gives sequentially.
            by_batch.setdefault(b, sequential[r][t])
            for got in (sequential[r][t], threaded[r][t]):
                if is_sampler(template):
                    assert_identical(got[0], by_batch[b][0])
                    assert got[1] == by_batch[b][1], (
                        f"fitted attributes differ (round {r}, thread {t})"
                    )
                else:
                    assert_identical(got, by_batch[b])
    if not is_sampler(template):
        assert state(shared) == fitted_state, "transform changed the fitted estimator"
    for b, b0 in zip(batches, before):
        assert_identical(b, b0)
    if extra:
        # Results do not depend on n_jobs or batch_size.
        plain = make(cls, batches[0])
        if is_sampler(plain):
            for b, result in by_batch.items():
                assert_identical(result[0], clone(plain).fit_resample(batches[b], Y))
        else:
            plain.fit(batches[0], Y)
            for b, result in by_batch.items():
                assert_identical(result, plain.transform(batches[b]))


def test_image_reader_reads_files_from_threads(tmp_path):
    # ImageReader reads files on run_tasks' kept pool, one task per file.
    rng = np.random.default_rng(0)
    paths = []
    for i in range(40):
        pixels = rng.integers(0, 256, size=(10 + i % 7, 12, 3), dtype=np.uint8)
        path = tmp_path / f"image{i:02d}.png"
        Image.fromarray(pixels).save(path)
        paths.append(str(path))
    batches = [paths[8 * k: 8 * k + 12] for k in range(4)] + [paths[::-1][:12]]
    reader = ImageReader(output_shape=(8, 8), n_jobs=2).fit(batches[0])
    sequential = [[reader.transform(batches[b]) for b in row] for row in SCHEDULE]
    threaded = run_on_threads(reader.transform, batches, SCHEDULE)
    for r, row in enumerate(SCHEDULE):
        for t in range(len(row)):
            assert_identical(threaded[r][t], sequential[r][t])
    # The values are the files': the first image, read alone and resized.
    alone = ImageReader(output_shape=(8, 8)).fit(batches[0]).transform(batches[1][:1])
    assert_identical(sequential[1][0][:1], alone)
    assert sequential[1][0].shape == (12, 8, 8, 3)


def test_run_tasks_from_threads_at_once():
    # 8 threads share run_tasks' pool of 2: each gets its own tasks' results,
    # and an error raised in one thread's tasks stays in that thread.
    n = 64
    workers = set()

    def job(t):
        out = np.zeros(n)

        def task(s, value):
            workers.add(threading.current_thread().name)
            if value < 0:
                raise ValueError(f"task of thread {t} failed")
            out[s] = value + np.arange(s.start, s.stop)

        tasks = [(slice(i, i + 8), 1000.0 * t) for i in range(0, n, 8)]
        if t == 3:
            tasks[5] = (tasks[5][0], -1.0)
        for _ in range(20):
            run_tasks(task, tasks, n_jobs=2)
        return out

    barrier = threading.Barrier(N_THREADS)

    def start(t):
        barrier.wait(timeout=60)
        return job(t)

    with ThreadPoolExecutor(N_THREADS) as pool:
        futures = [pool.submit(start, t) for t in range(N_THREADS)]
    for t, future in enumerate(futures):
        if t == 3:
            with pytest.raises(ValueError, match="task of thread 3 failed"):
                future.result()
        else:
            np.testing.assert_array_equal(future.result(), 1000.0 * t + np.arange(n))
    # All of it ran on the kept pool's 2 threads.
    assert len(workers) == 2 and all(w.startswith("skimgprep") for w in workers), workers


# --- persistence ----------------------------------------------------------------------


def _pickle(protocol):
    def trip(est, tmp_path):
        return pickle.loads(pickle.dumps(est, protocol=protocol))
    return trip


def _joblib(compress):
    def trip(est, tmp_path):
        path = tmp_path / "estimator.joblib"
        joblib.dump(est, path, compress=compress)
        return joblib.load(path)
    return trip


def _skops(est, tmp_path):
    path = tmp_path / "estimator.skops"
    dump(est, path)
    found = untrusted_types(path)
    foreign = [t for t in found if not t.startswith("skimgprep.")]
    # Only skimgprep's types, the documented ones, and the estimators the
    # caller handed in (which are the caller's to trust).
    allowed = given_types(est) | DOCUMENTED_TYPES
    assert set(foreign) <= allowed, (
        f"{type(est).__name__} holds types that neither skimgprep nor skops "
        f"trusts: {sorted(set(foreign) - allowed)}"
    )
    if foreign:
        with pytest.raises(TypeError, match=re.escape(repr(foreign))):
            load(path)
        return load(path, trusted=foreign)
    return load(path)


ROUND_TRIPS = {
    "pickle5": _pickle(5),
    "pickle": _pickle(pickle.DEFAULT_PROTOCOL),
    "joblib": _joblib(0),
    "joblib-compress3": _joblib(3),
    "skops": _skops,
}


@functools.cache
def _fitted(cls, layout):
    X, X_new = batch(cls, layout, 0), batch(cls, layout, 1)
    est = make(cls, X)
    return est, X, X_new, fit_apply(est, X, X_new)


def fitted(cls, layout):
    """A fitted estimator (a fresh copy), its data and its output."""
    est, X, X_new, out = _fitted(cls, layout)
    return copy.deepcopy(est), X, X_new, out


@pytest.mark.parametrize("trip", ROUND_TRIPS)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("cls", ESTIMATORS, ids=name_of)
def test_round_trip_gives_identical_results(cls, layout, trip, tmp_path):
    est, X, X_new, expected = fitted(cls, layout)
    saved = state(est)
    loaded = ROUND_TRIPS[trip](est, tmp_path)
    assert type(loaded) is type(est)
    # Every attribute, fitted or not (sample_indices_, codebook_, the
    # isolation forest's trees ...), exactly; saving changed nothing.
    assert state(loaded) == saved
    assert state(est) == saved
    if is_sampler(est):
        # A loaded sampler refitted on the same data resamples the same way.
        assert_identical(loaded.fit_resample(X, Y), expected)
        assert state(loaded) == saved
    else:
        assert_identical(loaded.transform(X_new), expected)
        assert_identical(loaded.transform(X), est.transform(X))
    if hasattr(est, "get_feature_names_out"):
        assert_identical(loaded.get_feature_names_out(), est.get_feature_names_out())


# --- refusal of unexpected types ------------------------------------------------------


class Stranger(TransformerMixin, BaseEstimator):
    """A type no loader should build unasked."""

    def fit(self, X, y=None):
        self.n_seen_ = len(X)
        return self

    def transform(self, X):
        return X


STRANGER = type_name(Stranger)


def refused(path, names, monkeypatch, trusted=()):
    """load(path) raises a TypeError naming exactly ``names``, and neither
    skops' loader nor any Stranger's ``__setstate__`` runs."""
    calls = []
    monkeypatch.setattr(skops.io, "load", lambda *a, **k: calls.append("load"))
    monkeypatch.setattr(skops.io, "loads", lambda *a, **k: calls.append("loads"))
    monkeypatch.setattr(Stranger, "__setstate__", lambda self, s: calls.append("built"),
                        raising=False)
    with pytest.raises(TypeError, match=r"not trusted: " + re.escape(repr(sorted(names)))):
        load(path, trusted=list(trusted))
    assert calls == []
    monkeypatch.undo()


@pytest.mark.parametrize("cls", ESTIMATORS, ids=name_of)
def test_stranger_next_to_every_estimator_is_refused(cls, tmp_path, monkeypatch):
    X, X_new = batch(cls, "gray", 0), batch(cls, "gray", 1)
    est = make(cls, X)
    pipe = make_pipeline(est, Stranger()).fit(X, Y)
    path = tmp_path / "stranger.skops"
    dump(pipe, path)
    given = sorted(given_types(est))
    assert STRANGER in untrusted_types(path)
    # Refused with or without the estimator's own parameters trusted.
    refused(path, [STRANGER, *given], monkeypatch)
    refused(path, [STRANGER], monkeypatch, trusted=given)
    # Named by the caller, it loads and works as saved.
    loaded = load(path, trusted=[STRANGER, *given])
    assert state(loaded) == state(pipe)
    assert_identical(loaded.transform(X_new), pipe.transform(X_new))


HELD = {
    "function": (lambda: np.save, ["numpy.save"]),
    "class object": (lambda: Stranger, [STRANGER]),
    "in a list": (lambda: [1.0, Stranger()], [STRANGER]),
    "in a dict": (lambda: {"step": Stranger()}, [STRANGER]),
    "in an object array": (lambda: np.array([Stranger(), 2], dtype=object), [STRANGER]),
    "partial": (lambda: functools.partial(np.save, "x"), ["functools.partial", "numpy.save"]),
    "lambda": (lambda: (lambda x: x), [f"{__name__}.<lambda>"]),
    "bound method": (lambda: Stranger().fit, [STRANGER, f"{STRANGER}.fit"]),
}


@pytest.mark.parametrize("held", HELD)
@pytest.mark.parametrize("cls", ESTIMATORS, ids=name_of)
def test_unexpected_object_held_by_an_estimator_is_refused(cls, held, tmp_path,
                                                            monkeypatch):
    est = fitted(cls, "gray")[0]
    make_value, names = HELD[held]
    est.extra_ = make_value()
    path = tmp_path / "held.skops"
    dump(est, path)
    refused(path, names, monkeypatch, trusted=sorted(given_types(est)))
    if held != "lambda":  # skops cannot build a lambda, trusted or not
        loaded = load(path, trusted=names + sorted(given_types(est)))
        assert state(loaded) == state(est)


def test_skimgprep_function_in_a_function_transformer_is_refused(tmp_path, monkeypatch):
    # Only skimgprep's types are trusted, not every name under skimgprep:
    # a file-writing function of skimgprep, handed to FunctionTransformer
    # (which skops trusts) with its arguments from the file, would write a
    # file of the file's choosing at transform time.
    target = tmp_path / "written.skops"
    trap = FunctionTransformer(
        func=skimgprep.persistence.dump, kw_args={"file": str(target)}, validate=False
    )
    path = tmp_path / "trap.skops"
    dump(trap, path)
    assert untrusted_types(path) == ["skimgprep.persistence.dump"]
    refused(path, ["skimgprep.persistence.dump"], monkeypatch)
    assert not os.path.exists(target)


CLAIMS = {
    # A class that a skimgprep module imports from joblib.
    "imported class": ("skimgprep._parallel", "Parallel"),
    # A function of skimgprep, claimed as a class.
    "function": ("skimgprep.persistence", "dump"),
    # A module that a skimgprep module imports.
    "imported module": ("skimgprep.io", "os"),
    # Importing skimgprep.__main__ runs the command line.
    "__main__": ("skimgprep.__main__", "main"),
    # No such module or class.
    "missing": ("skimgprep.nowhere", "Nothing"),
}


@pytest.mark.parametrize("claim", CLAIMS)
def test_a_claimed_skimgprep_name_is_not_its_type(claim, tmp_path, monkeypatch):
    # A file names its types itself, and skops builds them as
    # getattr(import_module(module), name): a name under skimgprep that is
    # not a class defined there is refused like any other.
    est = PixelScaler().fit(batch(PixelScaler, "gray", 0))
    est.extra_ = Stranger()
    path = tmp_path / "claimed.skops"
    dump(est, path)
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    schema = json.loads(files["schema.json"])
    node = schema["content"]["content"]["extra_"]
    assert (node["__module__"], node["__class__"]) == (__name__, "Stranger")
    node["__module__"], node["__class__"] = CLAIMS[claim]
    files["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    name = ".".join(CLAIMS[claim])
    assert untrusted_types(path) == sorted([name, "skimgprep.intensity.PixelScaler"])
    refused(path, [name], monkeypatch)
    assert "skimgprep.__main__" not in sys.modules
