"""Crafted files are refused fast, with a message naming the limit, never a traceback or a full memory:
an XLSX that unpacks to 3 million rows, a CSV of a million rows, 10,000 columns, a cell over 128 KiB near
the top of a CSV (Python's CSV reader would stop at its field limit)."""

from __future__ import annotations

import io
import resource
import time
import zipfile

import pytest

from ntm.errors import ReadError
from ntm.ingest.reading import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, read_table
from ntm.ingest.yearly import validate_bytes

HEADER = "Mã xã,Tên xã,Tổng số hộ,Số hộ nghèo,Số hộ cận nghèo"


def bomb_xlsx(rows: int) -> bytes:
    """A minimal workbook whose one sheet holds `rows` rows: a few hundred KB that unpack to ~100 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                   '.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxml'
                   'formats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.'
                   'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>')
            row = b'<row><c t="n"><v>23326</v></c><c t="n"><v>100</v></c></row>'
            for _ in range(rows // 10_000):
                f.write(row * 10_000)
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def test_an_xlsx_of_three_million_rows_is_refused_in_seconds_and_little_memory():
    data = bomb_xlsx(3_000_000)
    assert len(data) < 2_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ReadError) as exc:
        read_table(data, "bom.xlsx")
    assert time.monotonic() - started < 10
    assert exc.value.key == "read.too_many_rows" and f"{MAX_ROWS:,}".replace(",", ".") in exc.value.message("vi")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 300, grown_mb


def test_a_csv_of_a_million_rows_is_refused_before_it_is_parsed():
    data = (HEADER + "\n" + "23326,Xã A,100,10,5\n" * 1_000_000).encode()
    started = time.monotonic()
    with pytest.raises(ReadError) as exc:
        read_table(data, "trieu.csv")
    assert exc.value.key == "read.too_many_rows" and time.monotonic() - started < 5


def test_ten_thousand_columns_are_refused_for_what_they_are():
    data = (",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" for _ in range(10_000)) + "\n").encode()
    with pytest.raises(ReadError) as exc:
        read_table(data, "rong.csv")
    assert exc.value.key == "read.too_many_columns" and str(MAX_COLUMNS) in exc.value.message("vi")


def test_a_huge_cell_near_the_top_gets_a_message_not_a_traceback(db):
    data = (HEADER + "\n" + "23326,\"" + "x" * (200 * 1024) + "\",100,10,5\n").encode()
    report = validate_bytes(db, data, "o_lon.csv")
    assert [i.key for i in report.errors] == ["read.cell_too_large"]
    message = report.errors[0].message(report.file_name, "en")
    assert f"{MAX_CELL_CHARS:,}" in message                                     # 32,767 in English


def test_a_deeply_nested_geojson_gets_a_message_not_a_recursion_error():
    from ntm.errors import BoundaryError
    from ntm.ingest.boundaries import read_boundary_file

    data = b'{"type": "FeatureCollection", "features": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(BoundaryError) as exc:
        read_boundary_file(data, "long.geojson")
    assert exc.value.key == "boundary.too_nested" and "GeoJSON" in exc.value.message("vi")


def test_a_reference_file_is_read_within_the_same_limits(db):
    """Unit attributes and targets go through the same bounded CSV reading as yearly files."""
    from ntm.ingest.reference import validate_reference_bytes

    data = ("level,code,name,mountainous\n" + "commune,23326,Xã A,true\n" * 1_000_000).encode()
    started = time.monotonic()
    report = validate_reference_bytes(db, "unit_attributes", data, "thuoc_tinh.csv")
    assert [i.key for i in report.errors] == ["read.too_many_rows"] and time.monotonic() - started < 5
