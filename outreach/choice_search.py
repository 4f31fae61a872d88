"""The search endpoint of SearchSelect (outreach/widgets.py), after the admin's autocomplete view.

GET /choices/<form or filter set>/<field>/?q=words answers
`{"results": [{"id": "12", "text": "张三（处长）"}, …], "more": false}`: at most LIMIT choices of that
field whose search fields hold every word. The choices are the field's own queryset, built by the
form (or filter set) for the requesting user, so they are scoped by `for_user()` exactly as the form
that checks the choice: another agency's officials never appear.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views import View

from outreach.widgets import search_fields, source_of

LIMIT = 20
MAX_WORDS = 5


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_for(source: str, request):
    """The form of the record form or list filter set named `source`, built for the request's user."""
    from outreach.filtersets import RecordFilterSet
    from outreach.forms import RecordForm

    for cls in _subclasses(RecordForm):
        if source_of(cls) == source:
            return cls(user=request.user)
    for cls in _subclasses(RecordFilterSet):
        if source_of(cls) == source:
            return cls(request=request).form
    raise Http404


class ChoiceSearchView(View):
    def get(self, request, source: str, field: str):
        form_field = form_for(source, request).fields.get(field)
        fields = search_fields(field, form_field)
        if fields is None:
            raise Http404
        queryset = form_field.queryset
        for word in request.GET.get("q", "").split()[:MAX_WORDS]:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)))
        found = list(queryset[: LIMIT + 1])
        results = [{"id": str(obj.pk), "text": form_field.label_from_instance(obj)} for obj in found[:LIMIT]]
        return JsonResponse({"results": results, "more": len(found) > LIMIT})
