"""The round trip of issue 6: `export_records` of a year, imported into the same directory without records,
gives the same records and the same year-end figures; imported again into the original database it changes nothing.

The demo province at a tenth of its field work (whole directory, locked and approved months, records of the
year before, standing records begun before the year), about a minute.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from outreach import demo
from outreach.importing.engine import run_import
from outreach.importing.specs import AGENCY, LOOKUP, PARENT, record_sheets
from outreach.models import Official, PartyOrganisation, PeriodLock, PeriodReturn, Region
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)
from reports.selectors import agency_breakdown, city_breakdown
from tests.conftest import client_for
from visits.models import (
    ChannelReturn,
    FiveIntoAction,
    FourIntoEvent,
    Visit,
    VisitOutcome,
    VolunteerService,
    VolunteerTeam,
)

pytestmark = pytest.mark.django_db

YEAR = 2014
FIRST, LAST = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
STANDING = Q(start_date__lte=LAST) & (Q(end_date__isnull=True) | Q(end_date__gte=FIRST))
IN_YEAR = Q(date__range=(FIRST, LAST))
# The records of the year, said here on their own (not by the exporter's rule).
OF_THE_YEAR = {
    ContactPoint: STANDING,
    NeedyPerson: Q(),  # people carry no date: all of them
    NeedyPairing: STANDING,
    ContactPointActivity: IN_YEAR,
    Pairing: STANDING,
    JointActivity: IN_YEAR,
    Support: IN_YEAR,
    Visit: Q(start_date__range=(FIRST, LAST)),
    VisitOutcome: Q(visit__start_date__range=(FIRST, LAST)),
    VolunteerTeam: STANDING,
    VolunteerService: IN_YEAR,
    FourIntoEvent: Q(year=YEAR),
    FiveIntoAction: IN_YEAR,
    ChannelReturn: Q(year=YEAR),
}
# A directory object by what names it in any database with the same directory (not its key).
NATURAL = {
    Official: ("agency__code", "name", "title", "rank"),
    Region: ("code",),
    PartyOrganisation: ("kind", "name", "region__code", "agency__code"),
}


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def paths(spec):
    found = []
    for column in spec.columns:
        if column.name == AGENCY:
            found.append("agency__code")
        elif column.kind == PARENT:
            found.append(f"{column.name}__reference")
        elif column.kind == LOOKUP:
            found += [f"{column.name}__{name}" for name in NATURAL[column.model_field.related_model]]
        else:
            found.append(column.name)
    return found


def records(year_only=True):
    """{model: set of rows}: every column of every live record (of the year), as any database names it."""
    return {
        spec.model: set(
            spec.model.objects.filter(OF_THE_YEAR[spec.model] if year_only else Q()).values_list(*paths(spec))
        )
        for spec in record_sheets()
    }


def year_end():
    """The year-end JSON of the province, and the figures of every agency and every city."""
    officer = get_user_model().objects.get(username=demo.OFFICER_USERNAME)
    # every record entered (the export carries records, not their months' review): basis all
    response = client_for(officer).get(reverse("reports:year_end_json") + f"?year={YEAR}&basis=all")
    assert response.status_code == 200
    by_agency = agency_breakdown(year=YEAR, as_of=LAST)
    by_city = city_breakdown(year=YEAR, as_of=LAST)
    return {
        "province": response.json(),
        "agencies": {row.unit.code: row.figures for row in by_agency.rows},
        "cities": {row.unit.code if row.unit else None: row.figures for row in by_city.rows},
    }


def exported_counts(output: str) -> dict:
    counts = {}
    for line in output.splitlines():
        title, _, count = line.rpartition(": ")
        if title and count.isdigit():
            counts[title] = int(count)
    return counts


def test_a_years_export_imported_into_the_bare_directory_gives_the_same_records_and_figures(tmp_path):
    call_command("seed_demo", fraction=0.1, stdout=io.StringIO())
    assert PeriodLock.objects.exists() and PeriodReturn.objects.filter(status=PeriodReturn.Status.APPROVED).exists()
    before = records()
    figures = year_end()
    assert figures["province"]["figures"]["visit.person_times"] > 0
    # Standing records begun the year before are records of the year too.
    assert ContactPoint.objects.filter(start_date__lt=FIRST).exists()

    path = tmp_path / "2014.xlsx"
    out = io.StringIO()
    call_command("export_records", year=YEAR, output=str(path), stdout=out)
    counts = exported_counts(out.getvalue())
    assert counts == {str(spec.title): len(before[spec.model]) for spec in record_sheets()}

    # Into the original database (months locked, submitted and approved since): nothing changes.
    history = sum(spec.model.history.count() for spec in record_sheets())
    again = run_import(path, agency=None, commit=True)
    assert again.ok, again.lines()[:20]
    assert again.totals() == {"created": 0, "updated": 0, "unchanged": sum(counts.values()), "failed": 0}
    assert sum(spec.model.history.count() for spec in record_sheets()) == history

    # Into the same directory without any record.
    call_command("seed_demo", "--flush", "--directory-only", stdout=io.StringIO())
    assert not any(spec.model.all_objects.exists() for spec in record_sheets())
    report = run_import(path, agency=None, commit=True)
    assert report.ok, report.lines()[:20]
    assert {sheet.title: sheet.created for sheet in report.sheets} == counts

    after = records(year_only=False)  # the database holds nothing else
    for spec in record_sheets():
        assert after[spec.model] == before[spec.model], spec.title
    assert year_end() == figures
