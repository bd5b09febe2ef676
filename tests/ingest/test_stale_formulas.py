"""Cells whose numbers are formulas taking their value from another workbook, another program or the web:
the value stored in the file is the last calculation and may be stale, so each such cell in the table
gets a warning naming the row, the column, the value and where it came from."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ntm.domain.columns import BY_NAME
from ntm.ingest.yearly import validate_bytes
from tests.ingest.test_yearly import kon_tum_rows

LINK = "file:///D:/So%20lieu/Bao%20cao%20huyen%202023.xlsx"


def workbook(rows: pd.DataFrame) -> bytes:
    """The year's figures as an analyst's workbook: a title row, the header, one row per commune."""
    wb = Workbook()
    ws = wb.active
    ws.append(["BIỂU TỔNG HỢP NĂM 2024"])
    ws.append([BY_NAME[c].header_vi for c in rows.columns])
    for row in rows.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


WB_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
LINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"


def as_saved_by_excel(xlsx: bytes, formulas: dict[str, str], links: tuple[str, ...] = ("book",)) -> bytes:
    """Turn cells of the first sheet into formulas whose cached result is the value they hold, as Excel
    saves them (`<c r="C3"><f>…</f><v>12</v></c>`), and give the workbook its external references in
    order: "book" (another workbook, LINK) or "dde" (the program ketoan), each listed in workbook.xml."""
    src, buf = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    refs = "".join(f'<externalReference {WB_NS} r:id="rIdLink{n}"/>' for n in range(1, len(links) + 1))
    rels = "".join(f'<Relationship Id="rIdLink{n}" Type="{LINK_REL}" Target="externalLinks/externalLink{n}.xml"/>'
                   for n in range(1, len(links) + 1))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, formula in formulas.items():
                    f = formula if formula.startswith("<f") else f"<f>{escape(formula)}</f>"
                    data, n = re.subn(rb'(<c r="%s"[^>]*>)' % ref.encode(), lambda m: m.group(1) + f.encode(), data)
                    assert n == 1, ref
            elif item.filename == "xl/workbook.xml" and links:
                data = data.replace(b"</workbook>", f"<externalReferences>{refs}</externalReferences></workbook>".encode())
            elif item.filename == "xl/_rels/workbook.xml.rels" and links:
                data = data.replace(b"</Relationships>", f"{rels}</Relationships>".encode())
            out.writestr(item, data)
        main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        for n, kind in enumerate(links, start=1):
            if kind == "dde":
                out.writestr(f"xl/externalLinks/externalLink{n}.xml", f'<externalLink {main}><ddeLink '
                             'ddeService="ketoan" ddeTopic="soho"><ddeItems><ddeItem name="R6C2"/></ddeItems>'
                             '</ddeLink></externalLink>')
                continue
            out.writestr(f"xl/externalLinks/externalLink{n}.xml",
                         f'<externalLink {main}><externalBook {WB_NS} r:id="rId1"/></externalLink>')
            out.writestr(f"xl/externalLinks/_rels/externalLink{n}.xml.rels",
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                         f'relationships/externalLinkPath" Target="{LINK}" TargetMode="External"/></Relationships>')
    return buf.getvalue()


def column_letter(rows: pd.DataFrame, name: str) -> str:
    return get_column_letter(list(rows.columns).index(name) + 1)


def stale(report) -> list:
    return [i for i in report.issues if i.key.startswith("read.formula_")]


def test_numbers_from_another_workbook_are_flagged_per_column_with_their_rows(db):
    rows = kon_tum_rows(db)
    poor = column_letter(rows, "poor_households")
    data = as_saved_by_excel(workbook(rows), {f"{poor}3": "'[1]Huyện Đăk Hà'!F12", f"{poor}4": "[1]Sheet1!F13+0",
                                              f"{poor}5": f"SUM({poor}3:{poor}4)",        # inside the workbook
                                              f"{poor}7": "[1]Sheet1!F15",
                                              "A1": "[1]Sheet1!A1"})                      # the title: not imported
    report = validate_bytes(db, data, "kontum_2024.xlsx")
    assert report.ok                                           # a warning: the analyst decides
    header = BY_NAME["poor_households"].header_vi
    assert [(i.key, i.row, i.column, i.params["rows"]) for i in stale(report)] == [
        ("read.formula_workbook", 3, header, "3–4, 7")]
    assert report.issues[-1] is stale(report)[0]              # after the file's own checks
    vi, en = stale(report)[0].message("kontum_2024.xlsx", "vi"), stale(report)[0].message("kontum_2024.xlsx", "en")
    assert vi.startswith(f"Tệp kontum_2024.xlsx, dòng 3, cột “{header}”: 3 ô của cột này (dòng 3–4, 7) là công "
                         "thức lấy số từ một sổ tính khác (Bao cao huyen 2023.xlsx)")
    assert "cập nhật liên kết" in vi and "may be stale" in en and "Bao cao huyen 2023.xlsx" in en


def test_web_functions_shared_formulas_dde_links_and_google_exports_are_flagged(db):
    rows = kon_tum_rows(db)
    col = column_letter(rows, "households")
    data = as_saved_by_excel(workbook(rows), {
        f"{col}3": f'<f t="shared" ref="{col}3:{col}5" si="0">_xlfn.WEBSERVICE("http://x.vn/"&amp;A3)</f>',
        f"{col}4": '<f t="shared" si="0"/>',
        f"{col}5": '<f t="shared" si="0"/>',
        f"{col}6": "[1]!'R6C2'",                                 # a DDE link saved as an external reference
        f"{col}7": '__xludf.DUMMYFUNCTION("IMPORTRANGE(""1AbC"",""So ho!B7"")")',     # a Google Sheets export
    }, links=("dde",))
    report = validate_bytes(db, data, "kontum_2024.xlsx")
    assert [(i.key, i.params["source"], i.params["rows"]) for i in stale(report)] == [
        ("read.formula_web", "WEBSERVICE", "3–5"), ("read.formula_program", "ketoan", "6"),
        ("read.formula_web", "IMPORTRANGE", "7")]


def test_text_table_columns_and_formulas_inside_the_workbook_are_not_flagged(db):
    """A workbook that has an external link, whose formulas still take nothing from it: text that looks
    like a reference, a table column named 1, a reference inside the workbook."""
    rows = kon_tum_rows(db)
    col = column_letter(rows, "households")
    data = as_saved_by_excel(workbook(rows), {f"{col}3": f"{col}4+0", f"{col}4": "Bang1[[#This Row],[1]]",
                                              f"{col}5": 'A5&"ketoan|x"&"[1]S!A1"'})
    report = validate_bytes(db, data, "kontum_2024.xlsx")
    assert report.errors == []
    assert stale(report) == []


def test_a_linked_column_the_import_does_not_read_is_not_flagged(db):
    wb_rows = kon_tum_rows(db)
    data = workbook(wb_rows)
    notes = get_column_letter(len(wb_rows.columns) + 1)      # a notes column right of the table
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    wb.active[f"{notes}2"] = "Ghi chú"
    for r in range(3, 3 + len(wb_rows)):
        wb.active[f"{notes}{r}"] = "đã rà soát"
    buf = io.BytesIO()
    wb.save(buf)
    report = validate_bytes(db, as_saved_by_excel(buf.getvalue(), {f"{notes}3": "[1]Sheet1!Z3"}), "kontum.xlsx")
    assert report.errors == [] and stale(report) == []
