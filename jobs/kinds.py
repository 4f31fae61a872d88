"""The kinds of background job: one registry, filled by each app's `jobs` module.

    @register("yearend_workbook", label=_("Year-end workbook"), retries=1)
    def year_end_workbook(context: JobContext) -> Outcome | None: ...

`retries`: how many times a job of the kind is run again when its worker was lost (killed, the
machine restarted). Only work that is safe to repeat has any: reading and writing a file. Work
that writes records (an import's confirm, publishing, reminders) has none; it is all-or-nothing,
so a lost run leaves nothing behind and the user asks again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Outcome:
    """What a job leaves besides a file: a page to see the result on, and a short account."""

    link: str = ""
    message: str = ""


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    run: Callable
    retries: int = 0
    #: when done, the job's page takes the user straight to the result's page (an import's preview)
    redirect: bool = False


KINDS: dict[str, JobKind] = {}


def register(name: str, *, label, retries: int = 0, redirect: bool = False) -> Callable:
    def decorator(function: Callable) -> Callable:
        KINDS[name] = JobKind(name=name, label=label, run=function, retries=retries, redirect=redirect)
        return function

    return decorator


def get_kind(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r} (is its app's jobs module loaded?)") from None


def kind_label(name: str) -> str:
    kind = KINDS.get(name)
    return str(kind.label) if kind is not None else name
