from django.utils.translation import gettext_lazy as _

from outreach.views import AreaIndexView


class PairingsIndexView(AreaIndexView):
    title = _("结对共建")
    intro = _("帮扶联系点、结对困难群众、“1+2”结对共建、共建活动和帮扶。")
    model_labels = (
        "pairings.ContactPoint",
        "pairings.NeedyPerson",
        "pairings.NeedyPairing",
        "pairings.ContactPointActivity",
        "pairings.Pairing",
        "pairings.JointActivity",
        "pairings.Support",
    )
