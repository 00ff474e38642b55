"""Reporting round pages: the rounds list, opening a round, the parent's dashboard and consolidation, and the
child's submission form. Every route reads the round or submission through the service's access rule (the
parent's managers manage; a child's managers see their own submission; anyone else 404)."""
from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...accounts.services import EVENT_MANAGER_ROLES, organisations_where, require_role
from ...errors import ValidationFailed
from ...forms import submit
from ...timeutil import utcnow
from ..figures import period_figures
from ..issued.forms import IssueSnapshotForm
from ..issued.services import list_issued
from . import services
from .exports import consolidation_xlsx
from .forms import ReportingRoundForm, ReturnForm, SubmissionForm, ValueUploadForm

bp = Blueprint("reports_rounds", __name__, url_prefix="/manage/reports/rounds")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks the round's or the submission's organisation."""


def parents_of(user) -> list:
    """The organisations the user manages that have child organisations to ask."""
    return [o for o in organisations_where(user, EVENT_MANAGER_ROLES) if services.child_organisations(o.id)]


@bp.get("")
def index():
    rounds, owed = services.rounds_of(current_user)
    return render_template("reports/rounds/list.html", rounds=rounds, owed=owed,
                           can_open=bool(parents_of(current_user)))


@bp.route("/new", methods=["GET", "POST"])
def open_round():
    organisations = parents_of(current_user)
    form = ReportingRoundForm().bind(organisations)

    def save(f):
        require_role(current_user, f.organisation_id.data, EVENT_MANAGER_ROLES)
        return services.open_round(f.to_details(), opened_by_id=current_user.id, now=utcnow())

    reporting_round = submit(form, save)
    if reporting_round is not None:
        flash(_("Đã mở đợt báo cáo và thông báo cho các đơn vị trực thuộc."), "success")
        return redirect(url_for("reports_rounds.dashboard", round_id=reporting_round.id))
    return render_template("reports/rounds/new.html", form=form), 422 if form.errors else 200


def _dashboard(reporting_round, return_form=None, status=200):
    return render_template("reports/rounds/dashboard.html", round=reporting_round, now=utcnow(),
                           return_form=return_form or ReturnForm(formdata=None), services=services), status


@bp.get("/<int:round_id>")
def dashboard(round_id):
    return _dashboard(services.managed_round(current_user, round_id))


def _issue_form(reporting_round, consolidation, formdata=None):
    issued = list_issued(current_user, organisation_ids=[reporting_round.organisation_id, *(
        s.organisation_id for s in consolidation.accepted)], starts_on=reporting_round.starts_on,
        ends_on=reporting_round.ends_on)
    form = IssueSnapshotForm() if formdata else IssueSnapshotForm(formdata=None)
    return form.bind(issued)


@bp.get("/<int:round_id>/consolidated")
def consolidated(round_id):
    reporting_round = services.managed_round(current_user, round_id)
    consolidation = services.consolidate(reporting_round.id, now=utcnow())
    return render_template("reports/rounds/consolidated.html", round=reporting_round, result=consolidation,
                           issue_form=_issue_form(reporting_round, consolidation))


@bp.get("/<int:round_id>/consolidated.xlsx")
def consolidated_xlsx(round_id):
    reporting_round = services.managed_round(current_user, round_id)
    data = consolidation_xlsx(services.consolidate(reporting_round.id, now=utcnow()))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={
        "Content-Disposition": f'attachment; filename="tong-hop-dot-{reporting_round.id}.xlsx"'})


@bp.post("/<int:round_id>/issue")
def issue(round_id):
    reporting_round = services.managed_round(current_user, round_id)
    now = utcnow()
    consolidation = services.consolidate(reporting_round.id, now=now)
    form = _issue_form(reporting_round, consolidation, formdata=True)
    issued = submit(form, lambda f: services.issue_consolidated(reporting_round.id, f.to_details(),
                                                                issued_by_id=current_user.id, now=now))
    if issued is not None:
        flash(_("Đã ban hành báo cáo số %(number)s.", number=issued.number), "success")
        return redirect(url_for("reports_issued.detail", issued_id=issued.id))
    return render_template("reports/rounds/consolidated.html", round=reporting_round, result=consolidation,
                           issue_form=form), 422


# The child's submission --------------------------------------------------------------------------

def _submission_page(submission, form=None, value_forms=None, status=200):
    editable = services.may_edit(current_user, submission)
    now = utcnow()
    report = services.submitted_report(submission) or services.child_report(submission, now)
    rows = services.value_rows(submission)
    value_forms = value_forms or {}
    for row in rows:
        if row.manual_indicator_id not in value_forms:
            value_forms[row.manual_indicator_id] = ValueUploadForm(formdata=None, prefix=f"v{row.manual_indicator_id}",
                                                                   data={"value": row.value, "evidence_url": (
                                                                       row.saved.evidence_url if row.saved else None)})
    return render_template("reports/rounds/submission.html", submission=submission, round=submission.round,
                           report=report, figures=period_figures(report), rows=rows, value_forms=value_forms,
                           form=form or SubmissionForm(formdata=None, obj=submission), editable=editable,
                           manages_round=services.manages(current_user, submission.round),
                           past_deadline=services.past_deadline(submission.round, now),
                           return_form=ReturnForm(formdata=None)), status


@bp.route("/<int:round_id>/submissions/<int:submission_id>", methods=["GET", "POST"])
def submission(round_id, submission_id):
    if request.method == "GET":
        return _submission_page(services.readable_submission(current_user, round_id, submission_id))
    own = services.own_submission(current_user, round_id, submission_id)
    form = SubmissionForm()
    if submit(form, lambda f: services.save_draft(own.id, f.to_details(), user_id=current_user.id,
                                                  now=utcnow())) is not None:
        flash(_("Đã lưu bản nháp."), "success")
        return _to_submission(own)
    return _submission_page(own, form=form, status=422)


def _to_submission(submission):
    return redirect(url_for("reports_rounds.submission", round_id=submission.round_id, submission_id=submission.id))


@bp.post("/<int:round_id>/submissions/<int:submission_id>/values/<int:indicator_id>")
def save_value(round_id, submission_id, indicator_id):
    own = services.own_submission(current_user, round_id, submission_id)
    form = ValueUploadForm(prefix=f"v{indicator_id}")
    if submit(form, lambda f: services.save_value(own.id, indicator_id, f.to_details(), user_id=current_user.id,
                                                  now=utcnow())) is not None:
        flash(_("Đã lưu số liệu."), "success")
        return _to_submission(own)
    return _submission_page(own, value_forms={indicator_id: form}, status=422)


@bp.get("/<int:round_id>/submissions/<int:submission_id>/values/<int:value_id>/evidence")
def evidence(round_id, submission_id, value_id):
    readable = services.readable_submission(current_user, round_id, submission_id)
    value = services.get_value(readable, value_id)
    path = services.value_evidence_path(value)
    return send_file(path, mimetype=value.evidence_media_type, as_attachment=True,
                     download_name=f"minh-chung-{value.id}{path.suffix}", max_age=0)


@bp.post("/<int:round_id>/submissions/<int:submission_id>/submit")
def submit_submission(round_id, submission_id):
    own = services.own_submission(current_user, round_id, submission_id)
    try:
        services.submit(own.id, user_id=current_user.id, now=utcnow())
    except ValidationFailed as error:
        flash(error.explanation(), "error")
        return _submission_page(own, status=422)
    flash(_("Đã gửi báo cáo lên đơn vị cấp trên."), "success")
    return _to_submission(own)


@bp.post("/<int:round_id>/submissions/<int:submission_id>/return")
def return_submission(round_id, submission_id):
    sent = services.parent_submission(current_user, round_id, submission_id)
    form = ReturnForm()
    if submit(form, lambda f: services.return_submission(sent.id, f.comment.data, user_id=current_user.id,
                                                         now=utcnow())) is not None:
        flash(_("Đã trả lại báo cáo kèm ý kiến."), "success")
        return redirect(url_for("reports_rounds.dashboard", round_id=round_id))
    return _dashboard(sent.round, return_form=form, status=422)


@bp.post("/<int:round_id>/submissions/<int:submission_id>/accept")
def accept(round_id, submission_id):
    sent = services.parent_submission(current_user, round_id, submission_id)
    services.accept_submission(sent.id, user_id=current_user.id, now=utcnow())
    flash(_("Đã chấp nhận báo cáo."), "success")
    return redirect(url_for("reports_rounds.dashboard", round_id=round_id))


@bp.post("/<int:round_id>/submissions/<int:submission_id>/reopen")
def reopen(round_id, submission_id):
    sent = services.parent_submission(current_user, round_id, submission_id)
    services.reopen_submission(sent.id, now=utcnow())
    flash(_("Đã cho phép đơn vị nộp sau hạn."), "success")
    return redirect(url_for("reports_rounds.dashboard", round_id=round_id))

