"""The analyst's upload path: real-world formats are read, each class of bad input is reported at the
right row and column in Vietnamese and English, and a refused or failed import writes nothing."""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import pytest

from ntm.domain.columns import BY_NAME, COLUMNS
from ntm.domain.rules import CRITERIA
from ntm.ingest.yearly import ImportRefused, import_report, preview, validate_bytes

VI_HEADERS = [c.header_vi for c in COLUMNS]


def kon_tum_rows(con, year: int = 2024) -> pd.DataFrame:
    """The figures in force for Kon Tum in a year, in upload shape (canonical column names)."""
    cols = [c.name for c in COLUMNS if c.name not in ("commune_name", "district_name", "province_name")]
    df = con.execute("""
        SELECT f.*, u.name AS commune_name FROM commune_year f JOIN units u USING (unit_id)
        WHERE f.is_current AND f.year = ? AND f.province_code = '62' ORDER BY f.commune_code""", [year]).df()
    out = df[["commune_name", *cols]].copy()
    for c in CRITERIA:
        out[c] = out[c].map({True: 1, False: 0})
    return out


def to_csv(df: pd.DataFrame, vi_headers: bool = True, **kw) -> bytes:
    out = df.copy()
    if vi_headers:
        out.columns = [BY_NAME[c].header_vi for c in out.columns]
    return out.to_csv(index=False, **kw).encode(kw.pop("encoding", "utf-8"))


def db_fingerprint(con) -> str:
    """Hash of everything an import may touch."""
    h = hashlib.sha256()
    for table in ("commune_year", "import_batches"):
        df = con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()
        h.update(pd.util.hash_pandas_object(df.astype(str), index=False).values.tobytes())
    return h.hexdigest()


@pytest.fixture
def good(db):
    return kon_tum_rows(db)


# ---------------------------------------------------------------------------------------------
# Formats

def test_round_trip_of_figures_in_force_has_no_error(db, good):
    report = validate_bytes(db, to_csv(good), "kontum_2024.csv")
    assert report.errors == []
    assert report.year == 2024
    assert len(report.rows) == len(good)
    # The four communes of Chỉ thị 05/CT-UBND are flagged as at risk of revocation.
    risky = {i.row for i in report.warnings if i.key == "risk.revocation"}
    codes = set(report.rows.loc[report.rows.excel_row.isin(risky), "commune_code"])
    assert {"23326", "23353", "23371", "23374"} <= codes


def windows_1258(text: str) -> bytes:
    """Encode as Excel does for Windows-1258: precomposed base letters, combining tone marks."""
    import unicodedata
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out.append((base + "".join(c for c in d if c in tones)).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_excel_encodings_are_read(db, good, encoding):
    text = good.rename(columns={c: BY_NAME[c].header_vi for c in good.columns}).to_csv(index=False)
    data = windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    report = validate_bytes(db, data, "f.csv")
    assert report.errors == []
    assert report.rows["commune_name"].iloc[0] == good["commune_name"].iloc[0]


def test_semicolon_file_with_vietnamese_numbers(db, good):
    df = good.copy()
    df["households"] = df["households"].map(lambda v: f"{int(v):,}".replace(",", "."))
    df["income_per_capita"] = df["income_per_capita"].map(lambda v: f"{v:.1f}".replace(".", ","))
    report = validate_bytes(db, to_csv(df, sep=";"), "f.csv")
    assert report.errors == []
    assert report.rows["households"].tolist() == good["households"].astype(float).tolist()
    assert report.rows["income_per_capita"].round(1).tolist() == good["income_per_capita"].round(1).tolist()


def test_tab_delimited_english_headers_any_case_and_unicode_form(db, good):
    import unicodedata
    df = good.copy()
    df.columns = [unicodedata.normalize("NFD", BY_NAME[c].header_vi.upper()) for c in df.columns]
    report = validate_bytes(db, df.to_csv(index=False, sep="\t").encode(), "f.txt")
    assert report.errors == []
    assert report.columns_found["households"] == "TỔNG SỐ HỘ"   # read back in NFC


def test_xlsx_with_title_rows_and_totals_row(db, good):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["BIỂU TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2024"])
    ws.append(["(Kèm theo báo cáo của UBND tỉnh)"])
    ws.append(VI_HEADERS[1:2] + [BY_NAME[c].header_vi for c in good.columns if c != "commune_code"])
    body = good[["commune_code", *[c for c in good.columns if c != "commune_code"]]]
    for row in body.itertuples(index=False):
        ws.append([None if pd.isna(v) else (int(row[0]) if i == 0 else v) for i, v in enumerate(row)])
    ws.append(["Tổng cộng", None, int(good["households"].sum())])
    buf = io.BytesIO()
    wb.save(buf)
    report = validate_bytes(db, buf.getvalue(), "bieu_2024.xlsx")
    assert report.errors == []
    assert len(report.rows) == len(good)
    assert report.rows["excel_row"].iloc[0] == 4          # two title rows + header
    assert [i.key for i in report.issues if i.severity == "info"] == ["read.totals_row"]


