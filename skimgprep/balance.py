"""Balancing the classes of a batch of images.

- :class:`ImageResampler` runs any imbalanced-learn sampler (SMOTE, ADASYN,
  RandomUnderSampler, TomekLinks, ...) on the flattened images and returns
  images in the layout they came in.
- :class:`SMOTEBalancer` is the SMOTE case of it, with SMOTE's parameters as
  its own.
- :class:`AugmentingOverSampler` balances with augmented copies of the rare
  classes' images (the draws and the pure function of
  :mod:`skimgprep.augment`) instead of interpolations between them.

All are samplers: they run only in ``fit_resample``, so inside
:class:`imblearn.pipeline.Pipeline` no synthetic, augmented or removed image
ever concerns a validation or test fold.
"""

from collections import Counter, OrderedDict
from numbers import Integral

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy
from sklearn.base import clone
from sklearn.utils import check_random_state, get_tags

from ._compat import HasMethods, Interval
from ._progress import reports_progress
from ._validation import float_dtype
from .augment import Augmenter, _apply, _draw_params
from .base import BaseImageSampler

__all__ = ["AugmentingOverSampler", "ImageResampler", "SMOTEBalancer"]


def _plain(label):
    """A class label as a plain Python value, for messages."""
    return label.item() if isinstance(label, np.generic) else label


def _class_counts(y):
    """``{class: count}`` with plain Python keys, sorted, for messages."""
    return {_plain(c): n for c, n in sorted(Counter(y).items())}


def _over_sampling_strategy(estimator, y):
    """imbalanced-learn's over-sampling strategy, with the class counts in errors."""
    try:
        return check_sampling_strategy(estimator.sampling_strategy, y, "over-sampling")
    except ValueError as exc:
        raise ValueError(
            f"{type(estimator).__name__} cannot use sampling_strategy="
            f"{estimator.sampling_strategy!r} with the class counts "
            f"{_class_counts(y)}: {exc}"
        ) from exc


def _selected_rows(sampler, rows, rows_res):
    """The input rows the fitted ``sampler`` returned, or None.

    Not None only when the sampler has ``sample_indices_`` and its output is
    exactly ``rows[sample_indices_]``: a sampler that only selects (or
    repeats) input rows, such as every under-sampler and cleaner and
    RandomOverSampler without shrinkage.
    """
    index = getattr(sampler, "sample_indices_", None)
    if index is None:
        return None
    index = np.asarray(index)
    if (
        index.ndim != 1
        or index.shape[0] != rows_res.shape[0]
        or not np.issubdtype(index.dtype, np.integer)
        or not np.array_equal(rows[index], rows_res)
    ):
        return None
    return index


