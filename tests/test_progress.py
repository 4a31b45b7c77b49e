"""verbose: a progress bar (tqdm) or plain lines, and the same results."""

import builtins
import io

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone

from skimgprep import (
    Augmenter,
    AugmentingOverSampler,
    BoVWExtractor,
    ColorTransfer,
    ContrastEnhancer,
    Denoiser,
    Deskewer,
    GaborExtractor,
    GLCMExtractor,
    HistogramMatcher,
    HOGExtractor,
    ImageReader,
    LBPExtractor,
    QualityFilter,
    Resizer,
    load_image_folder,
)
from skimgprep._progress import advance, progress, reporting
from skimgprep.features import _texture

X = np.random.default_rng(0).random((40, 16, 16)).astype(np.float32)
y = np.repeat([0, 1], 20)

#: BoVWExtractor with the patch descriptor: 9 patches of 4x4 per image of X.
BOVW = {
    "descriptor": "patch",
    "n_words": 5,
    "descriptor_params": {"patch_size": (4, 4), "step": 4},
    "random_state": 0,
}

STEPS = [
    Denoiser(batch_size=4),
    Denoiser(method="median", batch_size=4, n_jobs=2),
    ContrastEnhancer(method="clahe", batch_size=4),
    Resizer(output_shape=(8, 8), batch_size=4),
    Deskewer(batch_size=4),
    HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2), batch_size=4),
    HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2), batch_size=4, n_jobs=2),
    LBPExtractor(grid=(2, 2), batch_size=4),
    LBPExtractor(grid=(2, 2), batch_size=4, n_jobs=2),
    HistogramMatcher(batch_size=4),
    ColorTransfer(batch_size=4),
    ColorTransfer(batch_size=4, n_jobs=2),
    BoVWExtractor(**BOVW, batch_size=4),
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



def _counts(err):
    """The lines without their percent and time: ["Name.method: done/total unit", ...]."""
    return [line.split(" (")[0] for line in err]


def _assert_lines(err, name, total, unit="images"):
    """First line at 0, last at the total, the counts never going back."""
    assert err[0].startswith(f"{name}: 0/{total} {unit} (0%, "), err
    assert err[-1].startswith(f"{name}: {total}/{total} {unit} (100%"), err
    done = [int(line.split(": ")[1].split("/")[0]) for line in err]
    assert done == sorted(done), err


@pytest.mark.parametrize("cls", [GLCMExtractor, GaborExtractor])
@pytest.mark.parametrize("method", ["transform", "fit_transform"])
def test_texture_extractors_report(cls, method, no_tqdm, capsys):
    quiet = cls().fit(X).transform(X)
    capsys.readouterr()
    step = cls(verbose=1).fit(X)
    loud = getattr(step, method)(X)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud, quiet)
    _assert_lines(err, f"{cls.__name__}.{method}", 40)


@pytest.mark.parametrize("cls", [GLCMExtractor, GaborExtractor])
def test_texture_extractors_step_inside_chunks(cls, no_tqdm, capsys, monkeypatch):
    # Chunks of one image inside the chunk functions (whose chunks of 32 MiB
    # hold all 40 images here): one step per image, so a line at each tenth.
    quiet = cls().fit(X).transform(X)
    monkeypatch.setattr(_texture, "_GLCM_CHUNK_BYTES", 1)
    monkeypatch.setattr(_texture, "_GABOR_CHUNK_BYTES", 1)
    capsys.readouterr()
    loud = cls(verbose=1).fit(X).transform(X)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud, quiet)
    name = f"{cls.__name__}.transform"
    _assert_lines(err, name, 40)
    assert len(err) == 11, err
    assert _counts(err) == [f"{name}: {4 * k}/40 images" for k in range(11)]


@pytest.mark.parametrize("cls", [GLCMExtractor, GaborExtractor])
def test_texture_extractors_count_chunks_of_workers(cls, no_tqdm, capsys, monkeypatch):
    # Two jobs: the two chunks of 20 images run on joblib's threads, whose
    # steps are not reported; the chunks count when collected, once each.
    from joblib import parallel_config

    quiet = cls().fit(X).transform(X)
    monkeypatch.setattr(_texture, "_GLCM_CHUNK_BYTES", 1)
    monkeypatch.setattr(_texture, "_GABOR_CHUNK_BYTES", 1)
    capsys.readouterr()
    with parallel_config(backend="threading", n_jobs=2):
        loud = cls(verbose=1).fit(X).transform(X)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud, quiet)
    name = f"{cls.__name__}.transform"
    _assert_lines(err, name, 40)
    assert _counts(err) == [f"{name}: {k}/40 images" for k in (0, 20, 40)]


@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_bovw_reports_descriptors_in_fit(method, no_tqdm, capsys):
    quiet = BoVWExtractor(**BOVW, batch_size=4)
    quiet_out = quiet.fit_transform(X)
    capsys.readouterr()
    loud = BoVWExtractor(**BOVW, batch_size=4, verbose=1)
    loud_out = getattr(loud, method)(X)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud.codebook_.cluster_centers_, quiet.codebook_.cluster_centers_)
    if method == "fit_transform":
        assert_array_equal(loud_out, quiet_out)
    name = f"BoVWExtractor.{method}"
    _assert_lines(err, name, 40)
    assert len(err) == 11, err
    assert _counts(err) == [f"{name}: {4 * k}/40 images" for k in range(11)]


