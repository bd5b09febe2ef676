"""Where poverty figures pass from one standard to another (docs/domain.md §2.7: 2025 → 2026, NĐ 07/2021 →
NĐ 351/2025; a province's own standard coming or going, Quảng Ninh NQ 13/2023), the series say so point
by point, a yearly reduction across it is not held against its target, and `summary` (text and
`--json`) names the year's standard and, when it differs, the compared year's, with the break flag."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.domain.columns import BY_NAME, COLUMNS
from ntm.domain.rules import CRITERIA
from ntm.ingest.yearly import import_report, validate_bytes
from ntm.read import poverty as P
from ntm.read.scope import resolve_scope
from ntm.read.summary import summary
from ntm.text import t
from ntm.store.copy import clone_local

ROOT = Path(__file__).resolve().parents[2]
EMPTY_COUNT = re.compile(r": –(\s|$)")           # a figure printed as the missing-value dash


def run_summary(db: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m ntm summary …` as a user runs it, on the database `db`."""
    env = dict(os.environ, NTM_DB=str(db))
    return subprocess.run([sys.executable, "-m", "ntm", "summary", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.fixture(scope="module")
def cli_db(demo_db_path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("breaks") / "ntm.ducklake"
    clone_local(demo_db_path, path)
    return path


def test_the_series_name_each_points_standard_and_the_break_into_2026(db):
    scope = resolve_scope(db, "51", 2026, "new")
    poor = P.poverty_rates(db, scope).query("measure == 'poor'").set_index("year")
    assert poor.loc[2025, "poverty_standard"] == "ND07_2021" and poor.loc[2026, "poverty_standard"] == "ND351_2025"
    assert poor.index[poor["standard_break"]].tolist() == [2026]
    flows = P.poverty_flows(db, scope).set_index("year")
    assert flows.loc[2026, ["standard_start", "poverty_standard", "standard_break"]].tolist() == \
        ["ND07_2021", "ND351_2025", True]
    reduction = P.poverty_reduction(db, scope).set_index("year")
    assert reduction.loc[2026, "target_min"] == 1.0                # the 2026 target exists…
    assert reduction.loc[2026, "status"] == "standard_break"        # …and is not judged across the break
    assert reduction.loc[2025, "status"] == "met"
    ranking = P.district_ranking(db, scope, 2021, 2026)
    assert set(ranking["standard_from"]) == {"ND07_2021"} and set(ranking["standard_to"]) == {"ND351_2025"}


def test_summary_json_names_both_standards_when_they_differ(cli_db):
    r = run_summary(cli_db, "--unit", "51", "--year", "2026", "--json")
    assert r.returncode == 0, r.stderr
    std = json.loads(r.stdout)["poverty_standard"]
    assert std["key"] == "ND351_2025" and std["break"] is True and std["review_years_confirmed"] is False
    assert std["compared_year"] == 2025 and std["compared_key"] == "ND07_2021"
    now, before = std["standards"][0], std["compared_standards"][0]
    assert (now["decision"], now["income_rural_vnd"], now["income_urban_vnd"]) == ("NĐ 351/2025/NĐ-CP", 2_200_000, 2_800_000)
    assert (before["decision"], before["income_rural_vnd"], before["review_years_confirmed"]) == \
        ("NĐ 07/2021/NĐ-CP", 1_500_000, True)


def test_summary_json_of_a_year_under_the_same_standard_has_no_break(cli_db):
    r = run_summary(cli_db, "--unit", "51", "--year", "2025", "--json")
    std = json.loads(r.stdout)["poverty_standard"]
    assert std["key"] == "ND07_2021" and std["break"] is False
    assert std["compared_year"] == 2024 and std["compared_key"] is None and std["compared_standards"] is None


def test_summary_text_says_the_standard_the_break_and_unconfirmed(cli_db):
    vi = run_summary(cli_db, "--unit", "51", "--year", "2026").stdout
    assert "Chuẩn nghèo (rà soát năm 2026): NĐ 351/2025, mức 2,2 / 2,8 triệu đồng/người/tháng" in vi
    assert "[năm áp dụng chưa xác nhận]" in vi
    assert "Đổi chuẩn nghèo: năm 2025 theo NĐ 07/2021, mức 1,5 / 2,0 triệu đồng/người/tháng" in vi
    assert "không so sánh với năm trước: năm 2026 theo chuẩn nghèo khác)" in vi     # no number across the break
    en = run_summary(cli_db, "--unit", "51", "--year", "2026", "--lang", "en").stdout
    assert "Poverty standard (review of 2026): NĐ 351/2025, lines VND 2.2 / 2.8 million" in en
    assert "[years applied unconfirmed]" in en and "2025 was under NĐ 07/2021" in en
    same = run_summary(cli_db, "--unit", "51", "--year", "2025").stdout
    assert "Chuẩn nghèo (rà soát năm 2025): NĐ 07/2021" in same and "Đổi chuẩn nghèo" not in same


def test_summary_text_of_the_2026_baseline_says_why_it_has_no_flows(cli_db):
    """The review of 2026 is the first under NĐ 351/2025, a baseline without flows (§2.7): `summary` says
    so, the standard marked unconfirmed, instead of '–' for each flow; 2025 keeps its flow counts."""
    vi = run_summary(cli_db, "--unit", "51", "--year", "2026")
    assert vi.returncode == 0, vi.stderr
    assert ("Năm 2026 là lần rà soát đầu tiên theo NĐ 351/2025 [năm áp dụng chưa xác nhận], số liệu đầu kỳ của "
            "chuẩn nghèo mới") in vi.stdout
    assert "không tính hộ thoát nghèo, tái nghèo, phát sinh vì không so sánh qua hai chuẩn nghèo" in vi.stdout
    assert not [line for line in vi.stdout.splitlines() if line.startswith(t("escaped", "vi") + ":")]
    assert not EMPTY_COUNT.search(vi.stdout)                      # no "–" standing for a count
    en = run_summary(cli_db, "--unit", "51", "--year", "2026", "--lang", "en").stdout
    assert "2026 is the first review under NĐ 351/2025 [years applied unconfirmed], the baseline" in en
    assert t("escaped", "en") + ":" not in en and not EMPTY_COUNT.search(en)
    flows = [line for line in run_summary(cli_db, "--unit", "51", "--year", "2025").stdout.splitlines()
             if line.startswith(t("escaped", "vi") + ":")]
    assert len(flows) == 1 and not EMPTY_COUNT.search(flows[0])
    assert json.loads(run_summary(cli_db, "--unit", "51", "--year", "2026", "--json").stdout)["escaped"] is None


def quang_ninh_file(con, year: int, standard: str) -> bytes:
    """Quảng Ninh's figures of a year (old units) as an upload under `standard`."""
    cols = [c.name for c in COLUMNS if c.name not in ("commune_name", "district_name", "province_name")]
    df = con.execute("""SELECT * FROM commune_year WHERE is_current AND year = ? AND province_code = '22'
                        AND unit_system = 'pre2025' ORDER BY commune_code""", [year]).df()
    df["poverty_standard"] = standard
    df = df[cols]
    for c in CRITERIA:
        df[c] = df[c].map({True: 1, False: 0})
    df.columns = [BY_NAME[c].header_vi for c in df.columns]
    return df.to_csv(index=False).encode()


def test_a_provinces_own_standard_beside_the_national_one_is_a_break(wcon, writable_db):
    report = validate_bytes(wcon, quang_ninh_file(wcon, 2023, "QN_NQ13_2023"), "quangninh_2023.csv")
    import_report(wcon, report, user="cli:lan", accept_warnings=True, db_path=writable_db)
    own = P.poverty_rates(wcon, resolve_scope(wcon, "22", 2024, "old")).query("measure == 'poor'").set_index("year")
    assert own.loc[[2022, 2023, 2024], "poverty_standard"].tolist() == ["ND07_2021", "QN_NQ13_2023", "ND07_2021"]
    assert own.index[own["standard_break"]].tolist() == [2023, 2024]
    nation = P.poverty_rates(wcon, resolve_scope(wcon, None, 2024, "old")).query("measure == 'poor'").set_index("year")
    assert nation.loc[2023, "poverty_standard"] == "ND07_2021+QN_NQ13_2023"    # beside the national one
    assert nation.index[nation["standard_break"]].tolist() == [2023, 2024]
    s = summary(wcon, resolve_scope(wcon, "22", 2023, "old"), 2023)["poverty_standard"]
    assert (s["key"], s["compared_key"], s["break"]) == ("QN_NQ13_2023", "ND07_2021", True)
    assert s["standards"][0]["income_rural_vnd"] == 2_100_000 and s["review_years_confirmed"] is False


def test_the_targets_page_does_not_judge_a_reduction_across_two_standards(db):
    """The 2026 reduction of 1–1.5 pp compares the end-2025 review (NĐ 07/2021) with the end-2026 one
    (NĐ 351/2025): the targets the pages and the pack read say so instead of met or not met."""
    from ntm.present import labels

    shown = labels.targets_progress(db, resolve_scope(db, "51", 2026), "vi", as_of=2026).set_index("target_id")
    row = shown.loc["vn-2026-poor-reduction"]
    assert row["status"] == "standard_break" and row["progress_pct"] != row["progress_pct"]      # NaN: no progress
