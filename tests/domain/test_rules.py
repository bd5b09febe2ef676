"""The programme rules (ntm.rules) on small hand-built cases.

Expectations come from the legal texts as summarised in docs/domain.md: the NTM ladder (§1.1–1.3), revocation
under QĐ 18/2022/QĐ-TTg (§1.7: ≥50% of the 19 criteria failed, or ≥30% including a key criterion —
Income c10, Environment & food safety c17, Defence & security c19), and the poverty flow identity with the
CSV contract's tolerance max(5 households, 1% of last year's poor) (§2.4, docs/file-format.md).
"""

from __future__ import annotations

import math

import pytest

from ntm.domain.rules import (
    CRITERIA,
    N_CRITERIA,
    RECOGNISED,
    STATUS_LADDER,
    Rate,
    RevocationRule,
    assess_revocation,
    change_pp,
    check_flow,
    flow_tolerance,
    is_recognised,
    movement,
    rate,
    status_rank,
    unmet_criteria,
)
from ntm.domain.criteria import QD51, QD318, criteria_set
from ntm.domain.settings import flow_tolerances

KEY = ("c10", "c17", "c19")                 # Income, Environment & food safety, Defence & security
NON_KEY = tuple(c for c in CRITERIA if c not in KEY)


def flags_failing(failed: tuple[str, ...] | list[str]) -> dict[str, bool]:
    """All 19 criteria met except `failed`."""
    return {c: c not in failed for c in CRITERIA}


# ---------------------------------------------------------------------------------------------
# The ladder

def test_ladder_has_the_commune_levels_of_both_periods_lowest_first():
    assert STATUS_LADDER == ("none", "standard", "advanced", "model", "modern")
    assert [status_rank(s) for s in STATUS_LADDER] == [0, 1, 2, 3, 4]
    assert RECOGNISED == {"standard", "advanced", "model", "modern"}
    assert len(CRITERIA) == N_CRITERIA == 19
    assert CRITERIA[0] == "c01" and CRITERIA[-1] == "c19"


def test_each_criteria_set_has_its_own_rungs():
    assert criteria_set(QD318).statuses == ("none", "standard", "advanced", "model")
    assert criteria_set(QD51).statuses == ("none", "standard", "modern")
    assert criteria_set(QD51).criteria == CRITERIA[:10]


@pytest.mark.parametrize("status", [None, "", "bogus"])
def test_missing_or_unknown_status_ranks_as_not_recognised(status):
    assert status_rank(status) == 0
    assert not is_recognised(status)


@pytest.mark.parametrize("status,expected", [("none", False), ("standard", True), ("advanced", True),
                                             ("model", True)])
def test_is_recognised(status, expected):
    assert is_recognised(status) is expected


@pytest.mark.parametrize("previous,current,expected", [
    (None, "none", "first"),
    (None, "advanced", "first"),
    ("none", "standard", "up"),
    ("standard", "advanced", "up"),
    ("advanced", "model", "up"),
    ("none", "model", "up"),
    ("none", "none", "same"),
    ("standard", "standard", "same"),
    ("model", "model", "same"),
    ("model", "advanced", "down"),          # advanced level not maintained, still NTM
    ("advanced", "standard", "down"),
    ("standard", "none", "revoked"),        # recognised before, not recognised now
    ("advanced", "none", "revoked"),
    ("model", "none", "revoked"),
])
def test_movement_on_the_ladder(previous, current, expected):
    assert movement(previous, current) == expected


@pytest.mark.parametrize("previous, current, expected", [
    ("advanced", "standard", "same"),       # 2025 advanced → 2026 NTM under QĐ 51: no "down"
    ("model", "none", "reset"),             # not (yet) recognised under the new set: never "revoked"
    ("none", "standard", "up"),
    ("none", "none", "same"),
])
def test_movement_across_criteria_sets_compares_recognition_only(previous, current, expected):
    assert movement(previous, current, across_sets=True) == expected


# ---------------------------------------------------------------------------------------------
# Revocation (QĐ 18/2022): with 19 criteria, 30% = 5.7 → 6 failed; 50% = 9.5 → 10 failed

def test_default_rule_thresholds_for_19_criteria():
    rule = RevocationRule()
    assert rule.min_failed_with_key == math.ceil(0.3 * 19) == 6
    assert rule.min_failed_any == math.ceil(0.5 * 19) == 10
    assert rule.key_criteria == frozenset(KEY)


def test_rule_from_the_criteria_set_data_matches_the_decree():
    rule = criteria_set(QD318).revocation_rule()
    assert (rule.share_any, rule.share_with_key) == (0.5, 0.3)
    assert rule.key_criteria == frozenset(KEY)
    assert (rule.min_failed_with_key, rule.min_failed_any) == (6, 10)


