"""The consistency panel: figures checked against their parts.

Every figure is computed from records, so a contradiction here means a bug or records that break a
rule the forms enforce (for instance rows written straight into the database or imported). Three
kinds of check:

* a part never exceeds its whole (`approval.fees_cancelled_enterprise` ≤ `approval.fees_cancelled`);
* a rate equals its recomputation from parts (`approval.items_cut_rate` = 1 − after ÷ before),
  including from the per-agency breakdown's summed parts — rates are never typed in here, so a rate
  typed anywhere else (a spreadsheet, a published text) is compared against this computed one;
* breakdowns add up: for figures that are sums or counts of one agency's own things, the agencies'
  rows add up to the province; for distinct counts that one thing can share (a village organisation
  paired by two agencies), the rows add up to at least the province. The same for target cities.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.indicators import BY_CODE, CATALOGUE, PERCENT, cut_rate

# A part and its whole: part ≤ whole. (Not here: projects supported may exceed projects planned this
# year, as support goes to projects planned earlier; window units need not have every channel.)
PART_OF = (
    ("cp.officials", "cp.points"),
    ("pair.one_plus_two", "pair.agency_committees"),
    ("visit.minimum_met", "visit.minimum_due"),
    ("approval.items_after", "approval.items_before"),
    ("approval.fees_cancelled_enterprise", "approval.fees_cancelled"),
    ("volunteer.professional_teams", "volunteer.teams"),
)

# Distinct counts a thing can share between agencies: their rows add up to at least the province.
SHARED_ACROSS_AGENCIES = {"pair.village_orgs", "pair.community_orgs"}
# Distinct counts one agency, official or committee can spread over several cities.
SHARED_ACROSS_CITIES = {"cp.agencies", "cp.officials", "pair.agency_committees"}
# Not meaningful per city: a committee's two partners may lie in different cities.
NOT_SUMMED_BY_CITY = {"pair.one_plus_two"}


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    expected: object
    found: object

    @property
    def indicator(self):
        return BY_CODE[self.code]


@dataclass(frozen=True)
class ConsistencyReport:
    checked: int
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


RULE_PART = _("a part is larger than its whole ({whole})")
RULE_RATE = _("the rate differs from its recomputation from the summed parts")
RULE_AGENCIES_SUM = _("the agencies' rows do not add up to the province figure")
RULE_AGENCIES_AT_LEAST = _("the agencies' rows add up to less than the province figure")
RULE_CITIES_SUM = _("the cities' rows do not add up to the figure")
RULE_CITIES_AT_LEAST = _("the cities' rows add up to less than the figure")


def check(
    figures: dict, agency_rows: list[dict] | None = None, city_rows: list[dict] | None = None
) -> ConsistencyReport:
    """Check `figures` (one scope) against its parts and, when given, against its breakdowns' rows.

    `city_rows` must cover every record of the scope (all cities, plus the row of records without a city).
    """
    findings: list[Finding] = []
    checked = 0
    for part, whole in PART_OF:
        checked += 1
        if (figures[part] or 0) > (figures[whole] or 0):
            findings.append(
                Finding(part, str(RULE_PART).format(whole=BY_CODE[whole].label), f"≤ {figures[whole]}", figures[part])
            )

    checked += 1
    rate = cut_rate(figures["approval.items_after"], figures["approval.items_before"])
    if rate != figures["approval.items_cut_rate"]:
        findings.append(Finding("approval.items_cut_rate", str(RULE_RATE), rate, figures["approval.items_cut_rate"]))

    if agency_rows is not None:
        checked += 1
        summed = cut_rate(
            sum(row["approval.items_after"] for row in agency_rows),
            sum(row["approval.items_before"] for row in agency_rows),
        )
        if summed != figures["approval.items_cut_rate"]:
            findings.append(
                Finding("approval.items_cut_rate", str(RULE_RATE), summed, figures["approval.items_cut_rate"])
            )
        for indicator in CATALOGUE:
            if indicator.kind == PERCENT:
                continue
            checked += 1
            findings.extend(
                _sum_check(
                    indicator.code,
                    figures,
                    agency_rows,
                    indicator.code in SHARED_ACROSS_AGENCIES,
                    RULE_AGENCIES_SUM,
                    RULE_AGENCIES_AT_LEAST,
                )
            )

    if city_rows is not None:
        for indicator in CATALOGUE:
            if indicator.kind == PERCENT or not indicator.by_city or indicator.code in NOT_SUMMED_BY_CITY:
                continue
            checked += 1
            findings.extend(
                _sum_check(
                    indicator.code,
                    figures,
                    city_rows,
                    indicator.code in SHARED_ACROSS_CITIES,
                    RULE_CITIES_SUM,
                    RULE_CITIES_AT_LEAST,
                )
            )
    return ConsistencyReport(checked=checked, findings=findings)


def _sum_check(code, figures, rows, shared, rule_sum, rule_at_least):
    total = sum(row[code] for row in rows)
    if shared and total < figures[code]:
        yield Finding(code, str(rule_at_least), f"≥ {figures[code]}", total)
    elif not shared and total != figures[code]:
        yield Finding(code, str(rule_sum), figures[code], total)
