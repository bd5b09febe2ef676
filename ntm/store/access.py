"""The engine's rule of who may change what (`ntm.domain.roles`), checked inside the writing transaction
of every import, rollback, reference and boundary upload and account change — the pages, the command
line and any other caller obey the same rule, and a refused write writes nothing.

    authorize(cur, "lan", FIGURES, "post2025", ["51"])     # NotPermitted unless lan may change 51
    refusal(cur, "lan", FIGURES, "post2025", ["51"])       # the same, returned (for a page to say first)

`user` is an account's name, or the command line's operator (`cli:<system user>`, every right). The
account is read from the store in the same transaction, so a role changed a moment ago counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ntm.domain.roles import (ATTRIBUTES, READ_ACTIONS, BOUNDARIES, FIGURES, OPERATOR, PROVINCE_ACTIONS, ROLES, TARGETS, Role,
                              action_of_kind, roles_allowing)
from ntm.domain.units import POST, PRE
from ntm.errors import NotPermitted

COMMAND_LINE = "cli:"         # recorded before the system user's name when the command line names no account
NAMES_SHOWN = 5               # accounts named in a refusal (then "and N more")


@dataclass(frozen=True)
class Actor:
    """Who is acting: the account's name and role, the provinces named on it, and the provinces it owns
    on each unit system."""

    name: str
    role: Role
    provinces: tuple[str, ...] = ()
    owned: dict[str, frozenset[str]] = field(default_factory=dict)

    def may(self, action: str, system: str | None = None, provinces=()) -> bool:
        """True when the actor may do `action` to the data of `provinces` (codes of `system`)."""
        if action not in self.role.actions:
            return False
        if not self.role.by_province or action not in PROVINCE_ACTIONS:
            return True
        mine = self.owned.get(system or POST, frozenset())
        return bool(provinces) and set(provinces) <= mine


def is_operator(user: str | None) -> bool:
    """True for the command line's operator (`cli:<system user>`)."""
    return bool(user) and user.startswith(COMMAND_LINE)


def actor(cur, user: str | None) -> Actor | None:
    """The actor `user` names (the operator, or an account read now), or None for no account."""
    if is_operator(user):
        return Actor(user, OPERATOR)
    row = cur.execute("SELECT role, provinces FROM accounts WHERE name = ?", [user or ""]).fetchone()
    if row is None or row[0] not in ROLES:
        return None
    named = tuple(row[1] or ())
    return Actor(user, ROLES[row[0]], named, owned_provinces(cur, named))


def owned_provinces(cur, codes) -> dict[str, frozenset[str]]:
    """The provinces an account naming `codes` owns on each unit system: a new province with the old
    ones merged into it; an old province that is no new one's code, on the old units only."""
    if not codes:
        return {PRE: frozenset(), POST: frozenset()}
    rows = cur.execute("""
        SELECT system, code FROM units WHERE level = 'province' AND system = $post AND code IN (SELECT unnest($codes))
        UNION SELECT $pre, pre_province_code FROM unit_map WHERE post_province_code IN (SELECT unnest($codes))
        UNION SELECT system, code FROM units WHERE level = 'province' AND system = $pre AND code IN (SELECT unnest($codes))
          AND code NOT IN (SELECT code FROM units WHERE level = 'province' AND system = $post)""",
                       {"codes": list(codes), "pre": PRE, "post": POST}).fetchall()
    owned: dict[str, set[str]] = {PRE: set(), POST: set()}
    for system, code in rows:
        owned[system].add(code)
    return {s: frozenset(c) for s, c in owned.items()}


def provinces_of_units(cur, system: str, level: str, codes) -> list[str]:
    """The provinces of units of one system and level (a province is its own)."""
    if level == "province":
        return sorted(set(codes))
    return [r[0] for r in cur.execute(
        "SELECT DISTINCT province_code FROM units WHERE system = ? AND level = ? AND code IN (SELECT unnest(?)) "
        "AND province_code IS NOT NULL ORDER BY 1", [system, level, list(codes)]).fetchall()]


