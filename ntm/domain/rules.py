"""The programme rules as pure functions: the NTM status ladder, revocation risk (QĐ 18/2022/QĐ-TTg),
the poverty flow balance and rates that keep their numerator and denominator.

Thresholds come from `data/settings.csv` (see `ntm.settings`); the functions take them as arguments so
that the rules can be pinned by small hand-built cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

# The NTM ladder for communes, lowest first: the 2021–2025 levels (standard, advanced, model) and the
# 2026–2030 pilot level "modern" (xã NTM hiện đại). Each criteria set uses its own rungs
# (`ntm.domain.criteria`); ranks compare statuses within one set.
STATUS_LADDER: tuple[str, ...] = ("none", "standard", "advanced", "model", "modern")
RECOGNISED: frozenset[str] = frozenset(STATUS_LADDER[1:])
# Criterion columns stored per commune and year: as many as the largest set has (19 in QĐ 318; QĐ 51's
# ten use c01 … c10).
N_CRITERIA = 19
CRITERIA: tuple[str, ...] = tuple(f"c{i:02d}" for i in range(1, N_CRITERIA + 1))


def status_rank(status: str | None) -> int:
    """Position of a status on the ladder (none=0 … model=3); unknown or missing counts as none."""
    try:
        return STATUS_LADDER.index(status or "none")
    except ValueError:
        return 0


def is_recognised(status: str | None) -> bool:
    """True for communes recognised as standard, advanced or model NTM."""
    return status in RECOGNISED


def movement(previous: str | None, current: str | None, across_sets: bool = False) -> str:
    """How a commune moved on the ladder between two years.

    Returns one of: ``first`` (no status the year before), ``up``, ``same``, ``down`` (a lower
    recognised level) or ``revoked`` (recognised before, not recognised now). Between years assessed
    against different criteria sets (2025 → 2026) only recognition compares: recognised both years is
    ``same``, and recognised before but not under the new set is ``reset`` — never a revocation.
    """
    if previous is None:
        return "first"
    if across_sets:
        before, after = is_recognised(previous), is_recognised(current)
        return "up" if after and not before else "reset" if before and not after else "same"
    before, after = status_rank(previous), status_rank(current)
    if after > before:
        return "up"
    if after == before:
        return "same"
    return "revoked" if after == 0 else "down"


@dataclass(frozen=True)
class RevocationRule:
    """QĐ 18/2022: revoke when ≥ `share_any` of criteria fail, or ≥ `share_with_key` including a key one."""

    share_any: float = 0.5
    share_with_key: float = 0.3
    key_criteria: frozenset[str] = frozenset({"c10", "c17", "c19"})
    n_criteria: int = N_CRITERIA

    @property
    def min_failed_any(self) -> int:
        """Smallest number of failed criteria that reaches `share_any` (10 of 19; 5 of 10)."""
        return math.ceil(self.share_any * self.n_criteria - 1e-9)

    @property
    def min_failed_with_key(self) -> int:
        """Smallest number of failed criteria that reaches `share_with_key` (6 of 19; 3 of 10)."""
        return math.ceil(self.share_with_key * self.n_criteria - 1e-9)


@dataclass(frozen=True)
class RevocationAssessment:
    """The outcome of checking one recognised commune against the revocation rule."""

    failed: tuple[str, ...]
    failed_key: tuple[str, ...]
    share_failed: float
    at_risk: bool
    reason: str  # "share_any", "share_with_key" or ""


def unmet_criteria(flags: Mapping[str, bool | None], n_criteria: int = N_CRITERIA) -> tuple[str, ...]:
    """Criteria of a set of `n_criteria` whose flag is explicitly not met (missing flags do not count)."""
    return tuple(c for c in CRITERIA[:n_criteria] if flags.get(c) is False)


def assess_revocation(status: str | None, flags: Mapping[str, bool | None],
                      rule: RevocationRule = RevocationRule()) -> RevocationAssessment:
    """Is a commune with this status and these criterion flags at risk of losing its recognition?

    Only recognised communes can be at risk. The share is taken over all criteria of the set.
    """
    failed = unmet_criteria(flags, rule.n_criteria)
    failed_key = tuple(c for c in failed if c in rule.key_criteria)
    share = len(failed) / rule.n_criteria
    reason = ""
    if is_recognised(status):
        if len(failed) >= rule.min_failed_any:
            reason = "share_any"
        elif len(failed) >= rule.min_failed_with_key and failed_key:
            reason = "share_with_key"
    return RevocationAssessment(failed, failed_key, share, bool(reason), reason)


@dataclass(frozen=True)
class FlowCheck:
    """The poverty flow identity: poor_end ≈ poor_prev − escaped + fell_back + newly_poor."""

    expected: int
    actual: int
    gap: int
    tolerance: float
    balanced: bool


def flow_tolerance(poor_prev, tol_households: int = 5, tol_share: float = 0.01):
    """Allowed gap in the flow identity: max(`tol_households`, `tol_share` × last year's poor).
    Works on numbers and on numpy arrays alike (`tol_households` too: one per row)."""
    return np.maximum(np.asarray(tol_households, dtype=float), tol_share * np.maximum(poor_prev, 0))


def flow_gap(poor_prev, escaped, fell_back, newly_poor, poor_end, near_to_poor=0):
    """poor_end − (poor_prev − escaped + fell_back + newly_poor + near_to_poor), on numbers or arrays
    (DOMAIN §2.4: near-poor households that became poor are a flow of their own)."""
    return poor_end - (poor_prev - escaped + fell_back + newly_poor + near_to_poor)


def check_flow(poor_prev: int, escaped: int, fell_back: int, newly_poor: int, poor_end: int,
               tol_households: int = 5, tol_share: float = 0.01, near_to_poor: int = 0) -> FlowCheck:
    """Check that a year's end-of-year poor count follows from last year's and the year's flows.

    Real reviews never balance exactly (migration, household splits, deaths; Kon Tum 2022 is off by
    40 households), so the check allows `flow_tolerance`.
    """
    gap = flow_gap(poor_prev, escaped, fell_back, newly_poor, poor_end, near_to_poor)
    tol = float(flow_tolerance(poor_prev, tol_households, tol_share))
    return FlowCheck(poor_end - gap, poor_end, gap, tol, abs(gap) <= tol)


def pct(num, den):
    """100 × num / den (Series or scalars); NaN where the denominator is 0 or missing."""
    if not isinstance(num, pd.Series) and not isinstance(den, pd.Series):
        num, den = float(num) if num is not None else np.nan, float(den) if den is not None else np.nan
        return 100.0 * num / den if den > 0 and not np.isnan(num) else np.nan
    num = pd.to_numeric(num, errors="coerce").astype("float64")
    den = pd.to_numeric(den, errors="coerce").astype("float64")
    return (100.0 * num / den.where(den > 0)).astype("float64")


@dataclass(frozen=True)
class Rate:
    """A rate that keeps its numerator and denominator (never store only the percentage)."""

    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        """numerator / denominator, or None when the denominator is zero."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        """The rate in per cent (`pct`), or None when undefined."""
        v = pct(self.numerator, self.denominator)
        return None if np.isnan(v) else float(v)


def rate(numerator: float | None, denominator: float | None) -> Rate:
    """Build a Rate, treating missing parts as zero."""
    return Rate(float(numerator or 0), float(denominator or 0))


def change_pp(before: Rate, after: Rate) -> float | None:
    """Change of a rate in percentage points (negative = reduction), None when either is undefined."""
    if before.percent is None or after.percent is None:
        return None
    return after.percent - before.percent
