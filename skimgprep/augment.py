"""Random augmentation of a batch of images: :class:`Augmenter`.

Augmentation adds samples, so it is a sampler (``fit_resample``): in an
:class:`imblearn.pipeline.Pipeline` it runs on the training images only, and
never at ``predict``, ``transform`` or ``score``.

The work is split as in kornia and albumentations: the random parameters of
every augmented copy are drawn first, for the whole batch, with one generator
(:func:`numpy.random.RandomState` from ``check_random_state``); a pure
function, :func:`apply_augmentation`, then applies them. The parameters are
kept in ``Augmenter.augmentation_params_``, so a run can be replayed exactly,
and the result does not depend on ``n_jobs`` or ``batch_size``.

Geometry is one affine map per copy (flips, scaling and rotation about the
image centre, translation), and the whole chunk of copies is warped in one
:func:`scipy.ndimage.map_coordinates` call: the (source image, channel) index
is an extra, integer, coordinate, along which linear interpolation is exact.
Each copy equals :func:`skimage.transform.warp` with its matrix and
``order=1``.
"""

from collections import Counter, OrderedDict
from numbers import Integral, Real

import numpy as np
from scipy import ndimage as ndi
from sklearn.utils import check_random_state

from ._compat import Interval, StrOptions
from ._parallel import chunk_slices, map_chunks
from ._validation import check_image_shape_param, check_images, float_dtype
from .base import BaseImageSampler

__all__ = [
    "Augmenter",
    "apply_augmentation",
    "augment_images",
    "augmentation_matrices",
]

#: scikit-image / numpy.pad boundary modes and the scipy.ndimage mode that
#: matches each (as skimage.transform.warp translates them).
_NDIMAGE_MODES = {
    "constant": "grid-constant",
    "edge": "nearest",
    "symmetric": "reflect",
    "reflect": "mirror",
    "wrap": "grid-wrap",
}

#: The keys of a parameter dict, in the order they are drawn.
_PARAM_KEYS = (
    "source",
    "hflip",
    "vflip",
    "rotation",
    "scale",
    "translation",
    "brightness",
    "contrast",
    "noise_std",
    "noise_seed",
)

_RANGES = {
    # name: (lowest allowed value, strictly greater?)
    "rotation_range": (None, False),
    "scale_range": (0.0, True),
    "translation_range": (None, False),
    "brightness_range": (None, False),
    "contrast_range": (0.0, False),
}


def _value_range(dtype):
    """The dtype's value range: 1 for floats and bool, max - min for integers."""
    dtype = np.dtype(dtype)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return float(info.max) - float(info.min)
    return 1.0


def _int_bounds(dtype, compute_dtype):
    """Clip bounds, in ``compute_dtype``, that cast safely to the integer ``dtype``."""
    if dtype == np.bool_:
        return compute_dtype.type(0), compute_dtype.type(1)
    info = np.iinfo(dtype)
    lo, hi = compute_dtype.type(info.min), compute_dtype.type(info.max)
    if int(hi) > info.max:  # float(2**63 - 1) rounds up to 2**63: step below it
        hi = np.nextafter(hi, compute_dtype.type(0))
    return lo, hi


def _check_range(value, name):
    low_bound, strict = _RANGES[name]
    ok = (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, Real) and not isinstance(v, bool) for v in value)
        and all(np.isfinite(v) for v in value)
        and value[0] <= value[1]
    )
    if ok and low_bound is not None:
        ok = value[0] > low_bound if strict else value[0] >= low_bound
    if not ok:
        bound = ""
        if low_bound is not None:
            bound = f" and low {'>' if strict else '>='} {low_bound:g}"
        raise ValueError(
            f"{name} must be a tuple (low, high) of two finite numbers with "
            f"low <= high{bound}; got {value!r}."
        )
    return float(value[0]), float(value[1])


