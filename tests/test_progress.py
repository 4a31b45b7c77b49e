"""verbose: a progress bar (tqdm) or plain lines, and the same results."""

import builtins
import io

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone

from skimgprep import Augmenter, ContrastEnhancer, Denoiser, Deskewer, HOGExtractor, Resizer
from skimgprep._progress import advance, progress, reporting

X = np.random.default_rng(0).random((40, 16, 16)).astype(np.float32)
y = np.repeat([0, 1], 20)

STEPS = [
    Denoiser(batch_size=4),
    Denoiser(method="median", batch_size=4, n_jobs=2),
    ContrastEnhancer(method="clahe", batch_size=4),
    Resizer(output_shape=(8, 8), batch_size=4),
    Deskewer(batch_size=4),
    HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2), batch_size=4),
    HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2), batch_size=4, n_jobs=2),
]


@pytest.fixture
def no_tqdm(monkeypatch):
    real_import = builtins.__import__

    def without_tqdm(name, *args, **kwargs):
        if name == "tqdm" or name.startswith("tqdm."):
            raise ImportError("No module named 'tqdm'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_tqdm)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: type(s).__name__)
def test_plain_lines_without_tqdm(step, no_tqdm, capsys):
    step = clone(step)
    quiet = step.fit(X).transform(X)
    capsys.readouterr()
    loud = step.set_params(verbose=1).transform(X)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud, quiet)
    name = f"{type(step).__name__}.transform"
    # 0%, then one line per tenth passed: ten chunks of 4 images -> 11 lines.
    assert len(err) == 11, err
    assert err[0].startswith(f"{name}: 0/40 images (0%, ")
    assert [line.split(" (")[0] for line in err[1:]] == [
        f"{name}: {4 * k}/40 images" for k in range(1, 11)
    ]


def test_augmenter_counts_copies(no_tqdm, capsys):
    quiet = Augmenter(random_state=0, n_augmented=2, batch_size=8).fit_resample(X, y)
    loud = Augmenter(
        random_state=0, n_augmented=2, batch_size=8, verbose=True
    ).fit_resample(X, y)
    assert_array_equal(loud[0], quiet[0])
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("Augmenter.fit_resample: 0/80 copies")
    assert err[-1].startswith("Augmenter.fit_resample: 80/80 copies (100%")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_tqdm_bar_on_a_terminal():
    import tqdm

    terminal = _Terminal()
    counter = progress(40, desc="Denoiser.transform", verbose=1, file=terminal)
    assert isinstance(counter, tqdm.tqdm)
    for _ in range(4):
        counter.update(10)
    counter.close()
    text = terminal.getvalue()
    assert "Denoiser.transform" in text and "40/40" in text and "100%" in text


def test_plain_lines_in_a_log_even_with_tqdm(capsys):
    import tqdm  # noqa: F401  (a test dependency)

    Denoiser(batch_size=10, verbose=1).fit_transform(X)
    err = capsys.readouterr().err
    assert "\r" not in err
    assert [line.split(" (")[0] for line in err.splitlines()] == [
        f"Denoiser.transform: {k}/40 images" for k in (0, 10, 20, 30, 40)
    ]


def test_silent_by_default(capsys):
    for step in STEPS:
        assert step.verbose == 0
        step.fit(X).transform(X)
    Augmenter(random_state=0).fit_resample(X, y)
    assert capsys.readouterr().err == ""


def test_progress_counter_lines(no_tqdm):
    out = io.StringIO()
    with reporting(100, desc="work", verbose=1) as bar:
        assert bar is not None
        for _ in range(20):
            advance(5)
    lines = out.getvalue()  # reporting writes to stderr; this one is silent
    assert lines == ""
    counter = progress(7, desc="x", verbose=1, unit="things", file=out)
    for _ in range(7):
        counter.update(1)
    printed = [line.split(" (")[0] for line in out.getvalue().splitlines()]
    # 0, then each step that passes a tenth: 1/7 .. 7/7 all pass one.
    assert printed == ["x: 0/7 things"] + [f"x: {k}/7 things" for k in range(1, 8)]
    assert progress(3, desc="x", verbose=0).update(1) is None
