from django.urls import path

from outreach.importing import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", views.ImportBatchDetailView.as_view(), name="detail"),
    path("<int:pk>/file/", views.ImportBatchFileView.as_view(), name="file"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
]
