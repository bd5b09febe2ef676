"""The series pages and exports ask for by name: a read function `f(con, scope, **options)` returning a
language-free frame joins `SERIES` with the `@series` decorator where it is written."""

from __future__ import annotations

from typing import Callable

import pandas as pd

Series = Callable[..., pd.DataFrame]
SERIES: dict[str, Series] = {}


def series(read: Series) -> Series:
    """Register a read function under its name (the name the chart registry and the pages use)."""
    if read.__name__ in SERIES:
        raise ValueError(f"series {read.__name__!r} registered twice")
    SERIES[read.__name__] = read
    return read
