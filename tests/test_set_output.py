"""set_output(transform="pandas") on every feature extractor and reducer:
a DataFrame whose columns are get_feature_names_out()."""

import inspect
from math import pi

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.pipeline import FeatureUnion

import skimgprep
from skimgprep.base import FeatureExtractorMixin

PARAMS = {
    "BoVWExtractor": {"descriptor": "patch", "n_words": 4, "random_state": 0},
    "GLCMExtractor": {"levels": 8, "angles": (0, pi / 2)},
    "GaborExtractor": {"frequencies": (0.25,), "n_orientations": 2},
    "HOGExtractor": {"pixels_per_cell": (4, 4), "cells_per_block": (2, 2)},
    "LBPExtractor": {"grid": (2, 2)},
    "PCAReducer": {"n_components": 3, "random_state": 0},
}

EXTRACTORS = sorted(
    (
        getattr(skimgprep, name)
        for name in skimgprep.__all__
        if inspect.isclass(getattr(skimgprep, name))
        and (
            issubclass(getattr(skimgprep, name), FeatureExtractorMixin)
            or name == "PCAReducer"
        )
    ),
    key=lambda cls: cls.__name__,
)


def _images(colour=False):
    rng = np.random.default_rng(0)
    X = rng.random((10, 16, 16, 3) if colour else (10, 16, 16))
    X[:, 4:12, 4:12] += 0.5
    return X / X.max()


def test_every_extractor_is_covered():
    names = {cls.__name__ for cls in EXTRACTORS}
    assert names == {
        "BoVWExtractor", "ColorHistogramExtractor", "GLCMExtractor", "GaborExtractor",
        "HOGExtractor", "LBPExtractor", "PCAReducer", "RegionFeatureExtractor",
    }


@pytest.mark.parametrize("cls", EXTRACTORS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("colour", [False, True], ids=["gray", "rgb"])
def test_pandas_output_named_by_get_feature_names_out(cls, colour):
    X = _images(colour)
    plain = cls(**PARAMS.get(cls.__name__, {})).fit(X)
    expected = plain.transform(X)
    frame = cls(**PARAMS.get(cls.__name__, {})).set_output(transform="pandas").fit(X)
    out = frame.transform(X)
    assert isinstance(out, pd.DataFrame)
    names = frame.get_feature_names_out()
    assert list(out.columns) == list(names)
    assert len(set(names)) == len(names) == expected.shape[1]
    assert_array_equal(out.to_numpy(), expected)
    # fit_transform: PCA's is U * S rather than X @ V.T, equal within rounding.
    assert_allclose(frame.fit_transform(X).to_numpy(), expected, rtol=1e-10, atol=1e-12)


def test_feature_union_to_pandas():
    X = _images()
    union = FeatureUnion(
        [
            ("lbp", skimgprep.LBPExtractor(grid=(2, 2))),
            ("glcm", skimgprep.GLCMExtractor(levels=8)),
            ("hog", skimgprep.HOGExtractor(pixels_per_cell=(4, 4), cells_per_block=(2, 2))),
        ]
    ).set_output(transform="pandas")
    out = union.fit_transform(X)
    assert out.shape == (10, 4 * 10 + 6 * 4 + 9 * 9 * 4)
    assert out.columns[0] == "lbp__lbp_cell0_0_bin0"
    assert "glcm__glcm_contrast_d1_a0" in out.columns
    assert out.columns[-1] == "hog__hog_block2_2_cell1_1_o8"
