"""A commune's charts: its NTM status and criteria met per year (against each year's criteria set), its
scorecard of the criteria of one set, and its poverty rates next to its district and its peers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ntm.domain.criteria import criteria_set
from ntm.domain.rules import STATUS_LADDER
from ntm.present.charts.frame import (CELL, SERIES_STYLE, STATUS_COLORS, ChartContext, esc, finish, hover_text,
                                      label_margin, legend_swatch, mark_new_criteria_sets, positions_axis, text_on, wrap_label,
                                      year_axis)
from ntm.present.charts.registry import chart
from ntm.text import fmt_number, fmt_percent, status_label, t


@chart("status_history", series="commune_status_history", unit="chart.unit.criteria_of_set", title="chart.title.history",
       needs="ntm_status")
def commune_status_history(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Criteria met per year against that year's criteria set (19 to 2025, 10 from 2026: a dotted line at
    the full set), bars coloured by the year's status, with revocations, downgrades and at-risk years
    written above the bars and the change of criteria set marked. Frame: series.commune_status_history."""
    d = df.dropna(subset=["ntm_status"])
    fig = go.Figure()
    for status in STATUS_LADDER:
        s = d[d["ntm_status"] == status]
        if s.empty:
            continue
        hover = [hover_text(f"{r.year} · {status_label(status, lang)}", f"{fmt_number(r.criteria_met, lang)}/{r.n_criteria}",
                        t("chart.at_risk_mark", lang) if r.at_risk else "") for r in s.itertuples()]
        fig.add_bar(x=s["year"], y=s["criteria_met"], name=status_label(status, lang), width=0.6,
                    marker_color=STATUS_COLORS[status],
                    text=[f"{fmt_number(v, lang)}/{n}" for v, n in zip(s["criteria_met"], s["n_criteria"])],
                    textposition="inside", insidetextfont=dict(color=text_on(status)),
                    hovertext=hover, hoverinfo="text", legendrank=STATUS_LADDER.index(status))
    notes = [(r.year, r.criteria_met, "; ".join(x for x in (
        t(f"move.{r.movement}", lang) if r.movement in ("up", "down", "revoked") else "",
        t("chart.at_risk_mark", lang) if r.at_risk else "") if x)) for r in d.itertuples()]
    for year, y, note in notes:
        if note:
            fig.add_annotation(x=year, y=y, text=esc(note), yshift=14, yanchor="bottom", showarrow=False,
                               font=dict(size=12, color="#D55E00"))
    for key, years in d.groupby("criteria_set")["year"]:
        n = criteria_set(key).n_criteria
        fig.add_shape(type="line", x0=years.min() - 0.45, x1=years.max() + 0.45, y0=n, y1=n,
                      line=dict(color="#444444", width=1, dash="dot"))
    mark_new_criteria_sets(fig, d["year"], d["criteria_set"], lang)
    year_axis(fig, d["year"])
    fig.update_yaxes(range=[0, int(d["n_criteria"].max() if len(d) else 19) + 3])
    return finish(fig, ctx, lang, t("chart.title.history", lang), t("chart.unit.criteria_of_set", lang),
                   t("chart.axis.year", lang), t("chart.axis.criteria", lang))


SCORECARD_WRAP = 30         # characters a line of a criterion's name on the scorecard


def _scorecard_years(df: pd.DataFrame, year: int) -> list[int]:
    """The years of the criteria set the reporting year is assessed against (a scorecard compares one set)."""
    own = df.loc[df["year"] == year, "criteria_set"]
    key = own.iloc[0] if len(own) else criteria_set(None, year).key
    return sorted(int(y) for y in df.loc[df["criteria_set"] == key, "year"].unique())


@chart("scorecard", series="commune_scorecard", unit="chart.unit.criteria", title="chart.title.scorecard",
       years=_scorecard_years, options=lambda year: {"year": year})
