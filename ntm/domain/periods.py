"""Programme periods and poverty standards, as data: which programme a reporting year belongs to (two
programmes 2021–2025; one merged programme 2026–2035, NQ 257/2025/QH15), the legal basis a pack cites
for it (`data/programme_periods.csv`, catalogue keys), and the poverty standard a year's figures are
measured with (`data/poverty_standards.csv`: QĐ 59/2015 to 2020, NĐ 07/2021 2021–2026, NĐ 351/2025 from
2027).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ntm.paths import data_file


@dataclass(frozen=True)
class Period:
    """A programme period: its years and the legal basis (catalogue keys) a report cites."""

    key: str
    first_year: int
    last_year: int
    legal_basis: tuple[str, ...]

    @property
    def merged(self) -> bool:
        """True for the merged programme (NTM, poverty reduction and EM&MN development in one)."""
        return self.first_year >= 2026


@lru_cache(maxsize=1)
def periods() -> tuple[Period, ...]:
    """The programme periods, oldest first."""
    df = pd.read_csv(data_file("programme_periods.csv"), dtype=str, keep_default_na=False)
    return tuple(Period(r.period, int(r.first_year), int(r.last_year), tuple(r.legal_basis.split()))
                 for r in df.sort_values("first_year").itertuples())


def programme_years() -> tuple[int, int]:
    """The first year of the first programme period and the last year of the last one."""
    ps = periods()
    return ps[0].first_year, ps[-1].last_year


def period_for_year(year: int) -> Period:
    """The period a reporting year belongs to (the first or last one outside their range)."""
    ps = periods()
    for p in ps:
        if p.first_year <= year <= p.last_year:
            return p
    return ps[0] if year < ps[0].first_year else ps[-1]


@lru_cache(maxsize=1)
def poverty_standards() -> pd.DataFrame:
    """poverty_standard, first_year, last_year, decision, VI/EN names, the province whose own higher
    standard it is in each unit system (`province_pre2025`, `province_post2025`: codes were reused by the
    reform, so a bare code would name another place; both empty for a national standard, DOMAIN §2.6) and
    the income lines (VND per person per month, rural / urban)."""
    df = pd.read_csv(data_file("poverty_standards.csv"), dtype=str, keep_default_na=False)
    df[["first_year", "last_year"]] = df[["first_year", "last_year"]].astype(int)
    return df


def poverty_standard_for_year(year: int) -> str:
    """The national poverty standard a reporting year's figures are measured with."""
    df = poverty_standards()
    df = df[(df["province_pre2025"] == "") & (df["province_post2025"] == "")]
    hit = df[(df["first_year"] <= year) & (df["last_year"] >= year)]
    if len(hit):
        return hit["poverty_standard"].iloc[0]
    return df.sort_values("first_year")["poverty_standard"].iloc[0 if year < df["first_year"].min() else -1]


def standard_province(spec, system: str) -> str:
    """The province (a code of `system`) whose own standard `spec` is; '' for a national standard."""
    return spec[f"province_{system}"]


def is_local(spec) -> bool:
    """Whether a standard (a row of `poverty_standards`) is a province's own."""
    return bool(spec["province_pre2025"] or spec["province_post2025"])


def local_standards(province_code: str, year: int, system: str) -> pd.DataFrame:
    """The own poverty standards in force in `year` of the province `province_code` of unit system
    `system` (usually none)."""
    df = poverty_standards()
    return df[(df[f"province_{system}"] == province_code) & (df["first_year"] <= year) & (df["last_year"] >= year)]
