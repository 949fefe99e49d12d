"""The role mix of ``bench/load.py`` (issue 14), as locust users. Not run by hand: ``bench/load.py``
starts locust on this file with ``KKS_LOAD_PLAN`` naming a JSON plan (personas, the pages of each,
pauses) that it read from the seeded database.

Every persona logs in through the login page (as a person does), then walks through its usual pages
in a cycle (the users of one persona starting at spread points, so that every page type gets its share), pausing between
requests. A request is named by page type (``bappeda: dashboard``); an answer that is not 200, or a
page that lands on the login form, counts as an error. The trivial pages (``/health/`` and the
login page, anonymous) are requested by a probe user with the same pauses, in the same run.
"""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import HttpUser, between, task

with open(os.environ["KKS_LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)

PAUSE = between(*PLAN["pause"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN = "/akun/masuk/"
_next_persona = {role: itertools.count() for role in PLAN["roles"]}
# Secretaries use the portal on their phones.
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)


class Persona(HttpUser):
    abstract = True
    wait_time = PAUSE
    role = ""

    def on_start(self):
        personas = PLAN["roles"][self.role]
        number = next(_next_persona[self.role])
        self.persona = personas[number % len(personas)]
        pages = self.persona["pages"]
        # The users of a role start their rounds spread over the pages (golden-ratio steps), so
        # that even a short run asks for every page type.
        start = int(number * 0.618034 * len(pages)) % len(pages)
        self.pages = itertools.cycle(pages[start:] + pages[:start])
        if self.role == "secretary":
            self.client.headers["User-Agent"] = PHONE
        self._login()

    def _login(self):
        page = self.client.get(LOGIN, name="login (GET, persona)")
        token = CSRF.search(page.text)
        if token is None:
            raise RuntimeError(f"no CSRF token on the login page ({page.status_code})")
        with self.client.post(
            LOGIN,
            data={
                "username": self.persona["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": self.host + LOGIN},
            name="login (POST, persona)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200 or answer.url.rstrip("/").endswith(LOGIN.rstrip("/")):
                answer.failure(f"login of {self.persona['username']} failed ({answer.status_code})")

    @task
    def next_page(self):
        name, url = next(self.pages)
        with self.client.get(url, name=f"{self.role}: {name}", catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code} for {url}")
            elif LOGIN in answer.url and LOGIN not in url:
                answer.failure(f"{url} answered with the login page (session lost)")


class BappedaAdmin(Persona):
    role = "bappeda"
    weight = PLAN["weights"]["bappeda"]


class OpdOperator(Persona):
    role = "opd"
    weight = PLAN["weights"]["opd"]


class Secretary(Persona):
    role = "secretary"
    weight = PLAN["weights"]["secretary"]


class ProvinceVerifier(Persona):
    role = "province"
    weight = PLAN["weights"]["province"]


class NationalVerifier(Persona):
    role = "national"
    weight = PLAN["weights"]["national"]


class TrivialProbe(HttpUser):
    """The trivial pages, anonymous, at the same pace."""

    fixed_count = PLAN["probes"]
    wait_time = PAUSE

    @task
    def health(self):
        self.client.get("/health/", name="trivial: /health/")

    @task
    def login_page(self):
        self.client.get(LOGIN, name="trivial: login page")
