"""Reliability statistics over coders x units tables of value codes (numpy).

Krippendorff's alpha comes from the maintained ``krippendorff`` package. Its bootstrap
(resampling units, as Hayes & Krippendorff's KALPHA) is computed here, vectorised: 1,000
calls of the package per variable would take minutes on a real study. Units with the same
values are grouped, a draw is the number of times each group is drawn (a multinomial), and
alpha's sums are weighted by those counts; ``alphas_for_weights`` with the groups' own sizes
gives the package's alpha, which the tests check at every level.

Cohen's and Fleiss' kappa are the textbook closed forms (a few lines each, checked in the
tests against scikit-learn and statsmodels): those libraries would add about 100 MB of
dependencies to a desktop app for two formulas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import krippendorff
import numpy as np

from annotator.domain.agreement.report import RELIABLE, TENTATIVE, AlphaEstimate

LEVELS = ("nominal", "ordinal", "interval", "ratio")
#: above this many cells (units x values x values) the package's dense arrays get too large,
#: and the same sums are taken group by group here instead
_PACKAGE_BUDGET = 5_000_000
_CHUNK_CELLS = 8_000_000  # draws x values x values per chunk of the dense levels


@dataclass(frozen=True)
class Table:
    """Reliability data: ``codes[coder, unit]`` indexes ``domain`` (-1: missing)."""

    codes: np.ndarray
    domain: np.ndarray  # float values, ascending (nominal: 0..V-1 for the codes)
    labels: tuple[str, ...] = ()  # nominal: the value each code stands for

    @property
    def pairable(self) -> np.ndarray:
        """The units with values from at least two coders."""
        return (self.codes >= 0).sum(axis=0) >= 2


def table(units: Sequence[Mapping[str, str | float]], coders: Sequence[str], nominal: bool) -> Table:
    """Build a table from units given as coder -> value (absent: missing)."""
    values = sorted({v for u in units for v in u.values()}, key=(str if nominal else float))
    index = {v: i for i, v in enumerate(values)}
    codes = np.full((len(coders), len(units)), -1, dtype=np.int64)
    for j, unit in enumerate(units):
        for i, coder in enumerate(coders):
            if coder in unit:
                codes[i, j] = index[unit[coder]]
    if nominal:
        return Table(codes, np.arange(len(values), dtype=float), tuple(str(v) for v in values))
    return Table(codes, np.asarray(values, dtype=float))


# -- Krippendorff's alpha ------------------------------------------------------------------------
def value_counts(t: Table) -> np.ndarray:
    counts = np.zeros((t.codes.shape[1], len(t.domain)), dtype=np.int64)
    for row in t.codes:
        present = row >= 0
        np.add.at(counts, (np.nonzero(present)[0], row[present]), 1)
    return counts


def alpha(t: Table, level: str) -> tuple[float | None, str]:
    """The point estimate (the ``krippendorff`` package); None and a note when undefined."""
    pairable = t.pairable
    if not pairable.any():
        return None, "no unit was coded by two coders"
    used = np.unique(t.codes[:, pairable][t.codes[:, pairable] >= 0])
    if len(used) < 2:
        return None, "no variation: every coder gave every unit the same value"
    if pairable.sum() * len(t.domain) ** 2 <= _PACKAGE_BUDGET:
        counts = value_counts(t)[pairable]
        value = krippendorff.alpha(value_counts=counts, value_domain=t.domain, level_of_measurement=level)
        return float(value), ""
    groups, sizes = _groups(t)
    return float(alphas_for_weights(groups, t.domain, level, sizes[np.newaxis, :])[0]), ""


def _groups(t: Table) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairable units (coders x groups) and how many units each stands for."""
    codes = t.codes[:, t.pairable]
    base = len(t.domain) + 1
    if base ** codes.shape[0] < 2**62:  # a unit's values as one integer: a fast 1-D unique
        weights = base ** np.arange(codes.shape[0], dtype=np.int64)
        _keys, first, sizes = np.unique(weights @ (codes + 1), return_index=True, return_counts=True)
        return codes[:, first], sizes.astype(float)
    groups, sizes = np.unique(codes, axis=1, return_counts=True)
    return groups, sizes.astype(float)


