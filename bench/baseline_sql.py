"""The year-end figures (docs/domain.md §4) for the whole province, written as raw SQL: the benchmark's baseline.

`hand_sql_figures()` answers every code of `reports.indicators.CATALOGUE` with the same rules as
`reports.indicators.compute()` (no agency or city filter), one hand-written query per source
table, through `connection.cursor()`. `make bench` times it beside `year_end_figures()`; the tests
check that both give the same figures. The SQL runs on SQLite and PostgreSQL alike: `%s`
parameters, booleans compared with a parameter, `ROW_NUMBER()` for each agency's latest return.

Rules mirrored from reports/indicators.py:
- events: dated 1 January of `year` … `as_of`; standing things: started on or before `as_of` and
  not ended before 1 January; soft-deleted rows (`deleted_at` set) never count;
- channel returns: flows summed over the returns whose period ends in the window, stocks from
  each agency's latest such return (latest period end, then highest id);
- yearly visit minimums (visits/selectors.py `_minimums`): active officials whose position has a
  minimum; village days are the distinct days of their village stays clipped to the window
  (1 January of the as-of date's year … as_of), households summed over visits starting in it.
"""

import datetime
import decimal
from collections import defaultdict
from decimal import Decimal

from outreach.models import CampaignYear, Official, PartyOrganisation
from outreach.models.campaign import MINIMUM_FIELDS
from outreach.rates import cut_rate, percent
from pairings.models import ContactPoint, ContactPointActivity, JointActivity, NeedyPairing, Pairing, Support
from reports.catalogue import CATALOGUE
from visits.models.channels import ChannelReturn
from visits.models.services import FiveIntoAction, FourIntoEvent, VolunteerService, VolunteerTeam
from visits.models.visits import Visit, VisitOutcome

# SQLite returns a sum of decimals as a float; it keeps 15 significant digits (as Django's converter does).
_FROM_FLOAT = decimal.Context(prec=15).create_decimal_from_float


def _decimal(value, places: str) -> Decimal:
    if value is None:
        value = 0
    elif isinstance(value, float):
        value = _FROM_FLOAT(value)
    return Decimal(value).quantize(Decimal(places))


def _money(value) -> Decimal:
    return _decimal(value, "0.01")


def _int(value) -> int:
    return int(value or 0)


def _table(model) -> str:
    return model._meta.db_table


def _standing(alias: str = "") -> str:
    """Began on or before as_of and had not ended before 1 January (parameters: as_of, 1 January)."""
    prefix = f"{alias}." if alias else ""
    return f"{prefix}start_date <= %s AND ({prefix}end_date IS NULL OR {prefix}end_date >= %s)"


def _one(cursor, sql: str, params) -> tuple:
    cursor.execute(sql, params)
    return cursor.fetchone()


def _dated(cursor, model, columns: str, window: list) -> tuple:
    """`columns` (SQL aggregates) over the live rows of `model` whose date lies in the window."""
    sql = f"SELECT {columns} FROM {_table(model)} WHERE deleted_at IS NULL AND date >= %s AND date <= %s"
    return _one(cursor, sql, window)


