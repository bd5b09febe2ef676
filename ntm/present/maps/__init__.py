"""Choropleth maps of the programme figures (pure: no Streamlit).

A map is built in three steps, so that each runs only when its own inputs change:

- `map_geometry()` reads the boundaries of one level inside an area for a year and simplifies them for
  the initial view (`geometry`);
- `ntm.read.geography.map_figures()` reads the figures of those units (filters restrict the communes
  counted);
- `label_map()` runs no query: values, classes and colours, title, legend, tooltips, labels and the
  ranked table in one language, the selected unit outlined (`view`, `classes`, `style`).

`build_map()` chains the three; `to_deck()` turns a `MapView` into a pydeck map (`deck`). Boundaries
uploaded by users win over schematic ones; the Hoàng Sa and Trường Sa archipelagos are drawn and
labelled on every map that shows the country.
"""

from ntm.present.maps.deck import UNITS_LAYER_ID, CompactDeck, basemap_setting, to_deck
from ntm.present.maps.geometry import MapGeometry, map_geometry
from ntm.present.maps.view import MapView, build_map, label_map, ranking_table, source_names, tooltip_text

__all__ = ["UNITS_LAYER_ID", "CompactDeck", "MapGeometry", "MapView", "basemap_setting", "build_map", "label_map",
           "map_geometry", "ranking_table", "to_deck", "tooltip_text"]
