"""A QĐ 51/2025 file's commune group checked against the commune's ethnic-minority region (docs/domain.md
§1.9, §5): group 3 is for region II and III communes, 1 or 2 for the others. A disagreement is a warning
naming the row, the column, the group given, the region and where the region comes from (derived from the
old communes, or an uploaded list, which wins)."""

from __future__ import annotations

import pandas as pd

from ntm.ingest.reference import import_reference, validate_reference_bytes
from ntm.ingest.yearly import validate_bytes
from tests.ingest.test_yearly_reform import carried, csv


def regions(con, province: str = "51") -> pd.Series:
    """The EM region of each of a province's new communes, as the figures carry it (None: not known)."""
    df = con.execute("""SELECT commune_code, arg_max(em_region, year) AS em_region FROM figures_new
                        WHERE province_code = ? AND is_rural GROUP BY commune_code""", [province]).df()
    return df.set_index("commune_code")["em_region"]


def group_file(con, groups: dict[str, int]) -> pd.DataFrame:
    """Quảng Ngãi's 2026 file (last year's figures carried over) for these communes, with these groups."""
    df = carried(con, 2026)
    df = df[df["commune_code"].isin(groups)].reset_index(drop=True)
    df["commune_group"] = df["commune_code"].map(groups)
    return df


def group_warnings(report) -> list:
    return [i for i in report.issues if i.key.startswith("group.")]


def test_group_3_for_a_region_i_commune_and_group_2_for_a_region_iii_commune_are_warned(db):
    region = regions(db)
    one, three = region[region == "I"].index[0], region[region == "III"].index[:2]
    df = group_file(db, {one: 3, three[0]: 2, three[1]: 3})
    report = validate_bytes(db, csv(df), "nhom_xa_2026.csv")
    assert report.criteria_set == "QD51_2025" and report.errors == []
    row = {code: i + 2 for i, code in enumerate(df["commune_code"])}
    found = {(i.key, i.row, i.column, i.value) for i in group_warnings(report)}
    assert found == {("group.not_3", row[one], "commune_group", "3"),
                     ("group.should_be_3", row[three[0]], "commune_group", "2")}
    should = next(i for i in group_warnings(report) if i.key == "group.should_be_3")
    en, vi = should.message("f.csv", "en"), should.message("f.csv", "vi")
    assert f"(code {three[0]}) is a region III commune" in en and "the file gives group 2" in en
    assert "Change it to group 3" in en and "derived from the old communes" in en
    assert "nên thuộc nhóm 3" in vi and "tệp ghi nhóm 2" in vi
    wrong = next(i for i in group_warnings(report) if i.key == "group.not_3")
    assert "so it is in group 1 or 2" in wrong.message("f.csv", "en")


def test_a_commune_whose_region_is_not_known_is_not_judged(db):
    region = regions(db)
    unknown = region[region.isna()].index[0]
    report = validate_bytes(db, csv(group_file(db, {unknown: 3})), "f.csv")
    assert group_warnings(report) == []


def test_an_uploaded_region_list_wins_over_the_derived_region(wcon, writable_db):
    region = regions(wcon)
    code = region[region == "III"].index[0]
    attrs = ("system,level,code,name,is_mountainous,is_island,is_poor_district,em_region,decision,verified,note\n"
             f"post2025,commune,{code},,,,,I,QĐ khu vực 2026–2030 (thử),FALSE,\n")
    upload = validate_reference_bytes(wcon, "unit_attributes", attrs.encode(), "khu_vuc.csv")
    assert upload.ok, [i.message("khu_vuc.csv", "en") for i in upload.issues]
    import_reference(wcon, "unit_attributes", upload, user="cli:lan", checksum="k", db_path=writable_db)
    report = validate_bytes(wcon, csv(group_file(wcon, {code: 3})), "f.csv")
    [warning] = group_warnings(report)
    assert warning.key == "group.not_3" and "from the uploaded region list" in warning.message("f.csv", "en")


def test_the_demo_groups_agree_with_the_regions(db):
    """The demo's own 2026 figures (group 3 for region II/III communes) raise no group warning."""
    df = db.execute("""SELECT f.commune_code, f.commune_group FROM commune_year f
                       WHERE f.is_current AND f.year = 2026 AND f.province_code = '51' AND f.commune_group IS NOT NULL""").df()
    groups = dict(zip(df["commune_code"], df["commune_group"].astype(int)))
    assert groups
    assert group_warnings(validate_bytes(db, csv(group_file(db, groups)), "f.csv")) == []
