"""PixelScaler throughput against a plain ``astype(float32)``.

asv's layout (``*Suite`` classes with ``params``, ``setup``, ``time_*`` and
``peakmem_*``); run as a script it times each method once on the same batch
and prints images per second::

    python benchmarks/benchmark_intensity.py             # 20,000 images of 64x64
    python benchmarks/benchmark_intensity.py --n 2000    # a smaller batch

The batch is 64x64 uint8 crops of ``skimage.data.camera()``. The target is
half the speed of ``images.astype(np.float32)``, the least any scaling of
uint8 images to float32 must do; ``benchmarks/compare.py`` times the two
alternately and prints the ratio.
"""

import argparse

import numpy as np
from skimage.util import img_as_float32

from skimgprep import PixelScaler

try:
    from ._common import gray_images, run_suites
except ImportError:
    from _common import gray_images, run_suites


class PixelScalerSuite:
    """fit_transform and transform of PixelScaler on uint8 images."""

    params = (["minmax", "range", "standard"], ["global", "channel", "pixel", "image"])
    param_names = ["method", "scope"]
    n_images = 20_000
    timed_images = {"time_skimage_loop": 2_000}

    def setup(self, method, scope):
        if method == "range" and scope != "global":
            raise NotImplementedError("range learns nothing: scope does not apply")
        self.images = gray_images(self.n_images, (64, 64))
        self.scaler = PixelScaler(method=method, scope=scope).fit(self.images)

    def time_fit_transform(self, method, scope):
        PixelScaler(method=method, scope=scope).fit_transform(self.images)

    def time_transform(self, method, scope):
        self.scaler.transform(self.images)

    def time_astype(self, method, scope):
        # The reference: the conversion any scaling to float32 includes.
        self.images.astype(np.float32)

    def time_skimage_loop(self, method, scope):
        if method != "range":
            raise NotImplementedError("img_as_float32 is method='range'")
        for image in self.images[: self.timed_images["time_skimage_loop"]]:
            img_as_float32(image)

    def peakmem_fit_transform(self, method, scope):
        PixelScaler(method=method, scope=scope).fit_transform(self.images)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=PixelScalerSuite.n_images, help="images")
    run_suites(PixelScalerSuite, n_images=parser.parse_args().n)
