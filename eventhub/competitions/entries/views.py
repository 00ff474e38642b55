"""Pages of entering (public, no account: the team's secret link) and of the organiser's competition set-up."""
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import ValidationFailed
from ...events.services import get_managed_event
from ...extensions import db, limiter
from ...forms import submit
from ..views import bp
from . import services
from .forms import CompetitionForm, DisqualifyForm, EntryFileForm, EntryForm, MemberForm
from .models import Competition, Entry


def _groups():
    groups = db.metadata.tables["participant_groups"]
    rows = db.session.execute(db.select(groups.c.code, groups.c.name_vi).where(groups.c.is_active.is_(True))
                              .order_by(groups.c.position)).all()
    return [("", _("Chọn đối tượng"))] + [(code, name) for code, name in rows]


def _member_forms(competition: Competition, entry: Entry | None):
    forms = []
    for index in range(competition.max_team_size):
        member = entry.members[index] if entry is not None and index < len(entry.members) else None
        form = MemberForm(prefix=f"m{index}", obj=member if request.method == "GET" else None)
        if member is not None and request.method == "GET":
            form.consent.data = True
        form.group_code.choices = _groups()
        forms.append(form)
    return forms


def _answers(competition: Competition) -> dict[int, str]:
    return {q.id: request.form.get(f"q-{q.id}", "") for q in competition.questions}


def _entry_page(competition, entry, form, members, token=None, status=200):
    answers = {a.question_id: a.value for a in entry.answers} if entry is not None else {}
    if request.method == "POST":
        answers = _answers(competition)
    return render_template("competitions/entry_form.html", competition=competition, entry=entry, form=form,
                           members=members, answers=answers, token=token, file_form=EntryFileForm(),
                           is_open=services.is_open(competition)), status


def _save(form, members, save):
    """Validate the team's form and member forms, then call the service; field errors go back on the forms."""
    if not form.validate_on_submit() or not all([m.validate() for m in members]):
        return None
    try:
        return save([m.to_details() for m in members if not m.is_empty()])
    except ValidationFailed as error:
        for name, messages in error.fields.items():
            if name.startswith("members-"):
                filled = [m for m in members if not m.is_empty()]
                index = int(name.removeprefix("members-"))
                if index < len(filled):
                    filled[index].full_name.errors = list(filled[index].full_name.errors) + [str(x) for x in messages]
                    continue
            if name.startswith("q-") or name not in form._fields:
                form.form_errors.extend(str(x) for x in messages)
            else:
                form._fields[name].errors = list(form._fields[name].errors) + [str(x) for x in messages]
        return None


