"""The pack's first and last slides: the overview tiles (rates with their change, flows, NTM communes,
communes at risk) and the sources, notes and legal basis."""

from __future__ import annotations

from ntm.domain.criteria import criteria_set
from ntm.domain.periods import period_for_year
from ntm.export.pack.model import PackContext, Section, Tile, section_title
from ntm.present import findings
from ntm.present.labels import RATES, rate_name, source_line, standard_name, targets_progress
from ntm.read.summary import summary
from ntm.domain.units import REFORM_YEAR
from ntm.text import fmt_number, fmt_percent, fmt_pp, status_label, t

# The legal basis on the sources slide is the year's programme period's (`data/programme_periods.csv`).
NATIONAL_DOCS = ("NQ 24/2021/QH15", "NQ 25/2021/QH15", "QĐ 90/QĐ-TTg", "QĐ 263/QĐ-TTg", "NQ 257/2025/QH15",
                 "NQ 424/NQ-CP")


def overview(c: PackContext) -> Section:
    """Eight figures of the year: poor, near-poor and EM poor rates with their change, escapes and
    flows; communes recognised, advanced / model, criteria per commune, communes at risk."""
    lg = c.lang
    s = summary(c.con, c.scope, c.year)
    if not s.get("has_data"):
        return c.empty("overview")
    prev = summary(c.con, c.scope, c.year - 1) if c.year - 1 in c.years else {}
    prev = prev if prev.get("has_data") else {}

    std = s.get("poverty_standard") or {}

    def rate_tile(rate: str) -> Tile:
        key = RATES[rate].summary              # the rate under its one name (`labels.RATES`)
        now, before = (s.get(key) or {}), (prev.get(key) or {})
        notes = [t("pack.tile.households", lg, n=fmt_number(now.get("count"), lg))] if now else []
        tone = "neutral"
        if std.get("break") and before:          # the year before follows another standard: no change said
            notes.append(t("pack.tile.vs_break", lg, year=c.year - 1,
                           before=standard_name(std["compared_key"], lg, flag=False)))
        elif now.get("percent") is not None and before.get("percent") is not None:
            d = now["percent"] - before["percent"]
            notes.append(t("pack.tile.vs", lg, change=("−" if d < 0 else "+") + fmt_pp(d, lg, sign=""), year=c.year - 1))
            tone = "good" if d < 0 else "bad" if d > 0 else "neutral"
        return Tile(rate_name(rate, lg), fmt_percent(now.get("percent"), lg), " · ".join(notes), tone)

    tiles = [rate_tile("poor"), rate_tile("near_poor"), rate_tile("em_poor"), _flows_tile(s, lg)]
    ntm = s.get("ntm") or {}
    rural, rec = ntm.get("rural_communes") or 0, ntm.get("recognised") or 0
    if rural:
        note, tone = t("pack.tile.share", lg, share=fmt_percent(100 * rec / rural, lg, 1)), "neutral"
        before = (prev.get("ntm") or {}).get("recognised")
        cset = criteria_set(s.get("criteria_set"), c.year)
        if prev and prev.get("criteria_set") != s.get("criteria_set") and not cset.recognition_carries_over:
            note += " · " + t("pack.tile.anew", lg, year=cset.first_year,    # starts anew: no change on last year
                                  label="" if cset.recognition_verified else t("ui.unconfirmed_rule", lg))
        elif before is not None:
            d = rec - before
            note += " · " + t("pack.tile.vs", lg, change=("+" if d >= 0 else "−") + fmt_number(abs(d), lg),
                                  year=c.year - 1)
            tone = "good" if d > 0 else "bad" if d < 0 else "neutral"
        by, risk = ntm.get("by_status") or {}, ntm.get("at_risk") or 0
        higher = cset.recognised[1:]          # advanced / model to 2025; modern from 2026
        rule = "pack.tile.rule" if cset.revocation_verified else "pack.tile.rule_default"
        tiles += [Tile(t("pack.tile.recognised", lg), f"{fmt_number(rec, lg)}/{fmt_number(rural, lg)}", note, tone),
                  Tile(t(f"pack.tile.higher.{cset.key}", lg), " / ".join(fmt_number(by.get(k, 0), lg) for k in higher),
                       " / ".join(status_label(k, lg) for k in higher)),
                  Tile(t("pack.tile.avg_criteria", lg), fmt_number(ntm.get("avg_criteria"), lg, 1),
                       t("pack.tile.of19", lg, n=cset.n_criteria)),
                  Tile(t("pack.tile.at_risk", lg), fmt_number(risk, lg), t(rule, lg), "bad" if risk else "good")]
    change = s.get("poor_rate_change_pp")
    tone = "neutral" if change is None or std.get("break") else "good" if change < 0 else "bad"
    notices = (t("standards.break_notice", lg, y0=c.year - 1, y1=c.year, after=standard_name(std["key"], lg),
                 before=standard_name(std["compared_key"], lg)),) if std.get("break") else ()
    return Section("overview", section_title("overview", lg, c.year), findings.overview(s, lg), tone,
                   caption=f"{c.scope_label}, {c.year}", tiles=tiles, notices=notices)