def test_2026_2030_rule_is_the_configured_default_on_ten_criteria_and_says_so():
    s = criteria_set(QD51)
    rule = s.revocation_rule()
    assert (rule.n_criteria, rule.min_failed_with_key, rule.min_failed_any) == (10, 3, 5)
    assert not s.revocation_verified and "QĐ 18/2022" in s.revocation_basis
    three = {c: c not in ("c03", "c06", "c07") for c in s.criteria}
    assert assess_revocation("standard", three, rule).at_risk            # c03 is a key criterion of the set
    assert not assess_revocation("standard", {c: c not in ("c04", "c06", "c07") for c in s.criteria}, rule).at_risk


@pytest.mark.parametrize("status", ["standard", "advanced", "model"])
def test_five_failed_including_a_key_criterion_is_not_at_risk(status):
    failed = ("c10",) + NON_KEY[:4]
    a = assess_revocation(status, flags_failing(failed))
    assert len(a.failed) == 5 and a.failed_key == ("c10",)
    assert not a.at_risk and a.reason == ""


@pytest.mark.parametrize("key", KEY)
def test_six_failed_including_any_key_criterion_is_at_risk(key):
    failed = (key,) + NON_KEY[:5]
    a = assess_revocation("standard", flags_failing(failed))
    assert len(a.failed) == 6
    assert a.failed_key == (key,)
    assert a.at_risk and a.reason == "share_with_key"
    assert a.share_failed == pytest.approx(6 / 19)


def test_six_failed_without_a_key_criterion_is_not_at_risk():
    a = assess_revocation("standard", flags_failing(NON_KEY[:6]))
    assert len(a.failed) == 6 and a.failed_key == ()
    assert not a.at_risk


def test_nine_failed_without_a_key_criterion_is_not_at_risk():
    a = assess_revocation("advanced", flags_failing(NON_KEY[:9]))
    assert len(a.failed) == 9 and a.failed_key == ()
    assert not a.at_risk


def test_ten_failed_is_at_risk_even_without_a_key_criterion():
    a = assess_revocation("standard", flags_failing(NON_KEY[:10]))
    assert a.failed_key == ()
    assert a.at_risk and a.reason == "share_any"


def test_ten_failed_with_a_key_criterion_reports_the_half_rule():
    a = assess_revocation("model", flags_failing(KEY + NON_KEY[:7]))
    assert len(a.failed) == 10
    assert a.at_risk and a.reason == "share_any"
    assert set(a.failed_key) == set(KEY)


@pytest.mark.parametrize("status", ["none", None])
def test_unrecognised_commune_is_never_at_risk(status):
    a = assess_revocation(status, {c: False for c in CRITERIA})
    assert len(a.failed) == 19
    assert not a.at_risk and a.reason == ""


def test_missing_flags_are_not_failures():
    # Seven criteria unknown (None), including the key criterion Income: only an explicit False counts.
    flags: dict[str, bool | None] = {c: True for c in CRITERIA}
    for c in NON_KEY[:6]:
        flags[c] = None
    flags["c10"] = None
    assert unmet_criteria(flags) == ()
    assert not assess_revocation("standard", flags).at_risk
    partial = {"c10": False, "c02": False}            # the rest absent
    assert unmet_criteria(partial) == ("c02", "c10")
    assert not assess_revocation("standard", partial).at_risk


def test_none_flags_do_not_push_a_commune_over_the_threshold():
    flags = flags_failing(("c17",) + NON_KEY[:4])      # 5 explicit failures incl. key
    flags[NON_KEY[10]] = None                           # a sixth criterion unknown
    a = assess_revocation("standard", flags)
    assert len(a.failed) == 5 and not a.at_risk


def test_custom_rule_thresholds():
    # A stricter province rule: 20% with a key criterion (ceil(3.8) = 4), 40% in any case (ceil(7.6) = 8).
    strict = RevocationRule(share_any=0.4, share_with_key=0.2, key_criteria=frozenset({"c11"}))
    assert (strict.min_failed_with_key, strict.min_failed_any) == (4, 8)
    four_with_key = flags_failing(("c11", "c01", "c02", "c03"))
    assert assess_revocation("standard", four_with_key, strict).at_risk
    assert not assess_revocation("standard", four_with_key).at_risk          # default rule: too few
    three_with_key = flags_failing(("c11", "c01", "c02"))
    assert not assess_revocation("standard", three_with_key, strict).at_risk
    # c10 is not key under this rule: 7 failed including c10 stays below 8.
    seven = flags_failing(("c10", "c01", "c02", "c03", "c04", "c05", "c06"))
    assert not assess_revocation("standard", seven, strict).at_risk
    eight = flags_failing(("c10", "c01", "c02", "c03", "c04", "c05", "c06", "c07"))
    assert assess_revocation("standard", eight, strict).reason == "share_any"


def test_custom_rule_with_a_smaller_criteria_set():
    # The 2026–2030 set has 10 criteria: 30% → 3, 50% → 5.
    rule = RevocationRule(n_criteria=10)
    assert (rule.min_failed_with_key, rule.min_failed_any) == (3, 5)
    a = assess_revocation("standard", flags_failing(("c10", "c01", "c02")), rule)
    assert a.at_risk and a.share_failed == pytest.approx(0.3)


