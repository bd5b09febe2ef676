"""What the dashboard's choosers offer and how fresh the data is: the years, provinces, districts and
communes that have figures in a geography, their names, and a fingerprint of everything cached results
depend on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ntm.domain.units import GEOGRAPHIES, POST, PRE, REFORM_CHANGE
from ntm.store.connection import figures_snapshot
from ntm.store.figures import figures_sql
from ntm.read.summary import available_years, provinces_with_data


@dataclass(frozen=True)
class StateOptions:
    """What the database offers: the values a view state may take.

    districts: district code -> its province code; communes: commune code -> (district, province).
    """

    years: tuple[int, ...] = ()
    provinces: Mapping[str, str] = field(default_factory=dict)       # code -> name
    districts: Mapping[str, str] = field(default_factory=dict)       # code -> province code
    communes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    former_provinces: Mapping[str, str] = field(default_factory=dict)   # old province shown as its former area
    province_total: int = 0         # provinces in the geography's unit system

    @property
    def latest_year(self) -> int | None:
        return max(self.years) if self.years else None


def options_from_rows(years: Iterable[int], provinces: Iterable[tuple[str, str]],
                      communes: Iterable[tuple[str, str, str]],
                      former_provinces: Iterable[tuple[str, str]] = (), province_total: int = 0) -> StateOptions:
    """Options from plain rows: years, (province code, name), (commune, district, province) codes and the
    old provinces shown as their former areas."""
    communes = list(communes)
    return StateOptions(
        years=tuple(sorted({int(y) for y in years})),
        provinces=dict(provinces),
        districts={d: p for _, d, p in communes if d},
        communes={c: (d, p) for c, d, p in communes},
        former_provinces=dict(former_provinces),
        province_total=province_total,
    )


def data_fingerprint(con) -> str:
    """Fingerprint of what cached results depend on: the store's snapshot the connection reads (every
    write — an import, a rollback, a rebuild, in any process — makes a new one; a failed login alone
    does not count)."""
    return str(figures_snapshot(con))


def option_rows(con, geo: str = "new") -> tuple[list[int], list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Years, (province code, name) and (commune, district, province) codes that have figures in force in a
    geography (in the new one the district is the former district)."""
    provinces = provinces_with_data(con, geo)
    communes = con.cursor().execute(f"""
        SELECT DISTINCT commune_code, district_code, province_code FROM {figures_sql(geo)} f ORDER BY 1""").fetchall()
    return available_years(con, geo), list(zip(provinces["code"], provinces["name"])), communes


def province_total(con, geo: str = "new") -> int:
    """How many provinces the geography's unit system has (63 before the reform, 34 after)."""
    system = GEOGRAPHIES[geo].system
    return int(con.cursor().execute("SELECT count(DISTINCT code) FROM units WHERE system = ? AND level = 'province'",
                                    [system]).fetchone()[0])


def unit_names(con, geo: str = "new") -> dict[str, dict[str, str]]:
    """level -> code -> newest name, for the units that have figures in a geography (districts are old
    districts in both)."""
    system = GEOGRAPHIES[geo].system
    rows = con.cursor().execute(f"""
        WITH f AS (SELECT DISTINCT commune_code, district_code, province_code FROM {figures_sql(geo)} f)
        SELECT u.level, u.code, arg_max(u.name, coalesce(u.valid_to, DATE '9999-12-31')) AS name
        FROM units u
        WHERE (u.system = ? AND u.level = 'province' AND u.code IN (SELECT province_code FROM f))
           OR (u.system = ? AND u.level = 'district' AND u.code IN (SELECT district_code FROM f))
           OR (u.system = ? AND u.level = 'commune' AND u.code IN (SELECT commune_code FROM f))
        GROUP BY ALL""", [system, PRE, system]).fetchall()
    out: dict[str, dict[str, str]] = {"province": {}, "district": {}, "commune": {}}
    for level, code, name in rows:
        out[level][code] = name
    return out


def former_provinces(con) -> list[tuple[str, str]]:
    """Old provinces whose code is no longer a province and whose new communes cover exactly their area
    (e.g. Kon Tum, 62, inside the new Quảng Ngãi): (code, name). The new geography shows them as former
    areas."""
    return [tuple(r) for r in con.cursor().execute(f"""
        WITH reform AS (
            SELECT o.province_code AS old_province, split_part(l.successor_id, ':', 3) AS post_code
            FROM unit_lineage l JOIN units o ON o.unit_id = l.predecessor_id WHERE l.change_type = '{REFORM_CHANGE}'),
        spread AS (SELECT post_code, count(DISTINCT old_province) AS n FROM reform GROUP BY post_code),
        exact AS (SELECT r.old_province FROM reform r JOIN spread s USING (post_code)
                  GROUP BY r.old_province HAVING max(s.n) = 1)
        SELECT p.code, p.name FROM units p JOIN exact e ON e.old_province = p.code
        WHERE p.system = '{PRE}' AND p.level = 'province'
          AND p.code NOT IN (SELECT code FROM units WHERE system = '{POST}' AND level = 'province')
        ORDER BY p.code""").fetchall()]
