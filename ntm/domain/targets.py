"""Kinds of target (data/targets.csv `metric`) and the scopes a target can have. A share is a fraction
of communes, a count a number of communes, a binary target a unit reaching a level, a pp target a
reduction of a rate in percentage points, a ceiling a rate (per cent) to stay at or below, and an
unmeasured target one the database holds no figures for (shown, never evaluated)."""

from __future__ import annotations

SHARE_METRICS = frozenset({"commune_share_at_level", "share_of_ntm_at_level", "ntm_maintained_share"})
COUNT_METRICS = frozenset({"communes_at_level", "communes_reaching_level"})
BINARY_METRICS = frozenset({"district_status", "commune_status"})
PP_METRICS = frozenset({"poor_rate_reduction_pp", "em_poor_rate_reduction_pp"})
CEILING_METRICS = frozenset({"em_area_poor_rate_max"})
UNMEASURED_METRICS = frozenset({"provinces_completing_ntm"})
POVERTY_METRICS = PP_METRICS | CEILING_METRICS
# Targets for a group (evaluated on the scope of the page) and targets for one unit.
GROUP_LEVELS = ("national", "poor_districts", "ethnic_minority")
UNIT_LEVELS = ("province", "district", "commune")
