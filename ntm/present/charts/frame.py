"""What every chart shares: its palette, the context it is drawn for (scope, years, demo flag), the title
with scope and years, the unit subtitle, axis titles, the language's number separators, margins and the
source line (which says when the figures are demo data), the 'no figures' frame and small helpers.

Layouts are designed for 16:9 (1600×900): width is left to the page, height is set (taller for long
lists: use `export_size(fig)` when exporting), margins leave room for the source line. Unit names are
data: they are HTML-escaped (`esc`) before they reach plotly, whose labels understand a few tags.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ntm.text import plotly_separators, t

# Palette (colour-blind safe: a sequential ladder, Okabe–Ito hues for flows and states)

STATUS_COLORS = {"none": "#D9D9D9", "standard": "#41B6C4", "advanced": "#2C7FB8", "model": "#253494",
                 "modern": "#6A51A3"}
FLOW_COLORS = {"stock": "#4D4D4D", "escaped": "#009E73", "fell_back": "#D55E00", "newly_poor": "#E69F00",
               "near_to_poor": "#CC79A7", "gap": "#A6A6A6"}
MEASURE_COLORS = {"poor": "#0072B2", "near_poor": "#56B4E9", "poor_and_near_poor": "#4D4D4D"}
TERRAIN_COLORS = {"mountainous": "#CC79A7", "other": "#0072B2"}
STATE_COLORS = {"met": "#009E73", "not_met": "#D55E00", "pending": "#999999", "no_data": "#CCCCCC",
                "no_target": "#999999", "standard_break": "#DADAEB"}
MOVE_COLORS = {"up": "#009E73", "same": "#BDBDBD", "down": "#E69F00", "revoked": "#D55E00", "new": "#56B4E9",
               "gone": "#8C8C8C", "first": "#56B4E9", "reset": "#9E9AC8"}
CELL = {"met": ("#D5EFE4", "✓"), "not_met": ("#E69F00", "✗"), "lost": ("#D55E00", "↓"), "no_data": ("#F2F2F2", "")}
NOT_MET_COLOR = "#D55E00"
NEW_SET_COLOR = "#6A51A3"       # a new criteria set
BREAK_COLOR = "#6A51A3"         # a new poverty standard: figures either side do not compare
SERIES_STYLE = {"commune": ("#000000", "solid", 4), "district": ("#0072B2", "dash", 2.5), "peers": ("#7F7F7F", "dot", 2.5)}
FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
EXPORT_SIZE = (1600, 900)
MARGIN = dict(l=90, r=40, t=150, b=125)
SOURCE_SHIFT = 118          # px below the plot area where the source line ends (inside MARGIN["b"])
# Characters per line of the source, the note and a key under or over a chart: about 650 px at 12 px, so a
# line fits the narrowest chart a page draws (the main column of a 1280-px screen, ~820 px) and an image.
NOTE_WRAP = 105
# Characters per line of a title (22 px, bold) and of the unit line under it (14 px) on that chart.
TITLE_WRAP = 62
SUBTITLE_WRAP = 100
NOTE_INSET = 10             # px between the figure's left edge and the source line or a key


def esc(value) -> str:
    """Text from data, made safe for plotly labels ('<b>' shows literally)."""
    return html.escape("" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value),
                       quote=False)

@dataclass(frozen=True)
class ChartContext:
    """What a figure is about: the scope's display name, the year(s) shown, whether the data is demo,
    optionally the source text (default: the programme database) and a note under it."""

    scope_name: str
    years: tuple[int, ...]
    is_demo: bool
    source: str | None = None
    note: str = ""              # what a reader must know to compare the figures (a province's own standard)

    @property
    def years_label(self) -> str:
        """'2022', '2021–2025' (consecutive), '2021, 2023' or '2022–2026, 2030'."""
        ys = sorted({int(y) for y in self.years})
        runs: list[list[int]] = []
        for y in ys:
            if runs and y == runs[-1][-1] + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)

def source_lines(ctx: ChartContext, lang: str = "vi", width: int = NOTE_WRAP) -> list[str]:
    """The source line and the context's note, wrapped to `width` characters (not escaped)."""
    src = t("source_line", lang, source=ctx.source or t("source.default", lang))
    return (textwrap.wrap(src, width) or [""]) + (textwrap.wrap(ctx.note, width) if ctx.note else [])


def source_text(ctx: ChartContext, lang: str = "vi", width: int = NOTE_WRAP) -> str:
    """The source line as plotly text: escaped, wrapped, demo tag in bold."""
    text = "<br>".join(esc(line) for line in source_lines(ctx, lang, width))
    if ctx.is_demo:
        text += "<br><b>" + esc(t("demo_tag", lang)) + "</b>"
    return text

