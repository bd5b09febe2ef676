"""Command line: `python -m ntm COMMAND --help`. Each command parses its arguments and calls the engine."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .i18n import fmt_number, fmt_percent, fmt_pp, status_label, t
from .paths import default_db_path
from .rules import STATUS_LADDER


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=None,
                   help="DuckDB file (default: $NTM_DB or data/ntm.duckdb)")


def _lang_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the output (default vi)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="python -m ntm",
        description="Nông thôn mới & giảm nghèo bền vững — dashboard engine (NTM & sustainable poverty reduction).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="build the database: units, attributes, boundaries, demo data",
                       description="Build the embedded DuckDB database (idempotent).")
    _db_arg(p)
    p.add_argument("--force", action="store_true", help="rebuild even if the database exists")
    p.add_argument("--no-demo", action="store_true", help="do not load the demo figures")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("synth", help="write national-scale synthetic yearly CSVs",
                       description="Write one synthetic upload file per year for all ~10,000 pre-reform communes.")
    p.add_argument("--years", default="2021-2025", help="years, e.g. 2021-2025 or 2022,2024")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("summary", help="households, poverty, flows and NTM counts for a unit and year",
                       description="Summary for a province (2-digit code), district (3) or commune (5); "
                                   "VN for the whole country.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("--unit", required=True, help="unit code (e.g. 62 Kon Tum, 611 Ngọc Hồi, 23326 Ia Chim) or VN")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("at-risk", help="recognised communes at risk of revocation (QĐ 18/2022)",
                       description="Recognised NTM communes that fail ≥50% of criteria, or ≥30% including a key "
                                   "criterion, with the criteria they no longer meet.")
    _db_arg(p)
    _lang_arg(p)
    p.add_argument("--unit", required=True, help="unit code or VN")
    p.add_argument("--year", type=int, required=True, help="reporting year")
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=cmd_at_risk)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


# ---------------------------------------------------------------------------------------------

def cmd_init(args) -> int:
    from .build import init_database

    init_database(args.db, force=args.force, with_demo=not args.no_demo)
    return 0


def cmd_synth(args) -> int:
    from .synth import parse_years, write_national_files

    for p in write_national_files(parse_years(args.years), args.out, args.seed):
        print(p)
    return 0


def _open_scope(args):
    from .build import init_database
    from .db import connect
    from .queries import resolve_scope

    path = init_database(args.db or default_db_path(), log=lambda *_: None)
    con = connect(path, read_only=True)
    scope = resolve_scope(con, args.unit, args.year)
    if scope is None:
        print(t("unit_not_found", args.lang, code=args.unit, year=args.year), file=sys.stderr)
    return con, scope


def cmd_summary(args) -> int:
    from .queries import summary

    con, scope = _open_scope(args)
    if scope is None:
        return 2
    s = summary(con, scope, args.year)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return 0
    print(format_summary(s, args.lang))
    return 0


def format_summary(s: dict, lang: str = "vi") -> str:
    """A summary as readable text lines."""
    unit = s["unit"]
    lines = [f"{unit['name']} ({unit['code'] or 'VN'}) — {s['year']}"]
    if s["is_demo"]:
        lines.append(t("demo_notice", lang))
    if not s["has_data"]:
        lines.append(t("no_data", lang, name=unit["name"], year=s["year"]))
        return "\n".join(lines)
    n = lambda v: fmt_number(v, lang)
    lines += [
        f"{t('households', lang)}: {n(s['households'])}",
        f"{t('poor', lang)}: {n(s['poor']['count'])} ({fmt_percent(s['poor']['percent'], lang)}; "
        f"{t('change_pp', lang)}: {fmt_pp(s['poor_rate_change_pp'], lang)})",
        f"{t('near_poor', lang)}: {n(s['near_poor']['count'])} ({fmt_percent(s['near_poor']['percent'], lang)})",
        f"{t('poor_and_near_poor', lang)}: {n(s['poor_and_near_poor']['count'])} "
        f"({fmt_percent(s['poor_and_near_poor']['percent'], lang)})",
        f"{t('escaped', lang)}: {n(s['escaped'])} | {t('fell_back', lang)}: {n(s['fell_back'])} | "
        f"{t('newly_poor', lang)}: {n(s['newly_poor'])}",
        f"{t('em_poor', lang)}: {n(s['ethnic_minority_poor']['count'])} "
        f"({fmt_percent(s['ethnic_minority_poor']['percent'], lang)})",
    ]
    ntm = s["ntm"]
    if ntm["rural_communes"]:
        counts = ", ".join(f"{status_label(k, lang)} {ntm['by_status'][k]}" for k in STATUS_LADDER)
        lines += [f"{t('communes_by_status', lang)} ({n(ntm['rural_communes'])}): {counts}",
                  f"{t('avg_criteria', lang)}: {fmt_number(ntm['avg_criteria'], lang, 2)}",
                  f"{t('at_risk', lang)}: {ntm['at_risk']}"]
    return "\n".join(lines)


def cmd_at_risk(args) -> int:
    from .queries import at_risk, summary

    con, scope = _open_scope(args)
    if scope is None:
        return 2
    df = at_risk(con, scope, args.year, args.lang)
    if args.csv:
        df.to_csv(sys.stdout, index=False)
        return 0
    if summary(con, scope, args.year)["is_demo"]:
        print(t("demo_notice", args.lang))
    print(f"{t('at_risk', args.lang)} — {scope.name}, {args.year}: {len(df)}")
    if df.empty:
        print(t("at_risk_none", args.lang))
    for r in df.itertuples():
        print(f"- {r.commune_name} ({r.commune_code}), {r.district_name}: {status_label(r.ntm_status, args.lang)}, "
              f"{r.criteria_met}/19 — {t('criteria_not_met', args.lang)}: {r.failed_criteria}")
    return 0
