"""Every statistic against an independent implementation and Krippendorff's published example."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.services.agreement import statistics
from annotator.services.agreement.statistics import (
    alpha,
    alpha_estimate,
    alphas_for_weights,
    cohen_kappa,
    fleiss_kappa,
    kappa,
    percent_agreement,
    table,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")
NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units, missing values
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
PUBLISHED_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def units_of(matrix: np.ndarray, coders: str) -> list[dict[str, float]]:
    return [
        {c: float(matrix[i][j]) for i, c in enumerate(coders) if not np.isnan(matrix[i][j])}
        for j in range(len(matrix[0]))
    ]


def grouped_alpha(t: statistics.Table, level: str) -> float:
    groups, sizes = statistics._groups(t)
    return float(alphas_for_weights(groups, t.domain, level, sizes[np.newaxis, :])[0])


def random_matrix(seed: int, coders: int = 3, units: int = 150, values: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, values + 1, size=(coders, units)).astype(float)
    for i in range(1, coders):  # coders agree more often than chance
        matrix[i] = np.where(rng.random(units) < 0.6, matrix[0], matrix[i])
    matrix[rng.random((coders, units)) < 0.15] = NAN
    return matrix


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorffs_published_example_to_three_decimals(level: str) -> None:
    t = table(units_of(np.array(PUBLISHED), "abcd"), "abcd", nominal=level == "nominal")
    value, note = alpha(t, level)
    assert round(value, 3) == PUBLISHED_ALPHA[level] and note == ""
    assert round(grouped_alpha(t, level), 3) == PUBLISHED_ALPHA[level]  # the bootstrap's own sums


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alpha_matches_the_krippendorff_package_on_random_data(level: str, seed: int) -> None:
    matrix = random_matrix(seed)
    t = table(units_of(matrix, "abc"), "abc", nominal=level == "nominal")
    expected = krippendorff.alpha(matrix, level_of_measurement=level)
    assert alpha(t, level)[0] == pytest.approx(expected, abs=1e-9)
    assert grouped_alpha(t, level) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_large_tables_take_the_grouped_path_with_the_same_result(level: str, monkeypatch) -> None:
    matrix = random_matrix(4, values=9)
    monkeypatch.setattr(statistics, "_PACKAGE_BUDGET", 0)
    t = table(units_of(matrix, "abc"), "abc", nominal=level == "nominal")
    assert alpha(t, level)[0] == pytest.approx(krippendorff.alpha(matrix, level_of_measurement=level), abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_each_bootstrap_draw_is_alpha_of_the_resampled_units(level: str) -> None:
    """A draw weights each group of identical units by how often the resample took its units;
    the package on the resampled matrix must give the same alpha."""
    matrix = random_matrix(5)
    t = table(units_of(matrix, "abc"), "abc", nominal=level == "nominal")
    keep = np.flatnonzero(t.pairable)
    groups, _sizes = statistics._groups(t)
    # which group each pairable unit belongs to
    position = {tuple(groups[:, g]): g for g in range(groups.shape[1])}
    member = np.array([position[tuple(t.codes[:, u])] for u in keep])
    domain = np.unique(matrix[~np.isnan(matrix)])
    rng = np.random.default_rng(9)
    for _ in range(4):
        drawn = rng.integers(0, len(keep), len(keep))
        weights = np.bincount(member[drawn], minlength=groups.shape[1]).astype(float)
        mine = alphas_for_weights(groups, t.domain, level, weights[np.newaxis, :])[0]
        reference = krippendorff.alpha(matrix[:, keep[drawn]], level_of_measurement=level,
                                       value_domain=domain)
        assert mine == pytest.approx(reference, abs=1e-9)


def test_the_bootstrap_is_reproducible_with_its_seed() -> None:
    t = table(units_of(random_matrix(6), "abc"), "abc", nominal=True)
    first = alpha_estimate(t, "nominal", 1000, seed=11)
    again = alpha_estimate(t, "nominal", 1000, seed=11)
    other = alpha_estimate(t, "nominal", 1000, seed=12)
    assert first == again
    assert first.ci95 != other.ci95
    low, high = first.ci95
    assert low < first.alpha < high
    assert 0 <= first.p_below_0667 <= first.p_below_0800 <= 1


def test_the_shares_below_the_thresholds_follow_the_draws() -> None:
    perfect_but_one = [{"a": "x", "b": "x"} for _ in range(40)] + [{"a": "y", "b": "y"} for _ in range(40)]
    perfect_but_one.append({"a": "x", "b": "y"})
    t = table(perfect_but_one, "ab", nominal=True)
    estimate = alpha_estimate(t, "nominal", 1000, seed=1)
    assert estimate.alpha > 0.95
    assert estimate.p_below_0667 == 0.0 and estimate.p_below_0800 == 0.0
    poor = table([{"a": "x", "b": "y"}, {"a": "y", "b": "x"}, {"a": "x", "b": "x"}] * 20, "ab", nominal=True)
    estimate = alpha_estimate(poor, "nominal", 1000, seed=1)
    assert estimate.p_below_0667 == 1.0


def test_missing_values_never_count_as_disagreement() -> None:
    units = units_of(random_matrix(7), "abc")
    t = table(units, "abc", nominal=True)
    # a unit only one coder coded, and a coder who coded nothing, change nothing
    widened = table([*units, {"a": 99.0}], "abcd", nominal=True)
    assert alpha(widened, "nominal")[0] == pytest.approx(alpha(t, "nominal")[0], abs=1e-12)
    assert percent_agreement(widened) == percent_agreement(t)
    assert alpha_estimate(widened, "nominal", 1000, 3).units == alpha_estimate(t, "nominal", 1000, 3).units


def test_no_variation_is_null_with_a_note() -> None:
    t = table([{"a": "x", "b": "x"}] * 5, "ab", nominal=True)
    estimate = alpha_estimate(t, "nominal", 1000, 1)
    assert estimate.alpha is None and "no variation" in estimate.note
    assert percent_agreement(t) == 1.0
    assert kappa(t)[0] is None and "no variation" in kappa(t)[3]
    lonely = table([{"a": "x"}, {"b": "y"}], "ab", nominal=True)
    assert alpha_estimate(lonely, "nominal", 1000, 1).note == "no unit was coded by two coders"


def test_percent_agreement_is_the_share_of_agreeing_pairs() -> None:
    # unit 1: a=b=c (3 agreeing pairs); unit 2: a=b, c differs (1 of 3); unit 3: a, b only, differ
    t = table([{"a": "x", "b": "x", "c": "x"}, {"a": "x", "b": "x", "c": "y"}, {"a": "x", "b": "y"}],
              "abc", nominal=True)
    assert percent_agreement(t) == pytest.approx(4 / 7)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_cohens_kappa_matches_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 4, 200)
    second = np.where(rng.random(200) < 0.7, first, rng.integers(0, 4, 200))
    assert cohen_kappa(first, second) == pytest.approx(cohen_kappa_score(first, second), abs=1e-12)


@pytest.mark.parametrize("coders", [3, 4, 6])
def test_fleiss_kappa_matches_statsmodels(coders: int) -> None:
    rng = np.random.default_rng(coders)
    truth = rng.integers(0, 5, 150)
    codes = np.array([np.where(rng.random(150) < 0.65, truth, rng.integers(0, 5, 150)) for _ in range(coders)])
    counts, _categories = aggregate_raters(codes.T)
    assert fleiss_kappa(codes) == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"), abs=1e-12)


def test_kappa_uses_only_units_every_coder_coded() -> None:
    matrix = random_matrix(8)
    t = table(units_of(matrix, "abc"), "abc", nominal=True)
    value, kind, units, _note = kappa(t)
    complete = ~np.isnan(matrix).any(axis=0)
    counts, _ = aggregate_raters(matrix[:, complete].T.astype(int))
    assert kind == "fleiss" and units == int(complete.sum())
    assert value == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"), abs=1e-12)
    two = table(units_of(matrix[:2], "ab"), "ab", nominal=True)
    both = ~np.isnan(matrix[:2]).any(axis=0)
    value, kind, _units, _note = kappa(two)
    assert kind == "cohen"
    assert value == pytest.approx(cohen_kappa_score(matrix[0, both], matrix[1, both]), abs=1e-12)
