"""National-scale synthetic yearly files (all ~10,000 pre-reform communes) in the upload format
(`ntm.domain.columns`), for benchmarks and load tests. Seeded and labelled synthetic; not demo stories."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ntm.domain.columns import COLUMNS
from ntm.domain.rules import CRITERIA
from ntm.domain.units import PRE
from ntm.store.unit_list import legacy_units

SYNTH_SEED = 7

# Canonical upload columns, in file order.
UPLOAD_COLUMNS = [c.name for c in COLUMNS]


def parse_years(text: str) -> list[int]:
    """'2021-2025' or '2021,2023' → list of years."""
    years: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            years.extend(range(int(a), int(b) + 1))
        else:
            years.append(int(part))
    return years


def national_frames(years: list[int], seed: int = SYNTH_SEED) -> dict[int, pd.DataFrame]:
    """One upload-shaped DataFrame per year for every commune of the pre-reform list."""
    units = legacy_units()
    c = units[(units.level == "commune") & (units.system == PRE)].sort_values("code").reset_index(drop=True)
    names = units.set_index(["level", "code"])["name"]
    district = c.district_code.map(lambda d: names.get(("district", d)))
    province = c.province_code.map(lambda p: names.get(("province", p)))
    rng = np.random.default_rng(seed)
    n = len(c)
    rural = c.is_rural.to_numpy(bool)
    households = rng.integers(600, 4500, n)
    poor_rate = np.clip(rng.lognormal(np.log(0.04), 1.0, n), 0, 0.7)
    readiness = rng.normal(0, 1, n)
    order = np.argsort(rng.random((n, len(CRITERIA))), axis=1)
    frames, prev_poor = {}, None
    for k, year in enumerate(years):
        households = np.round(households * rng.normal(1.012, 0.004, n)).astype(int)
        poor = np.round(households * poor_rate * (0.8 ** k)).astype(int)
        near = np.minimum(np.round(households * poor_rate * 0.7 * (0.85 ** k)).astype(int), households - poor)
        if prev_poor is None:
            esc = fb = new = np.zeros(n, dtype=int)
        else:
            fb = np.round(prev_poor * 0.002).astype(int)
            new = np.round(prev_poor * 0.03).astype(int)
            esc = np.maximum(prev_poor + fb + new - poor, 0)
        failed = np.clip(np.round(3 - readiness - 0.5 * k + rng.normal(0, 1, n)), 0, 12).astype(int)
        status = np.where(failed == 0, np.where(readiness > 1.2, "advanced", "standard"), "none")
        flags = order >= failed[:, None]  # criterion j failed when its rank is below the failed count
        df = pd.DataFrame({
            "year": year, "commune_code": c.code, "commune_name": c.name, "district_name": district,
            "province_name": province, "households": households,
            "population": np.round(households * 3.7).astype(int), "poor_households": poor,
            "near_poor_households": near,
            "escaped_poverty": esc if prev_poor is not None else pd.NA,
            "fell_back_into_poverty": fb if prev_poor is not None else pd.NA,
            "newly_poor": new if prev_poor is not None else pd.NA,
            "ethnic_minority_households": np.round(households * 0.15).astype(int),
            "ethnic_minority_poor_households": np.round(poor * 0.5).astype(int),
            "income_per_capita": np.round(rng.normal(45, 10, n) * (1.08 ** k), 1),
            "ntm_status": np.where(rural, status, ""),
            "ntm_recognition_year": np.where(rural & (status != "none"), year - 1, pd.NA),
            "criteria_met": np.where(rural, 19 - failed, pd.NA),
        })
        for j, col in enumerate(CRITERIA):
            df[col] = np.where(rural, flags[:, j].astype(int), pd.NA)
        frames[year] = df[UPLOAD_COLUMNS]
        prev_poor = poor
    return frames


def write_national_files(years: list[int], out: Path, seed: int = SYNTH_SEED) -> list[Path]:
    """Write `communes_<year>.csv` (UTF-8, comma) for each year into `out`; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for year, df in national_frames(years, seed).items():
        p = out / f"synthetic_communes_{year}.csv"
        df.to_csv(p, index=False)
        paths.append(p)
    return paths
