"""ntm.charts: every figure has a title with the year, units, a source line that flags demo data,
Vietnamese number formats, escaped unit names, and exports to PNG."""

from __future__ import annotations

import struct

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ntm.present import labels
from ntm.present.charts import commune as commune_charts
from ntm.present.charts import frame, ladder
from ntm.present.charts import poverty as poverty_charts
from ntm.read import commune as commune_q
from ntm.read import ntm as ntm_q
from ntm.read import poverty as poverty_q
from ntm.read import summary as summary_q
from ntm.read.scope import resolve_scope
from ntm.store.connection import connect

YEARS = (2021, 2022, 2023, 2024, 2025)
NO_AXES = {"sankey", "at_risk"}


def build(con, lang: str) -> dict[str, tuple[go.Figure, str]]:
    """Every chart for the demo stories: name → (figure, a year its title must show)."""
    kt, th, qn = (resolve_scope(con, c, 2024) for c in ("62", "38", "51"))
    my_tan = resolve_scope(con, "15067", 2024)

    def ctx(scope, years):
        return frame.ChartContext(scope.name, tuple(years), summary_q.is_demo(con, scope, years))

    return {
        "status": (ladder.ntm_status_by_year(ntm_q.ntm_status_by_year(con, kt), ctx(kt, YEARS), lang), "2021"),
        "status_share": (ladder.ntm_status_by_year(ntm_q.ntm_status_by_year(con, kt), ctx(kt, YEARS), lang, share=True), "2025"),
        "targets": (ladder.targets_progress(labels.targets_progress(con, kt, lang), ctx(kt, (2022, 2025)), lang), "2025"),
        "sankey": (ladder.status_sankey(ntm_q.status_flows(con, th, 2023, 2024), ctx(th, (2023, 2024)), lang), "2024"),
        "criteria": (ladder.criteria_heatmap(labels.criteria_matrix(con, kt, 2023, lang), ctx(kt, (2023,)), lang), "2023"),
        "criteria_dept": (ladder.criteria_heatmap(labels.criteria_matrix(con, kt, 2023, lang), ctx(kt, (2023,)), lang,
                                             by_department=True), "2023"),
        "at_risk": (ladder.at_risk_table_figure(labels.at_risk_list(con, kt, 2023, lang), ctx(kt, (2023,)), lang), "2023"),
        "districts": (ladder.district_status_timeline(ntm_q.district_status_by_year(con, kt), ctx(kt, YEARS), lang), "2025"),
        "waterfall": (poverty_charts.poverty_waterfall(poverty_q.poverty_flows(con, kt), ctx(kt, (2022,)), lang, year=2022), "2022"),
        "rates": (poverty_charts.poverty_rate_trend(poverty_q.poverty_rates(con, kt), ctx(kt, YEARS), lang), "2021"),
        "terrain": (poverty_charts.mountainous_vs_other(poverty_q.poverty_by_terrain(con, qn), ctx(qn, YEARS), lang), "2025"),
        "em": (poverty_charts.ethnic_minority_poor(poverty_q.ethnic_minority_poverty(con, kt), ctx(kt, YEARS), lang), "2025"),
        "reduction": (poverty_charts.reduction_vs_target(poverty_q.poverty_reduction(con, th, subset="poor_districts"), ctx(th, YEARS), lang),
                      "2025"),
        "ranking": (poverty_charts.district_ranking(poverty_q.district_ranking(con, th, 2022, 2024), ctx(th, (2022, 2024)), lang), "2024"),
        "rank_change": (poverty_charts.district_ranking(poverty_q.district_ranking(con, th, 2022, 2024), ctx(th, (2022, 2024)), lang,
                                           by="rank_change"), "2022"),
        "fallback": (poverty_charts.fallback_share(poverty_q.fallback_share(con, kt), ctx(kt, YEARS), lang), "2025"),
        "history": (commune_charts.commune_status_history(commune_q.commune_status_history(con, my_tan), ctx(my_tan, YEARS), lang), "2021"),
        "scorecard": (commune_charts.commune_scorecard(labels.commune_scorecard(con, my_tan, lang), ctx(my_tan, YEARS), lang), "2025"),
        "peers": (commune_charts.commune_poverty_vs_peers(commune_q.commune_vs_peers(con, my_tan), ctx(my_tan, YEARS), lang), "2025"),
    }


@pytest.fixture(scope="module")
def figures(demo_db_path):
    con = connect(demo_db_path, read_only=True)
    try:
        yield {lang: build(con, lang) for lang in ("vi", "en")}
    finally:
        con.close()


