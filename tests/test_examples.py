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
    tested = {
        "quickstart",
        "plot_variations",
        "plot_deskew_digits",
        "plot_object_extraction",
        "plot_texture_classification",
        "plot_imbalance",
        "plot_domain_adaptation",
        "plot_pipeline_pictures",
    }
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


def test_plot_texture_classification(tmp_path):
    scores = _load("plot_texture_classification").main(
        ["--small", "--output", str(tmp_path / "t.png")]
    )
    assert (tmp_path / "t.png").stat().st_size > 0
    union = scores["LBP + GLCM + Gabor (FeatureUnion)"]
    singles = {name: s for name, s in scores.items() if "FeatureUnion" not in name}
    assert len(singles) == 4
    # Three textures: chance is 1/3; every extractor is far above it.
    for s in scores.values():
        assert s["upright"] > 0.8 and s["rotated"] > 0.8
    # The union is as good as the best single extractor (within 0.02), and the
    # best of all when trained upright and tested on rotated patches.
    for task in ("upright", "rotated"):
        assert union[task] >= max(s[task] for s in singles.values()) - 0.02
    assert union["upright -> rotated"] >= max(
        s["upright -> rotated"] for s in singles.values()
    )
    # Rotation invariance: uniform LBP keeps what it learned on upright
    # patches; Gabor and the non-invariant LBP codes lose much more.
    lbp = scores["LBP uniform (P=16, R=2)"]
    assert lbp["upright"] - lbp["upright -> rotated"] < 0.06
    assert lbp["upright -> rotated"] > scores["Gabor"]["upright -> rotated"] + 0.05
    assert lbp["upright -> rotated"] > (
        scores["LBP nri_uniform (P=16, R=2)"]["upright -> rotated"] + 0.1
    )


def test_plot_imbalance(tmp_path, capsys):
    scores = _load("plot_imbalance").main(["--small", "--output", str(tmp_path / "i.png")])
    assert "855 images, 43 eights (5.0%)" in capsys.readouterr().out
    assert (tmp_path / "i.png").stat().st_size > 0
    none = scores["no balancing"]
    assert set(scores) == {
        "no balancing",
        "class weights",
        "SMOTEBalancer",
        "AugmentingOverSampler",
        "RandomUnderSampler",
    }
    # Every balancing raises the balanced accuracy and the recall of the rare
    # class, well beyond the fold-to-fold noise of the small run.
    for name, s in scores.items():
        if name != "no balancing":
            assert s["balanced_accuracy"] >= none["balanced_accuracy"] + 0.05, name
            assert s["recall"] >= none["recall"] + 0.1, name
    assert scores["AugmentingOverSampler"]["balanced_accuracy"] > 0.95
    # Under-sampling buys its recall with precision.
    under = scores["RandomUnderSampler"]
    assert under["precision"] < none["precision"] - 0.3


def test_plot_domain_adaptation(tmp_path):
    scores = _load("plot_domain_adaptation").main(
        ["--small", "--output", str(tmp_path / "a.png")]
    )
    assert (tmp_path / "a.png").stat().st_size > 0
    adapters = [
        "HistogramMatcher",
        "ColorTransfer",
        "standardised per domain",
        "+ CORALAligner",
    ]
    for features in ("pixels, PCA", "HOG"):
        assert list(scores[features]) == ["no adaptation", *adapters]
        # On the source domain nothing is lost by adapting.
        for s in scores[features].values():
            assert s["source"] > 0.9
    pixels, hog = scores["pixels, PCA"], scores["HOG"]
    # Darker, colour-cast images: the pixel classifier fails (10 classes, about
    # chance), every adapter repairs it; HOG does not see the change.
    assert pixels["no adaptation"]["darker + cast"] < 0.2
    for adapter in adapters:
        assert pixels[adapter]["darker + cast"] > 0.85, adapter
        assert pixels[adapter]["all three"] > 0.85, adapter
    assert abs(hog["no adaptation"]["darker + cast"] - hog["no adaptation"]["source"]) <= 0.01
    # Darker and noisier: HOG needs the adapters, feature-level ones most.
    all_three = {name: s["all three"] for name, s in hog.items()}
    assert all_three["HistogramMatcher"] > all_three["no adaptation"] + 0.1
    assert all_three["ColorTransfer"] > all_three["no adaptation"] + 0.1
    assert all_three["standardised per domain"] > all_three["HistogramMatcher"] + 0.2
    assert all_three["+ CORALAligner"] >= all_three["standardised per domain"]


def test_plot_pipeline_pictures(tmp_path, capsys):
    out = _load("plot_pipeline_pictures").main(
        ["--small", "--output", str(tmp_path / "p.png")]
    )
    assert out["accuracy"].mean() > 0.85  # faces vs non-faces, chance 0.5
    assert 0.5 < out["explained"] < 1.0
    for name in ("steps", "hog", "eigen", "augment"):
        assert (tmp_path / f"p_{name}.png").stat().st_size > 5_000
    # plot_steps: input, contrast, denoise, then HOG's feature vectors.
    steps = out["figures"]["steps"]
    assert len([ax for ax in steps.axes if ax.images]) == 3 * 3
    assert "accuracy (3-fold)" in capsys.readouterr().out
