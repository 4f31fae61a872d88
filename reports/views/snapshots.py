"""Published snapshots of the year-end statistics: publish, list a year's, compare one with now.

Officers and administrators publish and see the province's (and any agency's) published figures;
agency staff see their own agency's published figures beside its current ones, never another's.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from jobs.views import to_job
from outreach.forms import DateInput, YearForm
from outreach.models import Agency, Basis
from outreach.roles import Role, role_of, sees_everything
from outreach.views import RoleRequiredMixin
from outreach.window import default_as_of, default_year, kept_query
from reports.catalogue import CATALOGUE_VERSION
from reports.forms import MSG_BAD_AS_OF, MSG_BAD_BASIS, MSG_BAD_YEAR
from reports.models import PublishedSnapshot
from reports.publish_jobs import start_publish
from reports.scope import Scope
from reports.selectors import year_end_figures
from reports.services import PUBLISHERS
from reports.snapshots import latest_snapshot, left_out, linked_comparison, snapshot_years, year_snapshots
from reports.views.year_end import held_agency

EVERY_ROLE = (Role.STAFF, Role.OFFICER, Role.ADMIN)


class SnapshotPublishForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": MSG_BAD_YEAR, "min_value": MSG_BAD_YEAR, "max_value": MSG_BAD_YEAR},
    )
    as_of = forms.DateField(
        label=_("As of"),
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        error_messages={"invalid": MSG_BAD_AS_OF},
        help_text=_("Records dated from 1 January up to and including this day count."),
    )
    basis = forms.ChoiceField(
        label=_("Basis"),
        choices=Basis.choices,
        required=False,  # not given: approved, the publication's default
        initial=Basis.APPROVED,
        error_messages={"invalid_choice": MSG_BAD_BASIS},
        help_text=_("Which records the published figures count, by the review state of their month or return."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why this publication, or what it corrects."),
    )


def _year(request) -> int:
    form = YearForm(kept_query(request))
    return (form.cleaned_data.get("year") if form.is_valid() else None) or default_year()


class SnapshotListView(RoleRequiredMixin, TemplateView):
    """A year's published snapshots (?year=), the current one first and the superseded ones marked."""

    roles = EVERY_ROLE
    template_name = "reports/snapshot_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = snapshot_years()
        # Without ?year=, the latest year anything was published for.
        year = years[0] if years and "year" not in kept_query(self.request) else _year(self.request)
        context.update(
            year=year,
            years=sorted({*years, year}, reverse=True),
            listings=year_snapshots(year),
            can_publish=role_of(self.request.user) in PUBLISHERS,
        )
        return context


class SnapshotPublishView(RoleRequiredMixin, FormView):
    """GET: the confirmation form (year, as-of date, basis, note) with what each basis leaves out; POST: queue the
    publication (a background job, `reports.publish_jobs`) and go to its page, which goes on to the snapshot once
    published. The basis is `approved` unless the officer chooses another (`?basis=` preselects it)."""

    roles = PUBLISHERS
    template_name = "reports/snapshot_publish.html"
    form_class = SnapshotPublishForm

    def get_initial(self):
        """The year and as-of date the officer came from (the year-end page's filters), else the year's end."""
        year = _year(self.request)
        try:
            as_of = datetime.date.fromisoformat(kept_query(self.request).get("as_of", ""))
        except ValueError:
            as_of = None
        basis = self.request.GET.get("basis")
        return {
            "year": year,
            "as_of": as_of if as_of is not None and as_of.year == year else default_as_of(year),
            "basis": basis if basis in Basis.values else Basis.APPROVED,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        year = (form.cleaned_data.get("year") if form.is_bound else None) or form.initial["year"]
        context["current"] = latest_snapshot(year)  # the one a publication would supersede
        as_of = (form.cleaned_data.get("as_of") if form.is_bound else None) or form.initial["as_of"]
        if as_of.year == year:  # what each basis leaves out of the figures of this year and date, before confirming
            context.update(left_out=left_out(year=year, as_of=as_of), left_out_as_of=as_of)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            job = start_publish(
                user=self.request.user,
                year=data["year"],
                as_of=data["as_of"],
                basis=data["basis"] or Basis.APPROVED,
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return to_job(self.request, job)


class SnapshotDetailView(RoleRequiredMixin, TemplateView):
    """One snapshot as published beside the figures now, for the same year and as-of date.

    Officers and administrators see the province, or one agency with ?agency=CODE; staff see only
    their own agency (another agency's code is a 404). Every changed figure is highlighted.
    """

    roles = EVERY_ROLE
    template_name = "reports/snapshot_detail.html"

    @cached_property
    def snapshot(self) -> PublishedSnapshot:
        return get_object_or_404(PublishedSnapshot.objects.select_related("published_by"), pk=self.kwargs["pk"])

    def agency(self) -> Agency | None:
        own = held_agency(self.request)
        if own is not None:
            return own
        code = self.request.GET.get("agency") or None
        return get_object_or_404(Agency, code=code) if code else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snapshot, agency = self.snapshot, self.agency()
        # "now" on the snapshot's own basis: the same records counted, so only changes show
        scope = Scope(year=snapshot.year, as_of=snapshot.as_of, agency=agency, basis=snapshot.basis_choice)
        current = year_end_figures(year=scope.year, as_of=scope.as_of, agency=agency, basis=scope.basis)
        rows = linked_comparison(snapshot, current, scope)
        context.update(
            snapshot=snapshot,
            agency=agency,
            current_query=urlencode(scope.query()),
            rows=rows,
            changed_count=sum(row.changed for row in rows),
            superseded_by=PublishedSnapshot.objects.superseding(snapshot).defer("figures", "agency_figures").first(),
            catalogue_changed=snapshot.catalogue_version != CATALOGUE_VERSION,
            agency_published=agency is None or agency.code in snapshot.agency_figures,
        )
        if sees_everything(self.request.user):
            context["agencies"] = Agency.objects.order_by("code").only("code", "name", "short_name")
        return context
