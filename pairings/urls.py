from django.urls import path

from outreach.generic import record_urls
from pairings import views
from pairings.models import ContactPoint

app_name = "pairings"

urlpatterns = [
    path("", views.PairingsIndexView.as_view(), name="index"),
    *record_urls(
        ContactPoint,
        prefix="contact-points",
        list_view=views.ContactPointListView,
        detail_view=views.ContactPointDetailView,
        edit_view=views.ContactPointEditView,
        delete_view=views.ContactPointDeleteView,
    ),
]
