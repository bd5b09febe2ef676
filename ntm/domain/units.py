"""The two unit systems and the 2025 reform: before 1 July 2025 63 provinces, districts and ~10,000
communes (`pre2025`); from then 34 provinces and 3,321 communes with no districts (`post2025`). A unit
is a version — system + level + code + validity — because the reform reused codes for other places.

Two geographies read the figures: the new one (post-reform units, earlier years re-aggregated onto them
through the crosswalk) and the old one (the units as they were, 2021–2025, with districts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PRE, POST = "pre2025", "post2025"
SYSTEMS = (PRE, POST)
REFORM_DATE = date(2025, 7, 1)
PRE_END = REFORM_DATE - timedelta(days=1)
# The first reporting year whose figures may be on post-reform units: the 2025 review (Sept–Dec 2025)
# ran on the new communes, so a 2025 file may come on either system; from 2026 only the new exist.
REFORM_YEAR = REFORM_DATE.year
REFORM_CHANGE = "reform2025"       # the lineage rows (change_type) of the 2025 reform
LEVELS = ("province", "district", "commune")
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
# Ethnic-minority and mountainous area regions I/II/III (QĐ 33/2020/QĐ-TTg; communes listed in QĐ 861/QĐ-TTg).
EM_REGIONS = ("I", "II", "III")


@dataclass(frozen=True)
class Geography:
    """A way of reading every year's figures on one unit system."""

    key: str                  # URL / CLI value: new / old
    system: str               # the units figures are shown on
    last_year: int | None     # the last year that system's units exist in (None: still in force)
    has_districts: bool       # districts as units (old); as a history grouping only (new)


GEOGRAPHIES: dict[str, Geography] = {g.key: g for g in (
    Geography("new", POST, None, False),
    Geography("old", PRE, REFORM_YEAR, True),
)}
NEW, OLD = GEOGRAPHIES["new"], GEOGRAPHIES["old"]


def default_geography(year: int | None) -> str:
    """The geography pages open on: the new units for years from the reform on, the old ones before."""
    return "new" if year is None or year >= REFORM_YEAR else "old"


def geography_of(system: str) -> Geography:
    """The geography that reads a unit system's figures as they are."""
    return NEW if system == POST else OLD


def unit_id(system: str, level: str, code: str, valid_to: date | None = None) -> str:
    """Stable id of a unit version: `pre2025:commune:15736`, or with `@2024-11-30` for an ended version."""
    base = f"{system}:{level}:{code}"
    return f"{base}@{valid_to.isoformat()}" if valid_to else base


def level_of_code(code: str) -> str | None:
    """The level a GSO code of this length names (2 digits: province, 3: district, 5: commune)."""
    return {width: level for level, width in CODE_WIDTH.items()}.get(len(code))


def systems_for_year(year: int) -> tuple[str, ...]:
    """The unit systems a reporting year's figures can be on, the more likely first."""
    if year < REFORM_YEAR:
        return (PRE,)
    return (POST, PRE) if year == REFORM_YEAR else (POST,)


def reference_date(year: int, system: str) -> date:
    """The date whose units a year's figures are read on: 31 December, but no later than the last day of
    the old units on the old system, and no earlier than their first day on the new one (the new
    geography reads earlier years on today's units)."""
    end = date(year, 12, 31)
    return min(end, PRE_END) if system == PRE else max(end, REFORM_DATE)
