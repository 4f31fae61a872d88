from django.utils.translation import gettext_lazy as _

from outreach.forms import RecordForm
from outreach.models import Official, Region
from pairings.models import ContactPoint


class ContactPointForm(RecordForm):
    class Meta:
        model = ContactPoint
        fields = ("official", "village", "start_date", "end_date", "note")
        help_texts = {"village": _("Poor villages of Bozhou, Suzhou, Fuyang, Lu'an and Anqing")}

    def scope(self, user):
        self.fields["official"].queryset = Official.objects.for_user(user).filter(
            rank=Official.Rank.DEPARTMENT, is_active=True
        ).select_related("agency")
        self.fields["village"].queryset = Region.objects.poor_villages_of_target_cities().order_by("full_name")
