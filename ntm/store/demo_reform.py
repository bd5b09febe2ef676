"""DEMO data through the 2025 reform, for the new Quảng Ngãi (with old Kon Tum), Thanh Hóa and Quảng Ninh
on their real new communes:

- 2025 on the new communes: the old-unit 2025 demo figures merged onto the new communes with the
  crosswalk's rules (`ntm.store.figures`: counts summed, a level kept only when every predecessor had it,
  CV 5424), loaded as a batch that supersedes the old-unit 2025 batch (which is kept: a rollback brings
  it back) — the 2025 review ran on the new communes.
- 2026 on the QĐ 51/2025 criteria (10 criteria, commune groups 1–3 — group 3 for EM&MN region II/III
  communes —, the "NTM hiện đại" pilot) and the first review under NĐ 351/2025's higher poverty lines
  (2.2 / 2.8 million VND, unconfirmed for the review of 2026): a baseline review, like 2021 under
  NĐ 07/2021 — poor and near-poor households re-measured under the new lines (more of them, not fewer),
  no flows reported (they are not compared across two standards, docs/domain.md §2.7); recognition
  starts anew (the unconfirmed rule of `data/criteria_sets.csv`): a first-year share of the communes meets
  all ten criteria and is recognised in 2026, the others are not yet recognised again.

Stories (docs/domain.md §9.7): Kon Tum's four communes at risk in 2023–2024 went into three new communes
that keep their recognition in 2025 (all their predecessors were NTM); in 2026 the new Ia Chim (with Đăk
Năng and Đoàn Kết) meets all ten criteria and is recognised again, the new Đăk Pék (with the Đăk Glei
township) meets nine and the new Đăk Môn (Đắk Môn with Đắk Kroong) seven: not yet recognised again, and
not at risk — they hold no recognition under the new criteria to lose. Ngọc Hồi's area (the NTM district
of 2024) became Bờ Y, Dục Nông and Sa Loong: all recognised in 2026, Bờ Y in the modern pilot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm.domain.criteria import QD51, criteria_set
from ntm.domain.columns import FIGURE_COLUMNS
from ntm.domain.periods import poverty_standard_for_year
from ntm.domain.rules import CRITERIA, RECOGNISED
from ntm.domain.units import PRE
from ntm.store.demo import allocate_capped
from ntm.store.figures import figures_sql
from ntm.store.synth import FLOW_COLUMNS

REFORM_SEED = 20260215


@dataclass(frozen=True)
class Remeasure:
    """How the review of 2026 re-measures a province's households under NĐ 351/2025's higher lines
    (demo calibration, not a published figure)."""

    poor: float                     # × the end-2025 poor households (NĐ 07/2021)
    near_poor: float                # × the end-2025 near-poor households
    poor_rate_floor: float = 0.0    # poor-household rate (%) at least: where the old line found none


# Province → its 2026 baseline (docs/domain.md §9.7; demo assumptions, no published estimate). The lines
# rise ≈1.45× (2.2 / 2.8 against 1.5 / 2.0 million VND); with so few households left below the old line,
# that finds roughly 1.5–2× the poor, more where many live just above it (the mountain communes of the new
# Quảng Ngãi). Quảng Ninh had no poor household under the national line from 2023 but 246 under its own
# 2.1 / 2.6 million line at the start of 2023 (§2.6, §4.3): the new national line, a little above its
# own, finds a few hundred.
REMEASURED_2026 = {"51": Remeasure(1.85, 1.45), "38": Remeasure(1.7, 1.5), "22": Remeasure(1.0, 1.7, 0.05)}
# A commune's poor or near-poor households grow at most this many times under the new lines.
MAX_GROWTH_2026 = 6
# Province → share of its rural communes recognised in 2026, the first year of the QĐ 51/2025 criteria
# (recognition starts anew; the 2030 target is ≈ 65%).
FIRST_YEAR_SHARE = {"22": 0.35, "38": 0.15, "51": 0.10}
# How hard each QĐ 51 criterion is to reach (weights, not rules).
DIFFICULTY_51 = {"c01": 0.5, "c02": 2, "c03": 3, "c04": 2, "c05": 1.5, "c06": 2.5, "c07": 3, "c08": 2.5,
                 "c09": 1, "c10": 0.5}


@dataclass(frozen=True)
class Pin2026:
    """A story commune's 2026 assessment under QĐ 51/2025."""

    status: str
    failed: tuple[str, ...] = ()


PINS_2026 = {
    "23326": Pin2026("standard"),                           # new Ia Chim: recognised again in 2026
    "23341": Pin2026("none", ("c07",)),                     # new Đăk Pék: one criterion short
    "23374": Pin2026("none", ("c03", "c06", "c08")),        # new Đăk Môn: three short (two of them key)
    "23377": Pin2026("modern"),                             # Bờ Y (Ngọc Hồi)
    "23383": Pin2026("standard"),                           # Dục Nông (Ngọc Hồi)
    "23392": Pin2026("standard"),                           # Sa Loong (Ngọc Hồi)
}


