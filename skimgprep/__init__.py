"""skimgprep: image preprocessing for classical computer vision, as scikit-learn estimators."""

from .augment import Augmenter, apply_augmentation, augment_images, augmentation_matrices
from .balance import SMOTEBalancer
from .color import ColorConverter, convert_color
# features-lbp: (line kept for the LBP and colour histogram modules)
# features-texture: (line kept for the GLCM and Gabor module)
# features-bovw: (line kept for the bag of visual words module)
# domain: (line kept for the domain module)
# quality: (line kept for the quality module)
# io: (line kept for the io module)
from .decomposition import PCAReducer
from .denoise import Denoiser, denoise_batch
from .exposure import ContrastEnhancer, enhance_contrast
from .features import HOGExtractor, RegionFeatureExtractor, hog_batch, region_features
from .geometry import Deskewer, Resizer, deskew_images, resize_images
from .intensity import PixelScaler, pixel_scale
from .layout import Flattener, flatten_images
from .outliers import OutlierFilter
from .segmentation import (
    ObjectCropper,
    ThresholdMasker,
    crop_objects,
    image_thresholds,
    mask_images,
)

__version__ = "0.1.0.dev0"

__all__ = [
    # features-lbp names
    # features-texture names
    # features-bovw names
    # domain names
    # quality names
    # io names
    # balance names
    "Augmenter",
    "ColorConverter",
    "ContrastEnhancer",
    "Denoiser",
    "Deskewer",
    "Flattener",
    "HOGExtractor",
    "ObjectCropper",
    "OutlierFilter",
    "PCAReducer",
    "PixelScaler",
    "RegionFeatureExtractor",
    "Resizer",
    "SMOTEBalancer",
    "ThresholdMasker",
    "apply_augmentation",
    "augment_images",
    "augmentation_matrices",
    "convert_color",
    "crop_objects",
    "denoise_batch",
    "deskew_images",
    "enhance_contrast",
    "flatten_images",
    "hog_batch",
    "image_thresholds",
    "mask_images",
    "pixel_scale",
    "region_features",
    "resize_images",
]
