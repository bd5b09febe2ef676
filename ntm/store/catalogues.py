"""Catalogues loaded from the repository's data files into the database when it is built or migrated:
the criteria of every NTM criteria set (`data/criteria.csv`)."""

from __future__ import annotations

from ntm.domain.criteria import load_criteria


def load_criteria_table(con) -> None:
    """The criteria of every set from `data/criteria.csv`."""
    df = load_criteria()
    con.execute("DELETE FROM criteria")
    con.register("criteria_df", df)
    con.execute("INSERT INTO criteria BY NAME SELECT * FROM criteria_df")
    con.unregister("criteria_df")
