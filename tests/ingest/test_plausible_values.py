"""Values a commune cannot plausibly have, and values 10× or 1,000× (or a tenth, a thousandth of) the same
commune's last year — a separator or unit mistake — are warnings naming the row, the column and both
years' values; the figures in force raise none of them."""

from __future__ import annotations

from ntm.domain.columns import BY_NAME
from ntm.ingest.yearly import validate_bytes
from tests.ingest.test_yearly import kon_tum_rows, to_csv

INCOME = BY_NAME["income_per_capita"].header_vi
PLAUSIBLE = ("range.", "jump.", "number.")


def last_year(db, code: str, column: str) -> float:
    return db.execute(f"SELECT {column} FROM commune_year WHERE is_current AND year = 2023 AND commune_code = ?",
                      [code]).fetchone()[0]


def plausibility(report) -> list:
    return [i for i in report.issues if i.key.startswith(PLAUSIBLE)]


def test_the_figures_in_force_raise_no_plausibility_warning(db):
    assert plausibility(validate_bytes(db, to_csv(kon_tum_rows(db)), "f.csv")) == []


def test_an_income_a_thousand_times_last_years_is_warned_with_row_column_and_both_values(db):
    df = kon_tum_rows(db)
    code = df.loc[3, "commune_code"]
    before = last_year(db, code, "income_per_capita")
    df.loc[3, "income_per_capita"] = round(before * 1000)               # typed in thousand VND
    report = validate_bytes(db, to_csv(df), "f.csv")
    jump = [i for i in report.warnings if i.key == "jump.factor"]
    assert [(i.row, i.column) for i in jump] == [(5, INCOME)]
    vi, en = jump[0].message("f.csv", "vi"), jump[0].message("f.csv", "en")
    assert "cao gấp 1.000 lần so với năm 2023" in vi and "1,000 times higher than the same commune's in 2023" in en
    assert f"→ {round(before * 1000):,})".replace(",", ".") in vi and "separator" in en
    assert ("range.income_per_capita", 5) in {(i.key, i.row) for i in report.warnings}
    assert report.ok                                                    # a warning: the analyst decides


def test_a_separator_read_the_columns_way_shows_up_as_a_jump(db):
    """A Vietnamese-style income column ("45,2") with one cell written "45.200": the column reads it as
    45,200 — consistently — and the comparison with last year says that is 1,000 times too much."""
    df = kon_tum_rows(db)
    df["income_per_capita"] = df["income_per_capita"].map(lambda v: f"{v:.1f}".replace(".", ","))
    df.loc[0, "income_per_capita"] = df.loc[0, "income_per_capita"].replace(",", ".") + "00"
    report = validate_bytes(db, to_csv(df, sep=";"), "f.csv")
    assert report.rows["income_per_capita"].iloc[0] > 1000
    keys = {(i.key, i.row, i.column) for i in report.warnings}
    assert {("jump.factor", 2, INCOME), ("range.income_per_capita", 2, INCOME)} <= keys


def test_a_thousandfold_household_count_is_one_separator_warning_not_also_a_30_percent_jump(db):
    df = kon_tum_rows(db)
    df.loc[1, "households"] = int(df.loc[1, "households"]) * 1000
    report = validate_bytes(db, to_csv(df), "f.csv")
    keys = {(i.key, i.row) for i in report.warnings}
    assert ("jump.factor", 3) in keys and ("range.households", 3) in keys
    assert ("jump.households", 3) not in keys


def test_a_population_a_thousandth_of_last_years_is_warned_as_lower(db):
    df = kon_tum_rows(db)
    code = df.loc[2, "commune_code"]
    df.loc[2, "population"] = round(last_year(db, code, "population") / 1000)
    report = validate_bytes(db, to_csv(df), "f.csv")
    jump = [i for i in report.warnings if i.key == "jump.factor" and i.row == 4]
    assert jump and jump[0].column == BY_NAME["population"].header_vi
    assert "thấp hơn" in jump[0].message("f.csv", "vi") and "times lower" in jump[0].message("f.csv", "en")
    assert {"range.population", "range.people_per_household"} <= {i.key for i in report.warnings if i.row == 4}


def test_values_outside_their_plausible_range_name_row_column_and_the_range(db):
    df = kon_tum_rows(db)
    df.loc[0, "income_per_capita"] = 0.5                              # million VND a year: a typo or a unit
    df.loc[1, "population"] = int(df.loc[1, "households"]) * 12           # 12 people per household
    report = validate_bytes(db, to_csv(df), "f.csv")
    income = [i for i in report.warnings if i.key == "range.income_per_capita"]
    assert [(i.row, i.column) for i in income] == [(2, INCOME)]
    assert "0,5 triệu đồng/người/năm" in income[0].message("f.csv", "vi")
    assert "(8–300 million VND per person per year)" in income[0].message("f.csv", "en")
    ratio = [i for i in report.warnings if i.key == "range.people_per_household"]
    assert [(i.row, i.column) for i in ratio] == [(3, BY_NAME["population"].header_vi)]
    assert "12 people per household" in ratio[0].message("f.csv", "en")
