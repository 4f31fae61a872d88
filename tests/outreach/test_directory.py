"""The directory's rules: the region tree, Party organisations, roles and their groups, scoping."""

import pytest
from django.core.exceptions import ValidationError

from outreach.models import Agency, PartyOrganisation, Profile, Region
from outreach.roles import GROUP_NAMES, Role
from pairings.models import ContactPoint
from tests.factories import ContactPointFactory, region_chain

pytestmark = pytest.mark.django_db


def test_region_tree_derives_city_and_full_name():
    village = region_chain(city_name="阜阳市")
    city = village.parent.parent.parent
    assert city.city_id == city.pk
    assert village.city_id == city.pk
    assert village.full_name == "阜阳市利辛县张村镇王楼村"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": Region.Level.VILLAGE}, "parent"),  # a village needs a township above it
        ({"level": Region.Level.COUNTY, "is_target_city": True}, "is_target_city"),
        ({"level": Region.Level.TOWNSHIP, "is_poor": True}, "is_poor"),
    ],
)
def test_region_rules(kwargs, field):
    city = region_chain().city
    parent = city
    region = Region(code="X1", name="x", parent=None if field == "parent" else parent, **kwargs)
    with pytest.raises(ValidationError) as excinfo:
        region.full_clean()
    assert field in excinfo.value.message_dict


def test_village_organisation_must_be_in_a_village():
    township = region_chain().parent
    org = PartyOrganisation(name="某镇党委", kind=PartyOrganisation.Kind.VILLAGE, region=township)
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert "region" in excinfo.value.message_dict


def test_staff_profile_needs_an_agency(django_user_model):
    user = django_user_model.objects.create_user("carol")
    with pytest.raises(ValidationError) as excinfo:
        Profile(user=user, role=Role.STAFF).full_clean()
    assert "agency" in excinfo.value.message_dict


def test_role_groups_have_the_right_permissions(staff_a, officer, admin_user):
    assert list(staff_a.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.STAFF]]
    assert staff_a.has_perm("pairings.add_contactpoint") and staff_a.has_perm("visits.change_visit")
    assert not staff_a.has_perm("outreach.change_agency")
    assert not staff_a.is_staff  # no admin site for clerks

    assert officer.has_perm("pairings.view_contactpoint") and officer.has_perm("outreach.view_agency")
    assert not officer.has_perm("pairings.change_contactpoint")
    assert officer.is_staff  # reads history in the admin site

    assert list(admin_user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.ADMIN]]


def test_changing_a_role_moves_the_user_to_the_other_group(staff_a):
    profile = staff_a.profile
    profile.role, profile.agency = Role.OFFICER, None
    profile.save()
    assert list(staff_a.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.OFFICER]]


def test_scoping_is_one_queryset_method(staff_a, staff_b, officer, agency_a, agency_b, django_user_model):
    mine = ContactPointFactory(agency=agency_a)
    ContactPointFactory(agency=agency_b)
    assert list(ContactPoint.objects.for_user(staff_a)) == [mine]
    assert ContactPoint.objects.for_user(officer).count() == 2
    assert list(Agency.objects.for_user(staff_a)) == [agency_a]
    nobody = django_user_model.objects.create_user("noprofile")
    assert ContactPoint.objects.for_user(nobody).count() == 0
