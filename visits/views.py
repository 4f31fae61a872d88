import datetime

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach import clock, generic
from outreach.forms import ApproveForm
from outreach.mixins import OfficerOnlyMixin
from outreach.models import CampaignYear, Official
from outreach.review_views import ReviewStepView, SendBackView
from outreach.roles import Role, role_of, sees_everything
from outreach.services import MSG_LOCKED_RETURNED, approve, is_locked, submit, withdraw
from outreach.views import AreaIndexView
from outreach.window import kept_query
from visits import forms, tables
from visits.forms import MinimumsForm
from visits.models import (
    ChannelReturn,
    FiveIntoAction,
    FourIntoEvent,
    Visit,
    VolunteerService,
    VolunteerTeam,
)
from visits.selectors import visit_minimums


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
        "visits.ChannelReturn",
    )
    list_models = (Visit, FourIntoEvent, VolunteerTeam, VolunteerService, FiveIntoAction, ChannelReturn)
    links = ((_("Yearly visit minimums"), "visits:minimums", "clipboard-check"),)


class VisitMinimumsView(PermissionRequiredMixin, TemplateView):
    """Who is behind on the yearly visit minimums, and by how much (staff: own agency; officers: all)."""

    template_name = "visits/minimums.html"
    permission_required = "visits.view_visit"
    raise_exception = True
    paginate_by = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MinimumsForm(kept_query(self.request) or None, user=self.request.user)
        report, rows = None, []
        if not form.is_bound or form.is_valid():
            chosen = form.cleaned_data if form.is_bound else {}
            report = visit_minimums(
                user=self.request.user,
                as_of=form.as_of_date(),
                agency=chosen.get("agency"),
                basis=form.chosen_basis(),
            )
            rows = report.behind if chosen.get("behind") else report.officials
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            form=form,
            report=report,
            page=page,
            page_query=params.urlencode(),
            # the minimums of the as-of date's campaign year (docs/domain.md §1), not constants
            minimums=[
                (Official.Position(position).label, rule)
                for position, rule in CampaignYear.objects.settings_for(report.as_of.year).minimums().items()
            ]
            if report
            else [],
            show_agency=sees_everything(self.request.user),
        )
        return context


# --- service activities: "four into", volunteer teams and their service, "five into" --------


class FourIntoEventDetailView(generic.ObjectDetailView):
    def field_rows(self):
        rows = super().field_rows()
        # The sites visited are derived (enterprises + villages + schools): shown after their parts.
        after = next(i for i, (_label, _value, field) in enumerate(rows) if field.name == "schools")
        rows.insert(after + 1, (_("sites visited"), self.object.sites, None))
        return rows


class FiveIntoActionDetailView(generic.ObjectDetailView):
    def field_rows(self):
        # What the action's kind yields; the other kinds' fields are empty by rule and left out.
        own = set(FiveIntoAction.YIELDS.get(self.object.kind, ()))
        if "books" in own:
            own.add("book_recipients")
        others = (set(FiveIntoAction.yield_fields()) | {"book_recipients"}) - own
        return [row for row in super().field_rows() if row[2].name not in others]


# --- channel returns: one per agency and period, submitted and reviewed on their own -----------


def rate(value) -> str:
    return "—" if value is None else f"{value}%"


