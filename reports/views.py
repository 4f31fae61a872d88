from django.utils.translation import gettext_lazy as _

from outreach.views import AreaIndexView


class ReportsIndexView(AreaIndexView):
    """Placeholder until the indicator catalogue lands: what the statistics will be drawn from."""

    title = _("Reports")
    intro = _("Year-end statistics, the work dashboard and published statistics snapshots will be available here.")
    model_labels = ("pairings.ContactPoint", "pairings.Pairing", "visits.Visit")
