"""Writes of the notices app: reminders (催报) and the notifications and e-mails that carry them.

HackSoft-style services: keyword-only, typed, atomic; error texts are module constants that
tests import. Who has not submitted a period is `reports.completeness.unsubmitted()` — the one
home of that rule; a reminder never goes to an agency that has submitted.

Every notification goes to the clerks of an agency (active users whose profile has the staff role
and that agency) in the app, and by e-mail to those of them with an address. The e-mails leave
when the transaction commits (nothing is mailed for a change that is rolled back); a failing mail
server is logged and does not undo what was saved.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notices.models import Notification, Reminder
from notices.selectors import clerks_by_agency
from outreach import clock
from outreach.models import Agency, CampaignYear
from outreach.progress import Progress, no_progress
from outreach.roles import Role, role_of
from reports.completeness import MONTH, Period, period_by_key, periods_of, unsubmitted

logger = logging.getLogger(__name__)

MSG_BAD_PERIOD = _("“%(period)s” is not a period: write 2014-06 for a month, or 2014-H1 / 2014-H2 for a half-year.")
MSG_PERIOD_NOT_BEGUN = _("%(period)s has not begun yet: nobody can be reminded of it.")
MSG_OUTSIDE_REACH = _("You cannot remind %(agencies)s.")
MSG_ALREADY_SUBMITTED = _("%(agencies)s already submitted %(period)s: a reminder goes only to agencies that have not.")
MSG_NOBODY_TO_REMIND = _("Every agency has submitted %(period)s: there is nobody to remind.")
MSG_MESSAGE_TOO_LONG = _("The message can be at most %(limit_value)s characters long.")

MESSAGE_MAX_LENGTH = 500


# --- what a reminder says ------------------------------------------------------------------------


def period_link(period: Period) -> str:
    """Where a clerk acts on a period: the returns page of its year, or the year's channel returns of its half."""
    if period.kind == MONTH:
        return f"{reverse('returns')}?year={period.year}"
    return f"{reverse('visits:channelreturn_list')}?year={period.year}&half={period.number}"


def _names(agencies: Iterable[Agency]) -> str:
    return "、".join(str(agency) for agency in agencies)


def reminder_text(*, period: Period, agency: Agency, kind: str, message: str, today: datetime.date) -> tuple[str, str]:
    """(title, body) of a reminder to one agency's clerks, in the active language."""
    params = {"period": period.label, "due": period.due.isoformat(), "agency": agency}
    if kind == Reminder.Kind.DUE or (kind == Reminder.Kind.MANUAL and today == period.due):
        title = gettext("Reminder: %(period)s is due today") % params
        body = gettext("%(agency)s's return for %(period)s is due today (%(due)s). Please submit it today.") % params
    elif kind == Reminder.Kind.AFTER or (kind == Reminder.Kind.MANUAL and today > period.due):
        title = gettext("Reminder: %(period)s is overdue") % params
        body = (
            gettext(
                "%(agency)s's return for %(period)s was due on %(due)s and is still outstanding (not submitted, "
                "or sent back and not submitted again). Please submit it as soon as possible."
            )
            % params
        )
    else:
        title = gettext("Reminder: %(period)s is due on %(due)s") % params
        body = gettext("%(agency)s's return for %(period)s is due on %(due)s. Please submit it by then.") % params
    if message:
        body += "\n\n" + gettext("Message from the working committee: %(message)s") % {"message": message}
    return title, body


# --- delivery: notifications in the app, e-mail on commit ------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One message to every clerk of one agency."""

    agency: Agency
    kind: str
    title: str
    body: str
    link: str


def _mail_text(notice: Notice) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    if base and notice.link:
        footer = gettext("Open it in the system: %(url)s") % {"url": base + notice.link}
    else:
        footer = gettext("Log in to the system to see it.")
    return f"{notice.body}\n\n{footer}"


