"""Texture features and histogram matching: skimgprep's batch against
scikit-image loops.

asv's layout (``*Suite`` classes with ``params``, ``setup``, ``time_*`` and
``peakmem_*``); run as a script it times each method once on the same batch
and prints images per second and the ratios::

    python benchmarks/benchmark_features.py            # 256 images
    python benchmarks/benchmark_features.py --n 1024   # a larger batch

The batches are 64x64 grayscale crops of ``skimage.data.camera()`` (LBP and
Gabor in float32, GLCM in uint8) and 128x128 colour crops of
``astronaut()`` (histogram matching, uint8), as in ``compare.py``:

- ``LBPExtractor(n_points=8, radius=1, method="uniform", grid=(2, 2))``
  against ``skimage.feature.local_binary_pattern`` and a normalised
  ``np.histogram`` per cell;
- ``GLCMExtractor(levels=32)`` against ``graycomatrix`` + ``graycoprops``
  of the image quantised as the extractor documents (``image * 32 // 256``);
- ``GaborExtractor(frequencies=(0.1, 0.25), n_orientations=4)`` against
  ``skimage.filters.gabor`` and the mean and variance of the magnitude;
- ``HistogramMatcher(reference=one image)`` against
  ``skimage.exposure.match_histograms(image, reference, channel_axis=-1)``.

The scikit-image loops run on a few images only (they cost the same per
image whatever the batch); the steps keep their default ``n_jobs`` (one)
unless a suite's ``n_jobs`` parameter says otherwise.
"""

import argparse
import warnings

import numpy as np
from skimage.exposure import match_histograms
from skimage.feature import graycomatrix, graycoprops, local_binary_pattern
from skimage.filters import gabor

from skimgprep import GaborExtractor, GLCMExtractor, HistogramMatcher, LBPExtractor

try:
    from ._common import best_time, colour_images, float_images, gray_images, peak_bytes
except ImportError:
    from _common import best_time, colour_images, float_images, gray_images, peak_bytes

SHAPE = (64, 64)
LBP = dict(n_points=8, radius=1, method="uniform", grid=(2, 2))
GLCM = dict(levels=32)
GABOR = dict(frequencies=(0.1, 0.25), n_orientations=4)


def lbp_loop(batch):
    P, R, method, (g_r, g_c) = LBP["n_points"], LBP["radius"], LBP["method"], LBP["grid"]
    rows = []
    for image in batch:
        with warnings.catch_warnings():  # it warns that float images may give odd codes
            warnings.simplefilter("ignore", UserWarning)
            codes = local_binary_pattern(image, P, R, method)
        rows.append(np.concatenate([
            np.histogram(cell, bins=P + 2, range=(0, P + 2), density=True)[0]
            for band in np.array_split(codes, g_r, axis=0)
            for cell in np.array_split(band, g_c, axis=1)
        ]))
    return np.array(rows)