@bp.route("/competitions/<int:event_id>/enter", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def enter(event_id):
    competition = services.competition_for_event(event_id)
    if competition is None or not competition.event.is_visible_on_portal:
        abort(404)
    form = EntryForm().bind(competition)
    members = _member_forms(competition, None)
    saved = _save(form, members, lambda people: services.start_entry(
        competition.id, form.to_details(people, _answers(competition))))
    if saved is not None:
        _entry, token = saved
        flash(_("Đã lưu bài dự thi. Hãy giữ đường dẫn này để sửa bài đến hạn chót."), "success")
        return redirect(url_for("competitions.edit_entry", token=token))
    return _entry_page(competition, None, form, members, status=422 if request.method == "POST" else 200)


@bp.route("/competitions/entry/<token>", methods=["GET", "POST"])
def edit_entry(token):
    entry = services.entry_for_token(token)
    competition = entry.competition
    form = EntryForm(obj=entry if request.method == "GET" else None).bind(competition)
    if request.method == "GET":
        form.project_code.data = entry.project.code
        form.submit_entry.data = entry.status.value == "submitted"
    members = _member_forms(competition, entry)
    saved = _save(form, members, lambda people: services.update_entry(
        token, form.to_details(people, _answers(competition))))
    if saved is not None:
        flash(_("Đã lưu bài dự thi."), "success")
        return redirect(url_for("competitions.edit_entry", token=token))
    return _entry_page(competition, entry, form, members, token, 422 if request.method == "POST" else 200)


@bp.post("/competitions/entry/<token>/files")
def upload_entry_file(token):
    form = EntryFileForm()
    if form.validate_on_submit() and form.file.data:
        try:
            services.add_file(token, form.file.data.filename, form.file.data.read())
            flash(_("Đã tải tệp lên."), "success")
        except ValidationFailed as error:
            flash(error.explanation(), "error")
    else:
        flash(_("Vui lòng chọn tệp."), "error")
    return redirect(url_for("competitions.edit_entry", token=token))


@bp.post("/competitions/entry/<token>/files/<int:file_id>/delete")
def delete_entry_file(token, file_id):
    if EntryFileForm().validate_on_submit():
        services.remove_file(token, file_id)
        flash(_("Đã xoá tệp."), "success")
    return redirect(url_for("competitions.edit_entry", token=token))


@bp.post("/competitions/entry/<token>/withdraw")
def withdraw_entry(token):
    if EntryFileForm().validate_on_submit():
        services.withdraw_entry(token)
        flash(_("Đã rút bài dự thi."), "success")
    return redirect(url_for("competitions.edit_entry", token=token))


# The organiser ---------------------------------------------------------------------------------------

def managed(event_id: int):
    """(event, competition or None) for the event's organisers; another organisation gets 404."""
    event = get_managed_event(current_user, event_id)
    return event, services.competition_for_event(event.id)


def managed_competition(event_id: int):
    event, competition = managed(event_id)
    if competition is None:
        abort(404)
    return event, competition


@bp.route("/manage/events/<int:event_id>/competition", methods=["GET", "POST"])
@login_required
def manage(event_id):
    event, competition = managed(event_id)
    form = CompetitionForm(obj=competition if request.method == "GET" else None)
    if request.method == "GET" and competition is not None:
        form.field_names.data = "\n".join(f.name for f in competition.fields)
        form.questions.data = "\n".join(q.label for q in competition.questions)
    if submit(form, lambda f: services.save_competition(event.id, f.to_details())) is not None:
        flash(_("Đã lưu cuộc thi."), "success")
        return redirect(url_for("competitions.manage", event_id=event.id))
    context = {}
    if competition is not None:
        from ..judging import services as judging
        from ..results import services as results
        from ..results.forms import PrizeForm
        entries = services.list_entries(competition.id)
        context = dict(entries=entries, judges=judging.list_judges(competition.id),
                       rounds=judging.list_rounds(competition.id), prizes=results.list_prizes(competition.id),
                       prize_form=PrizeForm().bind([e for e in entries if e.status.value == "submitted"]),
                       disqualify_form=DisqualifyForm(), held=results.is_held(competition.id))
    return render_template("competitions/manage.html", event=event, competition=competition, form=form,
                           **context), 422 if form.errors else 200


@bp.post("/manage/events/<int:event_id>/competition/entries/<int:entry_id>/disqualify")
@login_required
def disqualify(event_id, entry_id):
    event, competition = managed_competition(event_id)
    form = DisqualifyForm()
    if submit(form, lambda f: services.disqualify_entry(competition.id, entry_id, f.reason.data)) is not None:
        flash(_("Đã loại bài dự thi."), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors) or _("Vui lòng nêu lý do."), "error")
    return redirect(url_for("competitions.manage", event_id=event.id))


@bp.get("/manage/events/<int:event_id>/competition/entries/<int:entry_id>/files/<int:file_id>")
@login_required
def entry_file(event_id, entry_id, file_id):
    _event, competition = managed_competition(event_id)
    return send_entry_file(services.get_entry(competition.id, entry_id), file_id)


def send_entry_file(entry: Entry, file_id: int):
    row = next((f for f in entry.files if f.id == file_id), None)
    if row is None:
        abort(404)
    return send_file(services.file_path(row), mimetype=row.media_type, download_name=row.original_name)
