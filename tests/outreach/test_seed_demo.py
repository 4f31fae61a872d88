"""`manage.py seed_demo`: deterministic, shaped like the article, valid record by record.

Most tests seed a tenth of the field work (`--fraction 0.1`, an option for tests
only) over the whole directory; one test runs the full scale-1 seed and checks the catalogue's
figures against the article (how long a seed takes is `make bench`'s business, not a test's).
tests/outreach/test_demo_records.py checks that every kind of record passes `full_clean()`;
tests/outreach/test_seed_demo_history.py checks the returns, service activities and the year before.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.db.models import F, Sum

from outreach import demo
from outreach.models import (
    Agency,
    AgencyRecord,
    CampaignYear,
    Official,
    PartyOrganisation,
    PeriodLock,
    PeriodReturn,
    Profile,
    Region,
)
from outreach.roles import GROUP_NAMES, Role
from outreach.selectors import record_models
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)
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
from visits.models.services import half_year_span

pytestmark = pytest.mark.django_db

TARGET_CITIES = {"亳州市", "宿州市", "阜阳市", "六安市", "安庆市"}
MODELS = demo.demo_models()  # the directory, the logins and every app's part
SCALED = (
    ContactPoint,
    NeedyPerson,
    ContactPointActivity,
    JointActivity,
    Support,
    Visit,
    VisitOutcome,
    FourIntoEvent,
    VolunteerService,
    FiveIntoAction,
)
Status = PeriodReturn.Status


def money_sum(model, field):
    return sum(model.objects.values_list(field, flat=True), Decimal("0"))


def fingerprint():
    """Counts per model, the sums of households and funds, and the visits themselves (without keys)."""
    return {
        "counts": {model._meta.label: model.objects.count() for model in MODELS},
        "households": Visit.objects.aggregate(s=Sum("households"))["s"],
        "funds": money_sum(Support, "funds"),
        "visits": sorted(
            Visit.objects.values_list(
                "official__agency__code", "official__name", "start_date", "end_date", "place__code", "households"
            )
        ),
        "points": sorted(ContactPoint.objects.values_list("official__name", "village__code", "start_date")),
        "returns": sorted(
            PeriodReturn.objects.values_list(
                "agency__code",
                "year",
                "month",
                "status",
                "comment",
                "submitted_at",
                "reviewed_at",
                "submitted_by__username",
                "reviewed_by__username",
            )
        ),
        "locks": list(PeriodLock.objects.values_list("year", "month", "up_to", "locked_at", "locked_by__username")),
        # The campaign year's figures of the catalogue (field work, service activities, channel returns).
        "figures": year_end_figures(year=YEAR, as_of=datetime.date(YEAR, 12, 31)),
        "channel_returns": sorted(
            ChannelReturn.objects.values_list(
                "agency__code",
                "year",
                "half",
                "status",
                "opinions",
                "model_windows",
                "burden_reduced",
                "submitted_at",
                "reviewed_at",
            )
        ),
    }


@pytest.fixture
def seeded():
    seed(**FAST)


def test_same_seed_gives_the_same_records_and_another_seed_other_sums():
    seed(seed=7, **FAST)
    first = fingerprint()
    seed(seed=7, flush=True, **FAST)
    assert fingerprint() == first

    seed(seed=8, flush=True, **FAST)
    other = fingerprint()
    assert other["households"] != first["households"]
    assert other["funds"] != first["funds"]
    assert other["returns"] != first["returns"]
    assert other["figures"] != first["figures"]
    assert other["channel_returns"] != first["channel_returns"]


def test_the_directory_is_anhui_with_its_five_target_cities(seeded):
    province = Region.objects.get(level=Region.Level.PROVINCE)
    assert province.name == "安徽省"
    cities = Region.objects.filter(level=Region.Level.CITY)
    assert cities.count() == 16
    assert set(cities.filter(is_target_city=True).values_list("name", flat=True)) == TARGET_CITIES
    assert all(city.city_id == city.pk and city.parent_id == province.pk for city in cities)
    # Villages: many poor ones in the target cities, a few elsewhere.
    villages = Region.objects.villages()
    poor_in_targets = villages.filter(is_poor=True, city__is_target_city=True).count()
    assert poor_in_targets > 250
    assert villages.filter(is_poor=True, city__is_target_city=False).count() < poor_in_targets / 5
    assert Region.objects.filter(level=Region.Level.COMMUNITY).count() >= 105

    assert Agency.objects.count() == 128
    committees = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.AGENCY_COMMITTEE)
    assert committees.count() == 128
    assert committees.values("agency").distinct().count() == 128
    assert not Region.objects.filter(level=Region.Level.COMMUNITY, party_organisations__isnull=True).exists()

    assert not Official.objects.filter(rank="").exists()
    assert not Official.objects.filter(position="").exists()
    assert set(Official.objects.values_list("rank", flat=True)) == set(Official.Rank.values)
    assert set(Official.objects.values_list("position", flat=True)) <= set(Official.Position.values)
    department = Official.objects.filter(rank=Official.Rank.DEPARTMENT)
    assert 600 <= department.count() <= 800
    assert department.filter(position=Official.Position.LEADERSHIP).count() > 0.8 * department.count()


def test_the_demo_configures_its_year_and_the_year_before_as_the_campaigns_rules_stood(seeded):
    years = {campaign.year: campaign for campaign in CampaignYear.objects.all()}
    assert sorted(years) == [YEAR - 1, YEAR]
    for year, campaign in years.items():
        assert (campaign.start_date, campaign.end_date) == (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        assert (campaign.monthly_due_day, campaign.remind_days_before) == (5, 3)
        assert (campaign.first_half_due, campaign.second_half_due) == (
            datetime.date(year, 7, 15),
            datetime.date(year + 1, 1, 15),
        )
        assert campaign.minimums() == {
            Official.Position.LEADERSHIP: {"days": 3, "households": 20},
            Official.Position.DEPARTMENT_HEAD: {"days": 5, "households": 30},
        }
        assert set(campaign.target_cities.values_list("name", flat=True)) == TARGET_CITIES
        campaign.full_clean()
    assert CampaignYear.objects.default_year(datetime.date(YEAR, 7, 31)) == YEAR
    # Every contact point lies in a poor village of a target city of the year it began in (the model's rule).
    for year in (YEAR - 1, YEAR):
        begun = ContactPoint.objects.filter(start_date__year=year)
        villages = Region.objects.poor_villages_of_target_cities(year)
        assert not begun.exclude(village__in=villages).exists()


def test_denormalised_region_fields_are_what_save_would_derive(seeded):
    regions = list(Region.objects.select_related("parent").order_by("code"))
    sample = random.Random(1).sample(regions, 200) + regions[:20]
    for region in sample:
        stored = (region.city_id, region.full_name)
        region.derive()
        assert (region.city_id, region.full_name) == stored, region.code
    assert Region.objects.get(code="34bozhou-01").full_name == "亳州市谯城区"


def test_contact_points_lie_in_poor_villages_of_target_cities(seeded):
    points = ContactPoint.objects.all()
    assert points.exists()
    assert not points.exclude(
        village__level=Region.Level.VILLAGE, village__is_poor=True, village__city__is_target_city=True
    ).exists()
    assert not points.exclude(official__rank=Official.Rank.DEPARTMENT).exists()
    # Each record's agency is its official's (or contact point's, or pairing's).
    for model, path in (
        (ContactPoint, "official__agency"),
        (NeedyPairing, "official__agency"),
        (NeedyPairing, "needy_person__agency"),
        (ContactPointActivity, "contact_point__agency"),
        (JointActivity, "pairing__agency"),
        (Support, "pairing__agency"),
        (Pairing, "committee__agency"),
        (Visit, "official__agency"),
        (VisitOutcome, "visit__agency"),
        (VolunteerService, "team__agency"),
    ):
        assert not model.objects.exclude(agency=F(path)).exists(), (model, path)


def test_event_dates_lie_in_the_year_and_in_their_spans(seeded):
    first, last = datetime.date(YEAR - 1, 1, 1), datetime.date(YEAR, 12, 31)  # the campaign year and the one before
    for model, field in (
        (ContactPointActivity, "date"),
        (JointActivity, "date"),
        (Support, "date"),
        (Visit, "start_date"),
        (Visit, "end_date"),
    ):
        assert not model.objects.exclude(**{f"{field}__range": (first, last)}).exists(), (model, field)
    assert not ContactPointActivity.objects.filter(date__lt=F("contact_point__start_date")).exists()
    assert not ContactPointActivity.objects.filter(date__gt=F("contact_point__end_date")).exists()
    assert not JointActivity.objects.filter(date__lt=F("pairing__start_date")).exists()
    assert not Visit.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Visit.objects.filter(is_village_stay=False, village_days__gt=0).exists()
    for visit in Visit.objects.filter(is_village_stay=True):
        assert visit.village_days == visit.days
    assert not FourIntoEvent.objects.exclude(date__range=(first, last)).exists()
    assert not FiveIntoAction.objects.exclude(date__range=(first, last)).exists()
    assert not VolunteerService.objects.exclude(date__range=(first, last)).exists()
    assert not VolunteerService.objects.filter(date__lt=F("team__start_date")).exists()
    assert not VolunteerService.objects.filter(date__gt=F("team__end_date")).exists()
    assert not VolunteerTeam.objects.filter(end_date__lt=F("start_date")).exists()
    for year, half, date in FourIntoEvent.objects.values_list("year", "half", "date"):
        start, end = half_year_span(year, half)
        assert year in (YEAR - 1, YEAR) and start <= date <= end
    # More condolence visits around the Spring Festival than in any summer month.
    condolences = ContactPointActivity.objects.filter(kind=ContactPointActivity.Kind.CONDOLENCE)
    assert condolences.filter(date__month__in=(1, 2)).count() > 2 * condolences.filter(date__month__in=(7, 8)).count()


def test_demo_users_have_their_roles_groups_and_agencies(seeded):
    User = get_user_model()
    assert User.objects.count() == 130
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.profile.role == Role.ADMIN
    officer = User.objects.get(username="officer")
    assert officer.is_staff and not officer.is_superuser
    assert officer.profile.role == Role.OFFICER
    for user in User.objects.prefetch_related("groups").select_related("profile__agency"):
        assert [g.name for g in user.groups.all()] == [GROUP_NAMES[user.profile.role]], user.username
    staff = User.objects.filter(username__startswith="staff-")
    assert staff.count() == 128
    for user in staff.select_related("profile__agency"):
        agency = user.profile.agency
        assert user.profile.role == Role.STAFF
        assert user.username == f"staff-{agency.code.lower()}"
        assert user.first_name == f"{agency.short_name}机关党委"
        assert not user.is_staff
    assert {u.username for u in staff} == {f"staff-a{i:03d}" for i in range(1, 129)}
    for username in ("admin", "officer", "staff-a001", "staff-a128"):
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD)


def test_money_is_decimal_with_two_places_and_counts_are_not_negative(seeded):
    for model, field in (
        (Support, "funds"),
        (VisitOutcome, "financing"),
        (ContactPointActivity, "money"),
        (FourIntoEvent, "family_aid"),
        (FourIntoEvent, "student_aid"),
        (ChannelReturn, "burden_reduced"),
    ):
        values = list(model.objects.values_list(field, flat=True))
        assert all(isinstance(v, Decimal) and v >= 0 and v == v.quantize(Decimal("0.01")) for v in values)
        assert sum(values) > 0, (model, field)
    hours = list(VolunteerService.objects.values_list("hours", "person_times"))
    assert all(isinstance(h, Decimal) and h == h.quantize(Decimal("0.1")) and 0 < h <= 24 * n for h, n in hours)


def test_if_empty_leaves_a_seeded_database_alone_and_a_plain_run_refuses(seeded):
    before = {model._meta.label: model.objects.count() for model in MODELS}
    out = seed(if_empty=True, seed=99)
    assert "already holds data" in out
    assert {model._meta.label: model.objects.count() for model in MODELS} == before
    with pytest.raises(CommandError):
        seed(seed=99, **FAST)


def test_scale_multiplies_field_work_over_the_same_directory():
    seed(seed=3, **FAST)
    one = fingerprint()["counts"]
    seed(seed=3, scale=2, flush=True, **FAST)
    two = fingerprint()["counts"]
    for model in (
        Region,
        Agency,
        PartyOrganisation,
        Official,
        Profile,
        get_user_model(),
        Pairing,
        VolunteerTeam,
        ChannelReturn,
    ):
        assert two[model._meta.label] == one[model._meta.label], model
    for model in SCALED:
        label = model._meta.label
        assert 1.6 * one[label] <= two[label] <= 2.4 * one[label], label


def test_full_scale_one_seed_is_shaped_like_the_article():
    out = seed()
    assert "staff-a001" in out and demo.DEMO_PASSWORD in out

    # The campaign year's figures, as the catalogue computes them.
    figures = year_end_figures(year=YEAR, as_of=datetime.date(YEAR, 12, 31))
    # Channel flows are shared out over both returns (the article counts them "since last year"):
    # the second half of the year before counts in that year's figures.
    before = year_end_figures(year=YEAR - 1, as_of=datetime.date(YEAR - 1, 12, 31))

    def since_last_year(code):
        return before[code] + figures[code]

    def near(value, reference, low=0.97, high=1.15):
        return reference * low <= value <= reference * high

    assert figures["cp.agencies"] == 112
    assert near(figures["cp.officials"], 650, 0.93, 1.07)
    assert near(figures["cp.points"], 820)
    assert near(figures["cp.needy_paired"], 720)
    assert near(figures["cp.needy_consoled"], 7_800)
    assert near(figures["cp.problems_solved"], 6_600)
    assert figures["pair.agency_committees"] == 105
    assert near(figures["pair.village_orgs"], 275, 0.99, 1.03)
    assert figures["pair.one_plus_two"] < 105
    assert near(figures["pair.projects_planned"], 320)
    assert near(figures["pair.projects_supported"], 400)
    assert near(figures["pair.industries"], 700)
    assert near(figures["pair.funds"], 80_000_000)
    assert near(figures["visit.person_times"], 6_400)
    for code, reference in (
        ("visit.households", 38_240),
        ("visit.enterprises", 710),
        ("visit.communities", 400),
        ("visit.villager_groups", 1_100),
        ("visit.forums", 690),
        ("visit.opinions", 12_700),
        ("visit.businesses_helped", 40_000),
        ("visit.business_problems", 17_000),
        ("visit.financing", 49_000_000_000),
        ("visit.migrant_cases", 25_000),
        ("visit.difficulties", 20_000),
    ):
        assert near(figures[code], reference), code
    # Compliance lists are interesting: most meet the rules, some do not.
    assert 0.6 < figures["visit.minimum_met"] / figures["visit.minimum_due"] < 0.95
    assert 0.6 < figures["pair.five_ones_done"] / Pairing.objects.count() < 0.95

    # "Three activities": every figure of docs/indicators.md has data, near the article.
    assert near(figures["four_into.events"], 300)
    for half in (1, 2):  # every agency holds one each half-year (the campaign's rule)
        assert FourIntoEvent.objects.filter(half=half).values("agency").distinct().count() == 128
    for code, reference in (
        ("four_into.officials", 10_000),
        ("four_into.sites", 1_260),
        ("four_into.families", 3_100),
        ("four_into.family_aid", 1_500_000),
        ("four_into.students", 240),
        ("four_into.student_aid", 730_000),
        ("volunteer.person_times", 40_000),
        ("five_into.books", 20_000),
        ("five_into.book_boxes", 190),
        ("five_into.consultations", 5_000),
        ("five_into.legal_points", 16_904),
        ("five_into.legal_windows", 100),
        ("five_into.villages_planned", 100),
        ("five_into.projects_secured", 78),
    ):
        assert near(figures[code], reference), code
    assert near(figures["volunteer.teams"], 200) and near(figures["volunteer.professional_teams"], 15, 1, 1.2)
    # Hours derived from the person-times: two to four hours a person-time.
    assert 2 * figures["volunteer.person_times"] <= figures["volunteer.hours"] <= 4 * figures["volunteer.person_times"]
    assert (
        figures["five_into.culture_units"],
        figures["five_into.medical_units"],
        figures["five_into.legal_units"],
        figures["five_into.planning_units"],
    ) == (42, 12, 6, 56)
    # 16 joint trips, each recorded by every agency taking part (an agency counts with a trip of its own).
    assert 42 <= figures["five_into.culture_events"] <= 16 * 4

    # "Three channels": flows over both returns, stocks of the latest ones, rates from their parts.
    for code, reference in (
        ("channel.opinions", 12_200),
        ("channel.leader_instructions", 3_140),
        ("channel.npc_motions", 790),
        ("channel.cppcc_proposals", 910),
        ("channel.requests", 7_440),
        ("approval.burden_reduced", 33_000_000),
        ("approval.licences", 189_000),
        ("approval.non_licences", 80_000),
    ):
        assert near(since_last_year(code), reference), code
    for code, reference in (
        ("zero.model_windows", 3_000),
        ("zero.model_posts", 20_000),
        ("zero.pledged_members", 40_000),
    ):
        assert near(figures[code], reference), code
    assert figures["zero.service_trades"] == 103
    assert (figures["approval.items_before"], figures["approval.items_after"]) == (1224, 320)
    assert (since_last_year("approval.fees_cancelled"), since_last_year("approval.fees_cancelled_enterprise")) == (
        31,
        5,
    )
    assert (figures["zero.window_units"], figures["approval.convenience_depts"]) == (68, 39)
    assert figures["approval.convenience_items"] == 146
    assert 0.85 * 128 <= figures["channel.full_inventory"] < 128  # most agencies, not all
    # 99.98 % over both returns (test_channel_returns_rates_come_from_their_parts...); the latest half's a hair off.
    assert abs(figures["zero.satisfaction"] - Decimal("99.98")) <= Decimal("0.02")
    assert abs(figures["approval.time_cut_rate"] - Decimal("51.2")) <= Decimal("0.1")
    assert figures["approval.items_cut_rate"] == Decimal("73.86")  # 1 − 320 ÷ 1,224
    # The printout gives the catalogue's figures under their codes, and the returns by status.
    assert "four_into.officials" in out and "zero.satisfaction" in out and "Channel returns:" in out
    assert f"  {'approval.items_cut_rate':<36} {'73.86':>22}" in out


def test_flush_replaces_the_domain_data_but_keeps_other_superusers(seeded, django_user_model):
    keeper = django_user_model.objects.create_superuser("keeper", password="x-Very-Long-1")
    django_user_model.objects.create_user("someone", password="x-Very-Long-1")
    # Marked deleted (in August: the months up to July are locked or under review): a flush removes such rows too.
    Visit.objects.filter(outcomes__isnull=True, start_date__month__gte=8).first().delete()
    VolunteerService.objects.filter(date__month__gte=8).first().delete()
    # Returns and locks of another year, made through the models (with history rows): a flush removes them too.
    PeriodReturn.objects.create(agency=Agency.objects.get(code="A001"), year=2012, month=12, status=Status.APPROVED)
    PeriodLock.objects.create(year=2012, up_to=datetime.date(2012, 12, 31))
    CampaignYear.defaults(2012).save()  # a year configured besides the demo's: a flush removes it with its history
    seed(flush=True, seed=5, **FAST)
    assert not CampaignYear.history.filter(year=2012).exists()
    assert not PeriodReturn.objects.filter(year=2012).exists() and not PeriodLock.objects.filter(year=2012).exists()
    assert not PeriodReturn.history.filter(year=2012).exists()
    assert sorted(PeriodLock.objects.values_list("year", flat=True)) == [2013, 2014]  # the seed's own
    assert sorted(CampaignYear.objects.values_list("year", flat=True)) == [2013, 2014]  # flushed and written again
    assert django_user_model.objects.filter(pk=keeper.pk).exists()
    assert not django_user_model.objects.filter(username="someone").exists()
    assert django_user_model.objects.count() == 131
    assert Agency.objects.count() == 128 and Region.objects.filter(level=Region.Level.CITY).count() == 16
    assert Visit._base_manager.count() == Visit.objects.count()
    assert VolunteerService._base_manager.count() == VolunteerService.objects.count()
    assert ChannelReturn.objects.count() == 2 * 128  # the old returns went, or the new ones would clash


def test_flush_deletes_every_field_work_model_before_those_it_refers_to():
    order = demo.children_first(record_models())
    assert set(order) == set(record_models())  # also the models the demo does not fill
    for model in order:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in order and field.related_model is not model:
                assert order.index(model) < order.index(field.related_model), (model, field.name)


# --- the directory alone (--directory-only) ---------------------------------------------------

# The directory by its natural fields (foreign keys by the code or name they point at).
DIRECTORY = {
    Region: ("code", "name", "full_name", "level", "parent__code", "city__code", "is_target_city", "is_poor"),
    Agency: ("code", "name", "short_name", "is_active"),
    PartyOrganisation: ("name", "kind", "agency__code", "region__code"),
    Official: ("agency__code", "name", "title", "rank", "position", "is_active"),
    get_user_model(): ("username", "first_name", "is_staff", "is_superuser", "profile__role", "profile__agency__code"),
}


def directory(keys=True):
    """Every directory row (with its primary key and those it refers to, unless `keys` is False)."""

    def fields(model, names):
        if not keys:
            return names
        related = tuple(name.replace("__code", "_id") for name in names if name.endswith("__code"))
        return ("pk",) + names + related + (("profile__pk",) if model is get_user_model() else ())

    return {
        model._meta.label: sorted(model.objects.values_list(*fields(model, names)))
        for model, names in DIRECTORY.items()
    }


def records():
    """How many rows each field-work model (every AgencyRecord subclass), PeriodReturn and PeriodLock hold."""
    models = [model for model in apps.get_models() if issubclass(model, AgencyRecord)]
    assert len(models) >= 14  # the field work of pairings/ and visits/ (and whatever is added later)
    return {model._meta.label: model._base_manager.count() for model in models + [PeriodReturn, PeriodLock]}


def fresh_keys():
    """Primary keys start at 1 again, as in a fresh database (also on PostgreSQL, whose sequences do not roll back)."""
    models = list(DIRECTORY) + [Profile, get_user_model().groups.through]
    assert not any(model.objects.exists() for model in models)
    sequences = [{"table": model._meta.db_table, "column": model._meta.pk.column} for model in models]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(sql)


def test_directory_only_builds_the_whole_demos_directory_with_the_same_keys_and_no_records():
    fresh_keys()
    seed(seed=7, **FAST)
    whole = directory()
    assert all(records().values())  # the whole demo fills every kind

    demo.flush()
    fresh_keys()
    out = seed(seed=7, directory_only=True)
    assert directory() == whole
    assert set(records().values()) == {0}
    # The Party organisations include the partners the pairings would have had: every community's, and the
    # villages' that the whole demo pairs with.
    kinds = PartyOrganisation.objects.values_list("kind", flat=True)
    assert list(kinds).count(PartyOrganisation.Kind.COMMUNITY) == Region.objects.filter(level="community").count()
    assert 270 <= list(kinds).count(PartyOrganisation.Kind.VILLAGE) <= 285
    assert "directory only" in out and "Party organisations: agency_committee 128" in out
    assert "field work 0, monthly returns 0, period locks 0" in out and "staff-a001" in out
    assert "Records (field work" not in out  # not the whole demo's summary


def test_directory_only_flushes_a_whole_demo_away_is_the_same_in_any_year_and_refuses_scale(seeded):
    before = directory(keys=False)
    assert any(records().values())
    with pytest.raises(CommandError, match="--directory-only"):
        seed(directory_only=True, flush=True, scale=2)
    assert directory(keys=False) == before and any(records().values())  # nothing flushed, nothing seeded

    out = seed(directory_only=True, flush=True, year=YEAR - 1)  # the default seed, as the fixture's
    assert "Flushed:" in out
    assert set(records().values()) == {0}
    assert directory(keys=False) == before  # the directory does not depend on the year

    assert "did nothing" in seed(directory_only=True, if_empty=True, seed=99)
    assert directory(keys=False) == before
    with pytest.raises(CommandError, match="already holds data"):
        seed(directory_only=True, seed=99)
