"""What an import workbook holds: one sheet per record type, its columns read and written one way.

Each app lists its sheets in its `imports.py` (`SHEETS = [RecordSheet(Model, Form), ...]`, parents
before the records that point at them). A sheet's columns are its form's fields, titled with the
model's verbose names (the labels clerks see on the form), after two of its own:

* 编号 / reference: identifies the record, so a re-imported row updates it instead of adding a copy;
* 单位代码 / agency code: optional on an agency's own upload (it must then be that agency's),
  required when a workbook carries several agencies (`export_records`, `import_records` without
  `--agency`).

How a column reads a cell (`Column.read`) follows from its model field (`Column.kind`): text, whole number, amount
(元, 万元, 亿元), decimal, date, yes/no, one of the field's choices, a directory object of the
form's choices by its name (`lookup`), or another record of the workbook by its reference (`parent`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from outreach.importing import cells

REFERENCE = "reference"
AGENCY = "agency"

# Column kinds
TEXT, INT, MONEY, DECIMAL, DATE, BOOL, CHOICE, LOOKUP, PARENT = (
    "text",
    "int",
    "money",
    "decimal",
    "date",
    "bool",
    "choice",
    "lookup",
    "parent",
)

KIND_HINTS = {
    TEXT: _("text"),
    INT: _("whole number"),
    MONEY: _("amount in yuan; 万 and 亿 may be used (1.5万)"),
    DECIMAL: _("number"),
    DATE: _("date (2014-07-03, 2014/7/3, 2014.7.3 or 2014年7月3日)"),
    BOOL: _("是 or 否"),
    CHOICE: _("one of the list"),
    LOOKUP: _("one of the list"),
    PARENT: _("the reference of a row of sheet “%(sheet)s”"),
}


@dataclass(frozen=True)
class Column:
    name: str  # the model field (or REFERENCE / AGENCY)
    title: object  # lazy header text
    kind: str
    required: bool
    model_field: models.Field | None = None
    help: object = ""
    #: how an empty cell is filled (`RecordSheet.filled`): the template shows the column as optional
    filled: object = ""

    @property
    def must_fill(self) -> bool:
        """The template's word on the cell: required, unless the import fills it as the form does."""
        return self.required and not self.filled

    @property
    def attname(self) -> str:
        return self.model_field.attname if self.model_field is not None else self.name

    @cached_property
    def choices(self) -> cells.ChoiceReader | None:
        if self.kind != CHOICE:
            return None
        return cells.ChoiceReader(self.model_field.choices)

    def read(self, value, *, epoch):
        """The cell's value as the field takes it (`epoch`: the workbook's date system); CellError if it cannot be."""
        kind = self.kind
        if kind in (TEXT, LOOKUP, PARENT):
            return cells.read_text(value)
        if kind == INT:
            return cells.read_int(value)
        if kind == MONEY:
            return cells.read_money(value)
        if kind == DECIMAL:
            return cells.read_decimal(value, self.model_field.decimal_places)
        if kind == DATE:
            return cells.read_date(value, epoch=epoch)
        if kind == BOOL:
            return cells.read_bool(value)
        if kind == CHOICE:
            return self.choices(value)
        raise AssertionError(kind)


@dataclass
class RecordSheet:
    """One record type as a workbook sheet."""

    model: type
    form: type
    #: example row values by field (shown on the template's example sheet)
    example: dict = field(default_factory=dict)
    #: model fields the form does not show but a row must carry (an outcome's visit: on the web it is entered on the visit's form)
    extra: tuple[str, ...] = ()
    #: lookup columns that, left empty, take the one choice the form offers the agency (as the form preselects it)
    sole_choice: tuple[str, ...] = ()
    #: fills the empty cells the form would fill from the row's other values (`values`: field -> value read)
    fill: object = None
    #: (column, code of a model error on it) -> the other column the error is about, which its message names
    see_also: dict = field(default_factory=dict)
    #: column -> how the import fills it when left empty (by `sole_choice` or `fill`), told in the template
    filled: dict = field(default_factory=dict)
    #: column -> what the template says of it, instead of its model field's help text
    help: dict = field(default_factory=dict)
    #: what the template's instructions say of the sheet besides "one record per row" (how its rows
    #: relate to another sheet's, where a record's form takes both on one page)
    note: object = ""

    @property
    def title(self):
        """The sheet's name: the record type's plural name."""
        return self.model._meta.verbose_name_plural

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @cached_property
    def columns(self) -> list[Column]:
        meta = self.model._meta
        columns = [
            Column(
                REFERENCE,
                _("reference"),
                TEXT,
                True,
                meta.get_field(REFERENCE),
                _(
                    "Your own number for the row, unique in this sheet (e.g. 2014-001); importing a row "
                    "with the same reference again updates that record"
                ),
            ),
            Column(AGENCY, _("agency code"), TEXT, False, None, _("May stay empty: the agency you import for")),
        ]
        for name in (*self.extra, *self.form._meta.fields):
            model_field = meta.get_field(name)
            columns.append(
                Column(
                    name,
                    model_field.verbose_name,
                    kind_of(model_field),
                    is_required(model_field),
                    model_field,
                    self.help.get(name, model_field.help_text),
                    self.filled.get(name, ""),
                )
            )
        return columns

    @cached_property
    def parents(self) -> dict[str, type]:
        """Columns that name another record of the workbook, by field name."""
        return {column.name: column.model_field.related_model for column in self.columns if column.kind == PARENT}

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def kind_of(model_field: models.Field) -> str:
    from outreach.models import AgencyRecord

    if model_field.is_relation:
        return PARENT if issubclass(model_field.related_model, AgencyRecord) else LOOKUP
    if model_field.choices:
        return CHOICE
    if isinstance(model_field, models.BooleanField):
        return BOOL
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.DecimalField):
        return MONEY if model_field.decimal_places == 2 else DECIMAL
    if isinstance(model_field, (models.IntegerField,)):
        return INT
    return TEXT


def is_required(model_field: models.Field) -> bool:
    """A cell that must be filled: the field may not be blank and has no default to fall back on."""
    return not model_field.blank and not model_field.has_default() and not isinstance(model_field, models.BooleanField)


_registry: list[RecordSheet] | None = None


def record_sheets() -> list[RecordSheet]:
    """Every importable record type, parents first (apps in INSTALLED_APPS order, each app's list in its order)."""
    global _registry
    if _registry is None:
        autodiscover_modules("imports")
        sheets = []
        for config in apps.get_app_configs():
            module = getattr(config.module, "imports", None)
            sheets.extend(getattr(module, "SHEETS", ()))
        _registry = sheets
    return _registry


def sheet_for(model) -> RecordSheet:
    for sheet in record_sheets():
        if sheet.model is model:
            return sheet
    raise KeyError(model)
