"""The command line (`python -m ntm …`) run as a user runs it: a separate process on a copy of the demo
database (NTM_DB), checking exit codes, stdout/stderr and the language and number format of the output.

Expected values are the published Kon Tum figures (docs/domain.md §2.4, §4.3) and the four communes at
risk of revocation (Chỉ thị 05/CT-UBND); the file columns are those of docs/file-format.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ntm.cli.main import build_parser
from ntm.store.synth import UPLOAD_COLUMNS
from ntm.store.copy import clone_local

ROOT = Path(__file__).resolve().parents[2]
KON_TUM_AT_RISK_2024 = {"23326", "23353", "23374", "23371"}
# The columns docs/file-format.md lists (canonical names), c01 … c19 included.
CONTRACT_COLUMNS = ["year", "commune_code", "commune_name", "district_name", "province_name", "households",
                    "population", "poor_households", "near_poor_households", "escaped_poverty",
                    "fell_back_into_poverty", "newly_poor", "near_poor_to_poor", "ethnic_minority_households",
                    "ethnic_minority_poor_households", "income_per_capita", "ntm_status",
                    "ntm_recognition_year", "criteria_met", "criteria_set", "commune_group", "poverty_standard"] + \
    [f"c{i:02d}" for i in range(1, 20)]


@pytest.fixture(scope="module")
def cli_db(demo_db_path, tmp_path_factory) -> Path:
    """A copy of the demo database the commands may lock and read."""
    path = tmp_path_factory.mktemp("cli") / "ntm.ducklake"
    clone_local(demo_db_path, path)
    return path


def run(db: Path | None, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if db is not None:
        env["NTM_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


# ---------------------------------------------------------------------------------------------
# summary

def test_summary_json_kon_tum_2022(cli_db):
    r = run(cli_db, "summary", "--unit", "62", "--year", "2022", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["unit"] == {"level": "province", "code": "62", "name": "Tỉnh Kon Tum"}
    assert s["year"] == 2022 and s["has_data"] and s["is_demo"]
    assert s["poor"]["count"] == 15_943
    assert s["poor"]["percent"] == pytest.approx(10.86, abs=0.005)
    assert s["poor"]["count"] / s["poor"]["of"] == pytest.approx(0.1086, abs=5e-5)
    assert s["poor_rate_change_pp"] == pytest.approx(10.86 - 15.32, abs=0.01)
    assert (s["escaped"], s["fell_back"], s["newly_poor"]) == (6_782, 13, 594)
    assert s["near_poor"]["percent"] == pytest.approx(6.03, abs=0.005)


def test_summary_text_is_vietnamese_by_default(cli_db):
    r = run(cli_db, "summary", "--unit", "62", "--year", "2022")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Tỉnh Kon Tum (62) — 2022" in out
    assert "DỮ LIỆU MINH HỌA" in out                      # says it is demo data
    assert "Hộ nghèo: 15.943 (10,86%" in out              # Vietnamese thousands and decimal separators
    assert "-4,46 điểm %" in out
    assert "Thoát nghèo: 6.782" in out and "Tái nghèo: 13" in out and "Nghèo phát sinh: 594" in out
    assert "Poor households" not in out


def test_summary_text_in_english(cli_db):
    r = run(cli_db, "summary", "--unit", "62", "--year", "2022", "--lang", "en")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "DEMO DATA" in out
    assert "Poor households: 15,943 (10.86%" in out
    assert "-4.46 pp" in out
    assert "Escaped poverty: 6,782" in out and "Fell back into poverty: 13" in out
    assert "Hộ nghèo" not in out


def test_summary_of_a_commune_code_that_lost_its_leading_zero(cli_db):
    # Codes typed as numbers lose their leading zeros (docs/file-format.md): 6649 is commune 06649 (Quảng Ninh).
    padded = json.loads(run(cli_db, "summary", "--unit", "06649", "--year", "2022", "--json").stdout)
    typed = json.loads(run(cli_db, "summary", "--unit", "6649", "--year", "2022", "--json").stdout)
    assert padded["unit"]["level"] == "commune" and padded["unit"]["code"] == "06649"
    assert typed == padded


def test_summary_of_an_at_risk_commune(cli_db):
    s = json.loads(run(cli_db, "summary", "--unit", "23326", "--year", "2024", "--json").stdout)
    assert s["unit"]["level"] == "commune" and s["unit"]["code"] == "23326"
    assert s["ntm"]["at_risk"] == 1 and s["ntm"]["recognised"] == 1


def test_unknown_unit_exits_2_with_a_vietnamese_message(cli_db):
    r = run(cli_db, "summary", "--unit", "99", "--year", "2022")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "Không tìm thấy đơn vị có mã 99 trong năm 2022" in r.stderr
    r = run(cli_db, "at-risk", "--unit", "99", "--year", "2024", "--lang", "en")
    assert r.returncode == 2
    assert "No unit with code 99 in 2024" in r.stderr


# ---------------------------------------------------------------------------------------------
# at-risk

def test_at_risk_csv_kon_tum_2024(cli_db):
    r = run(cli_db, "at-risk", "--unit", "62", "--year", "2024", "--csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["commune_code"] for row in rows} == KON_TUM_AT_RISK_2024
    assert len(rows) == 4
    for row in rows:
        assert int(row["criteria_failed"]) == 19 - int(row["criteria_met"]) >= 6
        assert row["failed_key_criteria"]                 # every one fails a key criterion
        assert row["ntm_status"] in ("standard", "advanced", "model")
        assert row["demo_data"] == "True"                 # demo rows say so in machine output too


def test_at_risk_csv_is_safe_to_open_in_a_spreadsheet(demo_db_path, tmp_path):
    path = tmp_path / "ntm.ducklake"
    clone_local(demo_db_path, path)
    from ntm.store.connection import connect, transaction

    con = connect(path)
    with transaction(con) as cur:
        cur.execute("UPDATE units SET name = '=HYPERLINK(\"http://example.invalid\",\"x\")' "
                    "WHERE system = 'pre2025' AND level = 'commune' AND code = '23326'")     # at risk in 2024
    con.close()
    r = run(path, "at-risk", "--unit", "62", "--year", "2024", "--csv")
    assert r.returncode == 0, r.stderr
    names = {row["commune_code"]: row["commune_name"] for row in csv.DictReader(io.StringIO(r.stdout))}
    assert names["23326"] == "'=HYPERLINK(\"http://example.invalid\",\"x\")"   # text, not a formula


def test_at_risk_text_vietnamese_and_english(cli_db):
    vi = run(cli_db, "at-risk", "--unit", "62", "--year", "2024")
    assert vi.returncode == 0, vi.stderr
    assert "Xã có nguy cơ bị thu hồi quyết định công nhận — Tỉnh Kon Tum, 2024: 4" in vi.stdout
    assert "TC17" in vi.stdout or "TC10" in vi.stdout
    assert all(code in vi.stdout for code in KON_TUM_AT_RISK_2024)
    # After the reform Kon Tum is part of the new Quảng Ngãi: its former area is read on its new communes.
    en = run(cli_db, "at-risk", "--unit", "62", "--year", "2025", "--lang", "en")
    assert en.returncode == 0, en.stderr
    assert "now part of Tỉnh Quảng Ngãi (51)" in en.stderr
    assert "Communes at risk of revocation — Tỉnh Kon Tum (former area), 2025: 0" in en.stdout
    assert "No commune is at risk of revocation." in en.stdout
    # 2026: recognition under QĐ 51/2025 starts anew (docs/domain.md §1.9) — the new Đăk Môn (7/10) holds no
    # recognition under it, so it is not at risk; nor is any commune recognised this year at 10/10.
    y26 = run(cli_db, "at-risk", "--unit", "62", "--year", "2026")
    assert "Tỉnh Kon Tum (địa bàn cũ), 2026: 0" in y26.stdout and "23374" not in y26.stdout


def test_an_old_commune_after_the_reform_names_the_new_one(cli_db):
    r = run(cli_db, "summary", "--unit", "23353", "--year", "2026", "--lang", "en")
    assert r.returncode == 2
    assert "Xã Đăk Pék (23341)" in r.stderr and "before 1 July 2025" in r.stderr
    old = run(cli_db, "summary", "--unit", "23353", "--year", "2024", "--json")
    assert old.returncode == 0 and json.loads(old.stdout)["geography"] == "old"


# ---------------------------------------------------------------------------------------------
# synth

def test_synth_writes_one_contract_file_per_year(tmp_path):
    out = tmp_path / "synth"
    r = run(None, "synth", "--years", "2021-2022", "--out", str(out))
    assert r.returncode == 0, r.stderr
    files = sorted(out.glob("*.csv"))
    assert len(files) == 2
    assert [Path(line).name for line in r.stdout.split()] == [f.name for f in files]
    for year, f in zip((2021, 2022), files):
        with open(f, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == CONTRACT_COLUMNS == UPLOAD_COLUMNS
            rows = list(reader)
        assert 10_000 <= len(rows) <= 10_100                  # the ≈10,035 pre-reform communes
        assert len({row["commune_code"] for row in rows}) == len(rows)
        assert {row["year"] for row in rows} == {str(year)}
        assert all(len(row["commune_code"]) == 5 for row in rows)
        assert all(int(row["poor_households"]) + int(row["near_poor_households"]) <= int(row["households"])
                   for row in rows)


# ---------------------------------------------------------------------------------------------
# help and init

def command_paths(parser: argparse.ArgumentParser | None = None, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every sub-command of the parser, nested ones included (e.g. ("user", "add"))."""
    parser = parser or build_parser()
    paths: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths.append(prefix + (name,))
                paths.extend(command_paths(sub, prefix + (name,)))
    return paths