def hand_sql_figures(connection, *, year: int, as_of: datetime.date) -> dict:
    """Every year-end figure for the whole province as {code: value}, in catalogue order.

    Typed like `reports.selectors.year_end_figures()`: ints, Decimal money with two places, Decimal
    percentages (None on a zero denominator), Decimal hours with one place. 14 queries.
    """
    start = datetime.date(year, 1, 1)
    window = [start, as_of]
    standing = _standing()
    standing_params = [as_of, start]
    figures: dict = {}
    with connection.cursor() as cursor:
        agencies, officials, points = _one(
            cursor,
            f"""
            SELECT COUNT(DISTINCT agency_id), COUNT(DISTINCT official_id), COUNT(*)
            FROM {_table(ContactPoint)} WHERE deleted_at IS NULL AND {standing}
        """,
            standing_params,
        )
        figures.update({"cp.agencies": agencies, "cp.officials": officials, "cp.points": points})

        (people,) = _one(
            cursor,
            f"""
            SELECT COUNT(DISTINCT needy_person_id) FROM {_table(NeedyPairing)}
            WHERE deleted_at IS NULL AND {standing}
        """,
            standing_params,
        )
        figures["cp.needy_paired"] = people

        consoled, solved = _dated(cursor, ContactPointActivity, "SUM(people_consoled), SUM(problems_solved)", window)
        figures.update({"cp.needy_consoled": _int(consoled), "cp.problems_solved": _int(solved)})

        figures.update(_pairings(cursor, standing_params))
        figures.update(_joint_activities(cursor, window, standing_params))

        planned, supported, industries, funds = _dated(
            cursor,
            Support,
            "SUM(projects_planned), SUM(projects_supported), SUM(industries_assisted), SUM(funds)",
            window,
        )
        figures.update(
            {
                "pair.projects_planned": _int(planned),
                "pair.projects_supported": _int(supported),
                "pair.industries": _int(industries),
                "pair.funds": _money(funds),
            }
        )

        row = _one(
            cursor,
            f"""
            SELECT SUM(CASE WHEN o.rank IN (%s, %s) THEN 1 ELSE 0 END),
                   SUM(v.enterprises), SUM(v.communities), SUM(v.villager_groups),
                   SUM(v.households), SUM(v.forums), SUM(v.opinions)
            FROM {_table(Visit)} v JOIN {_table(Official)} o ON o.id = v.official_id
            WHERE v.deleted_at IS NULL AND v.start_date >= %s AND v.start_date <= %s
        """,
            [Official.Rank.DEPARTMENT, Official.Rank.DIVISION, *window],
        )
        names = ("person_times", "enterprises", "communities", "villager_groups", "households", "forums", "opinions")
        figures.update({f"visit.{name}": _int(value) for name, value in zip(names, row)})

        helped, problems, financing, migrants, difficulties = _one(
            cursor,
            f"""
            SELECT SUM(vo.businesses_helped), SUM(vo.business_problems), SUM(vo.financing),
                   SUM(vo.migrant_cases), SUM(vo.difficulties)
            FROM {_table(VisitOutcome)} vo JOIN {_table(Visit)} v ON v.id = vo.visit_id
            WHERE vo.deleted_at IS NULL AND v.deleted_at IS NULL AND v.start_date >= %s AND v.start_date <= %s
        """,
            window,
        )
        figures.update(
            {
                "visit.businesses_helped": _int(helped),
                "visit.business_problems": _int(problems),
                "visit.financing": _money(financing),
                "visit.migrant_cases": _int(migrants),
                "visit.difficulties": _int(difficulties),
            }
        )

        figures.update(_minimums(cursor, as_of))
        figures.update(_channel_returns(cursor, window))

        row = _dated(
            cursor,
            FourIntoEvent,
            """SUM(officials), COUNT(*), SUM(enterprises), SUM(villages), SUM(schools),
               SUM(families_aided), SUM(family_aid), SUM(students_aided), SUM(student_aid)""",
            window,
        )
        four_officials, events, enterprises, villages, schools, families, family_aid, students, student_aid = row
        figures.update(
            {
                "four_into.officials": _int(four_officials),
                "four_into.events": events,
                "four_into.sites": _int(enterprises) + _int(villages) + _int(schools),
                "four_into.families": _int(families),
                "four_into.family_aid": _money(family_aid),
                "four_into.students": _int(students),
                "four_into.student_aid": _money(student_aid),
            }
        )

        teams, professional = _one(
            cursor,
            f"""
            SELECT COUNT(*), SUM(CASE WHEN kind = %s THEN 1 ELSE 0 END)
            FROM {_table(VolunteerTeam)} WHERE deleted_at IS NULL AND {standing}
        """,
            [VolunteerTeam.Kind.PROFESSIONAL, *standing_params],
        )
        figures.update({"volunteer.teams": teams, "volunteer.professional_teams": _int(professional)})

        person_times, hours = _dated(cursor, VolunteerService, "SUM(person_times), SUM(hours)", window)
        figures.update({"volunteer.person_times": _int(person_times), "volunteer.hours": _decimal(hours, "0.0")})

        figures.update(_five_into(cursor, window))
    return {indicator.code: figures[indicator.code] for indicator in CATALOGUE}


def _pairings(cursor, standing_params: list) -> dict:
    """Standing pairings: distinct committees, partners by kind, committees with both kinds of partner."""
    kinds = PartyOrganisation.Kind
    committees, one_plus_two, villages, communities = _one(
        cursor,
        f"""
        WITH sp AS (
            SELECT p.committee_id, p.partner_id, o.kind
            FROM {_table(Pairing)} p JOIN {_table(PartyOrganisation)} o ON o.id = p.partner_id
            WHERE p.deleted_at IS NULL AND {_standing("p")}
        ), per_committee AS (
            SELECT committee_id,
                   MAX(CASE WHEN kind = %s THEN 1 ELSE 0 END) AS has_village,
                   MAX(CASE WHEN kind = %s THEN 1 ELSE 0 END) AS has_community
            FROM sp GROUP BY committee_id
        )
        SELECT (SELECT COUNT(*) FROM per_committee),
               (SELECT COUNT(*) FROM per_committee WHERE has_village = 1 AND has_community = 1),
               (SELECT COUNT(DISTINCT partner_id) FROM sp WHERE kind = %s),
               (SELECT COUNT(DISTINCT partner_id) FROM sp WHERE kind = %s)
    """,
        [*standing_params, kinds.VILLAGE, kinds.COMMUNITY, kinds.VILLAGE, kinds.COMMUNITY],
    )
    return {
        "pair.agency_committees": committees,
        "pair.village_orgs": villages,
        "pair.community_orgs": communities,
        "pair.one_plus_two": one_plus_two,
    }


