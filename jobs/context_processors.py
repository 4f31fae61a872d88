from jobs.selectors import running_count

SESSION_KEY = "jobs_watch"


def watch(request) -> None:
    """Remember in the session that the user has jobs to show in the navigation (set when one is started)."""
    request.session[SESSION_KEY] = True


def running_jobs(request):
    """The navigation's count of the user's jobs in progress.

    No query for a user who has started no job this session; once the count falls to zero the
    session forgets, so ordinary pages keep their query counts.
    """
    if not hasattr(request, "_running_jobs"):
        session = getattr(request, "session", None)
        count = 0
        if session is not None and session.get(SESSION_KEY):
            count = running_count(request.user)
            if not count:
                session.pop(SESSION_KEY, None)
        request._running_jobs = count
    return {"running_jobs": request._running_jobs}