class ImageResampler(BaseImageSampler):
    """Run an imbalanced-learn sampler on images.

    ``fit_resample`` flattens the images to rows ``(n, h * w * c)``, runs
    ``clone(sampler).fit_resample(rows, y)`` and reshapes the rows it returns
    back to images, in the layout ``X`` had: with the same sampler and seed,
    the output is exactly the sampler's on ``X.reshape(n, -1)``. What comes
    out, and in which order, is the wrapped sampler's: over-samplers
    (SMOTE, ADASYN, BorderlineSMOTE, RandomOverSampler, ...) return the
    originals first, in order, then the new images class by class;
    under-samplers and cleaners (RandomUnderSampler, TomekLinks,
    EditedNearestNeighbours, ...) return the kept images.

    Parameters
    ----------
    sampler : estimator with ``fit_resample``, default=None
        The sampler, such as one of :mod:`imblearn.over_sampling` or
        :mod:`imblearn.under_sampling`: any estimator with ``fit_resample``
        and ``get_params`` (which :func:`sklearn.base.clone` needs). It is
        cloned in each ``fit_resample`` and used with its own parameters
        (its ``random_state`` too: an int gives the same output at every
        call).
        None means ``imblearn.over_sampling.SMOTE()``.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.

    Attributes
    ----------
    sampler_ : object
        The fitted clone of ``sampler`` (a fitted ``SMOTE()`` for None).
    sampling_strategy_ : OrderedDict
        The fitted sampler's ``sampling_strategy_`` (``{class: number of
        images}`` of ``y`` when it has none). ``fit``, which only validates,
        records what the sampler's own ``fit`` would.
    sample_indices_ : ndarray of shape (n_resampled,)
        The fitted sampler's ``sample_indices_``: indices of the returned
        images in the input. Only when the sampler's tag
        ``sampler_tags.sample_indices`` is True (imbalanced-learn's
        under-samplers, cleaners and RandomOverSampler), which makes this
        estimator's tag True too.
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in ``fit_resample``.

    Raises
    ------
    ValueError
        When the sampler's ``sampling_strategy`` does not fit ``y``, or the
        sampler returns rows of another length than the images'.

    See Also
    --------
    SMOTEBalancer : The SMOTE case, with SMOTE's parameters as its own.
    AugmentingOverSampler : Balance with augmented copies instead.
    imblearn.FunctionSampler : Wrap a function of ``(X, y)`` as a sampler.

    Notes
    -----
    The sampler works on rows of the input's float dtype: float32 stays
    float32, float64 stays float64, integer and bool images become float32
    (SMOTE-style samplers make values between pixel values). When every
    returned image is an input image, the output keeps the input dtype:
    that is, when the fitted sampler has ``sample_indices_`` and its output
    is exactly its input at those indices, the images at those indices are
    returned (so RandomUnderSampler, TomekLinks, EditedNearestNeighbours
    and RandomOverSampler without shrinkage return uint8 images for uint8
    input; SMOTE, ADASYN and RandomOverSampler with shrinkage return
    float32).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn.under_sampling import RandomUnderSampler
    >>> from skimgprep import ImageResampler
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(0, 256, size=(30, 4, 4), dtype=np.uint8)
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> resampler = ImageResampler(sampler=RandomUnderSampler(random_state=0))
    >>> X_res, y_res = resampler.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res)
    ((12, 4, 4), dtype('uint8'), array([6, 6]))
    >>> bool(np.array_equal(X_res, X[resampler.sample_indices_]))
    True
    """

    _parameter_constraints = {
        "sampler": [HasMethods(["fit_resample", "get_params"]), None],
        "image_shape": [tuple, None],
    }

    #: Keep the fitted sampler as ``sampler_`` (a subclass whose sampler is
    #: fully described by its own parameters need not).
    _keep_sampler = True

    def __init__(self, *, sampler=None, image_shape=None):
        self.sampler = sampler
        self.image_shape = image_shape

    def _sampler_template(self):
        """The sampler as given (``SMOTE()`` for None), not cloned."""
        return SMOTE() if self.sampler is None else self.sampler

    @property
    def _sample_indices(self):
        """The wrapped sampler's tag ``sampler_tags.sample_indices``."""
        try:
            tags = get_tags(self._sampler_template())
        except AttributeError:  # an estimator without scikit-learn's tags
            return False
        return bool(getattr(getattr(tags, "sampler_tags", None), "sample_indices", False))

    @property
    def _sampling_type(self):
        """The wrapped sampler's ``_sampling_type`` ("bypass" when it has none)."""
        return getattr(self._sampler_template(), "_sampling_type", "bypass")

    def _make_sampling_strategy(self, y):
        """What the sampler's own ``fit`` records as ``sampling_strategy_``."""
        sampler = self._sampler_template()
        if hasattr(sampler, "sampling_strategy") and hasattr(sampler, "_sampling_type"):
            try:
                return check_sampling_strategy(
                    sampler.sampling_strategy, y, sampler._sampling_type
                )
            except ValueError as exc:
                raise ValueError(
                    f"{type(self).__name__} cannot use the sampler "
                    f"{type(sampler).__name__} with sampling_strategy="
                    f"{sampler.sampling_strategy!r} on the class counts "
                    f"{_class_counts(y)}: {exc}"
                ) from exc
        return OrderedDict(sorted(Counter(y).items()))

    def _make_sampler(self, y):
        """The unfitted sampler that ``fit_resample`` runs."""
        return clone(self._sampler_template())

    def _fit_resample(self, images, y):
        sampler = self._make_sampler(y)
        n = images.shape[0]
        shape = images.shape[1:]
        rows = images.reshape(n, -1)
        rows = rows.astype(float_dtype(rows.dtype), copy=False)
        rows_res, y_res = sampler.fit_resample(rows, y)
        # The compute dtype is kept (RandomOverSampler with shrinkage, say,
        # returns float64 for float32 rows).
        rows_res = np.asarray(rows_res).astype(rows.dtype, copy=False)
        if rows_res.ndim != 2 or rows_res.shape[1] != rows.shape[1]:
            raise ValueError(
                f"{type(self).__name__} expected {type(sampler).__name__} to "
                f"return rows of {rows.shape[1]} values (images of shape "
                f"{tuple(shape)}); got an array of shape {rows_res.shape}."
            )
        index = None
        if rows.dtype != images.dtype:
            index = _selected_rows(sampler, rows, rows_res)
        if index is not None:
            images_res = images[index]  # the input dtype, values unchanged
        else:
            if np.may_share_memory(rows_res, images):
                rows_res = rows_res.copy()  # never hand back the caller's data
            images_res = rows_res.reshape((rows_res.shape[0],) + shape)
        if self._keep_sampler:
            self.sampler_ = sampler
        if hasattr(sampler, "sampling_strategy_"):
            self.sampling_strategy_ = sampler.sampling_strategy_
        if self._sample_indices:
            self.sample_indices_ = np.asarray(sampler.sample_indices_)
        return images_res, y_res


