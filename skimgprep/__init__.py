"""skimgprep: image preprocessing for classical computer vision, as scikit-learn estimators."""

from .intensity import PixelScaler, pixel_scale
from .layout import Flattener, flatten_images
from .denoise import Denoiser, denoise_batch
from .augment import Augmenter, apply_augmentation, augment_images, augmentation_matrices
from .features import HOGExtractor, hog_batch
from .decomposition import PCAReducer
from .outliers import OutlierFilter
from .balance import SMOTEBalancer

__version__ = "0.1.0.dev0"

__all__ = [
    "Flattener",
    "PixelScaler",
    "flatten_images",
    "pixel_scale",
    "Denoiser",
    "denoise_batch",
    "Augmenter",
    "apply_augmentation",
    "augment_images",
    "augmentation_matrices",
    "HOGExtractor",
    "hog_batch",
    "PCAReducer",
    "OutlierFilter",
    "SMOTEBalancer",
]
