"""What the benchmarks share: the batches, the workloads' parameters, the
peers' equivalent calls, and the timers.

The batches are crops of the images that ship with scikit-image
(``camera`` for grayscale, ``astronaut`` for colour), at seeded random
positions, so every run times the same pixels. Nothing here is timed by
itself: ``compare.py`` and the ``benchmark_*.py`` suites import it.
"""

import os
import time
import tracemalloc

# albumentations asks PyPI for a newer version at import unless told not to.
os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402
from skimage import data  # noqa: E402

try:  # optional peer, in the bench extra
    import cv2
except ImportError:  # pragma: no cover - depends on the bench extra
    cv2 = None

try:  # optional peer, in the bench extra
    import albumentations
except ImportError:  # pragma: no cover - depends on the bench extra
    albumentations = None

# --- the workloads' parameters ---------------------------------------------

#: HOG of 28x28 digits-sized images: 4x4 cells, 2x2 blocks, 9 bins.
HOG_28 = dict(orientations=9, pixels_per_cell=(4, 4), cells_per_block=(2, 2))
#: HOG of Dalal and Triggs' 64x128 (w x h) windows: 8x8 cells, 2x2 blocks.
HOG_64x128 = dict(orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))

#: The Augmenter of the comparison: every copy is flipped with probability
#: 0.5, then rotated, zoomed and shifted (one bilinear warp, reflected
#: border), then its contrast and brightness changed; no noise. The same
#: draws, with the same probabilities, as :func:`albumentations_compose`.
AUGMENT = dict(
    n_augmented=1,
    p_hflip=0.5,
    p_vflip=0.0,
    p_rotate=1.0,
    rotation_range=(-15, 15),
    p_scale=1.0,
    scale_range=(0.9, 1.1),
    p_translate=1.0,
    translation_range=(-0.1, 0.1),
    p_brightness=1.0,
    brightness_range=(-0.1, 0.1),
    p_contrast=1.0,
    contrast_range=(0.8, 1.2),
    p_noise=0.0,
    mode="reflect",
)


# --- the batches -------------------------------------------------------------


def _crops(image, n, shape, seed):
    """``n`` crops of ``shape`` (h, w) at seeded random positions of ``image``."""
    h, w = shape
    windows = sliding_window_view(image, (h, w), axis=(0, 1))
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, windows.shape[0], size=n)
    cols = rng.integers(0, windows.shape[1], size=n)
    crops = windows[rows, cols]  # (n, [c,] h, w): the window axes come last
    if image.ndim == 3:
        crops = np.moveaxis(crops, 1, -1)
    return np.ascontiguousarray(crops)


def gray_images(n, shape, *, seed=0):
    """``n`` uint8 crops of ``shape`` (h, w) from ``skimage.data.camera()``."""
    return _crops(data.camera(), n, shape, seed)


def colour_images(n, shape, *, seed=0):
    """``n`` uint8 crops of ``shape`` (h, w) from ``skimage.data.astronaut()``."""
    return _crops(data.astronaut(), n, shape, seed)


def noisy(images, sigma=0.05, *, seed=0):
    """float32 images in [0, 1] with Gaussian noise of ``sigma``, clipped.

    Built chunk by chunk, so that making the batch never holds more than the
    batch and one chunk (the memory measurements start after it).
    """
    rng = np.random.default_rng(seed)
    out = np.empty(images.shape, dtype=np.float32)
    for start in range(0, len(images), 1024):
        chunk = images[start : start + 1024].astype(np.float32) / 255
        chunk += rng.normal(0, sigma, chunk.shape).astype(np.float32)
        out[start : start + 1024] = np.clip(chunk, 0, 1)
    return out


def float_images(n, shape, *, seed=0):
    """float32 grayscale crops in [0, 1], made without a float64 temporary."""
    images = gray_images(n, shape, seed=seed)
    out = np.empty(images.shape, dtype=np.float32)
    np.multiply(images, np.float32(1 / 255), out=out)
    return out


def labels(n, n_classes=10, minority=0.6):
    """Class labels of ``n`` images: ``n_classes`` classes, the last one
    holding ``minority`` times as many images as each of the others (so
    SMOTE has something to do)."""
    weights = np.ones(n_classes)
    weights[-1] = minority
    counts = np.floor(n * weights / weights.sum()).astype(int)
    counts[0] += n - counts.sum()
    return np.repeat(np.arange(n_classes), counts)[np.random.default_rng(0).permutation(n)]


# --- the peers' equivalent calls -------------------------------------------------


