"""Schema migrations: numbered steps that bring a database made by an earlier release to the current
schema without rebuilding it — every batch, figure, boundary and reference row is kept.

Each applied step is a row of `schema_migrations` (number, description, when). A database without that
table was made by the first release: it is at step 1 (the baseline). `migrate()` runs the missing steps
in one transaction when the database is opened (`ntm.store.build.init_database`); a new database is
created at the newest step directly (`ntm.store.schema.create_schema`). Adding a table or changing one
is one more step here and the same change in the schema.

A figure column of the yearly file needs no step of its own: step 11 is standing — it runs again whenever
`commune_year` or a figures table lacks a column of the registry (`ntm.domain.columns.FIGURE_COLUMNS`), adds
it empty and rebuilds the figures tables. It runs before the other pending steps, whose refreshes of the
figures tables read every column of today's registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import duckdb
import pandas as pd

from ntm.domain.columns import BY_NAME, FIGURE_COLUMNS
from ntm.errors import DatabaseTooNew
from ntm.domain.roles import EARLIER_ROLE
from ntm.store.access import batch_provinces
from ntm.store.accounts import (ACCOUNTS_DDL, STORE_STEP, bring_in_users_file, put_back_accounts, saved_accounts,
                                users_file)
from ntm.store.connection import transaction
from ntm.store.reference import ATTRIBUTES, TARGETS, history_ddl

MIGRATIONS_DDL = """CREATE TABLE IF NOT EXISTS schema_migrations (
    number INTEGER NOT NULL,
    description VARCHAR NOT NULL,
    applied_at TIMESTAMP DEFAULT current_timestamp
)"""


@dataclass(frozen=True)
class Migration:
    """One numbered step: what it does, and the statements that do it."""

    number: int
    description: str
    statements: tuple[str, ...] = ()
    after: Callable | None = None     # a step that needs Python (called with the cursor, after the statements)
    standing: bool = False            # runs again whenever a database lacks a registry column (above)


# Tables that step 4 brought and the schema creates the same way.
CROSSWALK_DDL = (
    """CREATE TABLE IF NOT EXISTS unit_map (
    pre_unit_id VARCHAR NOT NULL,
    pre_code VARCHAR NOT NULL,
    pre_district_code VARCHAR,
    pre_province_code VARCHAR,
    post_code VARCHAR NOT NULL,
    post_province_code VARCHAR,
    post_is_rural BOOLEAN,
    weight DOUBLE NOT NULL,
    is_split BOOLEAN NOT NULL,
    weight_source VARCHAR
)""",
    """CREATE TABLE IF NOT EXISTS former_areas (
    post_code VARCHAR NOT NULL,
    former_district_code VARCHAR,
    former_province_code VARCHAR,
    n_predecessors INTEGER
)""",
)
CRITERIA_DDL = """CREATE TABLE IF NOT EXISTS criteria (
    criteria_set VARCHAR NOT NULL,
    criterion VARCHAR NOT NULL,
    number INTEGER,
    name_vi VARCHAR, name_en VARCHAR, group_vi VARCHAR, group_en VARCHAR,
    is_key BOOLEAN, department_vi VARCHAR, department_en VARCHAR, verified BOOLEAN
)"""
BATCH_COUNTER_DDL = "CREATE TABLE IF NOT EXISTS batch_counter (last_batch_id INTEGER NOT NULL)"
IMPORT_BATCHES_DDL = """CREATE TABLE IF NOT EXISTS import_batches (
    batch_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    year INTEGER,
    file_name VARCHAR,
    checksum VARCHAR,
    imported_by VARCHAR,
    imported_at TIMESTAMP DEFAULT current_timestamp,
    n_rows INTEGER,
    status VARCHAR NOT NULL,
    replaced_batch_ids INTEGER[],
    is_demo BOOLEAN DEFAULT FALSE,
    note VARCHAR,
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR,
    unit_system VARCHAR,
    provinces VARCHAR[]
)"""


def _across_reform(cur) -> None:
    """Step 4's data: the unit list and lineage again from the package (the same units, with every
    lineage row the crosswalk needs), the crosswalk tables and the criteria of both sets."""
    from ntm.store.catalogues import load_criteria_table
    from ntm.store.unit_list import load_units

    load_units(cur)
    load_criteria_table(cur)


def _figures(cur) -> None:
    from ntm.store.figures import refresh_figures

    refresh_figures(cur)


def _shipped_boundaries(cur) -> None:
    from ntm.store.boundaries import load_boundaries

    load_boundaries(cur)


FIGURE_TABLES = ("commune_year", "figures_old", "figures_new")


def missing_columns(cur) -> dict[str, list[str]]:
    """The registry's figure columns each table that exists lacks (`FIGURE_TABLES`), by table."""
    have: dict[str, set[str]] = {}
    for table, column in cur.execute("SELECT table_name, column_name FROM information_schema.columns "
                                     "WHERE table_catalog = current_database() AND table_schema = 'main' "
                                     "AND table_name IN (SELECT unnest(?))",
                                     [list(FIGURE_TABLES)]).fetchall():
        have.setdefault(table, set()).add(column)
    return {table: [c for c in FIGURE_COLUMNS if c not in cols] for table, cols in have.items()
            if set(FIGURE_COLUMNS) - cols}


