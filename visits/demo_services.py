"""The demo's service activities ("three activities", see visits/demo.py): the standing volunteer
teams and which agencies do what, and each round's "four into" events, volunteer services and
"five into the countryside" actions."""

from __future__ import annotations

from decimal import Decimal

from outreach.demo import DemoContext
from outreach.demo.base import BATCH, FIELDWORK, Season, aim, allocate, share_out, sparse_weights, weighted, yuan
from outreach.models import Region
from visits.models import FiveIntoAction, FourIntoEvent, VolunteerService, VolunteerTeam
from visits.models.services import HalfYear, half_year_span

# Reference values of docs/domain.md §4: the service events of a round, and the standing teams (drawn once).
TARGETS = {
    "four_into_events": 300,
    "four_into_officials": 10_000,
    "four_into_sites": 1_260,
    "four_into_families": 3_100,
    "four_into_family_aid": 1_500_000,
    "four_into_students": 240,
    "four_into_student_aid": 730_000,
    "volunteer_person_times": 40_000,
    "books": 20_000,
    "book_boxes": 190,
    "culture_trips": 16,
    "consultations": 5_000,
    "legal_points": 16_904,
    "legal_windows": 100,
    "villages_planned": 100,
    "projects_secured": 78,
    "volunteer_teams": 200,
    "professional_teams": 15,
}
CULTURE_UNITS, MEDICAL_UNITS, LEGAL_UNITS, PLANNING_UNITS = 42, 12, 6, 56
BOOK_RECIPIENTS = 10  # "books donated to ten grassroots units"
# The year before: "four into" events and "five into" actions keep these shares of a round.
PREVIOUS_SHARES = {"four_into": 0.7, "five_into": 0.6}
# Volunteers serve on weekends, and most in March (5 March, "learn from Lei Feng" day).
VOLUNTEER_SEASON = Season((6, 5, 18, 10, 9, 8, 8, 6, 9, 9, 8, 8), 1.5)