def opencv_hog(shape, params):
    """``cv2.HOGDescriptor`` for images of ``shape`` (h, w) with HOG ``params``.

    Same window, cells, blocks (stride one cell) and bins as
    ``skimage.feature.hog``. OpenCV interpolates votes between bins and
    cells and weights blocks with a Gaussian, so its features differ: only
    its speed is compared.
    """
    if cv2 is None:
        return None
    cv2.setNumThreads(1)
    h, w = shape
    ch, cw = params["pixels_per_cell"]
    bh, bw = params["cells_per_block"]
    return cv2.HOGDescriptor(
        (w, h), (bw * cw, bh * ch), (cw, ch), (cw, ch), params["orientations"]
    )


def albumentations_compose():
    """``A.Compose`` with the transforms and probabilities of :data:`AUGMENT`.

    Horizontal flip (p=0.5); ``Affine`` with rotation, zoom and shift from
    the same ranges, bilinear, ``BORDER_REFLECT_101`` (skimage's and
    skimgprep's "reflect"), always applied; ``RandomBrightnessContrast``
    with the same ranges, always applied (albumentations scales about 0,
    skimgprep about the image mean: the same cost).
    """
    if albumentations is None:
        return None
    A = albumentations
    lo, hi = AUGMENT["contrast_range"]
    return A.Compose(
        [
            A.HorizontalFlip(p=AUGMENT["p_hflip"]),
            A.Affine(
                scale=AUGMENT["scale_range"],
                rotate=AUGMENT["rotation_range"],
                translate_percent=AUGMENT["translation_range"],
                interpolation=cv2.INTER_LINEAR,
                border_mode=cv2.BORDER_REFLECT_101,
                p=1.0,
            ),
            A.RandomBrightnessContrast(
                brightness_limit=AUGMENT["brightness_range"],
                contrast_limit=(lo - 1, hi - 1),
                p=1.0,
            ),
        ]
    )


def skimage_augment(images, seed=0):
    """The :data:`AUGMENT` copies with a scikit-image per-image loop.

    Per image: draw the parameters, ``np.fliplr``, one
    ``skimage.transform.warp`` (bilinear, ``mode="reflect"``) with the
    rotation, zoom and shift about the centre, contrast about the mean and
    brightness, rounded and clipped back to uint8.
    """
    from skimage.transform import AffineTransform, warp

    rng = np.random.default_rng(seed)
    out = np.empty_like(images)
    h, w = images.shape[1:3]
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    for i, image in enumerate(images):
        if rng.random() < AUGMENT["p_hflip"]:
            image = image[:, ::-1]
        angle = np.deg2rad(rng.uniform(*AUGMENT["rotation_range"]))
        zoom = rng.uniform(*AUGMENT["scale_range"])
        shift = rng.uniform(*AUGMENT["translation_range"], size=2) * (w, h)
        # ``a + b`` applies a, then b. warp's inverse_map takes output
        # coordinates to input coordinates: the inverse of the forward map.
        forward = (
            AffineTransform(translation=-centre)
            + AffineTransform(scale=zoom, rotation=angle)
            + AffineTransform(translation=centre + shift)
        )
        warped = warp(image, forward.inverse, order=1, mode="reflect", preserve_range=True)
        contrast = rng.uniform(*AUGMENT["contrast_range"])
        brightness = rng.uniform(*AUGMENT["brightness_range"]) * 255
        mean = warped.mean()
        warped = (warped - mean) * contrast + mean + brightness
        out[i] = np.clip(np.rint(warped), 0, 255)
    return out


#: The Denoiser's strength per method in the comparison (images in [0, 1]).
DENOISE_STRENGTH = {
    "gaussian": 1.0,
    "median": 1.0,
    "bilateral": 1.0,
    "nl_means": 1.0,
    "tv": 0.1,
    "wavelet": 1.0,
}


def denoise_images(n, *, seed=0):
    """``n`` noisy 128x128 colour images, float32 in [0, 1]."""
    return noisy(colour_images(n, (128, 128), seed=seed), seed=seed)


