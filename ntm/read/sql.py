"""The SQL pieces every read query shares, written once: the recognised statuses, the criteria not met
and the at-risk rule of each criteria set, names of units and the yearly totals. The figures themselves
come from `ntm.store.figures` (`FROM {scope.source} f`):

    f   one row per commune and year in force, in the scope's geography: figures, criterion flags
        c01…c19 (c01…c10 under QĐ 51/2025), criteria_set, is_mountainous, is_poor_district, em_region …
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from ntm.domain.columns import COLUMNS
from ntm.domain.criteria import criteria_sets, key_criteria
from ntm.domain.rules import CRITERIA, RECOGNISED, STATUS_LADDER
from ntm.store.figures import rank_sql

# The recognised statuses of every set as SQL literals, lowest rung first.
RECOGNISED_SQL = "(" + ", ".join(f"'{s}'" for s in STATUS_LADDER if s in RECOGNISED) + ")"
MOUNTAINOUS_SQL = "f.is_mountainous"
POOR_DISTRICT_SQL = "f.is_poor_district"

# Sums of one group of commune rows (name → SQL): households, stocks, flows and ethnic-minority households,
# each file column under the name its registry entry gives its sum (`Column.total`: poor_households → poor).
TOTALS = {"communes": "count(*)", **{c.total: f"sum(f.{c.name})" for c in COLUMNS if c.total}}
TOTALS_SQL = ", ".join(f"{sql} AS {name}" for name, sql in TOTALS.items())


def query(con, sql: str, params: Iterable | dict = ()) -> pd.DataFrame:
    """A query's result as a DataFrame, on its own cursor (`params` by position, or by name as `$name`)."""
    return con.cursor().execute(sql, params if isinstance(params, dict) else list(params)).df()


def keep_years(frame: pd.DataFrame, years: Sequence[int] | None) -> pd.DataFrame:
    """The rows of the given years (all rows when `years` is None), renumbered."""
    if years is None:
        return frame.reset_index(drop=True)
    return frame[frame["year"].isin([int(y) for y in years])].reset_index(drop=True)


def placeholders(values: Sequence) -> str:
    """'?, ?, ?' for a list of parameters."""
    return ", ".join("?" for _ in values)


def name_sql(level: str, col: str, system: str) -> str:
    """Newest name of the unit of `level` and `system` whose code is in `col`."""
    return (f"(SELECT arg_max(x.name, coalesce(x.valid_to, DATE '9999-12-31')) FROM units x "
            f"WHERE x.system = '{system}' AND x.level = '{level}' AND x.code = {col})")


def failed_count_sql(alias: str = "f") -> str:
    """Number of criteria explicitly not met (a set's unused columns are empty)."""
    return " + ".join(f"CASE WHEN {alias}.{c} = FALSE THEN 1 ELSE 0 END" for c in CRITERIA)


def key_failed_sql(alias: str, criteria_set: str) -> str:
    """True when a key criterion of the set is not met."""
    keys = sorted(key_criteria(criteria_set))
    return "(" + " OR ".join(f"coalesce({alias}.{c} = FALSE, FALSE)" for c in keys) + ")" if keys else "FALSE"


def failed_list_sql(alias: str = "f") -> str:
    """List of the criterion codes explicitly not met."""
    items = ", ".join(f"CASE WHEN {alias}.{c} = FALSE THEN '{c}' END" for c in CRITERIA)
    return f"list_filter([{items}], lambda x: x IS NOT NULL)"


def recognised_sql(alias: str = "f") -> str:
    """True when the row's status counts as a recognition under its criteria set: under a set where
    recognition starts anew, only one dated in the set's years (or undated: taken as the file states)."""
    held = f"{alias}.ntm_status IN {RECOGNISED_SQL}"
    anew = [s for s in criteria_sets().values() if not s.recognition_carries_over]
    if not anew:
        return held
    cases = " ".join(f"WHEN '{s.key}' THEN coalesce({alias}.ntm_recognition_year >= {s.first_year}, TRUE)"
                     for s in anew)
    return f"({held} AND CASE {alias}.criteria_set {cases} ELSE TRUE END)"


def status_sql(alias: str = "f") -> str:
    """The row's status as its criteria set counts it: 'none' for a recognition that is history under it."""
    return (f"CASE WHEN {alias}.ntm_status IN {RECOGNISED_SQL} AND NOT {recognised_sql(alias)} THEN 'none' "
            f"ELSE {alias}.ntm_status END")


def at_risk_sql(alias: str = "f") -> str:
    """The at-risk rule of the row's criteria set (QĐ 18/2022's shares; for 2026–2030 the configured
    default) for a commune row recognised under its set (`recognised_sql`: a recognition that is history
    under it is never at risk)."""
    n = failed_count_sql(alias)
    cases = []
    for s in criteria_sets().values():
        rule = s.revocation_rule()
        cases.append(f"WHEN '{s.key}' THEN ({n}) >= {rule.min_failed_any} "
                     f"OR (({n}) >= {rule.min_failed_with_key} AND {key_failed_sql(alias, s.key)})")
    return f"({recognised_sql(alias)} AND coalesce(CASE {alias}.criteria_set {' '.join(cases)} END, FALSE))"
