"""
Handling variations: colour, size, contrast, lighting, orientation
==================================================================

A few real images that ship with scikit-image, each through the steps that
remove one kind of variation, before and after: colour conversion, resizing
with the aspect kept (padding or cropping), histogram equalisation, CLAHE,
gamma correction, moment-based deskewing (which straightens the slanted
digit; on natural images the moments describe no stroke, so use it on
handwriting and single objects) and thresholding.

Every step takes the list of differently sized images (or a batch) as it is;
``Resizer`` makes the sizes uniform.
"""

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from skimage import data, transform  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from skimgprep import (  # noqa: E402
    ColorConverter,
    ContrastEnhancer,
    Deskewer,
    Resizer,
    ThresholdMasker,
)


def sample_images():
    """Four real images of different sizes and colour modes, one slanted digit."""
    astronaut = data.astronaut()[:300, 100:400]  # RGB, 300x300
    camera = data.camera()[50:350, :400]  # gray, 300x400
    coins = data.coins()[:200, :300]  # gray, 200x300
    digit = load_digits().images[7]  # a slanted 7, 8x8, values 0..16
    digit = transform.resize(digit * 16, (96, 96), order=1).clip(0, 255).astype(np.uint8)
    return [astronaut, camera, coins, digit], [
        "astronaut (RGB)",
        "camera",
        "coins",
        "digit (load_digits)",
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Handling variations, before and after.")
    parser.add_argument(
        "--output", default=None, help="save the figure to this file (default: do not save)"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="accepted for a uniform command line; this example is small already",
    )
    args = parser.parse_args(argv)

    images, names = sample_images()
    gray = ColorConverter(to="gray").fit_transform(images)  # a list stays a list
    steps = {
        "gray": gray,
        "resize, pad to 128x128": Resizer(output_shape=(128, 128), mode="pad").fit_transform(gray),
        "resize, crop to 128x128": Resizer(output_shape=(128, 128), mode="crop").fit_transform(gray),
    }
    batch = steps["resize, crop to 128x128"]  # a uniform batch from here on
    steps["equalize"] = ContrastEnhancer(method="equalize").fit_transform(batch)
    steps["CLAHE"] = ContrastEnhancer(method="clahe", clip_limit=0.02).fit_transform(batch)
    steps["gamma 0.5"] = ContrastEnhancer(method="gamma", gamma=0.5).fit_transform(batch / 255.0)
    steps["deskew"] = Deskewer().fit_transform(batch)
    steps["threshold (otsu)"] = ThresholdMasker(method="otsu").fit_transform(batch)

    columns = ["original"] + list(steps)
    fig, axes = plt.subplots(
        len(images), len(columns), figsize=(1.6 * len(columns), 1.7 * len(images))
    )
    for row, (image, name) in enumerate(zip(images, names)):
        for col, title in enumerate(columns):
            shown = image if title == "original" else steps[title][row]
            ax = axes[row, col]
            ax.imshow(shown, cmap=None if np.ndim(shown) == 3 else "gray")
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(title, fontsize=7)
            if col == 0:
                ax.set_ylabel(name, fontsize=7)
    fig.tight_layout()
    if args.output:
        fig.savefig(args.output, dpi=110)
    print(f"{len(images)} images x {len(columns)} steps")
    for title, out in steps.items():
        shapes = sorted({np.shape(x) for x in out})
        print(f"  {title:<26} output shapes {shapes}")


if __name__ == "__main__":
    main()
