"""Registered charts (`ntm.present.charts.CHARTS`) on a page: their data for the state, their context
(scope, years, demo flag, standards note) and the figure with its PNG export, kept per exact inputs."""

from __future__ import annotations

import hashlib
import pickle

import pandas as pd
import streamlit as st

from dashboard.frame import no_data, scope_name_with_filters
from dashboard.queries import get_series, options, state_is_demo
from dashboard.session import data_version, shared
from ntm.present import labels
from ntm.present import state as vs
from ntm.present.charts import CHARTS
from ntm.present.charts.frame import ChartContext
from ntm.text import locale, t

PLOTLY_CONFIG = {"displaylogo": False,
                 "toImageButtonOptions": {"format": "png", "width": 1920, "height": 1080, "scale": 1}}
# The chart toolbar's own texts (plotly.js, English) → catalogue keys: the toolbar speaks the reader's
# language through plotly's `locales` configuration.
PLOTLY_TEXTS = {
    "Download plot as a PNG": "plotly.download_png", "Download plot": "plotly.download",
    "Zoom": "plotly.zoom", "Pan": "plotly.pan", "Box Select": "plotly.box_select",
    "Lasso Select": "plotly.lasso_select", "Zoom in": "plotly.zoom_in", "Zoom out": "plotly.zoom_out",
    "Autoscale": "plotly.autoscale", "Reset axes": "plotly.reset_axes", "Reset view": "plotly.reset_view",
    "Toggle Spike Lines": "plotly.spikes", "Show closest data on hover": "plotly.hover_closest",
    "Compare data on hover": "plotly.hover_compare", "Double-click to zoom back out": "plotly.double_click",
    "Taking snapshot - this may take a few seconds": "plotly.snapshot_wait", "Snapshot succeeded": "plotly.snapshot_ok",
    "Sorry, there was a problem downloading your snapshot!": "plotly.snapshot_failed",
}


def plotly_config(lang: str) -> dict:
    """The chart configuration for `lang`: the export size, and the toolbar's texts in the language."""
    code = locale(lang)
    return {**PLOTLY_CONFIG, "locale": code,
            "locales": {code: {"dictionary": {en: t(key, lang) for en, key in PLOTLY_TEXTS.items()}}}}


def chart_context(state: vs.ViewState, years, scope_name: str | None = None, demo: bool | None = None,
                  rates: bool = False):
    """The `ChartContext` of a figure on this page (scope name, years, demo flag; for a chart of poverty
    rates, a note naming a province's own poverty standard where figures follow one)."""
    demo = state_is_demo(state) if demo is None else demo
    name = scope_name or scope_name_with_filters(state)
    years = tuple(int(y) for y in years)
    note = labels.standards_note(get_series("local_standards_used", state, years=years), state.lang) if rates else ""
    return ChartContext(name, years, bool(demo), note=note)


def chart_data(name: str, state: vs.ViewState, code: str | None = "__scope__", filtered: bool = True) -> pd.DataFrame:
    """The frame registered chart `name` is drawn from, for the state's scope (or `code`) and year."""
    spec = CHARTS[name]
    years = options(data_version(), state.geography).years or (state.year,)
    return get_series(spec.series, state, code=code, filtered=filtered, **spec.series_options(state.year, years))


def page_data(name: str, state: vs.ViewState) -> pd.DataFrame:
    """The frame of registered chart `name` that a page cannot do without; when it is empty the page
    says there are no figures for its scope and stops."""
    data = chart_data(name, state)
    if data.empty:
        no_data(state)
        st.stop()
    return data


def show_chart(name: str, state: vs.ViewState, data: pd.DataFrame | None = None, *, widget: str,
               code: str | None = "__scope__", filtered: bool = True, scope_name: str | None = None,
               **options_) -> pd.DataFrame:
    """Draw registered chart `name` for the state, from `data` or its own series, titled with its years
    and scope, with the PNG export button. Returns the frame drawn."""
    spec = CHARTS[name]
    data = chart_data(name, state, code, filtered) if data is None else data
    ctx = chart_context(state, spec.title_years(data, state.year), scope_name=scope_name, rates=spec.rates)
    chart(name, data, ctx, state.lang, widget, **{**spec.options(state.year), **options_})
    return data


def chart(name: str, data: pd.DataFrame, ctx, lang: str, widget: str, **kwargs) -> None:
    """Draw registered chart `name` from `data` in `ctx` with the PNG export button at 1920×1080. The
    figure is kept per process for its exact inputs (the data's content, context, language and
    options), so a rerun with unchanged inputs does not build it again."""
    fingerprint = hashlib.sha1(frame_content(data) + pickle.dumps((ctx, lang, sorted(kwargs.items())))).hexdigest()
    fig = _figure(name, fingerprint, data, ctx, lang, kwargs)
    st.plotly_chart(fig, config=plotly_config(lang), key=widget, width="stretch")


def frame_content(data: pd.DataFrame) -> bytes:
    """The content of a frame as bytes: equal for equal values, columns and types, whatever the frame's
    memory layout (a pickle of two equal frames may differ, and every visit would build its figure again)."""
    layout = pickle.dumps((list(data.columns), [str(d) for d in data.dtypes], list(data.index.names)))
    columns = (pickle.dumps(data.iloc[:, i].tolist()) for i in range(data.shape[1]))
    return layout + pickle.dumps(data.index.tolist()) + b"".join(columns)


@shared(max_entries=256)
def _figure(name: str, fingerprint: str, _data, _ctx, _lang, _kwargs):
    """A built figure, keyed on the fingerprint of its inputs only (the inputs are not hashed again).
    Figures are shared read-only: `st.plotly_chart` serialises a copy."""
    return CHARTS[name].draw(_data, _ctx, _lang, **_kwargs)