def test_quality_filter_reports_measures(no_tqdm, capsys):
    X_bad = X.copy()
    X_bad[3] = 0.5  # constant
    X_bad[7] = X_bad[2]  # a copy
    quiet = QualityFilter(batch_size=4)
    X_quiet, y_quiet = quiet.fit_resample(X_bad, y)
    capsys.readouterr()
    loud = QualityFilter(batch_size=4, verbose=1)
    X_loud, y_loud = loud.fit_resample(X_bad, y)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(X_loud, X_quiet)
    assert_array_equal(y_loud, y_quiet)
    assert_array_equal(loud.sample_indices_, quiet.sample_indices_)
    assert len(loud.sample_indices_) == 38
    name = "QualityFilter.fit_resample"
    _assert_lines(err, name, 40)
    assert len(err) == 11, err
    assert _counts(err) == [f"{name}: {4 * k}/40 images" for k in range(11)]


def test_augmenting_over_sampler_counts_copies(no_tqdm, capsys):
    # 30 and 10 images: 20 copies of the minority, in chunks of 2 copies.
    y_rare = np.r_[np.zeros(30, int), np.ones(10, int)]
    augmenter = Augmenter(batch_size=2)
    quiet = AugmentingOverSampler(augmenter=augmenter, random_state=0)
    X_quiet, y_quiet = quiet.fit_resample(X, y_rare)
    capsys.readouterr()
    loud = AugmentingOverSampler(augmenter=augmenter, random_state=0, verbose=1)
    X_loud, y_loud = loud.fit_resample(X, y_rare)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(X_loud, X_quiet)
    assert_array_equal(y_loud, y_quiet)
    assert_array_equal(loud.source_indices_, quiet.source_indices_)
    name = "AugmentingOverSampler.fit_resample"
    _assert_lines(err, name, 20, unit="copies")
    assert len(err) == 11, err
    assert _counts(err) == [f"{name}: {2 * k}/20 copies" for k in range(11)]


def _image_folder(root):
    """Two class folders of 10 PNG files each (the first 20 images of X)."""
    from PIL import Image

    paths = []
    for c, label in enumerate("ab"):
        (root / label).mkdir()
        for i in range(10):
            path = root / label / f"{i}.png"
            Image.fromarray((X[10 * c + i] * 255).astype(np.uint8)).save(path)
            paths.append(str(path))
    return paths


def test_image_reader_counts_files(no_tqdm, capsys, tmp_path):
    paths = _image_folder(tmp_path)
    quiet = ImageReader(output_shape=(8, 8)).fit_transform(paths)
    capsys.readouterr()
    loud = ImageReader(output_shape=(8, 8), verbose=1).fit_transform(paths)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud, quiet)
    name = "ImageReader.transform"
    # One file per task: a line at each of the 20 files' tenths.
    _assert_lines(err, name, 20, unit="files")
    assert len(err) == 11, err
    assert _counts(err) == [f"{name}: {2 * k}/20 files" for k in range(11)]


@pytest.mark.parametrize("output_shape", [None, (8, 8)])
@pytest.mark.parametrize("as_list", [False, True])
def test_image_reader_counts_images(output_shape, as_list, no_tqdm, capsys):
    images = list(X) if as_list else X
    reader = ImageReader(output_shape=output_shape, color="rgb").fit(images)
    quiet = reader.transform(images)
    capsys.readouterr()
    loud = reader.set_params(verbose=1).transform(images)
    err = capsys.readouterr().err.splitlines()
    if isinstance(quiet, list):
        assert len(loud) == len(quiet) == 40
        for a, b in zip(loud, quiet):
            assert_array_equal(a, b)
    else:
        assert_array_equal(loud, quiet)
    _assert_lines(err, "ImageReader.transform", 40)
    if as_list:  # one step per image
        assert len(err) == 11, err


def test_load_image_folder_counts_files(no_tqdm, capsys, tmp_path):
    _image_folder(tmp_path)
    quiet = load_image_folder(tmp_path, output_shape=(8, 8))
    capsys.readouterr()
    loud = load_image_folder(tmp_path, output_shape=(8, 8), verbose=1)
    err = capsys.readouterr().err.splitlines()
    assert_array_equal(loud.images, quiet.images)
    assert_array_equal(loud.target, quiet.target)
    assert_array_equal(loud.filenames, quiet.filenames)
    _assert_lines(err, "load_image_folder", 20, unit="files")
    assert len(err) == 11, err
    assert _counts(err) == [f"load_image_folder: {2 * k}/20 files" for k in range(11)]

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


def test_silent_by_default(capsys, tmp_path):
    for step in STEPS:
        assert step.verbose == 0
        step.fit(X).transform(X)
    Augmenter(random_state=0).fit_resample(X, y)
    for step in [GLCMExtractor(), GaborExtractor(), BoVWExtractor(**BOVW)]:
        assert step.verbose == 0
        step.fit_transform(X)
        step.transform(X)
    for sampler in [QualityFilter(), AugmentingOverSampler(random_state=0)]:
        assert sampler.verbose == 0
        sampler.fit_resample(X, np.r_[np.zeros(30, int), np.ones(10, int)])
    paths = _image_folder(tmp_path)
    reader = ImageReader(output_shape=(8, 8))
    assert reader.verbose == 0
    reader.fit_transform(paths)
    reader.fit_transform(X)
    load_image_folder(tmp_path)
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
