"""outreach.progress: the step texts a job's page and a terminal show, and the terminal's bar."""

import io

import pytest
from django.utils import translation

from outreach.progress import STEPS, TerminalProgress, no_progress, step_text


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_steps_text_has_its_counts_with_thousands_separators_and_its_parameters():
    assert step_text("check", 12_000, 50_000) == "Checking row 12,000 of 50,000"
    assert step_text("check_sheet", 7, 1_234_567, {"sheet": "走访"}) == "Checking “走访”: row 7 of 1,234,567"
    assert step_text("write_rows", 0, 50_000) == "Writing 50,000 rows to the database"


def test_an_unknown_step_has_no_text_and_a_step_missing_its_parameters_says_starting():
    assert step_text("no_such_step", 1, 2) == ""
    assert step_text("sheet", 1, 2, {}) == "Starting"  # stored by another release without its sheet


def test_every_step_renders_with_a_sheet_given():
    for code in STEPS:
        assert step_text(code, 1, 2, {"sheet": "结对"}), code


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_terminal_bar_draws_the_share_and_the_step_and_ends_its_line():
    stream = Terminal()
    progress = TerminalProgress(stream, width=10, interval=0)
    progress(1, 4, "rows")
    progress(4, 4, "rows")
    progress.finish()
    out = stream.getvalue()
    assert "\r[##--------]  25.0% Writing row 1 of 4" in out
    assert "\r[##########] 100.0% Writing row 4 of 4" in out
    assert out.endswith("\n")


def test_the_terminal_bar_is_silent_when_the_output_is_not_a_terminal():
    stream = io.StringIO()  # cron, a pipe
    progress = TerminalProgress(stream)
    progress(1, 2, "rows")
    progress.finish()
    assert stream.getvalue() == ""


def test_the_terminal_bar_redraws_at_most_every_interval_but_always_the_last_step(monkeypatch):
    monkeypatch.setattr("outreach.progress.time.monotonic", lambda: 1000.0)  # the whole loop in one instant
    stream = Terminal()
    progress = TerminalProgress(stream, interval=60)
    for done in range(1, 101):
        progress(done, 100, "rows")
    assert stream.getvalue().count("\r") == 2  # the first and the last
    assert "row 100 of 100" in stream.getvalue()


def test_no_progress_ignores_everything():
    assert no_progress(1, 2, "rows", sheet="x") is None
