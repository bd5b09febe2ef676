"""`status`: which provinces have reported a year — communes expected and reported, the missing ones,
files, warnings acknowledged, the last import and the deadline — as text, JSON or a workbook; `audit`:
who imported, rolled back or changed an account, when, which province, which file.

    python -m ntm status --year 2024
    python -m ntm status --year 2024 --json
    python -m ntm status --year 2026 --xlsx tinh_hinh_2026.xlsx --lang en
    python -m ntm audit --province 51 --since 2026-12-01 --csv
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from ntm.cli.options import db_arg, lang_arg, open_database
from ntm.text import t


def register(sub) -> None:
    """Add `status` to the sub-commands."""
    p = sub.add_parser("status", help="which provinces have reported a year (expected, reported, missing, deadline)",
                       description="For each province of the year's unit system: communes (and, apart, wards, towns "
                                   "and special zones) expected by the unit list and reported, the missing ones, "
                                   "files imported and rolled back, warnings acknowledged, the last import (when, "
                                   "who), and whether it was complete by the deadline (data/settings.csv, "
                                   "data/reporting_deadlines.csv).")
    db_arg(p)
    lang_arg(p)
    p.add_argument("--year", type=int, required=True, help="reporting year")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON (every province, with its missing units)")
    out.add_argument("--xlsx", type=Path, metavar="FILE", help="write a workbook: by province, and the missing units")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("audit", help="who imported, rolled back or changed an account (newest first)",
                       description="The audit log: every import, rollback and account change — when, who, which "
                                   "province, which file — filtered by person, province and dates.")
    db_arg(p)
    lang_arg(p)
    p.add_argument("--by", action="append", default=[], metavar="NAME", help="only what NAME did (repeatable)")
    p.add_argument("--province", metavar="CODE", help="only what touched this province")
    p.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="from this day")
    p.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="to this day (inclusive)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="print CSV")
    out.add_argument("--xlsx", type=Path, metavar="FILE", help="write a workbook")
    p.set_defaults(func=cmd_audit)


def status_json(con, year: int) -> dict:
    """The year's status as plain data: each province with its counts and missing units."""
    from ntm.read.status import missing_units, reporting_status, year_system

    df = reporting_status(con, year)
    missing = missing_units(con, year)
    by_province = {p: g for p, g in missing.groupby("province_code")}
    provinces = []
    for row in df.to_dict("records"):
        gone = by_province.get(row["province_code"])
        row["missing_units"] = [] if gone is None else [
            {"code": r.code, "name": r.name, "kind": "commune" if r.is_commune else "ward"} for r in gone.itertuples()]
        provinces.append({k: (None if v is None or v != v else v) for k, v in row.items()})
    return {"year": year, "unit_system": year_system(year), "deadline": df["deadline"].iloc[0] if len(df) else None,
            "provinces": provinces}


def cmd_status(args) -> int:
    """Print the year's reporting status (or write it as JSON / a workbook)."""
    from ntm.export.reporting import status_workbook
    from ntm.present.coordination import headline, status_table
    from ntm.read.status import reporting_status

    con, _ = open_database(args, read_only=True)
    try:
        if args.json:
            print(json.dumps(status_json(con, args.year), ensure_ascii=False, indent=2, default=str))
        elif args.xlsx:
            args.xlsx.write_bytes(status_workbook(con, args.year, args.lang))
            print(args.xlsx)
        else:
            import pandas as pd

            df = reporting_status(con, args.year)
            print(headline(df, args.year, args.lang))
            if df["is_demo"].any():
                print(t("demo_notice", args.lang))
            with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_rows", 100):
                print(status_table(df, args.lang).to_string(index=False))
    finally:
        con.close()
    return 0


def cmd_audit(args) -> int:
    """Print the audit log (or write it as CSV / a workbook)."""
    import pandas as pd

    from ntm.export.table_downloads import TableExport, xlsx_bytes
    from ntm.present.coordination import audit_table
    from ntm.read.audit import audit_log, filter_log
    from ntm.text.spreadsheets import write_csv

    con, _ = open_database(args, read_only=True)
    try:
        log = filter_log(audit_log(con), by=args.by, province=args.province, since=args.since, until=args.until)
    finally:
        con.close()
    table = audit_table(log, args.lang)
    if args.csv:
        write_csv(table, sys.stdout)
    elif args.xlsx:
        args.xlsx.write_bytes(xlsx_bytes(TableExport("nhat_ky_thao_tac", t("audit.title", args.lang), table),
                                         lang=args.lang))
        print(args.xlsx)
    else:
        with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_rows", 500):
            print(table.to_string(index=False))
    return 0