def _send_mails(mails: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(mails)
    except Exception:  # the notifications are saved; a mail server's failure must not undo them
        logger.exception("notices: sending %s e-mails failed", len(mails))


def deliver(notices: list[Notice]) -> dict[int, tuple[int, int]]:
    """Notify every clerk of each notice's agency; e-mail those with an address when the transaction commits.

    Returns {agency pk: (clerks notified, clerks e-mailed)}. Queries: one for the clerks, one insert.
    """
    clerks = clerks_by_agency({notice.agency.pk for notice in notices})
    rows, mails, counts = [], [], {}
    for notice in notices:
        users = clerks.get(notice.agency.pk, [])
        addressed = [user.email for user in users if user.email]
        counts[notice.agency.pk] = (len(users), len(addressed))
        rows += [
            Notification(
                recipient=user,
                agency=notice.agency,
                kind=notice.kind,
                title=notice.title,
                body=notice.body,
                link=notice.link,
            )
            for user in users
        ]
        if addressed:
            # One message per notice, each clerk a recipient of their own copy (no one sees the others' addresses).
            mails += [
                EmailMessage(subject=notice.title, body=_mail_text(notice), to=[address]) for address in addressed
            ]
    if rows:
        Notification.objects.bulk_create(rows)
    if mails:
        transaction.on_commit(lambda: _send_mails(mails))
    return counts


# --- reminders ---------------------------------------------------------------------------------------


def _period(key: str) -> Period:
    period = period_by_key((key or "").strip())
    if period is None:
        raise ValidationError(MSG_BAD_PERIOD, code="bad_period", params={"period": key})
    return period


def _send(reminders: list[Reminder], *, today: datetime.date, progress: Progress = no_progress) -> list[Reminder]:
    """Write each agency's reminder (`progress`: agency after agency), save each reminder in its own savepoint
    (a scheduled one already sent by a concurrent run is skipped), then notify the clerks of the agencies
    reminded. Returns the reminders saved.

    The texts are written before anything is saved, so a progress report never waits for the transaction's
    own write lock (SQLite)."""
    notices = []
    with translation.override(settings.LANGUAGE_CODE):  # the clerks read the site's language, whoever sent it
        periods = {key: period_by_key(key) for key in {reminder.period for reminder in reminders}}
        for done, reminder in enumerate(reminders, 1):
            period = periods[reminder.period]
            title, body = reminder_text(
                period=period, agency=reminder.agency, kind=reminder.kind, message=reminder.message, today=today
            )
            notices.append(Notice(reminder.agency, Notification.Kind.REMINDER, title, body, period_link(period)))
            progress(done, len(reminders), "agencies")
    saved, delivered = [], []
    for reminder, notice in zip(reminders, notices, strict=True):
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError:  # the same scheduled reminder, inserted meanwhile by another run
            continue
        saved.append(reminder)
        delivered.append(notice)
    counts = deliver(delivered)
    for reminder in saved:
        reminder.recipients, reminder.emailed = counts[reminder.agency.pk]
    if saved:
        Reminder.objects.bulk_update(saved, ["recipients", "emailed"])
    return saved


@dataclass(frozen=True)
class ReminderPlan:
    """Whom a reminder would go to, as checked now: the period, the agencies (each once), the message."""

    period: Period
    agencies: list[Agency]
    message: str
    today: datetime.date


def plan_reminders(*, user, period: str, agencies: Iterable[Agency] | None = None, message: str = "") -> ReminderPlan:
    """What `remind` would send, checked without sending anything (a page checks it before queueing the job).

    `agencies` None: every agency that has not submitted the period. Refused: see `remind`.
    """
    if role_of(user) != Role.OFFICER:
        raise PermissionDenied
    target = _period(period)
    today = clock.today()
    if target.first_day > today:
        raise ValidationError(MSG_PERIOD_NOT_BEGUN, code="period_not_begun", params={"period": target.label})
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(MSG_MESSAGE_TOO_LONG, code="message_too_long", params={"limit_value": MESSAGE_MAX_LENGTH})
    reach = Agency.objects.for_user(user)
    if agencies is None:
        chosen = unsubmitted(target, as_of=today, agencies=reach)
        if not chosen:
            raise ValidationError(MSG_NOBODY_TO_REMIND, code="nobody_to_remind", params={"period": target.label})
    else:
        agencies = list(agencies)
        ids = {agency.pk for agency in agencies}
        within = set(reach.filter(pk__in=ids).values_list("pk", flat=True))
        outside = [agency for agency in agencies if agency.pk not in within]
        if outside:
            raise ValidationError(MSG_OUTSIDE_REACH, code="outside_reach", params={"agencies": _names(outside)})
        late = {agency.pk for agency in unsubmitted(target, as_of=today, agencies=reach.filter(pk__in=ids))}
        submitted = [agency for agency in agencies if agency.pk not in late]
        if submitted:
            raise ValidationError(
                MSG_ALREADY_SUBMITTED,
                code="already_submitted",
                params={"agencies": _names(submitted), "period": target.label},
            )
        chosen = list({agency.pk: agency for agency in agencies}.values())
    return ReminderPlan(target, list(chosen), message, today)


@transaction.atomic
def remind(
    *,
    user,
    period: str,
    agencies: Iterable[Agency] | None = None,
    message: str = "",
    progress: Progress = no_progress,
) -> list[Reminder]:
    """An officer reminds agencies that have not submitted `period` (a key: "2014-06", "2014-H1").

    `agencies` None reminds every agency that has not submitted it. Refused, nothing sent: a period
    that is malformed or has not begun, an agency outside the officer's reach or one that has
    submitted the period, a message over 500 characters. `progress`: agency after agency.
    """
    plan = plan_reminders(user=user, period=period, agencies=agencies, message=message)
    now = clock.now()
    reminders = [
        Reminder(
            agency=agency,
            period=plan.period.key,
            kind=Reminder.Kind.MANUAL,
            message=plan.message,
            sent_at=now,
            sent_by=user,
        )
        for agency in plan.agencies
    ]
    return _send(reminders, today=plan.today, progress=progress)


def reminded_message(count: int) -> str:
    """What the officer is told once `count` agencies are reminded, in the active language."""
    return ngettext("Reminded %(count)s agency.", "Reminded %(count)s agencies.", count) % {"count": count}


def scheduled_kind(period: Period, day: datetime.date, days_before: int) -> str | None:
    """Which scheduled reminder `day` calls for: `before` from N days before the due date up to the day before
    (a day the schedule did not run is caught up), `due` on the due date, `after` on any day after it."""
    if day > period.due:
        return Reminder.Kind.AFTER
    if day == period.due:
        return Reminder.Kind.DUE
    if days_before and period.due - datetime.timedelta(days=days_before) <= day:
        return Reminder.Kind.BEFORE
    return None


def campaign_years(day: datetime.date) -> list[int]:
    """The years whose periods the schedule looks at on `day`: last year's (December and the second half are
    due in January) and this year's, leaving out years before the first configured campaign year."""
    first = CampaignYear.objects.order_by("year").values_list("year", flat=True).first()
    return [year for year in (day.year - 1, day.year) if first is None or year >= first]


@transaction.atomic
def send_scheduled(*, day: datetime.date, dry_run: bool = False, progress: Progress = no_progress) -> list[Reminder]:
    """The daily schedule: for every period of the campaign years around `day`, remind each agency that has
    not submitted it — `before` (N = the year's remind_days_before), `due`, `after` — at most one reminder of
    each kind per agency and period, ever. `dry_run` returns what would be sent (unsaved) and writes nothing.
    `progress`: reminder after reminder (`manage.py send_reminders` draws it on a terminal).

    Safe to run twice a day or from two crons at once: a reminder already in the log is not planned again,
    and one inserted meanwhile by a concurrent run is skipped (the unique constraint).
    """
    periods = []
    for year in campaign_years(day):
        days_before = CampaignYear.objects.settings_for(year).remind_days_before
        periods += [
            (period, kind)
            for period in periods_of(year)
            if period.first_day <= day and (kind := scheduled_kind(period, day, days_before))
        ]
    if not periods:
        return []
    sent = set(
        Reminder.objects.filter(kind__in=Reminder.SCHEDULED, period__in=[p.key for p, _k in periods]).values_list(
            "agency_id", "period", "kind"
        )
    )
    now = clock.now()
    planned = [
        Reminder(agency=agency, period=period.key, kind=kind, sent_at=now)
        for period, kind in periods
        for agency in unsubmitted(period, as_of=day)
        if (agency.pk, period.key, kind) not in sent
    ]
    if dry_run:
        clerks = clerks_by_agency({reminder.agency.pk for reminder in planned})
        for reminder in planned:
            users = clerks.get(reminder.agency.pk, [])
            reminder.recipients, reminder.emailed = len(users), sum(1 for user in users if user.email)
        return planned
    return _send(planned, today=day, progress=progress)
