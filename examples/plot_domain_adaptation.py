"""
Domain adaptation: darker, colour-cast and noisier test images
==============================================================

A classifier is trained on images of one domain and tested on images of
another: the digits of scikit-learn's ``load_digits`` (upscaled to 16x16)
are drawn in blue ink on cream paper, as by one scanner (the *source*),
and half of them train the classifier. The other half is the test set, as
it is (the source domain, for reference) and as by another scanner (the
*target*): darker (x 0.6) with a yellow cast (the green and blue channels
x 0.8 and x 0.55), noisier (Gaussian noise of standard deviation 0.08), or
both. The target's labels are never used; its images are, unlabelled.

Two feature sets, each followed by a standardisation and an RBF
:class:`sklearn.svm.SVC`: the pixels reduced by
:class:`skimgprep.PCAReducer` to 40 components, and
:class:`skimgprep.HOGExtractor`. The adapters:

* :class:`skimgprep.HistogramMatcher` (``reference=`` the source training
  images), first step of the pipeline: each image, source or target, is
  mapped channel by channel onto the source's pixel distribution;
* :class:`skimgprep.ColorTransfer` (same reference): each image is given
  the source's mean and standard deviation of L, a and b (CIE Lab);
* *standardised per domain*: the target's features are standardised with
  their own mean and spread instead of the source's (CORAL's first step:
  :class:`skimgprep.CORALAligner` aligns covariances, not means);
* :class:`skimgprep.CORALAligner` (``reference=`` the target's
  standardised features), a sampler in front of the SVC: the source's
  training features are re-coloured to the target's covariance, and the
  target's features reach the classifier unchanged.

The table gives the accuracy on the test images of each domain. The full
run prints::

    898 source training images, 899 test images per domain; accuracy
    features     adapter                    source  darker + cast  noisier  all three
    pixels, PCA  no adaptation              0.982   0.099          0.979    0.099
    pixels, PCA  HistogramMatcher           0.981   0.981          0.978    0.954
    pixels, PCA  ColorTransfer              0.982   0.960          0.974    0.954
    pixels, PCA  standardised per domain    0.983   0.983          0.982    0.974
    pixels, PCA  + CORALAligner             0.983   0.983          0.982    0.976
    HOG          no adaptation              0.987   0.987          0.776    0.423
    HOG          HistogramMatcher           0.983   0.983          0.923    0.567
    HOG          ColorTransfer              0.986   0.987          0.889    0.543
    HOG          standardised per domain    0.987   0.987          0.967    0.794
    HOG          + CORALAligner             0.987   0.987          0.963    0.841

On pixels, the darker, colour-cast images break the classifier (it calls
every one of them a 7) and every adapter repairs them; the noise alone hardly matters
(the principal components average it out). HOG is blind to brightness and
colour (its blocks are normalised) but not to the noise, which adds
gradients everywhere. The image adapters remove part of it (histogram
matching sends most of the noisy paper back to the paper's colour);
standardising the features per domain recovers most of the accuracy, and
aligning their covariances with CORAL adds to it when the images are both
darker and noisier. The figure shows source and target digits, the target
digits adapted by :class:`skimgprep.HistogramMatcher` and
:class:`skimgprep.ColorTransfer`, and the spectrum of the standardised HOG
features' covariance: CORAL moves the source's towards the target's.

Run ``python examples/plot_domain_adaptation.py --help`` for the options.
"""

import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import ndimage  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from skimgprep import (  # noqa: E402
    ColorTransfer,
    CORALAligner,
    Flattener,
    HistogramMatcher,
    HOGExtractor,
    PCAReducer,
)
from skimgprep.pipeline import make_pipeline  # noqa: E402

PAPER = np.array([0.93, 0.91, 0.86])  # cream
INK = np.array([0.10, 0.15, 0.45])  # blue
DARKER = 0.6
CAST = np.array([1.0, 0.8, 0.55])  # yellow: less green, much less blue
NOISE = 0.08


def domains(n_digits=None, random_state=0):
    """Source training images and labels, test images per domain and labels."""
    digits = load_digits()
    ink = ndimage.zoom(digits.images[:n_digits] / 16, (1, 2, 2), order=1).clip(0, 1)
    y = digits.target[:n_digits]
    source = ((1 - ink[..., None]) * PAPER + ink[..., None] * INK).astype(np.float32)
    train, test = train_test_split(
        np.arange(len(y)), test_size=0.5, stratify=y, random_state=random_state
    )
    rng = np.random.default_rng(random_state)
    clean = source[test]
    noise = rng.normal(0, NOISE, clean.shape)
    tests = {
        "source": clean,
        "darker + cast": clean * DARKER * CAST,
        "noisier": clean + noise,
        "all three": clean * DARKER * CAST + noise,
    }
    tests = {name: images.clip(0, 1).astype(np.float32) for name, images in tests.items()}
    return source[train], y[train], tests, y[test]