def commune_scorecard(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", year: int | None = None) -> go.Figure:
    """Criteria (rows) × years of one criteria set — the reporting year's (19 criteria to 2025, the 10 of
    QĐ 51/2025 from 2026): met ✓ / not met ✗ / lost ↓ (met the year before, not now).
    Frame: series.commune_scorecard."""
    df = df[df["year"].isin(_scorecard_years(df, year or int(df["year"].max())))]
    states = list(CELL)
    crit = df.drop_duplicates("criterion").sort_values("number")
    years = sorted(df["year"].unique())
    grid = df.pivot(index="criterion", columns="year", values="state").reindex(index=crit["criterion"], columns=years)
    code = grid.apply(lambda col: col.map(lambda s: states.index(s) if s in states else states.index("no_data")))
    z = code.to_numpy(dtype=float)
    n = len(states)
    scale = [[v, CELL[s][0]] for i, s in enumerate(states) for v in (i / n, (i + 1) / n)]
    names = [f"{x}{' ★' if k else ''}" for x, k in zip(crit["criterion_name"], crit["is_key"])]
    hover = [[hover_text(f"{name} · {y}", t(f"state.{states[int(v)]}", lang), dept) for y, v in zip(years, row)]
             for name, dept, row in zip(crit["criterion_name"], crit["department"], z)]
    fig = go.Figure(go.Heatmap(z=z + 0.5, x=[str(y) for y in years], y=list(range(len(crit))), zmin=0, zmax=n,
                               colorscale=scale, showscale=False, xgap=2, ygap=2,
                               text=[[CELL[states[int(v)]][1] for v in row] for row in z], texttemplate="%{text}",
                               textfont=dict(size=14), hovertext=hover, hoverinfo="text"))
    for s in states[:-1]:
        legend_swatch(fig, f"{CELL[s][1]} {t('state.' + s, lang)}", CELL[s][0])
    positions_axis(fig, names, "y", wrap=SCORECARD_WRAP, autorange="reversed")      # whole names, on two lines
    fig.update_xaxes(type="category")
    return finish(fig, ctx, lang, t("chart.title.scorecard", lang), t("chart.unit.criteria", lang) + " · ★ " +
                   t("chart.key_criterion", lang), t("chart.axis.year", lang),
                   t("chart.axis.criterion", lang), height=860,
                   margin=dict(l=label_margin(wrap_label(x, SCORECARD_WRAP) for x in names)))

@chart("peers", rates=True, series="commune_vs_peers", unit="chart.unit.rate", title="chart.title.peers_plain")
def commune_poverty_vs_peers(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """The commune's measure per year against its district and the median of its peers (with the
    middle-50% band). Frame: series.commune_vs_peers."""
    measure = df["measure"].iloc[0] if "measure" in df and len(df) else "poor_rate"
    is_rate = measure != "criteria_met"
    fmt = (lambda v: fmt_percent(v, lang)) if is_rate else (lambda v: fmt_number(v, lang, 1))
    fig = go.Figure()
    peers = df[df["series"] == "peers"].sort_values("year")
    if len(peers):
        fig.add_scatter(x=list(peers["year"]) + list(peers["year"][::-1]),
                        y=list(peers["p75"]) + list(peers["p25"][::-1]), fill="toself", mode="lines",
                        fillcolor="rgba(127, 127, 127, 0.15)", line=dict(width=0), hoverinfo="skip",
                        name=t("series.iqr", lang))
    for series in ("peers", "district", "commune"):
        s = df[df["series"] == series].sort_values("year")
        if s.empty:
            continue
        color, dash, width = SERIES_STYLE[series]
        name = t(f"series.peers.{s['name'].iloc[0]}", lang) if series == "peers" else s["name"].iloc[0]
        hover = [hover_text(f"{r.year} · {name}: {fmt(r.value)}",
                        f"{fmt_number(r.numerator, lang)} / {fmt_number(r.denominator, lang)}" if is_rate and r.series != "peers" else "",
                        f"n = {r.n_units}; {fmt(r.p25)} – {fmt(r.p75)}" if series == "peers" else "")
                 for r in s.itertuples()]
        mode = "lines+markers+text" if series == "commune" else "lines+markers"
        fig.add_scatter(x=s["year"], y=s["value"], name=esc(name), mode=mode,
                        line=dict(color=color, dash=dash, width=width), marker=dict(size=8),
                        text=[fmt(v) for v in s["value"]], textposition="top center", hovertext=hover, hoverinfo="text",
                        cliponaxis=False)
    year_axis(fig, df["year"])
    fig.update_yaxes(rangemode="tozero", ticksuffix="%" if is_rate else "")
    m = t(f"measure.{measure}", lang)
    return finish(fig, ctx, lang, t("chart.title.peers", lang, measure=m),
                   t("chart.unit.rate" if is_rate else "chart.unit.criteria", lang), t("chart.axis.year", lang),
                   t("chart.axis.rate" if is_rate else "chart.axis.criteria", lang))
