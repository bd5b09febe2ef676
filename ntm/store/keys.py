"""What a store's tables do not keep by themselves (DuckLake has no keys, sequences or indexes): new
batch ids and the one row per key of `meta`."""

from __future__ import annotations


def next_batch_id(cur) -> int:
    """A new batch id, inside the caller's transaction. Every writer that makes a batch changes the one
    row of `batch_counter`, so two writers of a shared store that overlap conflict at commit and only one
    of them lands (the other writes nothing and is told)."""
    cur.execute("UPDATE batch_counter SET last_batch_id = greatest(last_batch_id, "
                "(SELECT coalesce(max(batch_id), 0) FROM import_batches)) + 1")
    return int(cur.execute("SELECT last_batch_id FROM batch_counter").fetchone()[0])


def set_meta(cur, **values: str) -> None:
    """Set keys of the `meta` table (one row per key)."""
    cur.execute("DELETE FROM meta WHERE key IN (SELECT unnest(?))", [list(values)])
    cur.executemany("INSERT INTO meta VALUES (?, ?)", [[k, str(v)] for k, v in values.items()])
