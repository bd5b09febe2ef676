"""The figures every read sees, in one of two geographies (`ntm.domain.units.GEOGRAPHIES`):

    old   the rows in force on the pre-reform units, as they were (2021–2025, with districts)
    new   the rows in force on the post-reform units, and every earlier year re-aggregated onto them
          through the crosswalk (`unit_map`): a new commune's figures for a year before it existed are
          the sums of the old communes that formed it ("quy đổi theo địa giới mới")

Both are kept as tables (`figures_old`, `figures_new`: a cache of the relations below, refreshed by every
write that changes them — an import or a rollback for its year, a reference upload, the unit list, a
migration, a build), with the same columns, used as `FROM {figures_sql(geo)} f`:

    year, commune_code, unit_id, district_code, province_code, poverty_standard, the file's figure
    columns (households … c19, criteria_set, commune_group), is_demo, batch_id, and
    converted     figures re-aggregated from old units
    approximate   an old commune split between new ones contributed (default successor or stated weight), or
                  the new commune took a part of one (every part of a split is approximate)
    reassess      predecessors with different NTM levels, some recognised (CV 5424/BNN-VPĐP: re-assessed);
                  on a new commune's own rows kept while it reports no recognition under the set in force at
                  the reform
    n_sources     how many rows were summed
    is_mountainous, is_poor_district, em_region, attributes_derived, former_mountainous
    is_rural      the unit list's type is xã: the NTM denominator counts it, reported status or not

In the new geography `district_code` is the new commune's former district (most of its predecessors'),
a history grouping; attributes are the new unit's own uploaded row, else derived from its predecessors
(mountainous when at least half of them were, poor district when any was, EM region the most common one
when at least half had one; a tie goes to the more disadvantaged region, III before II before I).

Merging rules for the re-aggregated rows: each figure column's `merge_rule` in the column registry
(`ntm.domain.columns`: by default its kind's), written in `MERGES`. A figure missing for any predecessor is
missing (a choice the predecessors do not share, too).

    sum               counts: summed (× weight, rounded)
    mean              decimals (income): the mean weighted by population (households when missing), × weight,
                      kept to the column's places
    all               flags: met only when every predecessor met it
    same              choices: the predecessors' value when they all give the same one
    any               the criteria set: one predecessor's (they share the year's)
    lowest_level      the NTM status: the lowest of the predecessors' that can hold one (a level is kept only
                      when every predecessor had it, CV 5424; wards and townships have none and do not count; a
                      new commune formed only from them is not recognised), and none for a new ward
    recognition_year  the latest predecessor's when the merged status is recognised
    criterion         a criterion: met only when every predecessor that can hold a status met it
    criteria_met      the merged criteria met, counted; the fewest any predecessor met when one is unknown
    none              not carried over (the commune group belongs to the new communes)
"""

from __future__ import annotations

from functools import lru_cache

from ntm.domain.columns import BY_NAME, FIGURE_COLUMNS
from ntm.domain.criteria import criteria_set_for_year
from ntm.domain.rules import CRITERIA, STATUS_LADDER
from ntm.domain.units import POST, PRE, REFORM_CHANGE, REFORM_YEAR

# The NTM statuses as an SQL list, lowest rung first.
LADDER_SQL = "[" + ", ".join(f"'{s}'" for s in STATUS_LADDER) + "]"


def rank_sql(column: str) -> str:
    """Position of a status on the ladder (none = 0 …; a missing status counts as none)."""
    return f"(list_position({LADDER_SQL}, coalesce({column}, 'none')) - 1)"


def _all(col: str) -> str:
    """True when every summed row has a value in `col`."""
    return f"count({col}) = count(*)"


# Only predecessors that can hold a level count (wards and townships have no status).
_RANKED = f"CASE WHEN f.ntm_status IS NOT NULL THEN {rank_sql('f.ntm_status')} END"
_RURAL = "bool_or(m.post_is_rural) AND count(f.ntm_status) > 0"
_SIZE = "coalesce(f.population, f.households)"


def _criterion(c: str) -> str:
    return f"CASE WHEN {_RURAL} AND count(f.{c}) = count(f.ntm_status) THEN bool_and(f.{c}) END"


def _criteria_met(c: str) -> str:
    known = " AND ".join(f"({_criterion(k)}) IS NOT NULL" for k in CRITERIA)
    total = " + ".join(f"CAST({_criterion(k)} AS INTEGER)" for k in CRITERIA)
    return f"CASE WHEN count(*) > 1 AND {known} THEN {total} WHEN {_RURAL} THEN min(f.{c}) END"


