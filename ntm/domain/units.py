"""The two unit systems and the 2025 reform: before 1 July 2025 63 provinces, districts and ~10,000
communes (`pre2025`); from then 34 provinces and 3,321 communes with no districts (`post2025`). A unit
is a version — system + level + code + validity — because the reform reused codes for other places.
"""

from __future__ import annotations

from datetime import date, timedelta

PRE, POST = "pre2025", "post2025"
REFORM_DATE = date(2025, 7, 1)
PRE_END = REFORM_DATE - timedelta(days=1)
LEVELS = ("province", "district", "commune")
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
# Ethnic-minority and mountainous area regions I/II/III (QĐ 33/2020/QĐ-TTg; communes listed in QĐ 861/QĐ-TTg).
EM_REGIONS = ("I", "II", "III")


def unit_id(system: str, level: str, code: str, valid_to: date | None = None) -> str:
    """Stable id of a unit version: `pre2025:commune:15736`, or with `@2024-11-30` for an ended version."""
    base = f"{system}:{level}:{code}"
    return f"{base}@{valid_to.isoformat()}" if valid_to else base


def level_of_code(code: str) -> str | None:
    """The level a GSO code of this length names (2 digits: province, 3: district, 5: commune)."""
    return {width: level for level, width in CODE_WIDTH.items()}.get(len(code))


def system_for_year(year: int, reform_year: int) -> str:
    """Which code system a reporting year uses (pre-reform codes until `reform_year` − 1)."""
    return POST if year >= reform_year else PRE


def reference_date(year: int, system: str) -> date:
    """The date a year's figures describe: 31 December, or the last day of the pre-reform list."""
    end = date(year, 12, 31)
    return min(end, PRE_END) if system == PRE else end
