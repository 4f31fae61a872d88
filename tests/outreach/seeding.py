"""Seeding the demo in the `manage.py seed_demo` tests (tests/outreach/test_seed_demo*.py)."""

import io

from django.core.management import call_command

FAST = {"fraction": 0.1}  # a tenth of the field work over the whole directory (an option for tests only)
YEAR = 2014


def seed(**options) -> str:
    """`manage.py seed_demo` with `options`; what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()
