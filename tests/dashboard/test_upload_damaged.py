"""The upload page (Streamlit's AppTest, signed in as an analyst, on a copy of the demo database) given
damaged files: each says which file is damaged and what to send — no exception box with its server paths —
and nothing is written; a boundary file that cannot be joined names the page's own box, never a
command-line option. In Vietnamese: AppTest formats the page's choice widgets outside the page's run, in
the default language (the English wording is checked through the engine and the command line)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from ntm.store.connection import connect
from ntm.text import t
from tests.dashboard.test_pages import APP, TIMEOUT_S, app_db, assert_ok  # noqa: F401  (app_db: a fixture)
from tests.ingest import damaged
from tests.ingest.damaged import WORKBOOKS, ZIPS


def upload_page() -> AppTest:
    """The upload page, signed in as an analyst."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state["analyst"] = "lan_test"
    at.switch_page("pages/upload.py")
    at.run()
    assert_ok(at)
    return at


def upload(at: AppTest, box: str, name: str, data: bytes) -> list[str]:
    """Send a file through an upload box; the page's error messages as the reader sees them."""
    at.file_uploader(key=box).set_value((name, data, "application/octet-stream"))
    at.run()
    assert_ok(at)
    # as the reader sees them: Markdown escapes undone, the invisible joiner that keeps an address unlinked gone
    return [re.sub(r"\\(.)", r"\1", e.value).replace("\u2060", "") for e in at.error]


def batches(path) -> int:
    con = connect(path)
    try:
        return con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_a_damaged_yearly_workbook_is_said_with_its_name(app_db, kind):
    build, key, params = WORKBOOKS[kind]
    before = batches(app_db)
    errors = upload(upload_page(), "upload_file", f"so_lieu_{kind}.xlsx", build())
    assert t("loc.file", "vi", file=f"so_lieu_{kind}.xlsx") + ": " + t(key, "vi", **params) in errors
    assert batches(app_db) == before


@pytest.mark.parametrize("data", [damaged.csv_utf32(), damaged.csv_cr_only()], ids=["utf32", "cr_only"])
def test_utf32_and_cr_only_yearly_files_are_read(app_db, data):
    at = upload_page()
    assert upload(at, "upload_file", "so_lieu.csv", data) == []
    assert at.subheader[0].value == t("upload.preview", "vi", year=2024)


def test_a_damaged_reference_workbook_is_said_with_its_name(app_db):
    build, key, params = WORKBOOKS["truncated_download"]
    errors = upload(upload_page(), "ref_file", "thuoc_tinh.xlsx", build())
    assert t("loc.file", "vi", file="thuoc_tinh.xlsx") + ": " + t(key, "vi", **params) in errors


@pytest.mark.parametrize("kind", ZIPS)
def test_a_damaged_shapefile_zip_is_said_with_its_name(app_db, tmp_path, kind):
    build, key, params = ZIPS[kind]
    before = batches(app_db)
    at = upload_page()
    at.radio(key="bound_level").set_value("commune")
    errors = upload(at, "bound_file", f"xa_{kind}.zip", build(tmp_path))
    assert errors == [t(key, "vi", file=f"xa_{kind}.zip", **params)]
    assert "bound_confirm" not in {b.key for b in at.button} and batches(app_db) == before


def test_a_boundary_file_pointing_to_the_internet_is_refused_before_anything(app_db, tmp_path):
    data = damaged.shapefile_zip(tmp_path, prj="http://192.0.2.1/ranh_gioi.prj")
    at = upload_page()
    errors = upload(at, "bound_file", "huyen.zip", data)
    assert errors == [t("boundary.crs_link", "vi", file="huyen.zip", link="http://192.0.2.1/ranh_gioi.prj")]


def test_a_boundary_file_without_codes_or_names_points_to_the_code_box(app_db):
    at = upload_page()
    at.radio(key="bound_level").set_value("commune")
    errors = upload(at, "bound_file", "xa.geojson", damaged.communes_without_codes().to_json(drop_id=True).encode())
    box = t("upload.code_column", "vi")
    assert errors == [t("upload.boundary_no_join", "vi", columns="GHI_CHU, NGUON", box=box)]
    assert "--code-column" not in errors[0]
