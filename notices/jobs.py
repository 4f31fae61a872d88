"""The notices app's background job: an officer's reminder (催报) to several agencies, or to every late one.

One agency is reminded at once, in the request (notices.views.RemindView); more go through a job, whose page
shows agency after agency and then how many were reminded. Never run twice (retries=0): a reminder writes.
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from jobs.kinds import Outcome, register
from jobs.models import Job
from jobs.services import enqueue
from notices.services import plan_reminders, remind, reminded_message
from outreach.models import Agency

KIND = "send_reminders"


def start_reminders(*, user, period: str, agencies: list[Agency] | None = None, message: str = "") -> Job:
    """Queue the reminder of `period` to `agencies` (None: every agency that has not submitted it when the job
    runs), once checked as `remind` checks it: a refusal, or too many jobs at once, is a ValidationError and
    nothing is queued."""
    plan = plan_reminders(user=user, period=period, agencies=agencies, message=message)
    codes = None if agencies is None else [agency.code for agency in plan.agencies]
    return enqueue(KIND, user=user, arguments={"period": plan.period.key, "agencies": codes, "message": plan.message})


@register(KIND, label=_("Reminders"), retries=0)
def send_reminders(context) -> Outcome:
    """`remind` with the job's arguments, as the officer who asked; the result links to the period's log."""
    arguments = context.arguments
    codes = arguments.get("agencies")
    agencies = None if codes is None else list(Agency.objects.filter(code__in=codes).order_by("code"))
    sent = remind(
        user=context.user,
        period=arguments["period"],
        agencies=agencies,
        message=arguments.get("message", ""),
        progress=context,
    )
    link = f"{reverse('notices:reminders')}?{urlencode({'period': arguments['period']})}"
    return Outcome(link=link, message=reminded_message(len(sent)))
