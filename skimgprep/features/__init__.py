"""Feature extractors: images in, one feature vector per image out.

Each extractor is a :class:`~skimgprep.base.FeatureExtractorMixin` estimator
with a function twin beside it in its private module.
"""

from ._hog import HOGExtractor, hog_batch
from ._region import RegionFeatureExtractor, region_features
# features-lbp: (line kept for the LBP and colour histogram modules)
# features-texture: (line kept for the GLCM and Gabor module)
# features-bovw: (line kept for the bag of visual words module)

__all__ = [
    "HOGExtractor",
    "hog_batch",
    "RegionFeatureExtractor",
    "region_features",
    # features-lbp names
    # features-texture names
    # features-bovw names
]
