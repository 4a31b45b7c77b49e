"""skimgprep: image preprocessing for classical computer vision, as scikit-learn estimators."""

from .augment import Augmenter, apply_augmentation, augment_images, augmentation_matrices
from .balance import AugmentingOverSampler, ImageResampler, SMOTEBalancer
from .color import ColorConverter, convert_color
from .decomposition import PCAReducer
from .denoise import Denoiser, denoise_batch
from .domain import (
    CORALAligner,
    ColorTransfer,
    HistogramMatcher,
    color_transfer,
    coral_align,
    match_histograms_batch,
)
from .exposure import ContrastEnhancer, enhance_contrast
from .features import (
    BoVWExtractor,
    ColorHistogramExtractor,
    GaborExtractor,
    GLCMExtractor,
    HOGExtractor,
    LBPExtractor,
    RegionFeatureExtractor,
    bovw_histograms,
    color_histograms,
    gabor_features,
    glcm_features,
    hog_batch,
    lbp_histograms,
    region_features,
)
from .geometry import Deskewer, Resizer, deskew_images, resize_images
from .intensity import PixelScaler, pixel_scale
from .io import ImageReader, load_image_folder
from .layout import Flattener, flatten_images
from .outliers import OutlierFilter
from .quality import QualityFilter, image_quality
from .segmentation import (
    ObjectCropper,
    ThresholdMasker,
    crop_objects,
    image_thresholds,
    mask_images,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "Augmenter",
    "AugmentingOverSampler",
    "BoVWExtractor",
    "CORALAligner",
    "ColorConverter",
    "ColorHistogramExtractor",
    "ColorTransfer",
    "ContrastEnhancer",
    "Denoiser",
    "Deskewer",
    "Flattener",
    "GLCMExtractor",
    "GaborExtractor",
    "HOGExtractor",
    "HistogramMatcher",
    "ImageReader",
    "ImageResampler",
    "LBPExtractor",
    "ObjectCropper",
    "OutlierFilter",
    "PCAReducer",
    "PixelScaler",
    "QualityFilter",
    "RegionFeatureExtractor",
    "Resizer",
    "SMOTEBalancer",
    "ThresholdMasker",
    "apply_augmentation",
    "augment_images",
    "augmentation_matrices",
    "bovw_histograms",
    "color_histograms",
    "color_transfer",
    "convert_color",
    "coral_align",
    "crop_objects",
    "denoise_batch",
    "deskew_images",
    "enhance_contrast",
    "flatten_images",
    "gabor_features",
    "glcm_features",
    "hog_batch",
    "image_quality",
    "image_thresholds",
    "lbp_histograms",
    "load_image_folder",
    "mask_images",
    "match_histograms_batch",
    "pixel_scale",
    "region_features",
    "resize_images",
]
