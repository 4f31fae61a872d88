"""factory-boy factories for the directory and the field-work records.

`poor_village()` builds the region chain down to a poor village of a target city,
the place a contact point must lie in.
"""

import datetime
from decimal import Decimal

import factory

from outreach.models import Agency, Official, PartyOrganisation, Region
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)
from visits.models import (
    ChannelReturn,
    FiveIntoAction,
    FourIntoEvent,
    Visit,
    VisitOutcome,
    VolunteerService,
    VolunteerTeam,
)

YEAR = 2014
JAN1 = datetime.date(YEAR, 1, 1)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:05d}")
    name = factory.Sequence(lambda n: f"地区{n}")
    level = Region.Level.PROVINCE


def region_chain(*, target_city=True, poor=True, city_name="亳州市"):
    """Province → city → county → township → village; returns the village."""
    province = Region.objects.filter(level=Region.Level.PROVINCE).first() or RegionFactory(name="安徽省")
    city = RegionFactory(name=city_name, level=Region.Level.CITY, parent=province, is_target_city=target_city)
    county = RegionFactory(name="利辛县", level=Region.Level.COUNTY, parent=city)
    township = RegionFactory(name="张村镇", level=Region.Level.TOWNSHIP, parent=county)
    return RegionFactory(name="王楼村", level=Region.Level.VILLAGE, parent=township, is_poor=poor)


def poor_village():
    return region_chain(target_city=True, poor=True)


def community():
    village = region_chain()
    return RegionFactory(name="幸福社区", level=Region.Level.COMMUNITY, parent=village.parent)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"安徽省测试厅{n}")
    short_name = factory.Sequence(lambda n: f"测试厅{n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    title = "副厅长"
    rank = Official.Rank.DEPARTMENT
    position = Official.Position.LEADERSHIP


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganisation
        django_get_or_create = ("agency", "kind")  # an agency has one committee

    agency = factory.SubFactory(AgencyFactory)
    kind = PartyOrganisation.Kind.AGENCY_COMMITTEE
    name = factory.LazyAttribute(lambda o: f"中共{o.agency.name}机关委员会")


class VillageOrgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganisation

    kind = PartyOrganisation.Kind.VILLAGE
    region = factory.LazyFunction(poor_village)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}党支部")


class CommunityOrgFactory(VillageOrgFactory):
    kind = PartyOrganisation.Kind.COMMUNITY
    region = factory.LazyFunction(community)


class RecordFactory(factory.django.DjangoModelFactory):
    """Field-work records go through the model's save(), which validates."""

    class Meta:
        abstract = True


class ContactPointFactory(RecordFactory):
    class Meta:
        model = ContactPoint

    agency = factory.SubFactory(AgencyFactory)
    official = factory.SubFactory(OfficialFactory, agency=factory.SelfAttribute("..agency"))
    village = factory.LazyFunction(poor_village)
    start_date = JAN1


class ContactPointActivityFactory(RecordFactory):
    class Meta:
        model = ContactPointActivity

    contact_point = factory.SubFactory(ContactPointFactory)
    agency = factory.SelfAttribute("contact_point.agency")
    kind = ContactPointActivity.Kind.CONDOLENCE
    date = datetime.date(YEAR, 2, 1)
    people_consoled = 10
    problems_solved = 2
    money = Decimal("5000.00")


class NeedyPersonFactory(RecordFactory):
    class Meta:
        model = NeedyPerson

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"群众{n}")
    village = factory.LazyFunction(poor_village)
    category = NeedyPerson.Category.SUBSISTENCE


class NeedyPairingFactory(RecordFactory):
    class Meta:
        model = NeedyPairing

    agency = factory.SubFactory(AgencyFactory)
    needy_person = factory.SubFactory(NeedyPersonFactory, agency=factory.SelfAttribute("..agency"))
    official = factory.SubFactory(OfficialFactory, agency=factory.SelfAttribute("..agency"))
    start_date = JAN1


class PairingFactory(RecordFactory):
    class Meta:
        model = Pairing

    agency = factory.SubFactory(AgencyFactory)
    committee = factory.SubFactory(CommitteeFactory, agency=factory.SelfAttribute("..agency"))
    partner = factory.SubFactory(VillageOrgFactory)
    start_date = JAN1


