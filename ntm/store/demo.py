"""Deterministic (seeded) DEMO data for Kon Tum, Quảng Ngãi, Thanh Hóa and Quảng Ninh, 2021–2025 (districts
to 2024: they were abolished on 1 July 2025).

The figures are illustrative, generated on the real communes and codes so that they tell the stories of
the demo stories (docs/domain.md §9): the four Kon Tum communes at risk of revocation, Ngọc Hồi's district
target, Triệu Sơn's three communes aimed at advanced NTM in 2022, mountainous districts lagging lowland
ones, fall-back into poverty as its own series. Province totals are calibrated to the published figures
of docs/domain.md §4.3 where those exist. Every batch they are loaded in is flagged `is_demo`.

Shape of the plan for one province (`ProvincePlan`):
    poor_rate[year]        province poor-household rate (%), end of the year's review
    near_poor_rate[year]   near-poor rate (%)
    households[year]       province households
    flows[year]            optional exact (escaped, fell_back, newly_poor) province totals
    recognised[year]       rural communes recognised NTM at the end of the year (year 2020 = before 2021)
    advanced[year], model[year]
    pins                   story constraints per commune code
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from ntm.domain.rules import CRITERIA, RECOGNISED
from ntm.domain.units import PRE, REFORM_CHANGE, REFORM_YEAR, reference_date

SEED = 20240122
YEARS = (2021, 2022, 2023, 2024, 2025)
DEMO_LABEL = "DEMO — generated illustrative data (seed 20240122), not official figures"

# How hard each criterion is to reach; the hardest are failed first (weights, not rules).
DIFFICULTY = {"c01": 0.7, "c02": 3, "c03": 1.5, "c04": 0.7, "c05": 2, "c06": 2, "c07": 2, "c08": 1,
              "c09": 2, "c10": 5, "c11": 4, "c12": 3, "c13": 4, "c14": 3, "c15": 3, "c16": 1.5,
              "c17": 5, "c18": 1, "c19": 0.5}


@dataclass
class Pin:
    """Story constraints for one commune (years are end-of-year review years)."""

    recognised_by: int | None = None       # recognised NTM no later than this year
    recognised_in: int | None = None       # recognised exactly this year
    never_before: int | None = None        # not recognised before this year (9999 = never)
    advanced_in: int | None = None
    downgraded_in: int | None = None       # advanced → standard (criteria not maintained)
    revoked_in: int | None = None          # recognition revoked
    at_risk: tuple[int, ...] = ()          # years in which it stays recognised with ≥30% failed incl. a key one
    failed_first: tuple[str, ...] = ()     # criteria it fails first


@dataclass
class ProvincePlan:
    """What a demo province is calibrated to: yearly rates, households, flows and NTM counts, and the communes its stories pin."""

    code: str
    poor_rate: dict[int, float]
    near_poor_rate: dict[int, float]
    households: dict[int, int]
    recognised: dict[int, int]
    advanced: dict[int, int]
    model: dict[int, int]
    income: dict[int, float]
    em_share: tuple[float, float]          # EM household share (lowland, mountainous)
    flows: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)   # escaped, fell back, newly, near→poor
    reports_near_to_poor: bool = False     # the province reports near-poor households becoming poor
    pins: dict[str, Pin] = field(default_factory=dict)
    district_pins: dict[str, Pin] = field(default_factory=dict)
    ntm_districts: dict[int, int] = field(default_factory=dict)    # NTM districts at the end of each year (2025: their communes only)
    full_criteria: dict[int, int] = field(default_factory=dict)    # rural communes meeting all 19 criteria
    mountain_drop: dict[int, float] = field(default_factory=dict)  # pp fall of the mountain districts' poor rate


def _years(*values) -> dict[int, float]:
    return dict(zip(YEARS, values))


@lru_cache(maxsize=1)
def province_plans() -> dict[str, ProvincePlan]:
    """The calibration and story pins of the four demo provinces. Long because it is data: the published
    figures each demo province is calibrated to and the communes each story pins, kept together."""
    kon_tum = ProvincePlan(
        code="62",
        poor_rate=_years(15.32, 10.86, 6.84, 4.70, 3.10),
        near_poor_rate=_years(5.90, 6.03, 4.39, 3.90, 3.30),
        households=_years(143_531, 146_805, 149_415, 151_700, 154_000),
        flows={2022: (6_782, 13, 594, 169)},                # DOMAIN §2.4: the province's 2022 review
        reports_near_to_poor=True,
        full_criteria={2022: 38, 2023: 48},                 # at 19/19: 38 in 11/2022, 48 in 1/2024 (§4.3)
        recognised={2020: 33, 2021: 35, 2022: 36, 2023: 42, 2024: 48, 2025: 60},
        advanced={2020: 0, 2021: 1, 2022: 2, 2023: 4, 2024: 6, 2025: 9},
        model={2020: 0, 2021: 0, 2022: 0, 2023: 1, 2024: 1, 2025: 2},
        income=_years(33.0, 36.5, 40.0, 44.0, 48.0),
        em_share=(0.35, 0.85),
        pins={
            # Chỉ thị 05/CT-UBND (22/01/2024): four NTM communes with more than 30% of criteria not maintained.
            "23326": Pin(recognised_by=2020, at_risk=(2023, 2024), failed_first=("c17", "c13", "c11", "c12", "c14", "c15", "c02")),
            "23353": Pin(recognised_by=2020, at_risk=(2023, 2024), failed_first=("c10", "c11", "c13", "c17", "c15", "c02", "c12")),
            "23374": Pin(recognised_by=2020, at_risk=(2023, 2024), failed_first=("c17", "c10", "c11", "c13", "c14", "c12", "c09")),
            "23371": Pin(recognised_by=2020, at_risk=(2023, 2024), failed_first=("c10", "c17", "c13", "c11", "c15", "c14", "c06")),
        },
        district_pins={
            "611": Pin(recognised_by=2024),          # Ngọc Hồi: NTM district by end of 2024
            "615": Pin(recognised_by=2025),          # Đắk Hà
            "614": Pin(recognised_by=2025),          # Kon Rẫy
            "608": Pin(recognised_by=2025),          # TP Kon Tum
            "618": Pin(never_before=9999),           # Ia H'Drai: misses its 2025 target
        },
    )
    quang_ngai = ProvincePlan(
        code="51",
        poor_rate=_years(7.90, 6.40, 5.00, 3.60, 2.40),
        near_poor_rate=_years(6.20, 5.50, 4.70, 3.90, 3.20),
        households=_years(368_000, 372_500, 376_800, 381_000, 385_000),
        mountain_drop={2024: 7.0},                          # the five mountain districts: −7 pp in 2024 (§4.3)
        recognised={2020: 82, 2021: 86, 2022: 91, 2023: 97, 2024: 104, 2025: 110},
        advanced={2020: 4, 2021: 8, 2022: 13, 2023: 19, 2024: 26, 2025: 35},
        model={2020: 0, 2021: 0, 2022: 1, 2023: 2, 2024: 4, 2025: 6},
        income=_years(42.0, 46.0, 50.0, 54.5, 59.0),
        em_share=(0.02, 0.80),
        pins={"21373": Pin(recognised_by=2020, advanced_in=2022, downgraded_in=2024)},   # Hành Trung: advanced level not maintained
    )
    thanh_hoa = ProvincePlan(
        code="38",
        poor_rate=_years(5.20, 4.10, 3.00, 2.10, 1.40),
        near_poor_rate=_years(6.50, 5.60, 4.80, 4.00, 3.30),
        households=_years(1_052_000, 1_063_000, 1_074_000, 1_084_000, 1_094_000),
        recognised={2020: 330, 2021: 340, 2022: 350, 2023: 359, 2024: 368, 2025: 380},
        advanced={2020: 30, 2021: 40, 2022: 62, 2023: 81, 2024: 105, 2025: 125},
        model={2020: 2, 2021: 4, 2022: 8, 2023: 14, 2024: 24, 2025: 33},
        ntm_districts={2021: 8, 2022: 10, 2023: 12, 2024: 14, 2025: 16},   # 8 (6/2021), 12 (8/2023), 14 (Q1/2025)
        income=_years(44.0, 48.5, 53.0, 57.5, 62.0),
        em_share=(0.01, 0.65),
        pins={
            # Triệu Sơn, 15/01/2022: Tiến Nông, Xuân Thịnh, Hợp Thành to reach advanced NTM in 2022.
            "15730": Pin(recognised_by=2019, advanced_in=2022),
            "15682": Pin(recognised_by=2019, advanced_in=2022),
            "15736@2024-11-30": Pin(recognised_by=2019, advanced_in=2023),   # one year late
            "15739@2024-11-30": Pin(recognised_by=2019),
            # A mountainous commune that stopped maintaining its criteria and lost recognition in 2024.
            "15067": Pin(recognised_by=2020, at_risk=(2023,), revoked_in=2024,
                         failed_first=("c10", "c17", "c11", "c13", "c12", "c15", "c02", "c14", "c09", "c06")),
        },
    )
    quang_ninh = ProvincePlan(
        code="22",
        poor_rate=_years(0.85, 0.41, 0.0, 0.0, 0.0),       # no poor household (national standard) from end-2023
        near_poor_rate=_years(2.10, 1.48, 0.80, 0.55, 0.40),
        households=_years(368_500, 372_200, 376_000, 379_600, 383_000),
        recognised={2020: 74, 2021: 80, 2022: 86, 2023: 91, 2024: 91, 2025: 91},
        advanced={2020: 22, 2021: 30, 2022: 42, 2023: 52, 2024: 58, 2025: 63},
        model={2020: 6, 2021: 10, 2022: 18, 2023: 26, 2024: 30, 2025: 34},
        income=_years(60.0, 66.0, 73.3, 79.0, 85.0),
        em_share=(0.05, 0.75),
    )
    return {p.code: p for p in (kon_tum, quang_ngai, thanh_hoa, quang_ninh)}


# ---------------------------------------------------------------------------------------------
# Small allocation helpers

def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights, exactly (largest remainder)."""
    weights = np.clip(np.asarray(weights, dtype=float), 0, None)
    if total <= 0 or weights.sum() == 0:
        return np.zeros(len(weights), dtype=int)
    raw = weights / weights.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _solve_scale(households: np.ndarray, weights: np.ndarray, target: float, cap: float = 0.85) -> np.ndarray:
    """Commune rates min(cap, w·k) whose household-weighted total hits `target` poor households."""
    lo, hi = 0.0, 1.0
    while (np.minimum(cap, weights * hi) * households).sum() < target and hi < 1e6:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if (np.minimum(cap, weights * mid) * households).sum() < target:
            lo = mid
        else:
            hi = mid
    return np.minimum(cap, weights * hi)


