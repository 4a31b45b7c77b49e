"""Pipelines that accept samplers: imbalanced-learn's ``Pipeline``.

scikit-learn's :class:`sklearn.pipeline.Pipeline` calls ``fit_transform`` (or
``fit`` then ``transform``) on every intermediate step and refuses a step
without ``transform``: it has no notion of a step that changes the number of
samples, so an augmenter, an outlier filter or a class balancer cannot be
placed in it (and folding one into a transformer would also run it at
predict time, on the test images).

imbalanced-learn's :class:`~imblearn.pipeline.Pipeline` adds exactly that: a
step with ``fit_resample`` runs on the training data during ``fit`` and is
skipped at ``predict``, ``transform`` and ``score``. Inside a grid search the
resampling therefore happens within each training fold only, and no
augmented, synthetic or filtered image ever reaches a validation fold.

:class:`Pipeline` here is that class under skimgprep's name, unchanged: a
subclass that adds nothing, so that :func:`skimgprep.persistence.load`, which
trusts skimgprep's own types and nothing else, loads a fitted pipeline of
skimgprep steps and scikit-learn estimators without being told to trust a
third package.

Examples
--------
>>> from sklearn.svm import SVC
>>> from skimgprep import Augmenter, Flattener
>>> from skimgprep.pipeline import make_pipeline
>>> pipe = make_pipeline(Augmenter(random_state=0), Flattener(), SVC())
>>> [name for name, _ in pipe.steps]
['augmenter', 'flattener', 'svc']
"""

import imblearn.pipeline
from sklearn.pipeline import _name_estimators

__all__ = ["Pipeline", "make_pipeline"]


class Pipeline(imblearn.pipeline.Pipeline):
    """imbalanced-learn's :class:`~imblearn.pipeline.Pipeline`, unchanged.

    Samplers (steps with ``fit_resample``) run on the training data in
    ``fit`` and are skipped at ``predict``, ``transform`` and ``score``; the
    other steps behave as in scikit-learn's Pipeline. The parameters,
    attributes and methods are imbalanced-learn's; see its documentation.

    Parameters
    ----------
    steps : list of tuple
        ``(name, estimator)`` pairs; all but the last have ``transform`` or
        ``fit_resample``.
    transform_input : list of str, default=None
        As in :class:`imblearn.pipeline.Pipeline`.
    memory : str or object with the joblib.Memory interface, default=None
        Caches the fitted transformers, as in scikit-learn.
    verbose : bool, default=False
        Print the time each step takes to fit.

    See Also
    --------
    make_pipeline : Build one, naming the steps after their classes.
    imblearn.pipeline.Pipeline : The class this one is.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skimgprep import Augmenter, Flattener
    >>> from skimgprep.pipeline import Pipeline
    >>> X = np.random.default_rng(0).random((20, 8, 8))
    >>> y = np.repeat([0, 1], 10)
    >>> pipe = Pipeline([
    ...     ("augment", Augmenter(random_state=0)),
    ...     ("flatten", Flattener()),
    ...     ("clf", LogisticRegression()),
    ... ]).fit(X, y)
    >>> pipe.predict(X).shape  # the augmenter is skipped at predict
    (20,)
    """


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline`, each step named after its class in lowercase.

    Parameters
    ----------
    *steps : list of estimators
        The steps, in order.
    memory : str or object with the joblib.Memory interface, default=None
        Caches the fitted transformers.
    transform_input : list of str, default=None
        As in :class:`imblearn.pipeline.Pipeline`.
    verbose : bool, default=False
        Print the time each step takes to fit.

    Returns
    -------
    pipeline : Pipeline
        The pipeline, not fitted.

    See Also
    --------
    imblearn.pipeline.make_pipeline : The same, for imbalanced-learn's class.
    """
    return Pipeline(
        _name_estimators(steps),
        memory=memory,
        transform_input=transform_input,
        verbose=verbose,
    )
