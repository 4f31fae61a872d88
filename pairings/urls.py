from django.urls import path

from outreach.generic import record_urls
from pairings import filtersets, forms, tables, views

app_name = "pairings"

urlpatterns = [
    path("", views.PairingsIndexView.as_view(), name="index"),
    *record_urls(
        "contact-points",
        filterset=filtersets.ContactPointFilterSet,
        table=tables.ContactPointTable,
        form=forms.ContactPointForm,
        child_tables=(("activities", tables.ContactPointActivityChildTable),),
    ),
    *record_urls(
        "needy-people",
        filterset=filtersets.NeedyPersonFilterSet,
        table=tables.NeedyPersonTable,
        form=forms.NeedyPersonForm,
        child_tables=(("pairings", tables.NeedyPersonPairingTable),),
    ),
    *record_urls(
        "needy-pairings",
        filterset=filtersets.NeedyPairingFilterSet,
        table=tables.NeedyPairingTable,
        form=forms.NeedyPairingForm,
    ),
    *record_urls(
        "contact-point-activities",
        filterset=filtersets.ContactPointActivityFilterSet,
        table=tables.ContactPointActivityTable,
        form=forms.ContactPointActivityForm,
    ),
    *record_urls(
        "one-plus-two",
        filterset=filtersets.PairingFilterSet,
        table=tables.PairingTable,
        form=forms.PairingForm,
        child_tables=(
            ("activities", tables.JointActivityChildTable),
            ("supports", tables.SupportChildTable),
        ),
    ),
    *record_urls(
        "joint-activities",
        filterset=filtersets.JointActivityFilterSet,
        table=tables.JointActivityTable,
        form=forms.JointActivityForm,
        select_related=("pairing__committee",),  # the pairing's name (committee ↔ partner) on the pages
    ),
    *record_urls(
        "support",
        filterset=filtersets.SupportFilterSet,
        table=tables.SupportTable,
        form=forms.SupportForm,
        select_related=("pairing__committee",),  # the pairing's name (committee ↔ partner) on the pages
    ),
    path("compliance/one-plus-two/", views.OnePlusTwoComplianceView.as_view(), name="one_plus_two_compliance"),
    path("compliance/five-ones/", views.FiveOnesComplianceView.as_view(), name="five_ones_compliance"),
]