# The merge rules (module docstring): a column's name and the weight of each row (its share of the old
# commune: `m.weight` over the crosswalk `m`) → its SQL aggregate over the predecessors' rows `f`.
MERGES = {
    "sum": lambda c, w: f"CASE WHEN {_all('f.' + c)} THEN CAST(round(sum(f.{c} * {w})) AS INTEGER) END",
    "mean": lambda c, w: f"CASE WHEN {_all('f.' + c)} THEN round(sum(f.{c} * {_SIZE} * {w}) "
                         f"/ nullif(sum({_SIZE} * {w}), 0), {BY_NAME[c].decimals}) END",
    "all": lambda c, w: f"CASE WHEN {_all('f.' + c)} THEN bool_and(f.{c}) END",
    "same": lambda c, w: f"CASE WHEN {_all('f.' + c)} AND count(DISTINCT f.{c}) = 1 THEN any_value(f.{c}) END",
    "any": lambda c, w: f"any_value(f.{c})",
    "lowest_level": lambda c, w: f"CASE WHEN {_RURAL} THEN {LADDER_SQL}[min({_RANKED}) + 1] "
                                 f"WHEN bool_or(m.post_is_rural) THEN 'none' END",
    "recognition_year": lambda c, w: f"CASE WHEN {_RURAL} AND min({_RANKED}) > 0 THEN max(f.{c}) END",
    "criterion": lambda c, w: _criterion(c),
    "criteria_met": lambda c, w: _criteria_met(c),
    "none": lambda c, w: f"CAST(NULL AS {BY_NAME[c].sql_type})",
}


def merged_sql(name: str, weight: str = "m.weight") -> str:
    """Yearly column `name` of a commune made from other communes' rows `f` (each counted `weight` times),
    by the column's merge rule, as a select item."""
    return f"{MERGES[BY_NAME[name].merge_rule](name, weight)} AS {name}"


def _merged_columns() -> list[str]:
    """Every figure column of a new commune made from the old communes' rows by its merge rule, and
    whether it is to be re-assessed."""
    reassess = f"coalesce({_RURAL} AND min({_RANKED}) = 0 AND max({_RANKED}) > 0, FALSE) AS reassess"
    return [merged_sql(c) for c in FIGURE_COLUMNS] + [reassess]


_PRE_ATTRS = """
    LEFT JOIN unit_attributes ac ON ac.system = '{pre}' AND ac.level = 'commune' AND ac.code = {commune}
    LEFT JOIN unit_attributes ad ON ad.system = '{pre}' AND ad.level = 'district' AND ad.code = {district}"""

# Attributes of each new commune derived from its predecessors (see the module docstring).
_DERIVED = f"""
    SELECT m.post_code,
           avg(CAST(coalesce(ac.is_mountainous, ad.is_mountainous, FALSE) AS INTEGER)) >= 0.5 AS is_mountainous,
           bool_or(coalesce(ac.is_poor_district, ad.is_poor_district, FALSE)) AS is_poor_district,
           CASE WHEN 2 * count(ac.em_region) >= count(*) THEN mode(ac.em_region ORDER BY ac.em_region DESC) END AS em_region
    FROM (SELECT DISTINCT pre_code, pre_district_code, post_code FROM unit_map) m
    {_PRE_ATTRS.format(pre=PRE, commune='m.pre_code', district='m.pre_district_code')}
    GROUP BY m.post_code"""


TABLES = {"old": "figures_old", "new": "figures_new"}


def figures_sql(geo: str) -> str:
    """The table of figures in force in a geography ('old' or 'new')."""
    return TABLES[geo]


def refresh_figures(cur, years=None) -> None:
    """Re-compute the figures tables from the rows in force (only `years` when given and the tables
    exist), inside the caller's transaction."""
    have = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                      "'main' AND table_catalog = current_database()").fetchall()}
    for geo, table in TABLES.items():
        relation = relation_sql(geo)
        if years is None or table not in have:
            cur.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {relation} f ORDER BY year, commune_code")
            continue
        years = [int(y) for y in years]
        cur.execute(f"DELETE FROM {table} WHERE year IN (SELECT unnest(?))", [years])
        cur.execute(f"INSERT INTO {table} SELECT * FROM {relation} f WHERE f.year IN (SELECT unnest(?)) "
                    f"ORDER BY year, commune_code", [years])


def _reform_marks_sql() -> str:
    """Two relations of new communes: `split_parts`, those that took a part of an old commune split between
    several (every part's comparisons are approximate), and `mixed`, the rural ones whose predecessors had
    different NTM levels in their last year (CV 5424: to be re-assessed)."""
    return f"""split_parts AS (
        SELECT DISTINCT split_part(successor_id, ':', 3) AS post_code FROM unit_lineage
        WHERE change_type = '{REFORM_CHANGE}' AND predecessor_id IN (
            SELECT predecessor_id FROM unit_lineage WHERE change_type = '{REFORM_CHANGE}'
            GROUP BY predecessor_id HAVING count(DISTINCT successor_id) > 1)),
    mixed AS (
        SELECT m.post_code FROM commune_year f JOIN unit_map m ON m.pre_unit_id = f.unit_id
        WHERE f.is_current AND f.unit_system = '{PRE}' AND m.post_is_rural
          AND f.year = (SELECT max(year) FROM commune_year WHERE is_current AND unit_system = '{PRE}')
        GROUP BY m.post_code HAVING min({_RANKED}) = 0 AND max({_RANKED}) > 0)"""


