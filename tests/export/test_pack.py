"""ntm.pack: the meeting pack opened with python-pptx as a person would read it (16:9, one slide per
chosen section after the title slide, findings computed from the data, native tables, source and demo
notice on every slide), the English pack, the tables for download, the `pack` command, and one
LibreOffice rendering of real slides.

Expected values are the demo stories of docs/domain.md §9: Kon Tum's four communes at risk of revocation in
2024 (Ia Chim, Đắk Pék — "Đăk Pék" in the unit list —, Đắk Môn, Đắk Kroong) and its 2022 poor-rate
reduction of 4.46 pp (15.32% → 10.86%).
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from datetime import date

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from ntm.cli import pack as pack_command
from ntm.export import images as E
from ntm.export import pack as P
from ntm.export import table_downloads as X
from ntm.present import findings as F
from ntm.read import poverty as poverty_q
from ntm.read.scope import resolve_scope

KON_TUM_AT_RISK_2024 = {"Xã Ia Chim", "Xã Đăk Pék", "Xã Đăk Môn", "Xã Đăk Kroong"}
def day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def kon_tum_pack(con, chromium, tmp_path_factory):
    """The full Vietnamese pack for Kon Tum 2024, with the progress calls it made."""
    calls, started = [], date.today()
    path = P.build_pack(con, resolve_scope(con, "62", 2024), 2024, lang="vi",
                        out_path=tmp_path_factory.mktemp("pack") / "kon_tum_2024.pptx",
                        progress=lambda i, n, text: calls.append((i, n, text)))
    return path, Presentation(path), calls, {day(started), day(date.today())}   # made on the day (or across midnight)


def slide_of(prs, key: str):
    """The (first) slide of a section."""
    return next(s for s in prs.slides if s.name == key)


def texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


def table_rows(slide) -> list[list[str]]:
    tables = [s for s in slide.shapes if s.has_table]
    assert len(tables) == 1, "one native table on the slide"
    return [[cell.text for cell in row.cells] for row in tables[0].table.rows]


def section_rows(prs, key: str) -> list[list[str]]:
    """A table section's header and rows over all its slides (each continuation repeats the header)."""
    slides = [s for s in prs.slides if s.name == key or s.name.startswith(key + "-")]
    parts = [table_rows(s) for s in slides]
    assert all(p[0] == parts[0][0] for p in parts), "every part repeats the header"
    return parts[0][:1] + [r for p in parts for r in p[1:]]


# ---------------------------------------------------------------------------------------------
# The Vietnamese pack

def test_sixteen_by_nine_title_plus_one_slide_per_section(kon_tum_pack):
    _, prs, _, _ = kon_tum_pack
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001
    # Every section in order; a table too long for one slide continues on the next, titled so.
    names = [s.name for s in prs.slides][1:]
    assert [n for n in names if "-" not in n] == list(P.SECTIONS)
    titles = {s.name: s.shapes.title.text for s in prs.slides}
    assert prs.slides[0].shapes.title.text == "Báo cáo giao ban"
    expected = {k: P.section_title(k, "vi", 2024) for k in P.SECTIONS}
    expected.update(district_ranking="Xếp hạng huyện theo mức giảm tỷ lệ hộ nghèo",     # titled by the units shown
                    map="Bản đồ tỷ lệ hộ nghèo theo huyện")
    assert all(titles[k] == expected[k] or titles[k].startswith(expected[k] + " (1/") for k in P.SECTIONS)
    assert titles["overview"] == "Tổng quan năm 2024" and titles["ntm_status"] == "Số xã theo mức đạt chuẩn nông thôn mới"
    for name in names:
        if "-" in name:
            key, part = name.rsplit("-", 1)
            assert titles[name].startswith(expected[key] + f" (tiếp theo, {part}/")
    for s in prs.slides:                                          # every shape inside the slide
        for sh in s.shapes:
            assert sh.left >= 0 and sh.top >= 0, sh.name
            assert sh.left + sh.width <= prs.slide_width and sh.top + sh.height <= prs.slide_height, sh.name


