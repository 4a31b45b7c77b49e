"""The class-balance samplers.

SMOTEBalancer: equal to imbalanced-learn's SMOTE on the flattened images,
with synthetic images coming back as images after the originals, exact class
counts, dtypes kept (integer images computed in float32) and clear errors.

ImageResampler: equal to the wrapped imbalanced-learn sampler on the
flattened images (over-samplers, under-samplers, cleaners), its fitted
attributes and tags passed on, the dtype rule (kept for samplers that only
select images).

AugmentingOverSampler: exact counts per class, each copy equal to
apply_augmentation of its source with its drawn parameters (and to an
Augmenter run on the drawn sources), reproducible, Augmenter's dtype rule,
and no augmented image in a validation fold."""

import numpy as np
import pytest
import scipy.sparse as sp
from imblearn import FunctionSampler
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.under_sampling import (
    EditedNearestNeighbours,
    RandomUnderSampler,
    TomekLinks,
)
from numpy.testing import assert_array_equal
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_digits
from sklearn.feature_extraction.image import extract_patches_2d
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils import get_tags
from sklearn.utils._param_validation import InvalidParameterError
from skimage import data

from skimgprep import (
    Augmenter,
    AugmentingOverSampler,
    Flattener,
    ImageResampler,
    SMOTEBalancer,
    apply_augmentation,
)
from skimgprep.pipeline import Pipeline


@pytest.fixture(scope="module")
def digits():
    """515 digits, class 9 made rare (15 images; the others 54 to 58)."""
    d = load_digits()
    rng = np.random.RandomState(0)
    keep = np.flatnonzero(d.target != 9)[:500]
    nines = rng.choice(np.flatnonzero(d.target == 9), 15, replace=False)
    idx = np.sort(np.concatenate([keep, nines]))
    return d.images[idx], d.target[idx]


@pytest.fixture(scope="module")
def astronaut_patches():
    """150 RGB 6x6 uint8 patches of astronaut(): 120 of class 0, 30 of class 1."""
    patches = extract_patches_2d(data.astronaut(), (6, 6), max_patches=150, random_state=0)
    return patches, np.array([0] * 120 + [1] * 30)


def _smote_images(X, y, **params):
    rows = X.reshape(len(X), -1)
    X_res, y_res = SMOTE(**params).fit_resample(rows, y)
    return X_res.reshape((len(X_res),) + X.shape[1:]), y_res


def test_equals_smote_on_digits(digits):
    X, y = digits
    counts = np.bincount(y)
    assert counts[9] == 15 and counts.max() == 58

    X_res, y_res = SMOTEBalancer(random_state=0).fit_resample(X, y)
    # One generator for all the classes: SMOTE given the same generator.
    X_ref, y_ref = _smote_images(X, y, random_state=np.random.RandomState(0))
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)

    # Exact counts: every class up to the majority's 58.
    assert_array_equal(np.bincount(y_res), [58] * 10)
    assert X_res.shape == (580, 8, 8)
    # Originals first, in order; then the synthetic images, class by class.
    assert_array_equal(X_res[: len(X)], X)
    assert_array_equal(y_res[: len(y)], y)
    n_new = 58 - counts[counts < 58]
    assert_array_equal(y_res[len(y):], np.repeat(np.flatnonzero(counts < 58), n_new))


def test_synthetic_images_lie_between_images_of_their_class(digits):
    X, y = digits
    X_res, y_res = SMOTEBalancer(random_state=0).fit_resample(X, y)
    new = X_res[len(X):]
    for c in range(10):
        cls = X[y == c]
        synth = new[y_res[len(X):] == c]
        assert np.all(synth >= cls.min(axis=0)) and np.all(synth <= cls.max(axis=0))
    # Synthetic nines are new images, not copies.
    nines = new[y_res[len(X):] == 9].reshape(-1, 64)
    originals = X[y == 9].reshape(-1, 64)
    assert not np.any(np.all(nines[:, None] == originals[None], axis=2))


def test_one_class_over_sampled_equals_smote_with_int_seed(astronaut_patches):
    X, y = astronaut_patches
    X = X.astype(np.float64)
    X_res, y_res = SMOTEBalancer(k_neighbors=3, random_state=7).fit_resample(X, y)
    X_ref, y_ref = _smote_images(X, y, k_neighbors=3, random_state=7)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)
    assert X_res.shape == (240, 6, 6, 3)
    assert_array_equal(np.bincount(y_res), [120, 120])


