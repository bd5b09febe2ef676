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

Merging rules for the re-aggregated rows: counts are summed (× weight, rounded); a count missing for any
predecessor is missing; income is weighted by population (households when missing); the NTM status is
the lowest of the predecessors' that can hold one (a level is kept only when every predecessor had it,
CV 5424; wards and townships have none and do not count; a new commune formed only from them is not
recognised), and none for a new ward; a criterion is met only when every such predecessor met it.
"""

from __future__ import annotations

from functools import lru_cache

from ntm.domain.columns import BY_NAME, FIGURE_COLUMNS, SQL_TYPES
from ntm.domain.criteria import criteria_set_for_year
from ntm.domain.rules import CRITERIA, STATUS_LADDER
from ntm.domain.units import POST, PRE, REFORM_CHANGE, REFORM_YEAR

LADDER_SQL = "[" + ", ".join(f"'{s}'" for s in STATUS_LADDER) + "]"
_COUNTS = tuple(c for c in FIGURE_COLUMNS if BY_NAME[c].kind == "int"
                and c not in ("ntm_recognition_year", "criteria_met", "commune_group"))


def _rank(col: str) -> str:
    return f"(list_position({LADDER_SQL}, coalesce({col}, 'none')) - 1)"


def _all(col: str) -> str:
    """True when every summed row has a value in `col`."""
    return f"count({col}) = count(*)"


def _merged_columns() -> list[str]:
    out = []
    for c in _COUNTS:
        out.append(f"CASE WHEN {_all('f.' + c)} THEN CAST(round(sum(f.{c} * m.weight)) AS INTEGER) END AS {c}")
    size = "coalesce(f.population, f.households)"
    out.append(f"CASE WHEN {_all('f.income_per_capita')} THEN sum(f.income_per_capita * {size} * m.weight) "
               f"/ nullif(sum({size} * m.weight), 0) END AS income_per_capita")
    # Only predecessors that can hold a level count (wards and townships have no status).
    ranked = f"CASE WHEN f.ntm_status IS NOT NULL THEN {_rank('f.ntm_status')} END"
    rank_min, rank_max = f"min({ranked})", f"max({ranked})"
    rural = "bool_or(m.post_is_rural) AND count(f.ntm_status) > 0"
    out.append(f"CASE WHEN {rural} THEN {LADDER_SQL}[{rank_min} + 1] "
               f"WHEN bool_or(m.post_is_rural) THEN 'none' END AS ntm_status")
    out.append(f"CASE WHEN {rural} AND {rank_min} > 0 THEN max(f.ntm_recognition_year) END AS ntm_recognition_year")
    for c in CRITERIA:
        out.append(f"CASE WHEN {rural} AND count(f.{c}) = count(f.ntm_status) THEN bool_and(f.{c}) END AS {c}")
    out.append(f"CASE WHEN {rural} THEN min(f.criteria_met) END AS min_criteria_met")
    out.append("any_value(f.criteria_set) AS criteria_set")
    out.append("CAST(NULL AS INTEGER) AS commune_group")
    out.append(f"coalesce({rural} AND {rank_min} = 0 AND {rank_max} > 0, FALSE) AS reassess")
    return out


def _criteria_met_from_flags() -> str:
    known = " AND ".join(f"{c} IS NOT NULL" for c in CRITERIA)
    total = " + ".join(f"CAST({c} AS INTEGER)" for c in CRITERIA)
    return f"CASE WHEN n_sources = 1 OR NOT ({known}) THEN min_criteria_met ELSE {total} END"


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


def _ensure_figure_columns(cur) -> None:
    """Today's code reads every figure column of today's file: a database being upgraded gets the
    columns a later step adds (empty) before an earlier step's refresh reads them."""
    have = {r[0] for r in cur.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'commune_year'").fetchall()}
    for name in FIGURE_COLUMNS:
        if name not in have:
            cur.execute(f"ALTER TABLE commune_year ADD COLUMN {name} {SQL_TYPES[BY_NAME[name].kind]}")


def refresh_figures(cur, years=None) -> None:
    """Re-compute the figures tables from the rows in force (only `years` when given and the tables
    exist), inside the caller's transaction."""
    _ensure_figure_columns(cur)
    have = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_schema = 'main'").fetchall()}
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
    ranked = f"CASE WHEN f.ntm_status IS NOT NULL THEN {_rank('f.ntm_status')} END"
    return f"""split_parts AS (
        SELECT DISTINCT split_part(successor_id, ':', 3) AS post_code FROM unit_lineage
        WHERE change_type = '{REFORM_CHANGE}' AND predecessor_id IN (
            SELECT predecessor_id FROM unit_lineage WHERE change_type = '{REFORM_CHANGE}'
            GROUP BY predecessor_id HAVING count(DISTINCT successor_id) > 1)),
    mixed AS (
        SELECT m.post_code FROM commune_year f JOIN unit_map m ON m.pre_unit_id = f.unit_id
        WHERE f.is_current AND f.unit_system = '{PRE}' AND m.post_is_rural
          AND f.year = (SELECT max(year) FROM commune_year WHERE is_current AND unit_system = '{PRE}')
        GROUP BY m.post_code HAVING min({ranked}) = 0 AND max({ranked}) > 0)"""


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
    keep = [c for c in FIGURE_COLUMNS if c != "criteria_met"]
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
        SELECT year, commune_code, unit_id, province_code, poverty_standard, {', '.join(keep)},
               {_criteria_met_from_flags()} AS criteria_met, is_demo, batch_id, converted, approximate,
               reassess, n_sources
        FROM merged)
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