def source_annotation(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "source")


def hover_texts(fig: go.Figure) -> str:
    """Every hover text, tick label and node/link text of a figure, joined."""
    parts = []
    for tr in fig.data:
        for attr in ("hovertext", "customdata", "text"):
            v = getattr(tr, attr, None)
            if v is not None:
                parts.append(str(v))
        if tr.type == "sankey":
            parts += [str(tr.node.customdata), str(tr.link.customdata)]
    for ax in (fig.layout.xaxis, fig.layout.yaxis):
        if ax.ticktext is not None:
            parts.append(str(ax.ticktext))
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_has_title_year_source_and_units(figures, lang):
    demo_word = "MINH HỌA" if lang == "vi" else "DEMO"
    for name, (fig, year) in figures[lang].items():
        assert year in fig.layout.title.text, name
        assert fig.layout.title.subtitle.text, name                      # the unit of measure
        assert demo_word in source_annotation(fig), name
        assert fig.layout.separators == (",." if lang == "vi" else ".,"), name
        assert fig.layout.margin.b >= 100 and fig.layout.height >= 480, name
        if name not in NO_AXES:
            titles = [ax.title.text for ax in (fig.layout.xaxis, fig.layout.yaxis) if ax.title.text]
            assert titles, name


def test_value_axes_name_their_unit(figures):
    vi = figures["vi"]
    assert "%" in vi["rates"][0].layout.yaxis.title.text
    assert "(hộ)" in vi["waterfall"][0].layout.yaxis.title.text
    assert "điểm %" in vi["reduction"][0].layout.yaxis.title.text
    assert "(xã)" in vi["status"][0].layout.yaxis.title.text
    assert "%" in vi["em"][0].layout.yaxis2.title.text and "(hộ)" in vi["em"][0].layout.yaxis.title.text
    assert "(pp)" in figures["en"]["reduction"][0].layout.yaxis.title.text


def test_waterfall_numbers_and_colours(figures):
    vi, _ = figures["vi"]["waterfall"]
    texts = [t for tr in vi.data for t in tr.text]
    # Kon Tum 2022 as published (DOMAIN §2.4): the near-poor who became poor, and the −40 that does not balance.
    assert texts == ["21.989", "−6.782", "+13", "+594", "+169", "−40", "15.943"]
    en, _ = figures["en"]["waterfall"]
    assert [t for tr in en.data for t in tr.text][:2] == ["21,989", "−6,782"]
    colours = {tr.name: tr.marker.color for tr in vi.data}
    assert colours["Thoát nghèo"] == frame.FLOW_COLORS["escaped"]
    assert colours["Tái nghèo"] == frame.FLOW_COLORS["fell_back"] != colours["Nghèo phát sinh"]


def test_status_palette_is_shared(figures):
    status, _ = figures["vi"]["status"]
    sankey, _ = figures["vi"]["sankey"]
    # 2021–2025 years: the four rungs of QĐ 318, in the one status palette.
    qd318 = {frame.STATUS_COLORS[s] for s in ("none", "standard", "advanced", "model")}
    assert {tr.marker.color for tr in status.data} == qd318
    assert qd318 <= set(sankey.data[0].node.color)
    assert "Mỹ Tân" in str(sankey.layout.annotations)                     # the revocation is named


def test_no_data_source_is_not_marked_demo(db):
    kt = resolve_scope(db, "62", 2022)
    fig = poverty_charts.poverty_rate_trend(poverty_q.poverty_rates(db, kt), frame.ChartContext("Tỉnh Kon Tum", YEARS, False))
    assert "MINH HỌA" not in source_annotation(fig) and "Nguồn:" in source_annotation(fig)


def test_unit_names_are_escaped(db):
    th = resolve_scope(db, "38", 2024)
    evil = "<b>Xã Thử</b> & co"
    ctx = frame.ChartContext("<i>Tỉnh</i>", (2023, 2024), True)
    flows = ntm_q.status_flows(db, th, 2023, 2024).assign(names=evil)
    ranking = poverty_q.district_ranking(db, th, 2022, 2024)
    ranking.loc[0, "district_name"] = evil
    matrix = labels.criteria_matrix(db, resolve_scope(db, "62", 2023), 2023)
    matrix.loc[matrix.commune_code == matrix.commune_code.iloc[0], "commune_name"] = evil
    for fig in (ladder.status_sankey(flows, ctx), poverty_charts.district_ranking(ranking, ctx), ladder.criteria_heatmap(matrix, ctx)):
        text = hover_texts(fig)
        assert "&lt;b&gt;Xã Thử&lt;/b&gt; &amp; co" in text
        assert "<b>Xã Thử" not in text
        assert "&lt;i&gt;Tỉnh&lt;/i&gt;" in fig.layout.title.text