def test_title_slide_scope_period_date_and_demo_notice(kon_tum_pack):
    _, prs, _, made = kon_tum_pack
    text = texts(prs.slides[0])
    assert any(f"Ngày lập: {d}" in text for d in made)
    for part in ("Tỉnh Kon Tum", "Kỳ báo cáo: năm 2024",
                 "Xây dựng nông thôn mới và Giảm nghèo bền vững", "DỮ LIỆU MINH HỌA (demo)"):
        assert part in text, part


def test_every_slide_has_source_demo_notice_and_page_number(kon_tum_pack):
    _, prs, _, _ = kon_tum_pack
    n = len(prs.slides)
    for i, s in enumerate(list(prs.slides)[1:], start=2):
        footer = shape(s, "Footer").text_frame.text
        assert footer.startswith("Nguồn: CSDL Chương trình MTQG") and "DỮ LIỆU MINH HỌA / DEMO" in footer
        assert shape(s, "Page number").text_frame.text == f"{i}/{n}"
    assert "SƠ ĐỒ" in shape(slide_of(prs, "map"), "Footer").text_frame.text    # schematic boundaries


def test_chart_slides_carry_a_sharp_picture_and_a_finding(kon_tum_pack):
    _, prs, _, _ = kon_tum_pack
    for key in P.CHART_SECTIONS:
        s = slide_of(prs, key)
        pictures = [sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, key
        w, h = E.png_size(pictures[0].image.blob)
        assert w >= 2 * 1400 and 2.2 < w / h < 3.2, key                    # rendered at scale 2 for the box
        finding = shape(s, "Finding").text_frame.text
        assert len(finding) > 30 and "nan" not in finding and "–%" not in finding, key
    for key in (k for k, spec in P.SECTIONS.items() if not spec.chart):
        assert not [sh for sh in slide_of(prs, key).shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE], key


def test_every_table_section_reads_as_a_native_table(kon_tum_pack):
    """Each table section of the registry drawn without a chart is a native table on its slide(s): a
    header of named columns over rows of written-out values."""
    _, prs, _, _ = kon_tum_pack
    drawn = [k for k in P.TABLE_SECTIONS if not P.SECTIONS[k].chart]
    assert drawn
    for key in drawn:
        header, *body = section_rows(prs, key)
        assert len(header) >= 3 and all(h.strip() for h in header), key
        assert body and all(len(r) == len(header) for r in body), key
        cells = [c for r in body for c in r]
        assert not {"nan", "None", "<NA>", "NaT"} & set(cells) and any(c.strip() for c in cells), key


def test_at_risk_communes_are_a_native_table(kon_tum_pack):
    _, prs, _, _ = kon_tum_pack
    s = slide_of(prs, "at_risk")
    rows = section_rows(prs, "at_risk")
    assert rows[0][:2] == ["Xã", "Huyện"] and "Tiêu chí không còn đạt" in rows[0]
    assert {r[0] for r in rows[1:]} == KON_TUM_AT_RISK_2024
    assert all(r[2] == "Đạt chuẩn NTM" and r[4] == "12" for r in rows[1:])
    assert "TC17 Môi trường và an toàn thực phẩm" in rows[1][-1]
    assert shape(s, "Finding").text_frame.text.startswith("4 xã đã đạt chuẩn có nguy cơ bị thu hồi công nhận NTM năm 2024")


def test_targets_and_departments_are_native_tables(kon_tum_pack, con):
    _, prs, _, _ = kon_tum_pack
    rows = section_rows(prs, "targets")
    assert rows[0] == ["Mục tiêu", "Áp dụng cho", "Hạn", "Chỉ tiêu", "Thực hiện", "Đánh giá"]
    by_target = {(r[0], r[1], r[2]): r for r in rows[1:]}
    kept, recognised = con.execute("""SELECT count(*) FILTER (WHERE criteria_met = 19), count(*) FROM commune_year
        WHERE is_current AND year = 2024 AND province_code = '62' AND ntm_status != 'none'""").fetchone()
    share = f"{100 * kept / recognised:.1f}%".replace(".", ",")
    assert kept < recognised                                            # the four at-risk communes among them
    assert by_target["Tỷ lệ xã NTM duy trì đủ 19 tiêu chí", "Tỉnh Kon Tum", "2024"][3:] == ["100,0%", share, "Không đạt"]
    assert by_target["Huyện đạt chuẩn NTM", "Huyện Ngọc Hồi", "2024"][3:] == ["Đạt chuẩn NTM", "Đạt chuẩn NTM", "Đạt"]
    assert [r[2] for r in rows[1:5]] == ["2024"] * 4                    # due this year first
    later = [r for r in rows[1:] if r[2] == "2025"]
    assert later and all(r[5] == "Chưa đến hạn" and "(2025)" not in r[4] for r in later)   # no value from 2025
    assert any(r[4] == "56,5% (2024)" for r in later)                   # 48/85 communes NTM in 2024
    dept = section_rows(prs, "criteria_departments")
    assert dept[0][0] == "Sở, ngành phụ trách" and "Sở Nông nghiệp và PTNT" in {r[0] for r in dept[1:]}
    assert len(dept) == 1 + 12                                            # every department, worst first
    unmet = [int(r[3].replace(".", "")) for r in dept[1:]]             # unmet criterion cases
    assert unmet == sorted(unmet, reverse=True)


def test_findings_come_from_the_data(kon_tum_pack, con):
    _, prs, _, _ = kon_tum_pack
    kt = resolve_scope(con, "62", 2024)
    reduction = poverty_q.poverty_reduction(con, kt, (2021, 2022, 2023, 2024))
    assert shape(slide_of(prs, "reduction_target"), "Finding").text_frame.text == F.reduction_target(reduction, 2024, "vi")
    assert "giảm 2,14 điểm % (6,84% → 4,70%), vượt mục tiêu 1–1,5 điểm %" in F.reduction_target(reduction, 2024, "vi")
    overview = shape(slide_of(prs, "overview"), "Finding").text_frame.text
    assert overview == "Năm 2024: tỷ lệ hộ nghèo 4,70%, giảm 2,14 điểm % so với 2023; 48/85 xã đạt chuẩn NTM (56,5%); " \
                       "4 xã có nguy cơ bị thu hồi công nhận."
    assert "4,70%" in texts(slide_of(prs, "overview")) and "48/85" in texts(slide_of(prs, "overview"))


def test_kon_tum_2022_reduction_beats_the_target(con, chromium, tmp_path):
    keys = ["reduction_target", "at_risk"]
    path = P.build_pack(con, resolve_scope(con, "62", 2022), 2022, keys, "vi", tmp_path / "kt2022.pptx")
    prs = Presentation(path)
    assert len(prs.slides) == len(keys) + 1
    finding = shape(slide_of(prs, "reduction_target"), "Finding").text_frame.text
    assert finding == "Năm 2022 tỷ lệ hộ nghèo giảm 4,46 điểm % (15,32% → 10,86%), vượt mục tiêu 1–1,5 điểm %."
    assert "không có xã nào có nguy cơ bị thu hồi" in texts(slide_of(prs, "at_risk"))


def test_sources_slide_names_data_notices_and_legal_documents(kon_tum_pack):
    _, prs, _, _ = kon_tum_pack
    text = texts(slide_of(prs, "sources"))
    for part in ("Nguồn: CSDL Chương trình MTQG", "DỮ LIỆU MINH HỌA (demo)", "Ranh giới huyện/xã là SƠ ĐỒ",
                 "QĐ 318/QĐ-TTg", "QĐ 18/2022/QĐ-TTg", "NĐ 07/2021/NĐ-CP", "QĐ 90/QĐ-TTg", "QĐ 263/QĐ-TTg",
                 "Chỉ thị 05/CT-UBND tỉnh Kon Tum 22/01/2024", "2021–2024"):
        assert part in text, part


def test_progress_reaches_the_end(kon_tum_pack):
    _, _, calls, _ = kon_tum_pack
    steps = [i for i, _, _ in calls]
    n = calls[0][1]
    assert steps == sorted(steps) and steps[0] == 0 and calls[-1][:2] == (n, n)
    assert all(c[1] == n for c in calls) and any("Dựng trang" in c[2] for c in calls)


def test_unknown_sections_are_refused(con):
    with pytest.raises(ValueError, match="unknown section"):
        P.build_pack(con, resolve_scope(con, "62", 2024), 2024, ["overview", "budget"], out_path="/tmp/never.pptx")
    assert P.normalise_sections("overview, at_risk,overview") == ["overview", "at_risk"]


# ---------------------------------------------------------------------------------------------
# English

def test_english_pack_is_in_english(con, chromium, tmp_path):
    keys = ["overview", "at_risk", "poverty_trend", "sources"]
    prs = Presentation(P.build_pack(con, resolve_scope(con, "62", 2024), 2024, keys, "en", tmp_path / "en.pptx"))
    assert [s.shapes.title.text for s in prs.slides] == [
        "Meeting pack", "Overview 2024", "Communes at risk of losing NTM recognition", "Poor and near-poor rates",
        "Sources, notes and legal basis"]
    assert "Reporting period: 2024" in texts(prs.slides[0]) and "DEMO DATA" in texts(prs.slides[0])
    rows = section_rows(prs, "at_risk")
    assert rows[0][:3] == ["Commune", "District", "Status"] and {r[0] for r in rows[1:]} == KON_TUM_AT_RISK_2024
    assert shape(slide_of(prs, "poverty_trend"), "Finding").text_frame.text == (
        "The poor rate fell from 15.32% (2021) to 4.70% (2024); the near-poor rate was 3.90% in 2024.")
    for s in list(prs.slides)[1:]:
        footer = shape(s, "Footer").text_frame.text
        assert footer.startswith("Source: NTP database") and "DEMO DATA" in footer
        assert "Nguồn" not in texts(s) and "điểm %" not in texts(s)


# ---------------------------------------------------------------------------------------------
# Tables for download

def test_pack_tables_download_as_xlsx_and_csv(con):
    content = P.collect(con, resolve_scope(con, "62", 2024), 2024, P.TABLE_SECTIONS, "vi")
    got = P.tables(content)
    assert set(got) == set(P.TABLE_SECTIONS)
    for key, table in got.items():                                       # each with its headers
        assert len(table.frame), key
        header = next(csv.reader(io.StringIO(X.csv_bytes(table).decode("utf-8-sig"))))
        assert header == [str(c) for c in table.frame.columns], key
    risk = got["at_risk"]
    wb = load_workbook(io.BytesIO(X.xlsx_bytes(risk, when=date(2025, 1, 15))))
    ws = wb.active
    assert ws["A1"].value == "Xã có nguy cơ bị thu hồi công nhận NTM — Tỉnh Kon Tum, 2024" and ws["A1"].font.bold
    column_a = [c.value for c in ws["A"]]
    assert "DỮ LIỆU MINH HỌA (demo): số liệu được sinh ngẫu nhiên có kiểm soát, không phải số liệu chính thức." in column_a
    assert "Xuất ngày 15/01/2025" in column_a
    header = column_a.index("Xã")
    assert {v for v in column_a[header + 1:]} == KON_TUM_AT_RISK_2024
    assert ws.freeze_panes == f"A{header + 2}"
    years = [c.value for c in ws["D"]][header + 1:]
    assert all(isinstance(v, int) for v in years)                        # numbers stay numbers
    data = X.csv_bytes(risk)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "Xã" and {r[0] for r in rows[1:]} == KON_TUM_AT_RISK_2024
    names = [d[1] for d in X.downloads(risk)]
    assert names == ["at_risk_62_2024.xlsx", "at_risk_62_2024.csv"]


def test_table_cells_cannot_become_formulas():
    evil = pd.DataFrame({"Tên": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "Xã An"], "Số": [1, 2, 3, 4, 5]})
    table = X.TableExport("evil", "=cmd", evil, ("@note",))
    ws = load_workbook(io.BytesIO(X.xlsx_bytes(table))).active
    values = [c.value for c in ws["A"] if c.value is not None]
    assert values[0] == "'=cmd" and "'@note" in values
    assert "'=HYPERLINK(\"http://x\")" in values and "'-2+3" in values and "Xã An" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    text = X.csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "\n=" not in text


