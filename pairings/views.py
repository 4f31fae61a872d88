from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach.roles import sees_everything
from outreach.views import AreaIndexView
from outreach.window import kept_query
from pairings import forms, models, selectors


class PairingsIndexView(AreaIndexView):
    title = _("Pairings")
    intro = _("Assistance contact points, needy person pairings, “1+2” pairings, joint activities and support.")
    list_models = (
        models.ContactPoint,
        models.NeedyPerson,
        models.NeedyPairing,
        models.ContactPointActivity,
        models.Pairing,
        models.JointActivity,
        models.Support,
    )
    model_labels = tuple(model._meta.label for model in list_models)
    links = (
        (_("“1+2” compliance"), "pairings:one_plus_two_compliance", "clipboard-check"),
        (_("“Five ones” compliance"), "pairings:five_ones_compliance", "clipboard-check"),
    )


# --- compliance ----------------------------------------------------------------------------


class ComplianceView(PermissionRequiredMixin, TemplateView):
    """A read-only compliance list for a year: staff see their agency, officers every agency."""

    permission_required = "pairings.view_pairing"
    raise_exception = True
    title = ""
    intro = ""
    #: the selector: (user=, year=, as_of=, agency=) → result with rows and summary
    selector = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.ComplianceFilterForm(kept_query(self.request) or {}, user=self.request.user)
        result = None
        if form.is_valid():
            data = form.cleaned_data
            result = self.selector(
                user=self.request.user,
                year=data["year"],
                as_of=form.window().end,
                agency=data.get("agency"),
                basis=form.chosen_basis(),
            )
            status = data.get("status")
            if status:
                result.rows = [row for row in result.rows if row.complete == (status == "complete")]
        context.update(
            title=self.title,
            intro=self.intro,
            form=form,
            result=result,
            show_agency=sees_everything(self.request.user),
        )
        return context


class OnePlusTwoComplianceView(ComplianceView):
    template_name = "pairings/one_plus_two_compliance.html"
    title = _("“1+2” compliance")
    intro = _(
        "Each agency Party committee pairs with at least one urban community and one disadvantaged village "
        "Party organisation. A pairing counts for the year when it began by the year's end (or the as-of date) "
        "and had not ended before 1 January."
    )
    selector = staticmethod(selectors.one_plus_two_compliance)


class FiveOnesComplianceView(ComplianceView):
    template_name = "pairings/five_ones_compliance.html"
    title = _("“Five ones” compliance")
    intro = _(
        "Every pairing holds, each year, one joint meeting, one mutual visit, one joint organisational life "
        "session, one condolence and assistance action and one practical project for people's livelihoods."
    )
    selector = staticmethod(selectors.five_ones_compliance)