class ChannelReturnDetailView(generic.ObjectDetailView):
    """The return's figures in their three groups beside last period's, the computed rates, and its review."""

    template_name = "visits/channelreturn_detail.html"
    # (after which field, rate property, label): each rate is shown after the figures it is computed from
    RATES = (
        ("survey_satisfied", "satisfaction_rate", _("satisfaction rate")),
        ("items_after", "items_cut_rate", _("share of approval items cut")),
        ("time_limit_after", "time_cut_rate", _("mean cut of the kept items' time limits")),
    )

    def get_queryset(self):
        return super().get_queryset().select_related("submitted_by", "reviewed_by")

    def field_rows(self):
        return []  # the template lays the figures out in their groups (see groups())

    def groups(self, previous):
        obj, rates = self.object, {after: (name, label) for after, name, label in self.RATES}
        groups = []
        for title, switches, figures in forms.ChannelReturnForm.GROUPS:
            rows = []
            for name in switches + figures:
                rows.append(
                    {
                        "name": name,
                        "label": ChannelReturn._meta.get_field(name).verbose_name,
                        "value": forms.last_value(getattr(obj, name)),
                        "previous": forms.last_value(getattr(previous, name)) if previous else None,
                        "missing": name in ChannelReturn.REQUIRED and getattr(obj, name) is None,
                    }
                )
                if name in rates:
                    rate_name, label = rates[name]
                    rows.append(
                        {
                            "name": rate_name,
                            "label": label,
                            "value": rate(getattr(obj, rate_name)),
                            "previous": rate(getattr(previous, rate_name)) if previous else None,
                            "computed": True,
                        }
                    )
            groups.append({"title": title, "rows": rows})
        return groups

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        previous = obj.previous()
        live = not obj.is_deleted
        open_for_clerk = live and context["can_write"] and obj.status not in ChannelReturn.CLOSED
        # a submitted return awaiting review can be withdrawn; a returned one under a lock cannot be corrected
        locked = live and context["can_write"] and obj.status in (obj.Status.SUBMITTED, obj.Status.RETURNED)
        locked = locked and is_locked(obj)
        if locked and obj.status == obj.Status.RETURNED:
            context["closed_message"] = MSG_LOCKED_RETURNED % {"period": obj.review_label()}
        missing = obj.missing_fields()
        context.update(
            previous=previous,
            groups=self.groups(previous),
            missing=[ChannelReturn._meta.get_field(name).verbose_name for name in missing],
            filled=len(ChannelReturn.REQUIRED) - len(missing),
            completeness=tables.filled_of(obj),
            can_edit=open_for_clerk,
            can_submit=open_for_clerk,
            can_withdraw=live and context["can_write"] and obj.status == ChannelReturn.Status.SUBMITTED and not locked,
            can_review=live and role_of(user) == Role.OFFICER and obj.status == ChannelReturn.Status.SUBMITTED,
            next_period_url=self.next_period_url() if context["can_write"] else None,
        )
        return context

    def next_period_url(self) -> str:
        obj = self.object
        if obj.period_kind == ChannelReturn.PeriodKind.YEAR:
            params = {"year": obj.year + 1, "period_kind": obj.period_kind}
        elif obj.half == ChannelReturn.Half.FIRST:
            params = {"year": obj.year, "period_kind": obj.period_kind, "half": ChannelReturn.Half.SECOND}
        else:
            params = {"year": obj.year + 1, "period_kind": obj.period_kind, "half": ChannelReturn.Half.FIRST}
        return f"{reverse('visits:channelreturn_add')}?{urlencode(params)}"


def last_ended_half_year(today: datetime.date) -> tuple[int, int]:
    """The half-year most recently ended: what a clerk usually comes to enter."""
    return (today.year, ChannelReturn.Half.FIRST) if today.month > 6 else (today.year - 1, ChannelReturn.Half.SECOND)


class ChannelReturnEditView(generic.ObjectEditView):
    template_name = "visits/channelreturn_form.html"
    form_class = forms.ChannelReturnForm

    def get_initial(self):
        initial = super().get_initial()
        if "pk" not in self.kwargs:
            year, half = last_ended_half_year(clock.today())
            initial.update(year=year, period_kind=ChannelReturn.PeriodKind.HALF_YEAR, half=half)
            # ?year=&period_kind=&half= (the "next period" link of a return's page) choose another period.
            chosen = {
                name: self.request.GET[name] for name in forms.ChannelReturnForm.PERIOD if name in self.request.GET
            }
            if chosen:
                initial.update({"half": None, **chosen})
        return initial


class ChannelReturnReviewMixin(generic.RecordViewMixin):
    """A step of a channel return's review: the return, scoped and permitted as a record."""

    model = ChannelReturn
    select_related = ("agency",)


class ChannelReturnSubmitView(ChannelReturnReviewMixin, ReviewStepView):
    """The agency's clerk submits a complete return of an ended period."""

    action = "change"
    service = staticmethod(submit)
    success_message = _("Submitted for review: %(period)s")


class ChannelReturnWithdrawView(ChannelReturnReviewMixin, ReviewStepView):
    """The agency's clerk takes back a submitted return before it is reviewed (撤回)."""

    action = "change"
    service = staticmethod(withdraw)
    success_message = _("Withdrawn: %(period)s")


class ChannelReturnApproveView(OfficerOnlyMixin, ChannelReturnReviewMixin, ReviewStepView):
    service = staticmethod(approve)
    form_class = ApproveForm
    success_message = _("Approved: %(period)s")


class ChannelReturnSendBackView(OfficerOnlyMixin, ChannelReturnReviewMixin, SendBackView):
    template_name = "visits/channelreturn_send_back.html"
