"""The one fixed style block: Streamlit's own widget texts in the reader's language, and metric cards
that wrap instead of cutting. No data ever reaches it: only catalogue words and the configured upload
size limit."""

from __future__ import annotations

import streamlit as st

from ntm.text import t, toolkit_speaks

# A metric card's label, value and change wrap onto a second line instead of ending in "…" (Streamlit cuts
# them with an ellipsis): a status or a number is never cut, on a 1280-px projector or in a narrow column.
# Cards side by side keep one height; a card whose value is words (a status) sits in a container keyed
# "words…" and takes a smaller type.
METRIC_WRAP_CSS = """
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p
  { white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word; }
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) { overflow: visible; height: auto; }
[data-testid="stMetricDelta"] { height: auto; align-items: flex-start; }
[data-testid="stMetricValue"] { line-height: 1.2; }
[data-testid="stColumn"] > [data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:only-child:has(> [data-testid="stMetric"])
  { flex-grow: 1; }
[data-testid="stElementContainer"]:only-child > [data-testid="stMetric"] { height: 100%; }
[class*="st-key-words"] [data-testid="stMetricValue"] { font-size: 1.75rem; }
"""
# The data grids' toolbar (search, CSV, full screen) has English tooltips no style can change: hidden where
# the toolkit does not speak the reader's language (`ntm.text.toolkit_speaks`); the product's own download
# buttons stand in for it.
GRID_TOOLBAR_HIDDEN = '[data-testid="stDataFrame"] [data-testid="stElementToolbar"] { display: none; }'


def _css_text(text: str) -> str:
    """Catalogue text as a CSS string literal (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def widgets_in_language(lg: str) -> None:
    """Streamlit's own widget texts are English: the file uploader's button, size limit and refusal of a
    file (its tooltip), a text box's "Press Enter to apply", and the full-screen button it adds to every
    chart's toolbar (plotly's own buttons follow `dashboard.charts.plotly_config`). The style block puts
    the catalogue's words there instead."""
    mb = int(st.get_option("server.maxUploadSize"))
    limit, refused = t("ui.upload_limit", lg, mb=mb), t("ui.upload_refused", lg, mb=mb)
    st.html(f"""<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]::after {{ content: {_css_text(t("ui.upload_button", lg))}; margin-left: 0.4rem; white-space: nowrap; }}
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzoneInstructions"] small {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after, [data-testid="stFileUploaderDropzoneInstructions"] small::after
  {{ content: {_css_text(limit)}; font-size: 0.85rem; }}
[data-testid="stTooltipErrorContent"] {{ font-size: 0; }}
[data-testid="stTooltipErrorContent"]::after {{ content: {_css_text(refused)}; font-size: 0.85rem; }}
[data-testid="InputInstructions"] {{ font-size: 0; }}
[data-testid="InputInstructions"]::after {{ content: {_css_text(t("ui.press_enter", lg))}; font-size: 0.75rem; }}
.modebar-btn[data-title="Fullscreen"]::after {{ content: {_css_text(t("ui.fullscreen", lg))} !important; }}
.modebar-btn[data-title="Close fullscreen"]::after {{ content: {_css_text(t("ui.fullscreen_close", lg))} !important; }}
{"" if toolkit_speaks(lg) else GRID_TOOLBAR_HIDDEN}
{METRIC_WRAP_CSS}
</style>""")
