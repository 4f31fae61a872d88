"""How long work says how far it has come: one callable shape for the web job and the terminal.

Long work (an import's check and write, the year-end workbook, a list download, `export_records`,
publishing, reminders) takes an optional `progress` callable and calls it as it goes:

    progress(done, total, "check", sheet="走访")

`done` of `total` units (rows, sheets, agencies), and the code of the current step (`STEPS`),
whose text is rendered in the reader's language when it is shown. A background job's progress
(jobs.runner.JobContext) stores it on the job for the progress bar; `TerminalProgress` draws a bar
on the command line; `no_progress` ignores it. A progress callable may raise to stop the work
(a job cancelled by its owner): callers let it propagate, and whatever they wrote inside a
transaction is rolled back.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol

from django.utils.translation import gettext_lazy as _


class Progress(Protocol):
    def __call__(self, done: int, total: int, step: str = "", **params) -> None: ...


def no_progress(done: int, total: int, step: str = "", **params) -> None:
    """The progress of work nobody watches."""


# The steps of long work, by code. %(done)s and %(total)s are the counts, formatted with thousands
# separators; other placeholders are the step's own parameters.
STEPS = {
    "queued": _("Waiting for a worker"),
    "start": _("Starting"),
    "read": _("Opening the workbook"),
    "check": _("Checking row %(done)s of %(total)s"),
    "check_sheet": _("Checking “%(sheet)s”: row %(done)s of %(total)s"),
    "write_rows": _("Writing %(total)s rows to the database"),
    "figures": _("Computing the figures"),
    "sheet": _("Writing “%(sheet)s”: row %(done)s of %(total)s"),
    "rows": _("Writing row %(done)s of %(total)s"),
    "agencies": _("Agency %(done)s of %(total)s"),
    "save": _("Saving the result"),
    "done": _("Done"),
}


def step_text(step: str, done: int = 0, total: int = 0, params: dict | None = None) -> str:
    """The text of a step in the active language ("正在检查第 12,000 / 50,000 行")."""
    template = STEPS.get(step)
    if template is None:
        return ""
    values = dict((params or {}).items())
    values.update(done=f"{done:,}", total=f"{total:,}")
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):  # a step stored by an older release with other parameters
        return str(STEPS["start"])


class TerminalProgress:
    """A progress bar on a terminal (nothing when the output is not a terminal, e.g. under cron).

    Redrawn at most every `interval` seconds; `finish()` ends the line.
    """

    def __init__(self, stream=None, *, width: int = 30, interval: float = 0.2, force: bool = False):
        self.stream = stream or sys.stderr
        self.width = width
        self.interval = interval
        self.enabled = force or bool(getattr(self.stream, "isatty", lambda: False)())
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int, step: str = "", **params) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < self.interval and done < total:
            return
        self.last = now
        share = min(1.0, done / total) if total else 0.0
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        text = step_text(step, done, total, params)
        self.stream.write(f"\r[{bar}] {share:6.1%} {text}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