def skimage_denoiser(method):
    """The scikit-image call each Denoiser method documents, on one image.

    With :data:`DENOISE_STRENGTH` and the Denoiser's fixed arguments, so the
    outputs are equal to the Denoiser's (``compare.py`` checks it).
    """
    from skimage import filters, restoration
    from skimage.morphology import disk

    s = DENOISE_STRENGTH[method]
    if method == "gaussian":
        return lambda im: filters.gaussian(
            im, sigma=s, mode="nearest", truncate=4.0, channel_axis=-1, preserve_range=True
        )
    if method == "median":
        footprint = disk(int(np.floor(s + 0.5)))[:, :, None]
        return lambda im: filters.median(im, footprint, mode="nearest")
    if method == "bilateral":
        return lambda im: restoration.denoise_bilateral(
            im, sigma_spatial=s, mode="edge", channel_axis=-1
        )
    if method == "nl_means":

        def nl_means(im):
            sigma = float(np.mean(restoration.estimate_sigma(im, channel_axis=-1)))
            return restoration.denoise_nl_means(
                im, h=s * sigma, sigma=sigma, preserve_range=True, channel_axis=-1
            )

        return nl_means
    if method == "tv":
        return lambda im: restoration.denoise_tv_chambolle(im, weight=s, channel_axis=-1)

    def wavelet(im):  # each channel with its own estimated sigma
        sigmas = s * np.asarray(
            restoration.estimate_sigma(im, channel_axis=-1, average_sigmas=False)
        )
        return np.stack(
            [restoration.denoise_wavelet(im[..., c], sigma=sg) for c, sg in enumerate(sigmas)],
            axis=-1,
        )

    return wavelet


def opencv_denoiser(method):
    """OpenCV's filter for ``method`` on one image, or None.

    "gaussian": ``cv2.GaussianBlur`` with scikit-image's kernel size for
    ``truncate=4.0`` and ``BORDER_REPLICATE`` (scikit-image's "nearest"):
    equal up to float32 rounding. "median": ``cv2.medianBlur`` with a 3x3
    square (float32 takes 3 or 5), where the Denoiser uses the 5-pixel
    cross ``disk(1)``: speed only. None for the other methods, or without
    OpenCV.
    """
    if cv2 is None or method not in ("gaussian", "median"):
        return None
    cv2.setNumThreads(1)
    s = DENOISE_STRENGTH[method]
    if method == "gaussian":
        k = 2 * int(4.0 * s + 0.5) + 1
        return lambda im: cv2.GaussianBlur(im, (k, k), s, borderType=cv2.BORDER_REPLICATE)
    return lambda im: cv2.medianBlur(im, 3)


# --- timers -------------------------------------------------------------------------


def best_time(func, repeat=3):
    """The shortest of ``repeat`` wall-clock times of ``func()``, in seconds."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def peak_bytes(func):
    """Peak memory traced by tracemalloc (numpy's buffers included) in ``func()``."""
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run_suites(*suites, n_images=None, repeat=3):
    """Run asv-style suites once, as a script: print each ``time_*`` method's
    images per second and each ``peakmem_*`` method's traced peak.

    For every combination of a suite's ``params`` the suite is set up, then
    each ``time_*`` method timed (best of ``repeat``) and each ``peakmem_*``
    method measured with :func:`peak_bytes` after a warm-up call. ``setup`` or a method raising
    ``NotImplementedError`` (asv's way to skip) prints as "-". A method
    that times fewer images than ``n_images`` names its count in the
    suite's ``timed_images`` dict.
    """
    import itertools

    for cls in suites:
        params = cls.params
        if params and not isinstance(params[0], (list, tuple)):
            params = [params]
        names = getattr(cls, "param_names", [f"p{i}" for i in range(len(params))])
        print(f"\n{cls.__name__}: {cls.__doc__.splitlines()[0] if cls.__doc__ else ''}")
        for combo in itertools.product(*params):
            suite = cls()
            if n_images is not None:
                suite.n_images = n_images
            label = ", ".join(f"{k}={v}" for k, v in zip(names, combo))
            try:
                suite.setup(*combo)
            except NotImplementedError:
                print(f"  {label}: -")
                continue
            for name in sorted(dir(suite)):
                method = getattr(suite, name)
                if not name.startswith(("time_", "peakmem_")):
                    continue
                try:
                    if name.startswith("time_"):
                        seconds = best_time(lambda: method(*combo), repeat)
                        count = getattr(suite, "timed_images", {}).get(name, suite.n_images)
                        count = min(count, suite.n_images)
                        value = f"{count / seconds:12,.0f} images/s ({count} images)"
                    else:
                        method(*combo)  # warm-up: compilation is not the step's memory
                        value = f"{peak_bytes(lambda: method(*combo)) / 2**20:12,.1f} MiB peak"
                except NotImplementedError:
                    value = f"{'-':>12s}"
                print(f"  {label:40s} {name:32s} {value}")