def _registry_columns(cur) -> None:
    """Step 11: every figure column of the registry that `commune_year` lacks, added empty; the figures
    tables rebuilt with it (when they exist yet: a database before step 4 gets them from its own steps)."""
    missing = missing_columns(cur)
    for name in missing.get("commune_year", []):
        cur.execute(f"ALTER TABLE commune_year ADD COLUMN {name} {BY_NAME[name].sql_type}")
    if set(missing) - {"commune_year"}:
        _figures(cur)


_ATTRIBUTES_V4 = """CREATE TABLE unit_attributes_v4 (
    system VARCHAR NOT NULL, level VARCHAR NOT NULL, code VARCHAR NOT NULL, name VARCHAR,
    is_mountainous BOOLEAN, is_island BOOLEAN, is_poor_district BOOLEAN, em_region VARCHAR, decision VARCHAR,
    verified BOOLEAN, note VARCHAR, batch_id INTEGER)"""

def _roles_and_provinces(cur) -> None:
    """Step 14: accounts get provinces, and one of an earlier release — it could change every province —
    becomes a coordinator (kept as an account change); every batch records its unit system and provinces.
    Both tables are made anew with their rows (the lake cannot update rows of a column added in the same
    transaction)."""
    earlier = dict(cur.execute("SELECT name, role FROM accounts").fetchall())
    accounts = saved_accounts(cur)
    cur.execute("DROP TABLE accounts")
    cur.execute(ACCOUNTS_DDL[0])
    put_back_accounts(cur, accounts)
    for name, _, role, _, _ in accounts:
        if role != earlier[name]:
            cur.execute("INSERT INTO account_changes VALUES (?, ?, ?, 'role_changed', ?, [])",
                        [datetime.now(), STORE_STEP, name, EARLIER_ROLE])
    found = [(batch, *batch_provinces(cur, batch, kind))
             for batch, kind in cur.execute("SELECT batch_id, kind FROM import_batches").fetchall()]
    cur.register("batch_provinces_found", pd.DataFrame(found, columns=["batch_id", "system", "provinces"]))
    cur.execute(IMPORT_BATCHES_DDL.replace("import_batches", "import_batches_v14"))
    cur.execute("""INSERT INTO import_batches_v14 BY NAME
                   SELECT b.* REPLACE (coalesce(b.unit_system, f.system) AS unit_system), f.provinces
                   FROM import_batches b LEFT JOIN batch_provinces_found f USING (batch_id)""")
    cur.unregister("batch_provinces_found")
    cur.execute("DROP TABLE import_batches")
    cur.execute("ALTER TABLE import_batches_v14 RENAME TO import_batches")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "schema of the first release"),
    Migration(2, "reference uploads keep the rows they replace in tables made with the schema",
              (history_ddl(ATTRIBUTES), history_ddl(TARGETS))),
    Migration(3, "a rollback records who undid the batch and when",
              ("ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_at TIMESTAMP",
               "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_by VARCHAR")),
    Migration(4, "figures, attributes and targets belong to a unit system; the crosswalk of the 2025 reform; "
                 "criteria sets (QĐ 318/2022, QĐ 51/2025) and commune groups",
              ("ALTER TABLE commune_year ADD COLUMN IF NOT EXISTS criteria_set VARCHAR",
               "ALTER TABLE commune_year ADD COLUMN IF NOT EXISTS commune_group INTEGER",
               "ALTER TABLE commune_year ADD COLUMN IF NOT EXISTS unit_system VARCHAR",
               "ALTER TABLE commune_year ADD COLUMN IF NOT EXISTS superseded_by INTEGER",
               "UPDATE commune_year SET unit_system = split_part(unit_id, ':', 1), "
               "criteria_set = CASE WHEN year >= 2026 THEN 'QD51_2025' ELSE 'QD318_2022' END",
               "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS unit_system VARCHAR",
               "UPDATE import_batches b SET unit_system = (SELECT any_value(f.unit_system) FROM commune_year f "
               "WHERE f.batch_id = b.batch_id) WHERE b.kind = 'commune_year'",
               "ALTER TABLE targets ADD COLUMN IF NOT EXISTS scope_system VARCHAR",
               "ALTER TABLE targets_history ADD COLUMN IF NOT EXISTS scope_system VARCHAR",
               "UPDATE targets SET scope_system = 'pre2025' WHERE scope_code IS NOT NULL",
               "UPDATE targets_history SET scope_system = 'pre2025' WHERE scope_code IS NOT NULL",
               _ATTRIBUTES_V4,
               "INSERT INTO unit_attributes_v4 BY NAME SELECT 'pre2025' AS system, * FROM unit_attributes",
               "DROP TABLE unit_attributes",
               "ALTER TABLE unit_attributes_v4 RENAME TO unit_attributes",
               "ALTER TABLE unit_attributes_history ADD COLUMN IF NOT EXISTS system VARCHAR",
               "UPDATE unit_attributes_history SET system = 'pre2025'",
               "DROP TABLE IF EXISTS criteria",
               CRITERIA_DDL,
               *CROSSWALK_DDL),
              after=_across_reform),
    Migration(5, "the figures in force in each geography are kept as tables (refreshed by every write)",
              after=_figures),
    Migration(6, "the real boundaries of the new provinces and communes are shipped (uploads are kept)",
              after=_shipped_boundaries),
    Migration(7, "the figures tables say which communes are rural by the unit list (the NTM denominator)",
              after=_figures),
    Migration(8, "yearly files may report near-poor households that became poor (a flow of their own)",
              ("ALTER TABLE commune_year ADD COLUMN IF NOT EXISTS near_poor_to_poor INTEGER",),
              after=_figures),
    Migration(9, "the old provinces are drawn from today's communes by their predecessors' province (islands "
                 "included, as the official units); uploads are kept",
              after=_shipped_boundaries),
    Migration(10, "the end-2026 review is measured with NĐ 351/2025 (the demo's 2026 rows); every part of a split "
                  "commune is approximate and a merged commune stays to be re-assessed until it is recognised",
              ("UPDATE commune_year SET poverty_standard = 'ND351_2025' WHERE year >= 2026 "
               "AND poverty_standard = 'ND07_2021' AND batch_id IN (SELECT batch_id FROM import_batches WHERE is_demo)",),
              after=_figures),
    Migration(11, "every figure column of the yearly file's registry is stored (again whenever it gains one)",
              after=_registry_columns, standing=True),
    Migration(12, "batch ids come from a counter kept in the store (a shared store has no sequences)",
              (BATCH_COUNTER_DDL,
               "INSERT INTO batch_counter SELECT coalesce(max(batch_id), 0) FROM import_batches "
               "WHERE NOT EXISTS (SELECT 1 FROM batch_counter)")),
    Migration(13, "analyst accounts and failed logins live in the store (every replica knows the same); the "
                  "users file of earlier releases is brought in",
              ACCOUNTS_DDL, after=lambda cur: bring_in_users_file(cur, users_file())),
    Migration(14, "accounts have a role (viewer, province analyst, coordinator, administrator) and provinces; "
                  "account changes are kept; every batch records its provinces. Earlier accounts become "
                  "coordinators (they could change every province)",
              (ACCOUNTS_DDL[2],), after=_roles_and_provinces),
)
LATEST = MIGRATIONS[-1].number