def _draw_params(rng, n_images, n_augmented, knobs):
    """Draw the parameters of ``n_images * n_augmented`` copies with ``rng``.

    Copy ``j`` of image ``i`` is row ``j * n_images + i``. Every field is
    drawn whatever its probability, so the stream has one layout.
    """
    m = n_images * n_augmented
    source = np.tile(np.arange(n_images, dtype=np.intp), n_augmented)

    def on(p):
        return rng.random_sample(m) < p

    def drawn(p, value_range, identity, size=(m,)):
        applied = on(p)
        values = rng.uniform(value_range[0], value_range[1], size=size)
        mask = applied if len(size) == 1 else applied[:, None]
        return np.where(mask, values, identity)

    params = {"source": source}
    params["hflip"] = on(knobs["p_hflip"])
    params["vflip"] = on(knobs["p_vflip"])
    params["rotation"] = drawn(knobs["p_rotate"], knobs["rotation_range"], 0.0)
    params["scale"] = drawn(knobs["p_scale"], knobs["scale_range"], 1.0)
    params["translation"] = drawn(
        knobs["p_translate"], knobs["translation_range"], 0.0, size=(m, 2)
    )
    params["brightness"] = drawn(knobs["p_brightness"], knobs["brightness_range"], 0.0)
    params["contrast"] = drawn(knobs["p_contrast"], knobs["contrast_range"], 1.0)
    noisy = on(knobs["p_noise"])
    params["noise_std"] = np.where(noisy, float(knobs["noise_std"]), 0.0)
    seeds = rng.randint(0, np.iinfo(np.int32).max, size=m)
    params["noise_seed"] = seeds.astype(np.int64)
    return params


def _check_params(params, n_images=None):
    """Validate a parameter dict and return it with arrays of the right dtypes."""
    if not isinstance(params, dict):
        raise TypeError(
            "params must be a dict of per-copy arrays (such as "
            f"Augmenter.augmentation_params_); got {type(params).__name__}."
        )
    missing = [k for k in _PARAM_KEYS if k not in params]
    if missing:
        raise ValueError(
            f"params is missing the keys {missing}; expected the keys "
            f"{list(_PARAM_KEYS)}, as in Augmenter.augmentation_params_."
        )
    out = {
        "source": np.asarray(params["source"]),
        "hflip": np.asarray(params["hflip"], dtype=bool),
        "vflip": np.asarray(params["vflip"], dtype=bool),
        "translation": np.asarray(params["translation"], dtype=np.float64),
        "noise_seed": np.asarray(params["noise_seed"]),
    }
    for key in ("rotation", "scale", "brightness", "contrast", "noise_std"):
        out[key] = np.asarray(params[key], dtype=np.float64)
    m = out["source"].shape[0] if out["source"].ndim == 1 else -1
    shapes = {k: v.shape for k, v in out.items()}
    expected = {k: (m,) for k in _PARAM_KEYS}
    expected["translation"] = (m, 2)
    bad = {k: s for k, s in shapes.items() if s != expected[k]}
    if m < 0 or bad:
        raise ValueError(
            "params must hold one value per copy: 1D arrays of one length m "
            "('translation' of shape (m, 2)); got shapes "
            f"{ {k: shapes[k] for k in _PARAM_KEYS} }."
        )
    for key in ("source", "noise_seed"):
        if m and not np.issubdtype(out[key].dtype, np.integer):
            raise ValueError(
                f"params[{key!r}] must hold integers; got dtype {out[key].dtype}."
            )
    out["source"] = out["source"].astype(np.intp, copy=False)
    if n_images is not None and m and (
        out["source"].min() < 0 or out["source"].max() >= n_images
    ):
        raise ValueError(
            f"params['source'] must index the {n_images} images given, in "
            f"[0, {n_images - 1}]; got values from {out['source'].min()} to "
            f"{out['source'].max()}."
        )
    floats = [k for k in _PARAM_KEYS[3:9] if not np.all(np.isfinite(out[k]))]
    if floats:
        raise ValueError(f"params {floats} must be finite; got non-finite values.")
    seeds = out["noise_seed"]
    if m and (seeds.min() < 0 or seeds.max() > np.iinfo(np.uint32).max):
        raise ValueError(
            "params['noise_seed'] must hold seeds in [0, 2**32 - 1]; got values "
            f"from {seeds.min()} to {seeds.max()}."
        )
    if m and (np.any(out["scale"] <= 0) or np.any(out["noise_std"] < 0)):
        raise ValueError(
            "params['scale'] must be > 0 and params['noise_std'] >= 0; got "
            f"scale from {out['scale'].min()}, noise_std from "
            f"{out['noise_std'].min()}."
        )
    return out


