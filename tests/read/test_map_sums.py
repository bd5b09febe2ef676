"""What a map sums follows from the map indicators: every figure an indicator divides is read per unit
(a count column of the yearly file under its own name), a change's figures the year before too, and an
indicator over a figure that cannot be summed is refused by name."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm.domain.metrics import METRICS, Metric
from ntm.read import geography
from ntm.read.scope import resolve_scope


def test_every_indicator_reads_its_figures_and_a_change_its_year_before(db):
    figures = geography.map_figures(db, "district", 2024, resolve_scope(db, "62", 2024, "old"))
    for m in METRICS.values():
        assert set(m.figures) <= set(figures.columns), m.key
        if m.change:
            assert {f"{n}_prev" for n in m.figures} <= set(figures.columns), m.key
    assert geography.previous_year_figures() == ["poor", "households"]


def test_an_indicator_over_a_count_column_sums_it_for_the_year_and_the_year_before(db, monkeypatch):
    change = Metric("em_poor_change", ("ethnic_minority_poor_households",), "ethnic_minority_households",
                    unit="unit.pp", change=True)
    monkeypatch.setitem(METRICS, change.key, change)
    kon_tum = resolve_scope(db, "62", 2024, "old")
    figures = geography.map_figures(db, "district", 2024, kon_tum).set_index("code")
    for year, suffix in ((2024, ""), (2023, "_prev")):
        expected = db.execute("""SELECT district_code, sum(ethnic_minority_poor_households) FROM commune_year
            WHERE is_current AND year = ? AND province_code = '62' GROUP BY ALL""", [year]).df()
        got = figures["ethnic_minority_poor_households" + suffix]
        assert got.notna().all() and got.sum() > 0
        assert dict(zip(expected.iloc[:, 0], expected.iloc[:, 1])) == pytest.approx(got.to_dict())
    values = change.values(figures.reset_index(), "district")
    assert values.notna().all() and not (values == 0).all()
    assert pd.Series(figures["em_poor"]).equals(figures["ethnic_minority_poor_households"])


@pytest.mark.parametrize("figure", ["income_per_capita", "no_such_column"])
def test_an_indicator_over_a_figure_that_cannot_be_summed_is_refused(figure, monkeypatch):
    monkeypatch.setitem(METRICS, "odd", Metric("odd", (figure,)))
    with pytest.raises(ValueError, match=f"'odd': '{figure}'"):
        geography.map_sums()
