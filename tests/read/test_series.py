"""ntm.series on the demo database: the numbers the leaders' pages show."""

from __future__ import annotations

import pytest

from ntm.present import labels
from ntm.read import commune as commune_q
from ntm.read import ntm as ntm_q
from ntm.read import poverty as poverty_q
from ntm.read import summary as summary_q
from ntm.read.scope import resolve_scope
from ntm.read.series import SERIES
from ntm.store.connection import connect


def scope(con, code, year=2024):
    s = resolve_scope(con, code, year)
    assert s is not None, code
    return s


# --- demo flag, source line ---------------------------------------------------------------------

def test_demo_flag_and_source_line(db):
    kt = scope(db, "62")
    assert summary_q.is_demo(db, kt) and summary_q.is_demo(db, kt, [2022])
    assert not summary_q.is_demo(db, kt, [2030])
    assert "MINH HỌA" in labels.source_line(True, "vi") and "DEMO" in labels.source_line(True, "en")
    assert "MINH HỌA" not in labels.source_line(False, "vi")
    assert labels.source_line(False, "en", source="QĐ 90/QĐ-TTg") == "Source: QĐ 90/QĐ-TTg"


# --- NTM ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["62", "51", "38", "22"])
def test_status_counts_sum_to_rural_communes(db, code):
    df = ntm_q.ntm_status_by_year(db, scope(db, code))
    expected = dict(db.execute("""SELECT year, count(*) FROM commune_year
                                  WHERE is_current AND unit_system = 'pre2025' AND province_code = ? AND ntm_status IS NOT NULL
                                  GROUP BY year""",
                               [code]).fetchall())
    per_year = df.groupby("year")["communes"].sum().to_dict()
    assert per_year == expected
    assert (df.groupby("year")["rural_communes"].first().to_dict()) == expected
    assert set(df["status"]) == {"none", "standard", "advanced", "model"}
    assert df.groupby("year")["share_pct"].sum().round(6).eq(100).all()


def test_status_sankey_thanh_hoa_revocation(db):
    th = scope(db, "38")
    changes = ntm_q.status_changes(db, th, 2023, 2024).set_index("commune_code")
    assert changes.loc["15067", ["from_status", "to_status", "movement"]].tolist() == ["standard", "none", "revoked"]
    assert changes.loc["15067", "commune_name"] == "Xã Mỹ Tân"
    assert changes.loc["15739", "movement"] == "gone"          # Xuân Lộc merged into 15736 on 1/12/2024
    flows = ntm_q.status_flows(db, th, 2023, 2024)
    revoked = flows[flows["movement"] == "revoked"]
    assert revoked["communes"].sum() == 1 and "Xã Mỹ Tân" in revoked["names"].iloc[0]
    assert flows["communes"].sum() == len(changes)
    assert (flows["year_from"] == 2023).all() and (flows["year_to"] == 2024).all()


def test_status_sankey_quang_ngai_downgrade(db):
    flows = ntm_q.status_flows(db, scope(db, "51"), 2023)
    down = flows[flows["movement"] == "down"]
    assert down[["from_status", "to_status"]].values.tolist() == [["advanced", "standard"]]
    assert "Xã Hành Trung" in down["names"].iloc[0]


def test_criteria_matrix_is_communes_by_19_criteria(db):
    kt = scope(db, "62", 2023)
    m = labels.criteria_matrix(db, kt, 2023)
    n_rural = db.execute("SELECT count(*) FROM commune_year WHERE is_current AND year = 2023 AND province_code = '62' "
                         "AND ntm_status IS NOT NULL").fetchone()[0]
    assert len(m) == n_rural * 19 and m["department"].notna().all()
    not_met = m[m["met"] == False].groupby("commune_code").size()                  # noqa: E712
    met = m.drop_duplicates("commune_code").set_index("commune_code")["criteria_met"]
    assert (19 - met[not_met.index]).eq(not_met).all()
    at_risk = set(m.loc[m["at_risk"], "commune_code"])
    assert {"23326", "23353", "23371", "23374"} <= at_risk            # Ia Chim, Đắk Pék, Đắk Môn, Đắk Kroong
    assert set(labels.at_risk_list(db, kt, 2023)["commune_code"]) == at_risk
    en = labels.criteria_matrix(db, kt, 2023, lang="en")
    assert en["criterion_name"].str.startswith("C").all() and en["department"].str.contains("Department|Command").all()


