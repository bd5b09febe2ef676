"""What an attached database holds, read from DuckDB's own catalog: its tables, and the statement that
creates one of them again (columns, types, defaults, NOT NULLs) — for copying a store and bringing in an
earlier release's file."""

from __future__ import annotations


def table_ddl(cur, catalog: str, table: str, name: str | None = None) -> str:
    """CREATE TABLE for `catalog`.`table`'s columns (types, defaults, NOT NULL), named `name`."""
    cols = cur.execute("SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
                       "WHERE database_name = ? AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
                       [catalog, table]).fetchall()
    parts = [f'"{c}" {kind}' + (f" DEFAULT {default}" if default is not None else "")
             + ("" if nullable else " NOT NULL") for c, kind, default, nullable in cols]
    return f'CREATE TABLE "{name or table}" ({", ".join(parts)})'


def tables_of(cur, catalog: str) -> list[str]:
    """The tables of an attached database's main schema, by name."""
    return [r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND "
                                      "schema_name = 'main' AND NOT temporary ORDER BY 1", [catalog]).fetchall()]
