from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach import generic
from outreach.roles import sees_everything
from outreach.views import AreaIndexView
from visits.filtersets import VisitFilterSet
from visits.forms import COUNT_FIELDS, MinimumsForm, VisitForm, VisitOutcomeFormSet
from visits.models import YEARLY_MINIMUMS, Visit
from visits.selectors import visit_minimums
from visits.tables import VisitOutcomeTable, VisitTable


class VisitsIndexView(AreaIndexView):
    title = _("Visits")
    intro = _("Grassroots visits by agency Party members and officials, and what they achieved.")
    model_labels = ("visits.Visit", "visits.VisitOutcome")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["links"] = [
            {"label": Visit._meta.verbose_name_plural, "url": reverse("visits:visit_list")},
            {"label": _("Yearly visit minimums"), "url": reverse("visits:minimums"), "icon": "clipboard-check"},
        ]
        return context


class VisitMixin:
    model = Visit
    select_related = ("agency", "official", "place")


class VisitListView(VisitMixin, generic.ObjectListView):
    filterset_class = VisitFilterSet
    table_class = VisitTable


class VisitDetailView(VisitMixin, generic.ObjectDetailView):
    fields = ("official", "start_date", "end_date", "is_village_stay", "village_days", "place", *COUNT_FIELDS, "note")
    child_tables = (("outcomes", VisitOutcomeTable),)


class VisitEditView(VisitMixin, generic.ObjectEditView):
    form_class = VisitForm
    formset_class = VisitOutcomeFormSet
    keep_on_add_another = ("official", "start_date", "end_date")


class VisitDeleteView(VisitMixin, generic.ObjectDeleteView):
    pass


class VisitMinimumsView(PermissionRequiredMixin, TemplateView):
    """Who is behind on the yearly visit minimums, and by how much (staff: own agency; officers: all)."""

    template_name = "visits/minimums.html"
    permission_required = "visits.view_visit"
    raise_exception = True
    paginate_by = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MinimumsForm(self.request.GET or None, user=self.request.user)
        report, rows = None, []
        if not form.is_bound or form.is_valid():
            chosen = form.cleaned_data if form.is_bound else {}
            report = visit_minimums(user=self.request.user, as_of=form.as_of_date(), agency=chosen.get("agency"))
            rows = report.behind if chosen.get("behind") else report.officials
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            form=form,
            report=report,
            page=page,
            page_query=params.urlencode(),
            minimums=[(position.label, rule) for position, rule in YEARLY_MINIMUMS.items()],
            show_agency=sees_everything(self.request.user),
        )
        return context
