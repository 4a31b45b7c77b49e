"""skimgprep: image preprocessing for classical computer vision, as scikit-learn estimators."""

from .augment import Augmenter, apply_augmentation, augment_images, augmentation_matrices
from .balance import SMOTEBalancer
from .decomposition import PCAReducer
from .denoise import Denoiser, denoise_batch
from .features import HOGExtractor, hog_batch
from .intensity import PixelScaler, pixel_scale
from .layout import Flattener, flatten_images
from .outliers import OutlierFilter
from .exposure import ContrastEnhancer, enhance_contrast
from .geometry import Deskewer, Resizer, deskew_images, resize_images
from .color import ColorConverter, convert_color
from .segmentation import (
    ObjectCropper,
    ThresholdMasker,
    crop_objects,
    image_thresholds,
    mask_images,
)
from .features import RegionFeatureExtractor, region_features

__version__ = "0.1.0.dev0"

__all__ = [
    "Augmenter",
    "Denoiser",
    "Flattener",
    "HOGExtractor",
    "OutlierFilter",
    "PCAReducer",
    "PixelScaler",
    "SMOTEBalancer",
    "apply_augmentation",
    "augment_images",
    "augmentation_matrices",
    "denoise_batch",
    "flatten_images",
    "hog_batch",
    "pixel_scale",
    "ContrastEnhancer",
    "enhance_contrast",
    "Deskewer",
    "Resizer",
    "deskew_images",
    "resize_images",
    "ColorConverter",
    "convert_color",
    "ObjectCropper",
    "ThresholdMasker",
    "crop_objects",
    "image_thresholds",
    "mask_images",
    "RegionFeatureExtractor",
    "region_features",
]
