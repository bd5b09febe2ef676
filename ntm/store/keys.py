"""What a store's tables do not keep by themselves (DuckLake has no keys, sequences or indexes): new
batch ids, the one row per key of `meta`, and writers of a shared store that meet at commit (`land`)."""

from __future__ import annotations

from contextlib import nullcontext

import duckdb

from ntm.errors import StoreUnavailable
from ntm.store.connection import store_of, transaction, write_lock

CONFLICT_RETRIES = 5      # a shared store's writer that lost to a concurrent one tries again this often


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


def land(con, write, db_path=None, clash=None):
    """Run `write(cur)` in one transaction under the store's write lock (`db_path`'s, else that of the
    store `con` was opened on); its result. On a shared store a
    concurrent writer may commit first and this commit is refused (nothing of it is written): `write`
    then runs again on the newer store — unless `clash(cur, since)` raises because a batch that landed
    meanwhile (batch id above `since`) covers the same figures, which the user is then told.
    StoreUnavailable when the store's server does not answer (nothing is written)."""
    for attempt in range(CONFLICT_RETRIES):
        since = None
        try:
            with write_lock(db_path) if db_path is not None else nullcontext(), transaction(con) as cur:
                since = last_batch_id(cur)
                return write(cur)
        except duckdb.IOException as exc:                  # the catalog's server does not answer
            loc = store_of(con)
            raise StoreUnavailable(loc.label if loc else "", type(exc).__name__) from None
        except duckdb.TransactionException:
            if attempt + 1 == CONFLICT_RETRIES or since is None:
                raise
            if clash is not None:
                with transaction(con) as cur:
                    clash(cur, since)


def last_batch_id(cur) -> int:
    """The newest batch id the transaction sees (0 in a store without batches)."""
    return cur.execute("SELECT coalesce(max(batch_id), 0) FROM import_batches").fetchone()[0]
