"""
Quickstart: seven preprocessing steps and a classifier, grid-searched
=====================================================================

The handwritten digits that ship with scikit-learn (upscaled from 8x8 to
16x16, so that HOG cells of 4x4 pixels fit) go through a pipeline of every
core step of skimgprep and an SVC:

scaling -> denoising -> outlier removal -> augmentation -> class balancing
-> HOG features -> PCA -> SVC

The samplers (outlier removal, augmentation, balancing) run on the training
folds only: :class:`skimgprep.pipeline.Pipeline` skips them at predict time,
so no augmented, synthetic or filtered image reaches a validation fold or the
held-out test set. ``GridSearchCV`` tunes preprocessing parameters next to the
classifier's ``C``; the best pipeline is scored on held-out images and saved.

Run ``python examples/quickstart.py --help`` for the options.
"""

import argparse
import time

import joblib
from scipy import ndimage
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.svm import SVC

from skimgprep import (
    Augmenter,
    Denoiser,
    HOGExtractor,
    OutlierFilter,
    PCAReducer,
    PixelScaler,
    SMOTEBalancer,
)
from skimgprep.pipeline import Pipeline


def build_pipeline(random_state=0):
    """The seven-step pipeline, with sensible starting parameters for digits."""
    return Pipeline(
        [
            ("scale", PixelScaler(method="minmax")),
            ("denoise", Denoiser(method="gaussian", strength=0.5)),
            ("outliers", OutlierFilter(contamination=0.01, random_state=random_state)),
            (
                "augment",
                Augmenter(
                    n_augmented=1,
                    p_hflip=0.0,
                    rotation_range=(-10, 10),
                    random_state=random_state,
                ),
            ),
            ("balance", SMOTEBalancer(random_state=random_state)),
            ("hog", HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2))),
            ("pca", PCAReducer(n_components=60, random_state=random_state)),
            ("svc", SVC()),
        ]
    )


PARAM_GRID = {
    "denoise__strength": [0.5, 1.0],
    "hog__pixels_per_cell": [(3, 3), (4, 4)],
    "svc__C": [1.0, 10.0],
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument(
        "--output",
        default="skimgprep_quickstart.joblib",
        help="where to save the fitted pipeline (default: %(default)s)",
    )
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="jobs for GridSearchCV (default: 1)"
    )
    args = parser.parse_args(argv)

    digits = load_digits()
    # (1797, 8, 8): a batch of images, values 0..16; bilinear upscaling to
    # (1797, 16, 16) in one call over the batch.
    X = ndimage.zoom(digits.images, (1, 2, 2), order=1)
    X_train, X_test, y_train, y_test = train_test_split(
        X, digits.target, test_size=0.25, stratify=digits.target, random_state=0
    )
    search = GridSearchCV(
        build_pipeline(),
        PARAM_GRID,
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        n_jobs=args.n_jobs,
    )
    start = time.perf_counter()
    search.fit(X_train, y_train)
    seconds = time.perf_counter() - start

    print(f"Grid search: {len(search.cv_results_['params'])} candidates x 3 folds "
          f"on {len(X_train)} training images in {seconds:.1f} s")
    print("Best parameters:")
    for name, value in sorted(search.best_params_.items()):
        print(f"  {name} = {value!r}")
    print(f"Best cross-validated accuracy: {search.best_score_:.4f}")
    accuracy = search.score(X_test, y_test)
    print(f"Held-out accuracy on {len(X_test)} test images: {accuracy:.4f}")
    joblib.dump(search.best_estimator_, args.output)
    print(f"Fitted pipeline saved to {args.output}")
    return accuracy


if __name__ == "__main__":
    main()
