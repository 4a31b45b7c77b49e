"""Pictures of what the steps do: image grids, pipeline steps, HOG, eigenimages.

Every function draws into a new :mod:`matplotlib` figure (or into the
``fig`` it is given: a :class:`~matplotlib.figure.Figure` or
:class:`~matplotlib.figure.SubFigure` without axes) and returns it; none
calls ``plt.show()``.

matplotlib is an optional dependency: ``import skimgprep.plotting`` works
without it, and each function then raises an :class:`ImportError` that says
what to install (``pip install "skimgprep[plot]"``). ``import skimgprep``
never imports this module.

How values become grey levels and colours
-----------------------------------------
Each image is drawn through a window ``(vmin, vmax)`` (``value_range``):

- ``"image"``: each image's own minimum and maximum (matplotlib's default
  for a grayscale image), so images of different value ranges (uint8, then
  scaled to [0, 1]) are all visible; ``show_range=True`` writes each
  window under its image.
- ``"shared"``: one minimum and maximum over all the images drawn, so that
  brightness and contrast differences between them stay visible.
- ``(vmin, vmax)``: that window for every image.

Grayscale images (``(h, w)`` or ``(h, w, 1)``) are drawn as they are, with
``cmap`` and the window (``imshow(image, vmin=vmin, vmax=vmax)``: the axes
hold the pixel values). Colour images (3 or 4 channels, RGB or RGBA) are
drawn as ``(image - vmin) / (vmax - vmin)`` clipped to [0, 1]; a uint8
colour image with the window ``(0, 255)`` is drawn as it is. Bool images
(masks) use the window ``(0, 1)`` unless a window is given. A window of
zero width (a constant image) is widened to ``(v - 0.5, v + 0.5)``.
Images with 2 or more than 4 channels cannot be drawn and raise a
:class:`ValueError`.
"""

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from ._validation import check_image_list, check_image_shape_param, check_images, is_image_list
from .base import FeatureExtractorMixin

__all__ = [
    "plot_augmentations",
    "plot_eigenimages",
    "plot_hog",
    "plot_image_grid",
    "plot_steps",
]

#: Width of one image panel, in inches, when the function makes the figure.
_PANEL_INCHES = 1.8

_HOG_KEYS = (
    "orientations",
    "pixels_per_cell",
    "cells_per_block",
    "block_norm",
    "transform_sqrt",
    "image_shape",
)


def _pyplot():
    """Import :mod:`matplotlib.pyplot`, or say which extra installs it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "skimgprep.plotting needs matplotlib, an optional dependency of "
            'skimgprep: install it with pip install "skimgprep[plot]" (or pip '
            'install "matplotlib>=3.7").'
        ) from exc
    return plt


def _figure(fig, n_rows, n_cols, figsize, *, extra_height=0.0):
    """The figure (given or new) and a ``(n_rows, n_cols)`` array of axes."""
    plt = _pyplot()
    if fig is None:
        if figsize is None:
            figsize = (
                _PANEL_INCHES * n_cols,
                (_PANEL_INCHES + 0.35) * n_rows + extra_height,
            )
        fig = plt.figure(figsize=figsize, layout="constrained")
    elif not hasattr(fig, "subplots"):
        raise TypeError(
            "fig must be a matplotlib Figure or SubFigure (or None for a new "
            f"figure); got {type(fig).__name__}."
        )
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    return fig, axes


def _check_positive_int(value, name, *, allow_none=False):
    if allow_none and value is None:
        return None
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
        what = "a positive integer" + (" or None" if allow_none else "")
        raise ValueError(f"{name} must be {what}; got {value!r}.")
    return int(value)


def _display_image(image, where):
    """``image`` as ``(h, w)`` (grayscale) or ``(h, w, 3|4)``, or a ValueError."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 3 and image.shape[2] not in (3, 4):
        raise ValueError(
            f"Cannot draw {where}: images with 1 (grayscale), 3 (RGB) or 4 "
            f"(RGBA) channels can be drawn; got an image of shape {image.shape} "
            f"({image.shape[2]} channels)."
        )
    if image.ndim not in (2, 3):
        raise ValueError(
            f"Cannot draw {where}: expected an image (h, w) or (h, w, c); got "
            f"an array of shape {image.shape}."
        )
    return image


def _fix_window(vmin, vmax):
    vmin, vmax = float(vmin), float(vmax)
    if not vmax > vmin:
        return vmin - 0.5, vmax + 0.5
    return vmin, vmax


