"""National-scale synthetic yearly files in the upload format (`ntm.domain.columns`), for benchmarks and load
tests, across the reform: years before 2025 on all 10,035 pre-reform communes; 2025 on the 3,321 new
communes, the old communes' 2025 figures summed through the crosswalk (default successor); 2026 on the
new communes under the QĐ 51/2025 criteria. Seeded and labelled synthetic; not demo stories.

Every row is possible: the poverty flows balance exactly (poor = last year's poor − escaped + fell back
+ newly poor; escapes at most last year's poor, inflows at most this year's) — except in the first review
under a new poverty standard (2021: NĐ 07/2021; 2026: NĐ 351/2025, docs/domain.md §2.7), a baseline whose
poor and near-poor households are re-measured under the higher lines (more of them) and which reports no
flows, as they are not compared across two standards —, a commune keeps its
recognition once it has it and meets all criteria of its set in its recognition year, and recognition
under QĐ 51/2025 starts anew (recognition year 2026 or later, `data/criteria_sets.csv`). The files
know no EM region, so the QĐ 51 commune group (group 3 = region II/III) is left empty."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ntm.domain.columns import BY_NAME, COLUMNS, COUNTS
from ntm.domain.criteria import QD51, QD318, criteria_set
from ntm.domain.periods import poverty_standard_for_year
from ntm.domain.rules import CRITERIA, STATUS_LADDER
from ntm.domain.units import POST, PRE, REFORM_YEAR
from ntm.store.crosswalk import build_crosswalk
from ntm.store.unit_list import build_units, legacy_units

SYNTH_SEED = 7

# Canonical upload columns, in file order.
UPLOAD_COLUMNS = [c.name for c in COLUMNS]
# Incomes drawn well inside the plausible band the upload checks (million VND per person per year).
INCOME_BAND = (2 * BY_NAME["income_per_capita"].plausible[0], BY_NAME["income_per_capita"].plausible[1] / 2)
# The first review under a higher poverty line finds more households: poor and near-poor against the year before.
REMEASURED = (1.7, 1.5)
FLOW_COLUMNS = ("escaped_poverty", "fell_back_into_poverty", "newly_poor", "near_poor_to_poor")


def new_standard(year: int) -> bool:
    """Whether `year`'s review is the first under another national poverty standard than the year before's:
    a baseline, with no flows (docs/domain.md §2.7)."""
    return poverty_standard_for_year(year) != poverty_standard_for_year(year - 1)


def possible_flows(prev: np.ndarray, poor: np.ndarray, fell_back: np.ndarray,
                   newly: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(escaped, fell back, newly poor) that balance exactly with last year's and this year's poor: growth
    comes from newly poor households, and inflows never exceed this year's poor (so escapes never exceed
    last year's)."""
    prev, poor = np.asarray(prev, dtype=int), np.asarray(poor, dtype=int)
    fell_back = np.minimum(np.asarray(fell_back, dtype=int), poor)
    newly = np.clip(np.maximum(np.asarray(newly, dtype=int), poor - prev - fell_back), 0, poor - fell_back)
    return prev + fell_back + newly - poor, fell_back, newly


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
    """One upload-shaped DataFrame per year: the pre-reform communes before 2025, the new communes from
    2025 (see the module docstring)."""
    old_years = sorted({y for y in years if y < REFORM_YEAR} | ({REFORM_YEAR} if max(years) >= REFORM_YEAR else set()))
    frames = _old_frames(old_years, seed)
    if max(years) >= REFORM_YEAR:
        units, lineage = build_units()
        merged = _merge_onto_new(frames.pop(REFORM_YEAR), units, lineage)
        frames[REFORM_YEAR] = merged
        rng = np.random.default_rng(seed + 1)
        prev = merged
        for year in range(REFORM_YEAR + 1, max(years) + 1):
            frames[year] = prev = _next_new_year(prev, year, rng)
    return {y: frames[y] for y in years}