def test_district_status_and_targets(db):
    df = ntm_q.district_status_by_year(db, scope(db, "62"))
    by = df.set_index(["district_code", "year"])
    assert by.loc[("611", 2024), "ntm_status"] == "standard" and by.loc[("611", 2024), "recognised_share_pct"] == 100
    assert by.loc[("611", 2024), "target_status"] == "met"
    # Districts were abolished on 1 July 2025, before that year's review: no status, the 2025 targets unassessed.
    assert df["year"].max() == 2024
    assert set(df.loc[df.district_code == "618", "target_status"]) == {"no_data"}
    assert df.loc[df.district_code == "610", "target_status"].isna().all()             # no target
    assert (df["recognised_communes"] <= df["rural_communes"]).all()


def test_district_status_honours_the_mountainous_filter(db):
    """With 'mountainous districts only', the district view counts and lists only those communes."""
    from ntm.read.scope import filtered_scope

    th = scope(db, "38")
    everything = ntm_q.district_status_by_year(db, th)
    mountain = filtered_scope(th, mountainous_only=True)
    filtered = ntm_q.district_status_by_year(db, mountain)
    status = ntm_q.ntm_status_by_year(db, mountain)
    for year, rows in filtered.groupby("year"):
        assert rows["rural_communes"].sum() == status.loc[status.year == year, "communes"].sum()
    assert 0 < filtered["district_code"].nunique() < everything["district_code"].nunique()
    assert filtered["is_mountainous"].all()


def test_targets_progress_national(db):
    df = labels.targets_progress(db, scope(db, None, 2025), as_of=2025).set_index("target_id")
    # The nation's own targets first, then the provinces' own; no single district's or commune's target.
    assert list(dict.fromkeys(df["role"])) == ["own", "within"]
    assert set(df.loc[df["role"] == "own", "scope_level"]) <= {"national", "poor_districts", "ethnic_minority"}
    assert set(df.loc[df["role"] == "within", "scope_level"]) == {"province"}
    assert "kt-ngochoi-2024" not in df.index and "ts-tiennong-2022" not in df.index
    assert not df["year"].ge(2026).any()          # 2026–2030 targets belong to the next programme
    share = df.loc["vn-2025-ntm-share"]
    assert share["actual_value"] == pytest.approx(share["numerator"] / share["denominator"])
    assert set(df["status"]) <= {"met", "not_met", "pending", "no_data"}
    assert df.loc["vn-2025-poor-districts-escaping", "status"] == "no_data"     # no figures for it
    assert df["source_document"].notna().all()


def test_unit_targets_read_on_their_province_and_district(db):
    kt = labels.targets_progress(db, scope(db, "62", 2024), as_of=2025).set_index("target_id")
    assert kt.loc["kt-ngochoi-2024", "status"] == "met" and kt.loc["kt-ngochoi-2024", "role"] == "within"
    assert kt.loc["kt-iahdrai-2025", "status"] == "no_data"          # no district was assessed in 2025
    assert kt.loc["kt-2024-maintain", "role"] == "own"
    ts = labels.targets_progress(db, scope(db, "397", 2022), as_of=2022).set_index("target_id")
    row = ts.loc["ts-2022-advanced-added"]
    assert row["status"] == "not_met" and row["actual_value"] < 8 and row["target_value"] == 8
    assert ts.loc["ts-tiennong-2022", "status"] == "met" and ts.loc["ts-xuanthinh-2022", "status"] == "not_met"
    # District counts are a national or provincial matter: not read on a district.
    assert not ts["metric"].isin(["district_share_at_level", "ntm_districts_per_province"]).any()


def test_targets_progress_province_scope_and_benchmarks(db):
    df = labels.targets_progress(db, scope(db, "62"), lang="en")
    units = df[df["scope_level"].isin(["province", "district", "commune"])]
    assert units["target_id"].str.startswith("kt-").all()
    national = df[df["target_id"] == "vn-2022-poor-reduction"].iloc[0]
    assert national["evaluated_on"] == "Tỉnh Kon Tum"
    assert national["actual_value"] == pytest.approx(15.320035 - 10.859984, abs=1e-4)
    assert "pp" in national["target_display"]
    no_bench = labels.targets_progress(db, scope(db, "62"), benchmarks=False)
    assert set(no_bench["scope_level"]) <= {"province", "district", "commune"}
    # Quảng Ninh has no poor district: the poor-district benchmark does not apply.
    assert "poor_districts" not in set(labels.targets_progress(db, scope(db, "22"))["scope_level"])


