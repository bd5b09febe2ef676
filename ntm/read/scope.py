"""Scopes: the unit a query is about — the nation, a province (2-digit code), a district (3 digits) or a
commune (5 digits) — in one geography (`new`: the post-reform units; `old`: the units as they were),
resolved against the units valid in the reporting year, optionally restricted to mountainous communes or
to one ethnic-minority region. A scope names the figures it reads (`source`, `ntm.store.figures`) and the
SQL condition that selects its rows (`predicate`).

In the new geography a district is a *former* district: the new communes most of whose predecessors lay
in it (history, not a unit). An old unit asked about after the reform is an `area`: the new communes
that took its place, when they cover exactly it (`ntm.read.units.successors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ntm.domain.units import EM_REGIONS, GEOGRAPHIES, PRE, default_geography
from ntm.store.figures import figures_sql
from ntm.read.units import resolve_unit, successors

LEVEL_COLUMN = {"province": "province_code", "district": "district_code", "commune": "commune_code"}


@dataclass(frozen=True)
class Scope:
    """The unit a query is about, in one geography."""

    level: str              # national / province / district / commune / area
    code: str | None
    name: str
    province_code: str | None = None
    district_code: str | None = None
    geo: str = "new"
    codes: tuple[str, ...] = ()     # an area's communes (in the scope's geography)

    @property
    def source(self) -> str:
        """The figures this scope reads (`FROM {scope.source} f`)."""
        return figures_sql(self.geo)

    @property
    def system(self) -> str:
        """The unit system of the scope's codes."""
        return GEOGRAPHIES[self.geo].system

    @property
    def former(self) -> bool:
        """True for a district of the new geography (a history grouping of new communes)."""
        return self.level == "district" and self.geo == "new"

    def predicate(self, alias: str = "f") -> tuple[str, list]:
        """SQL condition (and parameters) selecting this scope's commune rows."""
        if self.level == "national":
            return "TRUE", []
        if self.level == "area":
            return f"{alias}.commune_code IN (SELECT unnest(?))", [list(self.codes)]
        return f"{alias}.{LEVEL_COLUMN[self.level]} = ?", [self.code]


NATIONAL = Scope("national", None, "Toàn quốc")
NATIONAL_OLD = Scope("national", None, "Toàn quốc", geo="old")


def national(geo: str = "new") -> Scope:
    """The nation read in a geography."""
    return NATIONAL if geo == "new" else NATIONAL_OLD


def normalise_code(code: str) -> str:
    """A unit code padded to its level's width (1–2 digits: province, 3: district, 4–5: commune)."""
    code = code.strip()
    return code.zfill({1: 2, 2: 2, 3: 3, 4: 5, 5: 5}.get(len(code), 0))


def resolve_scope(con, code: str | None, year: int, geo: str | None = None) -> Scope | None:
    """Scope of a unit code in a reporting year and geography (default: the year's, `default_geography`);
    '' / 'VN' / None = national. None when the code names no unit there (`ntm.read.units.successors`
    says where an old unit went)."""
    geo = geo or default_geography(year)
    if not code or code.upper() in ("VN", "NATIONAL", "0"):
        return national(geo)
    code = normalise_code(code)
    system = GEOGRAPHIES[geo].system
    if geo == "new" and len(code) == 3:
        unit = resolve_unit(con, code, year, PRE)
        if unit is None:
            return None
        return Scope("district", unit["code"], unit["name"], None, unit["code"], geo)
    unit = resolve_unit(con, code, year, system)
    if unit is None:
        return None
    return Scope(unit["level"], unit["code"], unit["name"], unit["province_code"], unit["district_code"], geo)


@dataclass(frozen=True)
class FilteredScope(Scope):
    """A scope restricted to mountainous communes and/or to one ethnic-minority region.

    Mountainous: the commune's own flag, else its district's (old geography) or, for a new commune
    without its own row, the flag derived from its predecessors (`ntm.store.figures`). The read queries
    only call `predicate()`, so they honour the filters unchanged.
    """

    mountainous_only: bool = False
    em_region: str | None = None

    def predicate(self, alias: str = "f") -> tuple[str, list]:
        where, params = super().predicate(alias)
        extra, extra_params = filter_conditions(self, alias)
        return " AND ".join([where, *extra]), list(params) + extra_params


def filter_conditions(scope: Scope, alias: str = "f") -> tuple[list[str], list]:
    """The conditions a `FilteredScope` adds to its unit's (none for a plain scope)."""
    if not isinstance(scope, FilteredScope):
        return [], []
    where, params = [], []
    if scope.mountainous_only:
        where.append(f"{alias}.is_mountainous")
    if scope.em_region:
        where.append(f"{alias}.em_region = ?")
        params.append(scope.em_region)
    return where, params


def filtered_scope(scope: Scope, mountainous_only: bool = False, em_region: str | None = None) -> Scope:
    """`scope` with the filters applied (the scope itself when there are none)."""
    if not mountainous_only and em_region not in EM_REGIONS:
        return scope
    return FilteredScope(scope.level, scope.code, scope.name, scope.province_code, scope.district_code, scope.geo,
                         scope.codes, mountainous_only=mountainous_only,
                         em_region=em_region if em_region in EM_REGIONS else None)


def listed_scope(code: str | None, options, names: Mapping[str, Mapping[str, str]], geo: str = "old") -> Scope | None:
    """The scope of a unit that has figures (it is in `options`, a `ntm.read.options.StateOptions`) but
    no version in the unit list for the year asked — e.g. a commune merged away: its own rows still
    carry its code. None if unknown."""
    if code in options.communes:
        district, province = options.communes[code]
        return Scope("commune", code, names.get("commune", {}).get(code, code), province, district, geo)
    if code in options.districts:
        return Scope("district", code, names.get("district", {}).get(code, code), options.districts[code], code, geo)
    if code in options.provinces:
        return Scope("province", code, options.provinces[code], code, None, geo)
    return None


@dataclass(frozen=True)
class Found:
    """What a code means in a year: its scope, and — for an old unit asked about after the reform — where
    it went (`ntm.read.units.successors`). `scope` is then the old unit's area on the new communes when
    they cover exactly it, else None."""

    scope: Scope | None
    moved: dict | None = None


def find_scope(con, code: str | None, year: int, geo: str | None = None) -> Found:
    """`resolve_scope`, and for a code that names no unit there but an old unit, where that unit went."""
    scope = resolve_scope(con, code, year, geo)
    if scope is not None or not code:
        return Found(scope)
    geo = geo or default_geography(year)
    moved = successors(con, normalise_code(code)) if geo == "new" else None
    if moved is None:
        return Found(None)
    area = None
    if moved["exact"]:
        codes = tuple(c for c, _ in moved["communes"])
        area = Scope("area", moved["code"], moved["name"], moved["provinces"][0][0] if len(moved["provinces"]) == 1
                     else None, None, "new", codes)
    return Found(area, moved)
