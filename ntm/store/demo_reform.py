"""DEMO data through the 2025 reform, for the new Quảng Ngãi (with old Kon Tum), Thanh Hóa and Quảng Ninh
on their real new communes:

- 2025 on the new communes: the old-unit 2025 demo figures merged onto the new communes with the
  crosswalk's rules (`ntm.store.figures`: counts summed, a level kept only when every predecessor had it,
  CV 5424), loaded as a batch that supersedes the old-unit 2025 batch (which is kept: a rollback brings
  it back) — the 2025 review ran on the new communes.
- 2026 on the QĐ 51/2025 criteria (10 criteria, commune groups 1–3, the "NTM hiện đại" pilot): poverty
  keeps falling, recognised communes are assessed against the tougher criteria, a few reach the pilot.

Stories (docs/domain.md §9.6): Kon Tum's four communes at risk in 2023–2024 went into three new communes
that keep their recognition (all their predecessors were NTM): the new Ia Chim (with Đăk Năng and Đoàn
Kết) meets all ten criteria in 2026, the new Đăk Pék (with the Đăk Glei township) nine, and the new Đăk
Môn (Đắk Môn with Đắk Kroong) only seven — at risk under the default 2026–2030 rule. Ngọc Hồi's area
(the NTM district of 2024) became Bờ Y, Dục Nông and Sa Loong: all NTM in 2026, Bờ Y in the modern pilot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm.domain.criteria import QD51, criteria_set
from ntm.domain.columns import FIGURE_COLUMNS
from ntm.domain.rules import CRITERIA, RECOGNISED
from ntm.domain.units import PRE
from ntm.store.figures import figures_sql

REFORM_SEED = 20260215
# Province → share of last year's poor households still poor at the end of 2026.
POOR_KEPT_2026 = {"51": 0.66, "38": 0.64, "22": 0.5}
# How hard each QĐ 51 criterion is to reach (weights, not rules).
DIFFICULTY_51 = {"c01": 0.5, "c02": 2, "c03": 3, "c04": 2, "c05": 1.5, "c06": 2.5, "c07": 3, "c08": 2.5,
                 "c09": 1, "c10": 0.5}


@dataclass(frozen=True)
class Pin2026:
    """A story commune's 2026 assessment under QĐ 51/2025."""

    status: str
    failed: tuple[str, ...] = ()