def _merge_onto_new(old: pd.DataFrame, units: pd.DataFrame, lineage: pd.DataFrame) -> pd.DataFrame:
    """A year of old-commune figures summed onto the new communes (statuses: the lowest of the
    predecessors that hold one; criteria met only when all met them); the new communes without a
    predecessor (the special zones made of former island districts) get figures of their own."""
    unit_map, _ = build_crosswalk(units, lineage, pd.DataFrame(columns=["old_code", "new_code", "weight", "source"]))
    current = unit_map[~unit_map["pre_unit_id"].str.contains("@")].drop_duplicates("pre_code")
    df = old.merge(current[["pre_code", "post_code"]], left_on="commune_code", right_on="pre_code")
    rank = df["ntm_status"].map({s: i for i, s in enumerate(STATUS_LADDER)})
    df = df.assign(_rank=rank)
    g = df.groupby("post_code")
    out = g[list(COUNTS)].sum(min_count=1)
    out["income_per_capita"] = g["income_per_capita"].mean().round(1)
    low = g["_rank"].min()
    out["ntm_status"] = low.map(lambda r: None if pd.isna(r) else STATUS_LADDER[int(r)])
    out["ntm_recognition_year"] = g["ntm_recognition_year"].max().where(low > 0)
    for col in CRITERIA:
        out[col] = g[col].min().where(low.notna())
    out["criteria_met"] = out[list(CRITERIA)].sum(axis=1).where(low.notna())
    post = units[(units["system"] == POST) & (units["level"] == "commune")].set_index("code")
    provinces = units[(units["system"] == POST) & (units["level"] == "province")].set_index("code")["name"]
    out = out.reindex(post.index.sort_values())
    lonely = out["households"].isna()
    out.loc[lonely, ["households", "population", "poor_households", "near_poor_households",
                     "ethnic_minority_households", "ethnic_minority_poor_households"]] = [3000, 11000, 30, 60, 0, 0]
    rural = post["unit_type"].eq("Xã").reindex(out.index)
    out.loc[~rural, ["ntm_status", "ntm_recognition_year", "criteria_met", *CRITERIA]] = None
    out = out.reset_index().rename(columns={"code": "commune_code", "index": "commune_code"})
    out["commune_name"] = out["commune_code"].map(post["name"])
    out["province_name"] = out["commune_code"].map(post["province_code"]).map(provinces)
    out["district_name"] = None
    out["year"] = REFORM_YEAR
    out["criteria_set"] = QD318
    out["commune_group"] = None
    return out.reindex(columns=UPLOAD_COLUMNS)            # optional columns not reported stay empty


