"""
Pictures of a fitted pipeline: steps, HOG cells, eigen-images, augmentations
============================================================================

:mod:`skimgprep.plotting` draws what the steps of a pipeline do, so that a
preprocessing choice can be looked at before it is scored. On the faces of
scikit-image's ``lfw_subset`` (100 faces and 100 non-faces, 25x25) a
pipeline of contrast enhancement, denoising, augmentation, HOG, PCA and an
SVC is fitted; then

* :func:`~skimgprep.plotting.plot_steps` shows each step's output on three
  images, side by side (the augmenter, a sampler, is skipped as it is at
  predict time, and the row ends with the first feature vectors);
* :func:`~skimgprep.plotting.plot_hog` shows the HOG cells of one face;
* :func:`~skimgprep.plotting.plot_eigenimages` shows the leading principal
  components of the raw faces as images;
* :func:`~skimgprep.plotting.plot_augmentations` shows augmented copies of
  one face, as the augmenter draws them in ``fit``.

The table printed gives the cross-validated accuracy of the pipeline and the
share of the variance the plotted components explain. The full run prints::

    pipeline                                                   accuracy (5-fold)
    ContrastEnhancer > Denoiser > Augmenter > HOG > PCA > SVC  0.950 +/- 0.035
    eigen-images: the first 8 components explain 85.1% of the variance

Run ``python examples/plot_pipeline_pictures.py --help`` for the options.
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from skimage import data  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

from skimgprep import (  # noqa: E402
    Augmenter,
    ContrastEnhancer,
    Denoiser,
    HOGExtractor,
    PCAReducer,
)
from skimgprep.pipeline import make_pipeline  # noqa: E402
from skimgprep.plotting import (  # noqa: E402
    plot_augmentations,
    plot_eigenimages,
    plot_hog,
    plot_steps,
)


def build_pipeline():
    """Contrast, denoising, augmentation, HOG, PCA and an SVC."""
    return make_pipeline(
        ContrastEnhancer(method="equalize"),
        Denoiser(method="gaussian", strength=0.5),
        Augmenter(p_hflip=0.5, rotation_range=(-10, 10), random_state=0),
        HOGExtractor(pixels_per_cell=(5, 5), cells_per_block=(2, 2)),
        PCAReducer(n_components=20, random_state=0),
        SVC(),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description="Pictures of a fitted pipeline.")
    parser.add_argument(
        "--output",
        default=None,
        help="save the figures to OUTPUT with _steps, _hog, _eigen and _augment "
        "before the extension (default: do not save)",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="3-fold cross-validation instead of 5 (for tests and docs)",
    )
    args = parser.parse_args(argv)

    X = data.lfw_subset()  # (200, 25, 25) float64 in [0, 1]
    y = np.r_[np.ones(100, dtype=int), np.zeros(100, dtype=int)]  # faces first
    folds = 3 if args.small else 5
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)
    scores = cross_val_score(build_pipeline(), X, y, cv=cv)
    pipe = build_pipeline().fit(X, y)
    pca = PCAReducer(n_components=8, random_state=0).fit(X)
    explained = float(pca.explained_variance_ratio_.sum())

    figures = {
        "steps": plot_steps(pipe, X[[0, 1, 150]]),
        "hog": plot_hog(pipe.named_steps["hogextractor"], X[0]),
        "eigen": plot_eigenimages(pca, n_components=8, show_mean=True),
        "augment": plot_augmentations(pipe.named_steps["augmenter"], X[0], n=8),
    }
    print(f"{'pipeline':<58} accuracy ({folds}-fold)")
    print(f"{'ContrastEnhancer > Denoiser > Augmenter > HOG > PCA > SVC':<58} "
          f"{scores.mean():.3f} +/- {scores.std():.3f}")
    print(f"eigen-images: the first 8 components explain {100 * explained:.1f}% "
          "of the variance")
    if args.output:
        stem, dot, ext = args.output.rpartition(".")
        if not dot:
            stem, ext = args.output, "png"
        for name, fig in figures.items():
            fig.savefig(f"{stem}_{name}.{ext}", dpi=90)
    return {"accuracy": scores, "explained": explained, "figures": figures}


if __name__ == "__main__":
    main()
