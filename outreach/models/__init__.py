"""The base app's models, by concern.

- `directory`: regions, agencies, Party organisations, officials and users' roles;
- `review`: what is reviewed (`Reviewable`, the monthly `PeriodReturn`), period locks, and the
  one check of whether a period is open (`check_period_open`);
- `records`: the abstract `AgencyRecord`, `DatedRecord`, `Span` and `SpanRecord` that the records of `pairings` and
  `visits` build on (`fields`: `note_field`, `past_date_field`, `user_field`);
- `imports`: uploaded workbooks;
- `campaign`: each campaign year's settings (dates, deadlines, reminders, minimums, target cities).

Every public name is importable from `outreach.models`.
"""

from outreach.models.campaign import CampaignYear, CampaignYearQuerySet, PlausibleLimit
from outreach.models.directory import Agency, Official, PartyOrganisation, Profile, Region
from outreach.models.fields import NOTE_MAX_LENGTH, note_field, past_date_field, user_field
from outreach.models.imports import ImportBatch, ImportBatchQuerySet
from outreach.models.records import (
    MSG_HAS_CHILDREN,
    MSG_OUTSIDE_SPAN,
    MSG_REFERENCE_CHARACTERS,
    MSG_REFERENCE_TAKEN,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    AgencyRecord,
    DatedRecord,
    LiveManager,
    RecordQuerySet,
    Span,
    SpanRecord,
    check_within,
    current_user,
    new_reference,
    validate_reference,
)
from outreach.models.review import (
    MSG_PERIOD_APPROVED,
    MSG_PERIOD_LOCKED,
    MSG_PERIOD_SUBMITTED,
    Basis,
    PeriodLock,
    PeriodLockQuerySet,
    PeriodReturn,
    Reviewable,
    ReviewStatus,
    check_period_open,
    period_label,
    remembered_periods,
)

__all__ = [
    "MSG_HAS_CHILDREN",
    "MSG_OUTSIDE_SPAN",
    "MSG_PERIOD_APPROVED",
    "MSG_PERIOD_LOCKED",
    "MSG_PERIOD_SUBMITTED",
    "MSG_REFERENCE_CHARACTERS",
    "MSG_REFERENCE_TAKEN",
    "NOTE_MAX_LENGTH",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "Agency",
    "AgencyRecord",
    "Basis",
    "CampaignYear",
    "CampaignYearQuerySet",
    "DatedRecord",
    "ImportBatch",
    "ImportBatchQuerySet",
    "LiveManager",
    "Official",
    "PartyOrganisation",
    "PeriodLock",
    "PeriodLockQuerySet",
    "PeriodReturn",
    "PlausibleLimit",
    "Profile",
    "RecordQuerySet",
    "Region",
    "ReviewStatus",
    "Reviewable",
    "Span",
    "SpanRecord",
    "check_period_open",
    "check_within",
    "current_user",
    "new_reference",
    "note_field",
    "past_date_field",
    "period_label",
    "remembered_periods",
    "user_field",
    "validate_reference",
]