# ---------------------------------------------------------------------------------------------
# Command line (ntm/cli/pack.py, registered by ntm/cli/main.py)

def run_cli(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="python -m ntm")
    pack_command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = args.func(args)
    return code, out.getvalue(), err.getvalue()


def test_cli_pack_writes_the_file_and_prints_its_path(demo_db_path, tmp_path):
    target = tmp_path / "kt.pptx"
    code, out, err = run_cli("pack", "--db", str(demo_db_path), "--unit", "62", "--year", "2024",
                             "--sections", "overview,sources", "-o", str(target))
    assert code == 0, err
    assert out.strip() == str(target) and target.exists()
    assert len(Presentation(target).slides) == 3 and "[0/" in err


def test_cli_unknown_unit_or_section_exits_2(demo_db_path, tmp_path):
    code, out, err = run_cli("pack", "--db", str(demo_db_path), "--unit", "999", "--year", "2024", "-o", str(tmp_path / "x.pptx"))
    assert code == 2 and out == "" and "Không tìm thấy đơn vị có mã 999 trong năm 2024" in err
    code, _, err = run_cli("pack", "--db", str(demo_db_path), "--unit", "62", "--year", "2024", "--sections", "budget",
                           "-o", str(tmp_path / "x.pptx"))
    assert code == 2 and "budget" in err
    assert not (tmp_path / "x.pptx").exists()


