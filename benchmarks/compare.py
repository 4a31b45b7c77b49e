"""skimgprep against its peers, in one process, as throughput ratios.

For each workload the skimgprep call and every available peer (a
scikit-image per-image loop always; OpenCV and albumentations from the
``bench`` extra) run alternately on the same batch: one warm-up call each,
then ``--repeat`` rounds in which each contender runs once, in a rotating
order. A contender's throughput is the number of images it processed over
its best time (the shortest of the rounds: what the machine can do when
nothing else interferes). Everything runs on one thread: the BLAS and
OpenMP thread counts are set to 1 before numpy is imported (and again with
threadpoolctl), ``numba.set_num_threads(1)`` and ``cv2.setNumThreads(1)``;
the parallel workloads alone use ``n_jobs=2``.

Then, unless ``--no-memory``, each step runs on 60,000 28x28 float32 images
in a fresh subprocess, and its peak resident memory is compared with input
+ output + 256 MiB (see ``benchmarks/README.md`` for how it is measured).

Usage::

    python benchmarks/compare.py                 # the full run, 3 to 5 minutes
    python benchmarks/compare.py --tiny          # seconds: checks that it runs
    python benchmarks/compare.py --only hog      # workloads whose name has "hog"
    python benchmarks/compare.py --json out.json # the tables, as JSON

The exit code is 1 when a target fails, except with ``--tiny`` (tiny
batches measure nothing: the point is that the script runs), and 2 when a
memory measurement crashed; an exception in a workload propagates.
"""

import os

# One thread for BLAS and OpenMP, before numpy, scipy or OpenCV are
# imported (threadpoolctl limits them again below). numba's pool is capped
# at run time instead (numba.set_num_threads(1)), so that a step given
# n_jobs=2 may still raise it.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from importlib import metadata  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

try:
    from . import _common as common  # noqa: E402
except ImportError:
    import _common as common  # noqa: E402

import skimgprep  # noqa: E402

cv2 = common.cv2
if cv2 is not None:
    cv2.setNumThreads(1)


def single_thread():
    """One thread for BLAS, OpenMP (threadpoolctl), numba and OpenCV."""
    threadpool_limits(1)
    try:
        import numba

        numba.set_num_threads(1)
    except ImportError:  # pragma: no cover - numba is a dependency
        pass
    if cv2 is not None:
        cv2.setNumThreads(1)


MiB = 2**20


class Unavailable(Exception):
    """A contender that cannot run here (a peer not installed, a step not
    written yet); the table says so instead of failing."""


# --- the registry ------------------------------------------------------------


@dataclass
class Workload:
    """One row group of the table.

    ``data(n)`` makes the arguments every contender is called with (first
    the images); ``ours()`` and each ``peers[name]()`` build the callable
    to time, or raise :class:`Unavailable`. A peer listed in ``peer_n`` runs
    on the first ``peer_n[name]`` images only (slow per-image loops); its
    images per second are still comparable. ``target`` is ``(peer, least
    ratio)`` with ratio = skimgprep's images/s over the peer's; ``check``
    is ``(peer, tolerance)`` or ``(peer, atol, rtol)``: skimgprep's output
    on the first ``check_n`` images equals that peer's within the
    tolerance (with ``rtol`` as :func:`numpy.allclose` does, the peer's
    output the reference: ``|ours - peer| <= atol + rtol * |peer|``). ``--tiny``
    runs ``tiny_n`` images; ``max_repeat`` caps the rounds of slow steps.
    """

    name: str
    size: str
    n: int
    data: Callable
    ours: Callable
    peers: dict
    target: tuple = None
    check: tuple = None
    peer_n: dict = field(default_factory=dict)
    check_n: int = 16
    tiny_n: int = 32
    max_repeat: int = None
    note: str = ""


def _need(module, what):
    if module is None:
        raise Unavailable(f"missing: {what}")
    return module


def _skimgprep(name):
    try:
        return getattr(skimgprep, name)
    except AttributeError:
        raise Unavailable(f"skimgprep.{name} not available") from None


def _stack(func):
    """A per-image loop of ``func``, stacked."""
    return lambda images, *rest: np.stack([func(image) for image in images])


# HOG ----------------------------------------------------------------------