def test_context_years_label():
    assert frame.ChartContext("X", (2025, 2021, 2022, 2023, 2024), False).years_label == "2021–2025"
    assert frame.ChartContext("X", (2022,), False).years_label == "2022"
    assert frame.ChartContext("X", (2021, 2023), False).years_label == "2021, 2023"


def test_tall_charts_ask_for_their_height(figures):
    fig, _ = figures["vi"]["criteria"]
    assert frame.export_size(fig)[1] == fig.layout.height > 1000        # ~85 communes, readable rows
    assert frame.export_size(figures["vi"]["rates"][0]) == frame.EXPORT_SIZE


def test_png_export_1920x1080(figures):
    fig, _ = figures["vi"]["waterfall"]
    png = pio.to_image(fig, format="png", width=1920, height=1080)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1920, 1080)
    assert len(png) > 30_000


def test_empty_frames_give_a_no_data_figure(db):
    kt = resolve_scope(db, "62", 2024)
    ctx = frame.ChartContext("Tỉnh Kon Tum", (2030,), False)
    for fig in (poverty_charts.poverty_rate_trend(poverty_q.poverty_rates(db, kt, [2030]), ctx),
                poverty_charts.poverty_waterfall(poverty_q.poverty_flows(db, kt), ctx, year=2030),
                commune_charts.commune_poverty_vs_peers(commune_q.commune_vs_peers(db, kt, [2030]), ctx, "en")):
        assert "2030" in fig.layout.title.text and "2030" in str(fig.layout.annotations)


def test_one_year_of_figures_gives_a_no_data_figure_not_empty_axes(db):
    """A reduction needs two years, a status history an NTM status: without them the chart says so."""
    kt = resolve_scope(db, "62", 2024)
    ctx = frame.ChartContext("Tỉnh Kon Tum", (2021,), False)
    reduction = poverty_q.poverty_reduction(db, kt, [2021])                 # the first year: no previous year
    assert len(reduction) and reduction["reduction_pp"].isna().all()
    ward = commune_q.commune_status_history(db, resolve_scope(db, "23293", 2024))   # a ward: no NTM status
    for fig in (poverty_charts.reduction_vs_target(reduction, ctx), commune_charts.commune_status_history(ward, ctx, "en")):
        assert not fig.data
        assert any("2021" in a.text for a in fig.layout.annotations)


def test_waterfall_shows_near_poor_becoming_poor_when_files_report_it(figures):
    """DOMAIN §2.4 (Kon Tum 2022, published): 21,989 − 6,782 + 13 + 594 + 169 near-poor → poor = 15,983
    against 15,943, a gap of −40; without the column the bar is absent and the gap takes the flow."""
    row = {"year": 2022, "households": 100_000, "poor_start": 21_989, "escaped": 6_782, "fell_back": 13,
           "newly_poor": 594, "near_to_poor": 169, "poor_end": 15_943, "gap_tolerance": 220.0, "balanced": True,
           "poor_rate_start_pct": 15.3, "poor_rate_end_pct": 10.9, "near_poor": 6_000, "start_converted": False,
           "approximate": False}
    row["expected_end"] = 21_989 - 6_782 + 13 + 594 + 169
    row["gap"] = row["poor_end"] - row["expected_end"]
    import pandas as pd

    fig = poverty_charts.poverty_waterfall(pd.DataFrame([row]), frame.ChartContext("Tỉnh Kon Tum", (2022,), True),
                                           "vi", year=2022)
    assert [t for tr in fig.data for t in tr.text] == ["21.989", "−6.782", "+13", "+594", "+169", "−40", "15.943"]
    assert {tr.name: tr.marker.color for tr in fig.data}["Cận nghèo thành nghèo"] == frame.FLOW_COLORS["near_to_poor"]
    row.update(near_to_poor=None, expected_end=21_989 - 6_782 + 13 + 594)      # a file without the column
    row["gap"] = row["poor_end"] - row["expected_end"]
    fig = poverty_charts.poverty_waterfall(pd.DataFrame([row]), frame.ChartContext("Tỉnh X", (2022,), True), "vi", year=2022)
    assert "Cận nghèo thành nghèo" not in {tr.name for tr in fig.data}
    assert [t for tr in fig.data for t in tr.text][-2:] == ["+129", "15.943"]       # the gap takes the flow
