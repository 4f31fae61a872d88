"""/reports/outliers/: the records holding values far above their usual maximum (`reports.outliers`), for
officers to check with the agencies; staff see their own agency's. Filters: year, as-of date, agency
(officers), the count or amount."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from outreach import plausibility
from outreach.window import kept_query
from reports.forms import ReportFilterForm
from reports.outliers import outliers
from reports.views.year_end import held_agency


class OutliersForm(ReportFilterForm):
    """Year, as-of date, agency (officers) and the count or amount (all when empty)."""

    field = forms.ChoiceField(label=_("Count or amount"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("city", "basis"):  # a record's own value: no city, every review state
            self.fields.pop(name, None)
        self.fields["field"].choices = [("", _("All counts and amounts")), *plausibility.choices()]


class OutliersView(TemplateView):
    template_name = "reports/outliers.html"

    def get(self, request, *args, **kwargs):
        form = OutliersForm(kept_query(request), own_agency=held_agency(request))
        context = self.get_context_data(form=form, result=None)
        if form.is_valid():
            scope = form.scope()
            context["result"] = outliers(
                user=request.user,
                window=form.window(),
                agency=scope.agency,
                key=form.cleaned_data.get("field") or None,
            )
        return self.render_to_response(context, status=200 if form.is_valid() else 400)
