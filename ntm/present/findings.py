"""One-line findings for the meeting pack: a tidy frame from `ntm.series` in, one sentence out.

Pure functions (no database, no plotly), in Vietnamese (default) or English, numbers formatted the
language's way ('4,46 điểm %' / '4.46 pp'). Each takes the frame its chart or table is drawn from and
the reporting year, and says the one thing a leader should take from the slide: how much, against
what, met or not. Frames may be empty or miss the year: the sentence then says there are no figures.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ntm.text.catalogue import fmt_number, fmt_percent, is_missing

TEXT: dict[str, dict[str, str]] = {
    "no_data": {"vi": "Chưa có số liệu năm {year}.", "en": "No figures for {year}."},
    # overview
    "overview": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}{change}; {recognised}/{rural} xã đạt chuẩn NTM ({share}); "
                       "{risk} xã có nguy cơ bị thu hồi công nhận.",
                 "en": "{year}: poor rate {rate}{change}; {recognised} of {rural} communes recognised NTM ({share}); "
                       "{risk} at risk of losing recognition."},
    "overview_poverty": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}{change}.", "en": "{year}: poor rate {rate}{change}."},
    "change_down": {"vi": ", giảm {pp} so với {year}", "en": ", down {pp} on {year}"},
    "change_up": {"vi": ", tăng {pp} so với {year}", "en": ", up {pp} on {year}"},
    "change_flat": {"vi": ", không đổi so với {year}", "en": ", unchanged on {year}"},
    # NTM ladder
    "ntm_status": {"vi": "Năm {year}: {recognised}/{rural} xã đạt chuẩn NTM ({share}){change}; trong đó {advanced} xã "
                         "NTM nâng cao, {model} xã NTM kiểu mẫu.",
                   "en": "{year}: {recognised} of {rural} communes recognised NTM ({share}){change}; of which "
                         "{advanced} advanced and {model} model."},
    "more_communes": {"vi": ", tăng {n} xã so với {year}", "en": ", {n} more than in {year}"},
    "fewer_communes": {"vi": ", giảm {n} xã so với {year}", "en": ", {n} fewer than in {year}"},
    "same_communes": {"vi": ", bằng năm {year}", "en": ", as in {year}"},
    # targets
    "targets_due": {"vi": "{n} mục tiêu đến hạn năm {year}: đạt {met}, không đạt {not_met}{worst}{pending}.",
                    "en": "{n} target{s} due in {year}: {met} met, {not_met} not met{worst}{pending}."},
    "targets_none_due": {"vi": "Không có mục tiêu đến hạn năm {year}{pending}.",
                         "en": "No target falls due in {year}{pending}."},
    "targets_worst": {"vi": " (xa nhất: {target}, {actual} so với {goal})",
                      "en": " (furthest: {target}, {actual} against {goal})"},
    "targets_pending": {"vi": "; {n} mục tiêu đến hạn sau", "en": "; {n} due later"},
    "targets_empty": {"vi": "Chưa có mục tiêu nào cho địa bàn này.", "en": "No targets are set for this area."},
    # movements
    "moves": {"vi": "{y0} → {y1}: {up} xã lên mức đạt chuẩn, {down} xã xuống mức{down_names}, {revoked} xã bị thu hồi "
                    "công nhận{revoked_names}.",
              "en": "{y0} → {y1}: {up} commune{s} moved up, {down} moved down{down_names}, {revoked} lost "
                    "recognition{revoked_names}."},
    "moves_names": {"vi": " ({names})", "en": " ({names})"},
    # at risk
    "at_risk": {"vi": "{n} xã đã đạt chuẩn có nguy cơ bị thu hồi công nhận NTM năm {year}{key}.",
                "en": "{n} recognised commune{s} at risk of losing NTM recognition in {year}{key}."},
    "at_risk_key": {"vi": "; {k}/{n} xã không đạt tiêu chí then chốt {criterion}",
                    "en": "; {k} of {n} fail the key criterion {criterion}"},
    "at_risk_none": {"vi": "Năm {year} không có xã nào có nguy cơ bị thu hồi công nhận NTM.",
                     "en": "In {year} no commune is at risk of losing NTM recognition."},
    # criteria by department
    "departments": {"vi": "{department} phụ trách nhiều tiêu chí chưa đạt nhất: {cells} lượt ở {communes} xã "
                          "(nhiều nhất {criterion}: {n} xã).",
                    "en": "{department} owns the most unmet criteria: {cells} case{s1} in {communes} commune{s2} "
                          "(most often {criterion}: {n} commune{s3})."},
    "departments_none": {"vi": "Năm {year} mọi xã đều đạt đủ 19 tiêu chí.", "en": "In {year} every commune meets all 19 criteria."},
    # poverty
    "waterfall": {"vi": "Năm {year}: {escaped} hộ thoát nghèo, {fell_back} hộ tái nghèo, {newly} hộ nghèo phát sinh; "
                        "số hộ nghèo giảm từ {start} xuống {end} hộ.",
                  "en": "{year}: {escaped} household{s} escaped poverty, {fell_back} fell back, {newly} newly poor; "
                        "poor households went from {start} to {end}."},
    "waterfall_up": {"vi": "Năm {year}: {escaped} hộ thoát nghèo, {fell_back} hộ tái nghèo, {newly} hộ nghèo phát sinh; "
                           "số hộ nghèo tăng từ {start} lên {end} hộ.",
                     "en": "{year}: {escaped} household{s} escaped poverty, {fell_back} fell back, {newly} newly poor; "
                           "poor households rose from {start} to {end}."},
    "waterfall_gap": {"vi": " Chênh lệch chưa giải thích: {gap} hộ.", "en": " Unexplained gap: {gap} households."},
    "trend": {"vi": "Tỷ lệ hộ nghèo {verb} từ {first} ({y0}) {prep} {last} ({y1}); tỷ lệ hộ cận nghèo {near} năm {y1}.",
              "en": "The poor rate {verb} from {first} ({y0}) to {last} ({y1}); the near-poor rate was {near} in {y1}."},
    "trend_one": {"vi": "Năm {year}: tỷ lệ hộ nghèo {rate}, tỷ lệ hộ cận nghèo {near}.",
                  "en": "{year}: poor rate {rate}, near-poor rate {near}."},
    "terrain": {"vi": "Năm {year} tỷ lệ hộ nghèo ở huyện miền núi là {m}, {cmp} các huyện khác ({o}).",
                "en": "In {year} the poor rate in mountainous districts was {m}, {cmp} other districts ({o})."},
    "terrain_higher": {"vi": "cao hơn {pp} so với", "en": "{pp} above"},
    "terrain_lower": {"vi": "thấp hơn {pp} so với", "en": "{pp} below"},
    "terrain_equal": {"vi": "bằng", "en": "equal to"},
    "terrain_only_m": {"vi": "Toàn bộ địa bàn thuộc huyện miền núi: tỷ lệ hộ nghèo {m} năm {year}{change}.",
                       "en": "The whole area is mountainous: poor rate {m} in {year}{change}."},
    "terrain_only_o": {"vi": "Địa bàn không có huyện miền núi: tỷ lệ hộ nghèo {o} năm {year}.",
                       "en": "The area has no mountainous district: poor rate {o} in {year}."},
    "reduction": {"vi": "Năm {year} {measure} giảm {pp} ({before} → {after}), {verdict}.",
                  "en": "In {year} the {measure} fell by {pp} ({before} → {after}), {verdict}."},
    "reduction_rise": {"vi": "Năm {year} {measure} tăng {pp} ({before} → {after}), {verdict}.",
                       "en": "In {year} the {measure} rose by {pp} ({before} → {after}), {verdict}."},
    "reduction_no_prev": {"vi": "Chưa có số liệu năm {prev} để tính mức giảm năm {year}.",
                          "en": "No figures for {prev} to compute the reduction in {year}."},
    "verdict_beat": {"vi": "vượt mục tiêu {band}", "en": "beating the target of {band}"},
    "verdict_met": {"vi": "đạt mục tiêu {band}", "en": "meeting the target of {band}"},
    "verdict_not_met": {"vi": "không đạt mục tiêu {band}", "en": "missing the target of {band}"},
    "verdict_none": {"vi": "chưa có mục tiêu để so sánh", "en": "with no target to compare against"},
    "measure.poor": {"vi": "tỷ lệ hộ nghèo", "en": "poor rate"},
    "measure.em_poor": {"vi": "tỷ lệ hộ nghèo DTTS", "en": "ethnic-minority poor rate"},
    "measure.poor_districts": {"vi": "tỷ lệ hộ nghèo ở các huyện nghèo", "en": "poor rate in poor districts"},
    "ranking": {"vi": "{y0}–{y1}: {best} giảm nhiều nhất ({best_pp}), {worst} {worst_verb} ({worst_pp}); "
                      "{down}/{n} huyện giảm tỷ lệ hộ nghèo.",
                "en": "{y0}–{y1}: {best} cut the poor rate most ({best_pp}), {worst} {worst_verb} ({worst_pp}); "
                      "{down} of {n} districts reduced it."},
    "ranking_least": {"vi": "giảm ít nhất", "en": "least"},
    "ranking_rise": {"vi": "tăng", "en": "saw it rise"},
    "ranking_one": {"vi": "{y0}–{y1}: {best} giảm {best_pp}.", "en": "{y0}–{y1}: {best} reduced it by {best_pp}."},
    "fallback": {"vi": "Năm {year} có {fell_back} hộ tái nghèo, bằng {share} số hộ thoát nghèo ({escaped} hộ){prev}.",
                 "en": "In {year}, {fell_back} household{s} fell back into poverty, {share} of those that escaped "
                       "({escaped}){prev}."},
    "fallback_prev": {"vi": "; năm {year}: {share}", "en": "; {year}: {share}"},
    "fallback_none": {"vi": "Năm {year} không có hộ thoát nghèo nào để so sánh; {fell_back} hộ tái nghèo.",
                      "en": "In {year} no household escaped poverty; {fell_back} fell back."},
    "map": {"vi": "{metric} năm {year}: cao nhất {top} ({top_v}), thấp nhất {low} ({low_v}).",
            "en": "{metric}, {year}: highest {top} ({top_v}), lowest {low} ({low_v})."},
    "map_one": {"vi": "{metric} năm {year}: {top} {top_v}.", "en": "{metric}, {year}: {top} {top_v}."},
}


def text(_key: str, lang: str = "vi", **kwargs) -> str:
    entry = TEXT[_key]
    return (entry.get(lang) or entry["vi"]).format(**kwargs)


# ---------------------------------------------------------------------------------------------
# Small formatting helpers

def pp(v, lang: str = "vi", decimals: int = 2) -> str:
    """An unsigned amount of percentage points: '4,46 điểm %' / '4.46 pp'."""
    if is_missing(v):
        return "–"
    return fmt_number(abs(float(v)), lang, decimals) + (" điểm %" if lang == "vi" else " pp")


def short_number(v, lang: str = "vi") -> str:
    """A bound of a target band with as few decimals as it needs: 1 → '1', 1.5 → '1,5'."""
    v = float(v)
    for d in (0, 1, 2):
        if abs(round(v, d) - v) < 1e-9:
            return fmt_number(v, lang, d)
    return fmt_number(v, lang, 2)


def band(lo, hi, lang: str = "vi") -> str:
    """A target band in pp: '1–1,5 điểm %', or '≥ 3 điểm %' without an upper bound."""
    unit = " điểm %" if lang == "vi" else " pp"
    if is_missing(hi) or float(hi) == float(lo):
        return "≥ " + short_number(lo, lang) + unit
    return short_number(lo, lang) + "–" + short_number(hi, lang) + unit


def _plural(n) -> str:
    """English plural ending for a count ('' for 1)."""
    return "" if not is_missing(n) and float(n) == 1 else "s"


def _names(names: list[str], lang: str, limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f" {'và' if lang == 'vi' else 'and'} {len(names) - limit} {'xã khác' if lang == 'vi' else 'more'}"
    return shown


def _row(df: pd.DataFrame, year: int, **match) -> pd.Series | None:
    d = df[df["year"] == year]
    for k, v in match.items():
        d = d[d[k] == v]
    return None if d.empty else d.iloc[0]


# ---------------------------------------------------------------------------------------------
# Findings, one per slide

def overview(summary: dict, lang: str = "vi") -> str:
    """From `queries.summary`: poor rate and its change, NTM communes, at-risk count."""
    year = summary.get("year")
    if not summary.get("has_data"):
        return text("no_data", lang, year=year)
    rate = fmt_percent((summary.get("poor") or {}).get("percent"), lang)
    change = _change_phrase(summary.get("poor_rate_change_pp"), year - 1, lang)
    ntm = summary.get("ntm") or {}
    rural = ntm.get("rural_communes") or 0
    if not rural:
        return text("overview_poverty", lang, year=year, rate=rate, change=change)
    recognised = ntm.get("recognised") or 0
    return text("overview", lang, year=year, rate=rate, change=change, recognised=fmt_number(recognised, lang),
                rural=fmt_number(rural, lang), share=fmt_percent(100 * recognised / rural, lang, 1),
                risk=fmt_number(ntm.get("at_risk") or 0, lang))


def _change_phrase(change_pp, prev_year: int, lang: str) -> str:
    if is_missing(change_pp):
        return ""
    if abs(float(change_pp)) < 0.005:
        return text("change_flat", lang, year=prev_year)
    key = "change_down" if change_pp < 0 else "change_up"
    return text(key, lang, pp=pp(change_pp, lang), year=prev_year)


def ntm_status(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.ntm_status_by_year`: recognised communes, share, change on the year before."""
    d = df[df["year"] == year]
    if d.empty:
        return text("no_data", lang, year=year)
    counts = d.set_index("status")["communes"]
    recognised = int(counts.get("standard", 0) + counts.get("advanced", 0) + counts.get("model", 0))
    rural = int(d["rural_communes"].iloc[0])
    prev = df[df["year"] == year - 1]
    change = ""
    if not prev.empty:
        before = int(prev[prev["status"] != "none"]["communes"].sum())
        delta = recognised - before
        key = "more_communes" if delta > 0 else "fewer_communes" if delta < 0 else "same_communes"
        change = text(key, lang, n=fmt_number(abs(delta), lang), year=year - 1)
    return text("ntm_status", lang, year=year, recognised=fmt_number(recognised, lang), rural=fmt_number(rural, lang),
                share=fmt_percent(100 * recognised / rural if rural else None, lang, 1), change=change,
                advanced=fmt_number(counts.get("advanced", 0), lang), model=fmt_number(counts.get("model", 0), lang))


