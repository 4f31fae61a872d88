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

Totals are aimed at the docs/domain.md §4 reference values (each round draws its own
target a little above the reference, "N多"), then shared out over the records by
random weights, so the sums depend on the seed but stay near the article. Figures
the article gives exactly (68 window agencies, 1,224 approval items cut to 320,
42 culture units, ...) are hit exactly.

Records are written with `bulk_create` (no `save()`, no `full_clean()`, no
history rows), so every derived or validated value -- a region's `city` and
`full_name`, a visit's `village_days`, dates within spans, agencies matching
their officials -- is set here exactly as the models would set or check it
(tests/outreach/test_demo_records.py checks a sample of every kind with `full_clean()`).

Each app builds its own records: this package the directory (`directory`) and the
monthly returns (`returns`), `pairings/demo.py` and `visits/demo.py` theirs, each
a `DemoPart` found like the import sheets (`context.demo_parts`) and run in its
order by `DemoSeeder` with one shared `DemoContext`. The `seed_demo` command
(in `reports`, which may import every app) prints the catalogue's own figures.
"""

from outreach.demo.base import (
    ADMIN_USERNAME,
    DEFAULT_SEED,
    DEFAULT_YEAR,
    DEMO_PASSWORD,
    OFFICER_USERNAME,
    demo_usernames,
)
from outreach.demo.context import DemoContext, DemoPart, demo_parts
from outreach.demo.returns import DEMO
from outreach.demo.seeder import (
    DemoSeeder,
    children_first,
    demo_models,
    flush,
    holds_data,
    summarise,
    summarise_directory,
)

__all__ = [
    "ADMIN_USERNAME",
    "DEFAULT_SEED",
    "DEFAULT_YEAR",
    "DEMO",
    "DEMO_PASSWORD",
    "OFFICER_USERNAME",
    "DemoContext",
    "DemoPart",
    "DemoSeeder",
    "children_first",
    "demo_models",
    "demo_parts",
    "demo_usernames",
    "flush",
    "holds_data",
    "summarise",
    "summarise_directory",
]
