"""Feature extractors: images in, one feature vector per image out.

Each extractor is a :class:`~skimgprep.base.FeatureExtractorMixin` estimator
with a function twin beside it in its private module.
"""

from ._bovw import BoVWExtractor, bovw_histograms
from ._color_hist import ColorHistogramExtractor, color_histograms
from ._hog import HOGExtractor, hog_batch
from ._lbp import LBPExtractor, lbp_histograms
from ._region import RegionFeatureExtractor, region_features
from ._texture import GaborExtractor, GLCMExtractor, gabor_features, glcm_features

__all__ = [
    "BoVWExtractor",
    "ColorHistogramExtractor",
    "GLCMExtractor",
    "GaborExtractor",
    "HOGExtractor",
    "LBPExtractor",
    "RegionFeatureExtractor",
    "bovw_histograms",
    "color_histograms",
    "gabor_features",
    "glcm_features",
    "hog_batch",
    "lbp_histograms",
    "region_features",
]
