"""The DuckDB schema: administrative units with validity and lineage, unit attributes, boundaries,
yearly commune and district figures, targets, the criteria catalogue and import batches.

Every figure row carries the batch that brought it in and the unit version it belongs to (`unit_id`,
`unit_system`); `is_current` marks the rows in force (the newest non-rolled-back batch for that unit
and year), so superseded data is kept. A 2025 file on the new units supersedes the same area's rows on
the old units (`superseded_by` = its batch) and a rollback restores them. This is the
newest schema; a database made by an earlier release reaches it through `ntm.store.migrations`.
"""

from __future__ import annotations

from ntm.domain.columns import BY_NAME, FIGURE_COLUMNS
from ntm.store.accounts import ACCOUNTS_DDL
from ntm.store.migrations import BATCH_COUNTER_DDL, CRITERIA_DDL, CROSSWALK_DDL, IMPORT_BATCHES_DDL, record_all
from ntm.store.reference import REFERENCE_TABLES, history_ddl

# The figures of the yearly file, one column per registry entry (`ntm.domain.columns`).
_figures_ddl = ",\n    ".join(f"{name} {BY_NAME[name].sql_type}" for name in FIGURE_COLUMNS)

DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL, value VARCHAR)""",
    # One row per version of a unit. `system` is 'pre2025' (63 provinces, districts, ~10,000 communes)
    # or 'post2025' (34 provinces, 3,321 communes, no districts). A code can have several versions
    # (e.g. 15736 was Xã Xuân Thịnh, then the merged Xã Xuân Lộc): validity periods tell them apart.
    """CREATE TABLE IF NOT EXISTS units (
    unit_id VARCHAR NOT NULL,
    system VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    short_name VARCHAR,
    unit_type VARCHAR,
    is_rural BOOLEAN,
    district_code VARCHAR,
    province_code VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    area_km2 DOUBLE,
    valid_from DATE,
    valid_to DATE,
    name_key VARCHAR,
    source VARCHAR
)""",
    """CREATE TABLE IF NOT EXISTS unit_lineage (
    predecessor_id VARCHAR NOT NULL,
    successor_id VARCHAR NOT NULL,
    change_date DATE NOT NULL,
    change_type VARCHAR NOT NULL,
    is_default BOOLEAN DEFAULT TRUE,
    decision VARCHAR,
    source VARCHAR
)""",
    *CROSSWALK_DDL,
    # Attributes belong to a unit of one system (the 2021–2025 flags to old units, the 2026–2030 ones to
    # new units); new communes without their own row take flags derived from their predecessors.
    """CREATE TABLE IF NOT EXISTS unit_attributes (
    system VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR,
    is_mountainous BOOLEAN,
    is_island BOOLEAN,
    is_poor_district BOOLEAN,
    em_region VARCHAR,
    decision VARCHAR,
    verified BOOLEAN,
    note VARCHAR,
    batch_id INTEGER
)""",
    """CREATE TABLE IF NOT EXISTS boundaries (
    system VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    geojson VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    is_schematic BOOLEAN NOT NULL,
    loaded_at TIMESTAMP DEFAULT current_timestamp,
    batch_id INTEGER,
    is_current BOOLEAN NOT NULL DEFAULT TRUE
)""",
    BATCH_COUNTER_DDL,
    *ACCOUNTS_DDL,
    IMPORT_BATCHES_DDL,
    f"""CREATE TABLE IF NOT EXISTS commune_year (
    batch_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    commune_code VARCHAR NOT NULL,
    unit_id VARCHAR NOT NULL,
    district_code VARCHAR,
    province_code VARCHAR,
    poverty_standard VARCHAR,
    {_figures_ddl},
    is_current BOOLEAN NOT NULL DEFAULT TRUE,
    unit_system VARCHAR,
    superseded_by INTEGER
)""",
    """CREATE TABLE IF NOT EXISTS district_year (
    batch_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    district_code VARCHAR NOT NULL,
    province_code VARCHAR,
    ntm_status VARCHAR NOT NULL,
    ntm_recognition_year INTEGER,
    is_current BOOLEAN NOT NULL DEFAULT TRUE
)""",
    """CREATE TABLE IF NOT EXISTS targets (
    target_id VARCHAR NOT NULL,
    scope_level VARCHAR NOT NULL,
    scope_code VARCHAR,
    scope_name VARCHAR,
    year INTEGER NOT NULL,
    metric VARCHAR NOT NULL,
    level VARCHAR,
    value_min DOUBLE,
    value_max DOUBLE,
    unit VARCHAR,
    source_document VARCHAR,
    verified BOOLEAN,
    note VARCHAR,
    batch_id INTEGER,
    scope_system VARCHAR
)""",
    CRITERIA_DDL,
)


def create_schema(con) -> None:
    """Create every table of the current schema in an empty store, and record every migration step as
    applied (`ntm.store.migrations`). A store's tables have no keys, sequences or indexes (DuckLake has
    none): the writers keep keys unique, and batch ids come from `batch_counter` (`next_batch_id`)."""
    for stmt in DDL + tuple(history_ddl(spec) for spec in REFERENCE_TABLES.values()):
        con.execute(stmt)
    con.execute("INSERT INTO batch_counter VALUES (0)")
    record_all(con)

