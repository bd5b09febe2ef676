"""The recipe "a yearly column" of CONTRIBUTING.md is true: a decimal, a flag and a choice column added to a
copy of the engine as it says — their registry entries, their catalogue texts, their rows in the file
format — reach a new database and an existing one, the template and its drop-downs, an upload read the
analyst's way, both geographies' figures (merged onto the new communes by their kinds' rules) and a chart.
Leaving out any one step breaks it."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import pytest

from tests.test_docs import ROOT, file_format_problems
from tests.test_recipes import insert, project_copy, run_in

NEW = ("health_insurance_share", "health_station_met", "main_livelihood")
WORDS = {"Nông nghiệp": "farming", "Lâm nghiệp": "forestry", "thuy san": "fishing", "trade": "trade"}

# Each step of the recipe: (file, the line it goes after, the text a newcomer adds).
STEPS = {
    "registry": ("ntm/domain/columns.py", "for c in CRITERIA),", '''\
    Column("health_insurance_share", "decimal", decimals=1, aliases=("ty le tham gia bhyt",)),
    Column("health_station_met", "flag", aliases=("tram y te dat chuan",)),
    Column("main_livelihood", "choice", values=("farming", "forestry", "fishing", "trade"), aliases=("sinh ke chinh",)),
'''),
    "texts": ("ntm/text/entries/upload.py", '"column.poverty_standard"', '''\
    "column.health_insurance_share": {"vi": "Tỷ lệ người dân tham gia BHYT (%)", "en": "health_insurance_share"},
    "column.health_station_met": {"vi": "Trạm y tế đạt chuẩn quốc gia", "en": "health_station_met"},
    "column.main_livelihood": {"vi": "Sinh kế chính", "en": "main_livelihood"},
    "choice.main_livelihood.farming": {"vi": "Nông nghiệp", "en": "farming"},
    "choice.main_livelihood.forestry": {"vi": "Lâm nghiệp", "en": "forestry"},
    "choice.main_livelihood.fishing": {"vi": "Thủy sản", "en": "fishing"},
    "choice.main_livelihood.trade": {"vi": "Thương mại, dịch vụ", "en": "trade and services"},
'''),
    "doc": ("docs/file-format.md", "| `c01` … `c19` |", '''\
| `health_insurance_share` | Tỷ lệ người dân tham gia BHYT (%) | decimal ≥ 0, one place | no | share of the residents with health insurance |
| `health_station_met` | Trạm y tế đạt chuẩn quốc gia | met flag | no | Đạt/Chưa đạt, 1/0, x/blank, Có/Không |
| `main_livelihood` | Sinh kế chính | category | no | `farming` / `forestry` / `fishing` / `trade`, or Nông nghiệp / Lâm nghiệp / Thủy sản / Thương mại, dịch vụ |
'''),
}

# In the copy: the registry as it stands (and, with a database, everything a reader meets of the columns).
SCRIPT = """
    import io, json, shutil
    import pandas as pd
    import plotly.graph_objects as go
    from openpyxl import load_workbook
    from ntm.domain.columns import BY_NAME, COLUMNS
    from ntm.domain.units import PRE
    from ntm.ingest.template import accepted_values, column_guide, template_frame, template_xlsx_bytes
    from ntm.ingest.yearly import import_report, validate_bytes
    from ntm.store.build import init_database
    from ntm.store.connection import connect
    from ntm.store.copy import clone_local
    from ntm.store.figures import figures_sql

    NEW = ["health_insurance_share", "health_station_met", "main_livelihood"]
    out = {"registry": [dict(name=c.name, kind=c.kind, required=c.required, header_vi=c.header_vi,
                             values=list(c.values)) for c in COLUMNS]}
    if len(sys.argv) == 1:
        print(json.dumps(out)); sys.exit()
    new_db, old_db, demo = map(pathlib.Path, sys.argv[1:])

    # An existing database (made before the columns) gets them when opened, every batch kept.
    clone_local(demo, old_db)
    con = connect(old_db, read_only=True)
    before = con.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    con.close()
    init_database(old_db, log=lambda *_: None)
    con = connect(old_db, read_only=True)
    out["migrated"] = {"batches": [before, con.execute("SELECT count(*) FROM import_batches").fetchone()[0]],
                       "columns": {t: [r[0] for r in con.execute(
                           "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                           "AND table_catalog = current_database()", [t]).fetchall()
                           if r[0] in NEW] for t in ("commune_year", "figures_old", "figures_new")}}
    con.close()

    # A new database; a new commune formed whole by three or more old communes of one old district.
    init_database(new_db, with_demo=False, log=lambda *_: None)
    con = connect(new_db)
    post, district = con.execute('''
        SELECT m.post_code, any_value(u.district_code) FROM unit_map m JOIN units u ON u.unit_id = m.pre_unit_id
        WHERE DATE '2024-12-31' BETWEEN coalesce(u.valid_from, DATE '1900-01-01') AND coalesce(u.valid_to, DATE '9999-12-31')
        GROUP BY m.post_code HAVING count(*) >= 3 AND count(DISTINCT u.district_code) = 1 AND NOT bool_or(m.is_split)
        ORDER BY m.post_code LIMIT 1''').fetchone()
    mates = [r[0] for r in con.execute("SELECT pre_code FROM unit_map WHERE post_code = ?", [post]).fetchall()]

    # The district's 2024 template, filled in as an analyst would (words, a decimal comma, codes).
    sheet = template_frame(con, "vi", unit_code=district, year=2024, system=PRE)
    names = sheet.attrs["columns"]
    book = load_workbook(io.BytesIO(template_xlsx_bytes(sheet)))
    offered = lambda f: [c[0].value for c in book[f.rsplit("!", 1)[0].strip("'")][f.rsplit("!", 1)[1].replace("$", "")]]
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): offered(v.formula1)
             for v in book.active.data_validations.dataValidation}
    letter = lambda name: chr(ord("A") + names.index(name)) if names.index(name) < 26 else "A" + chr(ord("A") + names.index(name) - 26)
    out["template"] = {"columns": names, "drop_down": lists.get(letter("main_livelihood")),
                       "flag_drop_down": lists.get(letter("health_station_met")),
                       "offered": accepted_values("main_livelihood", 2024, "en"),
                       "guide": column_guide("health_insurance_share", 2024, "vi")}
    words = ["Lâm nghiệp", "thuy san", "trade", "Nông nghiệp"]
    filled = sheet.copy()
    filled.columns = names
    for i, code in enumerate(filled["commune_code"]):
        mate = code in mates
        filled.loc[i, ["households", "population", "poor_households", "near_poor_households"]] = \\
            [1000 + 37 * i, 4000 + 211 * i, 50 + i, 40]
        filled.loc[i, NEW] = [f"{60 + i},36", "Đạt" if mate or i % 2 else "Chưa đạt", "Nông nghiệp" if mate else words[i % 4]]
    out["typed"] = filled[["commune_code", "population", *NEW]].astype(str).to_dict("records")
    filled.columns = sheet.columns
    report = validate_bytes(con, filled.to_csv(index=False).encode(), "huyen_2024.csv")
    out["errors"] = [i.message(report.file_name, "en") for i in report.errors]
    import_report(con, report, user="cli:analyst", accept_warnings=True, db_path=new_db)

    # Both geographies, and a chart drawn from the new one.
    read = lambda geo: con.execute(f"SELECT commune_code, converted, n_sources, {', '.join(NEW)} FROM "
                                   f"{figures_sql(geo)} WHERE year = 2024 ORDER BY commune_code").df()
    new = read("new")
    fig = go.Figure(go.Bar(x=new["commune_code"], y=new["health_insurance_share"],
                           name=BY_NAME["health_insurance_share"].header("vi")))
    out["old"], out["new"] = (json.loads(read(g).to_json(orient="records")) for g in ("old", "new"))
    out["chart"] = {"x": list(fig.data[0].x), "y": [None if pd.isna(v) else v for v in fig.data[0].y],
                    "name": fig.data[0].name}
    out["post"] = post
    out["map"] = con.execute("SELECT pre_code, post_code, weight FROM unit_map WHERE post_code IN "
                             "(SELECT post_code FROM unit_map WHERE pre_code IN (SELECT unnest(?)))",
                             [list(filled.iloc[:, names.index("commune_code")])]).fetchall()
    print(json.dumps(out))