def test_the_expected_commands_exist():
    assert {("init",), ("synth",), ("summary",), ("at-risk",)} <= set(command_paths())


@pytest.mark.parametrize("command", command_paths(), ids=" ".join)
def test_every_command_has_help(command, capsys):
    # In-process through the real entry point (the subprocess path is covered by the other tests).
    from ntm.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m ntm " + " ".join(command))
    assert "--help" in out


def test_top_level_help_lists_every_command():
    r = run(None, "--help")
    assert r.returncode == 0
    for (command,) in (p for p in command_paths() if len(p) == 1):
        assert command in r.stdout


def test_no_command_is_a_usage_error():
    r = run(None)
    assert r.returncode == 2
    assert "usage:" in r.stderr


def test_init_is_idempotent(cli_db, tmp_path):
    from ntm.store.connection import connect, snapshot

    db = tmp_path / "ntm.ducklake"
    clone_local(cli_db, db)

    def newest() -> int:
        con = connect(db, read_only=True)
        try:
            return snapshot(con)
        finally:
            con.close()

    before = newest()
    r = run(db, "init")
    assert r.returncode == 0, r.stderr
    assert "sẵn sàng" in r.stdout and "ready" in r.stdout
    assert newest() == before                           # nothing written: no new snapshot
    r = run(db, "init")
    assert r.returncode == 0 and "ready" in r.stdout
    assert newest() == before


