from django.urls import path

from outreach.generic import record_urls
from pairings import filtersets, forms, tables, views
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)

app_name = "pairings"

urlpatterns = [
    path("", views.PairingsIndexView.as_view(), name="index"),
    *record_urls(
        ContactPoint,
        "contact-points",
        filterset=filtersets.ContactPointFilterSet,
        table=tables.ContactPointTable,
        form=forms.ContactPointForm,
        select_related=("agency", "official", "village"),
        keep_on_add_another=("official", "start_date"),
        child_tables=(("activities", tables.ContactPointActivityChildTable),),
    ),
    *record_urls(
        NeedyPerson,
        "needy-people",
        filterset=filtersets.NeedyPersonFilterSet,
        table=tables.NeedyPersonTable,
        form=forms.NeedyPersonForm,
        select_related=("agency", "village"),
        keep_on_add_another=("village", "category"),
        child_tables=(("pairings", tables.NeedyPersonPairingTable),),
    ),
    *record_urls(
        NeedyPairing,
        "needy-pairings",
        filterset=filtersets.NeedyPairingFilterSet,
        table=tables.NeedyPairingTable,
        form=forms.NeedyPairingForm,
        select_related=("agency", "official", "needy_person", "needy_person__village"),
        keep_on_add_another=("official", "start_date"),
    ),
    *record_urls(
        ContactPointActivity,
        "contact-point-activities",
        filterset=filtersets.ContactPointActivityFilterSet,
        table=tables.ContactPointActivityTable,
        form=forms.ContactPointActivityForm,
        select_related=("agency", "contact_point__official", "contact_point__village"),
        keep_on_add_another=("contact_point", "date"),
    ),
    *record_urls(
        Pairing,
        "one-plus-two",
        filterset=filtersets.PairingFilterSet,
        table=tables.PairingTable,
        form=forms.PairingForm,
        select_related=("agency", "committee", "partner", "partner__region"),
        keep_on_add_another=("committee", "start_date"),
        child_tables=(
            ("activities", tables.JointActivityChildTable),
            ("supports", tables.SupportChildTable),
        ),
    ),
    *record_urls(
        JointActivity,
        "joint-activities",
        filterset=filtersets.JointActivityFilterSet,
        table=tables.JointActivityTable,
        form=forms.JointActivityForm,
        select_related=("agency", "pairing__committee", "pairing__partner"),
        keep_on_add_another=("pairing", "date"),
    ),
    *record_urls(
        Support,
        "support",
        filterset=filtersets.SupportFilterSet,
        table=tables.SupportTable,
        form=forms.SupportForm,
        select_related=("agency", "pairing__committee", "pairing__partner"),
        keep_on_add_another=("pairing", "date"),
    ),
    path("compliance/one-plus-two/", views.OnePlusTwoComplianceView.as_view(), name="one_plus_two_compliance"),
    path("compliance/five-ones/", views.FiveOnesComplianceView.as_view(), name="five_ones_compliance"),
]
