"""GET /reports/dashboard/: the work dashboard (officers: the province; staff: their agency).

Headline cards with the change against the same date last year, charts of monthly activity, of
figures per city and of agencies ranked by compliance; every card, bar and table cell links to the
list of records behind it (`reports.drilldown`). Chart data goes to static/js/dashboard.js through
`json_script`; each chart has a plain table beside it, which is what the tests read.
"""

from dataclasses import replace
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from reports import drilldown, numbers
from reports.catalogue import BY_CODE, COUNT, MONEY
from reports.dashboard import CITY_CODES, MONTHLY_SERIES, Dashboard, dashboard
from reports.numbers import Scale
from reports.views.year_end import ReportScopeMixin

MINUS = "\u2212"
#: the compliance chart shows the best and the worst this many agencies; the table lists all
CHART_AGENCIES = 10

SCORE_HELP = _(
    "Compliance score: the mean of three shares, each from 0 to 100. “1+2”: 100 when the agency's Party "
    "committee is paired with both an urban community and a poor village Party organisation, otherwise 0. "
    "“Five ones”: the share of the agency's pairings that held all five ones this year. Visit minimums: the "
    "share of its officials under a yearly minimum who met it. A share with nothing to count (no pairing, "
    "nobody under a minimum) counts as 0. Agencies without records are listed last, with zeros."
)


def value_text(code: str, value, scale: Scale | None = None) -> tuple[str, str]:
    """(the figure as shown, its unit) by `reports.numbers`' rule: amounts in 元/万元/亿元 (in `scale` when
    given), counts with thousands separators."""
    shown = numbers.figure(code, value, scale)
    return shown.text, shown.unit


def change_text(code: str, change, scale: Scale | None = None) -> str:
    """ "+1,234", "−56", "±0"; an amount's change with its unit ("+32.69 万元")."""
    if change is None:
        return "—"
    if not change:
        return "±0"
    text, unit = value_text(code, abs(change), scale)
    sign = "+" if change > 0 else MINUS
    return f"{sign}{text}" + (f" {unit}" if BY_CODE[code].kind == MONEY else "")


def percent_text(percent) -> str:
    if percent is None:
        return "—"
    sign = "+" if percent > 0 else (MINUS if percent < 0 else "±")
    return f"{sign}{numbers.percent(abs(percent))}"


def cell(key: str, value, text: str, url: str | None) -> dict:
    return {"key": key, "value": value, "text": text, "url": url}


def _plain(value):
    """A chart's number: amounts and hours as floats (JSON has no decimals), counts as they are."""
    return float(value) if isinstance(value, Decimal) else value


def chart_of(table: dict) -> dict:
    """A chart table as Chart.js data: one dataset a column, one bar a row, each with its URL."""
    return {
        "labels": [str(row["label"]) for row in table["rows"]],
        "datasets": [
            {
                "key": column["key"],
                "label": str(column["label"]),
                "stack": column["stack"],
                "kind": column.get("kind", COUNT),
                "data": [_plain(row["cells"][i]["value"]) for row in table["rows"]],
                "urls": [row["cells"][i]["url"] for row in table["rows"]],
            }
            for i, column in enumerate(table["columns"])
        ],
    }


def styled(form):
    """Bootstrap's small inputs for the filter bar; the long agency list is searchable."""
    for name, field in form.fields.items():
        is_select = isinstance(field, forms.ChoiceField)
        field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"
        if name in form.errors:
            field.widget.attrs["class"] += " is-invalid"
    if "agency" in form.fields:
        form.fields["agency"].widget.attrs["data-searchable"] = "1"
    return form


