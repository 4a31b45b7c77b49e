"""Removing outlying training images: :class:`OutlierFilter`.

An :class:`sklearn.ensemble.IsolationForest` is fitted on the flattened
images, and the images it predicts as outliers are dropped from the training
data. As a sampler it runs only in ``fit_resample``: inside
:class:`imblearn.pipeline.Pipeline` validation and test images are never
filtered.
"""

from collections import OrderedDict
from numbers import Integral, Real

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.utils import check_random_state

from ._compat import Interval, StrOptions
from .base import BaseImageSampler

__all__ = ["OutlierFilter"]


class OutlierFilter(BaseImageSampler):
    """Remove the outlying training images found by an isolation forest.

    ``fit_resample`` flattens the images to ``(n, h * w * c)``, fits a
    :class:`sklearn.ensemble.IsolationForest` on them and keeps the images
    whose ``IsolationForest.fit_predict`` is 1 (inliers), in their order.
    With ``per_class=False`` the result is exactly
    ``IsolationForest(...).fit_predict(X.reshape(n, -1)) == 1`` for the same
    parameters and ``random_state``. With ``per_class=True`` one forest is
    fitted on the images of each class, so that a class is judged against
    itself (a "7" is not an outlier because it is no "1").

    Parameters
    ----------
    contamination : "auto" or float in (0, 0.5], default="auto"
        As in :class:`~sklearn.ensemble.IsolationForest`: the expected
        fraction of outliers (per class with ``per_class=True``), or "auto"
        for the threshold of the original paper.
    n_estimators : int, default=100
        Trees per forest.
    per_class : bool, default=False
        Fit one forest per class instead of one for all images.
    random_state : int, RandomState instance or None, default=None
        With ``per_class=False`` it is handed to the forest as it is, as
        imbalanced-learn hands its own to an inner estimator. With
        ``per_class=True``, ``check_random_state(random_state)`` is called
        once per ``fit_resample`` and each forest, in the order of
        ``classes_``, gets the integer seed
        ``generator.randint(np.iinfo(np.int32).max)`` drawn from it in turn
        (as scikit-learn seeds the members of an ensemble).
    n_jobs : int, default=None
        Jobs of each forest (fit and scoring); the result does not depend on
        it.
    image_shape : tuple of int, default=None
        ``(h, w)`` or ``(h, w, c)`` to unflatten 2D input; None: each row is
        an image of shape ``(1, d)``.

    Attributes
    ----------
    estimators_ : list of IsolationForest
        The fitted forests: one with ``per_class=False``, else one per class
        in the order of ``classes_``.
    classes_ : ndarray of shape (n_classes,)
        The classes seen in ``fit_resample``.
    scores_ : ndarray of shape (n_samples,)
        ``decision_function`` of each training image under the forest that
        judged it: negative for the outliers, which were removed.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the kept images in the input, in increasing order.
    sampling_strategy_ : OrderedDict
        ``{class: number of images kept}`` after ``fit_resample`` (every class
        of ``y``, 0 when all its images were removed). ``fit``, which only
        validates, records ``{class: number of images}`` of ``y``.
    n_features_in_ : int
        Pixel values per image, ``h * w * c``.
    image_shape_ : tuple of int
        The image shape seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names of a DataFrame seen in ``fit_resample``.

    Raises
    ------
    ValueError
        From ``fit_resample``, when every image would be removed.

    See Also
    --------
    sklearn.ensemble.IsolationForest : The detector.
    imblearn.FunctionSampler : imbalanced-learn's recipe for outlier removal
        in a pipeline.

    Notes
    -----
    Kept images are returned unchanged, in the input dtype (nothing is
    computed on them); the forest itself works in float32, as scikit-learn's
    trees do.

    References
    ----------
    .. [1] F. T. Liu, K. M. Ting, Z.-H. Zhou, "Isolation forest", ICDM 2008,
       :doi:`10.1109/ICDM.2008.17`.

    Examples
    --------
    >>> import numpy as np
    >>> from skimgprep import OutlierFilter
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(0.5, 0.01, size=(40, 4, 4))
    >>> X[7] = 5.0  # one image unlike the others
    >>> y = np.arange(40) % 2
    >>> outliers = OutlierFilter(contamination=0.025, random_state=0)
    >>> X_res, y_res = outliers.fit_resample(X, y)
    >>> X_res.shape
    (39, 4, 4)
    >>> 7 in outliers.sample_indices_
    False
    """

    _sample_indices = True

    _parameter_constraints = {
        "contamination": [
            StrOptions({"auto"}),
            Interval(Real, 0, 0.5, closed="right"),
        ],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "per_class": ["boolean"],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "image_shape": [tuple, None],
    }

    def __init__(
        self,
        *,
        contamination="auto",
        n_estimators=100,
        per_class=False,
        random_state=None,
        n_jobs=None,
        image_shape=None,
    ):
        self.contamination = contamination
        self.n_estimators = n_estimators
        self.per_class = per_class
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.image_shape = image_shape

    def _forest(self, random_state):
        return IsolationForest(
            n_estimators=self.n_estimators,
            contamination=self.contamination,
            n_jobs=self.n_jobs,
            random_state=random_state,
        )

    def _fit_resample(self, images, y):
        n = images.shape[0]
        rows = images.reshape(n, -1)  # the forest casts to float32 itself
        classes = np.unique(y)
        scores = np.empty(n, dtype=np.float64)
        if self.per_class:
            rng = check_random_state(self.random_state)
            seeds = rng.randint(np.iinfo(np.int32).max, size=len(classes))
            groups = [(np.flatnonzero(y == c), int(s)) for c, s in zip(classes, seeds)]
        else:
            groups = [(slice(None), self.random_state)]
        forests = []
        for index, seed in groups:
            forest = self._forest(seed).fit(rows[index])
            scores[index] = forest.decision_function(rows[index])
            forests.append(forest)
        # IsolationForest.predict: -1 (outlier) where decision_function < 0.
        keep = np.flatnonzero(scores >= 0)
        if keep.size == 0:
            raise ValueError(
                f"OutlierFilter would remove all {n} images (contamination="
                f"{self.contamination!r}, per_class={self.per_class}): expected "
                "at least one inlier. Lower contamination or check the images."
            )
        self.estimators_ = forests
        self.classes_ = classes
        self.scores_ = scores
        self.sample_indices_ = keep
        y_kept = y[keep]
        self.sampling_strategy_ = OrderedDict(
            (c, int(np.count_nonzero(y_kept == c))) for c in classes
        )
        return images[keep], y_kept
