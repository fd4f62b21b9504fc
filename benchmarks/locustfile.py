"""Load profile for the site and the API: what visitors and external tools request.

Run through ``benchmarks/load_test.py`` (``make load``), which starts the app
under gunicorn with DEBUG off and writes the results to docs/load.md. By hand,
against an app already running on 127.0.0.1::

    .venv/bin/locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000 \\
        --headless --users 50 --spawn-rate 10 --run-time 60s

Requests are grouped by ``name`` into the endpoint groups the report lists.
The slugs of articles and entities are read once from the API when the run
starts, so every page requested exists (an error is a real error).

With ``LOAD_REQUEST_LOG=<file>`` every request is also written to that CSV
file (start and end time, group, status, whether a 503 said Retry-After, the
connection error if any), so that the load test can count outcomes before,
during and after a database restart.
"""

import csv
import logging
import os
import random

import requests
from locust import HttpUser, between, events, task

logger = logging.getLogger(__name__)

SEARCH_WORDS = [
    "pharmaceutical",
    "cluster",
    "training",
    "investment",
    "vaccine",
    "plant",
    "export",
    "medicine",
    "Kaluga",
    "biotechnology",
    "production",
    "university",
    '"pharmaceutical cluster"',
    "drug -vaccine",
]
SLUGS: dict[str, list[str]] = {}
REQUEST_LOG_COLUMNS = ["start", "end", "name", "status", "retry_after", "error"]


class RequestLog:
    """One CSV row per request, for counting outcomes by time (LOAD_REQUEST_LOG)."""

    def __init__(self, path: str):
        self.file = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115 (closed at quit)
        self.writer = csv.writer(self.file)
        self.writer.writerow(REQUEST_LOG_COLUMNS)

    def record(self, name, response_time, response, exception, start_time=None, **kwargs):
        """The ``request`` event's listener: times in seconds since the epoch."""
        start = start_time if start_time is not None else 0.0
        status = getattr(response, "status_code", None) or 0
        headers = getattr(response, "headers", None) or {}
        # Locust reports an HTTP error status as an exception too; only a
        # request without any status (refused, reset) is a connection error.
        error = type(exception).__name__ if exception is not None and not status else ""
        self.writer.writerow(
            [
                f"{start:.6f}",
                f"{start + response_time / 1000:.6f}",
                name,
                status,
                int("Retry-After" in headers),
                error,
            ]
        )

    def close(self, **kwargs):
        """Flush and close the file when locust quits."""
        self.file.close()


if os.environ.get("LOAD_REQUEST_LOG"):
    _request_log = RequestLog(os.environ["LOAD_REQUEST_LOG"])
    events.request.add_listener(_request_log.record)
    events.quit.add_listener(_request_log.close)


@events.test_start.add_listener
def read_slugs(environment, **kwargs):
    """Collect article and entity slugs through the API before the users start."""
    session = requests.Session()
    for kind in ("articles", "organisations", "people", "programs"):
        slugs = []
        url = f"{environment.host}/api/{kind}/?page_size=100"
        while url and len(slugs) < 1000:
            response = session.get(url, timeout=30)
            response.raise_for_status()
            data = response.json()
            slugs.extend(row["slug"] for row in data["results"])
            url = data["next"]
        if not slugs:
            raise RuntimeError(f"/api/{kind}/ is empty: import articles before the load test")
        SLUGS[kind] = slugs
        logger.info("%d %s slugs", len(slugs), kind)


class Visitor(HttpUser):
    """A reader of the site or a client of the API, with a short pause between requests."""

    wait_time = between(0.1, 0.5)

    @task(3)
    def site_search(self):
        """Full-text search with highlighted snippets, sometimes filtered by year."""
        params = {"q": random.choice(SEARCH_WORDS)}
        if random.random() < 0.2:
            params["year"] = random.choice(["2014", "2019", "2021"])
        self.client.get("/articles/", params=params, name="site: search")

    @task(3)
    def site_article(self):
        """An article page with its linked mentions and metrics."""
        slug = random.choice(SLUGS["articles"])
        self.client.get(f"/articles/{slug}/", name="site: article page")

    @task(3)
    def site_entity(self):
        """An organisation, person or program page (articles, positions, metrics, timeline)."""
        kind = random.choice(["organisations", "people", "programs"])
        slug = random.choice(SLUGS[kind])
        self.client.get(f"/{kind}/{slug}/", name="site: entity page")

    @task(1)
    def site_lists(self):
        """The overview, an entity list or the metrics page with its charts."""
        path = random.choice(["/", "/organisations/", "/people/", "/programs/", "/metrics/"])
        self.client.get(path, name="site: overview and lists")

    @task(2)
    def api_list(self):
        """A page of an API list, JSON."""
        kind = random.choice(["articles", "organisations", "people", "programs", "metrics"])
        params = {"page_size": random.choice([20, 100])}
        self.client.get(f"/api/{kind}/", params=params, name="api: lists")

    @task(2)
    def api_search(self):
        """Ranked full-text search through the API."""
        params = {"search": random.choice(SEARCH_WORDS)}
        self.client.get("/api/articles/", params=params, name="api: article search")
