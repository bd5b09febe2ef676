"""A process's in-memory copy of the store: it shows one snapshot; a sync brings it to the newest, copying
again only the tables whose rows changed (a failed login does not make every dashboard copy the whole
store, nor throw away any cached figure), and everything again after a change of tables."""

from __future__ import annotations

from ntm.read.options import data_fingerprint
from ntm.store.connection import connect, copied_snapshot, snapshot, sync, transaction


def test_a_sync_copies_again_only_the_tables_whose_rows_changed(writable_db):
    reader, writer = connect(writable_db, read_only=True), connect(writable_db)
    try:
        reader.execute("INSERT INTO meta VALUES ('only-in-this-copy', 'x')")      # the copy, not the store
        figures = data_fingerprint(reader)
        with transaction(writer) as cur:
            cur.execute("INSERT INTO login_failures VALUES ('khong-co', 1, 0)")
        assert copied_snapshot(reader) < snapshot(reader)
        assert sync(reader) and copied_snapshot(reader) == snapshot(reader)
        assert data_fingerprint(reader) == figures              # a failed login keeps every cached figure
        assert reader.execute("SELECT name FROM login_failures").fetchall() == [("khong-co",)]
        assert reader.execute("SELECT count(*) FROM meta WHERE key = 'only-in-this-copy'").fetchone()[0] == 1
        with transaction(writer) as cur:                                           # a table more
            cur.execute("CREATE TABLE province_reports (province_code VARCHAR, year INTEGER)")
        assert sync(reader) and data_fingerprint(reader) != figures
        assert reader.execute("SELECT count(*) FROM province_reports").fetchone()[0] == 0
        assert reader.execute("SELECT count(*) FROM meta WHERE key = 'only-in-this-copy'").fetchone()[0] == 0
        assert not sync(reader)
    finally:
        reader.close()
        writer.close()
