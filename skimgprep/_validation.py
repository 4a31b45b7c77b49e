"""Checks for batches of images, and the flatten/unflatten rules.

Every estimator of skimgprep reads its ``X`` through :func:`check_images`,
which implements the data conventions once:

* ``(n, h, w)`` is a batch of grayscale images, ``(n, h, w, c)`` a batch of
  images with channels last;
* ``(n, d)`` is a batch of flattened images; the estimator's ``image_shape``
  parameter says how to unflatten it, and with ``image_shape=None`` each row
  is an image one pixel tall, ``(1, d)``;
* whatever layout came in goes out (:meth:`Layout.restore`).

The 2D path goes through scikit-learn's ``validate_data``, so feature names
and ``n_features_in_`` behave exactly as in scikit-learn; the 3D and 4D paths
keep the same bookkeeping with ``n_features_in_ = h * w * c``.
"""

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import scipy.sparse as sp

from ._compat import _check_feature_names, check_array, validate_data

__all__ = [
    "Layout",
    "check_pair",
    "check_image_list",
    "is_image_list",
    "n_channels",
    "check_image_shape_param",
    "check_images",
    "check_magnitude",
    "check_min_image_size",
    "float_dtype",
    "float_dtype_of",
]


def float_dtype(dtype):
    """Return the floating dtype a step computes in for input of ``dtype``.

    float32 and float64 are kept; every other dtype (integers, bool, float16)
    is computed in float32.
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "f" and dtype.itemsize in (4, 8):
        return dtype.newbyteorder("=")  # big-endian float64 stays float64
    return np.dtype(np.float32)


def float_dtype_of(images):
    """:func:`float_dtype` of a batch, or the widest of a list's images."""
    if isinstance(images, np.ndarray):
        return float_dtype(images.dtype)
    return np.result_type(*[float_dtype(np.asarray(image).dtype) for image in images])


#: The largest pixel magnitude accepted, by the dtype a step computes in:
#: squares and sums over a batch of such values stay finite, so no step
#: turns finite pixels into inf or NaN. Real images are far below.
_MAX_MAGNITUDE = {np.dtype(np.float32): 1e18, np.dtype(np.float64): 1e150}


def check_magnitude(images, name, where="X"):
    """Raise a ValueError when a float pixel's magnitude exceeds the limit.

    Float images are read once: the sum of their squares (one BLAS dot)
    bounds every magnitude, and only when it exceeds the limit squared are
    the magnitudes themselves looked at. Integer and bool images pass
    unread: their range is their dtype's, which steps that quantise (GLCM,
    histograms) use whole.
    """
    dtype = images.dtype
    if images.size == 0 or dtype.kind != "f":
        return
    limit = _MAX_MAGNITUDE[float_dtype(dtype)]
    flat = images.ravel(order="K")
    with np.errstate(over="ignore", invalid="ignore"):
        squares = float(np.dot(flat, flat))
    if squares <= limit * limit:  # False for inf and NaN too
        return
    largest = max(-float(flat.min()), float(flat.max()))
    if largest > limit:
        raise ValueError(
            f"{name} expected pixel values within +/-{limit:.0e} for {dtype} "
            f"images (their squares and sums must stay finite); {where} has a "
            f"value of magnitude {largest:.3g}. Scale the images first."
        )


@dataclass(frozen=True)
class Layout:
    """How a batch came in, so that the output can go out the same way.

    Attributes
    ----------
    flat : bool
        True when ``X`` was a 2D array of flattened images.
    input_dtype : numpy.dtype
        The dtype of ``X`` as an array (for a DataFrame or a list, the dtype
        it converts to), before any cast to float.
    is_list : bool
        True when ``X`` was a list of images (see :func:`check_image_list`).
    """

    flat: bool
    input_dtype: np.dtype
    is_list: bool = False

    def restore(self, images):
        """Return ``images`` in the layout the input had.

        ``images`` is a batch ``(n, h, w[, c])``; a flattened input gets back
        ``(n, h * w * c)``, a batch input the batch itself. A list of images
        (from a list input) is returned as a list.
        """
        if self.is_list and not isinstance(images, np.ndarray):
            return list(images)
        if self.flat:
            return images.reshape(images.shape[0], -1)
        return images