def export_size(fig: go.Figure, base: tuple[int, int] = EXPORT_SIZE) -> tuple[int, int]:
    """(width, height) to export a figure: 16:9, taller when the figure asks for more height."""
    height = fig.layout.height or base[1]
    return base[0], max(base[1], int(height))

def hover_text(*lines: str) -> str:
    """Hover text from already formatted lines (each escaped)."""
    return "<br>".join(esc(line) for line in lines if line)

def finish(fig: go.Figure, ctx: ChartContext, lang: str, title: str, unit: str, x_title: str | None = None,
            y_title: str | None = None, years_label: str | None = None, height: int = 640,
            legend: bool = True, margin: dict | None = None) -> go.Figure:
    """Title (with scope and years), unit subtitle, axis titles, Vietnamese/English number separators,
    margins and the source line: the layout every chart shares."""
    years = years_label or ctx.years_label
    extra = 16 * (len(source_lines(ctx, lang)) - 1)         # room for the source's second line and the note's
    heading, units = title_lines(title, f"{ctx.scope_name}, {years}"), textwrap.wrap(unit, SUBTITLE_WRAP)
    margin = dict(MARGIN, **(margin or {}))
    margin["b"] += extra
    margin["t"] += 28 * (len(heading) - 1) + 18 * max(len(units) - 1, 0)
    fig.update_layout(
        template="plotly_white", height=height + extra, width=None, margin=margin,
        font=dict(family=FONT, size=14, color="#222222"), separators=plotly_separators(lang),
        title=dict(text="<br>".join(heading), x=0.01, xanchor="left", y=1, yanchor="top",
                   pad=title_pad(len(heading)), font=dict(size=22),
                   subtitle=dict(text="<br>".join(esc(line) for line in units), font=dict(size=14))),
        showlegend=legend, legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, xanchor="left", title_text=""),
        hoverlabel=dict(font_family=FONT, align="left"),
    )
    if x_title is not None:
        fig.update_xaxes(title_text=esc(x_title), automargin=True)
    if y_title is not None:
        fig.update_yaxes(title_text=esc(y_title), automargin=True)
    fig.add_annotation(text=source_text(ctx, lang), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="bottom", xshift=from_left_edge(margin), yshift=-SOURCE_SHIFT - extra, align="left",
                       showarrow=False, font=dict(size=12, color="#555555"), name="source")
    return fig


def title_lines(title: str, about: str, width: int = TITLE_WRAP) -> list[str]:
    """A chart's title as plotly lines: '<b>title</b> — scope, years' on one line when it fits `width`
    characters, else the title (bold) and then its scope and years, each wrapped — never cut."""
    if len(title) + 3 + len(about) <= width:
        return [f"<b>{esc(title)}</b> — {esc(about)}"]
    return [f"<b>{esc(line)}</b>" for line in textwrap.wrap(title, width)] + [esc(x) for x in textwrap.wrap(about, width)]


def title_pad(lines: int, size: int = 22) -> dict:
    """The title's room above it, in pixels: 10, and for a title of several lines 0.7 em more — plotly lifts
    the first of several lines by that much above where it puts a single line."""
    return dict(t=10 + (round(0.7 * size) if lines > 1 else 0))


def from_left_edge(margin: dict) -> float:
    """The shift that puts a note anchored at the plot area's left (paper x = 0) near the figure's left edge
    instead: the chart's left margin less a small inset. (A chart with long labels on its left sets a left
    margin that holds them, so its notes start at the edge and stay inside the figure.)"""
    return -max(margin["l"] - NOTE_INSET, 0)


def label_margin(labels, size: int = 14, title: bool = True) -> int:
    """A left margin that holds category labels of `size` px (their longest line) and the axis title."""
    longest = max((len(line) for x in labels for line in str(x).split("<br>")), default=0)
    return int(longest * size * 0.55) + (40 if title else 0) + 20


