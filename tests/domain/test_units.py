"""Administrative units with validity periods and lineage (ntm.units), name matching (ntm.names).

Published counts (docs/domain.md §0, §3.3): 63 provinces before 1 July 2025; 34 provinces and 3,321 commune-level
units (13 of them special zones, đặc khu) after. The pre-reform district and commune lists are the
`vietnamadminunits` package's (≈700 districts, ≈10,000 communes); `data/unit_changes.csv` adds the versions
of communes that disappeared in mergers before the reform (Xuân Thịnh + Xuân Lộc → Xuân Lộc, Triệu Sơn).
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pandas as pd
import pytest
from vietnamadminunits.database import query

from ntm.domain.names import fold, header_key, name_key, normalise_code
from ntm.domain.units import POST, PRE, PRE_END, REFORM_DATE
from ntm.read.units import resolve_unit
from ntm.store.unit_list import province_crosswalk, read_unit_changes


@pytest.fixture(scope="module")
def units(demo_db_path) -> pd.DataFrame:
    from ntm.store.connection import connect

    con = connect(demo_db_path, read_only=True)
    try:
        return con.execute("SELECT * FROM units").df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def lineage(demo_db_path) -> pd.DataFrame:
    from ntm.store.connection import connect

    con = connect(demo_db_path, read_only=True)
    try:
        return con.execute("SELECT * FROM unit_lineage").df()
    finally:
        con.close()


def _count(units: pd.DataFrame, system: str, level: str, current_only: bool = False) -> int:
    u = units[(units.system == system) & (units.level == level)]
    if current_only:
        u = u[~u.unit_id.str.contains("@")]          # ended versions carry "@<last day>"
    return len(u)


# ---------------------------------------------------------------------------------------------
# Unit versions

def test_pre_reform_provinces_and_districts(units):
    assert _count(units, PRE, "province") == 63
    districts = query("SELECT count(DISTINCT districtCode) AS n FROM admin_units_legacy")[0]["n"]
    assert _count(units, PRE, "district") == districts == 696


def test_pre_reform_communes_plus_historic_versions(units):
    source = query("SELECT count(DISTINCT wardCode) AS n FROM admin_units_legacy WHERE wardCode IS NOT NULL")[0]["n"]
    assert source == 10_035
    changes = read_unit_changes()
    ended = units[(units.system == PRE) & (units.level == "commune") & units.unit_id.str.contains("@")]
    assert _count(units, PRE, "commune", current_only=True) == source
    # One ended version per commune that disappeared in a merge listed in unit_changes.csv.
    assert len(ended) == changes.old_code.nunique() >= 2
    assert (pd.to_datetime(ended.valid_to).dt.date < PRE_END).all()
    assert _count(units, PRE, "commune") == source + len(ended)


def test_every_pre_reform_version_ends_by_the_reform(units):
    pre = units[units.system == PRE]
    assert (pd.to_datetime(pre.valid_to).dt.date <= PRE_END).all()
    assert PRE_END == date(2025, 6, 30)


def test_post_reform_units(units):
    assert _count(units, POST, "province") == 34
    communes = units[(units.system == POST) & (units.level == "commune")]
    assert len(communes) == 3_321
    assert (communes.unit_type == "Đặc khu").sum() == 13
    assert set(communes.unit_type) == {"Xã", "Phường", "Đặc khu"}
    assert (units.loc[units.system == POST, "level"] != "district").all()       # no district tier
    assert (pd.to_datetime(units.loc[units.system == POST, "valid_from"]).dt.date == REFORM_DATE).all()


def test_unit_ids_are_unique(units):
    assert units.unit_id.is_unique


def test_only_xa_are_rural(units):
    communes = units[units.level == "commune"]
    assert (communes.is_rural == (communes.unit_type == "Xã")).all()


# ---------------------------------------------------------------------------------------------
# A code that changed meaning: 15736 Xuân Thịnh → merged Xuân Lộc (Triệu Sơn, Thanh Hóa)

@pytest.mark.parametrize("year,name", [(2021, "Xã Xuân Thịnh"), (2022, "Xã Xuân Thịnh"),
                                       (2023, "Xã Xuân Thịnh"), (2024, "Xã Xuân Lộc"), (2025, "Xã Xuân Lộc")])
def test_code_15736_resolves_by_year(db, year, name):
    u = resolve_unit(db, "15736", year, PRE)
    assert u is not None
    assert u["name"] == name
    assert u["system"] == PRE and u["level"] == "commune"
    assert u["district_code"] == "397" and u["province_code"] == "38"


def test_code_15736_versions_do_not_overlap(db):
    v2022, v2025 = resolve_unit(db, "15736", 2022, PRE), resolve_unit(db, "15736", 2025, PRE)
    assert v2022["unit_id"] != v2025["unit_id"]
    assert pd.Timestamp(v2022["valid_to"]) < pd.Timestamp(v2025["valid_from"])


def test_merged_away_commune_is_gone_after_the_merge(db):
    # Old Xuân Lộc (15739) exists until the merger (1 December 2024), not at the end of 2024.
    assert resolve_unit(db, "15739", 2023, PRE)["name"] == "Xã Xuân Lộc"
    assert resolve_unit(db, "15739", 2024, PRE) is None


def test_resolve_levels_and_unknown_codes(db):
    assert resolve_unit(db, "62", 2022, PRE)["name"] == "Tỉnh Kon Tum"
    assert resolve_unit(db, "611", 2022, PRE)["name"] == "Huyện Ngọc Hồi"
    assert resolve_unit(db, "99", 2022, PRE) is None
    assert resolve_unit(db, "1234", 2022, PRE) is None          # no level has 4-digit codes


def test_post_reform_codes_name_other_places(db):
    # On the new units 51 is the new Quảng Ngãi and Kon Tum is gone; 21025 is a new ward, not the old commune.
    assert resolve_unit(db, "62", 2026, POST) is None
    assert resolve_unit(db, "51", 2026, POST)["system"] == POST
    old, new = resolve_unit(db, "21025", 2024, PRE), resolve_unit(db, "21025", 2026, POST)
    assert old["unit_id"] != new["unit_id"] and new["name"] == "Phường Cẩm Thành"


def test_lineage_links_both_merged_communes_to_the_successor(units, lineage):
    merged = lineage[lineage.change_type == "merge"]
    succ = units.set_index("unit_id")
    rows = merged[merged.successor_id == "pre2025:commune:15736"]
    names = sorted(succ.loc[rows.predecessor_id, "name"])
    assert names == ["Xã Xuân Lộc", "Xã Xuân Thịnh"]
    assert set(succ.loc[rows.predecessor_id, "code"]) == {"15736", "15739"}
    assert (pd.to_datetime(rows.change_date).dt.date == date(2024, 12, 1)).all()
    # The successor starts the day after its predecessors end.
    start = pd.Timestamp(succ.loc["pre2025:commune:15736", "valid_from"])
    for p in rows.predecessor_id:
        assert pd.Timestamp(succ.loc[p, "valid_to"]) + pd.Timedelta(days=1) == start


# ---------------------------------------------------------------------------------------------
# The 1 July 2025 crosswalk

def test_crosswalk_covers_every_commune_alive_at_the_reform(units, lineage):
    alive = units[(units.system == PRE) & (units.level == "commune")
                  & (pd.to_datetime(units.valid_to).dt.date == PRE_END)]
    reform = lineage[lineage.change_type == "reform2025"]
    mapped = set(reform.predecessor_id)
    missing = sorted(set(alive.unit_id) - mapped)
    # All 10,035 communes alive on 30 June 2025 have a successor (checked against vietnamadminunits 1.0.4).
    assert len(alive) == 10_035
    assert not missing, f"{len(missing)} pre-reform communes have no successor: {missing[:20]}"
    # Successors are post-reform communes, and each predecessor has exactly one default successor.
    post_ids = set(units.loc[(units.system == POST) & (units.level == "commune"), "unit_id"])
    assert set(reform.successor_id) <= post_ids
    defaults = reform[reform.is_default].groupby("predecessor_id").size()
    assert set(defaults.index) == mapped and (defaults == 1).all()


def test_post_reform_communes_without_a_predecessor_are_island_special_zones(units, lineage):
    """The only post-reform units with no commune predecessor are special zones (đặc khu) formed from
    island districts that had no communes (e.g. Huyện Lý Sơn, Huyện Côn Đảo)."""
    post = units[(units.system == POST) & (units.level == "commune")]
    orphans = post[~post.unit_id.isin(lineage.successor_id)]
    assert len(orphans) < 13
    assert (orphans.unit_type == "Đặc khu").all()
    districts = units[(units.system == PRE) & (units.level == "district")]
    with_communes = set(units.loc[(units.system == PRE) & (units.level == "commune"), "district_code"])
    communeless = set(districts.loc[~districts.code.isin(with_communes), "name_key"])
    assert set(orphans.name_key) <= communeless


def test_kon_tum_becomes_part_of_new_quang_ngai(units, lineage):
    cw = province_crosswalk()
    assert cw["62"] == "51"
    assert cw["51"] == "51"                 # old Quảng Ngãi is part of the new one too
    assert cw["38"] == "38" and cw["22"] == "22"     # Thanh Hóa, Quảng Ninh not merged
    assert len(cw) == 63 and len(set(cw.values())) == 34
    # Every Kon Tum commune's successor lies in the new Quảng Ngãi.
    by_id = units.set_index("unit_id")
    kon_tum = units[(units.system == PRE) & (units.level == "commune") & (units.province_code == "62")]
    succ = lineage[lineage.predecessor_id.isin(kon_tum.unit_id) & (lineage.change_type == "reform2025")]
    assert set(succ.predecessor_id) == set(kon_tum.unit_id)
    assert set(by_id.loc[succ.successor_id, "province_code"]) == {"51"}
    new_names = units[(units.system == POST) & (units.level == "province")].set_index("code")["name"]
    assert new_names["51"] == "Tỉnh Quảng Ngãi"


# ---------------------------------------------------------------------------------------------
# Names and codes

@pytest.mark.parametrize("a,b", [
    ("Đăk Pék", "Đắk Pék"),
    ("Xã Đăk Kroong", "Đắk KRoong"),
    ("Huyện Ia H' Drai", "Ia H'Drai"),
    ("Ia H'Drai", "IA H’DRAI"),
    ("Xã Tiến Nông", unicodedata.normalize("NFD", "Xã Tiến Nông")),
    (unicodedata.normalize("NFC", "Thanh Hóa"), unicodedata.normalize("NFD", "Thanh Hóa")),
    ("Thành phố Kon Tum", "Kon Tum"),
    ("  Xã   Ia  Chim ", "Ia Chim"),
])
def test_name_key_equates_spellings(a, b):
    assert name_key(a) == name_key(b) != ""


@pytest.mark.parametrize("a,b", [("Đắk Môn", "Đắk Pék"), ("Xuân Thịnh", "Xuân Lộc"), ("Tiến Nông", "Hợp Thành")])
def test_name_key_keeps_different_names_apart(a, b):
    assert name_key(a) != name_key(b)


def test_name_key_matches_database_names_of_the_kon_tum_story(units):
    # The seed writes "Đắk Pék", "Đắk Kroong"; the unit list writes "Đăk Pék", "Đăk Kroong".
    by_code = units[(units.system == PRE) & (units.level == "commune")].set_index("code")["name"]
    for code, typed in {"23326": "Ia Chim", "23353": "Đắk Pék", "23374": "Đắk Môn", "23371": "Đắk Kroong"}.items():
        assert name_key(by_code[code]) == name_key(typed)


def test_name_key_of_none_is_empty_and_type_word_alone_is_kept():
    assert name_key(None) == ""
    assert name_key("Xã") == "xa"


def test_fold_and_header_key():
    assert fold("Đắk  Glei") == "dak glei"
    assert header_key("Số hộ nghèo") == header_key("SO HO NGHEO") == "sohongheo"


@pytest.mark.parametrize("value,expected", [
    ("2566", "02566"), (2566, "02566"), ("2566.0", "02566"), (2566.0, "02566"), ("02566", "02566"),
    (" 15736 ", "15736"), ("1", "00001"),
    (None, None), ("", None), ("abc", None), ("123456", None), ("25-66", None), ("-2566", None),
])
def test_normalise_code(value, expected):
    assert normalise_code(value) == expected


def test_normalise_code_other_widths():
    assert normalise_code("62", width=2) == "62"
    assert normalise_code(1, width=2) == "01"
    assert normalise_code("611", width=2) is None
