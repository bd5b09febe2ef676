"""`summary` and `at-risk`: a unit's figures for a year, and its communes at risk of revocation."""

from __future__ import annotations

import json
import sys

from ntm.cli.options import db_arg, lang_arg, open_scope, scope_title, unit_year_args
from ntm.domain.criteria import criteria_set
from ntm.text import fmt_number, fmt_percent, fmt_pp, status_label, t


def register(sub) -> None:
    """Add `summary` and `at-risk` to the sub-commands."""
    p = sub.add_parser("summary", help="households, poverty, flows and NTM counts for a unit and year",
                       description="Summary for a province (2-digit code), district (3) or commune (5); "
                                   "VN for the whole country.")
    db_arg(p)
    lang_arg(p)
    unit_year_args(p, "unit code (e.g. 62 Kon Tum, 611 Ngọc Hồi, 23326 Ia Chim) or VN")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("at-risk", help="recognised communes at risk of revocation (QĐ 18/2022)",
                       description="Recognised NTM communes that fail ≥50% of criteria, or ≥30% including a key "
                                   "criterion, with the criteria they no longer meet.")
    db_arg(p)
    lang_arg(p)
    unit_year_args(p)
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=cmd_at_risk)


def cmd_summary(args) -> int:
    """Print a unit's summary for a year (text or JSON)."""
    from ntm.read.summary import summary

    con, scope = open_scope(args)
    if scope is None:
        return 2
    s = summary(con, scope, args.year)
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=2))
        return 0
    print(format_summary(s, args.lang))
    return 0


def format_summary(s: dict, lang: str = "vi") -> str:
    """A summary as readable text lines (which geography, how the year before was compared, and — for a year
    without flows, such as the baseline review under a new poverty standard — why there are none)."""
    from ntm.present.findings import flows_absent

    unit = s["unit"]
    name = scope_title(unit["level"], unit["name"], s["geography"], lang)
    geography = t(f"geo.{s['geography']}", lang)
    lines = [f"{name} ({unit['code'] or 'VN'}) — {s['year']} · {geography}"]
    if s["is_demo"]:
        lines.append(t("demo_notice", lang))
    if not s["has_data"]:
        lines.append(t("no_data", lang, name=unit["name"], year=s["year"]))
        return "\n".join(lines)

    def n(v):
        return fmt_number(v, lang)

    std = s["poverty_standard"]
    # across two poverty standards the change is not a comparison: said so, no number (as on the pages)
    change = t("ui.rate_across_standards", lang, year=s["year"]) if std["break"] else fmt_pp(s["poor_rate_change_pp"], lang)
    lines += [
        f"{t('households', lang)}: {n(s['households'])}",
        f"{t('poor', lang)}: {n(s['poor']['count'])} ({fmt_percent(s['poor']['percent'], lang)}; "
        f"{t('change_pp', lang)}: {change})",
        f"{t('near_poor', lang)}: {n(s['near_poor']['count'])} ({fmt_percent(s['near_poor']['percent'], lang)})",
        f"{t('poor_and_near_poor', lang)}: {n(s['poor_and_near_poor']['count'])} "
        f"({fmt_percent(s['poor_and_near_poor']['percent'], lang)})",
        flows_absent(s, lang) or f"{t('escaped', lang)}: {n(s['escaped'])} | {t('fell_back', lang)}: "
                                 f"{n(s['fell_back'])} | {t('newly_poor', lang)}: {n(s['newly_poor'])}",
        f"{t('em_poor', lang)}: {n(s['ethnic_minority_poor']['count'])} "
        f"({fmt_percent(s['ethnic_minority_poor']['percent'], lang)})",
    ]
    lines += _standard_lines(s, lang)
    if s["comparison"]["previous_converted"]:
        lines.append(t("summary.compared_converted", lang, year=s["year"] - 1))
    if s["comparison"]["approximate"]:
        lines.append(t("summary.approximate", lang))
    ntm = s["ntm"]
    if ntm["rural_communes"]:
        cset = criteria_set(s["criteria_set"], s["year"])
        counts = ", ".join(f"{status_label(k, lang)} {ntm['by_status'][k]}" for k in cset.statuses)
        avg = f"{t('avg_criteria', lang)}: {fmt_number(ntm['avg_criteria'], lang, 2)}/{cset.n_criteria}"
        if s["comparison"]["converted"]:          # re-aggregated: a criterion counts only when every part met it
            avg += f" ({t('summary.criteria_all_parts', lang)})"
        lines += [f"{t('communes_by_status', lang)} ({n(ntm['rural_communes'])}): {counts}", avg,
                  f"{t('at_risk', lang)}: {ntm['at_risk']}"]
        if ntm["reassess"]:
            lines.append(t("summary.reassess", lang, n=ntm["reassess"]))
    return "\n".join(lines)


def _standard_lines(s: dict, lang: str) -> list[str]:
    """The year's poverty standard with its lines ('unconfirmed' where its review years are) and, when the
    year before follows another, that one and the break."""
    from ntm.present.labels import standard_name

    std = s["poverty_standard"]
    lines = [t("standards.summary", lang, year=s["year"], name=standard_name(std["key"], lang, lines=True))]
    if std["break"]:
        lines.append(t("standards.summary_break", lang, prev=std["compared_year"],
                       before=standard_name(std["compared_key"], lang, lines=True)))
    return lines


def cmd_at_risk(args) -> int:
    """Print the communes at risk of revocation (text or spreadsheet-safe CSV), with the rules the list
    rests on when they are not confirmed (recognition anew under QĐ 51/2025, the 2026–2030 shares)."""
    from ntm.domain.criteria import criteria_set
    from ntm.text.spreadsheets import write_csv
    from ntm.present.labels import at_risk_list, recognition_anew_text
    from ntm.read.ntm import recognition_restart
    from ntm.read.summary import summary

    con, scope = open_scope(args)
    if scope is None:
        return 2
    lang = args.lang
    df = at_risk_list(con, scope, args.year, lang)
    demo = summary(con, scope, args.year)["is_demo"]
    restart = recognition_restart(con, scope, args.year).iloc[0]
    cset = criteria_set(restart["criteria_set"], args.year)
    if args.csv:
        # the demo flag and whether the rules are confirmed travel with the rows; names are made safe for
        # spreadsheets; on the new units a commune's district is its former one
        if scope.geo == "new":
            df = df.rename(columns={"district_name": "former_district_name"})
        write_csv(df.assign(demo_data=demo, revocation_rule_confirmed=cset.revocation_verified,
                            recognition_rule_confirmed=cset.recognition_verified), sys.stdout)
        return 0
    if demo:
        print(t("demo_notice", lang))
    print(f"{t('at_risk', lang)} — {scope_title(scope.level, scope.name, scope.geo, lang)}, {args.year}: {len(df)}")
    for note in (recognition_anew_text(restart, lang),
                 None if cset.revocation_verified else t("ui.at_risk_rule_default", lang)):
        if note:
            print(note)
    if df.empty:
        print(t("at_risk_none", lang))
    for r in df.itertuples():
        district = t("unit.former_district", lang, name=r.district_name) if scope.geo == "new" else r.district_name
        print(f"- {r.commune_name} ({r.commune_code}), {district}: {status_label(r.ntm_status, lang)}, "
              f"{r.criteria_met}/{r.n_criteria} — {t('criteria_not_met', lang)}: {r.failed_criteria}")
    return 0
