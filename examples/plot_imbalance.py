"""
A rare class: SMOTE, augmented copies or under-sampling, inside the pipeline
============================================================================

A detector of handwritten eights among the other digits of scikit-learn's
``load_digits`` (upscaled from 8x8 to 16x16), where the eights are rare:
85 of them are kept (drawn at random, with a fixed seed), 5% of the 1708
images. The features and the classifier are the same in every row
(:class:`skimgprep.PixelScaler`, :class:`skimgprep.HOGExtractor`, an RBF
:class:`sklearn.svm.SVC`); what changes is how the training images are
balanced:

* *no balancing*;
* *class weights*: ``SVC(class_weight="balanced")``, no new images;
* :class:`skimgprep.SMOTEBalancer`: synthetic eights interpolated between
  an eight and one of its 5 nearest eights;
* :class:`skimgprep.AugmentingOverSampler`: rotated, scaled, shifted and
  re-lit copies of the eights (``Augmenter(p_hflip=0.0)``: a mirrored digit
  is not the same digit);
* :class:`skimgprep.ImageResampler` with imbalanced-learn's
  ``RandomUnderSampler``: as many other digits as eights, drawn at random.

The samplers are steps of :class:`skimgprep.pipeline.Pipeline`, so they run
on the training folds only: every test fold keeps its 5% of real eights.
The table gives, over 5 stratified folds (the same for every row), the
balanced accuracy (the mean of the recalls of both classes), the recall of
the eights (the share of them found) and their precision (the share of
images called eights that are eights). The full run prints::

    1708 images, 85 eights (5.0%); PixelScaler + HOGExtractor + SVC, 5 folds
    balancing                 balanced accuracy  eights: recall  precision
    no balancing              0.882 +/- 0.042    0.765           1.000
    class weights             0.935 +/- 0.028    0.871           0.976
    SMOTEBalancer             0.970 +/- 0.001    0.941           0.976
    AugmentingOverSampler     0.980 +/- 0.015    0.965           0.912
    RandomUnderSampler        0.972 +/- 0.015    0.976           0.610

Without balancing the classifier misses a quarter of the eights. Each
balancing finds more of them; the augmented copies find the most at a small
cost in precision, and under-sampling, which trains on 136 images, finds as
many but calls many other digits eights. The figure shows the scores, and
eights with their augmented copies and SMOTE's synthetic eights.

Run ``python examples/plot_imbalance.py --help`` for the options.
"""

import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from imblearn.under_sampling import RandomUnderSampler  # noqa: E402
from scipy import ndimage  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_validate  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from skimgprep import (  # noqa: E402
    Augmenter,
    AugmentingOverSampler,
    HOGExtractor,
    ImageResampler,
    PixelScaler,
    SMOTEBalancer,
)
from skimgprep.pipeline import make_pipeline  # noqa: E402

MINORITY_DIGIT = 8
MINORITY_SHARE = 0.05
TICK_LABELS = {
    "no balancing": "no\nbalancing",
    "class weights": "class\nweights",
    "SMOTEBalancer": "SMOTE-\nBalancer",
    "AugmentingOverSampler": "Augmenting-\nOverSampler",
    "RandomUnderSampler": "RandomUnder-\nSampler",
}


def rare_eights(n_digits=None, random_state=0):
    """16x16 digits, eights (label 1) kept at ``MINORITY_SHARE`` of them.

    All the other digits (label 0) of the first ``n_digits`` are kept; eights
    are drawn at random among theirs.
    """
    digits = load_digits()
    images, target = digits.images[:n_digits], digits.target[:n_digits]
    others = np.flatnonzero(target != MINORITY_DIGIT)
    eights = np.flatnonzero(target == MINORITY_DIGIT)
    n_eights = round(MINORITY_SHARE / (1 - MINORITY_SHARE) * len(others))
    rng = np.random.default_rng(random_state)
    keep = np.sort(np.r_[others, rng.choice(eights, n_eights, replace=False)])
    X = ndimage.zoom(images[keep], (1, 2, 2), order=1)
    y = (target[keep] == MINORITY_DIGIT).astype(int)
    return X, y


