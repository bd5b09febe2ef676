"""Kinds of target (data/targets.csv `metric`), one registry: what each measures (a share of communes or
districts, a count, a unit reaching a level, a reduction in percentage points, a rate or count to stay
at or below, or something the database holds no figures for — shown, never evaluated), which programme
it belongs to, the unit a count is written in and the values a targets file may give it. Sources:
docs/domain.md §9.4."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """How the values of a kind of target are written: from `low` to `high`, whole numbers only when
    `whole` (data/targets.csv: a share is a fraction of 1, 0.8 for 80%; points and rates are per cent)."""

    key: str
    low: float
    high: float
    whole: bool = False

    def allows(self, value: float) -> bool:
        """Whether `value` is a finite number in the shape's range (and whole when it must be)."""
        return (math.isfinite(value) and self.low <= value <= self.high
                and (not self.whole or value == math.floor(value)))


SHARE = Shape("share", 0, 1)
COUNT = Shape("count", 0, 100_000, whole=True)    # more than all the country's communes, districts, criteria
BINARY = Shape("binary", 1, 1, whole=True)        # 1: the unit reaches the level
PP = Shape("pp", 0, 100)                          # a reduction in percentage points
RATE = Shape("rate", 0, 100)                      # per cent


@dataclass(frozen=True)
class TargetKind:
    """One kind of target. `shape`: share, count, binary (a unit reaching a level), pp (reduction in
    percentage points) or rate (per cent), with the values it allows; `ceiling`: a value to stay at or
    below; `measured`: False when the database holds no figures for it. `unit`: catalogue key of a
    count's unit."""

    key: str
    shape: Shape
    programme: str = "ntm"
    unit: str = "ui.communes_unit"
    ceiling: bool = False
    measured: bool = True


TARGET_KINDS: dict[str, TargetKind] = {m.key: m for m in (
    TargetKind("commune_share_at_level", SHARE),
    TargetKind("share_of_ntm_at_level", SHARE),
    TargetKind("ntm_maintained_share", SHARE),
    TargetKind("district_share_at_level", SHARE),
    TargetKind("communes_at_level", COUNT),
    TargetKind("communes_reaching_level", COUNT),
    TargetKind("districts_at_level", COUNT, unit="ui.districts_unit"),
    TargetKind("ntm_districts_per_province", COUNT, unit="ui.districts_unit"),
    TargetKind("min_criteria_met", COUNT, unit="ui.criteria_unit"),
    TargetKind("district_status", BINARY),
    TargetKind("commune_status", BINARY),
    TargetKind("poor_rate_reduction_pp", PP, "poverty"),
    TargetKind("em_poor_rate_reduction_pp", PP, "poverty"),
    TargetKind("poor_near_poor_reduction_share", SHARE, "poverty"),
    TargetKind("em_area_poor_rate_max", RATE, "poverty", ceiling=True),
    TargetKind("provinces_completing_ntm", COUNT, unit="ui.provinces_unit", measured=False),
    TargetKind("poor_districts_escaping_share", SHARE, "poverty", measured=False),
)}


def _of(shape: Shape) -> frozenset[str]:
    return frozenset(k for k, m in TARGET_KINDS.items() if m.shape == shape)


SHARE_TARGETS = _of(SHARE)
COUNT_TARGETS = _of(COUNT)
BINARY_TARGETS = _of(BINARY)
PP_TARGETS = _of(PP)
UNMEASURED_TARGETS = frozenset(k for k, m in TARGET_KINDS.items() if not m.measured)
CEILING_TARGETS = frozenset(k for k, m in TARGET_KINDS.items() if m.ceiling)
POVERTY_TARGETS = frozenset(k for k, m in TARGET_KINDS.items() if m.programme == "poverty")
# Targets for a group (evaluated on the scope of the page) and targets for one unit.
GROUP_LEVELS = ("national", "poor_districts", "ethnic_minority")
UNIT_LEVELS = ("province", "district", "commune")