# Which agencies do what (short names of demo_data.AGENCIES, the rest drawn at random), and the
# records' Chinese titles (data, not interface text).
S = VolunteerTeam.Specialty
PROFESSIONAL_POOLS = {
    S.MEDICAL: ("省卫生计生委", "省立医院", "安徽医科大学", "省红十字会", "省食品药品监管局", "省计生协"),
    S.AGRITECH: ("省农委", "省农科院", "安徽农业大学", "省林业厅", "省科协", "省水利厅", "省供销社", "省科技厅"),
    S.LEGAL: ("省司法厅", "省高级法院", "省检察院", "省法学会", "省法制办"),
}
PROFESSIONAL_SHARES = {S.MEDICAL: 5, S.AGRITECH: 6, S.LEGAL: 4}  # of the professional teams
TEAM_WORDS = ("党员", "青年", "学雷锋", "巾帼", "爱心", "为民服务", "关爱留守儿童", "助老助残")
SPECIALTY_WORDS = {
    S.MEDICAL: ("医疗", "医疗专家", "健康服务"),
    S.AGRITECH: ("农技", "科技服务", "农业专家"),
    S.LEGAL: ("法律", "法律援助", "普法"),
}
A = VolunteerService.Activity
SERVICE_ACTIVITIES = {  # team kind or specialty -> (activity, weight)
    "general": ((A.ELDER_DISABLED, 30), (A.TEACHING, 20), (A.ENVIRONMENT, 20), (A.PUBLIC_LABOUR, 20), (A.OTHER, 10)),
    S.MEDICAL: ((A.OTHER, 60), (A.ELDER_DISABLED, 40)),
    S.AGRITECH: ((A.OTHER, 60), (A.TEACHING, 40)),
    S.LEGAL: ((A.OTHER, 70), (A.TEACHING, 30)),
}
SERVICE_NOTES = {
    A.ELDER_DISABLED: ("走访敬老院，为老人打扫卫生、理发", "上门为残疾人送去生活用品"),
    A.TEACHING: ("为留守儿童辅导功课", "开展政策宣讲和技能培训"),
    A.ENVIRONMENT: ("清理村道垃圾，美化村容村貌", "植树护绿"),
    A.PUBLIC_LABOUR: ("文明交通劝导", "社区公益劳动"),
    A.OTHER: ("学雷锋志愿服务", "节日慰问志愿服务"),
}
SPECIALTY_NOTES = {  # what a professional team's "other" service is
    S.MEDICAL: ("义诊送药、健康咨询", "为村民免费体检"),
    S.AGRITECH: ("田间地头技术指导", "农业实用技术培训"),
    S.LEGAL: ("法律咨询、调解纠纷", "送法进村普法宣传"),
}
FOUR_INTO_TITLES = (
    "“四走进”服务活动",
    "走进基层、走进一线、走进群众、走进服务对象",
    "为困难家庭送党的温暖",
    "为寒门学子送爱心",
    "为一线党员送精神食粮",
    "为留守群众送快乐健康",
)
FOUR_INTO_NOTES = (
    "慰问困难家庭，资助贫困学生，座谈听取意见。",
    "深入企业、农村、学校，现场解决实际问题。",
    "看望留守老人和儿童，送去慰问品。",
)
K = FiveIntoAction.Kind
FIVE_INTO_TITLES = {
    K.PUBLICITY: ("送书下乡活动", "“宣传进乡村”赠书活动", "流动书箱进村"),
    K.PLANNING: ("中心村规划帮扶", "美好乡村建设规划对接", "“规划进乡村”项目对接"),
    K.SERVICES: ("“送法进乡村”活动", "村（居）法律援助联系点建设", "法律援助便民服务窗口建设"),
    K.CULTURE: ("“文化科技三下乡”活动", "文化科技卫生“三下乡”"),
    K.HEALTH: ("“送医送药下乡”义诊", "“健康进乡村”义诊活动"),
}
CULTURE_POOL = (
    "省委宣传部",
    "省文化厅",
    "省科技厅",
    "省科协",
    "省文联",
    "省新闻出版广电局",
    "安徽日报报业集团",
    "安徽广播电视台",
    "安徽出版集团",
    "省社科联",
    "省作协",
    "省农科院",
    "省社科院",
    "省文物局",
    "省体育局",
    "团省委",
    "省妇联",
    "省总工会",
)
MEDICAL_POOL = PROFESSIONAL_POOLS[S.MEDICAL] + ("省残联",)
LEGAL_POOL = ("省司法厅", "省高级法院", "省检察院", "省法学会", "省法制办", "省监狱局")
PLANNING_POOL = ("省住房城乡建设厅", "省发展改革委", "省扶贫办", "省国土资源厅", "省交通运输厅", "省农委")


# -- the standing structure -------------------------------------------------------------------------


def build_service_structure(ctx: DemoContext, rng) -> None:
    """Volunteer teams (standing, so not multiplied by --scale) and the agencies behind each
    "five into" unit figure: the same agencies in every round, so that those distinct counts
    stay the article's at every scale while the sums grow."""
    d = ctx.d
    professional = []
    shares = [PROFESSIONAL_SHARES[specialty] for specialty in PROFESSIONAL_POOLS]
    for (specialty, pool), n in zip(
        PROFESSIONAL_POOLS.items(), allocate(aim(rng, TARGETS["professional_teams"]), shares)
    ):
        candidates = ctx.agencies_named(pool)
        professional += [(agency, specialty) for agency in rng.sample(candidates, min(n, len(candidates)))]
    teams = volunteer_teams(ctx, rng, professional)
    VolunteerTeam.objects.bulk_create(teams, batch_size=BATCH)
    ctx.state["teams"] = teams

    ctx.state["units"] = {
        K.CULTURE: ctx.pick_agencies(rng, CULTURE_UNITS, CULTURE_POOL),
        K.HEALTH: ctx.pick_agencies(rng, MEDICAL_UNITS, MEDICAL_POOL),
        K.SERVICES: ctx.pick_agencies(rng, LEGAL_UNITS, LEGAL_POOL),
        K.PLANNING: ctx.pick_agencies(rng, PLANNING_UNITS, PLANNING_POOL, pool=d.cp_agencies),
    }
    poor = [v for villages in d.poor_by_city.values() for v in villages]
    ctx.state["book_recipients"] = [f"{v.full_name}农家书屋" for v in rng.sample(poor, BOOK_RECIPIENTS)]
    ctx.log(
        f"  volunteer teams: {len(teams)} ({len(professional)} professional: "
        + ", ".join(f"{s} {sum(1 for _a, x in professional if x == s)}" for s in S.values if s != S.OTHER)
        + ")"
    )