def _matvec(lin, vec):
    """``lin[k] @ vec[k]`` for (m, 2, 2) and (m, 2) or (2,), written out."""
    vec = np.broadcast_to(vec, (lin.shape[0], 2))
    return np.stack(
        [
            lin[:, 0, 0] * vec[:, 0] + lin[:, 0, 1] * vec[:, 1],
            lin[:, 1, 0] * vec[:, 0] + lin[:, 1, 1] * vec[:, 1],
        ],
        axis=1,
    )


def _matrices(params, h, w, *, inverse):
    """Affine matrices ``(m, 3, 3)`` in scikit-image's ``(x, y)`` = (col, row) order.

    The forward map sends an input pixel ``q`` to
    ``R(-angle) @ (scale * F @ (q - centre)) + centre + shift``, where ``F``
    flips x and/or y and ``centre = ((w - 1) / 2, (h - 1) / 2)``; the inverse
    map (output pixel to input pixel) is written out rather than inverted
    numerically, so that pure flips are exact.
    """
    m = len(params["source"])
    angle = np.deg2rad(params["rotation"])
    cos, sin = np.cos(angle), np.sin(angle)
    fx = np.where(params["hflip"], -1.0, 1.0)
    fy = np.where(params["vflip"], -1.0, 1.0)
    s = params["scale"]
    centre = np.array([(w - 1) / 2.0, (h - 1) / 2.0])
    shift = params["translation"] * np.array([w, h], dtype=np.float64)
    lin = np.empty((m, 2, 2))
    if inverse:
        # F @ R(angle) / scale
        lin[:, 0, 0], lin[:, 0, 1] = fx * cos / s, -fx * sin / s
        lin[:, 1, 0], lin[:, 1, 1] = fy * sin / s, fy * cos / s
        offset = centre - _matvec(lin, centre + shift)
    else:
        # scale * R(-angle) @ F
        lin[:, 0, 0], lin[:, 0, 1] = s * cos * fx, s * sin * fy
        lin[:, 1, 0], lin[:, 1, 1] = -s * sin * fx, s * cos * fy
        offset = centre + shift - _matvec(lin, centre)
    mat = np.zeros((m, 3, 3))
    mat[:, :2, :2] = lin
    mat[:, :2, 2] = offset
    mat[:, 2, 2] = 1.0
    return mat


def _augment_chunk(
    source,
    inv,
    contrast,
    brightness,
    noise_std,
    noise_seed,
    *,
    stack,
    image_shape,
    mode,
    cval,
    compute_dtype,
    out_dtype,
    value_range,
):
    """Augment one chunk of copies; every copy independently of the others."""
    k = len(source)
    h, w = image_shape[:2]
    c = image_shape[2] if len(image_shape) == 3 else 1
    # Input coordinates of every output pixel, (k, h, w), from the inverse maps.
    rows = np.arange(h, dtype=np.float64)[None, :, None]
    cols = np.arange(w, dtype=np.float64)[None, None, :]
    a = inv[:, :2, :, None, None]
    x_in = a[:, 0, 0] * cols + a[:, 0, 1] * rows + a[:, 0, 2]
    y_in = a[:, 1, 0] * cols + a[:, 1, 1] * rows + a[:, 1, 2]
    coords = np.empty((3, k, c, h, w))
    coords[0] = (source[:, None] * c + np.arange(c))[:, :, None, None]
    coords[1] = y_in[:, None]
    coords[2] = x_in[:, None]
    warped = ndi.map_coordinates(
        stack,
        coords.reshape(3, k * c, h, w),
        order=1,
        mode=_NDIMAGE_MODES[mode],
        cval=cval,
        output=compute_dtype,
    ).reshape(k, c, h, w)
    if len(image_shape) == 3:
        out = np.ascontiguousarray(np.moveaxis(warped, 1, -1))
    else:
        out = warped[:, 0]
    flat = out.reshape(k, -1)

    # Contrast about each copy's mean, then brightness, as one multiply-add;
    # the identity (contrast 1, brightness 0) leaves values bit for bit.
    if np.any(contrast != 1.0) or np.any(brightness != 0.0):
        mean = flat.mean(axis=1, dtype=np.float64)
        offset = mean * (1.0 - contrast) + brightness * value_range
        flat *= contrast.astype(compute_dtype)[:, None]
        flat += offset.astype(compute_dtype)[:, None]
    # Each copy's noise comes from its own seed (numpy's frozen legacy
    # stream), so it does not depend on the chunks and replays exactly.
    for i in np.flatnonzero(noise_std > 0):
        rs = np.random.RandomState(int(noise_seed[i]))
        noise = rs.standard_normal(flat.shape[1])
        noise *= noise_std[i] * value_range
        flat[i] += noise.astype(compute_dtype, copy=False)

    if out_dtype == compute_dtype:
        return out
    if out_dtype == np.bool_ or np.issubdtype(out_dtype, np.integer):
        lo, hi = _int_bounds(out_dtype, compute_dtype)
        np.rint(out, out=out)
        np.clip(out, lo, hi, out=out)
    return out.astype(out_dtype)


