"""The demo database tells the demo stories (docs/domain.md §9) with the published province figures
(§2.4, §4.3), and obeys the data rules of the CSV contract everywhere.

Expectations come from the sources, not from the generator's output: Kon Tum's 2022 poverty review
(21,989 → 15,943 poor households, 15.32% → 10.86%; 6,782 escaped, 13 fell back, 594 newly poor), Kon Tum's
Chỉ thị 05/CT-UBND (42 recognised of 85 communes, four named communes with more than 30% of criteria not
maintained, Ngọc Hồi an NTM district by end-2024), Triệu Sơn's three communes aimed at advanced NTM in 2022,
Quảng Ninh's "100% of communes NTM" and "no poor households" by end-2023, Kon Tum's communes at 19/19
(38 in 11/2022, 48 in 1/2024) and its 169 near-poor households that became poor in 2022, Thanh Hóa's NTM
districts (8, 12, 14) and Quảng Ngãi's mountain districts' −7 pp in 2024. Through the reform: the
2025 review on the new communes (CV 5424: a merged commune keeps a level when all its predecessors had
it) and 2026 on the QĐ 51/2025 criteria, where recognition starts anew (docs/domain.md §1.9, §9.7).
"""

from __future__ import annotations

import pandas as pd
import pytest

from ntm.domain.criteria import QD51, QD318, criteria_set
from ntm.domain.names import name_key
from ntm.domain.rules import CRITERIA, RECOGNISED, assess_revocation, check_flow
from ntm.domain.settings import flow_tolerances
from ntm.domain.units import POST, PRE
from ntm.present.labels import at_risk_list as at_risk
from ntm.read import ntm as ntm_q
from ntm.read.scope import national, resolve_scope
from ntm.read.summary import summary
from ntm.store import demo
from ntm.store.build import read_attributes
from ntm.store.figures import figures_sql

KON_TUM, QUANG_NGAI, THANH_HOA, QUANG_NINH = "62", "51", "38", "22"
DEMO_PROVINCES = (KON_TUM, QUANG_NGAI, THANH_HOA, QUANG_NINH)
NEW_PROVINCES = (QUANG_NINH, THANH_HOA, QUANG_NGAI)        # Kon Tum went into the new Quảng Ngãi
OLD_YEARS = range(2021, 2025)          # in force on the old units (2025 was reviewed on the new communes)
NEW_YEARS = (2025, 2026)
# Chỉ thị 05/CT-UBND (22/01/2024): the four NTM communes with more than 30% of criteria not maintained.
KON_TUM_AT_RISK = {"23326": "Ia Chim", "23353": "Đắk Pék", "23374": "Đắk Môn", "23371": "Đắk Kroong"}
# …and the new communes they went into on 1 July 2025.
AT_RISK_SUCCESSORS = {"23326": "Ia Chim", "23341": "Đăk Pék", "23374": "Đăk Môn"}


def scope(con, code, year, geo=None):
    s = resolve_scope(con, code, year, geo)
    assert s is not None, code
    return s


def _rows(demo_db_path, where: str) -> pd.DataFrame:
    from ntm.store.connection import connect

    con = connect(demo_db_path, read_only=True)
    try:
        return con.execute(f"""
            SELECT f.*, u.unit_type, u.name AS unit_name FROM commune_year f JOIN units u USING (unit_id)
            WHERE {where} ORDER BY f.year, f.commune_code""").df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def rows(demo_db_path) -> pd.DataFrame:
    """Every commune-year row in force (both unit systems), with its unit's type."""
    return _rows(demo_db_path, "f.is_current")


@pytest.fixture(scope="module")
def old_rows(rows) -> pd.DataFrame:
    """The rows in force on the old units."""
    return rows[rows.unit_system == PRE]


# ---------------------------------------------------------------------------------------------
# Kon Tum: poverty 2022 and 2023 (published review results)

