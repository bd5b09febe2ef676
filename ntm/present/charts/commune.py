"""A commune's charts: its NTM status and criteria met per year, its scorecard of the 19 criteria, and its
poverty rates next to its district and its peers."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ntm.domain.rules import N_CRITERIA, STATUS_LADDER
from ntm.present.charts.frame import (CELL, SERIES_STYLE, STATUS_COLORS, ChartContext, esc, finish, hover_text,
                                      legend_swatch, positions_axis, short, text_on, year_axis)
from ntm.present.charts.registry import chart
from ntm.text import fmt_number, fmt_percent, status_label, t


@chart("status_history", series="commune_status_history", unit="chart.unit.criteria", title="chart.title.history",
       needs="ntm_status")
def commune_status_history(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Criteria met per year (bars coloured by the year's status), with revocations, downgrades and
    at-risk years written above the bars. Frame: series.commune_status_history."""
    d = df.dropna(subset=["ntm_status"])
    fig = go.Figure()
    for status in STATUS_LADDER:
        s = d[d["ntm_status"] == status]
        if s.empty:
            continue
        hover = [hover_text(f"{r.year} · {status_label(status, lang)}", f"{fmt_number(r.criteria_met, lang)}/{N_CRITERIA}",
                        t("chart.at_risk_mark", lang) if r.at_risk else "") for r in s.itertuples()]
        fig.add_bar(x=s["year"], y=s["criteria_met"], name=status_label(status, lang), width=0.6,
                    marker_color=STATUS_COLORS[status], text=[f"{fmt_number(v, lang)}/{N_CRITERIA}" for v in s["criteria_met"]],
                    textposition="inside", insidetextfont=dict(color=text_on(status)),
                    hovertext=hover, hoverinfo="text", legendrank=STATUS_LADDER.index(status))
    notes = [(r.year, r.criteria_met, "; ".join(x for x in (
        t(f"move.{r.movement}", lang) if r.movement in ("up", "down", "revoked") else "",
        t("chart.at_risk_mark", lang) if r.at_risk else "") if x)) for r in d.itertuples()]
    for year, y, note in notes:
        if note:
            fig.add_annotation(x=year, y=y, text=esc(note), yshift=14, yanchor="bottom", showarrow=False,
                               font=dict(size=12, color="#D55E00"))
    fig.add_hline(y=N_CRITERIA, line=dict(color="#444444", width=1, dash="dot"))
    year_axis(fig, d["year"])
    fig.update_yaxes(range=[0, N_CRITERIA + 3])
    return finish(fig, ctx, lang, t("chart.title.history", lang), t("chart.unit.criteria", lang),
                   t("chart.axis.year", lang), t("chart.axis.criteria", lang))

@chart("scorecard", series="commune_scorecard", unit="chart.unit.criteria", title="chart.title.scorecard")
def commune_scorecard(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Criteria (rows) × years: met ✓ / not met ✗ / lost ↓ (met the year before, not now).
    Frame: series.commune_scorecard."""
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
    positions_axis(fig, [short(x, 40) for x in names], "y", autorange="reversed")
    fig.update_xaxes(type="category")
    return finish(fig, ctx, lang, t("chart.title.scorecard", lang), t("chart.unit.criteria", lang) + " · ★ " +
                   t("chart.key_criterion", lang), t("chart.axis.year", lang),
                   t("chart.axis.criterion", lang), height=860)

@chart("peers", series="commune_vs_peers", unit="chart.unit.rate", title="chart.title.peers_plain")
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