def _apply(images, params, *, mode, cval, n_jobs, batch_size):
    """Augmented copies ``(m, h, w[, c])`` of a validated batch, in its dtype."""
    n = images.shape[0]
    image_shape = tuple(images.shape[1:])
    out_dtype = images.dtype.newbyteorder("=")
    compute_dtype = float_dtype(out_dtype)
    m = len(params["source"])
    if m == 0:
        return np.empty((0,) + image_shape, dtype=out_dtype)
    h, w = image_shape[:2]
    c = image_shape[2] if len(image_shape) == 3 else 1
    # scipy.ndimage reads every numeric dtype but bool and float16.
    if images.dtype == np.bool_ or images.dtype == np.float16:
        images = images.astype(compute_dtype)
    if len(image_shape) == 3:
        # (n, h, w, c) -> (n * c, h, w): each channel is one plane of the stack.
        stack = np.ascontiguousarray(np.moveaxis(images, -1, 1)).reshape(n * c, h, w)
    else:
        stack = images
    if batch_size is None:
        # About 32 MiB of coordinates and output per chunk.
        per_copy = (3 * 8 + 2 * compute_dtype.itemsize) * h * w * c
        batch_size = chunk_slices(
            m, bytes_per_item=per_copy, n_jobs=n_jobs
        )[0].stop
    inv = _matrices(params, h, w, inverse=True)
    return map_chunks(
        _augment_chunk,
        params["source"],
        inv,
        params["contrast"],
        params["brightness"],
        params["noise_std"],
        params["noise_seed"],
        n_jobs=n_jobs,
        batch_size=batch_size,
        stack=stack,
        image_shape=image_shape,
        mode=mode,
        cval=float(cval),
        compute_dtype=compute_dtype,
        out_dtype=out_dtype,
        value_range=_value_range(out_dtype),
    )


