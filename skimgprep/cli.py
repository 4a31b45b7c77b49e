"""The ``skimgprep`` command line.

``skimgprep baseline [FOLDER]`` grid-searches a small, sensible space of
preprocessing pipelines with a classifier on a folder of images (one
subfolder per class) or, without a folder, on the handwritten digits that
ship with scikit-learn; prints a leaderboard; and saves the best fitted
pipeline, the leaderboard and a figure of what the pipeline's steps do.
"""

import argparse
import csv
import sys
import time
import warnings
from pathlib import Path

import numpy as np

__all__ = ["main"]

_DESCRIPTION = """\
Find a preprocessing baseline for an image classification data set.

Grid-searches pipelines of skimgprep steps and a classifier, each scored by
stratified k-fold cross-validation on a training split:

    scale pixels -> [denoise] -> [augment] -> features -> [PCA] -> SVC

  features   raw pixels, HOG (histograms of oriented gradients) or LBP
             (local binary pattern histograms on a 2x2 grid)
  denoise    none, or a Gaussian filter (sigma 0.5)
  augment    none, or one augmented copy of each training image (rotation
             up to 10 degrees, shifts, scaling, brightness, contrast and
             noise, no flips; on the training folds only)
  PCA        none, or PCA keeping 95% of the variance

The candidates are ranked by their mean cross-validated score (the
leaderboard, with the mean fit time per fold); the best is refitted on the
whole training split, scored once on the held-out test split, and saved with
a figure of each step's output on a few images.
"""

_EPILOG = """\
data:
  FOLDER holds one subfolder per class, as torchvision's ImageFolder and
  Keras use (PNG, JPEG, TIFF, BMP). Every image is resized to --image-size
  and read in --color. Files that cannot be read are listed and left out.
  Without FOLDER: scikit-learn's handwritten digits (1797 images of 8x8,
  10 classes), upscaled to 16x16.

outputs (in --output-dir):
  best_pipeline.joblib   the best fitted pipeline (joblib.load it)
  best_pipeline.skops    the same, for skimgprep.persistence.load (when
                         skops is installed)
  leaderboard.csv        every candidate's scores and fit time
  steps.png              each step's output on a few images (when
                         matplotlib is installed: pip install "skimgprep[plot]")

examples:
  skimgprep baseline
  skimgprep baseline path/to/images --image-size 64 64 --n-jobs 2
"""


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _fraction(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1), got {text!r}")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1), got {text!r}")
    return value


def build_parser():
    """The argument parser of the ``skimgprep`` command."""
    parser = argparse.ArgumentParser(
        prog="skimgprep",
        description="Image preprocessing for classical computer vision, as "
        "scikit-learn estimators.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    baseline = commands.add_parser(
        "baseline",
        help="grid-search preprocessing pipelines on a folder of images",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    baseline.add_argument(
        "folder",
        nargs="?",
        metavar="FOLDER",
        help="a folder with one subfolder of images per class "
        "(default: scikit-learn's digits)",
    )
    baseline.add_argument(
        "--image-size",
        nargs=2,
        type=_positive_int,
        metavar=("HEIGHT", "WIDTH"),
        default=None,
        help="size every image is resized to (default: 32 32 for a folder, "
        "16 16 for the digits)",
    )
    baseline.add_argument(
        "--color",
        choices=("gray", "rgb"),
        default="gray",
        help="read the images in grey levels or RGB (default: %(default)s)",
    )
    baseline.add_argument(
        "--cv",
        type=_positive_int,
        default=3,
        metavar="K",
        help="folds of stratified cross-validation (default: %(default)s)",
    )
    baseline.add_argument(
        "--test-size",
        type=_fraction,
        default=0.25,
        metavar="FRACTION",
        help="share of the images held out for the final score "
        "(default: %(default)s)",
    )
    baseline.add_argument(
        "--max-per-class",
        type=_positive_int,
        default=None,
        metavar="N",
        help="use at most N images of each class, drawn at random "
        "(default: all)",
    )
    baseline.add_argument(
        "--scoring",
        default="accuracy",
        help="a scikit-learn scorer name, such as accuracy or "
        "balanced_accuracy (default: %(default)s)",
    )
    baseline.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        metavar="N",
        help="jobs for the cross-validation folds; -1 uses every core "
        "(default: 1)",
    )
    baseline.add_argument(
        "--random-state",
        type=int,
        default=0,
        metavar="SEED",
        help="seed of the split, the folds and the random steps "
        "(default: %(default)s)",
    )
    baseline.add_argument(
        "--output-dir",
        type=Path,
        default=Path("skimgprep-baseline"),
        metavar="DIR",
        help="where the pipeline, leaderboard and figure go "
        "(default: %(default)s)",
    )
    baseline.add_argument(
        "-q", "--quiet", action="store_true", help="print the leaderboard only"
    )
    # run_baseline reports argument errors through the subcommand's parser.
    baseline.set_defaults(command_parser=baseline)
    return parser


# --- data ---------------------------------------------------------------------


