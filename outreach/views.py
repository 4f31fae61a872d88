import datetime

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import Error as DatabaseErrors
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from outreach import clock
from outreach.filtersets import in_year
from outreach.forms import ApproveForm, LockForm, MonthForm, ReviewFilterForm, UnlockForm
from outreach.generic import url_name
from outreach.mixins import OfficerOnlyMixin, OfficerRequiredMixin, RoleRequiredMixin, StaffOnlyMixin, show_errors
from outreach.models import Agency, PeriodLock, PeriodReturn, period_label
from outreach.review_views import ReviewFormView, ReviewStepView, SendBackView
from outreach.roles import Role, agency_id_of, role_of
from outreach.selectors import (
    agency_months,
    dated_record_models,
    lock_history,
    lock_states,
    month_end,
    province_overview,
    record_counts_by_model,
    record_models,
    returned_items,
    returned_months,
    review_queue,
    years_with_data,
)
from outreach.services import (
    approve,
    approve_many,
    lock_period,
    lock_target,
    restore_record,
    submit_month,
    unlock_period,
    withdraw_month,
)
from outreach.window import chosen_year, configured_years, kept_query, kept_year

MSG_BAD_MONTH_STEP = _("Choose a valid year and month.")
MSG_APPROVED_MANY = _("Approved: %(periods)s")
MSG_NOT_APPROVED_MANY = _(
    "Not approved, as they are not awaiting review: %(periods)s. The others were approved, each on its own."
)
MSG_LOCK_UNAPPROVED = _(
    "Not every agency's return for %(period)s is approved: %(count)s agencies have months missing, "
    "returned or awaiting review (listed below). Once locked, their records cannot be corrected. "
    "Tick the confirmation to lock anyway."
)