def volunteer_teams(ctx: DemoContext, rng, professional) -> list:
    """Every agency's general team (the bigger ones two or three), then the professional teams (not written yet)."""
    d, cal = ctx.d, ctx.cal
    per_agency = {a.pk: 1 for a in d.agencies}
    for _ in range(aim(rng, TARGETS["volunteer_teams"]) - len(professional) - len(d.agencies)):
        agency = rng.choice([a for a in d.agencies if per_agency[a.pk] < 3])
        per_agency[agency.pk] += 1

    def team(agency, name, kind, specialty, members):
        start = cal.start_date(rng, share_previous=0.6)
        return VolunteerTeam(
            agency_id=agency.pk,
            name=name,
            kind=kind,
            specialty=specialty,
            members=members,
            start_date=start,
            end_date=cal.end_date(rng, start, 0.03),  # a few disbanded during the year
        )

    teams = []
    for agency in d.agencies:
        for word in rng.sample(TEAM_WORDS, per_agency[agency.pk]):
            teams.append(
                team(
                    agency, f"{agency.short_name}{word}志愿服务队", VolunteerTeam.Kind.GENERAL, "", rng.randint(25, 120)
                )
            )
    for agency, specialty in professional:
        word = rng.choice(SPECIALTY_WORDS[specialty])
        teams.append(
            team(
                agency,
                f"{agency.short_name}{word}志愿服务队",
                VolunteerTeam.Kind.PROFESSIONAL,
                specialty,
                rng.randint(10, 40),
            )
        )
    return teams


# -- the rounds ---------------------------------------------------------------------------------------


def build_round(ctx: DemoContext, rng, keep_rng) -> None:
    four_into(ctx, rng, keep_rng)
    volunteer_services(ctx, rng, keep_rng)
    five_into(ctx, rng, keep_rng)


def build_previous_round(ctx: DemoContext, rng, keep_rng) -> None:
    """The year before: volunteer services only from the teams begun by then (sums in proportion),
    "four into" events and "five into" actions thinned to `PREVIOUS_SHARES`."""
    prev, teams = ctx.previous_cal, ctx.state["teams"]
    begun = [t for t in teams if t.start_date <= prev.last]
    with ctx.level(prev, share=PREVIOUS_SHARES["four_into"]):
        four_into(ctx, rng, keep_rng)
    with ctx.level(prev, volume=len(begun) / max(1, len(teams))):
        volunteer_services(ctx, rng, keep_rng)
    with ctx.level(prev, share=PREVIOUS_SHARES["five_into"]):
        five_into(ctx, rng, keep_rng)


def four_into(ctx: DemoContext, rng, keep_rng) -> None:
    """Every agency holds a "four into" event each half-year (the campaign's rule), some two."""
    d, cal = ctx.d, ctx.cal
    halves = [half for half in HalfYear.values if half_year_span(cal.year, half)[0] <= cal.last]
    plans = [(agency, half) for half in halves for agency in d.agencies]
    extra = ctx.aim(rng, TARGETS["four_into_events"]) - len(plans)
    plans += [(rng.choice(d.agencies), rng.choice(halves)) for _ in range(max(0, extra))]
    n = len(plans)

    def lognormal(sigma):
        return [rng.lognormvariate(0, sigma) for _ in range(n)]

    officials = share_out(ctx.aim(rng, TARGETS["four_into_officials"]), lognormal(0.5), 5)
    sites = share_out(ctx.aim(rng, TARGETS["four_into_sites"]), lognormal(0.6), 1)
    families = allocate(ctx.aim(rng, TARGETS["four_into_families"]), sparse_weights(rng, n, 0.85))
    family_fen = allocate(
        ctx.aim(rng, TARGETS["four_into_family_aid"]) * 100, [f * rng.lognormvariate(0, 0.3) for f in families]
    )
    students = allocate(ctx.aim(rng, TARGETS["four_into_students"]), sparse_weights(rng, n, 0.35))
    student_fen = allocate(
        ctx.aim(rng, TARGETS["four_into_student_aid"]) * 100, [s * rng.lognormvariate(0, 0.3) for s in students]
    )
    events = []
    for i, (agency, half) in enumerate(plans):
        start, end = half_year_span(cal.year, half)
        enterprises, villages, schools = allocate(
            sites[i], [rng.uniform(0.2, 0.45), rng.uniform(0.3, 0.6), rng.uniform(0.1, 0.3)]
        )
        events.append(
            FourIntoEvent(
                agency_id=agency.pk,
                date=cal.pick(rng, FIELDWORK, start, min(end, cal.last)),
                year=cal.year,
                half=half,
                title=f"{cal.year}年{'上' if half == HalfYear.FIRST else '下'}半年{rng.choice(FOUR_INTO_TITLES)}",
                officials=officials[i],
                enterprises=enterprises,
                villages=villages,
                schools=schools,
                families_aided=families[i],
                family_aid=yuan(family_fen[i]),
                students_aided=students[i],
                student_aid=yuan(student_fen[i]),
                note=rng.choice(FOUR_INTO_NOTES),
            )
        )
    FourIntoEvent.objects.bulk_create(ctx.thin(keep_rng, events), batch_size=BATCH)


