from django.urls import path

from outreach.generic import record_urls
from visits import views
from visits.models import ChannelReturn, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam

app_name = "visits"

urlpatterns = [
    path("", views.VisitsIndexView.as_view(), name="index"),
    *record_urls(Visit, views, "visits"),
    path("compliance/minimums/", views.VisitMinimumsView.as_view(), name="minimums"),
    *record_urls(FourIntoEvent, views, "four-into"),
    *record_urls(VolunteerTeam, views, "volunteer-teams"),
    *record_urls(VolunteerService, views, "volunteer-services"),
    *record_urls(FiveIntoAction, views, "five-into"),
    *record_urls(ChannelReturn, views, "channel-returns"),
    path("channel-returns/<int:pk>/submit/", views.ChannelReturnSubmitView.as_view(), name="channelreturn_submit"),
    path("channel-returns/<int:pk>/approve/", views.ChannelReturnApproveView.as_view(), name="channelreturn_approve"),
    path(
        "channel-returns/<int:pk>/send-back/", views.ChannelReturnSendBackView.as_view(), name="channelreturn_send_back"
    ),
]