def merged_2025(con, provinces: tuple[str, ...]) -> pd.DataFrame:
    """The old-unit 2025 demo figures of these new provinces merged onto their new communes, as rows of
    a batch on the new units."""
    df = con.execute(f"""SELECT * FROM {figures_sql('new')} f
                         WHERE f.year = 2025 AND f.converted AND f.province_code IN (SELECT unnest(?))
                         ORDER BY f.commune_code""",                  # the draws follow this order
                     [list(provinces)]).df()
    keep = ["year", "commune_code", "unit_id", "province_code", "poverty_standard", *FIGURE_COLUMNS]
    return df[keep].assign(district_code=None)


def _township_communes(con) -> set[str]:
    """New communes that took in a former township (thị trấn): QĐ 51 group 1 candidates."""
    return {r[0] for r in con.execute(f"""
        SELECT DISTINCT m.post_code FROM unit_map m JOIN units u ON u.unit_id = m.pre_unit_id
        WHERE u.system = '{PRE}' AND u.unit_type = 'Thị trấn'""").fetchall()}


def year_2026(con, rows_2025: pd.DataFrame, seed: int = REFORM_SEED) -> pd.DataFrame:
    """The 2026 rows (QĐ 51/2025 criteria; the baseline review under NĐ 351/2025) that follow from the 2025
    rows on the new communes."""
    rng = np.random.default_rng(seed)
    attrs = con.execute(f"SELECT commune_code, em_region FROM {figures_sql('new')} f WHERE f.year = 2025").df()
    region = dict(zip(attrs["commune_code"], attrs["em_region"]))
    towns = _township_communes(con)
    out = rows_2025.copy().reset_index(drop=True)
    out["year"] = 2026
    out["households"] = np.round(out["households"].to_numpy(float) * 1.01).astype(int)
    out["population"] = np.round(out["population"].to_numpy(float) * 1.008).astype(int)
    out["ethnic_minority_households"] = np.round(out["ethnic_minority_households"].fillna(0).to_numpy(float) * 1.01).astype(int)
    _remeasure_2026(out, rows_2025.reset_index(drop=True), np.random.default_rng([seed, 351]))
    out["income_per_capita"] = out["income_per_capita"] * 1.08
    out["poverty_standard"] = poverty_standard_for_year(2026)     # the review of 2026: the new lines [U]
    out["criteria_set"] = QD51
    _assess_2026(out, region, towns, rng)
    return out


def _remeasure_2026(out: pd.DataFrame, rows_2025: pd.DataFrame, rng: np.random.Generator) -> None:
    """Poor, near-poor and EM poor households of the 2026 baseline review (in place): each province's
    end-2025 counts re-measured under the new lines (`REMEASURED_2026`), spread over its communes by their
    poor and near-poor of 2025 (the households the higher line reaches); no flows — escaped, fell back,
    newly poor and near-poor become poor are not compared across two standards (left empty, as in the 2021
    baseline)."""
    hh = out["households"].to_numpy(int)
    poor25 = rows_2025["poor_households"].fillna(0).to_numpy(float)
    near25 = rows_2025["near_poor_households"].fillna(0).to_numpy(float)
    poor, near = np.zeros(len(out), int), np.zeros(len(out), int)
    for province, idx in out.groupby("province_code").indices.items():
        r = REMEASURED_2026.get(province, Remeasure(1.7, 1.5))
        p, n, h = poor25[idx], near25[idx], hh[idx]
        want = max(round(p.sum() * r.poor), round(h.sum() * r.poor_rate_floor / 100))
        cap = np.where(p > 0, MAX_GROWTH_2026 * p, h)
        poor[idx] = allocate_capped(want, (p + 0.25 * n) * rng.lognormal(0, 0.15, len(idx)), np.minimum(cap, h))
        cap = np.where(n > 0, MAX_GROWTH_2026 * n, h - poor[idx])
        near[idx] = allocate_capped(round(n.sum() * r.near_poor), (n + 0.5 * p) * rng.lognormal(0, 0.15, len(idx)),
                                    np.minimum(cap, h - poor[idx]))
    em_hh = out["ethnic_minority_households"].to_numpy(float)
    em25 = rows_2025["ethnic_minority_poor_households"].fillna(0).to_numpy(float)
    # The EM share of the poor: the commune's of 2025, or (no poor then) its EM household share, raised
    # as the old-unit demo does (EM households are poorer).
    share = np.where(poor25 > 0, em25 / np.maximum(poor25, 1), np.clip(em_hh / np.maximum(hh, 1), 0, 1) ** 0.35)
    out["poor_households"], out["near_poor_households"] = poor, near
    out["ethnic_minority_poor_households"] = np.minimum(np.minimum(np.round(poor * share), poor), em_hh).astype(int)
    for col in FLOW_COLUMNS:
        out[col] = pd.array([pd.NA] * len(out), dtype="Int64")


