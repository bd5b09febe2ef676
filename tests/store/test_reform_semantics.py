"""The 2025 reform's semantics pinned on a small hand-built lineage (no package data): three communes
merged into one, one split into two (default successor, then stated weights), a renamed commune, a code
reused by another place, a province merged into another, a 2025 file on the new units replacing the old
units' 2025 figures for its area only, and NTM status across a merger (CV 5424/BNN-VPĐP).

    old (pre2025)                                  new (post2025, from 1 July 2025)
    Tỉnh Một 01: A 00010, B 00011, C 00012   ──►   Xã Hợp 00020 (A + B + C)
                 D 00013 (split)             ──►   Xã Đông 00021 (default) · Xã Tây 00022
                 E 00014                     ──►   Xã Én 00023 (renamed)
                 F 00015                     ──►   Xã Phú 00024
    Tỉnh Hai 02: G 00030 (ward)              ──►   Phường Gò 00015 (the old code of F, another place)
                 H 00031                     ──►   Xã Hòa 00025
    Tỉnh Hai merged into the new Tỉnh Một (01).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from ntm.domain.units import POST, PRE, PRE_END, REFORM_DATE, unit_id
from ntm.read import ntm as ntm_q
from ntm.read.imports import covered_elsewhere, previous_year
from ntm.read.scope import find_scope, resolve_scope
from ntm.read.summary import summary
from ntm.store.batches import add_batch, rollback_batch
from ntm.store.connection import transaction
from ntm.store.crosswalk import refresh_crosswalk
from ntm.store.figures import figures_sql
from ntm.store.schema import create_schema
from ntm.store.unit_list import LINEAGE_COLUMNS, UNIT_COLUMNS

OLD = {  # code: (name, type, district, province)
    "00010": ("Xã A", "Xã", "001", "01"), "00011": ("Xã B", "Xã", "001", "01"), "00012": ("Xã C", "Xã", "001", "01"),
    "00013": ("Xã D", "Xã", "001", "01"), "00014": ("Xã E", "Xã", "001", "01"), "00015": ("Xã F", "Xã", "001", "01"),
    "00030": ("Phường G", "Phường", "002", "02"), "00031": ("Xã H", "Xã", "002", "02"),
}
NEW = {  # code: (name, type, province)
    "00020": ("Xã Hợp", "Xã", "01"), "00021": ("Xã Đông", "Xã", "01"), "00022": ("Xã Tây", "Xã", "01"),
    "00023": ("Xã Én", "Xã", "01"), "00024": ("Xã Phú", "Xã", "01"), "00015": ("Phường Gò", "Phường", "01"),
    "00025": ("Xã Hòa", "Xã", "01"),
}
REFORM = [("00010", "00020", True), ("00011", "00020", True), ("00012", "00020", True), ("00013", "00021", True),
          ("00013", "00022", False), ("00014", "00023", True), ("00015", "00024", True), ("00030", "00015", True),
          ("00031", "00025", True)]
HOUSEHOLDS = {"00010": 100, "00011": 200, "00012": 300, "00013": 1000, "00014": 400, "00015": 50, "00030": 700,
              "00031": 80}
NO_WEIGHTS = pd.DataFrame(columns=["old_code", "new_code", "weight", "source"])


def _unit(system, level, code, name, unit_type=None, district=None, province=None):
    ended = PRE_END if system == PRE else None
    return dict(unit_id=unit_id(system, level, code), system=system, level=level, code=code, name=name,
                short_name=name, unit_type=unit_type, is_rural=unit_type == "Xã" if unit_type else None,
                district_code=district, province_code=province, lat=None, lon=None, area_km2=None,
                valid_from=None if system == PRE else REFORM_DATE, valid_to=ended, name_key=name.lower(), source="test")


def build(weights: pd.DataFrame = NO_WEIGHTS) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_schema(con)
    units = [_unit(PRE, "province", "01", "Tỉnh Một", province="01"), _unit(PRE, "province", "02", "Tỉnh Hai", province="02"),
             _unit(PRE, "district", "001", "Huyện Một", district="001", province="01"),
             _unit(PRE, "district", "002", "Huyện Hai", district="002", province="02"),
             _unit(POST, "province", "01", "Tỉnh Một", province="01")]
    units += [_unit(PRE, "commune", c, n, t_, d, p) for c, (n, t_, d, p) in OLD.items()]
    units += [_unit(POST, "commune", c, n, t_, None, p) for c, (n, t_, p) in NEW.items()]
    lineage = [dict(predecessor_id=unit_id(PRE, "commune", o), successor_id=unit_id(POST, "commune", n),
                    change_date=REFORM_DATE, change_type="reform2025", is_default=d, decision="test", source="test")
               for o, n, d in REFORM]
    for table, rows, cols in (("units", units, UNIT_COLUMNS), ("unit_lineage", lineage, LINEAGE_COLUMNS)):
        con.register("df", pd.DataFrame(rows, columns=cols))
        con.execute(f"INSERT INTO {table} SELECT * FROM df")
        con.unregister("df")
    refresh_crosswalk(con.cursor(), weights)
    return con


def old_rows(year: int, status: dict[str, str] | None = None) -> pd.DataFrame:
    status = status or {}
    return pd.DataFrame([dict(year=year, commune_code=c, unit_id=unit_id(PRE, "commune", c), district_code=d,
                              province_code=p, households=HOUSEHOLDS[c], poor_households=HOUSEHOLDS[c] // 10,
                              near_poor_households=0, ntm_status=None if t_ != "Xã" else status.get(c, "standard"))
                         for c, (_, t_, d, p) in OLD.items()])


def new_rows(year: int, codes, households: dict[str, int], status: dict[str, str] | None = None) -> pd.DataFrame:
    status = status or {}
    return pd.DataFrame([dict(year=year, commune_code=c, unit_id=unit_id(POST, "commune", c), district_code=None,
                              province_code="01", households=households[c], poor_households=households[c] // 20,
                              near_poor_households=0,
                              ntm_status=None if NEW[c][1] != "Xã" else status.get(c, "standard"))
                         for c in codes])


def load(con, rows: pd.DataFrame, name: str = "test.csv") -> int:
    with transaction(con) as cur:
        return add_batch(cur, "commune_year", rows, kind="commune_year", year=int(rows["year"].iloc[0]),
                         file_name=name, checksum=name, imported_by="test")


def new_view(con, year: int) -> pd.DataFrame:
    return con.execute(f"SELECT * FROM {figures_sql('new')} f WHERE f.year = ? ORDER BY commune_code",
                       [year]).df().set_index("commune_code")


@pytest.fixture
def world():
    con = build()
    load(con, old_rows(2024))
    yield con
    con.close()


def test_three_communes_merged_into_one_are_summed_and_marked_converted(world):
    v = new_view(world, 2024)
    assert v.loc["00020", "households"] == 600 and v.loc["00020", "poor_households"] == 60
    assert bool(v.loc["00020", "converted"]) and v.loc["00020", "n_sources"] == 3
    assert not bool(v.loc["00020", "approximate"])


def test_a_split_commune_goes_to_its_default_successor_and_is_approximate(world):
    v = new_view(world, 2024)
    assert v.loc["00021", "households"] == 1000 and bool(v.loc["00021", "approximate"])
    assert "00022" not in v.index


def test_a_split_commune_follows_stated_weights():
    weights = pd.DataFrame({"old_code": ["00013", "00013"], "new_code": ["00021", "00022"], "weight": [0.7, 0.3],
                            "source": ["test decision"] * 2})
    con = build(weights)
    load(con, old_rows(2024))
    v = new_view(con, 2024)
    assert (v.loc["00021", "households"], v.loc["00022", "households"]) == (700, 300)
    assert bool(v.loc["00022", "approximate"])
    assert v["households"].sum() == sum(HOUSEHOLDS.values())          # no household lost or counted twice


def test_a_renamed_commune_keeps_its_figures_under_its_new_name(world):
    v = new_view(world, 2024)
    assert v.loc["00023", "households"] == 400 and v.loc["00023", "n_sources"] == 1
    assert resolve_scope(world, "00023", 2026).name == "Xã Én"


def test_a_reused_code_compares_the_new_place_with_its_own_predecessor(world):
    # 00015 was Xã F (50 households) before the reform; after it, Phường Gò (old Phường G, 700 households).
    load(world, new_rows(2025, ["00015"], {"00015": 720}))
    prev = previous_year(world, 2025, ["00015"], POST).set_index("commune_code")
    assert prev.loc["00015", "households"] == 700                     # G, not F
    s = summary(world, resolve_scope(world, "00015", 2025), 2025)
    assert s["unit"]["name"] == "Phường Gò" and s["comparison"]["previous_converted"]
    assert s["poor_rate_change_pp"] == pytest.approx(100 * 36 / 720 - 100 * 70 / 700)
    old_f = summary(world, resolve_scope(world, "00015", 2024, "old"), 2024)
    assert old_f["unit"]["name"] == "Xã F" and old_f["households"] == 50


def test_a_province_merged_into_another_is_read_whole_and_its_old_code_says_where_it_went(world):
    s = summary(world, resolve_scope(world, "01", 2024, "new"), 2024)
    assert s["households"] == sum(HOUSEHOLDS.values())                # old Tỉnh Một + Tỉnh Hai
    found = find_scope(world, "02", 2026)
    assert found.moved["provinces"] == [("01", "Tỉnh Một")] and found.moved["exact"]
    area = summary(world, found.scope, 2024)
    assert area["households"] == HOUSEHOLDS["00030"] + HOUSEHOLDS["00031"]


def test_a_2025_file_on_the_new_units_replaces_the_old_2025_figures_of_its_area_only(world):
    load(world, old_rows(2025))
    covered = covered_elsewhere(world, 2025, ["00020"], POST)
    assert set(covered["commune_code"]) == {"00010", "00011", "00012"}
    batch = load(world, new_rows(2025, ["00020"], {"00020": 610}))
    v = new_view(world, 2025)
    assert v.loc["00020", "households"] == 610 and not bool(v.loc["00020", "converted"])
    assert v["households"].sum() == 610 + sum(HOUSEHOLDS.values()) - 600      # never the same households twice
    assert bool(v.loc["00023", "converted"])                                  # outside its area: old figures kept
    with transaction(world) as cur:
        rollback_batch(cur, batch)
    assert new_view(world, 2025).loc["00020", "households"] == 600            # the old figures are back


def test_a_merger_of_ntm_communes_keeps_ntm_and_a_mixed_one_is_reassessed_never_revoked():
    con = build()
    load(con, old_rows(2024, {"00010": "standard", "00011": "advanced", "00012": "standard", "00013": "none"}))
    load(con, new_rows(2025, ["00020", "00021"], {"00020": 600, "00021": 1000}))
    v = new_view(con, 2024)
    assert v.loc["00020", "ntm_status"] == "standard" and not bool(v.loc["00020", "reassess"])
    moves = ntm_q.status_changes(con, resolve_scope(con, "01", 2025, "new"), 2024, 2025).set_index("commune_code")
    assert moves.loc["00020", "movement"] == "same"                      # re-coding is no revocation
    con.close()

    mixed = build()
    load(mixed, old_rows(2024, {"00010": "standard", "00011": "none", "00012": "advanced"}))
    load(mixed, new_rows(2025, ["00020"], {"00020": 600}, {"00020": "none"}))
    v = new_view(mixed, 2024)
    assert v.loc["00020", "ntm_status"] == "none" and bool(v.loc["00020", "reassess"])
    assert bool(new_view(mixed, 2025).loc["00020", "reassess"])          # the mark stays until it is recognised
    moves = ntm_q.status_changes(mixed, resolve_scope(mixed, "01", 2025, "new"), 2024, 2025)
    assert "revoked" not in set(moves["movement"])
    load(mixed, new_rows(2025, ["00020"], {"00020": 600}, {"00020": "standard"}), "recognised.csv")
    assert not bool(new_view(mixed, 2025).loc["00020", "reassess"])
    mixed.close()


def test_every_part_of_a_split_commune_is_approximate(db):
    """Trà Bùi (Quảng Ngãi) was split between Cà Đam 21136 (its default successor, which takes its figures)
    and Tây Trà Bồng 21157: both new communes' earlier years are approximate, not only the one that
    received the figures."""
    rows = db.execute("SELECT commune_code, bool_and(approximate) FROM figures_new WHERE year < 2025 "
                      "AND commune_code IN ('21136', '21157') GROUP BY ALL ORDER BY 1").fetchall()
    assert rows == [("21136", True), ("21157", True)]


def test_the_old_geography_reads_the_old_units_as_they_were(world):
    old = summary(world, resolve_scope(world, "02", 2024, "old"), 2024)
    assert old["unit"]["name"] == "Tỉnh Hai" and old["households"] == 780
    assert resolve_scope(world, "02", 2026, "new") is None              # no Tỉnh Hai on the new units