def glcm_loop(batch):
    step, levels = GLCMExtractor(), GLCM["levels"]
    rows = []
    for image in batch:
        q = (image.astype(np.uint16) * levels // 256).astype(np.uint8)
        P = graycomatrix(q, step.distances, step.angles, levels=levels,
                         symmetric=step.symmetric, normed=True)
        rows.append(np.concatenate([graycoprops(P, p).ravel() for p in step.properties]))
    return np.array(rows)


def gabor_loop(batch):
    n = GABOR["n_orientations"]
    rows = []
    for image in batch:
        row = []
        for f in GABOR["frequencies"]:
            for k in range(n):
                real, imag = gabor(image, f, theta=k * np.pi / n)
                magnitude = np.sqrt(real.astype(np.float64) ** 2 + imag.astype(np.float64) ** 2)
                row += [magnitude.mean(), magnitude.var()]
        rows.append(row)
    return np.array(rows)


def matching_loop(batch, reference):
    return np.stack([match_histograms(image, reference, channel_axis=-1) for image in batch])


def matching_reference():
    return colour_images(1, (128, 128), seed=1)[0]


class LBPSuite:
    """Per-batch time of LBP histograms: the extractor and a scikit-image loop."""

    params = [2, 1]
    param_names = ["n_jobs"]
    n_images = 256
    timed_images = {"time_skimage_loop": 32}

    def setup(self, n_jobs):
        self.batch = float_images(self.n_images, SHAPE)
        self.step = LBPExtractor(**LBP, n_jobs=n_jobs)

    def time_lbp_extractor(self, n_jobs):
        self.step.fit_transform(self.batch)

    def time_skimage_loop(self, n_jobs):
        lbp_loop(self.batch[:32])

    def peakmem_lbp_extractor(self, n_jobs):
        self.step.fit_transform(self.batch)


class GLCMSuite:
    """Per-batch time of GLCM properties: the extractor and a scikit-image loop."""

    params = [32, 256]
    param_names = ["levels"]
    n_images = 256
    timed_images = {"time_skimage_loop": 32}

    def setup(self, levels):
        self.batch = gray_images(self.n_images, SHAPE)
        self.step = GLCMExtractor(levels=levels)

    def time_glcm_extractor(self, levels):
        self.step.fit_transform(self.batch)

    def time_skimage_loop(self, levels):
        if levels != GLCM["levels"]:
            raise NotImplementedError("the loop is written for 32 levels")
        glcm_loop(self.batch[:32])

    def peakmem_glcm_extractor(self, levels):
        self.step.fit_transform(self.batch)


class GaborSuite:
    """Per-batch time of Gabor statistics: the extractor and a scikit-image loop."""

    params = ["float32", "uint8"]
    param_names = ["dtype"]
    n_images = 256
    timed_images = {"time_skimage_loop": 4}

    def setup(self, dtype):
        batch = float_images(self.n_images, SHAPE)
        self.batch = batch if dtype == "float32" else gray_images(self.n_images, SHAPE)
        self.step = GaborExtractor(**GABOR)

    def time_gabor_extractor(self, dtype):
        self.step.fit_transform(self.batch)

    def time_skimage_loop(self, dtype):
        if dtype != "float32":
            raise NotImplementedError("gabor() truncates integer responses")
        gabor_loop(self.batch[:4])

    def peakmem_gabor_extractor(self, dtype):
        self.step.fit_transform(self.batch)


class HistogramMatchingSuite:
    """Per-batch time of histogram matching: the matcher and a scikit-image loop."""

    params = [2, 1]
    param_names = ["n_jobs"]
    n_images = 256
    timed_images = {"time_skimage_loop": 64}

    def setup(self, n_jobs):
        self.batch = colour_images(self.n_images, (128, 128))
        self.reference = matching_reference()
        self.step = HistogramMatcher(reference=self.reference, n_jobs=n_jobs)

    def time_histogram_matcher(self, n_jobs):
        self.step.fit_transform(self.batch)

    def time_skimage_loop(self, n_jobs):
        matching_loop(self.batch[:64], self.reference)

    def peakmem_histogram_matcher(self, n_jobs):
        self.step.fit_transform(self.batch)


def main(n):
    reference = matching_reference()
    gray, grey32 = gray_images(n, SHAPE), float_images(n, SHAPE)
    colour = colour_images(n, (128, 128))
    cases = [
        # name, batch, skimgprep call, loop, images for the loop
        ("LBP 64x64 float32", grey32, LBPExtractor(**LBP).fit_transform, lbp_loop, 64),
        ("GLCM 64x64 uint8", gray, GLCMExtractor(**GLCM).fit_transform, glcm_loop, 64),
        ("Gabor 64x64 float32", grey32, GaborExtractor(**GABOR).fit_transform, gabor_loop, 4),
        (
            "matching 128x128x3 uint8",
            colour,
            HistogramMatcher(reference=reference).fit_transform,
            lambda batch: matching_loop(batch, reference),
            64,
        ),
    ]
    print(f"{n} images per batch; one thread")
    print(f"{'input':26s} {'method':14s} {'images/s':>10s} {'vs skimage':>11s}")
    for label, batch, ours, loop, n_loop in cases:
        n_loop = min(n, n_loop)
        ours(batch[:8])  # warm-up
        rates = {
            "skimgprep": n / best_time(lambda: ours(batch)),
            "skimage loop": n_loop / best_time(lambda: loop(batch[:n_loop]), 1),
        }
        for method, rate in rates.items():
            print(f"{label:26s} {method:14s} {rate:10.0f} {rate / rates['skimage loop']:11.2f}")
        peak = peak_bytes(lambda: ours(batch))
        print(
            f"{label:26s} skimgprep peak memory {peak / 2**20:.1f} MiB "
            f"(input {batch.nbytes / 2**20:.1f} MiB)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=256, help="images per batch")
    main(parser.parse_args().n)
