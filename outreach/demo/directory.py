"""The demo's directory: regions, agencies with their committees and officials, the demo logins, and
the community and village Party organisations the "1+2" pairings will pair with.

`build_directory` draws the same directory from the same seed whatever the year or the rest of the
demo, so `--directory-only` gives the whole demo's directory with, in a fresh database, the same keys.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import F

from outreach import demo_data as D
from outreach.demo.base import ADMIN_USERNAME, BATCH, DEMO_PASSWORD, OFFICER_USERNAME, person_name, weighted
from outreach.demo.context import DemoContext
from outreach.models import Agency, Official, PartyOrganisation, Profile, Region
from outreach.roles import GROUP_NAMES, Role, sync_role_groups

# The directory's shape.
CONTACT_POINT_AGENCIES = 112
PAIRED_COMMITTEES = 105
COMMUNITY_ONLY_COMMITTEES = 5
VILLAGE_ONLY_COMMITTEES = 3
VILLAGE_PARTNERS = 275  # village organisations paired, two to four per committee


def build_directory(ctx: DemoContext, phase) -> None:
    """Regions, agencies and officials, the demo logins, and the partner organisations with the plan
    of who pairs with whom (`ctx.d.pairing_plan`, made by the pairings' part from the same stream)."""
    phase("regions", build_regions, ctx, ctx.rng("directory:regions"))
    phase("agencies & officials", build_agencies, ctx, ctx.rng("directory:agencies"))
    phase("users", build_users, ctx)
    phase("partner organisations", plan_partners, ctx, ctx.rng("structure"))


# -- regions ------------------------------------------------------------------------------


def child(parent, code, name, level, **extra) -> Region:
    """A region under `parent`, with the `city` and `full_name` that `Region.save()` would derive."""
    return Region(
        code=code,
        name=name,
        full_name=f"{parent.full_name}{name}",
        level=level,
        parent_id=parent.pk,
        city_id=parent.city_id,
        **extra,
    )


def build_regions(ctx: DemoContext, rng) -> None:
    d = ctx.d
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

    for city in d.cities:
        for i, name in enumerate(D.COUNTIES[city.code[2:]], 1):
            d.counties.append(child(city, f"{city.code}-{i:02d}", name, Region.Level.COUNTY))
    Region.objects.bulk_create(d.counties, batch_size=BATCH)
    target = {city.pk for city in d.cities if city.is_target_city}

    townships = county_places(rng, d, target)
    villages = build_villages(rng, townships, target)
    Region.objects.bulk_create(villages + d.communities, batch_size=BATCH)
    index_places(d, townships, villages)
    ctx.log(
        f"  regions: 16 cities, {len(d.counties)} counties, {len(townships)} townships, "
        f"{len(villages)} villages ({sum(v.is_poor for v in villages)} poor), {len(d.communities)} communities"
    )


def county_places(rng, d, target) -> list:
    """Each county's townships (written) and communities (kept in `d.communities`, written with the villages)."""
    townships = []
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
            d.communities.append(
                child(county, f"{county.code}-c{i:02d}", word + D.COMMUNITY_SUFFIX, Region.Level.COMMUNITY)
            )
    Region.objects.bulk_create(townships, batch_size=BATCH)
    return townships


def build_villages(rng, townships, target) -> list:
    """Each township's villages, many of them poor in the target cities (not written yet)."""
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
    return villages


def index_places(d, townships, villages) -> None:
    county_of = {t.pk: t.parent_id for t in townships}
    for city in d.cities:
        d.villages_by_city[city.pk] = []
        d.poor_by_city[city.pk] = []
        d.places_by_city[city.pk] = {level: [] for level in Region.Level.values}
    for region in d.counties + townships + villages + d.communities:
        d.places_by_city[region.city_id][region.level].append(region)
    for village in villages:
        d.villages_by_city[village.city_id].append(village)
        if village.is_poor:
            d.poor_by_city[village.city_id].append(village)
            d.poor_by_county.setdefault(county_of[village.parent_id], []).append(village)


# -- agencies and officials ---------------------------------------------------------------------


def build_agencies(ctx: DemoContext, rng) -> None:
    d = ctx.d
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
        officials += agency_officials(rng, d, agency, holds_points=agency.pk not in without)
    Official.objects.bulk_create(officials, batch_size=BATCH)
    ctx.log(f"  agencies: {len(d.agencies)}, officials: {len(officials)}")


def agency_officials(rng, d, agency, holds_points: bool) -> list:
    """An agency's officials, also kept by group in `d.officials[agency.pk]` (not written yet)."""
    kind = D.AGENCY_KINDS[agency.code]
    groups = d.officials[agency.pk] = {
        "leadership": [],
        "heads": [],
        "division_staff": [],
        "department_other": [],
        "other": [],
    }
    officials, used = [], set()

    def official(group, title, rank, position):
        name = person_name(rng)
        while name in used:
            name = person_name(rng)
        used.add(name)
        o = Official(agency_id=agency.pk, name=name, title=title, rank=rank, position=position)
        groups[group].append(o)
        officials.append(o)

    # Department level (厅局级): the leadership team, now and then a non-leading inspector.
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
        official("other", rng.choice(D.OTHER_TITLES), Official.Rank.OTHER, Official.Position.STAFF)
    return officials


def head_titles(name: str, kind: str) -> tuple[str, str]:
    """The titles of an agency's head and deputies."""
    if kind in ("party", "government"):
        if name.endswith("厅"):
            return "厅长", "副厅长"
        if name.endswith("局"):
            return "局长", "副局长"
        return "主任", "副主任"
    return "党组书记", "党组副书记"


def build_users(ctx: DemoContext) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the same hash serves every demo login
    wanted = [
        (ADMIN_USERNAME, "系统管理员", Role.ADMIN, None),
        (OFFICER_USERNAME, "工委工作人员", Role.OFFICER, None),
    ] + [(f"staff-{a.code.lower()}", f"{a.short_name}机关党委", Role.STAFF, a) for a in ctx.d.agencies]
    existing = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    for username in sorted(existing):
        ctx.log(f"  user {username!r} exists already: left unchanged")
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


# -- the partners of the "1+2" pairings ------------------------------------------------------------


def plan_partners(ctx: DemoContext, rng) -> None:
    """The first half of the pairing structure, which belongs to the directory: where each agency
    works, who pairs with whom, and the community and village Party organisations paired with
    (every community has one; a village has one when an agency pairs with it).

    Leaves the plan, [(agency, partner organisation)] in the order the pairings are made, in
    `ctx.d.pairing_plan` for the pairings' part, which goes on drawing from the same `rng`.
    """
    d = ctx.d
    target_cities = [c for c in d.cities if c.is_target_city]
    place_agencies(rng, d, target_cities)

    # "1+2": 105 committees pair; most with both a community and villages, a few with one side only.
    paired = rng.sample(d.agencies, PAIRED_COMMITTEES)
    one_sided = COMMUNITY_ONLY_COMMITTEES + VILLAGE_ONLY_COMMITTEES
    community_only = {a.pk for a in paired[:COMMUNITY_ONLY_COMMITTEES]}
    village_only = {a.pk for a in paired[COMMUNITY_ONLY_COMMITTEES:one_sided]}

    community_orgs = community_partners(rng, d)
    community_pool = list(community_orgs)

    # How many villages each committee pairs with: two or more, ≈ 275 in all.
    village_side = [a for a in paired if a.pk not in community_only]
    per_committee = {a.pk: 2 for a in village_side}
    for _ in range(VILLAGE_PARTNERS + rng.randint(0, 5) - 2 * len(village_side)):
        agency = rng.choice([a for a in village_side if per_committee[a.pk] < 4])
        per_committee[agency.pk] += 1

    taken = set()
    plan = []  # (agency, partner org or None, village region or None)
    for agency in paired:
        if agency.pk not in village_only and community_pool:
            org = community_pool.pop(0)
            plan.append((agency, org, None))
        if agency.pk in community_only:
            continue
        city_villages = d.villages_by_city[d.home_city[agency.pk]]
        if not d.poor_by_city[d.home_city[agency.pk]]:  # a non-target home city: pair in a target city
            city_villages = d.villages_by_city[rng.choice(target_cities).pk]
        plan += [
            (agency, None, village) for village in pick_villages(rng, city_villages, per_committee[agency.pk], taken)
        ]

    village_orgs = {}
    for _agency, _org, village in plan:
        if village is not None:
            village_orgs[village.pk] = PartyOrganisation(
                name=f"中共{village.full_name}支部委员会", kind=PartyOrganisation.Kind.VILLAGE, region_id=village.pk
            )
    PartyOrganisation.objects.bulk_create(list(village_orgs.values()), batch_size=BATCH)
    ctx.log(f"  partner organisations: {len(community_orgs)} community, {len(village_orgs)} village")
    d.pairing_plan = [(agency, org if org is not None else village_orgs[village.pk]) for agency, org, village in plan]


def community_partners(rng, d) -> list:
    """Every community's Party organisation (written), urban communities (of districts) first."""
    orgs = [
        PartyOrganisation(name=f"中共{c.full_name}委员会", kind=PartyOrganisation.Kind.COMMUNITY, region_id=c.pk)
        for c in d.communities
    ]
    PartyOrganisation.objects.bulk_create(orgs, batch_size=BATCH)
    district = {c.pk for c in d.counties if c.name.endswith("区")}
    pool = sorted(zip(d.communities, orgs), key=lambda pair: (pair[0].parent_id not in district, rng.random()))
    return [org for _community, org in pool]


def place_agencies(rng, d, target_cities) -> None:
    """Each contact-point agency has a county (定点帮扶县) where its leaders' contact points lie;
    every agency a home city."""
    target_ids = {x.pk for x in target_cities}
    order = [c for c in d.counties if c.city_id in target_ids]
    rng.shuffle(order)
    for i, agency in enumerate(rng.sample(d.cp_agencies, len(d.cp_agencies))):
        county = order[i % len(order)]
        d.home_county[agency.pk] = county
        d.home_city[agency.pk] = county.city_id
    for agency in d.agencies:
        if agency.pk not in d.home_city:
            city = rng.choice(target_cities if rng.random() < 0.7 else d.cities)
            d.home_city[agency.pk] = city.pk


def pick_villages(rng, city_villages, n, taken: set) -> list:
    """Up to n villages of the city not yet paired, mostly poor ones (added to `taken`)."""
    picked = []
    for _ in range(n):
        free = [v for v in city_villages if v.pk not in taken]
        poor = [v for v in free if v.is_poor]
        pick_from = poor if poor and rng.random() < 0.8 else free or poor
        if not pick_from:
            break
        village = rng.choice(pick_from)
        taken.add(village.pk)
        picked.append(village)
    return picked