class Augmenter(BaseImageSampler):
    """Add randomly flipped, rotated, scaled, shifted and re-lit copies of images.

    ``fit_resample(X, y)`` returns the original images first, unchanged and
    in order, then ``n_augmented`` augmented copies of every image, each with
    the label of its source: with ``n`` images, row ``(j + 1) * n + i`` of
    the output is copy ``j`` of image ``i``. Being a sampler, it runs only
    when a pipeline is fitted, never at predict time.

    Each copy gets its own draws. A transform is applied with its probability
    ``p_*``; its amount is then drawn uniformly from its range. The order is:
    flips, scaling, rotation and translation (one affine map, one bilinear
    warp), then contrast, brightness and Gaussian noise.

    Parameters
    ----------
    n_augmented : int, default=1
        Augmented copies per image; 0 returns the originals only.
    p_hflip : float in [0, 1], default=0.5
        Probability of a horizontal (left-right) flip, ``np.fliplr``.
    p_vflip : float in [0, 1], default=0.0
        Probability of a vertical (up-down) flip, ``np.flipud``. Off by
        default: most photographs and digits are not upside-down invariant.
    p_rotate : float in [0, 1], default=0.5
        Probability of a rotation about the image centre.
    rotation_range : tuple (low, high), default=(-15, 15)
        Rotation angle in degrees, counter-clockwise, as
        :func:`skimage.transform.rotate`.
    p_scale : float in [0, 1], default=0.5
        Probability of a zoom about the image centre.
    scale_range : tuple (low, high), default=(0.9, 1.1)
        Zoom factor (> 0); above 1 zooms in. The output keeps the image size.
    p_translate : float in [0, 1], default=0.5
        Probability of a translation.
    translation_range : tuple (low, high), default=(-0.1, 0.1)
        Shift as a fraction of the image width (x, to the right) and height
        (y, down), drawn independently for each axis.
    p_brightness : float in [0, 1], default=0.5
        Probability of a brightness change.
    brightness_range : tuple (low, high), default=(-0.1, 0.1)
        Value added to every pixel, as a fraction of the dtype's value range:
        1 for floats (images in [0, 1]), 255 for uint8, 65535 for uint16
        (``max - min`` for integer dtypes).
    p_contrast : float in [0, 1], default=0.5
        Probability of a contrast change.
    contrast_range : tuple (low, high), default=(0.8, 1.2)
        Factor (>= 0) applied about each image's mean (over all its pixels
        and channels): ``mean + factor * (image - mean)``.
    p_noise : float in [0, 1], default=0.25
        Probability of additive Gaussian noise, drawn independently for every
        pixel value.
    noise_std : float >= 0, default=0.02
        Standard deviation of the noise, as a fraction of the dtype's value
        range (as ``brightness_range``).
    mode : {"reflect", "constant", "edge", "symmetric", "wrap"}, default="reflect"
        How pixels that a warp pulls from outside the image are filled, with
        :func:`numpy.pad`'s and :func:`skimage.transform.warp`'s names:
        "reflect" mirrors about the edge pixel (``dcb|abcd|cba``, OpenCV's
        BORDER_REFLECT_101), "symmetric" repeats it (``cba|abcd|dcb``),
        "edge" extends it, "wrap" tiles the image, "constant" fills with
        ``cval``. The default avoids the dark corners of "constant", which
        edge-based features would pick up.
    cval : float, default=0.0
        Fill value of ``mode="constant"``, in pixel units.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    n_jobs : int, default=None
        Jobs for the chunks of copies (:class:`joblib.Parallel`); None means
        1 unless in a :func:`joblib.parallel_backend` context. The output
        does not depend on it.
    batch_size : int, default=None
        Augmented copies per chunk; None chooses about 32 MiB of work per
        chunk. The output does not depend on it.
    random_state : int, RandomState instance or None, default=None
        Seeds the one generator from which all parameters of a
        ``fit_resample`` call are drawn. Pass an int for reproducible output.

    Attributes
    ----------
    augmentation_params_ : dict of ndarray
        What was drawn in the last ``fit_resample``, one row per augmented
        copy (``m = n * n_augmented``), in output order:

        - ``"source"``: (m,) int, the index of the source image;
        - ``"hflip"``, ``"vflip"``: (m,) bool;
        - ``"rotation"``: (m,) float, degrees (0 when not applied);
        - ``"scale"``: (m,) float (1 when not applied);
        - ``"translation"``: (m, 2) float, (x, y) fractions of (w, h);
        - ``"brightness"``: (m,) float, fraction of the value range (0 when
          not applied);
        - ``"contrast"``: (m,) float (1 when not applied);
        - ``"noise_std"``: (m,) float, fraction of the value range (0 when
          not applied);
        - ``"noise_seed"``: (m,) int, seeds the copy's noise
          (``numpy.random.RandomState(seed).standard_normal``).

        ``apply_augmentation(X, augmentation_params_, mode=mode, cval=cval)``
        reproduces the augmented part of the output exactly.
    sampling_strategy_ : OrderedDict
        The number of samples added per class, ``{class: count * n_augmented}``.
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in the last fit.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in fit.

    See Also
    --------
    augment_images : The function twin.
    apply_augmentation : Apply drawn parameters to images (replay).
    augmentation_matrices : The affine matrix of each copy.

    Notes
    -----
    Every copy's geometry equals ``skimage.transform.warp(image,
    np.linalg.inv(M), order=1, mode=mode, cval=cval)`` with ``M`` its
    matrix from :func:`augmentation_matrices` (bilinear interpolation); pure
    flips are exact. All copies of a chunk are warped in one
    :func:`scipy.ndimage.map_coordinates` call.

    The output has the input's dtype, so the originals stay exact: float32
    stays float32 and float64 stays float64 (not clipped: their range is not
    assumed); integer and bool images are computed in float32 and returned
    rounded and clipped to their dtype's range. Labels keep their dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Augmenter
    >>> X = np.arange(2 * 4 * 4, dtype=np.float32).reshape(2, 4, 4) / 32
    >>> y = np.array([0, 1])
    >>> aug = Augmenter(n_augmented=2, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, y_res
    ((6, 4, 4), dtype('float32'), array([0, 1, 0, 1, 0, 1]))
    >>> bool(np.array_equal(X_res[:2], X))
    True
    >>> aug.augmentation_params_["source"]
    array([0, 1, 0, 1])
    """

    _parameter_constraints = {
        "n_augmented": [Interval(Integral, 0, None, closed="left")],
        "p_hflip": [Interval(Real, 0, 1, closed="both")],
        "p_vflip": [Interval(Real, 0, 1, closed="both")],
        "p_rotate": [Interval(Real, 0, 1, closed="both")],
        "rotation_range": [tuple],
        "p_scale": [Interval(Real, 0, 1, closed="both")],
        "scale_range": [tuple],
        "p_translate": [Interval(Real, 0, 1, closed="both")],
        "translation_range": [tuple],
        "p_brightness": [Interval(Real, 0, 1, closed="both")],
        "brightness_range": [tuple],
        "p_contrast": [Interval(Real, 0, 1, closed="both")],
        "contrast_range": [tuple],
        "p_noise": [Interval(Real, 0, 1, closed="both")],
        "noise_std": [Interval(Real, 0, None, closed="left")],
        "mode": [StrOptions(set(_NDIMAGE_MODES))],
        "cval": [Real],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_augmented=1,
        p_hflip=0.5,
        p_vflip=0.0,
        p_rotate=0.5,
        rotation_range=(-15, 15),
        p_scale=0.5,
        scale_range=(0.9, 1.1),
        p_translate=0.5,
        translation_range=(-0.1, 0.1),
        p_brightness=0.5,
        brightness_range=(-0.1, 0.1),
        p_contrast=0.5,
        contrast_range=(0.8, 1.2),
        p_noise=0.25,
        noise_std=0.02,
        mode="reflect",
        cval=0.0,
        image_shape=None,
        n_jobs=None,
        batch_size=None,
        random_state=None,
    ):
        self.n_augmented = n_augmented
        self.p_hflip = p_hflip
        self.p_vflip = p_vflip
        self.p_rotate = p_rotate
        self.rotation_range = rotation_range
        self.p_scale = p_scale
        self.scale_range = scale_range
        self.p_translate = p_translate
        self.translation_range = translation_range
        self.p_brightness = p_brightness
        self.brightness_range = brightness_range
        self.p_contrast = p_contrast
        self.contrast_range = contrast_range
        self.p_noise = p_noise
        self.noise_std = noise_std
        self.mode = mode
        self.cval = cval
        self.image_shape = image_shape
        self.n_jobs = n_jobs
        self.batch_size = batch_size
        self.random_state = random_state

    def _knobs(self):
        """The probabilities and checked ranges, as ``_draw_params`` takes them."""
        knobs = {name: _check_range(getattr(self, name), name) for name in _RANGES}
        for name in (
            "p_hflip", "p_vflip", "p_rotate", "p_scale", "p_translate",
            "p_brightness", "p_contrast", "p_noise", "noise_std",
        ):
            knobs[name] = float(getattr(self, name))
        return knobs

    def _make_sampling_strategy(self, y):
        """Check the ranges; return the samples added per class."""
        self._knobs()
        return OrderedDict(
            (label, count * self.n_augmented)
            for label, count in sorted(Counter(y).items())
        )

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        params = _draw_params(rng, X.shape[0], self.n_augmented, self._knobs())
        augmented = _apply(
            X,
            params,
            mode=self.mode,
            cval=self.cval,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
        )
        self.augmentation_params_ = params
        X_res = np.concatenate([X, augmented])
        y_res = np.concatenate([y, y[params["source"]]])
        return X_res, y_res


