from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from outreach import views
from outreach.choice_search import ChoiceSearchView
from outreach.middleware import bad_request

# Django's own 403/404/500 views render templates/403.html…; a refused request gets the site's page too.
handler400 = bad_request

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("directory/", views.DirectoryIndexView.as_view(), name="directory"),
    path("pairings/", include("pairings.urls")),
    path("visits/", include("visits.urls")),
    path("reports/", include("reports.urls")),
    path("notices/", include("notices.urls")),
    path("imports/", include("outreach.importing.urls")),
    path("jobs/", include("jobs.urls")),
    path("records/deleted/", views.DeletedRecordsView.as_view(), name="deleted_records"),
    path(
        "records/<str:app_label>/<str:model_name>/<int:pk>/restore/",
        views.RecordRestoreView.as_view(),
        name="record_restore",
    ),
    path("returns/", views.ReturnsView.as_view(), name="returns"),
    path("returns/submit/", views.ReturnSubmitView.as_view(), name="return_submit"),
    path("returns/withdraw/", views.ReturnWithdrawView.as_view(), name="return_withdraw"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("review/<int:pk>/approve/", views.ReturnApproveView.as_view(), name="return_approve"),
    path("review/<int:pk>/return/", views.ReturnSendBackView.as_view(), name="return_send_back"),
    path("review/approve/", views.ReturnApproveManyView.as_view(), name="return_approve_many"),
    path("choices/<str:source>/<str:field>/", ChoiceSearchView.as_view(), name="choice_search"),
    path("locks/", views.LocksView.as_view(), name="locks"),
    path("locks/<int:pk>/unlock/", views.UnlockView.as_view(), name="lock_unlock"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