def test_codes_without_leading_zeros(db):
    rows = kon_tum_rows(db).head(0)
    qn = db.execute("""SELECT f.commune_code, f.households, f.poor_households, f.near_poor_households
                       FROM commune_year f WHERE is_current AND year = 2024 AND province_code = '22'
                       ORDER BY commune_code LIMIT 3""").df()
    qn["year"] = 2024
    qn["commune_code"] = qn["commune_code"].str.lstrip("0")
    assert qn["commune_code"].str.len().min() < 5
    report = validate_bytes(db, to_csv(qn), "qn.csv")
    assert report.errors == []
    assert report.rows["commune_code"].str.len().eq(5).all()
    assert rows.empty


# ---------------------------------------------------------------------------------------------
# One file per class of bad input: the message names file, Excel row, column and value

def _only_error(report, key):
    errs = [i for i in report.errors if i.key == key]
    assert errs, f"expected {key}, got {[i.key for i in report.issues]}"
    return errs[0]


def _break(good, row, column, value):
    df = good.copy().astype(object)
    df.loc[row, column] = value
    return df


BAD_CELLS = [
    ("unknown code", "commune_code", "99999", "code.unknown"),
    ("text in a number", "households", "không rõ", "value.not_number"),
    ("negative count", "poor_households", "-3", "value.negative"),
    ("poor above households", "poor_households", "999999", "check.poor_gt_households"),
    ("criteria out of range", "criteria_met", "25", "criteria.range"),
    ("unknown status", "ntm_status", "gần đạt", "status.invalid"),
    ("year mismatch", "year", "2023", "year.mismatch"),
    ("bad flag", "c05", "có lẽ", "flag.invalid"),
]


@pytest.mark.parametrize("label,column,value,key", BAD_CELLS, ids=[b[0] for b in BAD_CELLS])
def test_bad_cell_is_located(wcon, good, label, column, value, key):
    before = db_fingerprint(wcon)
    report = validate_bytes(wcon, to_csv(_break(good, 3, column, value)), "bad.csv")
    issue = _only_error(report, key)
    assert issue.row == 5                                   # header is row 1, data index 3 → row 5
    assert issue.column == BY_NAME[column].header_vi
    vi, en = issue.message("bad.csv", "vi"), issue.message("bad.csv", "en")
    assert "bad.csv" in vi and "dòng 5" in vi and BY_NAME[column].header_vi in vi
    assert "row 5" in en and "hãy" in vi.lower()        # says what to do
    with pytest.raises(ImportRefused):
        import_report(wcon, report, user="cli:t", accept_warnings=True)
    assert db_fingerprint(wcon) == before


def test_poor_plus_near_poor_above_households(db, good):
    df = good.copy()
    df.loc[2, "near_poor_households"] = int(df.loc[2, "households"]) - int(df.loc[2, "poor_households"]) + 1
    issue = _only_error(validate_bytes(db, to_csv(df), "f.csv"), "check.poor_near_gt_households")
    assert (issue.row, issue.column) == (4, "Số hộ cận nghèo")


def test_criteria_count_disagrees_with_flags(db, good):
    df = good.copy()
    i = int(df.index[df["criteria_met"] == 19][0])
    df.loc[i, "c03"] = 0
    issue = _only_error(validate_bytes(db, to_csv(df), "f.csv"), "criteria.mismatch")
    assert issue.row == i + 2 and issue.column == "Số tiêu chí đạt"


def test_duplicate_commune_names_both_rows(db, good):
    df = pd.concat([good, good.iloc[[7]]], ignore_index=True)
    dups = [i for i in validate_bytes(db, to_csv(df), "f.csv").errors if i.key == "code.duplicate"]
    assert sorted(i.row for i in dups) == [9, len(df) + 1]
    assert dups[0].params["other"] in (9, len(df) + 1)


def test_status_on_a_ward(db, good):
    ward = db.execute("SELECT code FROM units WHERE system='pre2025' AND level='commune' "
                      "AND province_code='62' AND unit_type='Phường' ORDER BY code LIMIT 1").fetchone()[0]
    i = int(good.index[good["commune_code"] == ward][0])
    issue = _only_error(validate_bytes(db, to_csv(_break(good, i, "ntm_status", "Đạt chuẩn")), "f.csv"),
                        "status.on_ward")
    assert issue.row == i + 2 and "Phường" in issue.message("f.csv")


