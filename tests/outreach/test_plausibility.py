"""Plausible ranges (issue 16 item 11): a value far above its field's usual maximum is shown back to the clerk,
who saves it only after confirming it; a box ticked for other values confirms nothing; a confirmed value is not
asked about again; the history says it was confirmed; a year's settings change the maxima."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jobs.models import Job
from outreach import plausibility
from outreach.importing.services import MSG_CONFIRM_UNUSUAL
from outreach.importing.specs import sheet_for
from outreach.management.commands.import_records import MSG_UNUSUAL_VALUES
from outreach.models import AgencyRecord, CampaignYear, ImportBatch, Official, PlausibleLimit
from tests.factories import OfficialFactory, VisitFactory, VisitOutcomeFactory, region_chain
from tests.outreach.import_files import xlsx
from tests.visits.test_visit_views import form_data
from visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

CONFIRM_TEXT = "I have checked these values: they are right."
OUTLIER_QUERIES = 18


@pytest.fixture
def leader_a(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", position=Official.Position.LEADERSHIP)


@pytest.fixture
def village():
    return region_chain()


def shown_flags(response) -> list[str]:
    return [str(flag) for flag in response.context.get("unusual") or ()]


def as_posted(form) -> dict:
    """A form's fields as the browser posts them unchanged (an unticked box is left out)."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def zh(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


# --- the catalogue of usual maxima ----------------------------------------------------------------


def test_every_count_and_amount_of_every_record_has_a_usual_maximum_and_every_maximum_a_field():
    """A new count or amount cannot be forgotten: each one a user types has its usual maximum."""
    typed = set()
    for model in apps.get_models():
        if not issubclass(model, AgencyRecord):
            continue
        for field in model._meta.concrete_fields:
            counted = isinstance(field, (models.PositiveIntegerField, models.DecimalField))
            if counted and field.editable and field.name != "version":
                typed.add(plausibility.key_of(model, field.name))
    assert typed == set(plausibility.USUAL_MAX)
    for key, limit in plausibility.USUAL_MAX.items():
        _model, field = plausibility.field_of(key)
        assert isinstance(limit, Decimal) == isinstance(field, models.DecimalField), key
        ceiling = max(v.limit_value for v in field.validators if hasattr(v, "limit_value"))
        assert 0 < limit < ceiling or field.name == "hours", key  # hours have no ceiling, only a floor


def test_a_flag_says_the_value_and_the_usual_maximum_the_chinese_way():
    outcome = VisitOutcome(financing=Decimal("134000000.00"), difficulties=3)
    found = plausibility.flags(outcome, plausibility.USUAL_MAX)
    assert [flag.key for flag in found] == ["visits.visitoutcome.financing"]
    with translation.override(settings.LANGUAGE_CODE):
        message = found[0].message
    assert "1.34 亿元" in message and "1.00 亿元" in message
    assert message.startswith(str(VisitOutcome._meta.get_field("financing").verbose_name))


# --- the form ---------------------------------------------------------------------------------------


def test_an_unusual_amount_is_shown_back_and_nothing_is_saved_until_confirmed(cast, leader_a, village):
    data = form_data(leader_a, village, outcomes=[{"financing": "150000000"}])
    response = cast["staff_a"].post(reverse("visits:visit_add"), data)
    assert response.status_code == 200
    assert Visit.all_objects.count() == 0 and VisitOutcome.all_objects.count() == 0
    flags = response.context["unusual"]
    assert [(flag.key, flag.value) for flag in flags] == [("visits.visitoutcome.financing", Decimal("150000000"))]
    page = response.content.decode()
    assert zh(CONFIRM_TEXT) in page and 'data-testid="unusual-values"' in page
    assert "1.50 亿元" in page  # the value as typed, the Chinese way
    # what the clerk typed is all still there, the unusual value outlined
    assert response.context["formset"].forms[0]["financing"].value() == "150000000"
    assert "border-warning" in str(response.context["formset"].forms[0]["financing"])
    assert "border-warning" not in str(response.context["form"]["households"])

    confirmed = {**data, "confirm_unusual": response.context["unusual_signature"]}
    response = cast["staff_a"].post(reverse("visits:visit_add"), confirmed)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == visit.get_absolute_url()
    assert visit.outcomes.get().financing == Decimal("150000000")
    reason = visit.history.latest().history_change_reason
    assert str(VisitOutcome._meta.get_field("financing").verbose_name) in reason


