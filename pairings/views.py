from django.utils.translation import gettext_lazy as _

from outreach.views import AreaIndexView


class PairingsIndexView(AreaIndexView):
    title = _("Pairings")
    intro = _("Assistance contact points, needy person pairings, “1+2” pairings, joint activities and support.")
    model_labels = (
        "pairings.ContactPoint",
        "pairings.NeedyPerson",
        "pairings.NeedyPairing",
        "pairings.ContactPointActivity",
        "pairings.Pairing",
        "pairings.JointActivity",
        "pairings.Support",
    )