def _name(estimator):
    return type(estimator).__name__ if estimator is not None else "This function"


def check_image_shape_param(image_shape, *, name="image_shape"):
    """Validate an ``image_shape`` parameter and return it as a tuple or None."""
    if image_shape is None:
        return None
    try:
        shape = tuple(image_shape)
    except TypeError:
        shape = None
    if (
        shape is None
        or len(shape) not in (2, 3)
        or not all(isinstance(s, Integral) and not isinstance(s, bool) for s in shape)
        or any(s < 1 for s in shape)
    ):
        raise ValueError(
            f"{name} must be None or a tuple of 2 or 3 positive integers "
            f"(h, w) or (h, w, c); got {image_shape!r}."
        )
    return tuple(int(s) for s in shape)


def _to_array(X, name):
    """Turn a list or tuple of images into one array, or explain why not."""
    try:
        return np.asarray(X)
    except ValueError as exc:
        shapes = sorted({np.shape(x) for x in X}, key=str)[:4]
        raise ValueError(
            f"{name} expected a batch of images of one shape; got a list of "
            f"images of different shapes ({', '.join(map(str, shapes))}, ...). "
            "Make their sizes uniform first (resize or crop them)."
        ) from exc


def check_images(
    X,
    *,
    estimator=None,
    reset=True,
    image_shape=None,
    cast="float",
    any_size=False,
):
    """Validate a batch of images and return it as an ``(n, h, w[, c])`` array.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n, d), (n, h, w) or (n, h, w, c)
        The batch. A list of equally sized images is stacked.
    estimator : estimator instance, default=None
        The estimator that validates; with ``reset=True`` it records
        ``n_features_in_``, ``image_shape_`` and ``feature_names_in_``, with
        ``reset=False`` they are checked against ``X``.
    reset : bool, default=True
        True in ``fit``, False in ``transform``.
    image_shape : tuple of int or None, default=None
        How to unflatten a 2D ``X``: ``(h, w)`` or ``(h, w, c)``. With None
        each row is an image of shape ``(1, d)``.
    cast : {"float", None}, default="float"
        "float": float32 and float64 are kept, other dtypes become float32.
        None: the dtype is kept (bool and integer images stay as they are).
    any_size : bool, default=False
        With ``reset=False``, accept images of another shape than in fit
        (only the channel count must match).

    Returns
    -------
    images : ndarray of shape (n, h, w) or (n, h, w, c)
        The images, C-contiguous. A view of ``X`` where no conversion was
        needed: callers never write into it.
    layout : Layout
        What to hand the output to, to give it the input's layout.

    Raises
    ------
    TypeError
        For sparse matrices.
    ValueError
        For wrong ranks, empty batches or images, non-finite pixels, pixel
        magnitudes beyond 1e18 (float32 computation) or 1e150 (float64), an
        ``image_shape`` that does not hold the features, or an image shape
        other than the one seen in fit.
    """
    name = _name(estimator)
    if sp.issparse(X):
        raise TypeError(
            f"{name} expected a dense batch of images; got a sparse matrix of "
            f"shape {X.shape}. Convert it with X.toarray()."
        )
    if hasattr(X, "sparse") and hasattr(X, "columns"):
        # A DataFrame of SparseDtype columns: the pixels are taken dense (an
        # image is dense); the column names are kept.
        X = X.sparse.to_dense()
    if isinstance(X, (list, tuple)):
        X = _to_array(X, name)
    ndim = getattr(X, "ndim", None)
    if ndim is None:
        X = _to_array(X, name)
        ndim = X.ndim
    image_shape = check_image_shape_param(image_shape)

    if ndim == 2:
        if estimator is not None:
            X = validate_data(
                estimator, X, reset=reset, dtype="numeric", ensure_all_finite=True
            )
        else:
            X = check_array(X, dtype="numeric", ensure_all_finite=True)
        n, d = X.shape
        if image_shape is None:
            shape = (1, d)
        elif int(np.prod(image_shape)) != d:
            raise ValueError(
                f"{name} got image_shape={image_shape}, which holds "
                f"{int(np.prod(image_shape))} pixel values, but X has {d} "
                "features per row."
            )
        else:
            shape = image_shape
        images = X.reshape((n,) + shape)
        flat = True
    elif ndim in (3, 4):
        X = check_array(
            X,
            dtype="numeric",
            allow_nd=True,
            ensure_all_finite=True,
            input_name="X",
        )
        if 0 in X.shape[1:]:
            raise ValueError(
                f"{name} expected images with at least one pixel; got a batch "
                f"of shape {X.shape}."
            )
        if image_shape is not None and tuple(X.shape[1:]) != image_shape:
            raise ValueError(
                f"{name} got image_shape={image_shape}, but X is a batch of "
                f"images of shape {tuple(X.shape[1:])}. image_shape is only "
                "needed for flattened (2D) input: leave it at None."
            )
        if estimator is not None:
            _check_feature_names(estimator, X, reset=reset)
            n_features = int(np.prod(X.shape[1:]))
            if reset:
                estimator.n_features_in_ = n_features
            elif not any_size and n_features != estimator.n_features_in_:
                raise ValueError(
                    f"X has {n_features} features, but {name} is expecting "
                    f"{estimator.n_features_in_} features as input: it was "
                    f"fitted on images of shape {estimator.image_shape_}, got "
                    f"images of shape {tuple(X.shape[1:])}."
                )
        images = X
        flat = False
    else:
        hint = ""
        if ndim == 1:
            hint = " Reshape your data: X.reshape(1, -1) if it is one flattened image."
        elif ndim == 0:
            hint = " Reshape your data: a scalar is not an image."
        raise ValueError(
            f"{name} expected a batch of images: a 2D array (n, h*w*c) of "
            "flattened images, a 3D array (n, h, w) or a 4D array (n, h, w, c); "
            f"got a {ndim}D array of shape {np.shape(X)}.{hint}"
        )

    if estimator is not None:
        got = tuple(images.shape[1:])
        if reset:
            estimator.image_shape_ = got
        elif estimator.image_shape_ is None:
            # Fitted on a list of images of several sizes (check_image_list):
            # there is no shape to check against; such a step takes any size.
            pass
        else:
            fitted = tuple(estimator.image_shape_)
            n_channels = lambda s: s[2] if len(s) == 3 else 1  # noqa: E731
            if any_size:
                if n_channels(got) != n_channels(fitted):
                    raise ValueError(
                        f"{name} was fitted on images with {n_channels(fitted)} "
                        f"channel(s) (shape {fitted}); got images with "
                        f"{n_channels(got)} channel(s) (shape {got})."
                    )
            elif got != fitted:
                hint = ""
                if flat and image_shape is None:
                    hint = f" For flattened input pass image_shape={fitted}."
                raise ValueError(
                    f"{name} was fitted on images of shape {fitted}; got images "
                    f"of shape {got}.{hint}"
                )

    check_magnitude(images, name)
    # The dtype as an array (a DataFrame's or a list's too), before the cast.
    input_dtype = images.dtype
    if cast == "float":
        dtype = float_dtype(images.dtype)
        if images.dtype != dtype:
            images = images.astype(dtype, order="C")  # one copy, in C order
    if not images.flags.c_contiguous:
        # Fortran-ordered or strided input: sums over an image must not
        # depend on the memory layout, so every step sees C order.
        images = np.ascontiguousarray(images)
    return images, Layout(flat=flat, input_dtype=input_dtype)


