"""Insert checked records and their history rows: COPY on PostgreSQL, multi-row INSERTs elsewhere.

Kept because it measured 3.6–4.3× as fast as `simple_history.utils.bulk_create_with_history` on
PostgreSQL, the province's database (the threshold is 1.5×): 50,000 visits and their history rows
in the import's chunks of 500 took 12.7 s against 54.6 s, the Python process's CPU 1.9 s against
11.5 s; on SQLite 2.6–5.6× (`bench/importing.py`, docs/benchmarks.md, 2026-12-06). Django's
`bulk_create` compiles every value through several layers and simple-history builds a historical
model instance per row. Here each field's conversion is chosen once per model (only dates, times,
decimals and the like need the backend's conversion, done once per distinct value; numbers, text,
booleans and ids go as they are), the records' new ids come from the sequence (PostgreSQL) or
`RETURNING`, and each history row copies its record's database values. Only for records that have
been through `full_clean()`."""

from __future__ import annotations

import io
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

PLAIN = (models.IntegerField, models.CharField, models.TextField, models.BooleanField, models.ForeignKey)


def _converter(field, connection):
    """The field's conversion to a database value, remembered per distinct value (a chunk's dates and its
    one timestamp repeat), or None where the value goes as it is."""
    if isinstance(field, PLAIN) and not isinstance(field, models.DateField):
        return None
    convert = partial(field.get_db_prep_save, connection=connection)
    seen = {}

    def remembered(value):
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = convert(value)
            return converted
        except TypeError:  # not hashable
            return convert(value)

    return remembered


def _columns(model, connection):
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    return fields, [_converter(field, connection) for field in fields]


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


def _copy(model, rows: list[list], fields, connection, *, with_pk: bool) -> None:
    """COPY the rows into the model's table (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = [quote(field.column) for field in fields]
    if with_pk:
        names.insert(0, quote(model._meta.pk.column))
    data = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({', '.join(names)}) FROM STDIN", data)


def _next_ids(model, count: int, connection) -> list[int]:
    """Take `count` ids from the table's sequence (PostgreSQL), as the inserts would."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _insert(model, rows: list[list], fields, connection) -> list:
    """INSERT the rows (lists of database values) in batches; the new primary keys in order."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    pk = quote(model._meta.pk.column)
    per_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(500, (connection.features.max_query_params or 65535) // len(fields)))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([per_row] * len(part))} RETURNING {pk}"
            cursor.execute(sql, [value for row in part for value in row])
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _values(obj, fields, converters) -> list:
    values = []
    for field, convert in zip(fields, converters):
        value = getattr(obj, field.attname)
        values.append(convert(value) if convert is not None and value is not None else value)
    return values


def create_with_history(model, objs: list, *, user=None, reason: str = "") -> None:
    """Insert new records (auto_now stamps set now) and a "+" history row for each."""
    if not objs:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    postgresql = connection.vendor == "postgresql"
    now = timezone.now()
    for obj in objs:
        obj.created_at = obj.updated_at = now
    fields, converters = _columns(model, connection)
    rows = [_values(obj, fields, converters) for obj in objs]
    if postgresql:  # COPY: several times faster than INSERT; the ids come from the sequence first
        ids = _next_ids(model, len(rows), connection)
        _copy(model, [[pk, *row] for pk, row in zip(ids, rows)], fields, connection, with_pk=True)
    else:
        ids = _insert(model, rows, fields, connection)
        # SQLite documents no order for the ids a multi-row INSERT returns: match them through the references.
        by_reference = {
            (agency_id, reference): pk
            for agency_id, reference, pk in model._base_manager.filter(pk__in=ids).values_list(
                "agency_id", "reference", "pk"
            )
        }
        ids = [by_reference[(obj.agency_id, obj.reference)] for obj in objs]
    for obj, pk in zip(objs, ids):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    history = model.history.model
    history_fields = [field for field in history._meta.concrete_fields if not field.primary_key]
    # A history row is its record's database values (the record's id among them) and the change's stamp.
    stamp = {
        "history_date": history._meta.get_field("history_date").get_db_prep_save(now, connection=connection),
        "history_change_reason": reason or None,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    position = {field.attname: index for index, field in enumerate(fields)}
    sources = [
        ("stamp", stamp[field.attname])
        if field.attname in stamp
        else ("id", None)
        if field.attname == model._meta.pk.attname
        else ("column", position[field.attname])
        for field in history_fields
    ]
    history_rows = [
        [value if source == "stamp" else pk if source == "id" else row[value] for source, value in sources]
        for pk, row in zip(ids, rows)
    ]
    if postgresql:
        _copy(history, history_rows, history_fields, connection, with_pk=False)
    else:
        _insert(history, history_rows, history_fields, connection)
