"""Build `data/former_districts.csv`: districts that existed in an earlier official list and are not in
the last list before the 2025 reform (696 districts), with what became of them.

Source: the history of the public repository `thanglequoc/vietnamese-provinces-database` (MIT), whose
SQL dataset follows the official unit list (danhmuchanhchinh.gso.gov.vn) decree by decree. Every
version of `mysql/ImportData_vn_units.sql` committed before 1 July 2025 is read; a district listed in one
version and missing from the next is a former district. Communes keep their codes when they move, so
where a former district's communes went tells its successor (the district that received most of
them). A district whose code stays but whose name changes is recorded as renamed.

    .venv/bin/python scripts/build_former_districts.py --source PATH

PATH is the fetched snapshot's git directory (`…/repo`). The product uses the file to report the features
of an uploaded district boundary file that name a district no longer in the list, by their own name and
code, with the district they went into.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntm.domain.names import fold, name_key  # noqa: E402
from ntm.store.unit_list import legacy_units  # noqa: E402

OUT = ROOT / "data" / "former_districts.csv"
FILE = "mysql/ImportData_vn_units.sql"
REFORM = "2025-07-01"
SOURCE = "thanglequoc/vietnamese-provinces-database (MIT), history of mysql/ImportData_vn_units.sql"
_QUOTED = r"'((?:[^']|'')*)'"
_DISTRICT = re.compile(rf"\(\s*'(\d{{3}})',{_QUOTED},{_QUOTED},{_QUOTED},{_QUOTED},{_QUOTED},'(\d{{2}})'")
_WARD = re.compile(rf"\(\s*'(\d{{5}})',{_QUOTED},{_QUOTED},{_QUOTED},{_QUOTED},{_QUOTED},'(\d{{3}})'")
_DECREE = re.compile(r"(\d{3,4}(?:[_/-]\d{3,4})?)[ _/-]*NQ[-_]UBTVQH15", re.I)
COLUMNS = ["old_code", "old_name", "province_code", "last_listed", "change_type", "new_code", "new_name",
           "communes_moved", "decision", "source"]


def git(source: Path, *args: str) -> str:
    """Output of one git command on the snapshot."""
    return subprocess.run(["git", f"--git-dir={source}", *args], check=True, capture_output=True,
                          text=True, timeout=300).stdout


def versions(source: Path) -> list[tuple[str, str, str]]:
    """(commit, date, subject) of every change to the dataset before the reform, oldest first."""
    lines = git(source, "log", "--reverse", "--format=%h|%ad|%s", "--date=short", "--", FILE).splitlines()
    return [tuple(line.split("|", 2)) for line in lines if line.split("|")[1] < REFORM]


def parse(sql: str) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Districts (code → (full name, province code)) and communes (code → district code) of one version."""
    districts, wards, section = {}, {}, None
    for line in sql.splitlines():
        if line.startswith("INSERT INTO"):
            section = line.split()[2].split("(")[0].strip()
            continue
        line = line.strip()
        if section == "districts" and (m := _DISTRICT.match(line)):
            districts[m.group(1)] = (m.group(4).replace("''", "'"), m.group(7))
        elif section == "wards" and (m := _WARD.match(line)):
            wards[m.group(1)] = m.group(7)
    return districts, wards


def decision(subject: str) -> str:
    """The decree a commit applies, as its subject names it ("NQ 1287/NQ-UBTVQH15"); empty if unnamed."""
    m = _DECREE.search(subject.replace(" ", "_"))
    return f"NQ {m.group(1).replace('_', ', ')}/NQ-UBTVQH15" if m else ""


def rename_kind(old: str, new: str) -> str | None:
    """"renamed" (another name), "type_changed" (same name, another type, e.g. Huyện → Thị xã) or None
    (the same name written differently)."""
    if name_key(old) != name_key(new):
        return "renamed"
    return "type_changed" if fold(old).split()[0] != fold(new).split()[0] else None


def build(source: Path) -> list[dict]:
    """Every district that leaves (or is renamed in) the list between consecutive versions."""
    rows, before, before_date = {}, None, None
    for commit, date, subject in versions(source):
        districts, wards = parse(git(source, "show", f"{commit}:{FILE}"))
        if not districts:
            continue
        if before:
            old_districts, old_wards = before
            for code, (name, province) in old_districts.items():
                if code in districts:
                    kind = rename_kind(name, districts[code][0])
                    if kind:
                        rows[(code, name)] = dict(old_code=code, old_name=name, province_code=province,
                                                  last_listed=before_date, change_type=kind, new_code=code,
                                                  new_name=districts[code][0], communes_moved="",
                                                  decision=decision(subject), source=SOURCE)
                    continue
                went = [wards[w] for w, d in old_wards.items() if d == code and w in wards]
                target = max(set(went), key=went.count) if went else ""
                rows[(code, name)] = dict(old_code=code, old_name=name, province_code=province,
                                          last_listed=before_date, change_type="merged" if target else "dissolved",
                                          new_code=target, new_name=districts.get(target, ("", ""))[0],
                                          communes_moved=f"{went.count(target)}/{len(went)}" if went else "",
                                          decision=decision(subject), source=SOURCE)
        before, before_date = (districts, wards), date
    return sorted(rows.values(), key=lambda r: (r["province_code"], r["old_code"], r["last_listed"]))


def follow_to_last_list(rows: list[dict], last: dict[str, str]) -> list[str]:
    """Point every successor at a district of the last list (a chain of changes is followed); returns
    the problems found."""
    by_old = {r["old_code"]: r for r in rows if r["change_type"] != "renamed"}
    problems = []
    for r in rows:
        seen = set()
        while r["new_code"] and r["new_code"] not in last and r["new_code"] in by_old and r["new_code"] not in seen:
            seen.add(r["new_code"])
            nxt = by_old[r["new_code"]]
            r["new_code"], r["new_name"] = nxt["new_code"], nxt["new_name"]
        if r["new_code"] and r["new_code"] not in last:
            problems.append(f"{r['old_code']} {r['old_name']}: successor {r['new_code']} is not in the last list")
        elif r["new_code"]:
            r["new_name"] = last[r["new_code"]]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Read the history, write the CSV and print what was found."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="git directory of the fetched repository")
    args = ap.parse_args(argv)
    rows = build(args.source)
    units = legacy_units()
    last = dict(zip(units[units.level == "district"].code, units[units.level == "district"].name))
    # A district missing from one version and listed again later (island districts without communes
    # dropped from one release of the source) is not a former district.
    rows = [r for r in rows if r["change_type"] not in ("merged", "dissolved") or r["old_code"] not in last]
    problems = follow_to_last_list(rows, last)
    rows = [r for r in rows if r["change_type"] not in ("renamed", "type_changed")
            or rename_kind(r["old_name"], r["new_name"])]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    kinds = {k: sum(r["change_type"] == k for r in rows) for k in ("merged", "renamed", "type_changed", "dissolved")}
    print(f"{len(rows)} former districts written to {OUT.relative_to(ROOT)}: {kinds}")
    for p in problems:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
