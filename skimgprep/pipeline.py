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

Examples
--------
>>> from sklearn.svm import SVC
>>> from skimgprep import Augmenter, Flattener
>>> from skimgprep.pipeline import make_pipeline
>>> pipe = make_pipeline(Augmenter(random_state=0), Flattener(), SVC())
>>> [name for name, _ in pipe.steps]
['augmenter', 'flattener', 'svc']
"""

from imblearn.pipeline import Pipeline, make_pipeline

__all__ = ["Pipeline", "make_pipeline"]
