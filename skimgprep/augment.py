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

How the copies are computed
---------------------------
Geometry is one affine map per copy (flips, scaling and rotation about the
image centre, translation). A compiled kernel (numba, ``nogil``) makes each
copy straight into the output array, in two passes over its pixels:

1. *Warp.* For each output row, a vectorised loop finds every pixel's
   source position ``(x, y)`` from the copy's inverse matrix, in float64,
   and its weights ``1 - dx, dx, 1 - dy, dy`` (the fractions of ``x`` and
   ``y``, taken in float64 and rounded once to the compute dtype: float64
   for float64 images, float32 for all others). Each pixel is then
   skimage's bilinear blend of its four neighbours ``floor(x), floor(x) + 1``
   by ``floor(y), floor(y) + 1``: ``(1 - dy) * ((1 - dx) * tl + dx * tr) +
   dy * ((1 - dx) * bl + dx * br)``, in the compute dtype. This is what
   :func:`skimage.transform.warp` computes with ``order=1``
   (``bilinear_interpolation`` in ``skimage/_shared/interpolation.pxd``), up
   to the rounding of the matrix (skimage inverts it numerically; here the
   inverse is written out).
2. *Intensity.* Contrast about the copy's mean (a float64 sum), then
   brightness, as one multiply-add ``v * contrast + (mean * (1 - contrast)
   + brightness * range)`` in the compute dtype; then the copy's Gaussian
   noise; then, for integer and bool images, rounding half to even and
   clipping to the dtype's range, in the loop that stores the result.

Why the fast paths give the same numbers:

- *Inside pixels* (all four neighbours in the image: all but a band along
  the border, for this module's ranges) read the neighbours directly. The
  other pixels map each neighbour's integer index through the boundary
  mode with :func:`numpy.pad`'s rules (``reflect``: period ``2 (n - 1)``,
  ``symmetric``: period ``2 n``, ``wrap``: period ``n``, ``edge``: clamp,
  ``constant``: the ``cval`` fill), by look-up in a table of the mode over
  the range of ``floor(x)`` (an affine map reaches its extremes at the
  corners, so the range is known before the pass; two pixels spare), and
  take ``ceil(x)`` rather than ``floor(x) + 1`` where ``x`` is whole, as
  skimage does. Both give the index skimage reads, so both blend the same
  values.
- *Four lanes.* With three or four channels, a pixel's channels are
  blended as one four-lane vector (the same IEEE multiplications and
  additions, lane by lane, so the same numbers). With three, lane 3 reads
  the first value of the next pixel (never past the image: checked) and
  writes its blend over the next pixel's first value, which the next step
  of the loop writes again (never past the output: checked). uint8 values
  are widened in registers, and read through a 256-entry table in the
  scalar paths; both give ``float(v)`` exactly.
- *Integer maps.* When a copy's inverse matrix is a signed permutation of
  the axes with whole offsets (the identity, and every pure flip: ``x' =
  w - 1 - x`` is written out, not inverted, so it is exact), every output
  pixel is a copy of one input pixel: ``dx = dy = 0``, and skimage's blend
  ``1 * tl + 0 * tr ...`` returns ``tl`` exactly. Such copies are pixel
  copies by reversed (or boundary-mapped) indices, with no arithmetic.
- *Identity intensity.* With contrast 1 and brightness 0 the multiply-add
  would give ``v * 1 + 0 == v``; it is skipped for float images.
- *Noise.* Only copies that drew noise run the generator. Copy ``k``'s noise
  is ``RandomState(noise_seed[k]).standard_normal(h * w * c)``: the kernel
  runs the same generator, numpy's legacy MT19937 seeded with one integer
  (``init_genrand``), 53-bit doubles from two 32-bit draws, and the polar
  method that returns ``f * x2`` first and keeps ``f * x1`` for the next
  value, so the stream is numpy's, value for value.
- *Threads.* Each copy reads only its source image and writes only its own
  row of the output, so chunks run in threads (the kernel releases the GIL)
  in any order, and the result does not depend on ``n_jobs`` or
  ``batch_size``. The mean is summed in an order fixed by the compiled code
  and the image size alone.