def apply_augmentation(
    images,
    params,
    *,
    mode="reflect",
    cval=0.0,
    image_shape=None,
    n_jobs=None,
    batch_size=None,
):
    """Apply drawn augmentation parameters to a batch of images (pure function).

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d)
        The source images (``params["source"]`` indexes them).
    params : dict of ndarray
        One row per copy, with the keys of ``Augmenter.augmentation_params_``.
    mode : {"reflect", "constant", "edge", "symmetric", "wrap"}, default="reflect"
        Boundary mode of the warp, as in :class:`Augmenter`.
    cval : float, default=0.0
        Fill value of ``mode="constant"``.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input.
    n_jobs : int, default=None
        Jobs for the chunks; the output does not depend on it.
    batch_size : int, default=None
        Copies per chunk; the output does not depend on it.

    Returns
    -------
    augmented : ndarray of shape (m, h, w[, c]) or (m, d)
        The copies, in the layout and dtype of ``images``. With the images
        and the parameters of an :class:`Augmenter` (and its ``mode`` and
        ``cval``), exactly the augmented part of its ``fit_resample`` output.

    Raises
    ------
    ValueError
        For missing keys, arrays of different lengths, non-finite values, or
        source indices outside the batch.

    See Also
    --------
    Augmenter : Draws the parameters and applies them.
    augmentation_matrices : The affine matrix of each copy.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Augmenter, apply_augmentation
    >>> X = np.random.RandomState(0).rand(3, 5, 5)
    >>> aug = Augmenter(n_augmented=2, p_noise=1.0, random_state=0)
    >>> X_res, _ = aug.fit_resample(X, np.array([0, 1, 1]))
    >>> replay = apply_augmentation(X, aug.augmentation_params_)
    >>> bool(np.array_equal(replay, X_res[3:]))
    True
    """
    if mode not in _NDIMAGE_MODES:
        raise ValueError(
            f"mode must be one of {sorted(_NDIMAGE_MODES)}; got {mode!r}."
        )
    batch, layout = check_images(images, image_shape=image_shape, cast=None)
    params = _check_params(params, n_images=batch.shape[0])
    out = _apply(
        batch, params, mode=mode, cval=cval, n_jobs=n_jobs, batch_size=batch_size
    )
    return layout.restore(out)


