"""Progress reports for long transforms, samplers and the command line.

:func:`progress` returns a counter that the caller advances as work is
done: a tqdm bar on standard error when tqdm is installed and standard
error is a terminal, otherwise plain lines (at most about ten per call: at 0%, every tenth and at the end), so a
log file stays readable. With ``verbose`` 0 or False it does nothing and
costs nothing.

An estimator with a ``verbose`` parameter wraps its work in
:func:`reporting`; the chunked helpers of :mod:`skimgprep._parallel` then
call :func:`advance` as each chunk or task finishes, in the calling thread,
so the estimator's code needs no counting of its own.
"""

import contextvars
import functools
import sys
import time
from contextlib import contextmanager

__all__ = ["advance", "progress", "reporting", "reports_progress"]

_CURRENT = contextvars.ContextVar("skimgprep_progress", default=None)


class _Silent:
    def update(self, n=1):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Lines(_Silent):
    """Plain lines: ``desc: done/total unit (percent, seconds)``."""

    def __init__(self, total, desc, unit, file):
        self.total, self.desc, self.unit, self.file = total, desc, unit, file
        self.done = 0
        self.start = time.perf_counter()
        self._next_tenth = 1
        self._print()

    def _print(self):
        pct = 100.0 * self.done / self.total if self.total else 100.0
        elapsed = time.perf_counter() - self.start
        print(
            f"{self.desc}: {self.done}/{self.total} {self.unit} "
            f"({pct:.0f}%, {elapsed:.1f} s)",
            file=self.file,
            flush=True,
        )

    def update(self, n=1):
        self.done += n
        if self.total and self.done * 10 >= self._next_tenth * self.total:
            while self.done * 10 >= self._next_tenth * self.total:
                self._next_tenth += 1
            self._print()

    def close(self):
        pass


def _is_terminal(file):
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError):
        return False


def progress(total, *, desc, verbose, unit="images", file=None):
    """A progress counter over ``total`` units of work.

    Parameters
    ----------
    total : int
        Units of work (images, candidates).
    desc : str
        What is being done, shown first (the estimator's class name, say).
    verbose : int or bool
        0 or False: silent. Otherwise a tqdm bar when tqdm is installed and
        ``file`` is a terminal, else plain lines.
    unit : str, default="images"
        The unit's name.
    file : file object, default=None
        Where to write; None means ``sys.stderr``.

    Returns
    -------
    counter : object
        With ``update(n)``, ``close()``, and usable in a ``with`` block.
    """
    if not verbose:
        return _Silent()
    file = sys.stderr if file is None else file
    if not _is_terminal(file):
        # A log file or a pipe: plain lines, not a bar redrawn with \r.
        return _Lines(total, desc, unit, file)
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Lines(total, desc, unit, file)
    return tqdm(total=total, desc=desc, unit=f" {unit}", file=file, dynamic_ncols=True, leave=True)


@contextmanager
def reporting(total, *, desc, verbose, unit="images"):
    """Report the progress of the work in the ``with`` block.

    Parameters
    ----------
    total : int
        Units of work the block does.
    desc : str
        What is being done (the estimator's class name and method, say).
    verbose : int or bool
        0 or False: nothing is reported.
    unit : str, default="images"
        The unit's name.

    Yields
    ------
    counter : object or None
        The counter that :func:`advance` moves on; None when silent.
    """
    if not verbose:
        yield None
        return
    bar = progress(total, desc=desc, verbose=verbose, unit=unit)
    token = _CURRENT.set(bar)
    try:
        yield bar
    finally:
        _CURRENT.reset(token)
        bar.close()


def advance(n):
    """Move the counter of the enclosing :func:`reporting` block on by ``n``."""
    bar = _CURRENT.get()
    if bar is not None:
        bar.update(n)


def reporting_active():
    """Whether a :func:`reporting` block with a counter encloses this call."""
    return _CURRENT.get() is not None


def reports_progress(total=None, *, unit="images"):
    """Decorate a method ``f(self, X, ...)`` to report progress when ``self.verbose``.

    ``total(self, X)`` gives the units of work (default: ``len(X)``); the
    chunked helpers inside the method advance the counter.
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, X, *args, **kwargs):
            verbose = getattr(self, "verbose", 0)
            if not verbose:
                return method(self, X, *args, **kwargs)
            try:
                n = int(total(self, X)) if total is not None else len(X)
            except (TypeError, ValueError, AttributeError):
                n = 0
            name = method.__name__.lstrip("_")
            with reporting(
                n, desc=f"{type(self).__name__}.{name}", verbose=verbose, unit=unit
            ):
                return method(self, X, *args, **kwargs)

        return wrapper

    return decorate