FEATURES = {
    "pixels, PCA": lambda: [Flattener(), PCAReducer(n_components=40, random_state=0)],
    "HOG": lambda: [HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2))],
}


def standardise(F):
    return StandardScaler().fit_transform(F)


def evaluate(features, X_train, y_train, tests, y_test):
    """Accuracy of each adapter on each test domain: ``{adapter: {domain: acc}}``."""
    results = {}
    for name, adapter in [
        ("no adaptation", []),
        ("HistogramMatcher", [HistogramMatcher(reference=X_train)]),
        ("ColorTransfer", [ColorTransfer(reference=X_train)]),
    ]:
        model = make_pipeline(*adapter, *features(), StandardScaler(), SVC())
        model.fit(X_train, y_train)
        results[name] = {domain: model.score(X, y_test) for domain, X in tests.items()}

    # Feature-level adaptation: the feature steps are fitted on the source;
    # each domain's features are standardised with their own statistics.
    extractor = make_pipeline(*features()).fit(X_train)
    F_train = standardise(extractor.transform(X_train))
    results["standardised per domain"] = {}
    results["+ CORALAligner"] = {}
    for domain, X in tests.items():
        F_test = standardise(extractor.transform(X))
        for name, steps in [
            ("standardised per domain", []),
            ("+ CORALAligner", [CORALAligner(reference=F_test)]),
        ]:
            model = make_pipeline(*steps, SVC()).fit(F_train, y_train)
            results[name][domain] = model.score(F_test, y_test)
    return results


def plot(X_train, y_train, tests, path):
    """Source, target and adapted digits; HOG covariance spectra and CORAL."""
    shown = [0, 1, 2]
    target = tests["all three"][shown]
    adapted = {
        name: step.fit(X_train).transform(target)
        for name, step in [
            ("HistogramMatcher", HistogramMatcher(reference=X_train)),
            ("ColorTransfer", ColorTransfer(reference=X_train)),
        ]
    }
    columns = [
        ("source", tests["source"][shown]),
        ("target (all three)", target),
        *((f"target, {name}", images) for name, images in adapted.items()),
    ]
    mosaic = [[f"{c}{r}" for c in range(len(columns))] + ["coral"] for r in range(len(shown))]
    fig, axes = plt.subplot_mosaic(
        mosaic, figsize=(12, 4.6), width_ratios=[1] * len(columns) + [2.6]
    )
    for c, (title, images) in enumerate(columns):
        for r in range(len(shown)):
            ax = axes[f"{c}{r}"]
            ax.imshow(np.clip(images[r], 0, 1))
            ax.set_xticks([])
            ax.set_yticks([])
        axes[f"{c}0"].set_title(title.replace(", ", ",\n"), fontsize=9)

    extractor = make_pipeline(*FEATURES["HOG"]()).fit(X_train)
    F_source = standardise(extractor.transform(X_train))
    F_target = standardise(extractor.transform(tests["all three"]))
    F_aligned, _ = CORALAligner(reference=F_target).fit_resample(F_source, y_train)
    ax = axes["coral"]
    for F, label in [
        (F_source, "source"),
        (F_target, "target (all three)"),
        (F_aligned, "source after CORALAligner"),
    ]:
        eigenvalues = np.linalg.eigvalsh(np.cov(F, rowvar=False))[::-1]
        ax.semilogy(eigenvalues, label=label)
    ax.set_title("HOG features, standardised: covariance spectrum", fontsize=9)
    ax.set_xlabel("eigenvalue rank", fontsize=8)
    ax.set_ylabel("eigenvalue", fontsize=8)
    ax.set_ylim(1e-3, None)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=8)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=100)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Domain adaptation: histogram matching, colour transfer, CORAL."
    )
    parser.add_argument(
        "--output", default=None, help="save the figure to this file (default: do not save)"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="use the first 600 digits (seconds, for tests and docs)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()

    X_train, y_train, tests, y_test = domains(600 if args.small else None)
    results = {
        name: evaluate(features, X_train, y_train, tests, y_test)
        for name, features in FEATURES.items()
    }

    print(f"{len(y_train)} source training images, {len(y_test)} test images per domain; "
          "accuracy")
    print(f"{'features':<12} {'adapter':<26} " + "  ".join(tests))
    for features, rows in results.items():
        for adapter, scores in rows.items():
            cells = "  ".join(f"{scores[d]:<{len(d)}.3f}" for d in tests)
            print(f"{features:<12} {adapter:<26} {cells}".rstrip())
    plot(X_train, y_train, tests, args.output)
    if args.output:
        print(f"Figure saved to {args.output}")
    print(f"{time.perf_counter() - start:.1f} s")
    return results


if __name__ == "__main__":
    main()
