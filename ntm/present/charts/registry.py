"""The chart registry: one entry per chart, made where the chart is drawn (`@chart(...)`), read by the
pages, the meeting pack and the image export. An entry names the read series the chart is drawn from,
which years that series covers, the unit under its caption, and the one-line finding and tone the pack
puts above it. Adding a chart is one decorated function plus its texts in the catalogue.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from ntm.present.charts.frame import ChartContext, no_data_figure
from ntm.text import t

Draw = Callable[..., go.Figure]


@dataclass(frozen=True)
class Chart:
    """One chart: drawn by `draw(df, ctx, lang, **options)` from `series` (a name of
    `ntm.read.series.SERIES`, or of `ntm.present.labels.LOCALISED` for a series with text).

    `span` says which years the series is asked for: "all" (every year), "year" (the reporting
    year), "pair" (the year before and the reporting year) or "since_first" (the first year with
    figures and the reporting year). `finding(df, year, lang)` and `tone(df, year)` speak for the
    chart on a slide; `years(df, year)` are the years its title names; `options(year)` the drawing
    options that depend on the reporting year; `rates` marks a chart of poverty rates, whose source line
    names a province's own poverty standard when figures follow one."""

    key: str
    series: str
    draw: Draw
    unit: str
    span: str = "all"
    finding: Callable[[pd.DataFrame, int, str], str] | None = None
    tone: Callable[[pd.DataFrame, int], str] | None = None
    years: Callable[[pd.DataFrame, int], Sequence[int]] | None = None
    options: Callable[[int], dict] = field(default=lambda year: {})
    rates: bool = False         # compares poverty rates (their standards are named when they differ)

    def series_options(self, year: int, years: Sequence[int], through_year: bool = False) -> dict:
        """The keyword arguments of the series for a reporting year (`years`: those with figures); with
        `through_year`, a series over all years stops at the reporting year (a report on a past year)."""
        if self.span == "all" and through_year:
            return {"years": [y for y in years if y <= year]}
        if self.span == "year":
            return {"year": year}
        if self.span == "pair":
            return {"year_from": year - 1, "year_to": year}
        if self.span == "since_first":
            return {"year_from": min(years), "year_to": year}
        return {}

    def title_years(self, df: pd.DataFrame, year: int) -> tuple[int, ...]:
        """The years the chart's title names."""
        if self.years is not None:
            return tuple(int(y) for y in self.years(df, year))
        if self.span == "year":
            return (year,)
        if self.span == "pair":
            return (year - 1, year)
        return tuple(int(y) for y in sorted(df["year"].unique())) if "year" in df and len(df) else (year,)


CHARTS: dict[str, Chart] = {}


def chart(key: str, *, series: str, unit: str, title: str | None = None, needs: str | None = None,
          **spec) -> Callable[[Draw], Draw]:
    """Register the decorated drawing function as chart `key`. With `title` (a catalogue key), a frame
    that is empty — or has no value in its `needs` column — draws the 'no figures' frame instead."""
    def register(draw: Draw) -> Draw:
        if title is not None:
            draw = _or_no_data(draw, title, needs)
        if key in CHARTS:
            raise ValueError(f"chart {key!r} registered twice")
        CHARTS[key] = Chart(key, series, draw, unit, **spec)
        return draw
    return register


def _or_no_data(draw: Draw, title: str, needs: str | None) -> Draw:
    @functools.wraps(draw)
    def inner(df: pd.DataFrame, ctx: ChartContext, lang: str = "vi", *args, **kwargs) -> go.Figure:
        if df is None or df.empty or (needs is not None and df[needs].isna().all()):
            return no_data_figure(ctx, lang, t(title, lang))
        return draw(df, ctx, lang, *args, **kwargs)
    return inner