def test_kon_tum_2022_poor_rate_and_change(db):
    s21 = summary(db, scope(db, KON_TUM, 2021), 2021)
    s22 = summary(db, scope(db, KON_TUM, 2022), 2022)
    assert s21["poor"]["count"] == 21_989           # poor households at the start of 2022
    assert s21["poor"]["percent"] == pytest.approx(15.32, abs=0.005)
    assert s22["poor"]["count"] == 15_943
    assert s22["poor"]["percent"] == pytest.approx(10.86, abs=0.005)
    assert s22["poor_rate_change_pp"] == pytest.approx(10.86 - 15.32, abs=0.01)
    # Near-poor: 5.90% → 6.03%.
    assert s21["near_poor"]["percent"] == pytest.approx(5.90, abs=0.005)
    assert s22["near_poor"]["percent"] == pytest.approx(6.03, abs=0.005)


def test_kon_tum_2022_flows(db):
    s = summary(db, scope(db, KON_TUM, 2022), 2022)
    assert (s["escaped"], s["fell_back"], s["newly_poor"]) == (6_782, 13, 594)
    near = db.execute("""SELECT sum(near_poor_to_poor) FROM commune_year WHERE is_current AND year = 2022
                         AND province_code = '62'""").fetchone()[0]
    assert near == 169                              # near-poor households that became poor (§2.4)
    prev = summary(db, scope(db, KON_TUM, 2021), 2021)["poor"]["count"]
    tol_h, tol_s = flow_tolerances()
    assert check_flow(prev, s["escaped"], s["fell_back"], s["newly_poor"], s["poor"]["count"], tol_h, tol_s,
                      near_to_poor=near).balanced


def test_only_kon_tum_reports_near_poor_becoming_poor(db):
    reported = db.execute("""SELECT DISTINCT province_code FROM commune_year WHERE is_current AND year BETWEEN 2022 AND 2024
                             AND near_poor_to_poor IS NOT NULL""").fetchall()
    assert reported == [(KON_TUM,)]                 # an optional column: the others leave it empty


def test_kon_tum_communes_at_19_of_19_criteria(db):
    # 38 communes at 19/19 in 11/2022 (36 recognised); 48 in 1/2024 (42 recognised) — DOMAIN §4.3.
    full = dict(db.execute("""SELECT year, count(*) FROM commune_year WHERE is_current AND province_code = '62'
                              AND year IN (2022, 2023) AND criteria_met = 19 GROUP BY year""").fetchall())
    assert full == {2022: 38, 2023: 48}


def test_kon_tum_2023_poverty(db):
    # QĐ 134/QĐ-BLĐTBXH: poor 6.84% (10,220 households), near-poor 4.39% (6,568).
    s = summary(db, scope(db, KON_TUM, 2023), 2023)
    assert s["poor"]["percent"] == pytest.approx(6.84, abs=0.005)
    assert s["poor"]["count"] == pytest.approx(10_220, abs=5)
    assert s["near_poor"]["percent"] == pytest.approx(4.39, abs=0.005)


def test_kon_tum_2023_recognised_communes(db):
    s = summary(db, scope(db, KON_TUM, 2023), 2023)
    assert s["ntm"]["rural_communes"] == 85
    assert s["ntm"]["recognised"] == 42
    assert s["ntm"]["recognised"] == sum(s["ntm"]["by_status"][k] for k in RECOGNISED)
    assert sum(s["ntm"]["by_status"].values()) == 85


# ---------------------------------------------------------------------------------------------
# Kon Tum: the at-risk list (QĐ 18/2022)

def test_kon_tum_2024_at_risk_list_is_the_four_named_communes(db):
    df = at_risk(db, scope(db, KON_TUM, 2024), 2024)
    assert set(df.commune_code) == set(KON_TUM_AT_RISK)
    assert len(df) == 4
    assert {name_key(n) for n in df.commune_name} == {name_key(n) for n in KON_TUM_AT_RISK.values()}


