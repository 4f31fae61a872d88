"""The jobs app's own kind: a probe that does nothing but report progress (bench/jobs.py, checks of the workers)."""

import time

from django.utils.translation import gettext_lazy as _

from jobs.kinds import Outcome, register

PROBE_MAX_SECONDS = 60


@register("probe", label=_("Worker check"), retries=1)
def probe(context) -> Outcome:
    """arguments: seconds (0–60, default 0) spent in `steps` progress steps (default 1)."""
    seconds = min(max(float(context.arguments.get("seconds", 0)), 0), PROBE_MAX_SECONDS)
    steps = max(1, int(context.arguments.get("steps", 1)))
    for done in range(1, steps + 1):
        time.sleep(seconds / steps)
        context(done, steps, "rows")
    return Outcome(message="ok")
