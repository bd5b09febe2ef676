"""Poverty charts: the year's flows from last year's poor to this year's (waterfall), rates over the
years, mountainous vs other districts, ethnic-minority poverty, the reduction against the target band,
districts (on the new units: communes, or provinces) ranked by reduction and fall-back relative to escapes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ntm.present import findings
from ntm.present.charts.frame import (BREAK_COLOR, FLOW_COLORS, MEASURE_COLORS, STATE_COLORS, TERRAIN_COLORS, ChartContext,
                                      esc, finish, hover_text, legend_swatch, mark_line, mark_standard_breaks, message_figure,
                                      no_data_figure, positions_axis, rgba, year_axis)
from ntm.present.charts.registry import chart
from ntm.present.labels import (group_name, ranking_level, ranking_title, ranking_units, standard_name, terrain_key,
                                terrain_of)
from ntm.text import fmt_band, fmt_number, fmt_percent, fmt_pp, fmt_signed, t


def _waterfall_tone(df: pd.DataFrame, year: int) -> str:
    """Good when the year ends with fewer poor households than it started with; neutral across a change of
    poverty standard or without flows (nothing to judge)."""
    row = df[(df["year"] == year) & df["poor_start"].notna()]
    if row.empty or bool(row["standard_break"].iloc[0]) or not findings.has_flows(row.iloc[0]):
        return "neutral"
    return "good" if row["poor_end"].iloc[0] < row["poor_start"].iloc[0] else "bad"


def _reduction_tone(df: pd.DataFrame, year: int) -> str:
    """Good when the year's reduction met its target, bad when it did not."""
    row = df[df["year"] == year]
    return {"met": "good", "not_met": "bad"}.get(row["status"].iloc[0] if len(row) else "no_data", "neutral")


@chart("poverty_waterfall", series="poverty_flows", unit="chart.unit.households", title="chart.title.waterfall",
       finding=findings.poverty_waterfall, tone=_waterfall_tone, years=lambda df, year: (year,),
       options=lambda year: {"year": year})
