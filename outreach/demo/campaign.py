"""The demo's campaign years (docs/domain.md §1): the campaign year and the year before, configured
exactly as the campaign's rules stood when they were constants: the calendar year, the monthly
return due on the 5th of the next month, the half-year channel returns due on 15 July and
15 January, reminders 3 days before a due date, the yearly visit minimums (leadership members 3
village days and 20 households, heads of internal departments 5 and 30), and the five target cities."""

from __future__ import annotations

import datetime

from outreach.demo.context import DemoContext
from outreach.models import CampaignYear

DUE_DAY = 5
REMIND_DAYS_BEFORE = 3
MINIMUMS = {
    "leadership_min_days": 3,
    "leadership_min_households": 20,
    "head_min_days": 5,
    "head_min_households": 30,
}


def demo_years(ctx: DemoContext) -> list[int]:
    """The years the demo configures: the year before and the campaign year."""
    return [ctx.previous_cal.year, ctx.cal.year]


def build_campaign_years(ctx: DemoContext) -> None:
    """One `CampaignYear` per demo year (through `save()`: its history records the seed), with the
    directory's target cities as its list."""
    targets = [city for city in ctx.d.cities if city.is_target_city]
    for year in demo_years(ctx):
        campaign, _created = CampaignYear.objects.update_or_create(
            year=year,
            defaults=dict(
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year, 12, 31),
                monthly_due_day=DUE_DAY,
                first_half_due=datetime.date(year, 7, 15),
                second_half_due=datetime.date(year + 1, 1, 15),
                remind_days_before=REMIND_DAYS_BEFORE,
                **MINIMUMS,
            ),
        )
        campaign.target_cities.set(targets)