def augmentation_matrices(params, image_shape):
    """The affine matrix of each augmented copy's geometry.

    Parameters
    ----------
    params : dict of ndarray
        One row per copy, with the keys of ``Augmenter.augmentation_params_``.
    image_shape : tuple of int
        ``(h, w)`` or ``(h, w, c)`` of the images.

    Returns
    -------
    matrices : ndarray of shape (m, 3, 3)
        Forward homogeneous matrices in scikit-image's ``(x, y)`` = (column,
        row) convention: an input pixel at ``(x, y)`` lands at
        ``matrices[k] @ (x, y, 1)``. Copy ``k``'s geometry is
        ``skimage.transform.warp(image, np.linalg.inv(matrices[k]), order=1,
        mode=mode)``, or with ``AffineTransform(matrix=matrices[k]).inverse``.

    See Also
    --------
    apply_augmentation : Apply the parameters to images.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import augmentation_matrices
    >>> params = {"source": [0], "hflip": [True], "vflip": [False],
    ...           "rotation": [0.0], "scale": [1.0], "translation": [[0.0, 0.0]],
    ...           "brightness": [0.0], "contrast": [1.0], "noise_std": [0.0],
    ...           "noise_seed": [0]}
    >>> augmentation_matrices(params, (4, 5))[0]
    array([[-1.,  0.,  4.],
           [ 0.,  1.,  0.],
           [ 0.,  0.,  1.]])
    """
    shape = check_image_shape_param(image_shape)
    if shape is None:
        raise ValueError("image_shape must be (h, w) or (h, w, c); got None.")
    params = _check_params(params)
    return _matrices(params, shape[0], shape[1], inverse=False)


def augment_images(
    X,
    y,
    *,
    n_augmented=1,
    random_state=None,
    **kwargs,
):
    """Augment a batch of images: :class:`Augmenter` in one call.

    Parameters
    ----------
    X : array-like of shape (n, h, w[, c]) or (n, d)
        The images.
    y : array-like of shape (n,)
        Their labels.
    n_augmented : int, default=1
        Augmented copies per image.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.
    **kwargs
        The other parameters of :class:`Augmenter` (``p_hflip``,
        ``rotation_range``, ``mode``, ``image_shape``, ...).

    Returns
    -------
    X_resampled : ndarray of shape (n * (1 + n_augmented), ...)
        The originals, then the copies, in the layout and dtype of ``X``.
    y_resampled : ndarray of shape (n * (1 + n_augmented),)
        Their labels.

    See Also
    --------
    Augmenter : The estimator, which keeps the drawn parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import augment_images
    >>> X = np.zeros((2, 3, 3), dtype=np.uint8)
    >>> X_res, y_res = augment_images(X, np.array([3, 4]), random_state=0)
    >>> X_res.shape, X_res.dtype, y_res
    ((4, 3, 3), dtype('uint8'), array([3, 4, 3, 4]))
    """
    return Augmenter(
        n_augmented=n_augmented, random_state=random_state, **kwargs
    ).fit_resample(X, y)
