from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from outreach import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("directory/", views.DirectoryIndexView.as_view(), name="directory"),
    path("pairings/", include("pairings.urls")),
    path("visits/", include("visits.urls")),
    path("reports/", include("reports.urls")),
    path("records/deleted/", views.DeletedRecordsView.as_view(), name="deleted_records"),
    path(
        "records/<str:app_label>/<str:model_name>/<int:pk>/restore/",
        views.RecordRestoreView.as_view(),
        name="record_restore",
    ),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

