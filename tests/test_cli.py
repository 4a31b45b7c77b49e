"""The ``skimgprep baseline`` command: leaderboard, saved pipeline, figure, errors."""

import csv
import shutil
import subprocess
import sys

import joblib
import matplotlib
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.model_selection import GridSearchCV, StratifiedKFold

matplotlib.use("Agg")

from skimgprep.cli import baseline_search_space, build_parser, main, run_baseline  # noqa: E402


def _run(tmp_path, *extra):
    out = tmp_path / "out"
    argv = ["baseline", "--max-per-class", "24", "--cv", "2", "--output-dir", str(out),
            *extra]
    args = build_parser().parse_args(argv)
    parser = build_parser()
    return args, run_baseline(args, parser, out=sys.stdout), out


def test_baseline_on_digits(tmp_path, capsys):
    args, result, out = _run(tmp_path)
    printed = capsys.readouterr().out
    board = result["leaderboard"]
    # 3 feature kinds x denoise on/off x augment on/off x PCA on/off.
    assert len(board) == len(result["candidates"]) == 24
    assert [row["rank"] for row in board] == list(range(1, 25))
    # Ranked by score (equal up to rounding: in the grid's order).
    scores = [round(row["mean_score"], 12) for row in board]
    assert scores == sorted(scores, reverse=True)
    # The leaderboard printed: a header, a rule and one line per candidate.
    lines = printed.split("Leaderboard\n", 1)[1].splitlines()
    assert lines[0].split()[:2] == ["rank", "accuracy"]
    assert len([ln for ln in lines[2:26] if ln.strip()[:1].isdigit()]) == 24
    assert "held-out images" in printed

    # The scores are GridSearchCV's on the same split and folds.
    from sklearn.model_selection import train_test_split

    from skimgprep.cli import _load_digits, _subsample

    X, y, _, _ = _load_digits((16, 16))
    X, y = _subsample(X, y, 24, np.random.RandomState(0))
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    pipeline, candidates = baseline_search_space((16, 16), 0)
    grid = [{k: [v] for k, v in c.items()} for c in candidates]
    search = GridSearchCV(
        pipeline, grid, cv=StratifiedKFold(2, shuffle=True, random_state=0)
    ).fit(X_train, y_train)
    by_candidate = {row["candidate"]: row["mean_score"] for row in board}
    assert_array_equal(
        [by_candidate[i] for i in range(24)], search.cv_results_["mean_test_score"]
    )

    # The saved pipeline is the best one, refitted; the leaderboard is on disk.
    saved = joblib.load(out / "best_pipeline.joblib")
    assert_array_equal(saved.predict(X_test), result["best_pipeline"].predict(X_test))
    assert result["test_score"] == pytest.approx((saved.predict(X_test) == y_test).mean())
    with open(out / "leaderboard.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 24 and rows[0]["rank"] == "1"
    assert float(rows[0]["mean_score"]) == pytest.approx(board[0]["mean_score"])
    assert (out / "steps.png").stat().st_size > 10_000

    from skimgprep.persistence import load

    assert_array_equal(load(out / "best_pipeline.skops").predict(X_test), saved.predict(X_test))


def test_quiet_prints_the_leaderboard_only(tmp_path, capsys):
    _run(tmp_path, "--quiet")
    printed = capsys.readouterr()
    assert printed.out.lstrip().startswith("Leaderboard")
    assert "Searching" not in printed.out and printed.err == ""


def test_help_reads_like_documentation():
    exe = shutil.which("skimgprep")
    assert exe is not None, "the skimgprep command is not installed"
    done = subprocess.run([exe, "baseline", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    for words in ("FOLDER", "--image-size HEIGHT WIDTH", "--cv K", "leaderboard.csv",
                  "steps.png", "one subfolder per class", "examples:"):
        assert words in done.stdout
    done = subprocess.run([sys.executable, "-m", "skimgprep", "--help"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "baseline" in done.stdout


def test_missing_folder(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["baseline", str(tmp_path / "nowhere")])
    assert exc.value.code == 2
    assert f"folder '{tmp_path / 'nowhere'}' does not exist" in capsys.readouterr().err


def test_bad_options(capsys):
    for argv, message in [
        (["baseline", "--cv", "0"], "expected a positive integer, got '0'"),
        (["baseline", "--test-size", "1.5"], "expected a number in (0, 1), got '1.5'"),
        (["baseline", "--color", "cmyk"], "invalid choice: 'cmyk'"),
    ]:
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        assert message in capsys.readouterr().err


def _write_folder(root, counts, corrupt=0):
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    for label, count in counts.items():
        folder = root / f"class_{label}"
        folder.mkdir(parents=True)
        images = digits.images[digits.target == label][:count]
        for i, image in enumerate(images):
            Image.fromarray((image * 15).astype(np.uint8)).save(folder / f"{i:03d}.png")
    for i in range(corrupt):
        (root / "class_0" / f"broken{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    return root


def test_baseline_on_a_folder(tmp_path, capsys):
    root = _write_folder(tmp_path / "images", {0: 20, 1: 20, 7: 20}, corrupt=2)
    out = tmp_path / "out"
    assert main(["baseline", str(root), "--image-size", "16", "16", "--cv", "2",
                 "--output-dir", str(out)]) == 0
    printed = capsys.readouterr().out
    # The two broken files are reported, the 60 readable ones used.
    assert printed.count("skipped ") == 2 and "broken0.png" in printed
    assert "60 images of (16, 16) in 3 classes" in printed
    assert len(printed.split("Leaderboard\n", 1)[1].splitlines()) >= 26
    saved = joblib.load(out / "best_pipeline.joblib")
    assert list(saved.classes_) == [0, 1, 2]
    assert (out / "steps.png").exists()


def test_one_class_only(tmp_path, capsys):
    root = _write_folder(tmp_path / "images", {3: 10})
    with pytest.raises(SystemExit) as exc:
        main(["baseline", str(root), "--output-dir", str(tmp_path / "o")])
    assert exc.value.code == 2
    assert "at least 2 classes" in capsys.readouterr().err


def test_too_few_images_per_class(tmp_path, capsys):
    root = _write_folder(tmp_path / "images", {0: 12, 1: 3})
    with pytest.raises(SystemExit) as exc:
        main(["baseline", str(root), "--cv", "3", "--output-dir", str(tmp_path / "o")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "every class needs at least 5 images for --cv 3" in err
    assert "'class_1': 3" in err
