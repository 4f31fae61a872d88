"""`manage.py import_records` speaks the site's language (issue 16, item 1): its per-sheet lines, its
summary and its refusal are the catalogue's messages, in Chinese unless `--language` asks otherwise, and
the language it used does not stay active after it."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from outreach.management.commands.import_records import (
    MSG_NO_SUCH_AGENCY,
    MSG_NOTHING_IMPORTED,
    MSG_SHEET_COUNTS,
    MSG_WOULD_IMPORT,
)
from tests.factories import OfficialFactory
from tests.outreach.import_files import xlsx
from tests.outreach.test_import_engine import VISITS, header, visit_row
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


def in_language(language, message, **values) -> str:
    with translation.override(language):
        return str(message % values)


def test_lines_and_summary_are_in_the_sites_language(agency_a, official, tmp_path, capsys):
    path = xlsx(tmp_path / "visits.xlsx", {VISITS: [header(Visit), visit_row("ZF-1", "张伟", agency=agency_a.code)]})
    call_command("import_records", str(path), "--dry-run")
    out = capsys.readouterr().out
    counts = {"created": 1, "updated": 0, "unchanged": 0}
    assert in_language("zh-hans", MSG_SHEET_COUNTS, sheet=VISITS, failed=0, **counts) in out
    assert in_language("zh-hans", MSG_WOULD_IMPORT, **counts) in out
    assert "new," not in out and "would import" not in out  # the old English lines
    assert Visit.all_objects.count() == 0

    call_command("import_records", str(path))
    out = capsys.readouterr().out
    assert "已导入：新增1条，更新0条，未变0条。" in out  # the web import's own message, translated
    assert Visit.objects.get().reference == "ZF-1"

    call_command("import_records", str(path), "--language", "en")
    out = capsys.readouterr().out
    assert "走访基层: 0 added, 0 updated, 1 unchanged, 0 with problems" in out
    assert "Imported: 0 added, 0 updated, 1 unchanged." in out
    assert translation.get_language() != "en"  # the command's language is not left active


def test_a_refusal_counts_its_problems_in_the_sites_language(agency_a, official, tmp_path, capsys):
    rows = [visit_row("ZF-2", "无此人", agency=agency_a.code), visit_row("ZF-3", "无此人", agency=agency_a.code)]
    bad = xlsx(tmp_path / "bad.xlsx", {VISITS: [header(Visit), *rows]})
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(bad))
    assert raised.value.returncode == 1
    assert str(raised.value) == in_language("zh-hans", MSG_NOTHING_IMPORTED, count=2)
    assert "problem(s)" not in str(raised.value)
    assert "走访基层 · 第2行 · C 干部" in capsys.readouterr().err
    assert Visit.all_objects.count() == 0
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(bad), "--agency", "NOPE")
    assert str(raised.value) == in_language("zh-hans", MSG_NO_SUCH_AGENCY, code="NOPE")
    assert Visit.all_objects.count() == 0
