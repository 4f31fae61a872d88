"""`manage.py seed_demo`, the demo's history: the monthly returns as at the article's cut-off (31 July),
the service activities and channel returns, and the year before the campaign (tests/outreach/test_seed_demo.py:
the directory, the users, the field work and the options).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from outreach import demo
from outreach.models import Agency, PeriodLock, PeriodReturn
from outreach.selectors import month_end
from pairings.models import ContactPointActivity, JointActivity, Support
from reports.selectors import year_end_figures
from tests.outreach.seeding import FAST, YEAR, seed
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

Status = PeriodReturn.Status


@pytest.fixture
def seeded():
    seed(**FAST)


# --- the monthly-return history ---------------------------------------------------------------

CUTOFF = datetime.date(YEAR, 7, 31)  # the article's cut-off: "now" for the demo's returns


def test_returns_stand_as_at_the_end_of_july_first_half_reviewed_july_awaiting(seeded):
    agencies = Agency.objects.count()
    by_month = {}
    for month, status in PeriodReturn.objects.filter(year=YEAR).values_list("month", "status"):
        by_month.setdefault(month, []).append(status)
    assert set(by_month) == set(range(1, 8))
    for month in range(1, 7):  # reviewed: mostly approved, a few (June) returned or never submitted
        statuses = by_month[month]
        assert set(statuses) <= {Status.APPROVED, Status.RETURNED}, month
        assert statuses.count(Status.APPROVED) >= 0.9 * agencies, month
    assert set(by_month[7]) == {Status.SUBMITTED}
    assert 0.75 * agencies <= len(by_month[7]) < agencies

    returned = list(PeriodReturn.objects.filter(status=Status.RETURNED))
    assert 3 <= len(returned) <= 8
    for period in returned:  # a real comment naming the month, in Chinese
        assert period.comment.startswith(f"{period.month}月") and "请" in period.comment, period.comment
    assert not PeriodReturn.objects.exclude(status=Status.RETURNED).exclude(comment="").exists()


def test_returns_were_submitted_by_the_agencys_clerk_and_reviewed_by_the_officer_in_order(seeded):
    lock = PeriodLock.objects.get(year=YEAR)
    for period in PeriodReturn.objects.filter(year=YEAR).select_related("agency", "submitted_by", "reviewed_by"):
        assert period.submitted_by.username == f"staff-{period.agency.code.lower()}"
        submitted = timezone.localtime(period.submitted_at)
        assert datetime.date(YEAR, period.month, 1) <= submitted.date() <= CUTOFF
        assert submitted.weekday() < 5 and 9 <= submitted.hour < 18  # office hours
        if period.status == Status.SUBMITTED:
            assert period.reviewed_by is None and period.reviewed_at is None
        else:
            assert period.reviewed_by.username == demo.OFFICER_USERNAME
            assert submitted.date() > month_end(YEAR, period.month)  # a reviewed month had ended
            assert period.submitted_at < period.reviewed_at
            if lock.covers(datetime.date(YEAR, period.month, 1)):  # locked after its months were reviewed
                assert period.reviewed_at < lock.locked_at


def test_some_agencies_never_submitted_some_months_of_the_first_half(seeded):
    from reports import completeness as reporting

    result = reporting.completeness(year=YEAR, as_of=CUTOFF)
    missing = {
        row.agency.code: [p.number for p in result.periods if row.cells[p.key].status == reporting.Status.MISSING]
        for row in result.rows
        if row.missing
    }
    assert len(missing) == 6  # the README's six non-reporters on the officer's home page
    assert all(months and set(months) <= set(range(1, 7)) for months in missing.values())
    # A non-reporter has not sent July either.
    assert not PeriodReturn.objects.filter(agency__code__in=list(missing), year=YEAR, month=7).exists()


def test_january_to_may_are_locked_by_the_officer_june_stays_open_for_corrections(seeded):
    lock = PeriodLock.objects.select_related("locked_by").get(year=YEAR)
    assert (lock.year, lock.month, lock.up_to, lock.is_active) == (YEAR, None, datetime.date(YEAR, 5, 31), True)
    assert lock.locked_by.username == demo.OFFICER_USERNAME
    assert datetime.date(YEAR, 6, 1) <= lock.locked_at.date() <= CUTOFF
    assert lock.covers(datetime.date(YEAR, 5, 31)) and lock.covers(datetime.date(YEAR, 1, 1))
    assert not lock.covers(datetime.date(YEAR, 6, 1))
    # Every month returned for correction is open: the clerk can correct it.
    assert all(p.month == 6 for p in PeriodReturn.objects.filter(status=Status.RETURNED))
    # A record of the locked half-year was entered before the lock: changing it now is refused.
    visit = Visit.objects.filter(start_date__range=(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 5, 31))).first()
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert [error.code for error in refused.value.error_dict["__all__"]] == ["period_locked"]


# --- service activities and channel returns ---------------------------------------------------


def test_volunteer_teams_every_agency_has_one_and_professional_ones_have_their_specialty(seeded):
    teams = VolunteerTeam.objects.all()
    assert teams.values("agency").distinct().count() == 128
    professional = teams.filter(kind=VolunteerTeam.Kind.PROFESSIONAL)
    specialties = set(professional.values_list("specialty", flat=True))
    assert specialties == {
        VolunteerTeam.Specialty.MEDICAL,
        VolunteerTeam.Specialty.AGRITECH,
        VolunteerTeam.Specialty.LEGAL,
    }
    assert not teams.filter(kind=VolunteerTeam.Kind.GENERAL).exclude(specialty="").exists()
    # Names are unique within an agency, and a professional team says what it does.
    names = list(teams.values_list("agency", "name"))
    assert len(names) == len(set(names))
    words = {"medical": ("医", "健康"), "agritech": ("农", "科技"), "legal": ("法",)}
    for team in professional:
        assert any(word in team.name for word in words[team.specialty]), team.name
    # Services follow their team: professional teams serve too.
    assert VolunteerService.objects.filter(team__kind=VolunteerTeam.Kind.PROFESSIONAL).exists()


def test_every_five_into_action_fills_only_its_kinds_yields_and_yields_something(seeded):
    actions = list(FiveIntoAction.objects.all())
    assert {a.kind for a in actions} == set(FiveIntoAction.Kind.values)
    for action in actions:
        own = FiveIntoAction.YIELDS[action.kind]
        assert all(getattr(action, name) == 0 for name in FiveIntoAction.yield_fields() if name not in own), action.pk
        assert sum(getattr(action, name) for name in own) > 0, action.pk
        assert bool(action.book_recipients) == bool(action.books), action.pk
    recipients = {a.book_recipients for a in actions if a.book_recipients}
    assert 1 <= len(recipients) <= 10


def test_four_into_events_give_aid_only_to_people_aided_and_visit_somewhere(seeded):
    events = FourIntoEvent.objects.all()
    assert events.filter(half=1).exists() and events.filter(half=2).exists()
    assert not events.filter(family_aid__gt=0, families_aided=0).exists()
    assert not events.filter(student_aid__gt=0, students_aided=0).exists()
    assert not events.filter(officials=0).exists()
    assert not events.filter(enterprises=0, villages=0, schools=0).exists()


# The channel returns stand as at the monthly returns' cut-off (31 July).
Review = ChannelReturn.Status


def test_channel_returns_one_per_agency_for_the_first_half_and_the_second_half_before(seeded):
    returns = ChannelReturn.objects.all()
    assert returns.count() == 2 * 128
    periods = sorted(set(returns.values_list("year", "period_kind", "half", "period_end")))
    assert periods == [
        (YEAR - 1, "half", 2, datetime.date(YEAR - 1, 12, 31)),
        (YEAR, "half", 1, datetime.date(YEAR, 6, 30)),
    ]
    for year, half in ((YEAR - 1, 2), (YEAR, 1)):
        assert returns.filter(year=year, half=half).values("agency").distinct().count() == 128
    # The form shows last period's values: the first half's return finds the second half before.
    current = returns.filter(year=YEAR).select_related("agency").first()
    assert current.previous() == returns.get(agency=current.agency, year=YEAR - 1)
    # Every return is complete: it was submitted.
    assert all(not r.missing_fields() for r in returns)


def test_channel_returns_were_reviewed_in_order_before_the_cut_off(seeded):
    previous = ChannelReturn.objects.filter(year=YEAR - 1)
    assert set(previous.values_list("status", flat=True)) == {Review.APPROVED}
    current = ChannelReturn.objects.filter(year=YEAR)
    statuses = list(current.values_list("status", flat=True))
    assert statuses.count(Review.APPROVED) >= 0.7 * 128
    assert 5 <= statuses.count(Review.SUBMITTED) <= 0.25 * 128
    assert 1 <= statuses.count(Review.RETURNED) <= 6
    for period in ChannelReturn.objects.select_related("agency", "submitted_by", "reviewed_by", "created_by"):
        assert period.submitted_by.username == period.created_by.username == f"staff-{period.agency.code.lower()}"
        submitted = timezone.localtime(period.submitted_at)
        assert period.period_end < submitted.date() <= CUTOFF  # submitted once the half-year had ended
        assert submitted.weekday() < 5 and 9 <= submitted.hour < 18
        if period.status == Review.SUBMITTED:
            assert period.reviewed_at is None and period.reviewed_by is None
        else:
            assert period.reviewed_by.username == demo.OFFICER_USERNAME
            assert period.submitted_at < period.reviewed_at and period.reviewed_at.date() <= CUTOFF
        assert bool(period.comment) == (period.status == Review.RETURNED)


def test_channel_returns_rates_come_from_their_parts_and_stocks_fit_together(seeded):
    returns = list(ChannelReturn.objects.all())
    windows = [r for r in returns if r.is_window_unit]
    assert {r.agency_id for r in windows} == {r.agency_id for r in returns if r.year == YEAR and r.is_window_unit}
    assert len({r.agency_id for r in windows}) == 68
    for r in returns:
        if r.is_window_unit:
            assert r.survey_responses > 0 and r.model_windows > 0 and r.service_trades > 0
            assert r.satisfaction_rate >= Decimal("99.5")
        else:
            assert (r.survey_responses, r.model_windows, r.model_posts, r.pledged_members) == (0, 0, 0, 0)
            assert r.satisfaction_rate is None  # shown as "—"
        if r.items_before:
            assert r.cleanup_round and 0 < r.items_cut_rate <= 100
        assert r.fees_cancelled_enterprise <= r.fees_cancelled
        assert (r.burden_reduced > 0) <= (r.fees_cancelled > 0)
    satisfied = sum(r.survey_satisfied for r in returns)
    responses = sum(r.survey_responses for r in returns)
    assert abs(Decimal(satisfied) * 100 / responses - Decimal("99.98")) < Decimal("0.005")
    # Half a year earlier the clean-up was under way: more items kept, fewer under a chief representative.
    by_agency = {}
    for r in returns:
        by_agency.setdefault(r.agency_id, {})[r.year] = r
    for pair in by_agency.values():
        before, now = pair[YEAR - 1], pair[YEAR]
        assert before.items_before == now.items_before and before.items_after >= now.items_after
        assert before.convenience_with_chief <= now.convenience_with_chief
        assert now.convenience_with_chief == now.convenience_items  # all under a chief representative now


# --- the year before the campaign ------------------------------------------------------------

# Field work by the field that dates it: every kind the campaign year has.
DATED = {
    ContactPointActivity: "date",
    JointActivity: "date",
    Support: "date",
    Visit: "start_date",
    VisitOutcome: "visit__start_date",
    FourIntoEvent: "date",
    VolunteerService: "date",
    FiveIntoAction: "date",
}


def records_of(model, year):
    return model.objects.filter(**{f"{DATED[model]}__year": year})


def test_the_year_before_is_quieter_approved_and_locked_and_leaves_the_campaign_year_alone():
    demo.DemoSeeder(seed=11, fraction=0.1, previous_year=False).run()
    assert not any(records_of(model, YEAR - 1).exists() for model in DATED)
    alone = year_end_figures(year=YEAR, as_of=CUTOFF)
    seed(seed=11, flush=True, **FAST)
    # On streams of its own: the campaign year's figures are those of a seed without the year before.
    assert year_end_figures(year=YEAR, as_of=CUTOFF) == alone

    for model in DATED:  # every kind, clearly fewer (contact-point activities: only the points begun by then)
        before, now = records_of(model, YEAR - 1).count(), records_of(model, YEAR).count()
        assert 0.15 * now <= before <= 0.8 * now, (model, before, now)
    assert set(records_of(FourIntoEvent, YEAR - 1).values_list("year", flat=True)) == {YEAR - 1}
    whole = {year: year_end_figures(year=year, as_of=datetime.date(year, 12, 31)) for year in (YEAR - 1, YEAR)}
    # (Not the yearly minimums: with a tenth of the visits hardly anybody meets them in either year.)
    for code in (
        "cp.needy_consoled",
        "pair.activities",
        "pair.funds",
        "visit.person_times",
        "visit.households",
        "four_into.events",
        "volunteer.person_times",
        "five_into.consultations",
    ):
        assert 0 < whole[YEAR - 1][code] < whole[YEAR][code], code

    # All twelve months approved by the officer, and the whole year locked after the last review.
    returns = PeriodReturn.objects.filter(year=YEAR - 1)
    assert returns.count() == 12 * 128 and set(returns.values_list("status", flat=True)) == {Status.APPROVED}
    assert not returns.exclude(reviewed_by__username=demo.OFFICER_USERNAME).exists()
    assert not returns.filter(reviewed_at__lte=F("submitted_at")).exists()
    lock = PeriodLock.objects.get(year=YEAR - 1)
    assert (lock.month, lock.up_to, lock.locked_by.username) == (
        None,
        datetime.date(YEAR - 1, 12, 31),
        demo.OFFICER_USERNAME,
    )
    assert max(returns.values_list("reviewed_at", flat=True)) < lock.locked_at
    for day in (datetime.date(YEAR - 1, 1, 1), datetime.date(YEAR - 1, 12, 31)):
        assert lock.covers(day)
    # Nothing of it can be edited: a record of December is refused for the lock.
    visit = records_of(Visit, YEAR - 1).filter(start_date__month=12).first()
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert "period_locked" in [error.code for error in refused.value.error_dict["__all__"]]
