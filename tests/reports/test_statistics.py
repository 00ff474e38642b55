"""The event statistics page: organisers of the event only, charts with their numbers, linked from the event."""
import re

import pytest

from eventhub.accounts.models import Role
from tests.reports import event_scenario


@pytest.fixture
def scenario(factory):
    return event_scenario.build(factory)


def url(event):
    return f"/manage/events/{event.id}/statistics"


def test_the_organiser_sees_charts_and_the_numbers_beside_them(scenario, browser):
    browser.login(event_scenario.ORGANISER)
    response = browser.get(url(scenario["event"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    assert page.count("<svg") == 7 and page.count('role="img"') == 7
    assert "<title id=" in page and "Có mặt và vắng mặt theo nhóm đối tượng" in page
    assert re.search(r'data-stat="registered">5<', page) and re.search(r'data-stat="percent">60,0%<', page)
    student_row = re.search(r'<tr data-row="student">(.*?)</tr>', page).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', student_row) == ["3", "2", "1", "66,7%"]
    assert "Đắk Lắk" in page and "Không rõ" in page
    assert 'src="/static/js/print.js"' in page and "data-print" in page


def test_the_event_page_links_to_the_statistics(scenario, browser):
    browser.login(event_scenario.ORGANISER)
    page = browser.get(f"/manage/events/{scenario['event'].id}").get_data(as_text=True)
    assert f'href="{url(scenario["event"])}"' in page


def test_an_event_without_data_still_renders(factory, browser):
    organisation = factory.organisation()
    factory.user("tochuc@example.vn", organisation=organisation)
    event = factory.event(organisation)
    browser.login("tochuc@example.vn")
    page = browser.get(url(event)).get_data(as_text=True)
    assert "Chưa có số liệu." in page and "Chưa có ai check-in." in page


def test_check_in_staff_of_the_organisation_may_not_see_it(scenario, factory, browser):
    factory.user("soatve@example.vn", organisation=scenario["organisation"], role=Role.CHECKIN_STAFF)
    browser.login("soatve@example.vn")
    assert browser.get(url(scenario["event"])).status_code == 403


def test_another_organisation_and_anonymous_people_may_not_see_it(scenario, factory, browser, client):
    assert client.get(url(scenario["event"])).status_code == 302  # to the sign-in page
    other = factory.organisation("Sở KH&CN tỉnh Gia Lai")
    factory.user("khac@example.vn", organisation=other, role=Role.ADMIN)
    browser.login("khac@example.vn")
    assert browser.get(url(scenario["event"])).status_code == 404
    assert browser.get("/manage/events/999999/statistics").status_code == 404
