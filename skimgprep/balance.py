"""Balancing the classes with synthetic images: :class:`SMOTEBalancer`.

imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` runs on the
flattened images and the synthetic rows go back to images. As a sampler it
runs only in ``fit_resample``: inside :class:`imblearn.pipeline.Pipeline`
no synthetic image reaches a validation or test fold.
"""

from collections import Counter
from numbers import Integral

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy
from sklearn.utils import check_random_state

from ._compat import HasMethods, Interval
from ._validation import float_dtype
from .base import BaseImageSampler

__all__ = ["SMOTEBalancer"]


def _plain(label):
    """A class label as a plain Python value, for messages."""
    return label.item() if isinstance(label, np.generic) else label


def _class_counts(y):
    """``{class: count}`` with plain Python keys, sorted, for messages."""
    return {_plain(c): n for c, n in sorted(Counter(y).items())}


class SMOTEBalancer(BaseImageSampler, BaseOverSampler):
    """Over-sample the rare classes with SMOTE's synthetic images.

    Each synthetic image is ``x + u * (x_nn - x)``, with ``x`` an image of the
    class, ``x_nn`` one of its ``k_neighbors`` nearest images of the same
    class (Euclidean distance between the flattened images) and ``u`` drawn
    uniformly in ``[0, 1)``: :class:`imblearn.over_sampling.SMOTE` on
    ``X.reshape(n, -1)``, the result reshaped to images. The originals come
    first, in order, then the synthetic images class by class (sorted
    classes).

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

    Notes
    -----
    The output dtype is the input's float dtype: float32 stays float32,
    float64 stays float64, and integer images (uint8, say) are computed in
    float32 and come back as float32, originals included, since synthetic
    images fall between pixel values. Works as well on feature matrices
    (HOG features, PCA components) as on images.

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
        try:
            return check_sampling_strategy(
                self.sampling_strategy, y, self._sampling_type
            )
        except ValueError as exc:
            raise ValueError(
                f"SMOTEBalancer cannot use sampling_strategy="
                f"{self.sampling_strategy!r} with the class counts "
                f"{_class_counts(y)}: {exc}"
            ) from exc

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

    def _fit_resample(self, images, y):
        self._check_class_sizes(y)
        rng = check_random_state(self.random_state)
        n = images.shape[0]
        rows = images.reshape(n, -1)
        rows = rows.astype(float_dtype(rows.dtype), copy=False)
        # The resolved strategy, as SMOTE reads a dict: images wanted per class.
        counts = Counter(y)
        wanted = {c: counts[c] + n_new for c, n_new in self.sampling_strategy_.items()}
        smote = SMOTE(
            sampling_strategy=wanted,
            k_neighbors=self.k_neighbors,
            random_state=rng,
        )
        rows_res, y_res = smote.fit_resample(rows, y)
        images_res = rows_res.reshape((rows_res.shape[0],) + images.shape[1:])
        return images_res, y_res
