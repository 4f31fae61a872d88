"""The load test's users (issue 17 item 5), run by bench/load.py: never by hand against anything but 127.0.0.1.

A closed loop of logged-in users with think time, the mix the working committee's server sees on a
weekday: four clerks (机关党委工作人员) to one officer (工委工作人员). A clerk opens the home page, the
agency's visits and contact points, a visit's detail page and the agency's dashboard; an officer the
province's dashboard, the year-end page and its JSON, the visits list and a visit's detail. Each user
arrives with a session made by bench/load.py (`force_login`), so the figures hold pages, not password
hashing; the session cookies come in the file named by LOAD_SESSIONS (JSON: {"officer": [...],
"clerk": [...]}).
"""

import json
import os
import random
import re

from locust import FastHttpUser, between, task

YEAR, AS_OF = 2014, "2014-12-31"
SESSIONS = json.loads(open(os.environ["LOAD_SESSIONS"], encoding="utf-8").read())
VISIT_LINK = re.compile(rb'href="/visits/visits/(\d+)/"')


class LoggedIn(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)  # think time: about 1.25 s between pages
    kind = ""

    def on_start(self):
        self.headers = {"Cookie": f"sessionid={random.choice(SESSIONS[self.kind])}"}
        self.visit_ids = []

    def page(self, name, path):
        with self.client.get(path, name=name, headers=self.headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")
            elif b'name="password"' in (response.content or b""):
                response.failure("logged out")
            return response

    def visits_list(self, name):
        response = self.page(name, "/visits/visits/")
        self.visit_ids = [int(pk) for pk in VISIT_LINK.findall(response.content or b"")] or self.visit_ids

    def visit_detail(self, name):
        if not self.visit_ids:
            self.visits_list(name.replace("visit detail", "visits list"))
        if self.visit_ids:
            self.page(name, f"/visits/visits/{random.choice(self.visit_ids)}/")


class Clerk(LoggedIn):
    weight = 4
    kind = "clerk"

    @task(3)
    def home(self):
        self.page("clerk: home", "/")

    @task(3)
    def visits(self):
        self.visits_list("clerk: visits list")

    @task(2)
    def visit(self):
        self.visit_detail("clerk: visit detail")

    @task(1)
    def contact_points(self):
        self.page("clerk: contact points list", "/pairings/contact-points/")

    @task(1)
    def dashboard(self):
        self.page("clerk: dashboard", f"/reports/dashboard/?year={YEAR}&as_of={AS_OF}")


class Officer(LoggedIn):
    weight = 1
    kind = "officer"

    @task(1)
    def home(self):
        self.page("officer: home", "/")

    @task(2)
    def dashboard(self):
        self.page("officer: dashboard", f"/reports/dashboard/?year={YEAR}&as_of={AS_OF}")

    @task(1)
    def year_end(self):
        self.page("officer: year-end page", f"/reports/year-end/?year={YEAR}&as_of={AS_OF}")

    @task(1)
    def year_end_json(self):
        self.page("officer: year-end JSON", f"/reports/year-end.json?year={YEAR}&as_of={AS_OF}")

    @task(2)
    def visits(self):
        self.visits_list("officer: visits list")

    @task(1)
    def visit(self):
        self.visit_detail("officer: visit detail")