def test_a_box_ticked_for_other_values_confirms_nothing(cast, leader_a, village):
    data = form_data(leader_a, village, outcomes=[{"financing": "150000000"}])
    first = cast["staff_a"].post(reverse("visits:visit_add"), data)
    changed = form_data(leader_a, village, outcomes=[{"financing": "250000000"}])
    response = cast["staff_a"].post(
        reverse("visits:visit_add"), {**changed, "confirm_unusual": first.context["unusual_signature"]}
    )
    assert response.status_code == 200 and Visit.all_objects.count() == 0
    assert [flag.value for flag in response.context["unusual"]] == [Decimal("250000000")]
    # ticked without a value the page gave (a forged or stale box): still asked
    response = cast["staff_a"].post(reverse("visits:visit_add"), {**changed, "confirm_unusual": "on"})
    assert response.status_code == 200 and Visit.all_objects.count() == 0


def test_the_visits_own_counts_are_checked_too_and_ordinary_values_ask_nothing(cast, leader_a, village):
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(leader_a, village, households=500))
    assert response.status_code == 200 and Visit.all_objects.count() == 0
    assert [flag.key for flag in response.context["unusual"]] == ["visits.visit.households"]
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(leader_a, village, households=200))
    assert response.status_code == 302 and Visit.objects.get().households == 200  # at the maximum: usual


def test_a_confirmed_value_is_not_asked_about_again_but_a_changed_one_is(cast, leader_a, agency_a):
    visit = VisitFactory(official=leader_a, agency=agency_a, households=500, start_date=datetime.date(2014, 5, 6))
    outcome = VisitOutcomeFactory(visit=visit, financing=Decimal("150000000"))
    edit = reverse("visits:visit_edit", args=[visit.pk])

    def edited(**changes):
        page = cast["staff_a"].get(edit).context
        data = {**as_posted(page["form"]), **as_posted(page["formset"].management_form)}
        for item in page["formset"].forms:
            data.update(as_posted(item))
        return {**data, **changes}

    data = edited(note="补记")
    assert data["items-0-financing"] == Decimal("150000000.00") and data["households"] == 500
    response = cast["staff_a"].post(edit, data)
    assert response.status_code == 302, (response.context["form"].errors, response.context["formset"].errors)
    visit.refresh_from_db()
    assert visit.note == "补记"
    response = cast["staff_a"].post(edit, edited(note="再改", **{"items-0-financing": "160000000"}))
    assert response.status_code == 200, response.context["formset"].errors
    assert [flag.key for flag in response.context["unusual"]] == ["visits.visitoutcome.financing"]
    with translation.override(settings.LANGUAGE_CODE):
        assert shown_flags(response)[0].startswith(f"{VisitOutcome._meta.verbose_name}")
    outcome.refresh_from_db()
    visit.refresh_from_db()
    assert outcome.financing == Decimal("150000000") and visit.note == "补记"


# --- a year's settings ------------------------------------------------------------------------------


def test_a_years_own_maximum_replaces_the_built_in_one_and_carries_over(cast, leader_a, village):
    year = CampaignYear.defaults(2014)
    year.save()
    PlausibleLimit.objects.create(campaign_year=year, field="visits.visit.households", maximum=10)
    assert plausibility.limits_for(2014)["visits.visit.households"] == 10
    assert plausibility.limits_for(2016)["visits.visit.households"] == 10  # carried over, as the settings are
    assert plausibility.limits_for(2013)["visits.visit.households"] == plausibility.USUAL_MAX["visits.visit.households"]
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(leader_a, village, households=12))
    assert response.status_code == 200 and Visit.all_objects.count() == 0
    assert [(flag.key, flag.limit) for flag in response.context["unusual"]] == [("visits.visit.households", 10)]