def check_pair(value, name, *, what="(rows, cols)"):
    """Return ``value`` as a pair of positive ints or raise a ValueError.

    For parameters such as ``output_shape``, ``pixels_per_cell`` and
    ``cells_per_block``; ``what`` names the pair's parts in the message.
    """
    try:
        pair = tuple(value)
    except TypeError:
        pair = None
    if (
        pair is None
        or len(pair) != 2
        or not all(isinstance(v, Integral) and not isinstance(v, bool) for v in pair)
        or any(v < 1 for v in pair)
    ):
        raise ValueError(
            f"{name} must be a tuple of two positive integers {what}; got {value!r}."
        )
    return int(pair[0]), int(pair[1])


def check_min_image_size(images, min_shape, *, estimator=None, what="one cell"):
    """Raise a ValueError when the images are smaller than ``min_shape``."""
    h, w = images.shape[1:3]
    if h < min_shape[0] or w < min_shape[1]:
        raise ValueError(
            f"{_name(estimator)} needs images of at least {min_shape[0]}x"
            f"{min_shape[1]} pixels for {what}; got images of {h}x{w} pixels."
        )


def n_channels(shape):
    """The channel count of an image of ``shape`` ``(h, w)`` or ``(h, w, c)``."""
    return shape[2] if len(shape) == 3 else 1


