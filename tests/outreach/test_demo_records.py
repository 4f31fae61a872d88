"""Every kind of record the demo writes passes its model's `full_clean()`.

The demo writes with `bulk_create` (no `save()`, no `full_clean()`), so it sets every derived or
validated value itself; this checks a seeded sample of 50 records of every model it writes (the
directory, the logins and each app's part), over one demo seeded for the whole module.
"""

import io
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from outreach.demo import demo_models, demo_parts
from outreach.models import AgencyRecord
from visits.models import ChannelReturn

MODELS = demo_models()
SAMPLE = 50


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker):
    """A tenth of the demo's field work over the whole directory, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", fraction=0.1, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def entered_while_open(monkeypatch):
    # The records of locked, submitted and approved months were entered while their months were
    # open (the demo writes its history as it stood on 31 July): leave that one check out here,
    # and likewise that a submitted or approved channel return is closed to its agency.
    monkeypatch.setattr(AgencyRecord, "check_periods_open", lambda self: None)
    monkeypatch.setattr(ChannelReturn, "check_not_closed", lambda self: None)


def test_each_app_writes_its_own_records_in_a_declared_order():
    parts = demo_parts()
    assert [(part.name, part.order) for part in parts] == [("outreach", 10), ("pairings", 20), ("visits", 30)]
    for part in parts:
        assert {model._meta.app_label for model in part.models} == {part.name}, part.name
        assert set(part.dated) <= set(part.models), part.name


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_a_sample_of_every_model_passes_full_clean(model, demo_province, entered_while_open):
    rng = random.Random(f"{model._meta.label}:2014")
    pks = sorted(model.objects.values_list("pk", flat=True))
    assert pks, model
    for obj in model.objects.filter(pk__in=rng.sample(pks, min(SAMPLE, len(pks)))):
        before = getattr(obj, "village_days", None)
        if model is get_user_model():
            obj.full_clean(exclude=["password"])
        else:
            obj.full_clean()
        assert getattr(obj, "village_days", None) == before  # the demo set it as clean() derives it


@pytest.mark.django_db
def test_channel_returns_period_end_is_what_clean_derives(demo_province):
    for period in ChannelReturn.objects.all():
        assert period.period_end == period.compute_period_end()