# ---------------------------------------------------------------------------------------------
# Communes and their classes

def demo_communes(units: pd.DataFrame, attributes: pd.DataFrame, province: str) -> pd.DataFrame:
    """Pre-reform commune versions of one province with their district class and a stable order."""
    c = units[(units.system == PRE) & (units.level == "commune") & (units.province_code == province)].copy()
    attrs = attributes[attributes.level == "district"].set_index("code")
    c["mountainous"] = c.district_code.map(attrs["is_mountainous"]).fillna(False).astype(bool)
    c["island"] = c.district_code.map(attrs["is_island"]).fillna(False).astype(bool)
    c["poor_district"] = c.district_code.map(attrs["is_poor_district"]).fillna(False).astype(bool)
    c["pin_key"] = np.where(c.unit_id.str.contains("@"), c.unit_id.str.split(":").str[-1], c.code)
    return c.sort_values("unit_id").reset_index(drop=True)


def _alive(communes: pd.DataFrame, year: int) -> np.ndarray:
    ref = pd.Timestamp(reference_date(year, PRE))
    vf = pd.to_datetime(communes.valid_from)
    vt = pd.to_datetime(communes.valid_to)
    return ((vf.isna()) | (vf <= ref)).to_numpy() & ((vt.isna()) | (vt >= ref)).to_numpy()


