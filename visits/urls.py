from django.urls import path

from outreach.generic import record_urls
from visits import filtersets, forms, tables, views

app_name = "visits"

urlpatterns = [
    path("", views.VisitsIndexView.as_view(), name="index"),
    *record_urls(
        "visits",
        filterset=filtersets.VisitFilterSet,
        table=tables.VisitTable,
        form=forms.VisitForm,
        formset=forms.VisitOutcomeFormSet,
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
        "four-into",
        filterset=filtersets.FourIntoEventFilterSet,
        table=tables.FourIntoEventTable,
        form=forms.FourIntoEventForm,
        detail_view=views.FourIntoEventDetailView,
    ),
    *record_urls(
        "volunteer-teams",
        filterset=filtersets.VolunteerTeamFilterSet,
        table=tables.VolunteerTeamTable,
        form=forms.VolunteerTeamForm,
        child_tables=(("services", tables.TeamServiceTable),),
        detail_fields=("name", "kind", "specialty", "members", "start_date", "end_date", "note"),
    ),
    *record_urls(
        "volunteer-services",
        filterset=filtersets.VolunteerServiceFilterSet,
        table=tables.VolunteerServiceTable,
        form=forms.VolunteerServiceForm,
    ),
    *record_urls(
        "five-into",
        filterset=filtersets.FiveIntoActionFilterSet,
        table=tables.FiveIntoActionTable,
        form=forms.FiveIntoActionForm,
        detail_view=views.FiveIntoActionDetailView,
    ),
    *record_urls(
        "channel-returns",
        filterset=filtersets.ChannelReturnFilterSet,
        table=tables.ChannelReturnTable,
        form=forms.ChannelReturnForm,
        detail_view=views.ChannelReturnDetailView,
        edit_view=views.ChannelReturnEditView,
    ),
    path("channel-returns/<int:pk>/submit/", views.ChannelReturnSubmitView.as_view(), name="channelreturn_submit"),
    path(
        "channel-returns/<int:pk>/withdraw/", views.ChannelReturnWithdrawView.as_view(), name="channelreturn_withdraw"
    ),
    path("channel-returns/<int:pk>/approve/", views.ChannelReturnApproveView.as_view(), name="channelreturn_approve"),
    path(
        "channel-returns/<int:pk>/send-back/", views.ChannelReturnSendBackView.as_view(), name="channelreturn_send_back"
    ),
]