def wrap_label(text: str, width: int = 30) -> str:
    """A category label in lines of up to `width` characters (escaped, joined by <br>): never cut."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width)) or ""

def no_data_figure(ctx: ChartContext, lang: str = "vi", title: str = "") -> go.Figure:
    """An empty figure that says there are no figures for the scope and years (same frame as a chart)."""
    return message_figure(ctx, lang, title or t("state.no_data", lang),
                          t("no_data", lang, name=ctx.scope_name, year=ctx.years_label))


def message_figure(ctx: ChartContext, lang: str, title: str, message: str) -> go.Figure:
    """A chart's frame that says, instead of drawing, why there is nothing to compare (one district to
    rank, one kind of area), wrapped to stay inside the frame."""
    fig = go.Figure()
    fig.add_annotation(text="<br>".join(esc(line) for line in textwrap.wrap(message, 70)), x=0.5, y=0.5,
                       xref="paper", yref="paper", showarrow=False, font=dict(size=18, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, ctx, lang, title, "", legend=False)

def mark_new_criteria_sets(fig: go.Figure, years, sets, lang: str) -> None:
    """A dashed line before each year that is assessed against a different criteria set than the year
    before (the bars on either side do not compare), labelled with the new set's size."""
    from ntm.domain.criteria import criteria_set
    pairs = sorted({(int(y), s) for y, s in zip(years, sets) if isinstance(s, str)})
    for (_, before), (year, key) in zip(pairs, pairs[1:]):
        if key != before:
            mark_line(fig, year - 0.5, t("chart.new_criteria_set", lang, n=criteria_set(key).n_criteria),
                      NEW_SET_COLOR)


def mark_standard_breaks(fig: go.Figure, years, standards, lang: str) -> list[tuple[int, int, str, str]]:
    """A dashed line between two points whose figures follow different poverty standards (2020 | 2021,
    2025 | 2026, a province's own standard coming or going), labelled with the new standard ('unconfirmed'
    where its review years are) on the side with more room, and a legend entry for the line. Returns the
    breaks marked."""
    from ntm.domain.periods import standard_breaks
    from ntm.present.labels import standard_name
    breaks = standard_breaks(years, standards)
    ys = [int(y) for y in years]
    middle = (min(ys) + max(ys)) / 2 if ys else 0
    for i, (y0, y1, _, after) in enumerate(breaks):        # labels of successive breaks one below the other
        x = (y0 + y1) / 2
        mark_line(fig, x, t("chart.standard_break", lang, name=standard_name(after, lang)).split(" ["), BREAK_COLOR,
                  left=x > middle, level=i)
    if breaks:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", hoverinfo="skip",
                                 name=esc(t("chart.standard_break_legend", lang)),
                                 line=dict(color=BREAK_COLOR, width=2, dash="dash")))
    return breaks


def mark_line(fig: go.Figure, x: float, text: str | list[str], color: str, left: bool = False, level: int = 0) -> None:
    """A dashed vertical line at `x` on every panel of the figure, with `text` (escaped; a list: one line
    each, the later ones in brackets) at its top — to the right of the line, or to its `left`; `level`
    lowers the label by that many label heights (for lines close to each other)."""
    lines = [text] if isinstance(text, str) else [text[0], *(f"[{p}" for p in text[1:])]
    label = "<br>".join(esc(line.strip()) for line in lines)
    suffixes = sorted({k[5:] for k in fig.layout.to_plotly_json() if k.startswith("xaxis")}) or [""]
    for i, n in enumerate(suffixes):
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, xref=f"x{n}", yref=f"y{n} domain", name="break",
                      line=dict(color=color, width=1.5, dash="dash"))
        if i == 0:
            fig.add_annotation(x=x, y=1, xref=f"x{n}", yref=f"y{n} domain", yanchor="top", showarrow=False,
                               xanchor="right" if left else "left", align="right" if left else "left",
                               xshift=-4 if left else 4, yshift=-40 * level, text=label, font=dict(size=12, color=color),
                               name="break")


def year_axis(fig: go.Figure, years, **kwargs) -> None:
    """Years as categorical ticks on the x axis (every year labelled, none in between)."""
    ys = sorted({int(y) for y in years})
    fig.update_xaxes(tickmode="array", tickvals=ys, ticktext=[str(y) for y in ys], **kwargs)

def positions_axis(fig: go.Figure, labels: list[str], axis: str = "y", wrap: int | None = None, **kwargs) -> None:
    """Categorical labels on numeric positions (names may repeat); escaped (and wrapped to lines of `wrap`
    characters); first at the top."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    text = [wrap_label(x, wrap) if wrap else esc(x) for x in labels]
    update(tickmode="array", tickvals=list(range(len(labels))), ticktext=text, **kwargs)

def legend_swatch(fig: go.Figure, name: str, color: str, symbol: str = "square", **marker) -> None:
    """A legend entry with no data (for shapes, heatmap cells and Sankey links)."""
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=esc(name), hoverinfo="skip",
                             marker=dict(color=color, symbol=symbol, size=14, **marker)))

def text_on(status: str) -> str:
    """Text colour readable on a status colour."""
    return "#FFFFFF" if status in ("advanced", "model", "modern") else "#222222"

def rgba(hex_color: str, alpha: float) -> str:
    """'#0072B2', 0.5 → 'rgba(0, 114, 178, 0.5)'."""
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)}, {alpha})"

def short(text: str, width: int = 26) -> str:
    """`text` cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