def test_kon_tum_2024_at_risk_communes_meet_the_revocation_condition(db):
    rule = criteria_set(QD318).revocation_rule()
    df = at_risk(db, scope(db, KON_TUM, 2024), 2024, lang="en")
    for r in df.itertuples():
        assert r.ntm_status in RECOGNISED
        assert r.criteria_failed == 19 - r.criteria_met
        assert r.criteria_failed / 19 >= 0.3
        assert r.criteria_failed >= rule.min_failed_with_key
        assert r.failed_key_criteria, f"{r.commune_code} fails no key criterion"
        assert len(r.failed_criteria.split("; ")) == r.criteria_failed


def test_kon_tum_at_risk_communes_went_into_three_new_communes_that_kept_recognition(db):
    """CV 5424: every predecessor of the three new communes was NTM, so they keep NTM in 2025 — the merger
    is no revocation. Under QĐ 51/2025 recognition starts anew: in 2026 the new Ia Chim meets all ten
    criteria and is recognised again; the new Đăk Pék (9/10) and Đăk Môn (7/10) are not yet recognised
    again — and not at risk, since they hold no recognition under the new criteria."""
    from ntm.read.units import successors

    went = {c for code in KON_TUM_AT_RISK for c, _ in successors(db, code)["communes"]}
    assert went == set(AT_RISK_SUCCESSORS)
    new = scope(db, QUANG_NGAI, 2025)
    y25 = summary(db, new, 2025)
    assert y25["has_data"]
    for code, name in AT_RISK_SUCCESSORS.items():
        s = summary(db, scope(db, code, 2025), 2025)
        assert name_key(s["unit"]["name"]) == name_key("Xã " + name)
        assert s["ntm"]["recognised"] == 1, code
    assert not set(at_risk(db, new, 2025).commune_code) & set(AT_RISK_SUCCESSORS)
    assert at_risk(db, new, 2026).empty            # no commune holds a QĐ 51 recognition it could lose yet
    ia_chim = summary(db, scope(db, "23326", 2026), 2026)
    assert ia_chim["ntm"]["avg_criteria"] == 10 and ia_chim["ntm"]["recognised"] == 1
    for code, met in (("23341", 9), ("23374", 7)):
        s = summary(db, scope(db, code, 2026), 2026)
        assert s["ntm"]["recognised"] == 0 and s["ntm"]["avg_criteria"] == met, code
    moves = ntm_q.status_changes(db, new, 2025, 2026).set_index("commune_code")
    assert set(moves.loc[["23341", "23374"], "movement"]) == {"reset"}        # not a revocation
    assert moves.loc["23326", "movement"] == "same"


def test_ngoc_hoi_area_is_three_new_communes_all_ntm_in_2026(db):
    from ntm.read.units import successors

    area = successors(db, "611")
    assert area["exact"] and {c for c, _ in area["communes"]} == {"23377", "23383", "23392"}
    former = scope(db, "611", 2026, "new")            # the former district, as history
    s = summary(db, former, 2026)
    assert s["ntm"]["rural_communes"] == 3 and s["ntm"]["recognised"] == 3
    assert s["ntm"]["by_status"]["modern"] == 1


@pytest.mark.parametrize("geo, years", [("old", OLD_YEARS), ("new", NEW_YEARS)])
def test_at_risk_matches_the_rule_of_each_criteria_set_row_by_row(db, rows, geo, years):
    """The at-risk query and the pure rule of the row's criteria set agree on every demo commune-year."""
    system = PRE if geo == "old" else POST
    expected = set()
    for r in rows[rows.ntm_status.notna() & (rows.unit_system == system)].itertuples():
        cset = criteria_set(r.criteria_set)
        flags = {c: (None if pd.isna(getattr(r, c)) else bool(getattr(r, c))) for c in cset.criteria}
        if assess_revocation(r.ntm_status, flags, cset.revocation_rule()).at_risk:
            expected.add((r.year, r.commune_code))
    got = {(y, c) for y in years for c in at_risk(db, national(geo), y).commune_code}
    assert got == expected
    if geo == "old":
        assert {(2024, c) for c in KON_TUM_AT_RISK} <= got
    else:
        assert not any(y == 2025 for y, _ in got)
        # 2026 is the first year of QĐ 51/2025: every recognition is that year's, at 10/10, so none is at risk.
        assert not any(y == 2026 for y, _ in got)


