"""Subscribable iCalendar feeds: the event's agenda, one session, one room, and a ticket holder's
personal agenda behind the ticket's secret access key. Calendar apps poll these URLs (webcal://)."""
import sqlalchemy as sa
from flask import Blueprint, Response, url_for

from ..events.services import get_portal_event
from ..extensions import db
from ..registration.services import by_access_key
from ..registration.views import private
from . import audience, ics, services
from .models import AgendaSession

bp = Blueprint("agenda_feeds", __name__)


@bp.app_template_global()
def webcal_url(endpoint: str, **values) -> str:
    """The feed's address for "subscribe" links: calendar apps open webcal:// and poll it over HTTP(S)."""
    url = url_for(endpoint, _external=True, **values)
    return "webcal://" + url.split("://", 1)[1]


def _calendar(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-cache"  # subscribers must see a moved session at their next poll
    return response


@bp.get("/events/<slug>/agenda.ics")
def event_feed(slug):
    event = get_portal_event(slug)
    return _calendar(ics.event_calendar(event, services.sessions(event.id)), f"{event.slug}-chuong-trinh.ics")


@bp.get("/events/<slug>/agenda/sessions/<int:session_id>.ics")
def session_feed(slug, session_id):
    event = get_portal_event(slug)
    session = services.get_session(event.id, session_id)
    return _calendar(ics.calendar_of(session.title, [session]), f"{event.slug}-phien-{session.id}.ics")


@bp.get("/events/<slug>/agenda/rooms/<int:room_id>.ics")
def room_feed(slug, room_id):
    event = get_portal_event(slug)
    room = services.get_room(event.id, room_id)
    sessions = db.session.scalars(sa.select(AgendaSession).where(AgendaSession.room_id == room.id)
                                  .order_by(AgendaSession.starts_at, AgendaSession.id))
    return _calendar(ics.room_calendar(room, list(sessions)), f"{event.slug}-phong-{room.id}.ics")


@bp.get("/tickets/<access_key>/agenda.ics")
def personal_feed(access_key):
    registration = by_access_key(access_key)
    body = ics.personal_calendar(registration, audience.sessions_of(registration))
    return private(_calendar(body, f"{registration.event.slug}-lich-ca-nhan.ics"))
