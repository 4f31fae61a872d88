"""`{% records_export_card %}`: the imports page's card that starts a records export (outreach.importing.records_export)."""

from django import template

from outreach.importing.records_export import records_export_form

register = template.Library()


@register.inclusion_tag("outreach/imports/export_card.html", takes_context=True)
def records_export_card(context):
    return {"form": records_export_form(context["request"]), "csrf_token": context.get("csrf_token")}