def test_exact_threshold_shares_are_inclusive():
    # "30% to <50%" and "≥50%": a share of exactly 30% or 50% counts.
    rule = RevocationRule(n_criteria=20)
    assert (rule.min_failed_with_key, rule.min_failed_any) == (6, 10)


# ---------------------------------------------------------------------------------------------
# Lost criteria and counts

# ---------------------------------------------------------------------------------------------
# Rates

def test_rate_keeps_numerator_and_denominator():
    r = rate(15_943, 146_805)
    assert (r.numerator, r.denominator) == (15_943, 146_805)
    assert r.value == pytest.approx(15_943 / 146_805)
    assert r.percent == pytest.approx(100 * 15_943 / 146_805)


@pytest.mark.parametrize("denominator", [0, None])
def test_rate_with_zero_denominator_is_undefined(denominator):
    r = rate(5, denominator)
    assert r.value is None and r.percent is None
    assert r.numerator == 5


def test_rate_missing_numerator_is_zero():
    assert rate(None, 200).percent == 0.0


def test_change_pp_kon_tum_2022():
    # Published: 15.32% → 10.86% over the year, −4.46 pp (docs/domain.md §2.4, §4.3).
    before = Rate(21_989, 143_531)
    after = Rate(15_943, 146_805)
    assert round(before.percent, 2) == 15.32
    assert round(after.percent, 2) == 10.86
    assert change_pp(before, after) == pytest.approx(10.86 - 15.32, abs=0.01)
    assert change_pp(after, before) == pytest.approx(-change_pp(before, after))


def test_change_pp_undefined_when_either_rate_is():
    assert change_pp(Rate(1, 0), Rate(1, 10)) is None
    assert change_pp(Rate(1, 10), Rate(1, 0)) is None


# ---------------------------------------------------------------------------------------------
# Flow balance: poor_end ≈ poor_prev − escaped + fell_back + newly_poor

def test_settings_tolerance_is_the_csv_contract_one():
    assert flow_tolerances() == (5, 0.01)


def test_kon_tum_2022_published_flows_balance_within_tolerance():
    # 21,989 − 6,782 + 13 + 594 = 15,814 against the published end stock of 15,943.
    tol_h, tol_s = flow_tolerances()
    f = check_flow(21_989, 6_782, 13, 594, 15_943, tol_h, tol_s)
    assert f.expected == 21_989 - 6_782 + 13 + 594
    assert f.gap == 15_943 - f.expected
    assert f.tolerance == pytest.approx(max(5, 0.01 * 21_989))
    assert abs(f.gap) <= f.tolerance and f.balanced


def test_kon_tum_2022_with_near_poor_becoming_poor_is_closer():
    # Counting the 169 near-poor households that became poor: 15,983 vs 15,943, off by 40 (§2.4).
    tol_h, tol_s = flow_tolerances()
    plain = check_flow(21_989, 6_782, 13, 594, 15_943, tol_h, tol_s)
    f = check_flow(21_989, 6_782, 13, 169 + 594, 15_943, tol_h, tol_s)
    assert f.expected == 15_983
    assert f.gap == -40
    assert f.balanced
    assert abs(f.gap) < abs(plain.gap)


def test_flow_exactly_at_tolerance_balances_and_one_more_does_not():
    # 1% of 1,000 = 10 households > the 5-household floor.
    assert flow_tolerance(1_000) == 10
    assert check_flow(1_000, 100, 0, 50, 950 + 10).balanced          # gap +10
    assert check_flow(1_000, 100, 0, 50, 950 - 10).balanced          # gap −10
    assert not check_flow(1_000, 100, 0, 50, 950 + 11).balanced
    assert not check_flow(1_000, 100, 0, 50, 950 - 11).balanced


def test_small_communes_use_the_five_household_floor():
    # 1% of 120 is 1.2 households; the floor of 5 applies.
    assert flow_tolerance(120) == 5
    assert check_flow(120, 20, 1, 4, 105 + 5).balanced
    assert check_flow(120, 20, 1, 4, 105 - 5).balanced
    assert not check_flow(120, 20, 1, 4, 105 + 6).balanced
    assert not check_flow(0, 0, 0, 0, 6).balanced                  # a new commune with no poor before
    assert check_flow(0, 0, 0, 0, 5).balanced


def test_flow_tolerance_crosses_over_at_500_poor_households():
    assert flow_tolerance(499) == 5
    assert flow_tolerance(500) == 5
    assert flow_tolerance(501) == pytest.approx(5.01)


def test_flow_tolerance_is_configurable():
    assert flow_tolerance(1_000, tol_households=20, tol_share=0.0) == 20
    assert not check_flow(1_000, 0, 0, 0, 1_011).balanced
    assert check_flow(1_000, 0, 0, 0, 1_011, tol_households=20, tol_share=0.0).balanced


def test_exact_balance():
    f = check_flow(300, 40, 2, 8, 270)
    assert (f.expected, f.actual, f.gap) == (270, 270, 0)
    assert f.balanced
