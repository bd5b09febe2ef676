"""Damaged files get a message that names the file, says what is wrong (damaged or not fully downloaded,
and where) and what to send instead — never a traceback — and nothing is written; CSV in UTF-32 or with
old Mac line ends is simply read. Through the engine, and through the command line as run by a user."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart

from ntm.errors import BoundaryError
from ntm.ingest.boundaries import read_boundary_file
from ntm.ingest.reading import read_table
from ntm.ingest.reference import validate_reference_bytes
from ntm.ingest.yearly import validate_bytes
from ntm.text import t
from ntm.store.copy import clone_local
from tests.ingest import damaged
from tests.ingest.damaged import WORKBOOKS, ZIPS
from tests.ingest.test_boundary_files_as_sent import batches, ntm_cli


def test_the_good_files_the_damage_starts_from_are_read(db, tmp_path):
    table = read_table(damaged.good_xlsx(), "tot.xlsx")
    assert table.frame.values.tolist() == [[str(c) for c in row] for row in damaged.ROWS]
    assert validate_bytes(db, damaged.good_xlsx(), "tot.xlsx").errors == []
    assert list(read_boundary_file(damaged.shapefile_zip(tmp_path), "xa.zip").MA_XA) == ["23326", "23353"]


# ---------------------------------------------------------------------------------------------
# Workbooks

@pytest.mark.parametrize("kind", WORKBOOKS)
def test_a_damaged_workbook_is_one_error_naming_the_file_and_where(db, kind):
    build, key, params = WORKBOOKS[kind]
    report = validate_bytes(db, build(), f"{kind}.xlsx")
    assert [i.key for i in report.issues] == [key] and report.rows is None
    for lang in ("vi", "en"):
        message = report.issues[0].message(report.file_name, lang)
        assert message == t("loc.file", lang, file=f"{kind}.xlsx") + ": " + t(key, lang, **params)


@pytest.mark.parametrize("kind", ["sheet_cut", "corrupt_deflate"])
def test_a_damaged_reference_workbook_says_so_too(db, kind):
    build, key, _ = WORKBOOKS[kind]
    report = validate_reference_bytes(db, "unit_attributes", build(), "thuoc_tinh.xlsx")
    assert [i.key for i in report.errors] == [key]


def test_a_workbook_opening_on_a_chart_sheet_is_read_from_its_worksheet():
    wb = load_workbook(io.BytesIO(damaged.good_xlsx()))
    wb.create_chartsheet("Biểu đồ", 0).add_chart(BarChart())
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    assert len(read_table(buf.getvalue(), "bieu_do.xlsx")) == 3


def test_a_workbook_without_a_worksheet_is_empty(db):
    data = damaged.good_xlsx()
    listed = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", damaged.part(data, "xl/workbook.xml"))
    report = validate_bytes(db, damaged.rewrite(data, {"xl/workbook.xml": listed}), "trong.xlsx")
    assert [i.key for i in report.issues] == ["read.empty"]


def test_huge_and_tiny_numbers_in_a_workbook_are_quoted_short():
    rows = [list(r) for r in damaged.ROWS]
    rows[1][3], rows[2][4] = 1e300, 2.5e-300
    table = read_table(damaged.good_xlsx(rows), "lon.xlsx")
    assert table.frame.iloc[1, 3] == "1e+300" and table.frame.iloc[2, 4] == "2,5e-300"


def test_a_huge_number_is_refused_as_too_large_quoting_what_was_typed(db):
    rows = [list(r) for r in damaged.ROWS]
    rows[1][3] = 1e300
    report = validate_bytes(db, damaged.good_xlsx(rows), "lon.xlsx")
    large = [i for i in report.errors if i.key == "value.too_large"]
    assert [(i.row, i.value) for i in large] == [(3, "1e+300")]
    assert len(large[0].message(report.file_name, "vi")) < 200


# ---------------------------------------------------------------------------------------------
# CSV text Excel no longer writes

@pytest.mark.parametrize("data", [damaged.csv_utf32(), damaged.csv_utf32(bom=False), damaged.csv_cr_only(),
                                  damaged.good_csv().replace("\n", "\r").encode("utf-16")],
                         ids=["utf32", "utf32_no_bom", "cr_only", "utf16_cr_only"])
def test_utf32_and_cr_only_csv_are_read_as_written(db, data):
    table = read_table(data, "cu.csv")
    assert table.headers == damaged.HEAD
    assert table.frame.values.tolist() == [[str(c) for c in row] for row in damaged.ROWS]
    report = validate_bytes(db, data, "cu.csv")
    assert report.errors == [] and report.year == 2024 and len(report.rows) == 3


# ---------------------------------------------------------------------------------------------
# Boundary files

@pytest.mark.parametrize("kind", ZIPS)
def test_a_damaged_or_incomplete_shapefile_zip_says_what_it_is(tmp_path, kind):
    build, key, params = ZIPS[kind]
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(build(tmp_path), "xa_kon_tum.zip")
    assert exc.value.key == key
    for lang in ("vi", "en"):
        assert exc.value.message(lang) == t(key, lang, file="xa_kon_tum.zip", **params)


@pytest.mark.parametrize("name", ["xa.geojson", "xa.gpkg"])
def test_a_geojson_or_geopackage_cut_short_is_damaged(tmp_path, name):
    damaged.communes().to_file(tmp_path / name, driver="GeoJSON" if name.endswith("json") else "GPKG")
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(damaged.truncated((tmp_path / name).read_bytes()), name)
    assert exc.value.key == "boundary.damaged" and f"“{name}”" in exc.value.message("vi")


# ---------------------------------------------------------------------------------------------
# The command line

@pytest.fixture(scope="module")
def cli_db(demo_db_path, tmp_path_factory) -> Path:
    """A copy of the demo database the commands may open for writing."""
    path = tmp_path_factory.mktemp("cli") / "ntm.ducklake"
    clone_local(demo_db_path, path)
    return path


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_the_command_line_says_a_workbook_is_damaged_and_imports_nothing(cli_db, tmp_path, kind):
    build, key, params = WORKBOOKS[kind]
    path = tmp_path / f"so_lieu_{kind}.xlsx"
    path.write_bytes(build())
    before = batches(cli_db)
    checked = ntm_cli(cli_db, "validate", str(path), "--json")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert [i["code"] for i in json.loads(checked.stdout)["issues"]] == [key]
    imported = ntm_cli(cli_db, "import", str(path), "--lang", "en")
    assert imported.returncode == 1 and "Traceback" not in imported.stderr
    assert f"File {path.name}: {t(key, 'en', **params)}" in imported.stdout
    assert batches(cli_db) == before


@pytest.mark.parametrize("data", [damaged.csv_utf32(), damaged.csv_cr_only()], ids=["utf32", "cr_only"])
def test_the_command_line_reads_utf32_and_cr_only_csv(cli_db, tmp_path, data):
    path = tmp_path / "so_lieu.csv"
    path.write_bytes(data)
    checked = ntm_cli(cli_db, "validate", str(path), "--json")
    report = json.loads(checked.stdout)
    assert checked.returncode == 0, checked.stdout
    assert report["year"] == 2024 and not [i for i in report["issues"] if i["code"].startswith("read.")]


@pytest.mark.parametrize("kind", ZIPS)
def test_the_command_line_says_a_shapefile_zip_is_damaged(cli_db, tmp_path, kind):
    build, key, params = ZIPS[kind]
    path = tmp_path / f"xa_{kind}.zip"
    path.write_bytes(build(tmp_path))
    before = batches(cli_db)
    r = ntm_cli(cli_db, "boundaries", "import", str(path), "--level", "commune", "--dry-run")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == t(key, "vi", file=path.name, **params)
    assert batches(cli_db) == before


def test_the_command_line_names_its_own_option_when_no_column_joins(cli_db, tmp_path):
    path = tmp_path / "xa.geojson"
    path.write_text(damaged.communes_without_codes().to_json(drop_id=True))
    r = ntm_cli(cli_db, "boundaries", "import", str(path), "--level", "commune", "--dry-run", "--lang", "en")
    assert r.returncode == 1 and r.stderr.strip() == t("boundary.no_join", "en", columns="GHI_CHU, NGUON")
    assert "--code-column" in r.stderr
