"""The ranking a leader reads on the new units (`ntm.read.poverty.unit_ranking`), on the demo database: the
communes of a province (or of a former district), the provinces of the nation, each rate from the
commune rows in force, ranked by the fall of the poor rate."""

from __future__ import annotations

import pytest

from ntm.read import poverty as poverty_q
from ntm.read.scope import resolve_scope


def rates(db, column: str, code: str, year: int) -> dict[str, float]:
    """100 × poor / households per unit (`column` of the new figures) in a year, from the commune rows."""
    rows = db.execute(f"""SELECT {column}, 100.0 * sum(poor_households) / sum(households) FROM figures_new
                          WHERE year = ? AND (? = '' OR province_code = ?) GROUP BY ALL""", [year, code, code]).fetchall()
    return dict(rows)


def test_a_province_ranks_its_communes(db):
    df = poverty_q.unit_ranking(db, resolve_scope(db, "51", 2026, "new"), 2021, 2026)
    start, end = rates(db, "commune_code", "51", 2021), rates(db, "commune_code", "51", 2026)
    assert set(df["level"]) == {"commune"} and set(df["unit_code"]) == set(start) & set(end)
    for r in df.itertuples():
        assert r.rate_from_pct == pytest.approx(start[r.unit_code]) and r.rate_to_pct == pytest.approx(end[r.unit_code])
    assert df["reduction_pp"].is_monotonic_decreasing and df["reduction_rank"].iloc[0] == 1
    assert all(name.startswith(("Xã ", "Phường ", "Đặc khu ")) for name in df["unit_name"])
    flags = dict(db.execute("SELECT commune_code, is_mountainous FROM figures_new WHERE year = 2026 "
                            "AND province_code = '51'").fetchall())
    assert {r.unit_code: r.is_mountainous for r in df.itertuples()} == {c: flags[c] for c in df["unit_code"]}
    assert set(df["standard_from"]) == {"ND07_2021"} and set(df["standard_to"]) == {"ND351_2025"}


def test_the_nation_ranks_its_provinces(db):
    df = poverty_q.unit_ranking(db, resolve_scope(db, None, 2026, "new"), 2021, 2025)
    end = rates(db, "province_code", "", 2025)
    assert set(df["level"]) == {"province"} and set(df["unit_code"]) == set(end)
    assert {r.unit_code: r.rate_to_pct for r in df.itertuples()} == pytest.approx(end)
    assert df["is_mountainous"].isna().all()                       # no mountainous flag for a province


def test_a_former_district_ranks_only_its_communes(db):
    former = resolve_scope(db, "610", 2026, "new")
    df = poverty_q.unit_ranking(db, former, 2021, 2026)
    inside = {c for (c,) in db.execute("SELECT DISTINCT commune_code FROM figures_new WHERE district_code = '610' "
                                       "AND year = 2026").fetchall()}
    assert len(df) > 1 and set(df["unit_code"]) == inside


def test_a_year_without_figures_gives_an_empty_ranking_with_its_columns(db):
    df = poverty_q.unit_ranking(db, resolve_scope(db, "51", 2026, "new"), 2019, 2026)
    assert df.empty and {"unit_code", "unit_name", "reduction_pp", "reduction_rank"} <= set(df.columns)