def _windows(images, value_range):
    """The ``(vmin, vmax)`` of each image for ``value_range`` (module docstring)."""
    if isinstance(value_range, str):
        if value_range not in ("image", "shared"):
            raise ValueError(
                'value_range must be "image", "shared" or a tuple (vmin, vmax); '
                f"got {value_range!r}."
            )

        def extent(image):
            if image.dtype == bool:
                return 0.0, 1.0
            return float(image.min()), float(image.max())

        extents = [extent(image) for image in images]
        if value_range == "shared":
            shared = (min(e[0] for e in extents), max(e[1] for e in extents))
            extents = [shared] * len(images)
        return [_fix_window(*e) for e in extents]
    try:
        vmin, vmax = value_range
        ok = all(
            isinstance(v, Real) and not isinstance(v, bool) and np.isfinite(v)
            for v in (vmin, vmax)
        ) and vmin < vmax
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            'value_range must be "image", "shared" or a tuple (vmin, vmax) of two '
            f"finite numbers with vmin < vmax; got {value_range!r}."
        )
    return [(float(vmin), float(vmax))] * len(images)


def _show(ax, image, window, *, cmap, title=None, show_range=False, fontsize=8):
    """Draw one image (already through :func:`_display_image`) in ``ax``."""
    vmin, vmax = window
    if image.ndim == 2:
        ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    elif image.dtype == np.uint8 and (vmin, vmax) == (0.0, 255.0):
        ax.imshow(image, interpolation="nearest")
    else:
        scaled = (image.astype(np.float64) - vmin) / (vmax - vmin)
        ax.imshow(np.clip(scaled, 0.0, 1.0), interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=fontsize)
    if show_range:
        ax.set_xlabel(f"[{vmin:.3g}, {vmax:.3g}]", fontsize=fontsize - 1)