@pytest.mark.parametrize("args", [("summary", "--unit", "51", "--year", "2026"),
                                  ("at-risk", "--unit", "62", "--year", "2024")])
def test_output_cut_short_by_its_reader_ends_quietly(cli_db, args):
    """`python -m ntm summary … | head`: the reader stops reading, the command stops without a traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "ntm", *args], cwd=ROOT, env=dict(os.environ, NTM_DB=str(cli_db)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                                  # as `head` does once it has its lines
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_a_district_asked_about_after_the_reform_is_named_as_former(cli_db):
    vi = run(cli_db, "summary", "--unit", "611", "--year", "2026")
    en = run(cli_db, "summary", "--unit", "611", "--year", "2026", "--lang", "en")
    assert vi.returncode == en.returncode == 0, vi.stderr + en.stderr
    assert vi.stdout.splitlines()[0].startswith("Huyện Ngọc Hồi (huyện cũ) (611) — 2026")
    assert en.stdout.splitlines()[0].startswith("Huyện Ngọc Hồi (former district) (611) — 2026")


def test_the_at_risk_list_on_the_new_units_names_former_districts_and_unconfirmed_rules(cli_db):
    text = run(cli_db, "at-risk", "--unit", "51", "--year", "2024", "--geo", "new")
    assert text.returncode == 0 and "(huyện cũ):" in text.stdout, text.stdout + text.stderr
    rows = list(csv.DictReader(io.StringIO(run(cli_db, "at-risk", "--unit", "51", "--year", "2024", "--geo", "new",
                                               "--csv").stdout)))
    assert rows and all(r["former_district_name"].startswith("Huyện ") for r in rows)
    assert {r["revocation_rule_confirmed"] for r in rows} == {"True"}          # QĐ 18/2022: confirmed
    now = run(cli_db, "at-risk", "--unit", "51", "--year", "2026").stdout
    assert "(quy tắc chưa xác nhận)" in now and "Chưa xác nhận được quy định thu hồi cho giai đoạn 2026–2030" in now
    assert "chưa được công nhận lại" in now
    en = run(cli_db, "at-risk", "--unit", "51", "--year", "2026", "--lang", "en").stdout
    assert "(unconfirmed rule)" in en and "No revocation rule for 2026–2030 is confirmed" in en
