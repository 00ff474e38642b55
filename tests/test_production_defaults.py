"""Production defaults: absolute URLs only from PUBLIC_BASE_URL, HSTS over HTTPS, no-store where personal data may
be, ticket keys never in the access log, uploads served inert."""
import io
import time
import urllib.request

from PIL import Image

from eventhub import uploads
from eventhub.booths.applications import documents
from eventhub.booths.applications.models import DocumentType
from eventhub.text import redact_secrets
from tests.booths import factories as booths
from tests.support.server import gunicorn_server


def test_absolute_urls_come_from_public_base_url_never_from_the_host_header(app, factory, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://sukien.daklak.gov.vn")
    organisation = factory.organisation()
    event = factory.event(organisation, publish=True)
    headers = {**factory.api_headers(factory.user(organisation=organisation)), "Host": "evil.example"}
    body = client.get(f"/api/v1/events/{event.id}", headers=headers).get_json()
    assert body["public_url"] == f"https://sukien.daklak.gov.vn/events/{event.slug}"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_store_wherever_personal_data_may_be(factory, browser, client):
    organisation = factory.organisation()
    user = factory.user("an@example.vn", organisation=organisation)
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")  # the public portal may be cached
    assert client.get("/api/v1/events", headers=factory.api_headers(user)).headers["Cache-Control"] == "no-store"
    browser.login("an@example.vn")
    for path in ("/manage/", "/account/tokens", f"/manage/organisations/{organisation.id}/members"):
        assert browser.get(path).headers["Cache-Control"] == "no-store", path
    assert "no-store" not in browser.get("/static/css/app.css").headers.get("Cache-Control", "")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_uploads_download_inert_as_their_sniffed_type(factory, client, browser):
    event = factory.event(factory.organisation(), publish=True)
    exhibitor = booths.make_exhibitor(email="htx@example.vn")
    application = booths.make_application(event, exhibitor)
    document = documents.add_document(application.id, exhibitor.id, DocumentType.OTHER, "giay-phep.html",
                                      b"%PDF-1.4\n%%EOF\n")
    cover = uploads.store("covers", _png(), "png")
    browser.login("htx@example.vn")
    answers = [browser.get(f"/exhibitors/applications/{application.id}/documents/{document.id}"),
               client.get(f"/media/covers/{cover.name}")]
    for response, (media_type, name) in zip(answers, [("application/pdf", "giay-phep.pdf"),
                                                      ("image/png", cover.name)], strict=True):
        assert response.status_code == 200
        assert response.mimetype == media_type
        assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"].endswith("sandbox")
    assert client.get("/media/covers/..%2F..%2Fconfig.py").status_code == 404
    assert client.get("/media/covers/khong-co.html").status_code == 404


def test_ticket_keys_are_cut_out_of_written_urls():
    assert redact_secrets('GET /tickets/Ab-_9xYz/qr.png?x=1 "https://a.vn/tickets/Zz"') == \
        'GET /tickets/…/qr.png?x=1 "https://a.vn/tickets/…"'


def test_the_access_log_never_holds_a_ticket_key(app, database_url, factory, tmp_path):
    event = factory.event(factory.organisation(), publish=True)
    registration = factory.registration(event, factory.category(event))
    log = tmp_path / "gunicorn.log"
    env = {"SECRET_KEY": app.config["SECRET_KEY"], "GUNICORN_ACCESS_LOG": "-"}
    with gunicorn_server(database_url, workers=1, threads=2, env=env, log_file=log) as base_url:
        for path in ("", "/qr.png", "/my-data.json"):
            request = urllib.request.Request(f"{base_url}/tickets/{registration.access_key}{path}",
                                             headers={"Referer": f"{base_url}/tickets/{registration.access_key}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
        time.sleep(0.5)
    text = log.read_text()
    assert text.count("/tickets/…") >= 3 and registration.access_key not in text
