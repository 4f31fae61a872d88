import datetime

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from outreach import clock
from outreach.forms import ApproveForm, LockForm, MonthForm, ReviewFilterForm, UnlockForm, YearForm
from outreach.generic import url_name
from outreach.mixins import OfficerOnlyMixin, OfficerRequiredMixin, RoleRequiredMixin, StaffOnlyMixin, show_errors
from outreach.models import Agency, PeriodLock, PeriodReturn, period_label
from outreach.review_views import ReviewFormView, ReviewStepView, SendBackView
from outreach.roles import Role, agency_id_of, role_of
from outreach.selectors import (
    agency_months,
    lock_history,
    province_overview,
    record_models,
    review_queue,
    years_with_data,
)
from outreach.services import approve, lock_period, restore_record, submit_month, unlock_period


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
    #: the record types whose lists the page links, in order; then other pages: (label, URL name, icon)
    list_models: tuple = ()
    links: tuple[tuple, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = [apps.get_model(label) for label in self.model_labels]
        context.update(title=self.title, intro=self.intro, counts=scoped_counts(self.request.user, models))
        context["links"] = [
            *({"label": m._meta.verbose_name_plural, "url": reverse(url_name(m, "list"))} for m in self.list_models),
            *({"label": label, "url": reverse(name), "icon": icon} for label, name, icon in self.links),
        ]
        return context


class HomeView(AreaIndexView):
    """Each role's start page; clerks and officers see the monthly returns of a year (?year=, default this year)."""

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
        today = clock.today()
        form = YearForm(self.request.GET or None)
        year = (form.cleaned_data.get("year") if form.is_valid() else None) or today.year
        context.update(today=today, year=year)
        agency_id = agency_id_of(self.request.user)
        if role == Role.STAFF and agency_id is not None:
            months = agency_months(agency_id=agency_id, year=year, today=today)
            context["months"] = months
            context["returned"] = [row for row in months if row.status == PeriodReturn.Status.RETURNED]
            context["years"] = self.year_choices(year, today, years_with_data(agency_id=agency_id))
        elif role == Role.OFFICER:
            context["overview"] = province_overview(year=year, today=today)
            context["years"] = self.year_choices(year, today, years_with_data())
        return context

    @staticmethod
    def year_choices(year: int, today: datetime.date, with_data: list[int]) -> list[int]:
        """The selector's years: those holding returns or records, this year and the one shown, newest first."""
        return sorted({*with_data, today.year, year}, reverse=True)


class DirectoryIndexView(AreaIndexView):
    title = _("Directory")
    intro = _("Provincial agencies, officials, Party organisations and administrative divisions.")
    model_labels = ("outreach.Agency", "outreach.Official", "outreach.PartyOrganisation", "outreach.Region")


@login_not_required
def healthz(request):
    """For the load balancer: the process is up and the database answers."""
    Agency.objects.exists()
    return JsonResponse({"status": "ok"})


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
            show_errors(request, error)
        else:
            messages.success(request, _("Restored: %(record)s") % {"record": record})
        return HttpResponseRedirect(record.get_absolute_url())


# --- monthly returns, review and period locks ----------------------------------------------


class ReturnsView(StaffOnlyMixin, TemplateView):
    """A clerk's months of a year: status, review comment, lock, records dated in it, and Submit."""

    template_name = "outreach/returns.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        form = YearForm(self.request.GET or None)
        year = (form.cleaned_data.get("year") if form.is_valid() else None) or today.year
        context.update(
            year=year,
            today=today,
            previous_year=year - 1,
            next_year=year + 1 if year < today.year else None,
            months=agency_months(agency_id=agency_id_of(self.request.user), year=year, today=today),
        )
        context["returned"] = [row for row in context["months"] if row.status == PeriodReturn.Status.RETURNED]
        return context


class ReturnSubmitView(StaffOnlyMixin, View):
    """POST year + month: submit the clerk's agency's records of that month for review."""

    http_method_names = ["post"]

    def post(self, request):
        form = MonthForm(request.POST)
        default = reverse("returns")
        if not form.is_valid():
            messages.error(request, _("Choose a valid year and month to submit."))
            return HttpResponseRedirect(default)
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        try:
            submit_month(user=request.user, year=year, month=month)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(
                request, _("Submitted for review: %(period)s") % {"period": period_label(datetime.date(year, month, 1))}
            )
        return HttpResponseRedirect(f"{default}?year={year}")


class ReviewView(OfficerRequiredMixin, ListView):
    """The officers' review queue: submitted returns by default, filterable by status, year, month, agency."""

    template_name = "outreach/review.html"
    context_object_name = "returns"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = ReviewFilterForm(self.request.GET)
        return review_queue(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            can_review=role_of(self.request.user) == Role.OFFICER,
            query=params.urlencode(),
        )
        return context


class MonthReviewMixin(OfficerOnlyMixin):
    """A step of a month's review: officers only, then back to the page the button was on (`next`)."""

    queryset = PeriodReturn.objects.select_related("agency")
    context_object_name = "period"

    def get_success_url(self) -> str:
        target = self.request.POST.get("next") or ""
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("review")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.POST.get("next") or self.request.GET.get("next") or ""
        return context


class ReturnApproveView(MonthReviewMixin, ReviewStepView):
    service = staticmethod(approve)
    form_class = ApproveForm
    success_message = _("Approved: %(period)s")


class ReturnSendBackView(MonthReviewMixin, SendBackView):
    """Return a submitted month to its agency with a comment saying what to correct."""

    template_name = "outreach/return_form.html"


class LocksView(RoleRequiredMixin, TemplateView):
    """Active and past locks for everyone with a role; officers lock a month or a year here."""

    roles = (Role.STAFF, Role.OFFICER, Role.ADMIN)
    template_name = "outreach/locks.html"

    def can_lock(self) -> bool:
        return role_of(self.request.user) == Role.OFFICER

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locks = list(lock_history())
        context.update(
            active=[lock for lock in locks if lock.is_active],
            past=[lock for lock in locks if not lock.is_active],
            can_lock=self.can_lock(),
        )
        if context["can_lock"]:
            context.setdefault("form", LockForm(initial={"year": clock.today().year}))
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_lock():
            raise PermissionDenied
        form = LockForm(request.POST)
        if form.is_valid():
            try:
                lock = lock_period(
                    user=request.user,
                    year=form.cleaned_data["year"],
                    month=form.cleaned_data["month"],
                    up_to=form.cleaned_data["up_to"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Locked: %(period)s") % {"period": lock})
                return HttpResponseRedirect(reverse("locks"))
        return self.render_to_response(self.get_context_data(form=form))


class UnlockView(OfficerOnlyMixin, ReviewFormView):
    """Lift a lock; the reason is required and kept on the lock."""

    template_name = "outreach/unlock_form.html"
    queryset = PeriodLock.objects.select_related("locked_by")
    context_object_name = "lock"
    form_class = UnlockForm
    service = staticmethod(unlock_period)
    item_argument = "lock"
    success_message = _("Unlocked: %(period)s")

    def get_success_url(self) -> str:
        return reverse("locks")