# ---------------------------------------------------------------------------------------------
# Kon Tum districts

def district_status(db, code: str, year: int) -> str | None:
    row = db.execute("SELECT ntm_status FROM district_year WHERE is_current AND district_code = ? AND year = ?",
                     [code, year]).fetchone()
    return row[0] if row else None


def test_ngoc_hoi_becomes_ntm_district_in_2024(db):
    assert district_status(db, "611", 2023) == "none"
    assert district_status(db, "611", 2024) == "standard"


def test_ngoc_hoi_status_follows_its_communes(db, old_rows):
    # A district is NTM when all its rural communes are (QĐ 320/2022): true in 2024, not in 2023.
    rows = old_rows
    for year, expected in ((2023, False), (2024, True)):
        comm = rows[(rows.year == year) & (rows.district_code == "611") & rows.ntm_status.notna()]
        assert len(comm) > 0
        assert bool(comm.ntm_status.isin(RECOGNISED).all()) is expected


def test_districts_end_with_2024(db):
    """Districts were abolished on 1 July 2025, before that year's review: no district status after 2024
    (Ia H'Drai, which missed its 2025 target, was still not NTM at the end of 2024)."""
    assert db.execute("SELECT count(*) FROM district_year WHERE year >= 2025").fetchone()[0] == 0
    assert district_status(db, "618", 2024) == "none"
    kt = ntm_q.district_status_by_year(db, scope(db, KON_TUM, 2024))
    assert kt["year"].max() == 2024
    assert set(kt.loc[kt["target_year"] == 2025, "target_status"]) == {"no_data"}   # never assessed


# ---------------------------------------------------------------------------------------------
# Triệu Sơn (Thanh Hóa): Tiến Nông, Hợp Thành, Xuân Thịnh aimed at advanced NTM in 2022

def status_of(rows, code: str, year: int) -> tuple[str, str]:
    r = rows[(rows.commune_code == code) & (rows.year == year)]
    assert len(r) == 1, (code, year)
    return r.ntm_status.iloc[0], r.unit_name.iloc[0]


@pytest.mark.parametrize("code,name", [("15730", "Tiến Nông"), ("15682", "Hợp Thành")])
def test_trieu_son_communes_reached_advanced_in_2022(old_rows, code, name):
    rows = old_rows
    before, n21 = status_of(rows, code, 2021)
    after, n22 = status_of(rows, code, 2022)
    assert name_key(n21) == name_key(n22) == name_key(name)
    assert before == "standard"
    assert after in ("advanced", "model")


def test_xuan_thinh_reached_advanced_only_in_2023(old_rows):
    rows = old_rows
    s22, n22 = status_of(rows, "15736", 2022)
    s23, n23 = status_of(rows, "15736", 2023)
    assert name_key(n22) == name_key(n23) == name_key("Xuân Thịnh")
    assert s22 == "standard"
    assert s23 in ("advanced", "model")


# ---------------------------------------------------------------------------------------------
# Quảng Ninh: every commune NTM and no poor households from end-2023

def test_quang_ninh_all_rural_communes_recognised_from_2023(db):
    for year in range(2023, 2026):
        s = summary(db, scope(db, QUANG_NINH, year), year)
        assert s["ntm"]["rural_communes"] > 0
        assert s["ntm"]["recognised"] == s["ntm"]["rural_communes"], year
    s22 = summary(db, scope(db, QUANG_NINH, 2022), 2022)
    assert s22["ntm"]["recognised"] < s22["ntm"]["rural_communes"]
    # 2026: recognition under QĐ 51/2025 starts anew — the communes at all ten criteria, not all of them.
    s26 = summary(db, scope(db, QUANG_NINH, 2026), 2026)
    assert 0 < s26["ntm"]["recognised"] < s26["ntm"]["rural_communes"]


