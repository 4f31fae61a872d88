"""Agencies' periodic channel returns: efficiency, the "three channels" (效能建设"三大渠道").

One return per agency and period (a half-year or a year), DHIS2-style: the
public-opinion channel, the "four zeros" service windows and administrative
approval. Flows (things handled in the period) and stocks (what exists at the
period's end) sit side by side; the reports add flows over returns and take each
agency's latest stock (docs/domain.md §4). Rates are never typed in: they are computed
from their parts here, and shown as "—" when the part below the line is zero.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.models import AgencyRecord, Reviewable, note_field
from outreach.rates import cut_rate, percent
from outreach.validation import Problems, count_field, in_year_range, money_field, year_validators
from visits.models.services import HalfYear, half_year_span

MSG_SATISFIED_ABOVE_RESPONSES = _("Satisfied responses cannot exceed the survey responses (%(responses)s).")
MSG_AFTER_ABOVE_BEFORE = _("Items kept cannot exceed the items before the clean-up (%(before)s).")
MSG_TIME_AFTER_ABOVE_BEFORE = _(
    "The kept items' time limits after the clean-up cannot exceed those before (%(before)s days)."
)
MSG_ENTERPRISE_ABOVE_FEES = _("Enterprise-related fees cannot exceed the fees cancelled (%(fees)s).")
MSG_CHIEF_ABOVE_ITEMS = _("Items with a chief representative cannot exceed the convenience items (%(items)s).")
MSG_HALF_NEEDED = _("Choose the half-year of a half-yearly return.")
MSG_HALF_FOR_YEAR = _("A yearly return has no half-year.")
MSG_INCOMPLETE = _("The return is incomplete; fill in: %(fields)s.")
MSG_RETURN_CLOSED = _("This return is “%(status)s” and can no longer be changed.")
MSG_DUPLICATE_RETURN = _("Your agency already has a return for this period; open it instead.")
MSG_PERIOD_NOT_ENDED = _("A return can be submitted only once its period has ended.")


def optional_count(verbose_name, **kwargs):
    """A count that may still be empty in a draft."""
    return count_field(verbose_name, null=True, blank=True, default=None, **kwargs)


def optional_yes_no(verbose_name):
    """A yes/no question that may still be unanswered in a draft: None is "not filled in", never a silent no."""
    return models.BooleanField(verbose_name, null=True, blank=True, default=None)


class ChannelReturn(Reviewable, AgencyRecord):
    class PeriodKind(models.TextChoices):
        HALF_YEAR = "half", _("Half-year")
        YEAR = "year", _("Year")

    Half = HalfYear

    # A return is reviewed itself (submitted, approved or returned), not through the monthly returns;
    # period locks still apply, by its period's end.
    monthly_review = False
    period_date_field = "period_end"

    CHANNELS = (
        "has_leader_mailbox",
        "has_complaint_mailbox",
        "has_suggestion_mailbox",
        "has_disclosure",
        "has_online_hall",
        "has_hotline",
    )
    #: the yes/no questions: 是 / 否 / 未填 (None: not answered yet, never a silent no)
    QUESTIONS = (*CHANNELS, "is_window_unit")
    OPINION_FLOWS = ("opinions", "leader_instructions", "npc_motions", "cppcc_proposals", "requests")
    ZERO_STOCKS = ("model_windows", "model_posts", "service_trades", "pledged_members")
    ZERO_FLOWS = ("survey_responses", "survey_satisfied")
    APPROVAL_STOCKS = (
        "items_before",
        "items_after",
        "time_limit_before",
        "time_limit_after",
        "convenience_items",
        "convenience_with_chief",
    )
    APPROVAL_FLOWS = ("fees_cancelled", "fees_cancelled_enterprise", "burden_reduced", "licences", "non_licences")
    #: every field a complete return must have filled in (the channels' yes/no too: unanswered is not "no")
    REQUIRED = QUESTIONS + OPINION_FLOWS + ZERO_STOCKS + ZERO_FLOWS + APPROVAL_STOCKS + APPROVAL_FLOWS
    #: what the reports add up over returns, and what they take from each agency's latest return (docs/domain.md §4)
    FLOWS = OPINION_FLOWS + ZERO_FLOWS + APPROVAL_FLOWS
    STOCKS = ("is_window_unit", *ZERO_STOCKS, *APPROVAL_STOCKS, *CHANNELS)

    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.HALF_YEAR)
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half.choices, null=True, blank=True)
    period_end = models.DateField(_("period end"), editable=False)

    # Public-opinion channel: which channels exist (stock) and what came through them (flows).
    has_leader_mailbox = optional_yes_no(_("leader's mailbox"))
    has_complaint_mailbox = optional_yes_no(_("complaint mailbox"))
    has_suggestion_mailbox = optional_yes_no(_("suggestion mailbox"))
    has_disclosure = optional_yes_no(_("information disclosure"))
    has_online_hall = optional_yes_no(_("online service hall"))
    has_hotline = optional_yes_no(_("service hotline"))
    opinions = optional_count(_("public opinions collected"))
    leader_instructions = optional_count(_("provincial leaders' instructions handled"))
    npc_motions = optional_count(_("people's congress deputies' motions handled"))
    cppcc_proposals = optional_count(_("CPPCC members' proposals handled"))
    requests = optional_count(_("grassroots and public requests handled"))

    # "Four zeros" service windows.
    is_window_unit = optional_yes_no(_("service-window agency"))
    model_windows = optional_count(_("Party-member model windows"))
    model_posts = optional_count(_("Party-member model posts"))
    service_trades = optional_count(_("service trades taking part"))
    pledged_members = optional_count(_("members with public four-zero pledges"))
    survey_responses = optional_count(_("satisfaction survey responses"))
    survey_satisfied = optional_count(_("satisfied responses"))

    # Administrative approval.
    cleanup_round = models.CharField(_("clean-up round"), max_length=100, blank=True)
    items_before = optional_count(_("approval items before the clean-up"))
    items_after = optional_count(_("approval items kept"))
    time_limit_before = optional_count(_("kept items' time limits before (days, total)"))
    time_limit_after = optional_count(_("kept items' time limits after (days, total)"))
    fees_cancelled = optional_count(_("fees cancelled"))
    fees_cancelled_enterprise = optional_count(_("of which enterprise-related"))
    burden_reduced = money_field(_("burden removed (yuan)"), null=True, blank=True, default=None)
    convenience_items = optional_count(_("convenience items"))
    convenience_with_chief = optional_count(_("convenience items with a chief representative"))
    licences = optional_count(_("licensing matters handled"))
    non_licences = optional_count(_("non-licensing matters handled"))
    note = note_field(_("note"))

    class Meta(AgencyRecord.Meta):
        verbose_name = _("channel return")
        verbose_name_plural = _("channel returns")
        ordering = ["-period_end", "agency__code"]
        constraints = [
            *AgencyRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["agency", "year", "period_kind", "half"],
                condition=models.Q(deleted_at__isnull=True),
                name="one_live_channel_return_per_period",
                violation_error_message=MSG_DUPLICATE_RETURN,
            ),
        ]
        indexes = [models.Index(fields=["agency", "period_end"])]

    def __str__(self):
        return f"{self.agency} · {self.period_name()}"

    def period_name(self) -> str:
        if self.period_kind == self.PeriodKind.YEAR:
            return _("%(year)s, whole year") % {"year": self.year}
        return _("%(year)s, %(half)s") % {"year": self.year, "half": self.get_half_display()}

    def review_label(self) -> str:
        return self.period_name()

    def compute_period_end(self) -> datetime.date | None:
        if not in_year_range(self.year):  # none yet, or refused by the year's own bounds
            return None
        if self.period_kind == self.PeriodKind.HALF_YEAR:
            return half_year_span(self.year, self.half)[1]
        return datetime.date(self.year, 12, 31)

    # Rates from their parts (docs/domain.md §4); None means "—".
    @property
    def satisfaction_rate(self):
        return percent(self.survey_satisfied, self.survey_responses)

    @property
    def items_cut_rate(self):
        return cut_rate(self.items_after, self.items_before)

    @property
    def time_cut_rate(self):
        return cut_rate(self.time_limit_after, self.time_limit_before)

    def missing_fields(self) -> list[str]:
        return [name for name in self.REQUIRED if getattr(self, name) is None]

    def check_complete(self) -> None:
        """A draft may be incomplete; a submitted return may not."""
        missing = self.missing_fields()
        if missing:
            labels = "、".join(str(self._meta.get_field(name).verbose_name) for name in missing)
            raise ValidationError(MSG_INCOMPLETE, code="incomplete", params={"fields": labels})

    def check_submittable(self) -> None:
        """Called by the submit service: the period has ended, every figure is filled in and it is not locked."""
        if self.period_end and self.period_end > clock.today():
            raise ValidationError(MSG_PERIOD_NOT_ENDED, code="period_not_ended")
        self.check_complete()
        self.check_periods_open()

    def save_review_status(self, *, user) -> None:
        """A step of the review is a change of the record: a new version, modified by `user`."""
        self.updated_by = user
        self.save_fields([*self.REVIEW_FIELDS, "updated_by"], user=user)

    def clean_fields(self, exclude=None):
        self.period_end = self.compute_period_end()
        super().clean_fields(exclude=exclude)

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        problems.check(self.check_not_closed)
        if self.period_kind == self.PeriodKind.HALF_YEAR and not self.half:
            problems.add("half", ValidationError(MSG_HALF_NEEDED, code="half_needed"))
        if self.period_kind == self.PeriodKind.YEAR and self.half:
            problems.add("half", ValidationError(MSG_HALF_FOR_YEAR, code="half_for_year"))
        elif self.period_kind == self.PeriodKind.YEAR:
            # The unique constraint cannot see a yearly return (its half is NULL, and NULL != NULL).
            problems.check(self.check_one_per_period)
        pairs = (
            ("survey_satisfied", "survey_responses", MSG_SATISFIED_ABOVE_RESPONSES, "responses"),
            ("items_after", "items_before", MSG_AFTER_ABOVE_BEFORE, "before"),
            ("time_limit_after", "time_limit_before", MSG_TIME_AFTER_ABOVE_BEFORE, "before"),
            ("fees_cancelled_enterprise", "fees_cancelled", MSG_ENTERPRISE_ABOVE_FEES, "fees"),
            ("convenience_with_chief", "convenience_items", MSG_CHIEF_ABOVE_ITEMS, "items"),
        )
        for part, whole, message, param in pairs:
            part_value, whole_value = getattr(self, part), getattr(self, whole)
            if part_value is not None and whole_value is not None and part_value > whole_value:
                problems.add(part, ValidationError(message, code=f"{part}_too_large", params={param: whole_value}))
        problems.raise_any()

    def check_not_closed(self) -> None:
        """Submitted and approved returns are read-only, except for the review itself."""
        if self._state.adding:
            return
        stored = type(self).all_objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored in self.CLOSED:
            raise ValidationError(MSG_RETURN_CLOSED, code="return_closed", params={"status": self.Status(stored).label})

    def check_one_per_period(self) -> None:
        """One live return per agency and period (what the unique constraint says, NULL half included)."""
        if not self.agency_id or not self.year:
            return
        clash = (
            type(self)
            .objects.filter(agency_id=self.agency_id, year=self.year, period_kind=self.period_kind, half=self.half)
            .exclude(pk=self.pk)
        )
        if clash.exists():
            raise ValidationError(MSG_DUPLICATE_RETURN, code="duplicate_return")

    def delete(self, *args, **kwargs):
        """A submitted or approved return cannot be deleted either (sending it back reopens it)."""
        self.check_not_closed()
        return super().delete(*args, **kwargs)

    def restore(self, *, user=None):
        """Restoring must not make a second live return for the period (the agency may have entered a new one)."""
        self.check_one_per_period()
        super().restore(user=user)

    def period_before(self) -> "ChannelReturn":
        """An unsaved return standing for the period before this one, of the same kind (to name it, or find it)."""
        if self.period_kind == self.PeriodKind.HALF_YEAR and self.half == self.Half.SECOND:
            return type(self)(year=self.year, period_kind=self.PeriodKind.HALF_YEAR, half=self.Half.FIRST)
        if self.period_kind == self.PeriodKind.HALF_YEAR:
            return type(self)(year=self.year - 1, period_kind=self.PeriodKind.HALF_YEAR, half=self.Half.SECOND)
        return type(self)(year=self.year - 1, period_kind=self.PeriodKind.YEAR, half=None)

    def previous(self):
        """The agency's return for the period before this one (for showing last period's values)."""
        before = self.period_before()
        return (
            type(self)
            .objects.filter(
                agency_id=self.agency_id, year=before.year, period_kind=before.period_kind, half=before.half
            )
            .first()
        )