# The provinces a batch's rows belong to, by the table its kind writes (the batch's unit system first).
_BATCH_PROVINCES = {
    FIGURES: """SELECT DISTINCT coalesce(unit_system, 'pre2025'), province_code FROM commune_year WHERE batch_id = $b
                UNION SELECT DISTINCT 'pre2025', province_code FROM district_year WHERE batch_id = $b""",
    BOUNDARIES: """SELECT DISTINCT b.system, CASE WHEN b.level = 'province' THEN b.code ELSE u.province_code END
                   FROM boundaries b LEFT JOIN units u ON u.system = b.system AND u.level = b.level AND u.code = b.code
                   WHERE b.batch_id = $b""",
    ATTRIBUTES: """SELECT DISTINCT a.system, CASE WHEN a.level = 'province' THEN a.code ELSE u.province_code END
                   FROM (SELECT system, level, code FROM unit_attributes WHERE batch_id = $b
                         UNION SELECT system, level, code FROM unit_attributes_history WHERE batch_id = $b) a
                   LEFT JOIN units u ON u.system = a.system AND u.level = a.level AND u.code = a.code""",
    TARGETS: """SELECT DISTINCT scope_system, scope_code FROM (
                  SELECT scope_system, scope_code, scope_level FROM targets WHERE batch_id = $b
                  UNION SELECT scope_system, scope_code, scope_level FROM targets_history WHERE batch_id = $b)
                WHERE scope_level = 'province'""",
}


def batch_provinces(cur, batch_id: int, kind: str) -> tuple[str | None, list[str]]:
    """(unit system, province codes) of a batch's rows; (None, []) when they name no province."""
    rows = cur.execute(_BATCH_PROVINCES[action_of_kind(kind)], {"b": int(batch_id)}).fetchall()
    rows = [(s, p) for s, p in rows if p is not None]
    if not rows:
        return None, []
    system = POST if any(s == POST for s, _ in rows) else PRE
    return system, sorted({p for s, p in rows if s == system})


def refusal(cur, user: str | None, action: str, system: str | None = None, provinces=()) -> NotPermitted | None:
    """Why `user` may not do `action` to `provinces` (of `system`), or None when they may."""
    who = actor(cur, user)
    if who is None:
        return NotPermitted("access.no_account", name=user or "–")
    if who.may(action, system, provinces):
        return None
    allowed = roles_allowing(action)
    params = dict(name=who.name, role_key=f"role.{who.role.key}", action_key=f"action.{action}",
                  roles_keys=[f"role.{r}" for r in allowed], who=_names(cur, action, system, provinces) or "–")
    if action in who.role.actions and who.role.by_province and action in PROVINCE_ACTIONS:
        theirs = [p for p in provinces if p not in who.owned.get(system or POST, frozenset())]
        return NotPermitted("access.not_your_province", **params,
                            provinces=province_list(cur, system or POST, theirs or provinces),
                            own=province_list(cur, POST, who.provinces) or "–")
    return NotPermitted("access.not_your_role" if action not in READ_ACTIONS else "access.not_your_role_to_read", **params)


def authorize(cur, user: str | None, action: str, system: str | None = None, provinces=()) -> None:
    """NotPermitted unless `user` may do `action` to `provinces` (call it inside the write's transaction)."""
    refused = refusal(cur, user, action, system, provinces)
    if refused is not None:
        raise refused


def authorize_batch(cur, user: str | None, batch_id: int) -> None:
    """NotPermitted unless `user` may undo the batch (the action and the provinces of its rows)."""
    row = cur.execute("SELECT kind, unit_system, provinces FROM import_batches WHERE batch_id = ?",
                      [batch_id]).fetchone()
    if row is None:
        return                                    # rollback_batch says the batch is unknown
    kind, system, provinces = row
    if provinces is None or system is None:
        system, provinces = batch_provinces(cur, batch_id, kind)
    authorize(cur, user, action_of_kind(kind), system, provinces or ())


def _names(cur, action: str, system: str | None, provinces) -> str:
    """The accounts that may do `action` to `provinces`: their names, the first few."""
    names = []
    for name, role, named in cur.execute("SELECT name, role, provinces FROM accounts ORDER BY name").fetchall():
        r = ROLES.get(role)
        if r is None or action not in r.actions:
            continue
        if not r.by_province or Actor(name, r, tuple(named or ()), owned_provinces(cur, named or ())).may(
                action, system, provinces):
            names.append(name)
    more = len(names) - NAMES_SHOWN
    return ", ".join(names[:NAMES_SHOWN]) + (f" (+{more})" if more > 0 else "")


def province_list(cur, system: str, codes) -> str:
    """'Quảng Ngãi (51), Kon Tum (62)': provinces of a unit system by their newest name."""
    codes = sorted(set(codes))
    if not codes:
        return ""
    names = dict(cur.execute("SELECT code, arg_max(coalesce(short_name, name), coalesce(valid_to, DATE '9999-12-31')) "
                             "FROM units WHERE level = 'province' AND system = ? AND code IN (SELECT unnest(?)) "
                             "GROUP BY code", [system, codes]).fetchall())
    return ", ".join(f"{names.get(c, c)} ({c})" for c in codes)
