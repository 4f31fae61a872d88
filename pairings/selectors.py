"""Read-only compliance checks of the "1+2" rule and the "five ones" (docs/domain.md §3).

Each selector runs a fixed number of grouped queries, whatever the number of
agencies or pairings, and fills zeros in Python (pretix-style statistics).
Scoping goes through `for_user()`: staff see their agency, officers everything.

The year's window (docs/domain.md §4, `outreach.window.Window`): from 1 January up to and
including the as-of date (default: 31 December). A pairing counts for the year when
it is standing in the window; an activity when its date lies in it. `basis` (统计口径,
`outreach.models.Basis`): a pairing counts when the month it began is on the basis, an
activity when its own month is, as in the year-end figures (docs/indicators.md).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery

from outreach.models import Agency, Basis, PartyOrganisation
from outreach.window import Window
from pairings.models import JointActivity, Pairing

COMMUNITY = PartyOrganisation.Kind.COMMUNITY
VILLAGE = PartyOrganisation.Kind.VILLAGE


# --- "1+2": each agency committee pairs with a community and a village organisation ---------


@dataclass
class CommitteeCompliance:
    agency: Agency
    committee_name: str | None
    community_partners: int = 0
    village_partners: int = 0

    @property
    def has_community(self) -> bool:
        return self.community_partners > 0

    @property
    def has_village(self) -> bool:
        return self.village_partners > 0

    @property
    def status(self) -> str:
        """ "both", "one" or "none"."""
        return {2: "both", 1: "one", 0: "none"}[self.has_community + self.has_village]

    @property
    def complete(self) -> bool:
        return self.status == "both"


@dataclass
class OnePlusTwoSummary:
    committees: int = 0
    with_both: int = 0
    with_one: int = 0
    with_none: int = 0


@dataclass
class OnePlusTwoResult:
    start: datetime.date
    end: datetime.date
    rows: list[CommitteeCompliance]
    summary: OnePlusTwoSummary


def one_plus_two_compliance(
    *, user, year: int, as_of: datetime.date | None = None, agency: Agency | None = None, basis: str = Basis.ALL
) -> OnePlusTwoResult:
    """Per active agency (in the user's scope): its committee's community and village partners in the year.

    An agency with no pairing, or no committee at all, is listed with zeros: it is
    what the page is for. Two queries: the agencies with their committee's name,
    and the partners counted per agency and partner kind.
    """
    window = Window.of_year(year, as_of)
    committees = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.AGENCY_COMMITTEE, agency=OuterRef("pk"))
    agencies = Agency.objects.for_user(user).filter(is_active=True)
    pairings = Pairing.objects.for_user(user).standing(window).on_basis(basis)
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
        pairings = pairings.filter(agency=agency)
    agencies = agencies.annotate(committee_name=Subquery(committees.values("name")[:1])).order_by("code")

    counts = {
        (row["agency_id"], row["partner__kind"]): row["partners"]
        for row in pairings.values("agency_id", "partner__kind")
        .annotate(partners=Count("partner", distinct=True))
        .order_by()
    }
    rows, summary = [], OnePlusTwoSummary()
    for item in agencies:
        row = CommitteeCompliance(
            agency=item,
            committee_name=item.committee_name,
            community_partners=counts.get((item.pk, COMMUNITY), 0),
            village_partners=counts.get((item.pk, VILLAGE), 0),
        )
        rows.append(row)
        summary.committees += 1
        setattr(summary, f"with_{row.status}", getattr(summary, f"with_{row.status}") + 1)
    return OnePlusTwoResult(start=window.start, end=window.end, rows=rows, summary=summary)


# --- "five ones": each pairing holds five kinds of joint activity every year -----------------


@dataclass
class PairingFiveOnes:
    pairing: Pairing
    #: kind → number of activities of that kind held in the window
    held: dict[str, int]

    @property
    def items(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) of each of the five ones, in their order."""
        return [(kind.value, kind.label, self.held.get(kind.value, 0)) for kind in JointActivity.FIVE_ONES]

    @property
    def missing(self) -> list[str]:
        return [kind.label for kind in JointActivity.FIVE_ONES if not self.held.get(kind.value)]

    @property
    def done_count(self) -> int:
        return sum(1 for kind in JointActivity.FIVE_ONES if self.held.get(kind.value))

    @property
    def complete(self) -> bool:
        return self.done_count == len(JointActivity.FIVE_ONES)


@dataclass
class FiveOnesSummary:
    pairings: int = 0
    complete: int = 0
    behind: int = 0
    #: kind → pairings that have not held it
    missing_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def missing_items(self) -> list[tuple[str, int]]:
        return [(kind.label, self.missing_by_kind.get(kind.value, 0)) for kind in JointActivity.FIVE_ONES]


@dataclass
class FiveOnesResult:
    start: datetime.date
    end: datetime.date
    rows: list[PairingFiveOnes]
    summary: FiveOnesSummary


def five_ones_compliance(
    *, user, year: int, as_of: datetime.date | None = None, agency: Agency | None = None, basis: str = Basis.ALL
) -> FiveOnesResult:
    """Per pairing counting for the year (in the user's scope): which of the five ones it held.

    Two queries: the pairings (with agency, committee and partner), and their
    five-ones activities in the window counted per pairing and kind.
    """
    window = Window.of_year(year, as_of)
    pairings = Pairing.objects.for_user(user).standing(window).on_basis(basis)
    if agency is not None:
        pairings = pairings.filter(agency=agency)
    activities = (
        JointActivity.objects.for_user(user)
        .dated_in(window)
        .on_basis(basis)
        .filter(pairing__in=pairings.values("pk"), kind__in=JointActivity.FIVE_ONES)
        .values("pairing_id", "kind")
        .annotate(held=Count("pk"))
        .order_by()
    )
    held: dict[int, dict[str, int]] = {}
    for row in activities:
        held.setdefault(row["pairing_id"], {})[row["kind"]] = row["held"]

    summary = FiveOnesSummary(missing_by_kind={kind.value: 0 for kind in JointActivity.FIVE_ONES})
    rows = []
    for pairing in pairings.select_related("agency", "committee", "partner").order_by(
        "agency__code", "partner__kind", "pk"
    ):
        row = PairingFiveOnes(pairing=pairing, held=held.get(pairing.pk, {}))
        rows.append(row)
        summary.pairings += 1
        if row.complete:
            summary.complete += 1
        else:
            summary.behind += 1
        for kind in JointActivity.FIVE_ONES:
            if not row.held.get(kind.value):
                summary.missing_by_kind[kind.value] += 1
    return FiveOnesResult(start=window.start, end=window.end, rows=rows, summary=summary)