def commune_group(em_region: str | None, took_in_township: bool) -> int:
    """QĐ 51/2025 commune group: 3 for an EM&MN region II or III commune, 1 for a commune that took in a
    former township (next to an urban area: the demo's stand-in for the group 1 conditions), else 2."""
    return 3 if em_region in ("II", "III") else 1 if took_in_township else 2


def _assess_2026(out: pd.DataFrame, region: dict, towns: set[str], rng: np.random.Generator) -> None:
    """Statuses, criterion flags and commune groups under QĐ 51/2025 (in place). Recognition starts anew
    (`data/criteria_sets.csv`, docs/domain.md §1.9): in its first year a province recognises the share
    `FIRST_YEAR_SHARE` of its rural communes — the readiest, meeting all ten criteria at their group's level,
    recognition year 2026; every other commune misses one or more criteria and is not recognised, whatever
    it held under the 2021–2025 criteria (its 2025 row keeps that history)."""
    cset = criteria_set(QD51)
    rural = out["ntm_status"].notna().to_numpy()
    was = out["ntm_status"].to_numpy()
    met25 = out["criteria_met"].fillna(0).to_numpy(float)
    level = np.array([{"advanced": 0.25, "model": 0.4}.get(w, 0.0) for w in was])
    readiness = met25 / 19 + 0.4 * pd.Series(was).isin(list(RECOGNISED)).to_numpy() + level + rng.normal(0, 0.25, len(out))
    recognised = _first_recognitions(out, rural, readiness)
    weights = np.array([DIFFICULTY_51[c] for c in cset.criteria])
    statuses, counts, flags, groups = [], [], [], []
    for i, code in enumerate(out["commune_code"]):
        if not rural[i]:
            statuses.append(None), counts.append(None), flags.append({}), groups.append(None)
            continue
        pin = PINS_2026.get(code)
        if pin:
            status, failed = pin.status, list(pin.failed)
        else:
            status, failed = _draw(was[i], i in recognised, weights, cset.criteria, rng)
        flags.append({c: c not in failed for c in cset.criteria})
        statuses.append(status)
        counts.append(cset.n_criteria - len(failed))
        groups.append(commune_group(region.get(code), code in towns))
    out["ntm_status"] = statuses
    out["criteria_met"] = pd.array(counts, dtype="Int64")
    out["commune_group"] = pd.array(groups, dtype="Int64")
    out["ntm_recognition_year"] = pd.array(np.where(out["ntm_status"].isin(list(RECOGNISED)), 2026, None),
                                           dtype="Int64")
    for c in CRITERIA:
        out[c] = pd.array([f.get(c) if f else None for f in flags], dtype="boolean")


def _first_recognitions(out: pd.DataFrame, rural: np.ndarray, readiness: np.ndarray) -> set[int]:
    """Row positions of the communes each province recognises in 2026: the pinned story communes, then the
    readiest others up to `FIRST_YEAR_SHARE` of its rural communes."""
    chosen: set[int] = set()
    for province, idx in out.groupby("province_code").indices.items():
        idx = [i for i in idx if rural[i]]
        pinned = [i for i in idx if out["commune_code"].iloc[i] in PINS_2026]
        chosen |= {i for i in pinned if PINS_2026[out["commune_code"].iloc[i]].status in RECOGNISED}
        want = round(FIRST_YEAR_SHARE.get(province, 0.1) * len(idx))
        free = sorted((i for i in idx if i not in pinned), key=lambda i: -readiness[i])
        chosen |= set(free[:max(want - len(chosen & set(idx)), 0)])
    return chosen


def _draw(was, recognised: bool, weights: np.ndarray, criteria: tuple[str, ...],
          rng: np.random.Generator) -> tuple[str, list[str]]:
    """A commune's 2026 status and failed criteria (demo rules, not the law): a commune recognised this
    year meets all ten (a few former advanced or model communes enter the modern pilot); the others miss
    a few, fewer when they were recognised under the 2021–2025 criteria."""
    if recognised:
        return ("modern" if was == "model" and rng.random() < 0.15 else "standard"), []
    n_failed = int(rng.choice([1, 2, 3, 4], p=[0.4, 0.3, 0.2, 0.1])) if was in RECOGNISED else int(rng.integers(2, 7))
    order = list(rng.choice(len(criteria), size=len(criteria), replace=False, p=weights / weights.sum()))
    return "none", [criteria[j] for j in order[:n_failed]]


def reform_rows(con, provinces: tuple[str, ...]) -> dict[int, pd.DataFrame]:
    """The demo batches on the new units: {2025: merged rows, 2026: QĐ 51 rows}."""
    rows25 = merged_2025(con, provinces)
    return {2025: rows25, 2026: year_2026(con, rows25)}


def new_provinces(con, old: tuple[str, ...]) -> tuple[str, ...]:
    """The new provinces the old demo provinces went into."""
    return tuple(r[0] for r in con.execute(
        "SELECT DISTINCT post_province_code FROM unit_map WHERE pre_province_code IN (SELECT unnest(?)) ORDER BY 1",
        [list(old)]).fetchall())