class DashboardView(ReportScopeMixin, TemplateView):
    template_name = "reports/dashboard.html"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if self.report_scope is not None else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.report_scope
        context.update(form=styled(self.form), scope=scope, score_help=SCORE_HELP)
        if scope is None:
            return context
        shown = self.form.data.copy()  # the filter bar shows the year and date the figures are for
        shown["year"], shown["as_of"] = scope.year, scope.as_of.isoformat()
        self.form.data = shown
        data = dashboard(scope)
        ranking = self.ranking(data)
        tables = [self.monthly(data), self.cities(data)]
        context.update(
            cards=self.cards(data),
            charts=tables,
            monthly=tables[0],
            cities=tables[1],
            ranking=ranking,
            year_end_url=f"{reverse('reports:year_end')}?{urlencode(scope.query())}",
            chart_data={
                **{table["key"]: chart_of(table) for table in tables},
                "compliance": self.compliance_charts(ranking),
                "text": {
                    "score": str(_("Compliance score")),
                    "units": {"yuan": str(numbers.YUAN.unit), "wan": str(numbers.WAN.unit), "yi": str(numbers.YI.unit)},
                },
            },
        )
        return context

    # --- the parts of the page, ready to draw --------------------------------------------------

    def cards(self, data: Dashboard) -> list[dict]:
        cards = []
        for card in data.cards:
            code = card.indicator.code
            # this year, last year and the change read in one unit (the larger figure's)
            scale = numbers.scale_of(code, card.value, card.last_year)
            value, unit = value_text(code, card.value, scale)
            last, last_unit = value_text(code, card.last_year, scale)
            item = {
                "code": code,
                "label": card.indicator.label,
                "value": value,
                "unit": unit,
                "exact": numbers.figure(code, card.value).exact,
                "last_year": last,
                "last_year_unit": last_unit,
                "last_year_exact": numbers.figure(code, card.last_year).exact,
                "change": change_text(code, card.change, scale),
                "change_percent": percent_text(card.change_percent),
                "trend": "flat" if not card.change else ("up" if card.change > 0 else "down"),
                "url": drilldown.records_url(code, data.scope),
            }
            if card.out_of is not None:
                indicator, due, _last_due = card.out_of
                item["out_of"] = {
                    "label": indicator.label,
                    "value": numbers.count(due),
                    "unit": indicator.unit,
                    "share": numbers.percent(Decimal(100) * card.value / due if due else None),
                }
            cards.append(item)
        return cards

    def monthly(self, data: Dashboard) -> dict:
        scope = data.scope
        rows = []
        for i, month in enumerate(data.months):
            cells = []
            for series in MONTHLY_SERIES:
                city = scope.city if series.city_path else None
                url = drilldown.target_url(series.target, month, agency=scope.agency, city=city, basis=scope.basis)
                cells.append(
                    cell(series.key, data.monthly[series.key][i], numbers.count(data.monthly[series.key][i]), url)
                )
            rows.append({"label": month.start.strftime("%Y-%m"), "cells": cells})
        note = _("Records dated in each month. Click a bar to open its records.")
        if scope.city is not None:
            note = f"{note} {_('Service activities have no city: they are counted for every city.')}"
        return {
            "key": "monthly",
            "title": _("Activity per month, %(year)s") % {"year": scope.year},
            "width": "col-xl-7",
            "heading": _("Month"),
            "note": note,
            "rows": rows,
            "columns": [{"key": series.key, "label": series.label, "stack": series.stack} for series in MONTHLY_SERIES],
        }

    def cities(self, data: Dashboard) -> dict:
        scope = data.scope
        rows = []
        for row in data.cities:
            rows.append(
                {
                    "label": row.unit.name if row.unit is not None else _("No city"),
                    "cells": [
                        cell(
                            code,
                            row.figures[code],
                            value_text(code, row.figures[code])[0],
                            None if row.unit is None else drilldown.records_url(code, replace(scope, city=row.unit)),
                        )
                        for code in CITY_CODES
                    ],
                }
            )
        return {
            "key": "cities",
            "title": _("By city"),
            "width": "col-xl-5",
            "heading": _("City"),
            "rows": rows,
            "note": _(
                "Contact points by their village's city, joint activities by the partner's city, "
                "visits by the place visited."
            ),
            "columns": [
                {"key": code, "label": BY_CODE[code].label, "stack": code, "kind": BY_CODE[code].kind}
                for code in CITY_CODES
            ],
        }

    def ranking(self, data: Dashboard) -> list[dict]:
        scope = data.scope
        rows = []
        for rank, row in enumerate(data.compliance, start=1):
            one = replace(scope, agency=row.agency)
            rows.append(
                {
                    "rank": rank,
                    "agency": row.agency,
                    "row": row,
                    "one_plus_two_url": drilldown.records_url("pair.one_plus_two", one),
                    "five_ones_url": drilldown.records_url("pair.five_ones_done", one),
                    "minimums_url": drilldown.records_url("visit.minimum_met", one),
                }
            )
        return rows

    def compliance_charts(self, ranking: list[dict]) -> list[dict]:
        """One chart of every agency, or, with many, one of the best and one of the worst."""
        if len(ranking) > 2 * CHART_AGENCIES:
            parts = [
                (_("Highest compliance"), ranking[:CHART_AGENCIES]),
                (_("Lowest compliance"), ranking[-CHART_AGENCIES:]),
            ]
        else:
            parts = [(_("Compliance by agency"), ranking)]
        components = (
            ("one_plus_two", _("“1+2” pairing"), "one_plus_two_share", "one_plus_two_url"),
            ("five_ones", _("“Five ones”"), "five_ones_share", "five_ones_url"),
            ("minimums", _("Visit minimums"), "minimums_share", "minimums_url"),
        )
        charts = []
        for title, rows in parts:
            charts.append(
                {
                    "title": str(title),
                    "height": 60 + 30 * max(len(rows), 3),
                    "labels": [f"{r['rank']}. {r['agency'].short_name or r['agency'].name}" for r in rows],
                    "scores": [float(r["row"].score) for r in rows],
                    "datasets": [
                        {
                            "key": key,
                            "label": str(label),
                            # each part is a third of the score: the stacked bar is as long as the score
                            "data": [round(float(getattr(r["row"], share)) / 3, 2) for r in rows],
                            "shares": [float(getattr(r["row"], share)) for r in rows],
                            "urls": [r[url] for r in rows],
                        }
                        for key, label, share, url in components
                    ],
                }
            )
        return charts