def is_image_list(X):
    """True when ``X`` is a list or tuple of images (2D or 3D arrays).

    A list of 1D rows is not: it is a 2D array of flattened images.
    """
    return (
        isinstance(X, (list, tuple))
        and len(X) > 0
        and all(np.ndim(x) in (2, 3) for x in X)
    )


def check_image_list(X, *, estimator=None, reset=True, cast="float"):
    """Validate images that may differ in size: a list, or a batch.

    For the steps that make sizes uniform or give a fixed-length output
    whatever the size (DESIGN.md section 1). A list of images, each
    ``(h, w)`` or ``(h, w, c)``, is checked image by image; anything else
    goes to :func:`check_images` (so a batch and flattened rows work as
    everywhere else).

    Parameters
    ----------
    X : list of array-like, or array-like
        The images.
    estimator : estimator instance, default=None
        With ``reset=True`` it records ``image_shape_`` (None when the sizes
        differ) and ``n_features_in_`` (only when the sizes agree); with
        ``reset=False`` nothing is checked against fit here: such a step
        works on any size, and checks channels itself if it must.
    reset : bool, default=True
        True in ``fit``.
    cast : {"float", None}, default="float"
        As in :func:`check_images`.

    Returns
    -------
    images : list of ndarray or ndarray
        The images (a list for list input, else the batch from
        :func:`check_images`).
    layout : Layout
        ``is_list=True`` for list input.

    Raises
    ------
    ValueError
        For an empty list, an image that is not 2D or 3D, empty images,
        non-finite pixels.
    """
    name = _name(estimator)
    if not isinstance(X, (list, tuple)) or (len(X) > 0 and np.ndim(X[0]) < 2):
        return check_images(
            X,
            estimator=estimator,
            reset=reset,
            image_shape=getattr(estimator, "image_shape", None),
            cast=cast,
            any_size=not reset,
        )
    if len(X) == 0:
        raise ValueError(f"{name} expected at least one image; got an empty list.")
    images = []
    for i, image in enumerate(X):
        if sp.issparse(image):
            raise TypeError(
                f"{name} expected dense images; X[{i}] is a sparse matrix."
            )
        ndim = np.ndim(image)
        if ndim not in (2, 3):
            raise ValueError(
                f"{name} expected each image of the list to be 2D (h, w) or 3D "
                f"(h, w, c); X[{i}] has shape {np.shape(image)}."
            )
        image = check_array(
            image,
            dtype="numeric",
            allow_nd=True,
            ensure_all_finite=True,
            input_name=f"X[{i}]",
        )
        if 0 in image.shape:
            raise ValueError(
                f"{name} expected images with at least one pixel; X[{i}] has "
                f"shape {image.shape}."
            )
        check_magnitude(image, name, where=f"X[{i}]")
        if cast == "float":
            dtype = float_dtype(image.dtype)
            if image.dtype != dtype:
                image = image.astype(dtype, order="C")
        images.append(np.ascontiguousarray(image))
    input_dtype = np.result_type(*[np.asarray(x).dtype for x in X[:1]])
    if estimator is not None and reset:
        shapes = {im.shape for im in images}
        if len(shapes) == 1:
            estimator.image_shape_ = images[0].shape
            estimator.n_features_in_ = int(np.prod(images[0].shape))
        else:
            estimator.image_shape_ = None
            if hasattr(estimator, "n_features_in_"):
                del estimator.n_features_in_
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
    return images, Layout(flat=False, input_dtype=np.dtype(input_dtype), is_list=True)
