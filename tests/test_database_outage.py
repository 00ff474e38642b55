"""What people see when the database goes away and comes back: 503 with Retry-After while it is away (JSON on the
API, a page that needs no database in HTML), no error once it is back (pooled connections are pinged), and a
registration whose commit succeeded is answered as a success even if the connection dies right after."""
import threading

import pytest
import sqlalchemy as sa

from eventhub import create_app
from eventhub.extensions import db
from eventhub.registration import services
from eventhub.registration.models import Registration
from tests.conftest import DATABASE
from tests.support.postgres import postgres_instance
from tests.support.server import JsonClient, free_port, gunicorn_server


def _unreachable_url(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/no/such/directory/eventhub.db"
    return f"postgresql+psycopg://eventhub@127.0.0.1:{free_port()}/eventhub?connect_timeout=2"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_unreachable_database_answers_503_with_retry_after_in_json_and_html(kind, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": _unreachable_url(kind, tmp_path), "SECRET_KEY": "x" * 40,
                      "TESTING": False})
    client = app.test_client()
    api = client.get("/api/v1/portal/events", headers={"Accept-Language": "en"})
    assert api.status_code == 503 and api.headers["Retry-After"] == "2"
    assert api.get_json() == {"error": {"code": "unavailable",
                                        "message": "The system is busy. Please try again in a moment."}}
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "2" and page.mimetype == "text/html"
    assert "Hệ thống đang bận, vui lòng thử lại sau giây lát." in page.get_data(as_text=True)


def test_a_real_bug_in_sql_is_still_a_500_not_a_503(app):
    buggy = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @buggy.get("/broken-sql-for-test")
    def broken():
        db.session.execute(sa.text("SELECT no_such_column FROM registrations"))

    response = buggy.test_client().get("/broken-sql-for-test", headers={"Accept": "application/json"})
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "server_error"


def _registration_body(category_id: int, number: int, **extra) -> dict:
    return {"category_id": category_id, "full_name": f"Lê Thị Mất Kết Nối {number}", "phone": f"09{number:08d}",
            "consent_version": services.current_consent().version, **extra}


def test_a_registration_committed_just_before_its_connection_died_is_answered_as_success(factory, client):
    """The connection is killed the moment the registration's transaction has committed (PostgreSQL: the server
    ends the backend; SQLite: the connection is closed): the answer is still the ticket."""
    event = factory.event(factory.organisation(), publish=True, capacity=10)
    path, category_id = f"/api/v1/portal/events/{event.slug}/registrations", factory.category(event).id
    committing, killed = [], []

    def remember_connection(session):
        if not committing:
            committing.append(session.connection().connection.dbapi_connection)

    def kill_connection(_session):
        if committing and not killed:
            killed.append(committing[0])
            if DATABASE == "postgresql":
                with db.engine.connect() as other:
                    other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": committing[0].info.backend_pid})
            else:
                committing[0].close()

    sa.event.listen(db.session, "before_commit", remember_connection)
    sa.event.listen(db.session, "after_commit", kill_connection)
    try:
        response = client.post(path, json=_registration_body(category_id, 1))
    finally:
        sa.event.remove(db.session, "before_commit", remember_connection)
        sa.event.remove(db.session, "after_commit", kill_connection)
    assert killed and response.status_code == 201, response.get_json()
    ticket = response.get_json()
    db.session.remove()
    stored = db.session.scalar(sa.select(Registration).where(Registration.access_key == ticket["access_key"]))
    assert stored is not None and stored.status.value == ticket["status"] == "confirmed"
    # The next request gets a live connection from the pool (the dead one is pinged out).
    again = client.post(path, json=_registration_body(category_id, 2))
    assert again.status_code == 201


