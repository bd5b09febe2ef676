"""Files as they arrive damaged: a workbook or a zipped Shapefile cut short, with a broken part, a forged
size or corrupt compressed data, and CSV text in encodings and line endings Excel no longer writes. Each
builder starts from a good file, so a test that it is refused cannot pass for another reason."""

from __future__ import annotations

import io
import re
import zipfile

import geopandas as gpd
from openpyxl import Workbook
from shapely.geometry import box

# Three real Kon Tum communes of 2024 (old units), the columns a yearly file needs.
HEAD = ["Năm", "Mã xã", "Tên xã", "Tổng số hộ", "Số hộ nghèo", "Số hộ cận nghèo"]
ROWS = [[2024, "23326", "Xã Ia Chim", 1500, 20, 30],
        [2024, "23353", "Xã Đăk Pék", 1200, 40, 35],
        [2024, "23374", "Xã Đăk Môn", 900, 60, 40]]
SHEET = "xl/worksheets/sheet1.xml"


def good_csv() -> str:
    return "\n".join(",".join(str(c) for c in row) for row in [HEAD, *ROWS]) + "\n"


def good_xlsx(rows=ROWS) -> bytes:
    """A workbook with the header and the rows, its text in a shared-strings table as Excel writes it
    (openpyxl writes text inline: moved to the table here)."""
    wb = Workbook()
    ws = wb.active
    for r in [HEAD, *rows]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    strings: list[bytes] = []

    def shared(m: re.Match) -> bytes:
        strings.append(m.group(2))
        return m.group(1) + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    sheet = re.sub(rb'(<c r="[A-Z]+\d+") t="inlineStr"><is><t>(.*?)</t></is></c>', shared, part(data, SHEET))
    table = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
             % (len(strings), len(strings)) + b"".join(b"<si><t>" + s + b"</t></si>" for s in strings) + b"</sst>")
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = part(data, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
                             b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                             b"</Relationships>")
    return rewrite(data, {SHEET: sheet, "[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
                   add={"xl/sharedStrings.xml": table})


def rewrite(data: bytes, changes: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    """The zip with some parts replaced and some added, every other part copied as it is."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changes.get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


# ---------------------------------------------------------------------------------------------
# Workbooks

def xlsx_sheet_cut_in_half() -> bytes:
    """The worksheet's XML stops in the middle of row 4 (the zip itself is sound)."""
    data = good_xlsx()
    sheet = part(data, SHEET)
    return rewrite(data, {SHEET: sheet[:sheet.index(b'<row r="4"') + 40]})


def xlsx_bad_shared_string() -> bytes:
    """A text cell of the last row points past the end of the shared-strings table."""
    data = good_xlsx()
    sheet = part(data, SHEET)
    cell = re.search(rb'<c r="C4" t="s"><v>\d+</v>', sheet)
    return rewrite(data, {SHEET: sheet[:cell.start()] + b'<c r="C4" t="s"><v>99999</v>' + sheet[cell.end():]})


def xlsx_bad_number() -> bytes:
    """A number cell whose value is not a number (`<v>4x925</v>`)."""
    data = good_xlsx()
    sheet = part(data, SHEET)
    assert b"<v>1200</v>" in sheet
    return rewrite(data, {SHEET: sheet.replace(b"<v>1200</v>", b"<v>4x925</v>")})


def corrupt_member(data: bytes, name: str) -> bytes:
    """The zip with the compressed bytes of one member scrambled in the middle (sizes and CRC kept)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    raw = bytearray(data)
    header = info.header_offset               # local header: 30 bytes, then the name and the extra field
    start = header + 30 + int.from_bytes(raw[header + 26:header + 28], "little") + \
        int.from_bytes(raw[header + 28:header + 30], "little")
    middle = start + info.compress_size // 3
    length = max(8, info.compress_size // 3)
    raw[middle:middle + length] = bytes((b ^ 0x5A) for b in raw[middle:middle + length])
    return bytes(raw)


def forge_size(data: bytes, name: str) -> bytes:
    """The zip with one member's uncompressed size written as half of what it is, in its local header and
    in the central directory (as a tampered or badly repaired archive has)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    raw = bytearray(data)
    forged = (info.file_size // 2).to_bytes(4, "little")
    raw[info.header_offset + 22:info.header_offset + 26] = forged
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_len = int.from_bytes(raw[central + 28:central + 30], "little")
        if raw[central + 46:central + 46 + name_len] == name.encode():
            raw[central + 24:central + 28] = forged
            break
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def xlsx_corrupt_deflate() -> bytes:
    return corrupt_member(good_xlsx(), SHEET)


def truncated(data: bytes) -> bytes:
    """A download that stopped two thirds of the way."""
    return data[:len(data) * 2 // 3]


# ---------------------------------------------------------------------------------------------
# Zipped Shapefiles

def communes() -> gpd.GeoDataFrame:
    """Two communes of Kon Tum (schematic squares where they lie) with their codes and names."""
    return gpd.GeoDataFrame({"MA_XA": ["23326", "23353"], "TEN_XA": ["Xã Ia Chim", "Xã Đăk Pék"]},
                            geometry=[box(107.90, 14.30, 107.95, 14.35), box(107.95, 14.30, 108.0, 14.35)],
                            crs=4326)


def communes_without_codes() -> gpd.GeoDataFrame:
    """The two communes with only a note and a source: no column to join them to units by."""
    gdf = communes().rename(columns={"MA_XA": "GHI_CHU", "TEN_XA": "NGUON"})
    gdf["GHI_CHU"], gdf["NGUON"] = "khảo sát 2023", "Sở TN&MT"
    return gdf


def shapefile_zip(tmp_path, parts=(".shp", ".shx", ".dbf", ".prj", ".cpg"), prj: str | None = None) -> bytes:
    """The two communes as a zipped Shapefile with the given parts (and the .prj text given)."""
    folder = tmp_path / "shp"
    folder.mkdir(parents=True, exist_ok=True)
    communes().to_file(folder / "xa.shp")
    if prj is not None:
        (folder / "xa.prj").write_text(prj)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.iterdir()):
            if p.suffix in parts:
                z.write(p, p.name)
    return buf.getvalue()


def shapefile_zip_forged_size(tmp_path) -> bytes:
    return forge_size(shapefile_zip(tmp_path), "xa.shp")


def shapefile_zip_corrupt_data(tmp_path) -> bytes:
    return corrupt_member(shapefile_zip(tmp_path), "xa.shp")


def shapefile_zip_without(tmp_path, part: str) -> bytes:
    return shapefile_zip(tmp_path, tuple({".shp", ".shx", ".dbf", ".prj", ".cpg"} - {part}))


# ---------------------------------------------------------------------------------------------
# CSV text

def csv_utf32(bom: bool = True) -> bytes:
    return good_csv().encode("utf-32" if bom else "utf-32-le")


def csv_cr_only() -> bytes:
    """Line ends as old Mac Excel writes them: a lone carriage return."""
    return good_csv().replace("\n", "\r").encode("utf-8")


# What a test expects of each damage an analyst's file really arrives with: name → (builder, catalogue key of
# the message, its parameters).
WORKBOOKS = {
    "sheet_cut": (xlsx_sheet_cut_in_half, "read.damaged_after_row", {"sheet": "Sheet", "row": 3}),
    "bad_shared_string": (xlsx_bad_shared_string, "read.damaged_after_row", {"sheet": "Sheet", "row": 3}),
    "bad_number": (xlsx_bad_number, "read.damaged_after_row", {"sheet": "Sheet", "row": 2}),
    "corrupt_deflate": (xlsx_corrupt_deflate, "read.damaged", {}),
    "truncated_download": (lambda: truncated(good_xlsx()), "read.damaged", {}),
}
# The same for zipped Shapefiles (the builders take a folder to write in).
ZIPS = {
    "forged_size": (shapefile_zip_forged_size, "boundary.damaged_part", {"part": "xa.shp"}),
    "corrupt_data": (shapefile_zip_corrupt_data, "boundary.damaged_part", {"part": "xa.shp"}),
    "truncated_download": (lambda p: truncated(shapefile_zip(p)), "boundary.damaged", {}),
    "without_dbf": (lambda p: shapefile_zip_without(p, ".dbf"), "boundary.shapefile_missing",
                    {"name": "xa.shp", "parts": ".dbf"}),
    "without_shx": (lambda p: shapefile_zip_without(p, ".shx"), "boundary.shapefile_missing",
                    {"name": "xa.shp", "parts": ".shx"}),
}
