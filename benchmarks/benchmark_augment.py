"""Augmenter throughput: skimgprep's batch against albumentations and a
scikit-image loop.

asv's layout (``*Suite`` classes with ``params``, ``setup``, ``time_*`` and
``peakmem_*``); run as a script it times each method once on the same batch
and prints images per second::

    python benchmarks/benchmark_augment.py            # the default batches
    python benchmarks/benchmark_augment.py --n 2000   # 2,000 images each

The batches are uint8 crops of ``skimage.data.camera()`` (28x28) and
``astronaut()`` (128x128x3). Every augmented copy is flipped with
probability 0.5, then rotated, zoomed and shifted (one bilinear warp,
reflected border) and its contrast and brightness changed
(``_common.AUGMENT``); albumentations runs the same transforms with the same
probabilities as one ``A.Compose`` per image (``albumentations``, in the
``bench`` extra), scikit-image as ``skimage.transform.warp`` per image.
Throughput counts augmented copies: ``n_augmented=1`` makes one per image.
"""

import argparse

import numpy as np

from skimgprep import Augmenter

try:
    from ._common import (
        AUGMENT,
        albumentations_compose,
        colour_images,
        gray_images,
        run_suites,
        skimage_augment,
    )
except ImportError:
    from _common import (
        AUGMENT,
        albumentations_compose,
        colour_images,
        gray_images,
        run_suites,
        skimage_augment,
    )

SHAPES = {"28x28": ((28, 28), False), "128x128x3": ((128, 128), True)}


class AugmenterSuite:
    """Augmenter.fit_resample against albumentations' Compose, per image."""

    params = list(SHAPES)
    param_names = ["shape"]
    n_images = 5_000
    timed_images = {"time_skimage_loop": 500, "time_albumentations": 2_000}

    def setup(self, shape):
        size, colour = SHAPES[shape]
        self.images = (colour_images if colour else gray_images)(self.n_images, size)
        self.y = np.zeros(self.n_images, dtype=int)
        self.compose = albumentations_compose()

    def time_augmenter(self, shape):
        Augmenter(**AUGMENT, random_state=0).fit_resample(self.images, self.y)

    def time_albumentations(self, shape):
        if self.compose is None:
            raise NotImplementedError("albumentations is not installed")
        for image in self.images[: self.timed_images["time_albumentations"]]:
            self.compose(image=image)

    def time_skimage_loop(self, shape):
        skimage_augment(self.images[: self.timed_images["time_skimage_loop"]])

    def peakmem_augmenter(self, shape):
        Augmenter(**AUGMENT, random_state=0).fit_resample(self.images, self.y)


class AugmenterJobsSuite:
    """Augmenter.fit_resample on 28x28 images with one and two jobs."""

    params = [1, 2]
    param_names = ["n_jobs"]
    n_images = 20_000

    def setup(self, n_jobs):
        self.images = gray_images(self.n_images, (28, 28))
        self.y = np.zeros(self.n_images, dtype=int)

    def time_augmenter(self, n_jobs):
        Augmenter(**AUGMENT, n_jobs=n_jobs, random_state=0).fit_resample(self.images, self.y)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="images per batch")
    n = parser.parse_args().n
    run_suites(AugmenterSuite, AugmenterJobsSuite, n_images=n)
