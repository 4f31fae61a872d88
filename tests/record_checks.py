"""Checks every record list must pass, shared by the pairings and visits suites.

A spec (see tests/pairings/specs.py) says how to make a record type's rows and filters.
"""

from outreach.tables import SumColumn
from tests.pairings.specs import export_rows


def listed(response) -> list:
    return [row.record for row in response.context["table"].page.object_list]


def check_totals_over_every_filtered_row(client, agency, spec, *, vary) -> None:
    """The totals row sums all 53 filtered rows (not the 50 on the page), and the export has them all."""
    parent = spec.make_parent(agency)
    inside = [spec.make(agency, parent, **spec.inside()) for _ in range(53)]
    for record in inside[:10]:  # vary the numbers, so a total is not a multiple of one row's
        for name in vary:
            setattr(record, name, getattr(record, name) + 1)
        record.save()
    spec.make(agency, parent, **spec.outside())

    page = client.get(spec.url("list"), spec.filter_params)
    table = page.context["table"]
    assert len(table.page.object_list) == 50 and table.paginator.count == 53
    expected = {name: sum(getattr(record, name) for record in inside) for name in spec.sums}
    assert table.totals == expected
    footer = page.content.decode()
    for name in spec.sums:
        column = table.columns[name].column
        assert isinstance(column, SumColumn)
        assert f">{column.render_footer(table.columns[name], table)}<" in footer
    assert len(export_rows(client.get(spec.url("list"), {**spec.filter_params, "export": "xlsx"}))) == 53


def check_every_sortable_column_sorts(officer_client, agency_a, agency_b, spec) -> None:
    records = [spec.make(agency_a), spec.make(agency_b)]
    table = officer_client.get(spec.url("list")).context["table"]
    columns = [column.name for column in table.columns if column.orderable]
    assert len(columns) >= 4
    for name in columns:
        page = officer_client.get(spec.url("list"), {"sort": f"-{name}"})
        assert page.status_code == 200, name
        assert sorted(r.pk for r in listed(page)) == sorted(r.pk for r in records), name
    ids = [r.pk for r in listed(officer_client.get(spec.url("list"), {"sort": "-id"}))]
    assert ids == sorted(ids, reverse=True)