"""


def applied(tmp_path, left_out: str | None = None):
    """A copy of the engine and its file format with every step of the recipe but `left_out`."""
    copy = project_copy(tmp_path)
    (copy / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "file-format.md", copy / "docs" / "file-format.md")
    for step, (file, anchor, text) in STEPS.items():
        if step != left_out:
            insert(copy / file, anchor, text)
    return copy


def registry_and_doc(copy) -> tuple[list, list[str]]:
    """The copy's column registry, and what its file format gets wrong about it."""
    done = run_in(copy, SCRIPT)
    assert done.returncode == 0, done.stderr
    columns = [SimpleNamespace(**c) for c in json.loads(done.stdout)["registry"]]
    return columns, file_format_problems((copy / "docs" / "file-format.md").read_text(encoding="utf-8"), columns)


@pytest.mark.parametrize("left_out", list(STEPS))
def test_leaving_out_a_step_breaks_the_recipe(left_out, tmp_path):
    copy = applied(tmp_path, left_out)
    if left_out == "texts":                       # the headers are catalogue text: no header, no column
        done = run_in(copy, SCRIPT)
        assert done.returncode != 0 and "KeyError: 'column.health_insurance_share'" in done.stderr, done.stderr
        return
    columns, problems = registry_and_doc(copy)
    if left_out == "registry":                    # the doc names columns the product does not know
        assert not set(NEW) & {c.name for c in columns}
        assert sorted(problems) == sorted(f"{n}: in the table, not in the registry" for n in NEW)
    else:                                         # the doc misses columns the product reads
        assert sorted(problems) == sorted(f"{n}: in the registry, not in the table" for n in NEW)


