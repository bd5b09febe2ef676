"""The catalogue's entries, one module per part of the dashboard; `ntm.text.catalogue` joins them."""
