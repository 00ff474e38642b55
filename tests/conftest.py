"""Fixtures: one application and schema per run (migrated with Alembic, on SQLite or on a real
PostgreSQL server chosen by EVENTHUB_TEST_DB), emptied before every test."""
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

os.environ["EVENTHUB_ENV"] = "testing"

from eventhub import create_app  # noqa: E402
from eventhub.extensions import db, limiter  # noqa: E402
from eventhub.security import FORM_TOKEN_FIELD, form_token  # noqa: E402
from tests.support import factories  # noqa: E402
from tests.support.database import RAM_DIRECTORY, TableEmptier, seat_counter_mismatches  # noqa: E402
from tests.support.postgres import postgres_server  # noqa: E402
from tests.support.server import gunicorn_server  # noqa: E402

DATABASE = os.environ.get("EVENTHUB_TEST_DB", "sqlite")
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pytest_report_header(config):
    return f"EventHub test database: {DATABASE}"


def pytest_collection_modifyitems(config, items):
    """Browser flows exercise the pages and scripts, the same on both databases: on PostgreSQL only the
    one marked `smoke` runs (the database behaviour below them is tested on both without a browser)."""
    if DATABASE != "postgresql":
        return
    browser_only = [item for item in items if item.get_closest_marker("e2e") and not item.get_closest_marker("smoke")]
    if browser_only:
        config.hook.pytest_deselected(items=browser_only)
        items[:] = [item for item in items if item not in browser_only]


@pytest.fixture(scope="session")
def database_url():
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
    elif DATABASE == "postgresql":
        with postgres_server() as url:
            yield url
    elif DATABASE == "sqlite":
        directory = tempfile.mkdtemp(prefix="eventhub-sqlite-", dir=RAM_DIRECTORY)
        yield f"sqlite:///{directory}/test.db"
        shutil.rmtree(directory, ignore_errors=True)
    else:
        raise pytest.UsageError(f"EVENTHUB_TEST_DB must be sqlite or postgresql, not {DATABASE!r}")


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production, even though the test
    itself holds one open for factories and assertions (otherwise the request would share it)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    from flask_migrate import upgrade

    instance = Path(tempfile.mkdtemp(prefix="eventhub-instance-", dir=RAM_DIRECTORY))
    app = create_app({
        "SECRET_KEY": "test-secret-of-at-least-32-characters",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "ACCOUNT_RATE_LIMIT": "10000 per minute",
        "PUBLIC_FORM_MIN_SECONDS": 0,
        "SERVER_NAME": None,
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(scope="session")
def empty_tables(app):
    with app.app_context():
        return TableEmptier(db.engine, db.metadata)


@pytest.fixture(autouse=True)
def _clean_state(request, app, empty_tables):
    empty_tables()
    shutil.rmtree(app.config["UPLOAD_FOLDER"], ignore_errors=True)
    limiter.reset()
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.connect() as connection:  # every test proves the seat counters stayed true
            assert seat_counter_mismatches(connection) == []


@pytest.fixture
def factory():
    return factories


# The real server, for tests that need several processes ----------------------------------------

@pytest.fixture(scope="session")
def server(app, database_url, tmp_path_factory):
    """One gunicorn (4 processes x 8 threads) for the whole run, started when a test first needs it, signing
    tickets with the test app's key (same SECRET_KEY), so payloads made here are genuine there; tables are
    emptied between tests."""
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    with gunicorn_server(database_url, workers=4, threads=8, log_file=log,
                         env={"SECRET_KEY": app.config["SECRET_KEY"]}) as url:
        yield url, log


@pytest.fixture
def server_url(server):
    """The base URL; after the test, the server must not have logged an unhandled error."""
    url, log = server
    start = log.stat().st_size if log.exists() else 0
    yield url
    with open(log, encoding="utf-8", errors="replace") as handle:
        handle.seek(start)
        new_output = handle.read()
    assert "Traceback" not in new_output and "Unhandled error" not in new_output, new_output[-5000:]


class Browser:
    """A test client that signs in and sends forms with the page's CSRF token, as a browser would."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self) -> str:
        page = self.client.get("/", follow_redirects=True).get_data(as_text=True)
        return CSRF_META.search(page).group(1)

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        data.setdefault(FORM_TOKEN_FIELD, form_token())  # as the public registration page embeds it
        return self.client.post(url, data=data, **kwargs)

    def login(self, email, password=factories.PASSWORD):
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(client):
    return Browser(client)