def volunteer_services(ctx: DemoContext, rng, keep_rng) -> None:
    """The teams' services, inside each team's span; hours derived from the person-times (2-4 h each)."""
    d, cal = ctx.d, ctx.cal
    plans = []
    for team in ctx.state["teams"]:
        lo, hi = max(team.start_date, cal.first), min(team.end_date or cal.last, cal.last)
        if hi < lo:
            continue
        n = rng.randint(3, 8) if team.kind == VolunteerTeam.Kind.PROFESSIONAL else rng.randint(5, 11)
        plans += [(team, cal.pick(rng, VOLUNTEER_SEASON, lo, hi)) for _ in range(n)]
    person_times = share_out(
        ctx.aim(rng, TARGETS["volunteer_person_times"]),
        [team.members * rng.lognormvariate(0, 0.5) for team, _day in plans],
        3,
    )
    L = Region.Level
    rows = []
    for (team, day), persons in zip(plans, person_times):
        activity = weighted(rng, SERVICE_ACTIVITIES[team.specialty or "general"])
        if activity == A.OTHER and team.specialty:
            note = rng.choice(SPECIALTY_NOTES[team.specialty])
        else:
            note = rng.choice(SERVICE_NOTES[activity])
        places = d.places_by_city[d.home_city[team.agency_id]]
        place = rng.choice(places[weighted(rng, ((L.VILLAGE, 60), (L.COMMUNITY, 40)))] or places[L.VILLAGE])
        rows.append(
            VolunteerService(
                agency_id=team.agency_id,
                team_id=team.pk,
                date=day,
                activity=activity,
                person_times=persons,
                hours=Decimal(round(persons * rng.uniform(2.0, 4.0) * 10)).scaleb(-1),
                place=place.full_name,
                note=note,
            )
        )
    VolunteerService.objects.bulk_create(ctx.thin(keep_rng, rows), batch_size=BATCH)


def five_into(ctx: DemoContext, rng, keep_rng) -> None:
    """The "five into the countryside" actions; each kind fills only its own yields (`YIELDS`),
    thinned kind by kind, so that a test's fraction keeps every kind."""
    actions = publicity(ctx, rng) + planning(ctx, rng) + legal_services(ctx, rng) + culture(ctx, rng) + health(ctx, rng)
    kept = [a for kind in K.values for a in ctx.thin(keep_rng, [a for a in actions if a.kind == kind])]
    FiveIntoAction.objects.bulk_create(kept, batch_size=BATCH)


def action(ctx: DemoContext, rng, agency, kind, day=None, title=None, **yields) -> FiveIntoAction:
    return FiveIntoAction(
        agency_id=agency.pk,
        kind=kind,
        date=day or ctx.cal.pick(rng, FIELDWORK),
        title=title or rng.choice(FIVE_INTO_TITLES[kind]),
        **yields,
    )


