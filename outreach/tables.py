"""Base table of field-work lists (django-tables2): sortable columns, a totals row, an actions column."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from outreach import numbers


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
        """The total as a count: "11,013" (hours with one decimal)."""
        total = (getattr(table, "totals", None) or {}).get(bound_column.name)
        return "" if total is None else numbers.count(total)


class MoneyColumn(SumColumn):
    def render(self, value):
        return f"{value:,.2f}"

    def render_footer(self, bound_column, table):
        """The total in 元/万元/亿元 (`outreach.numbers.money`), the exact yuan in its title; the download keeps
        the raw number."""
        total = (getattr(table, "totals", None) or {}).get(bound_column.name)
        if total is None:
            return ""
        shown = numbers.money(total)
        return format_html('<span title="{}">{}</span>', shown.exact, str(shown))


def date_column(verbose_name):
    """A date column: 2024-03-31 on the page."""
    return tables.DateColumn(verbose_name=verbose_name, format="Y-m-d")


class RecordTable(tables.Table):
    """Base of every field-work list. `totals` (name → sum) is set by the list view."""

    id = tables.Column(linkify=True, verbose_name=_("No."), attrs={"td": {"class": "text-muted"}})
    agency = tables.Column(verbose_name=_("agency"), accessor="agency__short_name", order_by=("agency__code",))

    class Meta:
        # The columns are those declared, in their order (no column is generated from the model).
        fields = ("id", "agency")
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
        return sum_columns(cls)


class SpanTable(RecordTable):
    """Base of the lists of standing things (`Span`): their own columns, then when they began and ended."""

    start_date = date_column(_("start date"))
    end_date = date_column(_("end date"))

    class Meta(RecordTable.Meta):
        sequence = ("...", "start_date", "end_date")


def sum_columns(table_class) -> list[str]:
    """The names of a table's summed columns."""
    return [name for name, column in table_class.base_columns.items() if isinstance(column, SumColumn)]


class ChildTable:
    """Mixin of a table shown on its parent's detail page, without the columns the parent shows already.

    `select_related` names what the remaining columns reach through, fetched with the rows. Every
    row is on the page, so with `row_totals` the footers add up the rows themselves (no query).
    """

    select_related: tuple[str, ...] = ()
    #: columns that would repeat the parent (the agency always does)
    parent_columns: tuple[str, ...] = ()
    row_totals = False

    def __init__(self, *args, **kwargs):
        kwargs["exclude"] = (*(kwargs.get("exclude") or ()), "agency", *self.parent_columns)
        super().__init__(*args, **kwargs)

    @property
    def totals(self):
        # The footer is drawn after the rows, so this reads the rows already fetched.
        rows = list(self.data) if self.row_totals else []
        return {name: sum(getattr(row, name) for row in rows) for name in sum_columns(type(self))} if rows else {}

    @totals.setter
    def totals(self, value):
        """RecordTable's totals come from the list view's aggregate; a child table's from its rows."""


def child_table(table, *, parent_columns=(), select_related=(), row_totals=False, empty_text=None):
    """`table` as shown on the parent's detail page (see ChildTable)."""
    # django-tables2 reads Meta from the class itself, so the child carries its own copy.
    meta = type("Meta", (table.Meta,), {} if empty_text is None else {"empty_text": empty_text})
    attrs = {
        "Meta": meta,
        "__module__": table.__module__,
        "parent_columns": tuple(parent_columns),
        "select_related": tuple(select_related),
        "row_totals": row_totals,
    }
    return type(table)(f"Child{table.__name__}", (ChildTable, table), attrs)


def yes_no(value):
    return mark_safe('<i class="bi bi-check-lg text-success"></i>') if value else ""