def _joint_activities(cursor, window: list, standing_params: list) -> dict:
    """All activities in the window; pairings (live, standing) that held each of the five ones in it."""
    five = list(JointActivity.FIVE_ONES)
    marks = ", ".join(["%s"] * len(five))
    activities = _table(JointActivity)
    total, done = _one(
        cursor,
        f"""
        SELECT (SELECT COUNT(*) FROM {activities} WHERE deleted_at IS NULL AND date >= %s AND date <= %s),
               (SELECT COUNT(*) FROM (
                    SELECT a.pairing_id FROM {activities} a JOIN {_table(Pairing)} p ON p.id = a.pairing_id
                    WHERE a.deleted_at IS NULL AND a.date >= %s AND a.date <= %s AND a.kind IN ({marks})
                      AND p.deleted_at IS NULL AND {_standing("p")}
                    GROUP BY a.pairing_id HAVING COUNT(DISTINCT a.kind) = %s
               ) held)
    """,
        [*window, *window, *five, *standing_params, len(five)],
    )
    return {"pair.activities": total, "pair.five_ones_done": done}


def _minimums(cursor, as_of: datetime.date) -> dict:
    """One query: each active official under a minimum, with the minimum of the as-of date's campaign year
    (its settings row, else the latest configured year before it, else the defaults) and their visits
    touching the window."""
    window_start = datetime.date(as_of.year, 1, 1)  # the minimums' window follows the as-of date's year
    positions = list(MINIMUM_FIELDS)
    required_sql, required_params = [], []
    for i in (0, 1):  # days, households
        cases = []
        for position, fields in MINIMUM_FIELDS.items():
            cases.append(
                f"WHEN o.position = %s THEN COALESCE((SELECT c.{fields[i]} FROM {_table(CampaignYear)} c"
                " WHERE c.year <= %s ORDER BY c.year DESC LIMIT 1), %s)"
            )
            required_params += [position, as_of.year, CampaignYear._meta.get_field(fields[i]).default]
        required_sql.append(f"CASE {' '.join(cases)} END")
    cursor.execute(
        f"""
        SELECT o.id, {required_sql[0]}, {required_sql[1]}, v.start_date, v.end_date, v.is_village_stay, v.households
        FROM {_table(Official)} o LEFT JOIN {_table(Visit)} v ON v.official_id = o.id AND v.deleted_at IS NULL
             AND ((v.start_date >= %s AND v.start_date <= %s)
                  OR (v.is_village_stay = %s AND v.start_date <= %s AND v.end_date >= %s))
        WHERE o.is_active = %s AND o.position IN ({", ".join(["%s"] * len(positions))})
    """,
        [*required_params, window_start, as_of, True, as_of, window_start, True, *positions],
    )
    required: dict[int, dict] = {}
    households: dict[int, int] = defaultdict(int)
    stays: dict[int, list] = defaultdict(list)
    for official_id, days, least_households, start, end, is_stay, visited in cursor.fetchall():
        required[official_id] = {"days": days, "households": least_households}
        if start is None:  # no visit
            continue
        if window_start <= start <= as_of:
            households[official_id] += visited
        if is_stay:
            stays[official_id].append((max(start, window_start), min(end, as_of)))
    met = sum(
        1
        for official_id, minimum in required.items()
        if _covered_days(stays[official_id]) >= minimum["days"] and households[official_id] >= minimum["households"]
    )
    return {"visit.minimum_met": met, "visit.minimum_due": len(required)}


def _covered_days(spans: list) -> int:
    """Distinct calendar days covered by inclusive (first, last) spans: overlapping days count once."""
    days, reached = 0, None
    for first, last in sorted(spans):
        if last < first:
            continue
        if reached is not None and first <= reached:
            first = reached + datetime.timedelta(days=1)
        if first <= last:
            days += (last - first).days + 1
            reached = last
    return days


