"""The recipes of CONTRIBUTING.md ("Where things go") are true: each is applied as written to a copy of
the engine — every file its row names, and nothing else — and the copy, run in a process of its own,
shows the new thing where a reader meets it. Leaving out any one step of a recipe breaks it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from ntm.domain.columns import BY_NAME
from ntm.read.scope import resolve_scope
from ntm.read.summary import summary
from ntm.store.connection import connect
from ntm.text import fmt_number

ROOT = Path(__file__).resolve().parent.parent


def project_copy(tmp_path: Path) -> Path:
    """A copy of the engine (`ntm/`) beside the project's data (linked, never written: every database
    here is a file under tmp_path)."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "ntm", copy / "ntm", ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "data").symlink_to(ROOT / "data", target_is_directory=True)
    return copy


def insert(path: Path, anchor: str, text: str, before: bool = False) -> None:
    """Put `text` right after (or before) the one line holding `anchor`; `anchor` None: at the end."""
    source = path.read_text(encoding="utf-8")
    if anchor is None:
        path.write_text(source.rstrip("\n") + "\n" + text, encoding="utf-8")
        return
    lines = source.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if anchor in line]
    assert len(at) == 1, f"{path.name}: {anchor!r} is on {len(at)} lines"
    lines.insert(at[0] + (0 if before else 1), text)
    path.write_text("".join(lines), encoding="utf-8")