# ---------------------------------------------------------------------------------------------
# Rendered as a person sees it (LibreOffice → PDF → PNG). CI installs LibreOffice and poppler
# (scripts/setup.sh --with-test-system-packages): a missing tool is a failure, not a skip.

def test_slides_render_in_libreoffice(kon_tum_pack, tmp_path, test_output_dir):
    soffice, pdftoppm = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftoppm")
    assert soffice, "LibreOffice (soffice) is missing: apt-get install libreoffice-impress"
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    path, _, _, _ = kon_tum_pack
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, timeout=180, capture_output=True)
    pdf = tmp_path / (path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 50_000
    subprocess.run([pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "slide")],
                   check=True, timeout=60)
    pngs = sorted(tmp_path.glob("slide-*.png"))
    assert len(pngs) == 2
    for png in pngs:
        im = Image.open(png).convert("RGB")
        assert abs(im.width / im.height - 16 / 9) < 0.01
        px = np.asarray(im).reshape(-1, 3)
        assert (px.min(axis=1) < 200).mean() > 0.05                         # not blank: text, tiles, bands
        assert len({tuple(p) for p in px[::7]}) > 20
        shutil.copy(png, test_output_dir / f"pack_kon_tum_2024_{png.name}")
    shutil.copy(path, test_output_dir / "pack_kon_tum_2024.pptx")