def test_target_after_the_newest_data_is_pending(writable_db):
    con = connect(writable_db)
    con.execute("""INSERT INTO targets (target_id, scope_level, scope_code, scope_name, year, metric, level, value_min,
                                        source_document, verified)
                   VALUES ('x-2030', 'district', '618', 'Huyện Ia H''Drai', 2030, 'district_status', 'standard', 1,
                           'test', true)""")
    row = labels.targets_progress(con, scope(con, "618")).set_index("target_id").loc["x-2030"]
    con.close()
    assert row["status"] == "pending" and row["actual_year"] == 2025


# --- poverty ------------------------------------------------------------------------------------

def test_poverty_flows_kon_tum_2022(db):
    r = poverty_q.poverty_flows(db, scope(db, "62"), [2022]).iloc[0]
    assert (r.poor_start, r.escaped, r.fell_back, r.newly_poor, r.poor_end) == (21989, 6782, 13, 594, 15943)
    assert r.near_to_poor == 169                   # as Kon Tum's review reports it (DOMAIN §2.4)
    assert r.gap == r.poor_end - (r.poor_start - r.escaped + r.fell_back + r.newly_poor + r.near_to_poor) == -40
    assert bool(r.balanced)
    assert r.poor_rate_start_pct == pytest.approx(15.32, abs=0.01) and r.poor_rate_end_pct == pytest.approx(10.86, abs=0.01)


def test_poverty_flows_start_is_previous_end(db):
    df = poverty_q.poverty_flows(db, scope(db, "51"))
    assert df["poor_start"].iloc[1:].tolist() == df["poor_end"].iloc[:-1].tolist()
    assert df["poor_start"].isna().iloc[0]


def test_poverty_rates_keep_numerators(db):
    df = poverty_q.poverty_rates(db, scope(db, "62"), [2022, 2023])
    assert set(df["measure"]) == {"poor", "near_poor", "poor_and_near_poor"}
    w = df.pivot(index="year", columns="measure", values="households_in_class")
    assert (w["poor"] + w["near_poor"]).eq(w["poor_and_near_poor"]).all()
    poor = df[df.measure == "poor"].set_index("year")
    assert poor.loc[2022, "rate_pct"] == pytest.approx(100 * 15943 / poor.loc[2022, "households"])
    assert poor.loc[2023, "change_pp"] == pytest.approx(poor.loc[2023, "rate_pct"] - poor.loc[2022, "rate_pct"])


def test_mountainous_vs_other(db):
    qn = scope(db, "51")
    df = poverty_q.poverty_by_terrain(db, qn)
    poor = df[df.measure == "poor"].pivot(index="year", columns="terrain", values="rate_pct")
    assert (poor["mountainous"] > poor["other"]).all()
    total = poverty_q.poverty_rates(db, qn)
    hh = df[df.measure == "poor"].groupby("year")["households"].sum()
    assert hh.tolist() == total[total.measure == "poor"]["households"].tolist()
    assert set(poverty_q.poverty_by_terrain(db, scope(db, "62"))["terrain"]) == {"mountainous"}   # all Kon Tum districts


def test_ethnic_minority_poverty(db):
    df = poverty_q.ethnic_minority_poverty(db, scope(db, "62"))
    assert (df["em_poor"] <= df["poor"]).all() and (df["em_poor"] <= df["em_households"]).all()
    assert df["em_poor_rate_pct"].iloc[0] == pytest.approx(100 * df["em_poor"].iloc[0] / df["em_households"].iloc[0])


def test_poverty_reduction_against_bands(db):
    kt = poverty_q.poverty_reduction(db, scope(db, "62")).set_index("year")
    assert kt.loc[2022, "reduction_pp"] == pytest.approx(4.46, abs=0.01)
    assert (kt.loc[2022, "target_min"], kt.loc[2022, "target_max"]) == (1.0, 1.5) and kt.loc[2022, "status"] == "met"
    assert kt.loc[2021, "status"] == "no_data"
    pd_th = poverty_q.poverty_reduction(db, scope(db, "38"), subset="poor_districts").set_index("year")
    assert (pd_th.loc[2023, "target_min"], pd_th.loc[2023, "target_max"]) == (4.0, 5.0)
    assert (pd_th["status"].drop(2021) == ["met" if r >= 4 else "not_met" for r in pd_th["reduction_pp"].drop(2021)]).all()
    iahdrai = poverty_q.poverty_reduction(db, scope(db, "618"))          # a poor district gets the 4–5 pp band itself
    assert iahdrai.dropna(subset=["target_min"])["target_min"].eq(4.0).all()
    em = poverty_q.poverty_reduction(db, scope(db, "51", 2025), ethnic_minority=True).set_index("year")
    assert em.loc[2025, "target_min"] == 3.0 and em.loc[2025, "measure"] == "em_poor"


