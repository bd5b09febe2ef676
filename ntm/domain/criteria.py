"""The catalogue of the 19 commune NTM criteria (QĐ 318/QĐ-TTg, 2021–2025), from `data/criteria.csv`."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ntm.paths import data_file
from ntm.text import language, t


@lru_cache(maxsize=1)
def load_criteria() -> pd.DataFrame:
    """One row per criterion: code, number, VI/EN names and groups, key flag, responsible department."""
    df = pd.read_csv(data_file("criteria.csv"), dtype=str, keep_default_na=False)
    df["number"] = df["number"].astype(int)
    df["is_key"] = df["is_key"].str.lower().eq("true")
    df["verified"] = df["verified"].str.lower().eq("true")
    return df


def key_criteria() -> frozenset[str]:
    """Criteria whose failure, with ≥30% failed, triggers revocation (Income, Environment, Defence)."""
    df = load_criteria()
    return frozenset(df.loc[df["is_key"], "criterion"])


def criterion_names(lang: str = "vi") -> dict[str, str]:
    """Criterion code → display name in the language ("TC10 Thu nhập")."""
    df = load_criteria()
    names = df[f"name_{language(lang)}"]
    return {code: f"{t('criterion.short', lang, n=n)} {name}" for code, n, name in zip(df["criterion"], df["number"], names)}