def targets(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.targets_progress` (the rows on the slide): targets due in `year`, met or not, the
    one furthest from its goal, and how many fall due later."""
    if df.empty:
        return text("targets_empty", lang)
    due = df[(df["year"] == year) & df["status"].isin(["met", "not_met"])]
    later = int((df["year"] > year).sum())
    pending = text("targets_pending", lang, n=later) if later else ""
    if due.empty:
        return text("targets_none_due", lang, year=year, pending=pending)
    missed = due[due["status"] == "not_met"].sort_values("progress_pct")
    worst = ""
    if len(missed):
        r = missed.iloc[0]
        worst = text("targets_worst", lang, target=r["target"], actual=r["actual_display"], goal=r["target_display"])
    return text("targets_due", lang, n=len(due), s=_plural(len(due)), year=year, met=int((due["status"] == "met").sum()),
                not_met=len(missed), worst=worst, pending=pending)


def movements(df: pd.DataFrame, lang: str = "vi") -> str:
    """From `series.status_flows`: communes up, down and revoked between the two years (with the names
    of the downgraded and revoked communes)."""
    if df.empty:
        return text("no_data", lang, year="")
    y0, y1 = int(df["year_from"].iloc[0]), int(df["year_to"].iloc[0])
    n = df.groupby("movement")["communes"].sum()

    def names(m: str) -> str:
        found = [x for v in df.loc[df["movement"] == m, "names"] for x in str(v).split("; ") if x and x != "…"]
        return text("moves_names", lang, names=_names(found, lang)) if found else ""

    return text("moves", lang, y0=y0, y1=y1, up=fmt_number(n.get("up", 0), lang), s=_plural(n.get("up", 0)),
                down=fmt_number(n.get("down", 0), lang),
                revoked=fmt_number(n.get("revoked", 0), lang), down_names=names("down"), revoked_names=names("revoked"))


def at_risk(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.at_risk_list`: how many recognised communes are at risk, and the key criterion
    most of them fail."""
    if df.empty:
        return text("at_risk_none", lang, year=year)
    keys = Counter(c.strip() for v in df["failed_key_criteria"].fillna("") for c in str(v).split(";") if c.strip())
    key = ""
    if keys:
        criterion, k = keys.most_common(1)[0]
        key = text("at_risk_key", lang, k=fmt_number(k, lang), n=fmt_number(len(df), lang), criterion=criterion)
    return text("at_risk", lang, n=fmt_number(len(df), lang), s=_plural(len(df)), year=year, key=key)


def criteria_departments(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.criteria_matrix`: the department owning most unmet criteria (cases and communes)
    and its most often unmet criterion."""
    missed = df[df["met"].fillna(True).astype(bool) == False]  # noqa: E712 (nullable booleans)
    if missed.empty:
        return text("departments_none", lang, year=year)
    by = missed.groupby("department").agg(cells=("criterion", "size"), communes=("commune_code", "nunique"))
    by = by.sort_values(["cells", "communes"], ascending=False)
    dept = by.index[0]
    top = missed[missed["department"] == dept].groupby("criterion_name")["commune_code"].nunique()
    top = top.sort_values(ascending=False)
    cells, communes = by.iloc[0]["cells"], by.iloc[0]["communes"]
    return text("departments", lang, department=dept, cells=fmt_number(cells, lang), communes=fmt_number(communes, lang),
                criterion=top.index[0], n=fmt_number(top.iloc[0], lang), s1=_plural(cells), s2=_plural(communes),
                s3=_plural(top.iloc[0]))


def poverty_waterfall(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.poverty_flows`: the year's flows and the change of the poor-household stock."""
    r = _row(df, year)
    if r is None or is_missing(r["poor_start"]):
        return text("no_data", lang, year=year)
    key = "waterfall_up" if r["poor_end"] > r["poor_start"] else "waterfall"
    sentence = text(key, lang, year=year, escaped=fmt_number(r["escaped"], lang), fell_back=fmt_number(r["fell_back"], lang),
                    newly=fmt_number(r["newly_poor"], lang), start=fmt_number(r["poor_start"], lang), end=fmt_number(r["poor_end"], lang),
                    s=_plural(r["escaped"]))
    if not is_missing(r.get("balanced")) and not bool(r["balanced"]):
        sentence += text("waterfall_gap", lang, gap=("+" if r["gap"] > 0 else "−") + fmt_number(abs(r["gap"]), lang))
    return sentence


def poverty_trend(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.poverty_rates`: the poor rate from the first year to `year`, and the near-poor rate."""
    poor = df[(df["measure"] == "poor") & (df["year"] <= year)].sort_values("year")
    last = _row(poor, year)
    near = _row(df, year, measure="near_poor")
    if last is None:
        return text("no_data", lang, year=year)
    near_text = fmt_percent(near["rate_pct"] if near is not None else None, lang)
    first = poor.iloc[0]
    if int(first["year"]) == year:
        return text("trend_one", lang, year=year, rate=fmt_percent(last["rate_pct"], lang), near=near_text)
    down = last["rate_pct"] <= first["rate_pct"]
    verb = ("giảm" if down else "tăng") if lang == "vi" else ("fell" if down else "rose")
    return text("trend", lang, verb=verb, first=fmt_percent(first["rate_pct"], lang), y0=int(first["year"]),
                prep="xuống" if down else "lên", last=fmt_percent(last["rate_pct"], lang), y1=year, near=near_text)


def mountainous(df: pd.DataFrame, year: int, lang: str = "vi", measure: str = "poor") -> str:
    """From `series.poverty_by_terrain`: the poor rate in mountainous districts against the others."""
    d = df[(df["measure"] == measure) & (df["year"] == year)].set_index("terrain")
    if d.empty:
        return text("no_data", lang, year=year)
    m = d["rate_pct"].get("mountainous")
    o = d["rate_pct"].get("other")
    if m is not None and o is not None and not is_missing(m) and not is_missing(o):
        diff = float(m) - float(o)
        cmp = (text("terrain_equal", lang) if abs(diff) < 0.005 else
               text("terrain_higher" if diff > 0 else "terrain_lower", lang, pp=pp(diff, lang)))
        return text("terrain", lang, year=year, m=fmt_percent(m, lang), o=fmt_percent(o, lang), cmp=cmp)
    if m is not None and not is_missing(m):
        change = d["change_pp"].get("mountainous")
        return text("terrain_only_m", lang, m=fmt_percent(m, lang), year=year,
                    change=_change_phrase(change, year - 1, lang))
    return text("terrain_only_o", lang, o=fmt_percent(o, lang), year=year)


def reduction_target(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.poverty_reduction`: the year's reduction in pp against the target band
    ('… giảm 4,46 điểm % (15,32% → 10,86%), vượt mục tiêu 1–1,5 điểm %')."""
    r = _row(df, year)
    if r is None:
        return text("no_data", lang, year=year)
    if is_missing(r["reduction_pp"]):
        return text("reduction_no_prev", lang, prev=year - 1, year=year)
    red = float(r["reduction_pp"])
    subset = r.get("subset", "all")
    measure = text("measure.poor_districts" if subset == "poor_districts" else f"measure.{r.get('measure', 'poor')}", lang)
    if is_missing(r.get("target_min")):
        verdict = text("verdict_none", lang)
    else:
        lo, hi = float(r["target_min"]), r.get("target_max")
        b = band(lo, hi, lang)
        if red < lo - 1e-9:
            verdict = text("verdict_not_met", lang, band=b)
        elif not is_missing(hi) and red > float(hi) + 1e-9:
            verdict = text("verdict_beat", lang, band=b)
        else:
            verdict = text("verdict_met", lang, band=b)
    return text("reduction" if red >= 0 else "reduction_rise", lang, year=year, measure=measure, pp=pp(red, lang),
                before=fmt_percent(r["rate_prev_pct"], lang), after=fmt_percent(r["rate_pct"], lang), verdict=verdict)


def district_ranking(df: pd.DataFrame, lang: str = "vi") -> str:
    """From `series.district_ranking`: the districts that cut the poor rate most and least."""
    if df.empty:
        return text("no_data", lang, year="")
    d = df.sort_values("reduction_pp", ascending=False)
    y0, y1 = int(d["year_from"].iloc[0]), int(d["year_to"].iloc[0])
    best, worst = d.iloc[0], d.iloc[-1]
    if len(d) == 1:
        return text("ranking_one", lang, y0=y0, y1=y1, best=best["district_name"], best_pp=pp(best["reduction_pp"], lang))
    rise = worst["reduction_pp"] < 0
    return text("ranking", lang, y0=y0, y1=y1, best=best["district_name"], best_pp=pp(best["reduction_pp"], lang),
                worst=worst["district_name"], worst_verb=text("ranking_rise" if rise else "ranking_least", lang),
                worst_pp=pp(worst["reduction_pp"], lang), down=fmt_number(int((d["reduction_pp"] > 0).sum()), lang),
                n=fmt_number(len(d), lang))


def fallback(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.fallback_share`: households that fell back as a share of those that escaped."""
    r = _row(df, year)
    if r is None:
        return text("no_data", lang, year=year)
    if is_missing(r["fallback_share_pct"]):
        return text("fallback_none", lang, year=year, fell_back=fmt_number(r["fell_back"], lang))
    p = _row(df, year - 1)
    prev = ""
    if p is not None and not is_missing(p["fallback_share_pct"]):
        prev = text("fallback_prev", lang, year=year - 1, share=fmt_percent(p["fallback_share_pct"], lang))
    return text("fallback", lang, year=year, fell_back=fmt_number(r["fell_back"], lang), s=_plural(r["fell_back"]),
                share=fmt_percent(r["fallback_share_pct"], lang), escaped=fmt_number(r["escaped"], lang), prev=prev)


def map_extremes(table: pd.DataFrame, metric_label: str, year: int, lang: str = "vi") -> str:
    """From `MapView.table` (name, value, value_text): the units with the highest and lowest value."""
    d = table.dropna(subset=["value"]).sort_values("value", ascending=False) if len(table) else table
    if d is None or d.empty:
        return text("no_data", lang, year=year)
    top, low = d.iloc[0], d.iloc[-1]
    if len(d) == 1:
        return text("map_one", lang, metric=metric_label, year=year, top=top["name"], top_v=top["value_text"])
    return text("map", lang, metric=metric_label, year=year, top=top["name"], top_v=top["value_text"],
                low=low["name"], low_v=low["value_text"])