@pytest.mark.parametrize(
    ("field", "maximum", "error_field"),
    [("visits.visit.nothing", 10, "field"), ("visits.visit.households", 0, "maximum")],
)
def test_a_years_maximum_must_name_a_known_field_and_be_positive(field, maximum, error_field):
    year = CampaignYear.defaults(2014)
    year.save()
    limit = PlausibleLimit(campaign_year=year, field=field, maximum=maximum)
    with pytest.raises(ValidationError) as caught:
        limit.full_clean()
    assert list(caught.value.message_dict) == [error_field]
    assert not PlausibleLimit.objects.exists()


# --- the import ---------------------------------------------------------------------------------------


def unusual_visit_row(reference, households):
    from tests.outreach.test_import_views import visit_row

    row = visit_row(reference, "张伟")
    row[[c.name for c in sheet_for(Visit).columns].index("households")] = households
    return row


@pytest.fixture
def zhang(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


def test_the_import_preview_lists_unusual_values_and_imports_only_once_they_are_confirmed(cast, staff_a, zhang):
    from tests.outreach.test_import_views import VISITS, confirmed, job_of, messages_of, uploaded, workbook

    batch = uploaded(cast["staff_a"], workbook(unusual_visit_row("ZF-1", 12), unusual_visit_row("ZF-2", 900)))
    assert batch.status == ImportBatch.Status.PREVIEWED  # not a problem: the preview may still be confirmed
    page = cast["staff_a"].get(batch.get_absolute_url())
    report = page.context["report"]
    column = next(f"{c.title}" for c in sheet_for(Visit).columns if c.name == "households")
    assert [(i.sheet, i.row, i.column.split(" ", 1)[1]) for i in report.unusual] == [(VISITS, 3, column)]
    with translation.override(settings.LANGUAGE_CODE):
        assert "900" in report.unusual[0].message
    assert report.unusual_count == 1 and report.ok
    html = page.content.decode()
    assert 'data-testid="unusual"' in html and 'data-testid="confirm-unusual"' in html and "900" in html
    assert page.context["can_confirm"] and 'class="alert alert-warning" role="status" data-testid="outcome"' in html

    # confirming without the box: refused with why, nothing imported, no job
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert messages_of(response) == [str(MSG_CONFIRM_UNUSUAL)]
    assert Visit.all_objects.count() == 0 and not Job.objects.filter(kind="import_confirm").exists()
    # a box carrying another preview's values confirms nothing
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]), {"confirm_unusual": "0" * 16})
    assert Visit.all_objects.count() == 0 and not Job.objects.filter(kind="import_confirm").exists()

    job = job_of(
        cast["staff_a"].post(
            reverse("imports:confirm", args=[batch.pk]), {"confirm_unusual": report.unusual_signature}
        ),
        "import_confirm",
    )
    assert sorted(Visit.objects.values_list("reference", "households")) == [("ZF-1", 12), ("ZF-2", 900)]
    assert job.result_url == batch.get_absolute_url()
    # the imported batch still shows what was confirmed, and the same rows again change nothing and ask nothing
    assert cast["staff_a"].get(batch.get_absolute_url()).context["report"].unusual_count == 1
    again = uploaded(cast["staff_a"], workbook(unusual_visit_row("ZF-1", 12), unusual_visit_row("ZF-2", 900)))
    report = cast["staff_a"].get(again.get_absolute_url()).context["report"]
    assert report.unusual_count == 0
    confirmed(cast["staff_a"], again)


