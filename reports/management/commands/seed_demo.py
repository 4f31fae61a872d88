"""`manage.py seed_demo`: a deterministic demo province shaped like the article (see outreach/demo/).

It lives in `reports`, the app that may import every other: each app builds its own part of the
demo, and the printout gives the year-end catalogue's own figures (`reports.indicators.compute`)."""

import argparse
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from outreach import demo
from reports.indicators import compute


def positive_int(value):
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return number


def fraction(value):
    number = float(value)
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError("must lie in (0, 1]")
    return number


class Command(BaseCommand):
    help = (
        "Build a demo province (Anhui, 16 cities, 128 agencies) with a year of field work shaped like "
        "the article, and a quieter, locked year before it. The same --seed always gives the same records. "
        "With --directory-only, the directory and the demo logins alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=positive_int,
            default=1,
            help="N times the field-work records (of both years), over the same directory and pairings (default 1)",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help=f"random seed (default {demo.DEFAULT_SEED})"
        )
        parser.add_argument(
            "--year",
            type=int,
            default=demo.DEFAULT_YEAR,
            help=f"the campaign year (default {demo.DEFAULT_YEAR}); no date falls after today",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already holds agencies or regions"
        )
        parser.add_argument(
            "--directory-only",
            action="store_true",
            help="build only the directory (regions, agencies, Party organisations with the "
            "community and village ones, officials) and the demo logins, the same as the whole "
            "demo of the same --seed builds them: no field work, monthly returns or period "
            "locks (not with --scale)",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="first delete the domain data (field work, monthly returns and locks, directory, "
            "non-superuser and demo users)",
        )
        # For tests only: shrink the field-work volumes to this share (the directory stays whole).
        parser.add_argument("--fraction", type=fraction, default=1.0, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        year = options["year"]
        today = timezone.localdate()
        if not 2000 <= year <= today.year:
            raise CommandError(f"--year must lie between 2000 and {today.year}.")
        directory_only = options["directory_only"]
        if directory_only and (options["scale"] != 1 or options["fraction"] < 1):
            raise CommandError(
                "--scale shapes the field work, which --directory-only leaves out: use one or the other."
            )

        if demo.holds_data():
            if options["if_empty"]:
                self.stdout.write("The database already holds data: seed_demo did nothing.")
                return
            if not options["flush"]:
                raise CommandError(
                    "The database already holds data. Use --flush to delete the domain data first, "
                    "or --if-empty to leave it alone."
                )

        started = time.perf_counter()
        seeder = demo.DemoSeeder(
            seed=options["seed"],
            year=year,
            scale=options["scale"],
            fraction=options["fraction"],
            log=self.stdout.write if verbosity >= 2 else None,
            directory_only=directory_only,
        )
        with transaction.atomic():
            if options["flush"]:
                deleted = demo.flush()
                if verbosity >= 1:
                    self.stdout.write("Flushed: " + ", ".join(f"{k} {v}" for k, v in deleted.items() if v))
            summary = seeder.run()
        elapsed = time.perf_counter() - started
        if verbosity >= 1:
            if directory_only:
                self.report_directory(summary, seeder, elapsed, options)
            else:
                self.report(summary, seeder, elapsed, options)
            self.report_logins()

    def report_directory(self, summary, seeder, elapsed, options):
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Seeded the demo province's directory only in {elapsed:.1f} s (seed {options['seed']})."
            )
        )
        write("  " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in seeder.timings))
        write("Directory:")
        write("  regions: " + ", ".join(f"{level} {n:,}" for level, n in summary["regions"].items()))
        write(f"  agencies: {summary['agencies']:,}")
        write(
            "  Party organisations: " + ", ".join(f"{kind} {n:,}" for kind, n in summary["party_organisations"].items())
        )
        write(f"  officials: {summary['officials']:,}")
        write(f"  users: {summary['users']:,}")
        write(
            "Records (none built with --directory-only): "
            + ", ".join(f"{label} {n:,}" for label, n in summary["records"].items())
        )

    def report(self, summary, seeder, elapsed, options):
        write = self.stdout.write
        year, as_of = seeder.cal.year, seeder.cal.last
        write(
            self.style.SUCCESS(
                f"Seeded the {year} demo province in {elapsed:.1f} s "
                f"(seed {options['seed']}, scale {options['scale']}"
                + (f", fraction {options['fraction']}" if options["fraction"] < 1 else "")
                + ")."
            )
        )
        write("  " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in seeder.timings))
        write(f"Records (field work and monthly returns of {year}):")
        for label, count in summary["counts"].items():
            write(f"  {label:<32} {count:>10,}")
        write(f"Year-end figures of {year} (1 January to {as_of}, the catalogue's codes):")
        for code, value in compute(year=year, as_of=as_of).items():
            write(f"  {code:<36} {'—' if value is None else format(value, ','):>22}")
        for title, tally in summary["tallies"].items():
            write(f"{title}: " + ", ".join(f"{what} {n:,}" for what, n in tally.items()))
        if summary["previous"]:
            write(
                f"The year before ({year - 1}), locked: "
                + ", ".join(f"{label} {n:,}" for label, n in summary["previous"].items())
            )

    def report_logins(self):
        self.stdout.write(
            f"Demo logins (password {demo.DEMO_PASSWORD}): {demo.ADMIN_USERNAME} (administrator), "
            f"{demo.OFFICER_USERNAME} (commission officer), staff-a001 … staff-a128 (one per agency's "
            f"Party committee)"
        )
