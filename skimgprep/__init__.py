"""skimgprep: image preprocessing for classical computer vision, as scikit-learn estimators."""

from .intensity import PixelScaler, pixel_scale
from .layout import Flattener, flatten_images
# denoise: (line kept for the denoise module)
# augment: (line kept for the augment module)
# hog: (line kept for the hog module)
# decomposition: (line kept for the decomposition module)
# outliers: (line kept for the outliers module)
# balance: (line kept for the balance module)

__version__ = "0.1.0.dev0"

__all__ = [
    "Flattener",
    "PixelScaler",
    "flatten_images",
    "pixel_scale",
    # denoise names
    # augment names
    # hog names
    # decomposition names
    # outliers names
    # balance names
]
