"""The series the pages ask for by name (`SERIES`): each a read function `f(con, scope, **options)`
returning a language-free frame, cached by the pages on the scope and options."""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ntm.read import commune, ntm, poverty, targets

SERIES: dict[str, Callable[..., pd.DataFrame]] = {f.__name__: f for f in (
    ntm.ntm_status_by_year, ntm.status_flows, ntm.criteria_matrix_codes, ntm.at_risk_codes,
    ntm.district_status_by_year,
    poverty.poverty_flows, poverty.poverty_rates, poverty.poverty_by_terrain, poverty.ethnic_minority_poverty,
    poverty.poverty_reduction, poverty.district_ranking, poverty.fallback_share,
    targets.targets_progress_values,
    commune.commune_status_history, commune.commune_scorecard_codes, commune.commune_vs_peers,
)}