def _hog_ours(params, **kwargs):
    def build():
        hog = _skimgprep("HOGExtractor")(**params, **kwargs)
        return lambda images: hog.fit_transform(images)

    return build


def _hog_skimage(params):
    def build():
        from skimage.feature import hog

        return _stack(lambda image: hog(image, **params))

    return build


def _hog_opencv(shape, params):
    def build():
        descriptor = _need(common.opencv_hog(shape, params), "opencv-python-headless<5")
        return _stack(lambda image: descriptor.compute(image).ravel())

    return build


def hog_workload(name, size, shape, params, n, skimage_n):
    return Workload(
        name=name,
        size=size,
        n=n,
        data=lambda n: (common.gray_images(n, shape),),
        ours=_hog_ours(params),
        peers={
            "skimage loop": _hog_skimage(params),
            "opencv": _hog_opencv(shape, params),
        },
        peer_n={"skimage loop": skimage_n},
        target=("opencv", 0.5),
        check=("skimage loop", 1e-6),
        note="uint8 images; OpenCV's features differ (vote interpolation): speed only",
    )


# Augmenter ----------------------------------------------------------------


def _augment_data(shape, colour):
    def make(n):
        images = (common.colour_images if colour else common.gray_images)(n, shape)
        return images, np.zeros(n, dtype=int)

    return make


def _augment_ours(**kwargs):
    def build():
        augmenter = _skimgprep("Augmenter")(**common.AUGMENT, random_state=0, **kwargs)
        # The throughput counts augmented copies: n per call.
        return lambda images, y: augmenter.fit_resample(images, y)[0][len(images) :]

    return build


def _augment_albumentations():
    compose = _need(common.albumentations_compose(), "albumentations>=1.4")
    return lambda images, y: np.stack([compose(image=image)["image"] for image in images])


def augment_workload(name, shape, colour, n, target, peer_n):
    return Workload(
        name=name,
        size=f"{shape[0]}x{shape[1]}" + ("x3" if colour else ""),
        n=n,
        data=_augment_data(shape, colour),
        ours=_augment_ours(),
        peers={
            "skimage loop": lambda: lambda images, y: common.skimage_augment(images),
            "albumentations": _augment_albumentations,
        },
        peer_n=peer_n,
        target=("albumentations", target),
        note="uint8; flip p=0.5, rotate+zoom+shift and brightness+contrast always",
    )


# Denoiser -------------------------------------------------------------------

def _denoise_data(n):
    return (common.denoise_images(n),)


def _denoise_ours(method):
    def build():
        denoiser = _skimgprep("Denoiser")(
            method=method, strength=common.DENOISE_STRENGTH[method]
        )
        return lambda images: denoiser.fit_transform(images)

    return build


def _opencv_denoiser(method):
    def build():
        return _stack(_need(common.opencv_denoiser(method), "opencv-python-headless<5"))

    return build


def denoise_workload(method, n, skimage_n=None):
    peers = {"skimage loop": lambda: _stack(common.skimage_denoiser(method))}
    if method in ("gaussian", "median"):
        peers["opencv"] = _opencv_denoiser(method)
    return Workload(
        name=f"denoise-{method}",
        size="128x128x3",
        n=n,
        data=_denoise_data,
        ours=_denoise_ours(method),
        peers=peers,
        peer_n={"skimage loop": skimage_n} if skimage_n else {},
        target=("opencv", 1.0) if method == "gaussian" else ("skimage loop", 3.0),
        check=("skimage loop", 1e-6 if method in ("gaussian", "median") else 1e-5),
        check_n=min(n, 8),
        note="float32 in [0, 1], noise sigma 0.05; strength "
        f"{common.DENOISE_STRENGTH[method]}"
        + ("; OpenCV's 3x3 square is not disk(1): speed only" if method == "median" else ""),
    )


# ContrastEnhancer (CLAHE) ---------------------------------------------------------


def _clahe_ours():
    enhancer = _skimgprep("ContrastEnhancer")(method="clahe")
    return lambda images: enhancer.fit_transform(images)


def _clahe_opencv():
    _need(cv2, "opencv-python-headless<5")
    # scikit-image's default kernel is 1/8 of the image: an 8x8 tile grid.
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return _stack(clahe.apply)