def test_quang_ninh_has_no_poor_household_from_end_2023(db):
    for year in range(2023, 2026):              # "no poor households under the national standard" (§4.3)
        s = summary(db, scope(db, QUANG_NINH, year), year)
        assert s["poor"]["count"] == 0, year
    s22 = summary(db, scope(db, QUANG_NINH, 2022), 2022)
    assert s22["poor"]["percent"] == pytest.approx(0.41, abs=0.005)    # 1,526 households (§4.3)
    assert s22["poor"]["count"] == pytest.approx(1_526, abs=5)
    # NĐ 351/2025's lines (2.2 / 2.8 million VND, from the review of 2026 [U]) sit a little above the
    # province's own 2.1 / 2.6 million, which found 246 poor households (0.064%) at the start of 2023 (§2.6).
    s26 = summary(db, scope(db, QUANG_NINH, 2026), 2026)
    assert 0 < s26["poor"]["count"] <= 400 and s26["poor"]["percent"] < 0.1
    assert s26["poverty_standard"]["key"] == "ND351_2025" and s26["escaped"] is None


# ---------------------------------------------------------------------------------------------
# Thanh Hóa's NTM districts and Quảng Ngãi's mountain districts (published figures, DOMAIN §4.3)

def test_thanh_hoa_ntm_districts_as_published(db):
    # 8 district units NTM in 6/2021, 12 in 8/2023, 14 in Q1/2025 (i.e. at the end of 2024).
    counts = dict(db.execute("""SELECT year, count(*) FILTER (WHERE ntm_status != 'none') FROM district_year
                                WHERE is_current AND province_code = '38' GROUP BY year""").fetchall())
    assert (counts[2021], counts[2023], counts[2024]) == (8, 12, 14)
    assert max(counts) == 2024                  # districts were abolished on 1 July 2025


def test_quang_ngai_mountain_districts_poverty_fell_7_points_in_2024(db):
    rates = dict(db.execute("""
        SELECT f.year, 100 * sum(f.poor_households) / sum(f.households) FROM commune_year f
        JOIN unit_attributes a ON a.system = 'pre2025' AND a.level = 'district' AND a.code = f.district_code
        WHERE f.is_current AND f.province_code = '51' AND a.is_mountainous AND f.year IN (2023, 2024)
        GROUP BY f.year""").fetchall())
    names = {r[0] for r in db.execute("""SELECT u.name FROM unit_attributes a JOIN units u ON u.system = a.system
        AND u.level = 'district' AND u.code = a.code WHERE a.level = 'district' AND a.is_mountainous
        AND u.province_code = '51'""").fetchall()}
    assert names == {"Huyện Ba Tơ", "Huyện Minh Long", "Huyện Sơn Hà", "Huyện Sơn Tây", "Huyện Trà Bồng"}
    assert rates[2024] - rates[2023] == pytest.approx(-7.0, abs=0.05)


# ---------------------------------------------------------------------------------------------
# Mountainous districts lag (docs/domain.md §9.1)

def test_mountainous_districts_are_poorer_in_every_province_year(db):
    df = db.execute(f"""
        SELECT f.province_code, f.year, f.is_mountainous AS mountainous,
               sum(f.poor_households) AS poor, sum(f.households) AS households
        FROM {figures_sql("old")} f GROUP BY ALL""").df()
    df["rate"] = df.poor / df.households
    wide = df.pivot_table(index=["province_code", "year"], columns="mountainous", values="rate")
    both = wide.dropna()
    # Kon Tum is mountainous throughout (docs/domain.md §9), so it has nothing to compare; the three others do.
    assert set(both.index.get_level_values(0)) == {QUANG_NGAI, THANH_HOA, QUANG_NINH}
    assert len(both) == 3 * len(OLD_YEARS)
    # Where a province has poor households at all (Quảng Ninh has none from end-2023), the mountains lag.
    lagging = both[(both[True] <= both[False]) & (both[True] + both[False] > 0)]
    assert lagging.empty, lagging


# ---------------------------------------------------------------------------------------------
# Fall-back into poverty as its own series; demo labelling

