"""Under QĐ 51/2025 recognition starts anew (docs/domain.md §1.9, an unconfirmed rule kept in
`data/criteria_sets.csv`): on a hand-built 2026 file, a commune whose row carries a 2021–2025 recognition is
counted as not (yet) recognised again and is never at risk of revocation, while a commune recognised in
2026 that now misses criteria is at risk — in the ladder, the movements, the at-risk list and the
`at-risk` command alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ntm.domain.columns import FIGURE_COLUMNS
from ntm.domain.criteria import QD51, QD318, criteria_set
from ntm.domain.rules import CRITERIA
from ntm.domain.units import POST
from ntm.present.labels import at_risk_list
from ntm.read import ntm as ntm_q
from ntm.read.scope import resolve_scope
from ntm.read.units import attach_units
from ntm.store.batches import add_batch, frame_checksum
from ntm.store.connection import connect, transaction

ROOT = Path(__file__).resolve().parents[2]
QUANG_NGAI = "51"
# status, recognition year, criteria not met (c03, c08, c10 are QĐ 51's key criteria)
CASES = {
    "carried_over": ("standard", 2019, ("c01", "c02", "c03", "c04", "c05")),   # 2021–2025 recognition: history
    "new_at_risk": ("standard", 2026, ("c01", "c02", "c04", "c05", "c06")),   # recognised in 2026, 5 of 10 missed
    "undated_at_risk": ("standard", None, ("c03", "c04", "c05")),              # undated: as the file states it
    "new_kept": ("modern", 2026, ()),
}


def test_rule_is_data_and_unconfirmed():
    new, old = criteria_set(QD51), criteria_set(QD318)
    assert not new.recognition_carries_over and not new.recognition_verified and "QĐ 51/2025" in new.recognition_basis
    assert old.recognition_carries_over
    assert not new.holds("standard", 2019) and new.holds("standard", 2026) and new.holds("modern", None)
    assert not new.holds("none", 2026) and old.holds("standard", 2013)


@pytest.fixture
def hand_built(writable_db):
    """The demo database with four Quảng Ngãi communes recognised in 2025 and not yet again in 2026
    re-reported for 2026 as in `CASES`."""
    con = connect(writable_db)
    cols = ", ".join(("year", "commune_code", "poverty_standard") + FIGURE_COLUMNS)
    base = con.execute(f"""SELECT {cols} FROM commune_year WHERE is_current AND year = 2026
                           AND province_code = '{QUANG_NGAI}' AND ntm_status = 'none'
                           AND commune_code IN (SELECT commune_code FROM figures_new WHERE year = 2025
                                                AND ntm_status IN ('standard', 'advanced', 'model'))
                           ORDER BY commune_code LIMIT {len(CASES)}""").df()
    base = base.astype({c: "boolean" for c in CRITERIA} | {"ntm_recognition_year": "Int64", "criteria_met": "Int64"})
    for i, (status, year, failed) in enumerate(CASES.values()):
        base.loc[i, "ntm_status"] = status
        base.loc[i, "ntm_recognition_year"] = pd.NA if year is None else year
        base.loc[i, [f"c{k:02d}" for k in range(1, 11)]] = [f"c{k:02d}" not in failed for k in range(1, 11)]
        base.loc[i, "criteria_met"] = 10 - len(failed)
    with transaction(con) as cur:
        add_batch(cur, "commune_year", attach_units(cur, base, POST), kind="commune_year", year=2026,
                  file_name="hand_built_2026.csv", checksum=frame_checksum(base), imported_by="test")
    yield con, dict(zip(CASES, base.commune_code)), writable_db
    con.close()


def test_a_2021_2025_recognition_is_history_and_never_at_risk(hand_built):
    con, code, _ = hand_built
    scope = resolve_scope(con, QUANG_NGAI, 2026)
    risk = set(at_risk_list(con, scope, 2026).commune_code)
    assert risk == {code["new_at_risk"], code["undated_at_risk"]}
    matrix = ntm_q.criteria_matrix_codes(con, scope, 2026).drop_duplicates("commune_code").set_index("commune_code")
    assert matrix.loc[code["carried_over"], "ntm_status"] == "none" and not matrix.loc[code["carried_over"], "at_risk"]
    assert matrix.loc[code["new_at_risk"], "at_risk"]
    # counted on the ladder as not recognised; the movement from 2025 is no revocation
    ladder = ntm_q.ntm_status_by_year(con, scope, [2026]).set_index("status")["communes"]
    stated = dict(con.execute(f"""SELECT ntm_status, count(*) FROM commune_year WHERE is_current AND year = 2026
                                  AND province_code = '{QUANG_NGAI}' GROUP BY ALL""").fetchall())
    assert ladder["standard"] == stated["standard"] - 1 and ladder["none"] == stated["none"] + 1
    moves = ntm_q.status_changes(con, scope, 2025, 2026).set_index("commune_code")
    assert moves.loc[code["carried_over"], "to_status"] == "none"
    assert moves.loc[code["carried_over"], "movement"] == "reset"                 # not yet recognised again
    assert moves.loc[code["new_at_risk"], "movement"] == "same"
    restart = ntm_q.recognition_restart(con, scope, 2026).iloc[0]
    assert restart["recognised"] == ladder[["standard", "modern"]].sum()
    assert restart["earlier_only"] >= 1 and not restart["carries_over"] and not restart["verified"]


def test_the_at_risk_command_lists_only_communes_recognised_under_qd_51(hand_built):
    con, code, path = hand_built
    con.close()
    env = dict(os.environ, **path.settings)
    r = subprocess.run([sys.executable, "-m", "ntm", "at-risk", "--unit", QUANG_NGAI, "--year", "2026"], cwd=ROOT,
                       env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr
    listed = {line.split("(")[1].split(")")[0] for line in r.stdout.splitlines() if line.startswith("- ")}
    assert listed == {code["new_at_risk"], code["undated_at_risk"]}
    assert code["carried_over"] not in r.stdout
