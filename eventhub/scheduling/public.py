"""Public agenda pages: the agenda by day with room and track filters (printable, phone-friendly), a session's
page, the schedule exports, and the personal agenda behind the ticket's secret link, where sign-up happens."""
from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import DomainError
from ..events.services import get_portal_event
from ..params import id_arg
from ..registration import services as registrations
from ..registration.models import RegistrationStatus
from ..registration.views import private
from ..text import render_markdown
from ..timeutil import to_local
from . import export, services, signup
from .conflicts import ScheduleConflict
from .models import SignupStatus

bp = Blueprint("agenda_public", __name__)


def _filter_id(name: str, allowed: set[int]) -> int | None:
    value = id_arg(request.args, name)
    return value if value in allowed else None


@bp.get("/events/<slug>/agenda")
def agenda(slug):
    event = get_portal_event(slug)
    rooms, tracks = services.rooms(event.id), services.tracks(event.id)
    room_id = _filter_id("room", {r.id for r in rooms})
    track_id = _filter_id("track", {t.id for t in tracks})
    days = services.days_of(event)
    chosen_day = next((d for d in days if d.isoformat() == request.args.get("day")), None)
    shown = [s for s in services.sessions(event.id)
             if (room_id is None or s.room_id == room_id) and (track_id is None or s.track_id == track_id)
             and (chosen_day is None or to_local(s.starts_at).date() == chosen_day)]
    return render_template("scheduling/public_agenda.html", event=event, rooms=rooms, tracks=tracks, days=days,
                           by_day=services.by_day(shown), room_id=room_id, track_id=track_id, chosen_day=chosen_day,
                           seats={s.id: signup.confirmed_count(s.id) for s in shown if s.signup_required})


@bp.get("/events/<slug>/agenda/sessions/<int:session_id>")
def session(slug, session_id):
    event = get_portal_event(slug)
    item = services.get_session(event.id, session_id)
    return render_template("scheduling/public_session.html", event=event, session=item,
                           description=render_markdown(item.description_md),
                           taken=signup.confirmed_count(item.id) if item.signup_required else None)


@bp.get("/events/<slug>/agenda/schedule.json")
def schedule_json(slug):
    return jsonify(export.schedule_json(get_portal_event(slug)))


@bp.get("/events/<slug>/agenda/schedule.xml")
def schedule_xml(slug):
    return Response(export.schedule_xml(get_portal_event(slug)), mimetype="application/xml")


# The personal agenda (behind the ticket's secret link) -------------------------------------------

@bp.get("/tickets/<access_key>/agenda")
def personal(access_key):
    registration = registrations.by_access_key(access_key)
    chosen = signup.signups_of(registration.id)
    chosen_ids = {s.session_id for s in chosen}
    open_sessions = [s for s in services.sessions(registration.event_id, include_cancelled=False)
                     if s.signup_required and s.id not in chosen_ids]
    page = render_template("scheduling/personal.html", registration=registration, event=registration.event,
                           chosen=chosen, ranks={s.id: signup.waitlist_rank(s) for s in chosen},
                           open_sessions=open_sessions,
                           seats={s.id: signup.confirmed_count(s.id) for s in open_sessions},
                           can_sign_up=registration.status == RegistrationStatus.CONFIRMED)
    return private(Response(page))


@bp.post("/tickets/<access_key>/agenda/sessions/<int:session_id>/signup")
def sign_up(access_key, session_id):
    registration = registrations.by_access_key(access_key)
    try:
        outcome = signup.sign_up(session_id, registration.id)
    except ScheduleConflict as conflict:
        for item in conflict.conflicts:
            flash(item.message, "error")
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        if outcome.status == SignupStatus.CONFIRMED:
            flash(_("Đã giữ chỗ cho bạn ở phiên “%(title)s”.", title=outcome.session.title), "success")
        else:
            flash(_("Phiên “%(title)s” đã hết chỗ; bạn ở vị trí %(rank)d trong danh sách chờ.",
                    title=outcome.session.title, rank=signup.waitlist_rank(outcome)), "warning")
    return redirect(url_for("agenda_public.personal", access_key=access_key))


@bp.post("/tickets/<access_key>/agenda/sessions/<int:session_id>/cancel")
def cancel(access_key, session_id):
    registration = registrations.by_access_key(access_key)
    try:
        signup.cancel_signup(session_id, registration.id)
    except DomainError as error:
        flash(error.explanation(), "error")
    else:
        flash(_("Đã huỷ đăng ký phiên."), "success")
    return redirect(url_for("agenda_public.personal", access_key=access_key))
