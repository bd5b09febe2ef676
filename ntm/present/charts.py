"""Figures for the leaders' pages and exports: one pure function per chart, a tidy frame from
`ntm.series` in, a plotly Figure out (no database, no streamlit).

Every figure carries a title with the scope and the year(s), the unit of measure (subtitle and axis
titles) and a source line at the bottom that says when the figures are demo data. Vietnamese by
default (numbers '1.234,5', `ntm.text.plotly_separators`), English with lang="en". Unit names are data: they
are HTML-escaped before they reach plotly, whose labels understand a few tags (<b>, <br>, …).

Layouts are designed for 16:9 (1600×900): width is left to the page, height is set (taller for long
lists: use `export_size(fig)` when exporting), margins leave room for the source line.
"""

from __future__ import annotations

import functools
import html
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ntm.text import fmt_band, fmt_number, fmt_percent, fmt_pp, fmt_signed, plotly_separators, status_label, t
from ntm.domain.rules import N_CRITERIA, STATUS_LADDER
from ntm.present.labels import group_name

# ---------------------------------------------------------------------------------------------
# Palette (colour-blind safe: a sequential ladder, Okabe–Ito hues for flows and states)

STATUS_COLORS = {"none": "#D9D9D9", "standard": "#41B6C4", "advanced": "#2C7FB8", "model": "#253494"}
FLOW_COLORS = {"stock": "#4D4D4D", "escaped": "#009E73", "fell_back": "#D55E00", "newly_poor": "#E69F00",
               "gap": "#A6A6A6"}
MEASURE_COLORS = {"poor": "#0072B2", "near_poor": "#56B4E9", "poor_and_near_poor": "#4D4D4D"}
TERRAIN_COLORS = {"mountainous": "#CC79A7", "other": "#0072B2"}
STATE_COLORS = {"met": "#009E73", "not_met": "#D55E00", "pending": "#999999", "no_data": "#CCCCCC",
                "no_target": "#999999"}
MOVE_COLORS = {"up": "#009E73", "same": "#BDBDBD", "down": "#E69F00", "revoked": "#D55E00", "new": "#56B4E9",
               "gone": "#8C8C8C", "first": "#56B4E9"}
CELL = {"met": ("#D5EFE4", "✓"), "not_met": ("#E69F00", "✗"), "lost": ("#D55E00", "↓"), "no_data": ("#F2F2F2", "")}
NOT_MET_COLOR = "#D55E00"
SERIES_STYLE = {"commune": ("#000000", "solid", 4), "district": ("#0072B2", "dash", 2.5), "peers": ("#7F7F7F", "dot", 2.5)}

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
EXPORT_SIZE = (1600, 900)
MARGIN = dict(l=90, r=40, t=150, b=125)
SOURCE_SHIFT = 118          # px below the plot area where the source line ends (inside MARGIN["b"])


def esc(value) -> str:
    """Text from data, made safe for plotly labels ('<b>' shows literally)."""
    return html.escape("" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value),
                       quote=False)


# ---------------------------------------------------------------------------------------------
# Context, title, source line and the shared layout

@dataclass(frozen=True)
class ChartContext:
    """What a figure is about: the scope's display name, the year(s) shown, whether the data is demo,
    and optionally the source text (default: the programme database)."""

    scope_name: str
    years: tuple[int, ...]
    is_demo: bool
    source: str | None = None

    @property
    def years_label(self) -> str:
        """'2022', '2021–2025' (consecutive) or '2021, 2023'."""
        ys = sorted({int(y) for y in self.years})
        if not ys:
            return ""
        if len(ys) == 1:
            return str(ys[0])
        if ys == list(range(ys[0], ys[-1] + 1)):
            return f"{ys[0]}–{ys[-1]}"
        return ", ".join(str(y) for y in ys)


def source_text(ctx: ChartContext, lang: str = "vi", width: int = 190) -> str:
    """The source line as plotly text: escaped, wrapped, demo tag in bold."""
    src = t("source_line", lang, source=ctx.source or t("source.default", lang))
    lines = textwrap.wrap(src, width) or [""]
    text = "<br>".join(esc(line) for line in lines)
    if ctx.is_demo:
        text += "<br><b>" + esc(t("demo_tag", lang)) + "</b>"
    return text


def export_size(fig: go.Figure, base: tuple[int, int] = EXPORT_SIZE) -> tuple[int, int]:
    """(width, height) to export a figure: 16:9, taller when the figure asks for more height."""
    height = fig.layout.height or base[1]
    return base[0], max(base[1], int(height))


def _hover(*lines: str) -> str:
    """Hover text from already formatted lines (each escaped)."""
    return "<br>".join(esc(line) for line in lines if line)


def _finish(fig: go.Figure, ctx: ChartContext, lang: str, title: str, unit: str, x_title: str | None = None,
            y_title: str | None = None, years_label: str | None = None, height: int = 640,
            legend: bool = True, margin: dict | None = None) -> go.Figure:
    """Title (with scope and years), unit subtitle, axis titles, Vietnamese/English number separators,
    margins and the source line: the layout every chart shares."""
    years = years_label or ctx.years_label
    fig.update_layout(
        template="plotly_white", height=height, width=None, margin=dict(MARGIN, **(margin or {})),
        font=dict(family=FONT, size=14, color="#222222"), separators=plotly_separators(lang),
        title=dict(text=f"<b>{esc(title)}</b> — {esc(ctx.scope_name)}, {esc(years)}", x=0.01, xanchor="left",
                   y=0.985, yanchor="top", font=dict(size=22), subtitle=dict(text=esc(unit), font=dict(size=14))),
        showlegend=legend, legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, xanchor="left", title_text=""),
        hoverlabel=dict(font_family=FONT, align="left"),
    )
    if x_title is not None:
        fig.update_xaxes(title_text=esc(x_title), automargin=True)
    if y_title is not None:
        fig.update_yaxes(title_text=esc(y_title), automargin=True)
    fig.add_annotation(text=source_text(ctx, lang), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="bottom", yshift=-SOURCE_SHIFT, align="left", showarrow=False,
                       font=dict(size=12, color="#555555"), name="source")
    return fig


