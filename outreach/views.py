from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach.models import Agency
from outreach.roles import Role, role_of


def scoped_counts(user, models):
    """(label, count) for each model, counting only what the user may see."""
    rows = []
    for model in models:
        queryset = model.objects.all()
        if hasattr(queryset, "for_user"):
            queryset = queryset.for_user(user)
        rows.append({"label": model._meta.verbose_name_plural, "count": queryset.count()})
    return rows


class AreaIndexView(TemplateView):
    """The landing page of one area of the site: what the user's scope holds."""

    template_name = "area_index.html"
    title = ""
    intro = ""
    model_labels: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = [apps.get_model(label) for label in self.model_labels]
        context.update(title=self.title, intro=self.intro, counts=scoped_counts(self.request.user, models))
        return context


class HomeView(AreaIndexView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        role = role_of(self.request.user)
        self.model_labels = (
            "pairings.ContactPoint",
            "pairings.Pairing",
            "pairings.JointActivity",
            "visits.Visit",
        )
        if role == Role.ADMIN:
            self.model_labels = ("outreach.Agency", "outreach.Official", "outreach.Region") + self.model_labels
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class DirectoryIndexView(AreaIndexView):
    title = _("Directory")
    intro = _("Provincial agencies, officials, Party organisations and administrative divisions.")
    model_labels = ("outreach.Agency", "outreach.Official", "outreach.PartyOrganisation", "outreach.Region")


@login_not_required
def healthz(request):
    """For the load balancer: the process is up and the database answers."""
    Agency.objects.exists()
    return JsonResponse({"status": "ok"})

