"""Who did what, when: every import (yearly figures, boundaries, unit attributes, targets), every rollback
and every account change, newest first — one row per event.

    audit_log(con)      event_at | event_by | event | kind | year | provinces | file | batch | account | role

`event` is import / rollback for a batch and the change's name (created, password_reset, role_changed,
removed, brought_in) for an account; `provinces` are the codes of the batch's rows (or, for an account,
the provinces it was given).
"""

from __future__ import annotations

import pandas as pd

from ntm.read.sql import query

AUDIT_COLUMNS = ("event_at", "event_by", "event", "kind", "year", "provinces", "file", "batch", "account", "role", "is_demo")
BATCH_EVENTS = ("import", "rollback")

_AUDIT_SQL = """
    SELECT imported_at AS event_at, imported_by AS event_by, 'import' AS event, kind, year, provinces, file_name AS file,
           batch_id AS batch, NULL AS account, NULL AS role, is_demo FROM import_batches
    UNION ALL
    SELECT rolled_back_at, rolled_back_by, 'rollback', kind, year, provinces, file_name, batch_id, NULL, NULL, is_demo
    FROM import_batches WHERE status = 'rolled_back' AND rolled_back_at IS NOT NULL
    UNION ALL
    SELECT changed_at, changed_by, change, 'account', NULL, provinces, NULL, NULL, name, role, FALSE
    FROM account_changes
    ORDER BY event_at DESC, batch DESC NULLS LAST"""


def audit_log(con) -> pd.DataFrame:
    """Every event, newest first (`AUDIT_COLUMNS`)."""
    return query(con, _AUDIT_SQL)[list(AUDIT_COLUMNS)]


def filter_log(log: pd.DataFrame, *, by=(), events=(), province: str | None = None, since=None,
               until=None) -> pd.DataFrame:
    """The events of some people, of some kinds, touching a province, between two dates (inclusive)."""
    keep = pd.Series(True, index=log.index)
    if by:
        keep &= log["event_by"].isin(list(by))
    if events:
        keep &= log["event"].isin(list(events))
    if province:
        keep &= log["provinces"].map(lambda p: p is not None and not isinstance(p, float) and province in list(p))
    if since is not None:
        keep &= log["event_at"] >= pd.Timestamp(since)
    if until is not None:
        keep &= log["event_at"] < pd.Timestamp(until) + pd.Timedelta(days=1)
    return log[keep]
