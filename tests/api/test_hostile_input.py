"""One hostile-input matrix for every JSON endpoint of the OpenAPI document: each case is sent to each operation
and must get exactly its status and error (never a 500, never another answer for some endpoint); ids out of range
are 404 on every method and a method a path lacks is a 405 naming the allowed ones."""
import io
import re

import pytest

from eventhub.accounts import services as accounts
from eventhub.checkin import services as checkin
from eventhub.params import MAX_DB_ID

BODY = ("validation_error", ("_body",))
TOO_LARGE = (413, "payload_too_large", ())
LIMIT = 16384
SCANNER_READS_BODY = ("scan", "undo", "sync")
# name: (raw body, expected status, expected error code, expected fields)
CASES = {
    "deep_array": (b"[" * 1000 + b"]" * 1000, 422, *BODY),
    "deep_object": (b'{"a":' * 1000 + b"1" + b"}" * 1000, 422, *BODY),
    "invalid_utf8": (b'{"title": "\xff\xfe"}', 422, *BODY),
    "encoded_surrogate": (b'{"title": "\xed\xa0\x80"}', 422, *BODY),
    "latin1": ('{"title": "Ngày"}'.encode("latin-1", "replace"), 422, *BODY),
    "nul_in_key": (b'{"a\\u0000": 1}', 422, *BODY),
    "surrogate_in_nested_key": (b'{"answers": {"\\ud800": "x"}}', 422, *BODY),
    "not_json": (b"{", 422, *BODY),
    "empty": (b"", 422, *BODY),
    "array": (b"[]", 422, *BODY),
    "number": (b"1", 422, *BODY),
    "null": (b"null", 422, *BODY),
    "string": (b'"x"', 422, *BODY),
    "too_large": (b'{"a": "' + b"x" * LIMIT + b'"}', *TOO_LARGE),
}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def headers(factory):
    user = factory.user("matrix@eventhub.vn", platform_admin=True)
    token, _ = accounts.issue_api_token(user.id, "Ma trận")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def scanner(factory):
    """A live list and its device: the scanner endpoints read their body after the device is known, to log it."""
    event = factory.event(factory.organisation(), publish=True)
    entrance = checkin.entrance_for(event.id)
    token, _ = checkin.issue_device(entrance.id, "Cổng 1", None)
    return entrance.id, {"Authorization": f"Bearer {token}"}


def target(path: str, headers: dict, scanner) -> tuple[str, dict]:
    if path.startswith("/checkin/lists/{list_id}/") and path.rsplit("/", 1)[1] in SCANNER_READS_BODY:
        return "/api/v1" + concrete(path, scanner[0]), scanner[1]
    return "/api/v1" + concrete(path), headers


def concrete(path: str, value="1") -> str:
    return re.sub(r"\{[a-z_]+\}", str(value), path)


def json_operations(document) -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, operations in document["paths"].items()
            for method, operation in operations.items() if method in ("post", "put", "patch", "delete")]


def answer(response):
    body = response.get_json(silent=True) or {}
    error = body.get("error") or {}
    return response.status_code, error.get("code"), tuple(sorted(error.get("fields") or {})) or ()


