"""`manage.py yearend`: the same JSON and workbook as the views; bad arguments leave no file behind."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.forms import MSG_BAD_AS_OF, MSG_BAD_YEAR, MSG_UNKNOWN_AGENCY, MSG_UNKNOWN_CITY
from tests.reports.data import build
from tests.reports.test_workbook import summary

pytestmark = pytest.mark.django_db

#: every record entered counts here (the records are in no monthly return): the basis per role is test_basis.py's
PARAMS = {"year": 2014, "as_of": "2014-07-31", "basis": "all"}


def yearend(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("yearend", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue()


def test_json_file_and_stdout_equal_the_json_view(cast, agency_a, agency_b, tmp_path):
    build([agency_a, agency_b], 2)
    for scope in ({}, {"agency": agency_b.code}):
        expected = cast["officer"].get(reverse("reports:year_end_json"), {**PARAMS, **scope}).json()
        target = tmp_path / "figures.json"
        yearend(year="2014", as_of="2014-07-31", basis="all", format="json", output=str(target), **scope)
        assert json.loads(target.read_text(encoding="utf-8")) == expected
        assert json.loads(yearend(year="2014", as_of="2014-07-31", basis="all", output="-", **scope)) == expected
    assert expected["agency"] == agency_b.code and expected["figures"]["cp.points"] == 2


def test_workbook_file_equals_the_views_workbook(cast, agency_a, agency_b, tmp_path):
    build([agency_a, agency_b], 2)
    target = tmp_path / "year-end.xlsx"
    yearend(year="2014", as_of="2014-07-31", basis="all", agency=agency_a.code, format="xlsx", output=str(target))
    response = cast["officer"].get(reverse("reports:year_end_xlsx"), {**PARAMS, "agency": agency_a.code})
    from_view = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    from_command = openpyxl.load_workbook(target, read_only=True)
    assert summary(from_command) == summary(from_view)
    assert summary(from_command)["cp.points"] == 2
    assert from_command.sheetnames == from_view.sheetnames
    for name in from_view.sheetnames:
        assert list(from_command[name].iter_rows(values_only=True)) == list(from_view[name].iter_rows(values_only=True))
    assert [p.name for p in tmp_path.iterdir()] == ["year-end.xlsx"]  # no temporary file left beside it


@pytest.mark.parametrize(
    "options, message",
    [
        ({"year": "20x4"}, MSG_BAD_YEAR),
        ({"year": "1999"}, MSG_BAD_YEAR),
        ({"year": "2014", "as_of": "2015-01-01"}, MSG_BAD_AS_OF),
        ({"year": "2014", "as_of": "31/07/2014"}, MSG_BAD_AS_OF),
        ({"year": "2014", "agency": "NOPE"}, MSG_UNKNOWN_AGENCY),
        ({"year": "2014", "city": "NOPE"}, MSG_UNKNOWN_CITY),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_bad_arguments_are_refused_with_the_message_and_no_file(tmp_path, options, message, fmt):
    target = tmp_path / f"out.{fmt}"
    with pytest.raises(CommandError) as refused:
        yearend(format=fmt, output=str(target), **options)
    assert str(message) in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_is_not_written_to_stdout_nor_an_unknown_format(tmp_path):
    with pytest.raises(CommandError, match="--output"):
        yearend(year="2014", format="xlsx", output="-")
    with pytest.raises(CommandError, match=r"json .* xlsx"):
        yearend(year="2014", format="csv", output=str(tmp_path / "out.csv"))
    with pytest.raises(CommandError, match="no-such-folder"):
        yearend(year="2014", output=str(tmp_path / "no-such-folder" / "out.json"))
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_the_old_file_and_no_partial_one(agency_a, tmp_path, monkeypatch):
    target = tmp_path / "year-end.xlsx"
    target.write_bytes(b"last week's workbook")

    def broken(handle, scope, **kwargs):
        handle.write(b"PK half a workbook")
        raise RuntimeError("the database went away")

    monkeypatch.setattr("reports.management.commands.yearend.write_workbook", broken)
    with pytest.raises(RuntimeError):
        yearend(year="2014", format="xlsx", output=str(target))
    assert target.read_bytes() == b"last week's workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["year-end.xlsx"]


def test_as_of_defaults_to_the_year_end(agency_a, tmp_path):
    build([agency_a], 1)
    target = tmp_path / "figures.json"
    yearend(year="2014", basis="all", output=str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["as_of"] == "2014-12-31" and data["figures"]["cp.points"] == 1