def scoped_counts(user, models, year: int | None = None):
    """(label, count) for each model, counting only what the user may see; with `year`, only the records of
    that year (`in_year`: standing things in force in it, others dated in it; a model without dates: all)."""
    rows = []
    for model in models:
        queryset = model.objects.all()
        if hasattr(queryset, "for_user"):
            queryset = queryset.for_user(user)
        dated = bool(getattr(model, "period_date_field", None))
        if year is not None and dated:
            queryset = in_year(queryset, year)
        rows.append({"label": model._meta.verbose_name_plural, "count": queryset.count(), "dated": dated})
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

    def card_year(self) -> int | None:
        """The year the cards count: the one the user keeps, else the latest campaign year begun (None: all)."""
        return chosen_year(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        models = [apps.get_model(label) for label in self.model_labels]
        year = self.card_year() if any(getattr(m, "period_date_field", None) for m in models) else None
        context.update(title=self.title, intro=self.intro, card_year=year)
        context["counts"] = scoped_counts(self.request.user, models, year)
        context["links"] = [
            *({"label": m._meta.verbose_name_plural, "url": reverse(url_name(m, "list"))} for m in self.list_models),
            *({"label": label, "url": reverse(name), "icon": icon} for label, name, icon in self.links),
        ]
        return context


class HomeView(AreaIndexView):
    """Each role's start page; clerks and officers see the monthly returns of the year they keep (`kept_year`)
    and every open send-back of any year; the cards count that year."""

    template_name = "home.html"

    def card_year(self) -> int:
        return self.year

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
        year = self.year = kept_year(self.request)
        context = super().get_context_data(**kwargs)
        today = clock.today()
        context.update(today=today, year=year)
        agency_id = agency_id_of(self.request.user)
        if role == Role.STAFF and agency_id is not None:
            context["months"] = agency_months(agency_id=agency_id, year=year, today=today)
            context["returned"] = returned_months(agency_id=agency_id)  # of any year, newest first
            context["send_backs"] = send_back_rows([], returned_items(self.request.user))
            context["years"] = self.year_choices(year, years_with_data(agency_id=agency_id))
        elif role == Role.OFFICER:
            context["overview"] = province_overview(year=year, today=today)
            context["send_backs"] = send_back_rows(returned_months(), returned_items(self.request.user))
            context["years"] = self.year_choices(year, years_with_data())
        return context

    @staticmethod
    def year_choices(year: int, with_data: list[int]) -> list[int]:
        """The selector's years: the configured campaign years, those holding returns or records and the one
        shown, newest first."""
        return sorted({*configured_years(), *with_data, year}, reverse=True)


def send_back_rows(months, items) -> list[dict]:
    """Open send-backs for the home page's 待更正 panel, newest period first: returned months (`MonthRow`s,
    opening the review queue at that agency's month) and returned items reviewed on their own (opening them)."""
    rows = [
        {
            "kind": PeriodReturn._meta.verbose_name,
            "label": period_label(row.first_day),
            "end": month_end(row.year, row.month),
            "item": row.period_return,
            "lock": row.lock,
            "url": f"{reverse('review')}?{urlencode(review_filters(row))}",
        }
        for row in months
    ]
    rows += [
        {
            "kind": item._meta.verbose_name,
            "label": item.review_label(),
            "end": item.period_date,
            "item": item,
            "lock": None,
            "url": item.get_absolute_url(),
        }
        for item in items
    ]
    rows.sort(key=lambda row: row["item"].agency.code)
    rows.sort(key=lambda row: row["end"], reverse=True)
    return rows


def review_filters(row) -> dict:
    """The review queue's filters showing a returned month of one agency."""
    status = PeriodReturn.Status.RETURNED
    return {"status": status, "year": row.year, "month": row.month, "agency": row.period_return.agency_id}


class DirectoryIndexView(AreaIndexView):
    title = _("Directory")
    intro = _("Provincial agencies, officials, Party organisations and administrative divisions.")
    model_labels = ("outreach.Agency", "outreach.Official", "outreach.PartyOrganisation", "outreach.Region")


@login_not_required
def healthz(request):
    """For the load balancer: 200 when the process is up and the database answers, else 503 naming the
    database's error class (never a 500 page)."""
    try:
        Agency.objects.exists()
    except DatabaseErrors as error:
        return JsonResponse({"status": "unavailable", "database": type(error).__name__}, status=503)
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
        year = kept_year(self.request)
        context.update(
            year=year,
            today=today,
            previous_year=year - 1,
            next_year=year + 1 if year < today.year else None,
            months=agency_months(agency_id=agency_id_of(self.request.user), year=year, today=today),
        )
        for row in context["months"]:
            row.record_links = month_record_links(row.record_counts, year=row.year, month=row.month)
        context["returned"] = [row for row in context["months"] if row.status == PeriodReturn.Status.RETURNED]
        return context


def month_record_links(counts: dict, *, year: int, month: int, agency_id: int | None = None) -> list[dict]:
    """Each record type with records dated in the month: its label, count and list filtered to the month
    (and to `agency_id`, for officers: a clerk's lists show their own agency only). No query."""
    first, last = datetime.date(year, month, 1), month_end(year, month)
    links = []
    for model in dated_record_models():
        count = counts.get(model, 0)
        if not count:
            continue
        field = model.period_date_field
        params = {f"{field}_min": first.isoformat(), f"{field}_max": last.isoformat()}
        if agency_id is not None:
            params["agency"] = agency_id
        links.append(
            {
                "label": model._meta.verbose_name_plural,
                "count": count,
                "url": f"{reverse(url_name(model, 'list'))}?{urlencode(params)}",
                "model": model._meta.model_name,
            }
        )
    return links


def month_records(keys) -> dict[tuple[int, int, int], dict]:
    """(agency id, year, month) → that agency's records of the month: `links` by type and their `total`
    (one query for them all)."""
    counts = record_counts_by_model(
        agency_ids={agency_id for agency_id, _year, _month in keys}, months={(year, month) for _a, year, month in keys}
    )
    return {
        (agency_id, year, month): {
            "links": month_record_links(
                counts.get((agency_id, year, month), {}), year=year, month=month, agency_id=agency_id
            ),
            "total": sum(counts.get((agency_id, year, month), {}).values()),
        }
        for agency_id, year, month in keys
    }


def safe_next(request, default: str) -> str:
    """The POST's `next` if it is a page of this site, else `default`."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class MonthStepView(StaffOnlyMixin, View):
    """POST year + month (and `next`): a clerk's step on their agency's month; back to the returns page."""

    http_method_names = ["post"]
    #: called as `service(user=…, year=…, month=…)`
    service = None
    #: shown on success, with `%(period)s` the month
    success_message = ""

    def post(self, request):
        form = MonthForm(request.POST)
        default = reverse("returns")
        if not form.is_valid():
            messages.error(request, MSG_BAD_MONTH_STEP)
            return HttpResponseRedirect(default)
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
        try:
            self.service(user=request.user, year=year, month=month)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, self.success_message % {"period": period_label(datetime.date(year, month, 1))})
        return HttpResponseRedirect(safe_next(request, f"{default}?year={year}"))


class ReturnSubmitView(MonthStepView):
    """Submit the clerk's agency's records of a month for review."""

    service = staticmethod(submit_month)
    success_message = _("Submitted for review: %(period)s")


class ReturnWithdrawView(MonthStepView):
    """Withdraw the clerk's agency's submission of a month before it is reviewed (撤回)."""

    service = staticmethod(withdraw_month)
    success_message = _("Withdrawn: %(period)s")


#: the review page's filters that name one agency's month
ONE_MONTH = {"agency", "year", "month"}


class ReviewView(OfficerRequiredMixin, ListView):
    """The officers' review queue: submitted returns by default, filterable by status, year, month, agency."""

    template_name = "outreach/review.html"
    context_object_name = "returns"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = ReviewFilterForm(self.request.GET, year=kept_query(self.request).get("year"))
        return review_queue(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        # each month's records by type; filtered to one agency's month, that month's even without a return
        returns = context["returns"] = list(context["returns"])
        filters = self.filter_form.filters()
        keys = {(period.agency_id, period.year, period.month) for period in returns}
        one_month = (filters["agency"].pk, filters["year"], filters["month"]) if filters.keys() >= ONE_MONTH else None
        records = month_records(keys | {one_month} - {None})
        for period in returns:
            period.records = records[(period.agency_id, period.year, period.month)]
        if one_month:
            context["month"] = {
                "agency": filters["agency"],
                "first_day": datetime.date(*one_month[1:], 1),
                **records[one_month],
            }
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
        return safe_next(self.request, reverse("review"))

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


class ReturnApproveManyView(OfficerOnlyMixin, View):
    """POST `pk` (repeated) and `next`: approve the chosen months, each on its own (`approve_many`).

    Those not awaiting review are named in a message and left as they were; the others are approved.
    """

    http_method_names = ["post"]

    def post(self, request):
        pks = [int(pk) for pk in request.POST.getlist("pk") if pk.isdigit()]
        chosen = list(PeriodReturn.objects.filter(pk__in=pks).select_related("agency").order_by("year", "month"))
        try:
            approved, refused = approve_many(user=request.user, items=chosen)
        except ValidationError as error:
            show_errors(request, error)
        else:
            if approved:
                messages.success(request, MSG_APPROVED_MANY % {"periods": "、".join(map(str, approved))})
            if refused:
                named = "、".join(f"{item}（{item.get_status_display()}）" for item in refused)
                messages.warning(request, MSG_NOT_APPROVED_MANY % {"periods": named})
        return HttpResponseRedirect(safe_next(request, reverse("review")))


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
            context.setdefault("form", LockForm(initial={"year": kept_year(self.request)}))
        return context

    def post(self, request, *args, **kwargs):
        """Lock, once each agency's state for the period is shown and confirmed when any is not approved."""
        if not self.can_lock():
            raise PermissionDenied
        form = LockForm(request.POST)
        preview = None
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                month, up_to = lock_target(
                    year=year, month=form.cleaned_data["month"], up_to=form.cleaned_data["up_to"]
                )
                preview = lock_states(year=year, month=month, up_to=up_to, today=clock.today())
                if preview.needs_confirmation(form.cleaned_data["confirm"]):
                    raise ValidationError(
                        MSG_LOCK_UNAPPROVED,
                        code="lock_unapproved",
                        params={"period": preview.period_name, "count": len(preview.unapproved)},
                    )
                lock = lock_period(user=request.user, year=year, month=month, up_to=up_to)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Locked: %(period)s") % {"period": lock})
                return HttpResponseRedirect(reverse("locks"))
        return self.render_to_response(self.get_context_data(form=form, preview=preview))


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
