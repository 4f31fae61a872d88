"""Assertions that explain themselves."""

import datetime

import pytest
from django.core.exceptions import ValidationError

#: the site's day in the review and lock tests: the factories' year, January to July begun, January to June ended
TODAY = datetime.date(2014, 7, 15)


def assert_rejected(record, field: str, message, params: dict | None = None) -> None:
    """Saving `record` fails on `field` with exactly `message` rendered with `params`, and no row is written."""
    assert params is not None or "%(" not in str(message), f"{message!r} has parameters: pass them"
    model = type(record)
    before = model.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        record.save()
    errors = excinfo.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    (expected,) = ValidationError(message, params=params).messages
    assert expected in errors[field], f"{expected!r} not in {errors[field]}"
    assert model.objects.count() == before, "a rejected record was saved"
