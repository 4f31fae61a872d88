from notices.selectors import unread_count


def unread_notices(request):
    """The navigation's badge: the user's unread notifications.

    One query per request (none for anonymous users): a page whose parts render with the request's
    context again (django-tables2's table template) reads the count kept on the request.
    """
    if not hasattr(request, "_unread_notices"):
        user = getattr(request, "user", None)
        request._unread_notices = unread_count(user) if user is not None else 0
    return {"unread_notices": request._unread_notices}
