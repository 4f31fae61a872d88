"""The one write the reports app makes: publishing a snapshot of the year-end statistics.

HackSoft-style services: keyword-only, typed, atomic. Error texts are module constants that
tests import. Domain records are only read here.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.models import Basis
from outreach.progress import Progress, no_progress
from outreach.roles import Role, role_of
from reports.indicators import CATALOGUE_VERSION
from reports.models import PublishedSnapshot
from reports.selectors import agency_breakdown, year_end_figures
from reports.snapshots import json_figures

MSG_PUBLISH_NOT_ALLOWED = _("Only working-committee officers and administrators may publish the year-end statistics.")
MSG_AS_OF_OUTSIDE_YEAR = _("The as-of date must lie within the year being published.")
MSG_AS_OF_IN_FUTURE = _("The as-of date cannot be in the future: publish only figures of days that have passed.")


#: who may publish the year-end statistics
PUBLISHERS = (Role.OFFICER, Role.ADMIN)


def check_publish(*, year: int, as_of: datetime.date, user) -> None:
    """What publishing refuses before any figure is computed (the page checks it before queueing the job):
    a user who may not publish, an as-of date outside the year or in the future."""
    if role_of(user) not in PUBLISHERS:
        raise PermissionDenied(MSG_PUBLISH_NOT_ALLOWED)
    if as_of.year != year:
        raise ValidationError({"as_of": ValidationError(MSG_AS_OF_OUTSIDE_YEAR, code="as_of_outside_year")})
    if as_of > clock.today():
        raise ValidationError({"as_of": ValidationError(MSG_AS_OF_IN_FUTURE, code="as_of_in_future")})


@transaction.atomic
def publish_snapshot(
    *,
    year: int,
    as_of: datetime.date,
    user,
    note: str = "",
    basis: str = Basis.APPROVED,
    progress: Progress = no_progress,
) -> PublishedSnapshot:
    """Freeze the province's and every agency's year-end figures for `year` up to `as_of`, on `basis`.

    The figures are computed now on the basis (统计口径; by default `approved`: what the working
    committee has approved), stored with it, the catalogue's version, the publisher and the time. The
    time is taken before the figures are computed, so a record changed while they are being
    computed still shows among the records changed since publication. The new snapshot
    supersedes the year's earlier ones, which stay as they were.

    `progress` counts the three stages (the province's figures, every agency's, the save), each reported
    before anything is written (on SQLite a report waits for the transaction's write lock). All or nothing:
    a failure, or a cancel raised by `progress`, leaves no snapshot.
    """
    check_publish(year=year, as_of=as_of, user=user)
    basis = Basis(basis)
    published_at = timezone.now()
    progress(0, 3, "figures")
    figures = year_end_figures(year=year, as_of=as_of, basis=basis)
    progress(1, 3, "figures")
    breakdown = agency_breakdown(year=year, as_of=as_of, basis=basis)
    progress(2, 3, "save")
    return PublishedSnapshot.objects.create(
        year=year,
        as_of=as_of,
        published_at=published_at,
        published_by=user,
        catalogue_version=CATALOGUE_VERSION,
        basis=basis,
        note=note.strip(),
        figures=json_figures(figures),
        agency_figures={row.unit.code: json_figures(row.figures) for row in breakdown.rows},
    )
