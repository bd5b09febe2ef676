"""The NTM denominator is the number of rural communes (type xã in the unit list) reported in the scope,
not the number of communes that carry a status: a xã reported with a blank status stays in the
denominator (it is not known to be recognised) instead of dropping out and inflating the NTM share
(DOMAIN §3.1: the share of communes meeting NTM is over all xã)."""

from __future__ import annotations

from ntm.read import ntm as ntm_q
from ntm.read.scope import resolve_scope
from ntm.read.summary import summary
from ntm.store.connection import connect, transaction
from ntm.store.figures import refresh_figures


def test_a_commune_reported_without_a_status_stays_in_the_denominator(writable_db):
    con = connect(writable_db)
    try:
        scope = resolve_scope(con, "62", 2024)
        before = summary(con, scope, 2024)["ntm"]
        xa = con.execute("""SELECT count(*) FROM figures_old f JOIN units u USING (unit_id)
                            WHERE f.year = 2024 AND f.province_code = '62' AND u.unit_type = 'Xã'""").fetchone()[0]
        assert before["rural_communes"] == xa
        # two recognised communes reported with a blank status (a file with empty cells)
        blank = [r[0] for r in con.execute("""SELECT commune_code FROM commune_year WHERE is_current AND year = 2024
                   AND province_code = '62' AND ntm_status = 'standard' ORDER BY commune_code LIMIT 2""").fetchall()]
        with transaction(con) as cur:
            cur.execute("UPDATE commune_year SET ntm_status = NULL WHERE is_current AND year = 2024 "
                        "AND commune_code IN (SELECT unnest(?))", [blank])
            refresh_figures(cur, [2024])
        after = summary(con, scope, 2024)["ntm"]
        assert after["rural_communes"] == xa                      # the denominator does not shrink
        assert after["recognised"] == before["recognised"] - 2
        series = ntm_q.ntm_status_by_year(con, scope, [2024])
        assert series["rural_communes"].unique().tolist() == [xa]
        assert series["communes"].sum() == xa - 2                # the two unknown sit on no rung
        share = series.loc[series.status == "standard", "share_pct"].iloc[0]
        assert share == round(100 * series.loc[series.status == "standard", "communes"].iloc[0] / xa, 2) or \
            abs(share - 100 * series.loc[series.status == "standard", "communes"].iloc[0] / xa) < 0.01
    finally:
        con.close()
