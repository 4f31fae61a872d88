"""Reports' reads from a PostgreSQL replica (issue 17 item 4), when DATABASE_REPLICA_URL is set.

`ReplicaReadsMiddleware` marks a GET or HEAD of a reports page (the `reports` URL namespace) once the user is
known; `ReplicaRouter` then sends that request's reads to the `replica` alias. Everything else reads the
primary (`default`): a clerk's own pages (lists, forms, detail pages, the home page), every POST, the session
and the user (read before the view), any read inside a transaction, and any read after the request wrote.
Writes always go to the primary. A replica may lag the primary by a moment: a record saved a second ago may be
missing from a report, never from the clerk's own pages (README, "Deploying").

Without DATABASE_REPLICA_URL the router is not installed (settings.DATABASE_ROUTERS is empty) and the
middleware's mark is read by nobody.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
#: the URL namespaces whose GET pages read the replica
REPLICA_NAMESPACES = frozenset({"reports"})


@dataclass
class _Request:
    reports: bool = False  # a GET or HEAD of a reports page
    wrote: bool = False  # something was written during it: read the primary from then on


_current: ContextVar[_Request | None] = ContextVar("outreach_replica_request", default=None)


class ReplicaReadsMiddleware:
    """Marks the request for `ReplicaRouter`: a reports page's GET (after the session and the user are read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(_Request())
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _current.get()
        match = request.resolver_match
        if state is not None and request.method in ("GET", "HEAD") and match is not None:
            state.reports = bool(REPLICA_NAMESPACES & set(match.namespaces))


class ReplicaRouter:
    """Reads of a marked request to `replica`, unless a transaction is open or the request wrote; writes to
    `default`. A model read from the replica is saved to the primary."""

    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None or not state.reports or state.wrote or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _current.get()
        if state is not None:
            state.wrote = True
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
