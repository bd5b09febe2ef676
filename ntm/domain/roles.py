"""Who may change what: the roles of an account and the actions each allows (one registry, read by the
engine's checks, the command line and the pages alike — see `ntm.store.access`).

    viewer        views (a sign-in only when `NTM_REQUIRE_LOGIN=1`)
    analyst       yearly figures, rollbacks, unit attributes and boundaries of the provinces on the account
    coordinator   every province, and the national reference data (targets); follows reporting and audit
    admin         accounts (and the audit of their changes)

A province analyst owns the provinces named on the account under both unit systems: a province of the
new units brings the old provinces merged into it (an analyst of the new Quảng Ngãi, 51, also owns old
Kon Tum's and old Quảng Ngãi's history); an old province that is no new one's code is owned on the old
units only. The command line run without `--user` acts as the machine's operator, who may do everything
(recorded as `cli:<system user>`).
"""

from __future__ import annotations

from dataclasses import dataclass

# What can be changed; a batch's kind says which of these its import or rollback is.
FIGURES, BOUNDARIES, ATTRIBUTES, TARGETS, ACCOUNTS = "figures", "boundaries", "unit_attributes", "targets", "accounts"
AUDIT = "audit"                   # reading who did what (imports, rollbacks, account changes)
STATUS = "status"                 # reading which provinces have reported
PACKS = "packs"                   # every province's meeting pack at once (a long run on the server)
ACTIONS = (FIGURES, BOUNDARIES, ATTRIBUTES, TARGETS, ACCOUNTS, AUDIT, STATUS, PACKS)
PROVINCE_ACTIONS = frozenset({FIGURES, BOUNDARIES, ATTRIBUTES})     # held for the provinces on an analyst's account
READ_ACTIONS = frozenset({AUDIT, STATUS, PACKS})                            # reading only: nothing to refuse writing


@dataclass(frozen=True)
class Role:
    """One role: the actions it allows, and whether they hold for the account's provinces only."""

    key: str
    actions: frozenset[str]
    by_province: bool = False     # the actions hold for the provinces named on the account


ROLES: dict[str, Role] = {r.key: r for r in (
    Role("viewer", frozenset()),
    Role("analyst", PROVINCE_ACTIONS | {STATUS}, by_province=True),
    Role("coordinator", frozenset({FIGURES, BOUNDARIES, ATTRIBUTES, TARGETS, AUDIT, STATUS, PACKS})),
    Role("admin", frozenset({ACCOUNTS, AUDIT, STATUS})),
)}
OPERATOR = Role("operator", frozenset(ACTIONS))      # the command line without --user
EARLIER_ROLE = "coordinator"      # an account of an earlier release could change every province


def action_of_kind(kind: str) -> str:
    """The action a batch of `kind` is (its import and its rollback)."""
    if kind.startswith("boundaries"):
        return BOUNDARIES
    return kind if kind in (ATTRIBUTES, TARGETS) else FIGURES


def roles_allowing(action: str) -> list[str]:
    """The account roles that allow `action` (province analysts first)."""
    return sorted((r.key for r in ROLES.values() if action in r.actions), key=lambda k: not ROLES[k].by_province)
