"""The year-end workbook (/reports/year-end.xlsx): the same numbers as the JSON and the page, scoped
by role, breakdowns, detail sheets with exactly the counted records and no needy person's name,
formats, continuation over the row limit, and a fixed number of queries."""

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from pairings.models import ContactPoint, NeedyPairing, Support
from reports import exports
from reports.forms import MSG_BAD_AS_OF
from reports.indicators import BY_CODE, CATALOGUE, SECTIONS, as_json_value
from tests import factories as f
from tests.reports.data import build
from visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

URL = reverse("reports:year_end_xlsx")
JSON_URL = reverse("reports:year_end_json")
PAGE_URL = reverse("reports:year_end")
#: every record entered counts here (the records are in no monthly return): the basis per role is test_basis.py's
PARAMS = {"year": 2014, "as_of": "2014-07-31", "basis": "all"}
NEEDY_NAME = "孙秀英"


def soft_delete(obj):
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=timezone.now())


def download(client, **params) -> bytes:
    response = client.get(URL, {**PARAMS, **params})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    return b"".join(response.streaming_content)


def open_book(data: bytes, read_only=True):
    return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only)


def summary(book) -> dict:
    """{code: value} from the summary sheet (the first), in its order, read back in the JSON's form
    (a money cell as a two-place string): label, value, unit, and the code last."""
    rows = book.worksheets[0].iter_rows(min_row=3, values_only=True)
    return {row[3]: as_json_value(row[3], row[1]) for row in rows if len(row) > 3 and row[3] in BY_CODE}


def total_label_suffix() -> str:
    with translation.override("zh-hans"):
        return translation.gettext("%(scope)s: the figure itself (not a sum of the rows)") % {"scope": ""}


def breakdown(sheet) -> tuple[list[str], dict, dict | None]:
    """(codes, {unit: {code: value}}, the scope's own row or None) of a breakdown sheet: one header row of
    labels (read back as codes), then per agency its code and name (keyed by the code), per city its name."""
    rows = list(sheet.iter_rows(values_only=True))
    by_label = {str(i.label): i.code for i in CATALOGUE}
    with translation.override("zh-hans"):
        lead = 2 if rows[0][0] == translation.gettext("code") else 1
        labels = list(rows[0][lead:])
        codes = [by_label[label] for label in labels]
    units, total = {}, None
    for row in rows[1:]:
        figures = {code: as_json_value(code, value) for code, value in zip(codes, row[lead:])}
        if str(row[lead - 1]).endswith(total_label_suffix()):
            total = figures
        else:  # the test directory's cities may share a name: the later ones keep theirs apart
            key = row[0] if row[0] not in units else f"{row[0]} #{len(units)}"
            units[key] = figures
    return codes, units, total


def sheet_rows(book, title) -> list[tuple]:
    """The data rows of a detail sheet and its continuations, header excluded."""
    rows = []
    for sheet in book.worksheets:
        if sheet.title == title or sheet.title.startswith(f"{title} ("):
            rows += list(sheet.iter_rows(min_row=2, values_only=True))
    return rows


def detail_sheet_title(model) -> str:
    with translation.override("zh-hans"):
        return str(model._meta.verbose_name_plural)


def build_edges(agency):
    """Records the figures must not count, each beside one that counts, and a named needy person."""
    f.ContactPointFactory(
        agency=agency,
        official=f.OfficialFactory(agency=agency, name="旧点干部"),
        start_date=datetime.date(2013, 1, 1),
        end_date=datetime.date(2013, 12, 31),
    )
    f.VisitFactory(
        agency=agency,
        official=f.OfficialFactory(agency=agency, name="八月干部"),
        start_date=datetime.date(2014, 8, 4),
        end_date=datetime.date(2014, 8, 5),
    )
    soft_delete(f.VisitFactory(agency=agency, official=f.OfficialFactory(agency=agency, name="删除干部")))
    needy = f.NeedyPersonFactory(agency=agency, name=NEEDY_NAME)
    f.NeedyPairingFactory(agency=agency, needy_person=needy, official=f.OfficialFactory(agency=agency))


def officer_json(cast, **params) -> dict:
    return cast["officer"].get(JSON_URL, {**PARAMS, **params}).json()["figures"]


