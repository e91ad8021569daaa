"""The mixed deadline-day workload for the load test (bench/measure/load.py starts it).

Sessions are made beforehand (bench/measure/load.py writes them to the plan file in BENCH_PLAN), so
no user logs in during the test: 70 % department staff saving drafts of their own open return,
20 % reviewers reading the queue and review pages, 10 % congress staff downloading generated PDFs.
A save answered 409 (a conflict) is counted apart, not as an error; the run stops by itself after
BENCH_MAX_REQUESTS requests or the locust time limit, whichever comes first.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
VERSION = re.compile(r'name="version" value="(\d+)" id="version-(\d+)"')
_staff = itertools.cycle(PLAN["staff"])
_requests = itertools.count(1)
CONFLICTS = {"count": 0}


@events.request.add_listener
def _stop_after_budget(**kwargs):
    if next(_requests) >= MAX_REQUESTS and _runner is not None:
        _runner.quit()


_runner = None


@events.init.add_listener
def _remember_runner(environment, **kwargs):
    global _runner
    _runner = environment.runner


class _Session(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def sign_in(self, session_key: str) -> None:
        self.client.cookies.set(PLAN["cookies"]["session"], session_key)

    def get(self, url: str, name: str):
        """A page that must be served signed in: a redirect to the login page is a failure (a stale
        session, or another server on the port), never a fast 200 that flatters the numbers."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.history or "/accounts/login/" in response.url:
                response.failure("redirected to the login page: not signed in")
            return response


class DepartmentStaff(_Session):
    weight = 7

    def on_start(self):
        self.plan = next(_staff)
        self.sign_in(self.plan["session"])
        self.versions: dict[str, str] = {}
        self.load_page()

    def load_page(self):
        response = self.get(self.plan["edit_url"], name="entry page")
        self.versions = {indicator: version for version, indicator in VERSION.findall(response.text)}

    @task(1)
    def view(self):
        self.load_page()

    @task(4)
    def save_draft(self):
        indicator = random.choice(self.plan["count_indicators"])
        version = self.versions.get(str(indicator))
        if version is None:
            return self.load_page()
        with self.client.post(
            self.plan["save_url"].replace("999999999", str(indicator)),
            {"version": version, "value": str(random.randint(0, 200))},
            headers={"HX-Request": "true", "X-CSRFToken": self.client.cookies.get(PLAN["cookies"]["csrf"], "")},
            name="autosave",
            catch_response=True,
        ) as response:
            if response.history:
                response.failure("redirected to the login page: not signed in")
                return None
            if response.status_code == 409:
                CONFLICTS["count"] += 1
                response.success()
                return self.load_page()
            for new_version, saved in VERSION.findall(response.text):
                self.versions[saved] = new_version


class Reviewer(_Session):
    weight = 2

    def on_start(self):
        self.sign_in(PLAN["reviewer"]["session"])

    @task(1)
    def queue(self):
        self.get(PLAN["reviewer"]["queue_url"], name="review queue")

    @task(2)
    def review(self):
        self.get(random.choice(PLAN["reviewer"]["review_urls"]), name="review page")


class CongressStaff(_Session):
    weight = 1

    def on_start(self):
        self.sign_in(PLAN["congress"]["session"])

    @task(2)
    def download(self):
        self.get(random.choice(PLAN["congress"]["download_urls"]), name="report PDF download")

    @task(1)
    def reports(self):
        self.get(PLAN["congress"]["index_url"], name="reports page")


@events.quitting.add_listener
def _report_conflicts(environment, **kwargs):
    print(f"CONFLICTS {CONFLICTS['count']}")