def test_district_ranking(db):
    df = poverty_q.district_ranking(db, scope(db, "62"), 2022, 2024)
    assert len(df) == 10 and df["reduction_pp"].is_monotonic_decreasing
    assert (df["rank_change"] == df["rank_from"] - df["rank_to"]).all()
    assert df["reduction_pp"].sub(df["rate_from_pct"] - df["rate_to_pct"]).abs().max() < 1e-9
    assert df.iloc[0]["district_name"] == "Huyện Ia H'Drai" and df["reduction_rank"].tolist() == list(range(1, 11))


def test_fallback_share(db):
    r = poverty_q.fallback_share(db, scope(db, "62"), [2022]).iloc[0]
    assert r.fallback_share_pct == pytest.approx(100 * 13 / 6782)


# --- commune profile ----------------------------------------------------------------------------

def test_commune_history_and_scorecard(db):
    my_tan = scope(db, "15067")
    h = commune_q.commune_status_history(db, my_tan).set_index("year")
    assert h.loc[2023, "at_risk"] and h.loc[2024, "movement"] == "revoked" and h.loc[2024, "ntm_status"] == "none"
    card = labels.commune_scorecard(db, my_tan)
    states = card.groupby(["year", "state"]).size()
    assert states[(2023, "lost")] == 19 - 12 and states[(2024, "lost")] == 1 and (2025, "lost") not in states
    assert (card.groupby("year").size() == 19).all()


def test_commune_vs_peers(db):
    my_tan = scope(db, "15067")
    df = commune_q.commune_vs_peers(db, my_tan)
    assert set(df["series"]) == {"commune", "district", "peers"}
    district = df[df.series == "district"].set_index("year")["value"]
    rates = poverty_q.poverty_rates(db, scope(db, my_tan.district_code))
    expected = rates[rates.measure == "poor"].set_index("year")["rate_pct"]
    assert district.round(9).equals(expected.round(9))
    peers = df[df.series == "peers"]
    assert ((peers["p25"] <= peers["value"]) & (peers["value"] <= peers["p75"])).all()
    terrain = commune_q.commune_vs_peers(db, my_tan, peers="terrain", measure="criteria_met")
    assert terrain[(terrain.series == "commune") & (terrain.year == 2023)]["value"].iloc[0] == 12


@pytest.mark.parametrize("name, args", [("criteria_matrix", ("62", 2023)), ("at_risk_list", ("62", 2023)),
                                        ("targets_progress", ("62",)), ("commune_scorecard", ("23353",))])
def test_labelled_series_come_from_one_language_free_result(db, name, args):
    """The pages cache a language-free result once and label it per language without a query: the
    labelled result must equal the series asked for directly in that language."""
    sc = scope(db, args[0])
    data_name, label = labels.LOCALISED[name]
    values = SERIES[data_name](db, sc, *args[1:])
    for lang in ("vi", "en"):
        direct = getattr(labels, name)(db, sc, *args[1:], lang=lang)
        labelled = label(values, lang)
        assert list(labelled.columns) == list(direct.columns)
        assert labelled.astype(str).equals(direct.astype(str)), (name, lang)
    assert not label(values, "vi").astype(str).equals(label(values, "en").astype(str))


def test_group_targets_are_named_in_the_reader_s_language(db):
    """National, poor-district and ethnic-minority targets are written in the page's language."""
    vi = labels.targets_progress(db, scope(db, None), lang="vi").set_index("target_id")
    en = labels.targets_progress(db, scope(db, None), lang="en").set_index("target_id")
    assert vi.loc["pd-2024-poor-reduction", "evaluated_on"] == "Toàn quốc – Huyện nghèo"
    assert en.loc["pd-2024-poor-reduction", "evaluated_on"] == "National – Poor districts"
    assert en.loc["em-2025-poor-reduction", "scope_name"] == "Ethnic-minority households"
    assert (en.loc["vn-2025-ntm-share", ["evaluated_on", "scope_name"]] == "National").all()
    assert en.loc[[i for i in en.index if i.startswith(("vn-", "pd-", "em-"))], "evaluated_on"] \
        .str.contains("Toàn quốc|Huyện nghèo|Hộ DTTS").sum() == 0
