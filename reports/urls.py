from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportsIndexView.as_view(), name="index"),
    path("year-end.json", views.YearEndJsonView.as_view(), name="year_end_json"),
]
