from django.urls import path

from pairings import views

app_name = "pairings"

urlpatterns = [
    path("", views.PairingsIndexView.as_view(), name="index"),
]