def _next_new_year(prev: pd.DataFrame, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """The next year on the new communes, assessed against the QĐ 51/2025 criteria."""
    cset = criteria_set(QD51)
    df = prev.copy()
    n = len(df)
    rural = df["ntm_status"].notna().to_numpy()
    hh = np.round(df["households"].to_numpy(float) * rng.normal(1.012, 0.004, n)).astype(int)
    poor_prev = df["poor_households"].to_numpy(float)
    near_prev = df["near_poor_households"].to_numpy(float)
    em_prev = df["ethnic_minority_poor_households"].to_numpy(float)
    if new_standard(year):           # a baseline: re-measured under the new lines, no flows
        poor = np.minimum(np.round(poor_prev * REMEASURED[0] * rng.lognormal(0, 0.1, n)), hh).astype(int)
        near = np.round(near_prev * REMEASURED[1])
        em_poor = np.round(poor * np.where(poor_prev > 0, em_prev / np.maximum(poor_prev, 1), 0.5))
        for col in FLOW_COLUMNS:
            df[col] = pd.NA
    else:
        poor = np.round(poor_prev * 0.8).astype(int)
        near, em_poor = np.round(near_prev * 0.85), em_prev
        esc, fb, new = possible_flows(poor_prev, poor, np.round(poor_prev * 0.002), np.round(poor_prev * 0.03))
        df["escaped_poverty"], df["fell_back_into_poverty"], df["newly_poor"] = esc, fb, new
    df["households"], df["poor_households"] = hh, poor
    df["population"] = np.round(hh * 3.7).astype(int)
    df["near_poor_households"] = np.minimum(near, hh - poor).astype(int)
    df["ethnic_minority_poor_households"] = np.minimum(em_poor, poor).astype(int)
    # Recognition under QĐ 51/2025 starts anew: a commune is recognised the first year it meets all ten
    # criteria (fewer do in the first years) and keeps it; an earlier set's recognition does not count.
    held = (df["criteria_set"].eq(QD51) & df["ntm_status"].isin(list(cset.recognised))).to_numpy()
    was = df["ntm_status"].isin(["standard", "advanced", "model"]).to_numpy()
    failed = np.where(rural, np.clip(rng.poisson(np.where(held | was, 1.0, 2.2)), 0, 8), 0)
    new_now = rural & ~held & (failed == 0)
    status = np.where(held, df["ntm_status"].to_numpy(), np.where(new_now, "standard", "none"))
    status = np.where(new_now & was & (rng.random(n) < 0.05), "modern", status)
    order = np.argsort(rng.random((n, cset.n_criteria)), axis=1)
    flags = order >= failed[:, None]
    df["ntm_status"] = np.where(rural, status, None)
    since = pd.to_numeric(df["ntm_recognition_year"], errors="coerce").to_numpy()
    df["ntm_recognition_year"] = np.where(held, since, np.where(new_now, year, None))
    df["criteria_met"] = np.where(rural, cset.n_criteria - failed, None)
    for j, col in enumerate(CRITERIA):
        df[col] = np.where(rural, flags[:, j].astype(int), None) if j < cset.n_criteria else None
    df["commune_group"] = None
    df["criteria_set"] = QD51
    df["year"] = year
    return df.reindex(columns=UPLOAD_COLUMNS)


def _old_frames(years: list[int], seed: int) -> dict[int, pd.DataFrame]:
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
    before = rng.integers(years[0] - 8, years[0], n)   # recognised before the first file, in this year
    recognised = np.full(n, np.nan)                   # year of recognition (standard), of advanced
    advanced = np.full(n, np.nan)
    frames, prev_poor, lift = {}, None, np.ones(2)
    for k, year in enumerate(years):
        households = np.round(households * rng.normal(1.012, 0.004, n)).astype(int)
        baseline = prev_poor is None or new_standard(year)         # no flows: the first file, or a new standard
        if prev_poor is not None and baseline:
            lift = lift * REMEASURED
        poor = np.minimum(np.round(households * poor_rate * (0.8 ** k) * lift[0]), households).astype(int)
        near = np.minimum(np.round(households * poor_rate * 0.7 * (0.85 ** k) * lift[1]).astype(int), households - poor)
        if not baseline:
            esc, fb, new = possible_flows(prev_poor, poor, np.round(prev_poor * 0.002), np.round(prev_poor * 0.03))
        failed = np.clip(np.round(3 - readiness - 0.5 * k + rng.normal(0, 1, n)), 0, 12).astype(int)
        # Recognised (then advanced, when ready) the first year at all 19 criteria, and kept afterwards.
        full = rural & (failed == 0)
        advanced = np.where(full & ~np.isnan(recognised) & np.isnan(advanced) & (readiness > 1.2), year, advanced)
        recognised = np.where(full & np.isnan(recognised), before if k == 0 else year, recognised)
        status = np.where(~np.isnan(advanced), "advanced", np.where(~np.isnan(recognised), "standard", "none"))
        since = np.where(~np.isnan(advanced), advanced, recognised)
        flags = order >= failed[:, None]  # criterion j failed when its rank is below the failed count
        df = pd.DataFrame({
            "year": year, "commune_code": c.code, "commune_name": c.name, "district_name": district,
            "province_name": province, "households": households,
            "population": np.round(households * 3.7).astype(int), "poor_households": poor,
            "near_poor_households": near,
            "escaped_poverty": pd.NA if baseline else esc,
            "fell_back_into_poverty": pd.NA if baseline else fb,
            "newly_poor": pd.NA if baseline else new,
            "near_poor_to_poor": pd.NA,                    # optional: synthetic files do not report it
            "ethnic_minority_households": np.round(households * 0.15).astype(int),
            "ethnic_minority_poor_households": np.round(poor * 0.5).astype(int),
            "income_per_capita": np.round(np.clip(rng.normal(45, 10, n), *INCOME_BAND) * (1.08 ** k), 1),
            "ntm_status": np.where(rural, status, ""),
            "ntm_recognition_year": pd.array(np.where(rural & (status != "none"), since, np.nan), dtype="Int64"),
            "criteria_met": np.where(rural, 19 - failed, pd.NA),
            "criteria_set": QD318, "commune_group": pd.NA,
        })
        for j, col in enumerate(CRITERIA):
            df[col] = np.where(rural, flags[:, j].astype(int), pd.NA)
        frames[year] = df.reindex(columns=UPLOAD_COLUMNS)
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
