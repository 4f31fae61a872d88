from django.utils.translation import gettext_lazy as _

from outreach import generic
from outreach.views import AreaIndexView
from pairings.filtersets import ContactPointFilterSet
from pairings.forms import ContactPointForm
from pairings.models import ContactPoint
from pairings.tables import ContactPointTable


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


class ContactPointMixin:
    model = ContactPoint
    select_related = ("agency", "official", "village")


class ContactPointListView(ContactPointMixin, generic.ObjectListView):
    filterset_class = ContactPointFilterSet
    table_class = ContactPointTable


class ContactPointDetailView(ContactPointMixin, generic.ObjectDetailView):
    pass


class ContactPointEditView(ContactPointMixin, generic.ObjectEditView):
    form_class = ContactPointForm
    keep_on_add_another = ("official", "start_date")


class ContactPointDeleteView(ContactPointMixin, generic.ObjectDeleteView):
    pass
