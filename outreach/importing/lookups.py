"""How a directory object is named in a cell, read back and written out the same way.

A lookup column's choices are its form field's queryset (the form's own scoping: only
department-level officials lead a contact point, only poor villages of the target cities
hold one, ...), narrowed to the agency imported for. An object is named by its name
(an official, a Party organisation) or its full name (a region; its code is read too).
Two officials of one agency with the same name are told apart by their job title, then
by their number.
"""

from __future__ import annotations

from collections import Counter

from outreach.importing.cells import match_key
from outreach.models import Official, Region


def base_label(obj) -> str:
    if isinstance(obj, Region):
        return obj.full_name
    name = getattr(obj, "name", None)
    return name if name else str(obj)


def choices_of(form, column, agency_id):
    """The objects a column may name for an agency: the form field's queryset, narrowed to the agency."""
    queryset = form.fields[column.name].queryset
    model = queryset.model
    try:
        agency_field = model._meta.get_field("agency")
    except Exception:
        agency_field = None
    if agency_field is not None and agency_id is not None:
        if agency_field.null:
            from django.db.models import Q

            queryset = queryset.filter(Q(agency_id=agency_id) | Q(agency__isnull=True))
        else:
            queryset = queryset.filter(agency_id=agency_id)
    if model is Official:
        queryset = queryset.only("pk", "name", "title", "agency_id", "rank", "position", "is_active")
    return queryset


class LookupTable:
    """Objects by every way a cell may name them, and each object's one written label."""

    def __init__(self, objects):
        objects = list(objects)
        self.sole = objects[0] if len(objects) == 1 else None  # the one choice, when there is only one
        counts = Counter(base_label(obj) for obj in objects)
        self.labels: dict[int, str] = {}
        titled = Counter(
            f"{base_label(obj)}（{obj.title}）"
            for obj in objects
            if counts[base_label(obj)] > 1 and getattr(obj, "title", "")
        )
        for obj in objects:
            label = base_label(obj)
            if counts[label] > 1:
                title = getattr(obj, "title", "")
                with_title = f"{label}（{title}）"
                label = with_title if title and titled[with_title] == 1 else f"{label}（{obj.pk}）"
            self.labels[obj.pk] = label
        self.by_key: dict[str, object] = {}
        for obj in objects:
            self.by_key[match_key(self.labels[obj.pk])] = obj
            code = getattr(obj, "code", None) if isinstance(obj, Region) else None
            if code:
                self.by_key.setdefault(match_key(code), obj)
        self.ambiguous = {match_key(label) for label, n in counts.items() if n > 1}

    def find(self, text: str):
        return self.by_key.get(match_key(text))

    def label(self, obj) -> str:
        return self.labels.get(obj.pk) or base_label(obj)

    def options(self) -> list[str]:
        return sorted(self.labels.values())
