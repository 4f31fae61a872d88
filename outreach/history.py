"""A record's change history, as users read it: who, when, which fields, old and new values."""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

HIDDEN_FIELDS = {"version", "updated_at", "updated_by", "created_at", "created_by", "deleted_at", "deleted_by"}


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def history_entries(record) -> list[dict]:
    """Newest first; each entry lists the fields that changed from the version before it.

    Related objects are shown by name: their ids are collected first and fetched
    with one query per related model, whatever the length of the history.
    """
    model = type(record)
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous, wanted = [], None, defaultdict(set)
    for version in versions:
        changes = []
        if previous is not None:
            delta = version.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
            for change in delta.changes:
                field = _field(model, change.field)
                if field is None:
                    continue
                if field.is_relation:
                    wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
                changes.append({"field": field, "old": change.old, "new": change.new})
        entries.append({"version": version, "changes": changes, "event": _event(version, previous)})
        previous = version
    names = {
        related: {obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }
    for entry in entries:
        entry["changes"] = [
            {
                "field": change["field"].verbose_name,
                "old": _display(change["field"], change["old"], names),
                "new": _display(change["field"], change["new"], names),
            }
            for change in entry["changes"]
        ]
    entries.reverse()
    return entries


def _display(field, value, names):
    if value is None:
        return None
    if field.is_relation:
        return names.get(field.related_model, {}).get(value, f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _event(version, previous):
    if version.history_type == "+":
        return _("Created")
    if version.history_type == "-":
        return _("Removed")
    if previous is not None and previous.deleted_at is None and version.deleted_at is not None:
        return _("Deleted")
    if previous is not None and previous.deleted_at is not None and version.deleted_at is None:
        return _("Restored")
    return _("Changed")
