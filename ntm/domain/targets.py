"""Kinds of target (data/targets.csv `metric`), one registry: what each measures (a share of communes or
districts, a count, a unit reaching a level, a reduction in percentage points, a rate or count to stay
at or below, or something the database holds no figures for — shown, never evaluated), which programme
it belongs to and the unit a count is written in. Sources: docs/domain.md §9.4."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One kind of target. `shape`: share, count, binary (a unit reaching a level), pp (reduction in
    percentage points) or rate (per cent); `ceiling`: a value to stay at or below; `measured`: False
    when the database holds no figures for it. `unit`: catalogue key of a count's unit."""

    key: str
    shape: str
    programme: str = "ntm"
    unit: str = "ui.communes_unit"
    ceiling: bool = False
    measured: bool = True


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("commune_share_at_level", "share"),
    Metric("share_of_ntm_at_level", "share"),
    Metric("ntm_maintained_share", "share"),
    Metric("district_share_at_level", "share"),
    Metric("communes_at_level", "count"),
    Metric("communes_reaching_level", "count"),
    Metric("districts_at_level", "count", unit="ui.districts_unit"),
    Metric("ntm_districts_per_province", "count", unit="ui.districts_unit"),
    Metric("min_criteria_met", "count", unit="ui.criteria_unit"),
    Metric("district_status", "binary"),
    Metric("commune_status", "binary"),
    Metric("poor_rate_reduction_pp", "pp", "poverty"),
    Metric("em_poor_rate_reduction_pp", "pp", "poverty"),
    Metric("poor_near_poor_reduction_share", "share", "poverty"),
    Metric("em_area_poor_rate_max", "rate", "poverty", ceiling=True),
    Metric("provinces_completing_ntm", "count", unit="ui.provinces_unit", measured=False),
    Metric("poor_districts_escaping_share", "share", "poverty", measured=False),
)}


def _of(shape: str) -> frozenset[str]:
    return frozenset(k for k, m in METRICS.items() if m.shape == shape)


SHARE_METRICS = _of("share")
COUNT_METRICS = _of("count")
BINARY_METRICS = _of("binary")
PP_METRICS = _of("pp")
UNMEASURED_METRICS = frozenset(k for k, m in METRICS.items() if not m.measured)
CEILING_METRICS = frozenset(k for k, m in METRICS.items() if m.ceiling)
POVERTY_METRICS = frozenset(k for k, m in METRICS.items() if m.programme == "poverty")
# Targets for a group (evaluated on the scope of the page) and targets for one unit.
GROUP_LEVELS = ("national", "poor_districts", "ethnic_minority")
UNIT_LEVELS = ("province", "district", "commune")
