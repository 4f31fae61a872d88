from django.urls import path

from reports.views import year_end

app_name = "reports"

urlpatterns = [
    path("", year_end.ReportsIndexView.as_view(), name="index"),
    path("year-end/", year_end.YearEndView.as_view(), name="year_end"),
    path("year-end.json", year_end.YearEndJsonView.as_view(), name="year_end_json"),
]
