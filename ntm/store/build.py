"""Build the embedded database: units and lineage, unit attributes, criteria, targets, boundaries and
the demo batches. Idempotent; a build is one transaction of the store, so an interrupted build leaves nothing behind
and readers see the store as it was until it commits. A rebuild (`force`) first copies a store that holds
imported batches to a dated local store beside it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from ntm.domain.units import PRE, REFORM_CHANGE
from ntm.errors import NotADashboardDatabase, StoreChanged
from ntm.paths import data_file
from ntm.store import demo, demo_reform
from ntm.store.batches import add_batch, frame_checksum
from ntm.store.boundaries import load_boundaries
from ntm.store.catalogues import load_criteria_table
from ntm.store.connection import LAKE, connect, ident, snapshot, sync, transaction, write_lock
from ntm.store.keys import set_meta
from ntm.store.location import Location, location
from ntm.store.accounts import bring_in_users_file, put_back_accounts, saved_accounts, saved_changes, users_file
from ntm.store.figures import refresh_figures
from ntm.store.migrations import migrate, pending
from ntm.store.schema import create_schema
from ntm.store.unit_list import load_units
from ntm.text import fmt_number, t

def _pending_steps(con, label: str) -> list[int] | None:
    """The migration steps a built store lacks ([] when current); None when the store is empty.
    Raises NotADashboardDatabase for a store not built by `init`, DatabaseTooNew for one made by a
    newer release."""
    cur = con.cursor()
    if not cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?", [LAKE]).fetchone()[0]:
        return None
    try:
        row = cur.execute("SELECT value FROM meta WHERE key = 'initialised'").fetchone()
    except duckdb.Error:
        row = None
    if not (row and row[0] == "true"):
        raise NotADashboardDatabase(label)
    return [m.number for m in pending(con)]


def upgrade(con, log=print) -> list[int]:
    """Bring a store made by an earlier release to the current schema (every batch kept); the caller
    holds the write lock. Returns the steps run."""
    steps = migrate(con)
    if steps:
        steps_text = ", ".join(map(str, steps))
        log(f"{t('db.migrated', 'vi', steps=steps_text)} / {t('db.migrated', 'en', steps=steps_text)}")
    return steps


def init_database(where: Location | Path | str | None = None, force: bool = False, with_demo: bool = True,
                  log=print) -> Location:
    """Build the store `where` names (default: `NTM_STORE`, else the local store) unless it is already
    built; bring one of an earlier release up to date. With `force`, build it anew in one transaction
    (readers see the old store until it commits); a store holding imported batches is first copied to
    a dated local store beside it. Two processes starting on a new shared store at once: one builds it,
    the other's build is refused at commit and it finds the store built. Returns the store's location."""
    loc = location(where)
    con = connect(loc)
    try:
        if not force and _pending_steps(con, loc.label) == []:     # built and current: no need to queue for the lock
            log(f"{t('db.ready', 'vi')} / {t('db.ready', 'en')}: {loc.label}")
            return loc
        try:
            built = _build_or_upgrade(con, loc, force, with_demo, log)
        except duckdb.TransactionException:
            sync(con)
            if force or _pending_steps(con, loc.label) != []:
                raise
            built = False                    # another process built or upgraded it in the same moment
        if built:
            log(f"{t('db.built', 'vi')} / {t('db.built', 'en')}: {loc.label}")
        else:
            log(f"{t('db.ready', 'vi')} / {t('db.ready', 'en')}: {loc.label}")
        return loc
    finally:
        con.close()


def _build_or_upgrade(con, loc: Location, force: bool, with_demo: bool, log) -> bool:
    """Under the write lock: run the pending steps of a built store (False), or build it (True)."""
    with write_lock(loc):
        sync(con)
        steps = _pending_steps(con, loc.label)
        if not force and steps is not None:
            if steps:
                upgrade(con, log)
            return False
        batches = _imported_batches(con) if steps is not None else 0
        copied_at = snapshot(con)
        kept = keep_copy(loc, con) if batches else None
        with transaction(con) as cur:
            if kept and snapshot(cur) != copied_at:   # a shared store's writer landed meanwhile
                raise StoreChanged(loc.label)
            accounts, changes = saved_accounts(cur), saved_changes(cur)
            for (table,) in cur.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                        [LAKE]).fetchall():
                cur.execute(f"DROP TABLE {ident(table)}")
            build_into(cur, with_demo=with_demo, log=log)
            put_back_accounts(cur, accounts, changes)
    if kept:
        for lang in ("vi", "en"):
            log(t("db.kept_previous", lang, path=kept, batches=fmt_number(batches, lang)))
    return True


def _imported_batches(con) -> int:
    try:
        return con.execute("SELECT count(*) FROM import_batches WHERE NOT coalesce(is_demo, FALSE)").fetchone()[0]
    except duckdb.Error:
        return 0


def keep_copy(loc: Location, con) -> str:
    """Copy the store, as it is, to a dated local store beside it (a shared store's: beside its data
    files' folder, which every replica reaches); returns where."""
    from ntm.store.copy import copy_store

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    if loc.kind == "local":
        base = Path(loc.catalog)
    else:
        base = Path(loc.files).parent / f"{loc.label.rsplit('/', 1)[1]}.ducklake"
    kept, n = base.with_name(f"{base.stem}-before-rebuild-{stamp}{base.suffix}"), 1
    while kept.exists():
        n += 1
        kept = base.with_name(f"{base.stem}-before-rebuild-{stamp}-{n}{base.suffix}")
    copy_store(loc, kept)
    return str(kept)


def build_into(con, with_demo: bool = True, log=print) -> None:
    """Fill an empty database (schema, reference data, boundaries, demo batches)."""
    create_schema(con)
    bring_in_users_file(con, users_file())
    n_units, n_lineage = load_units(con)
    log(f"  units: {fmt_number(n_units, 'en')} versions, {fmt_number(n_lineage, 'en')} lineage rows")
    load_criteria_table(con)
    load_targets(con)
    if with_demo:
        rows, districts = load_demo(con)
    load_attributes(con)                       # the demo EM regions come from the demo's 2021 figures
    if with_demo:
        refresh_figures(con)                   # …and the new communes' regions (QĐ 51 groups) from them
        rows += load_demo_reform(con)
        log(f"  demo: {fmt_number(rows, 'en')} commune-year rows, {fmt_number(districts, 'en')} district-year rows")
    n_boundaries = load_boundaries(con)
    log(f"  boundaries: {fmt_number(n_boundaries, 'en')} features")
    refresh_figures(con)
    set_meta(con, built_at=datetime.now().isoformat(timespec="seconds"), initialised="true")


def read_targets(path: Path | None = None) -> pd.DataFrame:
    """Targets from `data/targets.csv` (scope, year, metric, level, value range, source document)."""
    df = pd.read_csv(path or data_file("targets.csv"), dtype={"scope_code": str}, keep_default_na=False)
    for col in ("value_min", "value_max"):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    df["verified"] = df["verified"].astype(str).str.lower().eq("true")
    df["scope_code"] = df["scope_code"].replace("", None)
    df["scope_system"] = df["scope_system"].replace("", None)
    return df


def load_targets(con, path: Path | None = None) -> None:
    """Replace the targets table with the targets file."""
    df = read_targets(path)
    con.execute("DELETE FROM targets")
    con.register("targets_df", df)
    con.execute("INSERT INTO targets BY NAME SELECT * FROM targets_df")
    con.unregister("targets_df")


def read_attributes(path: Path | None = None) -> pd.DataFrame:
    """Unit attributes from `data/unit_attributes.csv` with booleans parsed."""
    df = pd.read_csv(path or data_file("unit_attributes.csv"), dtype=str, keep_default_na=False)
    for col in ("is_mountainous", "is_island", "is_poor_district", "verified"):
        df[col] = df[col].str.lower().map({"true": True, "false": False})
    df["em_region"] = df["em_region"].replace("", None)
    return df


def demo_em_regions(con) -> pd.DataFrame:
    """Ethnic-minority region I/II/III for demo communes, derived from the DEMO 2021 figures with the
    QĐ 33/2020 rules (EM share ≥ 15%; region III: poor ≥ 20% and not NTM; region I: poor < 10% or NTM).
    Stand-in until the QĐ 861/QĐ-TTg list is loaded as unit attributes."""
    return con.execute("""
        SELECT f.unit_system AS system, 'commune' AS level, f.commune_code AS code, u.name,
               CASE WHEN f.poor_households >= 0.2 * f.households AND f.ntm_status = 'none' THEN 'III'
                    WHEN f.poor_households < 0.1 * f.households OR f.ntm_status IN ('standard','advanced','model') THEN 'I'
                    ELSE 'II' END AS em_region
        FROM commune_year f JOIN units u USING (unit_id)
        WHERE f.year = 2021 AND f.is_current AND f.ntm_status IS NOT NULL
          AND f.ethnic_minority_households >= 0.15 * f.households""").df()


def load_attributes(con, path: Path | None = None) -> None:
    """Unit attributes from the editable file, plus demo EM regions for communes it does not cover."""
    df = read_attributes(path)
    em = demo_em_regions(con)
    have = set(zip(df.system, df.level, df.code))
    em = em[[(s, "commune", c) not in have for s, c in zip(em.system, em.code)]]
    if len(em):
        em = em.assign(is_mountainous=None, is_island=None, is_poor_district=None,
                       decision="DEMO: derived from demo figures with QĐ 33/2020 rules", verified=False,
                       note="illustrative; replace with the QĐ 861/QĐ-TTg list")
        df = pd.concat([df, em[df.columns]], ignore_index=True)
    con.execute("DELETE FROM unit_attributes")
    con.register("attrs_df", df)
    con.execute("INSERT INTO unit_attributes BY NAME SELECT * FROM attrs_df")
    con.unregister("attrs_df")


def load_demo(con) -> tuple[int, int]:
    """Generate the demo figures on the old units and load them as one demo batch per kind and year;
    returns the commune-year and district-year rows loaded."""
    units = con.execute("SELECT * FROM units WHERE system = ?", [PRE]).df()
    lineage = con.execute("SELECT * FROM unit_lineage WHERE change_type != ?", [REFORM_CHANGE]).df()
    communes, districts = demo.generate(units, lineage, read_attributes())
    with transaction(con) as cur:
        for year, rows in communes.groupby("year"):
            add_batch(cur, "commune_year", rows, kind="commune_year", year=int(year),
                      file_name=f"demo:{demo.SEED}:{year}", checksum=frame_checksum(rows),
                      imported_by="demo", is_demo=True, note=demo.DEMO_LABEL)
        for year, rows in districts.groupby("year"):
            add_batch(cur, "district_year", rows, kind="district_year", year=int(year),
                      file_name=f"demo:{demo.SEED}:{year}", checksum=frame_checksum(rows),
                      imported_by="demo", is_demo=True, note=demo.DEMO_LABEL)
    return len(communes), len(districts)


def load_demo_reform(con) -> int:
    """Load the demo batches on the new units (2025 merged, 2026 under QĐ 51/2025), once the old-unit demo
    and the unit attributes they read (EM regions for the commune groups) are in; returns the rows loaded."""
    n = 0
    with transaction(con) as cur:
        provinces = demo_reform.new_provinces(cur, tuple(demo.province_plans()))
        for year, rows in demo_reform.reform_rows(cur, provinces).items():
            add_batch(cur, "commune_year", rows, kind="commune_year", year=year,
                      file_name=f"demo:{demo_reform.REFORM_SEED}:{year}:new-units", checksum=frame_checksum(rows),
                      imported_by="demo", is_demo=True, note=demo.DEMO_LABEL)
            n += len(rows)
    return n
