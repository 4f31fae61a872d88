from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("", views.VisitsIndexView.as_view(), name="index"),
]
