from django.urls import path

from reports.views import completeness, outliers, snapshots, workbook, year_end
from reports.views.dashboard import DashboardView

app_name = "reports"

urlpatterns = [
    path("", year_end.ReportsIndexView.as_view(), name="index"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("year-end/", year_end.YearEndView.as_view(), name="year_end"),
    path("year-end.json", year_end.YearEndJsonView.as_view(), name="year_end_json"),
    path("year-end.xlsx", workbook.YearEndWorkbookView.as_view(), name="year_end_xlsx"),
    path("year-end/workbook-job/", workbook.YearEndWorkbookJobView.as_view(), name="workbook_job"),
    path("completeness/", completeness.CompletenessView.as_view(), name="completeness"),
    path("completeness.json", completeness.CompletenessJsonView.as_view(), name="completeness_json"),
    path("completeness.xlsx", completeness.CompletenessWorkbookView.as_view(), name="completeness_xlsx"),
    path("outliers/", outliers.OutliersView.as_view(), name="outliers"),
    path("snapshots/", snapshots.SnapshotListView.as_view(), name="snapshot_list"),
    path("snapshots/publish/", snapshots.SnapshotPublishView.as_view(), name="snapshot_publish"),
    path("snapshots/<int:pk>/", snapshots.SnapshotDetailView.as_view(), name="snapshot_detail"),
]
