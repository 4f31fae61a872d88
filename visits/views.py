from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach import generic
from outreach.roles import sees_everything
from outreach.views import AreaIndexView
from visits import filtersets, forms, tables
from visits.filtersets import VisitFilterSet
from visits.forms import COUNT_FIELDS, MinimumsForm, VisitForm, VisitOutcomeFormSet
from visits.models import YEARLY_MINIMUMS, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam
from visits.selectors import visit_minimums
from visits.tables import VisitOutcomeTable, VisitTable


class VisitsIndexView(AreaIndexView):
    title = _("Visits")
    intro = _("Grassroots visits by agency Party members and officials, and what they achieved.")
    model_labels = (
        "visits.Visit",
        "visits.VisitOutcome",
        "visits.FourIntoEvent",
        "visits.VolunteerTeam",
        "visits.VolunteerService",
        "visits.FiveIntoAction",
    )
    #: the record types with a list of their own, in the order the page links them
    list_models = (Visit, FourIntoEvent, VolunteerTeam, VolunteerService, FiveIntoAction)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lists = [
            {"label": model._meta.verbose_name_plural, "url": reverse(generic.url_name(model, "list"))}
            for model in self.list_models
        ]
        checks = [{"label": _("Yearly visit minimums"), "url": reverse("visits:minimums"), "icon": "clipboard-check"}]
        context["links"] = lists + checks
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


# --- service activities: "four into", volunteer teams and their service, "five into" --------


class FourIntoEventMixin:
    model = FourIntoEvent
    select_related = ("agency",)


class FourIntoEventListView(FourIntoEventMixin, generic.ObjectListView):
    filterset_class = filtersets.FourIntoEventFilterSet
    table_class = tables.FourIntoEventTable


class FourIntoEventDetailView(FourIntoEventMixin, generic.ObjectDetailView):
    def field_rows(self):
        rows = super().field_rows()
        # The sites visited are derived (enterprises + villages + schools): shown after their parts.
        after = next(i for i, (_label, _value, field) in enumerate(rows) if field.name == "schools")
        rows.insert(after + 1, (_("sites visited"), self.object.sites, None))
        return rows


class FourIntoEventEditView(FourIntoEventMixin, generic.ObjectEditView):
    form_class = forms.FourIntoEventForm
    keep_on_add_another = ("year", "half", "date")


class FourIntoEventDeleteView(FourIntoEventMixin, generic.ObjectDeleteView):
    pass


class VolunteerTeamMixin:
    model = VolunteerTeam
    select_related = ("agency",)


class VolunteerTeamListView(VolunteerTeamMixin, generic.ObjectListView):
    filterset_class = filtersets.VolunteerTeamFilterSet
    table_class = tables.VolunteerTeamTable


class VolunteerTeamDetailView(VolunteerTeamMixin, generic.ObjectDetailView):
    fields = ("name", "kind", "specialty", "members", "start_date", "end_date", "note")
    child_tables = (("services", tables.TeamServiceTable),)


class VolunteerTeamEditView(VolunteerTeamMixin, generic.ObjectEditView):
    form_class = forms.VolunteerTeamForm
    keep_on_add_another = ("kind", "specialty", "start_date")


class VolunteerTeamDeleteView(VolunteerTeamMixin, generic.ObjectDeleteView):
    pass


class VolunteerServiceMixin:
    model = VolunteerService
    select_related = ("agency", "team")


class VolunteerServiceListView(VolunteerServiceMixin, generic.ObjectListView):
    filterset_class = filtersets.VolunteerServiceFilterSet
    table_class = tables.VolunteerServiceTable


class VolunteerServiceDetailView(VolunteerServiceMixin, generic.ObjectDetailView):
    pass


class VolunteerServiceEditView(VolunteerServiceMixin, generic.ObjectEditView):
    form_class = forms.VolunteerServiceForm
    keep_on_add_another = ("team", "date")


class VolunteerServiceDeleteView(VolunteerServiceMixin, generic.ObjectDeleteView):
    pass


class FiveIntoActionMixin:
    model = FiveIntoAction
    select_related = ("agency",)


class FiveIntoActionListView(FiveIntoActionMixin, generic.ObjectListView):
    filterset_class = filtersets.FiveIntoActionFilterSet
    table_class = tables.FiveIntoActionTable


class FiveIntoActionDetailView(FiveIntoActionMixin, generic.ObjectDetailView):
    def field_rows(self):
        # What the action's kind yields; the other kinds' fields are empty by rule and left out.
        own = set(FiveIntoAction.YIELDS.get(self.object.kind, ()))
        if "books" in own:
            own.add("book_recipients")
        others = (set(FiveIntoAction.yield_fields()) | {"book_recipients"}) - own
        return [row for row in super().field_rows() if row[2].name not in others]


class FiveIntoActionEditView(FiveIntoActionMixin, generic.ObjectEditView):
    form_class = forms.FiveIntoActionForm
    keep_on_add_another = ("kind", "date")


class FiveIntoActionDeleteView(FiveIntoActionMixin, generic.ObjectDeleteView):
    pass
