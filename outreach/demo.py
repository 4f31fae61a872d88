"""The demo province behind `manage.py seed_demo`: Anhui in the campaign year, shaped like the article,
and the quieter year before it (so that the dashboard's "same date last year" means something).

Everything is drawn from `random.Random` streams derived from one seed, so the
same seed (and the same scale, year and fraction) always gives the same records.
Independent streams keep the parts apart:

* ``directory``  regions, agencies, Party organisations, officials;
* ``structure``  which agencies hold contact points and where, and the "1+2"
  pairings: first who pairs with whom and the community and village Party
  organisations paired with (these belong to the directory), then since when;
* ``activity:<round>``  one round of field work: contact points, needy people,
  contact-point activities, joint activities, support, visits and outcomes
  (``fraction:<round>`` thins it out for the tests' ``--fraction``);
* ``services``  the standing volunteer teams and which agencies stand behind the
  "five into" unit figures (the same in every round);
* ``services:<round>``  one round of service activities: "four into" events,
  volunteer services and "five into" actions (``services-fraction:<round>``
  thins them out);
* ``returns``  the monthly-return history up to the article's cut-off (31 July):
  January to June mostly approved, a few returned or never submitted, July
  mostly awaiting review, and January to May locked (June stays open: some
  agencies must still correct it);
* ``channels``  each agency's channel returns: the previous year's second half
  (approved) and this year's first half (mostly approved at the cut-off);
* ``previous:activity:<round>``, ``previous:fraction:<round>``,
  ``previous:services:<round>``, ``previous:services-fraction:<round>``  one
  round of the year before, dated in that year: the same kinds of field work
  at a lower volume. Contact-point activities, joint activities, support and
  volunteer services come only from the contact points, pairings and teams
  begun by then (≈ 30 %, 55 % and 60 % of them: they start from March of that
  year), within their spans; visits with outcomes, "four into" events and
  "five into" actions keep `PREVIOUS_SHARES` of a round. No contact points,
  needy people, pairings or teams are added: those are standing things;
* ``previous:returns``  the year before's monthly returns: all twelve months
  approved, and a lock on the whole year (nothing of it can be edited).

Being on streams of their own, the year before changes none of the campaign
year's records (`DemoSeeder(previous_year=False)` leaves it out).

``--directory-only`` (`DemoSeeder(directory_only=True)`) builds the directory
alone: regions, agencies, Party organisations (the agencies' committees and the
community and village organisations of the ``structure`` stream's first part),
officials and the demo users, with the same names as the whole demo of the same
seed and, in a fresh database, the same primary keys (the directory does not
depend on the year). It writes no field-work record of any kind, no monthly
return and no period lock: it stops where the pairings would begin, so no draw
of the whole demo moves.

``--scale N`` runs N activity rounds (each with its round of the year before)
over the same directory and pairing structure, so activity volumes (service
activities included) grow N-fold and nothing else changes: not the volunteer
teams, nor the channel returns.

Totals are aimed at the DESIGN §4 reference values (each round draws its own
target a little above the reference, "N多"), then shared out over the records by
random weights, so the sums depend on the seed but stay near the article. Figures
the article gives exactly (68 window agencies, 1,224 approval items cut to 320,
42 culture units, ...) are hit exactly.

Records are written with `bulk_create` (no `save()`, no `full_clean()`, no
history rows), so every derived or validated value -- a region's `city` and
`full_name`, a visit's `village_days`, dates within spans, agencies matching
their officials -- is set here exactly as the models would set or check it.

This module is the one place in `outreach` that writes the records of
`pairings` and `visits`: it is a development tool, not part of the directory.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import math
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, DecimalField, F, Q, Sum
from django.test.utils import override_settings
from django.utils import timezone

from outreach import demo_data as D
from outreach.models import Agency, Official, PartyOrganisation, PeriodLock, PeriodReturn, Profile, Region
from outreach.roles import GROUP_NAMES, Role, sync_role_groups
from outreach.selectors import record_models
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)
from visits.models import (
    YEARLY_MINIMUMS,
    ChannelReturn,
    FiveIntoAction,
    FourIntoEvent,
    Visit,
    VisitOutcome,
    VolunteerService,
    VolunteerTeam,
)
from visits.models.channels import cut_rate, percent
from visits.models.services import HalfYear, half_year_span

BATCH = 1000
DEMO_PASSWORD = "Demo@2014"
ADMIN_USERNAME = "admin"
OFFICER_USERNAME = "officer"
DEFAULT_SEED = 2014
DEFAULT_YEAR = 2014

# Reference values of DESIGN §4 that one activity round aims at.
TARGETS = {
    "contact_points": 820,
    "needy_paired": 720,
    "people_consoled": 7_800,
    "problems_solved": 6_600,
    "projects_planned": 320,
    "projects_supported": 400,
    "industries_assisted": 700,
    "funds": 80_000_000,
    "visits": 6_400,
    "households": 38_240,
    "enterprises": 710,
    "communities": 400,
    "villager_groups": 1_100,
    "forums": 690,
    "opinions": 12_700,
    "businesses_helped": 40_000,
    "business_problems": 17_000,
    "financing": 49_000_000_000,
    "migrant_cases": 25_000,
    "difficulties": 20_000,
    # "Three activities": the service events of a round.
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
    # Standing volunteer teams (drawn once, not per round).
    "volunteer_teams": 200,
    "professional_teams": 15,
    # "Three channels": flows summed over the channel returns (the previous second half and this
    # first half: the article counts "since last year"), and stocks of the latest returns.
    "channel_opinions": 12_200,
    "channel_leader_instructions": 3_140,
    "channel_npc_motions": 790,
    "channel_cppcc_proposals": 910,
    "channel_requests": 7_440,
    "burden_reduced": 33_000_000,
    "licences": 189_000,
    "non_licences": 80_000,
    "model_windows": 3_000,
    "model_posts": 20_000,
    "pledged_members": 40_000,
}

# Figures the article gives exactly (not "N多"): agencies doing something, and the approval clean-up.
WINDOW_UNITS = 68
SERVICE_TRADES = 103
ITEMS_BEFORE, ITEMS_AFTER = 1_224, 320
TIME_LIMIT_KEPT = Decimal("0.488")  # the kept items' time limits were cut by 51.2 %
FEES_CANCELLED, FEES_CANCELLED_ENTERPRISE = 31, 5
CONVENIENCE_DEPTS, CONVENIENCE_WITH_CHIEF = 39, 146
UNSATISFIED = Decimal("0.0002")  # 99.98 % satisfied
APPROVAL_AGENCIES = 48  # agencies with administrative approval items
FEE_AGENCIES = 11  # agencies that cancelled fees
CULTURE_UNITS, MEDICAL_UNITS, LEGAL_UNITS, PLANNING_UNITS = 42, 12, 6, 56
BOOK_RECIPIENTS = 10  # "books donated to ten grassroots units"
FULL_INVENTORY_SHARE = 0.92  # agencies whose latest return has every channel
CHANNEL_RETURNED = 4  # first-half returns sent back for correction
CHANNEL_SUBMITTED = 0.15  # share of the others still awaiting review at the cut-off

# The directory's shape.
CONTACT_POINT_AGENCIES = 112
PAIRED_COMMITTEES = 105
COMMUNITY_ONLY_COMMITTEES = 5
VILLAGE_ONLY_COMMITTEES = 3
VILLAGE_PARTNERS = 275  # village organisations paired, two to four per committee

# Month weights (Jan..Dec) and the weight of a Saturday or Sunday relative to a weekday.
PROFILES = {
    # fewer visits in February (Spring Festival) and August (heat, floods); more in spring and autumn
    "visit": ((8, 4, 11, 11, 11, 10, 7, 4, 10, 10, 10, 7), 0.3),
    # condolence visits crowd around the Spring Festival
    "condolence": ((30, 22, 4, 3, 3, 4, 4, 3, 4, 4, 5, 14), 0.7),
    "fieldwork": ((5, 3, 9, 10, 10, 9, 8, 6, 10, 10, 9, 6), 0.4),
    "joint_meeting": ((6, 4, 16, 14, 9, 8, 7, 5, 8, 8, 7, 6), 0.1),
    "org_life": ((4, 3, 6, 7, 8, 17, 19, 6, 7, 8, 6, 5), 0.3),  # around 1 July
    "joint_condolence": ((22, 16, 4, 4, 4, 6, 5, 4, 6, 6, 6, 14), 0.5),
    "flat": ((10, 6, 10, 10, 10, 10, 9, 7, 10, 10, 10, 8), 0.4),
    "start": ((45, 25, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0), 0.3),  # contact points and pairings begin early
    # volunteers serve on weekends, and most in March (5 March, "learn from Lei Feng" day)
    "volunteer": ((6, 5, 18, 10, 9, 8, 8, 6, 9, 9, 8, 8), 1.5),
}

NEEDY_CATEGORIES = (
    (NeedyPerson.Category.SUBSISTENCE, 26),
    (NeedyPerson.Category.FIVE_GUARANTEES, 12),
    (NeedyPerson.Category.DISABLED, 14),
    (NeedyPerson.Category.SERIOUS_ILLNESS, 14),
    (NeedyPerson.Category.ELDERLY_ALONE, 12),
    (NeedyPerson.Category.LEFT_BEHIND_CHILD, 8),
    (NeedyPerson.Category.POOR_STUDENT, 9),
    (NeedyPerson.Category.OTHER, 5),
)

CP_KINDS = (
    (ContactPointActivity.Kind.RESEARCH, 22),
    (ContactPointActivity.Kind.VILLAGE_STAY, 18),
    (ContactPointActivity.Kind.CONDOLENCE, 38),
    (ContactPointActivity.Kind.RELIEF, 22),
)

# Chinese titles of joint activities (the choice labels are translated, these are data).
JOINT_TITLES = {
    JointActivity.Kind.JOINT_MEETING: ("结对共建联席会议", "年度共建工作联席会"),
    JointActivity.Kind.MUTUAL_VISIT: ("党员互访交流活动", "城乡党组织互访"),
    JointActivity.Kind.ORG_LIFE: ("共同过组织生活", "“七一”共同过组织生活"),
    JointActivity.Kind.CONDOLENCE: ("走访慰问困难党员群众", "节日慰问帮扶"),
    JointActivity.Kind.LIVELIHOOD: ("办理民生实事", "为民办实事项目"),
    JointActivity.Kind.OTHER: ("党员志愿服务", "政策宣讲进村入户", "共建文化活动"),
}
JOINT_PROFILES = {
    JointActivity.Kind.JOINT_MEETING: "joint_meeting",
    JointActivity.Kind.MUTUAL_VISIT: "flat",
    JointActivity.Kind.ORG_LIFE: "org_life",
    JointActivity.Kind.CONDOLENCE: "joint_condolence",
    JointActivity.Kind.LIVELIHOOD: "fieldwork",
    JointActivity.Kind.OTHER: "flat",
}

# Monthly returns. The article reports the province as of 31 July: the first half-year
# has been reviewed and locked, July's returns are in and awaiting review.
RETURNS_CUTOFF = (7, 31)
RETURNED_AGENCIES = 5  # agencies with a month sent back for correction
NON_REPORTING_AGENCIES = 6  # agencies that never submitted some months
CUTOFF_MONTH_SUBMITTED = 0.85  # share of the other agencies that have submitted July
# Officers' comments on returned months (data, not interface text: {month} is the month's number).
RETURN_COMMENTS = (
    "{month}月走访记录中住村天数与起止日期不符，请核实后重新提交。",
    "{month}月联系点活动慰问人数与工作台账不一致，请核对后重新报送。",
    "{month}月“1+2”结对共建活动缺少联席会议记录，请补录后重新提交。",
    "{month}月帮扶资金金额填报有误（单位应为元），请更正后重新提交。",
    "{month}月走访户数明显偏多，请附走访台账说明情况后重新提交。",
    "{month}月部分走访记录未填写走访地点，请补充完整后重新提交。",
)

# "Three activities" and "three channels": which agencies do what (short names of demo_data.AGENCIES,
# the rest drawn at random), and the records' Chinese titles (data, not interface text).
PROFESSIONAL_POOLS = {
    VolunteerTeam.Specialty.MEDICAL: (
        "省卫生计生委",
        "省立医院",
        "安徽医科大学",
        "省红十字会",
        "省食品药品监管局",
        "省计生协",
    ),
    VolunteerTeam.Specialty.AGRITECH: (
        "省农委",
        "省农科院",
        "安徽农业大学",
        "省林业厅",
        "省科协",
        "省水利厅",
        "省供销社",
        "省科技厅",
    ),
    VolunteerTeam.Specialty.LEGAL: ("省司法厅", "省高级法院", "省检察院", "省法学会", "省法制办"),
}
PROFESSIONAL_SHARES = {  # of the professional teams
    VolunteerTeam.Specialty.MEDICAL: 5,
    VolunteerTeam.Specialty.AGRITECH: 6,
    VolunteerTeam.Specialty.LEGAL: 4,
}
TEAM_WORDS = ("党员", "青年", "学雷锋", "巾帼", "爱心", "为民服务", "关爱留守儿童", "助老助残")
SPECIALTY_WORDS = {
    VolunteerTeam.Specialty.MEDICAL: ("医疗", "医疗专家", "健康服务"),
    VolunteerTeam.Specialty.AGRITECH: ("农技", "科技服务", "农业专家"),
    VolunteerTeam.Specialty.LEGAL: ("法律", "法律援助", "普法"),
}
SERVICE_ACTIVITIES = {  # team kind or specialty -> (activity, weight)
    "general": (
        (VolunteerService.Activity.ELDER_DISABLED, 30),
        (VolunteerService.Activity.TEACHING, 20),
        (VolunteerService.Activity.ENVIRONMENT, 20),
        (VolunteerService.Activity.PUBLIC_LABOUR, 20),
        (VolunteerService.Activity.OTHER, 10),
    ),
    VolunteerTeam.Specialty.MEDICAL: (
        (VolunteerService.Activity.OTHER, 60),
        (VolunteerService.Activity.ELDER_DISABLED, 40),
    ),
    VolunteerTeam.Specialty.AGRITECH: ((VolunteerService.Activity.OTHER, 60), (VolunteerService.Activity.TEACHING, 40)),
    VolunteerTeam.Specialty.LEGAL: ((VolunteerService.Activity.OTHER, 70), (VolunteerService.Activity.TEACHING, 30)),
}
SERVICE_NOTES = {
    VolunteerService.Activity.ELDER_DISABLED: ("走访敬老院，为老人打扫卫生、理发", "上门为残疾人送去生活用品"),
    VolunteerService.Activity.TEACHING: ("为留守儿童辅导功课", "开展政策宣讲和技能培训"),
    VolunteerService.Activity.ENVIRONMENT: ("清理村道垃圾，美化村容村貌", "植树护绿"),
    VolunteerService.Activity.PUBLIC_LABOUR: ("文明交通劝导", "社区公益劳动"),
    VolunteerService.Activity.OTHER: ("学雷锋志愿服务", "节日慰问志愿服务"),
}
SPECIALTY_NOTES = {  # what a professional team's "other" service is
    VolunteerTeam.Specialty.MEDICAL: ("义诊送药、健康咨询", "为村民免费体检"),
    VolunteerTeam.Specialty.AGRITECH: ("田间地头技术指导", "农业实用技术培训"),
    VolunteerTeam.Specialty.LEGAL: ("法律咨询、调解纠纷", "送法进村普法宣传"),
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
FIVE_INTO_TITLES = {
    FiveIntoAction.Kind.PUBLICITY: ("送书下乡活动", "“宣传进乡村”赠书活动", "流动书箱进村"),
    FiveIntoAction.Kind.PLANNING: ("中心村规划帮扶", "美好乡村建设规划对接", "“规划进乡村”项目对接"),
    FiveIntoAction.Kind.SERVICES: ("“送法进乡村”活动", "村（居）法律援助联系点建设", "法律援助便民服务窗口建设"),
    FiveIntoAction.Kind.CULTURE: ("“文化科技三下乡”活动", "文化科技卫生“三下乡”"),
    FiveIntoAction.Kind.HEALTH: ("“送医送药下乡”义诊", "“健康进乡村”义诊活动"),
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
MEDICAL_POOL = PROFESSIONAL_POOLS[VolunteerTeam.Specialty.MEDICAL] + ("省残联",)
LEGAL_POOL = ("省司法厅", "省高级法院", "省检察院", "省法学会", "省法制办", "省监狱局")
PLANNING_POOL = ("省住房城乡建设厅", "省发展改革委", "省扶贫办", "省国土资源厅", "省交通运输厅", "省农委")
WINDOW_POOL = (
    "省地税局",
    "省国税局",
    "省工商局",
    "省质监局",
    "省公安厅",
    "省人力资源社会保障厅",
    "省住房城乡建设厅",
    "合肥海关",
    "安徽检验检疫局",
    "省食品药品监管局",
    "省立医院",
    "省电力公司",
)
FEE_POOL = ("省物价局", "省财政厅", "省发展改革委", "省住房城乡建设厅", "省交通运输厅", "省国土资源厅")
CLEANUP_ROUND = "第六轮省级行政审批项目清理"
CHANNEL_RETURN_COMMENTS = (
    "上半年满意度测评份数与窗口单位台账不一致，请核实后重新提交。",
    "行政审批事项清理前后项数与公布的清单不符，请核对后重新报送。",
    "民情民意征集条数明显偏多，请附台账说明后重新提交。",
    "减轻企业和群众负担金额填报有误（单位应为元），请更正后重新提交。",
    "便民服务项目与首席代表制项目数填反，请更正后重新提交。",
)

# The year before the campaign: the same kinds of field work at a lower volume. Records hung on
# standing things (contact points, pairings, volunteer teams) come only from those begun by then,
# which already thins them; these shares thin the others (records, and their sums with them).
PREVIOUS_SHARES = {"visits": 0.65, "four_into": 0.7, "five_into": 0.6}

MIN_DAYS = {pos: m["days"] for pos, m in YEARLY_MINIMUMS.items()}
MIN_HOUSEHOLDS = {pos: m["households"] for pos, m in YEARLY_MINIMUMS.items()}


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def allocate(total: int, weights: list[float]) -> list[int]:
    """Share a whole-number total out in proportion to weights (largest remainder): the sum is exact."""
    wsum = math.fsum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    raw = [total * w / wsum for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    if rest > 0:
        order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
        for i in order[:rest]:
            out[i] += 1
    return out


def share_out(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Like `allocate`, but every record with a weight gets at least `minimum` (those without get 0)."""
    holders = sum(1 for w in weights if w > 0)
    base = allocate(max(0, total - minimum * holders), weights)
    return [b + minimum if w > 0 else 0 for b, w in zip(base, weights)]


