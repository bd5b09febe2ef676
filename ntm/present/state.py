"""The dashboard's view state and its URL form (pure: no Streamlit).

Everything a leader filters on lives in plain query parameters, so a copied link opens the same view:

    /map?province=62&district=610&year=2024&mountain=1&em=III&level=commune&metric=poor_rate&lang=en
    /poverty?province=62&year=2024&view=flows          (a page's section: see PAGE_SECTIONS)
    /overview?province=51&year=2023&geo=new            (a geography other than the year's default)

Codes are read in the view's geography (`ntm.domain.units.GEOGRAPHIES`: the new units by default from
2025, the old ones before): province 51 is the new Quảng Ngãi in the new geography and the old one in
the old. In the new geography a district is a former district (history) and an old province whose new
communes cover exactly its area (Kon Tum, 62) is that former area.

Parameters are parsed and validated against the options the database offers (`StateOptions`);
anything unknown, malformed or inconsistent falls back to its default silently — except a year the chosen
geography does not have (2026 on the old units), which moves to its newest year and is said so
(`year_notice`). Nothing is ever unpickled or evaluated: values are short strings checked against
whitelists.

On the new units a leader reads communes and provinces: a province opens its map on communes; the former
districts are history, one choice away (`default_level`).

The pages turn a state into a query scope with its mountainous / ethnic-minority-region filters
(`ntm.read.scope.filtered_scope`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Mapping

from ntm.domain.metrics import DEFAULT_METRIC, METRICS
from ntm.domain.names import is_digits
from ntm.domain.units import CODE_WIDTH, EM_REGIONS, GEOGRAPHIES, LEVELS, default_geography
from ntm.read.options import StateOptions, options_from_rows
from ntm.text import DEFAULT_LANG, LANGS, t

MAX_PARAM_LENGTH = 16


@dataclass(frozen=True)
class Page:
    """One page of the dashboard: its file under `pages/` (whose name is also its URL path), where the
    navigation lists it — the leaders' reports, the export, or data management (sign-in) — and the
    sections that group its charts (one shown at a time, kept in the URL as `view=`; the first is the
    default). Section identifiers are unique across pages, so a section never carries over to another
    page. Its title is catalogue text `page.<key>`."""

    key: str
    file: str
    group: str = "reports"
    sections: tuple[str, ...] = ()

    @property
    def url_path(self) -> str:
        """The page's path in the address bar."""
        return self.file.removesuffix(".py")


PAGE_LIST: tuple[Page, ...] = (
    Page("overview", "overview.py"),
    Page("map", "map.py"),
    Page("ntm", "ntm_pipeline.py", sections=("progress", "districts", "movements", "criteria")),
    Page("poverty", "poverty.py", sections=("trends", "flows", "groups", "ranking")),
    Page("commune", "commune_profile.py", sections=("ladder", "poverty")),
    Page("export", "meeting_pack.py", group="export"),
    Page("upload", "upload.py", group="data"),
    Page("reporting", "reporting.py", group="data"),
)
PAGE_REGISTRY = {p.key: p for p in PAGE_LIST}
PAGES = tuple(PAGE_REGISTRY)
PAGE_SECTIONS: dict[str, tuple[str, ...]] = {p.key: p.sections for p in PAGE_LIST if p.sections}

# Query-parameter names, in the order they appear in a URL.
PARAMS = ("province", "district", "commune", "year", "geo", "mountain", "em", "level", "metric", "view", "lang")


@dataclass(frozen=True)
class ViewState:
    """One view of the dashboard (page, language, scope, year, filters, map settings)."""

    page: str = "overview"
    lang: str = "vi"
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    year: int | None = None
    mountainous_only: bool = False
    em_region: str | None = None
    level: str | None = None          # map level; None = one level below the scope
    metric: str = DEFAULT_METRIC
    section: str | None = None        # a section of PAGE_SECTIONS[page]; None = its first
    geo: str | None = None            # new / old; None = the year's default geography
    asked: str | None = None          # a unit code the URL asked for that this geography does not have
    year_asked: int | None = None     # a year the URL asked for that this geography does not have

    @property
    def geography(self) -> str:
        """The geography in force: the chosen one, else the year's default."""
        return self.geo or default_geography(self.year)

    # ---------------------------------------------------------------- derived
    @property
    def scope_code(self) -> str | None:
        """Code of the filter scope (district, else province, else None = national)."""
        return self.district or self.province

    @property
    def scope_level(self) -> str:
        if self.district:
            return "district"
        if self.province:
            return "province"
        return "national"

    @property
    def map_level(self) -> str:
        """The map level in force: the chosen one, else the scope's default (`default_level`)."""
        return self.level or default_level(self.scope_level, self.geography)

    @property
    def has_filters(self) -> bool:
        return self.mountainous_only or self.em_region is not None

    def replace(self, **changes) -> "ViewState":
        """A copy with `changes`; a new province clears district and commune, a new district the commune,
        a new scope drops a map level that no longer fits. Another year keeps the geography in force (a
        leader reading the new units keeps reading them), and another geography clears the commune (its
        code would name another place)."""
        if "year" in changes and "geo" not in changes and self.year is not None:
            changes["geo"] = self.geography if default_geography(changes["year"]) != self.geography else self.geo
        if "geo" in changes and (changes["geo"] or default_geography(changes.get("year", self.year))) != self.geography:
            changes.setdefault("commune", None)
            changes.setdefault("asked", None)
        if "province" in changes and changes["province"] != self.province:
            changes.setdefault("district", None)
            changes.setdefault("commune", None)
        if "district" in changes and changes["district"] != self.district:
            changes.setdefault("commune", None)
        new = dataclasses.replace(self, **changes)
        if new.level and not level_fits(new.level, new.scope_level):
            new = dataclasses.replace(new, level=None)
        return new


