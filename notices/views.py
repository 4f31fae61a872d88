"""Notifications (every user: their own), reminders (officers send them; officers and administrators read the log)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from jobs.views import to_job
from notices.forms import ReminderFilterForm, RemindForm
from notices.jobs import start_reminders
from notices.selectors import notifications_for, reminder_log
from notices.services import remind, reminded_message
from outreach import clock
from outreach.mixins import OfficerOnlyMixin, OfficerRequiredMixin, show_errors
from outreach.roles import Role, role_of


def redirect_back(request, default: str) -> HttpResponseRedirect:
    """To the page the form was on (`next`, if it is this site's), else `default`."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


class NotificationListView(ListView):
    """The user's own notifications, newest first, the unread marked."""

    template_name = "notices/list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        return notifications_for(self.request.user)


class NotificationReadView(View):
    """POST: mark one of the user's notifications read (another user's is a 404), then go to `next`."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(notifications_for(request.user), pk=pk)
        if notification.read_at is None:
            notification.read_at = clock.now()
            notification.save(update_fields=["read_at"])
        return redirect_back(request, reverse("notices:list"))


class NotificationReadAllView(View):
    """POST: mark every unread notification of the user read."""

    http_method_names = ["post"]

    def post(self, request):
        count = notifications_for(request.user).unread().update(read_at=clock.now())
        if count:
            messages.success(request, _("Every notification is marked as read."))
        return redirect_back(request, reverse("notices:list"))


class RemindView(OfficerOnlyMixin, View):
    """POST period, agency (codes, repeated; none: every agency that has not submitted), message, next: 催报.

    One agency is reminded at once and the officer goes back to `next`; several, or every late one, are
    checked now and reminded by a background job (`notices.jobs`), whose page the officer is taken to.
    """

    http_method_names = ["post"]

    def post(self, request):
        form = RemindForm(request.POST)
        back = redirect_back(request, reverse("notices:reminders"))
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return back
        data = form.cleaned_data
        agencies = list(data["agency"])
        try:
            if len(agencies) != 1:  # several, or every late one: a background job
                job = start_reminders(
                    user=request.user, period=data["period"], agencies=agencies or None, message=data["message"]
                )
                return to_job(request, job)
            sent = remind(user=request.user, period=data["period"], agencies=agencies, message=data["message"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, reminded_message(len(sent)))
        return back


class ReminderLogView(OfficerRequiredMixin, ListView):
    """Every reminder sent (agency, period, kind, message, by whom, when, recipients), by period and agency."""

    template_name = "notices/reminders.html"
    context_object_name = "reminders"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = ReminderFilterForm(self.request.GET or None)
        return reminder_log(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        can_remind = role_of(self.request.user) == Role.OFFICER
        context.update(
            filter_form=self.filter_form,
            remind_form=RemindForm(initial={"period": self.filter_form.filters()["period"]}) if can_remind else None,
            query=params.urlencode(),
        )
        return context
