"""skimgprep: image preprocessing for classical computer vision, as scikit-learn estimators."""

from .augment import Augmenter, apply_augmentation, augment_images, augmentation_matrices
from .balance import SMOTEBalancer
from .decomposition import PCAReducer
from .denoise import Denoiser, denoise_batch
from .features import HOGExtractor, hog_batch
from .intensity import PixelScaler, pixel_scale
from .layout import Flattener, flatten_images
from .outliers import OutlierFilter
# exposure: (line kept for the exposure module)
# geometry: (line kept for the geometry module)
# color: (line kept for the color module)
# segmentation: (line kept for the segmentation module)
# region: (line kept for the region features)

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
    # exposure names
    # geometry names
    # color names
    # segmentation names
    # region names
]
