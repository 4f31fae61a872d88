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


def crud(model, prefix):
    """The five URLs of a record type, served by views.<Model>{List,Detail,Edit,Delete}View."""
    name = model.__name__
    return record_urls(
        model,
        prefix=prefix,
        list_view=getattr(views, f"{name}ListView"),
        detail_view=getattr(views, f"{name}DetailView"),
        edit_view=getattr(views, f"{name}EditView"),
        delete_view=getattr(views, f"{name}DeleteView"),
    )


urlpatterns = [
    path("", views.PairingsIndexView.as_view(), name="index"),
    *crud(ContactPoint, "contact-points"),
    *crud(NeedyPerson, "needy-people"),
    *crud(NeedyPairing, "needy-pairings"),
    *crud(ContactPointActivity, "contact-point-activities"),
    *crud(Pairing, "one-plus-two"),
    *crud(JointActivity, "joint-activities"),
    *crud(Support, "support"),
    path("compliance/one-plus-two/", views.OnePlusTwoComplianceView.as_view(), name="one_plus_two_compliance"),
    path("compliance/five-ones/", views.FiveOnesComplianceView.as_view(), name="five_ones_compliance"),
]
