"""Organiser pages of the agenda: rooms and tracks, speakers, sessions, and the editor grid whose JSON calls
go through the same services (and the same conflict service) as the forms."""
from datetime import datetime, time, timedelta

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import ValidationFailed, error_response, wants_json
from ..events.services import get_managed_event
from ..forms import submit, submit_json
from ..params import id_arg
from ..timeutil import from_local, to_local
from . import services, signup
from .conflicts import ScheduleConflict
from .export import session_json
from .forms import CancelSessionForm, RoomForm, SessionForm, SlotFields, SpeakerForm, TrackForm

bp = Blueprint("agenda", __name__, url_prefix="/manage")
AGENDA = "/events/<int:event_id>/agenda"
SLOT_MINUTES = 15
DAY_OPENS, DAY_CLOSES = 7 * 60, 19 * 60


@bp.before_request
@login_required
def require_sign_in():
    """Every agenda page needs a signed-in user; each route then checks the event's organisation."""


def _session_form(event, session=None, formdata=True) -> SessionForm:
    form = SessionForm(obj=session, **({} if formdata else {"formdata": None})).bind(event)
    if session is not None and request.method == "GET":
        form.speaker_ids.data = [s.id for s in session.speakers]
    return form


def _submit_session(form, save):
    """Submit a page's session form; field problems and conflicts go back onto the form. "Save anyway" is offered
    only when nothing blocks: a room or speaker clash can never be saved."""
    form.offer_confirm = False
    try:
        return submit(form, save)
    except ScheduleConflict as conflict:
        form.form_errors.extend(c.message for c in conflict.conflicts)
        if not any(c.blocking for c in conflict.conflicts):
            form.offer_confirm = True
            form.form_errors.append(_("Đánh dấu “Vẫn lưu dù có cảnh báo” nếu bạn chắc chắn."))
    return None


# The editor grid -------------------------------------------------------------------------------

def _minutes(moment: datetime) -> int:
    local = to_local(moment)
    return local.hour * 60 + local.minute