def _load_digits(image_size):
    from sklearn.datasets import load_digits

    from .geometry import resize_images

    digits = load_digits()
    images = resize_images(digits.images / 16.0, image_size)
    return images, digits.target, [str(t) for t in digits.target_names], "digits"


def _load_folder(folder, image_size, color, out):
    from .io import load_image_folder

    with warnings.catch_warnings():
        # The skipped files are listed below, one per line, instead.
        warnings.filterwarnings("ignore", message="load_image_folder skipped")
        data = load_image_folder(folder, output_shape=image_size, color=color)
    for path, reason in data.skipped:
        print(f"  skipped {path}: {reason}", file=out)
    return data.images, data.target, list(data.target_names), str(folder)


def _check_classes(y, names, n_splits, test_size, parser):
    counts = np.bincount(y, minlength=len(names))
    present = np.flatnonzero(counts)
    if len(present) < 2:
        found = ", ".join(f"{names[i]!r}" for i in present) or "none"
        parser.error(
            f"a baseline needs at least 2 classes with images; found {found}"
        )
    # Each class must reach every fold of the training split and the test split.
    needed = int(np.ceil(n_splits / (1 - test_size))) + 1
    small = {names[i]: int(counts[i]) for i in present if counts[i] < needed}
    if small:
        listed = ", ".join(f"{name!r}: {n}" for name, n in small.items())
        parser.error(
            f"every class needs at least {needed} images for --cv {n_splits} "
            f"and --test-size {test_size}; too few in {listed}"
        )


def _subsample(X, y, max_per_class, rng):
    keep = []
    for label in np.unique(y):
        idx = np.flatnonzero(y == label)
        if len(idx) > max_per_class:
            idx = np.sort(rng.choice(idx, max_per_class, replace=False))
        keep.append(idx)
    keep = np.sort(np.concatenate(keep))
    return X[keep], y[keep]


# --- the search space ---------------------------------------------------------


