"""The SQL pieces every read query shares, written once: the figures in force, the recognised statuses,
the criteria not met and the revocation rule, unit attributes, names and the yearly totals.

    commune_year f   one row per commune and year in force (`f.is_current`), 19 criterion flags c01…c19
    unit_attributes  per level and code: is_mountainous, is_poor_district, em_region (commune flags win
                     over their district's)
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from ntm.domain.criteria import key_criteria
from ntm.domain.rules import CRITERIA, RECOGNISED, STATUS_LADDER
from ntm.domain.settings import revocation_rule

# Statuses as SQL literals, lowest rung first: ('standard', 'advanced', 'model') and the whole ladder.
RECOGNISED_SQL = "(" + ", ".join(f"'{s}'" for s in STATUS_LADDER if s in RECOGNISED) + ")"
LADDER_SQL = "[" + ", ".join(f"'{s}'" for s in STATUS_LADDER) + "]"

ATTR_JOIN = """
    LEFT JOIN unit_attributes ad ON ad.level = 'district' AND ad.code = f.district_code
    LEFT JOIN unit_attributes ac ON ac.level = 'commune' AND ac.code = f.commune_code"""
MOUNTAINOUS_SQL = "coalesce(ac.is_mountainous, ad.is_mountainous, FALSE)"
POOR_DISTRICT_SQL = "coalesce(ac.is_poor_district, ad.is_poor_district, FALSE)"

# Sums of one group of commune rows: households, stocks, flows and ethnic-minority households.
TOTALS_SQL = """count(*) AS communes, sum(f.households) AS households, sum(f.population) AS population,
               sum(f.poor_households) AS poor, sum(f.near_poor_households) AS near_poor,
               sum(f.escaped_poverty) AS escaped, sum(f.fell_back_into_poverty) AS fell_back,
               sum(f.newly_poor) AS newly_poor, sum(f.ethnic_minority_households) AS em_households,
               sum(f.ethnic_minority_poor_households) AS em_poor"""


def query(con, sql: str, params: Iterable = ()) -> pd.DataFrame:
    """A query's result as a DataFrame, on its own cursor."""
    return con.cursor().execute(sql, list(params)).df()


def keep_years(frame: pd.DataFrame, years: Sequence[int] | None) -> pd.DataFrame:
    """The rows of the given years (all rows when `years` is None), renumbered."""
    if years is None:
        return frame.reset_index(drop=True)
    return frame[frame["year"].isin([int(y) for y in years])].reset_index(drop=True)


def placeholders(values: Sequence) -> str:
    """'?, ?, ?' for a list of parameters."""
    return ", ".join("?" for _ in values)


def rank_sql(column: str) -> str:
    """Position of a status on the ladder (none = 0 … model = 3; a missing status counts as none)."""
    return f"list_position({LADDER_SQL}, coalesce({column}, 'none')) - 1"


def name_sql(level: str, col: str) -> str:
    """Newest name of the unit of `level` whose code is in `col`."""
    return (f"(SELECT arg_max(x.name, coalesce(x.valid_to, DATE '9999-12-31')) FROM units x "
            f"WHERE x.level = '{level}' AND x.code = {col})")


def failed_count_sql(alias: str = "f") -> str:
    """Number of criteria explicitly not met."""
    return " + ".join(f"CASE WHEN {alias}.{c} = FALSE THEN 1 ELSE 0 END" for c in CRITERIA)


def key_failed_sql(alias: str = "f") -> str:
    """True when a key criterion (Income, Environment, Defence & security) is not met."""
    return "(" + " OR ".join(f"coalesce({alias}.{c} = FALSE, FALSE)" for c in sorted(key_criteria())) + ")"


def failed_list_sql(alias: str = "f") -> str:
    """List of the criterion codes explicitly not met."""
    items = ", ".join(f"CASE WHEN {alias}.{c} = FALSE THEN '{c}' END" for c in CRITERIA)
    return f"list_filter([{items}], lambda x: x IS NOT NULL)"


def at_risk_sql(alias: str = "f") -> str:
    """QĐ 18/2022 revocation condition for a recognised commune row."""
    rule = revocation_rule()
    n = failed_count_sql(alias)
    return (f"({alias}.ntm_status IN {RECOGNISED_SQL} AND (({n}) >= {rule.min_failed_any} "
            f"OR (({n}) >= {rule.min_failed_with_key} AND {key_failed_sql(alias)})))")
