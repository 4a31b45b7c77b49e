"""The examples run as shipped, and say what their docstrings promise."""

import importlib.util
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def close_figures():
    # The examples leave their figure open, for the gallery to show.
    yield
    plt.close("all")


def test_every_example_is_tested():
    tested = {"quickstart", "plot_variations", "plot_deskew_digits", "plot_object_extraction"}
    assert {p.stem for p in EXAMPLES.glob("*.py")} == tested


def test_quickstart(tmp_path, capsys):
    accuracy = _load("quickstart").main(["--output", str(tmp_path / "pipe.joblib")])
    out = capsys.readouterr().out
    assert "Best parameters:" in out and "Held-out accuracy" in out
    assert accuracy > 0.97
    assert (tmp_path / "pipe.joblib").stat().st_size > 0


def test_deskewing_improves_digits(tmp_path):
    results = _load("plot_deskew_digits").main(["--output", str(tmp_path / "d.png")])
    assert results["Deskewer + core pipeline"].mean() > results["core pipeline"].mean()
    assert (tmp_path / "d.png").stat().st_size > 0


def test_plot_variations(tmp_path, capsys):
    _load("plot_variations").main(["--output", str(tmp_path / "v.png")])
    out = capsys.readouterr().out
    assert "resize, pad to 128x128     output shapes [(128, 128)]" in out
    assert (tmp_path / "v.png").stat().st_size > 0


def test_plot_object_extraction(tmp_path):
    scores = _load("plot_object_extraction").main(
        ["--small", "--output", str(tmp_path / "o.png")]
    )
    assert scores["coins vs background patches"] > 0.9
    assert (tmp_path / "o.png").stat().st_size > 0
