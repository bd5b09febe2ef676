"""A yearly file of the first review under a new poverty standard (2026: NĐ 351/2025, docs/domain.md §2.7)
is a baseline: its poor and near-poor households are re-measured under the higher lines and it reports no
flows. Such a file validates with no flow warning and imports with its flows empty; a 2026 file that does
report flows is accepted and its flows are checked as in any other year."""

from __future__ import annotations

import pandas as pd

from ntm.domain.columns import BY_NAME, COLUMNS
from ntm.domain.rules import CRITERIA
from ntm.ingest.yearly import import_report, validate_bytes
from ntm.read.scope import resolve_scope
from ntm.read.summary import summary

FLOWS = ("escaped_poverty", "fell_back_into_poverty", "newly_poor", "near_poor_to_poor")


def quang_ngai_2026(con, flows: bool) -> pd.DataFrame:
    """The new Quảng Ngãi's 2026 figures in force (re-measured under the new lines), in upload shape, with
    or without the four flow columns."""
    cols = [c.name for c in COLUMNS if c.name not in ("commune_name", "district_name", "province_name",
                                                      "poverty_standard", *([] if flows else FLOWS))]
    df = con.execute("""SELECT * FROM commune_year WHERE is_current AND year = 2026 AND province_code = '51'
                        AND unit_system = 'post2025' ORDER BY commune_code""").df()[cols]
    for c in CRITERIA:
        df[c] = df[c].map({True: 1, False: 0})
    return df


def upload(df: pd.DataFrame) -> bytes:
    out = df.copy()
    out.columns = [BY_NAME[c].header_vi for c in out.columns]
    return out.to_csv(index=False).encode()


def test_a_2026_file_without_flow_columns_validates_with_no_flow_warning(wcon, writable_db):
    df = quang_ngai_2026(wcon, flows=False)
    before = summary(wcon, resolve_scope(wcon, "51", 2025, "new"), 2025)["poor"]["count"]
    assert df["poor_households"].sum() > before                  # more poor households under the higher lines
    report = validate_bytes(wcon, upload(df), "quang_ngai_2026.csv")
    assert report.year == 2026 and report.errors == []
    assert not [i for i in report.issues if i.key.startswith("flow.")]
    assert not [i for i in report.warnings if i.column in {BY_NAME[c].header_vi for c in FLOWS}]
    import_report(wcon, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
    s = summary(wcon, resolve_scope(wcon, "51", 2026, "new"), 2026)
    assert (s["escaped"], s["fell_back"], s["newly_poor"]) == (None, None, None)
    assert s["poor"]["count"] == df["poor_households"].sum() and s["poverty_standard"]["key"] == "ND351_2025"


def test_a_2026_file_with_flows_is_checked_as_any_year(db):
    """Flows reported in 2026 are taken as written and held to the same rules: more escaping than were poor
    at the end of 2025 is refused, naming the row and the column."""
    df = quang_ngai_2026(db, flows=True)
    start = db.execute("""SELECT commune_code, poor_households FROM figures_new WHERE year = 2025
                          AND province_code = '51' AND poor_households >= 10 ORDER BY commune_code LIMIT 1""").fetchone()
    i = df.index[df["commune_code"] == start[0]][0]
    df[list(FLOWS[:3])] = 0
    df[list(FLOWS)] = df[list(FLOWS)].astype("Int64")
    df.loc[i, ["escaped_poverty", "poor_households"]] = [start[1] + 5, 0]
    df.loc[i, "ethnic_minority_poor_households"] = 0
    report = validate_bytes(db, upload(df), "quang_ngai_2026_flows.csv")
    [error] = [e for e in report.errors if e.key == "flow.escaped_gt_start"]
    assert (error.row, error.column) == (i + 2, BY_NAME["escaped_poverty"].header_vi)
