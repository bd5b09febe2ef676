"""One-line findings for the meeting pack: a tidy frame from `ntm.series` in, one sentence out.

Pure functions (no database, no plotly), in Vietnamese (default) or English, numbers formatted the
language's way ('4,46 điểm %' / '4.46 pp'). Each takes the frame its chart or table is drawn from and
the reporting year, and says the one thing a leader should take from the slide: how much, against
what, met or not. Frames may be empty or miss the year: the sentence then says there are no figures.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ntm.domain.criteria import criteria_set
from ntm.domain.periods import SEPARATOR, poverty_standard_for_year, poverty_standards, split_standards, standard_breaks
from ntm.present.labels import standard_name, terrain_key
from ntm.text import fmt_band, fmt_number, fmt_percent, fmt_pp, is_missing, status_label, t

# ---------------------------------------------------------------------------------------------
# Small helpers

def _plural(n) -> str:
    """English plural ending for a count ('' for 1)."""
    return "" if not is_missing(n) and float(n) == 1 else "s"


def _names(names: list[str], lang: str, limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown = t("finding.names_and_more", lang, names=shown, n=fmt_number(len(names) - limit, lang))
    return shown


def _row(df: pd.DataFrame, year: int, **match) -> pd.Series | None:
    d = df[df["year"] == year]
    for k, v in match.items():
        d = d[d[k] == v]
    return None if d.empty else d.iloc[0]


def _broken(r) -> bool:
    """Whether a series row follows another poverty standard than the point before it."""
    return r is not None and bool(r.get("standard_break", False))


# ---------------------------------------------------------------------------------------------
# Poverty-standard breaks: a change across two standards is said as such

def breaks_in(df: pd.DataFrame, year: int | None = None) -> list[tuple[int, int, str, str]]:
    """(year before, year, standards before, after) where a poverty series (up to `year`) changes
    standard; for a ranking between two years, the pairs of its districts' standards that differ."""
    if df is None or df.empty:
        return []
    if "standard_from" in df:
        d = df[df["standard_from"] != df["standard_to"]].drop_duplicates(["standard_from", "standard_to"])
        return [(int(r.year_from), int(r.year_to), r.standard_from, r.standard_to) for r in d.itertuples()]
    if "poverty_standard" not in df:
        return []
    d = df if year is None else df[df["year"] <= year]
    return standard_breaks(d["year"], d["poverty_standard"])


def _across(df: pd.DataFrame, lang: str, year: int | None = None) -> str:
    """' Across the new poverty standard of 2026 (NĐ 07/2021 → NĐ 351/2025): not directly comparable.'
    for a comparison that spans a break ('' when none does)."""
    found = breaks_in(df, year)
    if not found:
        return ""
    y0, y1, a, b = found[-1]
    return t("finding.across_break", lang, year=y1, before=standard_name(a, lang, flag=False),
             after=standard_name(b, lang, flag=False))


# ---------------------------------------------------------------------------------------------
# A year without flows: the first review under a standard is a baseline (docs/domain.md §2.7)

FLOW_KEYS = ("escaped", "fell_back", "newly_poor")


def has_flows(row) -> bool:
    """Whether a summary or series row reports any flow (escaped, fell back, newly poor)."""
    return any(not is_missing(row.get(k)) for k in FLOW_KEYS)


def first_review_of(value, year: int, broken: bool = False) -> str | None:
    """The standard(s) among `value` whose first review is `year` (NĐ 07/2021 in 2021, NĐ 351/2025 in 2026,
    a province's own in its first year) — all of `value` when the series changes standard there —, or None
    when the year's review continues the standards of the year before."""
    specs = poverty_standards().set_index("poverty_standard")
    new = [k for k in split_standards(value) if k in specs.index and int(specs.at[k, "first_year"]) == year]
    return SEPARATOR.join(new) if new else (value if broken and isinstance(value, str) else None)