def _flows_tile(s: dict, lg: str) -> Tile:
    """Households escaping poverty, with those falling back and newly poor; for a year without flows, the
    baseline review under a new standard (flows are not compared across two standards) or 'not reported'."""
    if findings.has_flows(s):
        return Tile(t("pack.tile.escaped", lg), fmt_number(s.get("escaped"), lg),
                    t("pack.tile.flows", lg, fell_back=fmt_number(s.get("fell_back"), lg),
                      newly=fmt_number(s.get("newly_poor"), lg)))
    std = s.get("poverty_standard") or {}
    new = findings.first_review_of(std.get("key"), s["year"], bool(std.get("break")))
    if new:                 # the slide's footer names the break, 'unconfirmed' where it is: not said twice
        return Tile(t("pack.tile.flows_title", lg), t("pack.tile.baseline", lg),
                    t("pack.tile.baseline_note", lg, standard=standard_name(new, lg, flag=not std.get("break"))))
    return Tile(t("pack.tile.escaped", lg), fmt_number(None, lg), t("pack.tile.no_flows", lg))


def sources(c: PackContext) -> Section:
    """Where the figures come from (the boundaries the pack's map drew, by their sources), the notes a
    reader needs (schematic boundaries only when the map drew them) and the legal basis of criteria and
    targets."""
    lg = c.lang
    years = f"{min(c.years)}–{max(c.years)}" if len(c.years) > 1 else str(c.years[0])
    data = [source_line(False, lg), t("pack.src.scope", lg, scope=c.scope_label, years=years, year=c.year)]
    drawn = c.built.get("map")
    if drawn is not None and drawn.boundaries:
        data.append(t("pack.src.boundaries", lg, sources=", ".join(drawn.boundaries)))
    notes = []
    if c.is_demo:
        notes.append(t("demo_notice", lg))
    if drawn is not None and drawn.schematic:
        notes.append(t("schematic_notice", lg))
    cset = criteria_set(None, c.year)
    notes += [t("pack.src.at_risk_rule" if cset.revocation_verified else "pack.src.at_risk_rule_default", lg),
              t("pack.src.reduction", lg)]
    if c.scope.geo == "new" and min(c.years) < REFORM_YEAR:
        notes.append(t("pack.src.converted", lg, year=REFORM_YEAR))
    targets = targets_progress(c.con, c.scope, lg, as_of=c.year)
    local = sorted({d for d in targets["source_document"].dropna() if not any(n in d for n in NATIONAL_DOCS)})
    legal = [t(key, lg) for key in period_for_year(c.year).legal_basis]
    if local:
        legal.append(t("pack.src.local_docs", lg, docs="; ".join(local)))
    if len(targets) and not targets["verified"].all():
        notes.append(t("pack.src.unverified", lg))
    return Section("sources", section_title("sources", lg, c.year), "", blocks=[
        (t("pack.src.data", lg), data), (t("pack.src.notes", lg), notes), (t("pack.src.legal", lg), legal)])