def _grid(images, titles, *, n_cols, cmaps, windows, show_range, fig, figsize,
          fontsize=8):
    """Draw images in a grid of ``n_cols`` columns; drop the unused axes."""
    n = len(images)
    n_cols = min(n, n_cols if n_cols is not None else int(np.ceil(np.sqrt(n))))
    n_rows = -(-n // n_cols)
    fig, axes = _figure(fig, n_rows, n_cols, figsize)
    flat_axes = axes.ravel()
    for i, image in enumerate(images):
        _show(
            flat_axes[i],
            image,
            windows[i],
            cmap=cmaps[i],
            title=None if titles is None else titles[i],
            show_range=show_range,
            fontsize=fontsize,
        )
    for ax in flat_axes[n:]:
        ax.remove()
    return fig


def _named(exc, where):
    """``exc`` (from the shared checks) with the function's name in its message."""
    return type(exc)(str(exc).replace("This function", where, 1))


def _read_images(images, image_shape, where):
    """A list of images ``(h, w[, c])`` from a batch, flattened rows or a list."""
    try:
        if is_image_list(images):
            batch, _ = check_image_list(list(images), cast=None)
        else:
            batch, _ = check_images(images, image_shape=image_shape, cast=None)
    except (TypeError, ValueError) as exc:
        raise _named(exc, where) from None
    return list(batch)


def _one_image(image, image_shape, where):
    """One image ``(h, w)`` or ``(h, w, c)``; a 1D row is unflattened with ``image_shape``."""
    array = np.asarray(image)
    if array.ndim == 1:
        if image_shape is None or int(np.prod(image_shape)) != array.size:
            raise ValueError(
                f"{where} got a flattened image of {array.size} values; pass "
                "an image (h, w) or (h, w, c), or set image_shape to a shape "
                f"that holds {array.size} values (got image_shape={image_shape})."
            )
        array = array.reshape(image_shape)
    if array.ndim not in (2, 3):
        raise ValueError(
            f"{where} expected one image: a 2D array (h, w) or a 3D array "
            f"(h, w, c); got a {array.ndim}D array of shape {array.shape}."
        )
    try:
        batch, _ = check_images(array[np.newaxis], cast=None)
    except (TypeError, ValueError) as exc:
        raise _named(exc, where) from None
    return batch[0]


def plot_image_grid(
    images,
    *,
    titles=None,
    n_cols=None,
    cmap="gray",
    image_shape=None,
    value_range="image",
    show_range=False,
    fig=None,
    figsize=None,
):
    """Draw images in a grid.

    Parameters
    ----------
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        A batch, flattened rows (see ``image_shape``), or a list of images of
        different sizes, each ``(h, w)`` or ``(h, w, c)``. Images with 1, 3
        (RGB) or 4 (RGBA) channels can be drawn.
    titles : list of str, default=None
        One title per image.
    n_cols : int, default=None
        Columns of the grid; None: ``ceil(sqrt(n))``. The grid fills row by
        row and has ``ceil(n / n_cols)`` rows; the figure has one axes per
        image.
    cmap : str or Colormap, default="gray"
        Colormap of grayscale images.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D ``images``; None: each
        row is an image one pixel tall, ``(1, d)``.
    value_range : {"image", "shared"} or tuple (vmin, vmax), default="image"
        The window of values mapped to the colormap: each image's own minimum
        and maximum ("image"), one minimum and maximum over all the images
        ("shared"), or a fixed window. Colour images are drawn as
        ``(image - vmin) / (vmax - vmin)`` clipped to [0, 1] (a uint8 image
        with the window ``(0, 255)`` as it is); bool images use ``(0, 1)``
        with "image" and "shared".
    show_range : bool, default=False
        Write each image's window ``[vmin, vmax]`` under it.
    fig : Figure or SubFigure, default=None
        An empty figure to draw in; None makes one with
        :func:`matplotlib.pyplot.figure` (constrained layout).
    figsize : tuple (width, height), default=None
        Size in inches of a new figure; None: about 1.8 inches per image.

    Returns
    -------
    fig : Figure or SubFigure
        The figure; ``fig.axes[i]`` holds image ``i``.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    ValueError
        For a wrong rank, images with 2 or more than 4 channels, a number of
        titles other than the number of images, or a bad ``value_range``.

    See Also
    --------
    plot_steps : Images through each step of a pipeline.
    matplotlib.axes.Axes.imshow : Draws each image.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skimgprep.plotting import plot_image_grid
    >>> digits = load_digits()
    >>> fig = plot_image_grid(digits.images[:6], titles=[str(t) for t in digits.target[:6]],
    ...                       n_cols=3)
    >>> len(fig.axes), fig.axes[4].get_title()
    (6, '4')
    >>> fig.axes[0].images[0].get_clim()  # the first image's own range
    (0.0, 15.0)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    _pyplot()
    n_cols = _check_positive_int(n_cols, "n_cols", allow_none=True)
    images = [
        _display_image(image, f"image {i}")
        for i, image in enumerate(_read_images(images, image_shape, "plot_image_grid"))
    ]
    if titles is not None:
        titles = list(titles)
        if len(titles) != len(images):
            raise ValueError(
                f"titles must have one title per image: {len(images)} images, "
                f"got {len(titles)} titles."
            )
        titles = [str(t) for t in titles]
    return _grid(
        images,
        titles,
        n_cols=n_cols,
        cmaps=[cmap] * len(images),
        windows=_windows(images, value_range),
        show_range=show_range,
        fig=fig,
        figsize=figsize,
    )


def _step_output_images(step, Xt, shape):
    """The images a step returned, or None when its output is feature vectors.

    ``shape`` is the image shape that went into the step (None for a list
    of images of different sizes).
    """
    if isinstance(Xt, (list, tuple)):
        return list(Xt) if is_image_list(Xt) else None
    array = np.asarray(Xt)
    if array.ndim in (3, 4):
        return list(array)
    if array.ndim != 2 or isinstance(step, FeatureExtractorMixin):
        return None
    d = array.shape[1]
    out_shape = getattr(step, "output_image_shape_", None)
    if out_shape is not None and int(np.prod(out_shape)) == d:
        return list(array.reshape((len(array),) + tuple(out_shape)))
    if shape is not None and int(np.prod(shape)) == d:
        return list(array.reshape((len(array),) + tuple(shape)))
    return None


def _first_rows(X, n):
    if hasattr(X, "iloc"):
        return X.iloc[:n]
    return X[:n]


def plot_steps(
    pipeline,
    images,
    *,
    n_images=3,
    image_shape=None,
    cmap="gray",
    show_range=True,
    fig=None,
    figsize=None,
):
    """Draw a few images as each step of a fitted pipeline transforms them.

    One row per image; the columns are the input, then the output of every
    step in order, computed with each fitted step's ``transform`` as
    :meth:`Pipeline.transform <imblearn.pipeline.Pipeline.transform>` does:
    column ``k`` is ``pipeline[:j].transform(images)`` for the step ``j``
    it shows. Samplers (steps with ``fit_resample``: augmenter, outlier
    filter, balancer) are skipped, exactly as the pipeline skips them at
    ``transform`` and ``predict`` (they run in ``fit`` only); the figure's
    title names them. ``"passthrough"`` steps are skipped too.

    The columns stop at the first step whose output is not images: its
    feature vectors are drawn as one line plot per image (value against
    feature index), and the later steps are not shown. The final estimator
    (a classifier, say) has no ``transform`` and is not shown.

    Parameters
    ----------
    pipeline : Pipeline
        A fitted :class:`imblearn.pipeline.Pipeline` (as
        :func:`skimgprep.pipeline.make_pipeline` makes) or
        :class:`sklearn.pipeline.Pipeline`.
    images : array-like of shape (n, h, w[, c]) or (n, d), or list of arrays
        Images in the layout the pipeline takes; the first ``n_images`` are
        drawn.
    n_images : int, default=3
        How many images (rows); at most ``n``.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to draw 2D ``images`` and the 2D outputs
        of steps that keep the image size. None: the ``image_shape_`` of the
        first step that has one holding ``d`` values (the shape it was
        fitted on), else ``(1, d)``.
    cmap : str or Colormap, default="gray"
        Colormap of grayscale images.
    show_range : bool, default=True
        Write each image's ``[min, max]`` under it. Each image is drawn with
        its own minimum and maximum (``value_range="image"`` of
        :func:`plot_image_grid`), so a step that only rescales values (uint8
        to [0, 1]) shows the same picture, and the written range shows what
        changed.
    fig : Figure or SubFigure, default=None
        An empty figure to draw in; None makes a new one.
    figsize : tuple (width, height), default=None
        Size in inches of a new figure.

    Returns
    -------
    fig : Figure or SubFigure
        The figure; ``fig.axes`` row by row (``n_images`` rows, one column
        per drawn step plus the input). The top row's titles are ``"input"``
        and the step names; a features column is titled
        ``"<name>\\n<d> features"``.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the pipeline is not fitted.
    TypeError
        If ``pipeline`` is not a Pipeline.
    ValueError
        For a wrong image rank, an ``n_images`` below 1, or images that
        cannot be drawn (2 or more than 4 channels).

    See Also
    --------
    plot_image_grid : The image panels.
    imblearn.pipeline.Pipeline : Runs samplers in fit only.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.svm import SVC
    >>> from skimgprep import Augmenter, HOGExtractor, PixelScaler
    >>> from skimgprep.pipeline import make_pipeline
    >>> from skimgprep.plotting import plot_steps
    >>> digits = load_digits()
    >>> pipe = make_pipeline(Augmenter(random_state=0), PixelScaler(),
    ...                      HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(1, 1)),
    ...                      SVC()).fit(digits.images[:100], digits.target[:100])
    >>> fig = plot_steps(pipe, digits.images, n_images=2)
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['input', 'pixelscaler', 'hogextractor\\n36 features']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    _pyplot()
    steps = getattr(pipeline, "steps", None)
    if not isinstance(steps, list):
        raise TypeError(
            "plot_steps expected a fitted Pipeline (imblearn.pipeline.Pipeline "
            "or sklearn.pipeline.Pipeline); got "
            f"{type(pipeline).__name__}. Wrap a single step with "
            "skimgprep.pipeline.make_pipeline(step) and fit it."
        )
    check_is_fitted(pipeline)
    n_images = _check_positive_int(n_images, "n_images")
    X = images
    if not is_image_list(X) and np.ndim(X) not in (2, 3, 4):
        _read_images(X, image_shape, "plot_steps")  # the rank error, before slicing
    if not is_image_list(X) and np.ndim(X) == 2 and image_shape is None:
        d = np.shape(X)[1]
        for _, step in steps:
            shape = getattr(step, "image_shape_", None)
            if shape is not None and int(np.prod(shape)) == d:
                image_shape = tuple(shape)
                break
    X = _first_rows(X, n_images)
    shown = _read_images(X, image_shape, "plot_steps")
    n = len(shown)
    shape = tuple(shown[0].shape) if len({im.shape for im in shown}) == 1 else None

    columns = [("input", shown)]
    features = None
    skipped = []
    Xt = X
    for name, step in steps:
        if step is None or (isinstance(step, str) and step == "passthrough"):
            continue
        if hasattr(step, "fit_resample"):
            skipped.append(name)
            continue
        if not hasattr(step, "transform"):
            break  # the final estimator
        Xt = step.transform(Xt)
        if len(Xt) != n:
            raise ValueError(
                f"Step {name!r} returned {len(Xt)} samples for {n} images; "
                "plot_steps draws steps that keep the number of samples."
            )
        out = _step_output_images(step, Xt, shape)
        if out is None:
            features = (name, np.asarray(Xt))
            break
        columns.append((name, out))
        shape = tuple(out[0].shape) if len({im.shape for im in out}) == 1 else None

    n_cols = len(columns) + (features is not None)
    extra = 0.4 if skipped else 0.0
    fig, axes = _figure(fig, n, n_cols, figsize, extra_height=extra)
    for col, (name, out) in enumerate(columns):
        panels = [_display_image(im, f"the output of {name!r}") for im in out]
        windows = _windows(panels, "image")
        for row in range(n):
            _show(
                axes[row, col],
                panels[row],
                windows[row],
                cmap=cmap,
                title=name if row == 0 else None,
                show_range=show_range,
            )
    if features is not None:
        name, vectors = features
        vectors = vectors.reshape(n, -1)
        for row in range(n):
            ax = axes[row, -1]
            ax.plot(np.arange(vectors.shape[1]), vectors[row], linewidth=0.8)
            ax.tick_params(labelsize=6)
            if row == 0:
                ax.set_title(f"{name}\n{vectors.shape[1]} features", fontsize=8)
    if skipped:
        fig.suptitle(
            f"Skipped, as at transform and predict (samplers run in fit only): "
            f"{', '.join(skipped)}",
            fontsize=9,
        )
    return fig