def flows_absent(summary: dict, lang: str = "vi") -> str:
    """For a year whose figures report no flows, why: the first review under its poverty standard is a
    baseline (households re-measured under the new lines; flows are not compared across two standards,
    the standard marked 'unconfirmed' where its review years are), or its files report none. '' when the
    year has flows (or no figures)."""
    if not summary.get("has_data") or has_flows(summary):
        return ""
    std, year = summary.get("poverty_standard") or {}, summary["year"]
    new = first_review_of(std.get("key"), year, bool(std.get("break")))
    if new:
        return t("finding.baseline", lang, year=year, standard=standard_name(new, lang))
    return t("finding.no_flows", lang, year=year)


def break_notes(df: pd.DataFrame, lang: str = "vi", year: int | None = None) -> list[str]:
    """One sentence per poverty-standard break in a series (up to `year`): between which years, from which
    standard to which (the new one 'unconfirmed' where its review years are)."""
    return [t("standards.break_notice", lang, y0=y0, y1=y1, before=standard_name(a, lang),
              after=standard_name(b, lang)) for y0, y1, a, b in breaks_in(df, year)]


# ---------------------------------------------------------------------------------------------
# Findings, one per slide

def overview(summary: dict, lang: str = "vi") -> str:
    """From `queries.summary`: poor rate and its change, NTM communes, at-risk count."""
    year = summary.get("year")
    if not summary.get("has_data"):
        return t("finding.no_data", lang, year=year)
    rate = fmt_percent((summary.get("poor") or {}).get("percent"), lang)
    change = _change_phrase(summary.get("poor_rate_change_pp"), year - 1, lang)
    std = summary.get("poverty_standard") or {}
    if std.get("break") and change:
        change = t("finding.change_break", lang, year=year - 1, after=standard_name(std["key"], lang),
                   before=standard_name(std["compared_key"], lang))
    ntm = summary.get("ntm") or {}
    rural = ntm.get("rural_communes") or 0
    if not rural:
        return t("finding.overview_poverty", lang, year=year, rate=rate, change=change)
    recognised = ntm.get("recognised") or 0
    return t("finding.overview", lang, year=year, rate=rate, change=change, recognised=fmt_number(recognised, lang),
                rural=fmt_number(rural, lang), share=fmt_percent(100 * recognised / rural, lang, 1),
                risk=fmt_number(ntm.get("at_risk") or 0, lang))


def _change_phrase(change_pp, prev_year: int, lang: str) -> str:
    if is_missing(change_pp):
        return ""
    if abs(float(change_pp)) < 0.005:
        return t("finding.change_flat", lang, year=prev_year)
    key = "finding.change_down" if change_pp < 0 else "finding.change_up"
    return t(key, lang, pp=fmt_pp(change_pp, lang, sign=""), year=prev_year)