RETURN_FLOW_CODES = {
    "opinions": "channel.opinions",
    "leader_instructions": "channel.leader_instructions",
    "npc_motions": "channel.npc_motions",
    "cppcc_proposals": "channel.cppcc_proposals",
    "requests": "channel.requests",
    "fees_cancelled": "approval.fees_cancelled",
    "fees_cancelled_enterprise": "approval.fees_cancelled_enterprise",
    "licences": "approval.licences",
    "non_licences": "approval.non_licences",
}
RETURN_STOCK_CODES = {
    "model_windows": "zero.model_windows",
    "model_posts": "zero.model_posts",
    "service_trades": "zero.service_trades",
    "pledged_members": "zero.pledged_members",
    "items_before": "approval.items_before",
    "items_after": "approval.items_after",
    "convenience_with_chief": "approval.convenience_items",
}


def _channel_returns(cursor, window: list) -> dict:
    """One query: flows summed over the returns ending in the window, stocks of each agency's latest (rn = 1)."""
    flows = [*RETURN_FLOW_CODES, "survey_responses", "survey_satisfied", "burden_reduced"]
    stocks = [*RETURN_STOCK_CODES, "time_limit_before", "time_limit_after"]
    every_channel = " AND ".join(f"{flag} = %s" for flag in ChannelReturn.CHANNELS)
    row = _one(
        cursor,
        f"""
        WITH r AS (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY agency_id ORDER BY period_end DESC, id DESC) AS rn
            FROM {_table(ChannelReturn)} WHERE deleted_at IS NULL AND period_end >= %s AND period_end <= %s
        )
        SELECT {", ".join(f"SUM({name})" for name in flows)},
               {", ".join(f"SUM(CASE WHEN rn = 1 THEN {name} END)" for name in stocks)},
               SUM(CASE WHEN rn = 1 AND {every_channel} THEN 1 ELSE 0 END),
               SUM(CASE WHEN rn = 1 AND is_window_unit = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN rn = 1 AND convenience_items > 0 THEN 1 ELSE 0 END)
        FROM r
    """,
        [*window, *[True] * len(ChannelReturn.CHANNELS), True],
    )
    values = dict(zip([*flows, *stocks, "full_inventory", "window_units", "convenience_depts"], row))
    figures = {code: _int(values[name]) for name, code in {**RETURN_FLOW_CODES, **RETURN_STOCK_CODES}.items()}
    figures.update(
        {
            "channel.full_inventory": _int(values["full_inventory"]),
            "zero.window_units": _int(values["window_units"]),
            "zero.satisfaction": percent(_int(values["survey_satisfied"]), _int(values["survey_responses"])),
            "approval.items_cut_rate": cut_rate(_int(values["items_after"]), _int(values["items_before"])),
            "approval.time_cut_rate": cut_rate(_int(values["time_limit_after"]), _int(values["time_limit_before"])),
            "approval.burden_reduced": _money(values["burden_reduced"]),
            "approval.convenience_depts": _int(values["convenience_depts"]),
        }
    )
    return figures


def _five_into(cursor, window: list) -> dict:
    """One query: per kind of action, the agencies that yielded something and the totals."""
    kind = FiveIntoAction.Kind
    units = {
        "culture_units": (kind.CULTURE, "culture_trips > 0"),
        "medical_units": (kind.HEALTH, "consultations > 0"),
        "legal_units": (kind.SERVICES, "(legal_points > 0 OR legal_windows > 0)"),
        "planning_units": (kind.PLANNING, "villages_planned > 0"),
    }
    totals = {
        "books": kind.PUBLICITY,
        "book_boxes": kind.PUBLICITY,
        "culture_events": kind.CULTURE,
        "consultations": kind.HEALTH,
        "legal_points": kind.SERVICES,
        "legal_windows": kind.SERVICES,
        "villages_planned": kind.PLANNING,
        "projects_secured": kind.PLANNING,
    }
    columns = {"culture_events": "culture_trips"}  # the code's name where it differs from the column's
    row = _one(
        cursor,
        f"""
        SELECT {", ".join(f"COUNT(DISTINCT CASE WHEN kind = %s AND {test} THEN agency_id END)" for _k, test in units.values())},
               {", ".join(f"SUM(CASE WHEN kind = %s THEN {columns.get(name, name)} END)" for name in totals)}
        FROM {_table(FiveIntoAction)} WHERE deleted_at IS NULL AND date >= %s AND date <= %s
    """,
        [*(of_kind for of_kind, _test in units.values()), *totals.values(), *window],
    )
    return {f"five_into.{name}": _int(value) for name, value in zip([*units, *totals], row)}