def test_page_json_and_workbook_agree_on_every_code(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    data = officer_json(cast)
    page = cast["officer"].get(PAGE_URL, PARAMS).context["figures"]
    book = summary(open_book(download(cast["officer"])))
    assert list(book) == [i.code for i in CATALOGUE]
    assert book == data
    assert {code: as_json_value(code, value) for code, value in page.items()} == data
    assert book["cp.points"] == 4 and book["pair.funds"] == "400000.00"
    assert book["zero.satisfaction"] == data["zero.satisfaction"] == 99.98


def test_a_rate_without_parts_is_an_empty_cell_and_null(cast, agency_a):
    build([agency_a], 1)
    agency = f.AgencyFactory()
    zero = {
        "survey_responses": 0,
        "survey_satisfied": 0,
        "items_before": 0,
        "items_after": 0,
        "time_limit_before": 0,
        "time_limit_after": 0,
    }
    f.ChannelReturnFactory(agency=agency, **zero)
    data = officer_json(cast, agency=agency.code)
    book = summary(open_book(download(cast["officer"], agency=agency.code)))
    assert data["zero.satisfaction"] is None and data["approval.time_cut_rate"] is None
    assert book == data
    assert book["approval.items_cut_rate"] is None and book["channel.opinions"] == 120


def test_staff_get_their_own_agency_only(cast, agency_a, agency_b):
    build([agency_a], 1)
    build([agency_b], 3)
    data = download(cast["staff_a"])
    book = open_book(data)
    assert summary(book) == officer_json(cast, agency=agency_a.code)
    assert summary(book)["cp.points"] == 1
    _codes, units, total = breakdown(book.worksheets[1])
    assert list(units) == [agency_a.code] and total is None
    assert {row[0] for row in sheet_rows(book, detail_sheet_title(Visit))} == {agency_a.code}
    assert cast["staff_a"].get(URL, {**PARAMS, "agency": agency_a.code}).status_code == 200


def test_staff_asking_for_another_agency_get_a_404_and_anonymous_the_login_page(cast, agency_a, agency_b):
    assert cast["staff_a"].get(URL, {**PARAMS, "agency": agency_b.code}).status_code == 404
    response = cast["anonymous"].get(URL, PARAMS)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_bad_filters_are_a_400_with_the_message(cast):
    response = cast["officer"].get(URL, {"year": 2014, "as_of": "2015-01-01"})
    assert response.status_code == 400
    assert str(MSG_BAD_AS_OF) in response.content.decode()


def test_one_agency_and_one_city_equal_the_json(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    book = open_book(download(cast["officer"], agency=agency_b.code))
    assert summary(book) == officer_json(cast, agency=agency_b.code)
    city = ContactPoint.objects.filter(agency=agency_a).first().village.city
    book = open_book(download(cast["officer"], city=city.code))
    data = officer_json(cast, city=city.code)
    assert summary(book) == data and data["cp.points"] == 1
    _codes, units, _total = breakdown(book.worksheets[2])
    assert list(units) == [city.name]  # a city by its name, not its code


def test_filename_names_the_scope_the_basis_and_the_day_as_a_lists_download(cast, agency_a):
    def filename(client, **params):
        return client.get(URL, {**PARAMS, **params})["Content-Disposition"]

    # 年度统计 · the year · whose figures · the basis (全部录入) · the as-of day, as 走访基层-2014-07-31.xlsx
    province = "年度统计-2014-省-全部录入-2014-07-31.xlsx"
    agency = f"年度统计-2014-{agency_a}-全部录入-2014-07-31.xlsx"
    assert f"filename*=utf-8''{quote(province)}" in filename(cast["officer"])
    assert f"filename*=utf-8''{quote(agency)}" in filename(cast["officer"], agency=agency_a.code)
    assert f"filename*=utf-8''{quote(agency)}" in filename(cast["staff_a"])  # staff: their own agency's


def test_agency_breakdown_has_every_agency_with_zeros_and_the_figure_not_a_sum(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    idle = f.AgencyFactory(code="A999")
    book = open_book(download(cast["officer"]))
    codes, units, total = breakdown(book.worksheets[1])
    assert codes == [i.code for i in CATALOGUE]
    assert set(units) == {agency_a.code, agency_b.code, idle.code}
    for agency in (agency_a, agency_b, idle):
        assert units[agency.code] == officer_json(cast, agency=agency.code), agency.code
    assert units[idle.code]["cp.points"] == 0 and units[idle.code]["pair.funds"] == "0.00"
    assert units[idle.code]["zero.satisfaction"] is None
    assert total == officer_json(cast)  # the province's own figures under the rows, not their sums
    with translation.override("zh-hans"):
        label = translation.gettext("%(scope)s: the figure itself (not a sum of the rows)") % {
            "scope": translation.gettext("Province")
        }
    assert list(book.worksheets[1].iter_rows(values_only=True))[-1][1] == label


def test_city_breakdown_has_only_the_figures_with_a_city(cast, agency_a):
    build([agency_a], 2)
    book = open_book(download(cast["officer"]))
    codes, units, total = breakdown(book.worksheets[2])
    assert codes == [i.code for i in CATALOGUE if i.by_city]
    assert "channel.opinions" not in codes and "cp.points" in codes
    assert sum(row["cp.points"] for row in units.values()) == 2
    assert total == {code: value for code, value in officer_json(cast).items() if code in codes}


def test_detail_sheets_hold_exactly_the_counted_records(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    build_edges(agency_a)
    data = officer_json(cast)
    book = open_book(download(cast["officer"]))
    points = sheet_rows(book, detail_sheet_title(ContactPoint))
    visits = sheet_rows(book, detail_sheet_title(Visit))
    assert len(points) == data["cp.points"] == 4
    assert len(sheet_rows(book, detail_sheet_title(NeedyPairing))) == data["cp.needy_paired"] == 5
    assert len(visits) == Visit.objects.count() - 1 == 4  # not the one after the cut-off (nor the deleted one)
    assert sum(row[11] for row in visits) == data["visit.households"]
    outcomes = sheet_rows(book, detail_sheet_title(VisitOutcome))
    assert len(outcomes) == 4 and sum(row[8] for row in outcomes) == float(Decimal(data["visit.financing"]))
    names = {cell for row in points + visits for cell in row}
    assert not names & {"旧点干部", "八月干部", "删除干部"}


def test_no_needy_persons_name_anywhere_in_the_workbook(cast, agency_a):
    build_edges(agency_a)
    book = open_book(download(cast["officer"]))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert len(book.worksheets) == 3 + len(exports.DETAILS)
    assert not [cell for cell in cells if isinstance(cell, str) and NEEDY_NAME in cell]
    assert any(cell == "低保户" for cell in cells)  # the pairing is there, by its category


def test_headers_are_bold_frozen_and_printed_on_every_page_with_number_formats(cast, agency_a):
    build([agency_a], 1)
    with translation.override("zh-hans"):
        book = open_book(download(cast["officer"]), read_only=False)
        first = book.worksheets[0]
        assert "2014年7月31日" in first["A1"].value and translation.gettext("Province") in first["A1"].value
        headers = [c.value for c in first[2]]
        assert headers == [str(translation.gettext(h)) for h in ("figure", "value", "unit", "code")]
        assert first.freeze_panes == "A3" and first.print_title_rows == "$1:$2"
        assert first["A2"].font.b
        assert first["A3"].value == str(SECTIONS["extensions"])
        rows = {row[3].value: row for row in first.iter_rows(min_row=3) if row[3].value in BY_CODE}
        assert rows["pair.funds"][1].number_format == "#,##0.00" and rows["pair.funds"][1].value == 100000
        assert rows["zero.satisfaction"][1].number_format == '0.00"%"' and rows["zero.satisfaction"][1].value == 99.98
        assert rows["cp.points"][0].value == str(BY_CODE["cp.points"].label)

        visits = book[detail_sheet_title(Visit)]
        assert visits.freeze_panes == "A2" and visits.print_title_rows == "$1:$1" and visits["A1"].font.b
        headers = [c.value for c in visits[1]]
        assert headers[:2] == [str(translation.gettext("agency code")), str(translation.gettext("agency"))]
        assert str(Visit._meta.get_field("households").verbose_name) in headers
        start = headers.index(str(Visit._meta.get_field("start_date").verbose_name))
        assert visits.cell(2, start + 1).number_format == "yyyy-mm-dd"
        assert visits.cell(2, start + 1).value == datetime.datetime(2014, 5, 6)
        assert visits.column_dimensions["J"].width > 10

        support = book[detail_sheet_title(Support)]
        funds = [c.value for c in support[1]].index(str(Support._meta.get_field("funds").verbose_name))
        assert support.cell(2, funds + 1).number_format == "#,##0.00"

        by_agency = book.worksheets[1]
        assert by_agency.freeze_panes == "C2" and by_agency.print_title_rows == "$1:$1"
        assert book.worksheets[2].freeze_panes == "B2"


def test_a_full_sheet_continues_on_the_next_and_no_row_is_lost(cast, agency_a, monkeypatch):
    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 5)  # a header and 4 rows a sheet
    for day in range(1, 10):
        f.VisitFactory(
            agency=agency_a,
            start_date=datetime.date(2014, 3, day),
            end_date=datetime.date(2014, 3, day),
            households=day,
        )
    book = open_book(download(cast["officer"]))
    title = detail_sheet_title(Visit)
    parts = [sheet for sheet in book.worksheets if sheet.title.startswith(title)]
    assert [sheet.title for sheet in parts] == [title, f"{title} (2)", f"{title} (3)"]
    assert [len(list(sheet.iter_rows(min_row=2))) for sheet in parts] == [4, 4, 1]
    assert len({next(sheet.iter_rows(max_row=1, values_only=True)) for sheet in parts}) == 1  # the same header
    households = sorted(row[11] for row in sheet_rows(book, title))
    assert households == list(range(1, 10))


# Session, user with profile (2); the figures (15 queries of the 14 sources), per agency (15) and the
# agencies (1), per city (the 8 sources with a city) and the cities (1); one query per detail sheet
# (13); the session saved (3: the year and as-of date asked for kept).
WORKBOOK_QUERIES = 2 + 15 + 16 + 9 + len(exports.DETAILS) + 3


@pytest.mark.parametrize("scale", [1, 4])
def test_query_count_is_fixed(cast, agency_a, agency_b, django_assert_num_queries, scale):
    build([agency_a, agency_b, f.AgencyFactory()], scale)
    with django_assert_num_queries(WORKBOOK_QUERIES):
        response = cast["officer"].get(URL, PARAMS)
        data = b"".join(response.streaming_content)
    assert summary(open_book(data))["cp.points"] == 3 * scale


def test_in_chinese_the_workbook_reads_without_english_or_codes(cast, agency_a, agency_b):
    """Item 1 of issue 16: the summary's title, headers and labels are Chinese, its codes only in the last
    column; the breakdowns are headed by labels (no row of codes) and a city is its name, not its code."""
    build([agency_a, agency_b], 2)
    book = open_book(download(cast["officer"]))
    first = list(book.worksheets[0].iter_rows(values_only=True))
    title = first[0][0]
    assert title.startswith("2014年度统计 · 省 · 截至2014年7月31日 · 统计口径")
    assert not [word for word in ("Year-end", "statistics", "as of") if word in title]
    assert first[1] == ("指标", "数值", "单位", "代码")
    labels = [row[0] for row in first[2:] if isinstance(row[0], str)]  # section, part and figure labels
    assert "在帮扶重点市建立的联系点" in labels
    assert not [cell for cell in labels if cell in BY_CODE or cell.isascii()]  # no code, no English
    assert not [cell for row in first[2:] for cell in row[:3] if cell in BY_CODE]  # nor a code as a value or unit
    assert {row[3] for row in first[2:] if row[3]} == set(BY_CODE)  # every code, in the last column
    by_agency, by_city = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets[1:3])
    codes = {i.code for i in CATALOGUE}
    assert not [cell for rows in (by_agency, by_city) for row in rows for cell in row if cell in codes]
    assert by_agency[0][:3] == ("代码", "单位", "建立帮扶联系点的单位")
    assert by_city[0][:2] == ("所在市", "建立帮扶联系点的单位")
    city = ContactPoint.objects.filter(agency=agency_a).first().village.city
    assert city.name in {row[0] for row in by_city[1:]}
    region_codes = set(type(city).objects.values_list("code", flat=True))
    assert not [cell for row in by_city for cell in row if cell in region_codes]
