from django.utils.translation import gettext_lazy as _

from outreach.views import AreaIndexView


class VisitsIndexView(AreaIndexView):
    title = _("Visits")
    intro = _("Grassroots visits by agency Party members and officials, and what they achieved.")
    model_labels = ("visits.Visit", "visits.VisitOutcome")
