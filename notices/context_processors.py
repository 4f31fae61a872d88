from notices.selectors import unread_count


def unread_notices(request):
    """The navigation's badge: the user's unread notifications (one query; none for anonymous users)."""
    user = getattr(request, "user", None)
    return {"unread_notices": unread_count(user) if user is not None else 0}