def sparse_weights(rng: random.Random, n: int, share: float, sigma: float = 0.8) -> list[float]:
    """`share` of n records get a log-normal weight, the rest none."""
    return [rng.lognormvariate(0, sigma) if rng.random() < share else 0.0 for _ in range(n)]


def yuan(fen: int) -> Decimal:
    """Whole fen as Decimal yuan with two places."""
    return Decimal(fen).scaleb(-2)


def aim(rng: random.Random, key: str) -> int:
    """This round's total for a figure: a little over the reference ("N多")."""
    return round(TARGETS[key] * rng.uniform(1.0, 1.06))


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def person_name(rng: random.Random) -> str:
    given = 1 if rng.random() < 0.3 else 2
    return rng.choice(D.SURNAMES) + "".join(rng.choice(D.GIVEN_NAME_CHARS) for _ in range(given))


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def office_hours(rng: random.Random, day: datetime.date, cutoff: datetime.date) -> datetime.datetime:
    """Office hours on `day`, or on the next working day when that is not after the cut-off."""
    while day.weekday() >= 5 and day < cutoff:
        day += datetime.timedelta(days=1)
    day = min(day, cutoff)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.randint(0, 59)))


class YearCalendar:
    """Dates of the campaign year up to today, and weighted picks among them."""

    def __init__(self, year: int, today: datetime.date):
        self.year = year
        self.first = datetime.date(year, 1, 1)
        self.last = min(datetime.date(year, 12, 31), today)
        if self.last < self.first:
            raise ValueError(f"{year} has not begun yet")
        self.ndays = (self.last - self.first).days + 1
        self.dates = [self.first + datetime.timedelta(days=i) for i in range(self.ndays)]
        self._cum: dict[str, list[float]] = {}

    def clamp(self, day: datetime.date) -> datetime.date:
        return min(max(day, self.first), self.last)

    def _cumulative(self, profile: str) -> list[float]:
        if profile not in self._cum:
            months, weekend = PROFILES[profile]
            total, cum = 0.0, []
            for day in self.dates:
                total += months[day.month - 1] * (weekend if day.weekday() >= 5 else 1.0)
                cum.append(total)
            self._cum[profile] = cum
        return self._cum[profile]

    def pick(self, rng: random.Random, profile: str, lo=None, hi=None) -> datetime.date:
        """A date in [lo, hi] ∩ the year, drawn with the profile's weights (uniform where they are all zero)."""
        lo_i = max(0, (lo - self.first).days) if lo else 0
        hi_i = min(self.ndays - 1, (hi - self.first).days) if hi else self.ndays - 1
        if hi_i < lo_i:
            lo_i = hi_i = min(max(lo_i, 0), self.ndays - 1)
        cum = self._cumulative(profile)
        base = cum[lo_i - 1] if lo_i > 0 else 0.0
        span = cum[hi_i] - base
        if span <= 0:
            return self.dates[rng.randint(lo_i, hi_i)]
        r = base + rng.random() * span
        return self.dates[min(bisect.bisect_right(cum, r, lo_i, hi_i), hi_i)]

    def previous_year(self, rng: random.Random) -> datetime.date:
        """A start date between March and December of the year before."""
        lo = datetime.date(self.year - 1, 3, 1)
        hi = datetime.date(self.year - 1, 12, 31)
        return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))

    def start_date(self, rng: random.Random, share_previous: float) -> datetime.date:
        """When a standing thing began: the year before, or the first months of this year."""
        if rng.random() < share_previous:
            return self.previous_year(rng)
        return self.pick(rng, "start")


# ---------------------------------------------------------------------------
# The seeder
# ---------------------------------------------------------------------------


@dataclass
class Directory:
    """What the activity rounds draw on (model instances with their primary keys)."""

    province: Region = None
    cities: list = field(default_factory=list)
    counties: list = field(default_factory=list)
    villages_by_city: dict = field(default_factory=dict)  # city id -> [village]
    poor_by_county: dict = field(default_factory=dict)  # county id -> [poor village]
    poor_by_city: dict = field(default_factory=dict)  # city id -> [poor village]
    places_by_city: dict = field(default_factory=dict)  # city id -> level -> [region]
    agencies: list = field(default_factory=list)
    committees: dict = field(default_factory=dict)  # agency id -> committee
    officials: dict = field(default_factory=dict)  # agency id -> group -> [official]
    home_city: dict = field(default_factory=dict)  # agency id -> city id
    home_county: dict = field(default_factory=dict)  # agency id -> county (contact-point agencies only)
    cp_agencies: list = field(default_factory=list)
    pairings: list = field(default_factory=list)
    teams: list = field(default_factory=list)  # volunteer teams
    units: dict = field(default_factory=dict)  # "five into" kind -> [agency] (those with a unit figure)
    book_recipients: list = field(default_factory=list)  # the grassroots units given books


