"""Officials' visits, service activities and agencies' channel returns."""

from visits.models.channels import ChannelReturn
from visits.models.services import FiveIntoAction, FourIntoEvent, VolunteerService, VolunteerTeam
from visits.models.visits import MSG_PLACE_LEVEL, MSG_VISIT_TOO_LONG, Visit, VisitOutcome

__all__ = [
    "MSG_PLACE_LEVEL",
    "MSG_VISIT_TOO_LONG",
    "ChannelReturn",
    "FiveIntoAction",
    "FourIntoEvent",
    "Visit",
    "VisitOutcome",
    "VolunteerService",
    "VolunteerTeam",
]
