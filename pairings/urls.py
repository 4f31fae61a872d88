from django.urls import path

from outreach.generic import record_urls
from pairings import views
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
    *record_urls(ContactPoint, views, "contact-points"),
    *record_urls(NeedyPerson, views, "needy-people"),
    *record_urls(NeedyPairing, views, "needy-pairings"),
    *record_urls(ContactPointActivity, views, "contact-point-activities"),
    *record_urls(Pairing, views, "one-plus-two"),
    *record_urls(JointActivity, views, "joint-activities"),
    *record_urls(Support, views, "support"),
    path("compliance/one-plus-two/", views.OnePlusTwoComplianceView.as_view(), name="one_plus_two_compliance"),
    path("compliance/five-ones/", views.FiveOnesComplianceView.as_view(), name="five_ones_compliance"),
]