def ntm_status(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.ntm_status_by_year`: recognised communes, share, change on the year before, the
    levels above the standard of the year's criteria set (each with those above it, as targets count),
    and a note when the set changed (and, when recognition starts anew under it, that the year before's
    recognitions are not compared)."""
    d = df[df["year"] == year]
    if d.empty:
        return t("finding.no_data", lang, year=year)
    counts = d.set_index("status")["communes"]
    recognised = int(d.loc[d["status"] != "none", "communes"].sum())
    rural = int(d["rural_communes"].iloc[0])
    prev = df[df["year"] == year - 1]
    change = anew = ""
    cset = criteria_set(d["criteria_set"].iloc[0] if "criteria_set" in d else None, year)
    if not prev.empty:
        before = int(prev[prev["status"] != "none"]["communes"].sum())
        delta = recognised - before
        key = "finding.more_communes" if delta > 0 else "finding.fewer_communes" if delta < 0 else "finding.same_communes"
        change = t(key, lang, n=fmt_number(abs(delta), lang), year=year - 1)
        if "criteria_set" in prev and prev["criteria_set"].iloc[0] != cset.key and not cset.recognition_carries_over:
            # Recognition starts anew under the set (docs/domain.md §1.9): the year before is history.
            change = ""
            anew = " " + t("finding.recognition_anew", lang, n=fmt_number(before, lang), year=year - 1,
                           label="" if cset.recognition_verified else t("finding.unconfirmed_rule", lang))
    # Each level counted with the levels above it, as targets count them ("≥ 40% advanced" includes model).
    rungs = list(cset.recognised[1:])
    above = [t("finding.level_count" if i == len(rungs) - 1 else "finding.level_or_above", lang,
               n=fmt_number(sum(counts.get(r, 0) for r in rungs[i:]), lang), level=status_label(s, lang))
             for i, s in enumerate(rungs)]
    levels = t("finding.of_which", lang, levels=", ".join(above)) if above else ""
    new_set = ""
    if not prev.empty and "criteria_set" in prev and prev["criteria_set"].iloc[0] != cset.key:
        new_set = " " + t("finding.new_criteria_set", lang, year=year, name=cset.name(lang))
    return t("finding.ntm_status", lang, year=year, recognised=fmt_number(recognised, lang), rural=fmt_number(rural, lang),
             share=fmt_percent(100 * recognised / rural if rural else None, lang, 1), change=change,
             levels=levels) + new_set + anew


def targets(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.targets_progress` (the rows on the slide): targets due in `year`, met or not, the
    one furthest from its goal, how many fall due later, and the poverty targets of the year that compare
    two poverty standards."""
    if df.empty:
        return t("finding.targets_empty", lang)
    due = df[(df["year"] == year) & df["status"].isin(["met", "not_met", "standard_break"])]
    later = int((df["year"] > year).sum())
    pending = t("finding.targets_pending", lang, n=later) if later else ""
    if due.empty:
        return t("finding.targets_none_due", lang, year=year, pending=pending) + _targets_break(df[df["year"] == year],
                                                                                            year, lang)
    missed = due[due["status"] == "not_met"].sort_values("progress_pct")
    worst = ""
    if len(missed):
        r = missed.iloc[0]
        worst = t("finding.targets_worst", lang, target=r["target"], actual=r["actual_display"], goal=r["target_display"])
    return t("finding.targets_due", lang, n=len(due), s=_plural(len(due)), year=year, met=int((due["status"] == "met").sum()),
                not_met=len(missed), worst=worst, pending=pending) + _targets_break(df[df["year"] == year], year, lang)


def _targets_break(rows: pd.DataFrame, year: int, lang: str) -> str:
    """' The 2026 poverty-reduction targets compare with 2025 under another standard …' when a target of
    the year compares two poverty standards (columns `compared_year`, `standard_before`, `standard_after`,
    from `ntm.read.poverty.target_standard_breaks`; its status is then `standard_break`, neither met nor
    missed)."""
    if "standard_before" not in rows:
        return ""
    d = rows[rows["standard_before"].notna()]
    if d.empty:
        return ""
    r = d.iloc[0]
    return t("finding.targets_break", lang, year=year, prev=int(r["compared_year"]), n=fmt_number(len(d), lang),
             s=_plural(len(d)), s2="" if len(d) != 1 else "s",
             before=standard_name(r["standard_before"], lang), after=standard_name(r["standard_after"], lang))


def movements(df: pd.DataFrame, lang: str = "vi") -> str:
    """From `series.status_flows`: communes up, down and revoked between the two years (with the names
    of the downgraded and revoked communes)."""
    if df.empty:
        return t("finding.no_data", lang, year="")
    y0, y1 = int(df["year_from"].iloc[0]), int(df["year_to"].iloc[0])
    n = df.groupby("movement")["communes"].sum()

    def names(m: str) -> str:
        found = [x for v in df.loc[df["movement"] == m, "names"] for x in str(v).split("; ") if x and x != "…"]
        return t("finding.moves_names", lang, names=_names(found, lang)) if found else ""

    text = t("finding.moves", lang, y0=y0, y1=y1, up=fmt_number(n.get("up", 0), lang), s=_plural(n.get("up", 0)),
             down=fmt_number(n.get("down", 0), lang),
             revoked=fmt_number(n.get("revoked", 0), lang), down_names=names("down"), revoked_names=names("revoked"))
    if criteria_set(None, y0).key != criteria_set(None, y1).key:    # only recognition compares across sets
        text += " " + t("finding.moves_across_sets", lang, y1=y1, name=criteria_set(None, y1).name(lang))
    if n.get("reset", 0):           # a new criteria set: not recognised again is no revocation
        text += " " + t("finding.moves_reset", lang, n=fmt_number(n["reset"], lang))
    return text


def at_risk(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.at_risk_list`: how many recognised communes are at risk, and the key criterion
    most of them fail."""
    if df.empty:
        return t("finding.at_risk_none", lang, year=year)
    keys = Counter(c.strip() for v in df["failed_key_criteria"].fillna("") for c in str(v).split(";") if c.strip())
    key = ""
    if keys:
        criterion, k = keys.most_common(1)[0]
        key = t("finding.at_risk_key", lang, k=fmt_number(k, lang), n=fmt_number(len(df), lang), criterion=criterion)
    return t("finding.at_risk", lang, n=fmt_number(len(df), lang), s=_plural(len(df)), year=year, key=key)


def criteria_departments(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.criteria_matrix`: the department owning most unmet criteria (cases and communes)
    and its most often unmet criterion."""
    missed = df[df["met"].fillna(True).astype(bool) == False]  # noqa: E712 (nullable booleans)
    if missed.empty:
        return t("finding.departments_none", lang, year=year)
    by = missed.groupby("department").agg(cells=("criterion", "size"), communes=("commune_code", "nunique"))
    by = by.sort_values(["cells", "communes"], ascending=False)
    dept = by.index[0]
    top = missed[missed["department"] == dept].groupby("criterion_name")["commune_code"].nunique()
    top = top.sort_values(ascending=False)
    cells, communes = by.iloc[0]["cells"], by.iloc[0]["communes"]
    return t("finding.departments", lang, department=dept, cells=fmt_number(cells, lang), communes=fmt_number(communes, lang),
                criterion=top.index[0], n=fmt_number(top.iloc[0], lang), s1=_plural(cells), s2=_plural(communes),
                s3=_plural(top.iloc[0]))


def poverty_waterfall(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.poverty_flows`: the year's flows and the change of the poor-household stock (for a
    year without flows, why: the baseline review under a new standard, or none reported)."""
    r = _row(df, year)
    if r is None:
        return t("finding.no_data", lang, year=year)
    if not has_flows(r):
        return _waterfall_without_flows(r, lang)
    if is_missing(r["poor_start"]):
        return t("finding.no_data", lang, year=year)
    key = "finding.waterfall_up" if r["poor_end"] > r["poor_start"] else "finding.waterfall"
    sentence = t(key, lang, year=year, escaped=fmt_number(r["escaped"], lang), fell_back=fmt_number(r["fell_back"], lang),
                    newly=fmt_number(r["newly_poor"], lang), start=fmt_number(r["poor_start"], lang), end=fmt_number(r["poor_end"], lang),
                    s=_plural(r["escaped"]))
    if not is_missing(r.get("balanced")) and not bool(r["balanced"]):
        sentence += t("finding.waterfall_gap", lang, gap=("+" if r["gap"] > 0 else "−") + fmt_number(abs(r["gap"]), lang))
    if _broken(r):
        sentence += t("finding.waterfall_break", lang, after=standard_name(r["poverty_standard"], lang),
                      before=standard_name(r["standard_start"], lang))
    return sentence


def _waterfall_without_flows(r, lang: str) -> str:
    """A year without flows: the baseline under a new standard (its count beside last year's under the
    old one), or a year whose figures report none."""
    year = int(r["year"])
    new = first_review_of(r["poverty_standard"], year, bool(r.get("standard_break", False)))
    if not new:
        return t("finding.no_flows", lang, year=year)
    if is_missing(r["poor_start"]) or is_missing(r.get("standard_start")):
        return t("finding.baseline", lang, year=year, standard=standard_name(new, lang))
    return t("finding.waterfall_baseline", lang, year=year, standard=standard_name(new, lang),
             end=fmt_number(r["poor_end"], lang), start=fmt_number(r["poor_start"], lang), prev=year - 1,
             before=standard_name(r["standard_start"], lang, flag=False))


def poverty_trend(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.poverty_rates`: the poor rate from the first year to `year` under the year's poverty
    standard, and the near-poor rate; across a change of standard, the stretch before it said apart."""
    poor = df[(df["measure"] == "poor") & (df["year"] <= year)].sort_values("year")
    last = _row(poor, year)
    near = _row(df, year, measure="near_poor")
    if last is None:
        return t("finding.no_data", lang, year=year)
    near_text = fmt_percent(near["rate_pct"] if near is not None else None, lang)
    now, before = _last_stretch(poor)
    first = now.iloc[0]
    if int(first["year"]) == year:
        text = t("finding.trend_one", lang, year=year, rate=fmt_percent(last["rate_pct"], lang), near=near_text)
    else:
        key = "finding.trend_down" if last["rate_pct"] <= first["rate_pct"] else "finding.trend_up"
        text = t(key, lang, first=fmt_percent(first["rate_pct"], lang), y0=int(first["year"]),
                 last=fmt_percent(last["rate_pct"], lang), y1=year, near=near_text)
    if before.empty:
        return text
    b0, b1 = before.iloc[0], before.iloc[-1]
    key = "finding.trend_before" if len(before) > 1 else "finding.trend_before_one"
    return text + t(key, lang, after=standard_name(last["poverty_standard"], lang), y1=int(first["year"]),
                    before=standard_name(b1["poverty_standard"], lang), first=fmt_percent(b0["rate_pct"], lang),
                    y0=int(b0["year"]), last=fmt_percent(b1["rate_pct"], lang), y_end=int(b1["year"]))


def _last_stretch(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A series' last stretch under one poverty standard, and the stretch before it (empty when none)."""
    if "poverty_standard" not in rows:
        return rows, rows.iloc[0:0]
    run = (rows["poverty_standard"] != rows["poverty_standard"].shift()).cumsum()
    last = run.iloc[-1]
    return rows[run == last], rows[run == last - 1]


def mountainous(df: pd.DataFrame, year: int, lang: str = "vi", measure: str = "poor") -> str:
    """From `series.poverty_by_terrain`: the poor rate in mountainous districts (communes, on the new units)
    against the others."""
    d = df[(df["measure"] == measure) & (df["year"] == year)].set_index("terrain")
    if d.empty:
        return t("finding.no_data", lang, year=year)
    m = d["rate_pct"].get("mountainous")
    o = d["rate_pct"].get("other")
    if m is not None and o is not None and not is_missing(m) and not is_missing(o):
        diff = float(m) - float(o)
        cmp = (t("finding.terrain_equal", lang) if abs(diff) < 0.005 else
               t("finding.terrain_higher" if diff > 0 else "finding.terrain_lower", lang, pp=fmt_pp(diff, lang, sign="")))
        return t(terrain_key(df, "finding.terrain", "finding.terrain.commune"), lang, year=year,
                 m=fmt_percent(m, lang), o=fmt_percent(o, lang), cmp=cmp)
    if m is not None and not is_missing(m):
        change = _change_phrase(d["change_pp"].get("mountainous"), year - 1, lang)
        if change and "standard_break" in d and bool(d["standard_break"].get("mountainous")):
            change = t("finding.change_break", lang, year=year - 1, before=standard_name(
                d["standard_prev"].get("mountainous"), lang),
                after=standard_name(d["poverty_standard"].get("mountainous"), lang))
        return t(terrain_key(df, "finding.terrain_only_m", "finding.terrain_only_m.commune"), lang,
                 m=fmt_percent(m, lang), year=year, change=change)
    return t(terrain_key(df, "finding.terrain_only_o", "finding.terrain_only_o.commune"), lang,
             o=fmt_percent(o, lang), year=year)


def reduction_target(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.poverty_reduction`: the year's reduction in pp against the target band
    ('… giảm 4,46 điểm % (15,32% → 10,86%), vượt mục tiêu 1–1,5 điểm %')."""
    r = _row(df, year)
    if r is None:
        return t("finding.no_data", lang, year=year)
    if is_missing(r["reduction_pp"]):
        return t("finding.reduction_no_prev", lang, prev=year - 1, year=year)
    red = float(r["reduction_pp"])
    subset = r.get("subset", "all")
    measure = t("finding.measure.poor_districts" if subset == "poor_districts" else f"finding.measure.{r.get('measure', 'poor')}", lang)
    if _broken(r):
        band = "" if is_missing(r.get("target_min")) else t("finding.reduction_break_band", lang,
                                                             band=fmt_band(r["target_min"], r.get("target_max"), lang))
        return t("finding.reduction_break", lang, year=year, measure=measure, prev=year - 1, band=band,
                 after_rate=fmt_percent(r["rate_pct"], lang), before_rate=fmt_percent(r["rate_prev_pct"], lang),
                 after=standard_name(r["poverty_standard"], lang),
                 before=standard_name(r["standard_prev"], lang))
    if is_missing(r.get("target_min")):
        verdict = t("finding.verdict_none", lang)
    else:
        lo, hi = float(r["target_min"]), r.get("target_max")
        b = fmt_band(lo, hi, lang)
        if red < lo - 1e-9:
            verdict = t("finding.verdict_not_met", lang, band=b)
        elif not is_missing(hi) and red > float(hi) + 1e-9:
            verdict = t("finding.verdict_beat", lang, band=b)
        else:
            verdict = t("finding.verdict_met", lang, band=b)
    return t("finding.reduction" if red >= 0 else "finding.reduction_rise", lang, year=year, measure=measure, pp=fmt_pp(red, lang, sign=""),
                before=fmt_percent(r["rate_prev_pct"], lang), after=fmt_percent(r["rate_pct"], lang), verdict=verdict)


def district_ranking(df: pd.DataFrame, lang: str = "vi") -> str:
    """From `series.district_ranking`: the districts that cut the poor rate most and least."""
    if df.empty:
        return t("finding.no_data", lang, year="")
    d = df.sort_values("reduction_pp", ascending=False)
    y0, y1 = int(d["year_from"].iloc[0]), int(d["year_to"].iloc[0])
    best, worst = d.iloc[0], d.iloc[-1]
    if len(d) == 1:
        return t("finding.ranking_one", lang, y0=y0, y1=y1, best=best["district_name"],
                 best_pp=fmt_pp(best["reduction_pp"], lang, sign="")) + _across(d, lang)
    rise = worst["reduction_pp"] < 0
    return t("finding.ranking", lang, y0=y0, y1=y1, best=best["district_name"], best_pp=fmt_pp(best["reduction_pp"], lang, sign=""),
                worst=worst["district_name"], worst_verb=t("finding.ranking_rise" if rise else "finding.ranking_least", lang),
                worst_pp=fmt_pp(worst["reduction_pp"], lang, sign=""), down=fmt_number(int((d["reduction_pp"] > 0).sum()), lang),
                n=fmt_number(len(d), lang)) + _across(d, lang)


def fallback(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.fallback_share`: households that fell back as a share of those that escaped (none in
    the baseline review under a new standard: said so)."""
    r = _row(df, year)
    if r is None:
        new = first_review_of(poverty_standard_for_year(year), year)    # a baseline year reports no flows
        if new and len(df):
            return t("finding.baseline", lang, year=year, standard=standard_name(new, lang))
        return t("finding.no_data", lang, year=year)
    if is_missing(r["fallback_share_pct"]):
        return t("finding.fallback_none", lang, year=year, fell_back=fmt_number(r["fell_back"], lang))
    p = _row(df, year - 1)
    prev = ""
    if p is not None and not is_missing(p["fallback_share_pct"]):
        prev = t("finding.fallback_prev", lang, year=year - 1, share=fmt_percent(p["fallback_share_pct"], lang))
    text = t("finding.fallback", lang, year=year, fell_back=fmt_number(r["fell_back"], lang), s=_plural(r["fell_back"]),
             share=fmt_percent(r["fallback_share_pct"], lang), escaped=fmt_number(r["escaped"], lang), prev=prev)
    return text + (_across(df[df["year"].isin([year - 1, year])], lang) if _broken(r) and p is not None else "")


def map_extremes(table: pd.DataFrame, metric_label: str, year: int, lang: str = "vi") -> str:
    """From `MapView.table` (name, value, value_text): the units with the highest and lowest value."""
    d = table.dropna(subset=["value"]).sort_values("value", ascending=False) if len(table) else table
    if d is None or d.empty:
        return t("finding.no_data", lang, year=year)
    top, low = d.iloc[0], d.iloc[-1]
    if len(d) == 1:
        return t("finding.map_one", lang, metric=metric_label, year=year, top=top["name"], top_v=top["value_text"])
    return t("finding.map", lang, metric=metric_label, year=year, top=top["name"], top_v=top["value_text"],
                low=low["name"], low_v=low["value_text"])

