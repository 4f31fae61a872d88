"""The database merges each official's village stays (visits.selectors.PROGRESS_SQL): for any stays, overlapping,
nested, crossing the new year or the as-of date, and visits that are not stays, its village days and households
equal the days counted one by one (a set of dates) and the households summed here."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach.models import Official
from tests.factories import OfficialFactory
from visits.models import Visit
from visits.selectors import _progress

pytestmark = pytest.mark.django_db

ORIGIN = datetime.date(2013, 11, 1)
visits = st.lists(
    st.tuples(
        st.integers(0, 420),  # start: days after 1 November 2013
        st.integers(0, 45),  # length - 1
        st.booleans(),  # a village stay
        st.integers(0, 30),  # households
        st.integers(0, 1),  # which of the two officials
    ),
    max_size=14,
)


def expected(rows, official, window_start, as_of):
    days, households = set(), 0
    for start, length, is_stay, count, who in rows:
        if who != official:
            continue
        first = ORIGIN + datetime.timedelta(days=start)
        if window_start <= first <= as_of:
            households += count
        if is_stay:
            days |= {first + datetime.timedelta(days=i) for i in range(length + 1)}
    return len({day for day in days if window_start <= day <= as_of}), households


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=visits, as_of_day=st.integers(0, 364))
def test_merged_stays_count_each_day_once_as_a_set_of_dates_does(agency_a, rows, as_of_day):
    as_of = datetime.date(2014, 1, 1) + datetime.timedelta(days=as_of_day)
    with transaction.atomic():
        officials = [
            OfficialFactory(agency=agency_a, position=Official.Position.LEADERSHIP, name=f"干部{i}") for i in range(2)
        ]
        Visit.objects.bulk_create(
            Visit(
                agency=agency_a,
                official=officials[who],
                start_date=ORIGIN + datetime.timedelta(days=start),
                end_date=ORIGIN + datetime.timedelta(days=start + length),
                is_village_stay=is_stay,
                households=count,
            )
            for start, length, is_stay, count, who in rows
        )
        found = _progress(Visit.objects.all(), {official.pk for official in officials}, as_of)
        for i, official in enumerate(officials):
            days, households = expected(rows, i, datetime.date(2014, 1, 1), as_of)
            assert found.get(official.pk, (0, 0)) == (days, households), (rows, as_of)
        transaction.set_rollback(True)
