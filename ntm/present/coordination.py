"""What a coordinator reads, in words: the reporting status by province (complete / partial / none, on
time / late / not yet due), the missing units, the lines above them and the workbook they export; and the
audit log (who imported, rolled back or changed an account, when, which province, which file).

    status_table(reporting_status(con, 2024), "vi")
    audit_table(audit_log(con), "vi")
"""

from __future__ import annotations

import pandas as pd

from ntm.present.labels import BATCH_KINDS, file_label, operator
from ntm.read.status import year_system
from ntm.text import fmt_date, fmt_datetime, t

# Display column → (catalogue key, how a value is shown), in the order the table shows them.
_SHOWN = (
    ("province_code", "reporting.col_code", str),
    ("province_name", "reporting.col_province", str),
    ("communes_reported", "reporting.col_communes", None),
    ("wards_reported", "reporting.col_wards", None),
    ("missing", "reporting.col_missing", int),
    ("completeness", "reporting.col_completeness", "words"),
    ("timeliness", "reporting.col_timeliness", "words"),
    ("files", "reporting.col_files", int),
    ("rolled_back", "reporting.col_rolled_back", int),
    ("warnings_acknowledged", "reporting.col_warnings", int),
    ("last_import_at", "reporting.col_last_import", "when"),
    ("last_import_by", "reporting.col_last_by", "who"),
)


def _when(v, lang: str) -> str:
    return fmt_datetime(pd.Timestamp(v).to_pydatetime(), lang) if pd.notna(v) else ""


def status_table(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The status by province with headers and values in `lang` ('91/91' communes reported, words for
    completeness and timeliness, dates as dd/mm/yyyy HH:mm)."""
    out = {}
    for col, key, shown in _SHOWN:
        header = t(key, lang)
        if col == "communes_reported":
            out[header] = [f"{r}/{e}" for r, e in zip(df["communes_reported"], df["communes_expected"])]
        elif col == "wards_reported":
            out[header] = [f"{r}/{e}" for r, e in zip(df["wards_reported"], df["wards_expected"])]
        elif shown == "words":
            out[header] = [t(f"reporting.{v}", lang) for v in df[col]]
        elif shown == "when":
            out[header] = [_when(v, lang) for v in df[col]]
        elif shown == "who":
            out[header] = [operator(v, lang) if isinstance(v, str) else "" for v in df[col]]
        else:
            out[header] = df[col].map(shown).to_numpy()
    return pd.DataFrame(out)


def missing_table(missing: pd.DataFrame, provinces: dict[str, str], lang: str = "vi") -> pd.DataFrame:
    """The units without figures: province, code, name, kind (commune, or ward / town / special zone)."""
    return pd.DataFrame({
        t("reporting.col_province", lang): [f"{provinces.get(p, p)} ({p})" for p in missing["province_code"]],
        t("reporting.col_unit_code", lang): missing["code"].to_numpy(),
        t("reporting.col_unit_name", lang): missing["name"].to_numpy(),
        t("reporting.col_unit_kind", lang): [t("reporting.kind_commune" if c else "reporting.kind_ward", lang)
                                          for c in missing["is_commune"]]})


def headline(df: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """'12 of 34 provinces complete · 3 partial · 19 not reported · due 15/01/2027 (the new units)'."""
    counts = df["completeness"].value_counts()
    return t("reporting.headline", lang, complete=int(counts.get("complete", 0)), partial=int(counts.get("partial", 0)),
             none=int(counts.get("none", 0)), total=len(df), deadline=fmt_date(df["deadline"].iloc[0], lang)
             if len(df) else "–", system=t(f"system.{year_system(year)}", lang))


def _whole(v) -> str:
    return "" if v is None or pd.isna(v) else str(int(v))


def _event(event: str, lang: str) -> str:
    return t(f"audit.{event}" if event in ("import", "rollback") else f"change.{event}", lang)


def audit_table(log: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The audit log (`ntm.read.audit.audit_log`) with headers and values in `lang`."""
    def listed(p) -> str:
        return ", ".join(p) if p is not None and not isinstance(p, float) else ""

    return pd.DataFrame({
        t("audit.col_at", lang): [_when(v, lang) for v in log["event_at"]],
        t("audit.col_by", lang): [operator(v, lang) if isinstance(v, str) else "" for v in log["event_by"]],
        t("audit.col_event", lang): [_event(e, lang) for e in log["event"]],
        t("audit.col_kind", lang): [t(f"batch_kind.{k}", lang) if k in BATCH_KINDS else t("audit.kind_account", lang)
                                    for k in log["kind"]],
        t("audit.col_year", lang): [_whole(v) for v in log["year"]],
        t("audit.col_provinces", lang): [listed(p) for p in log["provinces"]],
        t("audit.col_file", lang): [file_label(f, lang) if isinstance(f, str) else "" for f in log["file"]],
        t("audit.col_batch", lang): [_whole(v) for v in log["batch"]],
        t("audit.col_account", lang): [f"{a} ({t('role.' + r, lang)})" if isinstance(a, str) and isinstance(r, str)
                                       else a if isinstance(a, str) else "" for a, r in zip(log["account"], log["role"])],
    })


def accounts_table(accounts: list[dict], lang: str = "vi") -> pd.DataFrame:
    """The accounts (`ntm.store.accounts.list_accounts`) with headers and roles in `lang` (never a hash)."""
    return pd.DataFrame({
        t("upload.username", lang): [a["name"] for a in accounts],
        t("accounts.role", lang): [t(f"role.{a['role']}", lang) for a in accounts],
        t("accounts.provinces", lang): [", ".join(a["provinces"]) for a in accounts],
        t("accounts.created", lang): [_when(a["created"], lang) for a in accounts],
    })