def run_in(copy: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    """Run `script` with the copy first on the import path (checked: `ntm` is the copy's)."""
    head = f"import ntm, pathlib, sys\nassert pathlib.Path(ntm.__file__).parent == pathlib.Path({str(copy / 'ntm')!r})\n"
    (copy / "check.py").write_text(head + textwrap.dedent(script), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NTM_DB")}
    return subprocess.run([sys.executable, str(copy / "check.py"), *args], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------------------------------------
# A pack section: one SectionSpec, its table builder, its slide title

PACK_SECTION_STEPS = {
    "spec": ("ntm/export/pack/sections.py", '"sources": SectionSpec(summary.sources)', True,
             '    "household_totals": SectionSpec(tables.household_totals, table=True),\n'),
    "builder": ("ntm/export/pack/tables.py", None, False, '''

def household_totals(c: PackContext) -> Section:
    """The scope's households and poor households in the year."""
    from ntm.read.summary import summary

    s = summary(c.con, c.scope, c.year)
    frame = pd.DataFrame({t("ui.col_name", c.lang): [t("ui.tt_households", c.lang), t("ui.tt_poor", c.lang)],
                          t("ui.col_value", c.lang): [s["households"], s["poor"]["count"]]})
    return Section("household_totals", section_title("household_totals", c.lang, c.year), "",
                   table=_export(c, "household_totals", "household_totals", frame))
'''),
    "title": ("ntm/text/entries/pack.py", '"pack.section.overview"', True,
              '    "pack.section.household_totals": {"vi": "Số hộ và hộ nghèo năm {year}",\n'
              '                                      "en": "Households and poor households {year}"},\n'),
}

# What the copy says when a step is left out.
PACK_SECTION_MISSING = {"spec": "unknown section(s): household_totals",
                        "builder": "has no attribute 'household_totals'",
                        "title": "KeyError: 'pack.section.household_totals'"}

BUILD_PACK = """
    import json
    from pptx import Presentation
    from ntm.export import pack as P
    from ntm.read.scope import resolve_scope
    from ntm.store.connection import connect

    con = connect(sys.argv[1], read_only=True)
    path = P.build_pack(con, resolve_scope(con, "62", 2024, "old"), 2024, ["household_totals"], "vi", sys.argv[2])
    slide = next(s for s in Presentation(path).slides if s.name == "household_totals")
    table = next(sh for sh in slide.shapes if sh.has_table).table
    print(json.dumps({"title": slide.shapes.title.text, "rows": [[c.text for c in r.cells] for r in table.rows],
                      "tables": list(P.TABLE_SECTIONS)}))
"""


@pytest.mark.parametrize("left_out", [None, *PACK_SECTION_STEPS])
def test_a_pack_table_section_is_its_spec_its_builder_and_its_title(left_out, tmp_path, demo_db_path):
    copy = project_copy(tmp_path)
    for step, (file, anchor, before, text) in PACK_SECTION_STEPS.items():
        if step != left_out:
            insert(copy / file, anchor, text, before)
    done = run_in(copy, BUILD_PACK, str(demo_db_path), str(tmp_path / "pack.pptx"))
    if left_out:
        assert done.returncode != 0 and PACK_SECTION_MISSING[left_out] in done.stderr, done.stderr
        return
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    con = connect(demo_db_path, read_only=True)
    try:
        s = summary(con, resolve_scope(con, "62", 2024, "old"), 2024)
    finally:
        con.close()
    assert got["title"] == "Số hộ và hộ nghèo năm 2024"
    assert got["rows"] == [["Tên đơn vị", "Giá trị"], ["Số hộ", fmt_number(s["households"], "vi")],
                           ["Hộ nghèo", fmt_number(s["poor"]["count"], "vi")]]
    assert "household_totals" in got["tables"]                       # and a download (XLSX/CSV)


# ---------------------------------------------------------------------------------------------
# A map indicator over a new figure: the figure as a yearly column, then one Metric and its name

NEW = "disabled_poor_households"
NEW_HEADER = "Số hộ nghèo có người khuyết tật"
MAP_INDICATOR_STEPS = {
    "column": ("ntm/domain/columns.py", 'Column("income_per_capita"', True,
               f'    Column("{NEW}", "int", aliases=("ho ngheo co nguoi khuyet tat",), guide="households"),\n'),
    "header": ("ntm/text/entries/upload.py", '"column.income_per_capita"', True,
               f'    "column.{NEW}": {{"vi": "{NEW_HEADER}", "en": "{NEW}"}},\n'),
    "metric": ("ntm/domain/metrics.py", 'Metric("poor_rate_change"', True,
               f'    Metric("disabled_poor_change", ("{NEW}",), unit="unit.pp", palette="RdYlGn", change=True),\n'),
    "name": ("ntm/text/entries/common.py", '"metric.poor_rate"', False,
             '    "metric.disabled_poor_change": {"vi": "Thay đổi tỷ lệ hộ nghèo có người khuyết tật",\n'
             '                                    "en": "Change of the rate of poor households with a disabled member"},\n'),
}
MAP_INDICATOR_MISSING = {"column": f"'{NEW}' is neither a map figure nor a count column",
                         "header": f"KeyError: 'column.{NEW}'",
                         "metric": "unknown metric 'disabled_poor_change'",
                         "name": "KeyError: 'metric.disabled_poor_change'"}

IMPORT_AND_MAP = """
    import json
    from ntm.ingest.yearly import import_report, validate_bytes
    from ntm.present.maps.view import build_map
    from ntm.read.geography import map_figures
    from ntm.read.scope import resolve_scope
    from ntm.store.build import init_database
    from ntm.store.connection import connect

    db = sys.argv[1]
    init_database(db, log=lambda *_: None)                    # an existing database gains the column
    con = connect(db)
    for name in sys.argv[2:]:
        path = pathlib.Path(name)
        report = validate_bytes(con, path.read_bytes(), path.name)
        assert not report.errors, [(i.key, i.column) for i in report.errors]
        import_report(con, report, user="cli:recipe", accept_warnings=True, db_path=db)
    kon_tum = resolve_scope(con, "62", 2024, "old")
    figures = map_figures(con, "district", 2024, kon_tum).set_index("code")
    view = build_map(con, level="district", year=2024, scope=kon_tum, metric="disabled_poor_change", lang="vi")
    print(json.dumps({"now": figures["%(new)s"].to_dict(), "before": figures["%(new)s_prev"].to_dict(),
                      "title": view.title, "values": dict(zip(view.table["code"], view.table["value"]))}))
""" % {"new": NEW}


def kon_tum_file(con, year: int, share: int) -> tuple[pd.DataFrame, str]:
    """Kon Tum's figures in force for a year as a yearly file (Vietnamese headers) with the new column
    (a `share`-th of each commune's poor households), and the rows with their district."""
    rows = con.execute("""SELECT f.*, u.name AS commune_name FROM commune_year f JOIN units u USING (unit_id)
        WHERE f.is_current AND f.year = ? AND f.province_code = '62' ORDER BY f.commune_code""", [year]).df()
    columns = [c for c in BY_NAME if c in rows and c not in ("district_name", "province_name")]
    out = rows[columns].copy()
    for c in columns:
        if BY_NAME[c].kind == "flag":
            out[c] = out[c].map({True: 1, False: 0})
    out[NEW] = rows["poor_households"] // share
    text = out.rename(columns={c: BY_NAME[c].header_vi for c in columns} | {NEW: NEW_HEADER}).to_csv(index=False)
    return out.assign(district_code=rows["district_code"]), text


@pytest.mark.parametrize("left_out", [None, *MAP_INDICATOR_STEPS])
def test_a_map_indicator_over_a_new_figure_is_a_column_a_metric_and_their_names(left_out, tmp_path, writable_db):
    con = connect(writable_db, read_only=True)
    try:
        files = {year: kon_tum_file(con, year, share) for year, share in ((2023, 2), (2024, 3))}
    finally:
        con.close()
    paths = []
    for year, (_, text) in files.items():
        paths.append(tmp_path / f"kon_tum_{year}.csv")
        paths[-1].write_text(text, encoding="utf-8")
    copy = project_copy(tmp_path)
    for step, (file, anchor, before, text) in MAP_INDICATOR_STEPS.items():
        if step != left_out:
            insert(copy / file, anchor, text, before)
    done = run_in(copy, IMPORT_AND_MAP, writable_db.catalog, *map(str, paths))
    if left_out:
        assert done.returncode != 0 and MAP_INDICATOR_MISSING[left_out] in done.stderr, done.stderr
        return
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    sums = {year: rows.groupby("district_code")[[NEW, "households"]].sum() for year, (rows, _) in files.items()}
    assert got["now"] == sums[2024][NEW].to_dict() and got["before"] == sums[2023][NEW].to_dict()
    rate = {year: 100 * s[NEW] / s["households"] for year, s in sums.items()}
    assert got["values"] == pytest.approx((rate[2024] - rate[2023]).to_dict())
    assert got["title"].startswith("Thay đổi tỷ lệ hộ nghèo có người khuyết tật (điểm %)")