def test_a_retried_submission_returns_the_registration_it_made_and_never_another_persons(factory, client):
    event = factory.event(factory.organisation(), publish=True, capacity=1)
    category = factory.category(event)
    path = f"/api/v1/portal/events/{event.slug}/registrations"
    first = client.post(path, json=_registration_body(category.id, 1, submission_key="k-1"))
    retried = client.post(path, json=_registration_body(category.id, 1, submission_key="k-1"))
    assert first.status_code == retried.status_code == 201 and retried.get_json() == first.get_json()
    waiting = client.post(path, json=_registration_body(category.id, 2, submission_key="k-2"))
    assert client.post(path, json=_registration_body(category.id, 2, submission_key="k-2")).get_json() == \
        waiting.get_json() and waiting.get_json()["waitlist_position"] == 1
    # The same key with another contact opens nothing: the key is taken, the person is new.
    other = client.post(path, json=_registration_body(category.id, 3, submission_key="k-1"))
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "conflict"
    # Without a key, the same person again is a duplicate, as before.
    duplicate = client.post(path, json=_registration_body(category.id, 1))
    assert duplicate.status_code == 409 and duplicate.get_json()["error"]["code"] == "duplicate"
    bad = client.post(path, json=_registration_body(category.id, 4, submission_key="không hợp lệ"))
    assert bad.status_code == 422 and "submission_key" in bad.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 2


@pytest.mark.skipif(DATABASE != "postgresql", reason="restarts a PostgreSQL server of its own; run on that side")
def test_postgresql_restarting_under_traffic_gives_503s_then_nothing_but_successes(tmp_path):
    """Two gunicorn workers with pooled connections; PostgreSQL stops (connections cut) and starts again while
    clients keep registering. Every answer is 201 or 503; once it is back, every answer is 201, also from the
    workers whose pooled connections died; the database holds exactly the registrations answered 201."""
    from flask_migrate import upgrade

    from tests.support import factories

    with postgres_instance(synchronous_commit=True) as server:
        app = create_app({"SQLALCHEMY_DATABASE_URI": server.url, "SECRET_KEY": "x" * 40})
        with app.app_context():
            upgrade()
            event = factories.event(factories.organisation(), publish=True, capacity=1000)
            category_id, slug = factories.category(event).id, event.slug
            consent = services.current_consent().version
            db.session.remove()
            db.engine.dispose()
        path = f"/api/v1/portal/events/{slug}/registrations"

        def body(number):
            return {"category_id": category_id, "full_name": f"Người thứ {number}", "phone": f"09{number:08d}",
                    "consent_version": consent}

        with gunicorn_server(server.url, workers=2, threads=2) as base_url:
            answers: list[tuple[int, object]] = []
            numbers = iter(range(1, 100000))
            lock = threading.Lock()

            def client_loop(stop: threading.Event):
                connection = JsonClient(base_url, timeout=30)
                while not stop.is_set():
                    with lock:
                        number = next(numbers)
                    status, answer = connection.request("POST", path, body(number))
                    with lock:
                        answers.append((status, answer))

            for number in range(50):  # warm every worker's pool
                answers.append(JsonClient(base_url).request("POST", path, body(100000 + number)))
            stop = threading.Event()
            clients = [threading.Thread(target=client_loop, args=(stop,)) for _ in range(4)]
            for thread in clients:
                thread.start()
            server.stop()
            threading.Event().wait(1.4)
            server.start()
            threading.Event().wait(1.0)
            stop.set()
            for thread in clients:
                thread.join()
            after = [JsonClient(base_url).request("POST", path, body(200000 + n)) for n in range(20)]
        with app.app_context():
            stored = set(db.session.scalars(sa.select(Registration.access_key)))
            db.session.remove()
            db.engine.dispose()
    told = {answer["access_key"] for status, answer in answers + after if status == 201}
    assert stored == told
    statuses = {status for status, _ in answers}
    assert statuses <= {201, 503}, [a for a in answers if a[0] not in (201, 503)][:3]
    assert 503 in statuses
    assert all(answer["error"]["code"] == "unavailable" for status, answer in answers if status == 503)
    assert [status for status, _ in after] == [201] * 20
