"""SMOTEBalancer and OutlierFilter on 60,000 28x28 images, against the
imbalanced-learn and scikit-learn calls they wrap.

asv's layout (``*Suite`` classes with ``params``, ``setup``, ``time_*`` and
``peakmem_*``); run as a script it times each method once on the same batch
and prints images per second::

    python benchmarks/benchmark_samplers.py            # 60,000 images
    python benchmarks/benchmark_samplers.py --n 6000   # a smaller batch

The batch is 28x28 crops of ``skimage.data.camera()`` as float32 in [0, 1]
(the size of MNIST), with 10 classes of which the last holds 0.6 times as
many images as each of the others. Both steps run on the flattened images:
the peers are ``imblearn.over_sampling.SMOTE`` and
``sklearn.ensemble.IsolationForest`` on ``X.reshape(n, -1)``, so the ratio
is the cost of the image layer (validation, reshaping, bookkeeping).
Memory: ``peakmem_*`` here, and ``compare.py``'s memory section, which
measures the resident peak of each step in a fresh process against input +
output + 256 MiB.
"""

import argparse

from imblearn.over_sampling import SMOTE
from sklearn.ensemble import IsolationForest

from skimgprep import OutlierFilter, SMOTEBalancer

try:
    from ._common import float_images, labels, run_suites
except ImportError:
    from _common import float_images, labels, run_suites


class _SamplerSuite:
    n_images = 60_000

    def setup(self, *params):
        self.images = float_images(self.n_images, (28, 28))
        self.rows = self.images.reshape(self.n_images, -1)
        self.y = labels(self.n_images)


class SMOTEBalancerSuite(_SamplerSuite):
    """SMOTEBalancer.fit_resample against SMOTE on the flattened images."""

    params = [5]
    param_names = ["k_neighbors"]

    def time_fit_resample(self, k_neighbors):
        SMOTEBalancer(k_neighbors=k_neighbors, random_state=0).fit_resample(self.images, self.y)

    def time_imblearn_smote(self, k_neighbors):
        SMOTE(k_neighbors=k_neighbors, random_state=0).fit_resample(self.rows, self.y)

    def peakmem_fit_resample(self, k_neighbors):
        SMOTEBalancer(k_neighbors=k_neighbors, random_state=0).fit_resample(self.images, self.y)


class OutlierFilterSuite(_SamplerSuite):
    """OutlierFilter.fit_resample against IsolationForest on the flattened images."""

    params = [False, True]
    param_names = ["per_class"]

    def time_fit_resample(self, per_class):
        OutlierFilter(per_class=per_class, random_state=0).fit_resample(self.images, self.y)

    def time_isolation_forest(self, per_class):
        if per_class:
            raise NotImplementedError("one forest for all images only")
        keep = IsolationForest(random_state=0).fit_predict(self.rows) == 1
        self.images[keep]

    def peakmem_fit_resample(self, per_class):
        OutlierFilter(per_class=per_class, random_state=0).fit_resample(self.images, self.y)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=_SamplerSuite.n_images, help="images")
    n = parser.parse_args().n
    run_suites(SMOTEBalancerSuite, OutlierFilterSuite, n_images=n)