@lru_cache(maxsize=2)
def relation_sql(geo: str) -> str:
    """The relation of figures in force in a geography ('old' or 'new'), as a parenthesised subquery
    over the stored rows (what `refresh_figures` keeps in the tables)."""
    figures = ", ".join(f"f.{c}" for c in FIGURE_COLUMNS)
    if geo == "old":
        return f"""(
    SELECT f.year, f.commune_code, f.unit_id, f.district_code, f.province_code, f.poverty_standard, {figures},
           b.is_demo, f.batch_id, FALSE AS converted, FALSE AS approximate, FALSE AS reassess, 1 AS n_sources,
           coalesce(ac.is_mountainous, ad.is_mountainous, FALSE) AS is_mountainous,
           coalesce(ac.is_poor_district, ad.is_poor_district, FALSE) AS is_poor_district,
           ac.em_region, FALSE AS attributes_derived,
           coalesce(ad.is_mountainous, FALSE) AS former_mountainous,
           coalesce(u.is_rural, f.ntm_status IS NOT NULL) AS is_rural
    FROM commune_year f JOIN import_batches b USING (batch_id)
    LEFT JOIN units u ON u.unit_id = f.unit_id
    {_PRE_ATTRS.format(pre=PRE, commune='f.commune_code', district='f.district_code')}
    WHERE f.is_current AND f.unit_system = '{PRE}')"""
    merged = ",\n               ".join(_merged_columns())
    return f"""(
    WITH {_reform_marks_sql()},
    post_rows AS (
        SELECT f.year, f.commune_code, f.unit_id, f.province_code, f.poverty_standard, {figures},
               b.is_demo, f.batch_id, FALSE AS converted, FALSE AS approximate,
               coalesce(f.ntm_status = 'none' AND f.criteria_set = '{criteria_set_for_year(REFORM_YEAR).key}'
                        AND f.commune_code IN (SELECT post_code FROM mixed), FALSE) AS reassess, 1 AS n_sources
        FROM commune_year f JOIN import_batches b USING (batch_id)
        WHERE f.is_current AND f.unit_system = '{POST}'),
    merged AS (
        SELECT f.year, m.post_code AS commune_code, '{POST}:commune:' || m.post_code AS unit_id,
               m.post_province_code AS province_code, any_value(f.poverty_standard) AS poverty_standard,
               {merged},
               bool_or(b.is_demo) AS is_demo, CAST(NULL AS INTEGER) AS batch_id, TRUE AS converted,
               bool_or(m.is_split OR sp.post_code IS NOT NULL) AS approximate, count(*) AS n_sources
        FROM commune_year f JOIN import_batches b USING (batch_id) JOIN unit_map m ON m.pre_unit_id = f.unit_id
        LEFT JOIN split_parts sp ON sp.post_code = m.post_code
        WHERE f.is_current AND f.unit_system = '{PRE}'
          AND NOT EXISTS (SELECT 1 FROM post_rows p WHERE p.year = f.year AND p.commune_code = m.post_code)
        GROUP BY f.year, m.post_code, m.post_province_code),
    rows AS (
        SELECT * FROM post_rows
        UNION ALL BY NAME
        SELECT * FROM merged)
    SELECT r.*, fa.former_district_code AS district_code,
           coalesce(ac.is_mountainous, dv.is_mountainous, FALSE) AS is_mountainous,
           coalesce(ac.is_poor_district, dv.is_poor_district, FALSE) AS is_poor_district,
           coalesce(ac.em_region, dv.em_region) AS em_region,
           ac.code IS NULL AS attributes_derived,
           coalesce(ad.is_mountainous, FALSE) AS former_mountainous,
           coalesce(u.is_rural, r.ntm_status IS NOT NULL) AS is_rural
    FROM rows r
    LEFT JOIN units u ON u.unit_id = r.unit_id
    LEFT JOIN former_areas fa ON fa.post_code = r.commune_code
    LEFT JOIN unit_attributes ac ON ac.system = '{POST}' AND ac.level = 'commune' AND ac.code = r.commune_code
    LEFT JOIN unit_attributes ad ON ad.system = '{PRE}' AND ad.level = 'district' AND ad.code = fa.former_district_code
    LEFT JOIN ({_DERIVED}) dv ON dv.post_code = r.commune_code)"""