def applied(con) -> set[int]:
    """The steps a database has: those recorded, or the first release's baseline when none are."""
    cur = con.cursor()
    try:
        return {r[0] for r in cur.execute("SELECT number FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        return {1}


def pending(con) -> list[Migration]:
    """The steps a database lacks, in order (a standing step also when a registry column is missing);
    DatabaseTooNew when it has steps this release does not know."""
    done = applied(con)
    if max(done, default=1) > LATEST:
        raise DatabaseTooNew(max(done), LATEST)
    lacking = bool(missing_columns(con.cursor()))
    return [m for m in MIGRATIONS if m.number not in done or (m.standing and lacking)]


def record_all(cur) -> None:
    """Mark every step as applied (a database created with the current schema)."""
    cur.execute(MIGRATIONS_DDL)
    _record(cur, MIGRATIONS)
    _set_version(cur)


def _record(cur, steps) -> None:
    """Record `steps` as applied (once each)."""
    cur.execute("DELETE FROM schema_migrations WHERE number IN (SELECT unnest(?))", [[m.number for m in steps]])
    cur.executemany("INSERT INTO schema_migrations (number, description) VALUES (?, ?)",
                    [(m.number, m.description) for m in steps])


def _set_version(cur) -> None:
    cur.execute("DELETE FROM meta WHERE key = 'schema_version'")
    cur.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(LATEST)])


def migrate(con) -> list[int]:
    """Run the missing steps in one transaction (nothing half-migrated survives an error); returns the
    numbers of the steps run."""
    steps = pending(con)
    if not steps:
        return []
    done = applied(con)
    with transaction(con) as cur:
        cur.execute(MIGRATIONS_DDL)
        _record(cur, [m for m in MIGRATIONS if m.number in done])
        for step in sorted(steps, key=lambda m: not m.standing):       # standing steps first (above)
            for statement in step.statements:
                cur.execute(statement)
            if step.after:
                step.after(cur)
            _record(cur, [step])
        _set_version(cur)
    return [m.number for m in steps]
