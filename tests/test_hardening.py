"""Hostile or careless input: JSON nulls and odd types, NUL and lone surrogates, far dates, huge pages and ids,
query keys that look like url_for's arguments, failed commits and deactivated organisations."""
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import Gone
from wtforms import SelectMultipleField

from eventhub.accounts import services as accounts
from eventhub.accounts.models import Organisation, Role
from eventhub.errors import NotFound
from eventhub.events import services as events
from eventhub.events.api import EventApiForm
from eventhub.events.models import Event, Visibility
from eventhub.extensions import db
from eventhub.forms import BaseForm, LocalDateField, LocalDateTimeField, choices
from eventhub.timeutil import utcnow

EMPTY = "Trường này không được để trống."
BAD_CHARACTERS = "Có ký tự không hợp lệ."


@pytest.fixture
def organiser(factory):
    organisation = factory.organisation("Sở Khoa học và Công nghệ tỉnh Kon Tum")
    user = factory.user("hardening@skhcn.vn", organisation=organisation)
    token, _ = accounts.issue_api_token(user.id, "Kiểm thử")
    return organisation, user, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def platform_admin(factory):
    user = factory.user("quantri@eventhub.vn", platform_admin=True)
    token, _ = accounts.issue_api_token(user.id, "Quản trị")
    return {"Authorization": f"Bearer {token}"}


def payload(factory, **overrides):
    start = factory.event_details().starts_at
    values = {"title": "Diễn đàn khởi nghiệp Kon Tum", "event_type": "workshop", "level": "province",
              "province": "Kon Tum", "venue_name": "Hội trường tỉnh", "starts_at": start.isoformat(),
              "ends_at": (start + timedelta(hours=3)).isoformat()}
    values.update(overrides)
    return values


def fields_of(response):
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.get_json()["error"]["fields"]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


# 1. JSON bodies ---------------------------------------------------------------------------------

def test_null_visibility_does_not_make_a_private_event_public(organiser, factory, client):
    organisation, _, headers = organiser
    event = factory.event(organisation, visibility=Visibility.PRIVATE)
    response = client.patch(f"/api/v1/events/{event.id}", json={"visibility": None}, headers=headers)
    assert fields_of(response) == {"visibility": [EMPTY]}
    db.session.expire_all()
    assert db.session.get(Event, event.id).visibility == Visibility.PRIVATE