def augmenter():
    return Augmenter(p_hflip=0.0)


def models():
    """The pipelines compared: ``{name: pipeline}``."""

    def features():
        return [PixelScaler(), HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2))]

    return {
        "no balancing": make_pipeline(*features(), SVC()),
        "class weights": make_pipeline(*features(), SVC(class_weight="balanced")),
        "SMOTEBalancer": make_pipeline(SMOTEBalancer(random_state=0), *features(), SVC()),
        "AugmentingOverSampler": make_pipeline(
            AugmentingOverSampler(augmenter=augmenter(), random_state=0), *features(), SVC()
        ),
        "RandomUnderSampler": make_pipeline(
            ImageResampler(sampler=RandomUnderSampler(random_state=0)), *features(), SVC()
        ),
    }


def plot(X, y, results, path):
    """Bars of the scores; eights, their augmented copies, SMOTE's eights."""
    fig = plt.figure(figsize=(12, 4.2))
    grid = fig.add_gridspec(3, 13, width_ratios=[1] * 6 + [0.3] + [1] * 6)
    ax = fig.add_subplot(grid[:, :6])
    names = list(results)
    metrics = [("balanced_accuracy", "balanced accuracy"), ("recall", "recall of the eights"),
               ("precision", "precision of the eights")]
    width = 0.8 / len(metrics)
    for k, (key, label) in enumerate(metrics):
        means = [results[name][key].mean() for name in names]
        errors = [results[name][key].std() for name in names]
        ax.bar(np.arange(len(names)) + (k - 1) * width, means, width, yerr=errors,
               label=label, capsize=2)
    ax.set_xticks(np.arange(len(names)), [TICK_LABELS[name] for name in names], fontsize=8)
    ax.set_ylim(0.4, 1.05)
    ax.set_ylabel("mean over 5 folds (error bar: std)", fontsize=9)
    ax.legend(fontsize=8, ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))

    sampler = AugmentingOverSampler(augmenter=augmenter(), random_state=0)
    X_aug, _ = sampler.fit_resample(X, y)
    X_smote, _ = SMOTEBalancer(random_state=0).fit_resample(X, y)
    shown = range(6)
    rows = [
        (X[sampler.source_indices_[list(shown)]], "eight"),
        (X_aug[len(X) + np.array(shown)], "augmented copy"),
        (X_smote[len(X) + np.array(shown)], "SMOTE"),
    ]
    for row, (images, label) in enumerate(rows):
        for column, image in enumerate(images):
            a = fig.add_subplot(grid[row, 7 + column])
            a.imshow(image, cmap="gray_r")
            a.set_xticks([])
            a.set_yticks([])
            if column == 0:
                a.set_ylabel(label, fontsize=8)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=100)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Balancing a rare class: SMOTE, augmented copies, under-sampling."
    )
    parser.add_argument(
        "--output", default=None, help="save the figure to this file (default: do not save)"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="use the first 900 digits (seconds, for tests and docs)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()

    X, y = rare_eights(900 if args.small else None)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    scoring = ["balanced_accuracy", "recall", "precision"]
    results = {}
    for name, model in models().items():
        scores = cross_validate(model, X, y, cv=cv, scoring=scoring)
        results[name] = {key: scores[f"test_{key}"] for key in scoring}

    print(f"{len(y)} images, {y.sum()} eights ({y.mean():.1%}); "
          "PixelScaler + HOGExtractor + SVC, 5 folds")
    print(f"{'balancing':<25} {'balanced accuracy':<18} {'eights: recall':<15} precision")
    for name, s in results.items():
        accuracy = f"{s['balanced_accuracy'].mean():.3f} +/- {s['balanced_accuracy'].std():.3f}"
        print(f"{name:<25} {accuracy:<18} {s['recall'].mean():<15.3f} "
              f"{s['precision'].mean():.3f}")
    plot(X, y, results, args.output)
    if args.output:
        print(f"Figure saved to {args.output}")
    print(f"{time.perf_counter() - start:.1f} s")
    return {
        name: {key: float(value.mean()) for key, value in s.items()}
        for name, s in results.items()
    }


if __name__ == "__main__":
    main()