# ---------------------------------------------------------------------------------------------
# After the reform: the new Quảng Ngãi in 2026


@pytest.fixture(scope="module")
def quang_ngai_2026(con, chromium, tmp_path_factory):
    path = P.build_pack(con, resolve_scope(con, "51", 2026), 2026, lang="vi",
                        out_path=tmp_path_factory.mktemp("pack") / "quang_ngai_2026.pptx")
    return path, Presentation(path)


def test_2026_pack_cites_the_2026_2030_basis_and_the_merged_programme(quang_ngai_2026):
    _, prs = quang_ngai_2026
    assert "CTMTQG xây dựng NTM, giảm nghèo bền vững" in texts(prs.slides[0])
    text = texts(slide_of(prs, "sources"))
    for part in ("QĐ 51/2025/QĐ-TTg", "NQ 257/2025/QH15", "NQ 424/NQ-CP", "NĐ 351/2025/NĐ-CP",
                 "quy đổi theo địa giới mới", "chưa có quy định thu hồi"):
        assert part in text, part
    assert "QĐ 318/QĐ-TTg" not in text


def test_2026_pack_counts_the_2026_levels_and_names_no_false_revocation(quang_ngai_2026):
    _, prs = quang_ngai_2026
    overview = texts(slide_of(prs, "overview"))
    assert "Xã NTM hiện đại (thí điểm)" in overview and "trên 10 tiêu chí" in overview
    # Recognition under QĐ 51/2025 starts anew (docs/domain.md §1.9): the new Đăk Môn (7/10) holds no
    # recognition under it to lose, and the communes recognised in 2026 meet all ten criteria.
    at_risk = texts(slide_of(prs, "at_risk"))
    assert "Năm 2026 không có xã nào có nguy cơ bị thu hồi" in at_risk and "Xã Đăk Môn" not in at_risk
    finding = shape(slide_of(prs, "ntm_status"), "Finding").text_frame.text
    assert "tính lại từ đầu (quy tắc chưa xác nhận)" in finding
    # 2025 → 2026 changes the criteria set: recognised communes not recognised again are never "revoked".
    assert "thu hồi công nhận" not in shape(slide_of(prs, "ntm_status"), "Finding").text_frame.text