def _clahe_skimage():
    from skimage.exposure import equalize_adapthist

    return _stack(equalize_adapthist)


# PixelScaler --------------------------------------------------------------------


def _scaler(**params):
    def build():
        scaler = _skimgprep("PixelScaler")(**params)
        return lambda images: scaler.fit_transform(images)

    return build


def _img_as_float32():
    from skimage.util import img_as_float32

    return _stack(img_as_float32)


def scaler_workload(method, n):
    peers = {"numpy astype": lambda: lambda images: images.astype(np.float32)}
    if method == "range":
        peers["skimage loop"] = _img_as_float32
    return Workload(
        name=f"pixelscaler-{method}",
        size="64x64",
        n=n,
        data=lambda n: (common.gray_images(n, (64, 64)),),
        ours=_scaler(method=method),
        peers=peers,
        target=("numpy astype", 0.5),
        check=("skimage loop", 0.0) if method == "range" else None,
        note="uint8 to float32; fit_transform"
        + ("" if method == "minmax" else f", method={method!r}")
        + (" (the default)" if method == "minmax" else ""),
    )


# samplers ---------------------------------------------------------------------------


def _sampler_data(n):
    return common.float_images(n, (28, 28)), common.labels(n)


def _smote_ours():
    balancer = _skimgprep("SMOTEBalancer")(random_state=0)
    return lambda images, y: balancer.fit_resample(images, y)[0]


def _smote_imblearn():
    from imblearn.over_sampling import SMOTE

    def run(images, y):
        smote = SMOTE(random_state=np.random.RandomState(0))
        rows, _ = smote.fit_resample(images.reshape(len(images), -1), y)
        return rows.reshape((-1,) + images.shape[1:])

    return run


def _outliers_ours():
    outliers = _skimgprep("OutlierFilter")(random_state=0)
    return lambda images, y: outliers.fit_resample(images, y)[0]


def _outliers_sklearn():
    from sklearn.ensemble import IsolationForest

    def run(images, y):
        rows = images.reshape(len(images), -1)
        return images[IsolationForest(random_state=0).fit_predict(rows) == 1]

    return run


# texture features and histogram matching ------------------------------------------------

#: LBPExtractor's parameters in the comparison.
LBP = dict(n_points=8, radius=1, method="uniform", grid=(2, 2))
#: GLCMExtractor's grey levels (its other parameters are the defaults).
GLCM_LEVELS = 32
#: GaborExtractor's parameters in the comparison.
GABOR = dict(frequencies=(0.1, 0.25), n_orientations=4)


def _extractor(name, **params):
    def build():
        step = _skimgprep(name)(**params)
        return lambda images: step.fit_transform(images)

    return build


def _lbp_skimage():
    """local_binary_pattern, then per cell (np.array_split) np.histogram
    with density=True (counts / cell size: bins of width 1); float32 as
    LBPExtractor returns for float32 images."""
    from skimage.feature import local_binary_pattern

    P, R, method, (g_r, g_c) = LBP["n_points"], LBP["radius"], LBP["method"], LBP["grid"]
    n_bins = P + 2  # "uniform"

    def one(image):
        codes = local_binary_pattern(image, P, R, method)
        return np.concatenate([
            np.histogram(cell, bins=n_bins, range=(0, n_bins), density=True)[0]
            for band in np.array_split(codes, g_r, axis=0)
            for cell in np.array_split(band, g_c, axis=1)
        ])

    return lambda images: np.stack([one(image) for image in images]).astype(np.float32)