def test_fell_back_is_its_own_series_from_2022(db, rows):
    """Every review of NĐ 07/2021 after its 2021 baseline reports households falling back; the review of
    2026, the baseline under NĐ 351/2025 (§2.7), reports none (not compared across two standards)."""
    later = rows[(rows.year >= 2022) & (rows.year < 2026)]
    assert later.fell_back_into_poverty.notna().all()
    assert rows.loc[rows.year == 2026, "fell_back_into_poverty"].isna().all()
    cases = [(c, y) for c in DEMO_PROVINCES for y in range(2022, 2025)] + [(c, 2025) for c in NEW_PROVINCES]
    for code, year in cases:
        s = summary(db, scope(db, code, year), year)
        assert s["fell_back"] is not None, (code, year)
        assert s["fell_back"] >= 0
    for code in NEW_PROVINCES:
        assert summary(db, scope(db, code, 2026), 2026)["fell_back"] is None, code


def test_every_demo_batch_is_flagged_demo(db):
    batches = db.execute("SELECT kind, year, is_demo, note FROM import_batches").df()
    assert len(batches) > 0
    assert batches.is_demo.all()
    assert batches.note.str.contains("DEMO").all()
    kinds = set(zip(batches.kind, batches.year))
    assert {("commune_year", y) for y in (*OLD_YEARS, *NEW_YEARS)} <= kinds
    assert {("district_year", y) for y in range(2021, 2025)} <= kinds
    assert not {("district_year", y) for y in range(2025, 2031)} & kinds


def test_every_summary_over_demo_rows_says_demo(db):
    for geo, years, codes in (("old", OLD_YEARS, DEMO_PROVINCES + ("611", "23326")),
                              ("new", (*OLD_YEARS, *NEW_YEARS), NEW_PROVINCES + ("611", "23326"))):
        for year in years:
            assert summary(db, national(geo), year)["is_demo"]
            for code in codes:
                s = summary(db, scope(db, code, year, geo), year)
                assert s["has_data"] and s["is_demo"], (geo, code, year)


def test_the_demo_covers_the_four_provinces_on_real_communes(db, rows):
    old, new = rows[rows.unit_system == PRE], rows[rows.unit_system == POST]
    assert set(old.province_code) == set(DEMO_PROVINCES) and set(new.province_code) == set(NEW_PROVINCES)
    for system, year, units in ((PRE, 2024, old), (POST, 2026, new)):
        alive = db.execute("""
            SELECT province_code, count(*) AS n FROM units WHERE system = ? AND level = 'commune'
              AND (valid_to IS NULL OR valid_to = DATE '2025-06-30') GROUP BY 1""", [system]).df()
        alive = dict(zip(alive.province_code, alive.n))
        have = units[units.year == year].groupby("province_code").size()
        for code, n in have.items():
            # The new Quảng Ngãi's special zone Lý Sơn had no communes before the reform, so no figures.
            assert n == alive[code] - (1 if (system, code) == (POST, QUANG_NGAI) else 0), (system, code)


# ---------------------------------------------------------------------------------------------
# Data rules on every demo row

def test_flow_balances_for_every_commune_year_from_2022(db, old_rows):
    """poor_end ≈ poor_prev − escaped + fell_back + newly_poor within max(5, 1%) for every commune of the
    NĐ 07/2021 reviews after its 2021 baseline (2026 is the next baseline: no flows); a commune formed by a
    merger starts from its predecessors' poor households."""
    rows = old_rows
    merges = db.execute("SELECT predecessor_id, successor_id FROM unit_lineage WHERE change_type != 'reform2025'").df()
    successor = dict(zip(merges.predecessor_id, merges.successor_id))
    tol_h, tol_s = flow_tolerances()
    checked, merged_checked, failures = 0, 0, []
    for year in (2022, 2023, 2024):
        now = rows[rows.year == year].set_index("unit_id")
        prev = rows[rows.year == year - 1]
        target = [u if u in now.index else successor.get(u, u) for u in prev.unit_id]
        poor_prev = prev.poor_households.groupby(target).sum()
        for uid, r in now.iterrows():
            p = int(poor_prev.get(uid, 0))
            near = 0 if pd.isna(r.near_poor_to_poor) else int(r.near_poor_to_poor)
            f = check_flow(p, int(r.escaped_poverty), int(r.fell_back_into_poverty), int(r.newly_poor),
                           int(r.poor_households), tol_h, tol_s, near_to_poor=near)
            checked += 1
            if uid in set(successor.values()) and uid not in set(prev.unit_id):
                merged_checked += 1
                assert p == prev[prev.unit_id.isin([k for k, v in successor.items() if v == uid])].poor_households.sum()
            if not f.balanced:
                failures.append((year, r.commune_code, f))
    assert checked == len(rows[rows.year >= 2022])
    assert merged_checked >= 1          # Xuân Lộc (15736) formed on 1 December 2024
    assert not failures, failures[:10]