def _day_grid(day, day_sessions, columns):
    """Rows of SLOT_MINUTES from 07:00 to 19:00, stretched to hold every session of the day."""
    opens = min([DAY_OPENS] + [_minutes(s.starts_at) // 60 * 60 for s in day_sessions])
    closes = max([DAY_CLOSES] + [min(_minutes(s.starts_at) + int((s.ends_at - s.starts_at).total_seconds() // 60),
                                     24 * 60) for s in day_sessions])
    closes = -(-closes // 60) * 60
    rows = [opens + n * SLOT_MINUTES for n in range((closes - opens) // SLOT_MINUTES)]
    placed = []
    for session in day_sessions:
        start = (_minutes(session.starts_at) - opens) // SLOT_MINUTES
        length = max(1, -(-int((session.ends_at - session.starts_at).total_seconds() // 60) // SLOT_MINUTES))
        column = next(n for n, room in enumerate(columns) if (room.id if room else None) == session.room_id)
        placed.append({"session": session, "row": start, "rows": min(length, len(rows) - start), "column": column})
    return {"date": day, "rows": [f"{m // 60:02d}:{m % 60:02d}" for m in rows], "placed": placed}


@bp.get(AGENDA)
def editor(event_id):
    event = get_managed_event(current_user, event_id)
    rooms = services.rooms(event.id)
    all_sessions = services.sessions(event.id)
    days = services.by_day([s for s in all_sessions if not s.is_cancelled])
    columns = rooms + [None]
    grid = [_day_grid(day, days.get(day, []), columns) for day in services.days_of(event)]
    warnings = {s.id: services.check_session(event.id, services.SessionDetails.of(s), s.id).warnings
                for s in all_sessions if not s.is_cancelled}
    form = _session_form(event, formdata=False)
    return render_template("scheduling/editor.html", event=event, rooms=rooms, columns=columns, grid=grid,
                           sessions=all_sessions, warnings=warnings, form=form, tracks=services.tracks(event.id),
                           counts={s.id: signup.confirmed_count(s.id) for s in all_sessions if s.signup_required})


@bp.app_errorhandler(ScheduleConflict)
def conflict_response(conflict: ScheduleConflict):
    """Everywhere (editor, API): JSON callers get every conflict with the session it names."""
    if wants_json():
        return jsonify(conflict.as_json()), conflict.status
    return error_response(conflict.status, conflict.code, conflict.explanation())


@bp.post(f"{AGENDA}/sessions.json")
def editor_create(event_id):
    event = get_managed_event(current_user, event_id)
    session = submit_json(SessionForm, lambda form: services.create_session(
        event.id, form.to_details(), confirm_warnings=form.confirm_warnings.data), event)
    return jsonify({"session": session_json(session)}), 201


@bp.post(f"{AGENDA}/sessions/<int:session_id>/move.json")
def editor_move(event_id, session_id):
    event = get_managed_event(current_user, event_id)
    session = services.get_session(event.id, session_id)
    session = submit_json(SlotFields, lambda form: services.update_session(
        event.id, session.id, form.moved(services.SessionDetails.of(session)),
        confirm_warnings=form.confirm_warnings.data), event)
    return jsonify({"session": session_json(session)})


# Sessions ----------------------------------------------------------------------------------------

@bp.route(f"{AGENDA}/sessions/new", methods=["GET", "POST"])
def create_session(event_id):
    event = get_managed_event(current_user, event_id)
    form = _session_form(event)
    if request.method == "GET":
        _prefill_slot(form, event)
    session = _submit_session(form, lambda f: services.create_session(
        event.id, f.to_details(), confirm_warnings=f.confirm_warnings.data))
    if session is not None:
        flash(_("Đã thêm phiên “%(title)s”.", title=session.title), "success")
        return redirect(url_for("agenda.editor", event_id=event.id))
    return render_template("scheduling/session_form.html", event=event, form=form, session=None), \
        422 if form.errors or form.form_errors else 200


def _prefill_slot(form, event):
    """The editor's slot dialog links its full form here as ?date=yyyy-mm-dd&time=HH:MM&room=<id>."""
    try:
        day = datetime.strptime(request.args.get("date", ""), "%Y-%m-%d").date()
        moment = datetime.strptime(request.args.get("time", ""), "%H:%M").time()
    except ValueError:
        day, moment = to_local(event.starts_at).date(), time(8)
    form.starts_at.data = from_local(datetime.combine(day, moment))
    form.ends_at.data = form.starts_at.data + timedelta(hours=1)
    room_id = id_arg(request.args, "room")
    form.room_id.data = room_id if room_id in {c.value for c in form.room_id.choices if c.value != ""} else None


@bp.route(f"{AGENDA}/sessions/<int:session_id>", methods=["GET", "POST"])
def session_detail(event_id, session_id):
    event = get_managed_event(current_user, event_id)
    session = services.get_session(event.id, session_id)
    form = _session_form(event, session)
    saved = _submit_session(form, lambda f: services.update_session(
        event.id, session.id, f.to_details(), confirm_warnings=f.confirm_warnings.data))
    if saved is not None:
        flash(_("Đã lưu phiên “%(title)s”.", title=saved.title), "success")
        return redirect(url_for("agenda.session_detail", event_id=event.id, session_id=session.id))
    signups = signup.signups_for_session(session.id)
    return render_template("scheduling/session_form.html", event=event, form=form, session=session, signups=signups,
                           cancel_form=CancelSessionForm(formdata=None),
                           confirmed=signup.confirmed_count(session.id)), \
        422 if form.errors or form.form_errors else 200


@bp.post(f"{AGENDA}/sessions/<int:session_id>/cancel")
def cancel_session(event_id, session_id):
    event = get_managed_event(current_user, event_id)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        raise ValidationFailed(form.errors)
    session = services.cancel_session(event.id, session_id, form.reason.data)
    flash(_("Đã huỷ phiên “%(title)s”.", title=session.title), "success")
    return redirect(url_for("agenda.session_detail", event_id=event.id, session_id=session.id))


@bp.post(f"{AGENDA}/sessions/<int:session_id>/signups/<int:registration_id>/cancel")
def cancel_signup(event_id, session_id, registration_id):
    """The organiser frees a seat (or a place in line) someone will not use; the next person waiting gets it."""
    event = get_managed_event(current_user, event_id)
    session = services.get_session(event.id, session_id)
    signup.cancel_signup(session.id, registration_id)
    flash(_("Đã huỷ đăng ký phiên của người này."), "success")
    return redirect(url_for("agenda.session_detail", event_id=event.id, session_id=session.id))


@bp.post(f"{AGENDA}/sessions/<int:session_id>/delete")
def delete_session(event_id, session_id):
    event = get_managed_event(current_user, event_id)
    services.delete_session(event.id, session_id)
    flash(_("Đã xoá phiên."), "success")
    return redirect(url_for("agenda.editor", event_id=event.id))


# Rooms and tracks --------------------------------------------------------------------------------

def _venue_page(event, room_form=None, track_form=None, status=200):
    return render_template("scheduling/venue.html", event=event, rooms=services.rooms(event.id),
                           tracks=services.tracks(event.id), room_form=room_form or RoomForm(formdata=None),
                           track_form=track_form or TrackForm(formdata=None)), status


@bp.get(f"{AGENDA}/rooms")
def venue(event_id):
    return _venue_page(get_managed_event(current_user, event_id))


def _save_item(event, form, save, message, form_name):
    item = submit(form, save)
    if item is not None:
        flash(message % {"name": item.name}, "success")
        return redirect(url_for("agenda.venue", event_id=event.id))
    return _venue_page(event, status=422, **{form_name: form})


@bp.post(f"{AGENDA}/rooms", defaults={"room_id": None})
@bp.post(f"{AGENDA}/rooms/<int:room_id>")
def save_room(event_id, room_id):
    event = get_managed_event(current_user, event_id)
    return _save_item(event, RoomForm(), lambda form: services.save_room(event.id, room_id, form.to_details()),
                      _("Đã lưu phòng “%(name)s”."), "room_form")


@bp.post(f"{AGENDA}/rooms/<int:room_id>/delete")
def delete_room(event_id, room_id):
    event = get_managed_event(current_user, event_id)
    services.delete_room(event.id, room_id)
    flash(_("Đã xoá phòng; các phiên của phòng chuyển sang “chưa xếp phòng”."), "success")
    return redirect(url_for("agenda.venue", event_id=event.id))


@bp.post(f"{AGENDA}/tracks", defaults={"track_id": None})
@bp.post(f"{AGENDA}/tracks/<int:track_id>")
def save_track(event_id, track_id):
    event = get_managed_event(current_user, event_id)
    return _save_item(event, TrackForm(), lambda form: services.save_track(event.id, track_id, form.to_details()),
                      _("Đã lưu chuỗi chương trình “%(name)s”."), "track_form")


@bp.post(f"{AGENDA}/tracks/<int:track_id>/delete")
def delete_track(event_id, track_id):
    event = get_managed_event(current_user, event_id)
    services.delete_track(event.id, track_id)
    flash(_("Đã xoá chuỗi chương trình."), "success")
    return redirect(url_for("agenda.venue", event_id=event.id))


# Speakers (organisation-wide) --------------------------------------------------------------------

SPEAKERS = "/organisations/<int:organisation_id>/speakers"


@bp.route(SPEAKERS, methods=["GET", "POST"])
def speakers(organisation_id):
    services.managed_speakers_of(current_user, organisation_id)
    form = SpeakerForm()
    speaker = submit(form, lambda f: services.save_speaker(organisation_id, None, f.to_details()))
    if speaker is not None:
        flash(_("Đã thêm báo cáo viên %(name)s.", name=speaker.name), "success")
        return redirect(url_for("agenda.speakers", organisation_id=organisation_id))
    return render_template("scheduling/speakers.html", organisation_id=organisation_id, form=form,
                           speakers=services.speakers(organisation_id),
                           back=id_arg(request.args, "event")), 422 if form.errors else 200


@bp.route(f"{SPEAKERS}/<int:speaker_id>", methods=["GET", "POST"])
def speaker_detail(organisation_id, speaker_id):
    services.managed_speakers_of(current_user, organisation_id)
    speaker = services.get_speaker(organisation_id, speaker_id)
    form = SpeakerForm(obj=speaker)
    if submit(form, lambda f: services.save_speaker(organisation_id, speaker.id, f.to_details())) is not None:
        flash(_("Đã lưu báo cáo viên %(name)s.", name=speaker.name), "success")
        return redirect(url_for("agenda.speakers", organisation_id=organisation_id))
    return render_template("scheduling/speaker_form.html", organisation_id=organisation_id, form=form,
                           speaker=speaker), 422 if form.errors else 200


@bp.post(f"{SPEAKERS}/<int:speaker_id>/delete")
def delete_speaker(organisation_id, speaker_id):
    services.managed_speakers_of(current_user, organisation_id)
    services.delete_speaker(organisation_id, speaker_id)
    flash(_("Đã xoá báo cáo viên."), "success")
    return redirect(url_for("agenda.speakers", organisation_id=organisation_id))
