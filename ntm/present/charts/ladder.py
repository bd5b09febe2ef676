"""NTM charts: communes on the ladder per year, progress against targets, movements between two years
(Sankey), the criteria by commune or by responsible department, the at-risk list as a table and the
districts' status against their targets."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ntm.domain.criteria import criteria_set
from ntm.domain.rules import STATUS_LADDER
from ntm.domain.targets import BINARY_TARGETS
from ntm.present import findings
from ntm.present.charts.frame import (CELL, MARGIN, MOVE_COLORS, NOTE_WRAP, NOT_MET_COLOR, STATE_COLORS, STATUS_COLORS,
                                      ChartContext, esc, finish, from_left_edge, hover_text, label_margin, legend_swatch,
                                      mark_new_criteria_sets, no_data_figure, positions_axis, rgba, short, text_on,
                                      year_axis)
from ntm.present.charts.registry import chart
from ntm.text import fmt_number, fmt_percent, has_text, status_label, t


def _moves_tone(df: pd.DataFrame, year: int) -> str:
    """Bad when a commune moved down or lost its recognition, good otherwise."""
    return "bad" if df.loc[df["movement"].isin(["down", "revoked"]), "communes"].sum() else "good"


@chart("ntm_status", series="ntm_status_by_year", unit="chart.unit.communes", title="chart.title.status_by_year",
       finding=findings.ntm_status)
def ntm_status_by_year(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", share: bool = False) -> go.Figure:
    """Stacked bars per year: rural communes by NTM status (counts, or shares with share=True).
    Frame: series.ntm_status_by_year."""
    value = "share_pct" if share else "communes"
    fig = go.Figure()
    for status in [s for s in STATUS_LADDER if s != "none"] + ["none"]:    # recognised from the baseline up
        d = df[df["status"] == status]
        if d.empty:
            continue
        text = [fmt_percent(v, lang, 1) if share else fmt_number(v, lang) for v in d[value]]
        hover = [hover_text(f"{r.year} · {status_label(status, lang)}",
                        f"{fmt_number(r.communes, lang)} / {fmt_number(r.rural_communes, lang)} {t('chart.communes_unit', lang)}",
                        fmt_percent(r.share_pct, lang, 1)) for r in d.itertuples()]
        fig.add_bar(x=d["year"], y=d[value], name=status_label(status, lang), marker_color=STATUS_COLORS[status],
                    text=text, textposition="inside", textangle=0, hovertext=hover, hoverinfo="text",
                    legendrank=STATUS_LADDER.index(status),
                    insidetextfont=dict(color=text_on(status)))
    fig.update_layout(barmode="stack", uniformtext=dict(minsize=10, mode="hide"))
    mark_new_criteria_sets(fig, df["year"], df["criteria_set"], lang)
    year_axis(fig, df["year"])
    fig = finish(fig, ctx, lang, t("chart.title.status_share" if share else "chart.title.status_by_year", lang),
                  t("chart.unit.share" if share else "chart.unit.communes", lang), t("chart.axis.year", lang),
                  t("chart.axis.share" if share else "chart.axis.communes", lang))
    fig.update_layout(legend_traceorder="normal")
    return fig

# The targets view's rows, in px: a group heading, a target's name line, its bar line and the gap after.
TARGET_ROW = {"heading": 40, "name": 24, "bar": 30, "gap": 14}
TARGET_BAR_SHARE = 0.52          # of the plot's width: bars; the rest holds the value and the mark


def _as_of(df: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    """The targets as known at the end of `as_of` (a frame of every year has an `as_of` column)."""
    return df[df["as_of"] == as_of] if as_of is not None and "as_of" in df else df


@chart("targets", series="targets_by_year", unit="chart.unit.progress", title="chart.title.targets",
       finding=lambda df, year, lang: findings.targets(_as_of(df, year), year, lang),
       years=lambda df, year: (year,), options=lambda year: {"as_of": year})
def targets_progress(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", cap: float = 150.0,
                     as_of: int | None = None) -> go.Figure:
    """The 'are we on target?' view: targets grouped by whose they are (the scope's own first, then the
    units within it, then programme-wide benchmarks) and by programme; each target's name on its own
    line, under it a bar of attainment (100% = reached, a dashed mark), the value against the target
    and a clear mark — met, not met, not yet due (hatched: the newest year's value). Frame:
    series.targets_by_year (filtered to `as_of`) or series.targets_progress."""
    df = _as_of(df, as_of).reset_index(drop=True)
    if df.empty:
        return no_data_figure(ctx, lang, t("chart.title.targets", lang))
    fig, y, headings = go.Figure(), 0.0, []
    rows: list[tuple[float, object]] = []
    for (role, kind), group in df.groupby(["role", "kind"], sort=False):
        heading = f"{t('targets.role.' + role, lang, name=ctx.scope_name)} — {t('targets.programme.' + kind, lang)}"
        headings.append((y + TARGET_ROW["heading"] * 0.55, heading))
        y += TARGET_ROW["heading"]
        for r in group.itertuples():
            rows.append((y + TARGET_ROW["name"] + TARGET_ROW["bar"] / 2, r))
            y += TARGET_ROW["name"] + TARGET_ROW["bar"] + TARGET_ROW["gap"]
    for status in TARGET_MARK:
        d = [(yy, r) for yy, r in rows if r.status == status]
        if not d:
            continue
        fig.add_bar(y=[yy for yy, _ in d], x=[min(r.progress_pct, cap) if r.progress_pct == r.progress_pct else 0 for _, r in d],
                    orientation="h", width=TARGET_ROW["bar"] * 0.8, name=t(f"state.{status}", lang),
                    marker=dict(color=STATE_COLORS[status], pattern_shape="/" if status in ("pending", "standard_break") else ""),
                    hovertext=[_target_hover(r, lang) for _, r in d], hoverinfo="text")
    for yy, text in headings:
        fig.add_annotation(text=f"<b>{esc(text)}</b>", x=0, xref="paper", y=yy, yref="y", xanchor="left",
                           yanchor="middle", showarrow=False, font=dict(size=16, color="#222222"))
    for yy, r in rows:
        fig.add_annotation(text=_target_name(r, lang), x=0, xref="paper", y=yy - TARGET_ROW["bar"] / 2 - 2, yref="y",
                           xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=14))
        fig.add_annotation(text=esc(_target_value(r)), x=TARGET_BAR_SHARE + 0.02, xref="paper", y=yy, yref="y",
                           xanchor="left", yanchor="middle", showarrow=False, font=dict(size=14))
        badge = f"state.{r.status}_short" if has_text(f"state.{r.status}_short") else f"state.{r.status}"
        fig.add_annotation(text=f"<b>{esc(TARGET_MARK[r.status])} {esc(t(badge, lang))}</b>", x=1,
                           xref="paper", y=yy, yref="y", xanchor="right", yanchor="middle", showarrow=False,
                           font=dict(size=13, color="#FFFFFF" if r.status in ("met", "not_met") else "#222222"),
                           bgcolor=STATE_COLORS[r.status], borderpad=4)
        fig.add_shape(type="line", x0=100, x1=100, y0=yy - TARGET_ROW["bar"] / 2, y1=yy + TARGET_ROW["bar"] / 2,
                      xref="x", yref="y", line=dict(color="#222222", width=1.5, dash="dot"))
    fig.update_yaxes(visible=False, range=[y, 0], fixedrange=True)
    ticks = [0, 50, 100, 150]
    fig.update_xaxes(domain=[0, TARGET_BAR_SHARE], range=[0, cap], tickvals=ticks, ticktext=[f"{v}%" for v in ticks],
                     fixedrange=True)
    return finish(fig, ctx, lang, t("chart.title.targets", lang), t("chart.unit.progress", lang),
                  t("chart.axis.progress", lang), None, height=int(y) + 260, legend=False, margin=dict(l=24, r=24, t=110))


TARGET_MARK = {"met": "✓", "not_met": "✗", "pending": "…", "no_data": "–", "standard_break": "≠"}


def _target_name(r, lang: str) -> str:
    """A target's line: its unit first when it is a unit's own target within the scope, the group when
    a programme-wide target is read on one (poor districts, ethnic-minority households), then the year."""
    name = esc(r.target)
    if r.role == "within":
        name = f"{esc(r.scope_name)}: {name}"
    elif r.scope_level == "poor_districts":
        name = f"{name} ({esc(r.scope_name)})"
    return f"{name} · {r.year}"


def _target_value(r) -> str:
    """'32,3% (2024) / 40,0%': the actual value (its year when it is not the target's) against the target;
    a status target names the status reached."""
    actual = r.actual_display + (f" ({r.actual_year})" if r.actual_display != "–" and r.actual_year != r.year else "")
    return actual if r.metric in BINARY_TARGETS else f"{actual} / {r.target_display}"

def _target_hover(r, lang: str) -> str:
    evaluated = f" ({t('chart.evaluated_on', lang)} {r.evaluated_on})" if r.evaluated_on != r.scope_name else ""
    unverified = f" ({t('chart.unverified', lang)})" if not r.verified else ""
    return hover_text(f"{r.target} — {r.scope_name}{evaluated}",
                      f"{t('chart.target_of', lang, year=r.year)}: {r.target_display}",
                      f"{t('chart.actual', lang)} {r.actual_year}: {r.actual_display} → {t('state.' + r.status, lang)}",
                      f"{t('chart.source_doc', lang)}: {r.source_document}{unverified}")


@chart("movements", series="status_flows", unit="chart.unit.sankey", title="chart.title.sankey", span="pair",
       finding=lambda df, year, lang: findings.movements(df, lang), tone=_moves_tone)
def status_sankey(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi") -> go.Figure:
    """Sankey of communes between the statuses of two consecutive years; links coloured by movement
    (revoked and downgrades stand out). Frame: series.status_flows."""
    y0, y1 = int(df["year_from"].iloc[0]), int(df["year_to"].iloc[0])
    top_down = ("modern", "model", "advanced", "standard", "none")
    left = [s for s in top_down + ("new",) if s in set(df["from_status"])]
    right = [s for s in top_down + ("gone",) if s in set(df["to_status"])]
    nodes = [("L", s) for s in left] + [("R", s) for s in right]
    index = {n: i for i, n in enumerate(nodes)}
    totals = {("L", s): df.loc[df["from_status"] == s, "communes"].sum() for s in left}
    totals.update({("R", s): df.loc[df["to_status"] == s, "communes"].sum() for s in right})

    def node_name(s):
        return t(f"node.{s}", lang) if s in ("new", "gone") else status_label(s, lang)

    node_labels = [f"{node_name(s)}: {fmt_number(totals[(side, s)], lang)}" for side, s in nodes]
    node_hover = [hover_text(f"{node_name(s)} ({y0 if side == 'L' else y1})",
                         f"{fmt_number(totals[(side, s)], lang)} {t('chart.communes_unit', lang)}") for side, s in nodes]
    link_hover = [hover_text(f"{node_name(r.from_status)} ({y0}) → {node_name(r.to_status)} ({y1})",
                         f"{t('move.' + r.movement, lang)}: {fmt_number(r.communes, lang)} {t('chart.communes_unit', lang)}",
                         r.names) for r in df.itertuples()]
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",d",
        node=dict(label=[esc(x) for x in node_labels], pad=18, thickness=22,
                  color=[STATUS_COLORS.get(s, MOVE_COLORS.get(s)) for _, s in nodes],
                  x=[0.001 if side == "L" else 0.999 for side, _ in nodes], y=_sankey_y(nodes, totals),
                  customdata=node_hover, hovertemplate="%{customdata}<extra></extra>"),
        link=dict(source=[index[("L", s)] for s in df["from_status"]], target=[index[("R", s)] for s in df["to_status"]],
                  value=df["communes"], color=[rgba(MOVE_COLORS[m], 0.55) for m in df["movement"]],
                  customdata=link_hover, hovertemplate="%{customdata}<extra></extra>")))
    for m in ("up", "same", "down", "revoked", "reset", "new", "gone"):
        if m in set(df["movement"]):
            legend_swatch(fig, t(f"move.{m}", lang), MOVE_COLORS[m])
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
    fig = finish(fig, ctx, lang, t("chart.title.sankey", lang), t("chart.unit.sankey", lang), years_label=f"{y0} → {y1}")
    fig.update_layout(legend=dict(x=0.5, xanchor="center", y=1.04))
    return fig

def _notable_moves(df: pd.DataFrame, lang: str) -> str:
    """'⚠ Bị thu hồi công nhận (1): Xã Mỹ Tân' lines for revocations and downgrades (escaped)."""
    lines = []
    for m in ("revoked", "down"):
        d = df[df["movement"] == m]
        if len(d):
            names = "; ".join(n for n in d["names"] if n)
            lines.append(f"⚠ {esc(t('move.' + m, lang))} ({fmt_number(d['communes'].sum(), lang)}): {esc(short(names, 160))}")
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

@chart("criteria", series="criteria_matrix", unit="chart.unit.criteria_cells", title="chart.title.criteria", span="year",
       finding=findings.criteria_departments)
def criteria_heatmap(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", by_department: bool = False) -> go.Figure:
    """Communes (rows, worst first) × the criteria of the year's set (columns headed by their short code,
    read level on a projector; the full names in a key above the grid), not-met cells marked ✗. With
    by_department=True the criteria are grouped by their responsible department, a dotted line
    between departments and the key naming each department with its criteria (for quarterly
    department reviews). Frame: series.criteria_matrix (one year)."""
    communes = (df.drop_duplicates("commune_code")
                  .sort_values(["criteria_met", "district_name", "commune_name"])["commune_code"].tolist())
    info = df.drop_duplicates("commune_code").set_index("commune_code")
    crit = df.drop_duplicates("criterion").copy()
    crit["dept_order"] = crit.groupby("department")["number"].transform("min")
    crit = crit.sort_values(["dept_order", "number"] if by_department else ["number"]).reset_index(drop=True)
    grid = df.pivot(index="commune_code", columns="criterion", values="met").reindex(index=communes,
                                                                                    columns=crit["criterion"])
    z = grid.apply(lambda col: col.map(lambda v: np.nan if pd.isna(v) else float(bool(v)))).to_numpy(dtype=float)
    marks = np.where(z == 0, "✗", "")
    hover = [[hover_text(f"{info.at[c, 'commune_name']} ({info.at[c, 'district_name']})", f"{name}",
                     f"{t('chart.department', lang)}: {dept}",
                     t("state.no_data" if np.isnan(v) else "state.met" if v else "state.not_met", lang))
              for name, dept, v in zip(crit["criterion_name"], crit["department"], row)]
             for c, row in zip(communes, z)]
    n_all = criteria_set(df["criteria_set"].iloc[0]).n_criteria if len(df) else 19
    rows = [f"{info.at[c, 'commune_name']} ({info.at[c, 'criteria_met']}/{n_all})"
            + (" ⚠" if info.at[c, "at_risk"] else "") for c in communes]
    codes = [t("criterion.short", lang, n=int(n)) for n in crit["number"]]
    scale = [[0, NOT_MET_COLOR], [0.5, NOT_MET_COLOR], [0.5, CELL["met"][0]], [1, CELL["met"][0]]]
    fig = go.Figure(go.Heatmap(z=z, x=list(range(len(crit))), y=list(range(len(communes))), text=marks,
                               hovertext=hover, colorscale=scale, zmin=0, zmax=1, showscale=False, xgap=1, ygap=1,
                               hoverinfo="text", texttemplate="%{text}", textfont=dict(size=12, color="#FFFFFF")))
    positions_axis(fig, codes, "x", side="top", tickangle=0, tickfont=dict(size=13))
    positions_axis(fig, rows, "y", autorange="reversed", tickfont=dict(size=11 if len(communes) > 40 else 13))
    if by_department:
        groups = list(dict.fromkeys(crit["department"]))
        key = [f"{d}: " + ", ".join(_key_name(n, c) for n, c in zip(crit.loc[crit.department == d, "criterion_name"],
                                                                      [codes[i] for i in crit.index[crit.department == d]]))
               for d in groups]
        for i in crit.index[1:]:
            if crit.at[i, "department"] != crit.at[i - 1, "department"]:
                fig.add_vline(x=i - 0.5, line=dict(color="#222222", width=2, dash="dot"))
    else:
        key = [" · ".join(_key_name(n, c) for n, c in zip(crit["criterion_name"], codes))]
    lines = [w for part in key for w in textwrap.wrap(part, NOTE_WRAP)]
    margin = dict(t=MARGIN["t"] - 20 + 17 * len(lines), r=40,                # the key between subtitle and grid
                  l=max(MARGIN["l"], label_margin(rows, 11 if len(communes) > 40 else 13)))
    fig.add_annotation(text="<br>".join(esc(x) for x in lines), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                       yanchor="bottom", xshift=from_left_edge(margin), yshift=34, align="left", showarrow=False,
                       font=dict(size=12, color="#333333"), name="criteria key")
    year = int(df["year"].iloc[0]) if "year" in df and len(df) else None
    return finish(fig, ctx, lang, t("chart.title.criteria_dept" if by_department else "chart.title.criteria", lang),
                  t("chart.unit.criteria_cells", lang), y_title=t("chart.axis.commune", lang),
                  years_label=str(year or ctx.years_label), height=max(640, 20 * len(communes) + 420 + 17 * len(lines)),
                  legend=False, margin=margin)


def _key_name(name: str, code: str) -> str:
    """'TC3 Thủy lợi và phòng chống thiên tai' for a criterion whose name may already start with its code."""
    return name if name.split(" ", 1)[0] == code else f"{code} {name}"


@chart("at_risk_table", series="at_risk_list", unit="chart.unit.communes", span="year",
       finding=findings.at_risk)
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
                 [f"{fmt_number(v, lang)}/{n}" for v, n in zip(df["criteria_met"], df["n_criteria"])],
                 [esc(v) for v in df["failed_criteria"]], [esc(v) for v in df["failed_key_criteria"]]]
    fig = go.Figure(go.Table(
        columnwidth=[1.3, 1.3, 1, 0.8, 0.8, 3.2, 1.6],
        header=dict(values=[f"<b>{esc(h)}</b>" for h in headers], fill_color="#253494", font=dict(color="white"),
                    align="left", height=34),
        cells=dict(values=cells, align="left", height=30, fill_color=[["#FFFFFF", "#F3F6FA"] * (len(cells[0]) // 2 + 1)])))
    return finish(fig, ctx, lang, t("at_risk", lang), t("chart.unit.communes", lang),
                   height=max(480, 36 * max(len(df), 1) + 330), legend=False)

@chart("district_status", series="district_status_by_year", unit="chart.unit.district_status",
       title="chart.title.district_status")
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
                        textfont=dict(size=11, color=text_on(status)),
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
    year_axis(fig, years, range=[min(years) - 0.6, max(years) + 0.6], showgrid=False)
    positions_axis(fig, list(districts["district_name"]), "y", autorange="reversed", showgrid=False, zeroline=False)
    return finish(fig, ctx, lang, t("chart.title.district_status", lang), t("chart.unit.district_status", lang),
                   t("chart.axis.year", lang), t("chart.axis.district", lang), height=max(560, 48 * len(districts) + 300),
                   margin=dict(l=max(MARGIN["l"], label_margin(districts["district_name"]))))

def _district_hover(r, lang: str) -> str:
    rec = "" if pd.isna(r.ntm_recognition_year) else f" ({t('chart.recognised_in', lang, year=int(r.ntm_recognition_year))})"
    target = ""
    if not pd.isna(r.target_year):
        target = (f"{t('chart.target_of', lang, year=int(r.target_year))}: {status_label(r.target_level, lang)}"
                  f" → {t('state.' + str(r.target_status), lang)}")
    return hover_text(f"{r.district_name} · {r.year}", f"{status_label(r.ntm_status, lang)}{rec}",
                  f"{fmt_number(r.recognised_communes, lang)}/{fmt_number(r.rural_communes, lang)} {t('chart.communes_unit', lang)}"
                  f" ({fmt_percent(r.recognised_share_pct, lang, 1)})", target)