class DemoSeeder:
    def __init__(
        self,
        *,
        seed=DEFAULT_SEED,
        year=DEFAULT_YEAR,
        scale=1,
        fraction=1.0,
        today=None,
        log=None,
        previous_year=True,
        directory_only=False,
    ):
        if scale < 1:
            raise ValueError("scale must be at least 1")
        if not 0 < fraction <= 1:
            raise ValueError("fraction must be in (0, 1]")
        if directory_only and (scale != 1 or fraction != 1):
            raise ValueError("scale and fraction shape the field work: a directory alone has none")
        self.directory_only = directory_only
        self.seed = seed
        self.scale = scale
        self.fraction = fraction
        self.cal = YearCalendar(year, today or timezone.localdate())
        self.previous_cal = YearCalendar(year - 1, today or timezone.localdate())
        self.previous_year = previous_year
        self.volume = 1.0  # the share of its aim a round's sums take (below 1 for the previous year)
        self.log = log or (lambda message: None)
        self.d = Directory()
        self.timings: list[tuple[str, float]] = []

    def rng(self, stream: str) -> random.Random:
        return random.Random(f"outreach-demo:{self.seed}:{stream}")

    def aim(self, rng: random.Random, key: str) -> int:
        """This round's total for a figure (see `aim`), times the round's volume."""
        return round(aim(rng, key) * self.volume)

    def _phase(self, name, func, *args):
        started = time.perf_counter()
        result = func(*args)
        self.timings.append((name, time.perf_counter() - started))
        return result

    def run(self) -> dict:
        started = time.perf_counter()
        with transaction.atomic():
            self._phase("regions", self.build_regions, self.rng("directory:regions"))
            self._phase("agencies & officials", self.build_agencies, self.rng("directory:agencies"))
            self._phase("users", self.build_users)
            structure = self.rng("structure")
            plan = self._phase("partner organisations", self.plan_pairings, structure)
            if not self.directory_only:
                self.build_field_work(structure, plan)
        self.timings.append(("total", time.perf_counter() - started))
        return summarise_directory() if self.directory_only else summarise(self.cal.year)

    def build_field_work(self, structure, plan):
        """Everything after the directory: pairings, field work, monthly returns and locks, channel returns."""
        self._phase("pairing structure", self.build_pairings, structure, plan)
        self._phase("service structure", self.build_service_structure, self.rng("services"))
        for round_no in range(self.scale):
            cps = self._phase(f"activity round {round_no + 1}", self.build_round, round_no)
            if self.previous_year:
                self._phase(f"previous year round {round_no + 1}", self.build_previous_round, round_no, cps)
        self._phase("monthly returns", self.build_returns, self.rng("returns"))
        if self.previous_year:
            self._phase("previous year returns", self.build_previous_returns, self.rng("previous:returns"))
        self._phase("channel returns", self.build_channel_returns, self.rng("channels"))

    # -- directory --------------------------------------------------------------

    def build_regions(self, rng):
        d = self.d
        d.province = Region(code="34", name="安徽省", full_name="安徽省", level=Region.Level.PROVINCE)
        Region.objects.bulk_create([d.province])

        d.cities = [
            Region(
                code=f"34{code}",
                name=name,
                full_name=name,
                level=Region.Level.CITY,
                parent_id=d.province.pk,
                is_target_city=target,
            )
            for name, code, target in D.CITIES
        ]
        Region.objects.bulk_create(d.cities, batch_size=BATCH)
        Region.objects.filter(level=Region.Level.CITY).update(city=F("id"))
        for city in d.cities:
            city.city_id = city.pk

        def child(parent, code, name, level, **extra):
            return Region(
                code=code,
                name=name,
                full_name=f"{parent.full_name}{name}",
                level=level,
                parent_id=parent.pk,
                city_id=parent.city_id,
                **extra,
            )

        for city in d.cities:
            for i, name in enumerate(D.COUNTIES[city.code[2:]], 1):
                d.counties.append(child(city, f"{city.code}-{i:02d}", name, Region.Level.COUNTY))
        Region.objects.bulk_create(d.counties, batch_size=BATCH)
        target = {city.pk for city in d.cities if city.is_target_city}

        townships, communities = [], []
        for county in d.counties:
            n = rng.randint(3, 5) if county.city_id in target else 2
            for i, word in enumerate(rng.sample(D.PLACE_WORDS, n), 1):
                suffix = D.TOWNSHIP_SUFFIXES[0] if rng.random() < 0.7 else D.TOWNSHIP_SUFFIXES[1]
                townships.append(child(county, f"{county.code}-{i:02d}", word + suffix, Region.Level.TOWNSHIP))
            # Urban districts have the most communities, county towns a few.
            if county.name.endswith("区"):
                n = rng.randint(4, 6)
            elif county.name.endswith("市"):
                n = rng.randint(3, 4)
            else:
                n = rng.randint(1, 3)
            for i, word in enumerate(rng.sample(D.PLACE_WORDS, n), 1):
                communities.append(
                    child(county, f"{county.code}-c{i:02d}", word + D.COMMUNITY_SUFFIX, Region.Level.COMMUNITY)
                )
        Region.objects.bulk_create(townships, batch_size=BATCH)

        villages = []
        for township in townships:
            in_target = township.city_id in target
            n = rng.randint(5, 8) if in_target else rng.randint(3, 5)
            poor_share = 0.4 if in_target else 0.05
            for i, word in enumerate(rng.sample(D.PLACE_WORDS, n), 1):
                villages.append(
                    child(
                        township,
                        f"{township.code}-{i:03d}",
                        word + D.VILLAGE_SUFFIX,
                        Region.Level.VILLAGE,
                        is_poor=rng.random() < poor_share,
                    )
                )
        Region.objects.bulk_create(villages + communities, batch_size=BATCH)

        county_of = {t.pk: t.parent_id for t in townships}
        for city in d.cities:
            d.villages_by_city[city.pk] = []
            d.poor_by_city[city.pk] = []
            d.places_by_city[city.pk] = {level: [] for level in Region.Level.values}
        for region in d.counties + townships + villages + communities:
            d.places_by_city[region.city_id][region.level].append(region)
        for village in villages:
            d.villages_by_city[village.city_id].append(village)
            if village.is_poor:
                d.poor_by_city[village.city_id].append(village)
                d.poor_by_county.setdefault(county_of[village.parent_id], []).append(village)
        self.communities = communities
        self.log(
            f"  regions: 16 cities, {len(d.counties)} counties, {len(townships)} townships, "
            f"{len(villages)} villages ({sum(v.is_poor for v in villages)} poor), {len(communities)} communities"
        )

    def build_agencies(self, rng):
        d = self.d
        d.agencies = [Agency(code=code, name=name, short_name=short) for code, name, short in D.AGENCIES]
        Agency.objects.bulk_create(d.agencies, batch_size=BATCH)

        committees = [
            PartyOrganisation(
                name=f"中共{agency.name.removeprefix('中共')}机关委员会",
                kind=PartyOrganisation.Kind.AGENCY_COMMITTEE,
                agency_id=agency.pk,
            )
            for agency in d.agencies
        ]
        PartyOrganisation.objects.bulk_create(committees, batch_size=BATCH)
        d.committees = {c.agency_id: c for c in committees}

        # Which agencies hold contact points: all but 16, mostly among the central units,
        # enterprises, institutions and mass organisations.
        pool = [a for a in d.agencies if D.AGENCY_KINDS[a.code] in ("central", "enterprise", "institution", "mass")]
        without = {a.pk for a in rng.sample(pool, len(d.agencies) - CONTACT_POINT_AGENCIES)}
        d.cp_agencies = [a for a in d.agencies if a.pk not in without]

        officials = []
        for agency in d.agencies:
            kind = D.AGENCY_KINDS[agency.code]
            groups = d.officials[agency.pk] = {
                "leadership": [],
                "heads": [],
                "division_staff": [],
                "department_other": [],
                "other": [],
            }
            used = set()

            def official(group, title, rank, position, used=used, agency=agency, groups=groups):
                name = person_name(rng)
                while name in used:
                    name = person_name(rng)
                used.add(name)
                o = Official(agency_id=agency.pk, name=name, title=title, rank=rank, position=position)
                groups[group].append(o)
                officials.append(o)

            # Department level (厅局级): the leadership team, now and then a non-leading inspector.
            holds_points = agency.pk not in without
            n = weighted(rng, zip((4, 5, 6, 7), (0.1, 0.25, 0.35, 0.3) if holds_points else (0.5, 0.3, 0.2, 0.0)))
            head, deputy = head_titles(agency.name, kind)
            titles = [head] + [deputy] * (n - 1)
            if n >= 4:
                titles[-1] = "纪检组长"
            if n >= 5:
                titles[-2] = "机关党委书记"
            if n >= 5 and rng.random() < 0.4:
                titles[-3] = rng.choice(["巡视员", "副巡视员"])
            for title in titles:
                if "巡视员" in title:
                    official("department_other", title, Official.Rank.DEPARTMENT, Official.Position.STAFF)
                else:
                    official("leadership", title, Official.Rank.DEPARTMENT, Official.Position.LEADERSHIP)

            # Division level (处级): heads of internal departments, their deputies and researchers.
            # Only the heads (3-6 an agency) are under the yearly minimum of 30 households: were all
            # 15-25 division-level officials heads, the minimums alone would take ≈ 77,000 households,
            # twice the article's 38,240 for all visits.
            heads = rng.randint(3, 6)
            total = rng.randint(15, 25)
            head_titles_ = ["处长"] * heads
            if heads >= 4:
                head_titles_[-1] = "机关党委专职副书记"
            if heads >= 5:
                head_titles_[-2] = "机关纪委书记"
            for title in head_titles_:
                official("heads", title, Official.Rank.DIVISION, Official.Position.DEPARTMENT_HEAD)
            for _ in range(total - heads):
                title = weighted(rng, (("副处长", 5), ("调研员", 2), ("副调研员", 3)))
                official("division_staff", title, Official.Rank.DIVISION, Official.Position.STAFF)

            for _ in range(rng.randint(1, 3)):
                official("other", rng.choice(D.TITLES["other"]), Official.Rank.OTHER, Official.Position.STAFF)
        Official.objects.bulk_create(officials, batch_size=BATCH)
        self.log(f"  agencies: {len(d.agencies)}, officials: {len(officials)}")

    def build_users(self):
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: the same hash serves every demo login
        wanted = [
            (ADMIN_USERNAME, "系统管理员", Role.ADMIN, None),
            (OFFICER_USERNAME, "工委工作人员", Role.OFFICER, None),
        ] + [(f"staff-{a.code.lower()}", f"{a.short_name}机关党委", Role.STAFF, a) for a in self.d.agencies]
        existing = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
        for username in sorted(existing):
            self.log(f"  user {username!r} exists already: left unchanged")
        wanted = [w for w in wanted if w[0] not in existing]

        users = [
            User(
                username=username,
                first_name=first_name,
                password=password,
                is_staff=role in (Role.OFFICER, Role.ADMIN),
                is_superuser=role == Role.ADMIN,
            )
            for username, first_name, role, _agency in wanted
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        Profile.objects.bulk_create(
            [Profile(user_id=u.pk, role=w[2], agency_id=w[3].pk if w[3] else None) for u, w in zip(users, wanted)],
            batch_size=BATCH,
        )
        # What Profile.sync_user() does one by one: the role's group (is_staff is set above).
        sync_role_groups()
        groups = {g.name: g.pk for g in Group.objects.filter(name__in=GROUP_NAMES.values())}
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=u.pk, group_id=groups[GROUP_NAMES[w[2]]]) for u, w in zip(users, wanted)],
            batch_size=BATCH,
        )

    # -- pairing structure ------------------------------------------------------

    def plan_pairings(self, rng) -> list:
        """The first half of the pairing structure, which belongs to the directory: where each
        agency works, who pairs with whom, and the community and village Party organisations
        paired with (every community has one; a village has one when an agency pairs with it).

        Returns the plan, [(agency, partner organisation)] in the order the pairings are made, for
        `build_pairings`, which goes on drawing from the same `rng`.
        """
        d = self.d
        target_counties = [c for c in d.counties if c.city_id in {x.pk for x in d.cities if x.is_target_city}]
        target_cities = [c for c in d.cities if c.is_target_city]

        # Each contact-point agency has a county (定点帮扶县) where its leaders' contact points lie.
        order = target_counties[:]
        rng.shuffle(order)
        for i, agency in enumerate(rng.sample(d.cp_agencies, len(d.cp_agencies))):
            county = order[i % len(order)]
            d.home_county[agency.pk] = county
            d.home_city[agency.pk] = county.city_id
        for agency in d.agencies:
            if agency.pk not in d.home_city:
                city = rng.choice(target_cities if rng.random() < 0.7 else d.cities)
                d.home_city[agency.pk] = city.pk

        # "1+2": 105 committees pair; most with both a community and villages, a few with one side only.
        paired = rng.sample(d.agencies, PAIRED_COMMITTEES)
        one_sided = COMMUNITY_ONLY_COMMITTEES + VILLAGE_ONLY_COMMITTEES
        community_only = {a.pk for a in paired[:COMMUNITY_ONLY_COMMITTEES]}
        village_only = {a.pk for a in paired[COMMUNITY_ONLY_COMMITTEES:one_sided]}

        community_orgs = [
            PartyOrganisation(name=f"中共{c.full_name}委员会", kind=PartyOrganisation.Kind.COMMUNITY, region_id=c.pk)
            for c in self.communities
        ]
        PartyOrganisation.objects.bulk_create(community_orgs, batch_size=BATCH)
        # Urban communities (of districts) first.
        district = {c.pk for c in d.counties if c.name.endswith("区")}
        community_pool = sorted(
            zip(self.communities, community_orgs),
            key=lambda pair: (pair[0].parent_id not in district, rng.random()),
        )

        # How many villages each committee pairs with: two or more, ≈ 275 in all.
        village_side = [a for a in paired if a.pk not in community_only]
        per_committee = {a.pk: 2 for a in village_side}
        for _ in range(VILLAGE_PARTNERS + rng.randint(0, 5) - 2 * len(village_side)):
            agency = rng.choice([a for a in village_side if per_committee[a.pk] < 4])
            per_committee[agency.pk] += 1

        taken = set()
        plan = []  # (agency, partner org or village region)
        for agency in paired:
            if agency.pk not in village_only and community_pool:
                _community, org = community_pool.pop(0)
                plan.append((agency, org, None))
            if agency.pk in community_only:
                continue
            n = per_committee[agency.pk]
            city_villages = d.villages_by_city[d.home_city[agency.pk]]
            if not d.poor_by_city[d.home_city[agency.pk]]:  # a non-target home city: pair in a target city
                city_villages = d.villages_by_city[rng.choice(target_cities).pk]
            for _ in range(n):
                free = [v for v in city_villages if v.pk not in taken]
                poor = [v for v in free if v.is_poor]
                pick_from = poor if poor and rng.random() < 0.8 else free or poor
                if not pick_from:
                    break
                village = rng.choice(pick_from)
                taken.add(village.pk)
                plan.append((agency, None, village))

        village_orgs = {}
        for _agency, _org, village in plan:
            if village is not None:
                village_orgs[village.pk] = PartyOrganisation(
                    name=f"中共{village.full_name}支部委员会", kind=PartyOrganisation.Kind.VILLAGE, region_id=village.pk
                )
        PartyOrganisation.objects.bulk_create(list(village_orgs.values()), batch_size=BATCH)
        self.log(f"  partner organisations: {len(community_orgs)} community, {len(village_orgs)} village")
        return [(agency, org if org is not None else village_orgs[village.pk]) for agency, org, village in plan]

    def build_pairings(self, rng, plan):
        """The second half of the pairing structure: the "1+2" pairings of the plan, since when,
        and who lags behind (drawn from the `rng` that `plan_pairings` drew from before)."""
        d = self.d
        for agency, partner in plan:
            d.pairings.append(
                Pairing(
                    agency_id=agency.pk,
                    committee_id=d.committees[agency.pk].pk,
                    partner_id=partner.pk,
                    start_date=self.cal.start_date(rng, share_previous=0.55),
                )
            )
            d.pairings[-1].partner_kind_ = partner.kind
        Pairing.objects.bulk_create(d.pairings, batch_size=BATCH)
        villages = sum(partner.kind == PartyOrganisation.Kind.VILLAGE for _agency, partner in plan)
        self.log(f"  pairings: {len(d.pairings)} ({villages} village organisations)")

        # Who lags behind is part of the structure, so that the compliance lists stay
        # interesting at every scale: a pairing misses the same "ones" in every round,
        # an official short of a minimum stays short however many rounds there are.
        for pairing in d.pairings:
            miss = weighted(rng, ((0, 78), (1, 15), (2, 7)))
            pairing.missing_ = set(rng.sample(list(JointActivity.FIVE_ONES), miss))
        for agency in d.agencies:
            for group, (days, households) in (("leadership", (0.9, 0.92)), ("heads", (0.86, 0.9))):
                for official in d.officials[agency.pk][group]:
                    official.meets_ = (rng.random() < days, rng.random() < households)

    # -- "three activities": standing teams, and which agencies do what -------------------

    def agencies_named(self, short_names) -> list:
        known = {a.short_name: a for a in self.d.agencies}
        return [known[name] for name in short_names if name in known]

    def pick_agencies(self, rng, n, preferred=(), pool=None) -> list:
        """n agencies: those named (in order) first, the rest drawn from the pool (default: every agency)."""
        chosen = self.agencies_named(preferred)[:n]
        taken = {a.pk for a in chosen}
        rest = [a for a in (self.d.agencies if pool is None else pool) if a.pk not in taken]
        return chosen + rng.sample(rest, min(n - len(chosen), len(rest)))

    def build_service_structure(self, rng):
        """Volunteer teams (standing, so not multiplied by --scale) and the agencies behind each
        "five into" unit figure: the same agencies in every round, so that those distinct counts
        stay the article's at every scale while the sums grow."""
        d, cal = self.d, self.cal
        S = VolunteerTeam.Specialty
        professional = []
        shares = [PROFESSIONAL_SHARES[specialty] for specialty in PROFESSIONAL_POOLS]
        for (specialty, pool), n in zip(PROFESSIONAL_POOLS.items(), allocate(aim(rng, "professional_teams"), shares)):
            candidates = self.agencies_named(pool)
            professional += [(agency, specialty) for agency in rng.sample(candidates, min(n, len(candidates)))]

        # Every agency has a general team, the bigger ones two or three.
        per_agency = {a.pk: 1 for a in d.agencies}
        for _ in range(aim(rng, "volunteer_teams") - len(professional) - len(d.agencies)):
            agency = rng.choice([a for a in d.agencies if per_agency[a.pk] < 3])
            per_agency[agency.pk] += 1

        def team(agency, name, kind, specialty, members):
            start = cal.start_date(rng, share_previous=0.6)
            end = None
            if rng.random() < 0.03:  # a few disbanded during the year
                lo = max(start + datetime.timedelta(days=60), datetime.date(cal.year, 9, 1))
                if lo <= cal.last:
                    end = cal.pick(rng, "flat", lo, cal.last)
            return VolunteerTeam(
                agency_id=agency.pk,
                name=name,
                kind=kind,
                specialty=specialty,
                members=members,
                start_date=start,
                end_date=end,
            )

        teams = []
        for agency in d.agencies:
            for word in rng.sample(TEAM_WORDS, per_agency[agency.pk]):
                teams.append(
                    team(
                        agency,
                        f"{agency.short_name}{word}志愿服务队",
                        VolunteerTeam.Kind.GENERAL,
                        "",
                        rng.randint(25, 120),
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
        VolunteerTeam.objects.bulk_create(teams, batch_size=BATCH)
        d.teams = teams

        K = FiveIntoAction.Kind
        d.units = {
            K.CULTURE: self.pick_agencies(rng, CULTURE_UNITS, CULTURE_POOL),
            K.HEALTH: self.pick_agencies(rng, MEDICAL_UNITS, MEDICAL_POOL),
            K.SERVICES: self.pick_agencies(rng, LEGAL_UNITS, LEGAL_POOL),
            K.PLANNING: self.pick_agencies(rng, PLANNING_UNITS, PLANNING_POOL, pool=d.cp_agencies),
        }
        poor = [v for villages in d.poor_by_city.values() for v in villages]
        d.book_recipients = [f"{v.full_name}农家书屋" for v in rng.sample(poor, BOOK_RECIPIENTS)]
        self.log(
            f"  volunteer teams: {len(teams)} ({len(professional)} professional: "
            + ", ".join(f"{s} {sum(1 for _a, x in professional if x == s)}" for s in S.values if s != S.OTHER)
            + ")"
        )

    # -- activity rounds --------------------------------------------------------

    def keep(self, rng) -> bool:
        return self.fraction >= 1 or rng.random() < self.fraction

    def thin(self, rng, rows: list) -> list:
        """`fraction` of the rows (rounded), in their order: a steadier count than `keep` one by one."""
        if self.fraction >= 1:
            return rows
        kept = sorted(rng.sample(range(len(rows)), round(len(rows) * self.fraction)))
        return [rows[i] for i in kept]

    def build_round(self, round_no):
        rng = self.rng(f"activity:{round_no}")
        keep_rng = self.rng(f"fraction:{round_no}")
        cps = self.contact_points(rng, keep_rng)
        self.needy_people(rng, keep_rng, cps)
        self.contact_point_activities(rng, keep_rng, cps)
        self.joint_work(rng, keep_rng)
        self.visits(rng, keep_rng, cps, round_no)
        # The service activities draw on streams of their own: the records above do not change with them.
        rng, keep_rng = self.rng(f"services:{round_no}"), self.rng(f"services-fraction:{round_no}")
        self.four_into(rng, keep_rng)
        self.volunteer_services(rng, keep_rng)
        self.five_into(rng, keep_rng)
        return cps

    @contextmanager
    def level(self, cal: YearCalendar, share: float = 1.0, volume: float = 1.0):
        """Draw in `cal`'s year, keeping `share` of the records (on top of --fraction), sums times `volume`."""
        saved = self.cal, self.fraction, self.volume
        self.cal, self.fraction, self.volume = cal, self.fraction * share, volume
        try:
            yield
        finally:
            self.cal, self.fraction, self.volume = saved

    def build_previous_round(self, round_no, cps):
        """One round of the year before the campaign, on streams of its own (the campaign year's
        records do not change with it): the same kinds of field work, at a lower volume.

        Contact-point activities, joint activities, support and volunteer services come only from the
        contact points, pairings and teams begun by the end of that year (so within their spans), with
        sums in proportion; visits, outcomes, "four into" events and "five into" actions are thinned
        to `PREVIOUS_SHARES`. No contact points or needy people are added: they are standing things.
        """
        prev = self.previous_cal
        begun = [cp for cp in cps if cp.start_date <= prev.last]
        pairings = [p for p in self.d.pairings if p.start_date <= prev.last]
        teams = [t for t in self.d.teams if t.start_date <= prev.last]
        rng, keep_rng = self.rng(f"previous:activity:{round_no}"), self.rng(f"previous:fraction:{round_no}")
        with self.level(prev, volume=len(begun) / max(1, len(cps))):
            self.contact_point_activities(rng, keep_rng, begun)
        with self.level(prev, volume=len(pairings) / max(1, len(self.d.pairings))):
            self.joint_work(rng, keep_rng, pairings)
        with self.level(prev, share=PREVIOUS_SHARES["visits"]):
            self.visits(rng, keep_rng, begun, round_no)
        rng, keep_rng = self.rng(f"previous:services:{round_no}"), self.rng(f"previous:services-fraction:{round_no}")
        with self.level(prev, share=PREVIOUS_SHARES["four_into"]):
            self.four_into(rng, keep_rng)
        with self.level(prev, volume=len(teams) / max(1, len(self.d.teams))):
            self.volunteer_services(rng, keep_rng)
        with self.level(prev, share=PREVIOUS_SHARES["five_into"]):
            self.five_into(rng, keep_rng)

    def contact_points(self, rng, keep_rng):
        d, cal = self.d, self.cal
        holders = [
            o for a in d.cp_agencies for group in ("leadership", "department_other") for o in d.officials[a.pk][group]
        ]
        extra = max(0, aim(rng, "contact_points") - len(holders))
        owners = holders + rng.sample(holders, min(extra, len(holders)))
        points = []
        for official in owners:
            county = d.home_county[official.agency_id]
            villages = d.poor_by_county.get(county.pk) or d.poor_by_city[county.city_id]
            if rng.random() < 0.2:  # now and then elsewhere in the city
                villages = d.poor_by_city[county.city_id]
            start = cal.start_date(rng, share_previous=0.3)
            end = None
            if rng.random() < 0.04:  # a few ended during the year
                lo = max(start + datetime.timedelta(days=60), datetime.date(cal.year, 9, 1))
                if lo <= cal.last:
                    end = cal.pick(rng, "flat", lo, cal.last)
            cp = ContactPoint(
                agency_id=official.agency_id,
                official_id=official.pk,
                village=rng.choice(villages),
                start_date=start,
                end_date=end,
                note="",
            )
            if self.keep(keep_rng):
                points.append(cp)
        ContactPoint.objects.bulk_create(points, batch_size=BATCH)
        return points

    def needy_people(self, rng, keep_rng, cps):
        if not cps:
            return
        n = round(aim(rng, "needy_paired") * self.fraction)
        chosen = rng.sample(cps, min(n, len(cps))) + rng.choices(cps, k=max(0, n - len(cps)))
        people, pairings = [], []
        for cp in chosen:
            people.append(
                NeedyPerson(
                    agency_id=cp.agency_id,
                    name=person_name(rng),
                    village_id=cp.village.pk,
                    category=weighted(rng, NEEDY_CATEGORIES),
                )
            )
        NeedyPerson.objects.bulk_create(people, batch_size=BATCH)
        for cp, person in zip(chosen, people):
            start = min(cp.start_date + datetime.timedelta(days=rng.randint(0, 45)), self.cal.last)
            pairings.append(
                NeedyPairing(
                    agency_id=cp.agency_id,
                    needy_person_id=person.pk,
                    official_id=cp.official_id,
                    start_date=start,
                    end_date=cp.end_date,
                )
            )
        NeedyPairing.objects.bulk_create(pairings, batch_size=BATCH)

    def contact_point_activities(self, rng, keep_rng, cps):
        cal = self.cal
        rows = []
        for cp in cps:
            lo = max(cp.start_date, cal.first)
            hi = min(cp.end_date or cal.last, cal.last)
            for _ in range(weighted(rng, zip((3, 4, 5, 6, 7), (15, 25, 25, 20, 15)))):
                kind = weighted(rng, CP_KINDS)
                profile = "condolence" if kind == ContactPointActivity.Kind.CONDOLENCE else "fieldwork"
                rows.append(
                    ContactPointActivity(
                        agency_id=cp.agency_id,
                        contact_point_id=cp.pk,
                        kind=kind,
                        date=cal.pick(rng, profile, lo, hi),
                        note=rng.choice(D.CONTACT_POINT_ACTIVITY_NOTES),
                    )
                )
        K = ContactPointActivity.Kind
        # kind -> (share of activities with any, relative size)
        consoled_w = {
            K.CONDOLENCE: (1.0, 3.0),
            K.RELIEF: (0.5, 1.0),
            K.VILLAGE_STAY: (0.3, 0.6),
            K.RESEARCH: (0.1, 0.5),
        }
        solved_w = {K.RELIEF: (0.9, 3.0), K.VILLAGE_STAY: (0.8, 2.0), K.RESEARCH: (0.7, 1.5), K.CONDOLENCE: (0.3, 0.6)}

        def weights(table):
            return [
                table[r.kind][1] * rng.lognormvariate(0, 0.6) if rng.random() < table[r.kind][0] else 0.0 for r in rows
            ]

        scale = len(rows) and self.fraction
        consoled = allocate(round(self.aim(rng, "people_consoled") * scale), weights(consoled_w))
        solved = allocate(round(self.aim(rng, "problems_solved") * scale), weights(solved_w))
        for row, c, s in zip(rows, consoled, solved):
            row.people_consoled, row.problems_solved = c, s
            if row.kind == K.CONDOLENCE:
                fen = c * rng.randint(200, 800) * 100
            elif row.kind == K.RELIEF:
                fen = int(rng.lognormvariate(math.log(30_000), 0.9)) * 100
            elif row.kind == K.VILLAGE_STAY and rng.random() < 0.3:
                fen = rng.randint(1_000, 20_000) * 100
            else:
                fen = 0
            row.money = yuan(fen)
        ContactPointActivity.objects.bulk_create(rows, batch_size=BATCH)

    def joint_work(self, rng, keep_rng, pairings=None):
        """The pairings' activities and support.

        Most pairings hold all five "ones", so a round has ≈ 1,900 joint activities for
        ≈ 380 pairings: more than the article's 610+, which cannot hold five each for
        275 village and ≈ 100 community partners. The compliance shape wins here.
        """
        cal = self.cal
        activities, supports = [], []
        for pairing in self.d.pairings if pairings is None else pairings:
            lo = max(pairing.start_date, cal.first)
            kinds = [kind for kind in JointActivity.FIVE_ONES if kind not in pairing.missing_]
            if rng.random() < 0.25:
                kinds.append(JointActivity.Kind.OTHER)
            for kind in kinds:
                act = JointActivity(
                    agency_id=pairing.agency_id,
                    pairing_id=pairing.pk,
                    kind=kind,
                    date=cal.pick(rng, JOINT_PROFILES[kind], lo, cal.last),
                    title=rng.choice(JOINT_TITLES[kind]),
                    participants=rng.randint(8, 60),
                )
                if self.keep(keep_rng):
                    activities.append(act)
            village = pairing.partner_kind_ == PartyOrganisation.Kind.VILLAGE
            n = weighted(rng, ((0, 10), (1, 70), (2, 20))) if village else weighted(rng, ((0, 55), (1, 45)))
            for _ in range(n):
                supports.append(
                    Support(
                        agency_id=pairing.agency_id,
                        pairing_id=pairing.pk,
                        date=cal.pick(rng, "fieldwork", lo, cal.last),
                        note=rng.choice(D.CONTACT_POINT_ACTIVITY_NOTES),
                    )
                )
        n = len(supports)
        planned = allocate(self.aim(rng, "projects_planned"), sparse_weights(rng, n, 0.8))
        supported = allocate(self.aim(rng, "projects_supported"), sparse_weights(rng, n, 0.85))
        industries = allocate(self.aim(rng, "industries_assisted"), sparse_weights(rng, n, 0.9))
        funds = allocate(self.aim(rng, "funds") * 100, sparse_weights(rng, n, 0.95, sigma=1.0))
        kept = []
        for s, p, q, i, f in zip(supports, planned, supported, industries, funds):
            s.projects_planned, s.projects_supported, s.industries_assisted, s.funds = p, q, i, yuan(f)
            if self.keep(keep_rng):
                kept.append(s)
        JointActivity.objects.bulk_create(activities, batch_size=BATCH)
        Support.objects.bulk_create(kept, batch_size=BATCH)

    # Visits -------------------------------------------------------------------

    def place(self, rng, agency_id, stay, cp_villages):
        d = self.d
        if stay:
            if cp_villages.get(agency_id) and rng.random() < 0.7:
                return rng.choice(cp_villages[agency_id])
            city = d.home_city[agency_id] if rng.random() < 0.8 else rng.choice(d.cities).pk
            return rng.choice(d.villages_by_city[city])
        city = d.home_city[agency_id] if rng.random() < 0.75 else rng.choice(d.cities).pk
        level = weighted(
            rng,
            (
                (Region.Level.VILLAGE, 50),
                (Region.Level.TOWNSHIP, 20),
                (Region.Level.COMMUNITY, 15),
                (Region.Level.COUNTY, 15),
            ),
        )
        return rng.choice(d.places_by_city[city][level])

    def stay(self, rng, days, lo, hi):
        """A village stay of `days` days starting in [lo, hi] and ending within the year."""
        cal = self.cal
        days = max(1, min(days, cal.ndays))
        latest = cal.last - datetime.timedelta(days=days - 1)
        start = cal.pick(rng, "visit", lo, min(hi, latest))
        return start, start + datetime.timedelta(days=days - 1)

    def plan_minimum(self, rng, official, position, round_no):
        """The visits of an official under a yearly minimum: most meet it, some fall short."""
        cal = self.cal
        min_days, min_hh = MIN_DAYS[position], MIN_HOUSEHOLDS[position]
        leader = position == Official.Position.LEADERSHIP
        meets_days, meets_hh = official.meets_
        n = weighted(rng, zip((2, 3, 4, 5), (0.2, 0.35, 0.3, 0.15) if leader else (0.25, 0.35, 0.25, 0.15)))

        mid = datetime.date(cal.year, 6, 30)
        stays = []
        if meets_days and (rng.random() < 0.7 or cal.ndays < 120):
            days = min(7, min_days + weighted(rng, ((0, 3), (1, 3), (2, 2), (3, 1))))
            stays.append(self.stay(rng, days, cal.first, cal.last))
        elif meets_days:  # two stays, one in each half of the year, together at least the minimum
            first = math.ceil(min_days / 2)
            second = min_days - first + rng.randint(0, 2)
            s1 = self.stay(rng, first, cal.first, mid)
            stays.append(s1)
            if s1[1] + datetime.timedelta(days=7) <= cal.last - datetime.timedelta(days=second - 1):
                stays.append(self.stay(rng, second, s1[1] + datetime.timedelta(days=7), cal.last))
            else:
                stays[0] = self.stay(rng, min_days, cal.first, cal.last)
        elif round_no == 0 and rng.random() < 0.6:  # short: a stay too short, or none
            stays.append(self.stay(rng, rng.randint(1, min_days - 1), cal.first, cal.last))

        visits = [dict(official=official, stay=True, start=s, end=e) for s, e in stays]
        while len(visits) < n:
            visits.append(self.short_visit(rng, official))
        if meets_hh:
            hh = min_hh + rng.randint(0, 8)
        else:  # short: all the households of the year in the first round
            hh = rng.randint(min_hh // 3, min_hh - 1) if round_no == 0 else 0
        weights = [(2.0 if v["stay"] else 1.0) * rng.lognormvariate(0, 0.4) for v in visits]
        for v, h in zip(visits, allocate(hh, weights)):
            v["households"] = h
        return visits

    def short_visit(self, rng, official):
        start = self.cal.pick(rng, "visit")
        end = min(start + datetime.timedelta(days=1), self.cal.last) if rng.random() < 0.2 else start
        return dict(official=official, stay=False, start=start, end=end)

    def visits(self, rng, keep_rng, cps, round_no):
        d, cal = self.d, self.cal
        cp_villages = {}
        for cp in cps:
            cp_villages.setdefault(cp.agency_id, []).append(cp.village)

        planned, others = [], []
        for agency in d.agencies:
            groups = d.officials[agency.pk]
            for o in groups["leadership"]:
                planned += self.plan_minimum(rng, o, Official.Position.LEADERSHIP, round_no)
            for o in groups["heads"]:
                planned += self.plan_minimum(rng, o, Official.Position.DEPARTMENT_HEAD, round_no)
            others += groups["division_staff"] + groups["department_other"]

        # The rest of the person-times: division-level staff and non-leading inspectors.
        rest = max(0, self.aim(rng, "visits") - len(planned))
        extra = []
        for official in rng.choices(others, k=rest):
            if rng.random() < 0.05:
                start, end = self.stay(rng, rng.randint(1, 2), cal.first, cal.last)
                extra.append(dict(official=official, stay=True, start=start, end=end))
            else:
                extra.append(self.short_visit(rng, official))
        households = self.aim(rng, "households") - sum(v["households"] for v in planned)
        for v, h in zip(extra, allocate(max(households, 0), sparse_weights(rng, len(extra), 0.6))):
            v["households"] = h
        plans = planned + extra

        for v in plans:
            v["place"] = self.place(rng, v["official"].agency_id, v["stay"], cp_villages)
        n = len(plans)

        def near(level_set, share, sigma=0.8):
            return [
                rng.lognormvariate(0, sigma) * (3.0 if v["place"].level in level_set else 1.0)
                if rng.random() < share
                else 0.0
                for v in plans
            ]

        L = Region.Level
        fields = {
            "enterprises": allocate(
                self.aim(rng, "enterprises"),
                [0.0 if v["stay"] else w for v, w in zip(plans, near({L.COUNTY, L.TOWNSHIP}, 0.15))],
            ),
            "communities": allocate(self.aim(rng, "communities"), near({L.COMMUNITY}, 0.08)),
            "villager_groups": allocate(self.aim(rng, "villager_groups"), near({L.VILLAGE}, 0.2)),
            "forums": allocate(self.aim(rng, "forums"), sparse_weights(rng, n, 0.1, 0.3)),
            "opinions": allocate(self.aim(rng, "opinions"), sparse_weights(rng, n, 0.7)),
        }

        kept = []
        for i, v in enumerate(plans):
            official = v["official"]
            days = (v["end"] - v["start"]).days + 1
            visit = Visit(
                agency_id=official.agency_id,
                official_id=official.pk,
                start_date=v["start"],
                end_date=v["end"],
                is_village_stay=v["stay"],
                village_days=days if v["stay"] else 0,
                place_id=v["place"].pk,
                households=v["households"],
                note=rng.choice(D.VISIT_NOTES),
                **{name: values[i] for name, values in fields.items()},
            )
            if self.keep(keep_rng):
                kept.append(visit)
        Visit.objects.bulk_create(kept, batch_size=BATCH)

        # Outcomes for a good share of visits, sized so the year's sums approach the article.
        with_outcome = [v for v in kept if rng.random() < 0.6]
        m = len(with_outcome)

        def share_out(key, share, sigma, unit=1):
            return allocate(round(self.aim(rng, key) * self.fraction) * unit, sparse_weights(rng, m, share, sigma))

        outcome_fields = {
            "businesses_helped": share_out("businesses_helped", 0.7, 1.0),
            "business_problems": share_out("business_problems", 0.6, 1.0),
            "financing": share_out("financing", 0.2, 1.2, unit=100),  # in fen
            "migrant_cases": share_out("migrant_cases", 0.4, 1.0),
            "difficulties": share_out("difficulties", 0.8, 0.8),
        }
        outcomes = []
        for i, visit in enumerate(with_outcome):
            values = {name: vals[i] for name, vals in outcome_fields.items()}
            values["financing"] = yuan(values["financing"])
            outcomes.append(VisitOutcome(agency_id=visit.agency_id, visit_id=visit.pk, **values))
        VisitOutcome.objects.bulk_create(outcomes, batch_size=BATCH)

    # Service activities ("three activities") -------------------------------------

    def four_into(self, rng, keep_rng):
        """Every agency holds a "four into" event each half-year (the campaign's rule), some two."""
        d, cal = self.d, self.cal
        halves = [half for half in HalfYear.values if half_year_span(cal.year, half)[0] <= cal.last]
        plans = [(agency, half) for half in halves for agency in d.agencies]
        extra = self.aim(rng, "four_into_events") - len(plans)
        plans += [(rng.choice(d.agencies), rng.choice(halves)) for _ in range(max(0, extra))]
        n = len(plans)

        def lognormal(sigma):
            return [rng.lognormvariate(0, sigma) for _ in range(n)]

        officials = share_out(self.aim(rng, "four_into_officials"), lognormal(0.5), 5)
        sites = share_out(self.aim(rng, "four_into_sites"), lognormal(0.6), 1)
        families = allocate(self.aim(rng, "four_into_families"), sparse_weights(rng, n, 0.85))
        family_fen = allocate(
            self.aim(rng, "four_into_family_aid") * 100, [f * rng.lognormvariate(0, 0.3) for f in families]
        )
        students = allocate(self.aim(rng, "four_into_students"), sparse_weights(rng, n, 0.35))
        student_fen = allocate(
            self.aim(rng, "four_into_student_aid") * 100, [s * rng.lognormvariate(0, 0.3) for s in students]
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
                    date=cal.pick(rng, "fieldwork", start, min(end, cal.last)),
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
        FourIntoEvent.objects.bulk_create(self.thin(keep_rng, events), batch_size=BATCH)

    def volunteer_services(self, rng, keep_rng):
        """The teams' services, inside each team's span; hours derived from the person-times (2-4 h each)."""
        d, cal = self.d, self.cal
        plans = []
        for team in d.teams:
            lo, hi = max(team.start_date, cal.first), min(team.end_date or cal.last, cal.last)
            if hi < lo:
                continue
            n = rng.randint(3, 8) if team.kind == VolunteerTeam.Kind.PROFESSIONAL else rng.randint(5, 11)
            plans += [(team, cal.pick(rng, "volunteer", lo, hi)) for _ in range(n)]
        person_times = share_out(
            self.aim(rng, "volunteer_person_times"),
            [team.members * rng.lognormvariate(0, 0.5) for team, _day in plans],
            3,
        )
        L = Region.Level
        rows = []
        for (team, day), persons in zip(plans, person_times):
            activity = weighted(rng, SERVICE_ACTIVITIES[team.specialty or "general"])
            if activity == VolunteerService.Activity.OTHER and team.specialty:
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
        VolunteerService.objects.bulk_create(self.thin(keep_rng, rows), batch_size=BATCH)

    def five_into(self, rng, keep_rng):
        """The "five into the countryside" actions; each kind fills only its own yields (`YIELDS`).

        The article's "42 agencies ran 16 culture trips" cannot be recorded as such: an agency counts
        as a culture unit with a trip of its own on record, so each of the 16 joint trips is recorded
        by every agency taking part, and the trips summed over records (≈ 45) exceed 16.
        """
        d, cal = self.d, self.cal
        K = FiveIntoAction.Kind
        actions = []

        def action(agency, kind, day=None, title=None, **yields):
            actions.append(
                FiveIntoAction(
                    agency_id=agency.pk,
                    kind=kind,
                    date=day or cal.pick(rng, "fieldwork"),
                    title=title or rng.choice(FIVE_INTO_TITLES[kind]),
                    **yields,
                )
            )

        # Publicity: books and mobile book boxes for the ten grassroots units, from agencies anywhere.
        donors = rng.sample(d.agencies, rng.randint(26, 34))
        gives_books = [rng.random() < 0.8 for _ in donors]
        books = share_out(self.aim(rng, "books"), [rng.lognormvariate(0, 0.8) if b else 0.0 for b in gives_books], 50)
        boxes = share_out(
            self.aim(rng, "book_boxes"),
            [rng.lognormvariate(0, 0.6) if not b or rng.random() < 0.5 else 0.0 for b in gives_books],
        )
        for agency, n_books, n_boxes in zip(donors, books, boxes):
            action(
                agency,
                K.PUBLICITY,
                books=n_books,
                book_boxes=n_boxes,
                book_recipients=rng.choice(d.book_recipients) if n_books else "",
            )

        # Planning: the paired agencies plan central villages and secure projects for them.
        planners = [a for a in d.units[K.PLANNING] for _ in range(2 if rng.random() < 0.3 else 1)]
        villages = share_out(self.aim(rng, "villages_planned"), [rng.lognormvariate(0, 0.5) for _ in planners])
        projects = allocate(self.aim(rng, "projects_secured"), sparse_weights(rng, len(planners), 0.6))
        for agency, n_villages, n_projects in zip(planners, villages, projects):
            action(agency, K.PLANNING, villages_planned=n_villages, projects_secured=n_projects)

        # Services: the judicial units set up legal-aid contact points and windows.
        lawyers = [a for a in d.units[K.SERVICES] for _ in range(rng.randint(3, 6))]
        points = share_out(self.aim(rng, "legal_points"), [rng.lognormvariate(0, 1.0) for _ in lawyers])
        windows = allocate(self.aim(rng, "legal_windows"), sparse_weights(rng, len(lawyers), 0.5))
        for agency, n_points, n_windows in zip(lawyers, points, windows):
            action(agency, K.SERVICES, legal_points=n_points, legal_windows=n_windows)

        # Culture: joint trips, each recorded by every agency taking part; each culture unit takes part.
        poor = [v for villages_ in d.poor_by_city.values() for v in villages_]
        trips = self.aim(rng, "culture_trips")
        units = rng.sample(d.units[K.CULTURE], len(d.units[K.CULTURE]))
        for k in range(trips):
            taking_part = units[k::trips] or [rng.choice(units)]
            if rng.random() < 0.2:
                taking_part.append(rng.choice([a for a in units if a not in taking_part]))
            village = rng.choice(poor)
            day = cal.pick(rng, "fieldwork")
            title = f"{rng.choice(FIVE_INTO_TITLES[K.CULTURE])}走进{village.name}"
            for agency in taking_part:
                action(agency, K.CULTURE, day=day, title=title, culture_trips=1)

        # Health: free clinics of the medical units.
        clinics = [a for a in d.units[K.HEALTH] for _ in range(rng.randint(2, 4))]
        consultations = share_out(self.aim(rng, "consultations"), [rng.lognormvariate(0, 0.6) for _ in clinics], 20)
        for agency, n in zip(clinics, consultations):
            action(agency, K.HEALTH, consultations=n)

        # Thinned kind by kind, so that a test's fraction keeps every kind.
        kept = [a for kind in K.values for a in self.thin(keep_rng, [a for a in actions if a.kind == kind])]
        FiveIntoAction.objects.bulk_create(kept, batch_size=BATCH)

    # -- monthly returns --------------------------------------------------------

    def build_returns(self, rng):
        """The monthly returns as they stood at the article's cut-off, and the officer's lock up to May.

        Months before the cut-off's month have been reviewed: most approved, a few
        returned with a comment, a few never submitted (the non-reporters). The
        cut-off's month is mostly submitted and awaiting review. Timestamps follow
        the calendar: a month is submitted in the first working days of the next,
        reviewed a few days later, and the first half-year is locked once reviewed.
        Like the records, the returns are written with `bulk_create`: no history rows,
        and no period checks (the records were entered before their months closed).
        """
        cal = self.cal
        cutoff = min(datetime.date(cal.year, *RETURNS_CUTOFF), cal.last)
        reviewed = list(range(1, cutoff.month))
        agencies = sorted(self.d.agencies, key=lambda a: a.code)
        users = dict(
            get_user_model()
            .objects.filter(username__in=demo_usernames([a.code for a in agencies]))
            .values_list("username", "pk")
        )
        officer_id = users.get(OFFICER_USERNAME)

        picked = rng.sample(agencies, NON_REPORTING_AGENCIES + RETURNED_AGENCIES) if reviewed else []
        missing = {  # agency id -> months never submitted
            agency.pk: set(rng.sample(reviewed, min(len(reviewed), rng.randint(1, 3))))
            for agency in picked[:NON_REPORTING_AGENCIES]
        }
        returned = {}  # agency id -> (month, the officer's comment)
        for agency in picked[NON_REPORTING_AGENCIES:]:
            # Returned for correction: the last reviewed month, which the lock does not cover.
            month = reviewed[-1]
            returned[agency.pk] = (month, rng.choice(RETURN_COMMENTS).format(month=month))

        def moment(day: datetime.date) -> datetime.datetime:
            return office_hours(rng, day, cutoff)

        rows = []
        for agency in agencies:
            staff_id = users.get(f"staff-{agency.code.lower()}")
            for month in range(1, cutoff.month + 1):
                if month in missing.get(agency.pk, ()):
                    continue
                row = PeriodReturn(agency_id=agency.pk, year=cal.year, month=month, submitted_by_id=staff_id)
                if month == cutoff.month:
                    # The cut-off's month: most have submitted in its last days; the non-reporters have not.
                    if agency.pk in missing or rng.random() >= CUTOFF_MONTH_SUBMITTED:
                        continue
                    row.status = PeriodReturn.Status.SUBMITTED
                    row.submitted_at = moment(
                        max(cutoff - datetime.timedelta(days=rng.randint(0, 6)), datetime.date(cal.year, month, 1))
                    )
                else:
                    row.submitted_at = moment(
                        datetime.date(cal.year, month + 1, 1) + datetime.timedelta(days=rng.randint(0, 6))
                    )
                    row.reviewed_at = max(
                        moment(row.submitted_at.date() + datetime.timedelta(days=rng.randint(1, 5))),
                        row.submitted_at + datetime.timedelta(hours=1),
                    )
                    row.reviewed_by_id = officer_id
                    if returned.get(agency.pk, (None,))[0] == month:
                        row.status, row.comment = PeriodReturn.Status.RETURNED, returned[agency.pk][1]
                    else:
                        row.status = PeriodReturn.Status.APPROVED
                rows.append(row)
        PeriodReturn.objects.bulk_create(rows, batch_size=BATCH)

        # Locked up to the end of the month before the last reviewed one, so that months returned
        # for correction stay open.
        locked_to = month_end(cal.year, reviewed[-2]) if len(reviewed) >= 2 else None
        if locked_to is not None:
            # Locked the working day after the last review of the locked months.
            last_review = max(
                (r.reviewed_at for r in rows if r.reviewed_at and r.month <= reviewed[-2]),
                default=timezone.make_aware(datetime.datetime(cal.year, reviewed[-1], 1, 9)),
            )
            locked_at = moment(timezone.localtime(last_review).date() + datetime.timedelta(days=1))
            lock = PeriodLock(year=cal.year, month=None, up_to=locked_to, locked_by_id=officer_id)
            PeriodLock.objects.bulk_create([lock])
            PeriodLock.objects.filter(pk=lock.pk).update(locked_at=locked_at)  # auto_now_add set "now"
        self.log(
            f"  monthly returns: {len(rows)} up to {cutoff}; returned {len(returned)}, "
            f"non-reporting agencies {len(missing)}"
        )

    def build_previous_returns(self, rng):
        """The year before the campaign, closed: every agency's twelve months approved, each submitted
        in the first working days of the next month and reviewed a few days later, and the whole year
        locked once its last month was reviewed (so nothing of it can be edited)."""
        prev = self.previous_cal
        agencies = sorted(self.d.agencies, key=lambda a: a.code)
        users = dict(
            get_user_model()
            .objects.filter(username__in=demo_usernames([a.code for a in agencies]))
            .values_list("username", "pk")
        )
        officer_id = users.get(OFFICER_USERNAME)
        cutoff = min(datetime.date(self.cal.year, *RETURNS_CUTOFF), self.cal.last)
        rows = []
        for agency in agencies:
            for month in range(1, 13):
                submitted_on = month_end(prev.year, month) + datetime.timedelta(days=1 + rng.randint(0, 6))
                submitted_at = office_hours(rng, submitted_on, cutoff)
                reviewed_at = max(
                    office_hours(rng, submitted_at.date() + datetime.timedelta(days=rng.randint(1, 5)), cutoff),
                    submitted_at + datetime.timedelta(hours=1),
                )
                rows.append(
                    PeriodReturn(
                        agency_id=agency.pk,
                        year=prev.year,
                        month=month,
                        status=PeriodReturn.Status.APPROVED,
                        submitted_by_id=users.get(f"staff-{agency.code.lower()}"),
                        submitted_at=submitted_at,
                        reviewed_by_id=officer_id,
                        reviewed_at=reviewed_at,
                    )
                )
        PeriodReturn.objects.bulk_create(rows, batch_size=BATCH)
        last_review = max(r.reviewed_at for r in rows)
        locked_at = office_hours(rng, timezone.localtime(last_review).date() + datetime.timedelta(days=1), cutoff)
        lock = PeriodLock(year=prev.year, month=None, up_to=prev.last, locked_by_id=officer_id)
        PeriodLock.objects.bulk_create([lock])
        PeriodLock.objects.filter(pk=lock.pk).update(locked_at=locked_at)  # auto_now_add set "now"
        self.log(f"  previous year's monthly returns: {len(rows)}, all approved; the year locked")

    # -- channel returns --------------------------------------------------------

    def build_channel_returns(self, rng):
        """Every agency's half-yearly channel returns: the previous year's second half (approved in
        January, so the form shows last period's values) and this year's first half as it stood at the
        monthly returns' cut-off (31 July): mostly approved, some awaiting review, a few sent back.

        Flows are shared out over both returns (the article counts them "since last year"); stocks are
        set on the first half (each agency's latest return) and drawn a little behind on the second
        half before. Exact figures of the article (68 window agencies, 1,224 items cut to 320, ...)
        are hit exactly; "N多" ones a little over. Written with `bulk_create`, so `period_end` is set here.
        """
        cal = self.cal
        agencies = sorted(self.d.agencies, key=lambda a: a.code)
        cutoff = min(datetime.date(cal.year, *RETURNS_CUTOFF), cal.last)
        users = dict(
            get_user_model()
            .objects.filter(username__in=demo_usernames([a.code for a in agencies]))
            .values_list("username", "pk")
        )
        officer_id = users.get(OFFICER_USERNAME)
        H = ChannelReturn.Half

        def period(agency, year, half):
            staff_id = users.get(f"staff-{agency.code.lower()}")
            row = ChannelReturn(
                agency_id=agency.pk,
                year=year,
                period_kind=ChannelReturn.PeriodKind.HALF_YEAR,
                half=half,
                created_by_id=staff_id,
                updated_by_id=staff_id,
            )
            row.period_end = row.compute_period_end()
            return row

        previous = [period(a, cal.year - 1, H.SECOND) for a in agencies]
        current = [period(a, cal.year, H.FIRST) for a in agencies]
        rows = previous + current

        # Who has what: service windows where agencies serve the public directly, approval items in
        # the government departments and central units.
        kind = {a.pk: D.AGENCY_KINDS[a.code] for a in agencies}
        serving = [a for a in agencies if kind[a.pk] in ("government", "central", "enterprise", "judicial")]
        window = {a.pk for a in self.pick_agencies(rng, WINDOW_UNITS, WINDOW_POOL, pool=serving)}
        approving = [a for a in agencies if kind[a.pk] in ("government", "central")]
        approval = self.pick_agencies(rng, APPROVAL_AGENCIES, FEE_POOL, pool=approving)
        approval_ids = {a.pk for a in approval}
        convenience = {a.pk for a in rng.sample(approval, CONVENIENCE_DEPTS)}
        fee_payers = {a.pk for a in self.pick_agencies(rng, FEE_AGENCIES, FEE_POOL, pool=approval)}
        size = {a.pk: rng.lognormvariate(0, 0.6) for a in agencies}

        # Stocks at the end of the first half (the latest returns).
        for row in rows:
            row.is_window_unit = row.agency_id in window
            for name in ChannelReturn.ZERO_STOCKS + ChannelReturn.APPROVAL_STOCKS:
                setattr(row, name, 0)
        win = [r for r in current if r.is_window_unit]
        win_size = [size[r.agency_id] * rng.lognormvariate(0, 0.4) for r in win]
        for name, total, minimum in (
            ("model_windows", aim(rng, "model_windows"), 3),
            ("model_posts", aim(rng, "model_posts"), 20),
            ("service_trades", SERVICE_TRADES, 1),
            ("pledged_members", aim(rng, "pledged_members"), 30),
        ):
            for row, value in zip(win, share_out(total, [w * rng.lognormvariate(0, 0.3) for w in win_size], minimum)):
                setattr(row, name, value)

        approving_rows = [r for r in current if r.agency_id in approval_ids]
        before = share_out(ITEMS_BEFORE, [rng.lognormvariate(0, 0.8) for _ in approving_rows], 3)
        after = allocate(ITEMS_AFTER, [b * rng.uniform(0.5, 1.5) for b in before])
        for row, b, a in zip(approving_rows, before, after):
            row.cleanup_round = CLEANUP_ROUND
            row.items_before, row.items_after = b, min(a, b)
            row.time_limit_before = round(row.items_after * rng.uniform(8, 30))
        # The kept items' time limits: cut by 51.2 % in all, more or less in each agency.
        limits = [r.time_limit_before for r in approving_rows]
        kept = allocate(round(sum(limits) * TIME_LIMIT_KEPT), [t * rng.uniform(0.7, 1.3) for t in limits])
        for row, limit, days in zip(approving_rows, limits, kept):
            row.time_limit_after = min(days, limit)
        chief = [r for r in approving_rows if r.agency_id in convenience]
        for row, items in zip(chief, share_out(CONVENIENCE_WITH_CHIEF, [rng.lognormvariate(0, 0.6) for _ in chief])):
            row.convenience_items = row.convenience_with_chief = items  # all under a chief representative

        # Channels: most agencies have all six; the others lack one or two.
        optional = ("has_suggestion_mailbox", "has_online_hall", "has_hotline")
        for last, now in zip(previous, current):
            lacking = set() if rng.random() < FULL_INVENTORY_SHARE else set(rng.sample(optional, rng.randint(1, 2)))
            for name in ChannelReturn.CHANNELS:
                setattr(now, name, name not in lacking)
            # Half a year earlier a few more lacked one.
            lacking_before = lacking | ({rng.choice(optional)} if rng.random() < 0.1 else set())
            for name in ChannelReturn.CHANNELS:
                setattr(last, name, name not in lacking_before)

            # Stocks half a year earlier: fewer windows and pledges, the clean-up under way.
            if now.is_window_unit:
                last.model_windows = round(now.model_windows * rng.uniform(0.8, 0.97))
                last.model_posts = round(now.model_posts * rng.uniform(0.8, 0.97))
                last.service_trades = max(1, now.service_trades - (rng.random() < 0.2))
                last.pledged_members = round(now.pledged_members * rng.uniform(0.75, 0.95))
            if now.items_before:
                last.cleanup_round = CLEANUP_ROUND
                last.items_before = now.items_before
                last.items_after = now.items_after + round((now.items_before - now.items_after) * rng.uniform(0.3, 0.7))
                last.time_limit_before = round(last.items_after * rng.uniform(8, 30))
                last.time_limit_after = round(last.time_limit_before * rng.uniform(0.65, 0.85))
            if now.convenience_items:
                last.convenience_items = max(1, now.convenience_items - (rng.random() < 0.3))
                last.convenience_with_chief = round(last.convenience_items * rng.uniform(0.4, 0.9))

        # Flows over both returns: the second half before weighs a little less.
        def weights(selection, sigma=0.5):
            return [
                size[r.agency_id] * (0.45 if r.year < cal.year else 0.55) * rng.lognormvariate(0, sigma)
                if selection(r)
                else 0.0
                for r in rows
            ]

        everyone = weights(lambda r: True)
        flows = {
            "opinions": share_out(aim(rng, "channel_opinions"), everyone, 5),
            "leader_instructions": allocate(aim(rng, "channel_leader_instructions"), weights(lambda r: True)),
            "npc_motions": allocate(aim(rng, "channel_npc_motions"), weights(lambda r: True, 1.0)),
            "cppcc_proposals": allocate(aim(rng, "channel_cppcc_proposals"), weights(lambda r: True, 1.0)),
            "requests": allocate(aim(rng, "channel_requests"), weights(lambda r: True)),
            "licences": allocate(aim(rng, "licences"), weights(lambda r: r.agency_id in approval_ids, 1.2)),
            "non_licences": allocate(
                aim(rng, "non_licences"), weights(lambda r: r.agency_id in approval_ids or r.is_window_unit, 1.0)
            ),
            "fees_cancelled": allocate(
                FEES_CANCELLED, weights(lambda r: r.agency_id in fee_payers and rng.random() < 0.7)
            ),
        }
        fees = flows["fees_cancelled"]
        flows["fees_cancelled_enterprise"] = [
            min(n, f) for n, f in zip(allocate(FEES_CANCELLED_ENTERPRISE, [float(f) for f in fees]), fees)
        ]
        burden = allocate(aim(rng, "burden_reduced") * 100, [f * rng.lognormvariate(0, 0.5) for f in fees])
        for name, values in flows.items():
            for row, value in zip(rows, values):
                setattr(row, name, value)
        for row, fen in zip(rows, burden):
            row.burden_reduced = yuan(fen)

        # Satisfaction surveys of the window agencies: 99.98 % satisfied.
        responses = [int(rng.lognormvariate(math.log(1_500), 0.6)) + 200 if r.is_window_unit else 0 for r in rows]
        total = sum(responses)
        unsatisfied = allocate(
            int((total * UNSATISFIED).to_integral_value()),
            [n * rng.random() if rng.random() < 0.3 else 0.0 for n in responses],
        )
        for row, n, u in zip(rows, responses, unsatisfied):
            row.survey_responses, row.survey_satisfied = n, n - min(u, n)

        # Review: the previous half approved in January; this half at the cut-off.
        def moment(day):
            return office_hours(rng, day, cutoff)

        def review(row, submitted_on, status, comment=""):
            row.status, row.comment = status, comment
            row.submitted_by_id = row.created_by_id
            row.submitted_at = moment(submitted_on)
            if status != ChannelReturn.Status.SUBMITTED:
                row.reviewed_by_id = officer_id
                row.reviewed_at = max(
                    moment(row.submitted_at.date() + datetime.timedelta(days=rng.randint(1, 6))),
                    row.submitted_at + datetime.timedelta(hours=1),
                )

        Status = ChannelReturn.Status
        for row in previous:
            review(row, datetime.date(cal.year, 1, 2) + datetime.timedelta(days=rng.randint(0, 14)), Status.APPROVED)
        if cutoff > current[0].period_end:  # the first half has ended: its returns are in
            returned = {r.agency_id for r in rng.sample(current, CHANNEL_RETURNED)}
            for row in current:
                if row.agency_id in returned:
                    review(
                        row,
                        datetime.date(cal.year, 7, 1) + datetime.timedelta(days=rng.randint(0, 9)),
                        Status.RETURNED,
                        rng.choice(CHANNEL_RETURN_COMMENTS),
                    )
                elif rng.random() < CHANNEL_SUBMITTED:
                    submitted_on = max(
                        cutoff - datetime.timedelta(days=rng.randint(0, 12)), datetime.date(cal.year, 7, 1)
                    )
                    review(row, submitted_on, Status.SUBMITTED)
                else:
                    review(
                        row,
                        datetime.date(cal.year, 7, 1) + datetime.timedelta(days=rng.randint(0, 14)),
                        Status.APPROVED,
                    )
        ChannelReturn.objects.bulk_create(rows, batch_size=BATCH)
        self.log(f"  channel returns: {len(rows)} ({len(window)} window agencies, {len(approval)} with approval items)")


def head_titles(name: str, kind: str) -> tuple[str, str]:
    """The titles of an agency's head and deputies."""
    if kind in ("party", "government"):
        if name.endswith("厅"):
            return "厅长", "副厅长"
        if name.endswith("局"):
            return "局长", "副局长"
        return "主任", "副主任"
    return "党组书记", "党组副书记"


# ---------------------------------------------------------------------------
# Summary, emptiness, flush
# ---------------------------------------------------------------------------

COUNTED_MODELS = (
    Region,
    Agency,
    PartyOrganisation,
    Official,
    ContactPoint,
    NeedyPerson,
    NeedyPairing,
    ContactPointActivity,
    Pairing,
    JointActivity,
    Support,
    Visit,
    VisitOutcome,
    PeriodReturn,
    PeriodLock,
    FourIntoEvent,
    VolunteerTeam,
    VolunteerService,
    FiveIntoAction,
    ChannelReturn,
)

SUMS = (
    (ContactPointActivity, ("people_consoled", "problems_solved", "money")),
    (Support, ("projects_planned", "projects_supported", "industries_assisted", "funds")),
    (Visit, ("households", "enterprises", "communities", "villager_groups", "forums", "opinions", "village_days")),
    (VisitOutcome, ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties")),
)


# Records of a year: field work by its date, monthly returns and locks by their year (the rest is standing).
DATED = {
    ContactPointActivity: "date__year",
    JointActivity: "date__year",
    Support: "date__year",
    Visit: "start_date__year",
    VisitOutcome: "visit__start_date__year",
    FourIntoEvent: "date__year",
    VolunteerService: "date__year",
    FiveIntoAction: "date__year",
    PeriodReturn: "year",
    PeriodLock: "year",
}


def in_year(model, year: int | None):
    """The model's records of `year` (every record when `year` is None or the model is standing)."""
    if year is None or model not in DATED:
        return model.objects.all()
    return model.objects.filter(**{DATED[model]: year})


def summarise(year: int | None = None) -> dict:
    """Counts per model, the sums of DESIGN §4 and a few distinct counts, for the printout and the tests.

    With `year`: the field work, returns and locks of that year (the standing things and the channel
    returns whole), and the counts of the year before under "previous".
    """
    counts = {model._meta.label: in_year(model, year).count() for model in COUNTED_MODELS}
    counts["auth.User"] = get_user_model().objects.count()
    sums = {}
    for model, names in SUMS:
        for name in names:
            if isinstance(model._meta.get_field(name), DecimalField):
                # Summed here: SQLite would add money up as floats.
                sums[name] = sum(in_year(model, year).values_list(name, flat=True), Decimal("0.00"))
            else:
                sums[name] = in_year(model, year).aggregate(total=Sum(name))["total"] or 0
    distinct = {
        "cp.agencies": ContactPoint.objects.values("agency").distinct().count(),
        "cp.officials": ContactPoint.objects.values("official").distinct().count(),
        "pair.agency_committees": Pairing.objects.values("committee").distinct().count(),
        "pair.village_orgs": Pairing.objects.filter(partner__kind=PartyOrganisation.Kind.VILLAGE)
        .values("partner")
        .distinct()
        .count(),
        "pair.community_orgs": Pairing.objects.filter(partner__kind=PartyOrganisation.Kind.COMMUNITY)
        .values("partner")
        .distinct()
        .count(),
        "pair.one_plus_two": Pairing.objects.values("committee")
        .annotate(c=Count("pk", filter=Q(partner__kind="community")), v=Count("pk", filter=Q(partner__kind="village")))
        .filter(c__gt=0, v__gt=0)
        .count(),
        "pair.five_ones_done": Pairing.objects.annotate(
            k=Count(
                "activities__kind",
                distinct=True,
                filter=Q(activities__kind__in=JointActivity.FIVE_ONES)
                & (Q() if year is None else Q(activities__date__year=year)),
            )
        )
        .filter(k=len(JointActivity.FIVE_ONES))
        .count(),
    }
    distinct.update(minimums(year))
    service_sums, service_distinct = service_figures(year)
    sums.update(service_sums)
    distinct.update(service_distinct)
    returns = dict(in_year(PeriodReturn, year).order_by().values_list("status").annotate(n=Count("pk")))
    returns = {status: returns.get(status, 0) for status in PeriodReturn.Status.values if status != "open"}
    channel_returns = {
        f"{period_year} {ChannelReturn.Half(half).name.lower()} half {status}": n
        for period_year, half, status, n in ChannelReturn.objects.order_by("year", "half", "status")
        .values_list("year", "half", "status")
        .annotate(n=Count("pk"))
    }
    previous = {} if year is None else {model._meta.label: in_year(model, year - 1).count() for model in DATED}
    return {
        "counts": counts,
        "sums": sums,
        "distinct": distinct,
        "returns": returns,
        "channel_returns": channel_returns,
        "previous": previous,
    }


def summarise_directory() -> dict:
    """What a directory-only seed built, for the printout: the directory's counts, and the records
    a directory alone has none of (field work of every kind, monthly returns, period locks)."""
    regions = dict(Region.objects.order_by().values_list("level").annotate(n=Count("pk")))
    organisations = dict(PartyOrganisation.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "regions": {level: regions.get(level, 0) for level in Region.Level.values},
        "agencies": Agency.objects.count(),
        "party_organisations": {kind: organisations.get(kind, 0) for kind in PartyOrganisation.Kind.values},
        "officials": Official.objects.count(),
        "users": get_user_model().objects.count(),
        "records": {
            "field work": sum(model._base_manager.count() for model in record_models()),
            "monthly returns": PeriodReturn.objects.count(),
            "period locks": PeriodLock.objects.count(),
        },
    }


def decimal_sum(queryset, name) -> Decimal:
    """Money and hours added up here: SQLite would add them up as floats."""
    return sum(queryset.values_list(name, flat=True), Decimal("0.00"))


def service_figures(year: int | None = None) -> tuple[dict, dict]:
    """The "three activities" and "three channels" figures under their catalogue codes (docs/indicators.md).

    Over the records of `year` (every record when None); channel flows add up both returns of each agency (the article counts them
    "since last year"; a year-end report counts only the returns ending in its year), stocks take each
    agency's latest return. Returns: (sums, distinct counts and rates).
    """
    K = FiveIntoAction.Kind
    events = in_year(FourIntoEvent, year)
    four = events.aggregate(
        officials=Sum("officials"),
        sites=Sum(F("enterprises") + F("villages") + F("schools")),
        families=Sum("families_aided"),
        students=Sum("students_aided"),
    )
    actions = in_year(FiveIntoAction, year)
    five = actions.aggregate(**{name: Sum(name) for name in FiveIntoAction.yield_fields()})
    sums = {
        "four_into.officials": four["officials"] or 0,
        "four_into.sites": four["sites"] or 0,
        "four_into.families": four["families"] or 0,
        "four_into.family_aid": decimal_sum(events, "family_aid"),
        "four_into.students": four["students"] or 0,
        "four_into.student_aid": decimal_sum(events, "student_aid"),
        "volunteer.person_times": in_year(VolunteerService, year).aggregate(n=Sum("person_times"))["n"] or 0,
        "volunteer.hours": decimal_sum(in_year(VolunteerService, year), "hours"),
        "five_into.books": five["books"] or 0,
        "five_into.book_boxes": five["book_boxes"] or 0,
        "five_into.culture_events": five["culture_trips"] or 0,
        "five_into.consultations": five["consultations"] or 0,
        "five_into.legal_points": five["legal_points"] or 0,
        "five_into.legal_windows": five["legal_windows"] or 0,
        "five_into.villages_planned": five["villages_planned"] or 0,
        "five_into.projects_secured": five["projects_secured"] or 0,
    }

    def units(kind, condition):
        return actions.filter(condition, kind=kind).values("agency").distinct().count()

    distinct = {
        "four_into.events": events.count(),
        "volunteer.teams": VolunteerTeam.objects.count(),
        "volunteer.professional_teams": VolunteerTeam.objects.filter(kind=VolunteerTeam.Kind.PROFESSIONAL).count(),
        "five_into.culture_units": units(K.CULTURE, Q(culture_trips__gt=0)),
        "five_into.medical_units": units(K.HEALTH, Q(consultations__gt=0)),
        "five_into.legal_units": units(K.SERVICES, Q(legal_points__gt=0) | Q(legal_windows__gt=0)),
        "five_into.planning_units": units(K.PLANNING, Q(villages_planned__gt=0)),
    }

    returns = ChannelReturn.objects.all()
    flows = ("opinions", "leader_instructions", "npc_motions", "cppcc_proposals", "requests")
    totals = returns.aggregate(
        **{
            name: Sum(name)
            for name in flows
            + ChannelReturn.ZERO_FLOWS
            + ("fees_cancelled", "fees_cancelled_enterprise", "licences", "non_licences")
        }
    )
    for name in flows:
        sums[f"channel.{name}"] = totals[name] or 0
    latest = {}  # agency id -> its latest return (stocks)
    for row in returns.order_by("agency_id", "period_end").values():
        latest[row["agency_id"]] = row

    def stock(name):
        return sum(row[name] or 0 for row in latest.values())

    for code, name in (
        ("zero.model_windows", "model_windows"),
        ("zero.model_posts", "model_posts"),
        ("zero.service_trades", "service_trades"),
        ("zero.pledged_members", "pledged_members"),
        ("approval.items_before", "items_before"),
        ("approval.items_after", "items_after"),
    ):
        sums[code] = stock(name)
    for name in ("fees_cancelled", "fees_cancelled_enterprise"):
        sums[f"approval.{name}"] = totals[name] or 0
    sums["approval.burden_reduced"] = decimal_sum(returns.exclude(burden_reduced=None), "burden_reduced")
    sums["approval.convenience_items"] = stock("convenience_with_chief")
    sums["approval.licences"] = totals["licences"] or 0
    sums["approval.non_licences"] = totals["non_licences"] or 0

    distinct.update(
        {
            "channel.full_inventory": sum(all(row[name] for name in ChannelReturn.CHANNELS) for row in latest.values()),
            "zero.window_units": sum(bool(row["is_window_unit"]) for row in latest.values()),
            "approval.convenience_depts": sum(bool(row["convenience_items"]) for row in latest.values()),
        }
    )
    rates = {
        "zero.satisfaction": percent(totals["survey_satisfied"], totals["survey_responses"]),
        "approval.items_cut_rate": cut_rate(stock("items_after"), stock("items_before")),
        "approval.time_cut_rate": cut_rate(stock("time_limit_after"), stock("time_limit_before")),
    }
    distinct.update({code: rate for code, rate in rates.items() if rate is not None})  # None: "—", nothing to rate
    return sums, distinct


def minimums(year: int | None = None) -> dict:
    """How many officials under a yearly minimum met it (village days counted once per calendar day)."""
    due = Official.objects.filter(position__in=list(YEARLY_MINIMUMS), is_active=True)
    position = dict(due.values_list("pk", "position"))
    days, households = {}, {}
    for official_id, start, end, stay, hh in (
        in_year(Visit, year)
        .filter(official__in=list(position))
        .values_list("official_id", "start_date", "end_date", "is_village_stay", "households")
    ):
        households[official_id] = households.get(official_id, 0) + hh
        if stay:
            covered = days.setdefault(official_id, set())
            covered.update(start + datetime.timedelta(days=i) for i in range((end - start).days + 1))
    met = sum(
        1
        for pk, pos in position.items()
        if len(days.get(pk, ())) >= MIN_DAYS[pos] and households.get(pk, 0) >= MIN_HOUSEHOLDS[pos]
    )
    return {"visit.minimum_met": met, "visit.minimum_due": len(position)}


def holds_data() -> bool:
    return Agency.objects.exists() or Region.objects.exists()


def demo_usernames(agency_codes=None) -> list[str]:
    codes = agency_codes if agency_codes is not None else [code for code, _n, _s in D.AGENCIES]
    return [ADMIN_USERNAME, OFFICER_USERNAME] + [f"staff-{code.lower()}" for code in codes]


def children_first(models: list) -> tuple:
    """The models ordered so that each comes before those it refers to: deletable in that order."""
    remaining, ordered = list(models), []
    while remaining:
        leaf = next(
            model
            for model in remaining
            if not any(
                field.related_model is model
                for other in remaining
                if other is not model
                for field in other._meta.concrete_fields
                if field.is_relation
            )
        )
        ordered.append(leaf)
        remaining.remove(leaf)
    return tuple(ordered)


def flush() -> dict:
    """Delete the domain data: field work, monthly returns and period locks, the directory, and the
    non-superuser and demo users.

    History is not written for the deletions (a reseed is not a change anybody made),
    and the domain's history tables are emptied too.
    """
    User = get_user_model()
    deleted = {}
    # Every field-work model, also those the demo does not fill (somebody may have entered them).
    field_work = children_first(record_models())
    periods = (PeriodReturn, PeriodLock)
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        # The base manager: a hard delete of every row, live or marked deleted.
        for model in field_work + periods:
            deleted[model._meta.label] = model._base_manager.all().delete()[0]
        codes = list(Agency.objects.values_list("code", flat=True))
        demo_users = demo_usernames(codes + [code for code, _name, _short in D.AGENCIES])
        users = User.objects.filter(Q(is_superuser=False) | Q(username__in=demo_users))
        deleted["auth.User"] = users.count()
        Profile.objects.filter(user__in=users).delete()
        users.delete()
        Profile.objects.filter(agency__isnull=False).delete()
        for model in (Official, PartyOrganisation, Agency):
            deleted[model._meta.label] = model._base_manager.all().delete()[0]
        Region._base_manager.update(parent=None, city=None)  # the tree protects itself: cut it first
        deleted[Region._meta.label] = Region._base_manager.all().delete()[0]
        for model in field_work + periods + (Official, PartyOrganisation, Agency, Region, Profile):
            model.history.model._base_manager.all().delete()
    return deleted