def default_level(scope_level: str, geo: str = "old") -> str:
    """Map level shown by default for a scope in a geography: provinces for the nation; for a province,
    its districts on the old units and its communes on the new ones (a former district is history, not a
    unit of the day); communes below."""
    if scope_level == "national":
        return "province"
    return "district" if scope_level == "province" and geo == "old" else "commune"


def map_levels(scope_level: str, geo: str) -> list[str]:
    """The map levels a scope offers, in the chooser's order: on the new units the former districts, history,
    come last."""
    levels = [lv for lv in LEVELS if level_fits(lv, scope_level)]
    return sorted(levels, key=lambda lv: lv == "district") if geo == "new" else levels


def level_fits(level: str, scope_level: str) -> bool:
    """A map level is usable when it is at or below the scope (no provinces inside a district)."""
    order = ("national",) + LEVELS
    return order.index(level) >= max(1, order.index(scope_level) if scope_level in order else 0)


# -------------------------------------------------------------------------------------------------
# Parsing

def _first(params: Mapping, key: str) -> str | None:
    """The first value of a query parameter as a stripped string (lists take their first item)."""
    value = params.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    value = str(value).strip()
    return value if value and len(value) <= MAX_PARAM_LENGTH else None


def parse_code(value: str | None, level: str) -> str | None:
    """A unit code of `level` as a zero-padded string ('2566' -> '02566'); None unless all digits."""
    if value is None or not is_digits(value):
        return None
    width = CODE_WIDTH[level]
    if len(value) > width:
        return None
    return value.zfill(width)


def parse_bool(value: str | None) -> bool:
    """A flag from the URL: 1, true, yes, on, có…"""
    return value is not None and value.lower() in ("1", "true", "yes", "on", "co", "có")


def parse_params(params: Mapping, options: Mapping[str, StateOptions] | StateOptions,
                 page: str = "overview") -> ViewState:
    """The view state a URL asks for, with every invalid or inconsistent value dropped. `options`: the
    options of each geography (one `StateOptions` serves both)."""
    by_geo = options if isinstance(options, Mapping) else {g: options for g in GEOGRAPHIES}
    lang = (_first(params, "lang") or "vi").lower()
    lang = lang if lang in LANGS else "vi"
    geo, year, year_asked = _geography_and_year(params, by_geo)
    options = by_geo[geo or default_geography(year)]
    province, district, commune, asked = _units(params, options)

    em = (_first(params, "em") or "").upper()
    em_region = em if em in EM_REGIONS else None

    scope_level = "district" if district else "province" if province else "national"
    level = _first(params, "level")
    level = level if level in LEVELS and level_fits(level, scope_level) else None

    metric = _first(params, "metric")
    metric = metric if metric in METRICS else DEFAULT_METRIC

    page = page if page in PAGES else "overview"
    section = _first(params, "view")
    sections = PAGE_SECTIONS.get(page, ())
    section = section if section in sections[1:] else None      # the first is the default

    return ViewState(page=page, lang=lang, province=province,
                     district=district, commune=commune, year=year,
                     mountainous_only=parse_bool(_first(params, "mountain")), em_region=em_region,
                     level=level, metric=metric, section=section, geo=geo, asked=asked, year_asked=year_asked)


