"""HOG throughput: skimgprep's batch against a scikit-image loop and OpenCV.

asv's layout (``*Suite`` classes with ``params``, ``setup``, ``time_*`` and
``peakmem_*``); run as a script it times each method once on the same batch
and prints images per second and the ratios::

    python benchmarks/benchmark_hog.py            # 256 windows of 128x64
    python benchmarks/benchmark_hog.py --n 2048   # a larger batch

The batch is 128x64 windows cut from ``skimage.data.camera()`` (grayscale)
or ``astronaut()`` (colour), with Dalal and Triggs' layout: 9 bins, 8x8
cells, 2x2 blocks. OpenCV's ``HOGDescriptor`` (``opencv-python-headless``,
in the ``bench`` extra) interpolates votes between bins and cells and
weights blocks with a Gaussian, so its features differ: only its speed is
compared. It runs on one thread, as the other two do.
"""

import argparse

import numpy as np
from skimage import data
from skimage.feature import hog

from skimgprep import hog_batch

try:
    from ._common import best_time, opencv_hog, peak_bytes
except ImportError:
    from _common import best_time, opencv_hog, peak_bytes

WINDOW = (128, 64)
PARAMS = dict(orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))


def windows(n, colour=False, dtype="uint8"):
    """``n`` windows of 128x64 pixels cut from a scikit-image sample image."""
    image = data.astronaut() if colour else data.camera()
    h, w = WINDOW
    starts = [
        (r, c)
        for r in range(0, image.shape[0] - h + 1, 8)
        for c in range(0, image.shape[1] - w + 1, 8)
    ]
    batch = np.stack([image[r : r + h, c : c + w] for r, c in starts[:n]])
    while len(batch) < n:
        batch = np.concatenate([batch, batch[: n - len(batch)]])
    if dtype != "uint8":
        batch = (batch / 255).astype(dtype)
    return batch


def skimage_loop(batch):
    channel_axis = -1 if batch.ndim == 4 else None
    return np.stack([hog(image, channel_axis=channel_axis, **PARAMS) for image in batch])


def opencv_loop(batch, descriptor):
    return np.stack([descriptor.compute(image).ravel() for image in batch])


def opencv_descriptor():
    return opencv_hog(WINDOW, PARAMS)


class HOGSuite:
    """Per-batch time of the three ways to compute HOG features."""

    params = ([False, True], ["uint8", "float32"])
    param_names = ["colour", "dtype"]
    n_images = 256

    def setup(self, colour, dtype):
        self.batch = windows(self.n_images, colour=colour, dtype=dtype)
        self.descriptor = opencv_descriptor()

    def time_hog_batch(self, colour, dtype):
        hog_batch(self.batch, **PARAMS)

    def time_skimage_loop(self, colour, dtype):
        skimage_loop(self.batch[:32])

    def time_opencv_loop(self, colour, dtype):
        if self.descriptor is None or dtype != "uint8":
            raise NotImplementedError("OpenCV is not installed, or takes uint8 only")
        opencv_loop(self.batch, self.descriptor)

    def peakmem_hog_batch(self, colour, dtype):
        hog_batch(self.batch, **PARAMS)


def main(n):
    descriptor = opencv_descriptor()
    print(f"HOG, {n} windows of {WINDOW[0]}x{WINDOW[1]}, {PARAMS}")
    print(f"{'input':18s} {'method':16s} {'images/s':>10s} {'vs skimage':>11s} {'vs OpenCV':>10s}")
    for colour in (False, True):
        for dtype in ("uint8", "float32"):
            batch = windows(n, colour=colour, dtype=dtype)
            n_loop = min(n, 64)
            rates = {
                "hog_batch": n / best_time(lambda: hog_batch(batch, **PARAMS)),
                "skimage loop": n_loop / best_time(lambda: skimage_loop(batch[:n_loop]), 1),
            }
            if descriptor is not None and dtype == "uint8":
                rates["OpenCV loop"] = n / best_time(lambda: opencv_loop(batch, descriptor))
            label = f"{'colour' if colour else 'gray'} {dtype}"
            for method, rate in rates.items():
                opencv = rates.get("OpenCV loop")
                vs_cv = f"{rate / opencv:10.2f}" if opencv else f"{'-':>10s}"
                print(
                    f"{label:18s} {method:16s} {rate:10.0f} "
                    f"{rate / rates['skimage loop']:11.2f} {vs_cv}"
                )
            peak = peak_bytes(lambda: hog_batch(batch, **PARAMS))
            print(
                f"{label:18s} hog_batch peak memory {peak / 2**20:.1f} MiB "
                f"(input {batch.nbytes / 2**20:.1f} MiB)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=256, help="windows per batch")
    main(parser.parse_args().n)
