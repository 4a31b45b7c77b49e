"""Denoiser throughput: skimgprep's batch against a scikit-image loop and OpenCV.

asv's layout (``*Suite`` classes with ``params``, ``setup``, ``time_*`` and
``peakmem_*``); run as a script it times each method once on the same batch
and prints images per second::

    python benchmarks/benchmark_denoise.py            # the default batches
    python benchmarks/benchmark_denoise.py --n 64     # 64 images per method

The batch is 128x128 colour crops of ``skimage.data.astronaut()`` as
float32 in [0, 1] with Gaussian noise (sigma 0.05). Each method's
scikit-image loop calls the function the Denoiser documents, with the same
arguments (``compare.py`` checks that the outputs are equal); OpenCV's
``GaussianBlur`` (``BORDER_REPLICATE``, the kernel size of
``truncate=4.0``) and ``medianBlur`` (3x3) are timed for "gaussian" and
"median" only. Slow methods get smaller batches (``n_images``).
"""

import argparse

try:
    from ._common import (
        DENOISE_STRENGTH,
        denoise_images,
        opencv_denoiser,
        run_suites,
        skimage_denoiser,
    )
except ImportError:
    from _common import (
        DENOISE_STRENGTH,
        denoise_images,
        opencv_denoiser,
        run_suites,
        skimage_denoiser,
    )

from skimgprep import Denoiser

#: Images per batch: the per-image methods take 3 to 250 ms an image.
N_IMAGES = {
    "gaussian": 1_000,
    "median": 400,
    "bilateral": 8,
    "nl_means": 8,
    "tv": 64,
    "wavelet": 64,
}


class DenoiserSuite:
    """Denoiser.fit_transform against the per-image loops of its peers."""

    params = list(N_IMAGES)
    param_names = ["method"]
    n_images = None  # None: N_IMAGES[method]
    timed_images = {"time_skimage_loop": 64}

    def setup(self, method):
        n = self.n_images or N_IMAGES[method]
        self.images = denoise_images(n)
        self.n_images = n
        self.strength = DENOISE_STRENGTH[method]
        self.skimage = skimage_denoiser(method)
        self.opencv = opencv_denoiser(method)

    def time_denoiser(self, method):
        Denoiser(method=method, strength=self.strength).fit_transform(self.images)

    def time_skimage_loop(self, method):
        for image in self.images[: self.timed_images["time_skimage_loop"]]:
            self.skimage(image)

    def time_opencv_loop(self, method):
        if self.opencv is None:
            raise NotImplementedError("OpenCV is not installed, or has no such filter")
        for image in self.images:
            self.opencv(image)

    def peakmem_denoiser(self, method):
        Denoiser(method=method, strength=self.strength).fit_transform(self.images)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None, help="images per method")
    run_suites(DenoiserSuite, n_images=parser.parse_args().n)