def publicity(ctx: DemoContext, rng) -> list:
    """Books and mobile book boxes for the ten grassroots units, from agencies anywhere."""
    donors = rng.sample(ctx.d.agencies, rng.randint(26, 34))
    gives_books = [rng.random() < 0.8 for _ in donors]
    books = share_out(
        ctx.aim(rng, TARGETS["books"]), [rng.lognormvariate(0, 0.8) if b else 0.0 for b in gives_books], 50
    )
    boxes = share_out(
        ctx.aim(rng, TARGETS["book_boxes"]),
        [rng.lognormvariate(0, 0.6) if not b or rng.random() < 0.5 else 0.0 for b in gives_books],
    )
    recipients = ctx.state["book_recipients"]
    return [
        action(
            ctx,
            rng,
            agency,
            K.PUBLICITY,
            books=n_books,
            book_boxes=n_boxes,
            book_recipients=rng.choice(recipients) if n_books else "",
        )
        for agency, n_books, n_boxes in zip(donors, books, boxes)
    ]


def planning(ctx: DemoContext, rng) -> list:
    """The paired agencies plan central villages and secure projects for them."""
    planners = [a for a in ctx.state["units"][K.PLANNING] for _ in range(2 if rng.random() < 0.3 else 1)]
    return two_yields(ctx, rng, K.PLANNING, planners, ("villages_planned", 0.5), ("projects_secured", 0.6))


def legal_services(ctx: DemoContext, rng) -> list:
    """The judicial units set up legal-aid contact points and windows."""
    lawyers = [a for a in ctx.state["units"][K.SERVICES] for _ in range(rng.randint(3, 6))]
    return two_yields(ctx, rng, K.SERVICES, lawyers, ("legal_points", 1.0), ("legal_windows", 0.5))


def two_yields(ctx: DemoContext, rng, kind, agencies, every: tuple[str, float], some: tuple[str, float]) -> list:
    """One action per agency (listed once per action) with two yields: `every` = (yield, sigma)
    shared out over all of them, `some` = (yield, share) over that share of them."""
    (every_name, sigma), (some_name, share) = every, some
    firsts = share_out(ctx.aim(rng, TARGETS[every_name]), [rng.lognormvariate(0, sigma) for _ in agencies])
    seconds = allocate(ctx.aim(rng, TARGETS[some_name]), sparse_weights(rng, len(agencies), share))
    return [
        action(ctx, rng, agency, kind, **{every_name: first, some_name: second})
        for agency, first, second in zip(agencies, firsts, seconds)
    ]


def culture(ctx: DemoContext, rng) -> list:
    """Joint trips, each recorded by every agency taking part; each culture unit takes part.

    The article's "42 agencies ran 16 culture trips" cannot be recorded as such: an agency counts
    as a culture unit with a trip of its own on record, so each of the 16 joint trips is recorded
    by every agency taking part, and the trips summed over records (≈ 45) exceed 16.
    """
    poor = [v for villages_ in ctx.d.poor_by_city.values() for v in villages_]
    trips = ctx.aim(rng, TARGETS["culture_trips"])
    units = rng.sample(ctx.state["units"][K.CULTURE], len(ctx.state["units"][K.CULTURE]))
    actions = []
    for k in range(trips):
        taking_part = units[k::trips] or [rng.choice(units)]
        if rng.random() < 0.2:
            taking_part.append(rng.choice([a for a in units if a not in taking_part]))
        village = rng.choice(poor)
        day = ctx.cal.pick(rng, FIELDWORK)
        title = f"{rng.choice(FIVE_INTO_TITLES[K.CULTURE])}走进{village.name}"
        actions += [
            action(ctx, rng, agency, K.CULTURE, day=day, title=title, culture_trips=1) for agency in taking_part
        ]
    return actions


def health(ctx: DemoContext, rng) -> list:
    """Free clinics of the medical units."""
    clinics = [a for a in ctx.state["units"][K.HEALTH] for _ in range(rng.randint(2, 4))]
    consultations = share_out(ctx.aim(rng, TARGETS["consultations"]), [rng.lognormvariate(0, 0.6) for _ in clinics], 20)
    return [action(ctx, rng, agency, K.HEALTH, consultations=n) for agency, n in zip(clinics, consultations)]