class JointActivityFactory(RecordFactory):
    class Meta:
        model = JointActivity

    pairing = factory.SubFactory(PairingFactory)
    agency = factory.SelfAttribute("pairing.agency")
    kind = JointActivity.Kind.JOINT_MEETING
    date = datetime.date(YEAR, 3, 1)
    title = "联席会议"


class SupportFactory(RecordFactory):
    class Meta:
        model = Support

    pairing = factory.SubFactory(PairingFactory)
    agency = factory.SelfAttribute("pairing.agency")
    date = datetime.date(YEAR, 4, 1)
    projects_planned = 1
    projects_supported = 1
    industries_assisted = 2
    funds = Decimal("100000.00")


class VisitFactory(RecordFactory):
    class Meta:
        model = Visit

    agency = factory.SubFactory(AgencyFactory)
    official = factory.SubFactory(OfficialFactory, agency=factory.SelfAttribute("..agency"))
    start_date = datetime.date(YEAR, 5, 6)
    end_date = datetime.date(YEAR, 5, 8)
    is_village_stay = True
    households = 8


class VisitOutcomeFactory(RecordFactory):
    class Meta:
        model = VisitOutcome

    visit = factory.SubFactory(VisitFactory)
    agency = factory.SelfAttribute("visit.agency")
    businesses_helped = 3
    business_problems = 1
    financing = Decimal("2000000.00")


# --- service activities --------------------------------------------------------------------


class FourIntoEventFactory(RecordFactory):
    class Meta:
        model = FourIntoEvent

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    half = 1
    date = datetime.date(YEAR, 4, 15)
    title = factory.Sequence(lambda n: f"四走进活动{n}")
    officials = 20
    enterprises = 2
    villages = 3
    schools = 1
    families_aided = 5
    family_aid = Decimal("5000.00")
    students_aided = 2
    student_aid = Decimal("3000.00")


class VolunteerTeamFactory(RecordFactory):
    class Meta:
        model = VolunteerTeam

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"志愿服务队{n}")
    kind = VolunteerTeam.Kind.GENERAL
    members = 30
    start_date = JAN1


class VolunteerServiceFactory(RecordFactory):
    class Meta:
        model = VolunteerService

    team = factory.SubFactory(VolunteerTeamFactory)
    agency = factory.SelfAttribute("team.agency")
    date = datetime.date(YEAR, 3, 5)
    activity = VolunteerService.Activity.ELDER_DISABLED
    person_times = 12
    hours = Decimal("36.5")
    place = "幸福社区"


class FiveIntoActionFactory(RecordFactory):
    class Meta:
        model = FiveIntoAction

    agency = factory.SubFactory(AgencyFactory)
    date = datetime.date(YEAR, 5, 20)
    kind = FiveIntoAction.Kind.PUBLICITY
    title = factory.Sequence(lambda n: f"送书下乡{n}")
    books = 500
    book_boxes = 2


# --- channel returns -----------------------------------------------------------------------


class ChannelReturnFactory(RecordFactory):
    """A complete half-year return (every figure filled in), still a draft: ready to submit."""

    class Meta:
        model = ChannelReturn

    agency = factory.SubFactory(AgencyFactory)
    year = YEAR
    period_kind = ChannelReturn.PeriodKind.HALF_YEAR
    half = ChannelReturn.Half.FIRST
    has_leader_mailbox = True
    has_complaint_mailbox = True
    has_suggestion_mailbox = True
    has_disclosure = True
    has_online_hall = True
    has_hotline = True
    opinions = 120
    leader_instructions = 30
    npc_motions = 8
    cppcc_proposals = 9
    requests = 70
    is_window_unit = True
    model_windows = 20
    model_posts = 150
    service_trades = 1
    pledged_members = 300
    survey_responses = 5000
    survey_satisfied = 4999
    cleanup_round = "第六轮审批制度改革"
    items_before = 40
    items_after = 12
    time_limit_before = 600
    time_limit_after = 290
    fees_cancelled = 3
    fees_cancelled_enterprise = 1
    burden_reduced = Decimal("250000.00")
    convenience_items = 6
    convenience_with_chief = 4
    licences = 1500
    non_licences = 600
