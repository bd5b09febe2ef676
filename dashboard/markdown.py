"""Text from data made literal for elements that render Markdown, and tables of figures."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.url import lang
from ntm.text import decimals_of, fmt_cell, fmt_number

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# GFM links bare web and e-mail addresses after escapes are read ("http\:" is still "http:"): a word joiner
# (invisible, no line break) inside "://", after "www" and before "@" leaves them text.
_BARE_LINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
_WORD_JOINER = "\u2060"
_NUMBER_TEXT = re.compile(r"[-+−–]?\s?[\d.,]+\s?%?|–|")   # formatted figures: "1.234", "12,5 %", "–"
STATIC_TABLE_ROWS = 25   # up to this many rows a table is printed in full; longer ones scroll


def md(text) -> str:
    """Data (unit names, file names, cells quoted in a report…) made literal for elements that render
    Markdown (title, caption, alerts, buttons, tables): every Markdown character is escaped and bare
    addresses are broken up, so text from data never becomes a link, an image or a directive. HTML is
    never enabled for text (no unsafe_allow_html); the only HTML is `dashboard.style`'s fixed style
    block."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _BARE_LINK.sub(_WORD_JOINER, str(text)))


def md_cells(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every text cell made literal (`md`), for `st.table`, whose cells render Markdown."""
    return df.map(lambda v: md(v) if isinstance(v, str) else v)


def table(df: pd.DataFrame) -> None:
    """A table of figures: short ones as a Markdown table (every row visible, and nothing more for the
    browser to load — the grid and static-table elements each fetch a data-frame library first), long
    ones as a scrollable, sortable grid. Every cell and header is escaped (`md`): names stay text."""
    if len(df) > STATIC_TABLE_ROWS:
        st.dataframe(df.style.format(lambda v: fmt_cell(v, lang())), hide_index=True, width="stretch")
        return
    st.markdown(markdown_table(df))


def markdown_table(df: pd.DataFrame) -> str:
    """`df` as a GitHub-flavoured Markdown table with every cell escaped; number columns right-aligned."""
    lg = lang()
    floats = {i: decimals_of(df[c]) for i, c in enumerate(df.columns) if pd.api.types.is_float_dtype(df[c])}
    floats = {i: d for i, d in floats.items() if d}             # whole numbers (years, counts): as they are

    def cell(v, i: int | None = None) -> str:                  # a float column: one number of decimals
        text = fmt_number(v, lg, floats[i]) if i in floats and pd.notna(v) else fmt_cell(v, lg)
        return md(" ".join(text.split())) or "–"

    numeric = [pd.api.types.is_numeric_dtype(df[c]) or (len(df) and all(_NUMBER_TEXT.fullmatch(str(v).strip())
                                                                     for v in df[c])) for c in df.columns]
    lines = ["| " + " | ".join(cell(c) for c in df.columns) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(cell(v, i) for i, v in enumerate(row)) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def number(value, decimals: int = 0) -> str:
    """A number in the reader's language."""
    return fmt_number(value, lang(), decimals)