class SMOTEBalancer(ImageResampler, BaseOverSampler):
    """Over-sample the rare classes with SMOTE's synthetic images.

    Each synthetic image is ``x + u * (x_nn - x)``, with ``x`` an image of the
    class, ``x_nn`` one of its ``k_neighbors`` nearest images of the same
    class (Euclidean distance between the flattened images) and ``u`` drawn
    uniformly in ``[0, 1)``: :class:`imblearn.over_sampling.SMOTE` on
    ``X.reshape(n, -1)``, the result reshaped to images. The originals come
    first, in order, then the synthetic images class by class (sorted
    classes). It is the :class:`ImageResampler` whose sampler is a SMOTE
    built from this estimator's parameters.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many images each class should have after resampling, as in
        :class:`~imblearn.over_sampling.SMOTE`: a str among "auto" (= "not
        majority"), "minority", "not minority", "not majority", "all" (each
        targeted class up to the majority's count); a dict ``{class: number
        of images wanted}``, each at least the class's count; a float in
        ``(0, 1]``, the wanted ratio minority / majority (two classes only);
        or a callable ``f(y)`` returning such a dict. Checked in ``fit`` and
        ``fit_resample`` against ``y``.
    k_neighbors : int or estimator, default=5
        Nearest neighbours among which the partner image is drawn; a class
        to over-sample needs at least ``k_neighbors + 1`` images. An
        estimator with ``kneighbors`` and ``kneighbors_graph`` (such as
        :class:`~sklearn.neighbors.NearestNeighbors`) is used as it is.
    random_state : int, RandomState instance or None, default=None
        ``check_random_state(random_state)`` is called once per
        ``fit_resample`` and the generator is handed to SMOTE, which draws
        from it for every class in turn. (imbalanced-learn's SMOTE given an
        int restarts the same stream for each class; so the result equals
        ``SMOTE(random_state=np.random.RandomState(seed))``, and equals
        ``SMOTE(random_state=seed)`` when one class is over-sampled.)
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.

    Attributes
    ----------
    sampling_strategy_ : OrderedDict
        ``{class: number of synthetic images}`` for the targeted classes, as
        in imbalanced-learn's over-samplers.
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in ``fit_resample``.

    Raises
    ------
    ValueError
        When ``sampling_strategy`` does not fit ``y`` (one class only, a
        class not in ``y``, fewer images than the class has, a float with
        more than two classes), or a class to over-sample has fewer than
        ``k_neighbors + 1`` images.

    See Also
    --------
    imblearn.over_sampling.SMOTE : The algorithm, on feature matrices.
    ImageResampler : Any imbalanced-learn sampler on images.
    AugmentingOverSampler : Balance with augmented copies instead.

    Notes
    -----
    The output dtype is the input's float dtype: float32 stays float32,
    float64 stays float64, and integer images (uint8, say) are computed in
    float32 and come back as float32, originals included, since synthetic
    images fall between pixel values. Works as well on feature matrices
    (HOG features, PCA components) as on images.

    The SMOTE that ran is not kept (no ``sampler_``): it is
    ``SMOTE(sampling_strategy={class: images wanted}, k_neighbors=k_neighbors,
    random_state=generator)``, and keeping it would store its nearest
    neighbours' training images in every saved pipeline.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE:
       synthetic minority over-sampling technique", Journal of Artificial
       Intelligence Research 16, 321-357, 2002, :doi:`10.1613/jair.953`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import SMOTEBalancer
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(size=(30, 4, 4)).astype(np.float32)
    >>> y = np.array([0] * 24 + [1] * 6)
    >>> X_res, y_res = SMOTEBalancer(k_neighbors=3, random_state=0).fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res)
    ((48, 4, 4), dtype('float32'), array([24, 24]))
    """

    _sampling_type = "over-sampling"
    _sample_indices = False
    _keep_sampler = False

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [
            Interval(Integral, 1, None, closed="left"),
            HasMethods(["kneighbors", "kneighbors_graph"]),
        ],
        "image_shape": [tuple, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        k_neighbors=5,
        random_state=None,
        image_shape=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.k_neighbors = k_neighbors
        self.random_state = random_state
        self.image_shape = image_shape

    def _make_sampling_strategy(self, y):
        return _over_sampling_strategy(self, y)

    def _check_class_sizes(self, y):
        if not isinstance(self.k_neighbors, Integral):
            return
        counts = Counter(y)
        small = {
            _plain(c): counts[c]
            for c, n_new in self.sampling_strategy_.items()
            if n_new > 0 and counts[c] < self.k_neighbors + 1
        }
        if small:
            raise ValueError(
                "SMOTEBalancer needs at least k_neighbors + 1 = "
                f"{self.k_neighbors + 1} images in each class it over-samples; "
                f"got {small} (class: images). Lower k_neighbors or leave "
                "these classes out of sampling_strategy."
            )

    def _make_sampler(self, y):
        self._check_class_sizes(y)
        # The resolved strategy, as SMOTE reads a dict: images wanted per class.
        counts = Counter(y)
        wanted = {c: counts[c] + n_new for c, n_new in self.sampling_strategy_.items()}
        return SMOTE(
            sampling_strategy=wanted,
            k_neighbors=self.k_neighbors,
            random_state=check_random_state(self.random_state),
        )


class AugmentingOverSampler(BaseImageSampler, BaseOverSampler):
    """Over-sample the rare classes with augmented copies of their images.

    Where :class:`SMOTEBalancer` interpolates between images of a class, this
    sampler adds randomly flipped, rotated, scaled, shifted and re-lit copies
    of them, made as :class:`~skimgprep.Augmenter` makes its copies. The
    number of copies per class is imbalanced-learn's, as for SMOTE
    (``imblearn.utils.check_sampling_strategy(sampling_strategy, y,
    "over-sampling")``). The originals come first, unchanged and in order,
    then the copies class by class (sorted classes), each with its source's
    label.

    How the copies are drawn, with one generator
    ``check_random_state(random_state)`` per ``fit_resample``:

    1. *Sources.* For each class to over-sample, in sorted order, with
       ``n_c`` images and ``k`` copies to make: the class's images are
       shuffled (``rng.permutation`` of their indices) and taken in that
       order, cycling when ``k > n_c`` (``np.resize(permutation, k)``). So
       every image of the class is the source of ``k // n_c`` or
       ``k // n_c + 1`` copies: none is left out while another is used
       twice.
    2. *Augmentations.* Then the parameters of all ``m`` copies are drawn as
       ``Augmenter(n_augmented=1)`` draws those of ``m`` images, with the
       augmenter's probabilities and ranges; each copy is augmented once.

    So the copies equal ``Augmenter(n_augmented=1, random_state=rng)``'s on
    the batch ``X[source_indices_]``, with ``rng`` the generator after step
    1; ``apply_augmentation(X, augmentation_params_, mode=..., cval=...)``
    replays them.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many images each class should have after resampling, as in
        :class:`~imblearn.over_sampling.SMOTE`: a str among "auto" (= "not
        majority"), "minority", "not minority", "not majority", "all"; a
        dict ``{class: number of images wanted}``; a float in ``(0, 1]``,
        the wanted ratio minority / majority (two classes only); or a
        callable ``f(y)`` returning such a dict.
    augmenter : Augmenter, default=None
        Whose probabilities, ranges, ``mode``, ``cval``, ``n_jobs`` and
        ``batch_size`` are used; it is cloned, and its ``n_augmented``,
        ``random_state``, ``image_shape`` and ``verbose`` play no part
        (each copy is augmented once, all draws come from this sampler's
        ``random_state``, progress is this sampler's ``verbose``). None
        means ``Augmenter()``: horizontal flip with probability 0.5;
        rotation of -15 to 15 degrees, zoom of 0.9 to 1.1,
        shift of up to 10 % of the size, brightness of -0.1 to 0.1 of the
        value range and contrast of 0.8 to 1.2, each with probability 0.5;
        Gaussian noise of 0.02 of the value range with probability 0.25;
        "reflect" boundaries. Pass ``Augmenter(p_hflip=0.0)`` for images
        that a mirror changes (digits, text).
    random_state : int, RandomState instance or None, default=None
        Seeds the one generator of each ``fit_resample``, from which the
        sources and then the augmentations are drawn.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.
    verbose : int or bool, default=0
        Report progress on standard error while the copies are made in
        ``fit_resample`` (units: augmented copies): a tqdm bar when tqdm is
        installed, else a line at every tenth of the work.

    Attributes
    ----------
    augmenter_ : Augmenter
        The clone of ``augmenter`` (``Augmenter()`` for None) whose
        parameters were used.
    source_indices_ : ndarray of shape (m,)
        For each augmented copy, in output order, the index in the input of
        the image it was made from: copy ``k`` is row ``n + k`` of the
        output.
    augmentation_params_ : dict of ndarray
        What was drawn for each copy, one row per copy, with the keys of
        ``Augmenter.augmentation_params_`` (``"source"`` is
        ``source_indices_``).
    sampling_strategy_ : OrderedDict
        ``{class: number of augmented copies}`` for the targeted classes, as
        in imbalanced-learn's over-samplers.
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in ``fit_resample``.

    Raises
    ------
    ValueError
        When ``sampling_strategy`` does not fit ``y`` (one class only, a
        class not in ``y``, fewer images than the class has, a float with
        more than two classes), or the augmenter's ranges are not valid.

    See Also
    --------
    Augmenter : Augmented copies of every image, whatever the class.
    apply_augmentation : Replay drawn parameters.
    SMOTEBalancer : Balance with interpolated images instead.
    imblearn.over_sampling.RandomOverSampler : Balance with plain copies.

    Notes
    -----
    The dtype rule is :class:`~skimgprep.Augmenter`'s: the output has the
    input's dtype, so the originals stay exact; float32 stays float32,
    float64 stays float64; integer and bool images are computed in float32
    and their copies rounded and clipped to the dtype's range.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import Augmenter, AugmentingOverSampler
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(0, 256, size=(30, 4, 4), dtype=np.uint8)
    >>> y = np.array([0] * 26 + [1] * 4)
    >>> sampler = AugmentingOverSampler(
    ...     augmenter=Augmenter(p_hflip=0.0), random_state=0
    ... )
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, X_res.dtype, np.bincount(y_res)
    ((52, 4, 4), dtype('uint8'), array([26, 26]))
    >>> np.bincount(sampler.source_indices_ - 26)  # 22 copies of 4 images
    array([5, 5, 6, 6])
    """

    _sampling_type = "over-sampling"

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "augmenter": [Augmenter, None],
        "image_shape": [tuple, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        augmenter=None,
        random_state=None,
        image_shape=None,
        verbose=0,
    ):
        self.sampling_strategy = sampling_strategy
        self.augmenter = augmenter
        self.random_state = random_state
        self.image_shape = image_shape
        self.verbose = verbose

    def _make_augmenter(self):
        augmenter = Augmenter() if self.augmenter is None else clone(self.augmenter)
        augmenter._validate_params()
        return augmenter, augmenter._knobs()

    def _make_sampling_strategy(self, y):
        self._make_augmenter()  # its parameters are checked in fit too
        return _over_sampling_strategy(self, y)

    @reports_progress(
        lambda self, X: sum(n for n in self.sampling_strategy_.values() if n > 0),
        unit="copies",
    )
    def _fit_resample(self, images, y):
        augmenter, knobs = self._make_augmenter()
        rng = check_random_state(self.random_state)
        n = images.shape[0]
        sources = [
            np.resize(rng.permutation(np.flatnonzero(y == label)), n_new)
            for label, n_new in self.sampling_strategy_.items()
            if n_new > 0
        ]
        sources = np.concatenate(sources) if sources else np.empty(0, np.intp)
        sources = sources.astype(np.intp, copy=False)
        params = _draw_params(rng, len(sources), 1, knobs)
        params["source"] = sources
        X_res = np.empty(
            (n + len(sources),) + images.shape[1:],
            dtype=images.dtype.newbyteorder("="),
        )
        _apply(
            images,
            params,
            mode=augmenter.mode,
            cval=augmenter.cval,
            n_jobs=augmenter.n_jobs,
            batch_size=augmenter.batch_size,
            out=X_res[n:],
            originals=X_res[:n],
        )
        self.augmenter_ = augmenter
        self.augmentation_params_ = params
        self.source_indices_ = sources
        y_res = np.concatenate([y, y[sources]])
        return X_res, y_res
