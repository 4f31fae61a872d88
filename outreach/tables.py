"""Base table of field-work lists (django-tables2): sortable columns, a totals row, an actions column."""

import django_tables2 as tables
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class SumColumn(tables.Column):
    """A numeric column whose footer shows the total over every filtered row, not just the page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "attrs",
            {"td": {"class": "text-end num"}, "th": {"class": "text-end"}, "tf": {"class": "text-end num fw-semibold"}},
        )
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value:,}"

    def value(self, value):
        return value

    def render_footer(self, bound_column, table):
        total = (getattr(table, "totals", None) or {}).get(bound_column.name)
        return "" if total is None else f"{total:,}"


class MoneyColumn(SumColumn):
    def render(self, value):
        return f"{value:,.2f}"

    def render_footer(self, bound_column, table):
        total = (getattr(table, "totals", None) or {}).get(bound_column.name)
        return "" if total is None else f"{total:,.2f}"


class RecordTable(tables.Table):
    """Base of every field-work list. `totals` (name → sum) is set by the list view."""

    id = tables.Column(linkify=True, verbose_name=_("No."), attrs={"td": {"class": "text-muted"}})
    agency = tables.Column(verbose_name=_("agency"), accessor="agency__short_name", order_by=("agency__code",))

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle record-table"}
        template_name = "django_tables2/bootstrap5.html"
        per_page = 50

    def __init__(self, *args, totals=None, show_agency=True, **kwargs):
        if not show_agency:
            kwargs.setdefault("exclude", ())
            kwargs["exclude"] = tuple(kwargs["exclude"]) + ("agency",)
        super().__init__(*args, **kwargs)
        self.totals = totals or {}

    @classmethod
    def sum_fields(cls) -> list[str]:
        return [name for name, column in cls.base_columns.items() if isinstance(column, SumColumn)]


def yes_no(value):
    return mark_safe('<i class="bi bi-check-lg text-success"></i>') if value else ""
