from django.utils.translation import gettext_lazy as _

from outreach.views import AreaIndexView


class VisitsIndexView(AreaIndexView):
    title = _("走访服务")
    intro = _("机关党员干部走访基层及其成效。")
    model_labels = ("visits.Visit", "visits.VisitOutcome")