def alphas_for_weights(groups: np.ndarray, domain: np.ndarray, level: str, weights: np.ndarray) -> np.ndarray:
    """Alpha for each row of ``weights`` (draws x groups): each group's units counted that often.

    The sums are Krippendorff's: observed disagreement from the coincidences within units
    (each pair of values in a unit weighted 1/(m-1)), expected from the pooled values.
    NaN where a draw has no variation (alpha undefined).
    """
    present = groups >= 0
    m = present.sum(axis=0).astype(float)
    n = _pooled_counts(groups, len(domain), weights)  # draws x values
    total = n.sum(axis=1)
    result = np.empty(weights.shape[0])
    step = max(1, _CHUNK_CELLS // max(1, len(domain) ** 2))
    for lo in range(0, weights.shape[0], step):
        hi = min(lo + step, weights.shape[0])
        observed = _observed(groups, present, m, domain, level, weights[lo:hi], n[lo:hi])
        expected = _expected(domain, level, n[lo:hi], total[lo:hi], groups, weights[lo:hi])
        with np.errstate(divide="ignore", invalid="ignore"):
            result[lo:hi] = np.where(expected > 0, 1 - observed / expected, np.nan)
    return result


def _pooled_counts(groups: np.ndarray, values: int, weights: np.ndarray) -> np.ndarray:
    """n[draw, value]: how often each value occurs among the pairable values of a draw."""
    n = np.zeros((weights.shape[0], values))
    for row in groups:
        present = row >= 0
        if not present.any():
            continue  # a coder with no value in any pairable unit
        codes, w = row[present], weights[:, present]
        order = np.argsort(codes, kind="stable")
        codes, w = codes[order], w[:, order]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        n[:, codes[starts]] += np.add.reduceat(w, starts, axis=1)
    return n


def _delta(level: str, a: np.ndarray, b: np.ndarray, domain: np.ndarray, n: np.ndarray | None) -> np.ndarray:
    """Squared distances between value codes a and b (ordinal: under the draws' counts n)."""
    if level == "nominal":
        return (a != b).astype(float)
    if level == "interval":
        return (domain[a] - domain[b]) ** 2
    if level == "ratio":
        x, y = domain[a], domain[b]
        s = x + y
        return np.divide(x - y, s, out=np.zeros(np.broadcast(x, y).shape), where=s != 0) ** 2
    assert n is not None  # ordinal: sum of counts from a to b, less half of each end's count
    cum = np.concatenate([np.zeros((n.shape[0], 1)), np.cumsum(n, axis=1)], axis=1)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    between = cum[:, hi + 1] - cum[:, lo]
    return (between - (n[:, a] + n[:, b]) / 2) ** 2


def _observed(groups, present, m, domain, level, weights, n) -> np.ndarray:  # type: ignore[no-untyped-def]
    observed = np.zeros(weights.shape[0])
    for i, j in combinations(range(groups.shape[0]), 2):
        both = present[i] & present[j]
        if not both.any():
            continue
        a, b = groups[i, both], groups[j, both]
        share = 2.0 / (m[both] - 1)  # the ordered pairs (i, j) and (j, i)
        if level == "ordinal":
            observed += ((weights[:, both] * share) * _delta(level, a, b, domain, n)).sum(axis=1)
        else:
            observed += weights[:, both] @ (share * _delta(level, a, b, domain, None))
    return observed


def _expected(domain, level, n, total, groups, weights) -> np.ndarray:  # type: ignore[no-untyped-def]
    with np.errstate(divide="ignore", invalid="ignore"):
        if level == "nominal":
            return (total**2 - (n**2).sum(axis=1)) / (total - 1)
        if level == "interval":
            s1 = n @ domain
            s2 = n @ domain**2
            return (2 * total * s2 - 2 * s1**2) / (total - 1)
        codes = np.arange(len(domain))
        a, b = codes[:, np.newaxis], codes[np.newaxis, :]
        if level == "ratio":
            delta = _delta(level, a, b, domain, None)
            return np.einsum("dv,vw,dw->d", n, delta, n) / (total - 1)
        delta = _delta(level, a.ravel().repeat(len(domain)), np.tile(b.ravel(), len(domain)), domain, n)
        delta = delta.reshape(n.shape[0], len(domain), len(domain))
        return np.einsum("dv,dvw,dw->d", n, delta, n) / (total - 1)


def alpha_estimate(t: Table, level: str, draws: int, seed: int) -> AlphaEstimate:
    """Alpha, its bootstrap 95 % interval (percentiles over ``draws`` resamples of units, seeded)
    and the shares of draws below Krippendorff's thresholds 0.667 and 0.800."""
    pairable = t.pairable
    units = int(pairable.sum())
    values = int((t.codes[:, pairable] >= 0).sum())
    value, note = alpha(t, level)
    if value is None:
        return AlphaEstimate(None, units=units, pairable_values=values, note=note)
    groups, sizes = _groups(t)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(units, sizes / units, size=draws).astype(float)
    boot = alphas_for_weights(groups, t.domain, level, weights)
    defined = boot[~np.isnan(boot)]
    if len(defined) == 0:
        return AlphaEstimate(value, units=units, pairable_values=values,
                             note="no bootstrap draw had variation: no interval")
    low, high = np.percentile(defined, [2.5, 97.5])
    note = ""
    if len(defined) < draws:
        note = f"{draws - len(defined)} of {draws} bootstrap draws had no variation and were left out"
    return AlphaEstimate(
        value, (float(low), float(high)),
        float((defined < TENTATIVE).mean()), float((defined < RELIABLE).mean()),
        units, values, note,
    )


# -- percent agreement and kappas ------------------------------------------------------------------
def percent_agreement(t: Table) -> float | None:
    """Share of agreeing pairs among all pairs of values coded for the same unit."""
    agree = pairs = 0
    for i, j in combinations(range(t.codes.shape[0]), 2):
        both = (t.codes[i] >= 0) & (t.codes[j] >= 0)
        pairs += int(both.sum())
        agree += int((t.codes[i, both] == t.codes[j, both]).sum())
    return None if pairs == 0 else agree / pairs


def kappa(t: Table) -> tuple[float | None, str, int, str]:
    """(kappa, kind, units used, note): Cohen's for two coders, Fleiss' for more, each over
    the units every coder coded (both need complete units); values as unordered categories."""
    complete = (t.codes >= 0).all(axis=0)
    units = int(complete.sum())
    kind = "cohen" if t.codes.shape[0] == 2 else "fleiss"
    if units == 0:
        return None, kind, 0, "kappa: no unit was coded by every coder"
    codes = t.codes[:, complete]
    value = cohen_kappa(codes[0], codes[1]) if kind == "cohen" else fleiss_kappa(codes)
    if value is None:
        return None, kind, units, "kappa: no variation (chance agreement is 1)"
    return value, kind, units, ""


def cohen_kappa(first: np.ndarray, second: np.ndarray) -> float | None:
    """(p_o - p_e) / (1 - p_e), p_e from each coder's own distribution (Cohen 1960)."""
    observed = float((first == second).mean())
    codes = np.union1d(first, second)
    p1 = (first[:, np.newaxis] == codes).mean(axis=0)
    p2 = (second[:, np.newaxis] == codes).mean(axis=0)
    chance = float(p1 @ p2)
    return None if chance >= 1 else (observed - chance) / (1 - chance)


def fleiss_kappa(codes: np.ndarray) -> float | None:
    """Fleiss (1971): coders x units, every unit coded by every coder."""
    raters = codes.shape[0]
    values = np.unique(codes)
    counts = (codes.T[:, :, np.newaxis] == values).sum(axis=1)  # units x values
    per_unit = ((counts**2).sum(axis=1) - raters) / (raters * (raters - 1))
    shares = counts.sum(axis=0) / counts.sum()
    chance = float((shares**2).sum())
    return None if chance >= 1 else (float(per_unit.mean()) - chance) / (1 - chance)