def baseline_search_space(image_shape, random_state=0):
    """The pipeline and the candidates ``skimgprep baseline`` compares.

    Parameters
    ----------
    image_shape : tuple of int
        ``(h, w)`` or ``(h, w, c)`` of the images.
    random_state : int, default=0
        Seed of the random steps.

    Returns
    -------
    pipeline : skimgprep.pipeline.Pipeline
        The steps; each candidate sets some of them.
    candidates : list of dict
        Parameter settings for ``pipeline.set_params``, in the order of a
        :class:`~sklearn.model_selection.ParameterGrid`.
    """
    from sklearn.model_selection import ParameterGrid
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from .augment import Augmenter
    from .decomposition import PCAReducer
    from .denoise import Denoiser
    from .features import HOGExtractor, LBPExtractor
    from .intensity import PixelScaler
    from .layout import Flattener
    from .pipeline import Pipeline

    h, w = image_shape[:2]
    cell = (max(2, h // 4), max(2, w // 4))
    pipeline = Pipeline(
        [
            ("scale", PixelScaler(method="minmax")),
            ("denoise", "passthrough"),
            ("augment", "passthrough"),
            ("features", Flattener()),
            ("pca", "passthrough"),
            ("standardize", StandardScaler()),
            ("classifier", SVC(C=10.0)),
        ]
    )
    grid = {
        "features": [
            Flattener(),
            HOGExtractor(pixels_per_cell=cell, cells_per_block=(2, 2)),
            LBPExtractor(n_points=8, radius=1, method="uniform", grid=(2, 2)),
        ],
        "denoise": ["passthrough", Denoiser(method="gaussian", strength=0.5)],
        "augment": [
            "passthrough",
            Augmenter(
                n_augmented=1,
                p_hflip=0.0,
                rotation_range=(-10, 10),
                random_state=random_state,
            ),
        ],
        "pca": [
            "passthrough",
            PCAReducer(n_components=0.95, svd_solver="full", random_state=random_state),
        ],
    }
    return pipeline, list(ParameterGrid(grid))


_FEATURE_NAMES = {"Flattener": "pixels", "HOGExtractor": "HOG", "LBPExtractor": "LBP"}


def _describe(candidate):
    def on(step):
        return "no" if isinstance(step, str) else "yes"

    return {
        "features": _FEATURE_NAMES[type(candidate["features"]).__name__],
        "denoise": on(candidate["denoise"]),
        "augment": on(candidate["augment"]),
        "pca": on(candidate["pca"]),
    }


def _leaderboard_lines(rows, scoring):
    header = (
        f"{'rank':>4}  {scoring + ' (cv)':>20}  {'fit s/fold':>10}  "
        f"{'features':<8} {'denoise':<7} {'augment':<7} {'pca':<3}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        score = f"{row['mean_score']:.4f} +/- {row['std_score']:.4f}"
        lines.append(
            f"{row['rank']:>4}  {score:>20}  {row['fit_time']:>10.2f}  "
            f"{row['features']:<8} {row['denoise']:<7} {row['augment']:<7} {row['pca']:<3}"
        )
    return lines


def _save_figure(pipeline, images, path, out):
    try:
        import matplotlib
    except ImportError:
        print(
            "  no figure: matplotlib is not installed "
            '(pip install "skimgprep[plot]")',
            file=out,
        )
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plotting import plot_steps

    fig = plot_steps(pipeline, images, n_images=min(3, len(images)))
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def run_baseline(args, parser, out=None):
    """Run ``skimgprep baseline`` with parsed arguments; returns the results."""
    out = sys.stdout if out is None else out
    import joblib
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split

    from ._progress import progress

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=out, flush=True))
    if args.folder is not None:
        folder = Path(args.folder)
        if not folder.exists():
            parser.error(f"folder {str(folder)!r} does not exist")
        if not folder.is_dir():
            parser.error(f"{str(folder)!r} is not a folder")
        image_size = tuple(args.image_size or (32, 32))
        say(f"Reading {folder} ...")
        try:
            X, y, names, source = _load_folder(folder, image_size, args.color, out)
        except (ValueError, FileNotFoundError) as exc:
            parser.error(str(exc))
    else:
        image_size = tuple(args.image_size or (16, 16))
        X, y, names, source = _load_digits(image_size)
        if args.color == "rgb":
            X = np.repeat(X[..., None], 3, axis=-1)

    rng = np.random.RandomState(args.random_state)
    if args.max_per_class is not None:
        X, y = _subsample(X, y, args.max_per_class, rng)
    _check_classes(y, names, args.cv, args.test_size, parser)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.random_state
    )
    pipeline, candidates = baseline_search_space(X.shape[1:], args.random_state)
    cv = StratifiedKFold(args.cv, shuffle=True, random_state=args.random_state)
    say(
        f"Data: {source}, {len(X)} images of {X.shape[1:]} in {len(names)} classes; "
        f"{len(X_train)} for the search, {len(X_test)} held out."
    )
    say(f"Searching {len(candidates)} pipelines x {args.cv} folds ...")

    rows = []
    with progress(
        len(candidates), desc="baseline", verbose=not args.quiet, unit="pipelines", file=out
    ) as bar:
        for i, candidate in enumerate(candidates):
            estimator = clone(pipeline).set_params(**clone(candidate, safe=False))
            scores = cross_validate(
                estimator, X_train, y_train, cv=cv, scoring=args.scoring,
                n_jobs=args.n_jobs, error_score="raise",
            )
            rows.append(
                {
                    "candidate": i,
                    "mean_score": float(np.mean(scores["test_score"])),
                    "std_score": float(np.std(scores["test_score"])),
                    "fit_time": float(np.mean(scores["fit_time"])),
                    **_describe(candidate),
                }
            )
            bar.update(1)

    # Ranked by mean score, ties by the order of the grid (as GridSearchCV).
    order = sorted(range(len(rows)), key=lambda i: (-round(rows[i]["mean_score"], 12), i))
    ranked = []
    for rank, i in enumerate(order, start=1):
        rows[i]["rank"] = rank
        ranked.append(rows[i])

    print("\nLeaderboard", file=out)
    for line in _leaderboard_lines(ranked, args.scoring):
        print(line, file=out)

    best = ranked[0]
    best_pipeline = clone(pipeline).set_params(**clone(candidates[best["candidate"]], safe=False))
    start = time.perf_counter()
    best_pipeline.fit(X_train, y_train)
    refit_time = time.perf_counter() - start
    from sklearn.metrics import get_scorer

    test_score = get_scorer(args.scoring)(best_pipeline, X_test, y_test)
    print(
        f"\nBest: {best['features']} features, denoise {best['denoise']}, augment "
        f"{best['augment']}, PCA {best['pca']}: {args.scoring} {best['mean_score']:.4f} "
        f"(cv), {test_score:.4f} on the {len(X_test)} held-out images "
        f"(refit in {refit_time:.1f} s).",
        file=out,
    )

    outdir = args.output_dir
    outdir.mkdir(parents=True, exist_ok=True)
    saved = {"pipeline": outdir / "best_pipeline.joblib"}
    joblib.dump(best_pipeline, saved["pipeline"])
    try:
        from .persistence import dump as skops_dump

        skops_dump(best_pipeline, outdir / "best_pipeline.skops")
        saved["skops"] = outdir / "best_pipeline.skops"
    except ImportError:
        pass
    saved["leaderboard"] = outdir / "leaderboard.csv"
    fields = ["rank", "mean_score", "std_score", "fit_time", "features", "denoise",
              "augment", "pca"]
    with open(saved["leaderboard"], "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(ranked)
    figure = _save_figure(best_pipeline, X_test[:3], outdir / "steps.png", out)
    if figure is not None:
        saved["figure"] = figure
    for what, path in saved.items():
        print(f"Saved {what}: {path}", file=out)
    return {
        "leaderboard": ranked,
        "candidates": candidates,
        "best_pipeline": best_pipeline,
        "test_score": test_score,
        "saved": saved,
    }


def main(argv=None):
    """Entry point of the ``skimgprep`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "baseline":
        run_baseline(args, args.command_parser)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
