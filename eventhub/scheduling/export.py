"""The agenda as data: one session as JSON, and the whole schedule in the frab format that conference apps
read (schedule.xml, and its JSON twin schedule.json). Times are local (Asia/Ho_Chi_Minh) with their offset."""
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta

from flask import current_app, url_for

from ..events.models import Event
from ..timeutil import from_local, to_local
from . import services, signup
from .models import AgendaSession, Room

SCHEDULE_VERSION = "1.0"
TIMESLOT = "00:15"


def _iso(moment) -> str:
    return to_local(moment).isoformat()


def _duration(session: AgendaSession) -> str:
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def session_guid(session: AgendaSession) -> str:
    """Stable across exports and servers: derived from the configured UID domain and the session id."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"session-{session.id}.{current_app.config['ICS_UID_DOMAIN']}"))


def session_json(session: AgendaSession) -> dict:
    limit = session.seat_limit if session.signup_required else None
    return {
        "id": session.id, "event_id": session.event_id, "title": session.title,
        "session_type": session.session_type.value, "description_md": session.description_md,
        "starts_at": _iso(session.starts_at), "ends_at": _iso(session.ends_at),
        "room": {"id": session.room.id, "name": session.room.name} if session.room else None,
        "track": {"id": session.track.id, "name": session.track.name, "colour": session.track.colour}
        if session.track else None,
        "speakers": [{"id": s.id, "name": s.name, "title": s.title, "organisation_name": s.organisation_name}
                     for s in session.speakers],
        "capacity": session.capacity, "signup_required": session.signup_required, "seat_limit": limit,
        "seats_taken": signup.confirmed_count(session.id) if session.signup_required else None,
        "status": session.status.value, "cancellation_reason": session.cancellation_reason,
        "sequence": session.sequence,
    }


def _frab_event(session: AgendaSession, room_name: str, event: Event) -> dict:
    return {
        "guid": session_guid(session), "id": session.id, "date": _iso(session.starts_at),
        "start": to_local(session.starts_at).strftime("%H:%M"), "duration": _duration(session), "room": room_name,
        "slug": f"{event.slug}-{session.id}", "url": url_for("agenda_public.session", slug=event.slug,
                                                              session_id=session.id, _external=True),
        "title": session.title, "subtitle": "", "track": session.track.name if session.track else "",
        "type": session.session_type.value, "language": "vi", "abstract": "", "description": session.description_md,
        "persons": [{"id": s.id, "public_name": s.name} for s in session.speakers], "links": [], "attachments": [],
    }


def _schedule_days(event: Event) -> list[dict]:
    """Scheduled sessions by local day, then by room in the organiser's order (sessions without a room go
    under the venue's name)."""
    rooms: list[Room] = services.rooms(event.id)
    by_day = services.by_day(services.sessions(event.id, include_cancelled=False))
    days = []
    for index, day in enumerate(services.days_of(event), start=1):
        day_sessions = by_day.get(day, [])
        names = [r.name for r in rooms] + ([event.venue_name] if any(s.room is None for s in day_sessions) else [])
        per_room = {name: [] for name in names}
        for session in day_sessions:
            name = session.room.name if session.room else event.venue_name
            per_room[name].append(_frab_event(session, name, event))
        midnight = from_local(datetime.combine(day, time()))
        days.append({"index": index, "date": day.isoformat(),
                     "day_start": _iso(min([s.starts_at for s in day_sessions], default=midnight)),
                     "day_end": _iso(max([s.ends_at for s in day_sessions], default=midnight + timedelta(days=1))),
                     "rooms": per_room})
    return days


def schedule_json(event: Event) -> dict:
    days, local_days = _schedule_days(event), services.days_of(event)
    return {"schedule": {
        "version": SCHEDULE_VERSION,
        "base_url": url_for("agenda_public.agenda", slug=event.slug, _external=True),
        "conference": {
            "acronym": event.slug, "title": event.title, "start": local_days[0].isoformat(),
            "end": local_days[-1].isoformat(), "daysCount": len(days), "timeslot_duration": TIMESLOT,
            "time_zone_name": current_app.config["EVENTHUB_TIMEZONE"],
            "rooms": [{"name": r.name, "capacity": r.capacity} for r in services.rooms(event.id)],
            "days": days,
        },
    }}


def _text(parent: ET.Element, tag: str, value) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def schedule_xml(event: Event) -> bytes:
    conference = schedule_json(event)["schedule"]["conference"]
    root = ET.Element("schedule")
    _text(root, "version", SCHEDULE_VERSION)
    head = ET.SubElement(root, "conference")
    for tag, key in (("acronym", "acronym"), ("title", "title"), ("start", "start"), ("end", "end"),
                     ("days", "daysCount"), ("timeslot_duration", "timeslot_duration"),
                     ("time_zone_name", "time_zone_name")):
        _text(head, tag, conference[key])
    for day in conference["days"]:
        day_element = ET.SubElement(root, "day", index=str(day["index"]), date=day["date"], start=day["day_start"],
                                    end=day["day_end"])
        for room_name, events in day["rooms"].items():
            room_element = ET.SubElement(day_element, "room", name=room_name)
            for item in events:
                event_element = ET.SubElement(room_element, "event", guid=item["guid"], id=str(item["id"]))
                for tag in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
                            "language", "abstract", "description"):
                    _text(event_element, tag, item[tag])
                persons = ET.SubElement(event_element, "persons")
                for person in item["persons"]:
                    _text(persons, "person", person["public_name"]).set("id", str(person["id"]))
                ET.SubElement(event_element, "links")
                ET.SubElement(event_element, "attachments")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