def test_the_command_line_import_names_unusual_values_and_imports_them(tmp_path, agency_a, zhang):
    from tests.outreach.test_import_views import VISITS

    header = [str(column.title) for column in sheet_for(Visit).columns]
    path = xlsx(tmp_path / "走访.xlsx", {VISITS: [header, unusual_visit_row("ZF-9", 900)]})
    out, err = io.StringIO(), io.StringIO()
    with translation.override(settings.LANGUAGE_CODE):
        call_command("import_records", str(path), "--agency", agency_a.code, stdout=out, stderr=err)
        expected = str(MSG_UNUSUAL_VALUES) % {"count": 1}
    assert expected in err.getvalue() and "900" in err.getvalue()
    assert Visit.objects.get().households == 900


# --- officers' list of unusual values -------------------------------------------------------------------


def test_the_outlier_list_shows_records_above_their_usual_maximum_most_unusual_first(
    cast, agency_a, agency_b, leader_a
):
    other = OfficialFactory(agency=agency_b)
    day = datetime.date(2014, 5, 6)
    usual = VisitFactory(official=leader_a, agency=agency_a, start_date=day, end_date=day, households=200)
    big = VisitFactory(official=leader_a, agency=agency_a, start_date=day, end_date=day, households=400)
    outcome = VisitOutcomeFactory(visit=usual, financing=Decimal("1340000000"))  # 13.4 × 1亿
    theirs = VisitFactory(official=other, agency=agency_b, start_date=day, end_date=day, households=1000)
    last_year = datetime.date(2013, 5, 6)
    VisitFactory(official=other, agency=agency_b, start_date=last_year, end_date=last_year, households=1000)

    page = cast["officer"].get(reverse("reports:outliers"), {"year": 2014, "as_of": "2014-07-31"})
    rows = [(row.record, row.key, row.ratio) for row in page.context["result"].rows]
    assert rows == [
        (outcome, "visits.visitoutcome.financing", Decimal("13.4")),
        (theirs, "visits.visit.households", Decimal("5.0")),
        (big, "visits.visit.households", Decimal("2.0")),
    ]
    html = page.content.decode()
    assert f'href="{usual.get_absolute_url()}"' in html  # an outcome opens its visit
    assert "13.40 亿元" in html and "1.00 亿元" in html

    mine = cast["staff_a"].get(reverse("reports:outliers"), {"year": 2014, "as_of": "2014-07-31"})
    assert [row.record for row in mine.context["result"].rows] == [outcome, big]
    only = cast["officer"].get(
        reverse("reports:outliers"), {"year": 2014, "as_of": "2014-07-31", "field": "visits.visit.households"}
    )
    assert [row.record for row in only.context["result"].rows] == [theirs, big]
    assert cast["staff_a"].get(reverse("reports:outliers"), {"agency": agency_b.code}).status_code == 404


@pytest.mark.parametrize("params", [{"year": "二〇一四"}, {"field": "visits.visit.nothing"}, {"as_of": "2013-05-01"}])
def test_the_outlier_list_answers_bad_filters_with_the_message(cast, params):
    page = cast["officer"].get(reverse("reports:outliers"), {"year": 2014, **params})
    assert page.status_code == 400 and page.context["result"] is None
    assert page.context["form"].errors and 'data-testid="outliers"' not in page.content.decode()


@pytest.mark.parametrize("n", [5, 50])
def test_the_outlier_list_takes_the_same_queries_for_5_and_50(cast, agency_a, leader_a, n, django_assert_num_queries):
    day = datetime.date(2014, 5, 6)
    for _ in range(n):
        visit = VisitFactory(official=leader_a, agency=agency_a, start_date=day, end_date=day, households=300)
        VisitOutcomeFactory(visit=visit, financing=Decimal("200000000"))
    client = cast["officer"]
    client.get(reverse("home"))  # the session is warm
    # the page's frame (session, user with role, default year, jobs badge; the year kept in the session), the
    # year's usual maxima, and one query per record type (ten): the same for 5 records as for 50
    with django_assert_num_queries(OUTLIER_QUERIES):
        page = client.get(reverse("reports:outliers"), {"year": 2014, "as_of": "2014-07-31"})
    assert page.context["result"].count == 2 * n
