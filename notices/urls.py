from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("remind/", views.RemindView.as_view(), name="remind"),
    path("reminders/", views.ReminderLogView.as_view(), name="reminders"),
]
