"""Feature extractors: images in, one feature vector per image out.

Each extractor is a :class:`~skimgprep.base.FeatureExtractorMixin` estimator
with a function twin beside it in its private module.
"""

from ._hog import HOGExtractor, hog_batch
from ._region import RegionFeatureExtractor, region_features

__all__ = ["HOGExtractor", "hog_batch", "RegionFeatureExtractor", "region_features"]
