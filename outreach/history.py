"""A record's change history, as users read it: who, when, which fields, old and new values."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

HIDDEN_FIELDS = {"version", "updated_at", "updated_by", "created_at", "created_by"}


def _display(model, field_name, value):
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return value
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        return f"#{value}"
    return value


def history_entries(record) -> list[dict]:
    """Newest first; each entry lists the fields that changed from the version before it."""
    model = type(record)
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous = [], None
    for version in versions:
        changes = []
        if previous is not None:
            delta = version.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
            for change in delta.changes:
                if change.field in ("deleted_at", "deleted_by"):
                    continue
                label = model._meta.get_field(change.field).verbose_name
                changes.append(
                    {
                        "field": label,
                        "old": _display(model, change.field, change.old),
                        "new": _display(model, change.field, change.new),
                    }
                )
        entries.append({"version": version, "changes": changes, "event": _event(version, previous)})
        previous = version
    entries.reverse()
    return entries


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
