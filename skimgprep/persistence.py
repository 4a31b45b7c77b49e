"""Saving and loading fitted estimators safely, with skops.

:func:`pickle.load` runs whatever code the file names, so a pickled model
from an unknown source is unsafe to open. ``skops.io`` stores the object's
state instead, and its loader builds only the types it is told to trust.
:func:`load` trusts skimgprep's own types (the classes defined in its
modules; not its functions, nor names its modules import) and the ones skops
trusts by default (numpy, SciPy, scikit-learn's estimators, Python's
built-ins). Any other type in the file is refused before anything is built,
with its name in the error, unless the caller names it in ``trusted``.

Two cases need such a name. An :class:`~skimgprep.OutlierFilter` holds the
trees of its isolation forest, ``sklearn.tree._tree.Tree``, which skops does
not trust by default (a crafted tree can crash the process), so a pipeline
with one loads with ``trusted=["sklearn.tree._tree.Tree"]`` when its source
is trusted. An :class:`~skimgprep.ImageResampler` holds the
imbalanced-learn sampler it was given, whose type the caller names the same
way (:func:`untrusted_types` lists them).

A pipeline that holds samplers should be a :class:`skimgprep.pipeline.Pipeline`
(imbalanced-learn's class under skimgprep's name) so that it needs no other
trust; one built with :class:`imblearn.pipeline.Pipeline` loads when
``trusted=["imblearn.pipeline.Pipeline"]`` is passed.

skops is an optional dependency: ``pip install "skimgprep[skops]"``.
"""

import importlib
import os

__all__ = ["dump", "load", "untrusted_types"]

_EXTRA = 'skops is needed for safe persistence: pip install "skimgprep[skops]"'


def _skops_io():
    try:
        import skops.io
    except ImportError as exc:
        raise ImportError(_EXTRA) from exc
    return skops.io


def _is_own(type_name):
    """Whether ``type_name`` is a class defined in skimgprep.

    Not a mere prefix test: a file names its types itself, and skops builds
    ``getattr(import_module(module), name)``, so ``"skimgprep.<module>.<name>"``
    may be a function of skimgprep (which a trusted scikit-learn
    ``FunctionTransformer`` would call with arguments from the file), a name
    that a skimgprep module imports from elsewhere, or in
    ``skimgprep.__main__``, whose import runs the command line.
    """
    module_name, _, name = type_name.rpartition(".")
    parts = module_name.split(".")
    if parts[0] != "skimgprep" or "__main__" in parts:
        return False
    try:
        module = importlib.import_module(module_name)
    except (ImportError, ValueError):
        return False
    obj = getattr(module, name, None)
    return (
        isinstance(obj, type)
        and obj.__module__ == module_name
        and obj.__qualname__ == name
    )


def dump(estimator, file, *, compression=0):
    """Save an estimator (fitted or not) to a skops file.

    Parameters
    ----------
    estimator : object
        A skimgprep step, a pipeline, a grid search, or anything skops
        can store.
    file : str or path-like or binary file object
        Where to write.
    compression : int, default=0
        A :mod:`zipfile` compression constant (0 stores uncompressed).

    See Also
    --------
    load : The way back.
    skops.io.dump : What this calls.
    """
    _skops_io().dump(estimator, file, compression=compression)


def untrusted_types(file):
    """The types in a skops file that skops does not trust by default.

    Parameters
    ----------
    file : str or path-like or bytes
        A skops file, or its contents.

    Returns
    -------
    types : list of str
        Full type names, such as ``"skimgprep.denoise.Denoiser"``, sorted.
    """
    sio = _skops_io()
    if isinstance(file, (bytes, bytearray)):
        return sorted(sio.get_untrusted_types(data=bytes(file)))
    return sorted(sio.get_untrusted_types(file=os.fspath(file)))


def load(file, *, trusted=None):
    """Load an estimator saved with :func:`dump`, refusing unexpected types.

    Parameters
    ----------
    file : str or path-like or bytes
        A skops file, or its contents.
    trusted : list of str, default=None
        Type names to accept besides skimgprep's own and skops' defaults,
        such as ``["imblearn.pipeline.Pipeline"]``.

    Returns
    -------
    estimator : object
        The estimator, as it was saved.

    Raises
    ------
    TypeError
        If the file holds a type that is neither skimgprep's, trusted by
        skops by default, nor in ``trusted``; nothing is built.

    See Also
    --------
    dump : Save an estimator.
    untrusted_types : What a file would need trusted.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from skimgprep import PixelScaler
    >>> from skimgprep.persistence import dump, load
    >>> scaler = PixelScaler(method="range").fit(np.zeros((2, 4, 4), dtype=np.uint8))
    >>> buffer = io.BytesIO()
    >>> dump(scaler, buffer)
    >>> load(buffer.getvalue()).transform(np.full((1, 4, 4), 255, np.uint8)).max()
    np.float32(1.0)
    """
    sio = _skops_io()
    trusted = [] if trusted is None else [str(t) for t in trusted]
    found = untrusted_types(file)
    refused = [t for t in found if not _is_own(t) and t not in trusted]
    if refused:
        raise TypeError(
            f"The skops file holds types that are not skimgprep's and not "
            f"trusted: {refused}. Load it only if you trust them, by passing "
            f"trusted={refused!r}."
        )
    accepted = [t for t in found if t not in refused]
    if isinstance(file, (bytes, bytearray)):
        return sio.loads(bytes(file), trusted=accepted)
    return sio.load(os.fspath(file), trusted=accepted)