def poverty_waterfall(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", year: int | None = None) -> go.Figure:
    """Start-of-year poor → −escaped → +fell back → +newly poor → ±unexplained gap → end-of-year poor,
    each flow its own colour; a year without flows (the baseline review under a new standard) shows only
    its start and end, each under its standard. Frame: series.poverty_flows (the year `year`, default the
    newest with a start)."""
    rows = df.dropna(subset=["poor_start"])
    rows = rows[rows["year"] == year] if year is not None else rows.sort_values("year").tail(1)
    if rows.empty:
        return no_data_figure(ctx, lang, t("chart.title.waterfall", lang))
    r = rows.iloc[0]
    year = int(r["year"])
    near = r.get("near_to_poor")
    near = None if near is None or pd.isna(near) else float(near)      # a bar only where files report it
    flows = findings.has_flows(r)
    after_new = r["poor_start"] - r["escaped"] + r["fell_back"] + r["newly_poor"]
    steps = [("start", 0.0, r["poor_start"]), ("escaped", r["poor_start"], -r["escaped"]),
             ("fell_back", r["poor_start"] - r["escaped"], r["fell_back"]),
             ("newly_poor", r["poor_start"] - r["escaped"] + r["fell_back"], r["newly_poor"]),
             *([("near_to_poor", after_new, near)] if near is not None else []),
             ("gap", r["expected_end"], r["gap"]), ("end", 0.0, r["poor_end"])]
    if not flows:                       # a baseline (or a file without flows): the two stocks, nothing between
        steps = [steps[0], steps[-1]]
    names = {"start": t("chart.flow.start", lang), "end": t("chart.flow.end", lang), "gap": t("chart.flow.gap", lang),
             "escaped": t("escaped", lang), "fell_back": t("fell_back", lang), "newly_poor": t("newly_poor", lang),
             "near_to_poor": t("chart.flow.near_to_poor", lang)}
    ticks = {k: esc(v) for k, v in names.items()}
    broken = bool(r.get("standard_break", False))
    if broken:                          # the year's review is the first under a new standard: say which is which
        _name_standards(names, ticks, r, lang)
    fig = go.Figure()
    for key, base, value in steps:
        color = FLOW_COLORS["stock" if key in ("start", "end") else key]
        text = fmt_number(value, lang) if key in ("start", "end") else fmt_signed(value, lang)
        fig.add_bar(x=[ticks[key]], y=[value], base=[base], name=names[key], marker_color=color,
                    text=[text], textposition="outside", cliponaxis=False, showlegend=key not in ("start", "end"),
                    hovertext=[_flow_hover(key, names[key], value, r, lang)], hoverinfo="text")
    # the dotted connectors: the running total after each step
    levels = [base + value for key, base, value in steps[:-1] if key != "gap"] + [r["poor_end"]]
    for i, level in enumerate(levels if flows else []):
        fig.add_shape(type="line", x0=i + 0.4, x1=i + 0.6, y0=level, y1=level, xref="x", yref="y",
                      line=dict(color="#888888", width=1, dash="dot"))
    fig.update_xaxes(categoryorder="array", categoryarray=[ticks[k] for k, _, _ in steps])
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    fig.update_layout(bargap=0.35 if flows else 0.6)
    if broken:
        fig.update_yaxes(range=[0, 1.3 * max(levels + [r["poor_start"]])])      # room for the label above the bars
        mark_line(fig, 0.5, t("chart.standard_break", lang, name=standard_name(r["poverty_standard"], lang)).split(" ["),
                  BREAK_COLOR)
    unit = t("chart.unit.households", lang)
    if not flows:
        unit += " · " + t("chart.flow.baseline" if broken else "chart.flow.none", lang)
    return finish(fig, ctx, lang, t("chart.title.waterfall", lang), unit,
                   t("chart.axis.flow", lang, year=year), t("chart.axis.households", lang), years_label=str(year))

def _name_standards(names: dict, ticks: dict, r, lang: str) -> None:
    """The start and end of a year whose review is the first under a new poverty standard, each with the
    standard it was counted under (on the axis, on a second line)."""
    for key, std in (("start", r["standard_start"]), ("end", r["poverty_standard"])):
        under = t("chart.flow.under", lang, name=standard_name(std, lang, flag=False))
        ticks[key] = f"{esc(names[key])}<br>{esc(under)}"
        names[key] = f"{names[key]} {under}"


def _flow_hover(key: str, name: str, value: float, r, lang: str) -> str:
    unit = t("chart.households_unit", lang)
    if key == "start":
        return hover_text(f"{name} {r['year']}", f"{fmt_number(value, lang)} {unit}", fmt_percent(r["poor_rate_start_pct"], lang))
    if key == "end":
        return hover_text(f"{name} {r['year']}", f"{fmt_number(value, lang)} {unit}", fmt_percent(r["poor_rate_end_pct"], lang))
    if key == "gap":
        tol = t("chart.flow.tolerance", lang, tol=fmt_number(r["gap_tolerance"], lang))
        return hover_text(name, f"{fmt_signed(value, lang)} {unit}", tol)
    return hover_text(name, f"{fmt_signed(value, lang)} {unit}")

@chart("poverty_trend", rates=True, series="poverty_rates", unit="chart.unit.rate", title="chart.title.rate_trend",
       finding=findings.poverty_trend)
def poverty_rate_trend(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Poor, near-poor and poor + near-poor rates per year (near-poor kept as its own series).
    Frame: series.poverty_rates."""
    fig = go.Figure()
    above = _label_sides(df, "measure", "poor", "near_poor")
    for measure in ("poor", "near_poor", "poor_and_near_poor"):
        d = df[df["measure"] == measure].sort_values("year")
        _rate_line(fig, d, t(measure, lang), MEASURE_COLORS[measure], lang,
                   dash="dash" if measure == "poor_and_near_poor" else "solid",
                   text_position=above.get(measure, "top center"))
    _mark_standards(fig, df, lang)
    year_axis(fig, df["year"])
    fig.update_yaxes(**{"rangemode": "tozero", "ticksuffix": "%", **_rate_range(fig)})
    return finish(fig, ctx, lang, t("chart.title.rate_trend", lang), t("chart.unit.rate", lang),
                   t("chart.axis.year", lang), t("chart.axis.rate", lang))

def _label_sides(df: pd.DataFrame, column: str, a: str, b: str) -> dict[str, list[str]]:
    """Per-year label positions for two crossing lines: the higher point's label above, the lower's below."""
    wide = df[df[column].isin([a, b])].pivot_table(index="year", columns=column, values="rate_pct").sort_index()
    if a not in wide or b not in wide:
        return {}
    a_high = (wide[a] >= wide[b]).tolist()
    return {a: ["top center" if h else "bottom center" for h in a_high],
            b: ["bottom center" if h else "top center" for h in a_high]}

def _rate_line(fig: go.Figure, d: pd.DataFrame, name: str, color: str, lang: str, dash: str = "solid",
               text_position: str | list[str] = "top center") -> None:
    """One rate series (rows of series.poverty_rates / poverty_by_terrain) with labelled points; the
    hover shows numerator / denominator and the change on the year before."""
    hover = [hover_text(f"{r.year} · {name}: {fmt_percent(r.rate_pct, lang)}",
                    f"{fmt_number(r.households_in_class, lang)} / {fmt_number(r.households, lang)} {t('chart.households_unit', lang)}",
                    _change_text(r, lang), _standard_text(r, lang)) for r in d.itertuples()]
    at = _breaks_at(d)
    positions = text_position if isinstance(text_position, str) else _gapped(list(text_position), at, "top center")
    fig.add_scatter(x=_gapped(list(d["year"]), at, None, half=True), y=_gapped(list(d["rate_pct"]), at, None),
                    name=esc(name), mode="lines+markers+text", line=dict(color=color, width=3, dash=dash),
                    marker=dict(size=9), text=_gapped([fmt_percent(v, lang) for v in d["rate_pct"]], at, ""),
                    textposition=positions, textfont=dict(color=color), hovertext=_gapped(hover, at, ""),
                    hoverinfo="text", cliponaxis=False)


LABEL_ROOM = 0.09        # of a rate chart's height: a point label's line, with its gap to the point


def _rate_range(fig: go.Figure) -> dict:
    """The y range of a rate chart whose labels stay off the year ticks: when a label hangs under a point
    close to zero it would sit on the year below, so the axis starts a label's height under zero (no
    tick is drawn there) and ends a label's height above the highest point. {} when auto range fits."""
    top, below = 0.0, []
    for tr in fig.data:
        if not tr.mode or "text" not in tr.mode or not tr.y:
            continue
        sides = tr.textposition if isinstance(tr.textposition, (list, tuple)) else [tr.textposition] * len(tr.y)
        top = max([top] + [y for y in tr.y if y is not None])
        below += [y for y, side in zip(tr.y, sides) if y is not None and str(side).startswith("bottom")]
    if top <= 0 or not below:
        return {}
    span = top / (1 - 2 * LABEL_ROOM)
    if min(below) > 2 * LABEL_ROOM * span:
        return {}
    return {"range": [-LABEL_ROOM * span, top + LABEL_ROOM * span], "rangemode": "normal"}


def _breaks_at(d: pd.DataFrame) -> set[int]:
    """Positions (in `d`'s order) of the points that follow another poverty standard than the one before."""
    return {i for i, b in enumerate(d["standard_break"].fillna(False)) if b} if "standard_break" in d else set()


def _gapped(values: list, at: set[int], filler, half: bool = False) -> list:
    """`values` with `filler` (with `half`: halfway from the value before) before each position in `at`: a
    gap, so a line does not join points under two poverty standards."""
    out = []
    for i, v in enumerate(values):
        if i in at:
            out.append((values[i - 1] + v) / 2 if half and i else filler)
        out.append(v)
    return out

@chart("mountainous", rates=True, series="poverty_by_terrain", unit="chart.unit.rate", title="chart.title.terrain_plain",
       finding=findings.mountainous)
def mountainous_vs_other(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", measure: str = "poor") -> go.Figure:
    """A rate per year for communes in mountainous districts (on the new units: mountainous communes) vs the
    others; a scope with only one kind says so instead of drawing a lone line. Frame: series.poverty_by_terrain."""
    kinds = set(df.loc[df["measure"] == measure, "terrain"])
    title = t(terrain_key(df, "chart.title.terrain", "chart.title.terrain.commune"), lang,
              measure=t(f"measure.{measure}", lang))
    if len(kinds) == 1:
        kind = kinds.pop()
        return message_figure(ctx, lang, title, t(terrain_key(df, f"chart.one_terrain.{kind}",
                                                              f"chart.one_terrain.{kind}.commune"), lang, name=ctx.scope_name))
    fig = go.Figure()
    above = _label_sides(df[df["measure"] == measure], "terrain", "mountainous", "other")
    for terrain in ("mountainous", "other"):
        d = df[(df["measure"] == measure) & (df["terrain"] == terrain)].sort_values("year")
        if len(d):
            _rate_line(fig, d, t(f"terrain.{'commune.' if terrain_of(df) == 'commune' else ''}{terrain}", lang),
                       TERRAIN_COLORS[terrain], lang,
                       dash="solid" if terrain == "mountainous" else "dash",
                       text_position=above.get(terrain, "top center"))
    _mark_standards(fig, df[df["measure"] == measure], lang)
    year_axis(fig, df["year"])
    fig.update_yaxes(**{"rangemode": "tozero", "ticksuffix": "%", **_rate_range(fig)})
    return finish(fig, ctx, lang, title, t("chart.unit.rate", lang), t("chart.axis.year", lang), t("chart.axis.rate", lang))

@chart("em_poor", rates=True, series="ethnic_minority_poverty", unit="chart.unit.em", title="chart.title.em")
def ethnic_minority_poor(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Two panels: ethnic-minority poor households (bars) and their rate among EM households (line).
    Frame: series.ethnic_minority_poverty."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1)
    hover = [hover_text(f"{r.year} · {t('em_poor', lang)}: {fmt_number(r.em_poor, lang)} {t('chart.households_unit', lang)}",
                    t("chart.em_share", lang, share=fmt_percent(r.em_share_of_poor_pct, lang, 1)),
                    f"{fmt_percent(r.em_poor_rate_pct, lang)} = {fmt_number(r.em_poor, lang)} / {fmt_number(r.em_households, lang)}",
                    _change_text(r, lang), _standard_text(r, lang)) for r in df.itertuples()]
    fig.add_bar(x=df["year"], y=df["em_poor"], name=t("em_poor", lang), marker_color=rgba(MEASURE_COLORS["poor"], 0.45),
                text=[fmt_number(v, lang) for v in df["em_poor"]], textposition="outside", cliponaxis=False,
                hovertext=hover, hoverinfo="text", row=1, col=1)
    at = _breaks_at(df)
    fig.add_scatter(x=_gapped(list(df["year"]), at, None, half=True), y=_gapped(list(df["em_poor_rate_pct"]), at, None),
                    name=t("chart.axis.em_rate", lang), mode="lines+markers+text", line=dict(color=MEASURE_COLORS["poor"], width=3),
                    text=_gapped([fmt_percent(v, lang) for v in df["em_poor_rate_pct"]], at, ""), textposition="top center",
                    hovertext=_gapped(hover, at, ""), hoverinfo="text", cliponaxis=False, row=1, col=2)
    _mark_standards(fig, df, lang)
    year_axis(fig, df["year"])
    fig.update_yaxes(title_text=esc(t("chart.axis.em_households", lang)), rangemode="tozero", tickformat=",d", row=1, col=1)
    fig.update_yaxes(title_text=esc(t("chart.axis.em_rate", lang)), rangemode="tozero", ticksuffix="%", row=1, col=2)
    return finish(fig, ctx, lang, t("chart.title.em", lang), t("chart.unit.em", lang), t("chart.axis.year", lang))

@chart("reduction_target", rates=True, series="poverty_reduction", unit="chart.unit.pp", title="chart.title.reduction",
       needs="reduction_pp", finding=findings.reduction_target, tone=_reduction_tone,
       years=lambda df, year: df.dropna(subset=["reduction_pp"])["year"].unique())
def reduction_vs_target(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Bars per year: the reduction of the poor rate (pp, positive = down), green when it reaches the
    target band's minimum, with the band shaded behind. Frame: series.poverty_reduction."""
    d = df.dropna(subset=["reduction_pp"]).sort_values("year")
    fig = go.Figure()
    for status in ("met", "not_met", "no_target", "standard_break"):
        s = d[d["status"] == status]
        if s.empty:
            continue
        broken = status == "standard_break"         # a change across two standards: hatched, not judged
        fig.add_bar(x=s["year"], y=s["reduction_pp"], name=t(f"state.{status}", lang), width=0.5,
                    marker=dict(color=rgba(BREAK_COLOR, 0.25) if broken else STATE_COLORS[status],
                                pattern=dict(shape="/", fgcolor=BREAK_COLOR) if broken else None,
                                line=dict(color=BREAK_COLOR, width=1.5) if broken else None),
                    text=[fmt_pp(v, lang, sign="-") for v in s["reduction_pp"]],
                    textposition="outside", cliponaxis=False,
                    hovertext=[_reduction_hover(r, lang) for r in s.itertuples()], hoverinfo="text")
    _mark_standards(fig, df, lang)
    for r in d.dropna(subset=["target_min"]).itertuples():
        hi = r.target_max if not pd.isna(r.target_max) else r.target_min
        fig.add_shape(type="rect", x0=r.year - 0.42, x1=r.year + 0.42, y0=r.target_min, y1=hi, layer="below",
                      fillcolor="rgba(0, 114, 178, 0.18)", line=dict(color="#0072B2", width=2, dash="dot"))
    if d["target_min"].notna().any():
        legend_swatch(fig, f"{t('chart.target_band', lang)} ({_band(d, lang)})", "rgba(0, 114, 178, 0.35)")
    fig.add_hline(y=0, line=dict(color="#444444", width=1))
    top = np.nanmax(np.r_[d["reduction_pp"].to_numpy(float), d["target_max"].to_numpy(float),
                          d["target_min"].to_numpy(float), 0.1])
    low = min(0.0, float(np.nanmin(np.r_[d["reduction_pp"].to_numpy(float), 0.0])))
    fig.update_yaxes(range=[low * 1.2, top * 1.15])
    year_axis(fig, d["year"] if len(d) else df["year"])
    return finish(fig, ctx, lang, t(_reduction_title(df), lang), t("chart.unit.pp", lang), t("chart.axis.year", lang),
                   t("chart.axis.pp", lang))

def _reduction_title(df: pd.DataFrame) -> str:
    first = df.iloc[0] if len(df) else {}
    if first.get("measure") == "em_poor":
        return "chart.title.reduction_em"
    return "chart.title.reduction_pd" if first.get("subset") == "poor_districts" else "chart.title.reduction"

def _band(d: pd.DataFrame, lang: str) -> str:
    bands = {(r.target_min, None if pd.isna(r.target_max) else r.target_max)
             for r in d.dropna(subset=["target_min"]).itertuples()}
    lo, hi = sorted(bands, key=lambda b: b[0])[0]
    text = fmt_band(lo, hi, lang)
    return text if len(bands) == 1 else text + " …"

def _reduction_hover(r, lang: str) -> str:
    band = ""
    if not pd.isna(r.target_min):
        scope = group_name(r.target_scope_level, r.target_scope, lang)
        band = f"{t('chart.target', lang)}: {fmt_band(r.target_min, r.target_max, lang)} ({scope}; {r.target_source})"
    return hover_text(f"{r.year}: {fmt_pp(r.reduction_pp, lang)}",
                  f"{fmt_percent(r.rate_prev_pct, lang)} → {fmt_percent(r.rate_pct, lang)} "
                  f"({fmt_number(r.numerator, lang)} / {fmt_number(r.denominator, lang)})",
                  band, t(f"state.{r.status}", lang), _standard_text(r, lang))

@chart("district_ranking", rates=True, series="district_ranking", unit="chart.unit.ranking_pp", title="chart.title.ranking",
       span="since_first", finding=lambda df, year, lang: findings.district_ranking(df, lang),
       years=lambda df, year: (int(df["year_from"].iloc[0]) if len(df) else year, year))
def district_ranking(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", by: str = "reduction",
                     ends: int = 15, max_all: int = 60) -> go.Figure:
    """Districts as horizontal bars, best first: by poor-rate reduction (pp) or, with by='rank_change',
    by the steps gained in the poor-rate ranking (`_ranking_bars`). Frame: series.district_ranking."""
    return _ranking_bars(df, ctx, lang, "district", by, ends, max_all)


def ranking_finding(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """From `series.unit_ranking`: the units that cut the poor rate most and least, and how many did."""
    if df.empty:
        return t("finding.no_data", lang, year="")
    d = df.sort_values("reduction_pp", ascending=False)
    y0, y1 = int(d["year_from"].iloc[0]), int(d["year_to"].iloc[0])
    best, worst = d.iloc[0], d.iloc[-1]
    across = findings._across(d, lang)
    if len(d) == 1:
        return t("finding.ranking_one", lang, y0=y0, y1=y1, best=best["unit_name"],
                 best_pp=fmt_pp(best["reduction_pp"], lang, sign="")) + across
    verb = t("finding.ranking_rise" if worst["reduction_pp"] < 0 else "finding.ranking_least", lang)
    return t("chart.ranking_finding", lang, y0=y0, y1=y1, best=best["unit_name"], worst=worst["unit_name"],
             best_pp=fmt_pp(best["reduction_pp"], lang, sign=""), worst_verb=verb,
             worst_pp=fmt_pp(worst["reduction_pp"], lang, sign=""), down=fmt_number(int((d["reduction_pp"] > 0).sum()), lang),
             n=fmt_number(len(d), lang), units=ranking_units(ranking_level(d), lang)) + across


@chart("unit_ranking", rates=True, series="unit_ranking", unit="chart.unit.pp", title="chart.title.ranking_commune",
       span="since_first", finding=ranking_finding,
       years=lambda df, year: (int(df["year_from"].iloc[0]) if len(df) else year, year))
def unit_ranking(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", ends: int = 15,
                 max_all: int = 60) -> go.Figure:
    """On the new units: communes (provinces at national scope) as horizontal bars by poor-rate reduction
    (pp), best first, coloured mountainous or not for communes (`_ranking_bars`). Frame: series.unit_ranking."""
    return _ranking_bars(df, ctx, lang, ranking_level(df), "reduction", ends, max_all)


# The ranking each geography's pages and pack show: districts on the old units, communes (provinces
# nationally) on the new ones, where districts are history.
RANKING_CHARTS = {"old": "district_ranking", "new": "unit_ranking"}


def _ranking_bars(df: pd.DataFrame, ctx: ChartContext, lang: str, level: str, by: str, ends: int,
                  max_all: int) -> go.Figure:
    """Units of `level` as horizontal bars, best first. Colour = mountainous or not (districts, communes);
    * = poor district. With more than `max_all` units only the `ends` best and worst are drawn (the full
    list belongs in a table); the axis leaves room for every bar's label."""
    value = "reduction_pp" if by == "reduction" else "rank_change"
    d = df.rename(columns={f"{'district' if level == 'district' else 'unit'}_name": "name"})
    d = d.sort_values([value, "reduction_pp"], ascending=False).reset_index(drop=True)
    title = ranking_title(level, lang) if by == "reduction" else t("chart.title.rank_change", lang)
    if len(d) == 1:                      # nothing to rank: say so, with the one unit's change
        r = d.iloc[0]
        words = dict(name=r["name"], a=fmt_percent(r["rate_from_pct"], lang), b=fmt_percent(r["rate_to_pct"], lang),
                     pp=fmt_pp(r["reduction_pp"], lang, sign="-"))
        return message_figure(ctx, lang, title, t("chart.one_district", lang, **words) if level == "district" else
                              t("chart.one_unit", lang, unit=t(f"chart.unit_word.{level}", lang), **words))
    shown_of = None
    if len(d) > max_all:
        shown_of = len(d)
        d = pd.concat([d.head(ends), d.tail(ends)]).reset_index(drop=True)
    y0, y1 = (int(d["year_from"].iloc[0]), int(d["year_to"].iloc[0])) if len(d) else (None, None)
    poor = d["is_poor_district"].fillna(False).astype(bool) if "is_poor_district" in d else pd.Series(False, d.index)
    fig = go.Figure()
    texts = [fmt_pp(v, lang, sign="-") if by == "reduction" else t("chart.steps", lang, n=fmt_signed(int(v), lang))
             for v in d[value]]
    for terrain, rows in _by_terrain(d, level):
        s = d.loc[rows]
        hover = [hover_text(r.name, f"{fmt_percent(r.rate_from_pct, lang)} → {fmt_percent(r.rate_to_pct, lang)} "
                                    f"({t('chart.reduction', lang)}: {fmt_pp(r.reduction_pp, lang, sign='-')})",
                            t("chart.rank", lang, a=r.rank_from, b=r.rank_to)) for r in s.itertuples()]
        fig.add_bar(y=list(s.index), x=s[value], orientation="h", marker_color=TERRAIN_COLORS[terrain or "other"],
                    name=t(f"terrain.{'commune.' if level == 'commune' else ''}{terrain}", lang) if terrain else "",
                    showlegend=terrain is not None, text=[texts[i] for i in rows], textposition="outside",
                    cliponaxis=False, hovertext=hover, hoverinfo="text")
    names = [f"{n}{' *' if p else ''}" for n, p in zip(d["name"], poor)]
    positions_axis(fig, names, "y", autorange="reversed", ticks="outside", ticklen=8, tickcolor="rgba(0,0,0,0)")
    fig.update_xaxes(zeroline=True, zerolinecolor="#444444", range=_label_room(d[value], texts))
    unit = t("chart.unit.pp" if level != "district" else "chart.unit.ranking_pp" if by == "reduction"
             else "chart.unit.rank", lang)
    if shown_of:
        unit += " · " + t("chart.ranking_ends", lang, n=ends, total=shown_of, units=ranking_units(level, lang))
    unit += "".join(" · " + note for note in findings.break_notes(d, lang))
    return finish(fig, ctx, lang, title, unit,
                  t("chart.axis.pp" if by == "reduction" else "chart.axis.rank_change", lang), t(f"chart.axis.{level}", lang),
                  years_label=f"{y0}–{y1}" if y0 else None, height=max(560, 34 * len(d) + 300))


def _by_terrain(d: pd.DataFrame, level: str) -> list[tuple[str | None, list[int]]]:
    """The rows of a ranking drawn together: mountainous and other units (None: provinces, one colour)."""
    if level == "province":
        return [(None, list(d.index))]
    flags = d["is_mountainous"].fillna(False).astype(bool)
    return [(terrain, list(d.index[flags == flag])) for terrain, flag in (("mountainous", True), ("other", False))
            if (flags == flag).any()]


LABEL_CHAR_SHARE = 0.016        # of a ranking's plot width per character of a bar label (~560 px plots)


def _label_room(values: pd.Series, texts: list[str]) -> list[float]:
    """An axis range with room beyond the longest bars for their labels ('30,84 điểm %' is never cut):
    each side gets the share of the plot its longest label needs."""
    lo, hi = min(0.0, float(values.min())), max(0.0, float(values.max()))
    longest = max((len(x) for x in texts), default=0) * LABEL_CHAR_SHARE
    right, left = (longest if hi > 0 else 0.0), (longest if lo < 0 else 0.0)
    span = (hi - lo) or 1.0
    total = span / max(1 - right - left, 0.3)
    return [lo - left * total, hi + right * total]


@chart("fallback", rates=True, series="fallback_share", unit="chart.unit.fallback", title="chart.title.fallback",
       finding=findings.fallback)
def fallback_share(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Households that fell back into poverty per 100 that escaped, per year. Frame: series.fallback_share."""
    hover = [hover_text(f"{r.year}: {fmt_percent(r.fallback_share_pct, lang)}",
                    f"{t('fell_back', lang)}: {fmt_number(r.fell_back, lang)} / {t('escaped', lang)}: {fmt_number(r.escaped, lang)}",
                    f"{t('newly_poor', lang)}: {fmt_number(r.newly_poor, lang)}", _standard_text(r, lang))
             for r in df.itertuples()]
    fig = go.Figure(go.Bar(x=df["year"], y=df["fallback_share_pct"], name=t("fell_back", lang), width=0.55,
                           marker_color=FLOW_COLORS["fell_back"], text=[fmt_percent(v, lang) for v in df["fallback_share_pct"]],
                           textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text"))
    broken = bool(_mark_standards(fig, df, lang))
    year_axis(fig, df["year"])
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    return finish(fig, ctx, lang, t("chart.title.fallback", lang), t("chart.unit.fallback", lang),
                   t("chart.axis.year", lang), t("chart.axis.fallback", lang), legend=broken)


def _mark_standards(fig: go.Figure, df: pd.DataFrame, lang: str) -> list:
    """The poverty-standard breaks of a series frame marked on its chart (none for a frame that does not
    name its standards)."""
    if "poverty_standard" not in df or df.empty:
        return []
    return mark_standard_breaks(fig, df["year"], df["poverty_standard"], lang)


def _standard_text(r, lang: str) -> str:
    """A point's hover line naming the poverty standard its figures follow."""
    value = getattr(r, "poverty_standard", None)
    return t("standards.point", lang, name=standard_name(value, lang)) if isinstance(value, str) else ""


def _change_text(r, lang: str) -> str:
    """A point's change on the year before, said as across a new standard where it is."""
    if pd.isna(r.change_pp):
        return ""
    broken = bool(getattr(r, "standard_break", False))
    return fmt_pp(r.change_pp, lang) + (f" ({t('standards.change_break', lang)})" if broken else "")

