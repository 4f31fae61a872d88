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

from outreach.rates import cut_rate
from reports.catalogue import BY_CODE, CATALOGUE, PERCENT

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
# The figures checked against the sum of a breakdown's rows (rates are recomputed instead).
SUMMED_BY_AGENCY = tuple(i.code for i in CATALOGUE if i.kind != PERCENT)
SUMMED_BY_CITY = tuple(
    i.code for i in CATALOGUE if i.kind != PERCENT and i.by_city and i.code not in NOT_SUMMED_BY_CITY
)


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
        checked += len(SUMMED_BY_AGENCY)
        findings += _sum_checks(
            figures, agency_rows, SUMMED_BY_AGENCY, SHARED_ACROSS_AGENCIES, RULE_AGENCIES_SUM, RULE_AGENCIES_AT_LEAST
        )
    if city_rows is not None:
        checked += len(SUMMED_BY_CITY)
        findings += _sum_checks(
            figures, city_rows, SUMMED_BY_CITY, SHARED_ACROSS_CITIES, RULE_CITIES_SUM, RULE_CITIES_AT_LEAST
        )
    return ConsistencyReport(checked=checked, findings=findings)


def _sum_checks(figures, rows, codes, shared_codes, rule_sum, rule_at_least) -> list[Finding]:
    """Each figure of `codes` against the sum of `rows`: equal, or at least it for a thing rows can share."""
    findings = []
    for code in codes:
        total = sum(row[code] for row in rows)
        if code in shared_codes and total < figures[code]:
            findings.append(Finding(code, str(rule_at_least), f"≥ {figures[code]}", total))
        elif code not in shared_codes and total != figures[code]:
            findings.append(Finding(code, str(rule_sum), figures[code], total))
    return findings