def test_missing_required_column(db, good):
    report = validate_bytes(db, to_csv(good.drop(columns=["poor_households"])), "f.csv")
    issue = _only_error(report, "col.missing")
    assert "Số hộ nghèo" in issue.message("f.csv", "vi") and "poor_households" in issue.message("f.csv", "en")
    assert report.rows is None


@pytest.mark.parametrize("data,key", [(b"", "read.empty"), (b"\n\n  \n", "read.empty"),
                                      (b"\x81\x8d\x8f\x90\x9d" * 40, "read.encoding"),
                                      (b"a,b,c\n1,2,3\n", "read.no_header")])
def test_unreadable_files_get_a_clear_error(db, data, key):
    report = validate_bytes(db, data, "x.csv")
    assert [i.key for i in report.errors] == [key]
    assert report.errors[0].message("x.csv", "vi").startswith("Tệp x.csv")


def test_no_year_column_needs_a_year(db, good):
    report = validate_bytes(db, to_csv(good.drop(columns=["year"])), "f.csv")
    assert [i.key for i in report.errors] == ["year.missing"]
    assert validate_bytes(db, to_csv(good.drop(columns=["year"])), "f.csv", year=2024).errors == []


# ---------------------------------------------------------------------------------------------
# Warnings, preview, import and rollback

def test_flow_imbalance_and_household_jump_are_warnings(db, good):
    df = good.copy()
    df.loc[0, "poor_households"] = int(df.loc[0, "poor_households"]) + 50     # more poor than the flows explain
    df.loc[1, "households"] = int(int(df.loc[1, "households"]) * 1.5)
    report = validate_bytes(db, to_csv(df), "f.csv")
    keys = {(i.key, i.row) for i in report.warnings}
    assert ("flow.imbalance", 2) in keys and ("jump.households", 3) in keys
    assert report.ok


