"""iCalendar for an event: stable UID, local time zone, the public page as URL."""
from functools import lru_cache

from flask import current_app
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from ..text import one_line
from ..timeutil import to_local, utcnow
from .models import Event, EventStatus


def calendar_for(events: list[Event], name: str, *, method: str | None = None) -> bytes:
    return build_calendar(name, [_vevent(event) for event in events], method=method)


CALENDAR_FILE_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"  # an .ics attached to an e-mail


def build_calendar(name: str, components: list[CalendarEvent], *, method: str | None = None) -> bytes:
    """A VCALENDAR in the local time zone around the given VEVENTs (whose times are local). Feeds carry
    no METHOD; a file sent by e-mail says PUBLISH."""
    calendar = Calendar()
    calendar.add("prodid", "-//EventHub//Sự kiện khởi nghiệp//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", current_app.config["EVENTHUB_TIMEZONE"])
    calendar.add_component(_timezone(current_app.config["EVENTHUB_TIMEZONE"]))
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


def event_location(event: Event) -> str:
    return ", ".join(filter(None, [event.venue_name, event.venue_address, event.province]))


@lru_cache(maxsize=4)
def _timezone(tzid: str) -> Timezone:
    """The VTIMEZONE block; computing it takes ~20 ms, so once per process."""
    return Timezone.from_tzid(tzid)


def _vevent(event: Event) -> CalendarEvent:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    vevent = CalendarEvent()
    vevent.add("uid", f"event-{event.id}@{current_app.config['ICS_UID_DOMAIN']}")
    vevent.add("dtstamp", utcnow())
    vevent.add("dtstart", to_local(event.starts_at))
    vevent.add("dtend", to_local(event.ends_at))
    vevent.add("sequence", event.calendar_sequence or 0)
    vevent.add("summary", one_line(event.title))
    vevent.add("location", one_line(event_location(event)))
    vevent.add("url", f"{base}/events/{event.slug}")
    if event.summary:
        vevent.add("description", one_line(event.summary))
    vevent.add("last-modified", event.updated_at)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return vevent
