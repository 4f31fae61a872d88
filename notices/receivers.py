"""The workflow's announcements (outreach.signals) turned into notifications for agencies' clerks.

- A month or a channel return sent back (returned) or approved: the clerks of its agency, linked to
  the item (the returns page of the month's year; the channel return's own page).
- Submitted and withdrawn: nobody — the officers' review queue already lists what awaits them.
- A period unlocked: the clerks of every active agency, since a lock covers every agency and any of
  them may now correct its records of the period; linked to the returns page of the lock's year.

The receivers run inside the service's transaction: the notifications are saved with the change
(and rolled back with it); the e-mails leave when it commits (`notices.services.deliver`).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notices.models import Notification
from notices.services import Notice, deliver
from outreach.models import Agency, PeriodReturn
from outreach.signals import Step, period_unlocked, review_step


def item_link(item) -> str:
    """The page a clerk acts on an item from: a month's returns page of its year; a return's own page."""
    if isinstance(item, PeriodReturn):
        return f"{reverse('returns')}?year={item.year}"
    return reverse(f"{item._meta.app_label}:{item._meta.model_name}_detail", args=[item.pk])


def item_name(item) -> str:
    return gettext("%(kind)s %(period)s") % {"kind": item._meta.verbose_name, "period": item.review_label()}


def on_review_step(sender, item, step, user, **kwargs) -> None:
    if step not in (Step.RETURNED, Step.APPROVED):
        return
    with translation.override(settings.LANGUAGE_CODE):
        params = {"item": item_name(item), "agency": item.agency, "comment": item.comment}
        if step == Step.RETURNED:
            kind = Notification.Kind.RETURNED
            title = gettext("Returned for correction: %(item)s") % params
            body = (
                gettext(
                    "The working committee returned %(agency)s's %(item)s with this comment: %(comment)s\n"
                    "Correct the records and submit it again."
                )
                % params
            )
        else:
            kind = Notification.Kind.APPROVED
            title = gettext("Approved: %(item)s") % params
            body = gettext("The working committee approved %(agency)s's %(item)s.") % params
            if item.comment:
                body += "\n" + gettext("Comment: %(comment)s") % params
    deliver([Notice(item.agency, kind, title, body, item_link(item))])


def on_period_unlocked(sender, lock, user, **kwargs) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        params = {"period": str(lock), "reason": lock.unlock_reason}
        title = gettext("Unlocked: %(period)s") % params
        body = (
            gettext(
                "The working committee unlocked %(period)s (reason: %(reason)s). Its records can be corrected "
                "and submitted again."
            )
            % params
        )
    link = f"{reverse('returns')}?year={lock.year}"
    deliver(
        [
            Notice(agency, Notification.Kind.UNLOCKED, title, body, link)
            for agency in Agency.objects.filter(is_active=True).order_by("code")
        ]
    )


def connect() -> None:
    review_step.connect(on_review_step, dispatch_uid="notices.on_review_step")
    period_unlocked.connect(on_period_unlocked, dispatch_uid="notices.on_period_unlocked")