def no_data_figure(ctx: ChartContext, lang: str = "vi", title: str = "") -> go.Figure:
    """An empty figure that says there are no figures for the scope and years (same frame as a chart)."""
    fig = go.Figure()
    fig.add_annotation(text=esc(t("no_data", lang, name=ctx.scope_name, year=ctx.years_label)), x=0.5, y=0.5,
                       xref="paper", yref="paper", showarrow=False, font=dict(size=18, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, ctx, lang, title or t("state.no_data", lang), "", legend=False)


def _or_no_data(title_key: str, needs: str | None = None):
    """Decorator: a chart given an empty frame (or one without any value in its `needs` column)
    returns `no_data_figure` instead of failing or drawing empty axes."""
    def wrap(chart):
        @functools.wraps(chart)
        def inner(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", *args, **kwargs) -> go.Figure:
            if df is None or df.empty or (needs is not None and df[needs].isna().all()):
                return no_data_figure(ctx, lang, t(title_key, lang))
            return chart(df, ctx, lang, *args, **kwargs)
        return inner
    return wrap


def _year_axis(fig: go.Figure, years, **kwargs) -> None:
    ys = sorted({int(y) for y in years})
    fig.update_xaxes(tickmode="array", tickvals=ys, ticktext=[str(y) for y in ys], **kwargs)


def _positions_axis(fig: go.Figure, labels: list[str], axis: str = "y", **kwargs) -> None:
    """Categorical labels on numeric positions (names may repeat); escaped; first at the top."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickmode="array", tickvals=list(range(len(labels))), ticktext=[esc(x) for x in labels], **kwargs)


def _legend_swatch(fig: go.Figure, name: str, color: str, symbol: str = "square", **marker) -> None:
    """A legend entry with no data (for shapes, heatmap cells and Sankey links)."""
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=esc(name), hoverinfo="skip",
                             marker=dict(color=color, symbol=symbol, size=14, **marker)))


def _text_on(status: str) -> str:
    """Text colour readable on a status colour."""
    return "#FFFFFF" if status in ("advanced", "model") else "#222222"


# ---------------------------------------------------------------------------------------------
# NTM

@_or_no_data("chart.title.status_by_year")
def ntm_status_by_year(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", share: bool = False) -> go.Figure:
    """Stacked bars per year: rural communes by NTM status (counts, or shares with share=True).
    Frame: series.ntm_status_by_year."""
    value = "share_pct" if share else "communes"
    fig = go.Figure()
    for status in ("standard", "advanced", "model", "none"):           # recognised from the baseline up
        d = df[df["status"] == status]
        text = [fmt_percent(v, lang, 1) if share else fmt_number(v, lang) for v in d[value]]
        hover = [_hover(f"{r.year} · {status_label(status, lang)}",
                        f"{fmt_number(r.communes, lang)} / {fmt_number(r.rural_communes, lang)} {t('chart.communes_unit', lang)}",
                        fmt_percent(r.share_pct, lang, 1)) for r in d.itertuples()]
        fig.add_bar(x=d["year"], y=d[value], name=status_label(status, lang), marker_color=STATUS_COLORS[status],
                    text=text, textposition="inside", textangle=0, hovertext=hover, hoverinfo="text",
                    legendrank=STATUS_LADDER.index(status),
                    insidetextfont=dict(color=_text_on(status)))
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=10, mode="hide"))
    _year_axis(fig, df["year"])
    fig = _finish(fig, ctx, lang, t("chart.title.status_share" if share else "chart.title.status_by_year", lang),
                  t("chart.unit.share" if share else "chart.unit.communes", lang), t("chart.axis.year", lang),
                  t("chart.axis.share" if share else "chart.axis.communes", lang))
    fig.update_layout(legend_traceorder="normal")
    return fig


@_or_no_data("chart.title.targets")
def targets_progress(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", cap: float = 150.0) -> go.Figure:
    """Horizontal bars: attainment of each target in % (100 = reached), coloured by met / not met /
    pending (hatched: newest year's value). Frame: series.targets_progress."""
    df = df.reset_index(drop=True)
    names = [f"{r.target} · {r.evaluated_on} · {r.year}"
             + (f" ({t('chart.benchmark', lang, name=r.scope_name)})" if r.evaluated_on != r.scope_name else "")
             for r in df.itertuples()]
    fig = go.Figure()
    for status in ("met", "not_met", "pending", "no_data"):
        d = df[df["status"] == status]
        if d.empty:
            continue
        x = d["progress_pct"].fillna(0).clip(upper=cap)
        text = [f"{r.actual_display} / {r.target_display}" for r in d.itertuples()]
        fig.add_bar(y=list(d.index), x=x, orientation="h", name=t(f"state.{status}", lang),
                    marker=dict(color=STATE_COLORS[status], pattern_shape="/" if status == "pending" else ""),
                    text=[esc(s) for s in text], textposition="outside", cliponaxis=False,
                    hovertext=[_target_hover(r, lang) for r in d.itertuples()], hoverinfo="text")
    fig.add_vline(x=100, line=dict(color="#222222", width=1.5, dash="dash"))
    _positions_axis(fig, names, "y", autorange="reversed")
    fig.update_xaxes(range=[0, cap * 1.7], ticksuffix="%", tickvals=[0, 50, 100, 150])   # room for the labels
    return _finish(fig, ctx, lang, t("chart.title.targets", lang), t("chart.unit.progress", lang),
                   t("chart.axis.progress", lang), t("chart.axis.target", lang), height=max(640, 34 * len(df) + 300))


def _target_hover(r, lang: str) -> str:
    evaluated = f" ({t('chart.evaluated_on', lang)} {r.evaluated_on})" if r.evaluated_on != r.scope_name else ""
    unverified = f" ({t('chart.unverified', lang)})" if not r.verified else ""
    return _hover(f"{r.target} — {r.scope_name}{evaluated}",
                  f"{t('chart.target_of', lang, year=r.year)}: {r.target_display}",
                  f"{t('chart.actual', lang)} {r.actual_year}: {r.actual_display} → {t('state.' + r.status, lang)}",
                  f"{t('chart.source_doc', lang)}: {r.source_document}{unverified}")


@_or_no_data("chart.title.sankey")
def status_sankey(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Sankey of communes between the statuses of two consecutive years; links coloured by movement
    (revoked and downgrades stand out). Frame: series.status_flows."""
    y0, y1 = int(df["year_from"].iloc[0]), int(df["year_to"].iloc[0])
    top_down = ("model", "advanced", "standard", "none")
    left = [s for s in top_down + ("new",) if s in set(df["from_status"])]
    right = [s for s in top_down + ("gone",) if s in set(df["to_status"])]
    nodes = [("L", s) for s in left] + [("R", s) for s in right]
    index = {n: i for i, n in enumerate(nodes)}
    totals = {("L", s): df.loc[df["from_status"] == s, "communes"].sum() for s in left}
    totals.update({("R", s): df.loc[df["to_status"] == s, "communes"].sum() for s in right})

    def node_name(s):
        return t(f"node.{s}", lang) if s in ("new", "gone") else status_label(s, lang)

    node_labels = [f"{node_name(s)}: {fmt_number(totals[(side, s)], lang)}" for side, s in nodes]
    node_hover = [_hover(f"{node_name(s)} ({y0 if side == 'L' else y1})",
                         f"{fmt_number(totals[(side, s)], lang)} {t('chart.communes_unit', lang)}") for side, s in nodes]
    link_hover = [_hover(f"{node_name(r.from_status)} ({y0}) → {node_name(r.to_status)} ({y1})",
                         f"{t('move.' + r.movement, lang)}: {fmt_number(r.communes, lang)} {t('chart.communes_unit', lang)}",
                         r.names) for r in df.itertuples()]
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",d",
        node=dict(label=[esc(x) for x in node_labels], pad=18, thickness=22,
                  color=[STATUS_COLORS.get(s, MOVE_COLORS.get(s)) for _, s in nodes],
                  x=[0.001 if side == "L" else 0.999 for side, _ in nodes], y=_sankey_y(nodes, totals),
                  customdata=node_hover, hovertemplate="%{customdata}<extra></extra>"),
        link=dict(source=[index[("L", s)] for s in df["from_status"]], target=[index[("R", s)] for s in df["to_status"]],
                  value=df["communes"], color=[_rgba(MOVE_COLORS[m], 0.55) for m in df["movement"]],
                  customdata=link_hover, hovertemplate="%{customdata}<extra></extra>")))
    for m in ("up", "same", "down", "revoked", "new", "gone"):
        if m in set(df["movement"]):
            _legend_swatch(fig, t(f"move.{m}", lang), MOVE_COLORS[m])
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    for x, year in ((0, y0), (1, y1)):
        fig.add_annotation(text=f"<b>{year}</b>", x=x, y=1.0, xref="paper", yref="paper", yanchor="bottom",
                           xanchor="left" if x == 0 else "right", showarrow=False, font=dict(size=16))
    note = _notable_moves(df, lang)
    if note:
        fig.update_traces(domain=dict(y=[0.13, 1.0]), selector=dict(type="sankey"))
        fig.add_annotation(text=note, x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
                           align="left", showarrow=False, font=dict(size=13, color=MOVE_COLORS["revoked"]))
    fig = _finish(fig, ctx, lang, t("chart.title.sankey", lang), t("chart.unit.sankey", lang), years_label=f"{y0} → {y1}")
    fig.update_layout(legend=dict(x=0.5, xanchor="center", y=1.04))
    return fig


def _notable_moves(df: pd.DataFrame, lang: str) -> str:
    """'⚠ Bị thu hồi công nhận (1): Xã Mỹ Tân' lines for revocations and downgrades (escaped)."""
    lines = []
    for m in ("revoked", "down"):
        d = df[df["movement"] == m]
        if len(d):
            names = "; ".join(n for n in d["names"] if n)
            lines.append(f"⚠ {esc(t('move.' + m, lang))} ({fmt_number(d['communes'].sum(), lang)}): {esc(_short(names, 160))}")
    return "<br>".join(lines)


def _sankey_y(nodes, totals) -> list[float]:
    """Vertical centres (0 = top) stacking each column's nodes in ladder order."""
    out = []
    for side in ("L", "R"):
        col = [n for n in nodes if n[0] == side]
        total = sum(totals[n] for n in col) or 1
        acc = 0.0
        for n in col:
            out.append(min(max(0.02 + 0.96 * (acc + totals[n] / 2) / total, 0.001), 0.999))
            acc += totals[n]
    return out


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)}, {alpha})"


@_or_no_data("chart.title.criteria")
def criteria_heatmap(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", by_department: bool = False) -> go.Figure:
    """Communes × 19 criteria, not-met cells marked ✗. Worst communes first. With by_department=True
    the criteria become rows grouped under their responsible department (for quarterly department
    reviews) and communes the columns. Frame: series.criteria_matrix (one year)."""
    communes = (df.drop_duplicates("commune_code")
                  .sort_values(["criteria_met", "district_name", "commune_name"])["commune_code"].tolist())
    info = df.drop_duplicates("commune_code").set_index("commune_code")
    crit = df.drop_duplicates("criterion").copy()
    crit["dept_order"] = crit.groupby("department")["number"].transform("min")
    crit = crit.sort_values(["dept_order", "number"] if by_department else ["number"])
    grid = df.pivot(index="commune_code", columns="criterion", values="met").reindex(index=communes,
                                                                                    columns=crit["criterion"])
    z = grid.apply(lambda col: col.map(lambda v: np.nan if pd.isna(v) else float(bool(v)))).to_numpy(dtype=float)
    marks = np.where(z == 0, "✗", "")
    hover = [[_hover(f"{info.at[c, 'commune_name']} ({info.at[c, 'district_name']})", f"{name}",
                     f"{t('chart.department', lang)}: {dept}",
                     t("state.no_data" if np.isnan(v) else "state.met" if v else "state.not_met", lang))
              for name, dept, v in zip(crit["criterion_name"], crit["department"], row)]
             for c, row in zip(communes, z)]
    rows = [f"{info.at[c, 'commune_name']} ({info.at[c, 'criteria_met']}/{N_CRITERIA})"
            + (" ⚠" if info.at[c, "at_risk"] else "") for c in communes]
    cols = [_short(n) for n in crit["criterion_name"]]
    scale = [[0, NOT_MET_COLOR], [0.5, NOT_MET_COLOR], [0.5, CELL["met"][0]], [1, CELL["met"][0]]]
    common = dict(colorscale=scale, zmin=0, zmax=1, showscale=False, xgap=1, ygap=1, hoverinfo="text",
                  texttemplate="%{text}", textfont=dict(size=11, color="#FFFFFF"))
    year = int(df["year"].iloc[0]) if "year" in df and len(df) else None
    if by_department:
        ylab = [[esc(d) for d in crit["department"]], [esc(_short(n, 30)) for n in crit["criterion_name"]]]
        fig = go.Figure(go.Heatmap(z=z.T, x=list(range(len(communes))), y=ylab, text=marks.T,
                                   hovertext=[list(r) for r in zip(*hover)], **common))
        _positions_axis(fig, rows, "x", side="top", tickangle=-60, tickfont=dict(size=10))
        fig.update_yaxes(autorange="reversed", tickfont=dict(size=11))
        return _finish(fig, ctx, lang, t("chart.title.criteria_dept", lang), t("chart.unit.criteria_cells", lang),
                       y_title=t("chart.axis.department", lang), years_label=str(year or ctx.years_label),
                       height=960, legend=False, margin=dict(t=_top_margin(rows, 60, 6.0), r=80))
    fig = go.Figure(go.Heatmap(z=z, x=list(range(len(crit))), y=list(range(len(communes))), text=marks,
                               hovertext=hover, **common))
    _positions_axis(fig, cols, "x", side="top", tickangle=-45, tickfont=dict(size=11))
    _positions_axis(fig, rows, "y", autorange="reversed", tickfont=dict(size=11 if len(communes) > 40 else 13))
    return _finish(fig, ctx, lang, t("chart.title.criteria", lang), t("chart.unit.criteria_cells", lang),
                   y_title=t("chart.axis.commune", lang), years_label=str(year or ctx.years_label),
                   height=max(640, 20 * len(communes) + 420), legend=False, margin=dict(t=_top_margin(cols, 45), r=170))


def _top_margin(tick_labels: list[str], angle: float, px_per_char: float = 7.0) -> int:
    """Top margin for a title block plus rotated tick labels on a top axis."""
    longest = max((len(x) for x in tick_labels), default=0)
    return MARGIN["t"] + int(longest * px_per_char * np.sin(np.radians(angle))) + 20


def _short(text: str, width: int = 26) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def at_risk_table_figure(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """The at-risk-of-revocation list as a table figure (for slides). Frame: series.at_risk_list."""
    headers = [t(f"table.{k}", lang) for k in ("commune", "district", "status", "recognised", "criteria_met",
                                                  "failed", "failed_key")]
    if df.empty:
        cells = [[t("at_risk_none", lang)]] + [[""] for _ in headers[1:]]
    else:
        cells = [[esc(v) for v in df["commune_name"]], [esc(v) for v in df["district_name"]],
                 [status_label(s, lang) for s in df["ntm_status"]],
                 ["–" if pd.isna(v) else str(int(v)) for v in df["ntm_recognition_year"]],
                 [f"{fmt_number(v, lang)}/{N_CRITERIA}" for v in df["criteria_met"]],
                 [esc(v) for v in df["failed_criteria"]], [esc(v) for v in df["failed_key_criteria"]]]
    fig = go.Figure(go.Table(
        columnwidth=[1.3, 1.3, 1, 0.8, 0.8, 3.2, 1.6],
        header=dict(values=[f"<b>{esc(h)}</b>" for h in headers], fill_color="#253494", font=dict(color="white"),
                    align="left", height=34),
        cells=dict(values=cells, align="left", height=30, fill_color=[["#FFFFFF", "#F3F6FA"] * (len(cells[0]) // 2 + 1)])))
    return _finish(fig, ctx, lang, t("at_risk", lang), t("chart.unit.communes", lang),
                   height=max(480, 36 * max(len(df), 1) + 330), legend=False)


@_or_no_data("chart.title.district_status")
def district_status_timeline(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Districts × years: cell colour = district NTM status, number = % of rural communes recognised,
    outline = the district's target year (green met, red not met, grey pending).
    Frame: series.district_status_by_year."""
    districts = df.drop_duplicates("district_code").sort_values("district_code")
    pos = {c: i for i, c in enumerate(districts["district_code"])}
    fig = go.Figure()
    for status in STATUS_LADDER:
        d = df[df["ntm_status"] == status]
        if d.empty:
            continue
        fig.add_scatter(x=d["year"], y=d["district_code"].map(pos), mode="markers+text", name=status_label(status, lang),
                        marker=dict(symbol="square", size=42, color=STATUS_COLORS[status]),
                        text=[fmt_percent(v, lang, 0) for v in d["recognised_share_pct"]],
                        textfont=dict(size=11, color=_text_on(status)),
                        hovertext=[_district_hover(r, lang) for r in d.itertuples()], hoverinfo="text")
    for status in ("met", "not_met", "pending"):
        d = districts[districts["target_year"].notna() & (districts["target_status"] == status)]
        if d.empty:
            continue
        fig.add_scatter(x=d["target_year"].astype(int), y=d["district_code"].map(pos), mode="markers",
                        name=f"{t('chart.target', lang)}: {t('state.' + status, lang)}",
                        marker=dict(symbol="square-open", size=52, line=dict(width=3), color=STATE_COLORS[status]),
                        hoverinfo="skip")
    years = sorted(set(df["year"]) | {int(y) for y in df["target_year"].dropna()})
    _year_axis(fig, years, range=[min(years) - 0.6, max(years) + 0.6], showgrid=False)
    _positions_axis(fig, list(districts["district_name"]), "y", autorange="reversed", showgrid=False, zeroline=False)
    return _finish(fig, ctx, lang, t("chart.title.district_status", lang), t("chart.unit.district_status", lang),
                   t("chart.axis.year", lang), t("chart.axis.district", lang), height=max(560, 48 * len(districts) + 300))


def _district_hover(r, lang: str) -> str:
    rec = "" if pd.isna(r.ntm_recognition_year) else f" ({t('chart.recognised_in', lang, year=int(r.ntm_recognition_year))})"
    target = ""
    if not pd.isna(r.target_year):
        target = (f"{t('chart.target_of', lang, year=int(r.target_year))}: {status_label(r.target_level, lang)}"
                  f" → {t('state.' + str(r.target_status), lang)}")
    return _hover(f"{r.district_name} · {r.year}", f"{status_label(r.ntm_status, lang)}{rec}",
                  f"{fmt_number(r.recognised_communes, lang)}/{fmt_number(r.rural_communes, lang)} {t('chart.communes_unit', lang)}"
                  f" ({fmt_percent(r.recognised_share_pct, lang, 1)})", target)


# ---------------------------------------------------------------------------------------------
# Poverty

@_or_no_data("chart.title.waterfall")
def poverty_waterfall(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", year: int | None = None) -> go.Figure:
    """Start-of-year poor → −escaped → +fell back → +newly poor → ±unexplained gap → end-of-year poor,
    each flow its own colour. Frame: series.poverty_flows (the year `year`, default the newest with a
    start)."""
    rows = df.dropna(subset=["poor_start"])
    rows = rows[rows["year"] == year] if year is not None else rows.sort_values("year").tail(1)
    if rows.empty:
        return no_data_figure(ctx, lang, t("chart.title.waterfall", lang))
    r = rows.iloc[0]
    year = int(r["year"])
    steps = [("start", 0.0, r["poor_start"]), ("escaped", r["poor_start"], -r["escaped"]),
             ("fell_back", r["poor_start"] - r["escaped"], r["fell_back"]),
             ("newly_poor", r["poor_start"] - r["escaped"] + r["fell_back"], r["newly_poor"]),
             ("gap", r["expected_end"], r["gap"]), ("end", 0.0, r["poor_end"])]
    names = {"start": t("chart.flow.start", lang), "end": t("chart.flow.end", lang), "gap": t("chart.flow.gap", lang),
             "escaped": t("escaped", lang), "fell_back": t("fell_back", lang), "newly_poor": t("newly_poor", lang)}
    x = [names[k] for k, _, _ in steps]
    fig = go.Figure()
    for key, base, value in steps:
        color = FLOW_COLORS["stock" if key in ("start", "end") else key]
        text = fmt_number(value, lang) if key in ("start", "end") else fmt_signed(value, lang)
        fig.add_bar(x=[esc(names[key])], y=[value], base=[base], name=names[key], marker_color=color,
                    text=[text], textposition="outside", cliponaxis=False, showlegend=key not in ("start", "end"),
                    hovertext=[_flow_hover(key, names[key], value, r, lang)], hoverinfo="text")
    levels = [r["poor_start"], r["poor_start"] - r["escaped"], r["expected_end"] - r["newly_poor"],
              r["expected_end"], r["poor_end"]]
    for i, level in enumerate(levels):
        fig.add_shape(type="line", x0=i + 0.4, x1=i + 0.6, y0=level, y1=level, xref="x", yref="y",
                      line=dict(color="#888888", width=1, dash="dot"))
    fig.update_xaxes(categoryorder="array", categoryarray=[esc(v) for v in x])
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    fig.update_layout(bargap=0.35)
    return _finish(fig, ctx, lang, t("chart.title.waterfall", lang), t("chart.unit.households", lang),
                   t("chart.axis.flow", lang, year=year), t("chart.axis.households", lang), years_label=str(year))


def _flow_hover(key: str, name: str, value: float, r, lang: str) -> str:
    unit = t("chart.households_unit", lang)
    if key == "start":
        return _hover(f"{name} {r['year']}", f"{fmt_number(value, lang)} {unit}", fmt_percent(r["poor_rate_start_pct"], lang))
    if key == "end":
        return _hover(f"{name} {r['year']}", f"{fmt_number(value, lang)} {unit}", fmt_percent(r["poor_rate_end_pct"], lang))
    if key == "gap":
        tol = t("chart.flow.tolerance", lang, tol=fmt_number(r["gap_tolerance"], lang))
        return _hover(name, f"{fmt_signed(value, lang)} {unit}", tol)
    return _hover(name, f"{fmt_signed(value, lang)} {unit}")


@_or_no_data("chart.title.rate_trend")
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
    _year_axis(fig, df["year"])
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    return _finish(fig, ctx, lang, t("chart.title.rate_trend", lang), t("chart.unit.rate", lang),
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
    hover = [_hover(f"{r.year} · {name}: {fmt_percent(r.rate_pct, lang)}",
                    f"{fmt_number(r.households_in_class, lang)} / {fmt_number(r.households, lang)} {t('chart.households_unit', lang)}",
                    fmt_pp(r.change_pp, lang) if not pd.isna(r.change_pp) else "") for r in d.itertuples()]
    fig.add_scatter(x=d["year"], y=d["rate_pct"], name=esc(name), mode="lines+markers+text",
                    line=dict(color=color, width=3, dash=dash), marker=dict(size=9),
                    text=[fmt_percent(v, lang) for v in d["rate_pct"]], textposition=text_position, textfont=dict(color=color),
                    hovertext=hover, hoverinfo="text", cliponaxis=False)


@_or_no_data("chart.title.terrain_plain")
def mountainous_vs_other(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", measure: str = "poor") -> go.Figure:
    """A rate per year for communes in mountainous districts vs the others. Frame: series.poverty_by_terrain."""
    fig = go.Figure()
    above = _label_sides(df[df["measure"] == measure], "terrain", "mountainous", "other")
    for terrain in ("mountainous", "other"):
        d = df[(df["measure"] == measure) & (df["terrain"] == terrain)].sort_values("year")
        if len(d):
            _rate_line(fig, d, t(f"terrain.{terrain}", lang), TERRAIN_COLORS[terrain], lang,
                       dash="solid" if terrain == "mountainous" else "dash",
                       text_position=above.get(terrain, "top center"))
    _year_axis(fig, df["year"])
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    return _finish(fig, ctx, lang, t("chart.title.terrain", lang, measure=t(f"measure.{measure}", lang)),
                   t("chart.unit.rate", lang), t("chart.axis.year", lang), t("chart.axis.rate", lang))


@_or_no_data("chart.title.em")
def ethnic_minority_poor(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Two panels: ethnic-minority poor households (bars) and their rate among EM households (line).
    Frame: series.ethnic_minority_poverty."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1)
    hover = [_hover(f"{r.year} · {t('em_poor', lang)}: {fmt_number(r.em_poor, lang)} {t('chart.households_unit', lang)}",
                    t("chart.em_share", lang, share=fmt_percent(r.em_share_of_poor_pct, lang, 1)),
                    f"{fmt_percent(r.em_poor_rate_pct, lang)} = {fmt_number(r.em_poor, lang)} / {fmt_number(r.em_households, lang)}",
                    fmt_pp(r.change_pp, lang) if not pd.isna(r.change_pp) else "") for r in df.itertuples()]
    fig.add_bar(x=df["year"], y=df["em_poor"], name=t("em_poor", lang), marker_color=_rgba(MEASURE_COLORS["poor"], 0.45),
                text=[fmt_number(v, lang) for v in df["em_poor"]], textposition="outside", cliponaxis=False,
                hovertext=hover, hoverinfo="text", row=1, col=1)
    fig.add_scatter(x=df["year"], y=df["em_poor_rate_pct"], name=t("chart.axis.em_rate", lang), mode="lines+markers+text",
                    line=dict(color=MEASURE_COLORS["poor"], width=3), text=[fmt_percent(v, lang) for v in df["em_poor_rate_pct"]],
                    textposition="top center", hovertext=hover, hoverinfo="text", cliponaxis=False, row=1, col=2)
    _year_axis(fig, df["year"])
    fig.update_yaxes(title_text=esc(t("chart.axis.em_households", lang)), rangemode="tozero", tickformat=",d", row=1, col=1)
    fig.update_yaxes(title_text=esc(t("chart.axis.em_rate", lang)), rangemode="tozero", ticksuffix="%", row=1, col=2)
    return _finish(fig, ctx, lang, t("chart.title.em", lang), t("chart.unit.em", lang), t("chart.axis.year", lang))


@_or_no_data("chart.title.reduction", needs="reduction_pp")
def reduction_vs_target(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Bars per year: the reduction of the poor rate (pp, positive = down), green when it reaches the
    target band's minimum, with the band shaded behind. Frame: series.poverty_reduction."""
    d = df.dropna(subset=["reduction_pp"]).sort_values("year")
    fig = go.Figure()
    for status in ("met", "not_met", "no_target"):
        s = d[d["status"] == status]
        if s.empty:
            continue
        fig.add_bar(x=s["year"], y=s["reduction_pp"], name=t(f"state.{status}", lang), width=0.5,
                    marker_color=STATE_COLORS[status], text=[fmt_pp(v, lang, sign="-") for v in s["reduction_pp"]],
                    textposition="outside", cliponaxis=False,
                    hovertext=[_reduction_hover(r, lang) for r in s.itertuples()], hoverinfo="text")
    for r in d.dropna(subset=["target_min"]).itertuples():
        hi = r.target_max if not pd.isna(r.target_max) else r.target_min
        fig.add_shape(type="rect", x0=r.year - 0.42, x1=r.year + 0.42, y0=r.target_min, y1=hi, layer="below",
                      fillcolor="rgba(0, 114, 178, 0.18)", line=dict(color="#0072B2", width=2, dash="dot"))
    if d["target_min"].notna().any():
        _legend_swatch(fig, f"{t('chart.target_band', lang)} ({_band(d, lang)})", "rgba(0, 114, 178, 0.35)")
    fig.add_hline(y=0, line=dict(color="#444444", width=1))
    top = np.nanmax(np.r_[d["reduction_pp"].to_numpy(float), d["target_max"].to_numpy(float),
                          d["target_min"].to_numpy(float), 0.1])
    low = min(0.0, float(np.nanmin(np.r_[d["reduction_pp"].to_numpy(float), 0.0])))
    fig.update_yaxes(range=[low * 1.2, top * 1.15])
    _year_axis(fig, d["year"] if len(d) else df["year"])
    return _finish(fig, ctx, lang, t(_reduction_title(df), lang), t("chart.unit.pp", lang), t("chart.axis.year", lang),
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
    return _hover(f"{r.year}: {fmt_pp(r.reduction_pp, lang)}",
                  f"{fmt_percent(r.rate_prev_pct, lang)} → {fmt_percent(r.rate_pct, lang)} "
                  f"({fmt_number(r.numerator, lang)} / {fmt_number(r.denominator, lang)})",
                  band, t(f"state.{r.status}", lang))


@_or_no_data("chart.title.ranking")
def district_ranking(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", by: str = "reduction",
                     ends: int = 15, max_all: int = 60) -> go.Figure:
    """Districts as horizontal bars, best first: by poor-rate reduction (pp) or, with by='rank_change',
    by the steps gained in the poor-rate ranking. Colour = mountainous or not. With more than `max_all`
    districts (a national view) only the `ends` best and worst are drawn; the full list belongs in a
    table. Frame: series.district_ranking."""
    value = "reduction_pp" if by == "reduction" else "rank_change"
    d = df.sort_values([value, "reduction_pp"], ascending=False).reset_index(drop=True)
    shown_of = None
    if len(d) > max_all:
        shown_of = len(d)
        d = pd.concat([d.head(ends), d.tail(ends)]).reset_index(drop=True)
    y0, y1 = (int(d["year_from"].iloc[0]), int(d["year_to"].iloc[0])) if len(d) else (None, None)
    names = [f"{r.district_name}{' *' if r.is_poor_district else ''}" for r in d.itertuples()]
    fig = go.Figure()
    for terrain, flag in (("mountainous", True), ("other", False)):
        s = d[d["is_mountainous"].fillna(False).astype(bool) == flag]
        if s.empty:
            continue
        text = [fmt_pp(v, lang, sign="-") if by == "reduction" else t("chart.steps", lang, n=fmt_signed(int(v), lang)) for v in s[value]]
        hover = [_hover(r.district_name, f"{fmt_percent(r.rate_from_pct, lang)} → {fmt_percent(r.rate_to_pct, lang)} "
                                         f"({t('chart.reduction', lang)}: {fmt_pp(r.reduction_pp, lang, sign='-')})",
                        t("chart.rank", lang, a=r.rank_from, b=r.rank_to)) for r in s.itertuples()]
        fig.add_bar(y=list(s.index), x=s[value], orientation="h", name=t(f"terrain.{terrain}", lang),
                    marker_color=TERRAIN_COLORS[terrain], text=text, textposition="outside", cliponaxis=False,
                    hovertext=hover, hoverinfo="text")
    _positions_axis(fig, names, "y", autorange="reversed", ticks="outside", ticklen=8, tickcolor="rgba(0,0,0,0)")
    fig.update_xaxes(zeroline=True, zerolinecolor="#444444")
    unit = t("chart.unit.ranking_pp" if by == "reduction" else "chart.unit.rank", lang)
    if shown_of:
        unit += " · " + t("chart.ranking_ends", lang, n=ends, total=shown_of)
    return _finish(fig, ctx, lang, t("chart.title.ranking" if by == "reduction" else "chart.title.rank_change", lang),
                   unit,
                   t("chart.axis.pp" if by == "reduction" else "chart.axis.rank_change", lang), t("chart.axis.district", lang),
                   years_label=f"{y0}–{y1}" if y0 else None, height=max(560, 34 * len(d) + 300))


@_or_no_data("chart.title.fallback")
def fallback_share(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Households that fell back into poverty per 100 that escaped, per year. Frame: series.fallback_share."""
    hover = [_hover(f"{r.year}: {fmt_percent(r.fallback_share_pct, lang)}",
                    f"{t('fell_back', lang)}: {fmt_number(r.fell_back, lang)} / {t('escaped', lang)}: {fmt_number(r.escaped, lang)}",
                    f"{t('newly_poor', lang)}: {fmt_number(r.newly_poor, lang)}") for r in df.itertuples()]
    fig = go.Figure(go.Bar(x=df["year"], y=df["fallback_share_pct"], name=t("fell_back", lang), width=0.55,
                           marker_color=FLOW_COLORS["fell_back"], text=[fmt_percent(v, lang) for v in df["fallback_share_pct"]],
                           textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text"))
    _year_axis(fig, df["year"])
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    return _finish(fig, ctx, lang, t("chart.title.fallback", lang), t("chart.unit.fallback", lang),
                   t("chart.axis.year", lang), t("chart.axis.fallback", lang), legend=False)


# ---------------------------------------------------------------------------------------------
# Commune profile

@_or_no_data("chart.title.history", needs="ntm_status")
def commune_status_history(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Criteria met per year (bars coloured by the year's status), with revocations, downgrades and
    at-risk years written above the bars. Frame: series.commune_status_history."""
    d = df.dropna(subset=["ntm_status"])
    fig = go.Figure()
    for status in STATUS_LADDER:
        s = d[d["ntm_status"] == status]
        if s.empty:
            continue
        hover = [_hover(f"{r.year} · {status_label(status, lang)}", f"{fmt_number(r.criteria_met, lang)}/{N_CRITERIA}",
                        t("chart.at_risk_mark", lang) if r.at_risk else "") for r in s.itertuples()]
        fig.add_bar(x=s["year"], y=s["criteria_met"], name=status_label(status, lang), width=0.6,
                    marker_color=STATUS_COLORS[status], text=[f"{fmt_number(v, lang)}/{N_CRITERIA}" for v in s["criteria_met"]],
                    textposition="inside", insidetextfont=dict(color=_text_on(status)),
                    hovertext=hover, hoverinfo="text", legendrank=STATUS_LADDER.index(status))
    notes = [(r.year, r.criteria_met, "; ".join(x for x in (
        t(f"move.{r.movement}", lang) if r.movement in ("up", "down", "revoked") else "",
        t("chart.at_risk_mark", lang) if r.at_risk else "") if x)) for r in d.itertuples()]
    for year, y, note in notes:
        if note:
            fig.add_annotation(x=year, y=y, text=esc(note), yshift=14, yanchor="bottom", showarrow=False,
                               font=dict(size=12, color="#D55E00"))
    fig.add_hline(y=N_CRITERIA, line=dict(color="#444444", width=1, dash="dot"))
    _year_axis(fig, d["year"])
    fig.update_yaxes(range=[0, N_CRITERIA + 3])
    return _finish(fig, ctx, lang, t("chart.title.history", lang), t("chart.unit.criteria", lang),
                   t("chart.axis.year", lang), t("chart.axis.criteria", lang))


@_or_no_data("chart.title.scorecard")
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
    hover = [[_hover(f"{name} · {y}", t(f"state.{states[int(v)]}", lang), dept) for y, v in zip(years, row)]
             for name, dept, row in zip(crit["criterion_name"], crit["department"], z)]
    fig = go.Figure(go.Heatmap(z=z + 0.5, x=[str(y) for y in years], y=list(range(len(crit))), zmin=0, zmax=n,
                               colorscale=scale, showscale=False, xgap=2, ygap=2,
                               text=[[CELL[states[int(v)]][1] for v in row] for row in z], texttemplate="%{text}",
                               textfont=dict(size=14), hovertext=hover, hoverinfo="text"))
    for s in states[:-1]:
        _legend_swatch(fig, f"{CELL[s][1]} {t('state.' + s, lang)}", CELL[s][0])
    _positions_axis(fig, [_short(x, 40) for x in names], "y", autorange="reversed")
    fig.update_xaxes(type="category")
    return _finish(fig, ctx, lang, t("chart.title.scorecard", lang), t("chart.unit.criteria", lang) + " · ★ " +
                   t("chart.key_criterion", lang), t("chart.axis.year", lang),
                   t("chart.axis.criterion", lang), height=860)


@_or_no_data("chart.title.peers_plain")
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
        hover = [_hover(f"{r.year} · {name}: {fmt(r.value)}",
                        f"{fmt_number(r.numerator, lang)} / {fmt_number(r.denominator, lang)}" if is_rate and r.series != "peers" else "",
                        f"n = {r.n_units}; {fmt(r.p25)} – {fmt(r.p75)}" if series == "peers" else "")
                 for r in s.itertuples()]
        mode = "lines+markers+text" if series == "commune" else "lines+markers"
        fig.add_scatter(x=s["year"], y=s["value"], name=esc(name), mode=mode,
                        line=dict(color=color, dash=dash, width=width), marker=dict(size=8),
                        text=[fmt(v) for v in s["value"]], textposition="top center", hovertext=hover, hoverinfo="text",
                        cliponaxis=False)
    _year_axis(fig, df["year"])
    fig.update_yaxes(rangemode="tozero", ticksuffix="%" if is_rate else "")
    m = t(f"measure.{measure}", lang)
    return _finish(fig, ctx, lang, t("chart.title.peers", lang, measure=m),
                   t("chart.unit.rate" if is_rate else "chart.unit.criteria", lang), t("chart.axis.year", lang),
                   t("chart.axis.rate" if is_rate else "chart.axis.criteria", lang))
