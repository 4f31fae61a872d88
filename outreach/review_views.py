"""The steps of a review as views: submit, approve, send back (for anything `Reviewable`), unlock.

An app declares a view with the service it calls and where the user lands:

    class ReturnApproveView(MonthReviewMixin, ReviewStepView):
        service = staticmethod(approve)
        form_class = ApproveForm
        success_message = _("Approved: %(period)s")

Who may take the step comes from the role mixins (`outreach.mixins`) or the record views' permissions.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from outreach.forms import ReturnForm
from outreach.mixins import show_errors
from outreach.services import send_back


class ReviewStepView(SingleObjectMixin, View):
    """POST: one step of an item's review; a refusal is shown as messages, and the user goes to the success URL."""

    http_method_names = ["post"]
    #: the review service, called as `service(user=…, item=…, **form.cleaned_data)`
    service = None
    #: the form of what the step takes besides the item (a comment), if anything
    form_class = None
    #: shown on success, with `%(period)s` the item
    success_message = ""

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def form_data(self) -> dict:
        if self.form_class is None:
            return {}
        form = self.form_class(self.request.POST)
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        return form.cleaned_data

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            self.service(user=request.user, item=self.object, **self.form_data())
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, self.success_message % {"period": self.object})
        return HttpResponseRedirect(self.get_success_url())


class ReviewFormView(SingleObjectMixin, FormView):
    """GET: a form about one item; POST: the service called with the item and the form's data.

    A refusal is shown on the form; on success, a message and the success URL.
    """

    #: the service, called as `service(user=…, <item_argument>=item, **form.cleaned_data)`
    service = None
    item_argument = "item"
    #: shown on success, with `%(period)s` the item
    success_message = ""

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.service(user=self.request.user, **{self.item_argument: self.object}, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"period": self.object})
        return HttpResponseRedirect(self.get_success_url())


class SendBackView(ReviewFormView):
    """Return a submitted item to its agency with a comment saying what to correct (GET: the form alone)."""

    form_class = ReturnForm
    service = staticmethod(send_back)
    success_message = _("Returned to the agency: %(period)s")