def test_layouts_give_the_same_numbers(digits):
    X, y = digits
    flat = X.reshape(len(X), -1)
    X_batch, y_batch = SMOTEBalancer(random_state=0).fit_resample(X, y)
    X_flat, y_flat = SMOTEBalancer(random_state=0, image_shape=(8, 8)).fit_resample(flat, y)
    # A feature matrix (image_shape=None): rows of (1, 64) images.
    X_rows, y_rows = SMOTEBalancer(random_state=0).fit_resample(flat, y)
    assert X_flat.shape == X_rows.shape == (580, 64)
    assert_array_equal(X_flat, X_batch.reshape(580, -1))
    assert_array_equal(X_rows, X_flat)
    assert_array_equal(y_flat, y_batch)
    assert_array_equal(y_rows, y_batch)


def test_feature_matrix_equals_smote():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 12))
    y = np.array([0] * 60 + [1] * 20 + [2] * 10)
    X_res, y_res = SMOTEBalancer(k_neighbors=4, random_state=1).fit_resample(X, y)
    X_ref, y_ref = SMOTE(k_neighbors=4, random_state=np.random.RandomState(1)).fit_resample(X, y)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)
    assert_array_equal(np.bincount(y_res), [60, 60, 60])


def test_float32_kept(digits):
    X, y = digits
    X = X.astype(np.float32)
    X_res, y_res = SMOTEBalancer(random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32
    X_ref, _ = _smote_images(X, y, random_state=np.random.RandomState(0))
    assert_array_equal(X_res, X_ref)
    X_flat, _ = SMOTEBalancer(random_state=0).fit_resample(X.reshape(len(X), -1), y)
    assert X_flat.dtype == np.float32


def test_uint8_images_computed_in_float32(astronaut_patches):
    X, y = astronaut_patches
    assert X.dtype == np.uint8
    X_res, y_res = SMOTEBalancer(k_neighbors=3, random_state=0).fit_resample(X, y)
    # Integer images are computed in float32 and come back as float32,
    # originals included (with their values unchanged).
    assert X_res.dtype == np.float32
    X_ref, y_ref = _smote_images(X.astype(np.float32), y, k_neighbors=3, random_state=0)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(X_res[: len(X)], X.astype(np.float32))
    # Synthetic values fall between pixel values, within [0, 255].
    new = X_res[len(X):]
    assert np.any(new != np.round(new))
    assert new.min() >= 0 and new.max() <= 255


def test_input_not_modified(digits):
    X, y = digits
    X = X.astype(np.float32)
    X_before, y_before = X.copy(), y.copy()
    X_res, _ = SMOTEBalancer(random_state=0).fit_resample(X, y)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    assert not np.shares_memory(X_res, X)


def test_sampling_strategy(digits):
    X, y = digits
    sampler = SMOTEBalancer(sampling_strategy={9: 40, 3: 60}, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = np.bincount(y)
    expected = counts.copy()
    expected[9], expected[3] = 40, 60
    assert_array_equal(np.bincount(y_res), expected)
    assert dict(sampler.sampling_strategy_) == {3: 60 - counts[3], 9: 25}
    X_ref, _ = _smote_images(
        X, y, sampling_strategy={9: 40, 3: 60}, random_state=np.random.RandomState(0)
    )
    assert_array_equal(X_res, X_ref)

    sampler = SMOTEBalancer(sampling_strategy="minority", random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert dict(sampler.sampling_strategy_) == {9: 43}
    assert np.bincount(y_res)[9] == 58

    # A float: the wanted minority / majority ratio (two classes).
    Xb, yb = X[(y == 0) | (y == 9)], y[(y == 0) | (y == 9)]
    _, y_res = SMOTEBalancer(sampling_strategy=0.5, random_state=0).fit_resample(Xb, yb)
    assert np.sum(y_res == 9) == int(0.5 * np.sum(yb == 0))


def test_k_neighbors_estimator(digits):
    X, y = digits
    a = SMOTEBalancer(k_neighbors=3, random_state=0).fit_resample(X, y)[0]
    b = SMOTEBalancer(k_neighbors=NearestNeighbors(n_neighbors=4), random_state=0).fit_resample(
        X, y
    )[0]
    assert_array_equal(a, b)


def test_is_an_over_sampler(digits):
    X, y = digits
    sampler = SMOTEBalancer(random_state=0)
    assert isinstance(sampler, BaseOverSampler)
    assert sampler._sampling_type == "over-sampling"
    sampler.fit(X, y)  # fit only validates and resolves the strategy
    assert dict(sampler.sampling_strategy_) == {
        c: 58 - n for c, n in enumerate(np.bincount(y)) if n < 58
    }
    assert not hasattr(sampler, "sample_indices_")


def test_errors(digits):
    X, y = digits
    with pytest.raises(
        ValueError,
        match=r"SMOTEBalancer cannot use sampling_strategy=\{9: 10\}.*class counts"
        r".*9: 15.*Originally, there is 15 samples and 10 samples are asked",
    ):
        SMOTEBalancer(sampling_strategy={9: 10}).fit(X, y)
    with pytest.raises(ValueError, match=r"\{11\} target class is/are not present"):
        SMOTEBalancer(sampling_strategy={11: 100}).fit_resample(X, y)
    with pytest.raises(ValueError, match="float only when the type of target is binary"):
        SMOTEBalancer(sampling_strategy=0.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        SMOTEBalancer().fit_resample(X, np.zeros(len(X), dtype=int))
    with pytest.raises(InvalidParameterError, match="sampling_strategy"):
        SMOTEBalancer(sampling_strategy="everything").fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="k_neighbors"):
        SMOTEBalancer(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(
        ValueError, match=r"at least k_neighbors \+ 1 = 16 images.*got \{9: 15\}"
    ):
        SMOTEBalancer(k_neighbors=15).fit_resample(X, y)
    with pytest.raises(ValueError, match="expected a batch of images.*got a 1D array"):
        SMOTEBalancer().fit_resample(X[0, 0], y[:8])
    with pytest.raises(TypeError, match="dense batch of images; got a sparse matrix"):
        SMOTEBalancer().fit_resample(sp.csr_matrix(X.reshape(len(X), -1)), y)


def test_smote_balancer_is_the_smote_case_of_image_resampler(digits):
    X, y = digits
    balancer = SMOTEBalancer(k_neighbors=3, random_state=0)
    X_res, y_res = balancer.fit_resample(X, y)
    assert isinstance(balancer, ImageResampler)
    # One code path: the resampler given SMOTE with the documented generator.
    resampler = ImageResampler(
        sampler=SMOTE(k_neighbors=3, random_state=np.random.RandomState(0))
    )
    X_ref, y_ref = resampler.fit_resample(X, y)
    assert_array_equal(X_res, X_ref)
    assert_array_equal(y_res, y_ref)
    assert balancer.sampling_strategy_ == resampler.sampler_.sampling_strategy_
    # The SMOTE that ran is not kept (nor its neighbours' training images).
    assert not hasattr(balancer, "sampler_")
    assert get_tags(balancer).sampler_tags.sample_indices is False


# --- ImageResampler ---------------------------------------------------------

#: The wrapped samplers tested equal to themselves on flattened images.
SAMPLERS = [
    RandomUnderSampler(random_state=0),
    RandomOverSampler(random_state=0),
    # ADASYN needs neighbours from other classes: digits' rare nines have them.
    ADASYN(sampling_strategy="minority", random_state=0),
    BorderlineSMOTE(random_state=0),
    SMOTE(random_state=0),
    TomekLinks(),
    EditedNearestNeighbours(),
]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: type(s).__name__)
def test_image_resampler_equals_sampler_on_digits(digits, sampler):
    X, y = digits
    rows = X.reshape(len(X), -1)
    reference = clone(sampler)
    X_ref, y_ref = reference.fit_resample(rows, y)

    resampler = ImageResampler(sampler=sampler)
    X_res, y_res = resampler.fit_resample(X, y)
    assert X_res.shape == (len(X_ref), 8, 8) and X_res.dtype == np.float64
    assert_array_equal(X_res.reshape(len(X_res), -1), X_ref)
    assert_array_equal(y_res, y_ref)

    # The wrapped sampler is cloned: the given one stays unfitted.
    assert resampler.sampler_ is not sampler
    assert type(resampler.sampler_) is type(sampler)
    assert not hasattr(sampler, "sampling_strategy_")
    assert resampler.sampling_strategy_ == reference.sampling_strategy_
    # sample_indices_ exactly when the wrapped sampler's tag says so.
    has_indices = get_tags(sampler).sampler_tags.sample_indices
    assert get_tags(resampler).sampler_tags.sample_indices is has_indices
    assert hasattr(resampler, "sample_indices_") is has_indices
    if has_indices:
        assert_array_equal(resampler.sample_indices_, reference.sample_indices_)
        assert_array_equal(X_res, X[resampler.sample_indices_])

    counts = np.bincount(y)
    if isinstance(sampler, BaseOverSampler):  # originals first, then new images
        assert_array_equal(X_res[: len(X)], X)
        if isinstance(sampler, (RandomOverSampler, SMOTE)) and not isinstance(
            sampler, BorderlineSMOTE
        ):
            assert_array_equal(np.bincount(y_res), [58] * 10)
        else:  # ADASYN and BorderlineSMOTE choose their counts themselves
            assert np.all(counts <= np.bincount(y_res)) and np.bincount(y_res).max() == 58
    elif isinstance(sampler, RandomUnderSampler):
        assert_array_equal(np.bincount(y_res), [15] * 10)
    else:  # cleaners remove images of the classes other than the minority
        assert np.bincount(y_res)[9] == counts[9] and len(y_res) < len(y)


def test_image_resampler_default_is_smote(digits):
    X, y = digits
    resampler = ImageResampler()
    assert resampler.get_params()["sampler"] is None
    X_res, y_res = resampler.fit_resample(X, y)
    assert type(resampler.sampler_) is SMOTE
    assert resampler.sampler_.get_params() == SMOTE().get_params()
    assert_array_equal(np.bincount(y_res), [58] * 10)
    assert_array_equal(X_res[: len(X)], X)
    assert not hasattr(resampler, "sample_indices_")
    assert get_tags(resampler).sampler_tags.sample_indices is False


@pytest.mark.parametrize(
    "sampler, kept",
    [
        (RandomUnderSampler(random_state=0), True),
        (TomekLinks(), True),
        (RandomOverSampler(random_state=0), True),
        (RandomOverSampler(shrinkage=0.5, random_state=0), False),
        (SMOTE(k_neighbors=3, random_state=0), False),
    ],
    ids=["under", "tomek", "over", "over-shrinkage", "smote"],
)
def test_image_resampler_dtype_rule(astronaut_patches, sampler, kept):
    X, y = astronaut_patches  # uint8
    rows32 = X.reshape(len(X), -1).astype(np.float32)
    X_ref, y_ref = clone(sampler).fit_resample(rows32, y)
    resampler = ImageResampler(sampler=sampler)
    X_res, y_res = resampler.fit_resample(X, y)
    assert_array_equal(y_res, y_ref)
    # The same values (RandomOverSampler with shrinkage returns float64 for
    # float32 rows: cast back to float32, the compute dtype).
    assert_array_equal(X_res.reshape(len(X_res), -1), X_ref.astype(np.float32))
    # Only-selected images keep the input dtype; new images are float32.
    assert X_res.dtype == (np.uint8 if kept else np.float32)
    if kept:
        assert_array_equal(X_res, X[resampler.sampler_.sample_indices_])
    # float32 and float64 input are kept whatever the sampler.
    for dtype in (np.float32, np.float64):
        out, _ = ImageResampler(sampler=sampler).fit_resample(X.astype(dtype), y)
        assert out.dtype == dtype


def test_image_resampler_layouts_give_the_same_numbers(digits):
    X, y = digits
    flat = X.reshape(len(X), -1)
    sampler = ADASYN(sampling_strategy="minority", random_state=0)
    X_batch, y_batch = ImageResampler(sampler=sampler).fit_resample(X, y)
    X_flat, y_flat = ImageResampler(sampler=sampler, image_shape=(8, 8)).fit_resample(flat, y)
    X_rows, y_rows = ImageResampler(sampler=sampler).fit_resample(flat, y)
    assert X_flat.shape == X_rows.shape == (len(X_batch), 64)
    assert_array_equal(X_flat, X_batch.reshape(len(X_batch), -1))
    assert_array_equal(X_rows, X_flat)
    assert_array_equal(y_flat, y_batch)
    assert_array_equal(y_rows, y_batch)


def test_image_resampler_fit_only_validates(digits):
    X, y = digits
    resampler = ImageResampler(sampler=RandomUnderSampler(sampling_strategy="majority"))
    resampler.fit(X, y)
    reference = RandomUnderSampler(sampling_strategy="majority").fit(X.reshape(len(X), -1), y)
    assert resampler.sampling_strategy_ == reference.sampling_strategy_
    assert not hasattr(resampler, "sampler_")


def test_image_resampler_input_not_modified(digits):
    X, y = digits
    X = X.astype(np.float32)
    X_before = X.copy()
    # An identity sampler returns its input: the output must not be X's data.
    X_res, y_res = ImageResampler(sampler=FunctionSampler()).fit_resample(X, y)
    assert_array_equal(X_res, X)
    assert_array_equal(y_res, y)
    assert not np.shares_memory(X_res, X)
    X_res[:] = 0
    assert_array_equal(X, X_before)


def test_image_resampler_errors(digits):
    X, y = digits
    with pytest.raises(InvalidParameterError, match="'sampler' parameter"):
        ImageResampler(sampler=NearestNeighbors()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'sampler' parameter"):
        ImageResampler(sampler=lambda X, y: (X, y)).fit_resample(X, y)
    with pytest.raises(
        ValueError,
        match=r"cannot use the sampler RandomUnderSampler with sampling_strategy="
        r"\{9: 20\} on the class counts .*9: 15",
    ):
        ImageResampler(sampler=RandomUnderSampler(sampling_strategy={9: 20})).fit(X, y)
    drop_column = FunctionSampler(func=lambda X, y: (X[:, :-1], y))
    with pytest.raises(
        ValueError,
        match=r"expected FunctionSampler to return rows of 64 values \(images of "
        r"shape \(8, 8\)\); got an array of shape \(515, 63\)",
    ):
        ImageResampler(sampler=drop_column).fit_resample(X, y)
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        ImageResampler().fit_resample(X, np.zeros(len(X), dtype=int))


# --- AugmentingOverSampler --------------------------------------------------

#: Digits are not mirror-symmetric: no flips.
NO_FLIP = Augmenter(p_hflip=0.0)


@pytest.fixture(scope="module")
def rare_fives():
    """200 digits in mixed order: class 0 (170 zeros, 20 sixes) and class 1,
    10 fives (a 5 % minority)."""
    d = load_digits()
    rng = np.random.RandomState(1)
    idx = np.concatenate(
        [np.flatnonzero(d.target == 0)[:170], np.flatnonzero(d.target == 6)[:20],
         np.flatnonzero(d.target == 5)[:10]]
    )
    idx = rng.permutation(idx)
    y = np.where(d.target[idx] == 5, 1, 0)
    return d.images[idx], y


def test_augmenting_exact_counts_with_5_percent_minority(rare_fives):
    X, y = rare_fives
    assert np.bincount(y).tolist() == [190, 10]
    sampler = AugmentingOverSampler(augmenter=NO_FLIP, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape == (380, 8, 8)
    assert_array_equal(np.bincount(y_res), [190, 190])
    assert dict(sampler.sampling_strategy_) == {1: 180}
    # Counted exactly as SMOTE counts.
    assert sampler.sampling_strategy_ == SMOTE().fit(X.reshape(200, -1), y).sampling_strategy_
    # Originals first, in order; then the copies, with their sources' labels.
    assert_array_equal(X_res[:200], X)
    assert_array_equal(y_res[:200], y)
    src = sampler.source_indices_
    assert src.shape == (180,)
    assert_array_equal(y_res[200:], y[src])
    # The cycling rule: each of the ten fives is the source of 18 copies.
    assert_array_equal(np.bincount(src, minlength=200)[y == 1], [18] * 10)
    assert np.all(np.bincount(src, minlength=200)[y == 0] == 0)
    assert_array_equal(sampler.augmentation_params_["source"], src)


def test_augmenting_counts_per_class_and_sources(digits):
    X, y = digits
    counts = np.bincount(y)
    sampler = AugmentingOverSampler(
        sampling_strategy={9: 40, 3: 60, 4: counts[4]}, augmenter=NO_FLIP, random_state=0
    )
    _, y_res = sampler.fit_resample(X, y)
    expected = counts.copy()
    expected[9], expected[3] = 40, 60
    assert_array_equal(np.bincount(y_res), expected)
    # Sorted classes: the copies of class 3, then class 9 (class 4: none).
    n3 = 60 - counts[3]
    assert_array_equal(y_res[len(X):], [3] * n3 + [9] * 25)
    src = sampler.source_indices_
    # 25 copies of the 15 nines: ten of them twice, five once.
    assert sorted(np.bincount(src[n3:], minlength=len(X))[y == 9]) == [1] * 5 + [2] * 10
    # Fewer copies than images: each source a different image.
    assert len(np.unique(src[:n3])) == n3 and np.all(y[src[:n3]] == 3)


def test_augmenting_copies_equal_apply_augmentation(digits):
    X, y = digits
    augmenter = Augmenter(p_hflip=0.0, p_noise=0.5, mode="constant", cval=0.5)
    sampler = AugmentingOverSampler(augmenter=augmenter, random_state=3)
    X_res, _ = sampler.fit_resample(X, y)
    n = len(X)
    params = sampler.augmentation_params_
    replay = apply_augmentation(X, params, mode="constant", cval=0.5)
    assert_array_equal(X_res[n:], replay)
    # Copy by copy: its source alone, with its own parameters.
    for k in (0, 17, len(replay) - 1):
        one = {key: value[k : k + 1] for key, value in params.items()}
        one["source"] = np.array([0])
        image = apply_augmentation(X[params["source"][k]][None], one, mode="constant", cval=0.5)
        assert_array_equal(X_res[n + k], image[0])
    # Each copy augmented once, with Augmenter's draws: the copies are an
    # Augmenter(n_augmented=1) run on the drawn sources, with the generator
    # as left by the source draws (one shuffle per class, sorted classes).
    rng = np.random.RandomState(3)
    for label, n_new in sampler.sampling_strategy_.items():
        if n_new:
            rng.permutation(np.flatnonzero(y == label))
    src = sampler.source_indices_
    twin = clone(augmenter).set_params(n_augmented=1, random_state=rng)
    X_twin, _ = twin.fit_resample(X[src], y[src])
    assert_array_equal(X_res[n:], X_twin[len(src):])
    for key in params:
        if key != "source":
            assert_array_equal(params[key], twin.augmentation_params_[key])
    # A copy equals its source exactly when no transform was drawn for it.
    identity = (
        ~params["hflip"] & ~params["vflip"] & (params["rotation"] == 0)
        & (params["scale"] == 1) & np.all(params["translation"] == 0, axis=1)
        & (params["brightness"] == 0) & (params["contrast"] == 1)
        & (params["noise_std"] == 0)
    )
    assert 0 < identity.sum() < 5
    assert_array_equal(np.all(X_res[n:] == X[src], axis=(1, 2)), identity)


def test_augmenting_augmenter_is_cloned_and_its_n_augmented_ignored(rare_fives):
    X, y = rare_fives
    identity = Augmenter(
        n_augmented=5, random_state=123,
        p_hflip=0.0, p_rotate=0.0, p_scale=0.0, p_translate=0.0,
        p_brightness=0.0, p_contrast=0.0, p_noise=0.0,
    )
    sampler = AugmentingOverSampler(augmenter=identity, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert len(X_res) == 380  # n_augmented plays no part
    # No transform applied: each copy is its source, exactly.
    assert_array_equal(X_res[200:], X[sampler.source_indices_])
    assert not hasattr(identity, "augmentation_params_")  # the given one untouched
    assert sampler.augmenter_ is not identity
    assert sampler.augmenter_.get_params() == identity.get_params()
    # The default: Augmenter() and its documented transforms.
    default = AugmentingOverSampler(random_state=0).fit(X, y)
    default.fit_resample(X, y)
    assert default.augmenter_.get_params() == Augmenter().get_params()


def test_augmenting_same_random_state_same_output(rare_fives):
    X, y = rare_fives
    a = AugmentingOverSampler(augmenter=NO_FLIP, random_state=7).fit_resample(X, y)[0]
    b = AugmentingOverSampler(augmenter=NO_FLIP, random_state=7).fit_resample(X, y)[0]
    c = AugmentingOverSampler(augmenter=NO_FLIP, random_state=8).fit_resample(X, y)[0]
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # Threads and chunks do not change the output.
    chunked = Augmenter(p_hflip=0.0, n_jobs=2, batch_size=7)
    d = AugmentingOverSampler(augmenter=chunked, random_state=7).fit_resample(X, y)[0]
    assert_array_equal(a, d)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_augmenting_dtype_rule(astronaut_patches, dtype):
    X, y = astronaut_patches
    X = X.astype(dtype) if dtype == np.uint8 else (X / 255).astype(dtype)
    X_before = X.copy()
    sampler = AugmentingOverSampler(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    # Augmenter's rule: the input dtype, originals exact.
    assert X_res.dtype == dtype
    assert X_res.shape == (240, 6, 6, 3)
    assert_array_equal(X_res[:150], X)
    assert_array_equal(X_res[150:], apply_augmentation(X, sampler.augmentation_params_))
    assert_array_equal(X, X_before)
    assert not np.shares_memory(X_res, X)


def test_augmenting_layouts_give_the_same_numbers(digits):
    X, y = digits
    flat = X.reshape(len(X), -1)
    X_batch, y_batch = AugmentingOverSampler(augmenter=NO_FLIP, random_state=0).fit_resample(X, y)
    X_flat, y_flat = AugmentingOverSampler(
        augmenter=NO_FLIP, random_state=0, image_shape=(8, 8)
    ).fit_resample(flat, y)
    assert X_flat.shape == (len(X_batch), 64)
    assert_array_equal(X_flat, X_batch.reshape(len(X_batch), -1))
    assert_array_equal(y_flat, y_batch)


def test_augmenting_errors(digits):
    X, y = digits
    with pytest.raises(InvalidParameterError, match="'augmenter' parameter"):
        AugmentingOverSampler(augmenter=SMOTE()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'p_rotate' parameter of Augmenter"):
        AugmentingOverSampler(augmenter=Augmenter(p_rotate=2.0)).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"rotation_range must be a tuple \(low, high\)"):
        AugmentingOverSampler(augmenter=Augmenter(rotation_range=(5, -5))).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"AugmentingOverSampler cannot use sampling_strategy=\{9: 10\}.*9: 15",
    ):
        AugmentingOverSampler(sampling_strategy={9: 10}).fit_resample(X, y)
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        AugmentingOverSampler().fit_resample(X, np.zeros(len(X), dtype=int))


# --- in a pipeline: resampled images never reach a validation fold -----------


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """A 1-NN classifier that records what it was fitted on and asked to predict."""

    def fit(self, X, y):
        self.knn_ = KNeighborsClassifier(n_neighbors=1).fit(X, y)
        self.classes_ = self.knn_.classes_
        self.fit_counts_ = np.bincount(y)
        self.predict_inputs_ = []
        return self

    def predict(self, X):
        self.predict_inputs_.append(np.array(X, copy=True))
        return self.knn_.predict(X)


@pytest.mark.parametrize(
    "sampler",
    [
        AugmentingOverSampler(augmenter=NO_FLIP, random_state=0),
        ImageResampler(sampler=RandomOverSampler(random_state=0)),
        SMOTEBalancer(k_neighbors=3, random_state=0),
    ],
    ids=["augmenting", "resampler", "smote"],
)
def test_samplers_see_training_folds_only(rare_fives, sampler):
    X, y = rare_fives
    pipe = Pipeline([("balance", sampler), ("flatten", Flattener()), ("spy", SpyClassifier())])
    cv = StratifiedKFold(4, shuffle=True, random_state=0)
    result = cross_validate(pipe, X, y, cv=cv, return_estimator=True, return_indices=True)
    for fitted, train, test in zip(
        result["estimator"], result["indices"]["train"], result["indices"]["test"]
    ):
        spy = fitted[-1]
        # Fitted on the balanced training fold: 2 x its 142 or 143 zeros.
        n_zeros = np.sum(y[train] == 0)
        assert_array_equal(spy.fit_counts_, [n_zeros, n_zeros])
        # Scored on exactly the validation fold, no resampled image in it.
        assert len(spy.predict_inputs_) == 1
        assert_array_equal(spy.predict_inputs_[0], X[test].reshape(len(test), -1))