def test_import_needs_acknowledged_warnings_then_supersedes_and_rolls_back(wcon, writable_db):
    good = kon_tum_rows(wcon)
    good.loc[0, "poor_households"] = int(good.loc[0, "poor_households"]) + 1
    report = validate_bytes(wcon, to_csv(good), "kontum_2024.csv")
    assert report.warnings
    before = db_fingerprint(wcon)
    in_force_before = rows_in_force(wcon)
    with pytest.raises(ImportRefused) as exc:
        import_report(wcon, report, user="cli:lan")
    assert exc.value.key == "import.needs_ack"
    assert db_fingerprint(wcon) == before

    pv = preview(wcon, report)
    assert len(pv.changed) == 1 and pv.changed.iloc[0]["column"] == "poor_households"
    assert len(pv.new) == 0 and len(pv.unchanged) == len(good) - 1

    batch = import_report(wcon, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
    b = wcon.execute("SELECT imported_by, status, n_rows, replaced_batch_ids, file_name FROM import_batches "
                     "WHERE batch_id = ?", [batch]).fetchone()
    assert b[0] == "cli:lan" and b[1] == "active" and b[2] == len(good) and b[4] == "kontum_2024.csv"
    assert len(b[3]) == 1
    in_force = wcon.execute("SELECT poor_households FROM commune_year WHERE is_current AND year = 2024 "
                            "AND commune_code = ?", [good.loc[0, "commune_code"]]).fetchone()[0]
    assert in_force == good.loc[0, "poor_households"]
    # the replaced demo rows are kept
    kept = wcon.execute("SELECT count(*) FROM commune_year WHERE year = 2024 AND commune_code = ?",
                        [good.loc[0, "commune_code"]]).fetchone()[0]
    assert kept == 2

    from ntm.store.batches import rollback_batch
    from ntm.store.connection import transaction
    with transaction(wcon) as cur:
        rollback_batch(cur, batch)
    pd.testing.assert_frame_equal(rows_in_force(wcon), in_force_before)
    status = wcon.execute("SELECT status FROM import_batches WHERE batch_id = ?", [batch]).fetchone()[0]
    assert status == "rolled_back"


def rows_in_force(con) -> pd.DataFrame:
    return con.execute("SELECT * EXCLUDE (is_current) FROM commune_year WHERE is_current ORDER BY year, commune_code").df()


def test_report_summary_groups_problems_with_an_example(db, good):
    df = _break(_break(good, 3, "households", "abc"), 5, "households", "xyz")
    summary = validate_bytes(db, to_csv(df), "f.csv").summary_frame("vi")
    row = summary.iloc[0]
    assert (row["Mức độ"], row["Số lượng"]) == ("Lỗi", 2)
    assert row["Ví dụ"].startswith("Tệp f.csv, dòng 5, cột “Tổng số hộ”")


def test_near_poor_becoming_poor_is_a_flow_of_its_own(db, good):
    """DOMAIN §2.4: poor_end ≈ poor_start − escaped + fell back + newly poor + near-poor → poor. A commune
    whose end-of-year poor count is explained only by near-poor households becoming poor balances when
    the file reports them (Số hộ cận nghèo chuyển thành hộ nghèo), and is flagged when it does not."""
    df = good.copy()
    df.loc[0, "poor_households"] = int(df.loc[0, "poor_households"]) + 60
    without = validate_bytes(db, to_csv(df), "f.csv")
    assert ("flow.imbalance", 2) in {(i.key, i.row) for i in without.warnings}
    df["near_poor_to_poor"] = 0
    df.loc[0, "near_poor_to_poor"] = 60
    with_column = validate_bytes(db, to_csv(df), "f.csv")
    assert ("flow.imbalance", 2) not in {(i.key, i.row) for i in with_column.warnings}
    assert with_column.ok and "near_poor_to_poor" in with_column.rows.columns
    header = with_column.rows.columns.tolist()
    assert header.count("near_poor_to_poor") == 1


def test_importing_the_file_in_force_again_asks_first(wcon, writable_db):
    """The same file twice: the second time is a warning naming the batch in force, and the import waits
    for it to be acknowledged instead of silently storing a duplicate batch."""
    good = kon_tum_rows(wcon)
    good.loc[0, "households"] = int(good.loc[0, "households"]) + 1          # a real change: a new file
    data = to_csv(good)
    first = validate_bytes(wcon, data, "kontum_2024.csv")
    assert "import.same_file" not in {i.key for i in first.issues}
    batch = import_report(wcon, first, user="cli:lan", accept_warnings=True, db_path=writable_db)
    again = validate_bytes(wcon, data, "kontum_2024 (1).csv")
    same = [i for i in again.warnings if i.key == "import.same_file"]
    assert len(same) == 1 and f"lô {batch}" in same[0].message(again.file_name, "vi")
    with pytest.raises(ImportRefused) as exc:
        import_report(wcon, again, user="cli:lan", db_path=writable_db)
    assert exc.value.key == "import.needs_ack"
    assert wcon.execute("SELECT count(*) FROM import_batches WHERE checksum = ?", [again.checksum]).fetchone()[0] == 1


@pytest.mark.shared_store
def test_an_import_that_loses_to_one_of_the_same_communes_is_told_and_writes_nothing(writable_db):
    """Two dashboards of one shared store write Kon Tum's 2024 at the same moment: the one that commits
    second is refused by the store, finds the first one's batch over the same communes, and says so —
    nothing of its file is written; a file of other communes in the same moment would have landed."""
    import threading

    from ntm.store import batches as store_batches
    from ntm.store.connection import connect

    first, second = connect(writable_db), connect(writable_db)
    try:
        rows = kon_tum_rows(first)
        rows.loc[0, "households"] += 1
        report_a = validate_bytes(first, to_csv(rows), "kon_tum_a.csv")
        rows.loc[1, "households"] += 1
        report_b = validate_bytes(second, to_csv(rows), "kon_tum_b.csv")
        written, landed = threading.Event(), threading.Event()
        add_batch = store_batches.add_batch

        def slow_add_batch(cur, *args, **kwargs):    # the second writer has begun, on the store before the first
            if kwargs.get("file_name") == "kon_tum_b.csv" and not written.is_set():
                written.set()
                landed.wait(60)
            return add_batch(cur, *args, **kwargs)

        import ntm.ingest.yearly as yearly
        yearly.add_batch = slow_add_batch
        outcome = {}

        def import_b():
            try:
                outcome["b"] = import_report(second, report_b, user="cli:hoa", accept_warnings=True)
            except ImportRefused as exc:
                outcome["b"] = exc

        worker = threading.Thread(target=import_b)
        worker.start()
        assert written.wait(60)
        outcome["a"] = import_report(first, report_a, user="cli:lan", accept_warnings=True)
        landed.set()
        worker.join(120)
    finally:
        yearly.add_batch = add_batch
        first.close()
        second.close()
    refused = outcome["b"]
    assert isinstance(refused, ImportRefused) and refused.key == "import.clash", outcome
    assert f"lô {outcome['a']}, tệp kon_tum_a.csv" in refused.message("vi") and "lan" in refused.message("vi")
    con = connect(writable_db, read_only=True)
    try:
        files = con.execute("SELECT file_name FROM import_batches WHERE NOT is_demo").fetchall()
    finally:
        con.close()
    assert files == [("kon_tum_a.csv",)]
