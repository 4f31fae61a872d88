"""Publishing the year-end figures as a background job: the publish page queues it, its job page shows how
far it has come and then goes to the snapshot. Loaded by `reports.jobs` (the app's job kinds)."""

import datetime

from django.utils.translation import gettext_lazy as _

from jobs.kinds import Outcome, register
from jobs.models import Job
from jobs.services import enqueue
from outreach.models import Basis
from reports.services import check_publish, publish_snapshot

KIND = "publish_snapshot"
MSG_PUBLISHED = _("Published: %(snapshot)s")


def start_publish(*, user, year: int, as_of: datetime.date, basis: str = Basis.APPROVED, note: str = "") -> Job:
    """Queue the publication of `year` up to `as_of` on `basis` for `user`, once what publishing refuses has been
    checked: a refusal (the as-of date, too many jobs at once) is a ValidationError and nothing is queued."""
    check_publish(year=year, as_of=as_of, user=user)
    arguments = {"year": year, "as_of": as_of.isoformat(), "basis": str(Basis(basis)), "note": note}
    return enqueue(KIND, user=user, arguments=arguments)


@register(KIND, label=_("Publish the year-end figures"), retries=0, redirect=True)
def publish(context) -> Outcome:
    """`publish_snapshot` with the job's arguments, as the person who asked (who must still be allowed to)."""
    arguments = context.arguments
    snapshot = publish_snapshot(
        year=int(arguments["year"]),
        as_of=datetime.date.fromisoformat(arguments["as_of"]),
        user=context.user,
        note=arguments.get("note", ""),
        basis=arguments.get("basis") or Basis.APPROVED,
        progress=context,
    )
    return Outcome(link=snapshot.get_absolute_url(), message=str(MSG_PUBLISHED) % {"snapshot": snapshot})
