"""Figures for the leaders' pages and exports: one pure function per chart, a tidy frame from the read
side in, a plotly Figure out (no database, no streamlit), each registered in `CHARTS` with the series
it is drawn from (`ntm.present.charts.registry`).

Every figure carries a title with the scope and the year(s), the unit of measure (subtitle and axis
titles) and a source line at the bottom that says when the figures are demo data, in Vietnamese
(numbers '1.234,5') or English (`ntm.present.charts.frame`).
"""

from ntm.present.charts import commune, ladder, poverty  # noqa: F401  (each module registers its charts)
from ntm.present.charts.registry import CHARTS, Chart

__all__ = ["CHARTS", "Chart"]
