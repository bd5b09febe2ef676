"""The DuckDB file: connection and locks, schema and migrations, building it (units, boundaries, demo
data), versioned batches and their rollback."""