The kernel is compiled for uint8, float32 and float64 images (C-contiguous,
native byte order); other images go through the float32 kernel chunk by
chunk, as float32 copies of their sources, and are rounded and clipped to
their dtype afterwards. The tests check every boundary mode, one to five
channels, float64, float32 and uint8, against :func:`skimage.transform.warp`.
"""

from collections import Counter, OrderedDict
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload
from sklearn.utils import check_random_state

from ._compat import Interval, StrOptions
from ._parallel import chunk_slices, run_tasks
from ._progress import reports_progress
from ._validation import check_image_shape_param, check_images, float_dtype
from .base import BaseImageSampler

__all__ = [
    "Augmenter",
    "apply_augmentation",
    "augment_images",
    "augmentation_matrices",
]

#: scikit-image / numpy.pad boundary modes and their codes in the kernel.
_MODES = {
    "constant": 0,
    "edge": 1,
    "symmetric": 2,
    "reflect": 3,
    "wrap": 4,
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


# --- the compiled kernel ---------------------------------------------------
#
# Every function below works on one copy at a time; ``_augment_float`` and
# ``_augment_int`` loop over the copies of a chunk. The compute dtype is the
# dtype of the buffer the warp writes into (``buf.dtype.type``).

_MT_N = 624
_MT_M = 397


@njit(nogil=True, cache=True)
def _boundary_index(i, n, mode):
    """The index that ``numpy.pad(mode)`` reads for index ``i`` of an axis of
    length ``n``; -1 for a ``constant`` fill.

    Within one period of the image (the usual case) no division is done.
    """
    if 0 <= i < n:
        return i
    if mode == 0:  # constant
        return -1
    if mode == 1:  # edge
        return 0 if i < 0 else n - 1
    if mode == 2:  # symmetric: cba|abcd|dcb, period 2n
        period = 2 * n
        if i < 0:
            i = -1 - i  # the mirror image about -0.5
        if i >= period:
            i %= period
        return i if i < n else period - 1 - i
    if mode == 3:  # reflect: dcb|abcd|cba, period 2n - 2
        if n == 1:
            return 0
        period = 2 * n - 2
        if i < 0:
            i = -i  # the mirror image about 0
        if i >= period:
            i %= period
        return i if i < n else period - i
    # wrap, period n
    if -n <= i < 0:
        return i + n
    if n <= i < 2 * n:
        return i - n
    return i % n


@njit(nogil=True, cache=True)
def _mt_generate(key, tempered):
    """MT19937's state update (numpy's ``mt19937_gen``) in place, and the
    624 tempered 32-bit outputs it gives, in order."""
    for i in range(_MT_N - _MT_M):
        y = (key[i] & 0x80000000) | (key[i + 1] & 0x7FFFFFFF)
        key[i] = key[i + _MT_M] ^ (y >> 1) ^ ((y & 1) * 0x9908B0DF)
    for i in range(_MT_N - _MT_M, _MT_N - 1):
        y = (key[i] & 0x80000000) | (key[i + 1] & 0x7FFFFFFF)
        key[i] = key[i + _MT_M - _MT_N] ^ (y >> 1) ^ ((y & 1) * 0x9908B0DF)
    y = (key[_MT_N - 1] & 0x80000000) | (key[0] & 0x7FFFFFFF)
    key[_MT_N - 1] = key[_MT_M - 1] ^ (y >> 1) ^ ((y & 1) * 0x9908B0DF)
    for i in range(_MT_N):
        y = key[i]
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        tempered[i] = y


@njit(nogil=True, cache=True)
def _standard_normal(seed, out):
    """Fill ``out`` with ``numpy.random.RandomState(seed).standard_normal(out.size)``.

    numpy's legacy generator: MT19937 seeded with one 32-bit integer
    (``init_genrand``), doubles from 53 random bits (two 32-bit draws), and
    the polar method, which gives ``f * x2`` and keeps ``f * x1`` for the
    next value.
    """
    key = np.empty(_MT_N, dtype=np.int64)  # values < 2**32: no overflow
    tempered = np.empty(_MT_N, dtype=np.int64)
    s = seed & 0xFFFFFFFF
    for i in range(_MT_N):
        key[i] = s
        s = (1812433253 * (s ^ (s >> 30)) + i + 1) & 0xFFFFFFFF
    pos = _MT_N
    n = out.size
    i = 0
    while i < n:
        r2 = 0.0
        x1 = 0.0
        x2 = 0.0
        while r2 >= 1.0 or r2 == 0.0:
            # Four 32-bit draws: two doubles in [0, 1), then in [-1, 1).
            for d in range(4):
                if pos == _MT_N:
                    _mt_generate(key, tempered)
                    pos = 0
                v = tempered[pos]
                pos += 1
                if d == 0:
                    x1 = v >> 5
                elif d == 1:
                    x1 = 2.0 * ((x1 * 67108864.0 + (v >> 6)) / 9007199254740992.0) - 1.0
                elif d == 2:
                    x2 = v >> 5
                else:
                    x2 = 2.0 * ((x2 * 67108864.0 + (v >> 6)) / 9007199254740992.0) - 1.0
            r2 = x1 * x1 + x2 * x2
        f = np.sqrt(-2.0 * np.log(r2) / r2)
        out[i] = f * x2
        if i + 1 < n:
            out[i + 1] = f * x1
        i += 2


@njit(nogil=True, cache=True)
def _safe_int(v):
    """``int(v)`` for a whole float ``v``, clamped to +-2**62 (no overflow;
    coordinates that far out have no exact integer anyway)."""
    if v > 4.0e18:
        v = 4.0e18
    elif v < -4.0e18:
        v = -4.0e18
    return int(v)


def _load(values, i, lut):
    """``values[i]`` in the compute dtype (``lut.dtype``); compiled only."""
    raise NotImplementedError


@overload(_load, inline="always")
def _load_impl(values, i, lut):
    if values.dtype == types.uint8:
        # A table look-up: cheaper than an integer-to-float conversion.
        return lambda values, i, lut: lut[values[i]]
    return lambda values, i, lut: lut.dtype.type(values[i])


@intrinsic
def _blend4(typingctx, values, p00, p01, p10, p11, wx0, wx1, wy0, wy1, buf, o):
    """``buf[o:o + 4]`` = skimage's blend of ``values[p:p + 4]`` at the four
    neighbours' offsets ``p00, p01`` (top) and ``p10, p11`` (bottom), as
    four-lane vectors: the same IEEE operations as the scalar code, lane by
    lane. The caller makes sure that every ``p + 4`` and ``o + 4`` is in range.
    """
    sig = types.void(values, p00, p01, p10, p11, wx0, wx1, wy0, wy1, buf, o)

    def codegen(context, builder, signature, args):
        src, i00, i01, i10, i11, x0, x1, y0, y1, dst, at = args
        src_type, dst_type = signature.args[0], signature.args[9]
        src_data = context.make_array(src_type)(context, builder, src).data
        dst_data = context.make_array(dst_type)(context, builder, dst).data
        in_vec = ir.VectorType(context.get_data_type(src_type.dtype), 4)
        vec = ir.VectorType(context.get_data_type(dst_type.dtype), 4)

        def load(i):
            ptr = builder.bitcast(builder.gep(src_data, [i]), in_vec.as_pointer())
            v = builder.load(ptr, align=1)
            if isinstance(src_type.dtype, types.Integer):
                if src_type.dtype.signed:
                    return builder.sitofp(v, vec)
                return builder.uitofp(v, vec)
            if src_type.dtype.bitwidth < dst_type.dtype.bitwidth:
                return builder.fpext(v, vec)
            if src_type.dtype.bitwidth > dst_type.dtype.bitwidth:
                return builder.fptrunc(v, vec)
            return v

        def splat(x):
            zero = ir.Constant(ir.IntType(32), 0)
            v = builder.insert_element(ir.Constant(vec, ir.Undefined), x, zero)
            mask = ir.Constant(ir.VectorType(ir.IntType(32), 4), [0, 0, 0, 0])
            return builder.shuffle_vector(v, ir.Constant(vec, ir.Undefined), mask)

        tl, tr, bl, br = (load(i) for i in (i00, i01, i10, i11))
        x0, x1, y0, y1 = (splat(v) for v in (x0, x1, y0, y1))
        top = builder.fadd(builder.fmul(x0, tl), builder.fmul(x1, tr))
        bot = builder.fadd(builder.fmul(x0, bl), builder.fmul(x1, br))
        res = builder.fadd(builder.fmul(y0, top), builder.fmul(y1, bot))
        ptr = builder.bitcast(builder.gep(dst_data, [at]), vec.as_pointer())
        builder.store(res, ptr, align=1)
        return context.get_dummy_value()

    return sig, codegen


@njit(nogil=True, cache=True)
def _warp_affine(flat, lut, a, h, w, c, mode, cv, maps, index, weights, buf):
    """The bilinear warp of ``flat`` (an image ``(h, w, c)``, flattened) by the
    inverse map ``a`` into ``buf``, row by row: first the source positions of
    the row (a loop that LLVM vectorises), then each pixel's blend.

    Pixels whose four neighbours are inside the image read them directly;
    the others take each neighbour's index through the boundary mode (by
    table look-up over the range of floor(x), floor(y), reached at the
    corners of the output since the map is affine, with two pixels to spare;
    computed directly if that range is too wide), and a whole coordinate
    takes ``ceil(x) == floor(x)`` as its second neighbour, as skimage.
    """
    T = weights.dtype.type
    n = flat.size
    size = buf.size
    wc = w * c
    lanes = c == 3 or c == 4
    a00, a01, a02 = a[0, 0], a[0, 1], a[0, 2]
    a10, a11, a12 = a[1, 0], a[1, 1], a[1, 2]
    xmap = maps[0]
    ymap = maps[1]
    xs = np.array([a02, a00 * (w - 1) + a02, a01 * (h - 1) + a02,
                   a00 * (w - 1) + a01 * (h - 1) + a02])
    ys = np.array([a12, a10 * (w - 1) + a12, a11 * (h - 1) + a12,
                   a10 * (w - 1) + a11 * (h - 1) + a12])
    xlo = np.floor(xs.min()) - 2.0
    xhi = np.floor(xs.max()) + 3.0
    ylo = np.floor(ys.min()) - 2.0
    yhi = np.floor(ys.max()) + 3.0
    tables = xhi - xlo < xmap.size and yhi - ylo < ymap.size
    xlo_i = int(xlo) if tables else 0
    ylo_i = int(ylo) if tables else 0
    filled = False
    o = 0
    for r in range(h):
        bx = a01 * r + a02
        by = a11 * r + a12
        outside = 0
        for col in range(w):
            x = a00 * col + bx
            y = a10 * col + by
            xf = np.floor(x)
            yf = np.floor(y)
            dx = x - xf
            dy = y - yf
            weights[0, col] = T(1.0 - dx)
            weights[1, col] = T(dx)
            weights[2, col] = T(1.0 - dy)
            weights[3, col] = T(dy)
            inside = (xf >= 0.0) & (xf < w - 1) & (yf >= 0.0) & (yf < h - 1)
            xi = int(min(max(xf, 0.0), w))
            yi = int(min(max(yf, 0.0), h))
            index[col] = (yi * w + xi) * c if inside else -1
            outside += not inside
        if outside and tables and not filled:
            for k in range(int(xhi - xlo) + 1):
                xmap[k] = _boundary_index(xlo_i + k, w, mode)
            for k in range(int(yhi - ylo) + 1):
                ymap[k] = _boundary_index(ylo_i + k, h, mode)
            filled = True
        for col in range(w):
            p = index[col]
            wx0, wx1 = weights[0, col], weights[1, col]
            wy0, wy1 = weights[2, col], weights[3, col]
            if p >= 0:
                p00 = p
                p01 = p + c
                p10 = p + wc
                p11 = p + wc + c
                if lanes and p11 + 4 <= n and o + 4 <= size:
                    # the common case first (lanes: see below)
                    _blend4(flat, p00, p01, p10, p11, wx0, wx1, wy0, wy1, buf, o)
                    o += c
                    continue
            else:
                x = a00 * col + bx
                y = a10 * col + by
                xf = np.floor(x)
                yf = np.floor(y)
                if tables:
                    i = int(xf) - xlo_i
                    x0 = xmap[i]
                    x1 = xmap[i + 1] if x > xf else x0
                    i = int(yf) - ylo_i
                    y0 = ymap[i]
                    y1 = ymap[i + 1] if y > yf else y0
                else:
                    i = _safe_int(xf)
                    x0 = _boundary_index(i, w, mode)
                    x1 = _boundary_index(i + 1, w, mode) if x > xf else x0
                    i = _safe_int(yf)
                    y0 = _boundary_index(i, h, mode)
                    y1 = _boundary_index(i + 1, h, mode) if y > yf else y0
                if x0 < 0 or x1 < 0 or y0 < 0 or y1 < 0:
                    # constant mode, a neighbour outside: cval for it
                    for ch in range(c):
                        tl = cv if (y0 < 0 or x0 < 0) else _load(flat, (y0 * w + x0) * c + ch, lut)
                        tr = cv if (y0 < 0 or x1 < 0) else _load(flat, (y0 * w + x1) * c + ch, lut)
                        bl = cv if (y1 < 0 or x0 < 0) else _load(flat, (y1 * w + x0) * c + ch, lut)
                        br = cv if (y1 < 0 or x1 < 0) else _load(flat, (y1 * w + x1) * c + ch, lut)
                        top = wx0 * tl + wx1 * tr
                        bot = wx0 * bl + wx1 * br
                        buf[o + ch] = wy0 * top + wy1 * bot
                    o += c
                    continue
                p00 = (y0 * w + x0) * c
                p01 = (y0 * w + x1) * c
                p10 = (y1 * w + x0) * c
                p11 = (y1 * w + x1) * c
            # Three and four channels go four lanes at a time. With three,
            # lane 3 reads the next pixel's first value (never past the
            # image) and writes buf[o + 3], the next pixel's first value,
            # which is written again right after (never past the buffer).
            if lanes and max(max(p00, p01), max(p10, p11)) + 4 <= n and o + 4 <= size:
                _blend4(flat, p00, p01, p10, p11, wx0, wx1, wy0, wy1, buf, o)
            else:
                for ch in range(c):
                    k = np.uint64(ch)  # unsigned: no negative-index wraparound
                    top = (wx0 * _load(flat, np.uint64(p00) + k, lut)
                           + wx1 * _load(flat, np.uint64(p01) + k, lut))
                    bot = (wx0 * _load(flat, np.uint64(p10) + k, lut)
                           + wx1 * _load(flat, np.uint64(p11) + k, lut))
                    buf[np.uint64(o) + k] = wy0 * top + wy1 * bot
            o += c


@njit(nogil=True, cache=True)
def _warp(img, a, mode, cval, buf, maps, index, weights, lut):
    """Bilinear warp of one image ``(h, w, c)`` by the inverse map ``a`` (2, 3),
    (x, y) = (column, row), into ``buf`` (h * w * c), skimage's arithmetic.

    ``maps`` (2, L), ``index`` (w,) and ``weights`` (4, w) are scratch;
    ``lut`` (256,) holds ``0, 1, ..., 255`` in the compute dtype.
    """
    h, w, c = img.shape
    T = buf.dtype.type
    cv = T(cval)
    a00, a01, a02 = a[0, 0], a[0, 1], a[0, 2]
    a10, a11, a12 = a[1, 0], a[1, 1], a[1, 2]
    flat = img.reshape(-1)
    xmap = maps[0]
    ymap = maps[1]
    if (
        a01 == 0.0 and a10 == 0.0 and abs(a00) == 1.0 and abs(a11) == 1.0
        and a02 == np.floor(a02) and a12 == np.floor(a12)
    ):
        # A signed permutation with whole offsets (identity, flips): every
        # output pixel is one input pixel, as skimage's blend 1 * tl + 0 * tr.
        for col in range(w):
            xmap[col] = _boundary_index(_safe_int(a00 * col + a02), w, mode)
        for r in range(h):
            ymap[r] = _boundary_index(_safe_int(a11 * r + a12), h, mode)
        o = 0
        for r in range(h):
            yr = ymap[r]
            for col in range(w):
                xc = xmap[col]
                if yr < 0 or xc < 0:
                    for ch in range(c):
                        buf[o + ch] = cv
                else:
                    p = (yr * w + xc) * c
                    for ch in range(c):
                        buf[o + ch] = _load(flat, p + ch, lut)
                o += c
        return

    _warp_affine(flat, lut, a, h, w, c, mode, cv, maps, index, weights, buf)


@njit(nogil=True, cache=True, fastmath={"reassoc"})
def _sum(buf):
    """Sum in float64. Reassociation lets the compiler vectorise it: the order
    is fixed by the code and the length, so it does not depend on chunks."""
    s = 0.0
    for i in range(buf.size):
        s += np.float64(buf[i])
    return s


@njit(nogil=True, cache=True)
def _intensity(buf, contrast, brightness, value_range):
    """The multiply-add of contrast about the mean, then brightness, as
    ``(factor, offset, applies)`` in the compute dtype; ``(1, 0, False)``
    for the identity."""
    T = buf.dtype.type
    if contrast == 1.0 and brightness == 0.0:
        return T(1.0), T(0.0), False
    offset = brightness * value_range
    if contrast != 1.0:
        offset += _sum(buf) / buf.size * (1.0 - contrast)
    return T(contrast), T(offset), True


@njit(nogil=True, cache=True)
def _augment_float(src, source, inv, contrast, brightness, noise_scale,
                   noise_seed, mode, cval, value_range, out):
    """Copies of float images, computed in place in ``out`` (k, h * w * c)."""
    h, w = src.shape[1], src.shape[2]
    maps = np.empty((2, 4 * max(h, w) + 16), dtype=np.int64)
    index = np.empty(w, dtype=np.int64)
    weights = np.empty((4, w), dtype=out.dtype)
    lut = np.arange(256).astype(out.dtype)
    noise = np.empty(out.shape[1] if np.any(noise_scale > 0.0) else 0)
    for j in range(out.shape[0]):
        buf = out[j]
        _warp(src[source[j]], inv[j], mode, cval, buf, maps, index, weights, lut)
        factor, offset, active = _intensity(
            buf, contrast[j], brightness[j], value_range
        )
        if active:
            for i in range(buf.size):
                buf[i] = buf[i] * factor + offset
        if noise_scale[j] > 0.0:
            _standard_normal(noise_seed[j], noise)
            T = buf.dtype.type
            for i in range(buf.size):
                buf[i] += T(noise[i] * noise_scale[j])


@njit(nogil=True, cache=True)
def _augment_int(src, source, inv, contrast, brightness, noise_scale,
                 noise_seed, mode, cval, value_range, lo, hi, work, out):
    """Copies of integer images (uint8 here): computed in ``work`` (the
    compute dtype, one image), then rounded half to even, clipped to
    ``[lo, hi]`` and stored into ``out``."""
    h, w = src.shape[1], src.shape[2]
    maps = np.empty((2, 4 * max(h, w) + 16), dtype=np.int64)
    index = np.empty(w, dtype=np.int64)
    weights = np.empty((4, w), dtype=work.dtype)
    lut = np.arange(256).astype(work.dtype)
    noise = np.empty(out.shape[1] if np.any(noise_scale > 0.0) else 0)
    T = work.dtype.type
    lo = T(lo)
    hi = T(hi)
    for j in range(out.shape[0]):
        row = out[j]
        _warp(src[source[j]], inv[j], mode, cval, work, maps, index, weights, lut)
        factor, offset, _ = _intensity(work, contrast[j], brightness[j], value_range)
        if noise_scale[j] > 0.0:
            _standard_normal(noise_seed[j], noise)
            for i in range(work.size):
                v = work[i] * factor + offset
                v += T(noise[i] * noise_scale[j])
                v = np.rint(v)
                row[i] = lo if v < lo else (hi if v > hi else v)
        else:
            for i in range(work.size):
                v = np.rint(work[i] * factor + offset)
                row[i] = lo if v < lo else (hi if v > hi else v)


def _apply(images, params, *, mode, cval, n_jobs, batch_size, out=None,
           originals=None):
    """Augmented copies ``(m, h, w[, c])`` of a validated batch, in its dtype.

    Written into ``out`` (allocated when None), a C-contiguous array of the
    copies' shape, which is returned. ``originals``, an array of the batch's
    shape, receives a copy of the batch, made in the same chunks.
    """
    n = images.shape[0]
    image_shape = tuple(images.shape[1:])
    out_dtype = images.dtype.newbyteorder("=")
    compute_dtype = float_dtype(out_dtype)
    m = len(params["source"])
    if out is None:
        out = np.empty((m,) + image_shape, dtype=out_dtype)
    if m == 0:
        if originals is not None:
            originals[...] = images
        return out
    h, w = image_shape[:2]
    c = image_shape[2] if len(image_shape) == 3 else 1
    size = h * w * c
    src = images.reshape(n, h, w, c)
    flat = out.reshape(m, size)
    value_range = _value_range(out_dtype)
    source = params["source"]
    args = (
        np.ascontiguousarray(_matrices(params, h, w, inverse=True)[:, :2, :]),
        params["contrast"],
        params["brightness"],
        params["noise_std"] * value_range,
        params["noise_seed"].astype(np.int64),
    )
    fixed = (_MODES[mode], float(cval), value_range)
    # The kernel is compiled for three cases (uint8 images, float32 and
    # float64 images, C-contiguous and native); other images go through it
    # chunk by chunk as float32 copies of their sources, rounded and clipped
    # to their dtype afterwards, as the kernel does for uint8.
    contiguous = src.flags.c_contiguous and src.dtype.isnative
    if contiguous and src.dtype == compute_dtype:
        def run(s):
            _augment_float(src, source[s], *(a[s] for a in args), *fixed, flat[s])
        per_copy = flat.itemsize * size
    elif contiguous and src.dtype == np.uint8:
        def run(s):
            _augment_int(
                src, source[s], *(a[s] for a in args), *fixed, 0.0, 255.0,
                np.empty(size, dtype=np.float32), flat[s],
            )
        per_copy = flat.itemsize * size
    else:
        to_int = out_dtype == np.bool_ or np.issubdtype(out_dtype, np.integer)
        lo, hi = _int_bounds(out_dtype, compute_dtype) if to_int else (0, 0)

        def run(s):
            chunk = src[source[s]].astype(compute_dtype, order="C")
            res = np.empty((len(chunk), size), dtype=compute_dtype)
            _augment_float(
                chunk, np.arange(len(chunk)), *(a[s] for a in args), *fixed, res
            )
            if to_int:
                np.rint(res, out=res)
                np.clip(res, lo, hi, out=res)
            flat[s] = res
        per_copy = (2 * compute_dtype.itemsize + flat.itemsize) * size

    jobs = effective_n_jobs(n_jobs)
    if batch_size is None and jobs > 1:
        # Eight chunks per job, so that a job held up does not hold up all.
        batch_size = min(
            chunk_slices(m, bytes_per_item=per_copy)[0].stop, -(-m // (8 * jobs))
        )
    slices = chunk_slices(m, batch_size=batch_size, bytes_per_item=per_copy,
                          n_jobs=n_jobs)
    if originals is not None:
        # The originals are copied by the same chunks, a share each.
        parts = chunk_slices(n, batch_size=-(-n // len(slices)))
        parts += [slice(n, n)] * (len(slices) - len(parts))
        augment = run

        def run(s, part):
            originals[part] = images[part]
            augment(s)
    else:
        parts = [None] * len(slices)
        augment = run

        def run(s, part):
            augment(s)

    # Threads: the kernel releases the GIL, and each chunk writes only its
    # own rows of out (and of originals).
    run_tasks(run, zip(slices, parts), n_jobs=n_jobs)
    return out


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
        Threads for the chunks of copies (joblib's threading backend, with
        a thread pool kept between calls: the compiled kernel releases the
        GIL and writes straight into the output); None means 1 unless in a
        :func:`joblib.parallel_backend` context. The output does not depend
        on it.
    batch_size : int, default=None
        Augmented copies per chunk; None chooses about 32 MiB of output per
        chunk (and at least eight chunks per job). The output does not depend
        on it.
    verbose : int or bool, default=0
        Report progress on standard error while augmenting (units: augmented copies): a tqdm bar when
        tqdm is installed, else a line at every tenth of the work.
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
    flips are exact. A compiled kernel (numba) computes each copy straight
    into the output, geometry, intensity and noise in one go; the module
    docstring says why its fast paths give skimage's numbers. Peak memory is
    the input, the output and one chunk's scratch.

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
        "mode": [StrOptions(set(_MODES))],
        "cval": [Real],
        "image_shape": [tuple, None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
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
        verbose=0,
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
        self.verbose = verbose
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
        try:  # sorted labels and their counts, in one sort
            labels, counts = np.unique(np.asarray(y), return_counts=True)
        except TypeError:  # labels that do not compare: the error of sorted
            counts = sorted(Counter(y).items())
        else:
            counts = zip(labels, counts.tolist())
        return OrderedDict(
            (label, count * self.n_augmented) for label, count in counts
        )

    @reports_progress(lambda self, X: len(X) * self.n_augmented, unit="copies")
    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        n = X.shape[0]
        params = _draw_params(rng, n, self.n_augmented, self._knobs())
        # The originals, then the copies, written in place: no second copy.
        X_res = np.empty(
            (n * (1 + self.n_augmented),) + X.shape[1:],
            dtype=X.dtype.newbyteorder("="),
        )
        _apply(
            X,
            params,
            mode=self.mode,
            cval=self.cval,
            n_jobs=self.n_jobs,
            batch_size=self.batch_size,
            out=X_res[n:],
            originals=X_res[:n],
        )
        self.augmentation_params_ = params
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
        Threads for the chunks; the output does not depend on it.
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
    if mode not in _MODES:
        raise ValueError(
            f"mode must be one of {sorted(_MODES)}; got {mode!r}."
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
