"""What the workflow announces, for the apps that act on it (notifications, e-mail) without the core knowing them.

Sent inside the service's transaction, after the change is saved:
- `review_step(sender=<model class>, item=<Reviewable>, step=<Step>, user=<who>)`;
- `period_unlocked(sender=PeriodLock, lock=<PeriodLock>, user=<who>)`.
"""

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


review_step = Signal()
period_unlocked = Signal()