def _hog_params(extractor_or_params):
    from .features import HOGExtractor

    if isinstance(extractor_or_params, HOGExtractor):
        params = {
            key: value
            for key, value in extractor_or_params.get_params().items()
            if key in _HOG_KEYS
        }
        fitted_shape = getattr(extractor_or_params, "image_shape_", None)
        if params.get("image_shape") is None and fitted_shape is not None:
            params["image_shape"] = tuple(fitted_shape)
        return params
    if isinstance(extractor_or_params, Mapping):
        unknown = sorted(set(extractor_or_params) - set(_HOG_KEYS))
        if unknown:
            raise ValueError(
                f"Unknown HOG parameter(s) {unknown}; the parameters are "
                f"{list(_HOG_KEYS)}, as in HOGExtractor."
            )
        return dict(extractor_or_params)
    raise TypeError(
        "plot_hog expected a HOGExtractor or a dict of its parameters; got "
        f"{type(extractor_or_params).__name__}."
    )


def plot_hog(extractor_or_params, image, *, cmap="gray", fig=None, figsize=None):
    """Draw an image beside the picture of its histogram of oriented gradients.

    The right panel is the image that ``skimage.feature.hog(image,
    orientations, pixels_per_cell, cells_per_block, block_norm,
    visualize=True, transform_sqrt=transform_sqrt, channel_axis=-1 if colour
    else None)`` returns, with the parameters of the extractor: in each cell,
    a line per orientation bin, perpendicular to the bin's gradient direction
    (so along the edges the gradients come from), as bright as the bin's
    value (the cell's gradient magnitude in that orientation, per pixel).
    The picture shows the cell histograms, before the block normalisation.

    Parameters
    ----------
    extractor_or_params : HOGExtractor or dict
        A :class:`~skimgprep.HOGExtractor`, fitted or not, or a dict of some
        of its parameters (``orientations``, ``pixels_per_cell``,
        ``cells_per_block``, ``block_norm``, ``transform_sqrt``,
        ``image_shape``); the others take their defaults.
    image : array-like of shape (h, w), (h, w, c) or (d,)
        One image (any size holding one block); a flattened image is
        unflattened with the extractor's ``image_shape`` (or the
        ``image_shape_`` it was fitted on).
    cmap : str or Colormap, default="gray"
        Colormap of both panels (of the image if grayscale).
    fig : Figure or SubFigure, default=None
        An empty figure to draw in; None makes a new one.
    figsize : tuple (width, height), default=None
        Size in inches of a new figure.

    Returns
    -------
    fig : Figure or SubFigure
        The figure; ``fig.axes[0]`` holds the image, ``fig.axes[1]`` the
        HOG picture. Each is drawn with its own minimum and maximum.

    Raises
    ------
    TypeError
        If ``extractor_or_params`` is neither a HOGExtractor nor a dict.
    ValueError
        For unknown or invalid parameters, an image that is not one image,
        an image smaller than one block, or negative pixels with
        ``transform_sqrt=True`` (the checks of :meth:`HOGExtractor.fit`).

    See Also
    --------
    skimgprep.HOGExtractor : The features this picture shows.
    skimage.feature.hog : Computes the picture (``visualize=True``).

    Examples
    --------
    >>> from skimage import data
    >>> from skimgprep import HOGExtractor
    >>> from skimgprep.plotting import plot_hog
    >>> fig = plot_hog(HOGExtractor(pixels_per_cell=(16, 16)), data.camera()[:128, 128:256])
    >>> [ax.get_title() for ax in fig.axes]
    ['image', 'HOG: 9 orientations, 16x16-pixel cells']
    >>> fig.axes[1].images[0].get_array().shape
    (128, 128)
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    _pyplot()
    from skimage.feature import hog

    from .features import HOGExtractor

    params = _hog_params(extractor_or_params)
    image_shape = check_image_shape_param(params.pop("image_shape", None))
    image = _one_image(image, image_shape, "plot_hog")
    shown = _display_image(image, "the image")
    # HOGExtractor.fit checks the parameters, the size and the sign.
    extractor = HOGExtractor(**params).fit(image[np.newaxis])
    _, hog_image = hog(
        image,
        orientations=extractor.orientations,
        pixels_per_cell=tuple(extractor.pixels_per_cell),
        cells_per_block=tuple(extractor.cells_per_block),
        block_norm=extractor.block_norm,
        visualize=True,
        transform_sqrt=extractor.transform_sqrt,
        feature_vector=True,
        channel_axis=-1 if image.ndim == 3 else None,
    )
    c_row, c_col = extractor.pixels_per_cell
    fig, axes = _figure(fig, 1, 2, figsize)
    _show(axes[0, 0], shown, _windows([shown], "image")[0], cmap=cmap, title="image")
    _show(
        axes[0, 1],
        hog_image,
        _windows([hog_image], "image")[0],
        cmap=cmap,
        title=f"HOG: {extractor.orientations} orientations, {c_row}x{c_col}-pixel cells",
    )
    return fig


def plot_eigenimages(
    pca_reducer,
    *,
    n_components=16,
    image_shape=None,
    show_mean=False,
    n_cols=None,
    cmap="RdBu_r",
    fig=None,
    figsize=None,
):
    """Draw the principal components of a fitted PCA as images (eigenimages).

    Component ``k`` is ``components_[k]`` reshaped to the image shape
    (:attr:`PCAReducer.components_images_ <skimgprep.PCAReducer>`), drawn
    with a window symmetric about 0, ``(-m, m)`` with ``m`` its largest
    absolute value, so that 0 is the middle of the diverging colormap and
    the sign of each pixel's weight shows. A colour component is drawn as
    ``(c + m) / (2 m)`` per channel (0 is mid-grey).

    Parameters
    ----------
    pca_reducer : PCAReducer
        A fitted :class:`~skimgprep.PCAReducer` (or any fitted estimator
        with ``components_``, such as :class:`sklearn.decomposition.PCA`,
        with ``image_shape``).
    n_components : int or None, default=16
        How many leading components to draw (at most ``n_components_``);
        None: all.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` of the components; None: the reducer's
        ``image_shape_``. Needed for a reducer fitted on flattened rows
        without ``image_shape`` (whose ``image_shape_`` is ``(1, d)``).
    show_mean : bool, default=False
        Draw the mean image (``mean_``, with ``cmap="gray"`` and its own
        range) first, titled ``"mean"``.
    n_cols : int, default=None
        Columns of the grid; None: ``ceil(sqrt(n))``.
    cmap : str or Colormap, default="RdBu_r"
        Colormap of grayscale components (a diverging one: red positive,
        blue negative).
    fig : Figure or SubFigure, default=None
        An empty figure to draw in; None makes a new one.
    figsize : tuple (width, height), default=None
        Size in inches of a new figure.

    Returns
    -------
    fig : Figure or SubFigure
        The figure, one axes per drawn image; component ``k`` is titled
        ``"component k"`` and, when the reducer has
        ``explained_variance_ratio_``, its share of the variance.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If the reducer is not fitted.
    ValueError
        If the image shape does not hold the components' length, or for an
        invalid ``n_components``.

    See Also
    --------
    skimgprep.PCAReducer : The reducer, with ``components_images_``.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skimgprep import PCAReducer
    >>> from skimgprep.plotting import plot_eigenimages
    >>> reducer = PCAReducer(n_components=10).fit(load_digits().images)
    >>> fig = plot_eigenimages(reducer, n_components=4)
    >>> len(fig.axes), fig.axes[0].get_title()
    (4, 'component 0\\n14.9% of variance')
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    _pyplot()
    if not hasattr(pca_reducer, "fit"):
        raise TypeError(
            "plot_eigenimages expected a fitted PCAReducer (or another fitted "
            f"estimator with components_); got {type(pca_reducer).__name__}."
        )
    check_is_fitted(pca_reducer)
    components = getattr(pca_reducer, "components_", None)
    if components is None:
        raise TypeError(
            f"plot_eigenimages expected an estimator with components_; "
            f"{type(pca_reducer).__name__} has none."
        )
    components = np.asarray(components)
    n_components = _check_positive_int(n_components, "n_components", allow_none=True)
    shape = check_image_shape_param(image_shape)
    if shape is None:
        shape = getattr(pca_reducer, "image_shape_", None)
        if shape is None:
            raise ValueError(
                f"{type(pca_reducer).__name__} has no image_shape_; pass "
                "image_shape=(h, w) or (h, w, c) to draw its components."
            )
        shape = tuple(shape)
    d = components.shape[1]
    if int(np.prod(shape)) != d:
        raise ValueError(
            f"image_shape={shape} holds {int(np.prod(shape))} values, but the "
            f"components have {d}."
        )
    k = components.shape[0] if n_components is None else min(n_components, components.shape[0])
    ratios = getattr(pca_reducer, "explained_variance_ratio_", None)

    images, titles, cmaps, windows = [], [], [], []
    if show_mean:
        mean = _display_image(np.asarray(pca_reducer.mean_).reshape(shape), "the mean")
        images.append(mean)
        titles.append("mean")
        cmaps.append("gray")
        windows.extend(_windows([mean], "image"))
    for i in range(k):
        component = _display_image(components[i].reshape(shape), f"component {i}")
        m = float(np.abs(component).max())
        images.append(component)
        title = f"component {i}"
        if ratios is not None:
            title += f"\n{ratios[i]:.1%} of variance"
        titles.append(title)
        cmaps.append(cmap)
        windows.append(_fix_window(-m, m))
    n_cols = _check_positive_int(n_cols, "n_cols", allow_none=True)
    return _grid(
        images,
        titles,
        n_cols=n_cols,
        cmaps=cmaps,
        windows=windows,
        show_range=False,
        fig=fig,
        figsize=figsize,
    )


def _describe(params, k):
    """A short title for augmented copy ``k``: what was drawn for it."""
    parts = []
    if params["hflip"][k]:
        parts.append("hflip")
    if params["vflip"][k]:
        parts.append("vflip")
    if params["rotation"][k] != 0:
        parts.append(f"rot {params['rotation'][k]:+.1f}°")
    if params["scale"][k] != 1:
        parts.append(f"zoom {params['scale'][k]:.2f}")
    tx, ty = params["translation"][k]
    if tx != 0 or ty != 0:
        parts.append(f"shift ({tx:+.2f}, {ty:+.2f})")
    if params["brightness"][k] != 0:
        parts.append(f"bright {params['brightness'][k]:+.2f}")
    if params["contrast"][k] != 1:
        parts.append(f"contrast {params['contrast'][k]:.2f}")
    if params["noise_std"][k] > 0:
        parts.append(f"noise {params['noise_std'][k]:.3f}")
    if not parts:
        return f"copy {k + 1}\n(unchanged)"
    lines = [parts[0]]
    for part in parts[1:]:  # wrap between parts, at about 24 characters
        if len(lines[-1]) + len(part) + 2 > 24:
            lines[-1] += ","
            lines.append(part)
        else:
            lines[-1] += ", " + part
    return f"copy {k + 1}\n" + "\n".join(lines)


def plot_augmentations(
    augmenter,
    image,
    *,
    n=8,
    random_state=None,
    n_cols=None,
    cmap="gray",
    value_range="shared",
    fig=None,
    figsize=None,
):
    """Draw augmented copies of one image, as an Augmenter makes them.

    A clone of ``augmenter`` with ``n_augmented=n`` runs ``fit_resample`` on
    the image (the caller's augmenter is neither fitted nor changed); the
    figure shows the original, then the ``n`` copies, each titled with what
    was drawn for it (flips, rotation in degrees, zoom, shift as fractions of
    the width and height, brightness, contrast, noise).

    Parameters
    ----------
    augmenter : Augmenter
        A :class:`~skimgprep.Augmenter`, fitted or not: its probabilities,
        ranges and boundary mode are used.
    image : array-like of shape (h, w), (h, w, c) or (d,)
        The image; a flattened image is unflattened with the augmenter's
        ``image_shape``.
    n : int, default=8
        Augmented copies.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws; None: the augmenter's own ``random_state`` (an int
        there gives the same copies at every call).
    n_cols : int, default=None
        Columns of the grid; None: ``ceil(sqrt(n + 1))``.
    cmap : str or Colormap, default="gray"
        Colormap of a grayscale image.
    value_range : {"image", "shared"} or tuple (vmin, vmax), default="shared"
        As in :func:`plot_image_grid`; the default, one window over the
        original and all the copies, keeps brightness and contrast changes
        visible.
    fig : Figure or SubFigure, default=None
        An empty figure to draw in; None makes a new one.
    figsize : tuple (width, height), default=None
        Size in inches of a new figure.

    Returns
    -------
    fig : Figure or SubFigure
        The figure; ``fig.axes[0]`` holds the original (titled
        ``"original"``), ``fig.axes[k]`` copy ``k`` (row ``k`` of the
        clone's ``fit_resample`` output, which equals
        :func:`~skimgprep.apply_augmentation` with its
        ``augmentation_params_``).

    Raises
    ------
    TypeError
        If ``augmenter`` is not an Augmenter.
    ValueError
        For an image that is not one image, an ``n`` below 1, or the errors
        of :meth:`Augmenter.fit_resample` (invalid ranges).

    See Also
    --------
    skimgprep.Augmenter : Draws and applies the augmentations.
    skimgprep.apply_augmentation : Replays drawn parameters.

    Examples
    --------
    >>> from skimage import data
    >>> from skimgprep import Augmenter
    >>> from skimgprep.plotting import plot_augmentations
    >>> image = data.camera()[::8, ::8]  # 64x64
    >>> fig = plot_augmentations(Augmenter(p_hflip=1.0, p_rotate=0, p_scale=0,
    ...                                    p_translate=0, p_brightness=0,
    ...                                    p_contrast=0, p_noise=0), image, n=3)
    >>> [ax.get_title() for ax in fig.axes]
    ['original', 'copy 1\\nhflip', 'copy 2\\nhflip', 'copy 3\\nhflip']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    _pyplot()
    from .augment import Augmenter

    if not isinstance(augmenter, Augmenter):
        raise TypeError(
            "plot_augmentations expected an Augmenter; got "
            f"{type(augmenter).__name__}."
        )
    n = _check_positive_int(n, "n")
    image_shape = check_image_shape_param(augmenter.image_shape)
    if image_shape is None and getattr(augmenter, "image_shape_", None) is not None:
        image_shape = tuple(augmenter.image_shape_)
    image = _one_image(image, image_shape, "plot_augmentations")
    _display_image(image, "the image")
    sampler = clone(augmenter).set_params(n_augmented=n, image_shape=None)
    if random_state is not None:
        sampler.set_params(random_state=random_state)
    X_res, _ = sampler.fit_resample(image[np.newaxis], np.zeros(1, dtype=np.intp))
    params = sampler.augmentation_params_
    images = [_display_image(im, "a copy") for im in X_res]
    titles = ["original"] + [_describe(params, k) for k in range(n)]
    n_cols = _check_positive_int(n_cols, "n_cols", allow_none=True)
    return _grid(
        images,
        titles,
        n_cols=n_cols,
        cmaps=[cmap] * len(images),
        windows=_windows(images, value_range),
        show_range=False,
        fig=fig,
        figsize=figsize,
        fontsize=7,
    )
