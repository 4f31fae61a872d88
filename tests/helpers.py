"""Assertions that explain themselves."""

import pytest
from django.core.exceptions import ValidationError


def assert_rejected(record, field: str, message) -> None:
    """Saving `record` fails with `message` on `field`, and no row is written."""
    model = type(record)
    before = model.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        record.save()
    errors = excinfo.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    expected = str(message)
    assert any(expected.split("%(")[0] in str(m) for m in errors[field]), f"{expected!r} not in {errors[field]}"
    assert model.objects.count() == before, "a rejected record was saved"
