"""Every user-facing string (Vietnamese and English) in one catalogue, and the one place where numbers,
percentages, percentage points, counts and dates are formatted. Import from here:

    from ntm.text import t, fmt_number, fmt_percent, fmt_pp, status_label
"""

from ntm.text.catalogue import DEFAULT_LANG, LANGS, has_text, language, localised, status_label, t, toolkit_speaks
from ntm.text.formats import (decimals_of, fill_params, fmt_band, fmt_cell, fmt_count, fmt_date, fmt_datetime, fmt_number, fmt_percent, fmt_pp,
                              fmt_short, fmt_signed, is_missing, locale, plotly_separators)

__all__ = ["DEFAULT_LANG", "decimals_of", "LANGS", "has_text", "language", "localised", "status_label", "t", "toolkit_speaks", "fmt_band", "fmt_cell", "fmt_count", "fmt_date", "fmt_datetime",
           "fmt_number", "fmt_percent", "fmt_pp", "fmt_short", "fmt_signed", "fill_params", "is_missing", "locale",
           "plotly_separators"]