def test_a_decimal_a_flag_and_a_choice_column_reach_every_reader(tmp_path, demo_db_path):
    copy = applied(tmp_path)
    columns, problems = registry_and_doc(copy)
    assert problems == [] and [c.kind for c in columns if c.name in NEW] == ["decimal", "flag", "choice"]
    done = run_in(copy, SCRIPT, str(tmp_path / "new.ducklake"), str(tmp_path / "old.ducklake"), str(demo_db_path))
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)

    # An existing database: the columns are added, empty, to its figures; every batch is kept.
    assert got["migrated"]["batches"][0] == got["migrated"]["batches"][1] > 0
    assert all(sorted(cols) == sorted(NEW) for cols in got["migrated"]["columns"].values()), got["migrated"]

    # The template: the columns, the choice's words as a drop-down, the flag's marks, the decimal's places.
    template = got["template"]
    assert template["columns"][-3:] == list(NEW)
    assert template["drop_down"] == ["Nông nghiệp", "Lâm nghiệp", "Thủy sản", "Thương mại, dịch vụ"]
    assert template["flag_drop_down"] == ["Đạt", "Chưa đạt"]
    assert template["offered"] == ["farming", "forestry", "fishing", "trade and services"]
    assert "1 chữ số" in template["guide"]

    # The upload: read without an error, decimals to their place, marks as flags, words and codes as codes.
    assert got["errors"] == []
    typed = {r["commune_code"]: r for r in got["typed"]}
    old = {r["commune_code"]: r for r in got["old"]}
    assert set(old) == set(typed)
    for code, r in typed.items():
        assert old[code]["health_insurance_share"] == round(float(r["health_insurance_share"].replace(",", ".")), 1)
        assert old[code]["health_station_met"] == (r["health_station_met"] == "Đạt")
        assert old[code]["main_livelihood"] == WORDS[r["main_livelihood"]]

    # The new geography: every new commune formed only from the file's communes, merged by the kinds' rules
    # (share: weighted by population; flag: met only when all met; choice: the one they share).
    formed: dict[str, list] = {}
    for pre, post, weight in got["map"]:
        formed.setdefault(post, []).append((pre, weight))
    new = {r["commune_code"]: r for r in got["new"]}
    whole = {post: parts for post, parts in formed.items() if all(p in old for p, _ in parts)}
    assert got["post"] in whole and len(whole[got["post"]]) >= 3
    for post, parts in whole.items():
        row, rows = new[post], [(old[p], w) for p, w in parts]
        assert row["converted"] and row["n_sources"] == len(parts)
        size = [int(typed[r["commune_code"]]["population"]) * w for r, w in rows]
        share = sum(r["health_insurance_share"] * s for (r, _), s in zip(rows, size)) / sum(size)
        assert row["health_insurance_share"] == round(share, 1)
        assert row["health_station_met"] == all(r["health_station_met"] for r, _ in rows)
        livelihoods = {r["main_livelihood"] for r, _ in rows}
        assert row["main_livelihood"] == (livelihoods.pop() if len(livelihoods) == 1 else None)
    assert new[got["post"]]["main_livelihood"] == "farming" and new[got["post"]]["health_station_met"] is True

    # A chart drawn from the new geography carries the values and the column's header.
    assert got["chart"]["name"] == "Tỷ lệ người dân tham gia BHYT (%)"
    assert dict(zip(got["chart"]["x"], got["chart"]["y"])) == {c: r["health_insurance_share"] for c, r in new.items()}
