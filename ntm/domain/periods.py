"""Programme periods and poverty standards, as data: which programme a reporting year belongs to (two
programmes 2021–2025; one merged programme 2026–2035, NQ 257/2025/QH15), the legal basis a pack cites
for it (`data/programme_periods.csv`, catalogue keys), and the poverty standard a year's figures are
measured with (`data/poverty_standards.csv`).

A year's poverty figures are the end-of-year review that sets the next year's list (docs/domain.md §2.5),
so a standard's years are review years: QĐ 59/2015 to the review of 2020, NĐ 07/2021 the reviews of
2021–2025, NĐ 351/2025 from the review of 2026 (`years_verified=false`: the transition is not confirmed).
Figures under two standards do not compare: `standard_breaks` finds where a series changes standard.
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
    """poverty_standard, first_year, last_year (the first and last review years it measures), decision,
    short_name, VI/EN names, `years_verified` (whether a public text confirms those review years) and
    `years_basis` (why those years, or what would confirm them), the province whose own higher standard
    it is in each unit system (`province_pre2025`, `province_post2025`: codes were reused by the reform,
    so a bare code would name another place; both empty for a national standard, docs/domain.md §2.6)
    and the income lines (VND per person per month, rural / urban)."""
    df = pd.read_csv(data_file("poverty_standards.csv"), dtype=str, keep_default_na=False)
    df[["first_year", "last_year"]] = df[["first_year", "last_year"]].astype(int)
    df["years_verified"] = df["years_verified"].str.lower().eq("true")
    return df


def standard_decision(key: str) -> str:
    """The document a poverty standard was issued by ('NĐ 351/2025/NĐ-CP'); the key itself when unknown."""
    specs = poverty_standards().set_index("poverty_standard")
    return str(specs.at[key, "decision"]) if key in specs.index else str(key)


def poverty_standard_for_year(year: int) -> str:
    """The national poverty standard a reporting year's figures (the review at the end of that year) are
    measured with."""
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


SEPARATOR = "+"              # several standards in one year's figures (a province's own beside the national)


def split_standards(value) -> tuple[str, ...]:
    """'ND07_2021+QN_NQ13_2023' → the standards a year's figures follow (empty for a missing value)."""
    return tuple(p for p in str(value).split(SEPARATOR) if p) if isinstance(value, str) else ()


def join_standards(keys, year: int) -> str:
    """The standards of a year's figures as one value, sorted; the year's national one when none is stored."""
    keys = sorted({k for k in keys if isinstance(k, str) and k})
    return SEPARATOR.join(keys) if keys else poverty_standard_for_year(int(year))


def years_confirmed(value) -> bool:
    """Whether a public text confirms that every standard of `value` measures the review years it is used
    for (False for NĐ 351/2025 from the review of 2026, docs/domain.md §2.7)."""
    specs = poverty_standards().set_index("poverty_standard")
    return all(bool(specs.at[k, "years_verified"]) for k in split_standards(value) if k in specs.index)


def standard_breaks(years, standards) -> list[tuple[int, int, str, str]]:
    """(year before, year, standards before, standards after) wherever a series' next point follows other
    standards than the point before it: the two are not comparable (2020→2021, 2025→2026, a province's
    own standard coming or going)."""
    pairs = sorted({(int(y), s) for y, s in zip(years, standards) if isinstance(s, str) and s})
    return [(y0, y1, s0, s1) for (y0, s0), (y1, s1) in zip(pairs, pairs[1:]) if s0 != s1]


def describe_standards(value) -> list[dict]:
    """The standards of `value` as plain facts (for JSON): key, decision, names, income lines, the review
    years they measure and whether those are confirmed."""
    specs = poverty_standards().set_index("poverty_standard")
    return [{"key": k, "decision": specs.at[k, "decision"], "name_vi": specs.at[k, "name_vi"],
             "name_en": specs.at[k, "name_en"], "income_rural_vnd": int(specs.at[k, "income_rural_vnd"]),
             "income_urban_vnd": int(specs.at[k, "income_urban_vnd"]),
             "review_years": [int(specs.at[k, "first_year"]), int(specs.at[k, "last_year"])],
             "review_years_confirmed": bool(specs.at[k, "years_verified"])}
            for k in split_standards(value) if k in specs.index]