def _glcm_skimage():
    """graycomatrix + graycoprops per image, on the image quantised as
    GLCMExtractor documents for uint8: ``image * levels // 256``."""
    from skimage.feature import graycomatrix, graycoprops

    defaults = _skimgprep("GLCMExtractor")()
    levels = GLCM_LEVELS

    def one(image):
        q = (image.astype(np.uint16) * levels // 256).astype(np.uint8)
        P = graycomatrix(q, defaults.distances, defaults.angles, levels=levels,
                         symmetric=defaults.symmetric, normed=True)
        return np.concatenate([graycoprops(P, p).ravel() for p in defaults.properties])

    return _stack(one)


def _gabor_skimage():
    """skimage.filters.gabor per image, frequency and orientation; mean and
    variance of the magnitude (in float64, as the tests take it)."""
    from skimage.filters import gabor

    n_orientations = GABOR["n_orientations"]

    def one(image):
        row = []
        for f in GABOR["frequencies"]:
            for k in range(n_orientations):
                real, imag = gabor(image, f, theta=k * np.pi / n_orientations)
                magnitude = np.sqrt(real.astype(np.float64) ** 2 + imag.astype(np.float64) ** 2)
                row += [magnitude.mean(), magnitude.var()]
        return np.array(row)

    return _stack(one)


def _matching_reference():
    """The reference of the histogram-matching workload: one 128x128 crop of
    astronaut, at another position than the batch's."""
    return common.colour_images(1, (128, 128), seed=1)[0]


def _matching_skimage():
    """match_histograms(image, reference, channel_axis=-1) per image: the
    usual call. For uint8 images scikit-image returns uint8 (its float64
    values truncated): speed only."""
    from skimage.exposure import match_histograms

    reference = _matching_reference()
    return _stack(lambda image: match_histograms(image, reference, channel_axis=-1))


def _matching_skimage_channels():
    """match_histograms per image and channel on the uint8 channels (its
    8-bit path), float64, rounded to float32 as HistogramMatcher returns for
    uint8 images: equal output (tests/test_domain.py compares so)."""
    from skimage.exposure import match_histograms

    reference = _matching_reference()

    def one(image):
        return np.stack(
            [match_histograms(image[..., k], reference[..., k]) for k in range(3)], axis=-1
        )

    return lambda images: np.stack([one(image) for image in images]).astype(np.float32)


def feature_workloads():
    """The texture extractors and the histogram matcher against scikit-image
    loops: equal output, no target."""
    return [
        Workload(
            name="lbp",
            size="64x64",
            n=2_000,
            data=lambda n: (common.float_images(n, (64, 64)),),
            ours=_extractor("LBPExtractor", **LBP),
            peers={"skimage loop": _lbp_skimage},
            peer_n={"skimage loop": 500},
            check=("skimage loop", 0.0),
            note="float32 grey; P=8, R=1, uniform, 2x2 cells; histograms equal exactly",
        ),
        Workload(
            name="glcm",
            size="64x64",
            n=2_000,
            data=lambda n: (common.gray_images(n, (64, 64)),),
            ours=_extractor("GLCMExtractor", levels=GLCM_LEVELS),
            peers={"skimage loop": _glcm_skimage},
            peer_n={"skimage loop": 300},
            check=("skimage loop", 1e-7, 1e-6),
            note="uint8; 32 levels, distance 1, 4 angles, 6 properties; float32 out",
        ),
        Workload(
            name="gabor",
            size="64x64",
            n=200,
            tiny_n=8,
            data=lambda n: (common.float_images(n, (64, 64)),),
            ours=_extractor("GaborExtractor", **GABOR),
            peers={"skimage loop": _gabor_skimage},
            peer_n={"skimage loop": 20},
            check=("skimage loop", 0.0, 1e-6),
            check_n=8,
            note="float32 grey; frequencies 0.1 and 0.25, 4 orientations; float32 out",
        ),
        Workload(
            name="histogram-matching",
            size="128x128x3",
            n=500,
            data=lambda n: (common.colour_images(n, (128, 128)),),
            ours=_extractor("HistogramMatcher", reference=_matching_reference()),
            peers={
                "skimage loop": _matching_skimage,
                "skimage loop per channel": _matching_skimage_channels,
            },
            peer_n={"skimage loop": 200, "skimage loop per channel": 200},
            check=("skimage loop per channel", 0.0),
            note="uint8, one 128x128x3 reference; float32 out; skimage's "
            "channel_axis=-1 call returns uint8 (truncated): speed only",
        ),
    ]


# parallel -------------------------------------------------------------------------------


def parallel_workload(name, base, n_jobs=2):
    """``base`` with ``n_jobs`` against itself with ``n_jobs=1``."""
    return Workload(
        name=name,
        size=base.size,
        n=base.n,
        data=base.data,
        ours=base.peers[f"n_jobs={n_jobs}"],
        peers={"n_jobs=1": base.peers["n_jobs=1"]},
        target=("n_jobs=1", 1.6),
        check=("n_jobs=1", 0.0),
        check_n=base.n,
        note=f"n_jobs={n_jobs} against n_jobs=1; identical output",
    )


def workloads():
    """Every workload, in table order."""
    hog_28 = hog_workload("hog-28", "28x28", (28, 28), common.HOG_28, 20_000, 1_000)
    aug_28 = augment_workload(
        "augment-28", (28, 28), False, 20_000, 10.0,
        {"albumentations": 5_000, "skimage loop": 1_000},
    )
    clahe = Workload(
        name="clahe",
        size="128x128",
        n=1_000,
        data=lambda n: (common.gray_images(n, (128, 128)),),
        ours=_clahe_ours,
        peers={"skimage loop": _clahe_skimage, "opencv": _clahe_opencv},
        peer_n={"skimage loop": 100},
        target=("skimage loop", 5.0),
        check=("skimage loop", 1e-6),
        note="uint8; ContrastEnhancer(method='clahe') defaults against "
        "equalize_adapthist defaults; OpenCV's clip differs: speed only",
    )
    parallel = [
        Workload(
            name="parallel-hog-28", size="28x28", n=20_000, data=hog_28.data,
            ours=None, peers={
                "n_jobs=2": _hog_ours(common.HOG_28, n_jobs=2),
                "n_jobs=1": _hog_ours(common.HOG_28, n_jobs=1),
            },
        ),
        Workload(
            name="parallel-augment-28", size="28x28", n=20_000, data=aug_28.data,
            ours=None, peers={
                "n_jobs=2": _augment_ours(n_jobs=2),
                "n_jobs=1": _augment_ours(n_jobs=1),
            },
        ),
    ]
    return [
        hog_28,
        hog_workload(
            "hog-64x128", "64x128 (w x h)", (128, 64), common.HOG_64x128, 2_000, 200
        ),
        aug_28,
        augment_workload(
            "augment-128x128x3", (128, 128), True, 1_000, 1.5,
            {"albumentations": 1_000, "skimage loop": 100},
        ),
        denoise_workload("gaussian", 1_000, 200),
        denoise_workload("median", 400, 100),
        denoise_workload("bilateral", 8),
        denoise_workload("nl_means", 8),
        denoise_workload("tv", 64),
        denoise_workload("wavelet", 64),
        clahe,
        *feature_workloads(),
        scaler_workload("minmax", 20_000),
        scaler_workload("range", 20_000),
        scaler_workload("standard", 20_000),
        Workload(
            name="smote",
            size="28x28",
            n=60_000,
            tiny_n=600,
            max_repeat=3,
            data=_sampler_data,
            ours=_smote_ours,
            peers={"imblearn SMOTE (rows)": _smote_imblearn},
            check=("imblearn SMOTE (rows)", 0.0),
            check_n=60_000,
            note="float32; 10 classes, one with 0.6x the others' images",
        ),
        Workload(
            name="outliers",
            size="28x28",
            n=60_000,
            tiny_n=600,
            max_repeat=3,
            data=_sampler_data,
            ours=_outliers_ours,
            peers={"sklearn IsolationForest (rows)": _outliers_sklearn},
            check=("sklearn IsolationForest (rows)", 0.0),
            check_n=60_000,
            note="float32; 100 trees",
        ),
    ] + [parallel_workload(w.name, w) for w in parallel]


# --- timing -------------------------------------------------------------------------------


def _subset(args, m):
    return tuple(a[:m] for a in args)


def _max_diff(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return np.inf
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def _max_rel_diff(a, b):
    """The largest ``|a - b| / |b|`` where ``b`` is not 0 (inf for other shapes)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return np.inf
    nonzero = b != 0
    if not nonzero.any():
        return 0.0
    return float(np.max(np.abs(a[nonzero] - b[nonzero]) / np.abs(b[nonzero])))


def _close(a, b, atol, rtol):
    """``|a - b| <= atol + rtol * |b|`` everywhere (``b``: the peer's output)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def run_workload(w, n, repeat):
    """Time ``w`` on ``n`` images; return its table record."""
    record = {
        "workload": w.name,
        "size": w.size,
        "n": n,
        "note": w.note,
        "target": None if w.target is None else {"peer": w.target[0], "ratio": w.target[1]},
        "ours": None,
        "peers": {},
        "check": None,
        "result": "-",
    }
    args = w.data(n)
    contenders = {}
    try:
        contenders["skimgprep"] = (w.ours(), args, n)
    except Unavailable as exc:
        record["ours"] = {"status": str(exc)}
        record["result"] = "n/a"
        return record
    for name, build in w.peers.items():
        try:
            m = min(n, w.peer_n.get(name, n))
            contenders[name] = (build(), _subset(args, m), m)
        except Unavailable as exc:
            record["peers"][name] = {"status": str(exc)}

    # Warm-up (imports, compilation, caches), then the check on a subset.
    outputs = {}
    check_n = min(n, w.check_n)
    for name, (func, _, _) in contenders.items():
        checked = w.check and name in ("skimgprep", w.check[0])
        out = func(*_subset(args, check_n if checked else min(n, 8)))
        outputs[name] = out
    if w.check and w.check[0] in contenders:
        ours, peer = outputs["skimgprep"], outputs[w.check[0]]
        diff = _max_diff(ours, peer)
        record["check"] = {
            "peer": w.check[0],
            "n": check_n,
            "max_abs_diff": diff,
            "tolerance": w.check[1],
            "ok": bool(diff <= w.check[1]),
        }
        if len(w.check) > 2:  # (peer, atol, rtol)
            atol, rtol = w.check[1], w.check[2]
            record["check"].update(
                rtol=rtol,
                max_rel_diff=_max_rel_diff(ours, peer),
                ok=_close(ours, peer, atol, rtol),
            )
    del outputs

    times = {name: [] for name in contenders}
    order = list(contenders)
    for r in range(repeat):
        for name in order[r % len(order) :] + order[: r % len(order)]:
            func, a, _ = contenders[name]
            gc.collect()
            start = time.perf_counter()
            func(*a)
            times[name].append(time.perf_counter() - start)
    rates = {name: contenders[name][2] / min(t) for name, t in times.items()}
    medians = {name: contenders[name][2] / float(np.median(t)) for name, t in times.items()}
    record["ours"] = {
        "images_per_s": rates["skimgprep"],
        "median_images_per_s": medians["skimgprep"],
    }
    for name in contenders:
        if name == "skimgprep":
            continue
        record["peers"][name] = {
            "images_per_s": rates[name],
            "median_images_per_s": medians[name],
            "n": contenders[name][2],
            "ratio": rates["skimgprep"] / rates[name],
        }
    if w.target is not None:
        peer = record["peers"].get(w.target[0], {})
        if "ratio" not in peer:
            record["result"] = "n/a"
        else:
            ok = peer["ratio"] >= w.target[1]
            if record["check"] is not None:
                ok = ok and record["check"]["ok"]
            record["result"] = "PASS" if ok else "FAIL"
    elif record["check"] is not None:
        record["result"] = "PASS" if record["check"]["ok"] else "FAIL"
    return record


# --- memory ----------------------------------------------------------------------------------


def _memory_steps():
    """name -> (call(images, y) -> outputs), on float32 28x28 images."""
    sk = skimgprep
    return {
        "PixelScaler": lambda X, y: sk.PixelScaler().fit_transform(X),
        "PixelScaler standard": lambda X, y: sk.PixelScaler(method="standard").fit_transform(X),
        "Denoiser gaussian": lambda X, y: sk.Denoiser(method="gaussian").fit_transform(X),
        "HOGExtractor": lambda X, y: sk.HOGExtractor(**common.HOG_28).fit_transform(X),
        "Augmenter": lambda X, y: sk.Augmenter(**common.AUGMENT, random_state=0).fit_resample(X, y),
        "PCAReducer": lambda X, y: sk.PCAReducer(n_components=50).fit_transform(X),
        "OutlierFilter": lambda X, y: sk.OutlierFilter(random_state=0).fit_resample(X, y),
        "SMOTEBalancer": lambda X, y: sk.SMOTEBalancer(random_state=0).fit_resample(X, y),
        "Flattener": lambda X, y: sk.Flattener().fit_transform(X),
    }


def _rss():
    """(current, peak) resident set size in bytes, from /proc/self/status."""
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) * 1024
    return values["VmRSS"], values["VmHWM"]


def _reset_peak():
    """Reset the kernel's peak RSS to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure_memory(step, n):
    """Run in a fresh process: the peak memory of one step on ``n`` images."""
    import resource

    if not os.path.exists("/proc/self/status"):
        raise SystemExit("the memory section reads /proc/self/status: Linux only")
    call = _memory_steps()[step]
    # Warm-up on a small batch: lazy imports, numba compilation, joblib.
    X_small, y_small = _sampler_data(600)
    call(X_small, y_small)
    del X_small, y_small
    gc.collect()
    rss0, _ = _rss()  # imports and code, no data
    X, y = _sampler_data(n)
    gc.collect()
    reset = _reset_peak()
    rss_data, _ = _rss()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    out = call(X, y)
    seconds = time.perf_counter() - start
    _, hwm = _rss()
    peak = hwm if reset else max(hwm, maxrss_before)
    arrays = out if isinstance(out, tuple) else (out,)
    output = sum(
        a.nbytes for a in arrays if isinstance(a, np.ndarray) and not np.may_share_memory(a, X)
    )
    return {
        "step": step,
        "n": n,
        "input_bytes": X.nbytes + y.nbytes,
        "output_bytes": int(output),
        "peak_bytes": int(peak - rss0),
        "extra_bytes": int(peak - rss_data),
        "seconds": seconds,
        "method": "VmHWM reset by clear_refs" if reset else "ru_maxrss (no reset)",
    }


def run_memory(steps, n, one_process):
    """Each step in a fresh subprocess (or all in one, for --tiny)."""
    records = []
    batches = [steps] if one_process else [[s] for s in steps]
    for batch in batches:
        cmd = [sys.executable, os.path.abspath(__file__), "--memory-step", ",".join(batch),
               "--n", str(n)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or len(lines) != len(batch):
            for step in batch[len(lines):]:
                records.append({"step": step, "n": n, "error": proc.stderr.strip()[-500:]})
        for line in lines:
            records.append(json.loads(line))
    for r in records:
        if "error" in r:
            r["result"] = "ERROR"
            continue
        r["limit_bytes"] = r["input_bytes"] + r["output_bytes"] + 256 * MiB
        r["over_bytes"] = r["peak_bytes"] - r["limit_bytes"]
        r["result"] = "PASS" if r["over_bytes"] <= 0 else "FAIL"
    return records


# --- the tables --------------------------------------------------------------------------------


def _rate(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def throughput_table(records):
    lines = [
        "| workload | size | n | skimgprep img/s | peer | peer img/s | ratio | target "
        "| equal output | result |",
        "|---|---|---:|---:|---|---:|---:|---|---|---|",
    ]
    for r in records:
        ours = r["ours"] or {}
        first = [r["workload"], r["size"], str(r["n"]),
                 _rate(ours["images_per_s"]) if "images_per_s" in ours else ours.get("status", "")]
        peers = r["peers"] or {"-": {}}
        for k, (name, p) in enumerate(peers.items()):
            target = check = result = ""
            if r["target"] and r["target"]["peer"] == name:
                target = f">= {r['target']['ratio']:g}"
                result = r["result"]
            c = r["check"]
            if c and c["peer"] == name:
                verdict = "yes" if c["ok"] else "NO"
                check = f"{verdict} ({c['max_abs_diff']:.1e} <= {c['tolerance']:g})"
                if "rtol" in c:
                    check = f"{verdict} (rel {c['max_rel_diff']:.1e} <= {c['rtol']:g}" + (
                        f", atol {c['tolerance']:g})" if c["tolerance"] else ")"
                    )
                if not r["target"]:
                    result = r["result"]
            if "images_per_s" in p:
                rate = _rate(p["images_per_s"])
                if p["n"] != r["n"]:
                    rate += f" (n={p['n']})"
                ratio = f"{p['ratio']:.2f}"
            else:
                rate, ratio = p.get("status", ""), ""
                if target:
                    result = r["result"]
            cells = (first if k == 0 else [""] * 4) + [name, rate, ratio, target, check, result]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def memory_table(records):
    lines = [
        "| step | n | input MiB | output MiB | peak MiB | limit MiB | over by MiB | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in records:
        if "error" in r:
            reason = r["error"].splitlines()[-1] if r["error"] else ""
            lines.append(f"| {r['step']} | {r['n']} | | | | | | ERROR: {reason} |")
            continue
        over = r["over_bytes"] / MiB
        cells = [r["step"], str(r["n"])] + [
            f"{r[key] / MiB:.0f}"
            for key in ("input_bytes", "output_bytes", "peak_bytes", "limit_bytes")
        ] + [f"{over:.0f}" if over > 0 else "-", r["result"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine():
    packages = {}
    for name in ("skimgprep", "numpy", "scipy", "scikit-learn", "scikit-image",
                 "imbalanced-learn", "numba", "opencv-python-headless", "albumentations"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true",
                        help="tiny batches, one round: checks the script runs (exit 0)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only workloads (and memory steps) whose name contains NAME "
                        "(repeatable); 'memory' selects the memory section alone")
    parser.add_argument("--n", type=int, help="images per workload (overrides each one's n)")
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds per workload")
    parser.add_argument("--memory-n", type=int, default=60_000,
                        help="images for the memory section")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory section")
    parser.add_argument("--json", metavar="PATH", help="write the tables to PATH as JSON")
    parser.add_argument("--memory-step", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.memory_step:  # the subprocess of one memory measurement
        single_thread()
        for step in args.memory_step.split(","):
            print(json.dumps(measure_memory(step, args.n)), flush=True)
        return 0

    single_thread()
    warnings.simplefilter("ignore")  # peers' deprecation chatter
    load_before = os.getloadavg()  # other work on the machine skews the numbers
    only = [s.lower() for s in args.only]
    memory_only = only == ["memory"]
    repeat = 1 if args.tiny else args.repeat
    records = []
    started = time.perf_counter()
    for w in workloads():
        if memory_only or (only and not any(s in w.name for s in only)):
            continue
        n = args.n or (min(w.n, w.tiny_n) if args.tiny else w.n)
        t0 = time.perf_counter()
        record = run_workload(w, n, min(repeat, w.max_repeat or repeat))
        record["seconds"] = time.perf_counter() - t0
        records.append(record)
        print(f"  {w.name}: {record['seconds']:.1f} s", file=sys.stderr, flush=True)

    memory = []
    if not args.no_memory:
        steps = [s for s in _memory_steps()
                 if memory_only or not only or "memory" in only
                 or any(o in s.lower() for o in only)]
        n = min(args.memory_n, 2_000) if args.tiny else args.memory_n
        memory = run_memory(steps, n, one_process=args.tiny)

    meta = machine()
    meta.update(
        tiny=args.tiny,
        repeat=repeat,
        seconds=time.perf_counter() - started,
        load_average=[round(load_before[0], 2), round(os.getloadavg()[0], 2)],
    )
    print(f"skimgprep benchmarks, {meta['date']}; {meta['cpu']}, {meta['cores']} cores "
          f"(1-minute load average {meta['load_average'][0]} before, "
          f"{meta['load_average'][1]} after); Python {meta['python']}; " + ", ".join(
              f"{k} {v}" for k, v in meta["packages"].items() if v))
    if records:
        print("\nThroughput (images/s, best of "
              f"{repeat}; ratio = skimgprep / peer; one thread unless n_jobs says otherwise)\n")
        print(throughput_table(records))
    if memory:
        print("\nPeak memory (RSS above the process after imports; limit = input + output + "
              "256 MiB)\n")
        print(memory_table(memory))
    print(f"\n{meta['seconds']:.0f} s in all.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "throughput": records, "memory": memory}, f, indent=2,
                      default=float)
    errors = [r["step"] for r in memory if r["result"] == "ERROR"]
    if errors:  # a step that crashed: the script is broken, tiny or not
        print("Memory measurements failed: " + ", ".join(errors))
        return 2
    failed = [r["workload"] for r in records if r["result"] == "FAIL"]
    failed += [r["step"] for r in memory if r["result"] == "FAIL"]
    if args.tiny:
        print("Tiny batches (--tiny): the script and every peer ran; the ratios "
              "measure start-up costs, not speed, so no target is judged.")
        return 0
    if failed:
        print("Targets missed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
