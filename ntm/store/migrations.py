"""Schema migrations: numbered steps that bring a database made by an earlier release to the current
schema without rebuilding it — every batch, figure, boundary and reference row is kept.

Each applied step is a row of `schema_migrations` (number, description, when). A database without that
table was made by the first release: it is at step 1 (the baseline). `migrate()` runs the missing steps
in one transaction when the database is opened (`ntm.store.build.init_database`); a new database is
created at the newest step directly (`ntm.store.schema.create_schema`). Adding a column or a table is
one more step here and the same change in the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ntm.errors import DatabaseTooNew
from ntm.store.connection import transaction
from ntm.store.reference import ATTRIBUTES, TARGETS, history_ddl

MIGRATIONS_DDL = """CREATE TABLE IF NOT EXISTS schema_migrations (
    number INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at TIMESTAMP DEFAULT current_timestamp
)"""


@dataclass(frozen=True)
class Migration:
    """One numbered step: what it does, and the statements that do it."""

    number: int
    description: str
    statements: tuple[str, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "schema of the first release"),
    Migration(2, "reference uploads keep the rows they replace in tables made with the schema",
              (history_ddl(ATTRIBUTES), history_ddl(TARGETS))),
    Migration(3, "a rollback records who undid the batch and when",
              ("ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_at TIMESTAMP",
               "ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS rolled_back_by VARCHAR")),
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
    """The steps a database lacks, in order; DatabaseTooNew when it has steps this release does not know."""
    done = applied(con)
    if max(done, default=1) > LATEST:
        raise DatabaseTooNew(max(done), LATEST)
    return [m for m in MIGRATIONS if m.number not in done]


def record_all(cur) -> None:
    """Mark every step as applied (a database created with the current schema)."""
    cur.execute(MIGRATIONS_DDL)
    cur.executemany("INSERT OR IGNORE INTO schema_migrations (number, description) VALUES (?, ?)",
                    [(m.number, m.description) for m in MIGRATIONS])
    cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(LATEST)])


def migrate(con) -> list[int]:
    """Run the missing steps in one transaction (nothing half-migrated survives an error); returns the
    numbers of the steps run."""
    steps = pending(con)
    if not steps:
        return []
    done = applied(con)
    with transaction(con) as cur:
        cur.execute(MIGRATIONS_DDL)
        cur.executemany("INSERT OR IGNORE INTO schema_migrations (number, description) VALUES (?, ?)",
                        [(m.number, m.description) for m in MIGRATIONS if m.number in done])
        for step in steps:
            for statement in step.statements:
                cur.execute(statement)
            cur.execute("INSERT INTO schema_migrations (number, description) VALUES (?, ?)",
                        [step.number, step.description])
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(LATEST)])
    return [m.number for m in steps]