@pytest.mark.parametrize("key", [QD318, QD51])
def test_criteria_met_equals_the_number_of_met_flags_of_the_set(rows, key):
    cset = criteria_set(key)
    # A new commune formed only from townships has no criteria assessed before 2026.
    rural = rows[rows.ntm_status.notna() & (rows.criteria_set == key) & rows.criteria_met.notna()]
    assert len(rural) > 0
    flags = rural[list(cset.criteria)].astype("boolean")
    assert flags.notna().all().all()
    assert rural[list(CRITERIA[cset.n_criteria:])].isna().all().all()
    assert (flags.sum(axis=1) == rural.criteria_met).all()
    assert rural.criteria_met.between(0, cset.n_criteria).all()
    assert set(rural.ntm_status) <= set(cset.statuses)


def test_recognition_year_is_given_for_recognised_communes_and_not_after_the_year(rows):
    # CSV contract: ntm_recognition_year ≤ year; only a recognised commune has one.
    rec = rows[rows.ntm_status.isin(list(RECOGNISED))]
    assert len(rec) > 0
    assert rec.ntm_recognition_year.notna().all()
    assert (rec.ntm_recognition_year <= rec.year).all()
    assert rows.loc[rows.ntm_status == "none", "ntm_recognition_year"].isna().all()


def test_poor_and_near_poor_within_households(rows):
    assert (rows.households > 0).all()
    assert (rows.poor_households >= 0).all() and (rows.near_poor_households >= 0).all()
    assert (rows.poor_households <= rows.households).all()
    assert (rows.poor_households + rows.near_poor_households <= rows.households).all()
    assert (rows.ethnic_minority_households <= rows.households).all()
    assert (rows.ethnic_minority_poor_households <= rows.poor_households).all()


def test_only_rural_communes_carry_an_ntm_status(rows):
    assert rows.loc[rows.unit_type != "Xã", "ntm_status"].isna().all()
    assert rows.loc[rows.unit_type != "Xã", list(CRITERIA)].isna().all().all()
    assert rows.loc[rows.unit_type == "Xã", "ntm_status"].notna().all()
    assert set(rows.ntm_status.dropna()) <= {"none", "standard", "advanced", "model", "modern"}


# ---------------------------------------------------------------------------------------------
# Determinism

@pytest.fixture(scope="module")
def demo_inputs(demo_db_path):
    from ntm.store.connection import connect

    con = connect(demo_db_path, read_only=True)
    try:
        units = con.execute("SELECT * FROM units WHERE system = 'pre2025'").df()
        lineage = con.execute("SELECT * FROM unit_lineage WHERE change_type != 'reform2025'").df()
    finally:
        con.close()
    return units, lineage, read_attributes()


@pytest.fixture(scope="module")
def generated(demo_inputs):
    return demo.generate(*demo_inputs)


def test_demo_generation_is_deterministic(demo_inputs, generated):
    units, lineage, attrs = demo_inputs
    c1, d1 = generated
    c2, d2 = demo.generate(units.copy(), lineage.copy(), attrs.copy())
    pd.testing.assert_frame_equal(c1, c2)
    pd.testing.assert_frame_equal(d1, d2)
    # …and the seed matters (the frames are not constant).
    c3, _ = demo.generate(units, lineage, attrs, seed=demo.SEED + 1)
    assert not c1.poor_households.equals(c3.poor_households)