def _poverty_weight(c: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    base = np.where(c.unit_type == "Phường", 0.08, np.where(c.unit_type == "Thị trấn", 0.25, 0.35))
    base = np.where(c.mountainous & c.is_rural, 1.8, base)
    base = np.where(c.poor_district & c.is_rural, 3.0, base)
    base = np.where(c.island, base * 0.8, base)
    return base * rng.lognormal(0, 0.35, len(c))


def _household_weight(c: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    base = np.where(c.unit_type == "Phường", 2.6, np.where(c.unit_type == "Thị trấn", 2.0, 1.0))
    base = np.where(c.mountainous & c.is_rural, 0.55, base)
    return base * rng.lognormal(0, 0.25, len(c))


# ---------------------------------------------------------------------------------------------
# Poverty

def poverty_panel(c: pd.DataFrame, plan: ProvincePlan, rng: np.random.Generator,
                  successors: dict[str, str] | None = None) -> pd.DataFrame:
    """Households, poor and near-poor stocks, flows, EM breakdown and income for every commune-year."""
    hh_w = _household_weight(c, rng)
    pov_w = _poverty_weight(c, rng)
    trend = rng.normal(0, 0.08, len(c))
    near_w = np.sqrt(pov_w) * rng.lognormal(0, 0.2, len(c))
    em_share = np.clip(np.where(c.mountainous, plan.em_share[1], plan.em_share[0])
                       * rng.lognormal(0, 0.25, len(c)), 0, 0.98)
    em_share = np.where(c.unit_type == "Phường", em_share * 0.4, em_share)
    income_w = np.where(c.mountainous & c.is_rural, 0.72, np.where(c.is_rural, 1.0, 1.25)) * rng.lognormal(0, 0.08, len(c))
    tol_h, tol_s = 5, 0.01
    out, prev_poor, mountain_rate = [], None, 0.0
    for i, year in enumerate(YEARS):
        alive = _alive(c, year)
        growth = rng.normal(1.0, 0.004, len(c))
        households = allocate(plan.households[year], hh_w * alive * growth)
        w = pov_w * np.exp(trend * i) * alive
        poor_target = round(plan.households[year] * plan.poor_rate[year] / 100)
        rates = _solve_scale(households, w, poor_target)
        poor = allocate(poor_target, rates * households)
        mountain = c.mountainous.to_numpy() & alive          # every unit of the mountain districts
        if year in plan.mountain_drop and prev_poor is not None:
            poor = _mountain_drop(poor_target, rates * households, households, mountain, mountain_rate,
                                  plan.mountain_drop[year])
        mountain_rate = 100 * poor[mountain].sum() / max(households[mountain].sum(), 1)
        near_target = round(plan.households[year] * plan.near_poor_rate[year] / 100)
        near = np.minimum(allocate(near_target, near_w * households * alive), households - poor)
        frame = pd.DataFrame({"unit_id": c.unit_id, "commune_code": c.code, "year": year,
                              "households": households, "poor_households": poor,
                              "near_poor_households": near})
        if prev_poor is not None:
            prev = _carry_over(c, prev_poor, successors or {})
            esc, fb, new, near_poor = _flows(prev, poor, plan.flows.get(year), tol_h, tol_s, rng, alive,
                                             plan.reports_near_to_poor)
            frame["escaped_poverty"], frame["fell_back_into_poverty"], frame["newly_poor"] = esc, fb, new
            frame["near_poor_to_poor"] = near_poor if plan.reports_near_to_poor else pd.NA
        else:
            frame["escaped_poverty"] = frame["fell_back_into_poverty"] = frame["newly_poor"] = pd.NA
            frame["near_poor_to_poor"] = pd.NA
        frame["ethnic_minority_households"] = np.floor(households * em_share).astype(int)
        em_poor_share = np.clip(em_share ** 0.35, 0, 1)
        frame["ethnic_minority_poor_households"] = np.minimum(np.round(poor * em_poor_share), poor).astype(int)
        frame["population"] = np.round(households * rng.normal(3.7, 0.25, len(c))).astype(int)
        frame["income_per_capita"] = np.round(plan.income[year] * income_w, 1)
        frame["poverty_standard"] = "ND07_2021"
        out.append(frame[alive])
        prev_poor = pd.Series(poor, index=c.unit_id)
    return pd.concat(out, ignore_index=True)


def _carry_over(c: pd.DataFrame, prev_poor: pd.Series, successors: dict[str, str]) -> np.ndarray:
    """Last year's poor per commune version; a commune formed by a merger starts from the sum of its
    predecessors' poor households."""
    carried = prev_poor.copy()
    for old, new in successors.items():
        if old in carried.index and new in carried.index and prev_poor.get(old, 0) > 0:
            carried[new] += prev_poor[old]
    return carried.reindex(c.unit_id).fillna(0).to_numpy().astype(int)


def _mountain_drop(total: int, weights: np.ndarray, households: np.ndarray, mountain: np.ndarray, before: float,
                   drop: float) -> np.ndarray:
    """Poor households per commune with the province total kept and the mountain communes' rate `drop`
    pp below last year's `before` (the rest of the province takes the difference)."""
    in_mountain = min(int(round(households[mountain].sum() * max(before - drop, 0) / 100)), total)
    poor = allocate(in_mountain, weights * mountain) + allocate(total - in_mountain, weights * ~mountain)
    return np.minimum(poor, households)


def _flows(prev: np.ndarray, poor: np.ndarray, exact: tuple[int, int, int, int] | None, tol_h: int,
           tol_s: float, rng: np.random.Generator, alive: np.ndarray, near_to_poor: bool = False):
    """Escaped / fell back / newly poor / near-poor become poor per commune. Every commune's flows are
    possible — escapes at most last year's poor, inflows at most this year's poor (none where no household
    is poor at the end) — and balance exactly: poor = prev − escaped + fell back + newly poor (+ near-poor
    → poor). Only a published province total that does not balance (Kon Tum 2022: off by 40) leaves
    gaps, spread within the flow tolerance."""
    prev, poor = prev * alive, poor * alive
    prev_total = int(prev.sum())
    if exact:
        esc_total, fb_total, new_total, near_total = exact
    else:
        fb_total = int(round(prev_total * 0.0012 + (1 if prev_total else 0)))
        new_total = int(round(prev_total * 0.026))
        near_total = int(round(prev_total * 0.008))
        esc_total = None
    if not near_to_poor:
        near_total = 0
    base = np.maximum(prev, poor) * alive + 0.5 * alive
    w_fb, w_new, w_near = (base * rng.uniform(0.5, 1.5, len(prev)) for _ in range(3))
    if esc_total is None:
        rng.uniform(-0.6, 0.6, len(prev))        # drawn as before, so the later draws keep their seeded values
    # Inflows per commune lie between the growth they must explain and this year's poor.
    low, high = np.maximum(poor - prev, 0), poor
    totals = np.array([fb_total, new_total, near_total])
    inflow_total = int(np.clip(totals.sum(), low.sum(), high.sum()))
    if inflow_total != totals.sum():
        totals = allocate(inflow_total, totals) if totals.sum() else np.array([0, inflow_total, 0])
    inflow = low + allocate_capped(inflow_total - int(low.sum()), w_new, high - low)
    fb = allocate_capped(int(totals[0]), w_fb, inflow)
    new = allocate_capped(int(totals[1]), w_new, inflow - fb)
    near = inflow - fb - new
    esc = prev + inflow - poor
    if esc_total is not None and esc_total != int(esc.sum()):
        # A published total that does not balance: the gap goes to escapes, a few households per commune.
        want = esc_total - int(esc.sum())
        tol = np.floor(np.maximum(tol_h, tol_s * prev) * 0.8).astype(int)
        room = np.minimum(tol, esc if want < 0 else prev - esc)
        esc = esc + np.sign(want) * allocate_capped(abs(want), base, room)
    return esc * alive, fb * alive, new * alive, near * alive


def allocate_capped(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights with no share above its cap (the total is cut to
    the caps' sum); where the weights leave no room, in proportion to the room left."""
    caps = np.maximum(np.asarray(caps, dtype=int), 0)
    total = min(int(total), int(caps.sum()))
    out = np.zeros(len(caps), dtype=int)
    while total > 0:
        room = caps - out
        w = np.where(room > 0, np.clip(weights, 0, None), 0.0)
        add = np.minimum(allocate(total, w if w.sum() > 0 else room.astype(float)), room)
        out += add
        total -= int(add.sum())
    return out


# ---------------------------------------------------------------------------------------------
# NTM status and criteria

def _assign_years(candidates: list[int], counts: dict[int, int], readiness: np.ndarray,
                  deadline: dict[int, int], earliest: dict[int, int], exact: dict[int, int]) -> dict[int, int]:
    """Year each candidate reaches a level so cumulative counts match, honouring the story pins."""
    years: dict[int, int] = {}
    for year in sorted(counts):
        have = sum(1 for y in years.values() if y <= year)
        must = [i for i in candidates if i not in years and (deadline.get(i, 9999) <= year or exact.get(i) == year)]
        for i in must:
            years[i] = year
        free = counts[year] - have - len(must)
        pool = [i for i in candidates if i not in years and earliest.get(i, 0) <= year
                and exact.get(i, year) <= year]
        pool.sort(key=lambda i: -readiness[i])
        for i in pool[:max(free, 0)]:
            years[i] = year
    return years


def ntm_panel(c: pd.DataFrame, plan: ProvincePlan, rng: np.random.Generator,
              successors: dict[str, str] | None = None) -> pd.DataFrame:
    """NTM status, recognition year and the 19 criterion flags for every rural commune-year."""
    rural = np.flatnonzero(c.is_rural.to_numpy())
    readiness = rng.normal(0, 1, len(c)) - 1.2 * c.mountainous.to_numpy() - 0.8 * c.poor_district.to_numpy()
    pins = {i: plan.pins.get(c.pin_key.iloc[i], Pin()) for i in rural}
    district_pins = {**_ntm_district_pins(c, plan, rural, readiness), **plan.district_pins}
    for i in rural:
        dpin = district_pins.get(c.district_code.iloc[i])
        if dpin and c.pin_key.iloc[i] not in plan.pins:
            pins[i] = dpin
    first_alive = {i: next((y for y in YEARS if _alive(c.iloc[[i]], y)[0]), 9999) for i in rural}
    ladder = _ladder_years(c, plan, rng, rural, readiness, pins, first_alive, district_pins)
    order = {i: _criteria_order(rng, pins[i].failed_first) for i in rural}
    rows = _status_rows(c, rural, pins, first_alive, ladder, readiness, order, rng, successors)
    return _meet_full_criteria(rows, c, plan, pins)


def _ntm_district_pins(c: pd.DataFrame, plan: ProvincePlan, rural, readiness) -> dict[str, Pin]:
    """Districts that become NTM so the province counts `plan.ntm_districts` at the end of each year:
    the readiest lowland districts first (all their communes recognised by that year)."""
    if not plan.ntm_districts:
        return {}
    codes = pd.Series([c.district_code.iloc[i] for i in rural])
    score = pd.Series([readiness[i] for i in rural]).groupby(codes).mean()
    mountain = pd.Series([bool(c.mountainous.iloc[i]) for i in rural]).groupby(codes).max()
    order = [d for d in score.sort_values(ascending=False).index if d not in plan.district_pins]
    order = [d for d in order if not mountain[d]] + [d for d in order if mountain[d]]
    pins, have = {}, 0
    for year, count in sorted(plan.ntm_districts.items()):
        while have < count and order:
            pins[order.pop(0)] = Pin(recognised_by=year if year > 2021 else 2020)
            have += 1
    return pins


def _meet_full_criteria(rows: pd.DataFrame, c: pd.DataFrame, plan: ProvincePlan, pins: dict) -> pd.DataFrame:
    """Rural communes at 19/19 in the years the province published it (`plan.full_criteria`): the
    communes closest to all 19 (not those a story keeps failing) meet them all; a commune meets all
    criteria before it is recognised, so the count may exceed the recognised ones."""
    rows = rows.copy()
    pinned = {c.unit_id.iloc[i] for i, p in pins.items() if p.at_risk or p.revoked_in}
    for year, want in plan.full_criteria.items():
        in_year = rows["year"] == year
        have = int((in_year & (rows["criteria_met"] == 19)).sum())
        if have < want:
            pool = rows[in_year & (rows["criteria_met"] < 19) & ~rows["unit_id"].isin(pinned)]
            take = pool.sort_values("criteria_met", ascending=False, kind="stable").index[:want - have]
            rows.loc[take, list(CRITERIA)] = True
            rows.loc[take, "criteria_met"] = 19
    return rows


def _ladder_years(c: pd.DataFrame, plan: ProvincePlan, rng: np.random.Generator, rural, readiness, pins: dict,
                  first_alive: dict, district_pins: dict[str, Pin]) -> dict[str, dict]:
    """The year each rural commune reaches each rung (recognised, advanced, model) and its recognition
    year ('since'), meeting the province's yearly counts, the pins and the district targets."""
    deadline = {i: p.recognised_by for i, p in pins.items() if p.recognised_by}
    exact = {i: p.recognised_in for i, p in pins.items() if p.recognised_in}
    earliest = {i: p.never_before for i, p in pins.items() if p.never_before}
    # A district target met exactly in its year: its last commune is recognised in that year.
    for code, dpin in district_pins.items():
        if dpin.recognised_by and dpin.recognised_by > 2020:
            members = [i for i in rural if c.district_code.iloc[i] == code and c.pin_key.iloc[i] not in plan.pins]
            if members:
                last = min(members, key=lambda i: readiness[i])
                exact[last] = dpin.recognised_by
                earliest[last] = dpin.recognised_by
    # Communes formed by a merger take their status from their predecessors (see _inherit_merged).
    candidates = [i for i in rural if first_alive[i] == 2021]
    recognised = _assign_years(candidates, plan.recognised, readiness, deadline, earliest, exact)
    since = {i: (y if y > 2020 else int(rng.integers(2013, 2021))) for i, y in recognised.items()}
    adv_pins = {i: p.advanced_in for i, p in pins.items() if p.advanced_in}
    adv_pool = [i for i in recognised if not pins[i].revoked_in]
    adv_earliest = {i: recognised[i] + 1 for i in adv_pool}
    advanced = _assign_years(adv_pool, plan.advanced, readiness, {}, adv_earliest, adv_pins)
    for i, y in adv_pins.items():
        advanced[i] = y
    if plan.code == "38":
        _trieu_son_2022(c, adv_pool, advanced, adv_pins, recognised, readiness)
    model = _assign_years(list(advanced), plan.model, readiness, {},
                          {i: advanced[i] + 1 for i in advanced}, {})
    return {"recognised": recognised, "since": since, "advanced": advanced, "model": model}


def _trieu_son_2022(c: pd.DataFrame, pool: list[int], advanced: dict[int, int], pins: dict[int, int],
                    recognised: dict[int, int], readiness) -> None:
    """Triệu Sơn reaches advanced NTM in exactly 6 more communes in 2022, against its target of 8 (the
    story of docs/domain.md §9.5): the readiest recognised communes move up, the surplus a year later."""
    alive = {i for i in pool if c.district_code.iloc[i] == "397" and _alive(c.iloc[[i]], 2022)[0]}
    new = sorted((i for i in alive if advanced.get(i) == 2022), key=lambda i: (i in pins, readiness[i]))
    for i in new[:max(len(new) - 6, 0)]:
        if i not in pins:
            advanced[i] = 2023
    have = sum(1 for i in alive if advanced.get(i) == 2022)
    extra = [i for i in alive if i not in advanced and recognised[i] < 2022]
    for i in sorted(extra, key=lambda i: -readiness[i])[:max(6 - have, 0)]:
        advanced[i] = 2022


def _status_rows(c: pd.DataFrame, rural, pins: dict, first_alive: dict, ladder: dict, readiness, order: dict,
                 rng: np.random.Generator, successors: dict[str, str] | None) -> pd.DataFrame:
    """One row per rural commune and year alive: its status, recognition year and criterion flags (a
    commune formed by a merger starts from its predecessors' statuses, acknowledged in its first year). A
    commune meets all 19 criteria in the year it is recognised at a level."""
    since, advanced = ladder["since"], ladder["advanced"]
    rows, status_of = [], {}
    predecessors: dict[str, list[str]] = {}
    for old, new in (successors or {}).items():
        predecessors.setdefault(new, []).append(old)
    for year in YEARS:
        alive = _alive(c, year)
        for i in rural:
            if not alive[i]:
                continue
            p = pins[i]
            uid = c.unit_id.iloc[i]
            if first_alive[i] > 2021 and year == first_alive[i]:
                status, year_of = merged_status([status_of.get((u, year - 1)) for u in predecessors.get(uid, [])]), year
                since[i] = year
                if status in ("advanced", "model"):
                    advanced[i] = year
            else:
                status, year_of = _status(i, year, since, advanced, ladder["model"], p)
            status_of[(uid, year)] = status
            failed = _failed_count(i, year, status, ladder["recognised"], readiness, p, rng)
            if year_of == year:
                failed = 0              # recognised at a level this year: all 19 criteria met (docs/domain.md §6.7)
            flags = {k: True for k in CRITERIA}
            for k in order[i][:failed]:
                flags[k] = False
            rows.append({"unit_id": c.unit_id.iloc[i], "year": year, "ntm_status": status,
                         "ntm_recognition_year": year_of, "criteria_met": 19 - failed, **flags})
    return pd.DataFrame(rows)


def merged_status(predecessor_statuses: list[str | None]) -> str:
    """Status of a commune formed by a merger (CV 5424/BNN-VPĐP): the level all predecessors share;
    with mixed levels the new unit keeps the lowest until it is re-assessed."""
    known = [s or "none" for s in predecessor_statuses] or ["none"]
    return min(known, key=lambda s: ("none", "standard", "advanced", "model").index(s))


def _status(i, year, since, advanced, model, pin: Pin) -> tuple[str, int | None]:
    if pin.revoked_in and year >= pin.revoked_in:
        return "none", None
    if model.get(i, 9999) <= year:
        return "model", model[i]
    if advanced.get(i, 9999) <= year and not (pin.downgraded_in and year >= pin.downgraded_in):
        return "advanced", advanced[i]
    if since.get(i, 9999) <= year:
        return "standard", since[i]
    return "none", None


def _failed_count(i, year, status, recognised, readiness, pin: Pin, rng) -> int:
    if year in pin.at_risk:
        return 6 + (year - min(pin.at_risk)) + (1 if pin.revoked_in else 0)
    if pin.revoked_in and year >= pin.revoked_in:
        return 8
    if status in RECOGNISED:
        slip = rng.random()
        return 0 if slip > (0.14 if year == 2022 else 0.07) else int(rng.integers(1, 3))
    to_go = min(recognised.get(i, 2030) - year, 4)
    stricter = 1.0 if year == 2022 else 0.0      # the 2021–2025 set bites: averages fell in 2022
    f = 0.6 + 0.9 * max(to_go, 0) + stricter - 0.5 * readiness[i] + rng.normal(0, 0.9)
    return int(np.clip(round(f), 1, 12))


def _criteria_order(rng: np.random.Generator, first: tuple[str, ...]) -> list[str]:
    keys = {k: rng.random() ** (1.0 / w) for k, w in DIFFICULTY.items()}
    rest = sorted((k for k in CRITERIA if k not in first), key=lambda k: -keys[k])
    return list(first) + rest


# ---------------------------------------------------------------------------------------------
# District status and the whole demo

def district_status(c: pd.DataFrame, ntm: pd.DataFrame) -> pd.DataFrame:
    """District NTM status: recognised in the first year all its rural communes are NTM, kept
    afterwards unless ≥30% of them lose recognition (QĐ 18/2022). Districts were abolished on 1 July
    2025, before that year's review: their statuses end with 2024 (docs/domain.md §1.5)."""
    ntm = ntm[ntm["year"] < REFORM_YEAR]
    m = ntm.merge(c[["unit_id", "district_code", "province_code"]], on="unit_id")
    m["rec"] = m.ntm_status.isin(RECOGNISED)
    g = m.groupby(["district_code", "province_code", "year"]).agg(n=("rec", "size"), rec=("rec", "sum")).reset_index()
    rows, since = [], {}
    for r in g.sort_values("year").itertuples():
        if r.district_code not in since and r.rec == r.n:
            since[r.district_code] = r.year
        ok = r.district_code in since and (r.n - r.rec) / r.n < 0.3
        rows.append({"year": r.year, "district_code": r.district_code, "province_code": r.province_code,
                     "ntm_status": "standard" if ok else "none",
                     "ntm_recognition_year": since.get(r.district_code) if ok else None})
    return pd.DataFrame(rows)


def generate(units: pd.DataFrame, lineage: pd.DataFrame, attributes: pd.DataFrame,
             seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All demo commune-year rows and district-year rows for the four provinces."""
    merges = lineage[lineage.change_type != REFORM_CHANGE]
    successors = dict(zip(merges.predecessor_id, merges.successor_id))
    communes, districts = [], []
    for n, plan in enumerate(province_plans().values()):
        rng = np.random.default_rng(seed + n)
        c = demo_communes(units, attributes, plan.code)
        pov = poverty_panel(c, plan, rng, successors)
        ntm = ntm_panel(c, plan, rng, successors)
        rows = pov.merge(ntm, on=["unit_id", "year"], how="left")
        rows = rows.merge(c[["unit_id", "district_code", "province_code"]], on="unit_id")
        communes.append(rows)
        districts.append(district_status(c, ntm))
    return pd.concat(communes, ignore_index=True), pd.concat(districts, ignore_index=True)
