"""Who may use a view, by role, and how a refused write is shown: one set for every app's views.

Record views check the model permission and the role in `outreach.generic.RecordViewMixin`;
these mixins guard the pages that are not a record's: reviews, locks, imports, snapshots.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from outreach.roles import Role, role_of


class RoleRequiredMixin:
    """Only users with one of `roles` may use the view; others get a 403."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if role_of(request.user) not in self.roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficerRequiredMixin(RoleRequiredMixin):
    """Officers and administrators: those who see every agency."""

    roles = (Role.OFFICER, Role.ADMIN)


class OfficerOnlyMixin(RoleRequiredMixin):
    """Officers only: they review what agencies submit (administrators do not)."""

    roles = (Role.OFFICER,)


class StaffOnlyMixin(RoleRequiredMixin):
    """Agency Party committee staff only: they enter and submit their own agency's records."""

    roles = (Role.STAFF,)


def show_errors(request, error: ValidationError) -> None:
    """A refusal shown as messages on the page the user is sent back to."""
    for message in error.messages:
        messages.error(request, message)