def test_null_for_a_required_field_is_refused(organiser, factory, client):
    _, _, headers = organiser
    names = ["title", "event_type", "level", "province", "venue_name", "starts_at", "ends_at"]
    answers = {name: fields_of(client.post("/api/v1/events", json=payload(factory, **{name: None}), headers=headers))
               for name in names}
    assert answers == {name: {name: [EMPTY]} for name in names}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_null_empties_the_optional_fields(organiser, factory, client):
    organisation, _, headers = organiser
    partner = factory.organisation("Trường Đại học Tây Nguyên")
    event = factory.event(organisation, summary="Tóm tắt", sub_unit="Phường Quyết Thắng", venue_address="1 Lê Lợi",
                          capacity=100, co_organiser_ids=[partner.id])
    nulls = dict.fromkeys(EventApiForm.NULLABLE_FIELDS)
    response = client.patch(f"/api/v1/events/{event.id}", json=nulls, headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {name: body[name] for name in ("summary", "sub_unit", "venue_address", "registration_opens_at",
                                          "registration_closes_at", "capacity")} == dict.fromkeys(
        ("summary", "sub_unit", "venue_address", "registration_opens_at", "registration_closes_at", "capacity"))
    assert body["description_md"] == "" and body["co_organisers"] == []


def test_objects_and_lists_are_field_errors_of_the_event_api(organiser, factory, client):
    """The matrix in tests/test_form_json.py proves every kind; this proves the event API answers with it."""
    _, _, headers = organiser
    rows = {
        ("title", "object"): ({"vi": "Tên"}, "Trường này phải là chuỗi ký tự."),
        ("title", "two_values"): (["Tên", "Khác"], "Trường này chỉ nhận một giá trị."),
        ("title", "one_value_in_a_list"): (["Tên"], "Trường này chỉ nhận một giá trị."),
        ("title", "empty_list"): ([], "Trường này chỉ nhận một giá trị."),
        ("title", "true"): (True, "Trường này phải là chuỗi ký tự."),
        ("capacity", "numeric_text"): ("100", "Trường này phải là số nguyên."),
        ("co_organiser_ids", "object"): ({"id": 1}, "Trường này phải là một danh sách."),
        ("co_organiser_ids", "list_of_objects"): ([{"id": 1}], "Trường này phải là số nguyên hoặc chuỗi ký tự."),
        ("co_organiser_ids", "nested_list"): ([[1]], "Trường này phải là số nguyên hoặc chuỗi ký tự."),
        ("co_organiser_ids", "list_of_null"): ([None], "Trường này phải là số nguyên hoặc chuỗi ký tự."),
    }
    actual = {(name, label): fields_of(client.post("/api/v1/events", json=payload(factory, **{name: value}),
                                                   headers=headers))
              for (name, label), (value, _) in rows.items()}
    assert actual == {(name, label): {name: [message]} for (name, label), (_, message) in rows.items()}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_a_multi_value_field_still_takes_a_list(organiser, factory, client):
    _, _, headers = organiser
    partner = factory.organisation("Hiệp hội Doanh nghiệp tỉnh")
    response = client.post("/api/v1/events", json=payload(factory, co_organiser_ids=[partner.id]), headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["co_organiser_invitations"] == [{"id": partner.id, "name": partner.name,
                                                                 "status": "invited"}]
    assert response.get_json()["co_organisers"] == []


def test_nul_and_lone_surrogates_in_json_are_field_errors(organiser, factory, client):
    """Escapes on the wire decode to characters no database stores (NUL was a 500 on PostgreSQL)."""
    _, _, headers = organiser
    template = json.dumps(payload(factory, title="__TITLE__"))
    expected = {'"Ngày hội\\u0000"': BAD_CHARACTERS, '"\\ud800 khởi nghiệp"': BAD_CHARACTERS,
                '["\\udfff"]': "Trường này chỉ nhận một giá trị."}  # a list is refused before its characters are read
    actual = {raw: fields_of(client.post("/api/v1/events", data=template.replace('"__TITLE__"', raw),
                                         content_type="application/json", headers=headers))
              for raw in expected}
    assert actual == {raw: {"title": [message]} for raw, message in expected.items()}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_nul_in_a_multi_value_item_is_a_field_error(organiser, factory, client):
    _, _, headers = organiser
    response = client.post("/api/v1/events", json=payload(factory, co_organiser_ids=["1\x00"]), headers=headers)
    assert fields_of(response) == {"co_organiser_ids": [BAD_CHARACTERS]}


# 2. NUL through HTML forms and query strings -------------------------------------------------------

@pytest.mark.parametrize("url", ["/?q=ng%C3%A0y%00h%E1%BB%99i", "/?%00=1", "/events/abc%00def",
                                 "/manage/?q=%00"])
def test_nul_in_a_query_string_or_path_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Yêu cầu chứa ký tự không hợp lệ." in response.get_data(as_text=True)


def test_nul_in_an_api_query_string_is_a_json_400(client):
    response = client.get("/api/v1/portal/events?q=%00")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_characters"


def test_nul_in_a_submitted_form_is_a_400(factory, browser):
    organisation = factory.organisation()
    factory.user("web@example.vn", organisation=organisation)
    browser.login("web@example.vn")
    response = browser.post("/account/tokens", {"name": "Khoá\x00"})
    assert response.status_code == 400
    assert "Yêu cầu chứa ký tự không hợp lệ." in response.get_data(as_text=True)


# 3. The error handlers ---------------------------------------------------------------------------

def test_a_failed_flush_still_renders_our_500_page(app, factory, browser, monkeypatch):
    organisation = factory.organisation("Sở Tư pháp tỉnh")
    factory.user("web@example.vn", organisation=organisation)
    browser.login("web@example.vn")

    def failing_view():
        db.session.commit()  # expires everything, the signed-in user included
        db.session.add(Organisation(name="Trùng", name_key=organisation.name_key, kind=organisation.kind,
                                    province="Huế"))
        db.session.flush()

    monkeypatch.setitem(app.view_functions, "portal.index", failing_view)
    response = browser.get("/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Đã có lỗi hệ thống" in page and "Nguyễn Văn An" in page


def test_statuses_without_our_message_get_a_vietnamese_one(app, client, monkeypatch):
    def gone(**_kwargs):
        raise Gone()

    monkeypatch.setitem(app.view_functions, "portal.index", gone)
    monkeypatch.setitem(app.view_functions, "api.portal_events", gone)
    page = client.get("/")
    assert page.status_code == 410
    assert Gone.description not in page.get_data(as_text=True)
    assert "Không thể xử lý yêu cầu này." in page.get_data(as_text=True)
    body = client.get("/api/v1/portal/events").get_json()
    assert body["error"] == {"code": "http_error", "message": "Không thể xử lý yêu cầu này."}


# 4. Deactivated organisations ----------------------------------------------------------------------

def test_members_of_a_deactivated_organisation_are_refused(organiser, factory, client):
    organisation, user, headers = organiser
    event = factory.event(organisation)
    organisation.is_active = False
    db.session.commit()
    with pytest.raises(NotFound):
        events.get_managed_event(user, event.id)
    assert client.get(f"/api/v1/events/{event.id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/events/{event.id}", json={"title": "Đổi"}, headers=headers).status_code == 404
    admin = factory.user("admin@eventhub.vn", platform_admin=True)
    assert events.get_managed_event(admin, event.id).id == event.id


def test_a_deactivated_organisation_admin_cannot_manage_members(factory):
    organisation = factory.organisation()
    admin = factory.user(organisation=organisation, role=Role.ADMIN)
    accounts.require_role(admin, organisation.id, accounts.ORGANISATION_ADMIN_ROLES)
    organisation.is_active = False
    db.session.commit()
    with pytest.raises(NotFound):
        accounts.require_role(admin, organisation.id, accounts.ORGANISATION_ADMIN_ROLES)


# 5. The pager --------------------------------------------------------------------------------------

def test_pager_links_keep_every_query_argument_and_tolerate_url_for_names(factory, client):
    organisation = factory.organisation()
    for n in range(3):
        factory.event(organisation, publish=True, title=f"Sự kiện số {n} năm 2027")
    for key in ["endpoint", "_method", "_external", "_anchor", "_scheme", "values"]:
        response = client.get(f"/?per_page=1&page=2&{key}=x&q=&q=s%E1%BB%B1+ki%E1%BB%87n")
        assert response.status_code == 200, key
        page = response.get_data(as_text=True)
        for number in (1, 3):
            assert f'href="/?per_page=1&amp;{key}=x&amp;q=&amp;q=s%E1%BB%B1+ki%E1%BB%87n&amp;page={number}"' in page


def test_manage_dashboard_pager(factory, browser):
    organisation = factory.organisation()
    factory.user("web@example.vn", organisation=organisation)
    for n in range(2):
        factory.event(organisation, title=f"Hội thảo {n} năm 2027")
    browser.login("web@example.vn")
    response = browser.get("/manage/?per_page=1&endpoint=portal.index&_external=1")
    assert response.status_code == 200
    assert 'href="/manage/?per_page=1&amp;endpoint=portal.index&amp;_external=1&amp;page=2"' in \
        response.get_data(as_text=True)


# 6. Far dates --------------------------------------------------------------------------------------

def test_datetimes_outside_2000_to_2100_are_field_errors(organiser, factory, client):
    _, _, headers = organiser
    values = ["0001-01-01T00:00", "9999-12-31T23:59+00:00", "01/01/0001 00:00", "31/12/9999 23:59",
              "1999-12-31T23:59", "2101-01-01T00:00"]
    actual = {value: fields_of(client.post("/api/v1/events", json=payload(factory, starts_at=value),
                                           headers=headers)) for value in values}
    assert actual == dict.fromkeys(values, {"starts_at": ["Năm phải trong khoảng 2000–2100."]})


def test_datetimes_at_the_edges_of_the_range_are_read(app):
    class Form(BaseForm):
        at = LocalDateTimeField()
        day = LocalDateField()

    with app.test_request_context():
        form = Form(MultiDict({"at": "2000-01-01T00:00", "day": "31/12/2100"}), meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.at.data == datetime(1999, 12, 31, 17, 0, tzinfo=UTC) and form.day.data == date(2100, 12, 31)


def test_far_dates_in_portal_filters(factory, client):
    factory.event(factory.organisation(), publish=True)
    for value in ["01/01/0001", "0001-01-01", "31/12/9999", "1999-12-31"]:
        assert client.get(f"/?date_from={value}&date_to={value}").status_code == 200, value
        response = client.get(f"/api/v1/portal/events?date_from={value}")
        assert fields_of(response) == {"date_from": ["Năm phải trong khoảng 2000–2100."]}, value


# 7. Huge page numbers ------------------------------------------------------------------------------

def test_huge_page_numbers_are_clamped_on_pages_and_refused_by_the_api(factory, client):
    factory.event(factory.organisation(), publish=True)
    for page in [10**6 + 1, 10**18, 10**30]:
        assert client.get(f"/?page={page}").status_code == 200, page
        response = client.get(f"/api/v1/portal/events?page={page}")
        assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == ["page"], page
    response = client.get("/api/v1/portal/events?page=1000000")
    assert response.get_json()["page"] == 1_000_000 and response.get_json()["items"] == []


# 8. Event services ---------------------------------------------------------------------------------

def test_a_failed_commit_of_any_kind_leaves_no_cover_file(factory, monkeypatch):
    organisation = factory.organisation()

    def broken_commit(_event):
        raise RuntimeError("database went away")

    monkeypatch.setattr(events, "_commit_with_unique_slug", broken_commit)
    with pytest.raises(RuntimeError):
        events.create_event(organisation.id, None, factory.event_details(), cover=png_bytes())
    assert list(events.covers_dir().iterdir()) == []


def test_a_clone_knows_its_source_from_its_first_commit(factory):
    source = factory.event(factory.organisation())
    inserted = []

    def record(_mapper, _connection, target):
        inserted.append(target.cloned_from_id)

    sa.event.listen(Event, "before_insert", record)
    try:
        start = utcnow() + timedelta(days=60)
        clone = events.clone_event(source.id, events.CloneDetails("Bản sao 2028", start, start + timedelta(hours=2)),
                                   created_by_id=None)
    finally:
        sa.event.remove(Event, "before_insert", record)
    assert inserted == [source.id] and clone.cloned_from_id == source.id


def test_the_slug_year_is_the_local_year(factory):
    start = datetime(2027, 12, 31, 18, 0, tzinfo=UTC)  # 01:00 on 1 January 2028 in Việt Nam
    event = factory.event(factory.organisation(), title="Đêm hội chào năm mới", starts_at=start,
                          ends_at=start + timedelta(hours=3))
    assert event.slug == "dem-hoi-chao-nam-moi-2028"


def test_co_organiser_ids_beyond_the_database_are_field_errors(organiser, factory, client):
    organisation, _, headers = organiser
    for ids in [[2**31], [2**63], [2**64], [0], [-1]]:
        problems = events.detail_problems(factory.event_details(co_organiser_ids=ids), organisation.id)
        assert [str(m) for m in problems["co_organiser_ids"]] == ["Có đơn vị phối hợp không tồn tại."], ids
        response = client.post("/api/v1/events", json=payload(factory, co_organiser_ids=ids), headers=headers)
        assert fields_of(response) == {"co_organiser_ids": ["Có đơn vị phối hợp không tồn tại."]}, ids
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


# 9. The owner of a new event -----------------------------------------------------------------------

def test_an_unknown_organisation_is_a_404_not_a_conflict(platform_admin, organiser, factory, client):
    response = client.post("/api/v1/events", json=payload(factory, organisation_id=987654), headers=platform_admin)
    assert response.status_code == 404
    _, _, headers = organiser
    response = client.post("/api/v1/events", json=payload(factory, organisation_id=987654), headers=headers)
    assert response.status_code == 404


def test_an_organisation_id_no_database_holds_is_a_422(platform_admin, organiser, factory, client):
    for organisation_id in [0, -5, 2**31, 2**64]:
        for headers in (platform_admin, organiser[2]):
            response = client.post("/api/v1/events", json=payload(factory, organisation_id=organisation_id),
                                   headers=headers)
            assert fields_of(response) == {"organisation_id": ["Mã đơn vị không hợp lệ."]}, organisation_id


# 10. WTForms' choice messages ----------------------------------------------------------------------

def test_multiple_choice_messages_are_vietnamese(app):
    class Form(BaseForm):
        ids = SelectMultipleField(coerce=int, choices=choices([(1, "Một"), (2, "Hai")]))

    with app.test_request_context():
        form = Form(MultiDict([("ids", "x")]), meta={"csrf": False})
        assert not form.validate() and form.errors == {"ids": ["Có lựa chọn không hợp lệ."]}
        form = Form(MultiDict([("ids", "7")]), meta={"csrf": False})
        assert not form.validate() and form.errors == {"ids": ["“7” không phải là lựa chọn hợp lệ."]}
        form = Form(MultiDict([("ids", "7"), ("ids", "8")]), meta={"csrf": False})
        assert not form.validate()
        assert form.errors["ids"][0] in ("“7', '8” không phải là các lựa chọn hợp lệ.",
                                         "“8', '7” không phải là các lựa chọn hợp lệ.")


# 11. include_past ----------------------------------------------------------------------------------

def test_include_past_reads_false_words_as_false(factory, client):
    event = factory.event(factory.organisation(), publish=True, title="Hội chợ đã qua 2027")
    event.starts_at, event.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=2)
    db.session.commit()
    expected = {"0": False, "false": False, "no": False, "off": False, "FALSE": False, "": False, "1": True,
                "y": True, "true": True}
    actual = {value: [item["id"] for item in client.get(f"/api/v1/portal/events?include_past={value}")
                      .get_json()["items"]] == [event.id] for value in expected}
    assert actual == expected


def test_a_busy_sqlite_database_answers_503_with_retry_after(app):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from eventhub import create_app

    busy = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @busy.get("/api/v1/__busy")
    def locked():
        raise OperationalError("UPDATE registration_settings", {}, sqlite3.OperationalError("database is locked"))

    response = busy.test_client().get("/api/v1/__busy")
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.get_json()["error"]["code"] == "busy"
