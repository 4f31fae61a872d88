from django.urls import path

from outreach.importing import records_export, views

app_name = "imports"

urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("export/", records_export.RecordsExportView.as_view(), name="export"),
    path("<int:pk>/", views.ImportBatchDetailView.as_view(), name="detail"),
    path("<int:pk>/file/", views.ImportBatchFileView.as_view(), name="file"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
]