def test_generated_demo_is_what_the_database_holds(generated, demo_db_path):
    """Every generated old-unit row is in the database: 2021–2024 in force, and 2025 kept in the batch the
    new-unit 2025 batch superseded (so a rollback can bring it back)."""
    communes, _ = generated
    held = _rows(demo_db_path, "f.unit_system = 'pre2025' AND (f.is_current OR f.superseded_by IS NOT NULL)")
    assert (held[held.year == 2025].superseded_by.notna()).all() and held[held.year < 2025].is_current.all()
    got = held.set_index(["year", "commune_code"]).sort_index()
    want = communes.set_index(["year", "commune_code"]).sort_index()
    assert got.index.equals(want.index)
    for col in ("households", "poor_households", "near_poor_households", "fell_back_into_poverty", "criteria_met"):
        pd.testing.assert_series_equal(got[col].astype("Int64"), want[col].astype("Int64"), check_names=False,
                                       check_index_type=False)
    assert (got.ntm_status.fillna("-") == want.ntm_status.fillna("-")).all()


# ---------------------------------------------------------------------------------------------
# The at-risk query applies QĐ 18/2022 like the rule, on hand-built rows (private copy of the demo)

def test_at_risk_query_thresholds_on_hand_built_rows(writable_db):
    from ntm.domain.columns import FIGURE_COLUMNS
    from ntm.read.units import attach_units
    from ntm.store.batches import add_batch, frame_checksum
    from ntm.store.connection import connect, transaction

    non_key = [c for c in CRITERIA if c not in ("c10", "c17", "c19")]
    cases = {   # status, criteria explicitly not met, criteria not reported (None), expected at risk
        "six_no_key": ("standard", non_key[:6], [], False),
        "six_with_key": ("advanced", ["c17"] + non_key[:5], [], True),
        "five_with_key": ("standard", ["c10"] + non_key[:4], [], False),
        "nine_no_key": ("model", non_key[:9], [], False),
        "ten_no_key": ("standard", non_key[:10], [], True),
        "not_recognised": ("none", non_key[:12], [], False),
        "ten_not_reported": ("standard", [], ["c10"] + non_key[:9], False),
        "five_failed_one_not_reported": ("standard", ["c17"] + non_key[:4], [non_key[4]], False),
    }
    con = connect(writable_db)
    try:
        cols = ", ".join(("year", "commune_code", "poverty_standard") + FIGURE_COLUMNS)
        base = con.execute(f"""
            SELECT {cols} FROM commune_year WHERE is_current AND year = 2024 AND province_code = '{KON_TUM}'
              AND ntm_status IS NOT NULL AND commune_code NOT IN ?
            ORDER BY commune_code LIMIT {len(cases)}""", [list(KON_TUM_AT_RISK)]).df()
        assert len(base) == len(cases)
        code_of = dict(zip(cases, base.commune_code))
        base = base.astype({c: "boolean" for c in CRITERIA} | {"ntm_recognition_year": "Int64", "criteria_met": "Int64"})
        for i, (status, failed, missing, _) in enumerate(cases.values()):
            flags = {c: None if c in missing else c not in failed for c in CRITERIA}
            base.loc[i, list(CRITERIA)] = [flags[c] for c in CRITERIA]
            base.loc[i, "ntm_status"] = status
            base.loc[i, "ntm_recognition_year"] = pd.NA if status == "none" else 2020
            base.loc[i, "criteria_met"] = sum(1 for v in flags.values() if v is True)
        with transaction(con) as cur:
            add_batch(cur, "commune_year", attach_units(cur, base, PRE), kind="commune_year", year=2024,
                      file_name="hand_built.csv", checksum=frame_checksum(base), imported_by="test")
        s = resolve_scope(con, KON_TUM, 2024)
        got = set(at_risk(con, s, 2024).commune_code)
        want = set(KON_TUM_AT_RISK) | {code_of[k] for k, (*_, risk) in cases.items() if risk}
        assert got == want
        assert summary(con, s, 2024)["ntm"]["at_risk"] == len(want)
    finally:
        con.close()
