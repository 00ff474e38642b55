"""The organiser's jury and round pages, and the judge's phone pages (list, score one entry, open its files)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...extensions import db
from ...forms import submit
from ..entries.services import list_entries
from ..entries.views import managed_competition, send_entry_file
from ..views import bp
from . import services
from .api import assignment_json, save_from_json
from .forms import ConflictForm, JudgeForm, RoundForm
from .models import Round

bp.add_app_template_global(services.uncovered_reason, "uncovered_reason")
ROUND_ACTIONS = ("assign", "open", "close")


def _back(event_id):
    return redirect(url_for("competitions.manage", event_id=event_id))


@bp.route("/manage/events/<int:event_id>/competition/judges/new", methods=["GET", "POST"])
@login_required
def add_judge(event_id):
    event, competition = managed_competition(event_id)
    form = JudgeForm().bind(competition)
    saved = submit(form, lambda f: services.add_judge(competition.id, f.to_details()))
    if saved is not None:
        _judge, password = saved
        flash(_("Đã thêm giám khảo.") + (" " + _("Mật khẩu đăng nhập lần đầu: %(password)s", password=password)
                                          if password else ""), "success")
        return _back(event.id)
    conflict_form = None
    return render_template("competitions/judge_form.html", event=event, form=form,
                           conflict_form=conflict_form), 422 if form.errors else 200


@bp.route("/manage/events/<int:event_id>/competition/judges/<int:judge_id>/conflicts", methods=["GET", "POST"])
@login_required
def judge_conflicts(event_id, judge_id):
    event, competition = managed_competition(event_id)
    judge = services.get_judge(competition.id, judge_id)
    form = ConflictForm().bind(list_entries(competition.id))
    if submit(form, lambda f: services.declare_conflict(competition.id, judge.id, f.entry_id.data,
                                                        f.reason.data or "")) is not None:
        flash(_("Đã ghi xung đột lợi ích."), "success")
        return _back(event.id)
    return render_template("competitions/judge_form.html", event=event, form=None, judge=judge,
                           conflict_form=form), 422 if form.errors else 200


@bp.route("/manage/events/<int:event_id>/competition/rounds/new", methods=["GET", "POST"],
          defaults={"round_id": None})
@bp.route("/manage/events/<int:event_id>/competition/rounds/<int:round_id>", methods=["GET", "POST"])
@login_required
def round_form(event_id, round_id):
    event, competition = managed_competition(event_id)
    existing = services.get_round(competition.id, round_id) if round_id else None
    form = RoundForm(obj=existing if request.method == "GET" else None).bind(services.list_judges(competition.id))
    if request.method == "GET":
        if existing is not None:
            form.criteria.data = "\n".join(f"{c.name}: {c.weight}" for c in existing.criteria)
            form.judge_ids.data = [j.id for j in existing.judges]
        else:
            form.judge_ids.data = [j.id for j in services.list_judges(competition.id)]
    if submit(form, lambda f: services.save_round(competition.id, round_id, f.to_details())) is not None:
        flash(_("Đã lưu vòng thi."), "success")
        return _back(event.id)
    return render_template("competitions/round_form.html", event=event, form=form, round=existing), \
        422 if form.errors else 200


@bp.post("/manage/events/<int:event_id>/competition/rounds/<int:round_id>/<action>")
@login_required
def round_action(event_id, round_id, action):
    event, competition = managed_competition(event_id)
    if action not in ROUND_ACTIONS:
        abort(404)
    {"assign": services.assign_round, "open": services.open_round, "close": services.close_round}[action](
        competition.id, round_id)
    flash({"assign": _("Đã phân công giám khảo."), "open": _("Đã mở vòng chấm."),
           "close": _("Đã đóng vòng chấm.")}[action], "success")
    return _back(event.id)


# The judge's pages -----------------------------------------------------------------------------------

@bp.get("/judging/")
@login_required
def my_entries():
    return render_template("competitions/judge_home.html", assignments=services.judge_assignments(current_user.id))


@bp.get("/judging/assignments/<int:assignment_id>")
@login_required
def score_page(assignment_id):
    assignment = services.assignment_for(current_user.id, assignment_id)
    round_ = db.session.get(Round, assignment.round_id)
    return render_template("competitions/score.html", assignment=assignment, round=round_,
                           data=assignment_json(assignment))


@bp.put("/judging/assignments/<int:assignment_id>/scores")
@login_required
def save_scores(assignment_id):
    """The phone page's save (CSRF header, session): the same service and body as the API's."""
    return save_from_json(current_user.id, assignment_id)


@bp.get("/judging/assignments/<int:assignment_id>/files/<int:file_id>")
@login_required
def judge_file(assignment_id, file_id):
    return send_entry_file(services.assignment_for(current_user.id, assignment_id).entry, file_id)
