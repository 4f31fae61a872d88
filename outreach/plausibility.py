"""Plausible ranges (DHIS2's min/max rules): a value above its field's usual maximum is a warning, not an error.

A count or an amount can be valid (not negative, under the hard ceiling of `outreach.validation`) and still
unlikely for one record: one division head's visit that arranged 1.34亿元 of business financing is most likely
a typing slip (a few zeros too many, 元 typed for 万元). Each count and amount of a record has a usual maximum
(`USUAL_MAX`, set from the demo province's distribution with a wide margin); a campaign year may set its own in
the admin (`PlausibleLimit`, carried over to later years like the other settings).

- The record form shows a value above its usual maximum back to the clerk, who saves it only after ticking
  that they have checked it (`ObjectEditView`); the history records that it was confirmed.
- The import preview lists such values by sheet, row and column, and the import is confirmed only with
  them acknowledged (`outreach.importing`).
- Officers' outlier list (`reports:outliers`) shows the records holding such values.

Only a value that is new or changed is flagged: editing the note of a record whose amount was confirmed
asks nothing again.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach import clock, numbers

MSG_UNUSUAL = _("%(field)s: %(value)s is more than usual (usually at most %(limit)s). Please check it.")
#: the history's change reason of a save that kept a confirmed unusual value (history_change_reason: 100 characters)
MSG_CONFIRMED_REASON = _("Unusual values checked and confirmed: %(fields)s")
#: the box that confirms them (templates/includes/unusual_values.html), its value the flags' `signature()`
CONFIRM_FIELD = "confirm_unusual"

#: "app_label.model_name.field": the usual maximum of one record's value (money in yuan)
USUAL_MAX: dict[str, int | Decimal] = {
    # 联系点 activities: consoling needy people, solving problems, relief funds
    "pairings.contactpointactivity.people_consoled": 200,
    "pairings.contactpointactivity.problems_solved": 100,
    "pairings.contactpointactivity.money": Decimal("1000000"),
    # "1+2" joint activities and support to the village
    "pairings.jointactivity.participants": 2000,
    "pairings.support.projects_planned": 50,
    "pairings.support.projects_supported": 50,
    "pairings.support.industries_assisted": 50,
    "pairings.support.funds": Decimal("10000000"),
    # one official's visit
    "visits.visit.households": 200,
    "visits.visit.enterprises": 50,
    "visits.visit.communities": 30,
    "visits.visit.villager_groups": 50,
    "visits.visit.forums": 20,
    "visits.visit.opinions": 200,
    "visits.visitoutcome.businesses_helped": 100,
    "visits.visitoutcome.business_problems": 100,
    "visits.visitoutcome.financing": Decimal("100000000"),
    "visits.visitoutcome.migrant_cases": 100,
    "visits.visitoutcome.difficulties": 100,
    # 四进四帮, volunteers, 五进
    "visits.fourintoevent.officials": 1000,
    "visits.fourintoevent.enterprises": 100,
    "visits.fourintoevent.villages": 100,
    "visits.fourintoevent.schools": 100,
    "visits.fourintoevent.families_aided": 1000,
    "visits.fourintoevent.family_aid": Decimal("5000000"),
    "visits.fourintoevent.students_aided": 1000,
    "visits.fourintoevent.student_aid": Decimal("5000000"),
    "visits.volunteerteam.members": 1000,
    "visits.volunteerservice.person_times": 2000,
    "visits.volunteerservice.hours": Decimal("20000"),
    "visits.fiveintoaction.books": 100000,
    "visits.fiveintoaction.book_boxes": 200,
    "visits.fiveintoaction.culture_trips": 100,
    "visits.fiveintoaction.consultations": 10000,
    "visits.fiveintoaction.legal_points": 10000,
    "visits.fiveintoaction.legal_windows": 100,
    "visits.fiveintoaction.villages_planned": 100,
    "visits.fiveintoaction.projects_secured": 100,
    # an agency's half-year channel return
    "visits.channelreturn.opinions": 10000,
    "visits.channelreturn.leader_instructions": 1000,
    "visits.channelreturn.npc_motions": 500,
    "visits.channelreturn.cppcc_proposals": 500,
    "visits.channelreturn.requests": 10000,
    "visits.channelreturn.model_windows": 500,
    "visits.channelreturn.model_posts": 5000,
    "visits.channelreturn.service_trades": 200,
    "visits.channelreturn.pledged_members": 10000,
    "visits.channelreturn.survey_responses": 100000,
    "visits.channelreturn.survey_satisfied": 100000,
    "visits.channelreturn.items_before": 2000,
    "visits.channelreturn.items_after": 2000,
    "visits.channelreturn.time_limit_before": 100000,
    "visits.channelreturn.time_limit_after": 100000,
    "visits.channelreturn.fees_cancelled": 500,
    "visits.channelreturn.fees_cancelled_enterprise": 500,
    "visits.channelreturn.burden_reduced": Decimal("1000000000"),
    "visits.channelreturn.convenience_items": 2000,
    "visits.channelreturn.convenience_with_chief": 2000,
    "visits.channelreturn.licences": 500000,
    "visits.channelreturn.non_licences": 500000,
}


def key_of(model, field_name: str) -> str:
    return f"{model._meta.label_lower}.{field_name}"


def field_of(key: str) -> tuple[type[models.Model], models.Field]:
    app_label, model_name, field_name = key.split(".")
    model = apps.get_model(app_label, model_name)
    return model, model._meta.get_field(field_name)


def is_amount(field) -> bool:
    """Money in yuan (every DecimalField of a record but the volunteers' hours)."""
    return isinstance(field, models.DecimalField) and field.decimal_places == 2


def choices() -> list[tuple[str, str]]:
    """Every field with a usual maximum, for the admin: ("visits.visitoutcome.financing", "走访成效 · 企业融资（元）")."""
    result = []
    for key in USUAL_MAX:
        model, field = field_of(key)
        result.append((key, f"{model._meta.verbose_name} · {field.verbose_name}"))
    return result


def limits_for(year: int | None) -> dict[str, int | Decimal]:
    """The usual maxima of `year` (None: this year): the defaults, overridden by the year's settings (its own
    `PlausibleLimit` rows, else those of the latest configured year before it, as `settings_for` carries over)."""
    from outreach.models import CampaignYear, PlausibleLimit

    year = year or clock.today().year
    limits = dict(USUAL_MAX)
    configured = CampaignYear.objects.filter(year__lte=year).order_by("-year").values("pk")[:1]
    for key, maximum in PlausibleLimit.objects.filter(campaign_year__in=configured).values_list("field", "maximum"):
        if key in limits:
            limits[key] = maximum if isinstance(USUAL_MAX[key], Decimal) else int(maximum)
    return limits


def shown(field, value) -> str:
    """A value as the warning shows it: amounts the Chinese way (1.34 亿元), counts with separators."""
    if is_amount(field):
        return str(numbers.money(value))
    return numbers.count(value)


@dataclass(frozen=True)
class Flag:
    """One value above its usual maximum. `where`: the inline row it is on ("" for the record itself)."""

    key: str
    label: str
    value: int | Decimal
    limit: int | Decimal
    where: str = ""

    @property
    def field(self):
        return field_of(self.key)[1]

    @property
    def message(self) -> str:
        label = f"{self.where} · {self.label}" if self.where else self.label
        return gettext(MSG_UNUSUAL) % {
            "field": label,
            "value": shown(self.field, self.value),
            "limit": shown(self.field, self.limit),
        }

    def __str__(self) -> str:
        return self.message


def flags(record, limits: dict, *, before: dict | None = None, where: str = "") -> list[Flag]:
    """The values of `record` above their usual maxima in `limits`; with `before` (the stored values by field
    name), only those that differ from it (a value confirmed once is not asked about again)."""
    found = []
    prefix = f"{type(record)._meta.label_lower}."
    for key, limit in limits.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        value = getattr(record, name, None)
        if value is None or value <= limit:
            continue
        if before is not None and before.get(name) == value:
            continue
        label = str(type(record)._meta.get_field(name).verbose_name)
        found.append(Flag(key, label, value, limit, str(where)))
    return found


def signature(found: list[Flag]) -> str:
    """What a confirmation is for: these values on these fields. A box ticked for other values confirms nothing."""
    text = "|".join(sorted(f"{flag.key}:{flag.where}:{flag.value}" for flag in found))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def confirmed_reason(found: list[Flag]) -> str:
    """The history's change reason for a save that kept `found` confirmed (cut to the history's 100 characters)."""
    fields = ", ".join(dict.fromkeys(flag.label for flag in found))
    return (gettext(MSG_CONFIRMED_REASON) % {"fields": fields})[:100]


def year_of(record) -> int | None:
    """The campaign year a record's limits are read for: its period date's (None: this year's). A date reached
    through a related record not at hand is not fetched (an import checks thousands of rows)."""
    path = getattr(record, "period_date_field", None) or ""
    relation = path.split("__")[0]
    if "__" in path and not record._meta.get_field(relation).is_cached(record):
        return None
    day = getattr(record, "period_date", None)
    year = getattr(record, "year", None)
    return day.year if day is not None else (year if isinstance(year, int) else None)
