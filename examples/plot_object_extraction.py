"""
Object extraction: masks, crops and shape features of coins and digits
=======================================================================

The ``coins`` image of scikit-image is cut into patches: patches centred on
a coin, and patches of the background between the coins (which hold only
faint texture and the image's illumination gradient). They come in
different sizes, as a list.

* :class:`skimgprep.ThresholdMasker` (here its twin
  :func:`skimgprep.mask_images`) zeroes the background of each patch by its
  own Otsu threshold;
* :class:`skimgprep.ObjectCropper` crops each patch to its largest object,
  with a 10% margin, and resizes it to 48x48;
* :class:`skimgprep.RegionFeatureExtractor` describes the largest object of
  each image by 14 shape numbers (area, perimeter, eccentricity, solidity,
  extent, orientation, 7 Hu moments, number of contours), on which a random
  forest is cross-validated: coins against background patches, and the ten
  classes of scikit-learn's handwritten digits.

The figure shows one row per step (saved with ``--output``); the table of
cross-validated accuracies is printed.

Run ``python examples/plot_object_extraction.py --help`` for the options.
"""

import argparse
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import ndimage  # noqa: E402
from skimage import data, filters  # noqa: E402
from skimage.measure import label, regionprops  # noqa: E402
from skimage.morphology import closing, footprint_rectangle  # noqa: E402
from skimage.segmentation import clear_border  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from skimgprep import ObjectCropper, RegionFeatureExtractor, mask_images  # noqa: E402


def coin_patches(margin=6, background_size=26, n_background=30, random_state=0):
    """Patches of ``coins``: one around each coin, and background patches.

    The coins are located once on the whole image (Otsu threshold, closing,
    objects of at least 100 pixels away from the border); the background
    patches are random squares that touch no coin. Returns a list of uint8
    images and their labels (1: coin, 0: background).
    """
    coins = data.coins()
    foreground = closing(coins > filters.threshold_otsu(coins), footprint_rectangle((3, 3)))
    patches = []
    for region in regionprops(label(clear_border(foreground))):
        if region.area >= 100:
            r0, c0, r1, c1 = region.bbox
            rows = slice(max(r0 - margin, 0), r1 + margin)
            cols = slice(max(c0 - margin, 0), c1 + margin)
            patches.append(coins[rows, cols])
    n_coins = len(patches)
    # A background square must not overlap any coin pixel (dilated a little).
    near_coin = ndimage.binary_dilation(foreground, iterations=2)
    rng = np.random.default_rng(random_state)
    h, w = coins.shape
    tries = 0
    while len(patches) < n_coins + n_background and tries < 20000:
        tries += 1
        size = int(rng.integers(background_size - 6, background_size + 7))
        r, c = int(rng.integers(0, h - size)), int(rng.integers(0, w - size))
        if not near_coin[r : r + size, c : c + size].any():
            patches.append(coins[r : r + size, c : c + size])
    labels = np.r_[np.ones(n_coins, dtype=int), np.zeros(len(patches) - n_coins, dtype=int)]
    return patches, labels


def cv_accuracy(X, y, n_splits=5, random_state=0):
    """Cross-validated accuracy of region features + a random forest."""
    model = make_pipeline(
        RegionFeatureExtractor(),
        RandomForestClassifier(n_estimators=200, random_state=random_state),
    )
    cv = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return cross_val_score(model, X, y, cv=cv)


def plot(patches, labels, masked, crops, path):
    """One column per patch: the patch, its masked version, its object crop."""
    coins_shown = list(np.flatnonzero(labels == 1)[:5])
    background_shown = list(np.flatnonzero(labels == 0)[:3])
    shown = coins_shown + background_shown
    fig, axes = plt.subplots(3, len(shown), figsize=(1.6 * len(shown), 5.2))
    rows = ["patch", "ThresholdMasker", "ObjectCropper"]
    for column, i in enumerate(shown):
        for row, image in enumerate((patches[i], masked[i], crops[i])):
            ax = axes[row, column]
            ax.imshow(image, cmap="gray")
            ax.set_xticks([])
            ax.set_yticks([])
            if column == 0:
                ax.set_ylabel(rows[row], fontsize=8)
        axes[0, column].set_title("coin" if labels[i] == 1 else "background", fontsize=8)
    fig.suptitle("coins: Otsu foreground per patch, largest object cropped to 48x48")
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=100)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Object extraction: masks, crops and shape features."
    )
    parser.add_argument(
        "--output", default=None, help="save the figure to this file (default: do not save)"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="use 500 digits for the second task (seconds, for tests and docs)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()

    patches, labels = coin_patches()
    # ThresholdMasker keeps each image's size, so a list of sizes goes
    # through one image (a batch of one) at a time.
    masked = [mask_images(patch[None])[0] for patch in patches]
    cropper = ObjectCropper(output_shape=(48, 48), padding=0.1)
    crops = cropper.fit_transform(patches)  # a list in, a (n, 48, 48) batch out
    plot(patches, labels, masked, crops, args.output)

    digits = load_digits()
    digit_images, digit_labels = digits.images, digits.target
    if args.small:
        digit_images, digit_labels = digit_images[:500], digit_labels[:500]
    rows = [
        (
            "coins vs background patches",
            len(patches),
            2,
            np.bincount(labels).max() / len(labels),
            cv_accuracy(patches, labels),
        ),
        (
            "digits (8x8), 10 classes",
            len(digit_images),
            10,
            np.bincount(digit_labels).max() / len(digit_labels),
            cv_accuracy(digit_images, digit_labels),
        ),
    ]

    print(f"Coin patches: {int(labels.sum())} coins, {int((labels == 0).sum())} "
          f"background; {len({p.shape for p in patches})} different sizes; "
          f"images without object: {cropper.n_empty_}")
    print()
    print("Region features (14 per image) + random forest, 5-fold cross-validation")
    print(f"{'task':<30} {'images':>6} {'classes':>7} {'majority':>8} {'accuracy':>15}")
    for task, n, n_classes, majority, scores in rows:
        print(f"{task:<30} {n:>6} {n_classes:>7} {majority:>8.3f} "
              f"{scores.mean():>8.3f} ± {scores.std():.3f}")
    print()
    if args.output:
        print(f"Figure saved to {args.output}")
    print(f"{time.perf_counter() - start:.1f} s")
    return {task: scores.mean() for task, *_, scores in rows}


if __name__ == "__main__":
    main()
