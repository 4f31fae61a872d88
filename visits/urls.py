from django.urls import path

from outreach.generic import record_urls
from visits import filtersets, forms, tables, views
from visits.models import ChannelReturn, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam

app_name = "visits"

urlpatterns = [
    path("", views.VisitsIndexView.as_view(), name="index"),
    *record_urls(
        Visit,
        "visits",
        filterset=filtersets.VisitFilterSet,
        table=tables.VisitTable,
        form=forms.VisitForm,
        select_related=("agency", "official", "place"),
        formset=forms.VisitOutcomeFormSet,
        keep_on_add_another=("official", "start_date", "end_date"),
        child_tables=(("outcomes", tables.VisitOutcomeTable),),
        detail_fields=(
            "official",
            "start_date",
            "end_date",
            "is_village_stay",
            "village_days",
            "place",
            *forms.COUNT_FIELDS,
            "note",
        ),
    ),
    path("compliance/minimums/", views.VisitMinimumsView.as_view(), name="minimums"),
    *record_urls(
        FourIntoEvent,
        "four-into",
        filterset=filtersets.FourIntoEventFilterSet,
        table=tables.FourIntoEventTable,
        form=forms.FourIntoEventForm,
        keep_on_add_another=("year", "half", "date"),
        detail_view=views.FourIntoEventDetailView,
    ),
    *record_urls(
        VolunteerTeam,
        "volunteer-teams",
        filterset=filtersets.VolunteerTeamFilterSet,
        table=tables.VolunteerTeamTable,
        form=forms.VolunteerTeamForm,
        keep_on_add_another=("kind", "specialty", "start_date"),
        child_tables=(("services", tables.TeamServiceTable),),
        detail_fields=("name", "kind", "specialty", "members", "start_date", "end_date", "note"),
    ),
    *record_urls(
        VolunteerService,
        "volunteer-services",
        filterset=filtersets.VolunteerServiceFilterSet,
        table=tables.VolunteerServiceTable,
        form=forms.VolunteerServiceForm,
        select_related=("agency", "team"),
        keep_on_add_another=("team", "date"),
    ),
    *record_urls(
        FiveIntoAction,
        "five-into",
        filterset=filtersets.FiveIntoActionFilterSet,
        table=tables.FiveIntoActionTable,
        form=forms.FiveIntoActionForm,
        keep_on_add_another=("kind", "date"),
        detail_view=views.FiveIntoActionDetailView,
    ),
    *record_urls(
        ChannelReturn,
        "channel-returns",
        filterset=filtersets.ChannelReturnFilterSet,
        table=tables.ChannelReturnTable,
        form=forms.ChannelReturnForm,
        detail_view=views.ChannelReturnDetailView,
        edit_view=views.ChannelReturnEditView,
    ),
    path("channel-returns/<int:pk>/submit/", views.ChannelReturnSubmitView.as_view(), name="channelreturn_submit"),
    path("channel-returns/<int:pk>/approve/", views.ChannelReturnApproveView.as_view(), name="channelreturn_approve"),
    path(
        "channel-returns/<int:pk>/send-back/", views.ChannelReturnSendBackView.as_view(), name="channelreturn_send_back"
    ),
]
