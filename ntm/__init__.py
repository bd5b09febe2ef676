"""Engine of the NTM & sustainable-poverty-reduction dashboard.

Schema, rules, ingestion, queries, charts and export live here; nothing in this package imports
streamlit, so every piece can be tested and used from the command line (`python -m ntm`).
"""

__version__ = "0.1.0"
