"""Datasets the report tests share."""

from tests import factories as f


def build(agencies, scale):
    """`scale` of every kind of record per agency, in two cities, and one channel return each."""
    for agency in agencies:
        for _i in range(scale):
            point = f.ContactPointFactory(agency=agency)
            f.ContactPointActivityFactory(contact_point=point)
            f.NeedyPairingFactory(agency=agency)
            pairing = f.PairingFactory(agency=agency)
            f.JointActivityFactory(pairing=pairing)
            f.SupportFactory(pairing=pairing)
            visit = f.VisitFactory(agency=agency)
            f.VisitOutcomeFactory(visit=visit)
            f.FourIntoEventFactory(agency=agency)
            f.VolunteerServiceFactory(team=f.VolunteerTeamFactory(agency=agency))
            f.FiveIntoActionFactory(agency=agency)
        f.ChannelReturnFactory(agency=agency, half=1)
