"""The poverty ranking as a chart (`ntm.present.charts.poverty`): what it ranks is in its title, its axis
and its legend — communes (provinces nationally) on the new units, districts on the old — and every bar's
label ('30,84 điểm %') has room inside the figure."""

from __future__ import annotations

import pytest

from ntm.present.charts import CHARTS
from ntm.present.charts.frame import ChartContext
from ntm.present.charts.poverty import LABEL_CHAR_SHARE
from ntm.read import poverty as poverty_q
from ntm.read.scope import resolve_scope


def drawn(db, chart: str, code: str | None, geo: str, years: tuple[int, int], lang: str = "vi"):
    scope = resolve_scope(db, code, years[1], geo)
    df = getattr(poverty_q, CHARTS[chart].series)(db, scope, *years)
    return df, CHARTS[chart].draw(df, ChartContext(scope.name, years, True), lang)


def bars(fig) -> list[tuple[float, str]]:
    return [(float(x), text) for trace in fig.data if trace.type == "bar" for x, text in zip(trace.x, trace.text)]


@pytest.mark.parametrize("chart, code, geo, years", [
    ("unit_ranking", "51", "new", (2021, 2026)), ("unit_ranking", None, "new", (2021, 2026)),
    ("district_ranking", "62", "old", (2021, 2024)), ("district_ranking", "51", "old", (2022, 2023)),
])
def test_every_bar_label_has_room_beyond_its_bar(db, chart, code, geo, years):
    _, fig = drawn(db, chart, code, geo, years)
    lo, hi = fig.layout.xaxis.range
    for value, text in bars(fig):
        room = len(text) * LABEL_CHAR_SHARE * (hi - lo)           # the label's width on the axis
        assert (value + room <= hi) if value >= 0 else (value - room >= lo), (value, text)
    assert all(text.endswith("điểm %") for _, text in bars(fig))  # the unit is never dropped


def test_a_province_of_2026_ranks_its_communes(db):
    df, fig = drawn(db, "unit_ranking", "51", "new", (2021, 2026))
    assert fig.layout.title.text.startswith("<b>Xếp hạng xã theo mức giảm tỷ lệ hộ nghèo</b>")
    assert fig.layout.yaxis.title.text == "Xã"
    assert {t.name for t in fig.data if t.showlegend} == {"Xã miền núi", "Các xã khác"}
    assert "15 xã cao nhất và 15 xã thấp nhất trong" in fig.layout.title.subtitle.text.replace("<br>", " ")    # a long list: its ends
    assert len(fig.layout.yaxis.ticktext) == 30 < len(df)
    finding = CHARTS["unit_ranking"].finding(df, 2026, "vi")
    best = df.iloc[0]["unit_name"]
    assert finding.startswith(f"2021–2026: {best} giảm nhiều nhất") and f"/{len(df)} xã giảm" in finding


def test_the_nation_ranks_its_provinces_in_one_colour(db):
    _, fig = drawn(db, "unit_ranking", None, "new", (2021, 2026), "en")
    assert fig.layout.title.text.startswith("<b>Provinces ranked by poor-rate reduction</b>")
    assert fig.layout.yaxis.title.text == "Province" and not [t for t in fig.data if t.showlegend]
    assert set(fig.layout.yaxis.ticktext) == {"Tỉnh Quảng Ngãi", "Tỉnh Thanh Hóa", "Tỉnh Quảng Ninh"}


def test_one_commune_is_said_not_ranked(db):
    df, _ = drawn(db, "unit_ranking", "51", "new", (2021, 2026))
    fig = CHARTS["unit_ranking"].draw(df.head(1), ChartContext("Xã A", (2021, 2026), True), "vi")
    message = fig.layout.annotations[0].text.replace("<br>", " ")
    assert message.startswith("Chỉ có một xã trong phạm vi này nên không có xếp hạng") and "huyện" not in message
