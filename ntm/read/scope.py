"""Scopes: the unit a query is about — the nation, a province (2-digit code), a district (3 digits) or a
commune (5 digits) — resolved against the units valid in the reporting year, optionally restricted
to communes of mountainous districts or of one ethnic-minority region. A scope turns into the SQL
condition (`predicate`) that selects its commune rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ntm.domain.settings import reform_code_year
from ntm.domain.units import EM_REGIONS
from ntm.read.units import resolve_unit

LEVEL_COLUMN = {"province": "province_code", "district": "district_code", "commune": "commune_code"}


@dataclass(frozen=True)
class Scope:
    """The unit a query is about."""

    level: str              # national / province / district / commune
    code: str | None
    name: str
    province_code: str | None = None
    district_code: str | None = None

    def predicate(self, alias: str = "f") -> tuple[str, list]:
        """SQL condition (and parameters) selecting this scope's commune rows."""
        if self.level == "national":
            return "TRUE", []
        return f"{alias}.{LEVEL_COLUMN[self.level]} = ?", [self.code]


NATIONAL = Scope("national", None, "Toàn quốc")


def resolve_scope(con, code: str | None, year: int) -> Scope | None:
    """Scope of a unit code in a reporting year ('' / 'VN' / None = national); None if unknown."""
    if not code or code.upper() in ("VN", "NATIONAL", "0"):
        return NATIONAL
    unit = resolve_unit(con, code.strip().zfill({1: 2, 2: 2, 3: 3, 4: 5, 5: 5}.get(len(code.strip()), 0)),
                        year, reform_code_year())
    if unit is None:
        return None
    return Scope(unit["level"], unit["code"], unit["name"], unit["province_code"], unit["district_code"])


@dataclass(frozen=True)
class FilteredScope(Scope):
    """A scope restricted to communes of mountainous districts and/or of one ethnic-minority region.

    Mountainous: the commune's own `is_mountainous` flag in `unit_attributes`, else its district's.
    Region: the commune's `em_region` there (QĐ 861/QĐ-TTg list, or the demo stand-in). The read
    queries only call `predicate()`, so they honour the filters unchanged.
    """

    mountainous_only: bool = False
    em_region: str | None = None

    def predicate(self, alias: str = "f") -> tuple[str, list]:
        where, params = super().predicate(alias)
        where, params = [where], list(params)
        if self.mountainous_only:
            # The commune's own flag when it has one, else its district's (as MOUNTAINOUS_SQL).
            where.append(
                f"coalesce((SELECT a.is_mountainous FROM unit_attributes a WHERE a.level = 'commune' "
                f"AND a.code = {alias}.commune_code), (SELECT a.is_mountainous FROM unit_attributes a "
                f"WHERE a.level = 'district' AND a.code = {alias}.district_code), FALSE)")
        if self.em_region:
            where.append(f"{alias}.commune_code IN (SELECT code FROM unit_attributes "
                         f"WHERE level = 'commune' AND em_region = ?)")
            params.append(self.em_region)
        return " AND ".join(where), params


def filtered_scope(scope: Scope, mountainous_only: bool = False, em_region: str | None = None) -> Scope:
    """`scope` with the filters applied (the scope itself when there are none)."""
    if not mountainous_only and em_region not in EM_REGIONS:
        return scope
    return FilteredScope(scope.level, scope.code, scope.name, scope.province_code, scope.district_code,
                         mountainous_only=mountainous_only,
                         em_region=em_region if em_region in EM_REGIONS else None)


def listed_scope(code: str | None, options, names: Mapping[str, Mapping[str, str]]) -> Scope | None:
    """The scope of a unit that has figures (it is in `options`, a `ntm.present.state.StateOptions`) but
    no version in the unit list for the year asked — e.g. a commune merged away: its own rows still carry its code. None if unknown."""
    if code in options.communes:
        district, province = options.communes[code]
        return Scope("commune", code, names.get("commune", {}).get(code, code), province, district)
    if code in options.districts:
        return Scope("district", code, names.get("district", {}).get(code, code), options.districts[code], code)
    if code in options.provinces:
        return Scope("province", code, options.provinces[code], code)
    return None
