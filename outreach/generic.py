"""Generic views of field-work records (NetBox-style): an app declares what differs, not classes.

    *record_urls(
        "contact-points",
        filterset=ContactPointFilterSet,
        table=ContactPointTable,
        form=ContactPointForm,  # its Meta names the model; the table's columns what is fetched with a record
    )

Scoping is `Model.objects.for_user(user)` everywhere: another agency's record is a
404, in lists, detail pages, forms and exports alike. Writing needs the model
permission AND the agency-staff role (officers and administrators review, they do
not edit agencies' records).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.utils import Accessor

from jobs.services import enqueue
from jobs.views import to_job
from outreach import clock, plausibility
from outreach.exports import export_filename, filter_descriptions, table_rows, xlsx_response
from outreach.history import history_entries
from outreach.mixins import show_errors
from outreach.models import check_period_open
from outreach.roles import Role, role_of, sees_everything
from outreach.services import delete_record

MSG_USE_THE_BUTTON = gettext_lazy(
    "This list has %(count)s rows, more than the %(limit)s a download is written for at once: use the "
    "“Download Excel” button, which prepares it in the background and shows its progress."
)
MSG_BAD_FILTERS = gettext_lazy("The filters are not valid (see below): nothing was started.")
MSG_WITHDRAW_MONTH = gettext_lazy(
    "While the month awaits review you can withdraw its submission on the Monthly returns page, correct the "
    "record and submit the month again."
)
MSG_WITHDRAW_RETURN = gettext_lazy(
    "While the return awaits review you can withdraw it with the Withdraw button on its page, correct it and "
    "submit it again."
)
MSG_APPROVED_FINAL = gettext_lazy("Approved figures are final. If one of them is wrong, tell the working committee.")
MSG_OPEN_RETURN = gettext_lazy("Open the return")


@dataclass(frozen=True)
class Closed:
    """Why the user cannot change a record now (its month locked, submitted or approved), and what they can do."""

    reason: str
    #: who can reopen it, or how (empty where the reason says it: "Ask the working committee to unlock it.")
    remedy: str = ""
    #: the page where the remedy is done (the monthly returns of the record's year, a channel return's own page)
    link: str = ""
    link_label: str = ""


def remedy_for(record, code: str) -> dict:
    """What a clerk can do about a record closed for the reason `code` (`Closed`'s remedy and link)."""
    if code == "period_submitted":
        link = f"{reverse('returns')}?{urlencode({'year': record.period_date.year})}"
        return {"remedy": MSG_WITHDRAW_MONTH, "link": link, "link_label": _("Monthly returns")}
    if code == "return_closed" and record.status == record.Status.SUBMITTED:
        return {"remedy": MSG_WITHDRAW_RETURN, "link": record.get_absolute_url(), "link_label": MSG_OPEN_RETURN}
    if code in ("period_approved", "return_closed"):
        return {"remedy": MSG_APPROVED_FINAL}
    return {}  # a lock: its message names who unlocks it


def applies(field, record) -> bool:
    """Whether a form's field belongs to the record as it is: a field shown only for some values of another
    (`visits.forms.show_when`: a "five into" action's yields of its kind) is left out for the others."""
    rule = field.widget.attrs.get("data-show-when")
    if not rule:
        return True
    controller, values = rule.split("=", 1)
    return str(getattr(record, controller)) in values.split(",")


def shown_value(record, name: str):
    """A field's value as a record's pages show it: a choice by its label."""
    display = getattr(record, f"get_{name}_display", None)
    return display() if display else getattr(record, name)


def export_query(data) -> str:
    """A list's filters as a query string, without the page and the download: what a list download job is given
    (with the year a list opened without filters shows, so the job reads the rows the user saw)."""
    params = QueryDict(mutable=True)
    for key in data:
        if key not in ("page", "export"):
            params.setlist(key, data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    return params.urlencode()


def url_name(model, action: str) -> str:
    """`pairings:contactpoint_list` and friends, built from the model."""
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


class RecordViewMixin(PermissionRequiredMixin):
    model = None
    select_related: tuple[str, ...] = ()
    #: "view", "add", "change" or "delete"
    action = "view"
    raise_exception = True

    def get_action(self) -> str:
        return self.action

    def get_permission_required(self):
        opts = self.model._meta
        return [f"{opts.app_label}.{self.get_action()}_{opts.model_name}"]

    def has_permission(self):
        allowed = super().has_permission()
        if self.get_action() != "view":
            allowed = allowed and role_of(self.request.user) == Role.STAFF
        return allowed

    def include_deleted(self) -> bool:
        return False

    def get_queryset(self):
        manager = self.model.all_objects if self.include_deleted() else self.model.objects
        return manager.select_related(*self.select_related).for_user(self.request.user)

    def can_write(self) -> bool:
        user = self.request.user
        opts = self.model._meta
        return role_of(user) == Role.STAFF and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def closed_state(self, record) -> Closed | None:
        """Why the user cannot change this record now (its month locked, submitted or approved), if so."""
        if record is None or record.pk is None or record.is_deleted or not self.can_write():
            return None
        try:
            check_period_open(record.agency_id, record.period_date, monthly_review=record.monthly_review)
            check = getattr(record, "check_not_closed", None)
            if check is not None:
                check()
        except ValidationError as error:
            return Closed(" ".join(error.messages), **remedy_for(record, error.error_list[0].code))
        return None

    def closed(self) -> Closed | None:
        """`closed_state` of the page's record as it was read (an edit's form changes the record it is bound to)."""
        if not hasattr(self, "_closed"):
            self._closed = self.closed_state(getattr(self, "object", None))
        return self._closed

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closed = self.closed()
        context.update(
            opts=self.model._meta,
            can_write=self.can_write(),
            closed=closed,
            closed_message=closed.reason if closed else None,
            list_url=reverse(url_name(self.model, "list")),
            add_url=reverse(url_name(self.model, "add")),
        )
        return context


class ObjectListView(RecordViewMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated list with a totals row and an Excel download of the same rows."""

    template_name = "generic/object_list.html"
    filterset_class = None
    table_class = None
    strict = True

    def get_table_kwargs(self):
        return {"totals": self.totals(), "show_agency": sees_everything(self.request.user)}

    def totals(self):
        fields = self.table_class.sum_fields()
        if not fields:
            return {}
        return self.object_list.order_by().aggregate(**{name: Sum(name) for name in fields})

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """POST ?<filters>&export=xlsx (the download button of a long list): the download as a background job
        (`outreach.exports_jobs`), then its page. Filters that do not validate: the list with their messages, no job."""
        if request.GET.get("export") != "xlsx":
            return self.http_method_not_allowed(request, *args, **kwargs)
        filterset, _rows = self.export_rows()
        if filterset.is_bound and not filterset.is_valid():
            messages.error(request, MSG_BAD_FILTERS)
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        user = request.user
        arguments = {"list": url_name(self.model, "list"), "query": export_query(filterset.data)}
        agency = None if sees_everything(user) else getattr(getattr(user, "profile", None), "agency", None)
        try:
            job = enqueue("list_export", user=user, agency=agency, arguments=arguments)
        except ValidationError as error:
            show_errors(request, error)
            return HttpResponseRedirect(f"{reverse(url_name(self.model, 'list'))}?{arguments['query']}")
        return to_job(request, job)

    def export_rows(self):
        """(the filter set, the rows the download holds): the filtered rows, none when the filters are wrong."""
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset.none()
        if not filterset.is_bound:
            rows = filterset.qs
        return filterset, rows

    def export_filename(self) -> str:
        """走访基层-2014-07-31.xlsx: the list's name and the site's day."""
        return export_filename(str(self.model._meta.verbose_name_plural), clock.today())

    def export_sheets(self, rows, filterset=None) -> list:
        """The download's sheets: the list's table (sorted as asked, every row) as (title, `table_rows`), under a
        line naming the list and the filters applied, over the totals row the page shows (`totals()`)."""
        table = self.table_class(rows, show_agency=sees_everything(self.request.user))
        RequestConfig(self.request, paginate=False).configure(table)
        self.object_list = rows  # what `totals()` adds up, as on the list's page
        title = str(self.model._meta.verbose_name_plural)
        caption = " · ".join([title, *filter_descriptions(filterset)])
        return [(title, table_rows(table, caption=caption, totals=self.totals))]

    def export(self):
        """GET ?export=xlsx: the rows as a workbook written here and now, up to JOBS_LIST_THRESHOLD rows; a
        longer list goes back to the list with a message (its button starts a background job instead)."""
        filterset, rows = self.export_rows()
        count = rows.count()
        if count > settings.JOBS_LIST_THRESHOLD:
            messages.warning(
                self.request,
                MSG_USE_THE_BUTTON % {"count": f"{count:,}", "limit": f"{settings.JOBS_LIST_THRESHOLD:,}"},
            )
            query = export_query(filterset.data) if filterset.is_bound else ""
            return HttpResponseRedirect(f"{reverse(url_name(self.model, 'list'))}?{query}")
        return xlsx_response(self.export_filename(), self.export_sheets(rows, filterset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        params["export"] = "xlsx"
        context["export_url"] = f"?{params.urlencode()}"
        # A long list's download is a background job: the button posts (the count is the page's own, no query)
        context["export_as_job"] = context["table"].paginator.count > settings.JOBS_LIST_THRESHOLD
        context["filtered"] = any(v for k, v in self.request.GET.items() if k not in ("page", "sort"))
        return context


class ObjectDetailView(RecordViewMixin, DetailView):
    """A record's fields, its related records and its history (who, when, which fields, old and new)."""

    template_name = "generic/object_detail.html"
    #: (relation name, table class) of related records shown below the fields
    child_tables: tuple = ()
    #: fields shown (default: every editable field)
    fields: tuple[str, ...] = ()

    def include_deleted(self) -> bool:
        # Officers can still open a deleted record (to read it and restore it).
        return sees_everything(self.request.user)

    def get_queryset(self):
        return super().get_queryset().select_related("created_by", "updated_by")

    def field_rows(self):
        obj = self.object
        names = self.fields or [
            f.name for f in obj._meta.concrete_fields if f.editable and f.name not in ("id", "agency")
        ]
        return [
            (obj._meta.get_field(name).verbose_name, shown_value(obj, name), obj._meta.get_field(name))
            for name in names
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        children = []
        for relation, table_class in self.child_tables:
            queryset = getattr(obj, relation).all()
            # A child table may name what its columns reach through, fetched with its rows.
            if getattr(table_class, "select_related", ()):
                queryset = queryset.select_related(*table_class.select_related)
            children.append((table_class._meta.model._meta.verbose_name_plural, table_class(queryset, orderable=False)))
        context.update(
            field_rows=self.field_rows(),
            children=children,
            history=history_entries(obj),
            edit_url=reverse(url_name(self.model, "edit"), args=[obj.pk]),
            delete_url=reverse(url_name(self.model, "delete"), args=[obj.pk]),
        )
        return context


class ObjectEditView(RecordViewMixin, UpdateView):
    """Create or edit a record, with an optional inline formset; refuses a stale edit."""

    template_name = "generic/object_form.html"
    form_class = None
    formset_class = None

    def get_action(self) -> str:
        return "change" if "pk" in self.kwargs else "add"

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return self.model()
        queryset = self.get_queryset()
        if self.request.method == "POST":
            queryset = queryset.select_for_update(of=("self",))  # serialise concurrent saves of one record
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def kept_on_add_another(self) -> tuple[str, ...]:
        """What "save and add another" carries over to the next form: the fields the form names or, where it
        names none, for a record that is part of a standing one (an activity of a pairing), that one and the date.
        """
        if self.form_class.keep_on_add_another or self.model.part_of is None:
            return self.form_class.keep_on_add_another
        return (self.model.part_of[0], self.model.period_date_field)

    def get_initial(self):
        initial = super().get_initial()
        if "pk" not in self.kwargs:
            for name in self.kept_on_add_another():
                if name in self.request.GET:
                    initial[name] = self.request.GET[name]
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_formset(self):
        if self.formset_class is None:
            return None
        data = self.request.POST if self.request.method == "POST" else None
        return self.formset_class(data, instance=self.object, prefix="items", form_kwargs={"user": self.request.user})

    def read_only(self) -> dict | None:
        """A record that cannot change, as its edit page shows it instead of a form (none when it can change):
        the form's fields and values, and the inline rows'. Read before any form is bound to the record."""
        if not hasattr(self, "_read_only"):
            self._read_only = self.closed() and self.read_only_view()
        return self._read_only

    def read_only_view(self) -> dict:
        record = self.object
        form = self.get_form_class()(instance=record, user=self.request.user)
        fields = [
            (field.label, shown_value(record, name))
            for name, field in form.fields.items()
            if name != "version" and not field.widget.is_hidden and applies(field, record)
        ]
        items = None
        if self.formset_class is not None:
            formset = self.formset_class(instance=record, prefix="items", form_kwargs={"user": self.request.user})
            names = [name for name in formset.form._meta.fields if name in formset.form.base_fields]
            items = {
                "title": formset.model._meta.verbose_name_plural,
                "labels": [formset.form.base_fields[name].label for name in names],
                "rows": [[shown_value(item, name) for name in names] for item in formset.get_queryset()],
            }
        return {"fields": fields, "items": items}

    def get_context_data(self, **kwargs):
        if self.read_only():  # no form to show
            kwargs.setdefault("form", None)
            kwargs.setdefault("formset", None)
        formset = kwargs.setdefault("formset", self.get_formset())
        context = super().get_context_data(**kwargs)
        context["read_only"] = self.read_only()
        context["is_add"] = "pk" not in self.kwargs
        # Templates may not reach `_meta`: the inline rows' heading is handed over ready-made.
        context["formset_title"] = formset.model._meta.verbose_name_plural if formset is not None else ""
        context["cancel_url"] = self.object.get_absolute_url() if self.object.pk else context["list_url"]
        if kwargs.get("unusual"):
            context["unusual_signature"] = plausibility.signature(kwargs["unusual"])
        return context

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            self.object = self.get_object()
            self.read_only()  # the record as it is, before the form changes it
            form = self.get_form()
            formset = self.get_formset()
            if form.is_valid() and (formset is None or formset.is_valid()):
                unusual = self.unusual(form, formset)
                if unusual and request.POST.get(plausibility.CONFIRM_FIELD) != plausibility.signature(unusual):
                    # valid, but with values far above the usual: shown back to be checked and confirmed
                    return self.render_to_response(self.get_context_data(form=form, formset=formset, unusual=unusual))
                response = self.save(form, formset, unusual=unusual)
                if response is not None:
                    return response
                transaction.set_rollback(True)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def unusual(self, form, formset) -> list:
        """The values of the record and its inline rows above their usual maxima that are new or changed
        (`outreach.plausibility`); read from the forms' instances, which hold the cleaned values."""
        record = form.instance
        limits = plausibility.limits_for(plausibility.year_of(record))
        found = mark_unusual(form, plausibility.flags(record, limits, before=form.initial if record.pk else None))
        for number, item in enumerate(formset.forms if formset is not None else (), start=1):
            if not item.has_changed() or (formset.can_delete and formset._should_delete_form(item)):
                continue
            where = _("%(what)s, row %(row)s") % {"what": formset.model._meta.verbose_name, "row": number}
            before = item.initial if item.instance.pk else None
            found += mark_unusual(item, plausibility.flags(item.instance, limits, before=before, where=where))
        return found

    def save(self, form, formset, unusual=()):
        """Save the record and its inline rows; on a late refusal, show it on the form and keep nothing.
        `unusual`: the values the user confirmed, named in the history."""
        try:
            record = form.save(commit=False)
            if unusual:
                record._change_reason = plausibility.confirmed_reason(unusual)
            record.save(user=self.request.user)
            form.save_m2m()
            if formset is not None:
                formset.instance = record
                for item in formset.save(commit=False):
                    item.agency_id = record.agency_id
                    item.save(user=self.request.user)
                for item in formset.deleted_objects:
                    item.delete(user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return None
        self.object = record
        messages.success(self.request, _("Saved: %(record)s") % {"record": record})
        if "_addanother" in self.request.POST:
            keep = {name: form.data.get(name, "") for name in self.kept_on_add_another()}
            return HttpResponseRedirect(f"{reverse(url_name(self.model, 'add'))}?{urlencode(keep)}")
        return HttpResponseRedirect(record.get_absolute_url())


def mark_unusual(form, found: list) -> list:
    """Outline the fields of `form` holding the unusual values `found` (the warning above names them)."""
    for flag in found:
        widget = form.fields[flag.key.rsplit(".", 1)[1]].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} border-warning border-2".strip()
    return found


class ObjectDeleteView(RecordViewMixin, DetailView):
    """Confirm, then delete: the record leaves lists and totals, and an officer can restore it."""

    template_name = "generic/object_confirm_delete.html"
    action = "delete"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            delete_record(user=request.user, record=self.object)
        except ValidationError as error:
            context = self.get_context_data(object=self.object, errors=error.messages)
            return self.render_to_response(context, status=409)
        messages.success(request, _("Deleted: %(record)s") % {"record": self.object})
        return HttpResponseRedirect(reverse(url_name(self.model, "list")))


def reached_through(table) -> tuple[str, ...]:
    """The relations a table's columns reach through (`official__name` → `official`), in column order."""
    paths = []
    for name, column in table.base_columns.items():
        opts, path = table._meta.model._meta, []
        for part in Accessor(column.accessor or name).bits:
            try:
                field = opts.get_field(part)
            except FieldDoesNotExist:
                break
            if not (field.many_to_one or field.one_to_one):
                break
            path.append(part)
            opts = field.related_model._meta
        if path and "__".join(path) not in paths:
            paths.append("__".join(path))
    return tuple(paths)


def record_urls(
    prefix: str,
    *,
    filterset,
    table,
    form,
    select_related: tuple[str, ...] = (),
    formset=None,
    child_tables: tuple = (),
    detail_fields: tuple[str, ...] = (),
    detail_view: type[ObjectDetailView] = ObjectDetailView,
    edit_view: type[ObjectEditView] = ObjectEditView,
):
    """The five URLs of the form's record type, with their views built from this declaration: the list
    (and its Excel download, `?export=xlsx`), add, detail, edit and delete; `<app>:<model>_<action>` names them.

    The pages fetch with a record what the table's columns reach through, and `select_related` besides
    (what a record's name on its pages reaches through); "save and add another" carries over what
    `ObjectEditView.kept_on_add_another()` says. `detail_view` and `edit_view` take a subclass only where a
    page shows or asks more than the generic one.
    """
    model = form._meta.model
    if {table._meta.model, filterset._meta.model} != {model}:
        raise ImproperlyConfigured(f"record_urls({prefix!r}): the form, table and filter set are of one record type")
    name = model._meta.model_name
    common = {"model": model, "select_related": (*reached_through(table), *select_related)}
    listing = ObjectListView.as_view(**common, filterset_class=filterset, table_class=table)
    detail = detail_view.as_view(**common, child_tables=child_tables, fields=detail_fields)
    edit = edit_view.as_view(**common, form_class=form, formset_class=formset)
    delete = ObjectDeleteView.as_view(**common)
    return [
        path(f"{prefix}/", listing, name=f"{name}_list"),
        path(f"{prefix}/add/", edit, name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail, name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit, name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete, name=f"{name}_delete"),
    ]
