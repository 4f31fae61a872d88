from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import View
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach.models import Agency
from outreach.roles import Role, role_of, sees_everything
from outreach.services import restore_record


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



def record_models():
    """Every concrete field-work record model (subclasses of AgencyRecord)."""
    from outreach.models import AgencyRecord

    return [m for m in apps.get_models() if issubclass(m, AgencyRecord)]


class OfficerRequiredMixin:
    """Officers and administrators only: others get a 403."""

    def dispatch(self, request, *args, **kwargs):
        if not sees_everything(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DeletedRecordsView(OfficerRequiredMixin, TemplateView):
    """Officers see recently deleted records of every type, to read and restore them."""

    template_name = "outreach/deleted_records.html"
    limit = 200

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = []
        for model in record_models():
            rows = list(
                model.all_objects.filter(deleted_at__isnull=False)
                .select_related("agency", "deleted_by")
                .order_by("-deleted_at")[: self.limit]
            )
            sections.append({"opts": model._meta, "rows": rows})
        context["sections"] = sections
        return context


class RecordRestoreView(OfficerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, app_label, model_name, pk):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            raise Http404 from None
        if model not in record_models():
            raise Http404
        record = get_object_or_404(model.all_objects, pk=pk)
        try:
            restore_record(user=request.user, record=record)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Restored: %(record)s") % {"record": record})
        return HttpResponseRedirect(record.get_absolute_url())
