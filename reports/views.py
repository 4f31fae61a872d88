from django.utils.translation import gettext_lazy as _

from outreach.views import AreaIndexView


class ReportsIndexView(AreaIndexView):
    """Placeholder until the indicator catalogue lands: what the statistics will be drawn from."""

    title = _("统计报表")
    intro = _("年终统计、工作看板和发布的统计快照将在这里提供。")
    model_labels = ("pairings.ContactPoint", "pairings.Pairing", "visits.Visit")
