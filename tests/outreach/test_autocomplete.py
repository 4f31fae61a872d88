"""The search of officials and places (SearchSelect and its endpoint, outreach/choice_search.py)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outreach.forms import MSG_CHOOSE
from outreach.models import Official, Region
from outreach.widgets import SearchSelect
from pairings.filtersets import ContactPointFilterSet
from pairings.forms import ContactPointForm
from tests.factories import OfficialFactory, VisitFactory, region_chain
from visits.filtersets import VisitFilterSet
from visits.forms import VisitForm

pytestmark = pytest.mark.django_db

VISIT_OFFICIAL = reverse("choice_search", args=["visits.forms.VisitForm", "official"])
VISIT_PLACE = reverse("choice_search", args=["visits.forms.VisitForm", "place"])
VISIT_FILTER_OFFICIAL = reverse("choice_search", args=["visits.filtersets.VisitFilterSet", "official"])


def found(client, url, q=""):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return response.json()


def names(data):
    return [row["text"] for row in data["results"]]


def test_search_finds_the_officials_whose_name_or_title_holds_every_word(cast, agency_a):
    zhang = OfficialFactory(agency=agency_a, name="张三", title="处长")
    OfficialFactory(agency=agency_a, name="张四", title="副处长")
    OfficialFactory(agency=agency_a, name="李五", title="处长")
    data = found(cast["staff_a"], VISIT_OFFICIAL, "张 副")
    assert names(data) == ["张四（副处长）"] and data["more"] is False
    assert found(cast["staff_a"], VISIT_OFFICIAL, "张三")["results"] == [{"id": str(zhang.pk), "text": "张三（处长）"}]
    assert sorted(names(found(cast["staff_a"], VISIT_OFFICIAL, "处长"))) == [
        "张三（处长）",
        "张四（副处长）",
        "李五（处长）",
    ]


def test_search_offers_what_the_form_accepts_officials_in_post_only(cast, agency_a):
    OfficialFactory(agency=agency_a, name="在任")
    OfficialFactory(agency=agency_a, name="离任", is_active=False)
    assert names(found(cast["staff_a"], VISIT_OFFICIAL)) == ["在任（副厅长）"]


def test_another_agencys_officials_never_appear(cast, agency_a, agency_b):
    OfficialFactory(agency=agency_a, name="甲干部")
    OfficialFactory(agency=agency_b, name="乙干部")
    assert names(found(cast["staff_a"], VISIT_OFFICIAL, "干部")) == ["甲干部（副厅长）"]
    assert names(found(cast["staff_b"], VISIT_OFFICIAL, "干部")) == ["乙干部（副厅长）"]
    assert names(found(cast["staff_b"], VISIT_FILTER_OFFICIAL, "甲")) == []
    assert sorted(names(found(cast["officer"], VISIT_FILTER_OFFICIAL, "干部"))) == [
        "乙干部（副厅长）",
        "甲干部（副厅长）",
    ]


def test_places_are_searched_by_name_or_code_within_the_fields_levels(cast):
    village = region_chain()  # province, city, county, township, village
    data = found(cast["staff_a"], VISIT_PLACE, village.code)
    assert [row["id"] for row in data["results"]] == [str(village.pk)]
    # a city is too coarse for a visit's place: the form refuses it, so the search does not offer it
    city = Region.objects.get(level=Region.Level.CITY)
    assert found(cast["staff_a"], VISIT_PLACE, city.code)["results"] == []
    assert len(found(cast["staff_a"], VISIT_PLACE, "王楼村")["results"]) == 1


def test_at_most_20_results(cast, agency_a):
    OfficialFactory.create_batch(25, agency=agency_a)
    data = found(cast["staff_a"], VISIT_OFFICIAL, "干部")
    assert len(data["results"]) == 20 and data["more"] is True
    assert found(cast["staff_a"], VISIT_OFFICIAL, "干部 副厅长")["more"] is True


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_is_pinned(cast, agency_a, django_assert_num_queries, count):
    OfficialFactory.create_batch(count, agency=agency_a)
    # session, user with profile (for the form's agency and the scoping), the search; the session unchanged
    with django_assert_num_queries(3):
        found(cast["staff_a"], VISIT_OFFICIAL, "干部")


@pytest.mark.parametrize(
    "url",
    [
        reverse("choice_search", args=["visits.forms.Nothing", "official"]),
        reverse("choice_search", args=["visits.forms.VisitForm", "households"]),  # not a searched choice
        reverse("choice_search", args=["visits.forms.VisitForm", "nothing"]),
        reverse("choice_search", args=["os.system", "official"]),
    ],
)
def test_unknown_forms_and_fields_are_not_found(cast, url):
    assert cast["staff_a"].get(url).status_code == 404


def test_anonymous_is_sent_to_login(cast):
    response = cast["anonymous"].get(VISIT_OFFICIAL, {"q": "张"})
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_the_widget_renders_only_the_chosen_option(staff_a, agency_a):
    with translation.override(settings.LANGUAGE_CODE):
        choose = str(MSG_CHOOSE)  # the empty choice as the page writes it (请选择)
    chosen = OfficialFactory(agency=agency_a, name="选中")
    OfficialFactory.create_batch(5, agency=agency_a)
    form = VisitForm(instance=VisitFactory(agency=agency_a, official=chosen), user=staff_a)
    widget = form.fields["official"].widget
    assert isinstance(widget, SearchSelect) and widget.url == VISIT_OFFICIAL
    html = str(form["official"])
    assert html.count("<option") == 2 and f'<option value="">{choose}</option>' in html  # the empty choice
    assert f'<option value="{chosen.pk}" selected>选中（副厅长）</option>' in html
    assert f'data-search-url="{VISIT_OFFICIAL}"' in html and "data-searchable" not in html
    assert str(VisitForm(user=staff_a)["official"]).count("<option") == 1


def test_forms_still_check_the_choice_against_the_whole_scoped_queryset(staff_a, agency_a, agency_b):
    other = OfficialFactory(agency=agency_b)
    form = VisitForm(
        data={"official": other.pk, "start_date": "2014-03-01", "end_date": "2014-03-01", "households": 1},
        user=staff_a,
    )
    assert not form.is_valid() and "official" in form.errors
    assert form.fields["official"].queryset.count() == Official.objects.filter(agency=agency_a).count()


def test_filters_and_village_choices_use_the_search(rf, staff_a):
    request = rf.get("/", {"official": "not-a-number"})
    request.user = staff_a
    form = ContactPointFilterSet(request.GET, request=request).form
    assert isinstance(form.fields["official"].widget, SearchSelect)
    assert 'value="" selected>' in str(form["official"])  # a malformed choice shows nothing chosen
    assert not isinstance(form.fields["city"].widget, SearchSelect)  # 16 cities stay a list
    assert isinstance(ContactPointForm(user=staff_a).fields["village"].widget, SearchSelect)
    assert isinstance(VisitFilterSet(request=request).form.fields["official"].widget, SearchSelect)


def test_a_contact_points_village_is_searched_among_poor_villages_of_target_cities(cast):
    poor = region_chain(poor=True)
    region_chain(poor=False, city_name="合肥市")
    url = reverse("choice_search", args=["pairings.forms.ContactPointForm", "village"])
    assert [row["id"] for row in found(cast["staff_a"], url, "王楼村")["results"]] == [str(poor.pk)]
