"""Roles on the command line: an administrator (or the operator) creates accounts with a role and
provinces, every change is kept; a province analyst named with --user is refused another province's
import and rollback (exit 1, nothing written) and allowed its own; `status` and `pack --all-provinces`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ntm.store.batches import list_batches
from ntm.store.connection import connect
from ntm.store.copy import clone_local
from tests.ingest.test_yearly import kon_tum_rows, to_csv

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mật khẩu đủ dài 2024"


def ntm(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NTM_DB=str(db), NTM_USERS_FILE=str(db.parent / "no-users.json"))
    return subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=600, input=stdin)


@pytest.fixture
def store(demo_db_path, tmp_path) -> tuple[Path, Path]:
    """A copy of the demo store with an administrator made by the operator, and Kon Tum's 2024 file (old
    province 62, merged into the new Quảng Ngãi, 51) with one figure corrected."""
    db, file = tmp_path / "ntm.ducklake", tmp_path / "kon_tum_2024.csv"
    clone_local(demo_db_path, db)
    assert ntm(db, "user", "add", "quan_tri", "--role", "admin", stdin=PASSWORD).returncode == 0
    con = connect(db, read_only=True)
    rows = kon_tum_rows(con)
    con.close()
    rows.loc[0, "households"] += 1
    file.write_bytes(to_csv(rows))
    return db, file


def batch_ids(db: Path) -> list[int]:
    con = connect(db, read_only=True)
    try:
        return list_batches(con)["batch_id"].tolist()
    finally:
        con.close()


def test_accounts_are_made_by_an_administrator_with_roles_and_provinces(store):
    db, _ = store
    r = ntm(db, "user", "add", "quang_ngai", "--role", "analyst", "--province", "51", "--user", "quan_tri",
            stdin=PASSWORD)
    assert r.returncode == 0, r.stderr
    r = ntm(db, "user", "add", "dieu_phoi", "--role", "coordinator", "--user", "quan_tri", "--password-stdin",
            stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    r = ntm(db, "user", "add", "ke_khac", "--role", "admin", "--user", "quang_ngai", stdin=PASSWORD)
    assert r.returncode == 1 and "quản lý tài khoản" in r.stderr and "manage accounts" in r.stderr
    r = ntm(db, "user", "add", "thieu_tinh", "--role", "analyst", stdin=PASSWORD)
    assert r.returncode == 1 and "--province 51" in r.stderr
    listed = {a["name"]: (a["role"], a["provinces"]) for a in json.loads(ntm(db, "user", "list", "--json").stdout)}
    assert listed == {"quan_tri": ("admin", []), "quang_ngai": ("analyst", ["51"]), "dieu_phoi": ("coordinator", [])}
    assert ntm(db, "user", "change", "quang_ngai", "--role", "analyst", "--province", "51", "--province", "22",
               "--user", "quan_tri").returncode == 0
    assert ntm(db, "user", "remove", "dieu_phoi", "--user", "quan_tri").returncode == 0
    con = connect(db, read_only=True)
    try:
        kept = con.execute("SELECT changed_by, name, change, provinces FROM account_changes ORDER BY changed_at").fetchall()
    finally:
        con.close()
    operator = kept[0][0]
    assert operator.startswith("cli:")
    assert kept == [(operator, "quan_tri", "created", []), ("quan_tri", "quang_ngai", "created", ["51"]),
                    ("quan_tri", "dieu_phoi", "created", []), ("quan_tri", "quang_ngai", "role_changed", ["22", "51"]),
                    ("quan_tri", "dieu_phoi", "removed", [])]


def test_an_analyst_of_another_province_is_refused_an_import_and_a_rollback(store):
    db, file = store
    for name, province in (("quang_ninh", "22"), ("quang_ngai", "51")):
        assert ntm(db, "user", "add", name, "--role", "analyst", "--province", province, stdin=PASSWORD).returncode == 0
    before = batch_ids(db)
    r = ntm(db, "import", str(file), "--accept-warnings", "--user", "quang_ninh")
    assert r.returncode == 1
    assert "Kon Tum (62)" in r.stderr and "quang_ngai" in r.stderr and "Không có gì được ghi" in r.stderr
    assert batch_ids(db) == before
    r = ntm(db, "import", str(file), "--accept-warnings", "--user", "quang_ngai")
    assert r.returncode == 0, r.stderr
    batch = r.stdout.strip().splitlines()[-1]
    r = ntm(db, "rollback", batch, "--user", "quang_ninh", "--lang", "en")
    assert r.returncode == 1 and "Kon Tum (62)" in r.stderr and "Nothing was written" in r.stderr
    assert ntm(db, "rollback", batch, "--user", "quang_ngai").returncode == 0
    r = ntm(db, "audit", "--province", "62", "--by", "quang_ngai", "--csv", "--lang", "en")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3                                     # the header, the rollback, then the import
    assert lines[1].split(",")[2] == '"rollback"' and lines[2].split(",")[2] == '"import"'
    assert all(f'"{batch}"' in line and '"kon_tum_2024.csv"' in line for line in lines[1:])


def test_a_boundary_file_of_another_province_is_refused_on_the_command_line(store, tmp_path):
    from tests.ingest.test_boundary_upload import communes_file, geojson_bytes

    db, _ = store
    assert ntm(db, "user", "add", "quang_ninh", "--role", "analyst", "--province", "22", stdin=PASSWORD).returncode == 0
    con = connect(db, read_only=True)
    try:
        path = tmp_path / "quang_ngai_xa.geojson"
        path.write_bytes(geojson_bytes(communes_file(con, "post2025", "51")))
    finally:
        con.close()
    before = batch_ids(db)
    r = ntm(db, "boundaries", "import", str(path), "--level", "commune", "--user", "quang_ninh")
    assert r.returncode == 1 and "Quảng Ngãi (51)" in r.stderr and "Không có gì được ghi" in r.stderr
    assert batch_ids(db) == before


def test_status_of_the_demo_year_as_json_and_as_a_workbook(demo_db_path, tmp_path):
    db = tmp_path / "ntm.ducklake"
    clone_local(demo_db_path, db)
    r = ntm(db, "status", "--year", "2024", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["unit_system"] == "pre2025" and data["deadline"] == "2025-01-15" and len(data["provinces"]) == 63
    reported = {p["province_code"]: p for p in data["provinces"] if p["files"]}
    assert set(reported) == {"22", "38", "51", "62"}
    con = connect(db, read_only=True)
    try:
        for code, p in reported.items():
            expected = con.execute("SELECT count(*) FROM units WHERE system = 'pre2025' AND level = 'commune' "
                                   "AND province_code = ? AND (valid_to IS NULL OR valid_to >= DATE '2024-12-31') "
                                   "AND (valid_from IS NULL OR valid_from <= DATE '2024-12-31')", [code]).fetchone()[0]
            assert p["communes_expected"] + p["wards_expected"] == expected
            assert p["communes_reported"] + p["wards_reported"] == expected and p["missing_units"] == []
    finally:
        con.close()
    hanoi = next(p for p in data["provinces"] if p["province_code"] == "01")
    assert hanoi["completeness"] == "none" and len(hanoi["missing_units"]) == hanoi["missing"] > 0
    out = tmp_path / "status.xlsx"
    r = ntm(db, "status", "--year", "2025", "--xlsx", str(out), "--lang", "en")
    assert r.returncode == 0, r.stderr
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["By province", "Missing units"]
    cells = [c for row in wb["Missing units"].iter_rows(values_only=True) for c in row if c]
    assert "Đặc khu Lý Sơn" in cells                   # the unit the demo's 2025 file leaves out, by name