PINS_2026 = {
    "23326": Pin2026("standard"),                           # new Ia Chim
    "23341": Pin2026("standard", ("c07",)),                 # new Đăk Pék
    "23374": Pin2026("standard", ("c03", "c06", "c08")),    # new Đăk Môn: at risk (a key criterion among 3)
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
    """The 2026 rows (QĐ 51/2025) that follow from the 2025 rows on the new communes."""
    rng = np.random.default_rng(seed)
    attrs = con.execute(f"SELECT commune_code, em_region FROM {figures_sql('new')} f WHERE f.year = 2025").df()
    region = dict(zip(attrs["commune_code"], attrs["em_region"]))
    towns = _township_communes(con)
    out = rows_2025.copy().reset_index(drop=True)
    out["year"] = 2026
    n = len(out)
    kept = out["province_code"].map(POOR_KEPT_2026).fillna(0.65).to_numpy()
    poor25 = out["poor_households"].fillna(0).to_numpy(float)
    noise = rng.normal(1.0, 0.08, n).clip(0.75, 1.25)
    poor26 = np.floor(poor25 * kept * noise).astype(int)
    fell_back = np.floor(poor25 * rng.uniform(0.0, 0.006, n)).astype(int)
    newly = np.floor(poor25 * rng.uniform(0.02, 0.06, n)).astype(int)
    escaped = np.maximum(poor25.astype(int) - poor26 + fell_back + newly, 0)
    out["poor_households"] = poor26
    out["escaped_poverty"], out["fell_back_into_poverty"], out["newly_poor"] = escaped, fell_back, newly
    if "near_poor_to_poor" in out:
        out["near_poor_to_poor"] = pd.NA          # the merged provinces' 2026 files do not report it
    out["households"] = np.round(out["households"].to_numpy(float) * 1.01).astype(int)
    out["population"] = np.round(out["population"].to_numpy(float) * 1.008).astype(int)
    out["near_poor_households"] = np.floor(out["near_poor_households"].fillna(0).to_numpy(float) * 0.85).astype(int)
    share_em = np.where(poor25 > 0, out["ethnic_minority_poor_households"].fillna(0).to_numpy(float) / np.maximum(poor25, 1), 0)
    out["ethnic_minority_poor_households"] = np.minimum(np.round(poor26 * share_em), poor26).astype(int)
    out["ethnic_minority_households"] = np.round(out["ethnic_minority_households"].fillna(0).to_numpy(float) * 1.01).astype(int)
    out["income_per_capita"] = out["income_per_capita"] * 1.08
    out["poverty_standard"] = "ND07_2021"
    out["criteria_set"] = QD51
    _assess_2026(out, region, towns, rng)
    return out


def _assess_2026(out: pd.DataFrame, region: dict, towns: set[str], rng: np.random.Generator) -> None:
    """Statuses, criterion flags and commune groups under QĐ 51/2025 (in place)."""
    cset = criteria_set(QD51)
    rural = out["ntm_status"].notna().to_numpy()
    was = out["ntm_status"].to_numpy()
    met25 = out["criteria_met"].fillna(0).to_numpy(float)
    statuses, counts, flags, groups = [], [], [], []
    weights = np.array([DIFFICULTY_51[c] for c in cset.criteria])
    for i, code in enumerate(out["commune_code"]):
        if not rural[i]:
            statuses.append(None), counts.append(None), flags.append({}), groups.append(None)
            continue
        pin = PINS_2026.get(code)
        if pin:
            status, failed = pin.status, list(pin.failed)
        else:
            status, failed = _draw(was[i], met25[i], weights, cset.criteria, rng)
        flags.append({c: c not in failed for c in cset.criteria})
        statuses.append(status)
        counts.append(cset.n_criteria - len(failed))
        groups.append(3 if region.get(code) in ("II", "III") else 1 if code in towns else 2)
    out["ntm_status"] = statuses
    out["criteria_met"] = pd.array(counts, dtype="Int64")
    out["commune_group"] = pd.array(groups, dtype="Int64")
    recognised_now = out["ntm_status"].isin(list(RECOGNISED))
    new = recognised_now & ~pd.Series(was).isin(list(RECOGNISED))
    out.loc[new, "ntm_recognition_year"] = 2026
    out.loc[~recognised_now, "ntm_recognition_year"] = None
    for c in CRITERIA:
        out[c] = pd.array([f.get(c) if f else None for f in flags], dtype="boolean")


def _draw(was, met25: float, weights: np.ndarray, criteria: tuple[str, ...],
          rng: np.random.Generator) -> tuple[str, list[str]]:
    """A commune's 2026 status and failed criteria from its 2025 standing (demo rules, not the law)."""
    if was in RECOGNISED:
        n_failed = int(rng.choice([0, 1, 2, 3], p=[0.62, 0.22, 0.11, 0.05]))
        status = "modern" if was in ("advanced", "model") and n_failed == 0 and rng.random() < 0.3 else "standard"
    elif met25 >= 17 and rng.random() < 0.35:
        n_failed, status = 0, "standard"
    else:
        n_failed, status = int(rng.integers(2, 7)), "none"
    order = list(rng.choice(len(criteria), size=len(criteria), replace=False, p=weights / weights.sum()))
    return status, [criteria[j] for j in order[:n_failed]]


def reform_rows(con, provinces: tuple[str, ...]) -> dict[int, pd.DataFrame]:
    """The demo batches on the new units: {2025: merged rows, 2026: QĐ 51 rows}."""
    rows25 = merged_2025(con, provinces)
    return {2025: rows25, 2026: year_2026(con, rows25)}


def new_provinces(con, old: tuple[str, ...]) -> tuple[str, ...]:
    """The new provinces the old demo provinces went into."""
    return tuple(r[0] for r in con.execute(
        "SELECT DISTINCT post_province_code FROM unit_map WHERE pre_province_code IN (SELECT unnest(?)) ORDER BY 1",
        [list(old)]).fetchall())