def test_every_json_endpoint_answers_every_hostile_body_exactly(app, client, document, headers, scanner, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_JSON_BYTES", LIMIT)
    operations = json_operations(document)
    assert len(operations) > 40
    failures = []
    for method, path in operations:
        url, sent_headers = target(path, headers, scanner)
        for name, (raw, status, code, fields) in CASES.items():
            response = client.open(url, method=method, data=raw, content_type="application/json",
                                   headers=sent_headers)
            if answer(response) != (status, code, fields):
                failures.append((method, path, name, answer(response)))
    assert failures == []


def test_a_chunked_body_past_the_limit_is_413_on_every_json_endpoint(app, client, document, headers, scanner,
                                                                   monkeypatch):
    """A body without Content-Length (chunked) is cut at the limit as gunicorn passes it (wsgi.input_terminated)."""
    monkeypatch.setitem(app.config, "MAX_JSON_BYTES", LIMIT)
    failures = []
    for method, path in json_operations(document):
        url, sent_headers = target(path, headers, scanner)
        stream = io.BytesIO(b'{"a": "' + b"x" * (LIMIT * 4) + b'"}')
        response = client.open(url, method=method, input_stream=stream,
                               headers={**sent_headers, "Content-Type": "application/json",
                                        "Transfer-Encoding": "chunked"},
                               environ_overrides={"wsgi.input_terminated": True})
        if answer(response) != TOO_LARGE:
            failures.append((method, path, answer(response)))
    assert failures == []


@pytest.mark.parametrize("value", [MAX_DB_ID + 1, 10**20])
def test_ids_out_of_range_are_404_on_every_method(client, document, headers, value):
    failures = []
    for path in document["paths"]:
        if not re.search(r"\{[a-z_]*id\}", path):
            continue
        url = "/api/v1" + re.sub(r"\{[a-z_]*id\}", str(value), concrete_slugs(path))
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            response = client.open(url, method=method, json={}, headers=headers)
            if answer(response)[:2] != (404, "not_found"):
                failures.append((method, path, answer(response)))
    assert failures == []


def concrete_slugs(path: str) -> str:
    return re.sub(r"\{(?![a-z_]*id\})[a-z_]+\}", "khong-co", path)


def test_a_method_a_path_lacks_is_405_with_allow(client, document, headers):
    failures = []
    for path, operations in document["paths"].items():
        url = "/api/v1" + concrete(path)
        declared = {method.upper() for method in operations}
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - declared:
            response = client.open(url, method=method, json={}, headers=headers)
            allowed = set(response.headers.get("Allow", "").replace(" ", "").split(",")) - {"HEAD", "OPTIONS"}
            if answer(response)[:2] != (405, "method_not_allowed") or allowed != declared:
                failures.append((method, path, answer(response), response.headers.get("Allow")))
    assert failures == []


def test_brackets_inside_text_are_not_nesting():
    from eventhub.jsonbody import parse

    assert parse(b'{"title": "' + b"[{" * 2000 + b'"}') == {"title": "[{" * 2000}
    assert parse(rb'{"a": "\\[", "b": "]\\"}') == {"a": "\\[", "b": "]\\"}


# The scan's own texts: a refused scan is logged too ----------------------------------------------

SCAN_TEXTS = {
    "nul_code": ({"code": "EH1.a\x00b.c"}, ("code",)),
    "surrogate_code": ({"code": "\ud800"}, ("code",)),
    "nul_nonce": ({"code": "ABC123", "nonce": "n\x00"}, ("nonce",)),
    "surrogate_gate": ({"code": "ABC123", "gate": "C\udfff"}, ("gate",)),
    "wrong_type_code": ({"code": 12}, ("code",)),
    "wrong_type_nonce": ({"code": "ABC123", "nonce": ["1"]}, ("nonce",)),
}


def test_hostile_scan_texts_are_field_errors_and_logged(client, scanner):
    import json

    import sqlalchemy as sa

    from eventhub.checkin.models import ScanLog, ScanResult
    from eventhub.extensions import db

    list_id, headers = scanner
    answers = {}
    for name, (body, _) in SCAN_TEXTS.items():
        response = client.post(f"/api/v1/checkin/lists/{list_id}/scan", data=json.dumps(body),
                               content_type="application/json", headers=headers)
        answers[name] = answer(response)
    for raw in (b'{"code": "\xed\xa0\x80"}', b"[" * 1000, b'{"gate": "\xff"}'):
        response = client.post(f"/api/v1/checkin/lists/{list_id}/undo", data=raw, content_type="application/json",
                               headers=headers)
        answers[raw[:12]] = answer(response)
    assert answers == {**{name: (422, "validation_error", fields) for name, (_, fields) in SCAN_TEXTS.items()},
                       **{raw[:12]: (422, "validation_error", ("_body",))
                          for raw in (b'{"code": "\xed\xa0\x80"}', b"[" * 1000, b'{"gate": "\xff"}')}}
    db.session.expire_all()
    logs = db.session.scalars(sa.select(ScanLog).order_by(ScanLog.id)).all()
    assert [log.result for log in logs] == [ScanResult.INVALID] * 9
    assert [log.code_excerpt for log in logs[:3]] == ["EH1.ab.c", None, "ABC123"]
    assert logs[3].gate == "Cổng 1" and logs[4].code_excerpt == "12"  # the device's gate, not the refused one
    assert [log.direction.value for log in logs[6:]] == ["undo"] * 3


# Query strings, answers, downloads, signatures ------------------------------------------------

@pytest.mark.parametrize("query", ["per_page=0", "per_page=-1", "per_page=1000000000", "per_page=null",
                                   "per_page=1.5", "page=0", "page=abc"])
def test_bad_page_arguments_are_422_in_the_api(client, headers, query):
    response = client.get(f"/api/v1/portal/events?{query}", headers=headers)
    assert answer(response) == (422, "validation_error", (query.split("=")[0],))


def test_good_page_arguments_are_taken(client):
    body = client.get("/api/v1/portal/events?per_page=100&page=3").get_json()
    assert (body["per_page"], body["page"]) == (100, 3)


def test_answers_must_be_an_object_even_when_empty(client, factory):
    event = factory.event(factory.organisation(), publish=True)
    category = factory.category(event)
    from eventhub.registration import services as registration

    body = {"category_id": category.id, "full_name": "Võ Minh Tuấn", "phone": "0905123456",
            "consent_version": registration.current_consent().version}
    url = f"/api/v1/portal/events/{event.slug}/registrations"
    assert answer(client.post(url, json={**body, "answers": []})) == (422, "validation_error", ("answers",))
    assert answer(client.post(url, json={**body, "answers": ""})) == (422, "validation_error", ("answers",))
    assert client.post(url, json={**body, "answers": None}).status_code == 201


def test_every_spelling_but_the_canonical_one_of_a_signature_is_forged(factory):
    from eventhub.errors import DomainError
    from eventhub.registration import tickets

    payload = tickets.qr_payload("TK7Q2M9X")
    head, signature = payload.rsplit(".", 1)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    base = alphabet.index(signature[-1]) & ~15
    twins = [f"{head}.{signature[:-1]}{alphabet[base + extra]}" for extra in range(16)]
    verified = []
    for twin in twins + [payload + "=", payload + "==", f"{head}.{signature[:40]}!{signature[40:]}"]:
        try:
            verified.append(tickets.verify_payload(twin))
        except DomainError as error:
            assert error.code == "forged_ticket"
    assert verified == ["TK7Q2M9X"]
