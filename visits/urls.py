from django.urls import path

from outreach.generic import record_urls
from visits import views
from visits.models import ChannelReturn, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam

app_name = "visits"


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
    *crud(FourIntoEvent, "four-into"),
    *crud(VolunteerTeam, "volunteer-teams"),
    *crud(VolunteerService, "volunteer-services"),
    *crud(FiveIntoAction, "five-into"),
    *crud(ChannelReturn, "channel-returns"),
    path("channel-returns/<int:pk>/submit/", views.ChannelReturnSubmitView.as_view(), name="channelreturn_submit"),
    path("channel-returns/<int:pk>/approve/", views.ChannelReturnApproveView.as_view(), name="channelreturn_approve"),
    path(
        "channel-returns/<int:pk>/send-back/", views.ChannelReturnSendBackView.as_view(), name="channelreturn_send_back"
    ),
]
