"""A short run of the load test (``loadtest/run.py``, scenario ``loadtest/locustfile.py``): the production
topology on a database, a redis-server and an SMTP server of its own, seeded with the demo content and
generated initiatives, under a minute of mixed load: visitors browsing and searching, members logging in
and writing, partner systems reading the API. Not a benchmark: it asserts behaviour, never timing.

- no request failed: every page answered 200, every write its redirect (a refusal by a rate limit or the
  comment flood guard counts as a failure, so the scenario stays under them by itself), every API read 200;
- every kind of request was made, and every kind of write;
- no 5xx and no error line in the topology's log;
- every gunicorn worker and Celery worker process lived through the run (with recycling off, a replaced
  worker crashed or timed out), and none grew by 10 % or more in the second half of the load: the median RSS
  of the last quarter over the median around the midpoint (``loadtest/run.py`` says why)."""

import shutil
from urllib.parse import urlsplit

import pytest

from loadtest.run import KINDS, Options, report, run_load
from tests.conftest import REQUIRE_ALL
from tests.integration.support import database_url_of_the_test_database

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not REQUIRE_ALL, reason="needs redis-server on the PATH"
    ),
]

LOAD_SECONDS = 50
WRITES = ["login", "logout", "follow", "unfollow", "comment", "join", "withdraw", "edit"]
GROWTH_LIMIT = 0.10


def test_mixed_load_on_the_production_topology_fails_no_request_and_grows_no_worker():
    server = urlsplit(database_url_of_the_test_database())._replace(path="/postgres").geturl()
    options = Options(
        database_server=server,
        duration=LOAD_SECONDS,
        users=10,
        spawn_rate=5,
        initiatives=1000,
        accounts=200,
        gunicorn_workers=2,
        celery_concurrency={"events": 1, "mail": 2},
    )

    result = run_load(options)

    summary = report(result, "tests/integration/test_load.py")
    assert result.failed == 0, summary
    counts = result.counts()
    for kind in KINDS:
        assert sum(count for name, count in counts.items() if name.startswith(f"{kind}: ")), (kind, summary)
    for write in WRITES:
        assert counts.get(f"write: {write}", 0) > 0, (write, summary)
    assert any(name.startswith("api: ") and name.endswith("[key]") for name in counts), summary
    assert any(name.startswith("api: ") and not name.endswith("[key]") for name in counts), summary
    assert result.server_errors == [], summary
    assert result.error_lines == [], summary
    assert sum(result.statuses.values()) >= sum(counts.values())  # the request log saw every request
    labels = [process.label for process in result.processes]
    assert labels.count("web worker") == 2, summary
    for name in ("events", "mail", "digests"):
        assert f"celery {name} main process" in labels, summary
        assert f"celery {name} pool process" in labels, summary
    for process in result.processes:
        assert result.lived_through(process), (process.label, process.pid, summary)
        growth = result.growth(process)
        assert growth is not None, (process.label, process.pid, summary)
        assert growth < GROWTH_LIMIT, (process.label, process.pid, summary)
