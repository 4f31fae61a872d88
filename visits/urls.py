from django.urls import path

from outreach.generic import record_urls
from visits import views
from visits.models import Visit

app_name = "visits"

urlpatterns = [
    path("", views.VisitsIndexView.as_view(), name="index"),
    *record_urls(
        Visit,
        prefix="visits",
        list_view=views.VisitListView,
        detail_view=views.VisitDetailView,
        edit_view=views.VisitEditView,
        delete_view=views.VisitDeleteView,
    ),
    path("compliance/minimums/", views.VisitMinimumsView.as_view(), name="minimums"),
]
