"""Issued report pages: issuing from the report page or a snapshot, the list, one issued report and its files.
Each route reads the report through the period report's access rule (another organisation: 404)."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from ...forms import submit
from ...i18n import format_date
from ...timeutil import utcnow
from .. import snapshots
from ..figures import period_figures
from ..forms import ReportForm
from ..views import render_report_page, render_snapshot_page
from . import services
from .forms import IssueReportForm, IssueSnapshotForm, issue_for

bp = Blueprint("reports_issued", __name__, url_prefix="/manage/reports")


@bp.before_request
@login_required
def require_sign_in():
    """Each route then checks the organisations of the report."""


def _issued_page(issued):
    flash(_("Đã ban hành báo cáo số %(number)s.", number=issued.number), "success")
    return redirect(url_for("reports_issued.detail", issued_id=issued.id))


@bp.post("/issued")
def issue():
    """Issue the report the page shows; on a mistake, the same page again with the messages."""
    form = IssueReportForm()
    issued = submit(form, lambda f: issue_for(current_user, f))
    if issued is not None:
        return _issued_page(issued)
    scope = ReportForm(formdata=None)._fields
    return render_report_page(MultiDict([(key, value) for key, value in request.form.items(multi=True)
                                         if key in scope]), issue_form=form)


@bp.post("/snapshots/<int:snapshot_id>/issue")
def issue_snapshot(snapshot_id):
    snapshots.get_snapshot(current_user, snapshot_id)  # the user's snapshot, or 404 before the form is read
    form = IssueSnapshotForm()
    issued = submit(form, lambda f: services.issue_snapshot(snapshot_id, f.to_details(),
                                                            issued_by_id=current_user.id, now=utcnow()))
    if issued is not None:
        return _issued_page(issued)
    return render_snapshot_page(snapshot_id, issue_form=form)


@bp.get("/issued")
def issued_list():
    return render_template("reports/issued/list.html", issued=services.list_issued(current_user))


@bp.get("/issued/<int:issued_id>")
def detail(issued_id):
    issued = services.get_issued(current_user, issued_id)
    report = services.figures_of(issued)
    correction_query = {"organisation_ids": [str(o.id) for o in issued.organisations], "period": ["custom"],
                        "starts_on": [format_date(issued.starts_on)], "ends_on": [format_date(issued.ends_on)],
                        "replaces_id": [str(issued.id)]}
    return render_template("reports/issued/detail.html", issued=issued, report=report,
                           figures=period_figures(report), correction_query=correction_query)


@bp.get("/issued/<int:issued_id>/<any(pdf, xlsx):fmt>")
def download(issued_id, fmt):
    return file_response(services.issued_file(services.get_issued(current_user, issued_id), fmt))


def file_response(file: services.IssuedFile) -> Response:
    """The stored bytes, with their SHA-256 as the ETag: a client that has them gets 304."""
    response = Response(file.content, content_type=file.media_type)
    response.set_etag(file.sha256)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)