def _geography_and_year(params: Mapping,
                        by_geo: Mapping[str, StateOptions]) -> tuple[str | None, int | None, int | None]:
    """The geography asked for (None when it is the year's default), a year it has figures for, and the
    year asked for when only another geography has it (None otherwise)."""
    geo = _first(params, "geo")
    geo = geo if geo in GEOGRAPHIES else None
    year_text = _first(params, "year")
    year = int(year_text) if year_text and is_digits(year_text) else None
    every_year = sorted({y for o in by_geo.values() for y in o.years})
    if year not in every_year:
        year = by_geo[geo].latest_year if geo else (every_year[-1] if every_year else None)
    options = by_geo[geo or default_geography(year)]
    asked = None
    if year not in options.years:
        asked, year = year, options.latest_year
    return (geo if geo != default_geography(year) else None), year, (asked if asked != year else None)


def _units(params: Mapping, options: StateOptions) -> tuple[str | None, str | None, str | None, str | None]:
    """(province, district, commune) the geography has, consistent with each other, and a well-formed
    code it does not have (`asked`)."""
    asked = None
    province = parse_code(_first(params, "province"), "province")
    district = parse_code(_first(params, "district"), "district")
    commune = parse_code(_first(params, "commune"), "commune")
    if province and province not in options.provinces and province not in options.former_provinces:
        province, asked = None, province
    if district and district not in options.districts:
        district, asked = None, asked or district
    if commune and commune not in options.communes:
        commune, asked = None, asked or commune
    # Children name their parents: a district implies its province (and must agree with it).
    if district:
        parent = options.districts[district]
        if province is None:
            province = parent
        elif province != parent:
            district = None
    if commune:
        c_district, c_province = options.communes[commune]
        if province is None:
            province = c_province
        if c_province != province or (district and c_district != district):
            commune = None
    if province not in options.provinces and province not in options.former_provinces:
        province, district, commune = None, None, None
    return province, district, commune, asked


# -------------------------------------------------------------------------------------------------
# Serialising

def to_params(state: ViewState) -> dict[str, str]:
    """Query parameters for a state: only non-default values, except the year, which is always
    written so a copied link keeps showing the same year after newer data arrive."""
    out: dict[str, str] = {}
    if state.province:
        out["province"] = state.province
    if state.district:
        out["district"] = state.district
    if state.commune:
        out["commune"] = state.commune
    if state.year is not None:
        out["year"] = str(state.year)
    if state.geo and state.geo != default_geography(state.year):
        out["geo"] = state.geo
    if state.mountainous_only:
        out["mountain"] = "1"
    if state.em_region:
        out["em"] = state.em_region
    if state.level:
        out["level"] = state.level
    if state.metric != DEFAULT_METRIC:
        out["metric"] = state.metric
    if state.section:
        out["view"] = state.section
    if state.lang != DEFAULT_LANG:
        out["lang"] = state.lang
    return {k: out[k] for k in PARAMS if k in out}


# -------------------------------------------------------------------------------------------------
# Filters in words

def filter_labels(mountainous_only: bool, em_region: str | None, lang: str = "vi", geo: str = "old") -> list[str]:
    """The active filters in words ('huyện miền núi' on the old units, 'xã miền núi' on the new ones,
    'vùng DTTS khu vực III')."""
    labels = [t(f"ui.filter_mountainous.{geo}", lang)] if mountainous_only else []
    return labels + ([t("ui.filter_em", lang, region=em_region)] if em_region else [])


def year_notice(state: ViewState) -> str | None:
    """'The old units (before 1 July 2025) have no figures for 2026: showing 2024.' when the link (or the
    geography switch) asked for a year the geography in force does not have; None otherwise."""
    if state.year_asked is None or state.year is None:
        return None
    return t("ui.year_moved", state.lang, geo=t(f"geo.{state.geography}", state.lang), asked=state.year_asked,
             year=state.year)


def national_name(with_data: int, total: int, lang: str = "vi") -> str:
    """'Toàn quốc', or 'Toàn quốc (4/63 tỉnh có số liệu)' when the figures cover only some provinces: a
    national figure over four provinces must not read as the nation's."""
    if not total or with_data >= total:
        return t("level.national", lang)
    return t("level.national_partial", lang, n=with_data, total=total)


def name_with_filters(name: str, mountainous_only: bool, em_region: str | None, lang: str = "vi",
                      geo: str = "old") -> str:
    """A scope's name followed by its active filters in brackets."""
    labels = filter_labels(mountainous_only, em_region, lang, geo)
    return name + (f" ({', '.join(labels)})" if labels else "")


__all__ = ["ViewState", "StateOptions", "parse_params", "to_params",
           "options_from_rows", "default_level", "map_levels", "level_fits", "year_notice",
           "LANGS", "PAGES", "LEVELS", "EM_REGIONS", "METRICS", "DEFAULT_METRIC", "PARAMS",
           "PAGE_SECTIONS"]
